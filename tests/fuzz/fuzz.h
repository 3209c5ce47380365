/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the fuzz targets (tests/fuzz/fuzz_*.c): the fuzzer's input as a
 * stream of decisions, and how a target reports a finding.
 *
 * Each target defines LLVMFuzzerTestOneInput(). It is built twice per arch
 * backend: with clang and libFuzzer for `make fuzz` (tests/fuzz/<arch>/
 * fuzz_<target>), and with CC as a Check suite (tests/<arch>/
 * check_fuzz_<target>, tests/fuzz/replay.c) that replays every input of
 * tests/fuzz/corpus/<target>/ in `make check`: the seeds, and each finding
 * as a regression test.
 *
 * Decisions are taken from the input bytes in order; once they run out,
 * from a splitmix64 stream seeded from the whole input, so a short input
 * still builds a complete case and every case is a function of its bytes.
 */
#ifndef _PTB_FUZZ_H
#define _PTB_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"
#include <asm/ptb-hooks.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Start decoding @size bytes at @data. */
void fuzz_in_set(const uint8_t *data, size_t size);
/* The next @n (1-8) bytes, little endian. */
u64 fuzz_bytes(unsigned int n);
/* A value in [0, n) (0 when n <= 1, consuming nothing). */
unsigned long fuzz_below(unsigned long n);
/* true with roughly @percent % odds for random bytes. */
bool fuzz_chance(unsigned int percent);
/* Whether every decision so far came from the input itself. */
bool fuzz_in_exhausted(void);

/*
 * A finding: print @what (and whatever the target printed before) and
 * abort, so that libFuzzer keeps the input; the replay suite turns it into
 * a Check failure naming the input instead.
 */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
extern void (*fuzz_fail_hook)(const char *msg);

#endif /* _PTB_FUZZ_H */
