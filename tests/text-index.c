/* wi_text_byte against a plain count: random UTF-8 text (ASCII runs, two-, three-
 * and four-byte characters, an optional byte order mark) and random walks of
 * character indices, forwards, backwards and in jumps of every size, so that the
 * 32-byte blocks start and end inside characters. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "prng.h"

static size_t below(size_t n)
{
	return (size_t)(next() % n);
}

/* Appends one character; ASCII with probability ascii_pct. */
static size_t put_char(char *p, unsigned ascii_pct)
{
	static const char *const wide[] = {"\xC3\xA9", "\xC2\x85", "\xE6\x9D\xB1", "\xE2\x80\xA8",
		"\xF0\x9F\x98\x80"};
	const char *c;

	if (below(100) < ascii_pct) {
		*p = (char)(' ' + below(95));
		return 1;
	}
	c = wide[below(sizeof(wide) / sizeof(wide[0]))];
	memcpy(p, c, strlen(c));
	return strlen(c);
}

int main(void)
{
	static const unsigned mixes[] = {100, 99, 90, 50, 0};
	int tests = 0, failures = 0;

	for (size_t m = 0; m < sizeof(mixes) / sizeof(mixes[0]); m++) {
		for (int bom = 0; bom < 2; bom++) {
			size_t n_chars = 5000, len = bom ? 3 : 0, *offset;
			char *data = malloc(n_chars * 4 + 3);
			struct wi_text t;
			int bad = 0;

			offset = malloc((n_chars + 1) * sizeof(*offset));
			if (!data || !offset)
				return 1;
			if (bom)
				memcpy(data, "\xEF\xBB\xBF", 3);
			for (size_t i = 0; i < n_chars; i++) {
				offset[i] = len;
				len += put_char(data + len, mixes[m]);
			}
			offset[n_chars] = len;
			wi_text_init(&t, data, len);
			for (size_t step = 0, at = 0; step < 20000 && !bad; step++) {
				size_t to, hop = below(80), got;

				switch (below(4)) {
				case 0: /* anywhere */
					to = below(n_chars + 1);
					break;
				case 1: /* a short hop either way */
					to = at + hop < 40 ? 0 : at + hop - 40;
					break;
				default: /* near the current position, as the editor asks */
					to = at + below(8);
					break;
				}
				if (to > n_chars)
					to = n_chars;
				got = wi_text_byte(&t, (struct wi_chars){to}).n;
				if (got != offset[to]) {
					printf("# mix %u%% ascii, bom %d: char %zu gave byte %zu, not %zu\n",
						mixes[m], bom, to, got, offset[to]);
					bad = 1;
				}
				at = to;
			}
			tests++;
			failures += bad;
			printf("%s %d - %u%% ASCII%s: 20000 lookups\n", bad ? "not ok" : "ok", tests,
				mixes[m], bom ? ", byte order mark" : "");
			free(data);
			free(offset);
		}
	}
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
