/* A unit's bytes + planned edits -> output bytes. */
#ifndef WI_SPLICE_H
#define WI_SPLICE_H

#include <stddef.h>

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

/* A piece of output, borrowed: a span of the unit or an edit's text. */
struct wi_piece {
	const char *data;
	size_t len;
};

/* Puts the plan in output order and checks it against a unit of len bytes: edits must
 * not overlap nor reach past len. Returns -1 if one does, which is a bug in the
 * planner. */
int wi_splice_order(struct wi_plan *plan, size_t len);

/* The unit with the edits of an ordered plan applied, as pieces in output order
 * (empty ones left out) in *pieces, grown as needed (*cap is its room); returns how
 * many. The output is handed on as pieces, not copied into one buffer: a unit is at
 * least 256 KiB, and most of it goes out unchanged. */
size_t wi_splice_pieces(const char *data, size_t len, const struct wi_plan *plan,
	struct wi_piece **pieces, size_t *cap);

#endif
