/* Input pieces -> units (stream.c) -> engine -> the write callback. */
#include "filter.h"

#include <stdlib.h>

#include "alloc.h"
#include "stream.h"

struct wi_filter {
	struct wi_splitter splitter;
	struct wi_engine *engine;
	wi_filter_write_fn *write;
	void *write_ctx;
	void (*on_unit)(void *ctx, const char *data, size_t len);
	void *unit_ctx;
	enum wi_filter_status status; /* the first failure, kept */
	struct wi_error error;        /* with WI_FILTER_BAD_INPUT: given again */
	bool finished;
};

struct wi_filter *wi_filter_create(const struct wi_filter_config *config)
{
	struct wi_filter *f = wi_xcalloc(1, sizeof(*f));

	wi_splitter_init(&f->splitter);
	f->engine = wi_engine_create(&config->engine);
	f->write = config->write;
	f->write_ctx = config->write_ctx;
	f->on_unit = config->on_unit;
	f->unit_ctx = config->unit_ctx;
	return f;
}

void wi_filter_destroy(struct wi_filter *f)
{
	if (!f)
		return;
	wi_splitter_release(&f->splitter);
	wi_engine_destroy(f->engine);
	free(f);
}

static enum wi_filter_status failed(struct wi_filter *f, struct wi_error *err)
{
	if (f->status == WI_FILTER_BAD_INPUT)
		*err = f->error;
	return f->status;
}

/* Every unit the splitter has ready, through the engine and out. */
static enum wi_filter_status drain(struct wi_filter *f, struct wi_error *err)
{
	struct wi_unit unit;

	while (f->status == WI_FILTER_OK && wi_splitter_next(&f->splitter, &unit)) {
		const struct wi_piece *pieces;
		size_t n;

		if (f->on_unit)
			f->on_unit(f->unit_ctx, unit.data, unit.len);
		if (wi_engine_unit(f->engine, unit.data, unit.len, &pieces, &n, &f->error) != 0)
			f->status = WI_FILTER_BAD_INPUT;
		else if (f->write && n && f->write(f->write_ctx, pieces, n) != 0)
			f->status = WI_FILTER_WRITE_FAILED;
	}
	return failed(f, err);
}

enum wi_filter_status wi_filter_feed(struct wi_filter *f, const char *data, size_t len,
	struct wi_error *err)
{
	if (f->status != WI_FILTER_OK || f->finished)
		return failed(f, err);
	wi_splitter_feed(&f->splitter, data, len);
	return drain(f, err);
}

char *wi_filter_space(struct wi_filter *f, size_t want)
{
	return wi_splitter_space(&f->splitter, want);
}

enum wi_filter_status wi_filter_commit(struct wi_filter *f, size_t len, struct wi_error *err)
{
	if (f->status != WI_FILTER_OK || f->finished)
		return failed(f, err);
	wi_splitter_commit(&f->splitter, len);
	return drain(f, err);
}

enum wi_filter_status wi_filter_finish(struct wi_filter *f, struct wi_error *err)
{
	if (f->status != WI_FILTER_OK || f->finished)
		return failed(f, err);
	f->finished = true;
	wi_splitter_finish(&f->splitter);
	if (drain(f, err) == WI_FILTER_OK)
		wi_engine_finish(f->engine);
	return failed(f, err);
}

const struct wi_stats *wi_filter_stats(const struct wi_filter *f)
{
	return wi_engine_stats(f->engine);
}
