/* A set of strings that may grow with the input (every object of a cluster dump,
 * every control plane's ServiceAccount), or a map of them to indices (an anchor's
 * latest definition): open addressing over FNV-1a. */
#ifndef WI_STRSET_H
#define WI_STRSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Zero-initialised is empty. The members are slots[i] for i < cap that are not
 * NULL, in no particular order. */
struct wi_strset {
	char **slots; /* owned, as are the strings */
	size_t *values; /* owned; values[i] goes with slots[i] */
	uint64_t *hashes; /* owned; hashes[i] is slots[i]'s: probes and growth read no string */
	size_t cap, n;
};

bool wi_strset_has(const struct wi_strset *set, const char *s);
/* Takes s (owned, consumed) into the set; frees it when it is there already. */
void wi_strset_take(struct wi_strset *set, char *s);

/* The value last put with s; SIZE_MAX when s is not a member, or was only taken. */
size_t wi_strset_get(const struct wi_strset *set, const char *s);
/* Takes s (owned, consumed) into the set with value v, which replaces the one s had
 * when it is there already (s is freed then). */
void wi_strset_put(struct wi_strset *set, char *s, size_t v);
void wi_strset_release(struct wi_strset *set);

/* How objects are known in sets: the parts that are not NULL, joined by '/'
 * ("Kind/ns/name", "ns/name"). Owned by the caller. */
char *wi_strset_key(const char *a, const char *b, const char *c);

/* FNV-1a, 64 bits: continues hash h (WI_FNV_OFFSET to start) over the bytes of s. */
#define WI_FNV_OFFSET 0xcbf29ce484222325u
uint64_t wi_fnv1a(uint64_t h, const char *s);

#endif
