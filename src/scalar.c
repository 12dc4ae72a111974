/* How Kubernetes would read a YAML scalar. */
#include "scalar.h"

#include <string.h>

#define STR_TAG "tag:yaml.org,2002:str"
#define NULL_TAG "tag:yaml.org,2002:null"

static bool is_one_of(const char *v, size_t len, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == len && memcmp(v, *words, len) == 0)
			return true;
	return false;
}

static bool all_in(const char *v, size_t len, const char *set)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (v[i] == '\0' || !strchr(set, v[i]))
			return false;
	return true;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* [0-9][0-9_]* from *i; returns whether at least one digit was read. */
static bool digits(const char *v, size_t len, size_t *i)
{
	size_t start = *i;

	if (*i >= len || !is_digit(v[*i]))
		return false;
	while (*i < len && (is_digit(v[*i]) || v[*i] == '_'))
		(*i)++;
	return *i > start;
}

/* Integers in YAML 1.1 and 1.2 forms, sexagesimal included. */
static bool is_int(const char *v, size_t len)
{
	size_t i = 0;

	if (len && (v[0] == '+' || v[0] == '-'))
		v++, len--;
	if (len > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))
		return all_in(v + 2, len - 2, "0123456789abcdefABCDEF_");
	if (len > 2 && v[0] == '0' && (v[1] == 'b' || v[1] == 'B'))
		return all_in(v + 2, len - 2, "01_");
	if (len > 2 && v[0] == '0' && (v[1] == 'o' || v[1] == 'O'))
		return all_in(v + 2, len - 2, "01234567_");
	if (!digits(v, len, &i))
		return false;
	while (i < len && v[i] == ':') {
		size_t start = ++i;

		while (i < len && is_digit(v[i]))
			i++;
		if (i == start || i - start > 2)
			return false;
	}
	return i == len;
}

static bool is_float(const char *v, size_t len)
{
	static const char *const special[] = {".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN", NULL};
	size_t i = 0;
	bool mantissa;

	if (len && (v[0] == '+' || v[0] == '-')) {
		if (is_one_of(v + 1, len - 1, special) && v[2] != 'n' && v[2] != 'N')
			return true;
		v++, len--;
	}
	if (is_one_of(v, len, special))
		return true;
	mantissa = digits(v, len, &i);
	if (i < len && v[i] == '.') {
		i++;
		mantissa = digits(v, len, &i) || mantissa;
	}
	if (!mantissa)
		return false;
	if (i < len && (v[i] == 'e' || v[i] == 'E')) {
		i++;
		if (i < len && (v[i] == '+' || v[i] == '-'))
			i++;
		if (!digits(v, len, &i))
			return false;
	}
	return i == len;
}

/* YAML 1.1 timestamps start with a date: [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}. */
static bool is_timestamp(const char *v, size_t len)
{
	size_t i = 0, n;

	for (n = 0; i < len && is_digit(v[i]); i++, n++)
		;
	if (n != 4 || i >= len || v[i++] != '-')
		return false;
	for (n = 0; i < len && is_digit(v[i]); i++, n++)
		;
	if (n < 1 || n > 2 || i >= len || v[i++] != '-')
		return false;
	for (n = 0; i < len && is_digit(v[i]); i++, n++)
		;
	return n >= 1 && n <= 2 && (i == len || v[i] == 'T' || v[i] == 't' || v[i] == ' ');
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
	static const char *const bools[] = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No",
		"NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off",
		"Off", "OFF", NULL};

	/* libyaml reports "!" for a quoted scalar given the non-specific tag. */
	if (tag)
		return strcmp(tag, STR_TAG) == 0 || strcmp(tag, "!") == 0;
	if (!plain)
		return true;
	return !wi_scalar_is_null(value, len, plain, NULL) && !is_one_of(value, len, bools) &&
	       !is_int(value, len) && !is_float(value, len) && !is_timestamp(value, len);
}
