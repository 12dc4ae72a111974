/* The core's errors: a message and where in the input it applies. Formatted into
 * memory only; printing them is the command line's (diag.h). */
#ifndef WI_ERROR_H
#define WI_ERROR_H

#include <stddef.h>

#include "pos.h"

/* line and column are 1-based; 0 means unknown (the message then names no
 * position). */
struct wi_error {
	size_t line;
	size_t column;
	size_t context_line; /* where the construct in trouble began, or 0 */
	char message[512];
};

void wi_error_set(struct wi_error *err, size_t line, size_t column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A message's 1-based line and column for pos, in a unit that follows line_base
 * lines of the input. The one place a 0-based position becomes a message's. */
struct wi_line_col {
	size_t line;
	size_t column;
};
struct wi_line_col wi_pos_line_col(const struct wi_pos *pos, size_t line_base);

/* wi_error_set at pos (its unit's lines: the engine adds those before it). */
void wi_error_at(struct wi_error *err, const struct wi_pos *pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The same, with the line and column of byte `offset` in text (1-based; columns
 * count UTF-8 characters). */
void wi_error_at_offset(struct wi_error *err, const char *text, size_t offset, const char *fmt,
	...) __attribute__((format(printf, 4, 5)));

#endif
