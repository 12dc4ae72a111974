/* The splice's bounds: an edit may start anywhere from 0 to len and remove up to the
 * end, never past it, and never overlap another (wi_splice_order refuses the plan);
 * the pieces of an accepted plan, joined, are the edited text, and none is empty.
 * Offsets near SIZE_MAX are there because len - offset wraps around for them. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "splice.h"

static int tests, failures;

struct edit {
	size_t offset, remove;
	const char *text;
};

/* Splices "abcdef" with the edits; expected NULL means the plan must be refused. */
static void check(const char *name, const struct edit *edits, size_t n, const char *expected)
{
	static const char data[] = "abcdef";
	struct wi_plan plan = {0};
	struct wi_buf out = {0};
	struct wi_piece *pieces = NULL;
	size_t cap = 0, n_pieces = 0;
	int rc;
	bool ok;

	wi_buf_puts(&out, "<"); /* what was there before must stay, and nothing more */
	for (size_t i = 0; i < n; i++) {
		char *text = malloc(strlen(edits[i].text) + 1);

		if (!text)
			abort();
		strcpy(text, edits[i].text);
		wi_splice_add(&plan, edits[i].offset, edits[i].remove, text, 0);
	}
	rc = wi_splice_order(&plan, sizeof(data) - 1);
	if (rc == 0)
		n_pieces = wi_splice_pieces(data, sizeof(data) - 1, &plan, &pieces, &cap);
	for (size_t i = 0; i < n_pieces; i++) {
		if (!pieces[i].len)
			rc = -2;
		wi_buf_append(&out, pieces[i].data, pieces[i].len);
	}
	if (expected)
		ok = rc == 0 && out.len == strlen(expected) + 1 && memcmp(out.data + 1, expected,
			strlen(expected)) == 0;
	else
		ok = rc == -1 && out.len == 1;
	tests++;
	if (!ok) {
		failures++;
		printf("not ok %d - %s: rc %d, output \"%.*s\"\n", tests, name, rc,
			out.len ? (int)out.len - 1 : 0, out.len ? out.data + 1 : "");
	} else {
		printf("ok %d - %s\n", tests, name);
	}
	wi_splice_release(&plan);
	wi_buf_release(&out);
	free(pieces);
}

#define CHECK(name, expected, ...)                                                         \
	do {                                                                               \
		const struct edit e[] = {__VA_ARGS__};                                     \
		check(name, e, sizeof(e) / sizeof(e[0]), expected);                        \
	} while (0)

int main(void)
{
	check("no edits", NULL, 0, "abcdef");
	CHECK("insert at the start", "Xabcdef", {0, 0, "X"});
	CHECK("insert at the end", "abcdefX", {6, 0, "X"});
	CHECK("replace everything", "X", {0, 6, "X"});
	CHECK("replace the last byte", "abcdeX", {5, 1, "X"});
	CHECK("empty insertion at the end", "abcdef", {6, 0, ""});
	CHECK("edits that touch", "aXYdef", {1, 1, "X"}, {2, 1, "Y"});
	CHECK("insertion before a replacement at its offset", "aXYcdef", {1, 1, "Y"},
		{1, 0, "X"});
	CHECK("offset one past the end", NULL, {7, 0, "X"});
	CHECK("offset far past the end", NULL, {1000, 0, "X"});
	CHECK("offset SIZE_MAX", NULL, {SIZE_MAX, 0, "X"});
	CHECK("offset SIZE_MAX removing 1", NULL, {SIZE_MAX, 1, "X"});
	CHECK("offset past the end after a valid edit", NULL, {0, 1, "X"}, {8, 0, "Y"});
	CHECK("remove one past the end", NULL, {5, 2, "X"});
	CHECK("remove from the end", NULL, {6, 1, "X"});
	CHECK("remove SIZE_MAX", NULL, {1, SIZE_MAX, "X"});
	CHECK("overlapping replacements", NULL, {1, 2, "X"}, {2, 1, "Y"});
	CHECK("insertion inside a replacement", NULL, {1, 3, "X"}, {2, 0, "Y"});
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
