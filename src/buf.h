/* A growable byte buffer. */
#ifndef WI_BUF_H
#define WI_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct wi_buf {
	char *data; /* owned; NUL-terminated after any append */
	size_t len;
	size_t cap;
};

void wi_buf_append(struct wi_buf *b, const void *data, size_t len);
void wi_buf_puts(struct wi_buf *b, const char *s);
void wi_buf_putc(struct wi_buf *b, char c);
void wi_buf_spaces(struct wi_buf *b, size_t n);
void wi_buf_printf(struct wi_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void wi_buf_vprintf(struct wi_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Appends s as one double-quoted scalar that YAML (or, with json, JSON) reads back
 * as s, on one line whatever s holds: the tool's one escaper, for the values it
 * writes into documents and for the values its messages quote. */
void wi_buf_put_quoted(struct wi_buf *b, const char *s, bool json);
/* Keeps the memory for reuse. */
void wi_buf_clear(struct wi_buf *b);
/* Frees the memory; b may be reused afterwards. */
void wi_buf_release(struct wi_buf *b);

#endif
