/* How Kubernetes would read a YAML scalar: as a string, or as something else. */
#ifndef WI_SCALAR_H
#define WI_SCALAR_H

#include <stdbool.h>
#include <stddef.h>

/*
 * True when a scalar decodes as a string under Kubernetes' YAML reading (YAML 1.1
 * resolution, as sigs.k8s.io/yaml does it). A plain "true", "3600", "0x1f", "~" or
 * "2024-01-02" is not a string, and an annotation or label holding one is rejected
 * or changed by the API server. tag is the scalar's resolved tag or NULL; plain says
 * whether it was written without quotes or block indicators.
 */
bool wi_scalar_is_string(const char *value, size_t len, bool plain, const char *tag);

/* True for a plain scalar that YAML reads as null: "", "~", "null", "Null", "NULL". */
bool wi_scalar_is_null(const char *value, size_t len, bool plain, const char *tag);

#endif
