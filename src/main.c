/* wi-inject: options -> settings, input -> core -> output, and the exit status. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "engine.h"
#include "options.h"
#include "stream.h"

#define CHUNK (64 * 1024)

/* Where output goes: standard output, or a temporary file renamed over -o FILE only
 * when everything succeeded, so a failure never leaves a truncated file. */
struct sink {
	FILE *file;
	const char *path; /* -o FILE, or NULL */
	char *tmp_path;   /* owned */
	const char *name; /* for messages */
};

static int sink_open(struct sink *s, const char *path)
{
	struct wi_buf tmp = {0};
	const char *slash;
	mode_t mask;
	int fd;

	s->path = path;
	s->name = path ? path : "<stdout>";
	if (!path) {
		s->file = stdout;
		return 0;
	}
	slash = strrchr(path, '/');
	if (slash)
		wi_buf_append(&tmp, path, (size_t)(slash - path) + 1);
	wi_buf_puts(&tmp, ".wi-inject-XXXXXX");
	fd = mkstemp(tmp.data);
	if (fd < 0) {
		wi_diag_errorf("%s: cannot create a temporary file beside it: %s", path, strerror(errno));
		wi_buf_release(&tmp);
		return -1;
	}
	/* mkstemp makes 0600; give what a plain redirection would. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0 || !(s->file = fdopen(fd, "wb"))) {
		wi_diag_errorf("%s: %s", tmp.data, strerror(errno));
		close(fd);
		unlink(tmp.data);
		wi_buf_release(&tmp);
		return -1;
	}
	s->tmp_path = tmp.data;
	return 0;
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

static void print_change(void *ctx, const struct wi_change *c)
{
	struct wi_buf b = {0};

	(void)ctx;
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

/* Input -> units -> engine -> sink. Returns an exit status. */
static int filter(FILE *in, struct sink *out, struct wi_engine *engine)
{
	struct wi_splitter splitter;
	struct wi_unit unit;
	struct wi_error err;
	char *chunk = malloc(CHUNK);
	int status = WI_EXIT_OK;
	bool eof = false;

	if (!chunk) {
		wi_diag_errorf("out of memory");
		return WI_EXIT_IO;
	}
	wi_splitter_init(&splitter);
	while (status == WI_EXIT_OK && !eof) {
		size_t n = fread(chunk, 1, CHUNK, in);

		if (n < CHUNK) {
			if (ferror(in)) {
				wi_diag_errorf("read error: %s", strerror(errno));
				status = WI_EXIT_IO;
				break;
			}
			eof = true;
		}
		wi_splitter_feed(&splitter, chunk, n);
		if (eof)
			wi_splitter_finish(&splitter);
		while (status == WI_EXIT_OK && wi_splitter_next(&splitter, &unit)) {
			const char *data;
			size_t len;

			memset(&err, 0, sizeof(err));
			if (wi_engine_unit(engine, unit.data, unit.len, &data, &len, &err) != 0) {
				wi_diag_error(&err);
				status = WI_EXIT_IO;
			} else if (sink_write(out, data, len) != 0) {
				status = WI_EXIT_IO;
			}
		}
	}
	wi_splitter_release(&splitter);
	free(chunk);
	return status;
}

static void print_list(struct wi_buf *b, char *const *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		wi_buf_printf(b, "%s%s", i ? ", " : "", items[i]);
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
}

int main(int argc, char **argv)
{
	struct wi_options opts;
	struct wi_engine_config config = {0};
	struct wi_engine *engine = NULL;
	struct sink out = {0};
	FILE *in = stdin, *log = NULL;
	char msg[512];
	int status;

	/* A closed pipe is a write error to report, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	if (wi_options_parse(&opts, argc, argv, msg, sizeof(msg)) != 0) {
		/* Under Helm 4 the log is the only place a usage error can be seen. */
		if (opts.log_file && (log = fopen(opts.log_file, "a")) != NULL)
			wi_diag_set_log(log);
		wi_diag_errorf("%s", msg);
		if (log)
			fclose(log);
		fputs("Try 'wi-inject --help' for more information.\n", stderr);
		wi_options_release(&opts);
		return WI_EXIT_USAGE;
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
	if (opts.input && strcmp(opts.input, "-") != 0) {
		in = fopen(opts.input, "rb");
		if (!in) {
			wi_diag_errorf("%s: %s", opts.input, strerror(errno));
			goto out;
		}
		wi_diag_set_input_name(opts.input);
	}
	if (sink_open(&out, opts.output) != 0)
		goto out;

	config.identities = opts.identities;
	config.n_identities = opts.n_identities;
	config.on_change = opts.verbose ? print_change : NULL;
	engine = wi_engine_create(&config);
	status = filter(in, &out, engine);
	if (status == WI_EXIT_OK) {
		const struct wi_stats *stats = wi_engine_stats(engine);

		if (stats->documents && !stats->service_accounts && !stats->workloads &&
		    !opts.allow_missing) {
			explain_no_match(&opts, stats);
			status = WI_EXIT_NO_MATCH;
		}
	}
	if (sink_close(&out, status == WI_EXIT_OK) != 0 && status == WI_EXIT_OK)
		status = WI_EXIT_IO;

out:
	wi_engine_destroy(engine);
	if (in && in != stdin)
		fclose(in);
	if (log)
		fclose(log);
	wi_options_release(&opts);
	return status;
}
