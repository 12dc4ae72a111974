/* How Kubernetes would read a YAML scalar. */
#include "scalar.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

#define TAG_PREFIX "tag:yaml.org,2002:"
#define STR_TAG TAG_PREFIX "str"
#define NULL_TAG TAG_PREFIX "null"

/*
 * The model is go-yaml v2's resolve(), which sigs.k8s.io/yaml (and so kubectl, Helm
 * and the API server's YAML input) uses, decoding into interface{} before JSON. It
 * is YAML 1.1 with these differences, each of which decides how the API server
 * reads an annotation or label value:
 * - Timestamps ("2024-01-02") resolve as such, but decoding into interface{}
 *   keeps them as the string written ("for backward compatibility"): strings.
 * - Sexagesimal numbers ("1:30") are not numbers: strings.
 * - "0o17" is an integer (Go's strconv reads the prefix), as in YAML 1.2.
 * - An integer is one that Go's ParseInt (int64) or ParseUint (uint64) accepts; a
 *   decimal that fits neither is a float, but a hexadecimal, octal or binary one is
 *   a string, and so is a float that overflows ("1e400").
 * - Underscores are dropped anywhere after the first character ("._5" is 0.5).
 * - ".nan" takes no sign: "+.nan" is a string.
 */

static bool is_one_of(const char *v, size_t len, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == len && memcmp(v, *words, len) == 0)
			return true;
	return false;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/* Go's strconv.ParseInt(s, 0, 64) or ParseUint(s, 0, 64) succeeds: an optional sign
 * (ParseInt only), then 0x/0X hex, 0b/0B binary, 0o/0O or a leading 0 octal, or
 * decimal, at least one digit, in range. */
static bool go_parses_int(const char *s, size_t len)
{
	bool neg = false, sign = false;
	unsigned base = 10;
	uint64_t v = 0, limit;
	size_t i = 0;

	if (len && (s[0] == '+' || s[0] == '-'))
		sign = true, neg = s[0] == '-', i++;
	if (len - i >= 2 && s[i] == '0') {
		char p = s[i + 1];

		base = p == 'x' || p == 'X' ? 16 : p == 'b' || p == 'B' ? 2 : p == 'o' || p == 'O' ? 8 : 10;
		if (base != 10)
			i += 2;
		else
			base = 8, i++; /* "0755"; the 0 itself is a digit, so "0" is fine too */
		if (base == 8 && i == len)
			return true;
	}
	if (i == len)
		return false;
	/* ParseUint takes no sign, so a sign limits the range to int64's. */
	limit = !sign ? UINT64_MAX : neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < len; i++) {
		unsigned d = (unsigned)digit_value(s[i]);

		if (d >= base || v > (limit - d) / base)
			return false;
		v = v * base + d;
	}
	return true;
}

/* ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$, go-yaml's yamlStyleFloat. */
static bool float_shape(const char *s, size_t len)
{
	size_t i = 0, start;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	start = i;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == start) {
		if (i >= len || s[i] != '.' || i + 1 >= len || s[i + 1] < '0' || s[i + 1] > '9')
			return false;
	}
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		start = i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return false;
	}
	return i == len;
}

/* go-yaml's numeric branch: for a plain scalar starting with a sign, a dot or a
 * digit, with every underscore dropped. */
static bool is_number(const char *v, size_t len)
{
	char small[128], *s = small;
	size_t n = 0;
	bool number;

	if (len == 0 || !strchr("+-.0123456789", v[0]) || memchr(v, '\0', len))
		return false;
	if (len >= sizeof(small))
		s = wi_xmalloc(len + 1);
	for (size_t i = 0; i < len; i++)
		if (v[i] != '_')
			s[n++] = v[i];
	s[n] = '\0';
	number = go_parses_int(s, n);
	if (!number && float_shape(s, n)) {
		double d;

		errno = 0;
		d = strtod(s, NULL);
		/* ParseFloat fails only on overflow here: ±Inf, ERANGE. Underflow is 0. */
		number = !isinf(d);
	}
	if (s != small)
		free(s);
	return number;
}

/* The tags go-yaml v2 resolves besides !!str, and !!binary, which it decodes. */
static const char *const typed_tags[] = {"!!bool", "!!int", "!!float", "!!null", "!!timestamp",
	NULL};

/* "bool" for "tag:yaml.org,2002:bool"; NULL for a tag outside YAML's own. */
static const char *standard_name(const char *tag)
{
	if (strncmp(tag, TAG_PREFIX, sizeof(TAG_PREFIX) - 1) != 0)
		return NULL;
	return tag + sizeof(TAG_PREFIX) - 1;
}

enum wi_tag_effect wi_scalar_tag_effect(const char *tag)
{
	const char *name;

	if (!tag)
		return WI_TAG_NONE;
	name = standard_name(tag);
	if (!name)
		return WI_TAG_STRING;
	if (strcmp(name, "binary") == 0)
		return WI_TAG_BINARY;
	for (const char *const *t = typed_tags; *t; t++)
		if (strcmp(*t + 2, name) == 0)
			return WI_TAG_TYPED;
	return WI_TAG_STRING;
}

const char *wi_scalar_tag_short(const char *tag)
{
	const char *name = tag ? standard_name(tag) : NULL;

	if (!name)
		return tag;
	if (strcmp(name, "binary") == 0)
		return "!!binary";
	for (const char *const *t = typed_tags; *t; t++)
		if (strcmp(*t + 2, name) == 0)
			return *t;
	return tag;
}

bool wi_scalar_is_null(const char *value, size_t len, bool plain, const char *tag)
{
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};

	if (tag)
		return strcmp(tag, NULL_TAG) == 0;
	return plain && is_one_of(value, len, nulls);
}

bool wi_scalar_is_string(const char *value, size_t len, bool plain, const char *tag)
{
	static const char *const words[] = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No",
		"NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off",
		"Off", "OFF", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf",
		"-.INF", ".nan", ".NaN", ".NAN", NULL};

	/* libyaml reports "!" for a scalar given the non-specific tag. */
	if (tag)
		return wi_scalar_tag_effect(tag) == WI_TAG_STRING;
	if (!plain)
		return true;
	return !wi_scalar_is_null(value, len, plain, NULL) && !is_one_of(value, len, words) &&
	       !is_number(value, len);
}
