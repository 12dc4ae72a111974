/* --config FILE: several identities in one JSON document, read with cJSON. */
#ifndef WI_CONFIG_H
#define WI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "identity.h"

/*
 * Parses and fully validates a config (see README.md, "Config file"):
 *   {"identities": [{"provider": "azure", "components": ["backup"],
 *                    "clientId": "<GUID>", ...}, ...]}
 * On success returns 0 with *ids (owned by the caller, each to be released) and *n.
 * On failure returns -1 with *err set: a syntax error has its line and column; any
 * other error names its JSON path ("identities[1].clientId: ...").
 */
int wi_config_parse(const char *text, size_t len, bool check, struct wi_identity **ids, size_t *n,
	struct wi_error *err);

#endif
