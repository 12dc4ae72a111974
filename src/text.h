/* A unit's bytes as the editor sees them: libyaml character indices to byte offsets,
 * lines and line endings. */
#ifndef WI_TEXT_H
#define WI_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "pos.h"

struct wi_text {
	const char *data; /* borrowed */
	size_t len;
	size_t base;      /* bytes libyaml skips before index 0: a UTF-8 byte order mark */
	/* The cursor: where the last walk ended, character at_char at byte at_byte;
	 * the bytes [at_byte, ascii_end) are known to be ASCII. */
	size_t at_char, at_byte, ascii_end;
};

void wi_text_init(struct wi_text *t, const char *data, size_t len);
/* wi_text_byte's way when the cursor must move. */
struct wi_bytes wi_text_walk(struct wi_text *t, struct wi_chars c);

/* The byte offset of character index c (libyaml's mark.index counts characters, not
 * bytes). Fast for increasing indices. Most asks land in the ASCII known to follow
 * the cursor (each walk looks ahead when it stops), where each byte is a character:
 * those cost no call and leave the cursor where it is. */
static inline struct wi_bytes wi_text_byte(struct wi_text *t, struct wi_chars c)
{
	if (c.n >= t->at_char && c.n - t->at_char <= t->ascii_end - t->at_byte)
		return (struct wi_bytes){t->at_byte + (c.n - t->at_char)};
	return wi_text_walk(t, c);
}
/* Where a line inserted after the content ending at byte `end` goes: the start of
 * end's line when only blanks precede it there, else just past that line's break
 * (or the end of the text). */
size_t wi_text_insertion_point(const struct wi_text *t, size_t end);
/* The length of the line break (CR, LF, CRLF, NEL, LS, PS) starting at byte i, or 0. */
size_t wi_text_break_at(const struct wi_text *t, size_t i);
/* True when a line break ends just before byte i. */
bool wi_text_after_break(const struct wi_text *t, size_t i);
/* The line ending ("\n", "\r\n" or "\r") of the line holding byte `at`: the first
 * CR or LF from there on, or else the last one before it; "\n" when there is none.
 * A unit may hold documents with different endings: each edit asks at its own. */
const char *wi_text_eol(const struct wi_text *t, size_t at);
/* True when the text has no line break at its very end. */
bool wi_text_missing_final_eol(const struct wi_text *t);

#endif
