/* Located nodes + wanted key/value pairs -> planned edits that set them, written the
 * way the surrounding YAML is written (indentation, flow style, line endings). */
#ifndef WI_EDIT_H
#define WI_EDIT_H

#include <stddef.h>

#include "error.h"
#include "locate.h"
#include "splice.h"
#include "text.h"

enum wi_action { WI_KEEP, WI_ADD, WI_REPLACE };

/* A key/value pair to set in a labels or annotations map. */
struct wi_want {
	const char *key;   /* borrowed */
	const char *value; /* borrowed */
	enum wi_action action; /* set by wi_edit_set */
	const char *old;   /* set by wi_edit_set: the value replaced, borrowed from doc */
};

/* Pairs wanted in one map of a pod-shaped map's metadata. */
struct wi_edit_group {
	int at; /* WI_AT_LABELS or WI_AT_ANNOTATIONS */
	struct wi_want *wants;
	size_t n;
};

/*
 * Plans what makes the maps named by the groups (in the metadata of pod-shaped map
 * `pod` of object `obj`) hold every want: present with the same string value, it is
 * kept byte for byte; present otherwise, only its value is replaced; absent, it is
 * added after the map's last entry, creating metadata and the maps if need be (once,
 * for all groups). Sets each want's action and old value (borrowed from doc); the
 * plan takes the edits. doc's positions are byte offsets into text. Returns 0, or -1 with *err set
 * (line and column relative to the unit) when the edit cannot be made safely.
 */
int wi_edit_set(struct wi_plan *plan, const struct wi_text *text, const struct wi_doc *doc,
	size_t obj, int pod, struct wi_edit_group *groups, size_t n_groups, struct wi_error *err);

#endif
