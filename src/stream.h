/* Input bytes -> units of whole YAML documents, so memory is bounded by the largest
 * document rather than by the stream. */
#ifndef WI_STREAM_H
#define WI_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/*
 * A unit runs from a "---" line to just before the next one, or ends after a "..."
 * line. Document markers at column 0 end any scalar (YAML 1.2, 9.1.4), so splitting
 * there without parsing parses the same documents as the whole stream would.
 * Directive and comment lines before a "---" stay in that "---"'s unit, so "%YAML"
 * keeps applying to its document. Concatenating the units gives the input back.
 */
struct wi_splitter {
	struct wi_buf buf;
	size_t unit_start; /* offset of the unit being gathered */
	size_t scan;       /* offset of the first line not yet classified */
	bool has_content;  /* the unit holds more than comments, blanks and directives */
	bool eof;
	bool done;
};

struct wi_unit {
	const char *data; /* borrowed from the splitter; valid until the next feed */
	size_t len;
};

void wi_splitter_init(struct wi_splitter *s);
void wi_splitter_release(struct wi_splitter *s);
/* Copies len bytes in. Invalidates units returned so far. */
void wi_splitter_feed(struct wi_splitter *s, const char *data, size_t len);
/* No more input: the rest becomes the last unit. */
void wi_splitter_finish(struct wi_splitter *s);
/* Returns true and fills *unit when a whole unit is ready; false when more input is
 * needed (or, after finish, when all units have been returned). */
bool wi_splitter_next(struct wi_splitter *s, struct wi_unit *unit);

#endif
