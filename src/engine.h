/* The core: one unit of documents in, the same bytes with identities wired out.
 * Works on memory only; knows nothing of files, argv or stdio. */
#ifndef WI_ENGINE_H
#define WI_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "error.h"
#include "identity.h"
#include "splice.h"

/* One key set on one object, for --verbose and the report. All borrowed, valid
 * during the callback only. */
struct wi_change {
	size_t document;       /* 0-based, over the whole stream */
	size_t line;           /* 1-based line of the object's first key */
	const char *kind;
	const char *namespace; /* NULL when the object has none */
	const char *name;      /* NULL when the object has none */
	const char *where;     /* "pod template", or NULL for the object itself */
	const char *key;
	const char *old_value; /* NULL when the key was absent */
	const char *new_value;
};

/* An object an identity applies to: a ServiceAccount, or a workload running as one. */
struct wi_match {
	size_t document;
	size_t line;
	const char *kind;
	const char *namespace;       /* NULL when the object has none */
	const char *name;            /* NULL when the object has none */
	const char *service_account; /* the ServiceAccount's name, or the one the pods use */
	/* Every identity that applies, in config order (at least one); borrowed from
	 * the engine's config. identity is identities[0]. */
	const struct wi_identity *const *identities;
	size_t n_identities;
	const struct wi_identity *identity;
};

/* Something that works today but will not at scale (a cloud limit). code is
 * stable: azure-credential-limit, aws-trust-policy-size. Borrowed during the
 * callback only. */
struct wi_warning {
	const char *code;
	const char *message;
};

struct wi_engine_config {
	const struct wi_identity *identities; /* borrowed; must outlive the engine */
	size_t n_identities;
	bool check;    /* judge what is there (findings) instead of editing */
	bool checksum; /* add WI_CHECKSUM_ANNOTATION to edited pod templates */
	/* Each may be NULL; all get ctx. */
	void (*on_change)(void *ctx, const struct wi_change *change);
	void (*on_match)(void *ctx, const struct wi_match *match);
	void (*on_finding)(void *ctx, const struct wi_finding *finding);
	void (*on_warning)(void *ctx, const struct wi_warning *warning);
	void *ctx;
};

struct wi_stats {
	size_t documents;        /* documents with content */
	size_t objects;          /* objects with a kind, not counting the Lists holding them */
	size_t service_accounts; /* ServiceAccounts that an identity applies to */
	size_t workloads;        /* workloads whose pods run as one of them */
	size_t changes;          /* keys added or replaced */
	size_t findings;         /* --check: problems found */
	char **namespaces;       /* namespaces seen on objects, without repeats */
	size_t n_namespaces;
	bool more_namespaces;    /* others were seen but not kept: the list has a bound */
	bool unnamespaced;       /* some object had no metadata.namespace */
};

struct wi_engine;

struct wi_engine *wi_engine_create(const struct wi_engine_config *config);
void wi_engine_destroy(struct wi_engine *engine);

/*
 * Processes one unit (see stream.h); units must come in stream order. On success
 * returns 0 and points *out at the output as *n_out pieces in order (see splice.h):
 * spans of data and inserted texts, borrowed from data and the engine, valid until
 * the next call. On failure returns -1 with *err set, its line and column counted
 * over the whole stream.
 */
int wi_engine_unit(struct wi_engine *engine, const char *data, size_t len,
	const struct wi_piece **out, size_t *n_out, struct wi_error *err);

/* After the last unit. In check mode, judges what needs the whole input: workloads
 * owned by another (judged through their owner: their findings are dropped when the
 * owner is in the input; an old ReplicaSet scaled to 0 has none), running Pods
 * (what the webhook left in them, against the ServiceAccount's annotations when the
 * input holds them), and workloads whose ServiceAccount the input never held. In
 * both modes, warns of cloud limits the subjects of one identity exceed. */
void wi_engine_finish(struct wi_engine *engine);

/* Borrowed from the engine; valid until it is destroyed. */
const struct wi_stats *wi_engine_stats(const struct wi_engine *engine);

#endif
