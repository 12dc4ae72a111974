/* Kubernetes' shapes, declared once: where each workload kind keeps its pods, which
 * keys lead there, and what the tool does with each kind. The locator, the engine,
 * --check and the live-cluster checks all read these tables. */
#ifndef WI_KINDS_H
#define WI_KINDS_H

#include <stdbool.h>
#include <stddef.h>

/* The pod-shaped maps of an object: [0] the object itself (a Pod, or any object's
 * metadata), [1] spec.template, [2] spec.jobTemplate.spec.template. */
enum { WI_POD_SELF, WI_POD_TEMPLATE, WI_POD_JOB_TEMPLATE, WI_N_PODS };

/* Sites per pod-shaped map, in path order (see wi_pod_layout). */
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

/* One step down a path: the map at site `from` holds, under `key`, the site `to`. */
struct wi_step {
	int from, to;
	const char *key;
	size_t len; /* of key: the lookup compares lengths before bytes */
};
#define WI_STEP(from, to, key) {(from), (to), key, sizeof(key) - 1}

/* Inside every pod-shaped map: [at] is reached from its parent (WI_AT_*) by key;
 * WI_AT_MAP has no parent (-1). */
extern const struct wi_step wi_pod_layout[WI_N_AT];

/* The maps from an object down to the pod spec of each pod-shaped map, object's own
 * map first, each reached from the one before it by its `key`; ends with to == -1. */
#define WI_MAX_PATH 7
extern const struct wi_step wi_pod_paths[WI_N_PODS][WI_MAX_PATH];

/* Every step of the two tables above, grouped by the site it leaves: the locator
 * asks for a step at every key of the maps on the way to a pod spec, and a scan of
 * both tables each time cost more than the rest of the key's handling. Derived
 * from the tables by wi_path_index_init, never written by hand. */
#define WI_MAX_STEPS ((WI_N_AT - 1) * WI_N_PODS + WI_N_PODS * (WI_MAX_PATH - 1))
struct wi_path_index {
	unsigned char first[WI_N_SITES + 1]; /* steps from site s: [first[s], first[s + 1]) */
	struct wi_step steps[WI_MAX_STEPS];
};
_Static_assert(WI_MAX_STEPS < 256, "wi_path_index.first holds step indices");

void wi_path_index_init(struct wi_path_index *ix);

/* The site the map at site `from` holds under key (len bytes, not terminated): a
 * step of wi_pod_layout inside a pod-shaped map, or of wi_pod_paths; else -1. */
int wi_path_step(const struct wi_path_index *ix, int from, const char *key, size_t len);

/* A workload kind: where its pods are described, and whether the checksum goes on
 * it (it keeps pods running that a changed template rolls). */
struct wi_kind {
	const char *kind;
	const char *groups[3]; /* the API groups it lives in ("" for the core group) */
	int pod;               /* WI_POD_* */
	bool checksum;
	const char *owner;    /* the kind of the controller that makes and keeps it, when
	                       * that is a workload too (a ReplicaSet's Deployment), or NULL */
	const char *rollout;  /* its name to `kubectl rollout restart`, or NULL */
};

/* The workload of this kind in the group of api_version, or NULL: a kind of the same
 * name in another group is some CRD. Static. */
const struct wi_kind *wi_kind_find(const char *kind, const char *api_version);

/* The workload named kind in any group, or NULL: for ownerReferences, whose kinds the
 * tool reads by name. Static. */
const struct wi_kind *wi_kind_named(const char *kind);

#endif
