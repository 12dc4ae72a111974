/* --print-trust: the cloud-side trust each identity needs for the ServiceAccounts
 * found, as a POSIX shell script (Azure federated credentials, AWS role trust
 * policies, GCP IAM bindings). */
#ifndef WI_TRUST_H
#define WI_TRUST_H

#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "engine.h"
#include "identity.h"

/* The longest Azure federated identity credential name (Microsoft's documented
 * limit). */
#define WI_AZURE_CREDENTIAL_NAME_MAX 120

struct wi_trust;

struct wi_trust *wi_trust_create(void);
/* Accepts NULL. */
void wi_trust_destroy(struct wi_trust *t);

/*
 * Records that identity id must trust ServiceAccount sa in namespace ns (NULL or
 * "" when the object has none). id is borrowed and must outlive t; ns and sa are
 * copied; from says where the subject was found, for messages (only its kind, name
 * and line are read, during the call). A triple seen before is not added again, so
 * subjects keep the order in which the input first names them.
 */
void wi_trust_add(struct wi_trust *t, const struct wi_identity *id, const char *ns,
	const char *sa, const struct wi_match *from);

/* Subjects recorded, without repeats. */
size_t wi_trust_count(const struct wi_trust *t);

/*
 * Appends the shell script to script: a header naming the variables to set, then
 * per identity, in the order of ids[] (the identities the engine was given), its
 * commands, one per subject (Azure, GCP) or one trust policy (AWS); nothing when
 * there are no subjects. (The limits a cloud enforces are the engine's warnings,
 * given in every mode.) Returns 0, or -1 with
 * *err set when a subject cannot be named: an object without a namespace.
 */
int wi_trust_render(const struct wi_trust *t, const struct wi_identity *ids, size_t n_ids,
	struct wi_buf *script, struct wi_error *err);

/* Azure's credential name for a subject, into out (at least
 * WI_AZURE_CREDENTIAL_NAME_MAX + 1 bytes): "NS_SA" when both are lowercase
 * letters, digits and '-' (a '_' appears in neither, so the pair is recoverable),
 * else a sanitised, truncated form ending in "__" and a digest of the exact pair. */
void wi_trust_azure_name(const char *ns, const char *sa, char *out);

/* Appends s quoted for a POSIX shell: in single quotes, each ' as '\''. */
void wi_trust_shell_quote(struct wi_buf *b, const char *s);

#endif
