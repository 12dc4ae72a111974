/* libyaml events of one unit -> objects and the positions of the nodes to edit. */
#include "locate.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "alloc.h"
#include "scalar.h"
#include "text.h"

/* The locator runs between libyaml's calls, event by event, and libyaml's code, libc's
 * allocator and this file's path for an event together outgrow the instruction
 * cache (cachegrind, 4 MiB stream: 454K misses against parse-only's 57K before the
 * two macros below; about 350K with them). So that path stays compact: a helper
 * called from many places is one copy (NOINLINE), and what few events need
 * (errors, anchors, aliases, a new object or record) is out of its way (RARE). */
#define NOINLINE __attribute__((noinline))
#define RARE __attribute__((cold))

/* What a node fills, decided by the key before it: a site, a scalar of the object,
 * an entry of a labels or annotations map, or, for what a live object tells, a
 * tracked collection (TR_*) or a field of one of its records (F_*). */
enum slot_type { SLOT_NONE, SLOT_SITE, SLOT_SCALAR, SLOT_ENTRY, SLOT_TRACK, SLOT_FIELD };

/* Tracked collections, as frame sites past the object's own: ownerReferences and
 * their items; a Pod's containers, their env lists and items; its volumes. */
enum {
	TR_OWNERS = WI_N_SITES,
	TR_OWNER,
	TR_CONTAINERS,
	TR_CONTAINER,
	TR_ENVS,
	TR_ENV,
	TR_VOLUMES,
	TR_VOLUME,
	TR_ANCHORED, /* an anchored map of no other interest: see wi_anchor.read */
};

enum {
	F_OWNER_API_VERSION,
	F_OWNER_KIND,
	F_OWNER_NAME,
	F_OWNER_CONTROLLER,
	F_CONTAINER_NAME,
	F_ENV_NAME,
	F_ENV_VALUE,
	F_VOLUME_NAME,
	F_ANCHOR_NAME,
	F_ANCHOR_NAMESPACE,
};

struct slot {
	enum slot_type type;
	int id;       /* site, scalar, track or field index */
	size_t obj;   /* object index */
	size_t rec;   /* SLOT_TRACK, SLOT_FIELD: index of the record (owner, container...) */
	char *key;    /* SLOT_ENTRY: owned until handed to the entry */
	struct wi_pos key_pos;
	struct wi_bytes key_end;
};

struct frame {
	bool map;
	bool flow;
	bool want_key;
	bool has_keys;
	int site;       /* the site or track this collection is, or -1 */
	size_t obj;
	size_t rec;     /* a track's record */
	int anchor;     /* anchor in effect inside this collection */
	size_t key_col; /* block map: the column of its keys; SIZE_MAX until known */
	struct wi_chars last_end; /* just past the last node completed in it */
	long entry;     /* the entry this collection is the value of, or -1 */
	bool anchored;  /* `anchor` is this collection's own */
	struct slot next; /* what the value after the current key fills */
};

struct wi_locator {
	const char *const *keys;
	size_t *key_lens;
	struct wi_path_index paths;
	yaml_parser_t parser;
	bool parser_live;
	const char *data;
	size_t len;
	struct wi_text text; /* for the rare look at the bytes before a key */
	struct frame *frames;
	size_t n_frames, cap_frames;
	struct wi_doc doc;
	bool in_doc;
	bool finished;
	/* A collection in which nothing can be of interest (see skip_start) is passed
	 * over without frames: how deep inside it the parser is, from what depth on
	 * everything is flow style (0: nothing is), and where its content ends so far. */
	size_t skip_depth;
	size_t skip_flow_from;
	struct wi_chars skip_end;
	/* The document's last scalar so far, for wi_doc.tail_block: its style (0: none
	 * yet) and where it starts and ends. */
	yaml_scalar_style_t last_style;
	struct wi_chars last_start, last_end;
};

struct wi_locator *wi_locator_create(const char *const *keys)
{
	struct wi_locator *loc = wi_xcalloc(1, sizeof(*loc));
	size_t n = 0;

	loc->keys = keys;
	while (keys[n])
		n++;
	loc->key_lens = wi_xmalloc((n + 1) * sizeof(*loc->key_lens));
	for (size_t i = 0; i < n; i++)
		loc->key_lens[i] = strlen(keys[i]);
	wi_path_index_init(&loc->paths);
	return loc;
}

static void free_slot(struct slot *s)
{
	free(s->key);
	s->key = NULL;
	s->type = SLOT_NONE;
}

static void doc_clear(struct wi_doc *doc)
{
	for (size_t i = 0; i < doc->n_objects; i++)
		for (size_t j = 0; j < WI_N_SCALARS; j++)
			free(doc->objects[i].scalars[j].value);
	for (size_t i = 0; i < doc->n_entries; i++) {
		free(doc->entries[i].key);
		free(doc->entries[i].value);
	}
	for (size_t i = 0; i < doc->n_anchors; i++) {
		free(doc->anchors[i].name);
		free(doc->anchors[i].value);
		free(doc->anchors[i].meta_name);
		free(doc->anchors[i].meta_namespace);
	}
	for (size_t i = 0; i < doc->n_owners; i++) {
		free(doc->owners[i].api_version);
		free(doc->owners[i].kind);
		free(doc->owners[i].name);
	}
	for (size_t i = 0; i < doc->n_containers; i++)
		free(doc->containers[i].name);
	for (size_t i = 0; i < doc->n_envs; i++) {
		free(doc->envs[i].name);
		free(doc->envs[i].value);
	}
	for (size_t i = 0; i < doc->n_volumes; i++)
		free(doc->volumes[i].name);
	if (doc->anchor_index.n)
		wi_strset_release(&doc->anchor_index);
	doc->n_objects = doc->n_entries = doc->n_anchors = 0;
	doc->n_owners = doc->n_containers = doc->n_envs = doc->n_volumes = 0;
	doc->has_content = false;
	doc->indent = 0;
	doc->tail_block.n = SIZE_MAX;
}

static void frames_clear(struct wi_locator *loc)
{
	for (size_t i = 0; i < loc->n_frames; i++)
		free_slot(&loc->frames[i].next);
	loc->n_frames = 0;
}

void wi_locator_destroy(struct wi_locator *loc)
{
	if (!loc)
		return;
	frames_clear(loc);
	doc_clear(&loc->doc);
	if (loc->parser_live)
		yaml_parser_delete(&loc->parser);
	free(loc->frames);
	free(loc->key_lens);
	free(loc->doc.objects);
	free(loc->doc.entries);
	free(loc->doc.anchors);
	free(loc->doc.owners);
	free(loc->doc.containers);
	free(loc->doc.envs);
	free(loc->doc.volumes);
	free(loc);
}

void wi_locator_start(struct wi_locator *loc, const char *data, size_t len)
{
	if (loc->parser_live)
		yaml_parser_delete(&loc->parser);
	yaml_parser_initialize(&loc->parser);
	loc->parser_live = true;
	/* Encoding is left to libyaml's detection: forcing UTF-8 makes it mishandle a
	 * byte order mark. UTF-16 input is refused by the engine before this point. */
	yaml_parser_set_input_string(&loc->parser, (const unsigned char *)data, len);
	loc->data = data;
	loc->len = len;
	wi_text_init(&loc->text, data, len);
	loc->in_doc = false;
	loc->finished = false;
	loc->skip_depth = 0;
	loc->last_style = YAML_ANY_SCALAR_STYLE;
	frames_clear(loc);
	doc_clear(&loc->doc);
}

void wi_object_name(const struct wi_object *o, char *buf, size_t size)
{
	const char *ns = o->scalars[WI_SC_NAMESPACE].value;
	const char *name = o->scalars[WI_SC_NAME].value;

	snprintf(buf, size, "%s %s%s%s", o->scalars[WI_SC_KIND].value ? o->scalars[WI_SC_KIND].value
		: "object", ns ? ns : "", ns ? "/" : "", name ? name : "(unnamed)");
}

/* Both walk the object's chain from its latest record back, and answer the first
 * match in document order, as a scan of the whole document would. */
const struct wi_entry *wi_doc_entry(const struct wi_doc *doc, size_t obj, int site,
	const char *key)
{
	const struct wi_entry *found = NULL;

	for (size_t i = doc->objects[obj].last_entry; i != SIZE_MAX; i = doc->entries[i].prev) {
		const struct wi_entry *e = &doc->entries[i];

		if (e->site == site && strcmp(e->key, key) == 0)
			found = e;
	}
	return found;
}

const struct wi_owner *wi_doc_controller(const struct wi_doc *doc, size_t obj)
{
	const struct wi_owner *found = NULL;

	for (size_t i = doc->objects[obj].last_owner; i != SIZE_MAX; i = doc->owners[i].prev)
		if (doc->owners[i].controller)
			found = &doc->owners[i];
	return found;
}

bool wi_doc_shared(const struct wi_doc *doc, int anchor)
{
	for (; anchor >= 0; anchor = doc->anchors[anchor].parent)
		if (doc->anchors[anchor].used)
			return true;
	return false;
}

/* The one place character indices become byte offsets: every position the locator
 * records goes through here or bytes_of. */
NOINLINE static struct wi_bytes bytes_of(struct wi_locator *loc, struct wi_chars c)
{
	return wi_text_byte(&loc->text, c);
}

static struct wi_chars chars_of(yaml_mark_t m)
{
	return (struct wi_chars){m.index};
}

static struct wi_pos pos_of(struct wi_locator *loc, yaml_mark_t m)
{
	return (struct wi_pos){bytes_of(loc, chars_of(m)), m.line, m.column};
}

void wi_veil_message(const struct wi_veil *v, char *buf, size_t size)
{
	if (!v->tag)
		snprintf(buf, size, "%s written as an alias hides which object it is; expand "
			"the alias", v->what);
	else if (strcmp(v->tag, "!!binary") == 0)
		snprintf(buf, size, "%s is tagged !!binary, which Kubernetes decodes from base64 "
			"and wi-inject does not; write the decoded text out instead", v->what);
	else
		snprintf(buf, size, "%s is tagged %s, which makes it no string to Kubernetes; "
			"remove the tag", v->what, v->tag);
}

/* Notes what hides part of object obj from the locator, for the engine to judge. */
RARE static void veil(struct wi_locator *loc, size_t obj, enum wi_veil_scope scope, yaml_mark_t at,
	const char *what, const char *tag)
{
	struct wi_veil *v = &loc->doc.objects[obj].veil;

	if (v->scope >= scope)
		return;
	v->scope = scope;
	v->pos = pos_of(loc, at);
	v->what = what;
	v->tag = tag;
}

/* The tag a value the tool reads must not carry: one that retypes it or, for
 * !!binary, decodes it (static), or NULL. Replicas are a number anyway. */
static const char *hiding_tag(const char *tag, bool string_wanted)
{
	enum wi_tag_effect effect = wi_scalar_tag_effect(tag);

	if (effect == WI_TAG_BINARY || (effect == WI_TAG_TYPED && string_wanted))
		return wi_scalar_tag_short(tag);
	return NULL;
}

static const char *const scalar_names[WI_N_SCALARS] = {
	[WI_SC_KIND] = "kind",
	[WI_SC_API_VERSION] = "apiVersion",
	[WI_SC_NAME] = "name",
	[WI_SC_NAMESPACE] = "namespace",
	[WI_SC_REPLICAS] = "replicas",
	[WI_SC_PHASE] = "phase",
	[WI_SC_UID] = "uid",
	[WI_SC_SA(WI_POD_SELF)] = "serviceAccountName",
	[WI_SC_SA_LEGACY(WI_POD_SELF)] = "serviceAccount",
	[WI_SC_SA(WI_POD_TEMPLATE)] = "serviceAccountName",
	[WI_SC_SA_LEGACY(WI_POD_TEMPLATE)] = "serviceAccount",
	[WI_SC_SA(WI_POD_JOB_TEMPLATE)] = "serviceAccountName",
	[WI_SC_SA_LEGACY(WI_POD_JOB_TEMPLATE)] = "serviceAccount",
};

/* A scalar the tool reads (an object's kind, name...) carries `tag` (static, from
 * hiding_tag) or an alias to one does: veiled. */
RARE static void veil_scalar(struct wi_locator *loc, size_t obj, int id, yaml_mark_t at,
	const char *tag)
{
	veil(loc, obj, id == WI_SC_KIND || id == WI_SC_API_VERSION ? WI_VEIL_OBJECT : WI_VEIL_VALUE,
		at, scalar_names[id], tag);
}

RARE static size_t new_object(struct wi_doc *doc, size_t parent)
{
	struct wi_object *o;

	doc->objects = wi_grow(doc->objects, &doc->cap_objects, doc->n_objects + 1,
		sizeof(*doc->objects));
	o = &doc->objects[doc->n_objects];
	memset(o, 0, sizeof(*o));
	for (int i = 0; i < WI_N_SITES; i++)
		o->sites[i].anchor = -1;
	o->parent = parent;
	o->last_entry = o->last_owner = o->last_container = o->last_volume = SIZE_MAX;
	return doc->n_objects++;
}

RARE static int add_anchor(struct wi_doc *doc, const yaml_char_t *name, int parent, const char *value)
{
	struct wi_anchor *a;

	doc->anchors = wi_grow(doc->anchors, &doc->cap_anchors, doc->n_anchors + 1,
		sizeof(*doc->anchors));
	a = &doc->anchors[doc->n_anchors];
	a->name = wi_xstrdup((const char *)name);
	a->parent = parent;
	a->used = false;
	a->value = value ? wi_xstrdup(value) : NULL;
	a->is_string = false;
	a->tag = NULL;
	a->read = a->unread = false;
	a->meta_name = a->meta_namespace = NULL;
	wi_strset_put(&doc->anchor_index, wi_xstrdup(a->name), doc->n_anchors);
	return (int)doc->n_anchors++;
}

/* The latest definition of name wins, as for an alias in YAML. */
static struct wi_anchor *find_anchor(struct wi_doc *doc, const char *name)
{
	size_t i = wi_strset_get(&doc->anchor_index, name);

	return i == SIZE_MAX ? NULL : &doc->anchors[i];
}

/* A key scalar of len bytes against a literal: called for every key of the maps the
 * tool looks into, so lengths go first. A quoted key may hold a NUL: "spec\0" is
 * not "spec". */
#define KEY_IS(key, len, lit) ((len) == sizeof(lit) - 1 && memcmp(key, lit, sizeof(lit) - 1) == 0)

static bool key_wanted(const struct wi_locator *loc, const char *key, size_t len)
{
	for (size_t i = 0; loc->keys[i]; i++)
		if (loc->key_lens[i] == len && memcmp(key, loc->keys[i], len) == 0)
			return true;
	return false;
}

/* Only a Pod's containers and volumes are tracked (the rest stay passed over, for
 * speed): an object of kind Pod, or one whose kind has not come yet. */
static bool maybe_pod(const struct wi_locator *loc, size_t obj)
{
	const struct wi_scalar *kind = &loc->doc.objects[obj].scalars[WI_SC_KIND];

	return !kind->seen || (kind->value && strcmp(kind->value, "Pod") == 0);
}

/* What the value of a key fills: a slot's type and id, which is all slot_for_key
 * decides (a small value, returned in registers, for every key of the maps looked
 * into). */
struct slot_kind {
	enum slot_type type;
	int id;
};

/* Which slot the value of `key` fills inside the map of frame f. */
static struct slot_kind slot_for_key(const struct wi_locator *loc, const struct frame *f,
	const char *key, size_t len)
{
	struct slot_kind s = {SLOT_NONE, 0};
	int pod = f->site / WI_N_AT, at = f->site % WI_N_AT, step;

	if (f->site < 0)
		return s;
	if (f->site >= WI_N_SITES) {
		if (f->site == TR_OWNER) {
			if (KEY_IS(key, len, "apiVersion"))
				s.type = SLOT_FIELD, s.id = F_OWNER_API_VERSION;
			else if (KEY_IS(key, len, "kind"))
				s.type = SLOT_FIELD, s.id = F_OWNER_KIND;
			else if (KEY_IS(key, len, "name"))
				s.type = SLOT_FIELD, s.id = F_OWNER_NAME;
			else if (KEY_IS(key, len, "controller"))
				s.type = SLOT_FIELD, s.id = F_OWNER_CONTROLLER;
		} else if (f->site == TR_CONTAINER) {
			if (KEY_IS(key, len, "name"))
				s.type = SLOT_FIELD, s.id = F_CONTAINER_NAME;
			else if (KEY_IS(key, len, "env"))
				s.type = SLOT_TRACK, s.id = TR_ENVS;
		} else if (f->site == TR_ENV) {
			if (KEY_IS(key, len, "name"))
				s.type = SLOT_FIELD, s.id = F_ENV_NAME;
			else if (KEY_IS(key, len, "value"))
				s.type = SLOT_FIELD, s.id = F_ENV_VALUE;
		} else if (f->site == TR_VOLUME && KEY_IS(key, len, "name")) {
			s.type = SLOT_FIELD, s.id = F_VOLUME_NAME;
		} else if (f->site == TR_ANCHORED && KEY_IS(key, len, "name")) {
			s.type = SLOT_FIELD, s.id = F_ANCHOR_NAME;
		} else if (f->site == TR_ANCHORED && KEY_IS(key, len, "namespace")) {
			s.type = SLOT_FIELD, s.id = F_ANCHOR_NAMESPACE;
		}
		return s;
	}
	/* The maps on the way to a pod spec, and those inside a pod-shaped map. */
	step = wi_path_step(&loc->paths, f->site, key, len);
	if (step >= 0) {
		s.type = SLOT_SITE, s.id = step;
		return s;
	}
	if (f->site >= WI_N_PODS * WI_N_AT) {
		if (f->site == WI_SITE_SELECTOR && KEY_IS(key, len, "matchLabels"))
			s.type = SLOT_SITE, s.id = WI_SITE_MATCH_LABELS;
		else if (f->site == WI_SITE_MATCH_LABELS && key_wanted(loc, key, len))
			s.type = SLOT_ENTRY, s.id = f->site;
		else if (f->site == WI_SITE_STATUS && KEY_IS(key, len, "phase"))
			s.type = SLOT_SCALAR, s.id = WI_SC_PHASE;
		return s;
	}
	switch (at) {
	case WI_AT_MAP:
		if (pod == WI_POD_SELF && KEY_IS(key, len, "kind"))
			s.type = SLOT_SCALAR, s.id = WI_SC_KIND;
		else if (pod == WI_POD_SELF && KEY_IS(key, len, "apiVersion"))
			s.type = SLOT_SCALAR, s.id = WI_SC_API_VERSION;
		else if (pod == WI_POD_SELF && KEY_IS(key, len, "items"))
			s.type = SLOT_SITE, s.id = WI_SITE_ITEMS;
		else if (pod == WI_POD_SELF && KEY_IS(key, len, "status"))
			s.type = SLOT_SITE, s.id = WI_SITE_STATUS;
		break;
	case WI_AT_META:
		if (pod == WI_POD_SELF && KEY_IS(key, len, "name"))
			s.type = SLOT_SCALAR, s.id = WI_SC_NAME;
		else if (pod == WI_POD_SELF && KEY_IS(key, len, "namespace"))
			s.type = SLOT_SCALAR, s.id = WI_SC_NAMESPACE;
		else if (pod == WI_POD_SELF && KEY_IS(key, len, "uid"))
			s.type = SLOT_SCALAR, s.id = WI_SC_UID;
		else if (pod == WI_POD_SELF && KEY_IS(key, len, "ownerReferences"))
			s.type = SLOT_TRACK, s.id = TR_OWNERS;
		break;
	case WI_AT_LABELS:
	case WI_AT_ANNOTATIONS:
		if (key_wanted(loc, key, len))
			s.type = SLOT_ENTRY, s.id = f->site;
		break;
	case WI_AT_SPEC:
		if (KEY_IS(key, len, "serviceAccountName"))
			s.type = SLOT_SCALAR, s.id = WI_SC_SA(pod);
		else if (KEY_IS(key, len, "serviceAccount"))
			s.type = SLOT_SCALAR, s.id = WI_SC_SA_LEGACY(pod);
		else if (pod == WI_POD_SELF && KEY_IS(key, len, "selector"))
			s.type = SLOT_SITE, s.id = WI_SITE_SELECTOR;
		else if (pod == WI_POD_SELF && KEY_IS(key, len, "replicas"))
			s.type = SLOT_SCALAR, s.id = WI_SC_REPLICAS;
		else if (pod == WI_POD_SELF && maybe_pod(loc, f->obj) && KEY_IS(key, len, "containers"))
			s.type = SLOT_TRACK, s.id = TR_CONTAINERS;
		else if (pod == WI_POD_SELF && maybe_pod(loc, f->obj) && KEY_IS(key, len, "volumes"))
			s.type = SLOT_TRACK, s.id = TR_VOLUMES;
		break;
	default:
		break;
	}
	return s;
}

static struct frame *top(struct wi_locator *loc)
{
	return loc->n_frames ? &loc->frames[loc->n_frames - 1] : NULL;
}

RARE static int duplicate(struct wi_error *err, const struct wi_pos *pos, const char *key)
{
	wi_error_at(err, pos, "duplicate key \"%s\"", key);
	return -1;
}

/* A "<<" key is go-yaml's merge key when resolved implicitly (plain and untagged,
 * or given the non-specific "!"), or tagged !!merge, however it is quoted. */
static bool is_merge_key(const yaml_event_t *ev)
{
	return ev->data.scalar.plain_implicit ||
	       (ev->data.scalar.tag &&
		       strcmp((const char *)ev->data.scalar.tag, "tag:yaml.org,2002:merge") == 0);
}

/* A key scalar arrived in map frame f: decide what its value fills. */
static int take_key(struct wi_locator *loc, struct frame *f, const yaml_event_t *ev,
	struct wi_error *err)
{
	const char *key = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	struct wi_pos pos;
	struct slot_kind kind;
	struct slot *s;

	if (f->site < 0)
		return 0;
	if (f->site == TR_ANCHORED) {
		/* A merge key or an encoded one may stand for name or namespace. */
		if ((KEY_IS(key, len, "<<") && is_merge_key(ev)) ||
		    wi_scalar_tag_effect((const char *)ev->data.scalar.tag) == WI_TAG_BINARY)
			loc->doc.anchors[f->rec].unread = true;
		kind = slot_for_key(loc, f, key, len);
		f->next = (struct slot){.type = kind.type, .id = kind.id, .obj = f->obj, .rec = f->rec};
		return 0;
	}
	/* A key tagged !!binary may decode to any key, one the tool reads too. */
	if (wi_scalar_tag_effect((const char *)ev->data.scalar.tag) == WI_TAG_BINARY)
		veil(loc, f->obj, f->site == WI_SITE(WI_POD_SELF, WI_AT_MAP) ? WI_VEIL_OBJECT
			: WI_VEIL_VALUE, ev->start_mark, "this key", "!!binary");
	if (KEY_IS(key, len, "<<") && f->site < WI_N_SITES && is_merge_key(ev))
		loc->doc.objects[f->obj].sites[f->site].has_merge = true;
	kind = slot_for_key(loc, f, key, len);
	s = &f->next;
	s->type = kind.type;
	s->id = kind.id;
	s->obj = f->obj;
	s->rec = f->rec;
	s->key = NULL;
	/* Only these keep the key's place: the others spare the conversion. */
	if (s->type == SLOT_SITE || s->type == SLOT_SCALAR || s->type == SLOT_ENTRY) {
		pos = pos_of(loc, ev->start_mark);
		s->key_pos = pos;
		s->key_end = bytes_of(loc, chars_of(ev->end_mark));
	}
	if (s->type == SLOT_SITE) {
		struct wi_site *site = &loc->doc.objects[f->obj].sites[s->id];

		if (site->shape != WI_ABSENT)
			return duplicate(err, &pos, key);
		site->key = pos;
		site->key_end = s->key_end;
		site->parent_flow = f->flow;
	} else if (s->type == SLOT_SCALAR) {
		struct wi_scalar *sc = &loc->doc.objects[f->obj].scalars[s->id];

		if (sc->seen)
			return duplicate(err, &pos, key);
		sc->pos = pos;
		sc->seen = true;
	} else if (s->type == SLOT_ENTRY) {
		if (wi_doc_entry(&loc->doc, f->obj, s->id, key))
			return duplicate(err, &pos, key);
		s->key = wi_xstrdup(key);
	}
	return 0;
}

/* A map item of a tracked sequence: a new owner, container, env var or volume. */
RARE static struct slot new_record(struct wi_locator *loc, const struct frame *f)
{
	struct wi_doc *doc = &loc->doc;
	struct slot s = {.type = SLOT_TRACK, .obj = f->obj};

	switch (f->site) {
	case TR_OWNERS:
		doc->owners = wi_grow(doc->owners, &doc->cap_owners, doc->n_owners + 1,
			sizeof(*doc->owners));
		memset(&doc->owners[doc->n_owners], 0, sizeof(*doc->owners));
		doc->owners[doc->n_owners].object = f->obj;
		doc->owners[doc->n_owners].prev = doc->objects[f->obj].last_owner;
		doc->objects[f->obj].last_owner = doc->n_owners;
		s.id = TR_OWNER, s.rec = doc->n_owners++;
		break;
	case TR_CONTAINERS:
		doc->containers = wi_grow(doc->containers, &doc->cap_containers,
			doc->n_containers + 1, sizeof(*doc->containers));
		memset(&doc->containers[doc->n_containers], 0, sizeof(*doc->containers));
		doc->containers[doc->n_containers].object = f->obj;
		doc->containers[doc->n_containers].prev = doc->objects[f->obj].last_container;
		doc->containers[doc->n_containers].last_env = SIZE_MAX;
		doc->objects[f->obj].last_container = doc->n_containers;
		s.id = TR_CONTAINER, s.rec = doc->n_containers++;
		break;
	case TR_ENVS:
		doc->envs = wi_grow(doc->envs, &doc->cap_envs, doc->n_envs + 1, sizeof(*doc->envs));
		memset(&doc->envs[doc->n_envs], 0, sizeof(*doc->envs));
		doc->envs[doc->n_envs].container = f->rec;
		doc->envs[doc->n_envs].prev = doc->containers[f->rec].last_env;
		doc->containers[f->rec].last_env = doc->n_envs;
		s.id = TR_ENV, s.rec = doc->n_envs++;
		break;
	case TR_VOLUMES:
		doc->volumes = wi_grow(doc->volumes, &doc->cap_volumes, doc->n_volumes + 1,
			sizeof(*doc->volumes));
		memset(&doc->volumes[doc->n_volumes], 0, sizeof(*doc->volumes));
		doc->volumes[doc->n_volumes].object = f->obj;
		doc->volumes[doc->n_volumes].prev = doc->objects[f->obj].last_volume;
		doc->objects[f->obj].last_volume = doc->n_volumes;
		s.id = TR_VOLUME, s.rec = doc->n_volumes++;
		break;
	default:
		s.type = SLOT_NONE;
		break;
	}
	return s;
}

/* A scalar (or an alias to one) fills a field of a tracked record. The first value
 * wins: a duplicate key is the API server's to refuse. */
RARE static void set_field(struct wi_locator *loc, const struct slot *s, const char *value,
	const struct wi_pos *pos)
{
	struct wi_doc *doc = &loc->doc;
	char **field = NULL;

	switch (s->id) {
	case F_OWNER_API_VERSION: field = &doc->owners[s->rec].api_version; break;
	case F_OWNER_KIND: field = &doc->owners[s->rec].kind; break;
	case F_OWNER_NAME: field = &doc->owners[s->rec].name; break;
	case F_OWNER_CONTROLLER:
		doc->owners[s->rec].controller = value && strcmp(value, "true") == 0;
		return;
	case F_CONTAINER_NAME: field = &doc->containers[s->rec].name; break;
	case F_ENV_NAME: field = &doc->envs[s->rec].name; break;
	case F_ENV_VALUE:
		field = &doc->envs[s->rec].value;
		doc->envs[s->rec].pos = *pos;
		break;
	case F_VOLUME_NAME: field = &doc->volumes[s->rec].name; break;
	case F_ANCHOR_NAME: field = &doc->anchors[s->rec].meta_name; break;
	case F_ANCHOR_NAMESPACE: field = &doc->anchors[s->rec].meta_namespace; break;
	default: return;
	}
	if (value && !*field)
		*field = wi_xstrdup(value);
}

/* A value node begins: which slot it fills, taken from the frame it sits in. */
static struct slot take_slot(struct wi_locator *loc, bool is_map)
{
	struct frame *f = top(loc);
	struct slot s = {.type = SLOT_NONE, .id = -1};

	if (!f) {
		s.type = SLOT_SITE;
		s.obj = new_object(&loc->doc, SIZE_MAX);
		s.id = WI_SITE(WI_POD_SELF, WI_AT_MAP);
		return s;
	}
	if (f->map) {
		s = f->next;
		f->next.type = SLOT_NONE;
		f->next.key = NULL;
		f->want_key = true;
		return s;
	}
	if (f->site == WI_SITE_ITEMS && is_map) {
		s.type = SLOT_SITE;
		s.obj = new_object(&loc->doc, f->obj);
		s.id = WI_SITE(WI_POD_SELF, WI_AT_MAP);
	} else if (f->site >= WI_N_SITES && is_map) {
		s = new_record(loc, f);
	}
	return s;
}

static int inherited_anchor(struct wi_locator *loc)
{
	struct frame *f = top(loc);
	return f ? f->anchor : -1;
}

static void completed(struct wi_locator *loc, struct wi_chars end)
{
	struct frame *f = top(loc);

	if (f)
		f->last_end = end;
}

static void fill_site(struct wi_locator *loc, const struct slot *s, enum wi_shape shape,
	const yaml_event_t *ev, int anchor)
{
	struct wi_site *site = &loc->doc.objects[s->obj].sites[s->id];

	site->shape = shape;
	site->start = pos_of(loc, ev->start_mark);
	site->end = bytes_of(loc, chars_of(ev->end_mark));
	site->anchor = anchor;
	if (s->id == WI_SITE(WI_POD_SELF, WI_AT_MAP))
		site->key = site->start;
}

/* A scalar with a NUL in it, which a C string would cut short. */
static bool has_nul(const yaml_event_t *ev)
{
	return memchr(ev->data.scalar.value, 0, ev->data.scalar.length) != NULL;
}

/* What an alias to this scalar reads as: nothing, when a NUL would cut it short. */
static const char *anchor_value(const yaml_event_t *ev)
{
	return has_nul(ev) ? NULL : (const char *)ev->data.scalar.value;
}

/* How Kubernetes reads a scalar: as a string or not. A value holding a NUL ("true\0")
 * is stored cut short: it is not the string it would then read as. */
static bool scalar_is_string(const yaml_event_t *ev)
{
	return !has_nul(ev) && wi_scalar_is_string((const char *)ev->data.scalar.value,
		ev->data.scalar.length, ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE,
		(const char *)ev->data.scalar.tag);
}

/* An anchor on a scalar, with what an alias to it reads as: its value, whether that
 * is a string, and a tag that hides it. */
RARE static int add_scalar_anchor(struct wi_locator *loc, const yaml_event_t *ev, int parent)
{
	int i = add_anchor(&loc->doc, ev->data.scalar.anchor, parent, anchor_value(ev));
	struct wi_anchor *a = &loc->doc.anchors[i];

	a->is_string = a->value && scalar_is_string(ev);
	a->tag = hiding_tag((const char *)ev->data.scalar.tag, true);
	return i;
}

/* alias: the anchor an alias value names, or NULL when the value is written out. */
RARE static void add_entry(struct wi_locator *loc, struct slot *s, enum wi_shape shape,
	const yaml_event_t *ev, const char *value, int anchor, const struct wi_anchor *alias)
{
	struct wi_doc *doc = &loc->doc;
	struct wi_entry *e;

	doc->entries = wi_grow(doc->entries, &doc->cap_entries, doc->n_entries + 1,
		sizeof(*doc->entries));
	e = &doc->entries[doc->n_entries++];
	memset(e, 0, sizeof(*e));
	e->object = s->obj;
	e->prev = doc->objects[s->obj].last_entry;
	doc->objects[s->obj].last_entry = doc->n_entries - 1;
	e->site = s->id;
	e->key = s->key;
	e->key_pos = s->key_pos;
	e->key_end = s->key_end;
	e->parent_flow = loc->n_frames && loc->frames[loc->n_frames - 1].flow;
	s->key = NULL;
	e->shape = shape;
	e->start = pos_of(loc, ev->start_mark);
	e->end = bytes_of(loc, chars_of(ev->end_mark));
	e->anchor = anchor;
	if (value)
		e->value = wi_xstrdup(value);
	if (ev->type == YAML_SCALAR_EVENT) {
		yaml_scalar_style_t st = ev->data.scalar.style;

		e->is_string = scalar_is_string(ev);
		e->binary = wi_scalar_tag_effect((const char *)ev->data.scalar.tag) == WI_TAG_BINARY;
		e->block_scalar = st == YAML_LITERAL_SCALAR_STYLE || st == YAML_FOLDED_SCALAR_STYLE;
	} else if (alias) {
		/* Judged as the node it stands for: "&t true" read through "*t" is a bool. */
		e->is_string = alias->value && alias->is_string;
		e->binary = alias->tag && strcmp(alias->tag, "!!binary") == 0;
	}
}

/* The column of a block mapping's keys, from its first key, for a mapping whose
 * own start mark is elsewhere (it has an anchor or a tag): the key's column, or
 * that of the "?" before it when the key is explicit. */
RARE static size_t first_key_column(struct wi_locator *loc, const yaml_event_t *key)
{
	size_t at = bytes_of(loc, chars_of(key->start_mark)).n, i = at;

	while (i > 0 && loc->data[i - 1] == ' ')
		i--;
	if (i > 0 && loc->data[i - 1] == '?' && at - i + 1 <= key->start_mark.column)
		return key->start_mark.column - (at - i + 1);
	return key->start_mark.column;
}

static int on_scalar(struct wi_locator *loc, const yaml_event_t *ev, struct wi_error *err)
{
	struct frame *f = top(loc);
	const char *value = (const char *)ev->data.scalar.value;
	bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	const char *tag = (const char *)ev->data.scalar.tag;
	int anchor;
	bool null;
	struct slot s;

	if (f && !ev->data.scalar.anchor &&
	    (f->site < 0 || (f->map && !f->want_key && f->next.type == SLOT_NONE))) {
		/* Most scalars: a key or value in a map of no interest, an item, or the
		 * value of a key that fills nothing. The frame's key state is all that
		 * changes (as in take_key and take_slot). */
		if (f->map) {
			if (f->want_key && !f->has_keys && f->key_col == SIZE_MAX && !f->flow)
				f->key_col = first_key_column(loc, ev);
			f->has_keys |= f->want_key;
			f->want_key = !f->want_key;
		}
		f->last_end = chars_of(ev->end_mark); /* as completed() */
		return 0;
	}
	anchor = f ? f->anchor : -1; /* as inherited_anchor() */
	if (f && f->map && f->want_key) {
		f->want_key = false;
		if (!f->has_keys && f->key_col == SIZE_MAX && !f->flow)
			f->key_col = first_key_column(loc, ev);
		f->has_keys = true;
		if (ev->data.scalar.anchor)
			add_scalar_anchor(loc, ev, anchor);
		completed(loc, chars_of(ev->end_mark));
		return take_key(loc, f, ev, err);
	}
	s = take_slot(loc, false);
	if (ev->data.scalar.anchor)
		anchor = add_scalar_anchor(loc, ev, anchor);
	if (s.type == SLOT_NONE) {
		completed(loc, chars_of(ev->end_mark));
		return 0;
	}
	/* Only scalars that fill a slot are looked at any closer. */
	null = wi_scalar_is_null(value, ev->data.scalar.length, plain, tag);
	if (!f && !null)
		loc->doc.has_content = true;
	switch (s.type) {
	case SLOT_SITE:
		fill_site(loc, &s, null ? WI_NULL : WI_SCALAR, ev, anchor);
		break;
	case SLOT_SCALAR: {
		struct wi_scalar *sc = &loc->doc.objects[s.obj].scalars[s.id];
		const char *hides = hiding_tag(tag, s.id != WI_SC_REPLICAS);

		/* No kind, name or account holds a NUL: such a value names nothing. One
		 * a tag retypes or encodes is not the text written: none is read. */
		if (hides)
			veil_scalar(loc, s.obj, s.id, ev->start_mark, hides);
		else if (!null && !has_nul(ev))
			sc->value = wi_xstrdup(value);
		break;
	}
	case SLOT_ENTRY:
		add_entry(loc, &s, WI_SCALAR, ev, value, anchor, NULL);
		break;
	case SLOT_FIELD: {
		struct wi_pos pos = pos_of(loc, ev->start_mark);

		if ((s.id == F_ANCHOR_NAME || s.id == F_ANCHOR_NAMESPACE) && hiding_tag(tag, true))
			loc->doc.anchors[s.rec].unread = true;
		set_field(loc, &s, null || has_nul(ev) ? NULL : value, &pos);
		break;
	}
	case SLOT_TRACK:
	case SLOT_NONE:
		break;
	}
	free_slot(&s);
	completed(loc, chars_of(ev->end_mark));
	return 0;
}

/* The anchor an alias names, marked as used; NULL with err set if there is none. */
RARE static struct wi_anchor *use_anchor(struct wi_locator *loc, const yaml_event_t *ev,
	struct wi_error *err)
{
	struct wi_anchor *a = find_anchor(&loc->doc, (const char *)ev->data.alias.anchor);

	/* libyaml's parser leaves this to its loader; Kubernetes would refuse it. */
	if (!a) {
		struct wi_pos pos = pos_of(loc, ev->start_mark);

		wi_error_at(err, &pos, "alias *%s names no anchor in this document",
			ev->data.alias.anchor);
		return NULL;
	}
	a->used = true;
	return a;
}

/* An object's metadata written as an alias to a map whose name and namespace were
 * read: they are the object's. (Editing stays refused: the map is shared.) */
RARE static void read_through(struct wi_locator *loc, const struct slot *s, const struct wi_anchor *a,
	const yaml_event_t *ev)
{
	struct wi_object *o = &loc->doc.objects[s->obj];
	const char *values[2] = {a->meta_name, a->meta_namespace};
	const int ids[2] = {WI_SC_NAME, WI_SC_NAMESPACE};

	o->sites[s->id].read_through = true;
	for (size_t i = 0; i < 2; i++) {
		struct wi_scalar *sc = &o->scalars[ids[i]];

		sc->seen = values[i] != NULL;
		sc->pos = pos_of(loc, ev->start_mark);
		if (values[i])
			sc->value = wi_xstrdup(values[i]);
	}
}

RARE static int on_alias(struct wi_locator *loc, const yaml_event_t *ev, struct wi_error *err)
{
	struct frame *f = top(loc);
	struct wi_anchor *a = use_anchor(loc, ev, err);
	struct slot s;

	if (!a)
		return -1;
	if (f && f->map && f->want_key) {
		/* A key written as an alias: refused where the key it stands for is one
		 * the tool reads or edits, as a key found under another spelling would be
		 * missed or written twice. Elsewhere it names nothing of interest. */
		if (f->site == TR_ANCHORED) {
			loc->doc.anchors[f->rec].unread = true;
		} else if (f->site >= 0 && a->value &&
		    slot_for_key(loc, f, a->value, strlen(a->value)).type != SLOT_NONE) {
			struct wi_pos pos = pos_of(loc, ev->start_mark);

			wi_error_at(err, &pos, "the key *%s stands for \"%s\", which wi-inject reads "
				"or edits here; write the key out", ev->data.alias.anchor, a->value);
			return -1;
		}
		f->want_key = false;
		f->has_keys = true;
		f->next.type = SLOT_NONE;
		completed(loc, chars_of(ev->end_mark));
		return 0;
	}
	/* An item of a List is an object only the alias knows; which, the engine
	 * cannot tell (its anchor may be a whole object defined anywhere). */
	if (f && !f->map && f->site == WI_SITE_ITEMS)
		veil(loc, f->obj, WI_VEIL_ITEMS, ev->start_mark, "a List item", NULL);
	s = take_slot(loc, false);
	if (!f)
		loc->doc.has_content = true;
	/* Below, a value through an alias is read as the scalar it stands for, with
	 * the type and tag that scalar has. */
	switch (s.type) {
	case SLOT_SITE:
		fill_site(loc, &s, WI_ALIAS, ev, inherited_anchor(loc));
		if (s.id == WI_SITE(WI_POD_SELF, WI_AT_META) && a->read)
			read_through(loc, &s, a, ev);
		break;
	case SLOT_SCALAR:
		if (a->tag && (s.id != WI_SC_REPLICAS || strcmp(a->tag, "!!binary") == 0))
			veil_scalar(loc, s.obj, s.id, ev->start_mark, a->tag);
		else if (a->value)
			loc->doc.objects[s.obj].scalars[s.id].value = wi_xstrdup(a->value);
		break;
	case SLOT_ENTRY:
		add_entry(loc, &s, WI_ALIAS, ev, a->value, inherited_anchor(loc), a);
		break;
	case SLOT_FIELD: {
		struct wi_pos pos = pos_of(loc, ev->start_mark);

		if ((s.id == F_ANCHOR_NAME || s.id == F_ANCHOR_NAMESPACE) && a->tag)
			loc->doc.anchors[s.rec].unread = true;
		set_field(loc, &s, a->value, &pos);
		break;
	}
	case SLOT_TRACK:
	case SLOT_NONE:
		break;
	}
	free_slot(&s);
	completed(loc, chars_of(ev->end_mark));
	return 0;
}

/*
 * A collection inside one that is of no interest (a container, an env list, a
 * ConfigMap's data) holds nothing the tool reads or edits, and most of a manifest's
 * events are in such collections: they are passed over without frames. What is kept
 * of them is what frames would have given: anchors (an alias elsewhere may name
 * one), the parent's key state, and the end of their content. Not before the
 * document's indentation step is known, which the first nested block map gives.
 * Returns true when the collection is passed over.
 */
static bool skip_start(struct wi_locator *loc, struct frame *parent, const yaml_event_t *ev,
	const yaml_char_t *anchor_name, bool flow)
{
	if (!parent || parent->site >= 0 || !loc->doc.indent)
		return false;
	if (parent->map) {
		/* A value, or a complex key: the same as take_slot and on_start below. */
		parent->has_keys |= parent->want_key;
		parent->want_key = !parent->want_key;
	}
	if (anchor_name)
		add_anchor(&loc->doc, anchor_name, parent->anchor, NULL);
	loc->skip_depth = 1;
	loc->skip_flow_from = flow ? 1 : 0;
	loc->skip_end = chars_of(ev->end_mark);
	return true;
}

/* An event inside a collection passed over (see skip_start). */
static int skipped(struct wi_locator *loc, const yaml_event_t *ev, struct wi_error *err)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor)
			add_scalar_anchor(loc, ev, inherited_anchor(loc));
		loc->skip_end = chars_of(ev->end_mark);
		break;
	case YAML_ALIAS_EVENT:
		if (!use_anchor(loc, ev, err))
			return -1;
		loc->skip_end = chars_of(ev->end_mark);
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		bool map = ev->type == YAML_MAPPING_START_EVENT;
		const yaml_char_t *anchor = map ? ev->data.mapping_start.anchor
			: ev->data.sequence_start.anchor;

		if (anchor)
			add_anchor(&loc->doc, anchor, inherited_anchor(loc), NULL);
		loc->skip_depth++;
		if (!loc->skip_flow_from && (map ? ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
			: ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE))
			loc->skip_flow_from = loc->skip_depth;
		loc->skip_end = chars_of(ev->end_mark);
		break;
	}
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		/* A flow collection ends at its bracket; a block one with its content. */
		if (loc->skip_flow_from && loc->skip_depth >= loc->skip_flow_from)
			loc->skip_end = chars_of(ev->end_mark);
		if (loc->skip_depth == loc->skip_flow_from)
			loc->skip_flow_from = 0;
		if (--loc->skip_depth == 0)
			completed(loc, loc->skip_end);
		break;
	case YAML_NO_EVENT:
	case YAML_STREAM_START_EVENT:
	case YAML_STREAM_END_EVENT:
	case YAML_DOCUMENT_START_EVENT:
	case YAML_DOCUMENT_END_EVENT:
		break; /* not inside a collection */
	}
	return 0;
}

static void on_start(struct wi_locator *loc, const yaml_event_t *ev, bool is_map)
{
	struct frame *parent = top(loc);
	const yaml_char_t *anchor_name;
	struct slot s = {.type = SLOT_NONE, .id = -1, .obj = parent ? parent->obj : 0};
	struct frame *f;
	int anchor = inherited_anchor(loc);
	bool flow;

	if (is_map) {
		anchor_name = ev->data.mapping_start.anchor;
		flow = ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
	} else {
		anchor_name = ev->data.sequence_start.anchor;
		flow = ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
	}
	if (skip_start(loc, parent, ev, anchor_name, flow))
		return;
	if (parent && parent->map && parent->want_key) {
		/* A complex key: nothing of interest lives inside. */
		parent->want_key = false;
		parent->has_keys = true;
		parent->next.type = SLOT_NONE;
	} else {
		s = take_slot(loc, is_map);
	}
	if (!parent)
		loc->doc.has_content = true;
	if (anchor_name)
		anchor = add_anchor(&loc->doc, anchor_name, anchor, NULL);
	if (s.type == SLOT_SITE)
		fill_site(loc, &s, !is_map ? WI_SEQUENCE : flow ? WI_FLOW_MAP : WI_BLOCK_MAP, ev, anchor);
	/* A wanted key holding a collection: recorded, so that it is replaced rather
	 * than written twice; its end comes with the collection's. */
	if (s.type == SLOT_ENTRY)
		add_entry(loc, &s, !is_map ? WI_SEQUENCE : flow ? WI_FLOW_MAP : WI_BLOCK_MAP, ev, NULL,
			anchor, NULL);

	loc->frames = wi_grow(loc->frames, &loc->cap_frames, loc->n_frames + 1,
		sizeof(*loc->frames));
	f = &loc->frames[loc->n_frames++];
	memset(f, 0, sizeof(*f));
	f->map = is_map;
	f->flow = flow;
	f->want_key = is_map;
	f->site = -1;
	if (s.type == SLOT_SITE && (is_map || s.id == WI_SITE_ITEMS))
		f->site = s.id;
	/* A tracked list (TR_OWNERS, TR_CONTAINERS...) must be a sequence, its items
	 * (the id after it) maps; anything else is not what the API server gives. */
	if (s.type == SLOT_TRACK && is_map == ((s.id - TR_OWNERS) % 2 == 1))
		f->site = s.id;
	/* An anchored map an object's metadata may be an alias to: its name and
	 * namespace are read (in skipped collections, none are). */
	if (f->site < 0 && is_map && anchor_name) {
		f->site = TR_ANCHORED;
		s.rec = (size_t)anchor;
	}
	f->anchored = anchor_name != NULL;
	if (s.type == SLOT_TRACK && s.id == TR_CONTAINER)
		loc->doc.containers[s.rec].pos = pos_of(loc, ev->start_mark);
	if (s.type == SLOT_TRACK && s.id == TR_ENV)
		loc->doc.envs[s.rec].pos = pos_of(loc, ev->start_mark);
	f->obj = s.obj;
	f->rec = s.rec;
	f->anchor = anchor;
	/* A block mapping starts at its first key, or at the "?" of an explicit one:
	 * where the keys are (the first key scalar may sit after "? "). With an
	 * anchor or a tag it starts at those instead: then the first key tells. */
	f->key_col = is_map && !flow && !anchor_name && !ev->data.mapping_start.tag
		? ev->start_mark.column : SIZE_MAX;
	f->last_end = chars_of(ev->end_mark);
	f->entry = s.type == SLOT_ENTRY ? (long)loc->doc.n_entries - 1 : -1;
	free_slot(&s);
}

/* An anchored map is complete: whether an alias to it may be read for its name
 * and namespace. An object's own metadata gives them from the object. */
RARE static void anchored_map_end(struct wi_locator *loc, const struct frame *f)
{
	struct wi_anchor *a = &loc->doc.anchors[f->anchor];
	const struct wi_object *o;

	if (f->site == TR_ANCHORED) {
		a->read = !a->unread;
		return;
	}
	if (f->site != WI_SITE(WI_POD_SELF, WI_AT_META))
		return;
	o = &loc->doc.objects[f->obj];
	if (!o->sites[f->site].has_merge && o->veil.scope == WI_VEIL_NONE) {
		const char *name = o->scalars[WI_SC_NAME].value;
		const char *ns = o->scalars[WI_SC_NAMESPACE].value;

		a->meta_name = name ? wi_xstrdup(name) : NULL;
		a->meta_namespace = ns ? wi_xstrdup(ns) : NULL;
		a->read = true;
	}
}

static void on_end(struct wi_locator *loc, const yaml_event_t *ev)
{
	struct frame f = loc->frames[loc->n_frames - 1];
	struct frame *parent;
	struct wi_chars end = f.flow ? chars_of(ev->end_mark) : f.last_end;

	free_slot(&loc->frames[loc->n_frames - 1].next);
	loc->n_frames--;
	parent = top(loc);
	if (f.entry >= 0)
		loc->doc.entries[f.entry].end = bytes_of(loc, end);
	if (f.anchored && f.map)
		anchored_map_end(loc, &f);
	if (f.site >= 0 && f.site < WI_N_SITES) {
		struct wi_site *site = &loc->doc.objects[f.obj].sites[f.site];

		site->end = bytes_of(loc, end);
		site->inner_end = bytes_of(loc, f.last_end);
		site->close = bytes_of(loc, chars_of(ev->start_mark));
		site->has_keys = f.has_keys;
		site->key_col = f.key_col;
	}
	/* The document's indentation step: the first block map nested in another. */
	if (f.map && !f.flow && f.key_col != SIZE_MAX && parent && parent->map && !parent->flow &&
	    parent->key_col != SIZE_MAX && !loc->doc.indent && f.key_col > parent->key_col)
		loc->doc.indent = f.key_col - parent->key_col;
	completed(loc, end);
}

RARE static void parse_error(struct wi_locator *loc, struct wi_error *err)
{
	const yaml_parser_t *p = &loc->parser;
	struct wi_pos problem = pos_of(loc, p->problem_mark);
	struct wi_pos context = pos_of(loc, p->context_mark);

	if (p->error == YAML_READER_ERROR) {
		/* libyaml reports reader errors (bad UTF-8, control characters) by byte. */
		size_t off = p->problem_offset < loc->len ? p->problem_offset : loc->len;

		wi_error_at_offset(err, loc->data, off, "%s", p->problem);
	} else if (p->error == YAML_MEMORY_ERROR) {
		wi_error_set(err, 0, 0, "out of memory");
	} else if (p->context) {
		wi_error_at(err, &problem, "%s %s", p->problem, p->context);
		err->context_line = wi_pos_line_col(&context, 0).line;
	} else {
		wi_error_at(err, &problem, "%s", p->problem ? p->problem : "invalid YAML");
	}
}

int wi_locator_next(struct wi_locator *loc, struct wi_doc **doc, size_t *unit_lines,
	struct wi_error *err)
{
	yaml_event_t ev;
	int rc = 0;

	if (loc->finished)
		return 0;
	if (loc->in_doc) {
		doc_clear(&loc->doc);
		loc->in_doc = false;
	}
	for (;;) {
		if (!yaml_parser_parse(&loc->parser, &ev)) {
			parse_error(loc, err);
			return -1;
		}
		if (ev.type == YAML_SCALAR_EVENT) {
			loc->last_style = ev.data.scalar.style;
			loc->last_start = chars_of(ev.start_mark);
			loc->last_end = chars_of(ev.end_mark);
		}
		if (loc->skip_depth) {
			rc = skipped(loc, &ev, err);
			yaml_event_delete(&ev);
			if (rc != 0)
				return rc;
			continue;
		}
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			doc_clear(&loc->doc);
			loc->last_style = YAML_ANY_SCALAR_STYLE;
			loc->in_doc = true;
			break;
		case YAML_DOCUMENT_END_EVENT:
			if (!loc->doc.indent)
				loc->doc.indent = 2;
			if (loc->last_style == YAML_LITERAL_SCALAR_STYLE ||
			    loc->last_style == YAML_FOLDED_SCALAR_STYLE) {
				loc->doc.tail_block_start = bytes_of(loc, loc->last_start);
				loc->doc.tail_block = bytes_of(loc, loc->last_end);
			}
			*doc = &loc->doc;
			rc = 1;
			break;
		case YAML_STREAM_END_EVENT:
			*unit_lines = ev.start_mark.line;
			loc->finished = true;
			rc = 0;
			break;
		case YAML_SCALAR_EVENT:
			rc = on_scalar(loc, &ev, err);
			break;
		case YAML_ALIAS_EVENT:
			rc = on_alias(loc, &ev, err);
			break;
		case YAML_SEQUENCE_START_EVENT:
			on_start(loc, &ev, false);
			break;
		case YAML_MAPPING_START_EVENT:
			on_start(loc, &ev, true);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			on_end(loc, &ev);
			break;
		case YAML_NO_EVENT:
		case YAML_STREAM_START_EVENT:
			break;
		}
		yaml_event_delete(&ev);
		if (rc != 0 || loc->finished)
			return rc;
	}
}
