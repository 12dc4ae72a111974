/* The one way through the core: bytes of a manifest stream in, in pieces of any
 * size; the same bytes, identities wired, out through a write callback. The command
 * line, the tests and the fuzz target all drive the core through this, so what they
 * check is what the program runs. Memory only: the caller reads and writes. */
#ifndef WI_FILTER_H
#define WI_FILTER_H

#include <stddef.h>

#include "engine.h"
#include "error.h"

/* Takes the next n pieces of output (n > 0; borrowed for the call), to be written in
 * order; returns 0, or non-zero when they could not be written, having said why
 * itself: the filter then stops. */
typedef int wi_filter_write_fn(void *ctx, const struct wi_piece *pieces, size_t n);

struct wi_filter_config {
	struct wi_engine_config engine; /* copied; what it borrows must outlive the filter */
	wi_filter_write_fn *write;      /* NULL: the output is not wanted (--check) */
	void *write_ctx;
	/* Each unit (stream.h) as it goes to the engine, borrowed for the call; may be
	 * NULL. For tests of where the stream is cut: the output does not show it. */
	void (*on_unit)(void *ctx, const char *data, size_t len);
	void *unit_ctx;
};

/* What feed and finish return. A failure is final: every later call returns it
 * again and does nothing. */
enum wi_filter_status {
	WI_FILTER_OK = 0,
	WI_FILTER_BAD_INPUT = -1, /* *err says what and where */
	WI_FILTER_WRITE_FAILED = -2, /* the write callback failed; *err is untouched */
};

struct wi_filter;

/* Returns an owned filter; config is copied. */
struct wi_filter *wi_filter_create(const struct wi_filter_config *config);
/* filter may be NULL. */
void wi_filter_destroy(struct wi_filter *filter);

/* The next len bytes of input (borrowed for the call; copied as needed). Each whole
 * unit they complete goes through the engine and out before this returns; where the
 * pieces are cut changes nothing in the output. */
enum wi_filter_status wi_filter_feed(struct wi_filter *filter, const char *data, size_t len,
	struct wi_error *err);

/* The same without the copy: room for up to `want` bytes of input to be read into
 * (valid until the next call on the filter), then wi_filter_commit with how many
 * arrived. Only while no call has failed, and before finish. */
char *wi_filter_space(struct wi_filter *filter, size_t want);
enum wi_filter_status wi_filter_commit(struct wi_filter *filter, size_t len, struct wi_error *err);

/* The end of the input: the rest goes through, then the engine's judgement of the
 * whole (wi_engine_finish; its findings and warnings reach the config's callbacks).
 * Call once, after the last feed. */
enum wi_filter_status wi_filter_finish(struct wi_filter *filter, struct wi_error *err);

/* Borrowed from the filter; valid until it is destroyed. Complete after finish. */
const struct wi_stats *wi_filter_stats(const struct wi_filter *filter);

#endif
