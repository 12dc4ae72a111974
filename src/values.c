/* The Spaces chart values that do what the identities do. */
#include "values.h"

#include <limits.h>
#include <string.h>
#include <yaml.h>

/* Fixed caps, so that rendering needs no allocation. Each must hold everything that
 * several identities can merge onto one component: each key once (add_kv keeps the
 * first), so at most every ServiceAccount key of every provider, and the one pod
 * label. */
#define MAX_ANNOTATIONS 16
#define MAX_LABELS 4
#define MAX_COMPONENTS 8
#define COUNT_KEYS(...) (sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *))
_Static_assert(COUNT_KEYS(WI_AZURE_CLIENT_ID, WI_AZURE_TENANT_ID, WI_AZURE_TOKEN_EXPIRATION,
		       WI_AWS_ROLE_ARN, WI_AWS_AUDIENCE, WI_AWS_STS_REGIONAL,
		       WI_AWS_TOKEN_EXPIRATION, WI_GCP_SERVICE_ACCOUNT) <= MAX_ANNOTATIONS,
	"MAX_ANNOTATIONS cannot hold every ServiceAccount key");
_Static_assert(COUNT_KEYS(WI_AZURE_USE) <= MAX_LABELS, "MAX_LABELS cannot hold every pod label");
/* struct wi_identity keeps the components asked for as bits of an unsigned. */
_Static_assert(MAX_COMPONENTS <= sizeof(unsigned) * CHAR_BIT,
	"more components than struct wi_identity's bit set holds");

/* What one component gets, merged over the identities that name it. */
struct component_values {
	const struct wi_kv *annotations[MAX_ANNOTATIONS];
	size_t n_annotations;
	const struct wi_kv *labels[MAX_LABELS];
	size_t n_labels;
};

/* Adds kv unless its key is there. Returns 0, or 1 with *had pointing at the pair
 * already there when it holds another value: the chart's values are one setting
 * for every control plane, so two identities that want one key set differently
 * (even in disjoint namespaces, which the post-renderer honours) cannot both be
 * had. Returns -1 when the list is full: a key the caps above did not foresee,
 * which must fail loudly rather than drop a setting from the printed values. */
static int add_kv(const struct wi_kv **list, size_t *n, size_t cap, const struct wi_kv *kv,
	const struct wi_kv **had)
{
	if (!kv->value)
		return 0;
	for (size_t i = 0; i < *n; i++) {
		if (strcmp(list[i]->key, kv->key) != 0)
			continue;
		if (strcmp(list[i]->value, kv->value) == 0)
			return 0;
		*had = list[i];
		return 1;
	}
	if (*n == cap)
		return -1;
	list[(*n)++] = kv;
	return 0;
}

/* Why a component's values cannot be written: the key, the two values. */
static int conflict(struct wi_buf *notes, const char *what, const struct wi_component *c,
	const struct wi_kv *had, const struct wi_kv *kv)
{
	wi_buf_clear(notes);
	wi_buf_printf(notes, "two identities set %s %s of the %s component differently (\"%s\" "
		"and \"%s\"), but controlPlanes.%s holds one setting for every control plane\n",
		what, kv->key, c->name, had->value, kv->value, c->values_key);
	return 1;
}

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
	wi_buf_append(data, buffer, size);
	return 1;
}

static int scalar(yaml_emitter_t *em, const char *s, yaml_scalar_style_t style)
{
	yaml_event_t ev;

	yaml_scalar_event_initialize(&ev, NULL, NULL, (const yaml_char_t *)s, (int)strlen(s), 1,
		1, style);
	return yaml_emitter_emit(em, &ev);
}

static int map_start(yaml_emitter_t *em)
{
	yaml_event_t ev;

	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	return yaml_emitter_emit(em, &ev);
}

static int map_end(yaml_emitter_t *em)
{
	yaml_event_t ev;

	yaml_mapping_end_event_initialize(&ev);
	return yaml_emitter_emit(em, &ev);
}

/* key: {k: "v", ...} in block style. */
static int kv_map(yaml_emitter_t *em, const char *key, const struct wi_kv *const *kvs, size_t n)
{
	if (!scalar(em, key, YAML_PLAIN_SCALAR_STYLE) || !map_start(em))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!scalar(em, kvs[i]->key, YAML_PLAIN_SCALAR_STYLE) ||
		    !scalar(em, kvs[i]->value, YAML_DOUBLE_QUOTED_SCALAR_STYLE))
			return 0;
	return map_end(em);
}

static int emit_yaml(const struct component_values *cv, struct wi_buf *out)
{
	yaml_emitter_t em;
	yaml_event_t ev;
	int ok;

	if (!yaml_emitter_initialize(&em))
		return -1;
	yaml_emitter_set_output(&em, write_handler, out);
	yaml_emitter_set_indent(&em, 2);
	yaml_emitter_set_unicode(&em, 1);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	ok = yaml_emitter_emit(&em, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	ok = ok && yaml_emitter_emit(&em, &ev) && map_start(&em) &&
	     scalar(&em, "controlPlanes", YAML_PLAIN_SCALAR_STYLE) && map_start(&em);
	for (size_t c = 0; ok && c < wi_n_components; c++) {
		if (!cv[c].n_annotations && !cv[c].n_labels)
			continue;
		ok = scalar(&em, wi_components[c].values_key, YAML_PLAIN_SCALAR_STYLE) && map_start(&em);
		if (ok && cv[c].n_annotations)
			ok = scalar(&em, "serviceAccount", YAML_PLAIN_SCALAR_STYLE) && map_start(&em) &&
			     kv_map(&em, wi_components[c].annotations_key, cv[c].annotations,
				     cv[c].n_annotations) &&
			     map_end(&em);
		if (ok && cv[c].n_labels)
			ok = scalar(&em, "pod", YAML_PLAIN_SCALAR_STYLE) && map_start(&em) &&
			     kv_map(&em, "customLabels", cv[c].labels, cv[c].n_labels) && map_end(&em);
		ok = ok && map_end(&em);
	}
	ok = ok && map_end(&em) && map_end(&em);
	yaml_document_end_event_initialize(&ev, 1);
	ok = ok && yaml_emitter_emit(&em, &ev);
	yaml_stream_end_event_initialize(&ev);
	ok = ok && yaml_emitter_emit(&em, &ev) && yaml_emitter_flush(&em);
	yaml_emitter_delete(&em);
	return ok ? 0 : -1;
}

/* Appends s for Helm's --set parser, inside shell single quotes: Helm splits at
 * `special` characters unless escaped with a backslash, and the shell ends the
 * quoting at a single quote. */
static void set_escaped(struct wi_buf *b, const char *s, const char *special)
{
	for (; *s; s++) {
		if (*s == '\'')
			wi_buf_puts(b, "'\\''");
		else if (strchr(special, *s))
			wi_buf_putc(b, '\\'), wi_buf_putc(b, *s);
		else
			wi_buf_putc(b, *s);
	}
}

/* A key splits at dots and commas, a value at commas. */
static void set_arg(struct wi_buf *b, const char *path, const struct wi_kv *kv)
{
	wi_buf_printf(b, "--set-string '%s.", path);
	set_escaped(b, kv->key, ".,=\\");
	wi_buf_putc(b, '=');
	set_escaped(b, kv->value, ",\\");
	wi_buf_puts(b, "'\n");
}

int wi_values_render(const struct wi_identity *ids, size_t n, struct wi_buf *yaml,
	struct wi_buf *set_args, struct wi_buf *notes)
{
	struct component_values cv[MAX_COMPONENTS] = {{{0}, 0, {0}, 0}};
	bool any = false, filtered = false;

	if (wi_n_components > MAX_COMPONENTS)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct wi_identity *id = &ids[i];

		filtered = filtered || id->n_namespaces;
		for (size_t s = 0; s < id->n_service_accounts; s++) {
			size_t c;

			for (c = 0; c < wi_n_components; c++)
				if (strcmp(wi_components[c].service_account, id->service_accounts[s]) == 0)
					break;
			if (c == wi_n_components) {
				wi_buf_printf(notes, "ServiceAccount %s is no Spaces component: the "
					"chart has no value for it\n", id->service_accounts[s]);
				continue;
			}
			for (size_t k = 0; k < id->n_sa_annotations; k++) {
				const struct wi_kv *kv = &id->sa_annotations[k], *had = NULL;
				int added = add_kv(cv[c].annotations, &cv[c].n_annotations,
					MAX_ANNOTATIONS, kv, &had);

				if (added < 0)
					return -1;
				if (added > 0)
					return conflict(notes, "the ServiceAccount annotation",
						&wi_components[c], had, kv);
			}
			for (size_t k = 0; k < id->n_pod_labels; k++) {
				const struct wi_kv *kv = &id->pod_labels[k], *had = NULL;
				int added = add_kv(cv[c].labels, &cv[c].n_labels, MAX_LABELS, kv, &had);

				if (added < 0)
					return -1;
				if (added > 0)
					return conflict(notes, "the pod label", &wi_components[c], had, kv);
			}
			any = any || cv[c].n_annotations || cv[c].n_labels;
		}
	}
	if (filtered)
		wi_buf_puts(notes, "the values apply to every control plane: a namespace filter "
				   "cannot be expressed\n");
	if (any)
		wi_buf_puts(notes, "the chart has no pod-annotation value, so nothing rolls the "
				   "pods: run 'kubectl rollout restart' after changing the identity\n");
	for (size_t c = 0; c < wi_n_components; c++) {
		char path[128];

		/* A truncated path would print a --set-string for another value. */
		if (snprintf(path, sizeof(path), "controlPlanes.%s.serviceAccount.%s",
			    wi_components[c].values_key, wi_components[c].annotations_key) >=
		    (int)sizeof(path))
			return -1;
		for (size_t k = 0; k < cv[c].n_annotations; k++)
			set_arg(set_args, path, cv[c].annotations[k]);
		if (snprintf(path, sizeof(path), "controlPlanes.%s.pod.customLabels",
			    wi_components[c].values_key) >= (int)sizeof(path))
			return -1;
		for (size_t k = 0; k < cv[c].n_labels; k++)
			set_arg(set_args, path, cv[c].labels[k]);
	}
	return any ? emit_yaml(cv, yaml) : 0;
}
