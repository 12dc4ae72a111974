/* What each cloud's workload identity needs: the keys, their values, where they go. */
#ifndef WI_IDENTITY_H
#define WI_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

#define WI_AZURE_CLIENT_ID "azure.workload.identity/client-id"
#define WI_AZURE_TENANT_ID "azure.workload.identity/tenant-id"
#define WI_AZURE_TOKEN_EXPIRATION "azure.workload.identity/service-account-token-expiration"
#define WI_AZURE_USE "azure.workload.identity/use"

#define WI_DEFAULT_SERVICE_ACCOUNT "mxp-controller"

/* Azure's webhook rejects pods whose token expiration is outside this range. */
#define WI_AZURE_EXPIRATION_MIN 3600
#define WI_AZURE_EXPIRATION_MAX 86400

struct wi_kv {
	char *key;   /* owned */
	char *value; /* owned */
};

/*
 * One identity: which ServiceAccounts get it, in which namespaces, and the settings
 * written on each ServiceAccount and on each pod template that runs as one of them.
 */
struct wi_identity {
	char **service_accounts; /* owned; at least one */
	size_t n_service_accounts;
	char **namespaces; /* owned; none means every namespace */
	size_t n_namespaces;
	struct wi_kv *sa_annotations; /* owned */
	size_t n_sa_annotations;
	struct wi_kv *pod_labels; /* owned */
	size_t n_pod_labels;
};

void wi_identity_init(struct wi_identity *id);
void wi_identity_release(struct wi_identity *id);
void wi_identity_add_service_account(struct wi_identity *id, const char *name);
void wi_identity_add_namespace(struct wi_identity *id, const char *ns);
void wi_identity_add_sa_annotation(struct wi_identity *id, const char *key, const char *value);
void wi_identity_add_pod_label(struct wi_identity *id, const char *key, const char *value);

/* Adds Azure's settings. tenant_id may be NULL; expiration 0 means unset.
 * The values must have passed the validators below. */
void wi_identity_set_azure(struct wi_identity *id, const char *client_id,
	const char *tenant_id, long expiration);

bool wi_identity_matches_sa(const struct wi_identity *id, const char *name);
/* ns is NULL for an object without metadata.namespace: it is in the release's
 * namespace, which a post-renderer cannot see, so it matches only an identity with
 * no namespace filter. */
bool wi_identity_matches_ns(const struct wi_identity *id, const char *ns);

/* 8-4-4-4-12 hexadecimal digits. */
bool wi_valid_guid(const char *s);
/* Parses a whole decimal integer in [min, max] into *out. */
bool wi_parse_long(const char *s, long min, long max, long *out);
/* A DNS-1123 subdomain, as Kubernetes requires of ServiceAccount and namespace names. */
bool wi_valid_k8s_name(const char *s);

#endif
