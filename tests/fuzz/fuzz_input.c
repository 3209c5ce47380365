// SPDX-License-Identifier: GPL-2.0
/* The fuzzer's input as a stream of decisions (tests/fuzz/fuzz.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

static struct {
	const uint8_t *data;
	size_t size, pos;
	u64 fallback;		/* splitmix64 state once the bytes run out */
	bool exhausted;
} fuzz_in;

void (*fuzz_fail_hook)(const char *msg);

void fuzz_in_set(const uint8_t *data, size_t size)
{
	u64 h = 0xcbf29ce484222325ULL;	/* FNV-1a of the input */
	size_t i;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3ULL;
	fuzz_in.data = data;
	fuzz_in.size = size;
	fuzz_in.pos = 0;
	fuzz_in.fallback = h;
	fuzz_in.exhausted = false;
}

static uint8_t fuzz_byte(void)
{
	u64 z;

	if (fuzz_in.pos < fuzz_in.size)
		return fuzz_in.data[fuzz_in.pos++];
	fuzz_in.exhausted = true;
	z = (fuzz_in.fallback += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint8_t)(z ^ (z >> 31));
}

u64 fuzz_bytes(unsigned int n)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < n && i < 8; i++)
		v |= (u64)fuzz_byte() << (8 * i);
	return v;
}

unsigned long fuzz_below(unsigned long n)
{
	if (n <= 1)
		return 0;
	if (n <= 0x100)
		return fuzz_bytes(1) % n;
	if (n <= 0x10000)
		return fuzz_bytes(2) % n;
	if (n <= 0x100000000ULL)
		return fuzz_bytes(4) % n;
	return fuzz_bytes(8) % n;
}

bool fuzz_chance(unsigned int percent)
{
	return fuzz_bytes(1) % 100 < percent;
}

bool fuzz_in_exhausted(void)
{
	return fuzz_in.exhausted;
}

void fuzz_fail(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "ptebatch fuzz (%s): %s\n", PTB_ARCH_NAME, msg);
	fflush(stderr);
	if (fuzz_fail_hook)
		fuzz_fail_hook(msg);
	abort();
}
