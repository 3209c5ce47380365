// SPDX-License-Identifier: GPL-2.0
/*
 * Randomised equivalence of the batched try_to_unmap_one() with 6.12's
 * per-PTE one, over random worlds (tests/model/world.h): page tables with
 * folios of 16K-2M, partial mappings, holes, VMA and PMD boundaries, mixed
 * PTE bits, hardware A/D updates, existing swap entries, device-exclusive
 * entries, and injected failures.
 *
 * PTEBATCH_SEED picks the seed (printed on failure), PTEBATCH_ITERATIONS
 * the number of worlds.
 */
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "model/world.h"

static struct world ptb_world, ptb_ref_world;
static struct w_state ptb_ref_state, ptb_bat_state;

static void run_worlds(const struct w_params *p, unsigned long iterations,
		       u64 salt, const char *name)
{
	u64 base = ptb_seed() ^ salt;
	unsigned long i, batched = 0, pages = 0;
	struct timespec t0, t1;
	char why[512];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < iterations; i++) {
		struct world *w = &ptb_world;
		u64 seed = base + i;
		unsigned int b;

		world_build(w, seed, p);
		if (getenv("PTEBATCH_VERBOSE"))
			world_dump(w, stderr);
		world_prepare_reference(w);
		world_unmap_all(w, ttu_6_12, &ptb_ref_state);
		world_snapshot(w, &ptb_ref_state);
		ck_assert_msg(world_check_invariants(w, why, sizeof(why)),
			      "6.12 path broke an invariant: %s", why);
		world_destroy(w);
		ptb_ref_world = *w;

		world_build(w, seed, p);
		world_prepare_batched(w, &ptb_ref_world);
		world_unmap_all(w, ttu_batched, &ptb_bat_state);
		world_snapshot(w, &ptb_bat_state);
		ck_assert_msg(world_check_invariants(w, why, sizeof(why)),
			      "batched path broke an invariant: %s (rerun with PTEBATCH_SEED=%#llx PTEBATCH_ITERATIONS=1)",
			      why, (unsigned long long)seed ^ salt);
		ck_assert_msg(world_state_equal(w, &ptb_ref_state,
						&ptb_bat_state, why, sizeof(why)),
			      "batched != 6.12: %s (rerun with PTEBATCH_SEED=%#llx PTEBATCH_ITERATIONS=1)",
			      why, (unsigned long long)seed ^ salt);
		for (b = 0; b < w->nr_batches; b++) {
			pages += w->batches[b].nr;
			batched += w->batches[b].nr > 1;
		}
		world_destroy(w);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# %s (%s): %lu worlds from seed %#llx, %lu batches of >1 PTE, %lu mapped pages, %.2f s\n",
	       name, PTB_ARCH_NAME, iterations, (unsigned long long)ptb_seed(),
	       batched, pages, (t1.tv_sec - t0.tv_sec) +
	       (t1.tv_nsec - t0.tv_nsec) / 1e9);
	fflush(stdout);
}

START_TEST(batched_unmap_equals_per_pte_6_12)
{
	const struct w_params p = { .failures = false, .hwpoison = true };

	run_worlds(&p, ptb_iterations(5000), 0, "no injected failures");
}
END_TEST

START_TEST(batched_unmap_equals_per_pte_6_12_with_injected_failures)
{
	const struct w_params p = { .failures = true, .hwpoison = true };

	run_worlds(&p, ptb_iterations(5000), 0xfa11ULL << 32,
		   "with failures");
}
END_TEST

Suite *ptb_suite(void)
{
	Suite *s = suite_create("equivalence");
	TCase *tc = tcase_create("random_worlds");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, batched_unmap_equals_per_pte_6_12);
	tcase_add_test(tc, batched_unmap_equals_per_pte_6_12_with_injected_failures);
	suite_add_tcase(s, tc);
	return s;
}
