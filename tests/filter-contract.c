/* filter.h's contract: output streams out while input comes in (not all at the
 * end); reading into the filter's buffer equals feeding it; a failed write or bad
 * input stops the filter for good, with the same status (and error) from every
 * later call and no further writes; no write callback is --check's case and still
 * counts what it saw. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "filter.h"
#include "identity.h"
#include "stream.h"

struct sink {
	struct wi_buf out;
	int calls;
	int fail_from; /* the call that fails first, 1-based; 0: none */
	size_t pieces, empty_pieces;
};

static int write_out(void *ctx, const struct wi_piece *pieces, size_t n)
{
	struct sink *s = ctx;

	if (s->fail_from && ++s->calls >= s->fail_from)
		return -1;
	if (!s->fail_from)
		s->calls++;
	s->pieces += n;
	for (size_t i = 0; i < n; i++) {
		if (!pieces[i].len)
			s->empty_pieces++;
		wi_buf_append(&s->out, pieces[i].data, pieces[i].len);
	}
	return 0;
}

static const char account[] =
	"---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: mxp-controller, namespace: a}\n";

static int n, failures;

static void expect(bool ok, const char *what)
{
	printf("%s %d - %s\n", ok ? "ok" : "not ok", ++n, what);
	failures += !ok;
}

static struct wi_filter *filter_for(const struct wi_identity *id, struct sink *s)
{
	struct wi_filter_config config = {.engine = {.identities = id, .n_identities = 1}};

	if (s) {
		config.write = write_out;
		config.write_ctx = s;
	}
	return wi_filter_create(&config);
}

int main(void)
{
	struct wi_identity id;
	struct wi_error err = {0}, again = {0};
	struct wi_buf big = {0};
	struct sink s = {0};
	struct wi_filter *f;
	enum wi_filter_status st;
	int calls;

	wi_identity_init(&id);
	wi_identity_add_service_account(&id, "mxp-controller");
	wi_identity_set_azure(&id, "11111111-2222-3333-4444-555555555555", NULL, 0);

	/* Streaming: a unit's output is written by the feed that completed it. */
	while (big.len < 2 * WI_UNIT_MIN + 1000)
		wi_buf_puts(&big, account);
	f = filter_for(&id, &s);
	st = wi_filter_feed(f, big.data, big.len, &err);
	expect(st == WI_FILTER_OK && s.calls >= 1 && s.out.len > WI_UNIT_MIN,
		"output of the units a feed completes is written before finish");
	calls = s.calls;
	st = wi_filter_finish(f, &err);
	expect(st == WI_FILTER_OK && s.calls == calls + 1 && strstr(s.out.data, "client-id"),
		"finish writes the rest, edited");
	expect(wi_filter_stats(f)->service_accounts > 2 * WI_UNIT_MIN / sizeof(account),
		"the stats count every ServiceAccount");
	/* Each account gets one insertion, so its unit goes out as a span before it and
	 * the inserted text: pieces of the input, not a copy of it. */
	expect(s.pieces >= 2 * wi_filter_stats(f)->service_accounts && s.empty_pieces == 0,
		"edited units are written as pieces, none of them empty");
	wi_filter_destroy(f);

	/* Reading into the filter's own buffer (space, then commit), in pieces of odd
	 * sizes, short reads among them: the same output as one feed. */
	{
		struct sink direct = {0};
		size_t at = 0, piece = 1;

		f = filter_for(&id, &direct);
		st = WI_FILTER_OK;
		while (st == WI_FILTER_OK && at < big.len) {
			size_t want = piece * 7 + 3, got = want / 2 + 1;
			char *room = wi_filter_space(f, want);

			if (got > big.len - at)
				got = big.len - at;
			memcpy(room, big.data + at, got);
			st = wi_filter_commit(f, got, &err);
			at += got;
			piece = piece * 3 % 4097;
		}
		st = st == WI_FILTER_OK ? wi_filter_finish(f, &err) : st;
		expect(st == WI_FILTER_OK && direct.out.len == s.out.len &&
			       memcmp(direct.out.data, s.out.data, s.out.len) == 0,
			"space and commit in pieces give what one feed gives");
		wi_filter_destroy(f);
		wi_buf_release(&direct.out);
	}

	/* A failed write: final, with no write after it. */
	wi_buf_release(&s.out);
	memset(&s, 0, sizeof(s));
	s.fail_from = 1;
	f = filter_for(&id, &s);
	st = wi_filter_feed(f, big.data, big.len, &err);
	expect(st == WI_FILTER_WRITE_FAILED && s.calls == 1, "a failed write fails the feed");
	st = wi_filter_feed(f, account, sizeof(account) - 1, &err);
	expect(st == WI_FILTER_WRITE_FAILED && s.calls == 1, "a feed after it fails again, writing nothing");
	st = wi_filter_finish(f, &err);
	expect(st == WI_FILTER_WRITE_FAILED && s.calls == 1, "so does finish");
	wi_filter_destroy(f);

	/* Bad input: the error, 1-based, from every later call. */
	wi_buf_release(&s.out);
	memset(&s, 0, sizeof(s));
	f = filter_for(&id, &s);
	st = wi_filter_feed(f, account, sizeof(account) - 1, &err);
	expect(st == WI_FILTER_OK && s.calls == 0, "a small unit waits for more input");
	st = wi_filter_feed(f, "---\nkey: [1, 2\n", 15, &err);
	st = st == WI_FILTER_OK ? wi_filter_finish(f, &err) : st;
	expect(st == WI_FILTER_BAD_INPUT && err.line == 7 && err.column == 1 && err.context_line == 6 &&
		       err.message[0],
		"an unclosed flow sequence is bad input, at 7:1 over the whole stream, started at line 6");
	st = wi_filter_feed(f, account, sizeof(account) - 1, &again);
	expect(st == WI_FILTER_BAD_INPUT && again.line == err.line && again.column == err.column &&
		       strcmp(again.message, err.message) == 0 && s.calls == 0,
		"a feed after it gives the same error, writing nothing");
	wi_filter_destroy(f);

	/* No write callback: nothing written, everything counted. */
	f = filter_for(&id, NULL);
	st = wi_filter_feed(f, account, sizeof(account) - 1, &err);
	st = st == WI_FILTER_OK ? wi_filter_finish(f, &err) : st;
	expect(st == WI_FILTER_OK && wi_filter_stats(f)->service_accounts == 1,
		"without a write callback the input is judged all the same");
	wi_filter_destroy(f);
	wi_filter_destroy(NULL);

	wi_buf_release(&big);
	wi_buf_release(&s.out);
	wi_identity_release(&id);
	printf("1..%d\n", n);
	return failures != 0;
}
