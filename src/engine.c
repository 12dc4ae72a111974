/* The core: one unit of documents in, the same bytes with identities wired out. */
#include "engine.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "check.h"
#include "depth.h"
#include "edit.h"
#include "kinds.h"
#include "locate.h"
#include "live.h"
#include "splice.h"
#include "strset.h"
#include "text.h"

/* Namespaces remembered for the "nothing matched" message; more adds nothing. */
#define MAX_NAMESPACES 256
#define NAMESPACE_SLOTS 512 /* twice as many: the table never fills */

struct wi_engine {
	struct wi_engine_config config;
	struct wi_locator *locator;
	const char **keys; /* NULL-terminated; strings borrowed from the identities */
	struct wi_plan plan;
	struct wi_piece *pieces; /* the output of the last unit */
	size_t cap_pieces;
	struct wi_stats stats;
	size_t line_base; /* lines in the units before this one */
	size_t document;  /* index of the next document in the stream */
	struct wi_want *wants; /* what the identities want of the current object */
	size_t cap_wants;
	struct wi_findings findings;
	char checksum[17];
	/* --check: ServiceAccounts seen, and those workloads run as ("ns/name"), with
	 * where the first such workload starts (lines counted over the stream): in the
	 * order first met, and hashed, as there is one per control plane. */
	struct wi_strset seen_sas, used_set;
	char **used_sas; /* borrowed from used_set */
	size_t n_used_sas, cap_used_sas;
	struct wi_pos *used_at;
	size_t cap_used_at;
	unsigned short ns_slots[NAMESPACE_SLOTS]; /* 1 + index into stats.namespaces; 0: free */
	const struct wi_identity **match_ids; /* the identities of the current match */
	size_t cap_match_ids;
	struct wi_strset *subjects; /* per identity: "ns/name" of the ServiceAccounts it applies to */
	struct wi_live *live; /* check mode: what is judged at the end */
};

/* Adds "ns/name" of a ServiceAccount pods run as; returns its index in the order
 * first met, or -1 when it was there already. */
static long remember_used(struct wi_engine *e, const char *ns, const char *name)
{
	char *key = wi_strset_key(ns, name, NULL);

	if (wi_strset_has(&e->used_set, key)) {
		free(key);
		return -1;
	}
	e->used_sas = wi_grow(e->used_sas, &e->cap_used_sas, e->n_used_sas + 1,
		sizeof(*e->used_sas));
	e->used_sas[e->n_used_sas] = key;
	wi_strset_take(&e->used_set, key);
	return (long)e->n_used_sas++;
}

static void add_key(const char ***keys, size_t *n, const char *key)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*keys)[i], key) == 0)
			return;
	*keys = wi_xrealloc(*keys, (*n + 2) * sizeof(**keys));
	(*keys)[(*n)++] = key;
	(*keys)[*n] = NULL;
}

struct wi_engine *wi_engine_create(const struct wi_engine_config *config)
{
	struct wi_engine *e = wi_xcalloc(1, sizeof(*e));
	size_t n = 0;

	e->config = *config;
	e->findings.emit = config->on_finding;
	e->findings.ctx = config->ctx;
	e->findings.count = &e->stats.findings;
	e->keys = wi_xcalloc(1, sizeof(*e->keys));
	add_key(&e->keys, &n, WI_CHECKSUM_ANNOTATION);
	if (config->check) {
		/* Check mode looks for every provider's keys, to find them misplaced. */
		for (const char *const *k = wi_identity_sa_keys; *k; k++)
			add_key(&e->keys, &n, *k);
		add_key(&e->keys, &n, WI_AZURE_USE);
	}
	for (size_t i = 0; i < config->n_identities; i++) {
		const struct wi_identity *id = &config->identities[i];

		for (size_t j = 0; j < id->n_sa_annotations; j++)
			add_key(&e->keys, &n, id->sa_annotations[j].key);
		for (size_t j = 0; j < id->n_pod_labels; j++)
			add_key(&e->keys, &n, id->pod_labels[j].key);
	}
	e->locator = wi_locator_create(e->keys);
	e->subjects = wi_xcalloc(config->n_identities + 1, sizeof(*e->subjects));
	if (config->check)
		e->live = wi_live_create();
	return e;
}

void wi_engine_destroy(struct wi_engine *e)
{
	if (!e)
		return;
	wi_locator_destroy(e->locator);
	wi_splice_release(&e->plan);
	free(e->pieces);
	for (size_t i = 0; i < e->stats.n_namespaces; i++)
		free(e->stats.namespaces[i]);
	free(e->stats.namespaces);
	free(e->keys);
	free(e->wants);
	wi_strset_release(&e->seen_sas);
	wi_strset_release(&e->used_set);
	free(e->used_sas);
	free(e->used_at);
	free(e->match_ids);
	for (size_t i = 0; i < e->config.n_identities; i++)
		wi_strset_release(&e->subjects[i]);
	free(e->subjects);
	wi_live_destroy(e->live);
	free(e);
}

const struct wi_stats *wi_engine_stats(const struct wi_engine *e)
{
	return &e->stats;
}


/* Remembers a namespace for the "nothing matched" message. Every object passes
 * here, so lookups go through a small open-addressing table of indices. */
static void note_namespace(struct wi_engine *e, const char *ns)
{
	struct wi_stats *s = &e->stats;
	size_t slot;

	if (!ns) {
		s->unnamespaced = true;
		return;
	}
	for (slot = wi_fnv1a(WI_FNV_OFFSET, ns) % NAMESPACE_SLOTS; e->ns_slots[slot];
	     slot = (slot + 1) % NAMESPACE_SLOTS)
		if (strcmp(s->namespaces[e->ns_slots[slot] - 1], ns) == 0)
			return;
	if (s->n_namespaces == MAX_NAMESPACES) {
		s->more_namespaces = true;
		return;
	}
	s->namespaces = wi_xrealloc(s->namespaces, (s->n_namespaces + 1) * sizeof(char *));
	s->namespaces[s->n_namespaces++] = wi_xstrdup(ns);
	e->ns_slots[slot] = (unsigned short)s->n_namespaces;
}

static void set_error(struct wi_error *err, const struct wi_pos *pos, const char *what,
	const struct wi_object *o)
{
	struct wi_line_col at = pos ? wi_pos_line_col(pos, 0)
				    : (struct wi_line_col){err->line, err->column};
	char name[300];

	wi_object_name(o, name, sizeof(name));
	wi_error_set(err, at.line, at.column, "%s: %s", name, what);
}

/* Names the object in a message the editor wrote. */
static int name_object(struct wi_error *err, const struct wi_object *o)
{
	char what[sizeof(err->message)];

	memcpy(what, err->message, sizeof(what));
	set_error(err, NULL, what, o);
	return -1;
}

/* A merge key (<<) in the map at `site` brings in whatever key the map lacks:
 * refused when the key it may bring is one the tool must read (`present`: the map
 * has it itself, and its own key wins over a merged one). */
static int merge_may_bring(const struct wi_site *site, bool present, const char *what,
	const struct wi_object *o, struct wi_error *err)
{
	char msg[96];

	if (!site->has_merge || present)
		return 0;
	snprintf(msg, sizeof(msg), "a merge key (<<) may bring in the %s; expand it", what);
	set_error(err, &site->key, msg, o);
	return -1;
}

/* Whether some identity is for a ServiceAccount of this name, in any namespace. */
static bool wanted_account(const struct wi_engine *e, const char *sa)
{
	for (size_t i = 0; i < e->config.n_identities; i++)
		if (wi_identity_matches_sa(&e->config.identities[i], sa))
			return true;
	return false;
}

/* Whether identity id applies to the object and sets key. */
static bool has_key(const struct wi_identity *id, const char *sa, const char *ns, bool for_pods,
	const char *key)
{
	const struct wi_kv *kvs = for_pods ? id->pod_labels : id->sa_annotations;
	size_t n_kvs = for_pods ? id->n_pod_labels : id->n_sa_annotations;

	if (!wi_identity_matches_sa(id, sa) || !wi_identity_matches_ns(id, ns))
		return false;
	for (size_t j = 0; j < n_kvs; j++)
		if (strcmp(kvs[j].key, key) == 0)
			return true;
	return false;
}

/* The pairs every identity that applies wants set (ServiceAccount annotations or
 * pod labels); two identities wanting one key set to different values is an error,
 * not a coin toss. Returns the first identity that applies, or NULL; -1 in *n_out
 * on a conflict, with *err set. */
static const struct wi_identity *collect_wants(struct wi_engine *e, const struct wi_object *o,
	const char *sa, bool for_pods, size_t *n_out, struct wi_error *err)
{
	const char *ns = o->scalars[WI_SC_NAMESPACE].value;
	const struct wi_identity *first = NULL;
	size_t n = 0;

	*n_out = 0;
	for (size_t i = 0; i < e->config.n_identities; i++) {
		const struct wi_identity *id = &e->config.identities[i];
		const struct wi_kv *kvs = for_pods ? id->pod_labels : id->sa_annotations;
		size_t n_kvs = for_pods ? id->n_pod_labels : id->n_sa_annotations;

		if (!wi_identity_matches_sa(id, sa) || !wi_identity_matches_ns(id, ns))
			continue;
		if (!first)
			first = id;
		for (size_t j = 0; j < n_kvs; j++) {
			size_t k;

			for (k = 0; k < n && strcmp(e->wants[k].key, kvs[j].key) != 0; k++)
				;
			if (k == n) {
				e->wants = wi_grow(e->wants, &e->cap_wants, n + 1, sizeof(*e->wants));
				e->wants[n].key = kvs[j].key;
				e->wants[n].value = kvs[j].value;
				n++;
			} else if (!e->wants[k].value != !kvs[j].value ||
				   (kvs[j].value && strcmp(e->wants[k].value, kvs[j].value) != 0)) {
				char what[400];
				size_t before = 0; /* the identity whose value came first */

				while (before < i && !has_key(&e->config.identities[before], sa, ns,
							     for_pods, kvs[j].key))
					before++;
				/* Several identities only come from a config: name them as it does. */
				snprintf(what, sizeof(what), "identities[%zu] and identities[%zu] set %s "
					"differently (\"%s\" and \"%s\")", before, i, kvs[j].key,
					e->wants[k].value ? e->wants[k].value : "any value",
					kvs[j].value ? kvs[j].value : "any value");
				set_error(err, &o->sites[WI_SITE(WI_POD_SELF, WI_AT_MAP)].start, what, o);
				*n_out = (size_t)-1;
				return NULL;
			}
		}
	}
	*n_out = n;
	return first;
}

/* A stable digest of the settings that apply to a pod: each key and value, each
 * followed by a 0xff byte (never in UTF-8). It only has to change when they do,
 * so nothing cryptographic is called for. */
static void digest_settings(struct wi_engine *e, const struct wi_object *o, const char *sa)
{
	const char *ns = o->scalars[WI_SC_NAMESPACE].value;
	uint64_t h = WI_FNV_OFFSET;

	for (size_t i = 0; i < e->config.n_identities; i++) {
		const struct wi_identity *id = &e->config.identities[i];
		const struct wi_kv *lists[2] = {id->sa_annotations, id->pod_labels};
		size_t counts[2] = {id->n_sa_annotations, id->n_pod_labels};

		if (!wi_identity_matches_sa(id, sa) || !wi_identity_matches_ns(id, ns))
			continue;
		for (size_t l = 0; l < 2; l++) {
			for (size_t j = 0; j < counts[l]; j++) {
				const char *parts[2] = {lists[l][j].key, lists[l][j].value};

				for (size_t p = 0; p < 2; p++)
					h = wi_fnv1a(wi_fnv1a(h, parts[p]), "\xff");
			}
		}
	}
	snprintf(e->checksum, sizeof(e->checksum), "%016llx", (unsigned long long)h);
}

/* Tells on_match of an object the identities apply to; also notes the subjects
 * each identity must trust, for the cloud limits. */
static size_t report_match(struct wi_engine *e, const struct wi_object *o, const char *sa,
	const struct wi_identity *id)
{
	const char *ns = o->scalars[WI_SC_NAMESPACE].value;
	bool is_sa = strcmp(o->scalars[WI_SC_KIND].value, "ServiceAccount") == 0;
	struct wi_match m = {
		.document = e->document,
		.line = wi_pos_line_col(&o->sites[WI_SITE(WI_POD_SELF, WI_AT_MAP)].start,
			e->line_base).line,
		.kind = o->scalars[WI_SC_KIND].value,
		.namespace = ns,
		.name = o->scalars[WI_SC_NAME].value,
		.service_account = sa,
		.identity = id,
	};

	for (size_t i = 0; i < e->config.n_identities; i++) {
		const struct wi_identity *each = &e->config.identities[i];

		if (!wi_identity_matches_sa(each, sa) || !wi_identity_matches_ns(each, ns))
			continue;
		e->match_ids = wi_grow(e->match_ids, &e->cap_match_ids, m.n_identities + 1,
			sizeof(*e->match_ids));
		e->match_ids[m.n_identities++] = each;
		/* Without a namespace the subject depends on the release's, unseen here. */
		if (is_sa && ns)
			wi_strset_take(&e->subjects[i], wi_strset_key(ns, sa, NULL));
	}
	m.identities = e->match_ids;
	if (e->config.on_match)
		e->config.on_match(e->config.ctx, &m);
	return m.n_identities;
}

static void report_changes(struct wi_engine *e, const struct wi_object *o,
	const struct wi_want *wants, size_t n, const char *where)
{
	struct wi_change c = {
		.document = e->document,
		.line = wi_pos_line_col(&o->sites[WI_SITE(WI_POD_SELF, WI_AT_MAP)].start,
			e->line_base).line,
		.kind = o->scalars[WI_SC_KIND].value,
		.namespace = o->scalars[WI_SC_NAMESPACE].value,
		.name = o->scalars[WI_SC_NAME].value,
		.where = where,
	};

	for (size_t i = 0; i < n; i++) {
		if (wants[i].action == WI_KEEP)
			continue;
		e->stats.changes++;
		if (!e->config.on_change)
			continue;
		c.key = wants[i].key;
		c.old_value = wants[i].old;
		c.new_value = wants[i].value;
		e->config.on_change(e->config.ctx, &c);
	}
}

/* The ServiceAccount a workload's pods run as. Returns 1 with *sa set, 0 when the
 * object describes no pods, -1 with *err set when an alias or a merge key may hide
 * the pod spec or its ServiceAccount. */
static int pod_service_account(const struct wi_object *o, int pod, const char **sa,
	struct wi_error *err)
{
	const struct wi_scalar *name = &o->scalars[WI_SC_SA(pod)];
	const struct wi_scalar *legacy = &o->scalars[WI_SC_SA_LEGACY(pod)];

	/* The maps from the object down to its pod spec. */
	for (const struct wi_step *step = wi_pod_paths[pod]; step->to >= 0; step++) {
		const struct wi_site *site = &o->sites[step->to];
		int next = step[1].to;
		bool present = next >= 0 ? o->sites[next].shape != WI_ABSENT : name->seen || legacy->seen;

		if (site->shape == WI_ALIAS) {
			set_error(err, &site->key, "the pod spec is behind an alias, which hides its "
						   "ServiceAccount; expand the alias", o);
			return -1;
		}
		if (merge_may_bring(site, present, "pod's ServiceAccount", o, err))
			return -1;
	}
	if (pod != WI_POD_SELF && o->sites[WI_SITE(pod, WI_AT_MAP)].shape == WI_ABSENT)
		return 0;
	/* As the API server reads a pod: the deprecated serviceAccount counts when
	 * serviceAccountName is empty; with neither, pods run as "default". */
	*sa = name->value && *name->value ? name->value : legacy->value;
	if (!*sa || !**sa)
		*sa = "default";
	return 1;
}

/* The object's name and namespace, unless a merge key may bring them in: the
 * metadata itself, from the object's top level, or either key, from inside it.
 * The namespace only matters when the object is for an identity. */
static int merged_metadata(const struct wi_engine *e, const struct wi_object *o,
	const char *account, struct wi_error *err)
{
	const struct wi_site *meta = &o->sites[WI_SITE(WI_POD_SELF, WI_AT_META)];

	if (merge_may_bring(&o->sites[WI_SITE(WI_POD_SELF, WI_AT_MAP)], meta->shape != WI_ABSENT,
		    "metadata", o, err))
		return -1;
	/* Metadata through an alias is another node's: its name and namespace are
	 * read through it only where the locator could (see wi_anchor.read), and an
	 * edit inside it would reach that node too (the editor refuses). */
	if (!account) {
		if (meta->shape == WI_ALIAS && !meta->read_through) {
			set_error(err, &meta->start, "metadata is an alias, which hides the name "
				"wi-inject matches on; expand the alias", o);
			return -1;
		}
		return merge_may_bring(meta, o->scalars[WI_SC_NAME].seen, "name", o, err);
	}
	if (!wanted_account(e, account))
		return 0;
	if (meta->shape == WI_ALIAS && !meta->read_through) {
		set_error(err, &meta->start, "metadata is an alias, which hides the namespace "
			"wi-inject matches on; expand the alias", o);
		return -1;
	}
	return merge_may_bring(meta, o->scalars[WI_SC_NAMESPACE].seen, "namespace", o, err);
}

/* The wanted keys of map `at` of pod-shaped map `pod` that wi-inject cannot judge:
 * a value tagged !!binary, whose meaning only Kubernetes decodes; and, for --check
 * (an edit refuses to write into one), a key not found where the map or its
 * metadata is an alias, which is not read through and may hold it. */
static int hidden_wants(const struct wi_doc *doc, size_t obj, int pod, int at,
	const struct wi_want *wants, size_t n, bool check, struct wi_error *err)
{
	const struct wi_object *o = &doc->objects[obj];
	const struct wi_site *meta = &o->sites[WI_SITE(pod, WI_AT_META)];
	const struct wi_site *map = &o->sites[WI_SITE(pod, at)];

	for (size_t i = 0; i < n; i++) {
		const struct wi_entry *found = wi_doc_entry(doc, obj, WI_SITE(pod, at), wants[i].key);
		char what[400];

		if (found && found->binary) {
			struct wi_veil v = {WI_VEIL_VALUE, found->start, found->key, "!!binary"};

			wi_veil_message(&v, what, sizeof(what));
			set_error(err, &found->start, what, o);
			return -1;
		}
		if (found || !check || (meta->shape != WI_ALIAS && map->shape != WI_ALIAS))
			continue;
		snprintf(what, sizeof(what), "%s%s an alias, which may hide %s; expand the alias",
			pod == WI_POD_SELF ? "" : "the pod template's ",
			meta->shape == WI_ALIAS ? "metadata is" : at == WI_AT_LABELS ? "labels are"
			: "annotations are", wants[i].key);
		set_error(err, meta->shape == WI_ALIAS ? &meta->start : &map->start, what, o);
		return -1;
	}
	return 0;
}

/* Refuses an object in which a veil (see locate.h) may hide what decides whether
 * it is one to wire, or a value the tool judges. */
static int veiled(const struct wi_object *o, enum wi_veil_scope scope, struct wi_error *err)
{
	char what[300];

	if (o->veil.scope != scope)
		return 0;
	wi_veil_message(&o->veil, what, sizeof(what));
	set_error(err, &o->veil.pos, what, o);
	return -1;
}

static int process_service_account(struct wi_engine *e, const struct wi_text *text,
	const struct wi_doc *doc, size_t obj, struct wi_error *err)
{
	const struct wi_object *o = &doc->objects[obj];
	const char *name = o->scalars[WI_SC_NAME].value;
	const struct wi_identity *id;
	struct wi_edit_group group = {WI_AT_ANNOTATIONS, NULL, 0};

	if (merged_metadata(e, o, NULL, err) || veiled(o, WI_VEIL_VALUE, err))
		return -1;
	if (!name)
		return 0;
	if (merged_metadata(e, o, name, err))
		return -1;
	id = collect_wants(e, o, name, false, &group.n, err);
	if (group.n == (size_t)-1)
		return -1;
	if (!id)
		return 0;
	group.wants = e->wants;
	e->stats.service_accounts++;
	report_match(e, o, name, id);
	if (hidden_wants(doc, obj, WI_POD_SELF, WI_AT_ANNOTATIONS, group.wants, group.n,
		    e->config.check, err))
		return -1;
	if (e->config.check) {
		wi_strset_take(&e->seen_sas, wi_strset_key(o->scalars[WI_SC_NAMESPACE].value, name,
			NULL));
		wi_live_note_service_account(e->live, doc, obj);
		wi_check_service_account(&e->findings, doc, obj, group.wants, group.n);
		return 0;
	}
	if (wi_edit_set(&e->plan, text, doc, obj, WI_POD_SELF, &group, 1, err))
		return name_object(err, o);
	report_changes(e, o, group.wants, group.n, NULL);
	return 0;
}

static int process_workload(struct wi_engine *e, const struct wi_text *text,
	const struct wi_doc *doc, size_t obj, const struct wi_kind *w, struct wi_error *err)
{
	int pod = w->pod;
	const struct wi_object *o = &doc->objects[obj];
	const char *sa = NULL;
	const struct wi_identity *id;
	struct wi_want checksum = {WI_CHECKSUM_ANNOTATION, e->checksum, WI_ADD, NULL};
	struct wi_edit_group groups[2] = {{WI_AT_LABELS, NULL, 0}, {WI_AT_ANNOTATIONS, &checksum, 0}};
	int found = veiled(o, WI_VEIL_VALUE, err) ? -1 : pod_service_account(o, pod, &sa, err);
	size_t n_ids;

	if (found <= 0)
		return found;
	if (merged_metadata(e, o, sa, err))
		return -1;
	id = collect_wants(e, o, sa, true, &groups[0].n, err);
	if (groups[0].n == (size_t)-1)
		return -1;
	if (!id)
		return 0;
	groups[0].wants = e->wants;
	e->stats.workloads++;
	n_ids = report_match(e, o, sa, id);
	if (hidden_wants(doc, obj, pod, WI_AT_LABELS, groups[0].wants, groups[0].n,
		    e->config.check, err))
		return -1;
	if (e->config.check) {
		long i = remember_used(e, o->scalars[WI_SC_NAMESPACE].value, sa);

		if (i >= 0) {
			e->used_at = wi_grow(e->used_at, &e->cap_used_at, e->n_used_sas,
				sizeof(*e->used_at));
			e->used_at[i] = o->sites[WI_SITE(WI_POD_SELF, WI_AT_MAP)].start;
			e->used_at[i].line += e->line_base;
		}
		wi_live_check_workload(e->live, &e->findings, doc, obj, w->kind, pod, groups[0].wants,
			groups[0].n, sa, e->match_ids, n_ids, e->line_base);
		return 0;
	}
	if (e->config.checksum && w->checksum) {
		digest_settings(e, o, sa);
		groups[1].n = 1;
	}
	if (wi_edit_set(&e->plan, text, doc, obj, pod, groups, 2, err))
		return name_object(err, o);
	report_changes(e, o, groups[0].wants, groups[0].n, pod == WI_POD_SELF ? NULL : "pod template");
	report_changes(e, o, groups[1].wants, groups[1].n, "pod template");
	return 0;
}

static int process_object(struct wi_engine *e, const struct wi_text *text, const struct wi_doc *doc,
	size_t obj, struct wi_error *err)
{
	const struct wi_object *o = &doc->objects[obj];
	const char *kind = o->scalars[WI_SC_KIND].value;
	const char *api = o->scalars[WI_SC_API_VERSION].value;
	const struct wi_kind *w;

	if (merge_may_bring(&o->sites[WI_SITE(WI_POD_SELF, WI_AT_MAP)],
		    o->scalars[WI_SC_KIND].seen && o->scalars[WI_SC_API_VERSION].seen,
		    "kind or apiVersion", o, err))
		return -1;
	if (o->parent != SIZE_MAX) {
		const char *list = doc->objects[o->parent].scalars[WI_SC_KIND].value;
		size_t len = list ? strlen(list) : 0;

		if (len < 4 || strcmp(list + len - 4, "List") != 0)
			return 0;
	}
	if (veiled(o, WI_VEIL_OBJECT, err))
		return -1;
	if (!kind)
		return 0;
	if (strlen(kind) >= 4 && strcmp(kind + strlen(kind) - 4, "List") == 0) {
		if (veiled(o, WI_VEIL_ITEMS, err))
			return -1;
		if (o->sites[WI_SITE_ITEMS].shape == WI_ALIAS) {
			set_error(err, &o->sites[WI_SITE_ITEMS].start, "items is an alias, which hides "
				"which objects the List holds; expand the alias", o);
			return -1;
		}
	}
	if (!api)
		api = "";
	note_namespace(e, o->scalars[WI_SC_NAMESPACE].value);
	if (o->sites[WI_SITE_ITEMS].shape == WI_ABSENT)
		e->stats.objects++;
	if (e->config.check)
		wi_live_note_object(e->live, doc, obj);
	if (strcmp(kind, "ServiceAccount") == 0 && strcmp(api, "v1") == 0)
		return process_service_account(e, text, doc, obj, err);
	w = wi_kind_find(kind, api);
	return w ? process_workload(e, text, doc, obj, w, err) : 0;
}

static void warn(void *ctx, const char *code, const char *message)
{
	struct wi_engine *e = ctx;
	struct wi_warning w = {code, message};

	if (e->config.on_warning)
		e->config.on_warning(e->config.ctx, &w);
}

void wi_engine_finish(struct wi_engine *e)
{
	struct wi_live *c = e->live;

	e->findings.line_base = 0;
	if (c)
		wi_live_finish(c, &e->findings);
	for (size_t i = 0; i < e->n_used_sas; i++) {
		if (!wi_strset_has(&e->seen_sas, e->used_sas[i])) {
			char *slash = strchr(e->used_sas[i], '/');
			char *ns = slash ? wi_xstrndup(e->used_sas[i], (size_t)(slash - e->used_sas[i]))
					 : NULL;
			struct wi_finding fd = {.problem = "service-account-not-in-input",
				.kind = "ServiceAccount", .namespace = ns,
				.name = slash ? slash + 1 : e->used_sas[i]};

			wi_check_finding(&e->findings, NULL, &e->used_at[i], &fd,
				"pods run as ServiceAccount %s, which the input does not hold: its "
				"settings cannot be checked", e->used_sas[i]);
			free(ns);
		}
	}
	for (size_t i = 0; i < e->config.n_identities; i++)
		wi_identity_check_limits(&e->config.identities[i],
			e->config.n_identities > 1 ? (long)i : -1, &e->subjects[i], warn, e);
}

static bool blank(const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r' && data[i] != '\n')
			return false;
	return true;
}

/* An error about the unit as a whole: at its first line, over the stream. */
static void unit_error(const struct wi_engine *e, struct wi_error *err, const char *message)
{
	const struct wi_pos start = {{0}, 0, 0};
	struct wi_line_col at = wi_pos_line_col(&start, e->line_base);

	wi_error_set(err, at.line, at.column, "%s", message);
}

/* A unit that holds something: parsed, judged, and its edits planned in output order
 * in e->plan. */
static int plan_unit(struct wi_engine *e, const char *data, size_t len, struct wi_error *err)
{
	struct wi_text text;
	struct wi_doc *doc;
	size_t lines = 0;
	int rc;

	if (wi_depth_check(data, len, err) != 0) {
		err->line += e->line_base;
		return -1;
	}
	e->findings.line_base = e->line_base;
	wi_text_init(&text, data, len);
	wi_locator_start(e->locator, data, len);
	while ((rc = wi_locator_next(e->locator, &doc, &lines, err)) == 1) {
		if (doc->has_content)
			e->stats.documents++;
		for (size_t i = 0; i < doc->n_objects && rc == 1; i++)
			if (process_object(e, &text, doc, i, err))
				rc = -1;
		if (rc < 0)
			break;
		e->document++;
	}
	if (rc < 0) {
		if (err->line)
			err->line += e->line_base;
		if (err->context_line)
			err->context_line += e->line_base;
		return -1;
	}
	if (wi_splice_order(&e->plan, len)) {
		unit_error(e, err, "internal error: overlapping edits");
		return -1;
	}
	e->line_base += lines;
	return 0;
}

int wi_engine_unit(struct wi_engine *e, const char *data, size_t len,
	const struct wi_piece **out, size_t *n_out, struct wi_error *err)
{
	if (len >= 2 && ((data[0] == '\xFE' && data[1] == '\xFF') ||
			 (data[0] == '\xFF' && data[1] == '\xFE'))) {
		unit_error(e, err, "input is UTF-16; only UTF-8 is supported");
		return -1;
	}
	wi_splice_clear(&e->plan);
	if (blank(data, len)) {
		/* libyaml refuses a tab even on an empty line; such input holds nothing. */
		for (size_t i = 0; i < len; i++)
			e->line_base += data[i] == '\n';
	} else if (plan_unit(e, data, len, err) != 0) {
		return -1;
	}
	*n_out = wi_splice_pieces(data, len, &e->plan, &e->pieces, &e->cap_pieces);
	*out = e->pieces;
	return 0;
}
