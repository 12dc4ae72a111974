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

bool wi_strset_has(const struct wi_strset *set, const char *s)
{
	if (!set->cap)
		return false;
	for (size_t i = wi_fnv1a(WI_FNV_OFFSET, s) % set->cap; set->slots[i]; i = (i + 1) % set->cap)
		if (strcmp(set->slots[i], s) == 0)
			return true;
	return false;
}

void wi_strset_take(struct wi_strset *set, char *s)
{
	size_t i;

	if (wi_strset_has(set, s)) {
		free(s);
		return;
	}
	/* At most half full, so that probes stay short and always end. */
	if (2 * (set->n + 1) > set->cap) {
		size_t cap = set->cap ? 2 * set->cap : 16;
		struct wi_strset bigger = {wi_xcalloc(cap, sizeof(char *)), cap, 0};

		for (size_t j = 0; j < set->cap; j++)
			if (set->slots[j])
				wi_strset_take(&bigger, set->slots[j]);
		free(set->slots);
		*set = bigger;
	}
	for (i = wi_fnv1a(WI_FNV_OFFSET, s) % set->cap; set->slots[i]; i = (i + 1) % set->cap)
		;
	set->slots[i] = s;
	set->n++;
}

void wi_strset_release(struct wi_strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i]);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}

char *wi_strset_key(const char *a, const char *b, const char *c)
{
	struct wi_buf buf = {0};

	wi_buf_printf(&buf, "%s%s%s%s%s", a ? a : "", a && (b || c) ? "/" : "", b ? b : "",
		b && c ? "/" : "", c ? c : "");
	return buf.data ? buf.data : wi_xstrdup("");
}
