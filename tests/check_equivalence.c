// SPDX-License-Identifier: GPL-2.0
/*
 * Randomised equivalence of each batched call site with 6.12's per-PTE one,
 * over random worlds (tests/model/world.h): page tables with folios of
 * 16K-2M, partial mappings, holes, VMA and PMD boundaries, mixed PTE bits,
 * hardware A/D updates, existing swap entries, device-exclusive entries,
 * and injected failures. Call sites: try_to_unmap_one()
 * (tests/model/ttu_world.c), mremap's move_ptes()
 * (tests/model/mremap_world.c) and mprotect's change_pte_range()
 * (tests/model/mprotect_world.c).
 *
 * PTEBATCH_SEED picks the seed (printed on failure), PTEBATCH_ITERATIONS
 * the number of worlds.
 */
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "model/ttu_world.h"
#include "model/mremap_world.h"
#include "model/mprotect_world.h"

static struct w_round ptb_round;

/*
 * @iterations rounds of @cs's oracle (world_round()) from the run's seed
 * and @salt; a failing round names the seed to rerun it with.
 */
static void run_worlds(const struct w_callsite *cs, const struct w_params *p,
		       unsigned long iterations, u64 salt, const char *name)
{
	struct w_round *r = &ptb_round;
	u64 base = ptb_seed() ^ salt;
	unsigned long i, batched = 0, pages = 0;
	struct timespec t0, t1;
	char why[512];

	r->cs = cs;
	r->params = *p;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < iterations; i++) {
		u64 seed = base + i;
		unsigned int b;

		if (!world_round(r, seed, why, sizeof(why))) {
			world_dump(&r->world, stderr);
			ck_abort_msg("%s: %s (rerun with PTEBATCH_SEED=%#llx PTEBATCH_ITERATIONS=1)",
				     cs->name, why,
				     (unsigned long long)seed ^ salt);
		}
		for (b = 0; b < r->world.nr_batches; b++) {
			pages += r->world.batches[b].nr;
			batched += r->world.batches[b].nr > 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# %s, %s (%s): %lu worlds from seed %#llx, %lu batches of >1 PTE, %lu mapped pages, %.2f s\n",
	       cs->name, name, PTB_ARCH_NAME, iterations,
	       (unsigned long long)ptb_seed(), batched, pages,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	fflush(stdout);
}

START_TEST(batched_unmap_equals_per_pte_6_12)
{
	const struct w_params p = { .failures = false, .opts = W_TTU_HWPOISON };

	run_worlds(&ttu_callsite, &p, ptb_iterations(5000), 0,
		   "no injected failures");
}
END_TEST

START_TEST(batched_unmap_equals_per_pte_6_12_with_injected_failures)
{
	const struct w_params p = { .failures = true, .opts = W_TTU_HWPOISON };

	run_worlds(&ttu_callsite, &p, ptb_iterations(5000), 0xfa11ULL << 32,
		   "with failures");
}
END_TEST

START_TEST(batched_move_ptes_equals_per_pte_6_12)
{
	/* contpte blocks next to blocks that differ: where batches start */
	const struct w_params p = {
		.failures = false, .uniform_blocks = 50, .special_pages = true,
	};

	run_worlds(&mremap_callsite, &p, ptb_iterations(5000), 0x3e3aULL << 32,
		   "mremap");
}
END_TEST

START_TEST(batched_change_pte_range_equals_per_pte_6_12)
{
	/* contpte blocks next to blocks that differ: where batches start */
	const struct w_params p = {
		.failures = false, .uniform_blocks = 50, .no_pte_unused = true,
		.special_pages = true,
	};

	run_worlds(&mprotect_callsite, &p, ptb_iterations(5000),
		   0x3d07ULL << 32, "mprotect");
}
END_TEST

Suite *ptb_suite(void)
{
	Suite *s = suite_create("equivalence");
	TCase *tc = tcase_create("random_worlds");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, batched_unmap_equals_per_pte_6_12);
	tcase_add_test(tc, batched_unmap_equals_per_pte_6_12_with_injected_failures);
	tcase_add_test(tc, batched_move_ptes_equals_per_pte_6_12);
	tcase_add_test(tc, batched_change_pte_range_equals_per_pte_6_12);
	suite_add_tcase(s, tc);
	return s;
}
