/* Allocation that never returns NULL: a filter has nothing useful to do without memory. */
#ifndef WI_ALLOC_H
#define WI_ALLOC_H

#include <stddef.h>

/* Each returns owned memory, or, when memory is exhausted, calls the failure hook,
 * which must not return (without one, or if it does: abort()). The one place in the
 * core that may end the process. */
void *wi_xmalloc(size_t size);
void *wi_xcalloc(size_t count, size_t size);
void *wi_xrealloc(void *ptr, size_t size);
char *wi_xstrdup(const char *s);
char *wi_xstrndup(const char *s, size_t len);

/* Installs what runs when memory is exhausted: the CLI's removes its temporary
 * files, says so and exits. It must not allocate, nor return. */
void wi_alloc_set_failure_hook(void (*hook)(void));

/* Returns array (of *cap elements of elem_size bytes, owned) grown to hold at least
 * need elements; *cap is updated. Use as: a = wi_grow(a, &cap, n, sizeof(*a)). */
void *wi_grow(void *array, size_t *cap, size_t need, size_t elem_size);

#endif
