/* --check on a live cluster's objects: ownership, and the Pods kept to the end. */
#include "live.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "kinds.h"
#include "strset.h"

/* A finding kept until the end of the input, its strings owned. */
struct kept_finding {
	struct wi_finding f; /* its strings point into owned */
	char *owned[8]; /* problem, kind, namespace, name, key, expected, actual, command */
	char *owner; /* "Kind/ns/name" of the controller: dropped when the input holds it */
};

/* A ServiceAccount's identity annotations as the input holds them. */
struct sa_values {
	char *values[WI_N_ENV]; /* indexed like the env variables they become */
};

/* The controller of a ReplicaSet or Job, to name the workload to restart for a Pod
 * it created. */
struct controller {
	char *kind, *name;
};

struct wi_live {
	struct wi_strset objects; /* "Kind/ns/name" of every object in the input */
	struct kept_finding *kept;
	size_t n_kept;
	const char *kept_owner; /* while buffering: the owner the findings depend on */
	/* Looked up once per Pod: indexed by "ns/name" and "Kind/ns/name". */
	struct sa_values *sas;
	size_t n_sas, cap_sas;
	struct wi_strset sa_index;
	struct controller *controllers;
	size_t n_controllers, cap_controllers;
	struct wi_strset controller_index;
	struct wi_live_pod *pods;
	size_t n_pods, cap_pods;
	size_t cap_kept;
};

static char *dup_or_null(const char *s)
{
	return s ? wi_xstrdup(s) : NULL;
}

struct wi_live *wi_live_create(void)
{
	return wi_xcalloc(1, sizeof(struct wi_live));
}

void wi_live_destroy(struct wi_live *c)
{
	if (!c)
		return;
	wi_strset_release(&c->objects);
	for (size_t i = 0; i < c->n_kept; i++) {
		for (size_t j = 0; j < sizeof(c->kept[i].owned) / sizeof(c->kept[i].owned[0]); j++)
			free(c->kept[i].owned[j]);
		free(c->kept[i].owner);
	}
	free(c->kept);
	for (size_t i = 0; i < c->n_sas; i++)
		for (int k = 0; k < WI_N_ENV; k++)
			free(c->sas[i].values[k]);
	free(c->sas);
	wi_strset_release(&c->sa_index);
	wi_strset_release(&c->controller_index);
	for (size_t i = 0; i < c->n_controllers; i++) {
		free(c->controllers[i].kind);
		free(c->controllers[i].name);
	}
	free(c->controllers);
	for (size_t i = 0; i < c->n_pods; i++)
		wi_live_pod_release(&c->pods[i]);
	free(c->pods);
	free(c);
}

/* The findings' sink while an owned workload is judged: kept, not emitted. */
static void keep_finding(void *ctx, const struct wi_finding *f)
{
	struct wi_live *c = ctx;
	struct kept_finding *k;

	c->kept = wi_grow(c->kept, &c->cap_kept, c->n_kept + 1, sizeof(*c->kept));
	k = &c->kept[c->n_kept++];
	k->f = *f;
	k->f.problem = k->owned[0] = dup_or_null(f->problem);
	k->f.kind = k->owned[1] = dup_or_null(f->kind);
	k->f.namespace = k->owned[2] = dup_or_null(f->namespace);
	k->f.name = k->owned[3] = dup_or_null(f->name);
	k->f.key = k->owned[4] = dup_or_null(f->key);
	k->f.expected = k->owned[5] = dup_or_null(f->expected);
	k->f.actual = k->owned[6] = dup_or_null(f->actual);
	k->f.command = k->owned[7] = dup_or_null(f->command);
	k->owner = dup_or_null(c->kept_owner);
}

void wi_live_note_service_account(struct wi_live *c, const struct wi_doc *doc, size_t obj)
{
	static const struct {
		const char *annotation;
		int env;
	} from[] = {
		{WI_AZURE_CLIENT_ID, WI_ENV_AZURE_CLIENT_ID},
		{WI_AZURE_TENANT_ID, WI_ENV_AZURE_TENANT_ID},
		{WI_AWS_ROLE_ARN, WI_ENV_AWS_ROLE_ARN},
	};
	const struct wi_object *o = &doc->objects[obj];
	char *key = wi_strset_key(o->scalars[WI_SC_NAMESPACE].value, o->scalars[WI_SC_NAME].value,
		NULL);
	size_t i = wi_strset_get(&c->sa_index, key);
	struct sa_values *v;

	/* The same ServiceAccount again: each value it holds overrides the earlier. */
	if (i != SIZE_MAX) {
		free(key);
	} else {
		c->sas = wi_grow(c->sas, &c->cap_sas, c->n_sas + 1, sizeof(*c->sas));
		memset(&c->sas[c->n_sas], 0, sizeof(*c->sas));
		i = c->n_sas++;
		wi_strset_put(&c->sa_index, key, i);
	}
	v = &c->sas[i];
	for (size_t j = 0; j < sizeof(from) / sizeof(from[0]); j++) {
		const struct wi_entry *a = wi_doc_entry(doc, obj, WI_SITE(WI_POD_SELF, WI_AT_ANNOTATIONS),
			from[j].annotation);

		if (a && a->is_string && a->value && !wi_identity_bad_value(a->key, a->value)) {
			free(v->values[from[j].env]);
			v->values[from[j].env] = wi_xstrdup(a->value);
		}
	}
}

/* A live Pod is kept, to be judged once every ServiceAccount and ReplicaSet of the
 * input is known. One that has finished runs nothing. */
static void keep_pod(struct wi_live *c, const struct wi_doc *doc, size_t obj, const char *sa,
	const struct wi_identity *const *ids, size_t n_ids, size_t line_base)
{
	const struct wi_object *o = &doc->objects[obj];
	const char *phase = o->scalars[WI_SC_PHASE].value;
	const struct wi_owner *owner = wi_doc_controller(doc, obj);
	struct wi_live_pod *p;

	if (phase && (strcmp(phase, "Succeeded") == 0 || strcmp(phase, "Failed") == 0))
		return;
	c->pods = wi_grow(c->pods, &c->cap_pods, c->n_pods + 1, sizeof(*c->pods));
	p = &c->pods[c->n_pods++];
	wi_live_pod_init(p, doc, obj, line_base);
	p->service_account = wi_xstrdup(sa);
	if (owner && owner->kind && owner->name) {
		p->owner_kind = wi_xstrdup(owner->kind);
		p->owner_name = wi_xstrdup(owner->name);
	}
	for (size_t i = 0; i < n_ids; i++) {
		const struct wi_identity *id = ids[i];

		p->azure |= id->provider == WI_AZURE;
		p->aws |= id->provider == WI_AWS;
		for (size_t j = 0; j < id->n_sa_annotations; j++) {
			const struct wi_kv *kv = &id->sa_annotations[j];
			int k = strcmp(kv->key, WI_AZURE_CLIENT_ID) == 0 ? WI_ENV_AZURE_CLIENT_ID
				: strcmp(kv->key, WI_AZURE_TENANT_ID) == 0 ? WI_ENV_AZURE_TENANT_ID
				: strcmp(kv->key, WI_AWS_ROLE_ARN) == 0 ? WI_ENV_AWS_ROLE_ARN : -1;

			if (k >= 0 && kv->value && !p->expected[k])
				p->expected[k] = wi_xstrdup(kv->value);
		}
	}
}

void wi_live_check_workload(struct wi_live *c, struct wi_findings *f, const struct wi_doc *doc,
	size_t obj, const char *kind, int pod, const struct wi_want *labels, size_t n,
	const char *sa, const struct wi_identity *const *ids, size_t n_ids, size_t line_base)
{
	const struct wi_object *o = &doc->objects[obj];
	const struct wi_owner *owner = wi_doc_controller(doc, obj);
	const char *replicas = o->scalars[WI_SC_REPLICAS].value;
	struct wi_findings keep = *f;
	size_t uncounted = 0;
	char *owner_key;

	/* A rendered manifest may carry "status: {}"; only the API server sets a uid. */
	if (pod == WI_POD_SELF && o->scalars[WI_SC_UID].value) {
		keep_pod(c, doc, obj, sa, ids, n_ids, line_base);
		return;
	}
	if (!owner || !owner->kind || !owner->name) {
		wi_check_workload(f, doc, obj, pod, labels, n, sa);
		return;
	}
	/* An old ReplicaSet its Deployment scaled down runs no pods at all. */
	if (strcmp(kind, "ReplicaSet") == 0 && replicas && strcmp(replicas, "0") == 0)
		return;
	owner_key = wi_strset_key(owner->kind, o->scalars[WI_SC_NAMESPACE].value, owner->name);
	c->kept_owner = owner_key;
	keep.emit = keep_finding;
	keep.ctx = c;
	keep.count = &uncounted; /* counted if emitted at the end */
	wi_check_workload(&keep, doc, obj, pod, labels, n, sa);
	c->kept_owner = NULL;
	free(owner_key);
}

void wi_live_note_object(struct wi_live *c, const struct wi_doc *doc, size_t obj)
{
	const struct wi_object *o = &doc->objects[obj];
	const char *kind = o->scalars[WI_SC_KIND].value, *ns = o->scalars[WI_SC_NAMESPACE].value;
	const struct wi_owner *owner;
	const struct wi_kind *k;
	struct controller *ctl;
	char *key;

	if (!o->scalars[WI_SC_NAME].value)
		return;
	wi_strset_take(&c->objects, wi_strset_key(kind, ns, o->scalars[WI_SC_NAME].value));
	/* Only a workload another one makes: what to restart is its maker. */
	k = wi_kind_named(kind);
	if (!k || !k->owner)
		return;
	owner = wi_doc_controller(doc, obj);
	if (!owner || !owner->kind || !owner->name)
		return;
	/* The first one the input holds names the controller, as before. */
	key = wi_strset_key(kind, ns, o->scalars[WI_SC_NAME].value);
	if (wi_strset_has(&c->controller_index, key)) {
		free(key);
		return;
	}
	wi_strset_put(&c->controller_index, key, c->n_controllers);
	c->controllers = wi_grow(c->controllers, &c->cap_controllers, c->n_controllers + 1,
		sizeof(*c->controllers));
	ctl = &c->controllers[c->n_controllers++];
	ctl->kind = wi_xstrdup(owner->kind);
	ctl->name = wi_xstrdup(owner->name);
}

/* What to restart for a running Pod, after the controller that made it: its
 * Deployment (through its ReplicaSet, when the input holds that), StatefulSet or
 * DaemonSet; else the Pod itself, which its controller recreates. */
static void restart_advice(const struct wi_live *c, const struct wi_live_pod *p,
	struct wi_buf *owner, struct wi_buf *command)
{
	const struct wi_kind *k;
	const char *kind = p->owner_kind, *name = p->owner_name, *ns = p->namespace;
	const char *in = ns ? " -n " : "";

	k = kind ? wi_kind_named(kind) : NULL;
	if (k && k->owner) {
		char *key = wi_strset_key(kind, ns, name);
		size_t i = wi_strset_get(&c->controller_index, key);

		if (i != SIZE_MAX) {
			kind = c->controllers[i].kind;
			name = c->controllers[i].name;
		}
		free(key);
	}
	if (!kind) {
		wi_buf_puts(owner, "the Pod by hand (it has no controller): delete it and create it "
				   "again");
		return;
	}
	wi_buf_printf(owner, "%s %s%s%s", kind, ns ? ns : "", ns ? "/" : "", name);
	k = wi_kind_named(kind);
	if (k && k->rollout) {
		wi_buf_printf(command, "kubectl rollout restart %s/%s%s%s", k->rollout, name, in,
			ns ? ns : "");
		return;
	}
	if (strcmp(kind, "CronJob") == 0)
		wi_buf_puts(owner, " (its next run gets the identity; to replace this pod now, "
				   "delete it)");
	else if (strcmp(kind, "ReplicaSet") == 0)
		wi_buf_puts(owner, " (its Deployment is not in the input; deleting the pod makes "
				   "the ReplicaSet create a mutated one)");
	else
		wi_buf_puts(owner, " (deleting the pod makes it create a mutated one)");
	wi_buf_printf(command, "kubectl delete pod %s%s%s", p->name ? p->name : "", in, ns ? ns : "");
}

void wi_live_finish(struct wi_live *c, struct wi_findings *f)
{
	for (size_t i = 0; i < c->n_kept; i++)
		if (!c->kept[i].owner || !wi_strset_has(&c->objects, c->kept[i].owner))
			wi_findings_emit(f, &c->kept[i].f);
	for (size_t i = 0; i < c->n_pods; i++) {
		struct wi_live_pod *p = &c->pods[i];
		char *key = wi_strset_key(p->namespace, p->service_account, NULL);
		size_t j = wi_strset_get(&c->sa_index, key);
		struct wi_buf owner = {0}, command = {0};

		/* The webhook copies the ServiceAccount's annotations as they were when the
		 * pod was created: the pod is stale when they differ now. */
		for (int k = 0; j != SIZE_MAX && k < WI_N_ENV; k++) {
			if (!c->sas[j].values[k])
				continue;
			free(p->expected[k]);
			p->expected[k] = wi_xstrdup(c->sas[j].values[k]);
		}
		free(key);
		restart_advice(c, p, &owner, &command);
		wi_check_live_pod(f, p, owner.data, command.data);
		wi_buf_release(&owner);
		wi_buf_release(&command);
	}
}
