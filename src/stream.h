/* Input bytes -> units of whole YAML documents, so memory is bounded by the largest
 * document rather than by the stream. */
#ifndef WI_STREAM_H
#define WI_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Units are cut at the first "---" line past this many bytes. */
#define WI_UNIT_MIN (256 * 1024)

/*
 * A unit holds whole documents: it runs from a "---" line to just before another,
 * the first one at least WI_UNIT_MIN bytes on (or to the end of the input).
 * Document markers at column 0 end any scalar (YAML 1.2, 9.1.4), so splitting
 * there without parsing parses the same documents as the whole stream would, and
 * memory stays bounded by the largest document (plus WI_UNIT_MIN). Directive
 * lines ("%YAML", "%TAG") before a "---" go with it, so they keep applying to its
 * document, and a unit never holds directives alone. Concatenating the units gives
 * the input back. A stream that separates documents with "..." alone is one unit.
 * Lines end at LF, CRLF or a lone CR, all of which libyaml reads as line breaks
 * (NEL, LS and PS too, but a stream using only those stays one unit).
 */
struct wi_splitter {
	struct wi_buf buf;
	size_t unit_start;  /* offset of the unit being gathered */
	size_t search_from; /* the next line start to look at for "---" */
	bool eof;
	bool done;
};

struct wi_unit {
	const char *data; /* borrowed from the splitter; valid until the next feed */
	size_t len;
};

void wi_splitter_init(struct wi_splitter *s);
void wi_splitter_release(struct wi_splitter *s);
/* Room for at least `want` more bytes, to read into directly (saves a copy); then
 * wi_splitter_commit says how many arrived. Invalidates units returned so far. */
char *wi_splitter_space(struct wi_splitter *s, size_t want);
void wi_splitter_commit(struct wi_splitter *s, size_t len);
/* Copies len bytes in. Invalidates units returned so far. */
void wi_splitter_feed(struct wi_splitter *s, const char *data, size_t len);
/* No more input: the rest becomes the last unit. */
void wi_splitter_finish(struct wi_splitter *s);
/* Returns true and fills *unit when a whole unit is ready; false when more input is
 * needed (or, after finish, when all units have been returned). */
bool wi_splitter_next(struct wi_splitter *s, struct wi_unit *unit);

#endif
