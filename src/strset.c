/* A set of strings: open addressing over FNV-1a. */
#include "strset.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"

uint64_t wi_fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	return h;
}

/* The slot holding s (whose hash is h), or the free slot where it would go. The
 * set is never full. */
static size_t slot_of(const struct wi_strset *set, const char *s, uint64_t h)
{
	size_t i;

	for (i = h % set->cap; set->slots[i]; i = (i + 1) % set->cap)
		if (set->hashes[i] == h && strcmp(set->slots[i], s) == 0)
			break;
	return i;
}

bool wi_strset_has(const struct wi_strset *set, const char *s)
{
	return set->cap && set->slots[slot_of(set, s, wi_fnv1a(WI_FNV_OFFSET, s))];
}

size_t wi_strset_get(const struct wi_strset *set, const char *s)
{
	size_t i;

	if (!set->cap)
		return SIZE_MAX;
	i = slot_of(set, s, wi_fnv1a(WI_FNV_OFFSET, s));
	return set->slots[i] ? set->values[i] : SIZE_MAX;
}

/* Twice the slots, the members moved by their kept hashes (all distinct strings). */
static void grow(struct wi_strset *set)
{
	size_t cap = set->cap ? 2 * set->cap : 16;
	struct wi_strset bigger = {wi_xcalloc(cap, sizeof(char *)), wi_xmalloc(cap * sizeof(size_t)),
		wi_xmalloc(cap * sizeof(uint64_t)), cap, set->n};

	for (size_t j = 0; j < set->cap; j++) {
		size_t i;

		if (!set->slots[j])
			continue;
		for (i = set->hashes[j] % cap; bigger.slots[i]; i = (i + 1) % cap)
			;
		bigger.slots[i] = set->slots[j];
		bigger.values[i] = set->values[j];
		bigger.hashes[i] = set->hashes[j];
	}
	free(set->slots);
	free(set->values);
	free(set->hashes);
	*set = bigger;
}

/* Puts s with value v; an old value is replaced only when replace is set. */
static void insert(struct wi_strset *set, char *s, size_t v, bool replace)
{
	uint64_t h = wi_fnv1a(WI_FNV_OFFSET, s);
	size_t i = 0;

	if (set->cap) {
		i = slot_of(set, s, h);
		if (set->slots[i]) {
			if (replace)
				set->values[i] = v;
			free(s);
			return;
		}
	}
	/* At most half full, so that probes stay short and always end. */
	if (2 * (set->n + 1) > set->cap) {
		grow(set);
		i = slot_of(set, s, h);
	}
	set->slots[i] = s;
	set->values[i] = v;
	set->hashes[i] = h;
	set->n++;
}

void wi_strset_take(struct wi_strset *set, char *s)
{
	insert(set, s, SIZE_MAX, false);
}

void wi_strset_put(struct wi_strset *set, char *s, size_t v)
{
	insert(set, s, v, true);
}

void wi_strset_release(struct wi_strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i]);
	free(set->slots);
	free(set->values);
	free(set->hashes);
	memset(set, 0, sizeof(*set));
}

char *wi_strset_key(const char *a, const char *b, const char *c)
{
	struct wi_buf buf = {0};

	wi_buf_printf(&buf, "%s%s%s%s%s", a ? a : "", a && (b || c) ? "/" : "", b ? b : "",
		b && c ? "/" : "", c ? c : "");
	return buf.data ? buf.data : wi_xstrdup("");
}
