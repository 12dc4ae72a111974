/* 16 bytes as one value, for the scans that look at every byte of a unit. */
#ifndef WI_VEC_H
#define WI_VEC_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* GCC's vector extension (also clang's): SSE2, NEON or plain code on any target,
 * 16 bytes a step where a byte loop takes one. */
typedef unsigned char wi_v16 __attribute__((vector_size(16)));

/* The high bit of each byte of a 64-bit word: set in a byte that is not ASCII. */
#define WI_HIGH_BITS 0x8080808080808080u

/* Loaded one at a time into a value: copied as an array, the vectors go through the
 * stack first. */
static inline wi_v16 wi_v16_load(const char *p)
{
	wi_v16 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* True when a byte of v is not ASCII. */
static inline bool wi_v16_any_high(wi_v16 v)
{
	uint64_t w[2];

	memcpy(w, &v, sizeof(w));
	return ((w[0] | w[1]) & WI_HIGH_BITS) != 0;
}

#endif
