/* wi_trust_azure_name against Azure's rule (3 to 120 letters, digits, '-' and '_',
 * the first a letter or digit) and against itself: fixed edge cases, then random
 * pairs from a small alphabet, where distinct pairs must never share a name. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trust.h"
#include "prng.h"

static bool azure_valid(const char *s)
{
	size_t n = strlen(s);

	if (n < 3 || n > WI_AZURE_CREDENTIAL_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '-' && c != '_')))
			return false;
	}
	return true;
}

static int tests, failures;

static void check(bool ok, const char *what, const char *ns, const char *sa, const char *got)
{
	tests++;
	if (!ok)
		failures++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", tests, what);
	if (!ok)
		printf("# ns \"%s\", sa \"%s\" gave \"%s\"\n", ns, sa, got);
}

static void expect(const char *ns, const char *sa, const char *want, const char *what)
{
	char got[WI_AZURE_CREDENTIAL_NAME_MAX + 1];

	wi_trust_azure_name(ns, sa, got);
	check(want ? strcmp(got, want) == 0 : azure_valid(got), what, ns, sa, got);
}

struct seen {
	char name[WI_AZURE_CREDENTIAL_NAME_MAX + 1];
	char pair[240];
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct seen *)a)->name, ((const struct seen *)b)->name);
}

int main(void)
{
	char ns63[64], sa56[57], sa57[58], sa300[301], got[WI_AZURE_CREDENTIAL_NAME_MAX + 1];
	/* Few letters, so that random pairs often sanitise to the same text. */
	static const char alphabet[] = "ab-._A'";
	enum { N = 20000 };
	struct seen *all = calloc(N, sizeof(*all));
	size_t bad = 0, repeats = 0;

	if (!all)
		return 1;
	memset(ns63, 'n', 63);
	ns63[63] = '\0';
	memset(sa56, 's', 56);
	sa56[56] = '\0';
	memset(sa57, 's', 57);
	sa57[57] = '\0';
	memset(sa300, 's', 300);
	sa300[300] = '\0';

	expect("mxp-a-system", "mxp-controller", "mxp-a-system_mxp-controller", "plain: NS_SA");
	expect("a", "b", "a_b", "the shortest plain name, 3 characters");
	expect("a-b", "c", "a-b_c", "a-b + c ...");
	expect("a", "b-c", "a_b-c", "... and a + b-c stay apart");
	wi_trust_azure_name(ns63, sa56, got);
	check(strlen(got) == 120 && !strstr(got, "__"), "120 characters: still plain", ns63, sa56,
		got);
	wi_trust_azure_name(ns63, sa57, got);
	check(strlen(got) == 120 && strstr(got, "__") && azure_valid(got),
		"121 characters: cut to 120, with a digest", ns63, sa57, got);
	expect(ns63, sa300, NULL, "a 300-character name");
	expect("mxp-a-system", "x.y", NULL, "a '.'");
	expect("-A_B", "c", NULL, "upper case, '_' and a leading '-'");
	expect("...", "...", NULL, "no letter or digit at all");
	wi_trust_azure_name("...", "...", got);
	check(strlen(got) == 12, "no letter or digit at all: the digest alone", "...", "...", got);
	expect("", "", NULL, "empty strings");
	expect("o'brien", "mxp-controller", NULL, "a quote");

	for (size_t i = 0; i < N; i++) {
		char ns[100], sa[100];
		size_t ns_len = 1 + (size_t)(next() % 3), sa_len = 1 + (size_t)(next() % 3);

		for (size_t j = 0; j < ns_len; j++)
			ns[j] = alphabet[next() % (sizeof(alphabet) - 1)];
		ns[ns_len] = '\0';
		for (size_t j = 0; j < sa_len; j++)
			sa[j] = alphabet[next() % (sizeof(alphabet) - 1)];
		sa[sa_len] = '\0';
		wi_trust_azure_name(ns, sa, all[i].name);
		bad += !azure_valid(all[i].name);
		/* The pair, written so that distinct pairs give distinct text. */
		snprintf(all[i].pair, sizeof(all[i].pair), "%zu:%s%s", ns_len, ns, sa);
	}
	check(bad == 0, "20000 random pairs: every name follows Azure's rule", "", "", "");
	qsort(all, N, sizeof(*all), by_name);
	for (size_t i = 1; i < N; i++)
		if (strcmp(all[i].name, all[i - 1].name) == 0 && strcmp(all[i].pair, all[i - 1].pair))
			repeats++;
	check(repeats == 0, "20000 random pairs: distinct pairs, distinct names", "", "", "");
	free(all);
	printf("1..%d\n", tests);
	return failures > 0;
}
