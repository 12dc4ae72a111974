/* How Kubernetes would read a YAML scalar: as a string, or as something else. */
#ifndef WI_SCALAR_H
#define WI_SCALAR_H

#include <stdbool.h>
#include <stddef.h>

/*
 * True when a scalar decodes as a string under Kubernetes' YAML reading (YAML 1.1
 * resolution as go-yaml v2 does it for sigs.k8s.io/yaml; scalar.c lists where that
 * differs from the YAML 1.1 types). A plain "true", "yes", "3600", "0x1f", "1e3",
 * ".inf" or "~" is not a string, and an annotation or label holding one is rejected
 * or changed by the API server; a plain "2024-01-02" or "1:30" is one. tag is the
 * scalar's resolved tag or NULL; plain says whether it was written without quotes
 * or block indicators. value needs no terminating NUL.
 */
bool wi_scalar_is_string(const char *value, size_t len, bool plain, const char *tag);

/*
 * What a scalar's tag (as libyaml resolves it; NULL when it has none) does to it
 * under Kubernetes' reading. go-yaml v2 resolves only the standard scalar tags:
 * !!str keeps the text, !!bool, !!int, !!float, !!null and !!timestamp retype it (or
 * fail), !!binary decodes it from base64 into a string, and any other tag (a local
 * "!foo", a global one, the non-specific "!", !!merge on a value) leaves the string
 * as written.
 */
enum wi_tag_effect {
	WI_TAG_NONE,   /* no tag: the text and style decide */
	WI_TAG_STRING, /* the string as written */
	WI_TAG_TYPED,  /* a bool, number, null or timestamp: no string as written */
	WI_TAG_BINARY, /* the bytes its base64 text decodes to */
};
enum wi_tag_effect wi_scalar_tag_effect(const char *tag);

/* "!!int" for "tag:yaml.org,2002:int" and the other typed tags and !!binary; any
 * other tag as it is. Static, or borrowed from tag. */
const char *wi_scalar_tag_short(const char *tag);

/* True for a plain scalar that YAML reads as null: "", "~", "null", "Null", "NULL". */
bool wi_scalar_is_null(const char *value, size_t len, bool plain, const char *tag);

#endif
