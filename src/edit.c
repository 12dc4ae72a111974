/* Located nodes + wanted pairs -> planned edits, in the document's own style. */
#include "edit.h"

#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"

static const char *const at_names[WI_N_AT] = {"", "metadata", "labels", "annotations", "spec"};

/* Values are always written double-quoted: a label "true" or an annotation "3600"
 * must reach Kubernetes as a string, never as a bool or a number. */
static void put_quoted(struct wi_buf *b, const char *s)
{
	wi_buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			wi_buf_putc(b, '\\'), wi_buf_putc(b, (char)c);
		else if (c < 0x20 || c == 0x7f)
			wi_buf_printf(b, "\\x%02x", c);
		else
			wi_buf_putc(b, (char)c);
	}
	wi_buf_putc(b, '"');
}

static const struct wi_entry *find_entry(const struct wi_doc *doc, size_t obj, int site,
	const char *key)
{
	for (size_t i = 0; i < doc->n_entries; i++) {
		const struct wi_entry *e = &doc->entries[i];

		if (e->object == obj && e->site == site && strcmp(e->key, key) == 0)
			return e;
	}
	return NULL;
}

static int fail(struct wi_error *err, const struct wi_pos *pos, const char *what)
{
	wi_error_set(err, pos->line + 1, pos->column + 1, "%s", what);
	return -1;
}

static int refuse_shared(const struct wi_doc *doc, int anchor, const struct wi_pos *pos,
	struct wi_error *err)
{
	if (!wi_doc_shared(doc, anchor))
		return 0;
	return fail(err, pos, "cannot edit a node that an alias shares: the change would "
			      "reach the alias too; expand the alias");
}

/* Block style: keys named in `nest`, each inside the previous, then the pairs. */
static void block_text(struct wi_buf *b, const char *eol, size_t col, size_t step,
	const char *const *nest, size_t n_nest, const struct wi_want *wants, size_t n)
{
	for (size_t i = 0; i < n_nest; i++) {
		wi_buf_spaces(b, col + i * step);
		wi_buf_puts(b, nest[i]);
		wi_buf_putc(b, ':');
		wi_buf_puts(b, eol);
	}
	for (size_t i = 0; i < n; i++) {
		if (wants[i].action != WI_ADD)
			continue;
		wi_buf_spaces(b, col + n_nest * step);
		wi_buf_puts(b, wants[i].key);
		wi_buf_puts(b, ": ");
		put_quoted(b, wants[i].value);
		wi_buf_puts(b, eol);
	}
}

/* Block lines to insert at byte `at`. At the end of a text with no final line
 * break, the break goes before the lines instead of after: still none at the end. */
static void block_lines(struct wi_buf *b, const struct wi_text *text, size_t at, size_t col,
	size_t step, const char *const *nest, size_t n_nest, const struct wi_want *wants, size_t n)
{
	bool at_unterminated_end = at == text->len && wi_text_missing_final_eol(text);

	if (at_unterminated_end)
		wi_buf_puts(b, text->eol);
	block_text(b, text->eol, col, step, nest, n_nest, wants, n);
	if (at_unterminated_end)
		b->data[b->len -= strlen(text->eol)] = '\0';
}

/* Flow style: "k: {k2: {a: "x", b: "y"}}" without the outer braces. */
static void flow_text(struct wi_buf *b, const char *const *nest, size_t n_nest,
	const struct wi_want *wants, size_t n)
{
	bool first = true;

	for (size_t i = 0; i < n_nest; i++) {
		wi_buf_puts(b, nest[i]);
		wi_buf_puts(b, ": {");
	}
	for (size_t i = 0; i < n; i++) {
		if (wants[i].action != WI_ADD)
			continue;
		if (!first)
			wi_buf_puts(b, ", ");
		first = false;
		wi_buf_puts(b, wants[i].key);
		wi_buf_puts(b, ": ");
		put_quoted(b, wants[i].value);
	}
	for (size_t i = 0; i < n_nest; i++)
		wi_buf_putc(b, '}');
}

/* Adds the pairs (inside the nest of new keys) after the last entry of map `site`. */
static int append_to_map(struct wi_plan *plan, struct wi_text *text, const struct wi_doc *doc,
	const struct wi_site *site, const char *const *nest, size_t n_nest,
	const struct wi_want *wants, size_t n, struct wi_error *err)
{
	struct wi_buf b = {0};
	size_t at;

	if (refuse_shared(doc, site->anchor, &site->start, err))
		return -1;
	if (n_nest && site->has_merge)
		return fail(err, &site->start, "cannot add a key to a mapping with a merge key "
					       "(<<): the merged keys would be hidden");
	if (site->shape == WI_FLOW_MAP) {
		if (site->has_keys) {
			at = wi_text_byte(text, site->inner_end);
			wi_buf_puts(&b, ", ");
		} else {
			at = wi_text_byte(text, site->close);
		}
		flow_text(&b, nest, n_nest, wants, n);
	} else {
		if (site->key_col == SIZE_MAX)
			return fail(err, &site->start, "cannot add a key to a mapping whose "
						       "keys are not plain scalars");
		at = wi_text_insertion_point(text, wi_text_byte(text, site->end));
		block_lines(&b, text, at, site->key_col, doc->indent, nest, n_nest, wants, n);
	}
	wi_plan_add(plan, at, 0, b.data);
	return 0;
}

/* Turns a null value (`labels:`, `labels: ~`, `labels: null`) into the map. */
static int fill_null(struct wi_plan *plan, struct wi_text *text, const struct wi_doc *doc,
	const struct wi_site *site, const char *const *nest, size_t n_nest,
	const struct wi_want *wants, size_t n, struct wi_error *err)
{
	struct wi_buf b = {0};
	size_t start = wi_text_byte(text, site->start.index);
	size_t end = wi_text_byte(text, site->end);

	if (refuse_shared(doc, site->anchor, &site->start, err))
		return -1;
	if (site->parent_flow) {
		wi_buf_puts(&b, start == end ? " {" : "{");
		flow_text(&b, nest, n_nest, wants, n);
		wi_buf_putc(&b, '}');
		wi_plan_add(plan, start, end - start, b.data);
		return 0;
	}
	/* Drop the null and the blanks before it, so no trailing blank is left. */
	while (start > 0 && text->data[start - 1] == ' ')
		start--;
	if (end > start)
		wi_plan_add(plan, start, end - start, wi_xstrdup(""));
	end = wi_text_insertion_point(text, end);
	block_lines(&b, text, end, site->key.column + doc->indent, doc->indent, nest, n_nest,
		wants, n);
	wi_plan_add(plan, end, 0, b.data);
	return 0;
}

static int replace_value(struct wi_plan *plan, struct wi_text *text, const struct wi_doc *doc,
	const struct wi_entry *e, const char *value, struct wi_error *err)
{
	struct wi_buf b = {0};
	size_t start, end;

	if (refuse_shared(doc, e->anchor, &e->start, err))
		return -1;
	start = wi_text_byte(text, e->start.index);
	end = wi_text_byte(text, e->end);
	put_quoted(&b, value);
	/* A block scalar's span runs through its final line break. */
	if (e->block_scalar && end > start && text->data[end - 1] == '\n')
		wi_buf_puts(&b, text->eol);
	wi_plan_add(plan, start, end - start, b.data);
	return 0;
}

static bool is_map(const struct wi_site *s)
{
	return s->shape == WI_BLOCK_MAP || s->shape == WI_FLOW_MAP;
}

static int not_a_map(const struct wi_site *s, const char *name, struct wi_error *err)
{
	wi_error_set(err, s->key.line + 1, s->key.column + 1, "%s is not a mapping", name);
	return -1;
}

int wi_edit_set(struct wi_plan *plan, struct wi_text *text, const struct wi_doc *doc,
	size_t obj, int pod, int at, struct wi_want *wants, size_t n, struct wi_error *err)
{
	const struct wi_object *o = &doc->objects[obj];
	const struct wi_site *root = &o->sites[WI_SITE(pod, WI_AT_MAP)];
	const struct wi_site *meta = &o->sites[WI_SITE(pod, WI_AT_META)];
	const struct wi_site *leaf = &o->sites[WI_SITE(pod, at)];
	const char *nest[2] = {"metadata", at_names[at]};
	size_t n_add = 0;

	for (size_t i = 0; i < n; i++) {
		const struct wi_entry *e = find_entry(doc, obj, WI_SITE(pod, at), wants[i].key);

		wants[i].old = NULL;
		if (!e) {
			wants[i].action = WI_ADD;
			n_add++;
			continue;
		}
		wants[i].old = e->value;
		if (e->shape == WI_SCALAR && e->is_string && strcmp(e->value, wants[i].value) == 0) {
			wants[i].action = WI_KEEP;
			continue;
		}
		wants[i].action = WI_REPLACE;
		if (replace_value(plan, text, doc, e, wants[i].value, err))
			return -1;
	}
	if (!n_add)
		return 0;

	if (!is_map(root))
		return not_a_map(root, pod == WI_POD_SELF ? "the document" : "the pod template", err);
	switch (meta->shape) {
	case WI_ABSENT:
		return append_to_map(plan, text, doc, root, nest, 2, wants, n, err);
	case WI_NULL:
		return fill_null(plan, text, doc, meta, nest + 1, 1, wants, n, err);
	case WI_BLOCK_MAP:
	case WI_FLOW_MAP:
		break;
	case WI_ALIAS:
		return fail(err, &meta->key, "metadata is an alias; expand it to edit it");
	case WI_SCALAR:
	case WI_SEQUENCE:
		return not_a_map(meta, "metadata", err);
	}
	switch (leaf->shape) {
	case WI_ABSENT:
		return append_to_map(plan, text, doc, meta, nest + 1, 1, wants, n, err);
	case WI_NULL:
		return fill_null(plan, text, doc, leaf, NULL, 0, wants, n, err);
	case WI_BLOCK_MAP:
	case WI_FLOW_MAP:
		return append_to_map(plan, text, doc, leaf, NULL, 0, wants, n, err);
	case WI_ALIAS:
		return fail(err, &leaf->key, "this mapping is an alias; expand it to edit it");
	case WI_SCALAR:
	case WI_SEQUENCE:
		break;
	}
	return not_a_map(leaf, at_names[at], err);
}
