/* libyaml events of one unit -> the objects in it and the nodes the tool may edit,
 * with their positions. Knows Kubernetes' shapes, not the identities. */
#ifndef WI_LOCATE_H
#define WI_LOCATE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "strset.h"

/* The pod-shaped maps of an object: [0] the object itself (a Pod, or any object's
 * metadata), [1] spec.template, [2] spec.jobTemplate.spec.template. */
enum { WI_POD_SELF, WI_POD_TEMPLATE, WI_POD_JOB_TEMPLATE, WI_N_PODS };

/* Sites per pod-shaped map, in path order. */
enum { WI_AT_MAP, WI_AT_META, WI_AT_LABELS, WI_AT_ANNOTATIONS, WI_AT_SPEC, WI_N_AT };

#define WI_SITE(pod, at) ((pod) * WI_N_AT + (at))
enum {
	WI_SITE_JOB_TEMPLATE = WI_N_PODS * WI_N_AT, /* spec.jobTemplate */
	WI_SITE_JOB_SPEC,                           /* spec.jobTemplate.spec */
	WI_SITE_SELECTOR,                           /* spec.selector */
	WI_SITE_MATCH_LABELS,                       /* spec.selector.matchLabels */
	WI_SITE_ITEMS,                              /* items of a List */
	WI_SITE_STATUS,                             /* status: a live object */
	WI_N_SITES
};

enum {
	WI_SC_KIND,
	WI_SC_API_VERSION,
	WI_SC_NAME,
	WI_SC_NAMESPACE,
	WI_SC_REPLICAS, /* spec.replicas */
	WI_SC_PHASE,    /* status.phase */
	WI_SC_UID,      /* metadata.uid: only the API server sets it, so a live object */
	WI_SC_SA0
};
#define WI_SC_SA(pod) (WI_SC_SA0 + 2 * (pod))            /* spec.serviceAccountName */
#define WI_SC_SA_LEGACY(pod) (WI_SC_SA0 + 2 * (pod) + 1) /* spec.serviceAccount */
#define WI_N_SCALARS (WI_SC_SA0 + 2 * WI_N_PODS)

enum wi_shape {
	WI_ABSENT,
	WI_BLOCK_MAP,
	WI_FLOW_MAP,
	WI_NULL,
	WI_SCALAR,
	WI_SEQUENCE,
	WI_ALIAS,
};

/* Positions are libyaml character indices into the unit; lines and columns are
 * 0-based and relative to the unit. */
struct wi_pos {
	size_t index;
	size_t line;
	size_t column;
};

/* A mapping value the tool may read, edit or create: present or not. */
struct wi_site {
	enum wi_shape shape;
	struct wi_pos key;   /* start of the key */
	size_t key_end;      /* just past the key */
	struct wi_pos start; /* start of the value node */
	size_t end;          /* just past the value's content (not trailing comments) */
	size_t inner_end;    /* flow map: just past its last value's content */
	size_t close;        /* flow map: index of the closing brace */
	size_t key_col;      /* block map: column of its keys, if it has any */
	bool parent_flow;    /* the map holding this key is a flow map */
	bool has_keys;
	bool has_merge; /* a "<<" key: keys may come from elsewhere */
	int anchor;     /* innermost anchor on the path to the value, or -1 */
};

struct wi_scalar {
	char *value; /* owned; NULL when absent, null or not a scalar */
	struct wi_pos pos; /* of the key */
	bool seen;
};

struct wi_object {
	struct wi_site sites[WI_N_SITES];
	struct wi_scalar scalars[WI_N_SCALARS];
	size_t parent; /* index of the List holding this item, or SIZE_MAX */
	size_t document; /* 0-based, counted over the whole stream by the engine */
	/* Its latest entry, ownerReference, container and volume, or SIZE_MAX; each
	 * chained to the one before through .prev, so that a lookup costs what the
	 * object holds, not what the document holds (a List of 40,000 items is one
	 * document). */
	size_t last_entry, last_owner, last_container, last_volume;
};

/* A key of interest inside a labels or annotations map. */
struct wi_entry {
	size_t object;
	int site;  /* WI_SITE(pod, WI_AT_LABELS or WI_AT_ANNOTATIONS), WI_SITE_MATCH_LABELS */
	char *key; /* owned */
	char *value; /* owned; NULL unless a scalar (or an alias to one) */
	enum wi_shape shape;
	bool is_string; /* Kubernetes reads it as a string */
	bool block_scalar;
	struct wi_pos key_pos; /* start of the key */
	size_t key_end; /* just past the key */
	bool parent_flow; /* the map holding it is a flow map */
	struct wi_pos start;
	size_t end;
	int anchor;
	size_t prev; /* the object's entry before this one, or SIZE_MAX */
};

struct wi_anchor {
	char *name;  /* owned */
	int parent;  /* enclosing anchor, or -1; for one inside a collection the locator
	              * passes over, the anchor in effect where that collection began
	              * (only the chains of the nodes that can be edited are walked) */
	bool used;   /* some alias refers to it */
	char *value; /* owned; the scalar it names, if a scalar */
};

/* metadata.ownerReferences[i] of an object (any kind). */
struct wi_owner {
	size_t object;
	char *api_version, *kind, *name; /* owned; NULL when absent */
	bool controller;                 /* controller: true */
	size_t prev; /* the object's ownerReference before this one, or SIZE_MAX */
};

/* What a webhook leaves in a running Pod, tracked only for objects of kind Pod (or
 * whose kind comes after their spec): spec.containers[i] and spec.volumes[i].name.
 * Nowhere else, so that the containers of the other kinds stay passed over. */
struct wi_container {
	size_t object;
	char *name;      /* owned; NULL when absent */
	struct wi_pos pos; /* start of the container's map */
	size_t prev;     /* the object's container before this one, or SIZE_MAX */
	size_t last_env; /* its latest env item, or SIZE_MAX */
};

/* spec.containers[i].env[j] of such a Pod. */
struct wi_env {
	size_t container; /* index into wi_doc.containers */
	char *name;       /* owned; NULL when absent */
	char *value;      /* owned; NULL when absent or not a scalar (valueFrom) */
	struct wi_pos pos; /* the value, or the item when it has none */
	size_t prev;      /* the container's env item before this one, or SIZE_MAX */
};

struct wi_volume {
	size_t object;
	char *name; /* owned */
	size_t prev; /* the object's volume before this one, or SIZE_MAX */
};

/* One document's findings. */
struct wi_doc {
	struct wi_object *objects;
	size_t n_objects, cap_objects;
	struct wi_entry *entries;
	size_t n_entries, cap_entries;
	struct wi_anchor *anchors;
	size_t n_anchors, cap_anchors;
	struct wi_strset anchor_index; /* name -> index of its latest definition */
	struct wi_owner *owners;
	size_t n_owners, cap_owners;
	struct wi_container *containers;
	size_t n_containers, cap_containers;
	struct wi_env *envs;
	size_t n_envs, cap_envs;
	struct wi_volume *volumes;
	size_t n_volumes, cap_volumes;
	bool has_content; /* the root is not null */
	size_t indent;    /* the indentation step the document uses (2 when unknown) */
	size_t tail_block, tail_block_start; /* its last block scalar ("|", ">"): where it
	                                      * ends (SIZE_MAX: none) and its header */
};

struct wi_locator;

/* keys: the label and annotation keys worth recording, NULL-terminated; borrowed and
 * must outlive the locator. */
struct wi_locator *wi_locator_create(const char *const *keys);
void wi_locator_destroy(struct wi_locator *loc);

/* Starts parsing a unit (borrowed until the last wi_locator_next call for it). */
void wi_locator_start(struct wi_locator *loc, const char *data, size_t len);
/*
 * Reads the next document. Returns 1 with *doc filled (owned by the locator, valid
 * until the next call), 0 at the end of the unit, -1 on invalid YAML with *err set.
 * *unit_lines receives, at the end of the unit, the number of lines it held.
 */
int wi_locator_next(struct wi_locator *loc, struct wi_doc **doc, size_t *unit_lines,
	struct wi_error *err);

/* "Kind namespace/name", for messages. */
void wi_object_name(const struct wi_object *o, char *buf, size_t size);

/* The entry for key in map `site` of object obj, or NULL. Borrowed from doc. */
const struct wi_entry *wi_doc_entry(const struct wi_doc *doc, size_t obj, int site,
	const char *key);

/* The controller ownerReference of object obj (the workload that created it and
 * keeps it), or NULL. Borrowed from doc. */
const struct wi_owner *wi_doc_controller(const struct wi_doc *doc, size_t obj);

/* True when editing the node under this anchor chain would change an alias too. */
bool wi_doc_shared(const struct wi_doc *doc, int anchor);

#endif
