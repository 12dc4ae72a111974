/* wi_suggest: which mistyped names get which suggestion, and which get none. */
#include <stdio.h>
#include <string.h>

#include "suggest.h"

static const char *const options[] = {"provider", "client-id", "tenant-id", "token-expiration",
	"role-arn", "audience", "namespace", "service-account", "check", "config", "output"};
static const char *const keys[] = {"provider", "clientId", "tenantId", "tokenExpiration",
	"roleArn", "components", "serviceAccounts", "namespaces"};

struct row {
	const char *word;
	const char *const *list;
	size_t n;
	const char *expected; /* NULL: no suggestion */
};

#define OPTS options, sizeof(options) / sizeof(options[0])
#define KEYS keys, sizeof(keys) / sizeof(keys[0])

static const struct row rows[] = {
	{"client_id", OPTS, "client-id"},   /* another convention */
	{"Client-ID", OPTS, "client-id"},   /* case */
	{"clientid", OPTS, "client-id"},    /* a dash left out */
	{"cleint-id", OPTS, "client-id"},   /* two letters swapped: one step */
	{"namespce", OPTS, "namespace"},    /* a letter left out */
	{"role-arm", OPTS, "role-arn"},     /* a wrong letter */
	{"audiense", OPTS, "audience"},
	{"servce-acount", OPTS, "service-account"}, /* two steps in a long name */
	{"frobnicate", OPTS, NULL},
	{"chek", OPTS, "check"},            /* one step in a short name */
	{"chk", OPTS, NULL},                /* two steps in a short name: too far */
	{"ou", OPTS, NULL},                 /* too short to guess from */
	{"clientID", KEYS, "clientId"},
	{"client_id", KEYS, "clientId"},
	{"client-id", KEYS, "clientId"},
	{"namespace", KEYS, "namespaces"},
	{"component", KEYS, "components"},
	{"tokenExpiry", KEYS, NULL},        /* three steps */
	{"", KEYS, NULL},
};

int main(void)
{
	size_t n = sizeof(rows) / sizeof(rows[0]);
	int failures = 0;

	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		const char *got = wi_suggest(r->word, strlen(r->word), r->list, r->n);
		int ok = got == r->expected || (got && r->expected && strcmp(got, r->expected) == 0);

		failures += !ok;
		printf("%s %zu - \"%s\" -> %s (got %s)\n", ok ? "ok" : "not ok", i + 1, r->word,
			r->expected ? r->expected : "nothing", got ? got : "nothing");
	}
	printf("1..%zu\n", n);
	return failures ? 1 : 0;
}
