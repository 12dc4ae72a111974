/* A unit's bytes: character indices to byte offsets, lines, line endings. */
#include "text.h"

#include <stdint.h>
#include <string.h>

#include "vec.h"

void wi_text_init(struct wi_text *t, const char *data, size_t len)
{
	t->data = data;
	t->len = len;
	t->base = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	t->at_char = 0;
	t->at_byte = t->base;
	t->ascii_end = t->base;
}

static bool continuation(const struct wi_text *t, size_t at)
{
	return ((unsigned char)t->data[at] & 0xC0) == 0x80;
}

/* The walk goes 32 bytes at a time: ASCII, the common case, is a test of four words;
 * other text is counted by its characters' first bytes. libyaml has refused invalid
 * UTF-8 before any index reaches this. */
#define BLOCK 32
_Static_assert(BLOCK == 32, "block_chars reads a block as four words");

/* w as loaded from memory, in little-endian order: byte i of memory is byte i of the
 * value. */
static uint64_t le64(uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap64(w);
#else
	return w;
#endif
}

/* The characters that begin in the block at p: its bytes but UTF-8 continuations. */
static size_t block_chars(const char *p)
{
	uint64_t w[BLOCK / 8], any = 0, cont = 0;

	memcpy(w, p, BLOCK);
	for (size_t i = 0; i < BLOCK / 8; i++)
		any |= w[i];
	if (!(any & WI_HIGH_BITS))
		return BLOCK;
	for (size_t i = 0; i < BLOCK / 8; i++) {
		/* 10xxxxxx: bit 7 set, bit 6 clear; the sum of the marks lands in the top byte. */
		uint64_t mark = (w[i] & ~(w[i] << 1) & WI_HIGH_BITS) >> 7;

		cont += (mark * 0x0101010101010101u) >> 56;
	}
	return BLOCK - (size_t)cont;
}

/* How many of the `most` bytes from byte `from` on are ASCII, in a row: each is a
 * character. Runs go a block, then a word, a step; bytes one by one only within 8
 * of the text's end. */
static size_t ascii_run(const struct wi_text *t, size_t from, size_t most)
{
	const char *p = t->data + from;
	size_t left = t->len - from, n = 0;

	if (most > left)
		most = left;
	/* 64 bytes a step, in four vectors (vec.h) whose high bits are tested at once. */
	while (most - n >= 64) {
		const char *q = p + n;

		if (wi_v16_any_high(wi_v16_load(q) | wi_v16_load(q + 16) | wi_v16_load(q + 32) |
			wi_v16_load(q + 48)))
			break;
		n += 64;
	}
	/* Then a word at a time: the run ends at the word's lowest high bit (in
	 * little-endian order, its first non-ASCII byte in memory). */
	while (n < most && left - n >= 8) {
		uint64_t w, high;
		size_t run;

		memcpy(&w, p + n, 8);
		high = le64(w) & WI_HIGH_BITS;
		run = high ? (size_t)__builtin_ctzll(high) / 8 : 8;
		if (run > most - n)
			run = most - n;
		n += run;
		if (run < 8)
			return n;
	}
	while (n < most && !((unsigned char)p[n] & 0x80))
		n++;
	return n;
}

/* How far past the cursor the walk looks for ASCII when it stops: the asks that
 * follow land there without a call. Bounded, so that a walk back does not scan a
 * long ASCII stretch again each time. */
#define LOOKAHEAD 2048

/* wi_text_byte's walk of the cursor to c, when c is not in the known ASCII. */
struct wi_bytes wi_text_walk(struct wi_text *t, struct wi_chars c)
{
	size_t char_index = c.n, from_char = t->at_char, from_byte = t->at_byte;

	/* The cursor walks either way: edits come roughly in order, in units that may
	 * hold many documents, so a walk from the start each time would not do. */
	while (t->at_char > char_index && t->at_byte > t->base) {
		/* A block back, then back to the first byte of the character the cursor
		 * is then inside: one character more than the block began. The margin
		 * keeps that from passing char_index. */
		if (t->at_char - char_index > BLOCK && t->at_byte - t->base >= BLOCK) {
			t->at_char -= block_chars(t->data + t->at_byte - BLOCK);
			t->at_byte -= BLOCK;
			if (continuation(t, t->at_byte)) {
				while (t->at_byte > t->base && continuation(t, t->at_byte))
					t->at_byte--;
				t->at_char--;
			}
			continue;
		}
		t->at_byte--;
		while (t->at_byte > t->base && continuation(t, t->at_byte))
			t->at_byte--;
		t->at_char--;
	}
	/* The known ASCII still follows a cursor that went back over ASCII only; past
	 * anything else, what follows is found again below. */
	if (from_byte - t->at_byte != from_char - t->at_char)
		t->ascii_end = t->at_byte;
	/* Forward: through the ASCII known, then on. */
	if (t->at_char < char_index && t->ascii_end > t->at_byte) {
		size_t run = t->ascii_end - t->at_byte;

		if (run > char_index - t->at_char)
			run = char_index - t->at_char;
		t->at_byte += run;
		t->at_char += run;
	}
	while (t->at_char < char_index && t->at_byte < t->len) {
		size_t run = ascii_run(t, t->at_byte, char_index - t->at_char);

		t->at_byte += run;
		t->at_char += run;
		if (t->at_char == char_index || t->at_byte == t->len)
			break;
		/* At a byte that is not ASCII. */
		if (char_index - t->at_char >= BLOCK && t->len - t->at_byte >= BLOCK) {
			/* The block may end inside a character already counted. */
			t->at_char += block_chars(t->data + t->at_byte);
			t->at_byte += BLOCK;
			while (t->at_byte < t->len && continuation(t, t->at_byte))
				t->at_byte++;
			continue;
		}
		t->at_byte++;
		while (t->at_byte < t->len && continuation(t, t->at_byte))
			t->at_byte++;
		t->at_char++;
	}
	/* Look ahead for the asks to come, from where the known ASCII ends. */
	if (t->ascii_end < t->at_byte)
		t->ascii_end = t->at_byte;
	if (t->ascii_end - t->at_byte < LOOKAHEAD)
		t->ascii_end += ascii_run(t, t->ascii_end, t->at_byte + LOOKAHEAD - t->ascii_end);
	return (struct wi_bytes){t->at_byte};
}

/* Length of the line break starting at i, or 0. YAML counts CR, LF, CRLF and, as
 * libyaml does, NEL, LS and PS as line breaks. */
size_t wi_text_break_at(const struct wi_text *t, size_t i)
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
		size_t n = wi_text_break_at(t, i);

		if (n)
			return i + n;
	}
	return t->len;
}

static const char *eol_at(const struct wi_text *t, size_t i)
{
	if (t->data[i] == '\n')
		return "\n";
	return i + 1 < t->len && t->data[i + 1] == '\n' ? "\r\n" : "\r";
}

const char *wi_text_eol(const struct wi_text *t, size_t at)
{
	for (size_t i = at; i < t->len; i++)
		if (t->data[i] == '\n' || t->data[i] == '\r')
			return eol_at(t, i);
	for (size_t i = at < t->len ? at : t->len; i-- > 0;)
		if (t->data[i] == '\n' || t->data[i] == '\r')
			/* A CRLF is found by its LF. */
			return t->data[i] == '\n' && i > 0 && t->data[i - 1] == '\r' ? "\r\n"
									      : eol_at(t, i);
	return "\n";
}

bool wi_text_missing_final_eol(const struct wi_text *t)
{
	return t->len > 0 && !wi_text_after_break(t, t->len);
}
