/* What the command line says of a run besides its errors: each change (-v), and,
 * when nothing matched, what was looked for, what the input held, and what to do
 * instead. Printed through diag.h. */
#ifndef WI_EXPLAIN_H
#define WI_EXPLAIN_H

#include <stdbool.h>

#include "engine.h"
#include "options.h"

/* "patched KIND NAMESPACE/NAME [pod template]: +KEY" (~KEY (was "OLD") when a
 * value was replaced; the old value quoted as a YAML scalar, on one line). */
void wi_explain_change(const struct wi_change *change);

/* The error for a run that matched nothing, naming what was looked for and the
 * namespaces the input held; outside --check and --print-trust, the chart values
 * that would do the job when the chart creates the objects at run time. */
void wi_explain_no_match(const struct wi_options *opts, const struct wi_stats *stats);

/* Each line of text as a message: a warning (warn), or a note after lead. */
void wi_explain_lines(const char *text, bool warn, const char *lead);

#endif
