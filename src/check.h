/* --check: what is there, judged against what the webhooks need. Reads located
 * objects; edits nothing. */
#ifndef WI_CHECK_H
#define WI_CHECK_H

#include <stddef.h>

#include "error.h"
#include "edit.h"
#include "identity.h"
#include "locate.h"

/*
 * One problem found. problem is a stable code (the README's table and the report
 * schema's enum list them all): missing-annotation, missing-label, not-a-scalar,
 * not-a-string, malformed-value, expiration-out-of-range, wrong-value,
 * label-on-service-account, label-only-in-selector, label-on-workload-only,
 * label-in-selector, annotation-on-pod, annotation-on-workload,
 * service-account-not-in-input, restart-needed. The strings are borrowed, valid
 * during the callback only; each may be NULL when it does not apply.
 */
struct wi_finding {
	const char *problem;
	const char *kind, *namespace, *name; /* the object */
	const char *key;      /* the annotation, label or environment variable */
	const char *expected; /* what it should be, when one value is known */
	const char *actual;   /* what it is (NULL: absent, or not a scalar) */
	const char *command;  /* restart-needed: what recreates the pods */
	struct wi_error error; /* line and column over the stream, and the message */
};

/* Where findings go. Lines and columns reach emit counted over the whole stream. */
struct wi_findings {
	void (*emit)(void *ctx, const struct wi_finding *finding); /* may be NULL */
	void *ctx;
	size_t line_base; /* lines before the current unit */
	size_t *count;    /* borrowed; incremented per finding */
};

/* A ServiceAccount an identity applies to: every wanted annotation present, a
 * string, well-formed, and equal to the wanted value when one is known (a want
 * whose value is NULL accepts any well-formed value); no pod label on it. */
void wi_check_service_account(struct wi_findings *f, const struct wi_doc *doc, size_t obj,
	const struct wi_want *wants, size_t n);

/* A workload whose pods run as such a ServiceAccount: each wanted label on the
 * pod template as a string; none in spec.selector or only on the workload itself;
 * no ServiceAccount annotation on the pod template or the workload. */
void wi_check_workload(struct wi_findings *f, const struct wi_doc *doc, size_t obj, int pod,
	const struct wi_want *labels, size_t n, const char *service_account);

/* Reports a finding at a unit-relative position about object o (may be NULL: then
 * `what` names the object). `what` gives the problem, key, expected and actual
 * values; its object and error are filled here. */
void wi_check_finding(struct wi_findings *f, const struct wi_object *o, const struct wi_pos *pos,
	struct wi_finding *what, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Counts and emits a finding already complete (its error's line counted over the
 * stream). */
void wi_findings_emit(struct wi_findings *f, const struct wi_finding *finding);

/* The environment variables a mutating webhook leaves in each container. */
enum {
	WI_ENV_AZURE_CLIENT_ID,
	WI_ENV_AZURE_TENANT_ID,
	WI_ENV_AZURE_TOKEN_FILE, /* AZURE_FEDERATED_TOKEN_FILE */
	WI_ENV_AWS_ROLE_ARN,
	WI_ENV_AWS_TOKEN_FILE, /* AWS_WEB_IDENTITY_TOKEN_FILE */
	WI_N_ENV
};
extern const char *const wi_env_names[WI_N_ENV];

struct wi_live_container {
	char *name; /* owned; NULL when absent */
	struct wi_line_col at; /* over the stream */
	char *env[WI_N_ENV]; /* owned; NULL when absent (has: set, but not to a value) */
	bool has[WI_N_ENV];
	struct wi_line_col env_at[WI_N_ENV];
};

/* A live Pod (one with a metadata.uid) that runs as a targeted ServiceAccount, kept
 * until the end of the input: what the webhook left in it. All strings owned. */
struct wi_live_pod {
	char *namespace, *name, *service_account;
	bool azure, aws;        /* identities of these providers apply to it */
	char *expected[WI_N_ENV]; /* the values its env must hold; NULL: any */
	bool azure_volume;      /* the projected volume azure-identity-token */
	struct wi_line_col at; /* over the stream */
	char *owner_kind, *owner_name; /* its controller, or NULL */
	struct wi_live_container *containers;
	size_t n_containers;
};

/* Copies what pod-shaped object obj of doc tells (its own containers, env and
 * volumes) into *pod, positions counted from line_base. */
void wi_live_pod_init(struct wi_live_pod *pod, const struct wi_doc *doc, size_t obj,
	size_t line_base);
void wi_live_pod_release(struct wi_live_pod *pod);

/* Judges a running Pod on what the mutation left in it: for Azure, the token file
 * (and its volume), the client ID and, when one is expected, the tenant ID; for
 * AWS, the token file and the role ARN. GCP injects nothing. Each gap is a
 * restart-needed finding naming `owner` (the workload to restart, or a sentence
 * saying what is known) and `command` (may be NULL). */
void wi_check_live_pod(struct wi_findings *f, const struct wi_live_pod *pod, const char *owner,
	const char *command);

#endif
