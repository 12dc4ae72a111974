/* A guard against flow collections nested too deep for libyaml to parse in time. */
#include "depth.h"

#include <stdbool.h>
#include <string.h>
#include <yaml.h>

#include "text.h"
#include "vec.h"

/*
 * Why here, before the parse proper, and why this way (measured on 100,000 nested
 * "[" or "{a: " on this project's shared 2-core machine, CPU time, -O2):
 * - A depth counter on libyaml's events reaches depth 10,001 after the scanner has
 *   done the quadratic work for the first 10,001 levels only: 0.3 to 0.5 s for "[",
 *   0.8 to 1.0 s for "{a: ", against 19 s and 30 s for the whole input. That is the cost of the
 *   refusal, paid once; the exact answer comes from libyaml itself, so quotes,
 *   comments, block scalars and plain scalars holding brackets are read exactly
 *   as the parse proper reads them, and nothing valid is refused.
 * - A second parse of every unit would cost as much as the first, so a cheap bound
 *   comes first: a flow collection starts with "[" or "{", so a unit holding at
 *   most WI_MAX_FLOW_DEPTH of those bytes, anywhere, cannot nest deeper; nor can
 *   one in which no document holds more (document_over_limit). Counting
 *   them runs at gigabytes a second (count_openers); real charts have far fewer
 *   brackets per unit (a unit is about 256 KiB; at most 4,821 in ../shared/corpus),
 *   except large JSON embedded in a ConfigMap, which then costs one extra parse of
 *   that unit.
 * - Counting depth in the splitter's own scan would need a second YAML lexer
 *   (quotes, comments, block scalars, plain scalars that may hold brackets) that
 *   must agree with libyaml's everywhere, or refuse valid input.
 */
/* "[" is 0x5B and "{" 0x7B: with bit 5 set, both read 0x7B, and no other byte does. */
#define OPENER(c) (((unsigned char)(c) | 0x20) == 0x7B)

/* -1 in each lane of the 16 bytes at p that opens a flow collection, else 0. */
static wi_v16 openers16(const char *p)
{
	return (wi_v16)((wi_v16_load(p) | 0x20) == 0x7B);
}

/* Four vectors a loop (vec.h): a byte loop would take a tenth of the whole run's
 * time. A lane counts to at most 255, so the lanes are summed every 63 loops (at
 * most 252 in each). */
static size_t count_openers(const char *data, size_t len)
{
	size_t n = 0, i = 0;

	while (len - i >= 64) {
		wi_v16 acc = {0};
		size_t loops = (len - i) / 64 > 63 ? 63 : (len - i) / 64;

		for (size_t k = 0; k < loops; k++, i += 64) {
			acc -= openers16(data + i); /* a match is -1 in its lane */
			acc -= openers16(data + i + 16);
			acc -= openers16(data + i + 32);
			acc -= openers16(data + i + 48);
		}
		for (int lane = 0; lane < 16; lane++)
			n += acc[lane];
	}
	for (; i < len; i++)
		n += OPENER(data[i]);
	return n;
}

/*
 * Whether some document of the unit holds more than WI_MAX_FLOW_DEPTH openers. A
 * "---" at column 0 followed by a blank is a document marker to libyaml at any flow
 * level: inside a flow collection it is an error, so in valid YAML every flow
 * collection closes before one, and no document can nest deeper than it holds
 * openers. This keeps a unit of many bracket-dense documents (JSON dashboards in
 * ConfigMaps, 9,000 brackets per 256 KiB) from a second parse. Only LF breaks are
 * looked for: a unit whose lines end in CR alone counts as one document, which
 * only makes the bound looser.
 */
static bool document_over_limit(const char *data, size_t len)
{
	size_t start = 0, at = 0;

	for (;;) {
		const char *nl = memchr(data + at, '\n', len - at);
		size_t end = len;

		if (nl) {
			at = (size_t)(nl - data) + 1;
			if (len - at < 3 || memcmp(data + at, "---", 3) != 0 ||
			    (len - at > 3 && !strchr(" \t\r\n", data[at + 3])) ||
			    (len - at > 3 && data[at + 3] == '\0'))
				continue;
			end = at;
		}
		if (count_openers(data + start, end - start) > WI_MAX_FLOW_DEPTH)
			return true;
		if (!nl)
			return false;
		start = end;
	}
}

int wi_depth_check(const char *data, size_t len, struct wi_error *err)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	size_t flow = 0;
	int rc = 0;

	if (count_openers(data, len) <= WI_MAX_FLOW_DEPTH || !document_over_limit(data, len))
		return 0;
	if (!yaml_parser_initialize(&parser))
		return 0;
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (yaml_parser_parse(&parser, &ev)) {
		yaml_event_type_t type = ev.type;
		bool flow_start = (type == YAML_SEQUENCE_START_EVENT &&
					  ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE) ||
				  (type == YAML_MAPPING_START_EVENT &&
					  ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE);

		/* Only flow collections nest in a flow collection, so while inside one,
		 * every end closes a flow collection. */
		if (flow_start && ++flow > WI_MAX_FLOW_DEPTH) {
			struct wi_text text;
			struct wi_pos pos = {{0}, ev.start_mark.line, ev.start_mark.column};

			wi_text_init(&text, data, len);
			pos.at = wi_text_byte(&text, (struct wi_chars){ev.start_mark.index});
			wi_error_at(err, &pos, "flow collection nested %zu deep: more than %d "
				"levels is refused, as Kubernetes' YAML decoder does (parsing time "
				"grows with the square of the depth)", flow, WI_MAX_FLOW_DEPTH);
			rc = -1;
		} else if (flow > 0 &&
			   (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT)) {
			flow--;
		}
		yaml_event_delete(&ev);
		if (rc || type == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&parser);
	return rc;
}
