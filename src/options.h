/* Command line and environment -> settings, validated before any input is read. */
#ifndef WI_OPTIONS_H
#define WI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "identity.h"

enum wi_action_kind { WI_RUN, WI_HELP, WI_VERSION, WI_PRINT_VALUES };

struct wi_options {
	enum wi_action_kind action;
	struct wi_identity *identities; /* owned */
	size_t n_identities;
	const char *input;       /* borrowed from argv; NULL or "-" for standard input */
	const char *output;      /* borrowed; NULL for standard output */
	const char *log_file;    /* borrowed from argv or the environment; NULL for none */
	const char *report_file; /* borrowed; NULL for none */
	bool verbose;
	bool allow_missing;
	bool check;
	bool print_trust; /* --print-trust: the cloud-side trust instead of the manifests */
	bool checksum;
};

/* Exit statuses, documented in --help and the README. */
enum {
	WI_EXIT_OK = 0,
	WI_EXIT_IO = 1,       /* invalid input, unreadable input, unwritable output */
	WI_EXIT_USAGE = 2,    /* a bad or missing option, a bad config file */
	WI_EXIT_NO_MATCH = 3, /* manifests, but nothing the identities apply to */
	WI_EXIT_FINDINGS = 4, /* --check found problems */
};

/*
 * Returns 0, or -1 with *err set: a one-line reason, and when it is about a config
 * file, *err_file names it (and err's line and column are set for JSON syntax).
 * Reads WI_INJECT_* variables.
 */
int wi_options_parse(struct wi_options *opts, int argc, char **argv, struct wi_error *err,
	const char **err_file);
void wi_options_release(struct wi_options *opts);

extern const char wi_usage_text[];

#endif
