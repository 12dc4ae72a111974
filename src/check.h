/* --check: what is there, judged against what the webhooks need. Reads located
 * objects; edits nothing. */
#ifndef WI_CHECK_H
#define WI_CHECK_H

#include <stddef.h>

#include "diag.h"
#include "edit.h"
#include "identity.h"
#include "locate.h"

/* Where findings go. Lines and columns reach emit counted over the whole stream. */
struct wi_findings {
	void (*emit)(void *ctx, const struct wi_error *finding); /* may be NULL */
	void *ctx;
	size_t line_base; /* lines before the current unit */
	size_t *count;    /* borrowed; incremented per finding */
};

/* A ServiceAccount an identity applies to: every wanted annotation present, a
 * string, well-formed, and equal to the wanted value when one is known (a want
 * whose value is NULL accepts any well-formed value); no pod label on it. */
void wi_check_service_account(struct wi_findings *f, const struct wi_doc *doc, size_t obj,
	const struct wi_want *wants, size_t n);

/* A workload whose pods run as such a ServiceAccount: each wanted label on the
 * pod template as a string; none in spec.selector or only on the workload itself;
 * no ServiceAccount annotation on the pod template or the workload. */
void wi_check_workload(struct wi_findings *f, const struct wi_doc *doc, size_t obj, int pod,
	const struct wi_want *labels, size_t n, const char *service_account);

/* Reports a finding at a unit-relative position about object o (may be NULL). */
void wi_check_finding(struct wi_findings *f, const struct wi_object *o, const struct wi_pos *pos,
	const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
