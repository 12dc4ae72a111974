/* A unit's bytes: character indices to byte offsets, lines, line endings. */
#include "text.h"

#include <stdint.h>
#include <string.h>

void wi_text_init(struct wi_text *t, const char *data, size_t len)
{
	const char *nl = memchr(data, '\n', len);

	t->data = data;
	t->len = len;
	t->base = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	t->at_char = 0;
	t->at_byte = t->base;
	t->eol = nl && nl > data && nl[-1] == '\r' ? "\r\n" : "\n";
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

size_t wi_text_insertion_point(const struct wi_text *t, size_t end)
{
	size_t i = end;
	const char *nl;

	while (i > 0 && (t->data[i - 1] == ' ' || t->data[i - 1] == '\t'))
		i--;
	if (i == 0 || t->data[i - 1] == '\n')
		return i;
	nl = memchr(t->data + end, '\n', t->len - end);
	return nl ? (size_t)(nl - t->data) + 1 : t->len;
}

bool wi_text_missing_final_eol(const struct wi_text *t)
{
	return t->len > 0 && t->data[t->len - 1] != '\n';
}
