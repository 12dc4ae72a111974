/* A guard against flow collections nested too deep for libyaml to parse in time. */
#ifndef WI_DEPTH_H
#define WI_DEPTH_H

#include <stddef.h>

#include "error.h"

/* go-yaml's scanner, and so Kubernetes' YAML decoder, refuses flow collections
 * nested deeper than this ("exceeded max depth of 10000"): no manifest the API
 * server accepts is deeper. */
#define WI_MAX_FLOW_DEPTH 10000

/*
 * libyaml's scanner spends time proportional to the flow depth on every token, so
 * parsing n nested brackets costs n squared: 100,000 of them (200 KB) take about
 * 19 s. Returns 0 when no flow collection in the unit (whole documents) is nested
 * deeper than WI_MAX_FLOW_DEPTH, or when the unit is not valid YAML (the parse
 * proper reports that); else -1 with *err at the opening bracket that went too deep
 * (line counted from the unit's first, column in characters, both 1-based).
 */
int wi_depth_check(const char *data, size_t len, struct wi_error *err);

#endif
