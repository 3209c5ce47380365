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
#include "model/world.h"

static struct world fz_world, fz_ref_world;
static struct w_state fz_ref_state, fz_bat_state;

static void fz_fail(struct world *w, const char *what, const char *why)
{
	world_dump(w, stderr);
	fuzz_fail("%s: %s", what, why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct world *w = &fz_world;
	struct w_params p;
	char why[512];
	u64 seed;

	if (!size)
		return 0;
	p.failures = data[0] & 1;
	p.hwpoison = data[0] & 2;
	data++;
	size--;

	/* The reference run. */
	fuzz_in_set(data, size);
	seed = fuzz_bytes(8);	/* only names the world in messages */
	world_build(w, seed, &p);
	world_prepare_reference(w);
	world_unmap_all(w, ttu_6_12, &fz_ref_state);
	world_snapshot(w, &fz_ref_state);
	if (!world_check_invariants(w, why, sizeof(why)))
		fz_fail(w, "6.12 path broke an invariant", why);
	world_destroy(w);
	fz_ref_world = *w;

	/* The same world again, for the batched run. */
	fuzz_in_set(data, size);
	seed = fuzz_bytes(8);
	world_build(w, seed, &p);
	world_prepare_batched(w, &fz_ref_world);
	world_unmap_all(w, ttu_batched, &fz_bat_state);
	world_snapshot(w, &fz_bat_state);
	if (!world_check_invariants(w, why, sizeof(why)))
		fz_fail(w, "batched path broke an invariant", why);
	if (!world_state_equal(w, &fz_ref_state, &fz_bat_state, why,
			       sizeof(why)))
		fz_fail(w, "batched != 6.12", why);
	world_destroy(w);
	return 0;
}
