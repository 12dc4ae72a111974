/* wi_scalar_is_string against a table of YAML 1.1 scalars, each row saying how
 * Kubernetes (sigs.k8s.io/yaml: go-yaml v2's resolution, decoded into interface{})
 * reads it, and where that differs from the YAML 1.1 type repository. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "scalar.h"

#define STR "tag:yaml.org,2002:str"
#define INT "tag:yaml.org,2002:int"

struct row {
	const char *value;
	bool plain;
	const char *tag;
	bool is_string; /* as Kubernetes reads it */
	const char *why;
};

static const struct row rows[] = {
	/* Booleans: YAML 1.1's whole set, which go-yaml v2 keeps. */
	{"true", true, NULL, false, "bool"},
	{"False", true, NULL, false, "bool"},
	{"TRUE", true, NULL, false, "bool"},
	{"tRUE", true, NULL, true, "mixed case is no bool"},
	{"y", true, NULL, false, "YAML 1.1 bool"},
	{"Y", true, NULL, false, "YAML 1.1 bool"},
	{"n", true, NULL, false, "YAML 1.1 bool"},
	{"yes", true, NULL, false, "YAML 1.1 bool"},
	{"No", true, NULL, false, "YAML 1.1 bool"},
	{"on", true, NULL, false, "YAML 1.1 bool"},
	{"OFF", true, NULL, false, "YAML 1.1 bool"},
	{"oN", true, NULL, true, "mixed case is no bool"},
	{"yeS", true, NULL, true, "mixed case is no bool"},
	{"true", false, NULL, true, "quoted"},
	{"yes", false, "!", true, "quoted: libyaml's non-specific tag"},
	/* Null. */
	{"", true, NULL, false, "null"},
	{"~", true, NULL, false, "null"},
	{"null", true, NULL, false, "null"},
	{"NULL", true, NULL, false, "null"},
	{"nULL", true, NULL, true, "mixed case is no null"},
	{"", false, NULL, true, "an empty quoted string"},
	/* Integers: decimal, hexadecimal, octal, binary. */
	{"0", true, NULL, false, "int"},
	{"3600", true, NULL, false, "int"},
	{"-3600", true, NULL, false, "int"},
	{"+3600", true, NULL, false, "int"},
	{"1_000", true, NULL, false, "int: underscores are dropped"},
	{"_1000", true, NULL, true, "a leading underscore: no number"},
	{"0x1F", true, NULL, false, "hex int"},
	{"0X1f", true, NULL, false, "hex int"},
	{"-0x1f", true, NULL, false, "hex int"},
	{"0x_1f", true, NULL, false, "hex int: underscores are dropped"},
	{"0x", true, NULL, true, "no digits"},
	{"0x_", true, NULL, true, "no digits"},
	{"0xg", true, NULL, true, "no hex digit"},
	{"0xFFFFFFFFFFFFFFFF", true, NULL, false, "fits uint64"},
	{"0x1FFFFFFFFFFFFFFFF", true, NULL, true, "hex beyond 64 bits: go-yaml gives up, a string"},
	{"-0xFFFFFFFFFFFFFFFF", true, NULL, true, "below int64: a string"},
	{"0755", true, NULL, false, "YAML 1.1 octal"},
	{"0o755", true, NULL, false, "YAML 1.2 octal, which Go's ParseInt reads"},
	{"0O17", true, NULL, false, "octal"},
	{"0o8", true, NULL, true, "no octal digit"},
	{"089", true, NULL, false, "no octal, but a float to go-yaml"},
	{"0b1010", true, NULL, false, "binary int"},
	{"-0b1", true, NULL, false, "binary int"},
	{"0b2", true, NULL, true, "no binary digit"},
	{"18446744073709551616", true, NULL, false, "beyond uint64: a float"},
	/* Sexagesimal: YAML 1.1 ints and floats, but go-yaml never implemented them. */
	{"190:20:30", true, NULL, true, "sexagesimal: a string to Kubernetes"},
	{"1:30", true, NULL, true, "sexagesimal: a string to Kubernetes"},
	{"-1:30.5", true, NULL, true, "sexagesimal float: a string to Kubernetes"},
	/* Floats. */
	{"1.5", true, NULL, false, "float"},
	{"1.", true, NULL, false, "float"},
	{".5", true, NULL, false, "float"},
	{"-.5", true, NULL, false, "float"},
	{"1e3", true, NULL, false, "float (YAML 1.1 wants a dot; go-yaml does not)"},
	{"6.8523015e+5", true, NULL, false, "float"},
	{"1_000.5", true, NULL, false, "float: underscores are dropped"},
	{"._5", true, NULL, false, "float: underscores are dropped"},
	{"1e", true, NULL, true, "no exponent digits"},
	{"e3", true, NULL, true, "no mantissa"},
	{".", true, NULL, true, "a dot"},
	{"1.2.3", true, NULL, true, "a version"},
	{"1e400", true, NULL, true, "overflows: go-yaml gives up, a string"},
	{"1e-400", true, NULL, false, "underflows to 0: a float"},
	{"0x1p-2", true, NULL, true, "hex float: not go-yaml's float syntax"},
	{".inf", true, NULL, false, "infinity"},
	{"-.Inf", true, NULL, false, "infinity"},
	{"+.INF", true, NULL, false, "infinity"},
	{".iNF", true, NULL, true, "mixed case"},
	{"inf", true, NULL, true, "no dot"},
	{".nan", true, NULL, false, "not a number"},
	{".NaN", true, NULL, false, "not a number"},
	{"+.nan", true, NULL, true, "a signed .nan is no float in YAML 1.1 nor go-yaml"},
	{"-.NAN", true, NULL, true, "a signed .nan is no float in YAML 1.1 nor go-yaml"},
	/* Timestamps: YAML 1.1 types them, go-yaml too, but hands them back as the
	 * string written when decoding into interface{}, as sigs.k8s.io/yaml does. */
	{"2024-01-02", true, NULL, true, "timestamp: the string written"},
	{"2001-12-14t21:59:43.10-05:00", true, NULL, true, "timestamp: the string written"},
	{"2001-12-14 21:59:43.10 -5", true, NULL, true, "timestamp: the string written"},
	/* Strings. */
	{"11111111-2222-3333-4444-555555555555", true, NULL, true, "a GUID"},
	{"1111e111-2222-3333-4444-555555555555", true, NULL, true, "a GUID"},
	{"arn:aws:iam::123456789012:role/x", true, NULL, true, "an ARN"},
	{"<<", true, NULL, true, "the merge key, as a value"},
	{"3600s", true, NULL, true, "a unit"},
	/* Tags decide. */
	{"3600", true, STR, true, "!!str"},
	{"abc", true, INT, false, "!!int"},
	{"true", false, "tag:yaml.org,2002:bool", false, "!!bool, even quoted"},
	{"2024-01-02", true, "tag:yaml.org,2002:timestamp", false, "!!timestamp: retyped"},
	{"dHJ1ZQ==", true, "tag:yaml.org,2002:binary", false, "!!binary: decoded bytes, not the text"},
	{"true", true, "!", true, "the non-specific tag: unresolved, the text"},
	{"true", true, "!custom", true, "a local tag go-yaml does not know: the text"},
	{"3600", true, "tag:example.com,2024:x", true, "a global tag go-yaml does not know: the text"},
	{"x", true, "tag:yaml.org,2002:merge", true, "!!merge on a value: unresolved, the text"},
};

int main(void)
{
	size_t n = sizeof(rows) / sizeof(rows[0]);
	int failures = 0;

	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		bool got = wi_scalar_is_string(r->value, strlen(r->value), r->plain, r->tag);

		failures += got != r->is_string;
		printf("%s %zu - %s%s%s is %sa string: %s\n", got == r->is_string ? "ok" : "not ok",
			i + 1, r->plain ? "" : "quoted ", r->value, r->tag ? " (tagged)" : "",
			r->is_string ? "" : "not ", r->why);
	}
	printf("1..%zu\n", n);
	return failures ? 1 : 0;
}
