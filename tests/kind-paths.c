/* kinds.c's tables against the Kubernetes API's shapes, written out here as dotted
 * paths: walking each path's keys with wi_path_step reaches the pod spec it names,
 * every step the table declares is found again by its key, and each workload kind
 * resolves in its own API groups only. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kinds.h"

static int tests, failures;
static struct wi_path_index paths;

static void check(bool ok, const char *what, const char *detail)
{
	tests++;
	failures += !ok;
	printf("%s %d - %s%s%s\n", ok ? "ok" : "not ok", tests, what, detail ? ": " : "",
		detail ? detail : "");
}

/* The site a dotted path of keys leads to from site `from`, or -1. */
static int walk(int from, const char *path)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *key = strtok(buf, "."); key && from >= 0; key = strtok(NULL, "."))
		from = wi_path_step(&paths, from, key, strlen(key));
	return from;
}

int main(void)
{
	static const struct {
		int pod;
		const char *map, *spec; /* paths from the object: the pod-shaped map, its spec */
	} pods[] = {
		{WI_POD_SELF, "", "spec"},
		{WI_POD_TEMPLATE, "spec.template", "spec.template.spec"},
		{WI_POD_JOB_TEMPLATE, "spec.jobTemplate.spec.template",
			"spec.jobTemplate.spec.template.spec"},
	};
	static const struct {
		const char *kind, *api_version;
		int pod; /* -1: not a workload */
		bool checksum;
		const char *owner, *rollout;
	} kinds[] = {
		{"Pod", "v1", WI_POD_SELF, false, NULL, NULL},
		{"ReplicationController", "v1", WI_POD_TEMPLATE, true, NULL, NULL},
		{"Deployment", "apps/v1", WI_POD_TEMPLATE, true, NULL, "deployment"},
		{"Deployment", "extensions/v1beta1", WI_POD_TEMPLATE, true, NULL, "deployment"},
		{"ReplicaSet", "apps/v1", WI_POD_TEMPLATE, true, "Deployment", NULL},
		{"DaemonSet", "apps/v1", WI_POD_TEMPLATE, true, NULL, "daemonset"},
		{"StatefulSet", "apps/v1", WI_POD_TEMPLATE, true, NULL, "statefulset"},
		{"Job", "batch/v1", WI_POD_TEMPLATE, false, "CronJob", NULL},
		{"CronJob", "batch/v1", WI_POD_JOB_TEMPLATE, false, NULL, NULL},
		{"CronJob", "batch/v1beta1", WI_POD_JOB_TEMPLATE, false, NULL, NULL},
		/* Same name, another group: some CRD. */
		{"Deployment", "example.com/v1", -1, false, NULL, NULL},
		{"StatefulSet", "extensions/v1beta1", -1, false, NULL, NULL},
		{"Pod", "example.com/v1", -1, false, NULL, NULL},
		{"Job", "v1", -1, false, NULL, NULL},
		{"ServiceAccount", "v1", -1, false, NULL, NULL},
	};
	char name[160];

	wi_path_index_init(&paths);
	for (size_t i = 0; i < sizeof(pods) / sizeof(pods[0]); i++) {
		int pod = pods[i].pod, self = WI_SITE(WI_POD_SELF, WI_AT_MAP);
		int map = walk(self, pods[i].map);
		const struct wi_step *s = wi_pod_paths[pod];
		size_t n = 0;
		bool chained = s[0].from == -1 && s[0].to == self;

		check(walk(self, pods[i].spec) == WI_SITE(pod, WI_AT_SPEC), pods[i].spec,
			"leads to the pod spec");
		check(map == WI_SITE(pod, WI_AT_MAP), pods[i].spec, "passes the pod-shaped map");
		snprintf(name, sizeof(name), "%s: metadata.labels", pods[i].spec);
		check(walk(map, "metadata.labels") == WI_SITE(pod, WI_AT_LABELS), name, NULL);
		snprintf(name, sizeof(name), "%s: metadata.annotations", pods[i].spec);
		check(walk(map, "metadata.annotations") == WI_SITE(pod, WI_AT_ANNOTATIONS), name, NULL);
		for (n = 1; s[n].to >= 0; n++) {
			chained = chained && s[n].from == s[n - 1].to &&
				  wi_path_step(&paths, s[n].from, s[n].key, strlen(s[n].key)) == s[n].to;
		}
		chained = chained && s[n - 1].to == WI_SITE(pod, WI_AT_SPEC) && n < WI_MAX_PATH;
		check(chained, pods[i].spec, "wi_pod_paths is a chain, each step found by its key");
	}
	check(walk(WI_SITE(WI_POD_SELF, WI_AT_MAP), "spec.selector") == -1, "spec.selector",
		"no step of a pod path");
	check(wi_path_step(&paths, WI_SITE(WI_POD_SELF, WI_AT_LABELS), "spec", 4) == -1 &&
		      wi_path_step(&paths, -1, "spec", 4) == -1 &&
		      wi_path_step(&paths, WI_N_SITES, "spec", 4) == -1,
		"no step from labels, from no site or from past the last", NULL);
	check(wi_path_step(&paths, WI_SITE(WI_POD_SELF, WI_AT_MAP), "spe", 3) == -1 &&
		      wi_path_step(&paths, WI_SITE(WI_POD_SELF, WI_AT_MAP), "specs", 5) == -1,
		"a key must match whole", NULL);
	check(walk(WI_SITE(WI_POD_TEMPLATE, WI_AT_SPEC), "template") == -1,
		"spec.template.spec.template", "no pod template inside a pod template");
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const struct wi_kind *k = wi_kind_find(kinds[i].kind, kinds[i].api_version);
		bool ok = kinds[i].pod < 0 ? !k
					   : k && k->pod == kinds[i].pod &&
					     k->checksum == kinds[i].checksum &&
					     !k->owner == !kinds[i].owner &&
					     (!k->owner || strcmp(k->owner, kinds[i].owner) == 0) &&
					     !k->rollout == !kinds[i].rollout &&
					     (!k->rollout || strcmp(k->rollout, kinds[i].rollout) == 0);

		snprintf(name, sizeof(name), "%s %s", kinds[i].api_version, kinds[i].kind);
		check(ok, name, kinds[i].pod < 0 ? "not a workload" : "pods, checksum, owner");
		if (k && k->owner)
			check(wi_kind_named(k->owner) != NULL, name, "its owner is a workload kind");
	}
	printf("1..%d\n", tests);
	return failures != 0;
}
