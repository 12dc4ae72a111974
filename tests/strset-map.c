/* wi_strset as a set and as a map, against a plain array of what it must hold:
 * random keys from a small alphabet (so that many repeat), put, take, get and has,
 * through every growth of the table; the latest put wins, a take keeps a value. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "strset.h"
#include "prng.h"

#define KEYS 5000 /* distinct keys possible: k0 .. k4999 */
#define STEPS 40000


int main(void)
{
	static size_t model[KEYS];   /* SIZE_MAX: a member without a value */
	static char member[KEYS];
	struct wi_strset set = {0};
	size_t members = 0, failures = 0;
	char key[16];

	for (size_t step = 0; step < STEPS; step++) {
		size_t k = (size_t)(next() % KEYS), v = (size_t)(next() % 1000);
		int op = (int)(next() % 3);

		snprintf(key, sizeof(key), "k%zu", k);
		if (op == 0) {
			wi_strset_put(&set, wi_xstrdup(key), v);
			model[k] = v;
		} else if (op == 1) {
			wi_strset_take(&set, wi_xstrdup(key));
			if (!member[k])
				model[k] = SIZE_MAX;
		} else if (wi_strset_get(&set, key) != (member[k] ? model[k] : SIZE_MAX) ||
			   wi_strset_has(&set, key) != (bool)member[k]) {
			if (failures++ < 5)
				printf("# step %zu: %s answered wrongly\n", step, key);
			continue;
		}
		if (op != 2 && !member[k]) {
			member[k] = 1;
			members++;
		}
	}
	printf("1..3\n");
	printf("%sok 1 - get and has agree with the model over %d steps\n", failures ? "not " : "",
		STEPS);
	failures = 0;
	for (size_t k = 0; k < KEYS; k++) {
		snprintf(key, sizeof(key), "k%zu", k);
		failures += wi_strset_get(&set, key) != (member[k] ? model[k] : SIZE_MAX);
	}
	printf("%sok 2 - every key's value at the end (%zu wrong)\n", failures ? "not " : "", failures);
	printf("%sok 3 - %zu members counted, %zu expected\n", set.n == members ? "" : "not ", set.n,
		members);
	wi_strset_release(&set);
	return 0;
}
