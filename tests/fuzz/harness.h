/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzz build's "harness.h": tests/harness.h with its random source
 * replaced by the fuzzer's input.
 *
 * tests/model/world.c (the random-world builder of the equivalence tests)
 * includes "harness.h" and takes every decision through ptb_rng_below() and
 * ptb_rng_chance(). The fuzz targets and their replay suites compile it with
 * -I$(srcdir)/tests/fuzz ahead of -I$(srcdir)/tests, so its #include finds
 * this file: the same builder, unchanged, then decodes a fuzzer's bytes into
 * a world (fuzz_in_set() before world_build()). Every world it can build
 * this way is one the random builder can build, so the inputs are valid by
 * construction and a VM_WARN_ON() is a finding.
 *
 * tests/harness.c still includes the real header (from its own directory).
 */
#ifndef _PTB_FUZZ_HARNESS_H
#define _PTB_FUZZ_HARNESS_H

#define ptb_rng_init	ptb_rng_init_splitmix
#define ptb_rng_u64	ptb_rng_u64_splitmix
#define ptb_rng_below	ptb_rng_below_splitmix
#define ptb_rng_chance	ptb_rng_chance_splitmix
#include "../harness.h"
#undef ptb_rng_init
#undef ptb_rng_u64
#undef ptb_rng_below
#undef ptb_rng_chance

#include "fuzz.h"

static inline void ptb_rng_init(struct ptb_rng *rng, u64 seed)
{
	rng->state = seed;
}

static inline u64 ptb_rng_u64(struct ptb_rng *rng)
{
	return fuzz_bytes(8);
}

static inline unsigned long ptb_rng_below(struct ptb_rng *rng,
					  unsigned long n)
{
	return fuzz_below(n);
}

static inline bool ptb_rng_chance(struct ptb_rng *rng, unsigned int percent)
{
	return fuzz_chance(percent);
}

#endif /* _PTB_FUZZ_HARNESS_H */
