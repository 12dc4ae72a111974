/* wi-inject: options -> settings, input -> core -> output, and the exit status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "version.h"
#include "diag.h"
#include "engine.h"
#include "explain.h"
#include "filter.h"
#include "io.h"
#include "options.h"
#include "report.h"
#include "trust.h"
#include "values.h"

/* Bytes per read: a read costs little next to parsing what it brought, and adds at
 * most this much to the memory a unit takes. */
#define CHUNK (128 * 1024)

/* What the engine tells as it goes: printed, and kept for the report. */
struct listener {
	bool verbose;
	struct wi_report *report; /* NULL without --report */
	struct wi_trust *trust;   /* NULL without --print-trust */
};

static void on_change(void *ctx, const struct wi_change *c)
{
	struct listener *l = ctx;

	if (l->verbose)
		wi_explain_change(c);
	if (l->report)
		wi_report_add_change(l->report, c);
}

static void on_match(void *ctx, const struct wi_match *m)
{
	struct listener *l = ctx;

	if (l->report)
		wi_report_add_match(l->report, m);
	for (size_t i = 0; l->trust && i < m->n_identities; i++)
		wi_trust_add(l->trust, m->identities[i], m->namespace, m->service_account, m);
}

static void on_finding(void *ctx, const struct wi_finding *f)
{
	struct listener *l = ctx;

	wi_diag_error(&f->error);
	if (l->report)
		wi_report_add_finding(l->report, f);
}

static void on_warning(void *ctx, const struct wi_warning *w)
{
	struct listener *l = ctx;

	wi_diag_warnf("%s", w->message);
	if (l->report)
		wi_report_add_warning(l->report, w);
}

static int write_to_sink(void *ctx, const struct wi_piece *pieces, size_t n)
{
	return wi_io_sink_write_pieces(ctx, pieces, n);
}

/* Input -> filter, which writes to out (NULL: nowhere). *filter is the filter,
 * owned by the caller, for its stats. Returns an exit status. */
static int run_filter(struct wi_reader *in, struct wi_sink *out,
	const struct wi_engine_config *engine, struct wi_filter **filter)
{
	struct wi_filter_config config = {.engine = *engine};
	struct wi_error err = {0};
	enum wi_filter_status fs = WI_FILTER_OK;
	bool failed = false, eof = false;

	if (out) {
		config.write = write_to_sink;
		config.write_ctx = out;
	}
	*filter = wi_filter_create(&config);
	while (fs == WI_FILTER_OK && !failed && !eof) {
		/* Read straight into the filter's buffer: the input is copied by no one. */
		size_t n = wi_io_read(in, wi_filter_space(*filter, CHUNK), CHUNK, &failed);

		eof = n < CHUNK;
		if (!failed)
			fs = wi_filter_commit(*filter, n, &err);
	}
	if (fs == WI_FILTER_OK && !failed)
		fs = wi_filter_finish(*filter, &err);
	if (fs == WI_FILTER_BAD_INPUT)
		wi_diag_error(&err);
	/* A read or write failure has been reported where it happened. */
	return fs == WI_FILTER_OK && !failed ? WI_EXIT_OK : WI_EXIT_IO;
}

/* Writes text to path (NULL: standard output); 0 or -1, with a message. */
static int write_whole(const char *path, const char *text, size_t len)
{
	struct wi_sink s;
	bool ok;

	if (wi_io_sink_open(&s, path) != 0)
		return -1;
	ok = wi_io_sink_write(&s, text, len) == 0;
	return wi_io_sink_close(&s, ok) == 0 && ok ? 0 : -1;
}

static int print_text(const char *text)
{
	return write_whole(NULL, text, strlen(text)) == 0 ? WI_EXIT_OK : WI_EXIT_IO;
}

static int print_values(const struct wi_options *opts)
{
	struct wi_buf yaml = {0}, args = {0}, notes = {0};
	int status = WI_EXIT_OK, rc;

	rc = wi_values_render(opts->identities, opts->n_identities, &yaml, &args, &notes);
	if (rc < 0) {
		wi_diag_errorf("cannot write the values");
		status = WI_EXIT_IO;
	} else if (rc > 0) {
		wi_diag_errorf("%.*s", (int)strcspn(notes.data, "\n"), notes.data);
		status = WI_EXIT_USAGE;
	} else if (!yaml.len) {
		wi_diag_errorf("no identity targets a Spaces component (backup, billing, secrets)");
		status = WI_EXIT_USAGE;
	} else {
		wi_explain_lines(notes.data, true, NULL);
		if (write_whole(NULL, yaml.data, yaml.len) != 0)
			status = WI_EXIT_IO;
	}
	wi_buf_release(&yaml);
	wi_buf_release(&args);
	wi_buf_release(&notes);
	return status;
}

/* --print-trust: the script instead of the manifests, to the sink. */
static int print_trust(const struct wi_options *opts, const struct wi_trust *trust,
	struct wi_sink *out)
{
	struct wi_buf script = {0};
	struct wi_error err = {0};
	int status = WI_EXIT_OK;

	if (wi_trust_render(trust, opts->identities, opts->n_identities, &script,
		    &err) != 0) {
		wi_diag_error(&err);
		status = WI_EXIT_IO;
	} else {
		if (wi_io_sink_write(out, script.data, script.len) != 0)
			status = WI_EXIT_IO;
	}
	wi_buf_release(&script);
	return status;
}

static int write_report(const char *path, struct wi_report *report, int status)
{
	struct wi_buf text = {0};
	char *json = wi_report_render(report, status);
	int rc = -1;

	if (!json) {
		wi_diag_errorf("%s: out of memory while writing the report", path);
	} else {
		wi_buf_puts(&text, json);
		wi_buf_putc(&text, '\n');
		rc = write_whole(path, text.data, text.len);
	}
	wi_buf_release(&text);
	free(json);
	return rc;
}

static int usage_error(const struct wi_error *err, const char *err_file)
{
	if (err_file) {
		wi_diag_set_input_name(err_file);
		wi_diag_error(err);
	} else {
		wi_diag_errorf("%s", err->message);
	}
	fputs("Try 'wi-inject --help' for more information.\n", stderr);
	return WI_EXIT_USAGE;
}

/* Reads the input, writes the output and the report; returns the exit status. */
static int run(const struct wi_options *opts)
{
	struct wi_engine_config config = {0};
	struct listener listener = {0};
	struct wi_filter *filter = NULL;
	struct wi_reader in = {0};
	struct wi_sink out = {0};
	bool out_open = false;
	int status = WI_EXIT_IO;

	if (wi_io_reader_open(&in, opts->input) != 0)
		goto out;
	/* --check judges the input and writes none of it. */
	if (!opts->check) {
		if (wi_io_sink_open(&out, opts->output) != 0)
			goto out;
		out_open = true;
	}

	/* --print-trust writes none of the edits that -v would describe. */
	listener.verbose = opts->verbose && !opts->print_trust;
	listener.trust = opts->print_trust ? wi_trust_create() : NULL;
	listener.report = opts->report_file ? wi_report_create(opts->check) : NULL;
	config.identities = opts->identities;
	config.n_identities = opts->n_identities;
	config.check = opts->check;
	config.checksum = opts->checksum;
	config.on_change = on_change;
	config.on_match = on_match;
	config.on_finding = on_finding;
	config.on_warning = on_warning;
	config.ctx = &listener;
	status = run_filter(&in, out_open && !listener.trust ? &out : NULL, &config, &filter);
	if (status == WI_EXIT_OK) {
		const struct wi_stats *stats = wi_filter_stats(filter);

		/* Empty input to --check is most often a failed `helm get manifest` or a
		 * `kubectl get` in the wrong namespace: nothing checked is not a pass. */
		if (opts->check && !stats->objects) {
			wi_diag_errorf("nothing to check: the input holds no objects");
			status = WI_EXIT_NO_MATCH;
		} else if ((stats->documents || listener.trust) && !stats->service_accounts &&
			   !stats->workloads && !opts->allow_missing) {
			/* With --print-trust, no input is no subject. */
			wi_explain_no_match(opts, stats);
			status = WI_EXIT_NO_MATCH;
		} else if (stats->findings) {
			status = WI_EXIT_FINDINGS;
		} else if (listener.trust) {
			status = print_trust(opts, listener.trust, &out);
		}
	}
	if (out_open && wi_io_sink_close(&out, status == WI_EXIT_OK) != 0 && status == WI_EXIT_OK)
		status = WI_EXIT_IO;
	out_open = false;
	if (listener.report && write_report(opts->report_file, listener.report, status) != 0 &&
	    status == WI_EXIT_OK)
		status = WI_EXIT_IO;
out:
	if (out_open)
		wi_io_sink_close(&out, false);
	wi_report_destroy(listener.report);
	wi_trust_destroy(listener.trust);
	wi_filter_destroy(filter);
	wi_io_reader_close(&in);
	return status;
}

int main(int argc, char **argv)
{
	struct wi_options opts;
	struct wi_error err;
	const char *err_file;
	int parsed, status;

	wi_io_init();
	parsed = wi_options_parse(&opts, argc, argv, &err, &err_file);
	if (parsed == 0 && opts.action == WI_HELP)
		status = print_text(wi_usage_text);
	else if (parsed == 0 && opts.action == WI_VERSION)
		status = print_text("wi-inject " WI_INJECT_VERSION "\n");
	/* Opened even for a usage error: under Helm 4 the log is the only place it shows. */
	else if (wi_io_log_open(opts.log_file) != 0)
		status = parsed != 0 ? usage_error(&err, err_file) : WI_EXIT_IO;
	else if (parsed != 0)
		status = usage_error(&err, err_file);
	else if (opts.action == WI_PRINT_VALUES)
		status = print_values(&opts);
	else
		status = run(&opts);
	wi_options_release(&opts);
	return wi_io_exit(status);
}
