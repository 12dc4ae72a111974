/* "Did you mean ...?" for a mistyped option or config setting. */
#include "suggest.h"

#include <string.h>

/* Names longer than this are compared only for the loose equality. */
#define MAX_NAME 64

static char fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Equal ignoring case and every '-' and '_': the mistakes of a reader who knows the
 * name from another spelling convention (client_id, clientID, client-id). */
static int loosely_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < alen && (a[i] == '-' || a[i] == '_'))
			i++;
		while (j < blen && (b[j] == '-' || b[j] == '_'))
			j++;
		if (i == alen || j == blen)
			return i == alen && j == blen;
		if (fold(a[i++]) != fold(b[j++]))
			return 0;
	}
}

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

/* Optimal string alignment distance: insertions, deletions, substitutions and
 * swaps of neighbours, each costing 1. Both lengths at most MAX_NAME. */
static size_t distance(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t d[MAX_NAME + 1][MAX_NAME + 1];

	for (size_t i = 0; i <= alen; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= blen; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= alen; i++) {
		for (size_t j = 1; j <= blen; j++) {
			size_t cost = a[i - 1] != b[j - 1];

			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	}
	return d[alen][blen];
}

const char *wi_suggest(const char *word, size_t len, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t best_distance = (size_t)-1;

	for (size_t i = 0; i < n; i++) {
		size_t clen = strlen(candidates[i]);

		if (loosely_equal(word, len, candidates[i], clen))
			return candidates[i];
	}
	if (len > MAX_NAME)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t clen = strlen(candidates[i]);
		size_t d, allowed = len <= 5 ? 1 : 2;

		if (clen > MAX_NAME || len < 3)
			continue;
		d = distance(word, len, candidates[i], clen);
		if (d <= allowed && d < best_distance) {
			best = candidates[i];
			best_distance = d;
		}
	}
	return best;
}
