/* What the command line says of a run besides its errors. */
#include "explain.h"

#include <string.h>

#include "buf.h"
#include "diag.h"
#include "values.h"

void wi_explain_change(const struct wi_change *c)
{
	struct wi_buf b = {0};

	wi_buf_printf(&b, "patched %s %s%s%s%s%s: %c%s", c->kind, c->namespace ? c->namespace : "",
		c->namespace ? "/" : "", c->name ? c->name : "(unnamed)", c->where ? " " : "",
		c->where ? c->where : "", c->old_value ? '~' : '+', c->key);
	if (c->old_value) {
		wi_buf_puts(&b, " (was ");
		wi_buf_put_quoted(&b, c->old_value, false);
		wi_buf_putc(&b, ')');
	}
	wi_diag_notef("%s", b.data);
	wi_buf_release(&b);
}

/* Messages name at most this many items of a list, then how many more there are: the
 * advice after a list must stay readable. */
#define LIST_MAX 8

/* items, then last unless NULL, as "a, b, c" or "a, b, ... h and 3 more"; "over 3
 * more" when the list itself is known to be incomplete. */
static void print_list(struct wi_buf *b, char *const *items, size_t n, const char *last,
	bool incomplete)
{
	size_t total = n + (last != NULL);

	for (size_t i = 0; i < total && i < LIST_MAX; i++)
		wi_buf_printf(b, "%s%s", i ? ", " : "", i < n ? items[i] : last);
	if (total > LIST_MAX)
		wi_buf_printf(b, " and %s%zu more", incomplete ? "over " : "", total - LIST_MAX);
	else if (incomplete)
		wi_buf_puts(b, " and more");
}

void wi_explain_lines(const char *text, bool warn, const char *lead)
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
		wi_explain_lines(args.data, false, "  ");
		wi_explain_lines(notes.data, false, "note: ");
	} else if (rc > 0) {
		wi_explain_lines(notes.data, false, "note: the Spaces chart's values cannot do it: ");
	}
	wi_buf_release(&yaml);
	wi_buf_release(&args);
	wi_buf_release(&notes);
}

void wi_explain_no_match(const struct wi_options *opts, const struct wi_stats *stats)
{
	struct wi_buf b = {0};

	for (size_t i = 0; i < opts->n_identities; i++) {
		const struct wi_identity *id = &opts->identities[i];

		wi_buf_puts(&b, i ? "; " : "");
		wi_buf_puts(&b, "ServiceAccount ");
		print_list(&b, id->service_accounts, id->n_service_accounts, NULL, false);
		wi_buf_puts(&b, " in ");
		if (id->n_namespaces)
			print_list(&b, id->namespaces, id->n_namespaces, NULL, false);
		else
			wi_buf_puts(&b, "any namespace");
	}
	if (!stats->documents) {
		wi_buf_puts(&b, "; the input held no objects");
	} else {
		wi_buf_puts(&b, "; namespaces in the input: ");
		print_list(&b, stats->namespaces, stats->n_namespaces,
			stats->unnamespaced ? "(none)" : NULL, stats->more_namespaces);
	}
	wi_diag_errorf("no ServiceAccount or workload matched (looked for %s); "
		       "pass --allow-missing to %s", b.data,
		opts->print_trust ? "print nothing and succeed"
				  : "let such input through unchanged");
	wi_buf_release(&b);
	if (!opts->check && !opts->print_trust)
		print_values_hint(opts);
}

