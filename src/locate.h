/* libyaml events of one unit -> the objects in it and the nodes the tool may edit,
 * with their positions. Knows Kubernetes' shapes, not the identities. */
#ifndef WI_LOCATE_H
#define WI_LOCATE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "kinds.h"
#include "pos.h"
#include "scalar.h"
#include "strset.h"

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

/* A mapping value the tool may read, edit or create: present or not. */
struct wi_site {
	enum wi_shape shape;
	struct wi_pos key;         /* start of the key */
	struct wi_bytes key_end;   /* just past the key */
	struct wi_pos start;       /* start of the value node */
	struct wi_bytes end;       /* just past the value's content (not trailing comments) */
	struct wi_bytes inner_end; /* flow map: just past its last value's content */
	struct wi_bytes close;     /* flow map: the closing brace */
	size_t key_col;      /* block map: column of its keys, if it has any */
	bool parent_flow;    /* the map holding this key is a flow map */
	bool has_keys;
	bool has_merge; /* a "<<" key: keys may come from elsewhere */
	bool read_through; /* an alias whose map's name and namespace were read (for an
	                    * object's metadata: they are the object's) */
	int anchor;     /* innermost anchor on the path to the value, or -1 */
};

struct wi_scalar {
	char *value; /* owned; NULL when absent, null or not a scalar */
	struct wi_pos pos; /* of the key */
	bool seen;
};

/* Where a node the tool reads hides what Kubernetes would read there. The engine
 * refuses the object when it may be one to judge or edit (`scope`). */
enum wi_veil_scope {
	WI_VEIL_NONE,
	WI_VEIL_VALUE,  /* what decides whether a ServiceAccount or workload is a match: a
	                 * name, namespace, account, or a key of a map on the way */
	WI_VEIL_ITEMS,  /* an item of a List: which object it is */
	WI_VEIL_OBJECT, /* the kind or apiVersion, or a key of the object's own map */
};

struct wi_veil {
	enum wi_veil_scope scope;
	struct wi_pos pos;
	const char *what; /* what it is ("name", a label's key...): static, or borrowed
	                   * from the document */
	const char *tag;  /* static: the tag that hides it (see wi_scalar_tag_short), or
	                   * NULL for an alias */
};

struct wi_object {
	struct wi_site sites[WI_N_SITES];
	struct wi_scalar scalars[WI_N_SCALARS];
	size_t parent; /* index of the List holding this item, or SIZE_MAX */
	size_t document; /* 0-based, counted over the whole stream by the engine */
	struct wi_veil veil; /* the first one, or one of the widest scope */
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
	bool binary;    /* tagged !!binary (itself or the scalar an alias names): Kubernetes
	                 * reads the bytes it encodes, not value */
	bool block_scalar;
	struct wi_pos key_pos;   /* start of the key */
	struct wi_bytes key_end; /* just past the key */
	bool parent_flow; /* the map holding it is a flow map */
	struct wi_pos start;
	struct wi_bytes end;
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
	bool is_string;  /* that scalar is a string to Kubernetes */
	const char *tag; /* static: a typed tag or !!binary it carries (see wi_veil) */
	/* A map's: `read` when its own "name" and "namespace" keys are known, for an
	 * object's metadata written as an alias to it (meta_*: owned; NULL when
	 * absent). Not for a map inside a collection the locator passes over, or one
	 * with a merge key, an alias or !!binary key, or a tagged name or namespace
	 * (`unread`, while it is parsed). */
	bool read, unread;
	char *meta_name, *meta_namespace;
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
	struct wi_bytes tail_block, tail_block_start; /* its last block scalar ("|", ">"):
	                                               * where it ends (SIZE_MAX: none) and
	                                               * its header */
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

/* The message for a veil: what hides what, and what to do. */
void wi_veil_message(const struct wi_veil *v, char *buf, size_t size);

/* The entry for key in map `site` of object obj, or NULL. Borrowed from doc. */
const struct wi_entry *wi_doc_entry(const struct wi_doc *doc, size_t obj, int site,
	const char *key);

/* The controller ownerReference of object obj (the workload that created it and
 * keeps it), or NULL. Borrowed from doc. */
const struct wi_owner *wi_doc_controller(const struct wi_doc *doc, size_t obj);

/* True when editing the node under this anchor chain would change an alias too. */
bool wi_doc_shared(const struct wi_doc *doc, int anchor);

#endif
