/* Input bytes -> units of whole YAML documents. */
#include "stream.h"

#include <string.h>

void wi_splitter_init(struct wi_splitter *s)
{
	memset(s, 0, sizeof(*s));
}

void wi_splitter_release(struct wi_splitter *s)
{
	wi_buf_release(&s->buf);
}

void wi_splitter_feed(struct wi_splitter *s, const char *data, size_t len)
{
	/* Drop what was handed out already: units must not move while in use, so this
	 * happens here and not in wi_splitter_next(). */
	if (s->unit_start > 0) {
		size_t keep = s->buf.len - s->unit_start;

		memmove(s->buf.data, s->buf.data + s->unit_start, keep);
		s->buf.len = keep;
		s->scan -= s->unit_start;
		s->unit_start = 0;
	}
	wi_buf_append(&s->buf, data, len);
}

void wi_splitter_finish(struct wi_splitter *s)
{
	s->eof = true;
}

/* "---" or "..." followed by a blank or the end of the input. */
static bool is_marker(const char *line, size_t len, char c)
{
	if (len < 3 || line[0] != c || line[1] != c || line[2] != c)
		return false;
	return len == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r' ||
	       line[3] == '\n';
}

/* A line that cannot start a document's content on its own. */
static bool is_preamble(const char *line, size_t len)
{
	size_t i = 0;

	if (len > 0 && line[0] == '%')
		return true;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return i == len || line[i] == '#' || line[i] == '\r' || line[i] == '\n';
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
		const char *line = s->buf.data + s->scan;
		size_t avail = s->buf.len - s->scan;
		const char *nl = avail ? memchr(line, '\n', avail) : NULL;
		size_t len, start = s->scan;

		if (!nl && !s->eof)
			return false;
		if (!nl) {
			if (avail == 0) {
				s->done = true;
				return emit(s, s->buf.len, unit);
			}
			len = avail;
		} else {
			len = (size_t)(nl - line) + 1;
		}
		s->scan += len;

		if (is_marker(line, len, '-')) {
			bool split = s->has_content;

			s->has_content = true;
			if (split && emit(s, start, unit))
				return true;
		} else if (is_marker(line, len, '.')) {
			s->has_content = false;
			if (emit(s, s->scan, unit))
				return true;
		} else if (!s->has_content && !is_preamble(line, len)) {
			s->has_content = true;
		}
	}
	return false;
}
