/* A growable byte buffer. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

static void reserve(struct wi_buf *b, size_t extra)
{
	b->data = wi_grow(b->data, &b->cap, b->len + extra + 1, 1);
}

void wi_buf_append(struct wi_buf *b, const void *data, size_t len)
{
	reserve(b, len);
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void wi_buf_puts(struct wi_buf *b, const char *s)
{
	wi_buf_append(b, s, strlen(s));
}

void wi_buf_putc(struct wi_buf *b, char c)
{
	wi_buf_append(b, &c, 1);
}

void wi_buf_spaces(struct wi_buf *b, size_t n)
{
	reserve(b, n);
	memset(b->data + b->len, ' ', n);
	b->len += n;
	b->data[b->len] = '\0';
}

void wi_buf_vprintf(struct wi_buf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n >= 0) {
		reserve(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
		b->len += (size_t)n;
	}
	va_end(again);
}

void wi_buf_printf(struct wi_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	wi_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void wi_buf_put_quoted(struct wi_buf *b, const char *s, bool json)
{
	const char *run = s; /* characters that go out as they are, appended at once */

	wi_buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c != 0x7f && c != '"' && c != '\\')
			continue;
		wi_buf_append(b, run, (size_t)(s - run));
		run = s + 1;
		if (c == '"' || c == '\\')
			wi_buf_putc(b, '\\'), wi_buf_putc(b, (char)c);
		/* Escapes that YAML 1.1, YAML 1.2 and JSON all have: a message reads
		 * better with them than with their codes. */
		else if (c == '\n')
			wi_buf_puts(b, "\\n");
		else if (c == '\t')
			wi_buf_puts(b, "\\t");
		else if (c == '\r')
			wi_buf_puts(b, "\\r");
		else
			wi_buf_printf(b, json ? "\\u%04x" : "\\x%02x", c);
	}
	wi_buf_append(b, run, (size_t)(s - run));
	wi_buf_putc(b, '"');
}

void wi_buf_clear(struct wi_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void wi_buf_release(struct wi_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
