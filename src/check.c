/* --check: what is there, judged against what the webhooks need. */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void wi_check_finding(struct wi_findings *f, const struct wi_object *o, const struct wi_pos *pos,
	const char *fmt, ...)
{
	struct wi_error e = {0};
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (o) {
		char name[300];

		wi_object_name(o, name, sizeof(name));
		wi_error_set(&e, pos->line + 1 + f->line_base, pos->column + 1, "%s: %s", name, what);
	} else {
		wi_error_set(&e, pos->line + 1 + f->line_base, pos->column + 1, "%s", what);
	}
	(*f->count)++;
	if (f->emit)
		f->emit(f->ctx, &e);
}

/* The most precise place to point at for a missing key: the map, or its parents. */
static const struct wi_pos *missing_at(const struct wi_object *o, int pod, int at)
{
	if (o->sites[WI_SITE(pod, at)].shape != WI_ABSENT)
		return &o->sites[WI_SITE(pod, at)].key;
	if (o->sites[WI_SITE(pod, WI_AT_META)].shape != WI_ABSENT)
		return &o->sites[WI_SITE(pod, WI_AT_META)].key;
	return &o->sites[WI_SITE(pod, WI_AT_MAP)].key;
}

/* Present, a string, well-formed, and the wanted value if one is known. */
static void check_value(struct wi_findings *f, const struct wi_object *o, const struct wi_entry *e,
	const char *what, const char *want)
{
	const char *bad;

	if (e->shape != WI_SCALAR && !(e->shape == WI_ALIAS && e->value)) {
		wi_check_finding(f, o, &e->start, "%s %s is not a scalar", what, e->key);
		return;
	}
	if (!e->is_string) {
		wi_check_finding(f, o, &e->start, "%s %s: %s is not a string (write \"%s\")", what, e->key,
			e->value, e->value);
		return;
	}
	bad = wi_identity_bad_value(e->key, e->value);
	if (bad)
		wi_check_finding(f, o, &e->start, "%s %s: \"%s\" %s", what, e->key, e->value, bad);
	else if (want && strcmp(want, e->value) != 0)
		wi_check_finding(f, o, &e->start, "%s %s is \"%s\", expected \"%s\"", what, e->key, e->value,
			want);
}

void wi_check_service_account(struct wi_findings *f, const struct wi_doc *doc, size_t obj,
	const struct wi_want *wants, size_t n)
{
	const struct wi_object *o = &doc->objects[obj];
	const struct wi_entry *e;
	const int annotations = WI_SITE(WI_POD_SELF, WI_AT_ANNOTATIONS);

	for (size_t i = 0; i < n; i++) {
		e = wi_doc_entry(doc, obj, annotations, wants[i].key);
		if (!e)
			wi_check_finding(f, o, missing_at(o, WI_POD_SELF, WI_AT_ANNOTATIONS),
				"annotation %s is missing", wants[i].key);
		else
			check_value(f, o, e, "annotation", wants[i].value);
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
	if (e)
		wi_check_finding(f, o, &e->start, "label %s on a ServiceAccount does nothing: it belongs "
					   "on the pod template", WI_AZURE_USE);
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

		e = wi_doc_entry(doc, obj, WI_SITE(pod, WI_AT_LABELS), labels[i].key);
		if (e)
			check_value(f, o, e, "pod label", labels[i].value);
		else if (in_selector || on_workload)
			wi_check_finding(f, o, &(in_selector ? in_selector : on_workload)->start,
				"label %s is only %s, not on the pod template: the webhook "
				"never sees it", labels[i].key,
				in_selector ? "in spec.selector" : "on the workload itself");
		else
			wi_check_finding(f, o, missing_at(o, pod, WI_AT_LABELS),
				"pod label %s is missing", labels[i].key);
		if (in_selector)
			wi_check_finding(f, o, &in_selector->start,
				"label %s in spec.selector: the selector is immutable, so "
				"changing it later fails every upgrade", labels[i].key);
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
			if (expiration_on_pod)
				check_value(f, o, e, "pod annotation", NULL);
			else
				wi_check_finding(f, o, &e->start, "annotation %s on the %s does nothing: "
					"it belongs on ServiceAccount %s", *k,
					i == 0 && pod != WI_POD_SELF ? "pod template" : "workload",
					service_account);
		}
	}
}
