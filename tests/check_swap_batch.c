// SPDX-License-Identifier: GPL-2.0
/*
 * The swap side of batching: swap_pte_batch() (6.12's, in lib/mm_internal.h)
 * against a per-PTE reference; make_swap_pte() against 6.12's per-PTE
 * construction in try_to_unmap_one(); set_swap_ptes() runs and their
 * detection; batched swap-count duplication with rollback; batched
 * anon-exclusive sharing.
 */
#include "harness.h"
#include "batch_ref.h"

#define ADDR	(PTB_VA + PMD_SIZE)

START_TEST(swap_pte_batch_matches_per_pte_reference)
{
	unsigned long iters = ptb_iterations(400), it;
	u64 seed = ptb_seed() ^ 0x5a9ULL;
	struct ptb_rng rng;

	ptb_rng_init(&rng, seed);
	for (it = 0; it < iters; it++) {
		unsigned int type = ptb_rng_below(&rng, 4);
		pgoff_t off = 1 + ptb_rng_below(&rng, 60000);
		bool excl = ptb_rng_chance(&rng, 50);
		bool sd = ptb_rng_chance(&rng, 50);
		bool uffd = ptb_rng_chance(&rng, 30);
		unsigned int len = 1 + ptb_rng_below(&rng, 64), i, ref, nr;
		unsigned int max_nr = 1 + ptb_rng_below(&rng, len + 8);
		pte_t *ptep = ptb_slot(ADDR);

		max_nr = min(max_nr, (unsigned int)PTRS_PER_PTE);
		ptb_cost_pause();
		for (i = 0; i < len + 8; i++) {
			pte_t pte = ref_swp(type, off + i, excl, sd, uffd);
			unsigned int what = ptb_rng_below(&rng, 100);

			if (what < 3)
				pte = ref_swp(type + 1, off + i, excl, sd, uffd);
			else if (what < 6)
				pte = ref_swp(type, off + i + 1, excl, sd, uffd);
			else if (what < 8)
				pte = ref_swp(type, off + i - 1, excl, sd, uffd);
			else if (what < 10)
				pte = ref_swp(type, off + i, !excl, sd, uffd);
			else if (what < 12)
				pte = ref_swp(type, off + i, excl, !sd, uffd);
			else if (what < 14)
				pte = ref_swp(type, off + i, excl, sd, !uffd);
			else if (what < 16)
				pte = __pte(0);
			else if (what < 18)
				pte = ptb_mk_pte(PTB_BASE_PFN + i,
						 &(struct ptb_pte_bits){ 0 });
			else if (what < 20)
				ptb_swap_set_cgroup(swp_entry(type, off + i), 7);
			WRITE_ONCE(ptep[i], pte);
		}
		/* i == 0 defines the run; whatever entry 0 holds is its start */
		WRITE_ONCE(ptep[0], ref_swp(type, off, excl, sd, uffd));
		ptb_swap_set_cgroup(swp_entry(type, off), 0);
		ptb_cost_resume();

		ref = ref_swap_batch(ptep, max_nr, type, off, excl, sd, uffd);
		nr = swap_pte_batch(ptep, max_nr, ptep[0]);
		ck_assert_msg(nr == (int)ref,
			      "seed %#llx iter %lu: swap_pte_batch %u, reference %u (max_nr %u)",
			      (unsigned long long)seed, it, nr, ref, max_nr);
		/* reset the cgroup ids of this iteration */
		for (i = 0; i < len + 8; i++)
			ptb_swap_set_cgroup(swp_entry(type, off + i), 0);
	}
}
END_TEST

START_TEST(make_swap_pte_carries_exactly_soft_dirty_uffd_wp_and_exclusive)
{
	unsigned int combo = _i;
	bool excl = combo & 1, sd = combo & 2, uffd = combo & 4;
	bool present = combo & 8, dirty = combo & 16, write = combo & 32;
	swp_entry_t entry = swp_entry(2, 0x1234);
	pte_t pteval, got;

	if (present) {
		struct ptb_pte_bits b = {
			.soft_dirty = sd, .uffd_wp = uffd, .dirty = dirty,
			.write = write && !uffd, .young = true,
		};

		pteval = ptb_mk_pte(PTB_BASE_PFN + 3, &b);
	} else {
		pteval = swp_entry_to_pte(make_readable_device_exclusive_entry(
						PTB_BASE_PFN + 3));
		if (sd)
			pteval = pte_swp_mksoft_dirty(pteval);
		if (uffd)
			pteval = pte_swp_mkuffd_wp(pteval);
	}
	/*
	 * From first principles: 6.12's per-PTE construction, which
	 * make_swap_pte() replaces, is the model ttu_6_12's (checked against
	 * the tree) and check_equivalence compares the two paths whole.
	 */
	got = make_swap_pte(entry, pteval, excl);
	PTB_ASSERT_PTE_EQ(got, ref_swp(2, 0x1234, excl, sd && ref_have_soft_dirty(),
				   uffd), "combo %#x", combo);
	ck_assert_uint_eq(pte_to_swp_entry(got).val, entry.val);
}
END_TEST

START_TEST(set_swap_ptes_writes_a_run_swap_pte_batch_detects)
{
	unsigned int nr = 1 + _i * 7, i;
	pte_t *ptep = ptb_slot(ADDR + 40 * PAGE_SIZE);
	pte_t first = ref_swp(0, 0x100, true, true, false);

	ptb_cost_pause();
	WRITE_ONCE(ptep[-1], ref_swp(3, 7, false, false, false));
	WRITE_ONCE(ptep[nr], ref_swp(3, 9, false, false, false));
	ptb_cost_resume();
	ptb_costs_reset();
	set_swap_ptes(&ptb_mm, ADDR + 40 * PAGE_SIZE, ptep, first, nr);
	ck_assert_uint_eq(ptb_costs.pte_writes, nr);
	ck_assert_uint_eq(ptb_costs.tlbi_pages + ptb_costs.tlbi_ranges, 0);
	for (i = 0; i < nr; i++)
		PTB_ASSERT_PTE_EQ(ptb_peek(ptep + i),
				  ref_swp(0, 0x100 + i, true, true && ref_have_soft_dirty(),
				      false), "nr %u entry %u", nr, i);
	ck_assert_int_eq(swap_pte_batch(ptep, nr, ptb_peek(ptep)), nr);
	ck_assert_int_eq(swap_pte_batch(ptep, nr + 1, ptb_peek(ptep)), nr);
	/* neighbours untouched */
	PTB_ASSERT_PTE_EQ(ptb_peek(ptep - 1), ref_swp(3, 7, false, false, false),
			  "left neighbour");
	PTB_ASSERT_PTE_EQ(ptb_peek(ptep + nr), ref_swp(3, 9, false, false, false),
			  "right neighbour");
}
END_TEST

START_TEST(set_swap_ptes_replaces_uffd_wp_markers)
{
	pte_t *ptep = ptb_slot(ADDR);
	unsigned int i;

	ptb_cost_pause();
	for (i = 0; i < 4; i++)
		WRITE_ONCE(ptep[i], make_pte_marker(PTE_MARKER_UFFD_WP));
	ptb_cost_resume();
	set_swap_ptes(&ptb_mm, ADDR, ptep, ref_swp(0, 0x40, false, false, true),
		      4);
	ck_assert_int_eq(swap_pte_batch(ptep, 4, ptb_peek(ptep)), 4);
}
END_TEST

/* --------------------- batched swap-count dup ---------------------- */

static struct folio *swapcache_folio(unsigned int order)
{
	struct folio *folio = ptb_folio_create(PTB_BASE_PFN + 512, order,
					       BIT(PG_anon) | BIT(PG_locked),
					       ADDR >> PAGE_SHIFT);

	ptb_folio_add_to_swap_cache(folio, 0);
	return folio;
}

/* The folio's 16 entries: count 1 in [first, end), 0 elsewhere. */
static void assert_counts_one_in(struct folio *folio, unsigned long first,
				 unsigned long end, const char *what)
{
	unsigned long i;

	for (i = 0; i < 16; i++) {
		int count = ptb_swap_count(page_swap_entry(folio_page(folio,
								      i)));

		ck_assert_msg(count == (i >= first && i < end),
			      "%s: entry %lu count %d", what, i, count);
	}
}

START_TEST(dup_swap_pages_takes_one_count_per_page_in_range)
{
	struct folio *folio = swapcache_folio(4);

	ck_assert_int_eq(folio_dup_swap_pages(folio, folio_page(folio, 3), 9),
			 0);
	assert_counts_one_in(folio, 3, 12, "duplicated");
	folio_put_swap_pages(folio, folio_page(folio, 3), 9);
	assert_counts_one_in(folio, 0, 0, "put back");
}
END_TEST

START_TEST(dup_swap_pages_rolls_back_on_failure_at_every_position)
{
	unsigned int k = _i;
	struct folio *folio = swapcache_folio(4);
	unsigned long i;

	/* one entry already shared by another mapping */
	ck_assert_int_eq(swap_duplicate(page_swap_entry(folio_page(folio, 5))),
			 0);
	ptb_swap_dup_calls = 0;
	ptb_swap_fail_dup_at(page_swap_entry(folio_page(folio, k)));
	ck_assert_int_eq(folio_dup_swap_pages(folio, folio_page(folio, 0), 16),
			 -ENOMEM);
	ck_assert_uint_eq(ptb_swap_dup_calls, k + 1);
	for (i = 0; i < 16; i++)
		ck_assert_msg(ptb_swap_count(page_swap_entry(
					folio_page(folio, i))) == (i == 5),
			      "failure at %u: entry %lu count %d", k, i,
			      ptb_swap_count(page_swap_entry(
					folio_page(folio, i))));
}
END_TEST

/*
 * 6.12's swap_duplicate() returns 0 for a slot nobody uses ("just as if it
 * succeeded": a corrupted page table entry), and changes nothing; the
 * batch does the same for each such entry and counts the others.
 */
START_TEST(dup_swap_pages_of_a_freed_slot_changes_nothing_as_6_12_does)
{
	struct folio *folio = swapcache_folio(2);
	unsigned long i;

	/* point the folio at slots nobody allocated */
	folio->swap = swp_entry(1, 0x2000);
	ck_assert_int_eq(folio_dup_swap_pages(folio, folio_page(folio, 0), 4),
			 0);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(ptb_swap_count(swp_entry(1, 0x2000 + i)), 0);
}
END_TEST

/* The counts of a run are taken under one cluster lock, none one by one. */
START_TEST(dup_swap_pages_takes_a_run_under_one_cluster_lock)
{
	struct folio *folio = swapcache_folio(4);

	ptb_swap_dup_calls = 0;
	ptb_swap_cluster_locks = 0;
	ck_assert_int_eq(folio_dup_swap_pages(folio, folio_page(folio, 0), 16),
			 0);
	ck_assert_uint_eq(ptb_swap_cluster_locks, 1);
	ck_assert_uint_eq(ptb_swap_dup_calls, 0);
	assert_counts_one_in(folio, 0, 16, "run");
}
END_TEST

/*
 * An entry of the run at SWAP_MAP_MAX needs a count continuation: the run
 * falls back to swap_duplicate() entry by entry, which allocates it; every
 * entry ends up with exactly one more count, the full one carried on.
 */
START_TEST(dup_swap_pages_with_a_continuation_goes_entry_by_entry)
{
	unsigned int k = _i;
	struct folio *folio = swapcache_folio(4);

	ptb_swap_need_cont_at(page_swap_entry(folio_page(folio, k)));
	ptb_swap_dup_calls = 0;
	ptb_swap_cluster_locks = 0;
	ck_assert_int_eq(folio_dup_swap_pages(folio, folio_page(folio, 0), 16),
			 0);
	/* the run refused, 16 entries, and entry k's retry */
	ck_assert_uint_eq(ptb_swap_dup_calls, 16);
	ck_assert_uint_eq(ptb_swap_cluster_locks, 1 + 16 + 1);
	assert_counts_one_in(folio, 0, 16, "continuation");
	folio_put_swap_pages(folio, folio_page(folio, 0), 16);
	assert_counts_one_in(folio, 0, 0, "put back");
}
END_TEST

/* ------------------------ batched sharing --------------------------- */

START_TEST(share_anon_rmap_ptes_clears_exactly_the_range)
{
	struct folio *folio = swapcache_folio(4);
	unsigned long i;

	for (i = 0; i < 16; i++)
		SetPageAnonExclusive(folio_page(folio, i));
	ck_assert_int_eq(folio_try_share_anon_rmap_ptes(folio,
					folio_page(folio, 4), 7), 0);
	for (i = 0; i < 16; i++)
		ck_assert_int_eq(PageAnonExclusive(folio_page(folio, i)),
				 i < 4 || i >= 11);
	/* one pin check for the whole batch */
	ck_assert_uint_eq(folio->ptb_pin_checks, 1);
}
END_TEST

START_TEST(share_anon_rmap_ptes_of_pinned_folio_shares_none)
{
	struct folio *folio = swapcache_folio(4);
	unsigned long i;

	for (i = 0; i < 16; i++)
		SetPageAnonExclusive(folio_page(folio, i));
	ptb_folio_pin_from_check(folio, 0);
	ck_assert_int_eq(folio_try_share_anon_rmap_ptes(folio,
					folio_page(folio, 0), 16), -EBUSY);
	for (i = 0; i < 16; i++)
		ck_assert(PageAnonExclusive(folio_page(folio, i)));
}
END_TEST

START_TEST(share_anon_rmap_ptes_equals_per_page_loop)
{
	struct folio *a = swapcache_folio(3);
	struct folio *b = ptb_folio_create(PTB_BASE_PFN + 1024, 3,
					   BIT(PG_anon) | BIT(PG_locked), 0);
	unsigned long i;

	for (i = 0; i < 8; i++) {
		SetPageAnonExclusive(folio_page(a, i));
		SetPageAnonExclusive(folio_page(b, i));
	}
	ck_assert_int_eq(folio_try_share_anon_rmap_ptes(a, folio_page(a, 2),
							5), 0);
	for (i = 2; i < 7; i++)
		ck_assert_int_eq(folio_try_share_anon_rmap_pte(b,
						folio_page(b, i)), 0);
	for (i = 0; i < 8; i++)
		ck_assert_int_eq(PageAnonExclusive(folio_page(a, i)),
				 PageAnonExclusive(folio_page(b, i)));
}
END_TEST

Suite *ptb_suite(void)
{
	Suite *s = suite_create("swap_batch");
	TCase *tc;

	tc = tcase_create("swap_ptes");
	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	tcase_add_test(tc, swap_pte_batch_matches_per_pte_reference);
	tcase_add_loop_test(tc, make_swap_pte_carries_exactly_soft_dirty_uffd_wp_and_exclusive,
			    0, 64);
	tcase_add_loop_test(tc, set_swap_ptes_writes_a_run_swap_pte_batch_detects,
			    0, 10);
	tcase_add_test(tc, set_swap_ptes_replaces_uffd_wp_markers);
	suite_add_tcase(s, tc);

	tc = tcase_create("swap_counts");
	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	tcase_add_test(tc, dup_swap_pages_takes_one_count_per_page_in_range);
	tcase_add_loop_test(tc, dup_swap_pages_rolls_back_on_failure_at_every_position,
			    0, 16);
	tcase_add_test(tc, dup_swap_pages_of_a_freed_slot_changes_nothing_as_6_12_does);
	tcase_add_test(tc, dup_swap_pages_takes_a_run_under_one_cluster_lock);
	tcase_add_loop_test(tc, dup_swap_pages_with_a_continuation_goes_entry_by_entry,
			    0, 16);
	suite_add_tcase(s, tc);

	tc = tcase_create("anon_exclusive");
	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	tcase_add_test(tc, share_anon_rmap_ptes_clears_exactly_the_range);
	tcase_add_test(tc, share_anon_rmap_ptes_of_pinned_folio_shares_none);
	tcase_add_test(tc, share_anon_rmap_ptes_equals_per_page_loop);
	suite_add_tcase(s, tc);
	return s;
}
