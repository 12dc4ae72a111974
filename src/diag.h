/* Messages: "wi-inject: <file>:LINE:COL: error: ...", to stderr and a copy sink.
 * A message has no length limit; lists in it are the caller's to cap. */
#ifndef WI_DIAG_H
#define WI_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

/* Where messages go besides stderr: each whole line ("wi-inject: ...\n", len bytes,
 * borrowed for the call) is passed to sink. Helm 4 throws a post-renderer's stderr
 * away, so the CLI's log is how its users see errors. NULL for none. */
typedef void wi_diag_sink_fn(void *ctx, const char *line, size_t len);
void wi_diag_set_sink(wi_diag_sink_fn *sink, void *ctx);
/* The name inputs are reported by: a path, or "<stdin>". */
void wi_diag_set_input_name(const char *name);

void wi_diag_error(const struct wi_error *err);
void wi_diag_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void wi_diag_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A message with no severity, as printed by --verbose. */
void wi_diag_notef(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
