/* Where something is in a unit. libyaml counts characters, the editor cuts bytes: the
 * two get distinct types so that the compiler refuses one for the other. The
 * locator turns each character index into a byte offset once (text.h); all
 * positions past it are bytes. */
#ifndef WI_POS_H
#define WI_POS_H

#include <stddef.h>

/* A libyaml mark.index: characters from the start of the unit (after any byte
 * order mark). */
struct wi_chars {
	size_t n;
};

/* A byte offset into the unit. */
struct wi_bytes {
	size_t n;
};

/* The start of a node: its byte offset, and its line and column as libyaml reports
 * them (0-based, relative to the unit; the column counts characters, so that it is
 * also the node's indentation). wi_pos_line_col (error.h) turns it into a
 * message's. */
struct wi_pos {
	struct wi_bytes at;
	size_t line;
	size_t column;
};

#endif
