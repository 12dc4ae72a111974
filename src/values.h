/* The Spaces chart values that do what the identities do, for when the chart
 * renders none of the targets (Spaces creates them per control plane at run time). */
#ifndef WI_VALUES_H
#define WI_VALUES_H

#include <stddef.h>

#include "buf.h"
#include "identity.h"

/*
 * Appends to yaml a values fragment (written with libyaml's emitter), to set_args one
 * `--set-string '<key>=<value>'` per line, and to notes one line per thing the chart
 * cannot express (other ServiceAccounts, namespace filters, the restart checksum).
 * Identities without values (check mode) contribute nothing. Returns 0; -1 when
 * the emitter fails or a fixed cap in values.c proves too small (a bug); 1, with
 * notes holding only the one-line reason and nothing else written, when two
 * identities set one key of a component differently (the chart's values are one
 * setting for every control plane).
 */
int wi_values_render(const struct wi_identity *ids, size_t n, struct wi_buf *yaml,
	struct wi_buf *set_args, struct wi_buf *notes);

#endif
