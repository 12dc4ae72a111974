/* wi_buf_put_quoted, the one escaper, against two parsers: every ASCII byte, alone
 * and among text and UTF-8, quoted as YAML is read back by libyaml as the same
 * bytes, quoted as JSON by cJSON, and the quoted form is one line. */
#include <cJSON.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "buf.h"

/* The value of "key: <quoted>" as libyaml reads it, into out; -1 if it fails. */
static int yaml_value(const char *doc, struct wi_buf *out)
{
	yaml_parser_t parser;
	yaml_event_t event;
	int scalars = 0, rc = -1;

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)doc, strlen(doc));
	for (;;) {
		if (!yaml_parser_parse(&parser, &event))
			break;
		if (event.type == YAML_SCALAR_EVENT && ++scalars == 2) {
			wi_buf_append(out, event.data.scalar.value, event.data.scalar.length);
			rc = event.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE ? 0 : -1;
		}
		if (event.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&event);
			break;
		}
		yaml_event_delete(&event);
	}
	yaml_parser_delete(&parser);
	return rc;
}

static int check(const char *value, int n, const char *what)
{
	struct wi_buf y = {0}, j = {0}, doc = {0}, back = {0};
	cJSON *json;
	bool ok;

	wi_buf_put_quoted(&y, value, false);
	wi_buf_put_quoted(&j, value, true);
	wi_buf_printf(&doc, "key: %s\n", y.data);
	ok = !strpbrk(y.data, "\r\n") && !strpbrk(j.data, "\r\n") && yaml_value(doc.data, &back) == 0 &&
	     back.len == strlen(value) && memcmp(back.data, value, back.len) == 0;
	json = cJSON_Parse(j.data);
	ok = ok && cJSON_IsString(json) && strcmp(cJSON_GetStringValue(json), value) == 0;
	cJSON_Delete(json);
	printf("%s %d - %s: YAML %s, JSON %s\n", ok ? "ok" : "not ok", n, what, y.data, j.data);
	wi_buf_release(&y);
	wi_buf_release(&j);
	wi_buf_release(&doc);
	wi_buf_release(&back);
	return !ok;
}

int main(void)
{
	int n = 0, failures = 0;
	char value[64], what[64];

	for (int c = 1; c < 0x80; c++) {
		snprintf(value, sizeof(value), "%c", c);
		snprintf(what, sizeof(what), "byte 0x%02x alone", c);
		failures += check(value, ++n, what);
		snprintf(value, sizeof(value), "a%c\xc3\xa9 b", c);
		snprintf(what, sizeof(what), "byte 0x%02x among text and UTF-8", c);
		failures += check(value, ++n, what);
	}
	failures += check("", ++n, "the empty string");
	failures += check("say \"hi\"\\\tthen\nnext\r\n", ++n, "quotes, backslash and line breaks");
	printf("1..%d\n", n);
	return failures != 0;
}
