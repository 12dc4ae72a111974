/* --check on a live cluster's objects (`kubectl get ... -o yaml|json`): what can
 * only be judged once the whole input is read. Objects a controller owns are
 * judged through their owner; live Pods on what the webhook left in them, against
 * their ServiceAccount's annotations wherever in the input it comes. */
#ifndef WI_LIVE_H
#define WI_LIVE_H

#include <stddef.h>

#include "check.h"
#include "edit.h"
#include "identity.h"
#include "locate.h"

struct wi_live;

struct wi_live *wi_live_create(void);
void wi_live_destroy(struct wi_live *live);

/* Every object with a kind: remembered, so that an owned one can be judged
 * through its owner; and whom a ReplicaSet or Job belongs to, to name what to
 * restart for a Pod it made. */
void wi_live_note_object(struct wi_live *live, const struct wi_doc *doc, size_t obj);

/* A targeted ServiceAccount: its identity annotations, where well-formed. */
void wi_live_note_service_account(struct wi_live *live, const struct wi_doc *doc, size_t obj);

/*
 * A workload of kind `kind` whose pods (pod-shaped map `pod`) run as targeted
 * ServiceAccount sa, wanting `labels`, with identities ids[0..n_ids) applying.
 * A live Pod (with a metadata.uid) is kept, to be judged at the end; an object with
 * a controller is judged now, its findings kept until the end, and dropped then if
 * the input holds the controller (which is judged itself); an old ReplicaSet scaled
 * to 0 has none. Anything else is judged now into f. line_base: lines before the
 * current unit. All arguments borrowed.
 */
void wi_live_check_workload(struct wi_live *live, struct wi_findings *f, const struct wi_doc *doc,
	size_t obj, const char *kind, int pod, const struct wi_want *labels, size_t n,
	const char *sa, const struct wi_identity *const *ids, size_t n_ids, size_t line_base);

/* After the last unit: emits into f the kept findings whose owner the input does
 * not hold, then judges the live Pods kept. */
void wi_live_finish(struct wi_live *live, struct wi_findings *f);

#endif
