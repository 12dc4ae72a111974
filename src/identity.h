/* What each cloud's workload identity needs: the keys, their values, where they go. */
#ifndef WI_IDENTITY_H
#define WI_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

#include "strset.h"

#define WI_AZURE_CLIENT_ID "azure.workload.identity/client-id"
#define WI_AZURE_TENANT_ID "azure.workload.identity/tenant-id"
#define WI_AZURE_TOKEN_EXPIRATION "azure.workload.identity/service-account-token-expiration"
#define WI_AZURE_USE "azure.workload.identity/use"

#define WI_AWS_ROLE_ARN "eks.amazonaws.com/role-arn"
#define WI_AWS_AUDIENCE "eks.amazonaws.com/audience"
#define WI_AWS_STS_REGIONAL "eks.amazonaws.com/sts-regional-endpoints"
#define WI_AWS_TOKEN_EXPIRATION "eks.amazonaws.com/token-expiration"
#define WI_GCP_SERVICE_ACCOUNT "iam.gke.io/gcp-service-account"

/* On each edited pod template: a digest of the identity settings that apply to it,
 * so that a changed identity changes the template and Kubernetes rolls the pods
 * (the webhooks read the settings only when a pod is created). */
#define WI_CHECKSUM_ANNOTATION "checksum/workload-identity"

#define WI_DEFAULT_SERVICE_ACCOUNT "mxp-controller"

/* Azure's webhook rejects pods whose token expiration is outside this range. */
#define WI_AZURE_EXPIRATION_MIN 3600
#define WI_AZURE_EXPIRATION_MAX 86400
/* EKS's webhook silently raises anything below 600 to 600; refuse it instead. */
#define WI_AWS_EXPIRATION_MIN 600
#define WI_AWS_EXPIRATION_MAX 86400

enum wi_provider { WI_AZURE, WI_AWS, WI_GCP };

/* The Upbound Spaces components that run under a workload identity, and the Spaces
 * chart values that do the same job (for when the chart renders none of them). */
struct wi_component {
	const char *name;            /* --component NAME */
	const char *service_account; /* what its pods run as */
	const char *values_key;      /* controlPlanes.<values_key> */
	const char *annotations_key; /* serviceAccount.<annotations_key> */
};

extern const struct wi_component wi_components[];
extern const size_t wi_n_components;
/* NULL when there is no such component. */
const struct wi_component *wi_component_find(const char *name);
/* "azure", "aws", "gcp"; returns -1 for anything else. */
int wi_provider_parse(const char *name);
const char *wi_provider_name(enum wi_provider p);

struct wi_kv {
	char *key;   /* owned */
	char *value; /* owned; NULL only in check mode: any well-formed value will do */
};

/*
 * One identity: which ServiceAccounts get it, in which namespaces, and the settings
 * written on each ServiceAccount and on each pod template that runs as one of them.
 */
struct wi_identity {
	enum wi_provider provider;
	unsigned components; /* bit i: wi_components[i] was asked for by name */
	char **service_accounts; /* owned; at least one */
	size_t n_service_accounts;
	char **namespaces; /* owned; none means every namespace */
	size_t n_namespaces;
	struct wi_kv *sa_annotations; /* owned */
	size_t n_sa_annotations;
	struct wi_kv *pod_labels; /* owned */
	size_t n_pod_labels;
};

/* The add and set functions copy the strings they are given. */
void wi_identity_init(struct wi_identity *id);
void wi_identity_release(struct wi_identity *id);
void wi_identity_add_service_account(struct wi_identity *id, const char *name);
void wi_identity_add_component(struct wi_identity *id, const struct wi_component *c);
void wi_identity_add_namespace(struct wi_identity *id, const char *ns);
void wi_identity_add_sa_annotation(struct wi_identity *id, const char *key, const char *value);
void wi_identity_add_pod_label(struct wi_identity *id, const char *key, const char *value);

/* Adds Azure's settings. tenant_id may be NULL; expiration 0 means unset.
 * The values must have passed the validators below. */
void wi_identity_set_azure(struct wi_identity *id, const char *client_id,
	const char *tenant_id, long expiration);

/* AWS IRSA: role_arn required; audience may be NULL; expiration 0 means unset. */
void wi_identity_set_aws(struct wi_identity *id, const char *role_arn, const char *audience,
	bool sts_regional_endpoints, long expiration);
/* GKE: the Google service account to impersonate. */
void wi_identity_set_gcp(struct wi_identity *id, const char *gcp_service_account);

/* An identity as the user wrote it, on the command line or in a config file. */
enum wi_field {
	WI_F_PROVIDER,
	WI_F_CLIENT_ID,
	WI_F_TENANT_ID,
	WI_F_EXPIRATION,
	WI_F_ROLE_ARN,
	WI_F_AUDIENCE,
	WI_F_STS,
	WI_F_GCP_SA,
	WI_F_COMPONENT,
	WI_F_SERVICE_ACCOUNT,
	WI_F_NAMESPACE,
	WI_N_FIELDS
};

struct wi_identity_spec {
	const char *values[WI_N_FIELDS]; /* borrowed; NULL when not given (lists: unused) */
	const char **components;         /* borrowed */
	size_t n_components;
	const char **service_accounts;
	size_t n_service_accounts;
	const char **namespaces;
	size_t n_namespaces;
};

/* Frees the spec's lists (not the strings they borrow). */
void wi_identity_spec_release(struct wi_identity_spec *spec);

/*
 * Validates a spec and builds the identity from it. names[] says how the user calls
 * each field, for messages ("--client-id", "identities[0].clientId"). In check mode
 * the identity's own values may be left out: the check then accepts any well-formed
 * value. Returns 0, or -1 with a one-line reason in why (id left empty).
 */
int wi_identity_build(const struct wi_identity_spec *spec, bool check,
	const char *const names[WI_N_FIELDS], struct wi_identity *id, char *why, size_t size);

bool wi_identity_matches_sa(const struct wi_identity *id, const char *name);
/* ns is NULL for an object without metadata.namespace: it is in the release's
 * namespace, which a post-renderer cannot see, so it matches only an identity with
 * no namespace filter. */
bool wi_identity_matches_ns(const struct wi_identity *id, const char *ns);

/* Why value is not acceptable for the identity key `key` (a static string), or
 * NULL when it is (or when nothing is known about the key). */
const char *wi_identity_bad_value(const char *key, const char *value);

/* The identity keys set on ServiceAccounts, of every provider; NULL-terminated. */
extern const char *const wi_identity_sa_keys[];

/* 8-4-4-4-12 hexadecimal digits. */
bool wi_valid_guid(const char *s);
/* Parses a whole decimal integer in [min, max] into *out. */
bool wi_parse_long(const char *s, long min, long max, long *out);
/* arn:<aws|aws-cn|aws-us-gov>:iam::<12 digits>:role/<optional/path/>name */
bool wi_valid_role_arn(const char *s);
/* <name>@<project>.iam.gserviceaccount.com */
bool wi_valid_gcp_service_account(const char *s);
/* A DNS-1123 subdomain, as Kubernetes requires of ServiceAccount and namespace names. */
bool wi_valid_k8s_name(const char *s);

/*
 * Cloud limits that identity id exceeds when it applies to the ServiceAccounts in
 * subjects ("ns/name"): Azure's 20 federated identity credentials per managed
 * identity (azure-credential-limit), the 2,048 characters of an IAM trust policy
 * that names each subject (aws-trust-policy-size). Calls warn once per limit with
 * a message saying what to do. index: the identity's place in the config, or -1
 * when it is the only one.
 */
void wi_identity_check_limits(const struct wi_identity *id, long index,
	const struct wi_strset *subjects, void (*warn)(void *ctx, const char *code,
	const char *message), void *ctx);

#endif
