/* A unit's bytes + planned edits -> output bytes. Every byte outside an edit is
 * copied as it came in. */
#include "splice.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"

void wi_splice_add(struct wi_plan *plan, size_t offset, size_t remove, char *text, size_t depth)
{
	struct wi_edit *e;

	plan->edits = wi_grow(plan->edits, &plan->cap, plan->n + 1, sizeof(*plan->edits));
	e = &plan->edits[plan->n];
	e->offset = offset;
	e->remove = remove;
	e->text = text;
	e->depth = depth;
	e->seq = plan->n++;
}

void wi_splice_clear(struct wi_plan *plan)
{
	for (size_t i = 0; i < plan->n; i++)
		free(plan->edits[i].text);
	plan->n = 0;
}

void wi_splice_release(struct wi_plan *plan)
{
	wi_splice_clear(plan);
	free(plan->edits);
	plan->edits = NULL;
	plan->cap = 0;
}

static int by_position(const void *a, const void *b)
{
	const struct wi_edit *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	/* A replacement starting where an insertion sits goes after it. */
	if ((x->remove == 0) != (y->remove == 0))
		return x->remove == 0 ? -1 : 1;
	if (x->depth != y->depth)
		return x->depth > y->depth ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int wi_splice_order(struct wi_plan *plan, size_t len)
{
	size_t at = 0;

	if (plan->n) /* qsort's base may be NULL then, which C does not allow */
		qsort(plan->edits, plan->n, sizeof(*plan->edits), by_position);
	for (size_t i = 0; i < plan->n; i++) {
		const struct wi_edit *e = &plan->edits[i];

		/* offset first: len - offset would wrap around for an offset past the end. */
		if (e->offset > len || e->offset < at || e->remove > len - e->offset)
			return -1;
		at = e->offset + e->remove;
	}
	return 0;
}

static size_t put(struct wi_piece **pieces, size_t *cap, size_t n, const char *data, size_t len)
{
	if (!len)
		return n;
	*pieces = wi_grow(*pieces, cap, n + 1, sizeof(**pieces));
	(*pieces)[n] = (struct wi_piece){data, len};
	return n + 1;
}

size_t wi_splice_pieces(const char *data, size_t len, const struct wi_plan *plan,
	struct wi_piece **pieces, size_t *cap)
{
	size_t at = 0, n = 0;

	for (size_t i = 0; i < plan->n; i++) {
		const struct wi_edit *e = &plan->edits[i];

		n = put(pieces, cap, n, data + at, e->offset - at);
		n = put(pieces, cap, n, e->text, strlen(e->text));
		at = e->offset + e->remove;
	}
	return put(pieces, cap, n, data + at, len - at);
}
