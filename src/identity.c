/* What each cloud's workload identity needs. */
#include "identity.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"

const struct wi_component wi_components[] = {
	{"backup", "mxp-controller", "mxpController", "annotations"},
	{"billing", "vector", "vector", "customAnnotations"},
	{"secrets", "external-secrets-controller", "sharedSecrets", "customAnnotations"},
};
const size_t wi_n_components = sizeof(wi_components) / sizeof(wi_components[0]);

const struct wi_component *wi_component_find(const char *name)
{
	for (size_t i = 0; i < wi_n_components; i++)
		if (strcmp(wi_components[i].name, name) == 0)
			return &wi_components[i];
	return NULL;
}

static const char *const provider_names[] = {"azure", "aws", "gcp"};

int wi_provider_parse(const char *name)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(provider_names[i], name) == 0)
			return i;
	return -1;
}

const char *wi_provider_name(enum wi_provider p)
{
	return provider_names[p];
}

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
			(*v)[i].value = value ? wi_xstrdup(value) : NULL;
			return;
		}
	}
	*v = wi_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].key = wi_xstrdup(key);
	(*v)[*n].value = value ? wi_xstrdup(value) : NULL;
	(*n)++;
}

void wi_identity_add_service_account(struct wi_identity *id, const char *name)
{
	push_string(&id->service_accounts, &id->n_service_accounts, name);
}

void wi_identity_add_component(struct wi_identity *id, const struct wi_component *c)
{
	id->components |= 1u << (c - wi_components);
	wi_identity_add_service_account(id, c->service_account);
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

static void set_expiration(struct wi_identity *id, const char *key, long expiration)
{
	char text[32];

	if (!expiration)
		return;
	snprintf(text, sizeof(text), "%ld", expiration);
	wi_identity_add_sa_annotation(id, key, text);
}

void wi_identity_set_azure(struct wi_identity *id, const char *client_id,
	const char *tenant_id, long expiration)
{
	id->provider = WI_AZURE;
	wi_identity_add_sa_annotation(id, WI_AZURE_CLIENT_ID, client_id);
	if (tenant_id)
		wi_identity_add_sa_annotation(id, WI_AZURE_TENANT_ID, tenant_id);
	set_expiration(id, WI_AZURE_TOKEN_EXPIRATION, expiration);
	/* The webhook's objectSelector matches the string "true" on the pod only. */
	wi_identity_add_pod_label(id, WI_AZURE_USE, "true");
}

void wi_identity_set_aws(struct wi_identity *id, const char *role_arn, const char *audience,
	bool sts_regional_endpoints, long expiration)
{
	id->provider = WI_AWS;
	wi_identity_add_sa_annotation(id, WI_AWS_ROLE_ARN, role_arn);
	if (audience)
		wi_identity_add_sa_annotation(id, WI_AWS_AUDIENCE, audience);
	if (sts_regional_endpoints)
		wi_identity_add_sa_annotation(id, WI_AWS_STS_REGIONAL, "true");
	set_expiration(id, WI_AWS_TOKEN_EXPIRATION, expiration);
}

void wi_identity_set_gcp(struct wi_identity *id, const char *gcp_service_account)
{
	id->provider = WI_GCP;
	wi_identity_add_sa_annotation(id, WI_GCP_SERVICE_ACCOUNT, gcp_service_account);
}

const char *const wi_identity_sa_keys[] = {WI_AZURE_CLIENT_ID, WI_AZURE_TENANT_ID,
	WI_AZURE_TOKEN_EXPIRATION, WI_AWS_ROLE_ARN, WI_AWS_AUDIENCE, WI_AWS_STS_REGIONAL,
	WI_AWS_TOKEN_EXPIRATION, WI_GCP_SERVICE_ACCOUNT, NULL};

const char *wi_identity_bad_value(const char *key, const char *value)
{
	long n;

	if (strcmp(key, WI_AZURE_CLIENT_ID) == 0 || strcmp(key, WI_AZURE_TENANT_ID) == 0)
		return wi_valid_guid(value) ? NULL : "is not a GUID (8-4-4-4-12 hex digits)";
	if (strcmp(key, WI_AZURE_TOKEN_EXPIRATION) == 0)
		return wi_parse_long(value, WI_AZURE_EXPIRATION_MIN, WI_AZURE_EXPIRATION_MAX, &n)
			       ? NULL
			       : "is not a number of seconds from 3600 to 86400: Azure's webhook "
				 "rejects the pods";
	if (strcmp(key, WI_AWS_TOKEN_EXPIRATION) == 0)
		return wi_parse_long(value, WI_AWS_EXPIRATION_MIN, WI_AWS_EXPIRATION_MAX, &n)
			       ? NULL
			       : "is not a number of seconds from 600 to 86400";
	if (strcmp(key, WI_AWS_ROLE_ARN) == 0)
		return wi_valid_role_arn(value) ? NULL
			: "is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)";
	if (strcmp(key, WI_AWS_AUDIENCE) == 0) {
		for (const char *c = value; *c; c++)
			if (*c <= ' ' || *c > '~')
				return "holds a blank or a character outside printable ASCII";
		return *value ? NULL : "is empty";
	}
	if (strcmp(key, WI_AWS_STS_REGIONAL) == 0)
		return strcmp(value, "true") == 0 || strcmp(value, "false") == 0
			       ? NULL
			       : "is neither \"true\" nor \"false\"";
	if (strcmp(key, WI_GCP_SERVICE_ACCOUNT) == 0)
		return wi_valid_gcp_service_account(value)
			       ? NULL
			       : "is not a Google service account "
				 "(<name>@<project>.iam.gserviceaccount.com)";
	if (strcmp(key, WI_AZURE_USE) == 0)
		return strcmp(value, "true") == 0 ? NULL
			: "is not \"true\": the webhook selects pods by that exact string";
	return NULL;
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

static bool all_of(const char *s, size_t len, const char *set)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(set, s[i]) || s[i] == '\0')
			return false;
	return true;
}

bool wi_valid_role_arn(const char *s)
{
	static const char *const partitions[] = {"arn:aws:iam::", "arn:aws-cn:iam::",
		"arn:aws-us-gov:iam::"};
	static const char role_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					 "0123456789+=,.@_-/";
	const char *p = NULL, *name;

	for (size_t i = 0; i < 3 && !p; i++)
		if (strncmp(s, partitions[i], strlen(partitions[i])) == 0)
			p = s + strlen(partitions[i]);
	if (!p || !all_of(p, 12, "0123456789") || strncmp(p + 12, ":role/", 6) != 0)
		return false;
	p += 18;
	name = strrchr(p, '/');
	name = name ? name + 1 : p;
	/* IAM: a role name is 1 to 64 characters; a path is at most 512. */
	return *name && strlen(name) <= 64 && strlen(p) <= 512 + 64 && all_of(p, strlen(p), role_chars);
}

bool wi_valid_gcp_service_account(const char *s)
{
	static const char suffix[] = ".iam.gserviceaccount.com";
	static const char lower[] = "abcdefghijklmnopqrstuvwxyz0123456789-";
	const char *at = strchr(s, '@');
	size_t len = strlen(s), name_len, project_len;

	if (!at || len < sizeof(suffix) || strcmp(s + len - (sizeof(suffix) - 1), suffix) != 0)
		return false;
	name_len = (size_t)(at - s);
	project_len = len - (sizeof(suffix) - 1) - name_len - 1;
	/* Google: account IDs are 6 to 30 characters, project IDs 6 to 30, both
	 * lowercase letters, digits and hyphens, starting with a letter. */
	return name_len >= 6 && name_len <= 30 && all_of(s, name_len, lower) && s[0] >= 'a' &&
	       s[0] <= 'z' && project_len >= 6 && project_len <= 30 &&
	       all_of(at + 1, project_len, lower) && at[1] >= 'a' && at[1] <= 'z';
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

/* A bad value is quoted with "%.*s%s" and SHOWN(value): at most SHOWN_MAX bytes of
 * it, so that the reason after it always fits in the message. */
#define SHOWN_MAX 80
#define SHOWN(v) (int)(strlen(v) > SHOWN_MAX ? SHOWN_MAX : strlen(v)), (v), \
	(strlen(v) > SHOWN_MAX ? "[...]" : "")

static int refuse(char *why, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int refuse(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return -1;
}

/* Which fields each provider takes besides the targets. */
static const bool provider_fields[3][WI_N_FIELDS] = {
	[WI_AZURE] = {[WI_F_CLIENT_ID] = true, [WI_F_TENANT_ID] = true, [WI_F_EXPIRATION] = true},
	[WI_AWS] = {[WI_F_ROLE_ARN] = true, [WI_F_AUDIENCE] = true, [WI_F_STS] = true,
		[WI_F_EXPIRATION] = true},
	[WI_GCP] = {[WI_F_GCP_SA] = true},
};

static int check_fields(const struct wi_identity_spec *spec, bool check,
	const char *const names[WI_N_FIELDS], enum wi_provider p, char *why, size_t size)
{
	static const enum wi_field required[3] = {WI_F_CLIENT_ID, WI_F_ROLE_ARN, WI_F_GCP_SA};
	static const char *const keys[WI_N_FIELDS] = {[WI_F_CLIENT_ID] = WI_AZURE_CLIENT_ID,
		[WI_F_TENANT_ID] = WI_AZURE_TENANT_ID, [WI_F_ROLE_ARN] = WI_AWS_ROLE_ARN,
		[WI_F_AUDIENCE] = WI_AWS_AUDIENCE, [WI_F_GCP_SA] = WI_GCP_SERVICE_ACCOUNT};
	const char *const *v = spec->values;

	for (int f = WI_F_CLIENT_ID; f <= WI_F_GCP_SA; f++) {
		const char *bad;

		if (!v[f])
			continue;
		if (!provider_fields[p][f])
			return refuse(why, size, "%s is not a setting of provider %s", names[f],
				wi_provider_name(p));
		bad = keys[f] ? wi_identity_bad_value(keys[f], v[f]) : NULL;
		if (bad)
			return refuse(why, size, "%s: \"%.*s%s\" %s", names[f], SHOWN(v[f]), bad);
	}
	if (!check && !v[required[p]])
		return refuse(why, size, "%s is required for provider %s", names[required[p]],
			wi_provider_name(p));
	return 0;
}

void wi_identity_spec_release(struct wi_identity_spec *spec)
{
	free(spec->components);
	free(spec->service_accounts);
	free(spec->namespaces);
	spec->components = spec->service_accounts = spec->namespaces = NULL;
}

int wi_identity_build(const struct wi_identity_spec *spec, bool check,
	const char *const names[WI_N_FIELDS], struct wi_identity *id, char *why, size_t size)
{
	const char *const *v = spec->values;
	int provider = v[WI_F_PROVIDER] ? wi_provider_parse(v[WI_F_PROVIDER]) : WI_AZURE;
	long expiration = 0;

	wi_identity_init(id);
	if (provider < 0)
		return refuse(why, size, "%s: \"%.*s%s\" is not azure, aws or gcp",
			names[WI_F_PROVIDER], SHOWN(v[WI_F_PROVIDER]));
	if (check_fields(spec, check, names, (enum wi_provider)provider, why, size))
		return -1;
	if (v[WI_F_EXPIRATION]) {
		long min = provider == WI_AZURE ? WI_AZURE_EXPIRATION_MIN : WI_AWS_EXPIRATION_MIN;
		long max = provider == WI_AZURE ? WI_AZURE_EXPIRATION_MAX : WI_AWS_EXPIRATION_MAX;

		if (!wi_parse_long(v[WI_F_EXPIRATION], min, max, &expiration))
			return refuse(why, size, "%s: \"%.*s%s\" is not a number of seconds from %ld to %ld%s",
				names[WI_F_EXPIRATION], SHOWN(v[WI_F_EXPIRATION]), min, max,
				provider == WI_AZURE ? ": Azure's webhook rejects the pods" : "");
	}
	for (size_t i = 0; i < spec->n_components; i++) {
		const struct wi_component *c = wi_component_find(spec->components[i]);

		if (!c) {
			wi_identity_release(id);
			return refuse(why, size, "%s: \"%.*s%s\" is not backup, billing or secrets",
				names[WI_F_COMPONENT], SHOWN(spec->components[i]));
		}
		wi_identity_add_component(id, c);
	}
	for (size_t i = 0; i < spec->n_service_accounts + spec->n_namespaces; i++) {
		bool is_sa = i < spec->n_service_accounts;
		const char *name = is_sa ? spec->service_accounts[i]
					 : spec->namespaces[i - spec->n_service_accounts];

		if (!wi_valid_k8s_name(name)) {
			wi_identity_release(id);
			return refuse(why, size, "%s: \"%.*s%s\" is not a valid Kubernetes name",
				names[is_sa ? WI_F_SERVICE_ACCOUNT : WI_F_NAMESPACE], SHOWN(name));
		}
		if (is_sa)
			wi_identity_add_service_account(id, name);
		else
			wi_identity_add_namespace(id, name);
	}
	if (id->n_service_accounts == 0)
		wi_identity_add_service_account(id, WI_DEFAULT_SERVICE_ACCOUNT);
	switch ((enum wi_provider)provider) {
	case WI_AZURE:
		wi_identity_set_azure(id, v[WI_F_CLIENT_ID], v[WI_F_TENANT_ID], expiration);
		break;
	case WI_AWS:
		wi_identity_set_aws(id, v[WI_F_ROLE_ARN], v[WI_F_AUDIENCE], v[WI_F_STS] != NULL,
			expiration);
		break;
	case WI_GCP:
		wi_identity_set_gcp(id, v[WI_F_GCP_SA]);
		break;
	}
	return 0;
}

/* A StringLike pattern for the subjects of one identity ("ns/name", never empty):
 * the namespaces' common prefix and suffix, cut at the dashes that separate a
 * name's parts (mxp-*-system, not mxp-1a*-system), and the name when all share it. */
static void subject_pattern(const struct wi_strset *subjects, struct wi_buf *out)
{
	const char *first = NULL, *first_end = NULL, *name = NULL;
	size_t pre = 0, suf = 0, shortest = 0;
	bool one_name = true;

	for (size_t i = 0; i < subjects->cap; i++) {
		const char *s = subjects->slots[i], *slash;
		size_t len;

		if (!s)
			continue;
		slash = strchr(s, '/');
		len = (size_t)(slash - s);
		if (!first) {
			first = s;
			first_end = slash;
			name = slash + 1;
			pre = suf = shortest = len;
			continue;
		}
		one_name &= strcmp(name, slash + 1) == 0;
		if (len < shortest)
			shortest = len;
		while (pre && strncmp(first, s, pre) != 0)
			pre--;
		while (suf && (suf > len || strncmp(first_end - suf, slash - suf, suf) != 0))
			suf--;
	}
	if (!first)
		return;
	if (pre + suf > shortest)
		suf = shortest - pre;
	while (pre && first[pre - 1] != '-')
		pre--;
	while (suf && *(first_end - suf) != '-')
		suf--;
	wi_buf_printf(out, "system:serviceaccount:%.*s*%.*s:%s", (int)pre, first, (int)suf,
		first_end - suf, one_name ? name : "*");
}

/* An IAM trust policy that names each subject: its skeleton, with an EKS issuer of
 * the usual length, and each subject quoted, as IAM counts it (no whitespace). */
#define AWS_POLICY_SKELETON \
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":" \
	"{\"Federated\":\"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1." \
	"amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\"},\"Action\":" \
	"\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{\"oidc.eks." \
	"us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud\":" \
	"\"sts.amazonaws.com\",\"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B7" \
	"1EXAMPLE:sub\":[]}}}]}"
#define AWS_POLICY_LIMIT 2048
#define AZURE_CREDENTIAL_LIMIT 20

void wi_identity_check_limits(const struct wi_identity *id, long index,
	const struct wi_strset *subjects, void (*warn)(void *ctx, const char *code,
	const char *message), void *ctx)
{
	struct wi_buf msg = {0}, which = {0}, pattern = {0};
	size_t size = sizeof(AWS_POLICY_SKELETON) - 1;

	if (index >= 0)
		wi_buf_printf(&which, "identities[%ld]", index);
	else
		wi_buf_puts(&which, "the identity");
	if (id->provider == WI_AZURE && subjects->n > AZURE_CREDENTIAL_LIMIT) {
		wi_buf_printf(&msg, "%s applies to %zu ServiceAccounts (one per control plane), "
			"but Azure allows at most %d federated identity credentials per managed "
			"identity: split the control planes over several identities with --config, "
			"each limited to at most %d of them by its \"namespaces\"", which.data,
			subjects->n, AZURE_CREDENTIAL_LIMIT, AZURE_CREDENTIAL_LIMIT);
		warn(ctx, "azure-credential-limit", msg.data);
	}
	for (size_t j = 0; id->provider == WI_AWS && j < subjects->cap; j++)
		if (subjects->slots[j])
			size += strlen("\"system:serviceaccount:\",") + strlen(subjects->slots[j]);
	if (id->provider == WI_AWS && size > AWS_POLICY_LIMIT) {
		subject_pattern(subjects, &pattern);
		wi_buf_printf(&msg, "%s applies to %zu ServiceAccounts: a trust policy naming "
			"each subject takes about %zu characters, more than the %d characters IAM "
			"allows by default; match them with one StringLike condition instead, e.g. "
			"\"%s\" (or raise the quota)", which.data, subjects->n, size, AWS_POLICY_LIMIT,
			pattern.data);
		warn(ctx, "aws-trust-policy-size", msg.data);
	}
	wi_buf_release(&msg);
	wi_buf_release(&which);
	wi_buf_release(&pattern);
}
