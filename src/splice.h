/* A unit's bytes + planned edits -> output bytes. */
#ifndef WI_SPLICE_H
#define WI_SPLICE_H

#include <stddef.h>

#include "buf.h"

/* Replace `remove` bytes at `offset` with `text` (owned). Insertions have remove 0. */
struct wi_edit {
	size_t offset;
	size_t remove;
	char *text;
	size_t depth; /* insertions at one offset: the deeper (more indented) goes first,
		       * so lines for a nested map stay inside it */
	size_t seq;   /* order of planning: breaks remaining ties */
};

struct wi_plan {
	struct wi_edit *edits; /* owned */
	size_t n, cap;
};

/* Takes ownership of text. depth: the indentation of the inserted lines (0 when
 * not lines). */
void wi_splice_add(struct wi_plan *plan, size_t offset, size_t remove, char *text, size_t depth);
void wi_splice_clear(struct wi_plan *plan);
void wi_splice_release(struct wi_plan *plan);

/* Appends data with the edits applied to out. Edits must not overlap nor reach past
 * len; returns -1 (and writes nothing) if one does, which is a bug in the planner. */
int wi_splice(const char *data, size_t len, struct wi_plan *plan, struct wi_buf *out);

#endif
