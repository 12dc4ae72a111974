/* The core's errors, formatted into memory. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void error_setv(struct wi_error *err, size_t line, size_t column, const char *fmt,
	va_list ap) __attribute__((format(printf, 4, 0)));
static void error_setv(struct wi_error *err, size_t line, size_t column, const char *fmt,
	va_list ap)
{
	err->line = line;
	err->column = column;
	err->context_line = 0;
	/* A message only outgrows its buffer by quoting a huge value from the input or
	 * the command line: say that it was cut rather than end mid-word silently. */
	if (vsnprintf(err->message, sizeof(err->message), fmt, ap) >= (int)sizeof(err->message))
		memcpy(err->message + sizeof(err->message) - sizeof(" [...]"), " [...]",
			sizeof(" [...]"));
}

void wi_error_set(struct wi_error *err, size_t line, size_t column, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_setv(err, line, column, fmt, ap);
	va_end(ap);
}

struct wi_line_col wi_pos_line_col(const struct wi_pos *pos, size_t line_base)
{
	return (struct wi_line_col){line_base + pos->line + 1, pos->column + 1};
}

void wi_error_at(struct wi_error *err, const struct wi_pos *pos, const char *fmt, ...)
{
	struct wi_line_col at = wi_pos_line_col(pos, 0);
	va_list ap;

	va_start(ap, fmt);
	error_setv(err, at.line, at.column, fmt, ap);
	va_end(ap);
}

void wi_error_at_offset(struct wi_error *err, const char *text, size_t offset, const char *fmt,
	...)
{
	size_t line = 1, column = 1;
	va_list ap;

	for (size_t i = 0; i < offset; i++) {
		if (text[i] == '\n')
			line++, column = 1;
		else if (((unsigned char)text[i] & 0xC0) != 0x80)
			column++;
	}
	va_start(ap, fmt);
	error_setv(err, line, column, fmt, ap);
	va_end(ap);
}
