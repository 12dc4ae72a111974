/* wi-inject: options -> settings, input -> core -> output, and the exit status. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "version.h"
#include "diag.h"
#include "engine.h"
#include "options.h"
#include "report.h"
#include "stream.h"
#include "values.h"

#define CHUNK (128 * 1024)

/* Where output goes: standard output, or a temporary file renamed over -o FILE only
 * when everything succeeded, so a failure never leaves a truncated file. */
struct sink {
	FILE *file;
	char *path;       /* owned: the file to replace, symlinks resolved; NULL if none */
	char *tmp_path;   /* owned */
	const char *name; /* for messages */
};

static int sink_open(struct sink *s, const char *path)
{
	struct wi_buf tmp = {0};
	struct stat st;
	const char *slash;
	mode_t mode;
	int fd;

	s->name = path ? path : "<stdout>";
	if (!path) {
		s->file = stdout;
		return 0;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* A device, a pipe, /dev/stdout: written in place, as nothing can
		 * replace it. */
		s->file = fopen(path, "wb");
		if (!s->file) {
			wi_diag_errorf("%s: %s", path, strerror(errno));
			return -1;
		}
		return 0;
	}
	if (stat(path, &st) == 0) {
		/* Replace the file a symlink points at, not the link, and keep its mode. */
		s->path = realpath(path, NULL);
		mode = st.st_mode & 07777;
	} else {
		mode_t mask = umask(0);

		umask(mask);
		mode = 0666 & ~mask;
	}
	if (!s->path)
		s->path = wi_xstrdup(path);
	slash = strrchr(s->path, '/');
	if (slash)
		wi_buf_append(&tmp, s->path, (size_t)(slash - s->path) + 1);
	wi_buf_puts(&tmp, ".wi-inject-XXXXXX");
	fd = mkstemp(tmp.data);
	if (fd < 0) {
		wi_diag_errorf("%s: cannot create a temporary file beside it: %s", path, strerror(errno));
		goto fail;
	}
	if (fchmod(fd, mode) != 0 || !(s->file = fdopen(fd, "wb"))) {
		wi_diag_errorf("%s: %s", tmp.data, strerror(errno));
		close(fd);
		unlink(tmp.data);
		goto fail;
	}
	s->tmp_path = tmp.data;
	return 0;
fail:
	wi_buf_release(&tmp);
	free(s->path);
	s->path = NULL;
	return -1;
}

static int sink_write(struct sink *s, const char *data, size_t len)
{
	if (len && fwrite(data, 1, len, s->file) != len) {
		wi_diag_errorf("%s: write error: %s", s->name, strerror(errno));
		return -1;
	}
	return 0;
}

/* Flushes and closes; renames into place when keep is true, else discards. */
static int sink_close(struct sink *s, bool keep)
{
	int rc = 0;

	if (fflush(s->file) != 0 || ferror(s->file)) {
		wi_diag_errorf("%s: write error: %s", s->name, strerror(errno));
		rc = -1;
	}
	if (fclose(s->file) != 0 && rc == 0) {
		wi_diag_errorf("%s: write error: %s", s->name, strerror(errno));
		rc = -1;
	}
	if (s->tmp_path) {
		if (rc == 0 && keep && rename(s->tmp_path, s->path) != 0) {
			wi_diag_errorf("%s: cannot replace: %s", s->path, strerror(errno));
			rc = -1;
		}
		if (rc != 0 || !keep)
			unlink(s->tmp_path);
		free(s->tmp_path);
		s->tmp_path = NULL;
	}
	free(s->path);
	s->path = NULL;
	return rc;
}

/* A value on one line, whatever it holds. */
static void put_escaped(struct wi_buf *b, const char *s)
{
	wi_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '\n')
			wi_buf_puts(b, "\\n");
		else if ((unsigned char)*s < 0x20 || *s == '"' || *s == '\\')
			wi_buf_printf(b, "\\x%02x", (unsigned char)*s);
		else
			wi_buf_putc(b, *s);
	}
	wi_buf_putc(b, '"');
}

static void print_change(const struct wi_change *c)
{
	struct wi_buf b = {0};

	wi_buf_printf(&b, "patched %s %s%s%s%s%s: %c%s", c->kind, c->namespace ? c->namespace : "",
		c->namespace ? "/" : "", c->name ? c->name : "(unnamed)", c->where ? " " : "",
		c->where ? c->where : "", c->old_value ? '~' : '+', c->key);
	if (c->old_value) {
		wi_buf_puts(&b, " (was ");
		put_escaped(&b, c->old_value);
		wi_buf_putc(&b, ')');
	}
	wi_diag_notef("%s", b.data);
	wi_buf_release(&b);
}

/* What the engine tells as it goes: printed, and kept for the report. */
struct listener {
	bool verbose;
	struct wi_report *report; /* NULL without --report */
};

static void on_change(void *ctx, const struct wi_change *c)
{
	struct listener *l = ctx;

	if (l->verbose)
		print_change(c);
	if (l->report)
		wi_report_add_change(l->report, c);
}

static void on_match(void *ctx, const struct wi_match *m)
{
	struct listener *l = ctx;

	if (l->report)
		wi_report_add_match(l->report, m);
}

static void on_finding(void *ctx, const struct wi_error *f)
{
	struct listener *l = ctx;

	wi_diag_error(f);
	if (l->report)
		wi_report_add_finding(l->report, f);
}

/* Input -> units -> engine -> sink. Returns an exit status. */
static int filter(FILE *in, struct sink *out, struct wi_engine *engine)
{
	struct wi_splitter splitter;
	struct wi_unit unit;
	struct wi_error err;
	int status = WI_EXIT_OK;
	bool eof = false;

	wi_splitter_init(&splitter);
	while (status == WI_EXIT_OK && !eof) {
		size_t n = fread(wi_splitter_space(&splitter, CHUNK), 1, CHUNK, in);

		wi_splitter_commit(&splitter, n);
		if (n < CHUNK) {
			if (ferror(in)) {
				wi_diag_errorf("read error: %s", strerror(errno));
				status = WI_EXIT_IO;
				break;
			}
			eof = true;
			wi_splitter_finish(&splitter);
		}
		while (status == WI_EXIT_OK && wi_splitter_next(&splitter, &unit)) {
			const char *data;
			size_t len;

			memset(&err, 0, sizeof(err));
			if (wi_engine_unit(engine, unit.data, unit.len, &data, &len, &err) != 0) {
				wi_diag_error(&err);
				status = WI_EXIT_IO;
			} else if (out && sink_write(out, data, len) != 0) {
				status = WI_EXIT_IO;
			}
		}
	}
	wi_splitter_release(&splitter);
	if (status == WI_EXIT_OK)
		wi_engine_finish(engine);
	return status;
}

static void print_list(struct wi_buf *b, char *const *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		wi_buf_printf(b, "%s%s", i ? ", " : "", items[i]);
}

/* Prints each line of text as a message: a warning, or a note with a lead. */
static void message_lines(const char *text, bool warn, const char *lead)
{
	const char *line = text, *nl;

	for (; line && *line; line = nl ? nl + 1 : NULL) {
		int len;

		nl = strchr(line, '\n');
		len = nl ? (int)(nl - line) : (int)strlen(line);
		if (warn)
			wi_diag_warnf("%.*s", len, line);
		else
			wi_diag_notef("%s%.*s", lead, len, line);
	}
}

/* Spaces renders the components' objects per control plane at run time, so the
 * chart Helm renders may hold none of them: then chart values do the job. */
static void print_values_hint(const struct wi_options *opts)
{
	struct wi_buf yaml = {0}, args = {0}, notes = {0};
	int rc = wi_values_render(opts->identities, opts->n_identities, &yaml, &args, &notes);

	if (rc == 0 && args.len) {
		wi_diag_notef("note: the Spaces chart creates these objects per control plane at "
			      "run time, so its rendered output holds none; set its values instead:");
		message_lines(args.data, false, "  ");
		message_lines(notes.data, false, "note: ");
	} else if (rc > 0)
		message_lines(notes.data, false, "note: the Spaces chart's values cannot do it: ");
	wi_buf_release(&yaml);
	wi_buf_release(&args);
	wi_buf_release(&notes);
}

/* Nothing matched: say what was looked for and what was there. */
static void explain_no_match(const struct wi_options *opts, const struct wi_stats *stats)
{
	struct wi_buf b = {0};

	for (size_t i = 0; i < opts->n_identities; i++) {
		const struct wi_identity *id = &opts->identities[i];

		wi_buf_puts(&b, i ? "; " : "");
		wi_buf_puts(&b, "ServiceAccount ");
		print_list(&b, id->service_accounts, id->n_service_accounts);
		wi_buf_puts(&b, " in ");
		if (id->n_namespaces)
			print_list(&b, id->namespaces, id->n_namespaces);
		else
			wi_buf_puts(&b, "any namespace");
	}
	wi_buf_puts(&b, "; namespaces in the input: ");
	print_list(&b, stats->namespaces, stats->n_namespaces);
	if (stats->unnamespaced)
		wi_buf_puts(&b, stats->n_namespaces ? ", (none)" : "(none)");
	wi_diag_errorf("no ServiceAccount or workload matched (looked for %s); "
		       "pass --allow-missing to let such input through unchanged", b.data);
	wi_buf_release(&b);
	if (!opts->check)
		print_values_hint(opts);
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
		message_lines(notes.data, true, NULL);
		if (fwrite(yaml.data, 1, yaml.len, stdout) != yaml.len || fclose(stdout) != 0) {
			wi_diag_errorf("<stdout>: write error: %s", strerror(errno));
			status = WI_EXIT_IO;
		}
	}
	wi_buf_release(&yaml);
	wi_buf_release(&args);
	wi_buf_release(&notes);
	return status;
}

static int write_report(const char *path, struct wi_report *report, int status)
{
	struct sink s = {0};
	char *text = wi_report_render(report, status);
	int rc = -1;

	if (!text)
		wi_diag_errorf("%s: out of memory while writing the report", path);
	else if (sink_open(&s, path) == 0) {
		bool ok = sink_write(&s, text, strlen(text)) == 0 && sink_write(&s, "\n", 1) == 0;

		rc = sink_close(&s, ok) == 0 && ok ? 0 : -1;
	}
	free(text);
	return rc;
}

static int usage_error(const struct wi_options *opts, const struct wi_error *err,
	const char *err_file)
{
	FILE *log = NULL;

	/* Under Helm 4 the log is the only place a usage error can be seen. */
	if (opts->log_file && (log = fopen(opts->log_file, "a")) != NULL)
		wi_diag_set_log(log);
	if (err_file) {
		wi_diag_set_input_name(err_file);
		wi_diag_error(err);
	} else {
		wi_diag_errorf("%s", err->message);
	}
	fputs("Try 'wi-inject --help' for more information.\n", stderr);
	wi_diag_set_log(NULL);
	if (log)
		fclose(log);
	return WI_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	struct wi_options opts;
	struct wi_engine_config config = {0};
	struct listener listener = {0};
	struct wi_engine *engine = NULL;
	struct wi_error err;
	const char *err_file;
	struct sink out = {0};
	bool out_open = false;
	FILE *in = stdin, *log = NULL;
	int status;

	/* A closed pipe is a write error to report, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	if (wi_options_parse(&opts, argc, argv, &err, &err_file) != 0) {
		status = usage_error(&opts, &err, err_file);
		wi_options_release(&opts);
		return status;
	}
	if (opts.action == WI_HELP) {
		fputs(wi_usage_text, stdout);
		return fclose(stdout) == 0 ? WI_EXIT_OK : WI_EXIT_IO;
	}
	if (opts.action == WI_VERSION) {
		puts("wi-inject " WI_INJECT_VERSION);
		return fclose(stdout) == 0 ? WI_EXIT_OK : WI_EXIT_IO;
	}

	status = WI_EXIT_IO;
	if (opts.log_file) {
		log = fopen(opts.log_file, "a");
		if (!log) {
			wi_diag_errorf("%s: cannot open log file: %s", opts.log_file, strerror(errno));
			goto out;
		}
		wi_diag_set_log(log);
	}
	if (opts.action == WI_PRINT_VALUES) {
		status = print_values(&opts);
		goto out;
	}
	if (opts.input && strcmp(opts.input, "-") != 0) {
		in = fopen(opts.input, "rb");
		if (!in) {
			wi_diag_errorf("%s: %s", opts.input, strerror(errno));
			goto out;
		}
		wi_diag_set_input_name(opts.input);
	}
	/* --check judges the input and writes none of it. */
	if (!opts.check) {
		if (sink_open(&out, opts.output) != 0)
			goto out;
		out_open = true;
	}

	listener.verbose = opts.verbose;
	listener.report = opts.report_file ? wi_report_create(opts.check) : NULL;
	config.identities = opts.identities;
	config.n_identities = opts.n_identities;
	config.check = opts.check;
	config.checksum = opts.checksum;
	config.on_change = on_change;
	config.on_match = on_match;
	config.on_finding = on_finding;
	config.ctx = &listener;
	engine = wi_engine_create(&config);
	status = filter(in, out_open ? &out : NULL, engine);
	if (status == WI_EXIT_OK) {
		const struct wi_stats *stats = wi_engine_stats(engine);

		if (stats->documents && !stats->service_accounts && !stats->workloads &&
		    !opts.allow_missing) {
			explain_no_match(&opts, stats);
			status = WI_EXIT_NO_MATCH;
		} else if (stats->findings) {
			status = WI_EXIT_FINDINGS;
		}
	}
	if (out_open && sink_close(&out, status == WI_EXIT_OK) != 0 && status == WI_EXIT_OK)
		status = WI_EXIT_IO;
	if (listener.report && write_report(opts.report_file, listener.report, status) != 0 &&
	    status == WI_EXIT_OK)
		status = WI_EXIT_IO;

out:
	wi_report_destroy(listener.report);
	wi_engine_destroy(engine);
	if (in && in != stdin)
		fclose(in);
	if (log)
		fclose(log);
	wi_options_release(&opts);
	return status;
}
