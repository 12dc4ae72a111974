/* What each cloud's workload identity needs. */
#include "identity.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

void wi_identity_init(struct wi_identity *id)
{
	memset(id, 0, sizeof(*id));
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void free_kvs(struct wi_kv *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].value);
	}
	free(v);
}

void wi_identity_release(struct wi_identity *id)
{
	if (!id)
		return;
	free_strings(id->service_accounts, id->n_service_accounts);
	free_strings(id->namespaces, id->n_namespaces);
	free_kvs(id->sa_annotations, id->n_sa_annotations);
	free_kvs(id->pod_labels, id->n_pod_labels);
	wi_identity_init(id);
}

static void push_string(char ***v, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return;
	*v = wi_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = wi_xstrdup(s);
}

/* A later value for the same key replaces the earlier one. */
static void push_kv(struct wi_kv **v, size_t *n, const char *key, const char *value)
{
	for (size_t i = 0; i < *n; i++) {
		if (strcmp((*v)[i].key, key) == 0) {
			free((*v)[i].value);
			(*v)[i].value = wi_xstrdup(value);
			return;
		}
	}
	*v = wi_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].key = wi_xstrdup(key);
	(*v)[*n].value = wi_xstrdup(value);
	(*n)++;
}

void wi_identity_add_service_account(struct wi_identity *id, const char *name)
{
	push_string(&id->service_accounts, &id->n_service_accounts, name);
}

void wi_identity_add_namespace(struct wi_identity *id, const char *ns)
{
	push_string(&id->namespaces, &id->n_namespaces, ns);
}

void wi_identity_add_sa_annotation(struct wi_identity *id, const char *key, const char *value)
{
	push_kv(&id->sa_annotations, &id->n_sa_annotations, key, value);
}

void wi_identity_add_pod_label(struct wi_identity *id, const char *key, const char *value)
{
	push_kv(&id->pod_labels, &id->n_pod_labels, key, value);
}

void wi_identity_set_azure(struct wi_identity *id, const char *client_id,
	const char *tenant_id, long expiration)
{
	wi_identity_add_sa_annotation(id, WI_AZURE_CLIENT_ID, client_id);
	if (tenant_id)
		wi_identity_add_sa_annotation(id, WI_AZURE_TENANT_ID, tenant_id);
	if (expiration) {
		char text[32];

		snprintf(text, sizeof(text), "%ld", expiration);
		wi_identity_add_sa_annotation(id, WI_AZURE_TOKEN_EXPIRATION, text);
	}
	/* The webhook's objectSelector matches the string "true" on the pod only. */
	wi_identity_add_pod_label(id, WI_AZURE_USE, "true");
}

bool wi_identity_matches_sa(const struct wi_identity *id, const char *name)
{
	for (size_t i = 0; i < id->n_service_accounts; i++)
		if (strcmp(id->service_accounts[i], name) == 0)
			return true;
	return false;
}

bool wi_identity_matches_ns(const struct wi_identity *id, const char *ns)
{
	if (id->n_namespaces == 0)
		return true;
	if (!ns)
		return false;
	for (size_t i = 0; i < id->n_namespaces; i++)
		if (strcmp(id->namespaces[i], ns) == 0)
			return true;
	return false;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool wi_valid_guid(const char *s)
{
	static const int groups[] = {8, 4, 4, 4, 12};

	for (size_t g = 0; g < 5; g++) {
		for (int i = 0; i < groups[g]; i++, s++)
			if (!is_hex(*s))
				return false;
		if (*s != (g < 4 ? '-' : '\0'))
			return false;
		s++;
	}
	return true;
}

bool wi_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool wi_valid_k8s_name(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > 253)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (!alnum && !((c == '-' || c == '.') && i > 0 && i + 1 < len))
			return false;
	}
	return true;
}
