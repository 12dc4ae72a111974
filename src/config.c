/* --config FILE: several identities in one JSON document. */
#include "config.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "suggest.h"

/* JSON names of the fields, in wi_field order. */
static const char *const json_names[WI_N_FIELDS] = {"provider", "clientId", "tenantId",
	"tokenExpiration", "roleArn", "audience", "stsRegionalEndpoints", "gcpServiceAccount",
	"components", "serviceAccounts", "namespaces"};

/* Reads an array of strings; returns the count, or -1 with *err set. */
static long string_list(const cJSON *item, const char *path, const char ***out,
	struct wi_error *err)
{
	long n = 0;
	const cJSON *el;

	if (!cJSON_IsArray(item)) {
		wi_error_set(err, 0, 0, "%s: not an array of strings", path);
		return -1;
	}
	/* Absent means the default (every namespace; mxp-controller); an empty list
	 * reads as "none" and would mean the opposite, so it is refused, not guessed. */
	if (cJSON_GetArraySize(item) == 0) {
		wi_error_set(err, 0, 0, "%s: an empty list; %s", path, strstr(path, ".namespaces")
			? "leave the setting out to mean every namespace"
			: "name at least one, or leave the setting out");
		return -1;
	}
	*out = wi_xcalloc((size_t)cJSON_GetArraySize(item) + 1, sizeof(**out));
	cJSON_ArrayForEach(el, item) {
		if (!cJSON_IsString(el)) {
			wi_error_set(err, 0, 0, "%s[%ld]: not a string", path, n);
			return -1;
		}
		(*out)[n++] = el->valuestring;
	}
	return n;
}

/* JSON allows a name twice in an object; a config that does is a mistake. */
static bool repeated(const cJSON *obj, const cJSON *item)
{
	for (const cJSON *prev = obj->child; prev && prev != item; prev = prev->next)
		if (strcmp(prev->string, item->string) == 0)
			return true;
	return false;
}

static int read_identity(const cJSON *obj, size_t index, bool check, struct wi_identity *id,
	struct wi_error *err)
{
	struct wi_identity_spec spec = {0};
	const char *names[WI_N_FIELDS];
	char paths[WI_N_FIELDS][96], why[400], expiration[32];
	const cJSON *item;
	int rc = -1;

	for (int f = 0; f < WI_N_FIELDS; f++) {
		snprintf(paths[f], sizeof(paths[f]), "identities[%zu].%s", index, json_names[f]);
		names[f] = paths[f];
	}
	if (!cJSON_IsObject(obj)) {
		wi_error_set(err, 0, 0, "identities[%zu]: not an object", index);
		return -1;
	}
	cJSON_ArrayForEach(item, obj) {
		int f;
		long n = 0;

		if (repeated(obj, item)) {
			wi_error_set(err, 0, 0, "identities[%zu].%s: given twice", index, item->string);
			goto out;
		}
		for (f = 0; f < WI_N_FIELDS && strcmp(item->string, json_names[f]) != 0; f++)
			;
		if (f == WI_N_FIELDS) {
			const char *hint = wi_suggest(item->string, strlen(item->string), json_names,
				WI_N_FIELDS);

			wi_error_set(err, 0, 0, "identities[%zu].%s: unknown setting%s%s%s", index,
				item->string, hint ? "; did you mean " : "", hint ? hint : "",
				hint ? "?" : "");
			goto out;
		}
		if (f == WI_F_COMPONENT)
			n = string_list(item, names[f], &spec.components, err), spec.n_components = (size_t)n;
		else if (f == WI_F_SERVICE_ACCOUNT)
			n = string_list(item, names[f], &spec.service_accounts, err),
			spec.n_service_accounts = (size_t)n;
		else if (f == WI_F_NAMESPACE)
			n = string_list(item, names[f], &spec.namespaces, err), spec.n_namespaces = (size_t)n;
		else if (f == WI_F_STS && cJSON_IsBool(item))
			spec.values[f] = cJSON_IsTrue(item) ? "true" : NULL;
		else if (f == WI_F_EXPIRATION && cJSON_IsNumber(item)) {
			double v = item->valuedouble;

			/* Range first: converting 1e300 to an integer is undefined. */
			if (!(v >= 0 && v <= 1e9) || v != (double)(long)v) {
				wi_error_set(err, 0, 0, "%s: not a whole number of seconds", names[f]);
				goto out;
			}
			snprintf(expiration, sizeof(expiration), "%ld", (long)v);
			spec.values[f] = expiration;
		} else if (cJSON_IsString(item) && f != WI_F_STS && f != WI_F_EXPIRATION)
			spec.values[f] = item->valuestring;
		else {
			wi_error_set(err, 0, 0, "%s: not a %s", names[f],
				f == WI_F_STS ? "boolean" : f == WI_F_EXPIRATION ? "number" : "string");
			goto out;
		}
		if (n < 0)
			goto out;
	}
	if (wi_identity_build(&spec, check, names, id, why, sizeof(why)) != 0) {
		wi_error_set(err, 0, 0, "%s", why);
		goto out;
	}
	rc = 0;
out:
	wi_identity_spec_release(&spec);
	return rc;
}

/* The offset of the first NUL that cJSON would decode into a string, which would cut
 * the string there ("abc\u0000def" reads as "abc"), or len when there is none. A
 * NUL byte may be anywhere; after a successful parse, every backslash is in a
 * string, so each escape can be read without tracking quotes. */
static size_t find_nul(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\0')
			return i;
		if (text[i] == '\\' && i + 1 < len) {
			if (len - i >= 6 && memcmp(text + i + 1, "u0000", 5) == 0)
				return i;
			i++;
		}
	}
	return len;
}

int wi_config_parse(const char *text, size_t len, bool check, struct wi_identity **ids, size_t *n,
	struct wi_error *err)
{
	const char *end = NULL;
	/* Not require_null_terminated: with a length, cJSON then refuses a text that
	 * ends exactly where its value does. Trailing content is checked below. */
	cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, false);
	const cJSON *list, *item;
	size_t count = 0, at;

	*ids = NULL;
	*n = 0;
	if (!root) {
		wi_error_at_offset(err, text, (size_t)((end ? end : text + len) - text), "invalid JSON");
		return -1;
	}
	for (at = (size_t)(end - text); at < len && strchr(" \t\r\n", text[at]) && text[at]; at++)
		;
	if (at < len) {
		wi_error_at_offset(err, text, at, "invalid JSON: content after the config's object");
		goto fail;
	}
	if ((at = find_nul(text, len)) < len) {
		wi_error_at_offset(err, text, at, "a NUL character in the config: no setting "
			"can hold one, and it would cut the string short");
		goto fail;
	}
	if (!cJSON_IsObject(root)) {
		wi_error_set(err, 0, 0, "the config is not a JSON object");
		goto fail;
	}
	cJSON_ArrayForEach(item, root) {
		if (strcmp(item->string, "identities") != 0) {
			static const char *const top[] = {"identities"};
			const char *hint = wi_suggest(item->string, strlen(item->string), top, 1);

			wi_error_set(err, 0, 0, "%s: unknown setting%s", item->string,
				hint ? "; did you mean identities?" : "");
			goto fail;
		}
		if (repeated(root, item)) {
			wi_error_set(err, 0, 0, "identities: given twice");
			goto fail;
		}
	}
	list = cJSON_GetObjectItemCaseSensitive(root, "identities");
	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0) {
		wi_error_set(err, 0, 0, "identities: not a non-empty array");
		goto fail;
	}
	*ids = wi_xcalloc((size_t)cJSON_GetArraySize(list), sizeof(**ids));
	cJSON_ArrayForEach(item, list) {
		if (read_identity(item, count, check, &(*ids)[count], err) != 0)
			goto fail;
		count++;
	}
	cJSON_Delete(root);
	*n = count;
	return 0;
fail:
	for (size_t i = 0; i < count; i++)
		wi_identity_release(&(*ids)[i]);
	free(*ids);
	*ids = NULL;
	cJSON_Delete(root);
	return -1;
}
