/* Feeding input in chunks of any size gives the same units and the same output as
 * feeding it whole: the splitter's boundaries never depend on read sizes. Runs over
 * every golden case's input, and over a stream long enough to make many units,
 * each of which must start at a "---" line and hold at least WI_UNIT_MIN bytes.
 * A long stream of documents with different line endings checks that where a unit
 * begins does not change what a document gets either. All through filter.c, the
 * loop main.c runs. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "filter.h"
#include "identity.h"
#include "stream.h"

static int read_file(const char *path, struct wi_buf *out)
{
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		wi_buf_append(out, chunk, n);
	fclose(f);
	return 0;
}

/* What the filter's unit hook saw: the units concatenated, how many, and how many
 * broke the rules (all but the first start at "---", all but the last are big). */
static size_t n_units, bad_units;

struct seen {
	struct wi_buf *units;
	size_t last_len; /* the unit before, not yet known to be the last */
};

static void on_unit(void *ctx, const char *data, size_t len)
{
	struct seen *seen = ctx;

	n_units++;
	if (seen->units->len && (len < 4 || memcmp(data, "---", 3) != 0))
		bad_units++;
	/* A unit followed by another is no last one: it must hold WI_UNIT_MIN bytes. */
	if (seen->units->len && seen->last_len < WI_UNIT_MIN)
		bad_units++;
	seen->last_len = len;
	wi_buf_append(seen->units, data, len);
}

static int append(void *ctx, const struct wi_piece *pieces, size_t n)
{
	for (size_t i = 0; i < n; i++)
		wi_buf_append(ctx, pieces[i].data, pieces[i].len);
	return 0;
}

/* Runs the filter, as main.c does, with the given chunk size; returns the status
 * (0 or 1) and fills units (the concatenated units) and out (the output). */
static int run(const struct wi_buf *in, size_t chunk, const struct wi_identity *id,
	struct wi_buf *units, struct wi_buf *out)
{
	struct seen seen = {.units = units};
	struct wi_filter_config config = {
		.engine = {.identities = id, .n_identities = 1},
		.write = append, .write_ctx = out, .on_unit = on_unit, .unit_ctx = &seen};
	struct wi_filter *filter = wi_filter_create(&config);
	struct wi_error err = {0};
	enum wi_filter_status status = WI_FILTER_OK;

	units->len = 0;
	for (size_t at = 0; at < in->len && status == WI_FILTER_OK; at += chunk)
		status = wi_filter_feed(filter, in->data + at,
			in->len - at < chunk ? in->len - at : chunk, &err);
	if (status == WI_FILTER_OK)
		status = wi_filter_finish(filter, &err);
	wi_filter_destroy(filter);
	return status != WI_FILTER_OK;
}

/* A document bigger than a unit, then `tail` and a ServiceAccount to edit: the
 * two must make two units and the account get its annotation. With cr, every line
 * ends in CR alone. Prints test n; returns 1 when it failed. */
static int cut_after_big(const struct wi_identity *id, const char *tail, bool cr, int n,
	const char *what)
{
	struct wi_buf in = {0}, units = {0}, out = {0};
	int status;
	bool ok;

	wi_buf_puts(&in, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  x: |\n");
	while (in.len < WI_UNIT_MIN + 1000)
		wi_buf_puts(&in, "    a line of text, long enough to fill the unit quickly\n");
	wi_buf_puts(&in, tail);
	wi_buf_puts(&in, "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: mxp-controller}\n");
	for (size_t i = 0; cr && i < in.len; i++)
		if (in.data[i] == '\n')
			in.data[i] = '\r';
	n_units = bad_units = 0;
	status = run(&in, 4096, id, &units, &out);
	ok = status == 0 && n_units == 2 && strstr(out.data, "client-id");
	printf("%s %d - %s%s\n", ok ? "ok" : "not ok", n, what, cr ? " (CR line endings)" : "");
	wi_buf_release(&in);
	wi_buf_release(&units);
	wi_buf_release(&out);
	return !ok;
}

/* The input of case `name` repeated over several units must come out as that
 * case's own output, repeated: a document's edits do not depend on the unit it is
 * in (its line endings are its own, not those of the unit's first line). Prints
 * test n; returns 1 when it failed. */
static int repeated_case(const char *cases, const char *name, const struct wi_identity *id,
	int n)
{
	struct wi_buf path = {0}, one = {0}, in = {0}, units = {0}, out1 = {0}, out = {0}, want = {0};
	size_t copies = 0;
	bool ok = false;

	wi_buf_printf(&path, "%s/%s/input.yaml", cases, name);
	if (read_file(path.data, &one) != 0) {
		perror(path.data);
		goto done;
	}
	if (run(&one, one.len + 1, id, &units, &out1) != 0)
		goto done;
	for (; in.len < 4 * WI_UNIT_MIN; copies++) {
		wi_buf_append(&in, one.data, one.len);
		wi_buf_append(&want, out1.data, out1.len);
	}
	n_units = 0;
	units.len = 0;
	ok = run(&in, 4096, id, &units, &out) == 0 && n_units > 2 && out.len == want.len &&
	     memcmp(out.data, want.data, want.len) == 0;
done:
	printf("%s %d - %s repeated %zu times, over %zu units, comes out as it does alone\n",
		ok ? "ok" : "not ok", n, name, copies, n_units);
	wi_buf_release(&path);
	wi_buf_release(&one);
	wi_buf_release(&in);
	wi_buf_release(&units);
	wi_buf_release(&out1);
	wi_buf_release(&out);
	wi_buf_release(&want);
	return !ok;
}

int main(int argc, char **argv)
{
	static const size_t chunks[] = {1, 2, 3, 7, 64, 4096};
	struct wi_identity id;
	int failures = 0, tests = 0;
	DIR *dir;
	struct dirent *d;

	if (argc != 2) {
		fprintf(stderr, "usage: chunking CASES_DIR\n");
		return 2;
	}
	wi_identity_init(&id);
	wi_identity_add_service_account(&id, "mxp-controller");
	wi_identity_set_azure(&id, "11111111-2222-3333-4444-555555555555", NULL, 0);
	dir = opendir(argv[1]);
	if (!dir) {
		perror(argv[1]);
		return 1;
	}
	while ((d = readdir(dir)) != NULL) {
		struct wi_buf path = {0}, in = {0}, units0 = {0}, out0 = {0};
		int status0;

		if (d->d_name[0] == '.')
			continue;
		wi_buf_printf(&path, "%s/%s/input.yaml", argv[1], d->d_name);
		if (read_file(path.data, &in) != 0) {
			wi_buf_release(&path);
			continue;
		}
		wi_buf_append(&in, "", 0);
		status0 = run(&in, in.len + 1, &id, &units0, &out0);
		for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
			struct wi_buf units = {0}, out = {0};
			int status = run(&in, chunks[i], &id, &units, &out);
			bool ok = status == status0 && out.len == out0.len &&
				  (out.len == 0 || memcmp(out.data, out0.data, out.len) == 0) &&
				  (status != 0 || (units.len == in.len &&
						   (in.len == 0 || memcmp(units.data, in.data, in.len) == 0)));

			tests++;
			printf("%s %d - %s in chunks of %zu\n", ok ? "ok" : "not ok", tests, d->d_name,
				chunks[i]);
			failures += !ok;
			wi_buf_release(&units);
			wi_buf_release(&out);
		}
		wi_buf_release(&path);
		wi_buf_release(&in);
		wi_buf_release(&units0);
		wi_buf_release(&out0);
	}
	closedir(dir);

	/* Many units: the helm3 sample over and over, about 1.5 MB, with each line
	 * ending in LF, CRLF, and CR alone (which libyaml reads as a line break too, so
	 * memory must stay bounded for it as well). */
	for (size_t eol = 0; eol < 3; eol++) {
		static const char *const breaks[] = {"\n", "\r\n", "\r"};
		static const char *const eol_names[] = {"LF", "CRLF", "CR"};
		struct wi_buf path = {0}, sample = {0}, in = {0}, units0 = {0}, out0 = {0};
		static const size_t big_chunks[] = {1, 3, 4096, 100000};
		int status0;

		wi_buf_printf(&path, "%s/helm3-two-control-planes/input.yaml", argv[1]);
		if (read_file(path.data, &sample) != 0) {
			perror(path.data);
			return 1;
		}
		while (in.len < 1500000) {
			for (size_t i = 0; i < sample.len; i++) {
				if (sample.data[i] == '\n')
					wi_buf_puts(&in, breaks[eol]);
				else
					wi_buf_putc(&in, sample.data[i]);
			}
		}
		n_units = bad_units = 0;
		status0 = run(&in, in.len + 1, &id, &units0, &out0);
		tests++;
		printf("%s %d - a long %s stream makes %zu units, each at a \"---\" and big enough\n",
			status0 == 0 && n_units > 4 && bad_units == 0 ? "ok" : "not ok", tests,
			eol_names[eol], n_units);
		failures += !(status0 == 0 && n_units > 4 && bad_units == 0);
		for (size_t i = 0; i < sizeof(big_chunks) / sizeof(big_chunks[0]); i++) {
			struct wi_buf units = {0}, out = {0};
			int status = run(&in, big_chunks[i], &id, &units, &out);
			bool ok = status == 0 && out.len == out0.len && memcmp(out.data, out0.data, out.len) == 0 &&
				  units.len == in.len && memcmp(units.data, in.data, in.len) == 0;

			tests++;
			printf("%s %d - the long %s stream in chunks of %zu\n", ok ? "ok" : "not ok",
				tests, eol_names[eol], big_chunks[i]);
			failures += !ok;
			wi_buf_release(&units);
			wi_buf_release(&out);
		}
		wi_buf_release(&path);
		wi_buf_release(&sample);
		wi_buf_release(&in);
		wi_buf_release(&units0);
		wi_buf_release(&out0);
	}
	/* A cut right after a big document: the directive before the next "---"
	 * belongs to the next unit, and "..." may end the previous one. */
	for (int cr = 0; cr < 2; cr++) {
		tests++;
		failures += cut_after_big(&id, "...\n%YAML 1.1\n# the directive's document\n",
			cr, tests, "a %YAML directive after a big document stays with its own");
	}
	/* A quoted scalar's last line may start with "%" at column 0 just above a
	 * "---": a cut there, as if before a directive, would split the scalar. */
	tests++;
	failures += cut_after_big(&id, "  y: \"two\n%YAML 1.1 lines\"\n  z: 'two\n%TAG ! lines'\n",
		false, tests, "a quoted scalar's line starting with % is no directive");
	tests++;
	failures += repeated_case(argv[1], "eol-mixed-documents", &id, tests);
	tests++;
	failures += repeated_case(argv[1], "eol-mixed-documents-crlf-first", &id, tests);
	wi_identity_release(&id);
	printf("1..%d\n", tests);
	return failures != 0;
}
