// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target (c): the batched try_to_unmap_one() against 6.12's per-PTE
 * one, on worlds the fuzzer chooses.
 *
 * Input: one byte of parameters (bit 0: plan injected failures, bit 1: allow
 * TTU_HWPOISON worlds), then the decisions of the random-world builder
 * (tests/model/world.c, through tests/fuzz/harness.h): the VMAs and their
 * flags, each folio's kind, order, placement, PTE bits, holes, hardware A/D
 * updates, device-exclusive and foreign entries, the TTU flags, and the
 * failure plan (which sub-batch gets a swap-count continuation failure, a
 * GUP pin or an arch_unmap_one() failure).
 *
 * The oracle is the one of tests/check_equivalence.c: both runs end in the
 * same page tables, rss counters, swap counts, refcounts, mapcounts, folio
 * flags, anon-exclusive bits and return values (world_state_equal()), and
 * both keep the conservation laws (world_check_invariants()). Any divergence
 * and any VM_WARN_ON() is a finding.
 */
#include "harness.h"
#include "model/ttu_world.h"

static struct w_round fz_round;
static const uint8_t *fz_data;
static size_t fz_size;

/*
 * Each build takes its decisions from the start of the input again, after
 * 8 bytes that only named the world in the first corpus.
 */
static void fz_rewind(void *arg)
{
	fuzz_in_set(fz_data, fz_size);
	fuzz_bytes(8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct w_round *r = &fz_round;
	char why[512];

	if (!size)
		return 0;
	r->cs = &ttu_callsite;
	r->params.failures = data[0] & 1;
	r->params.opts = data[0] & 2 ? W_TTU_HWPOISON : 0;
	r->before_build = fz_rewind;
	fz_data = data + 1;
	fz_size = size - 1;
	if (!world_round(r, 0, why, sizeof(why))) {
		world_dump(&r->world, stderr);
		fuzz_fail("%s", why);
	}
	return 0;
}
