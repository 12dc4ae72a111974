/* libFuzzer target: drives the core from a memory buffer, through filter.c as the
 * command line does. The first two bytes choose the options and the read size;
 * the rest is the manifest stream. On success it checks what must always hold:
 *  - reading in chunks gives the same result as reading at once;
 *  - the output holds as many documents as the input and parses again;
 *  - running again on the output changes nothing (idempotence);
 *  - --check of the output finds no wanted key missing (and fails only on a
 *    duplicate key, or a key written as an alias, among the many it reads);
 *  - with an identity that matches nothing, the output is the input, byte for byte;
 *  - an input that is one JSON value gives an output that is one too.
 * Built by scripts/fuzz.sh (meson -Dfuzz=true); compiled with -DWI_FUZZ_REPLAY, a
 * plain program that replays files (the regression corpus) for the test suite. */
#include <cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "filter.h"
#include "identity.h"

struct result {
	int status;
	char error[512];
	size_t documents;
	size_t missing; /* check mode: findings of a wanted key missing */
	struct wi_buf out;
};

static void on_finding(void *ctx, const struct wi_finding *f)
{
	struct result *r = ctx;

	if (strcmp(f->problem, "missing-annotation") == 0 || strcmp(f->problem, "missing-label") == 0)
		r->missing++;
}

static int append(void *ctx, const struct wi_piece *pieces, size_t n)
{
	struct result *r = ctx;

	for (size_t i = 0; i < n; i++)
		wi_buf_append(&r->out, pieces[i].data, pieces[i].len);
	return 0;
}

/* Through filter.c, as the command line runs it, fed chunk bytes at a time. */
static void run(const char *data, size_t len, size_t chunk, const struct wi_identity *id,
	bool check, bool checksum, struct result *r)
{
	struct wi_filter_config config = {
		.engine = {.identities = id, .n_identities = 1, .check = check,
			.checksum = checksum, .on_finding = on_finding, .ctx = r},
		.write = append, .write_ctx = r};
	struct wi_filter *filter = wi_filter_create(&config);
	struct wi_error err = {0};
	enum wi_filter_status status = WI_FILTER_OK;

	r->missing = 0;
	for (size_t at = 0; at < len && status == WI_FILTER_OK; at += chunk)
		status = wi_filter_feed(filter, data + at, len - at < chunk ? len - at : chunk, &err);
	if (status == WI_FILTER_OK)
		status = wi_filter_finish(filter, &err);
	r->status = status != WI_FILTER_OK;
	if (r->status)
		memcpy(r->error, err.message, sizeof(r->error));
	r->documents = wi_filter_stats(filter)->documents;
	wi_filter_destroy(filter);
}

#define NO_SUCH "zz-no-such-account"

static bool mentions(const char *data, size_t len, const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(data + i, word, n) == 0)
			return true;
	return false;
}

static bool same(const struct wi_buf *a, const char *data, size_t len)
{
	return a->len == len && (len == 0 || memcmp(a->data, data, len) == 0);
}

/* True when the bytes are one JSON value, with nothing but JSON's blanks after it. */
static bool is_json(const char *data, size_t len)
{
	const char *end = NULL;
	cJSON *value;
	bool ok;

	if (!data || !len)
		return false;
	value = cJSON_ParseWithLengthOpts(data, len, &end, false);
	ok = value != NULL && end != NULL;
	for (; ok && end < data + len; end++)
		ok = *end == ' ' || *end == '\t' || *end == '\n' || *end == '\r';
	cJSON_Delete(value);
	return ok;
}

static void identity(struct wi_identity *id, uint8_t flags, bool matching)
{
	wi_identity_init(id);
	wi_identity_add_service_account(id, matching ? "mxp-controller" : NO_SUCH);
	if (matching && (flags & 1))
		wi_identity_add_service_account(id, "a");
	if (flags & 2)
		wi_identity_add_namespace(id, "ns");
	switch ((flags >> 2) % 3) {
	case 0:
		wi_identity_set_azure(id, "11111111-2222-3333-4444-555555555555",
			(flags & 32) ? "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" : NULL, (flags & 64) ? 3600 : 0);
		break;
	case 1:
		wi_identity_set_aws(id, "arn:aws:iam::123456789012:role/x", NULL, flags & 32, 0);
		break;
	default:
		wi_identity_set_gcp(id, "spaces-x@my-project.iam.gserviceaccount.com");
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
	struct result whole = {0}, chunked = {0}, again = {0}, checked = {0}, none = {0};
	struct wi_identity id, other;
	const char *data = (const char *)bytes + 2;
	size_t len;
	bool checksum;

	if (size < 2)
		return 0;
	len = size - 2;
	checksum = bytes[0] & 16;
	identity(&id, bytes[0], true);
	identity(&other, bytes[0], false);

	run(data, len, len + 1, &id, false, checksum, &whole);
	run(data, len, 1 + bytes[1] % 64, &id, false, checksum, &chunked);
	if (whole.status != chunked.status || !same(&whole.out, chunked.out.data, chunked.out.len))
		abort();
	if (whole.status == 0) {
		run(whole.out.data, whole.out.len, whole.out.len + 1, &id, false, checksum, &again);
		if (again.status != 0 || !same(&again.out, whole.out.data, whole.out.len) ||
		    again.documents != whole.documents)
			abort();
		/* Check mode looks at every provider's keys, so it may find a duplicate
		 * key, or a key written as an alias, that the edit had no reason to look
		 * at. */
		run(whole.out.data, whole.out.len, whole.out.len + 1, &id, true, checksum, &checked);
		if ((checked.status != 0 && strncmp(checked.error, "duplicate key", 13) != 0 &&
			    strncmp(checked.error, "the key *", 9) != 0) ||
		    checked.missing != 0)
			abort();
		/* Unless the input names the other identity's account itself. */
		run(data, len, len + 1, &other, false, checksum, &none);
		if ((none.status != 0 || !same(&none.out, data, len)) && !mentions(data, len, NO_SUCH))
			abort();
		/* JSON stays JSON. */
		if (is_json(data, len) && !is_json(whole.out.data, whole.out.len))
			abort();
	}
	wi_buf_release(&whole.out);
	wi_buf_release(&chunked.out);
	wi_buf_release(&again.out);
	wi_buf_release(&checked.out);
	wi_buf_release(&none.out);
	wi_identity_release(&id);
	wi_identity_release(&other);
	return 0;
}

#ifdef WI_FUZZ_REPLAY
#include <dirent.h>
#include <unistd.h>

/* Without libFuzzer: replay files, or every file in directories, once each.
 * After --seeds, each file is a plain manifest stream, replayed under several
 * option bytes; a directory's subdirectories stand for their input.yaml (the
 * golden cases, found when the test runs). */
static int replay_file(const char *path, bool seeds, int *n)
{
	static const uint8_t options[] = {0x00, 0x13, 0x16, 0x19, 0x62, 0x75};
	struct wi_buf b = {0};
	char chunk[4096];
	size_t len;
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		return -1;
	}
	while ((len = fread(chunk, 1, sizeof(chunk), f)) > 0)
		wi_buf_append(&b, chunk, len);
	fclose(f);
	for (size_t i = 0; i < (seeds ? sizeof(options) : 1); i++) {
		struct wi_buf in = {0};

		if (seeds) {
			uint8_t head[2] = {options[i], (uint8_t)(7 * i)};

			wi_buf_append(&in, head, 2);
		}
		wi_buf_append(&in, b.data ? b.data : "", b.len);
		LLVMFuzzerTestOneInput((const uint8_t *)in.data, in.len);
		printf("ok %d - %s%s\n", ++*n, path, seeds ? " (as a seed)" : "");
		wi_buf_release(&in);
	}
	wi_buf_release(&b);
	return 0;
}

int main(int argc, char **argv)
{
	bool seeds = false;
	int n = 0;

	for (int i = 1; i < argc; i++) {
		DIR *dir = opendir(argv[i]);
		struct dirent *d;

		if (strcmp(argv[i], "--seeds") == 0) {
			seeds = true;
			continue;
		}
		if (!dir) {
			if (replay_file(argv[i], seeds, &n))
				return 1;
			continue;
		}
		while ((d = readdir(dir)) != NULL) {
			struct wi_buf path = {0};

			DIR *sub;

			if (d->d_name[0] == '.')
				continue;
			wi_buf_printf(&path, "%s/%s", argv[i], d->d_name);
			if (seeds && (sub = opendir(path.data)) != NULL) {
				closedir(sub);
				wi_buf_puts(&path, "/input.yaml");
				if (access(path.data, F_OK) != 0) { /* a case that reads nothing */
					wi_buf_release(&path);
					continue;
				}
			}
			if (replay_file(path.data, seeds, &n)) {
				closedir(dir);
				return 1;
			}
			wi_buf_release(&path);
		}
		closedir(dir);
	}
	printf("1..%d\n", n);
	return 0;
}
#endif
