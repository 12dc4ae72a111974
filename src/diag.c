/* Messages: formatted whole, however long, then to stderr and the copy sink. The
 * command line's: the core only fills in struct wi_error (error.c). */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"

static wi_diag_sink_fn *copy_sink;
static void *copy_ctx;
static const char *input_name = "<stdin>";

void wi_diag_set_sink(wi_diag_sink_fn *sink, void *ctx)
{
	copy_sink = sink;
	copy_ctx = ctx;
}

void wi_diag_set_input_name(const char *name)
{
	input_name = name;
}

/* One line to stderr, then to the sink. stderr comes first and its failure is
 * ignored: a message is never lost because one of its destinations is. */
static void emit(const char *prefix, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static void emit(const char *prefix, const char *fmt, va_list ap)
{
	struct wi_buf line = {0};

	wi_buf_puts(&line, "wi-inject: ");
	wi_buf_puts(&line, prefix);
	wi_buf_vprintf(&line, fmt, ap);
	wi_buf_putc(&line, '\n');
	(void)!fwrite(line.data, 1, line.len, stderr);
	fflush(stderr);
	if (copy_sink)
		copy_sink(copy_ctx, line.data, line.len);
	wi_buf_release(&line);
}

static void emitf(const char *prefix, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void emitf(const char *prefix, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(prefix, fmt, ap);
	va_end(ap);
}

void wi_diag_error(const struct wi_error *err)
{
	if (err->line && err->context_line)
		emitf("", "%s:%zu:%zu: error: %s started at line %zu", input_name, err->line,
			err->column, err->message, err->context_line);
	else if (err->line)
		emitf("", "%s:%zu:%zu: error: %s", input_name, err->line, err->column, err->message);
	else
		emitf("", "%s: error: %s", input_name, err->message);
}

void wi_diag_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("error: ", fmt, ap);
	va_end(ap);
}

void wi_diag_warnf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("warning: ", fmt, ap);
	va_end(ap);
}

void wi_diag_notef(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("", fmt, ap);
	va_end(ap);
}
