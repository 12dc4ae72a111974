/* --print-trust: subjects found -> the shell commands that make each cloud identity
 * trust them. Everything taken from the input is single-quoted; what the user must
 * supply is a double-quoted variable the script checks before it runs anything. */
#include "trust.h"

#include <cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

#define AZURE_AUDIENCE "api://AzureADTokenExchange"
#define AWS_DEFAULT_AUDIENCE "sts.amazonaws.com"
/* The digest that keeps sanitised Azure names apart: 12 hex digits (48 bits). */
#define DIGEST_DIGITS 12

struct subject {
	const struct wi_identity *id; /* borrowed */
	char *ns;                     /* owned; NULL when the object had none */
	char *sa;                     /* owned */
	char *where;                  /* owned: "Kind name", for messages */
	size_t line;
};

struct wi_trust {
	struct subject *subjects; /* owned */
	size_t n, cap;
	/* Open addressing over the subjects, to find repeats: each slot is 0 (empty) or
	 * a subject's index + 1; there are always more than twice as many slots as
	 * subjects. A live dump of a big Space holds thousands. */
	size_t *slots; /* owned */
	size_t n_slots;
};

struct wi_trust *wi_trust_create(void)
{
	return wi_xcalloc(1, sizeof(struct wi_trust));
}

void wi_trust_destroy(struct wi_trust *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->subjects[i].ns);
		free(t->subjects[i].sa);
		free(t->subjects[i].where);
	}
	free(t->subjects);
	free(t->slots);
	free(t);
}

/* FNV-1a, 64 bits: continues h over the bytes of s and a 0xff byte, which UTF-8
 * never holds, so that ("a", "bc") and ("ab", "c") differ. */
static uint64_t digest(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	return (h ^ 0xffu) * 0x100000001b3u;
}

#define DIGEST_START 0xcbf29ce484222325u

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static uint64_t subject_hash(const struct wi_identity *id, const char *ns, const char *sa)
{
	return digest(digest(DIGEST_START ^ (uintptr_t)id, ns ? ns : ""), sa);
}

/* The slot holding the subject (id, ns, sa), or the empty slot where it would go. */
static size_t *find_slot(const struct wi_trust *t, const struct wi_identity *id,
	const char *ns, const char *sa)
{
	size_t i = (size_t)(subject_hash(id, ns, sa) % t->n_slots);

	for (;; i = (i + 1) % t->n_slots) {
		const struct subject *s;

		if (!t->slots[i])
			return &t->slots[i];
		s = &t->subjects[t->slots[i] - 1];
		if (s->id == id && same(s->ns, ns) && strcmp(s->sa, sa) == 0)
			return &t->slots[i];
	}
}

static void grow_slots(struct wi_trust *t)
{
	free(t->slots);
	t->n_slots = t->n_slots ? t->n_slots * 2 : 64;
	t->slots = wi_xcalloc(t->n_slots, sizeof(*t->slots));
	for (size_t i = 0; i < t->n; i++) {
		const struct subject *s = &t->subjects[i];

		*find_slot(t, s->id, s->ns, s->sa) = i + 1;
	}
}

void wi_trust_add(struct wi_trust *t, const struct wi_identity *id, const char *ns,
	const char *sa, const struct wi_match *from)
{
	struct wi_buf where = {0};
	struct subject *s;
	size_t *slot;

	if (ns && !*ns)
		ns = NULL; /* an empty namespace is the release's, as a missing one */
	if ((t->n + 1) * 2 >= t->n_slots)
		grow_slots(t);
	slot = find_slot(t, id, ns, sa);
	if (*slot)
		return;
	t->subjects = wi_grow(t->subjects, &t->cap, t->n + 1, sizeof(*t->subjects));
	*slot = t->n + 1;
	s = &t->subjects[t->n++];
	wi_buf_printf(&where, "%s %s", from->kind, from->name ? from->name : "(unnamed)");
	s->id = id;
	s->ns = ns ? wi_xstrdup(ns) : NULL;
	s->sa = wi_xstrdup(sa);
	s->where = where.data;
	s->line = from->line;
}

size_t wi_trust_count(const struct wi_trust *t)
{
	return t->n;
}

void wi_trust_shell_quote(struct wi_buf *b, const char *s)
{
	wi_buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			wi_buf_puts(b, "'\\''");
		else
			wi_buf_putc(b, *s);
	}
	wi_buf_putc(b, '\'');
}

/* Lowercase letters, digits and '-', nothing else, at least one character. */
static bool plain_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

static bool alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * Azure: 3 to 120 characters, letters, digits, '-' and '_', the first a letter or
 * digit; unique per managed identity. "NS_SA" is readable and, for Kubernetes names
 * (which hold no '_'), one pair per name, where "NS-SA" would give "a-b" + "c" and
 * "a" + "b-c" the same name. Anything else (a '.', upper case, a name too long) is
 * sanitised and truncated, and ends in "__" and a digest of the exact pair: no plain
 * name holds "__", so the two forms never meet, and the digest keeps sanitised names
 * apart.
 */
void wi_trust_azure_name(const char *ns, const char *sa, char *out)
{
	const size_t keep = WI_AZURE_CREDENTIAL_NAME_MAX - 2 - DIGEST_DIGITS;
	size_t ns_len = strlen(ns), sa_len = strlen(sa), n = 0;
	uint64_t h;

	if (plain_name(ns) && alnum(ns[0]) && plain_name(sa) &&
	    ns_len + 1 + sa_len <= WI_AZURE_CREDENTIAL_NAME_MAX) {
		memcpy(out, ns, ns_len);
		out[ns_len] = '_';
		memcpy(out + ns_len + 1, sa, sa_len + 1);
		return;
	}
	for (int part = 0; part < 2 && n < keep; part++) {
		if (part == 1 && n)
			out[n++] = '_';
		for (const char *c = part ? sa : ns; *c && n < keep; c++) {
			if (n == 0 && !alnum(*c))
				continue; /* the name must start with a letter or digit */
			if (*c >= 'A' && *c <= 'Z')
				out[n++] = (char)(*c - 'A' + 'a');
			else
				out[n++] = alnum(*c) || *c == '-' ? *c : '-';
		}
	}
	h = digest(digest(DIGEST_START, ns), sa);
	/* With nothing left to show (no letter or digit at all), the digest alone. */
	snprintf(out + n, WI_AZURE_CREDENTIAL_NAME_MAX + 1 - n, "%s%0*llx", n ? "__" : "",
		DIGEST_DIGITS, (unsigned long long)(h & 0xffffffffffffu));
}

static const char *setting(const struct wi_identity *id, const char *key)
{
	for (size_t i = 0; i < id->n_sa_annotations; i++)
		if (strcmp(id->sa_annotations[i].key, key) == 0)
			return id->sa_annotations[i].value;
	return NULL;
}

static size_t count_for(const struct wi_trust *t, const struct wi_identity *id)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		n += t->subjects[i].id == id;
	return n;
}

/* "s" or "", for counts in comments. */
static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

static void azure_section(const struct wi_trust *t, const struct wi_identity *id,
	const char *suffix, struct wi_buf *out)
{
	const char *client_id = setting(id, WI_AZURE_CLIENT_ID);
	size_t n = count_for(t, id);
	char name[WI_AZURE_CREDENTIAL_NAME_MAX + 1];

	wi_buf_printf(out,
		"\n# Azure: the managed identity with client ID %s\n"
		"# trusts %zu ServiceAccount%s: one federated identity credential each (Azure\n"
		"# takes no wildcards), audience " AZURE_AUDIENCE ".\n"
		"# Set IDENTITY_NAME%s to the identity's name, RESOURCE_GROUP%s to its resource\n"
		"# group, and AKS_OIDC_ISSUER to the cluster's OIDC issuer URL:\n"
		"#   az aks show -g CLUSTER_GROUP -n CLUSTER --query oidcIssuerProfile.issuerUrl -o tsv\n"
		": \"${IDENTITY_NAME%s:?set IDENTITY_NAME%s to the name of the identity with client ID %s}\"\n"
		": \"${RESOURCE_GROUP%s:?set RESOURCE_GROUP%s to the resource group of that identity}\"\n"
		": \"${AKS_OIDC_ISSUER:?set AKS_OIDC_ISSUER to the OIDC issuer URL of the cluster}\"\n",
		client_id ? client_id : "(any)", n, plural(n), suffix, suffix, suffix, suffix,
		client_id ? client_id : "(any)", suffix, suffix);
	for (size_t i = 0; i < t->n; i++) {
		const struct subject *s = &t->subjects[i];
		struct wi_buf subject = {0};

		if (s->id != id)
			continue;
		wi_trust_azure_name(s->ns, s->sa, name);
		wi_buf_printf(&subject, "system:serviceaccount:%s:%s", s->ns, s->sa);
		wi_buf_puts(out, "\naz identity federated-credential create \\\n  --name ");
		wi_trust_shell_quote(out, name);
		wi_buf_printf(out, " \\\n"
				   "  --identity-name \"${IDENTITY_NAME%s}\" \\\n"
				   "  --resource-group \"${RESOURCE_GROUP%s}\" \\\n"
				   "  --issuer \"${AKS_OIDC_ISSUER}\" \\\n"
				   "  --subject ",
			suffix, suffix);
		wi_trust_shell_quote(out, subject.data);
		wi_buf_puts(out, " \\\n  --audiences " AZURE_AUDIENCE "\n");
		wi_buf_release(&subject);
	}
}

/* The role's trust policy, naming the cluster's OIDC provider by `provider`. */
static char *aws_policy(const struct wi_trust *t, const struct wi_identity *id,
	const char *arn_prefix, const char *audience, const char *provider, bool pretty)
{
	cJSON *policy = cJSON_CreateObject(), *statement = cJSON_CreateObject();
	cJSON *principal, *equals, *subjects;
	struct wi_buf b = {0};
	char *text;

	cJSON_AddStringToObject(policy, "Version", "2012-10-17");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(policy, "Statement"), statement);
	cJSON_AddStringToObject(statement, "Effect", "Allow");
	principal = cJSON_AddObjectToObject(statement, "Principal");
	wi_buf_printf(&b, "%soidc-provider/%s", arn_prefix, provider);
	cJSON_AddStringToObject(principal, "Federated", b.data);
	cJSON_AddStringToObject(statement, "Action", "sts:AssumeRoleWithWebIdentity");
	equals = cJSON_AddObjectToObject(cJSON_AddObjectToObject(statement, "Condition"),
		"StringEquals");
	wi_buf_clear(&b);
	wi_buf_printf(&b, "%s:sub", provider);
	subjects = cJSON_AddArrayToObject(equals, b.data);
	for (size_t i = 0; i < t->n; i++) {
		const struct subject *s = &t->subjects[i];

		if (s->id != id)
			continue;
		wi_buf_clear(&b);
		wi_buf_printf(&b, "system:serviceaccount:%s:%s", s->ns, s->sa);
		cJSON_AddItemToArray(subjects, cJSON_CreateString(b.data));
	}
	wi_buf_clear(&b);
	wi_buf_printf(&b, "%s:aud", provider);
	cJSON_AddStringToObject(equals, b.data, audience);
	text = pretty ? cJSON_Print(policy) : cJSON_PrintUnformatted(policy);
	cJSON_Delete(policy);
	wi_buf_release(&b);
	return text; /* NULL only for want of memory */
}

/*
 * Appends the policy as one single-quoted shell word in which the OIDC provider is
 * the variable "${OIDC_PROVIDER}". cJSON writes it twice with two stand-ins of one
 * length that differ in every character, so the places where the texts differ are
 * exactly the provider's, whatever the subjects hold.
 */
static int aws_policy_word(const struct wi_trust *t, const struct wi_identity *id,
	const char *arn_prefix, const char *audience, struct wi_buf *out)
{
	static const char stand_in[2][14] = {"AAAAAAAAAAAAA", "BBBBBBBBBBBBB"};
	char *a = aws_policy(t, id, arn_prefix, audience, stand_in[0], true);
	char *b = aws_policy(t, id, arn_prefix, audience, stand_in[1], true);

	if (!a || !b) {
		free(a);
		free(b);
		return -1;
	}
	wi_buf_putc(out, '\'');
	for (size_t i = 0; a[i]; i++) {
		if (a[i] != b[i]) {
			wi_buf_puts(out, "'\"${OIDC_PROVIDER}\"'");
			i += sizeof(stand_in[0]) - 2;
		} else if (a[i] == '\'') {
			wi_buf_puts(out, "'\\''");
		} else {
			wi_buf_putc(out, a[i]);
		}
	}
	wi_buf_putc(out, '\'');
	free(a);
	free(b);
	return 0;
}

/* Returns 0, or -1 when out of memory. */
static int aws_section(const struct wi_trust *t, const struct wi_identity *id,
	struct wi_buf *out)
{
	const char *arn = setting(id, WI_AWS_ROLE_ARN);
	const char *audience = setting(id, WI_AWS_AUDIENCE);
	const char *role = arn ? strstr(arn, ":role/") : NULL;
	size_t n = count_for(t, id);
	char *prefix;
	int rc = -1;

	if (!audience)
		audience = AWS_DEFAULT_AUDIENCE;
	if (!role) {
		/* Validated ARNs always hold ":role/"; keep going with a placeholder. */
		arn = "arn:aws:iam::ACCOUNT:role/ROLE";
		role = strstr(arn, ":role/");
	}
	/* arn:PARTITION:iam::ACCOUNT: : the provider is taken to be in the role's account. */
	prefix = wi_xstrndup(arn, (size_t)(role - arn) + 1);
	wi_buf_printf(out,
		"\n# AWS: the IAM role %s\n"
		"# trusts %zu ServiceAccount%s through the cluster's IAM OIDC provider, audience\n"
		"# %s. This replaces the role's whole trust policy. The provider is\n"
		"# taken to be in the role's account (%s...).\n"
		"# Set OIDC_PROVIDER to the cluster's OIDC issuer (https:// may stay):\n"
		"#   aws eks describe-cluster --name CLUSTER --query cluster.identity.oidc.issuer --output text\n"
		": \"${OIDC_PROVIDER:?set OIDC_PROVIDER to the OIDC issuer of the cluster}\"\n"
		"OIDC_PROVIDER=${OIDC_PROVIDER#https://}\n"
		"\naws iam update-assume-role-policy \\\n  --role-name ",
		arn, n, plural(n), audience, prefix);
	wi_trust_shell_quote(out, strrchr(arn, '/') + 1);
	wi_buf_puts(out, " \\\n  --policy-document ");
	if (aws_policy_word(t, id, prefix, audience, out) != 0)
		goto out;
	wi_buf_putc(out, '\n');

	rc = 0;
out:
	free(prefix);
	return rc;
}

static void gcp_section(const struct wi_trust *t, const struct wi_identity *id,
	struct wi_buf *out)
{
	const char *gsa = setting(id, WI_GCP_SERVICE_ACCOUNT);
	size_t n = count_for(t, id);

	wi_buf_printf(out,
		"\n# GCP: the Google service account %s\n"
		"# lets %zu ServiceAccount%s act as it (roles/iam.workloadIdentityUser).\n"
		"# Set PROJECT_ID to the GKE cluster's project (its workload identity pool is\n"
		"# PROJECT_ID.svc.id.goog), which may differ from the service account's.\n"
		": \"${PROJECT_ID:?set PROJECT_ID to the project of the GKE cluster}\"\n",
		gsa ? gsa : "(any)", n, plural(n));
	for (size_t i = 0; i < t->n; i++) {
		const struct subject *s = &t->subjects[i];
		struct wi_buf member = {0};

		if (s->id != id)
			continue;
		wi_buf_printf(&member, "[%s/%s]", s->ns, s->sa);
		wi_buf_puts(out, "\ngcloud iam service-accounts add-iam-policy-binding ");
		wi_trust_shell_quote(out, gsa ? gsa : "");
		wi_buf_puts(out, " \\\n"
				 "  --role roles/iam.workloadIdentityUser \\\n"
				 "  --member \"serviceAccount:${PROJECT_ID}.svc.id.goog\"");
		wi_trust_shell_quote(out, member.data);
		wi_buf_putc(out, '\n');
		wi_buf_release(&member);
	}
}

/* Adds " NAME<suffix>" to the list of variables the script needs, once. */
static void add_variable(struct wi_buf *vars, const char *name, const char *suffix)
{
	char word[64];

	snprintf(word, sizeof(word), " %s%s", name, suffix);
	for (const char *at = vars->data; at && (at = strstr(at, word)) != NULL; at++)
		if (at[strlen(word)] == '\0' || at[strlen(word)] == ' ')
			return;
	wi_buf_puts(vars, word);
}

int wi_trust_render(const struct wi_trust *t, const struct wi_identity *ids, size_t n_ids,
	struct wi_buf *script, struct wi_error *err)
{
	struct wi_buf body = {0}, vars = {0};
	size_t n_azure = 0;
	int rc = 0;

	for (size_t i = 0; i < t->n; i++) {
		const struct subject *s = &t->subjects[i];

		if (!s->ns) {
			/* The match carries the object's line only, so the column is 1. */
			wi_error_set(err, s->line, 1,
				"%s has no metadata.namespace, so the subject "
				"system:serviceaccount:NAMESPACE:%s cannot be named: it is the "
				"release's namespace, which a render does not show; run on the "
				"installed objects (kubectl get serviceaccounts -A -o yaml), which "
				"carry it",
				s->where, s->sa);
			return -1;
		}
	}
	if (!t->n)
		return 0; /* nothing to trust: no script at all */
	for (size_t i = 0; i < n_ids; i++)
		n_azure += ids[i].provider == WI_AZURE;
	for (size_t i = 0; i < n_ids && rc == 0; i++) {
		const struct wi_identity *id = &ids[i];
		char suffix[32] = "";

		if (!count_for(t, id))
			continue;
		switch (id->provider) {
		case WI_AZURE:
			/* Several Azure identities are several managed identities: each gets
			 * its own variables, numbered as in the config (1 is the first). */
			if (n_azure > 1)
				snprintf(suffix, sizeof(suffix), "_%zu", i + 1);
			azure_section(t, id, suffix, &body);
			add_variable(&vars, "IDENTITY_NAME", suffix);
			add_variable(&vars, "RESOURCE_GROUP", suffix);
			add_variable(&vars, "AKS_OIDC_ISSUER", "");
			break;
		case WI_AWS:
			if (aws_section(t, id, &body) != 0) {
				wi_error_set(err, 0, 0, "out of memory while writing a trust policy");
				rc = -1;
			}
			add_variable(&vars, "OIDC_PROVIDER", "");
			break;
		case WI_GCP:
			gcp_section(t, id, &body);
			add_variable(&vars, "PROJECT_ID", "");
			break;
		}
	}
	if (rc == 0) {
		wi_buf_printf(script,
			"#!/bin/sh\n"
			"# The cloud-side trust for the Kubernetes ServiceAccounts that wi-inject wires\n"
			"# (wi-inject --print-trust): each cloud identity below must trust the\n"
			"# ServiceAccounts that run as it. Review it, then run it with these variables\n"
			"# set (each is explained below):\n"
			"# %s\n"
			"set -eu\n",
			vars.data);
		wi_buf_append(script, body.data, body.len);
	}
	wi_buf_release(&body);
	wi_buf_release(&vars);
	return rc;
}
