/* Allocation that never returns NULL. */
#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void (*failure_hook)(void);

void wi_alloc_set_failure_hook(void (*hook)(void))
{
	failure_hook = hook;
}

static _Noreturn void out_of_memory(void)
{
	if (failure_hook)
		failure_hook();
	/* No hook, or one that returned: the core has no way to say so (it never
	 * prints) and none to go on, so it stops where a debugger or core dump shows
	 * why. */
	abort();
}

void *wi_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *wi_xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *wi_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *wi_xstrndup(const char *s, size_t len)
{
	char *p = wi_xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *wi_xstrdup(const char *s)
{
	return wi_xstrndup(s, strlen(s));
}

void *wi_grow(void *array, size_t *cap, size_t need, size_t elem_size)
{
	size_t n = *cap ? *cap : 8;

	if (need <= *cap)
		return array;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			out_of_memory();
		n *= 2;
	}
	if (n > SIZE_MAX / elem_size)
		out_of_memory();
	*cap = n;
	return wi_xrealloc(array, n * elem_size);
}
