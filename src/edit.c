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

/* What to insert: the added pairs of some groups, either bare (one group), each in a
 * map named after its site, or those maps inside a new "metadata". */
struct content {
	const struct wi_edit_group *groups;
	size_t n;
	unsigned skip; /* bit g set: group g is written elsewhere (there are two groups
	                * at most: labels and annotations) */
	bool named;
	bool meta;
};

static bool has_adds(const struct wi_edit_group *g)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->wants[i].action == WI_ADD)
			return true;
	return false;
}

static bool writes(const struct content *c, size_t g)
{
	return !(c->skip & (1u << g)) && has_adds(&c->groups[g]);
}

static void block_line(struct wi_buf *b, const char *eol, size_t col, const char *key,
	const char *value)
{
	wi_buf_spaces(b, col);
	wi_buf_puts(b, key);
	wi_buf_putc(b, ':');
	if (value) {
		wi_buf_putc(b, ' ');
		put_quoted(b, value);
	}
	wi_buf_puts(b, eol);
}

static void block_text(struct wi_buf *b, const char *eol, size_t col, size_t step,
	const struct content *c)
{
	if (c->meta)
		block_line(b, eol, col, "metadata", NULL), col += step;
	for (size_t g = 0; g < c->n; g++) {
		const struct wi_edit_group *group = &c->groups[g];
		size_t pair_col = c->named ? col + step : col;

		if (!writes(c, g))
			continue;
		if (c->named)
			block_line(b, eol, col, at_names[group->at], NULL);
		for (size_t i = 0; i < group->n; i++)
			if (group->wants[i].action == WI_ADD)
				block_line(b, eol, pair_col, group->wants[i].key, group->wants[i].value);
	}
}

/* Lines inserted at the end of a text with no final line break need one before
 * them: a block scalar ending there would take it into its value ("x" would read
 * "x\n") unless its header strips the last break ("|-", "|2-"). Refused. */
static int refuse_after_tail_block(struct wi_text *text, const struct wi_doc *doc, size_t at,
	const struct wi_pos *pos, struct wi_error *err)
{
	size_t header;

	if (at != text->len || !wi_text_missing_final_eol(text) || doc->tail_block == SIZE_MAX ||
	    wi_text_byte(text, doc->tail_block) != text->len)
		return 0;
	/* The header: "|" or ">", then an indentation digit and a chomping sign. */
	header = wi_text_byte(text, doc->tail_block_start) + 1;
	for (size_t i = header; i < header + 2 && i < text->len; i++)
		if (text->data[i] == '-')
			return 0;
	return fail(err, pos, "cannot add lines after a block scalar that ends the input "
			      "without a line break: its value would change; end the input with one");
}

/* Block lines to insert at byte `at`. At the end of a text with no final line
 * break, the break goes before the lines instead of after: still none at the end. */
static void block_lines(struct wi_buf *b, const struct wi_text *text, size_t at, size_t col,
	size_t step, const struct content *c)
{
	bool at_unterminated_end = at == text->len && wi_text_missing_final_eol(text);

	if (at_unterminated_end)
		wi_buf_puts(b, text->eol);
	block_text(b, text->eol, col, step, c);
	if (at_unterminated_end)
		b->data[b->len -= strlen(text->eol)] = '\0';
}

/* Flow style, without the braces of the map it goes into:
 * "metadata: {labels: {a: "x"}, annotations: {b: "y"}}". */
static void flow_text(struct wi_buf *b, const struct content *c)
{
	bool first_group = true;

	if (c->meta)
		wi_buf_puts(b, "metadata: {");
	for (size_t g = 0; g < c->n; g++) {
		const struct wi_edit_group *group = &c->groups[g];
		bool first = true;

		if (!writes(c, g))
			continue;
		if (!first_group)
			wi_buf_puts(b, ", ");
		first_group = false;
		if (c->named) {
			wi_buf_puts(b, at_names[group->at]);
			wi_buf_puts(b, ": {");
		}
		for (size_t i = 0; i < group->n; i++) {
			if (group->wants[i].action != WI_ADD)
				continue;
			if (!first)
				wi_buf_puts(b, ", ");
			first = false;
			wi_buf_puts(b, group->wants[i].key);
			wi_buf_puts(b, ": ");
			put_quoted(b, group->wants[i].value);
		}
		if (c->named)
			wi_buf_putc(b, '}');
	}
	if (c->meta)
		wi_buf_putc(b, '}');
}

/* Adds the content after the last entry of map `site`. */
static int append_to_map(struct wi_plan *plan, struct wi_text *text, const struct wi_doc *doc,
	const struct wi_site *site, const struct content *c, struct wi_error *err)
{
	struct wi_buf b = {0};
	size_t at, depth = 0;

	if (refuse_shared(doc, site->anchor, &site->start, err))
		return -1;
	if (c->named && site->has_merge)
		return fail(err, &site->start, "cannot add a key to a mapping with a merge key "
					       "(<<): the merged keys would be hidden");
	if (site->shape == WI_FLOW_MAP) {
		if (site->has_keys) {
			at = wi_text_byte(text, site->inner_end);
			wi_buf_puts(&b, ", ");
		} else {
			at = wi_text_byte(text, site->close);
		}
		flow_text(&b, c);
	} else {
		if (site->key_col == SIZE_MAX)
			return fail(err, &site->start, "cannot add a key to a mapping whose "
						       "keys are not plain scalars");
		at = wi_text_insertion_point(text, wi_text_byte(text, site->end));
		if (refuse_after_tail_block(text, doc, at, &site->start, err))
			return -1;
		block_lines(&b, text, at, site->key_col, doc->indent, c);
		depth = site->key_col;
	}
	wi_splice_add(plan, at, 0, b.data, depth);
	return 0;
}

/* Where a value goes that is written for an empty one, and what must precede it:
 * just past the colon after the key (across blanks, line breaks and comments, as
 * libyaml may place the empty value at the next token, even on another line), after
 * a blank; in a flow map with no colon ("{a}"), just past the key, after ": ".
 * False for an explicit "? key" without a ": value" line in a block map, which has
 * no place to write one. */
static bool empty_value_at(const struct wi_text *t, size_t key_end, bool flow, size_t *at,
	const char **lead)
{
	size_t i = key_end, n;

	while (i < t->len) {
		if (t->data[i] == ' ' || t->data[i] == '\t') {
			i++;
		} else if ((n = wi_text_break_at(t, i)) != 0) {
			i += n;
		} else if (t->data[i] == '#') {
			while (i < t->len && !wi_text_break_at(t, i))
				i++;
		} else {
			break;
		}
	}
	if (i < t->len && t->data[i] == ':') {
		*at = i + 1;
		*lead = " ";
		return true;
	}
	*at = key_end;
	*lead = ": ";
	return flow;
}

/* Turns a null value (`labels:`, `labels: ~`, `labels: null`) into the map. */
static int fill_null(struct wi_plan *plan, struct wi_text *text, const struct wi_doc *doc,
	const struct wi_site *site, const struct content *c, struct wi_error *err)
{
	struct wi_buf b = {0};
	size_t start = wi_text_byte(text, site->start.index);
	size_t end = wi_text_byte(text, site->end);
	size_t at;
	const char *lead;

	if (refuse_shared(doc, site->anchor, &site->start, err))
		return -1;
	if (start == end && !empty_value_at(text, wi_text_byte(text, site->key_end),
				    site->parent_flow, &at, &lead))
		return fail(err, &site->key, "cannot write a value for an explicit \"?\" key");
	if (site->parent_flow) {
		if (start == end)
			start = end = at;
		else
			lead = "";
		wi_buf_puts(&b, lead);
		wi_buf_putc(&b, '{');
		flow_text(&b, c);
		wi_buf_putc(&b, '}');
		wi_splice_add(plan, start, end - start, b.data, 0);
		return 0;
	}
	/* Drop the null and the blanks before it, so no trailing blank is left. */
	while (start > 0 && (text->data[start - 1] == ' ' || text->data[start - 1] == '\t'))
		start--;
	if (end > start)
		wi_splice_add(plan, start, end - start, wi_xstrdup(""), 0);
	end = wi_text_insertion_point(text, end);
	if (refuse_after_tail_block(text, doc, end, &site->key, err))
		return -1;
	block_lines(&b, text, end, site->key.column + doc->indent, doc->indent, c);
	wi_splice_add(plan, end, 0, b.data, site->key.column + doc->indent);
	return 0;
}

/* A block scalar's span runs through its last line break and any blank lines
 * after it; those lines are not the value's, and stay. */
static size_t block_scalar_end(const struct wi_text *t, size_t start, size_t end)
{
	while (end > start && wi_text_after_break(t, end)) {
		size_t line = end - 1, i;

		if (line > start && t->data[line] == '\n' && t->data[line - 1] == '\r')
			line--;
		for (i = line; i > start && !wi_text_after_break(t, i); i--)
			;
		/* [i, line) is the line before end: blank, or the scalar's last line. */
		for (size_t j = i; j < line; j++)
			if (t->data[j] != ' ' && t->data[j] != '\t')
				return end;
		if (i <= start)
			return end;
		end = i;
	}
	return end;
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
	if ((e->shape == WI_BLOCK_MAP || e->shape == WI_SEQUENCE) && text->data[start] != '[') {
		/* A block collection may start on the next line, even at the key's own
		 * column ("key:" then "- item"): the new value goes after the colon. */
		size_t colon = wi_text_byte(text, e->key_end);

		while (colon < start && text->data[colon] != ':')
			colon++;
		if (colon == start)
			return fail(err, &e->start, "cannot find the colon before this value");
		start = colon + 1;
		wi_buf_putc(&b, ' ');
	} else if (start == end) {
		const char *lead;

		if (!empty_value_at(text, wi_text_byte(text, e->key_end), e->parent_flow, &start,
			    &lead))
			return fail(err, &e->key_pos, "cannot write a value for an explicit \"?\" key");
		end = start;
		wi_buf_puts(&b, lead);
	}
	put_quoted(&b, value);
	if (e->block_scalar && end > start && wi_text_after_break(text, end)) {
		end = block_scalar_end(text, start, end);
		wi_buf_puts(&b, text->eol);
	}
	wi_splice_add(plan, start, end - start, b.data, 0);
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

/* Keeps or replaces the pairs already there; marks the others to add. Returns the
 * number to add, or -1. */
static long settle_present(struct wi_plan *plan, struct wi_text *text, const struct wi_doc *doc,
	size_t obj, int pod, struct wi_edit_group *g, struct wi_error *err)
{
	long n_add = 0;

	for (size_t i = 0; i < g->n; i++) {
		struct wi_want *w = &g->wants[i];
		const struct wi_entry *e = wi_doc_entry(doc, obj, WI_SITE(pod, g->at), w->key);

		w->old = e ? e->value : NULL;
		if (!e) {
			w->action = WI_ADD;
			n_add++;
		} else if (e->shape == WI_SCALAR && e->is_string && strcmp(e->value, w->value) == 0) {
			w->action = WI_KEEP;
		} else {
			w->action = WI_REPLACE;
			if (replace_value(plan, text, doc, e, w->value, err))
				return -1;
		}
	}
	return n_add;
}

int wi_edit_set(struct wi_plan *plan, struct wi_text *text, const struct wi_doc *doc,
	size_t obj, int pod, struct wi_edit_group *groups, size_t n_groups, struct wi_error *err)
{
	const struct wi_object *o = &doc->objects[obj];
	const struct wi_site *root = &o->sites[WI_SITE(pod, WI_AT_MAP)];
	const struct wi_site *meta = &o->sites[WI_SITE(pod, WI_AT_META)];
	struct content all = {groups, n_groups, 0, true, true};
	/* The maps to create inside metadata: in one insertion, which in a flow map
	 * must separate them ("{labels: {...}, annotations: {...}}"). */
	struct content absent = {groups, n_groups, 0, true, false};
	long n_add = 0;

	for (size_t g = 0; g < n_groups; g++) {
		long n = settle_present(plan, text, doc, obj, pod, &groups[g], err);

		if (n < 0)
			return -1;
		n_add += n;
	}
	if (!n_add)
		return 0;

	if (!is_map(root))
		return not_a_map(root, pod == WI_POD_SELF ? "the document" : "the pod template", err);
	switch (meta->shape) {
	case WI_ABSENT:
		return append_to_map(plan, text, doc, root, &all, err);
	case WI_NULL:
		all.meta = false;
		return fill_null(plan, text, doc, meta, &all, err);
	case WI_BLOCK_MAP:
	case WI_FLOW_MAP:
		break;
	case WI_ALIAS:
		return fail(err, &meta->key, "metadata is an alias; expand it to edit it");
	case WI_SCALAR:
	case WI_SEQUENCE:
		return not_a_map(meta, "metadata", err);
	}
	for (size_t g = 0; g < n_groups; g++) {
		const struct wi_site *leaf = &o->sites[WI_SITE(pod, groups[g].at)];
		struct content one = {&groups[g], 1, 0, false, false};
		int rc = 0;

		if (leaf->shape != WI_ABSENT)
			absent.skip |= 1u << g;
		if (!has_adds(&groups[g]))
			continue;
		switch (leaf->shape) {
		case WI_ABSENT:
			break;
		case WI_NULL:
			rc = fill_null(plan, text, doc, leaf, &one, err);
			break;
		case WI_BLOCK_MAP:
		case WI_FLOW_MAP:
			rc = append_to_map(plan, text, doc, leaf, &one, err);
			break;
		case WI_ALIAS:
			rc = fail(err, &leaf->key, "this mapping is an alias; expand it to edit it");
			break;
		case WI_SCALAR:
		case WI_SEQUENCE:
			rc = not_a_map(leaf, at_names[groups[g].at], err);
			break;
		}
		if (rc)
			return rc;
	}
	for (size_t g = 0; g < n_groups; g++)
		if (writes(&absent, g)) /* then all of them, at once */
			return append_to_map(plan, text, doc, meta, &absent, err);
	return 0;
}
