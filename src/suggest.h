/* "Did you mean ...?" for a mistyped option or config setting. */
#ifndef WI_SUGGEST_H
#define WI_SUGGEST_H

#include <stddef.h>

/*
 * The candidate nearest to word, or NULL when none is near enough to be what was
 * meant: equal but for case, '-' and '_' ("--client_id", "clientID", "--clientid"),
 * or within a small Damerau-Levenshtein distance (one typo in a name of up to five
 * characters, two in a longer one: a swap, a missing, extra or wrong character).
 * On a tie the earlier candidate wins. The returned string is borrowed from
 * candidates.
 */
const char *wi_suggest(const char *word, size_t len, const char *const *candidates, size_t n);

#endif
