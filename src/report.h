/* --report FILE: what was done and found, as JSON (cJSON), for scripts. */
#ifndef WI_REPORT_H
#define WI_REPORT_H

#include "diag.h"
#include "engine.h"

struct wi_report;

/* The add functions copy what they are given. Out of memory, they mark the report
 * broken: wi_report_render then returns NULL. */
struct wi_report *wi_report_create(bool check);
void wi_report_destroy(struct wi_report *r);
void wi_report_add_change(struct wi_report *r, const struct wi_change *c);
/* A ServiceAccount match also records the subject its cloud identity must trust. */
void wi_report_add_match(struct wi_report *r, const struct wi_match *m);
void wi_report_add_finding(struct wi_report *r, const struct wi_finding *f);
void wi_report_add_warning(struct wi_report *r, const struct wi_warning *w);
/* Returns the report as text (owned by the caller), or NULL when out of memory. */
char *wi_report_render(struct wi_report *r, int status);

#endif
