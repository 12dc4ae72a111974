/* Input bytes -> units of whole YAML documents. */
#include "stream.h"

#include <string.h>

#include "alloc.h"

void wi_splitter_init(struct wi_splitter *s)
{
	memset(s, 0, sizeof(*s));
}

void wi_splitter_release(struct wi_splitter *s)
{
	wi_buf_release(&s->buf);
}

char *wi_splitter_space(struct wi_splitter *s, size_t want)
{
	/* Drop what was handed out already: units must not move while in use, so this
	 * happens here and not in wi_splitter_next(). */
	if (s->unit_start > 0) {
		size_t keep = s->buf.len - s->unit_start;

		memmove(s->buf.data, s->buf.data + s->unit_start, keep);
		s->buf.len = keep;
		s->search_from -= s->search_from < s->unit_start ? s->search_from : s->unit_start;
		s->unit_start = 0;
	}
	s->buf.data = wi_grow(s->buf.data, &s->buf.cap, s->buf.len + want + 1, 1);
	return s->buf.data + s->buf.len;
}

void wi_splitter_commit(struct wi_splitter *s, size_t len)
{
	s->buf.len += len;
	s->buf.data[s->buf.len] = '\0';
}

void wi_splitter_feed(struct wi_splitter *s, const char *data, size_t len)
{
	char *space = wi_splitter_space(s, len);

	if (len)
		memcpy(space, data, len);
	wi_splitter_commit(s, len);
}

void wi_splitter_finish(struct wi_splitter *s)
{
	s->eof = true;
}

/* How far next_line looks for a line break with one pair of memchr calls. */
#define LINE_WINDOW 256

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Lines end at "\n", "\r\n" or a lone "\r", as libyaml reads them: a stream written
 * with CR alone (classic Mac) must be cut too, or it would be one unit however long.
 * Returns the offset just past the break that ends the line holding `at`, or len
 * when there is none in [at, len). A "\r" that is the last byte is a break only once
 * more input cannot follow (eof): it may be the first half of "\r\n".
 */
static size_t next_line(const char *d, size_t at, size_t len, bool eof)
{
	/* The first "\n", then the first "\r" before it, with memchr, which goes many
	 * bytes a step (the lines of a big document are all looked at); a window at a
	 * time, since text written with CR alone has no "\n", and a search of the
	 * whole rest for it would cost every line the rest of the buffer. */
	for (;;) {
		size_t end = len - at > LINE_WINDOW ? at + LINE_WINDOW : len;
		const char *lf = memchr(d + at, '\n', end - at);
		const char *cr = memchr(d + at, '\r', (lf ? (size_t)(lf - d) : end) - at);

		if (cr || lf) {
			at = (size_t)((cr ? cr : lf) - d);
			break;
		}
		at = end;
		if (at == len)
			break;
	}
	if (at == len || (d[at] == '\r' && at + 1 == len && !eof))
		return len;
	return at + 1 + (d[at] == '\r' && at + 1 < len && d[at + 1] == '\n');
}

/* "---" followed by a blank or the end of the input. */
static bool is_start_marker(const char *line, size_t len)
{
	return len >= 3 && memcmp(line, "---", 3) == 0 && (len == 3 || is_blank(line[3]));
}

/*
 * A "%YAML" or "%TAG" line: the only directives libyaml knows. A line holding a
 * quote is not taken for one: it may end a quoted scalar that began lines above
 * ("a: \"x" then "%y\""), whose lines libyaml never reads as directives. A
 * directive whose prefix holds a quote would stay with the document before it,
 * and fail there, loudly.
 */
static bool is_directive(const char *line, size_t len)
{
	size_t name = len >= 5 && memcmp(line, "%YAML", 5) == 0 ? 5
		: len >= 4 && memcmp(line, "%TAG", 4) == 0 ? 4 : 0;

	if (!name || name == len || (line[name] != ' ' && line[name] != '\t'))
		return false;
	return !memchr(line, '"', len) && !memchr(line, '\'', len);
}

/* A blank, comment or directive line: one that cannot start a document's content. */
static bool is_preamble(const char *line, size_t len)
{
	size_t i = 0;

	if (is_directive(line, len))
		return true;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return i == len || line[i] == '#' || line[i] == '\r' || line[i] == '\n';
}

/* True unless [unit_start, end) holds only blank, comment and directive lines:
 * those belong with the "---" that follows them. */
static bool has_content(const struct wi_splitter *s, size_t end)
{
	const char *d = s->buf.data;

	for (size_t at = s->unit_start; at < end;) {
		size_t len = next_line(d, at, end, true) - at;

		if (is_start_marker(d + at, len) || !is_preamble(d + at, len))
			return true;
		at += len;
	}
	return false;
}

/* Where the document that "---" at p opens really begins: before the directive
 * lines ("%YAML", "%TAG") just above it, which belong to it. Comments and blank
 * lines above stay with the previous document, as they read. */
static size_t document_start(const struct wi_splitter *s, size_t p)
{
	const char *d = s->buf.data;
	size_t start = p, at = p;

	while (at > s->unit_start) {
		size_t line = at - 1; /* the break ending the line above */

		if (d[line] == '\n' && line > s->unit_start && d[line - 1] == '\r')
			line--;
		while (line > s->unit_start && d[line - 1] != '\n' && d[line - 1] != '\r')
			line--;
		if (is_directive(d + line, at - line))
			start = line;
		else if (!is_preamble(d + line, at - line))
			break;
		at = line;
	}
	return start;
}

static bool emit(struct wi_splitter *s, size_t end, struct wi_unit *unit)
{
	unit->data = s->buf.data + s->unit_start;
	unit->len = end - s->unit_start;
	s->unit_start = end;
	return unit->len > 0;
}

bool wi_splitter_next(struct wi_splitter *s, struct wi_unit *unit)
{
	while (!s->done) {
		const char *d = s->buf.data;
		bool hit = false;
		size_t len = s->buf.len, at, p = 0, cut;
		size_t resume = len; /* where to look next time, if nothing is found */

		/* A unit holds at least WI_UNIT_MIN bytes, so no "---" before that can
		 * end it: the search starts there, and most lines are never looked at.
		 * Documents are grouped because a libyaml parser per document would cost
		 * more than the parsing itself. */
		if (s->search_from < s->unit_start + WI_UNIT_MIN)
			s->search_from = s->unit_start + WI_UNIT_MIN;
		for (at = s->search_from - 1; at < len;) {
			size_t next = next_line(d, at, len, s->eof);

			/* No break, or none with a line after it yet: look again from
			 * the end (resume), a final "\r" included. */
			if (next == len)
				break;
			at = next;
			if (len - at >= 3 && d[at] == '-' && d[at + 1] == '-' && d[at + 2] == '-') {
				hit = true;
				p = at;
				break;
			}
			if (len - at < 3 && !s->eof) {
				/* Too short to tell yet: look at this line again. */
				resume = at;
				break;
			}
		}
		if (!hit && !s->eof) {
			if (resume > s->search_from)
				s->search_from = resume;
			return false;
		}
		if (!hit) {
			s->done = true;
			return emit(s, len, unit);
		}
		if (p + 3 == len && !s->eof) {
			s->search_from = p;
			return false;
		}
		s->search_from = p + 1;
		if (p + 3 < len && !is_blank(d[p + 3]))
			continue;
		cut = document_start(s, p);
		if (has_content(s, cut) && emit(s, cut, unit))
			return true;
	}
	return false;
}
