/* --report FILE: what was done and found, as JSON. */
#include "report.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "version.h"

/* cJSON returns NULL when it cannot allocate; any such failure marks the report
 * broken, and rendering it then fails rather than write a report missing parts. */
struct wi_report {
	cJSON *root;
	cJSON *edits;
	cJSON *findings;
	cJSON *service_accounts;
	cJSON *workloads;
	cJSON *warnings;
	bool broken;
};

/* Adds item (consumed, may be NULL) to an object or an array; false on failure. */
static bool put(struct wi_report *r, cJSON *parent, const char *key, cJSON *item)
{
	bool ok = item && parent && (key ? cJSON_AddItemToObject(parent, key, item)
					 : cJSON_AddItemToArray(parent, item));

	if (!ok) {
		cJSON_Delete(item);
		r->broken = true;
	}
	return ok;
}

static cJSON *string_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static void put_string(struct wi_report *r, cJSON *o, const char *key, const char *s)
{
	put(r, o, key, string_or_null(s));
}

static void put_number(struct wi_report *r, cJSON *o, const char *key, double n)
{
	put(r, o, key, cJSON_CreateNumber(n));
}

/* A new array, added to the root; NULL (and broken) on failure. */
static cJSON *root_array(struct wi_report *r, const char *key)
{
	cJSON *a = cJSON_CreateArray();

	return put(r, r->root, key, a) ? a : NULL;
}

struct wi_report *wi_report_create(bool check)
{
	struct wi_report *r = wi_xcalloc(1, sizeof(*r));

	r->root = cJSON_CreateObject();
	if (!r->root) {
		r->broken = true;
		return r;
	}
	put_string(r, r->root, "tool", "wi-inject");
	put_string(r, r->root, "version", WI_INJECT_VERSION);
	put_string(r, r->root, "mode", check ? "check" : "inject");
	r->edits = root_array(r, "edits");
	r->findings = root_array(r, "findings");
	r->service_accounts = root_array(r, "serviceAccounts");
	r->workloads = root_array(r, "workloads");
	r->warnings = root_array(r, "warnings");
	return r;
}

void wi_report_destroy(struct wi_report *r)
{
	if (!r)
		return;
	cJSON_Delete(r->root);
	free(r);
}

/* The fields every entry about an object starts with; NULL (and broken) when out of
 * memory. */
static cJSON *object_entry(struct wi_report *r, size_t document, size_t line, const char *kind,
	const char *ns, const char *name)
{
	cJSON *o = cJSON_CreateObject();

	if (!o) {
		r->broken = true;
		return NULL;
	}
	put_number(r, o, "document", (double)document);
	put_number(r, o, "line", (double)line);
	put_string(r, o, "kind", kind);
	put_string(r, o, "namespace", ns);
	put_string(r, o, "name", name);
	return o;
}

void wi_report_add_change(struct wi_report *r, const struct wi_change *c)
{
	cJSON *o = object_entry(r, c->document, c->line, c->kind, c->namespace, c->name);

	if (!o)
		return;
	put_string(r, o, "where", c->where ? c->where : "object");
	put_string(r, o, "key", c->key);
	put_string(r, o, "old", c->old_value);
	put_string(r, o, "new", c->new_value);
	put(r, r->edits, NULL, o);
}

/* The value of one of the identity's ServiceAccount annotations, or NULL. */
static const char *annotation(const struct wi_identity *id, const char *key)
{
	for (size_t i = 0; i < id->n_sa_annotations; i++)
		if (strcmp(id->sa_annotations[i].key, key) == 0)
			return id->sa_annotations[i].value;
	return NULL;
}

/* An identity as its cloud names it: what a federated credential (Azure), a role's
 * trust policy (AWS) or an IAM binding (GCP) is created on, and the audience the
 * token must carry. A value is null in check mode when it was not given. */
static cJSON *identity_entry(struct wi_report *r, const struct wi_identity *id)
{
	cJSON *o = cJSON_CreateObject();

	if (!o) {
		r->broken = true;
		return NULL;
	}
	put_string(r, o, "provider", wi_provider_name(id->provider));
	switch (id->provider) {
	case WI_AZURE:
		put_string(r, o, "clientId", annotation(id, WI_AZURE_CLIENT_ID));
		put_string(r, o, "tenantId", annotation(id, WI_AZURE_TENANT_ID));
		put_string(r, o, "audience", "api://AzureADTokenExchange");
		break;
	case WI_AWS: {
		const char *audience = annotation(id, WI_AWS_AUDIENCE);

		put_string(r, o, "roleArn", annotation(id, WI_AWS_ROLE_ARN));
		put_string(r, o, "audience", audience ? audience : "sts.amazonaws.com");
		break;
	}
	case WI_GCP:
		put_string(r, o, "gcpServiceAccount", annotation(id, WI_GCP_SERVICE_ACCOUNT));
		break;
	}
	return o;
}

void wi_report_add_match(struct wi_report *r, const struct wi_match *m)
{
	cJSON *o = object_entry(r, m->document, m->line, m->kind, m->namespace, m->name);
	cJSON *list;
	bool is_sa = strcmp(m->kind, "ServiceAccount") == 0;

	if (!o)
		return;
	if (!is_sa) {
		put_string(r, o, "serviceAccount", m->service_account);
		list = cJSON_CreateArray();
		if (put(r, o, "providers", list))
			for (size_t i = 0; i < m->n_identities; i++)
				put(r, list, NULL,
					cJSON_CreateString(wi_provider_name(m->identities[i]->provider)));
		put(r, r->workloads, NULL, o);
		return;
	}
	/* What each identity's cloud side must trust. Without a namespace it depends
	 * on the release's, which the tool cannot see. */
	if (m->namespace) {
		char subject[600];

		snprintf(subject, sizeof(subject), "system:serviceaccount:%s:%s", m->namespace, m->name);
		put_string(r, o, "subject", subject);
	} else {
		put_string(r, o, "subject", NULL);
	}
	list = cJSON_CreateArray();
	if (put(r, o, "identities", list))
		for (size_t i = 0; i < m->n_identities; i++)
			put(r, list, NULL, identity_entry(r, m->identities[i]));
	put(r, r->service_accounts, NULL, o);
}

void wi_report_add_finding(struct wi_report *r, const struct wi_finding *f)
{
	cJSON *o = cJSON_CreateObject();

	if (!o) {
		r->broken = true;
		return;
	}
	put_string(r, o, "problem", f->problem);
	put_string(r, o, "kind", f->kind);
	put_string(r, o, "namespace", f->namespace);
	put_string(r, o, "name", f->name);
	put_string(r, o, "key", f->key);
	put_string(r, o, "expected", f->expected);
	put_string(r, o, "actual", f->actual);
	put_number(r, o, "line", (double)f->error.line);
	put_number(r, o, "column", (double)f->error.column);
	put_string(r, o, "message", f->error.message);
	put_string(r, o, "command", f->command);
	put(r, r->findings, NULL, o);
}

void wi_report_add_warning(struct wi_report *r, const struct wi_warning *w)
{
	cJSON *o = cJSON_CreateObject();

	if (!o) {
		r->broken = true;
		return;
	}
	put_string(r, o, "code", w->code);
	put_string(r, o, "message", w->message);
	put(r, r->warnings, NULL, o);
}

char *wi_report_render(struct wi_report *r, int status)
{
	if (r->broken)
		return NULL;
	cJSON_DeleteItemFromObject(r->root, "status");
	put_number(r, r->root, "status", status);
	return r->broken ? NULL : cJSON_Print(r->root);
}
