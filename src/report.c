/* --report FILE: what was done and found, as JSON. */
#include "report.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "version.h"

struct wi_report {
	cJSON *root;
	cJSON *edits;
	cJSON *findings;
	cJSON *service_accounts;
	cJSON *workloads;
};

struct wi_report *wi_report_create(bool check)
{
	struct wi_report *r = wi_xcalloc(1, sizeof(*r));

	r->root = cJSON_CreateObject();
	cJSON_AddStringToObject(r->root, "tool", "wi-inject");
	cJSON_AddStringToObject(r->root, "version", WI_INJECT_VERSION);
	cJSON_AddStringToObject(r->root, "mode", check ? "check" : "inject");
	r->edits = cJSON_AddArrayToObject(r->root, "edits");
	r->findings = cJSON_AddArrayToObject(r->root, "findings");
	r->service_accounts = cJSON_AddArrayToObject(r->root, "serviceAccounts");
	r->workloads = cJSON_AddArrayToObject(r->root, "workloads");
	return r;
}

void wi_report_destroy(struct wi_report *r)
{
	if (!r)
		return;
	cJSON_Delete(r->root);
	free(r);
}

static cJSON *string_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *object_entry(size_t document, size_t line, const char *kind, const char *ns,
	const char *name)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "document", (double)document);
	cJSON_AddNumberToObject(o, "line", (double)line);
	cJSON_AddStringToObject(o, "kind", kind);
	cJSON_AddItemToObject(o, "namespace", string_or_null(ns));
	cJSON_AddItemToObject(o, "name", string_or_null(name));
	return o;
}

void wi_report_add_change(struct wi_report *r, const struct wi_change *c)
{
	cJSON *o = object_entry(c->document, c->line, c->kind, c->namespace, c->name);

	cJSON_AddStringToObject(o, "where", c->where ? c->where : "object");
	cJSON_AddStringToObject(o, "key", c->key);
	cJSON_AddItemToObject(o, "old", string_or_null(c->old_value));
	cJSON_AddStringToObject(o, "new", c->new_value);
	cJSON_AddItemToArray(r->edits, o);
}

void wi_report_add_match(struct wi_report *r, const struct wi_match *m)
{
	cJSON *o = object_entry(m->document, m->line, m->kind, m->namespace, m->name);
	bool is_sa = strcmp(m->kind, "ServiceAccount") == 0;

	cJSON_AddStringToObject(o, "provider", wi_provider_name(m->identity->provider));
	if (is_sa) {
		char subject[600];

		/* What the cloud identity's federated credential (Azure), trust policy
		 * (AWS) or IAM binding (GCP) names. Without a namespace it depends on the
		 * release's, which the tool cannot see. */
		if (m->namespace) {
			snprintf(subject, sizeof(subject), "system:serviceaccount:%s:%s", m->namespace,
				m->name);
			cJSON_AddStringToObject(o, "subject", subject);
		} else {
			cJSON_AddNullToObject(o, "subject");
		}
		if (m->identity->provider == WI_AZURE)
			cJSON_AddStringToObject(o, "audience", "api://AzureADTokenExchange");
		cJSON_AddItemToArray(r->service_accounts, o);
	} else {
		cJSON_AddStringToObject(o, "serviceAccount", m->service_account);
		cJSON_AddItemToArray(r->workloads, o);
	}
}

void wi_report_add_finding(struct wi_report *r, const struct wi_error *f)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "line", (double)f->line);
	cJSON_AddNumberToObject(o, "column", (double)f->column);
	cJSON_AddStringToObject(o, "message", f->message);
	cJSON_AddItemToArray(r->findings, o);
}

char *wi_report_render(struct wi_report *r, int status)
{
	cJSON_DeleteItemFromObject(r->root, "status");
	cJSON_AddNumberToObject(r->root, "status", status);
	return cJSON_Print(r->root);
}
