/* A unit's bytes: character indices to byte offsets, lines, line endings. */
#include "text.h"

#include <stdint.h>
#include <string.h>

void wi_text_init(struct wi_text *t, const char *data, size_t len)
{
	const char *nl = memchr(data, '\n', len);
	const char *cr = memchr(data, '\r', nl ? (size_t)(nl - data) : len);

	t->data = data;
	t->len = len;
	t->base = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	t->at_char = 0;
	t->at_byte = t->base;
	/* Inserted lines end the way the unit's first line does. */
	t->eol = !cr ? "\n" : cr + 1 == nl ? "\r\n" : "\r";
}

static bool continuation(const struct wi_text *t, size_t at)
{
	return ((unsigned char)t->data[at] & 0xC0) == 0x80;
}

size_t wi_text_byte(struct wi_text *t, size_t char_index)
{
	/* The cursor walks either way: edits come roughly in order, in units that may
	 * hold many documents, so a walk from the start each time would not do. */
	while (t->at_char > char_index && t->at_byte > t->base) {
		uint64_t word;

		if (t->at_char - char_index >= 8 && t->at_byte - t->base >= 8) {
			memcpy(&word, t->data + t->at_byte - 8, 8);
			if (!(word & 0x8080808080808080u)) {
				t->at_byte -= 8;
				t->at_char -= 8;
				continue;
			}
		}
		t->at_byte--;
		while (t->at_byte > t->base && continuation(t, t->at_byte))
			t->at_byte--;
		t->at_char--;
	}
	while (t->at_char < char_index && t->at_byte < t->len) {
		uint64_t word;

		/* ASCII, the common case, eight bytes at a time. */
		if (char_index - t->at_char >= 8 && t->len - t->at_byte >= 8) {
			memcpy(&word, t->data + t->at_byte, 8);
			if (!(word & 0x8080808080808080u)) {
				t->at_byte += 8;
				t->at_char += 8;
				continue;
			}
		}
		t->at_byte++;
		while (t->at_byte < t->len && continuation(t, t->at_byte))
			t->at_byte++;
		t->at_char++;
	}
	return t->at_byte;
}

/* Length of the line break starting at i, or 0. YAML counts CR, LF, CRLF and, as
 * libyaml does, NEL, LS and PS as line breaks. */
static size_t break_at(const struct wi_text *t, size_t i)
{
	const unsigned char *d = (const unsigned char *)t->data;

	if (d[i] == '\n')
		return 1;
	if (d[i] == '\r')
		return i + 1 < t->len && d[i + 1] == '\n' ? 2 : 1;
	if (d[i] == 0xC2 && i + 1 < t->len && d[i + 1] == 0x85)
		return 2;
	if (d[i] == 0xE2 && i + 2 < t->len && d[i + 1] == 0x80 && (d[i + 2] == 0xA8 || d[i + 2] == 0xA9))
		return 3;
	return 0;
}

bool wi_text_after_break(const struct wi_text *t, size_t i)
{
	const unsigned char *d = (const unsigned char *)t->data;

	if (i == 0)
		return false;
	return d[i - 1] == '\n' || d[i - 1] == '\r' || (i >= 2 && d[i - 2] == 0xC2 && d[i - 1] == 0x85) ||
	       (i >= 3 && d[i - 3] == 0xE2 && d[i - 2] == 0x80 && (d[i - 1] == 0xA8 || d[i - 1] == 0xA9));
}

size_t wi_text_insertion_point(const struct wi_text *t, size_t end)
{
	size_t i = end;

	while (i > t->base && (t->data[i - 1] == ' ' || t->data[i - 1] == '\t'))
		i--;
	if (i == t->base || wi_text_after_break(t, i))
		return i;
	for (i = end; i < t->len; i++) {
		size_t n = break_at(t, i);

		if (n)
			return i + n;
	}
	return t->len;
}

bool wi_text_missing_final_eol(const struct wi_text *t)
{
	return t->len > 0 && !wi_text_after_break(t, t->len);
}
