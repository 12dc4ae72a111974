/* wi_depth_check at its edges: WI_MAX_FLOW_DEPTH nested flow collections pass and one
 * more is refused at that bracket's line and column (in characters), for sequences,
 * mappings and both mixed; brackets that libyaml reads as scalar text or comments
 * never count; invalid YAML is left to the parse proper. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "depth.h"

static int tests, failures;

static void expect(const char *name, struct wi_buf *in, int rc_expected, size_t line, size_t column)
{
	struct wi_error err = {0};
	int rc = wi_depth_check(in->data, in->len, &err);
	bool ok = rc == rc_expected && (rc == 0 || (err.line == line && err.column == column &&
						      strstr(err.message, "10001 deep")));

	tests++;
	failures += !ok;
	printf("%s %d - %s", ok ? "ok" : "not ok", tests, name);
	if (!ok)
		printf(": rc %d at %zu:%zu: %s", rc, err.line, err.column, err.message);
	printf("\n");
	wi_buf_clear(in);
}

/* "data:\n  KEY: " then n openers (alternating when mixed), closed again. */
static void nest(struct wi_buf *b, const char *key, size_t n, int kind)
{
	wi_buf_printf(b, "kind: ConfigMap\ndata:\n  %s: ", key);
	for (size_t i = 0; i < n; i++)
		wi_buf_puts(b, kind == 0 || (kind == 2 && i % 2) ? "[" : "{a: ");
	wi_buf_puts(b, "x");
	for (size_t i = n; i-- > 0;)
		wi_buf_puts(b, kind == 0 || (kind == 2 && i % 2) ? "]" : "}");
	wi_buf_puts(b, "\n");
}

int main(void)
{
	struct wi_buf b = {0};
	static const char *const kinds[] = {"sequences", "mappings", "both"};

	for (int k = 0; k < 3; k++) {
		char name[96];
		/* The opener at depth 10,001 starts after 10,000 of them. */
		size_t width = k == 0 ? 1 : 4, col;

		nest(&b, "deep", WI_MAX_FLOW_DEPTH, k);
		snprintf(name, sizeof(name), "%d nested %s pass", WI_MAX_FLOW_DEPTH, kinds[k]);
		expect(name, &b, 0, 0, 0);
		nest(&b, "deep", WI_MAX_FLOW_DEPTH + 1, k);
		col = 9 + (k == 2 ? WI_MAX_FLOW_DEPTH / 2 * 5 : WI_MAX_FLOW_DEPTH * width);
		snprintf(name, sizeof(name), "%d nested %s are refused at the last opener",
			WI_MAX_FLOW_DEPTH + 1, kinds[k]);
		expect(name, &b, -1, 3, col);
	}
	/* The count goes 64 bytes a loop and the rest one by one: keys of other
	 * lengths put the openers at other offsets within those blocks. */
	for (size_t len = 1; len < 64; len += 20) {
		char key[64], name[96];

		memset(key, 'k', len);
		key[len] = '\0';
		nest(&b, key, WI_MAX_FLOW_DEPTH + 1, 0);
		snprintf(name, sizeof(name), "every opener counted, after a key of %zu bytes", len);
		expect(name, &b, -1, 3, 5 + len + WI_MAX_FLOW_DEPTH);
	}
	/* Columns count characters: a two-byte and a three-byte one in the key. */
	nest(&b, "\xC3\xA9\xE2\x82\xAC", WI_MAX_FLOW_DEPTH + 1, 0);
	expect("the column counts characters, not bytes", &b, -1, 3, 7 + WI_MAX_FLOW_DEPTH);

	wi_buf_puts(&b, "a: |\n");
	for (int i = 0; i < 3; i++) {
		wi_buf_puts(&b, "  ");
		for (int j = 0; j < WI_MAX_FLOW_DEPTH; j++)
			wi_buf_putc(&b, "[{"[i % 2]);
		wi_buf_puts(&b, "\n");
	}
	expect("brackets in a block scalar", &b, 0, 0, 0);
	wi_buf_puts(&b, "a: \"");
	for (int j = 0; j < 2 * WI_MAX_FLOW_DEPTH; j++)
		wi_buf_putc(&b, '[');
	wi_buf_puts(&b, "\"\nb: '");
	for (int j = 0; j < WI_MAX_FLOW_DEPTH; j++)
		wi_buf_putc(&b, '{');
	wi_buf_puts(&b, "'\n# ");
	for (int j = 0; j < WI_MAX_FLOW_DEPTH; j++)
		wi_buf_putc(&b, '[');
	wi_buf_puts(&b, "\nc: x");
	for (int j = 0; j < WI_MAX_FLOW_DEPTH; j++)
		wi_buf_putc(&b, '[');
	wi_buf_puts(&b, "\n");
	expect("brackets in quoted and plain scalars and a comment", &b, 0, 0, 0);
	/* Many flat collections: brackets enough to need the parse, but no depth. */
	wi_buf_puts(&b, "a: [");
	for (int j = 0; j < 2 * WI_MAX_FLOW_DEPTH; j++)
		wi_buf_puts(&b, "[x], {y: z}, ");
	wi_buf_puts(&b, "w]\n");
	expect("many flow collections side by side", &b, 0, 0, 0);
	/* Documents are bounded one by one: more openers than the limit in all, fewer
	 * in each; then a deep one after them, found at its own line. */
	for (int d = 0; d < 3; d++) {
		wi_buf_puts(&b, "---\n");
		nest(&b, "deep", WI_MAX_FLOW_DEPTH / 2, 0);
	}
	expect("documents each below the limit, together above it", &b, 0, 0, 0);
	for (int d = 0; d < 2; d++) {
		wi_buf_puts(&b, "--- # a comment after the marker\r\n");
		nest(&b, "deep", WI_MAX_FLOW_DEPTH / 2, 0);
	}
	wi_buf_puts(&b, "---\n");
	nest(&b, "deep", WI_MAX_FLOW_DEPTH + 1, 0);
	expect("a deep document after shallow ones", &b, -1, 2 * 4 + 4, 9 + WI_MAX_FLOW_DEPTH);
	/* Invalid before it is deep: the parse proper reports it, at its own place. */
	wi_buf_puts(&b, "a: b: c\nd: ");
	for (int j = 0; j < 2 * WI_MAX_FLOW_DEPTH; j++)
		wi_buf_putc(&b, '[');
	wi_buf_puts(&b, "\n");
	expect("invalid YAML is left to the parse proper", &b, 0, 0, 0);
	wi_buf_release(&b);
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
