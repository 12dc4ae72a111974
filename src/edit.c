/* Located nodes + wanted pairs -> planned edits, in the document's own style. */
#include "edit.h"

#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"

static const char *const at_names[WI_N_AT] = {"", "metadata", "labels", "annotations", "spec"};

/* How inserted text is written in one object: in a document that is JSON, as JSON
 * laid out like it, else as YAML in the style of the node edited. */
struct style {
	const char *eol; /* the line ending of the object's first line */
	bool json;       /* keys double-quoted too, escapes JSON reads */
	bool pretty;     /* JSON: one entry a line, nested maps indented by step */
	const char *colon; /* after a key */
	const char *comma; /* between members on one line */
	char indent_char;
	size_t step;
};

/* Values are always written double-quoted: a label "true" or an annotation "3600"
 * must reach Kubernetes as a string, never as a bool or a number. */
static void put_quoted(struct wi_buf *b, const struct style *st, const char *s)
{
	wi_buf_put_quoted(b, s, st->json);
}

/* Keys are plain in YAML, where every key the tool writes may be: a domain prefix,
 * a slash and a name. JSON needs them quoted. */
static void put_key(struct wi_buf *b, const struct style *st, const char *key)
{
	if (st->json)
		put_quoted(b, st, key);
	else
		wi_buf_puts(b, key);
}

static void put_indent(struct wi_buf *b, const struct style *st, size_t n)
{
	while (n--)
		wi_buf_putc(b, st->indent_char);
}

/* Past the blanks and line breaks from byte i; *broken tells whether a break was
 * among them. JSON has no comments to pass. */
static size_t skip_space(const struct wi_text *t, size_t i, bool *broken)
{
	size_t n;

	*broken = false;
	while (i < t->len) {
		if (t->data[i] == ' ' || t->data[i] == '\t')
			i++;
		else if ((n = wi_text_break_at(t, i)) != 0)
			i += n, *broken = true;
		else
			break;
	}
	return i;
}

/* The blanks that open the line holding byte at. */
static size_t line_indent(const struct wi_text *t, size_t at)
{
	size_t start = at, n = 0;

	while (start > t->base && !wi_text_after_break(t, start))
		start--;
	while (start + n < t->len && (t->data[start + n] == ' ' || t->data[start + n] == '\t'))
		n++;
	return n;
}

/* True when only blanks precede byte at on its line. */
static bool starts_line(const struct wi_text *t, size_t at)
{
	while (at > t->base && !wi_text_after_break(t, at)) {
		if (t->data[at - 1] != ' ' && t->data[at - 1] != '\t')
			return false;
		at--;
	}
	return true;
}

/* A JSON string starting at byte i (its opening quote): just past its closing one. */
static size_t past_string(const struct wi_text *t, size_t i)
{
	for (i++; i < t->len && t->data[i] != '"'; i++)
		if (t->data[i] == '\\')
			i++;
	return i < t->len ? i + 1 : t->len;
}

/*
 * An object is JSON when its own map (the document's root, or an item of a List) is
 * a flow mapping whose first key is double-quoted: what kubectl, jq and every JSON
 * printer write, and what a YAML author writing flow style rarely does (where one
 * does, the quoted keys added are still YAML that reads the same). It is pretty
 * when a line break follows the opening brace; its step is how much deeper its keys
 * sit than the brace's line, and ":" or ": " is what follows its first key.
 */
static void object_style(struct style *st, const struct wi_text *text, const struct wi_object *o)
{
	const struct wi_site *map = &o->sites[WI_SITE(WI_POD_SELF, WI_AT_MAP)];
	size_t open, key, i;
	bool broken;

	*st = (struct style){"\n", false, false, ": ", ", ", ' ', 2};
	if (map->shape == WI_BLOCK_MAP) {
		/* Only block objects and pretty JSON write line breaks: a one-line
		 * document, even a huge one, is never searched for one. */
		st->eol = wi_text_eol(text, map->start.at.n);
		return;
	}
	if (map->shape != WI_FLOW_MAP)
		return;
	open = map->start.at.n;
	if (open >= text->len || text->data[open] != '{')
		return;
	key = skip_space(text, open + 1, &broken);
	if (key >= text->len || text->data[key] != '"')
		return;
	st->json = true;
	i = past_string(text, key);
	while (i < text->len && (text->data[i] == ' ' || text->data[i] == '\t'))
		i++;
	if (!(i + 1 < text->len && text->data[i] == ':' && text->data[i + 1] == ' '))
		st->colon = ":", st->comma = ",";
	if (broken) {
		size_t inner = line_indent(text, key), outer = line_indent(text, open);

		st->pretty = true;
		st->eol = wi_text_eol(text, open);
		st->step = inner > outer ? inner - outer : 0;
		if (inner > 0)
			st->indent_char = text->data[key - 1];
	}
}

static int fail(struct wi_error *err, const struct wi_pos *pos, const char *what)
{
	wi_error_at(err, pos, "%s", what);
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

static void block_line(struct wi_buf *b, const struct style *st, size_t col, const char *key,
	const char *value)
{
	wi_buf_spaces(b, col);
	wi_buf_puts(b, key);
	wi_buf_putc(b, ':');
	if (value) {
		wi_buf_putc(b, ' ');
		put_quoted(b, st, value);
	}
	wi_buf_puts(b, st->eol);
}

static void block_text(struct wi_buf *b, const struct style *st, size_t col, size_t step,
	const struct content *c)
{
	if (c->meta)
		block_line(b, st, col, "metadata", NULL), col += step;
	for (size_t g = 0; g < c->n; g++) {
		const struct wi_edit_group *group = &c->groups[g];
		size_t pair_col = c->named ? col + step : col;

		if (!writes(c, g))
			continue;
		if (c->named)
			block_line(b, st, col, at_names[group->at], NULL);
		for (size_t i = 0; i < group->n; i++)
			if (group->wants[i].action == WI_ADD)
				block_line(b, st, pair_col, group->wants[i].key, group->wants[i].value);
	}
}

/* Lines inserted at the end of a text with no final line break need one before
 * them: a block scalar ending there would take it into its value ("x" would read
 * "x\n") unless its header strips the last break ("|-", "|2-"). Refused. */
static int refuse_after_tail_block(const struct wi_text *text, const struct wi_doc *doc, size_t at,
	const struct wi_pos *pos, struct wi_error *err)
{
	size_t header;

	if (at != text->len || !wi_text_missing_final_eol(text) || doc->tail_block.n != text->len)
		return 0;
	/* The header: "|" or ">", then an indentation digit and a chomping sign. */
	header = doc->tail_block_start.n + 1;
	for (size_t i = header; i < header + 2 && i < text->len; i++)
		if (text->data[i] == '-')
			return 0;
	return fail(err, pos, "cannot add lines after a block scalar that ends the input "
			      "without a line break: its value would change; end the input with one");
}

/* Block lines to insert at byte `at`. At the end of a text with no final line
 * break, the break goes before the lines instead of after: still none at the end. */
static void block_lines(struct wi_buf *b, const struct wi_text *text, const struct style *st,
	size_t at, size_t col, size_t step, const struct content *c)
{
	bool at_unterminated_end = at == text->len && wi_text_missing_final_eol(text);

	if (at_unterminated_end)
		wi_buf_puts(b, st->eol);
	block_text(b, st, col, step, c);
	if (at_unterminated_end)
		b->data[b->len -= strlen(st->eol)] = '\0';
}

/* Flow members: a comma between them (and before the first one unless *first);
 * laid out, each on a line of its own at column col, the comma ending the line. */
static void member(struct wi_buf *b, const struct style *st, bool laid_out, bool *first,
	size_t col, const char *key)
{
	if (!*first)
		wi_buf_puts(b, laid_out ? "," : st->comma);
	*first = false;
	if (laid_out) {
		wi_buf_puts(b, st->eol);
		put_indent(b, st, col);
	}
	put_key(b, st, key);
	wi_buf_puts(b, st->colon);
}

/* The end of a map opened by member(): a laid-out one closes on a line of its own,
 * at the column of its key. */
static void close_map(struct wi_buf *b, const struct style *st, bool laid_out, size_t col)
{
	if (laid_out) {
		wi_buf_puts(b, st->eol);
		put_indent(b, st, col);
	}
	wi_buf_putc(b, '}');
}

/* Flow style, without the braces of the map it goes into:
 * "metadata: {labels: {a: "x"}, annotations: {b: "y"}}", or the same as JSON, on
 * one line or laid out with its members at column col. first: nothing precedes
 * them in the map, so no comma goes before the first. */
static void flow_text(struct wi_buf *b, const struct style *st, const struct content *c,
	bool laid_out, size_t col, bool first)
{
	size_t group_col = col;

	if (c->meta) {
		member(b, st, laid_out, &first, col, "metadata");
		wi_buf_putc(b, '{');
		first = true;
		group_col += st->step;
	}
	for (size_t g = 0; g < c->n; g++) {
		const struct wi_edit_group *group = &c->groups[g];
		bool *pair_first = &first, map_first = true;
		size_t pair_col = group_col;

		if (!writes(c, g))
			continue;
		if (c->named) {
			member(b, st, laid_out, &first, group_col, at_names[group->at]);
			wi_buf_putc(b, '{');
			pair_first = &map_first;
			pair_col += st->step;
		}
		for (size_t i = 0; i < group->n; i++) {
			if (group->wants[i].action != WI_ADD)
				continue;
			member(b, st, laid_out, pair_first, pair_col, group->wants[i].key);
			put_quoted(b, st, group->wants[i].value);
		}
		if (c->named)
			close_map(b, st, laid_out, group_col);
	}
	if (c->meta)
		close_map(b, st, laid_out, col);
}

/* Adds the content after the last entry of flow map `site`. In pretty JSON, the
 * map's entries are laid out when its first one is on a line of its own, and an
 * empty map whose key starts its line is laid out as the printer would have: the
 * blanks between its braces (only blanks: a YAML comment stays) give way to the
 * new lines. */
static void append_to_flow_map(struct wi_plan *plan, const struct wi_text *text,
	const struct style *st, const struct wi_site *site, const struct content *c)
{
	struct wi_buf b = {0};
	size_t open = site->start.at.n;
	bool is_brace = open < text->len && text->data[open] == '{', broken = false;
	size_t at, remove = 0;

	if (site->has_keys) {
		size_t key = is_brace ? skip_space(text, open + 1, &broken) : open;
		bool laid_out = st->json && broken;
		struct style own = *st;

		/* In YAML as well, new keys are quoted where the map's first key is. */
		own.json |= is_brace && key < text->len && text->data[key] == '"';
		at = site->inner_end.n;
		flow_text(&b, &own, c, laid_out, laid_out ? line_indent(text, key) : 0, false);
	} else if (st->pretty && is_brace && starts_line(text, site->key.at.n) &&
		   skip_space(text, open + 1, &broken) == site->close.n) {
		size_t col = line_indent(text, open);

		at = open + 1;
		remove = site->close.n - at;
		flow_text(&b, st, c, true, col + st->step, true);
		wi_buf_puts(&b, st->eol); /* then the map's own closing brace */
		put_indent(&b, st, col);
	} else {
		at = site->close.n;
		flow_text(&b, st, c, false, 0, true);
	}
	wi_splice_add(plan, at, remove, b.data, 0);
}

/* Adds the content after the last entry of map `site`. */
static int append_to_map(struct wi_plan *plan, const struct wi_text *text, const struct wi_doc *doc,
	const struct style *st, const struct wi_site *site, const struct content *c,
	struct wi_error *err)
{
	struct wi_buf b = {0};
	size_t at;

	if (refuse_shared(doc, site->anchor, &site->start, err))
		return -1;
	if (c->named && site->has_merge)
		return fail(err, &site->start, "cannot add a key to a mapping with a merge key "
					       "(<<): the merged keys would be hidden");
	if (site->shape == WI_FLOW_MAP) {
		append_to_flow_map(plan, text, st, site, c);
		return 0;
	}
	if (site->key_col == SIZE_MAX)
		return fail(err, &site->start, "cannot add a key to a mapping whose "
					       "keys are not plain scalars");
	at = wi_text_insertion_point(text, site->end.n);
	if (refuse_after_tail_block(text, doc, at, &site->start, err))
		return -1;
	block_lines(&b, text, st, at, site->key_col, doc->indent, c);
	wi_splice_add(plan, at, 0, b.data, site->key_col);
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
static int fill_null(struct wi_plan *plan, const struct wi_text *text, const struct wi_doc *doc,
	const struct style *st, const struct wi_site *site, const struct content *c,
	struct wi_error *err)
{
	struct wi_buf b = {0};
	size_t key = site->key.at.n;
	bool laid_out = st->pretty && starts_line(text, key);
	size_t col = laid_out ? line_indent(text, key) : 0;
	size_t start = site->start.at.n;
	size_t end = site->end.n;
	size_t at;
	const char *lead;

	if (refuse_shared(doc, site->anchor, &site->start, err))
		return -1;
	if (start == end && !empty_value_at(text, site->key_end.n,
				    site->parent_flow, &at, &lead))
		return fail(err, &site->key, "cannot write a value for an explicit \"?\" key");
	if (site->parent_flow) {
		if (start == end)
			start = end = at;
		else
			lead = "";
		wi_buf_puts(&b, lead);
		wi_buf_putc(&b, '{');
		flow_text(&b, st, c, laid_out, col + st->step, true);
		close_map(&b, st, laid_out, col);
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
	block_lines(&b, text, st, end, site->key.column + doc->indent, doc->indent, c);
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

static int replace_value(struct wi_plan *plan, const struct wi_text *text, const struct wi_doc *doc,
	const struct style *st, const struct wi_entry *e, const char *value, struct wi_error *err)
{
	struct wi_buf b = {0};
	size_t start, end;

	if (refuse_shared(doc, e->anchor, &e->start, err))
		return -1;
	start = e->start.at.n;
	end = e->end.n;
	if ((e->shape == WI_BLOCK_MAP || e->shape == WI_SEQUENCE) && text->data[start] != '[') {
		/* A block collection may start on the next line, even at the key's own
		 * column ("key:" then "- item"): the new value goes after the colon. */
		size_t colon = e->key_end.n;

		while (colon < start && text->data[colon] != ':')
			colon++;
		if (colon == start)
			return fail(err, &e->start, "cannot find the colon before this value");
		start = colon + 1;
		wi_buf_putc(&b, ' ');
	} else if (start == end) {
		const char *lead;

		if (!empty_value_at(text, e->key_end.n, e->parent_flow, &start,
			    &lead))
			return fail(err, &e->key_pos, "cannot write a value for an explicit \"?\" key");
		end = start;
		wi_buf_puts(&b, lead);
	}
	put_quoted(&b, st, value);
	if (e->block_scalar && end > start && wi_text_after_break(text, end)) {
		end = block_scalar_end(text, start, end);
		wi_buf_puts(&b, st->eol);
	}
	wi_splice_add(plan, start, end - start, b.data, 0);
	return 0;
}

/* A map to add keys to, written as an alias: the keys would go into the node the
 * alias names, and so into every other alias to it. */
static int aliased_map(const struct wi_site *s, const char *name, struct wi_error *err)
{
	wi_error_at(err, &s->start, "%s is an alias: keys added "
		"would also reach the node it names; expand the alias", name);
	return -1;
}

static bool is_map(const struct wi_site *s)
{
	return s->shape == WI_BLOCK_MAP || s->shape == WI_FLOW_MAP;
}

static int not_a_map(const struct wi_site *s, const char *name, struct wi_error *err)
{
	wi_error_at(err, &s->key, "%s is not a mapping", name);
	return -1;
}

/* Keeps or replaces the pairs already there; marks the others to add. Returns the
 * number to add, or -1. */
static long settle_present(struct wi_plan *plan, const struct wi_text *text,
	const struct wi_doc *doc, const struct style *st, size_t obj, int pod,
	struct wi_edit_group *g, struct wi_error *err)
{
	long n_add = 0;

	for (size_t i = 0; i < g->n; i++) {
		struct wi_want *w = &g->wants[i];
		const struct wi_entry *e = wi_doc_entry(doc, obj, WI_SITE(pod, g->at), w->key);

		w->old = e ? e->value : NULL;
		if (!e) {
			w->action = WI_ADD;
			n_add++;
		} else if ((e->shape == WI_SCALAR || e->shape == WI_ALIAS) && e->value &&
			   e->is_string && strcmp(e->value, w->value) == 0) {
			/* Right already, also through an alias ("*t" for "&t 'true'"). */
			w->action = WI_KEEP;
		} else {
			w->action = WI_REPLACE;
			if (replace_value(plan, text, doc, st, e, w->value, err))
				return -1;
		}
	}
	return n_add;
}

int wi_edit_set(struct wi_plan *plan, const struct wi_text *text, const struct wi_doc *doc,
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
	struct style st;

	object_style(&st, text, o);
	for (size_t g = 0; g < n_groups; g++) {
		long n = settle_present(plan, text, doc, &st, obj, pod, &groups[g], err);

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
		return append_to_map(plan, text, doc, &st, root, &all, err);
	case WI_NULL:
		all.meta = false;
		return fill_null(plan, text, doc, &st, meta, &all, err);
	case WI_BLOCK_MAP:
	case WI_FLOW_MAP:
		break;
	case WI_ALIAS:
		return aliased_map(meta, "metadata", err);
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
			rc = fill_null(plan, text, doc, &st, leaf, &one, err);
			break;
		case WI_BLOCK_MAP:
		case WI_FLOW_MAP:
			rc = append_to_map(plan, text, doc, &st, leaf, &one, err);
			break;
		case WI_ALIAS:
			rc = aliased_map(leaf, at_names[groups[g].at], err);
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
			return append_to_map(plan, text, doc, &st, meta, &absent, err);
	return 0;
}
