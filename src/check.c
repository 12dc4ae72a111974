/* --check: what is there, judged against what the webhooks need. */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "kinds.h"

void wi_findings_emit(struct wi_findings *f, const struct wi_finding *finding)
{
	(*f->count)++;
	if (f->emit)
		f->emit(f->ctx, finding);
}

void wi_check_finding(struct wi_findings *f, const struct wi_object *o, const struct wi_pos *pos,
	struct wi_finding *what, const char *fmt, ...)
{
	struct wi_line_col at = wi_pos_line_col(pos, f->line_base);
	char text[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	memset(&what->error, 0, sizeof(what->error));
	if (o) {
		char name[300];

		what->kind = o->scalars[WI_SC_KIND].value;
		what->namespace = o->scalars[WI_SC_NAMESPACE].value;
		what->name = o->scalars[WI_SC_NAME].value;
		wi_object_name(o, name, sizeof(name));
		wi_error_set(&what->error, at.line, at.column, "%s: %s", name, text);
	} else {
		wi_error_set(&what->error, at.line, at.column, "%s", text);
	}
	wi_findings_emit(f, what);
}

/* The problem code for a value wi_identity_bad_value refused. */
static const char *bad_value_problem(const char *key)
{
	if (strcmp(key, WI_AZURE_TOKEN_EXPIRATION) == 0 || strcmp(key, WI_AWS_TOKEN_EXPIRATION) == 0)
		return "expiration-out-of-range";
	if (strcmp(key, WI_AZURE_USE) == 0)
		return "wrong-value";
	return "malformed-value";
}

/* The most precise place to point at for a missing key: the map, or the nearest of
 * its parents inside the pod-shaped map that is there (else that map's own key). */
static const struct wi_pos *missing_at(const struct wi_object *o, int pod, int at)
{
	while (at != WI_AT_MAP && o->sites[WI_SITE(pod, at)].shape == WI_ABSENT)
		at = wi_pod_layout[at].from;
	return &o->sites[WI_SITE(pod, at)].key;
}

/* Present, a string, well-formed, and the wanted value if one is known. */
static void check_value(struct wi_findings *f, const struct wi_object *o, const struct wi_entry *e,
	const char *what, const char *want)
{
	const char *bad;

	struct wi_finding fd = {.key = e->key, .expected = want, .actual = e->value};

	if (e->shape != WI_SCALAR && !(e->shape == WI_ALIAS && e->value)) {
		fd.problem = "not-a-scalar";
		wi_check_finding(f, o, &e->start, &fd, "%s %s is not a scalar", what, e->key);
		return;
	}
	if (!e->is_string) {
		fd.problem = "not-a-string";
		wi_check_finding(f, o, &e->start, &fd, "%s %s: %s is not a string (write \"%s\")", what,
			e->key, e->value, e->value);
		return;
	}
	bad = wi_identity_bad_value(e->key, e->value);
	if (bad) {
		fd.problem = bad_value_problem(e->key);
		wi_check_finding(f, o, &e->start, &fd, "%s %s: \"%s\" %s", what, e->key, e->value, bad);
	} else if (want && strcmp(want, e->value) != 0) {
		fd.problem = "wrong-value";
		wi_check_finding(f, o, &e->start, &fd, "%s %s is \"%s\", expected \"%s\"", what, e->key,
			e->value, want);
	}
}

void wi_check_service_account(struct wi_findings *f, const struct wi_doc *doc, size_t obj,
	const struct wi_want *wants, size_t n)
{
	const struct wi_object *o = &doc->objects[obj];
	const struct wi_entry *e;
	const int annotations = WI_SITE(WI_POD_SELF, WI_AT_ANNOTATIONS);

	for (size_t i = 0; i < n; i++) {
		e = wi_doc_entry(doc, obj, annotations, wants[i].key);
		if (!e) {
			struct wi_finding fd = {.problem = "missing-annotation", .key = wants[i].key,
				.expected = wants[i].value};

			wi_check_finding(f, o, missing_at(o, WI_POD_SELF, WI_AT_ANNOTATIONS), &fd,
				"annotation %s is missing", wants[i].key);
		} else {
			check_value(f, o, e, "annotation", wants[i].value);
		}
	}
	/* Settings nobody asked for still have to be valid: a bad expiration rejects pods. */
	for (const char *const *k = wi_identity_sa_keys; *k; k++) {
		bool wanted = false;

		for (size_t i = 0; i < n && !wanted; i++)
			wanted = strcmp(wants[i].key, *k) == 0;
		e = wanted ? NULL : wi_doc_entry(doc, obj, annotations, *k);
		if (e)
			check_value(f, o, e, "annotation", NULL);
	}
	e = wi_doc_entry(doc, obj, WI_SITE(WI_POD_SELF, WI_AT_LABELS), WI_AZURE_USE);
	if (e) {
		struct wi_finding fd = {.problem = "label-on-service-account", .key = WI_AZURE_USE,
			.actual = e->value};

		wi_check_finding(f, o, &e->start, &fd, "label %s on a ServiceAccount does nothing: it "
			"belongs on the pod template", WI_AZURE_USE);
	}
}

void wi_check_workload(struct wi_findings *f, const struct wi_doc *doc, size_t obj, int pod,
	const struct wi_want *labels, size_t n, const char *service_account)
{
	const struct wi_object *o = &doc->objects[obj];
	const struct wi_entry *e;

	for (size_t i = 0; i < n; i++) {
		const struct wi_entry *in_selector =
			wi_doc_entry(doc, obj, WI_SITE_MATCH_LABELS, labels[i].key);
		const struct wi_entry *on_workload =
			pod != WI_POD_SELF ? wi_doc_entry(doc, obj, WI_SITE(WI_POD_SELF, WI_AT_LABELS),
						     labels[i].key)
					   : NULL;

		struct wi_finding fd = {.key = labels[i].key, .expected = labels[i].value};

		e = wi_doc_entry(doc, obj, WI_SITE(pod, WI_AT_LABELS), labels[i].key);
		if (e) {
			check_value(f, o, e, "pod label", labels[i].value);
		} else if (in_selector || on_workload) {
			fd.problem = in_selector ? "label-only-in-selector" : "label-on-workload-only";
			fd.actual = (in_selector ? in_selector : on_workload)->value;
			wi_check_finding(f, o, &(in_selector ? in_selector : on_workload)->start, &fd,
				"label %s is only %s, not on the pod template: the webhook "
				"never sees it", labels[i].key,
				in_selector ? "in spec.selector" : "on the workload itself");
		} else {
			fd.problem = "missing-label";
			wi_check_finding(f, o, missing_at(o, pod, WI_AT_LABELS), &fd,
				"pod label %s is missing", labels[i].key);
		}
		if (in_selector) {
			fd.problem = "label-in-selector";
			fd.expected = NULL;
			fd.actual = in_selector->value;
			wi_check_finding(f, o, &in_selector->start, &fd,
				"label %s in spec.selector: the selector is immutable, so "
				"changing it later fails every upgrade", labels[i].key);
		}
	}
	for (const char *const *k = wi_identity_sa_keys; *k; k++) {
		const int sites[] = {WI_SITE(pod, WI_AT_ANNOTATIONS),
			WI_SITE(WI_POD_SELF, WI_AT_ANNOTATIONS)};

		for (size_t i = 0; i < (pod == WI_POD_SELF ? 1u : 2u); i++) {
			bool expiration_on_pod = i == 0 && strcmp(*k, WI_AZURE_TOKEN_EXPIRATION) == 0;

			e = wi_doc_entry(doc, obj, sites[i], *k);
			if (!e)
				continue;
			/* Azure reads the token expiration from the pod too, and it wins. */
			if (expiration_on_pod) {
				check_value(f, o, e, "pod annotation", NULL);
			} else {
				bool on_pod = i == 0;
				struct wi_finding fd = {.key = *k, .actual = e->value,
					.problem = on_pod ? "annotation-on-pod" : "annotation-on-workload"};

				wi_check_finding(f, o, &e->start, &fd, "annotation %s on the %s does "
					"nothing: it belongs on ServiceAccount %s", *k,
					on_pod && pod != WI_POD_SELF ? "pod template" : on_pod ? "pod"
					: "workload", service_account);
			}
		}
	}
}

const char *const wi_env_names[WI_N_ENV] = {
	[WI_ENV_AZURE_CLIENT_ID] = "AZURE_CLIENT_ID",
	[WI_ENV_AZURE_TENANT_ID] = "AZURE_TENANT_ID",
	[WI_ENV_AZURE_TOKEN_FILE] = "AZURE_FEDERATED_TOKEN_FILE",
	[WI_ENV_AWS_ROLE_ARN] = "AWS_ROLE_ARN",
	[WI_ENV_AWS_TOKEN_FILE] = "AWS_WEB_IDENTITY_TOKEN_FILE",
};

/* Where the Azure webhook mounts the token, and the volume it projects. */
#define AZURE_TOKEN_FILE "/var/run/secrets/azure/tokens/azure-identity-token"
#define AZURE_TOKEN_VOLUME "azure-identity-token"

static char *dup_or_null(const char *s)
{
	return s ? wi_xstrdup(s) : NULL;
}

void wi_live_pod_init(struct wi_live_pod *pod, const struct wi_doc *doc, size_t obj,
	size_t line_base)
{
	const struct wi_object *o = &doc->objects[obj];

	memset(pod, 0, sizeof(*pod));
	pod->namespace = dup_or_null(o->scalars[WI_SC_NAMESPACE].value);
	pod->name = dup_or_null(o->scalars[WI_SC_NAME].value);
	pod->at = wi_pos_line_col(&o->sites[WI_SITE(WI_POD_SELF, WI_AT_MAP)].start, line_base);
	/* The Pod's own records, through their chains from the latest back (a cluster's
	 * Pods are often one List): containers filled from the end, so that they keep
	 * the document's order, and an env variable named twice keeps its first item. */
	for (size_t i = o->last_volume; i != SIZE_MAX; i = doc->volumes[i].prev)
		if (doc->volumes[i].name && strcmp(doc->volumes[i].name, AZURE_TOKEN_VOLUME) == 0)
			pod->azure_volume = true;
	for (size_t i = o->last_container; i != SIZE_MAX; i = doc->containers[i].prev)
		pod->n_containers++;
	if (pod->n_containers)
		pod->containers = wi_xcalloc(pod->n_containers, sizeof(*pod->containers));
	for (size_t i = o->last_container, n = pod->n_containers; i != SIZE_MAX;
	     i = doc->containers[i].prev) {
		struct wi_live_container *c = &pod->containers[--n];

		c->name = dup_or_null(doc->containers[i].name);
		c->at = wi_pos_line_col(&doc->containers[i].pos, line_base);
		for (size_t j = doc->containers[i].last_env; j != SIZE_MAX; j = doc->envs[j].prev) {
			const struct wi_env *env = &doc->envs[j];

			if (!env->name)
				continue;
			for (int k = 0; k < WI_N_ENV; k++) {
				if (strcmp(env->name, wi_env_names[k]) != 0)
					continue;
				free(c->env[k]);
				c->has[k] = true;
				c->env[k] = dup_or_null(env->value);
				c->env_at[k] = wi_pos_line_col(&env->pos, line_base);
			}
		}
	}
}

void wi_live_pod_release(struct wi_live_pod *pod)
{
	free(pod->namespace);
	free(pod->name);
	free(pod->service_account);
	free(pod->owner_kind);
	free(pod->owner_name);
	for (int k = 0; k < WI_N_ENV; k++)
		free(pod->expected[k]);
	for (size_t i = 0; i < pod->n_containers; i++) {
		free(pod->containers[i].name);
		for (int k = 0; k < WI_N_ENV; k++)
			free(pod->containers[i].env[k]);
	}
	free(pod->containers);
	memset(pod, 0, sizeof(*pod));
}

/* One restart-needed finding about a running Pod. */
static void restart_needed(struct wi_findings *f, const struct wi_live_pod *pod,
	const struct wi_line_col *at, const char *key, const char *expected, const char *actual,
	const char *owner, const char *command, const char *what)
{
	struct wi_finding fd = {.problem = "restart-needed", .kind = "Pod",
		.namespace = pod->namespace, .name = pod->name, .key = key, .expected = expected,
		.actual = actual, .command = command};

	wi_error_set(&fd.error, at->line, at->column, "Pod %s%s%s: %s; restart %s%s%s", pod->namespace
		? pod->namespace : "", pod->namespace ? "/" : "", pod->name ? pod->name : "(unnamed)",
		what, owner, command ? ": " : "", command ? command : "");
	wi_findings_emit(f, &fd);
}

/* A value the webhook set from the ServiceAccount: present, and the one expected. */
static void live_value(struct wi_findings *f, const struct wi_live_pod *pod,
	const struct wi_live_container *c, int k, bool required, const char *owner,
	const char *command)
{
	const char *want = pod->expected[k];
	char what[700];

	if (c->has[k] && c->env[k] && (!want || strcmp(c->env[k], want) == 0))
		return;
	if (!c->has[k] && !required && !want)
		return;
	if (!c->has[k] || !c->env[k])
		snprintf(what, sizeof(what), "container %s has no %s%s%s%s", c->name ? c->name : "(unnamed)",
			wi_env_names[k], want ? " (expected \"" : "", want ? want : "", want ? "\")" : "");
	else
		snprintf(what, sizeof(what), "container %s has %s=\"%s\", expected \"%s\": the pod "
			"was created with an earlier identity", c->name ? c->name : "(unnamed)",
			wi_env_names[k], c->env[k], want);
	restart_needed(f, pod, c->has[k] ? &c->env_at[k] : &c->at, wi_env_names[k], want,
		c->env[k], owner, command, what);
}

void wi_check_live_pod(struct wi_findings *f, const struct wi_live_pod *pod, const char *owner,
	const char *command)
{
	bool volume_reported = false;

	for (size_t i = 0; i < pod->n_containers; i++) {
		const struct wi_live_container *c = &pod->containers[i];
		const char *cname = c->name ? c->name : "(unnamed)";
		char what[600];

		if (pod->azure) {
			if (!c->has[WI_ENV_AZURE_TOKEN_FILE]) {
				snprintf(what, sizeof(what), "container %s has no %s: the Azure webhook "
					"did not mutate the pod (it was created before its label or its "
					"ServiceAccount's annotation)", cname,
					wi_env_names[WI_ENV_AZURE_TOKEN_FILE]);
				restart_needed(f, pod, &c->at, wi_env_names[WI_ENV_AZURE_TOKEN_FILE],
					AZURE_TOKEN_FILE, NULL, owner, command, what);
			} else {
				if (!pod->azure_volume && !volume_reported) {
					volume_reported = true;
					restart_needed(f, pod, &pod->at, AZURE_TOKEN_VOLUME, NULL, NULL, owner,
						command, "it has no projected volume " AZURE_TOKEN_VOLUME
						", which " "AZURE_FEDERATED_TOKEN_FILE names");
				}
				live_value(f, pod, c, WI_ENV_AZURE_CLIENT_ID, true, owner, command);
				live_value(f, pod, c, WI_ENV_AZURE_TENANT_ID, false, owner, command);
			}
		}
		if (pod->aws) {
			if (!c->has[WI_ENV_AWS_TOKEN_FILE]) {
				snprintf(what, sizeof(what), "container %s has no %s: the EKS webhook "
					"did not mutate the pod (it was created before its ServiceAccount's "
					"annotation)", cname, wi_env_names[WI_ENV_AWS_TOKEN_FILE]);
				restart_needed(f, pod, &c->at, wi_env_names[WI_ENV_AWS_TOKEN_FILE], NULL,
					NULL, owner, command, what);
			} else {
				live_value(f, pod, c, WI_ENV_AWS_ROLE_ARN, true, owner, command);
			}
		}
	}
}
