/* Kubernetes' shapes: the one table of where each kind keeps its pods. */
#include "kinds.h"

#include <string.h>

const struct wi_step wi_pod_layout[WI_N_AT] = {
	[WI_AT_MAP] = {-1, WI_AT_MAP, NULL, 0},
	[WI_AT_META] = WI_STEP(WI_AT_MAP, WI_AT_META, "metadata"),
	[WI_AT_LABELS] = WI_STEP(WI_AT_META, WI_AT_LABELS, "labels"),
	[WI_AT_ANNOTATIONS] = WI_STEP(WI_AT_META, WI_AT_ANNOTATIONS, "annotations"),
	[WI_AT_SPEC] = WI_STEP(WI_AT_MAP, WI_AT_SPEC, "spec"),
};

#define SELF(at) WI_SITE(WI_POD_SELF, WI_AT_##at)
#define TEMPLATE(at) WI_SITE(WI_POD_TEMPLATE, WI_AT_##at)
#define JOB(at) WI_SITE(WI_POD_JOB_TEMPLATE, WI_AT_##at)

const struct wi_step wi_pod_paths[WI_N_PODS][WI_MAX_PATH] = {
	[WI_POD_SELF] = {
		{-1, SELF(MAP), NULL, 0},
		WI_STEP(SELF(MAP), SELF(SPEC), "spec"),
		{-1, -1, NULL, 0},
	},
	[WI_POD_TEMPLATE] = {
		{-1, SELF(MAP), NULL, 0},
		WI_STEP(SELF(MAP), SELF(SPEC), "spec"),
		WI_STEP(SELF(SPEC), TEMPLATE(MAP), "template"),
		WI_STEP(TEMPLATE(MAP), TEMPLATE(SPEC), "spec"),
		{-1, -1, NULL, 0},
	},
	[WI_POD_JOB_TEMPLATE] = {
		{-1, SELF(MAP), NULL, 0},
		WI_STEP(SELF(MAP), SELF(SPEC), "spec"),
		WI_STEP(SELF(SPEC), WI_SITE_JOB_TEMPLATE, "jobTemplate"),
		WI_STEP(WI_SITE_JOB_TEMPLATE, WI_SITE_JOB_SPEC, "spec"),
		WI_STEP(WI_SITE_JOB_SPEC, JOB(MAP), "template"),
		WI_STEP(JOB(MAP), JOB(SPEC), "spec"),
		{-1, -1, NULL, 0},
	},
};

/* Only the kinds that describe pods the API server makes from them. Deployments,
 * ReplicaSets, DaemonSets, StatefulSets and ReplicationControllers keep pods running
 * that a changed template rolls, so only they get the checksum: a Pod is never
 * rolled, a CronJob's next Job makes new pods anyway, and a Job's template cannot
 * change at all (an upgrade would fail). */
static const struct wi_kind kinds[] = {
	{"Pod", {""}, WI_POD_SELF, false, NULL, NULL},
	{"ReplicationController", {""}, WI_POD_TEMPLATE, true, NULL, NULL},
	{"Deployment", {"apps", "extensions"}, WI_POD_TEMPLATE, true, NULL, "deployment"},
	{"ReplicaSet", {"apps", "extensions"}, WI_POD_TEMPLATE, true, "Deployment", NULL},
	{"DaemonSet", {"apps", "extensions"}, WI_POD_TEMPLATE, true, NULL, "daemonset"},
	{"StatefulSet", {"apps"}, WI_POD_TEMPLATE, true, NULL, "statefulset"},
	{"Job", {"batch"}, WI_POD_TEMPLATE, false, "CronJob", NULL},
	{"CronJob", {"batch"}, WI_POD_JOB_TEMPLATE, false, NULL, NULL},
};

static bool same_key(const struct wi_step *s, const char *key, size_t len)
{
	return s->len == len && memcmp(s->key, key, len) == 0;
}

/* Adds a step unless the same one is there: "spec" from an object's own map is a
 * step of every pod path and of the layout. Steps keep the tables' order, layout
 * first, so the first match is the one the tables give. */
static void add_step(struct wi_step *out, size_t *n, const struct wi_step *s)
{
	for (size_t i = 0; i < *n; i++)
		if (out[i].from == s->from && same_key(&out[i], s->key, s->len))
			return;
	out[(*n)++] = *s;
}

void wi_path_index_init(struct wi_path_index *ix)
{
	struct wi_step all[WI_MAX_STEPS];
	size_t n = 0, k = 0;

	for (int pod = 0; pod < WI_N_PODS; pod++) {
		for (int at = 1; at < WI_N_AT; at++) {
			struct wi_step s = wi_pod_layout[at];

			s.from = WI_SITE(pod, s.from);
			s.to = WI_SITE(pod, at);
			add_step(all, &n, &s);
		}
	}
	for (int pod = 0; pod < WI_N_PODS; pod++)
		for (const struct wi_step *s = &wi_pod_paths[pod][1]; s->to >= 0; s++)
			add_step(all, &n, s);
	/* Grouped by the site left, in a stable pass per site. */
	for (int site = 0; site < WI_N_SITES; site++) {
		ix->first[site] = (unsigned char)k;
		for (size_t i = 0; i < n; i++)
			if (all[i].from == site)
				ix->steps[k++] = all[i];
	}
	ix->first[WI_N_SITES] = (unsigned char)k;
}

int wi_path_step(const struct wi_path_index *ix, int from, const char *key, size_t len)
{
	if (from < 0 || from >= WI_N_SITES)
		return -1;
	for (const struct wi_step *s = &ix->steps[ix->first[from]];
	     s < &ix->steps[ix->first[from + 1]]; s++)
		if (same_key(s, key, len))
			return s->to;
	return -1;
}

static bool in_group(const char *api_version, const char *const *groups)
{
	const char *slash = strchr(api_version, '/');
	size_t len = slash ? (size_t)(slash - api_version) : 0;

	for (size_t i = 0; i < 3 && groups[i]; i++)
		if (strlen(groups[i]) == len && strncmp(groups[i], api_version, len) == 0)
			return true;
	return false;
}

const struct wi_kind *wi_kind_find(const char *kind, const char *api_version)
{
	const struct wi_kind *k = wi_kind_named(kind);

	return k && in_group(api_version, k->groups) ? k : NULL;
}

const struct wi_kind *wi_kind_named(const char *kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return &kinds[i];
	return NULL;
}
