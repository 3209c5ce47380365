// SPDX-License-Identifier: GPL-2.0
/*
 * PTE batch detection: folio_pte_batch() as the series leaves it
 * (lib/mm_internal.h: 6.12's, with FPB_RESPECT_WRITE) against a per-PTE
 * reference written from the rules, table-driven and randomised.
 */
#include "harness.h"

#include "batch_ref.h"

/*
 * Compare the detector with the reference at @ptep; returns the batch.
 * Without FPB_RESPECT_WRITE the reference is 6.12's rule, so this also pins
 * that the series' extension leaves existing callers' batches alone.
 */
static unsigned int check_batch(struct folio *folio, pte_t *ptep,
				unsigned int max_nr, fpb_t flags,
				const char *what)
{
	struct ref_result r = ref_batch(folio, ptep, max_nr, flags);
	pte_t pte = ptb_peek(ptep);
	unsigned int nr;
	bool w, y, d;

	ptb_costs_reset();
	nr = folio_pte_batch(folio, 0, ptep, pte, max_nr, flags, &w, &y, &d);
	ck_assert_msg(ptb_costs.pte_writes + ptb_costs.pte_clears +
		      ptb_costs.pte_cmpxchgs == 0,
		      "%s: the detector wrote to the page table", what);
	ck_assert_msg(nr == r.nr, "%s (flags %#x, max_nr %u): batch %u, reference %u",
		      what, flags, max_nr, nr, r.nr);
	ck_assert_msg(w == r.writable && y == r.young && d == r.dirty,
		      "%s (flags %#x): any_writable/young/dirty %d%d%d, reference %d%d%d",
		      what, flags, w, y, d, r.writable, r.young, r.dirty);
	return nr;
}

#define ADDR	(PTB_VA + 0x10000)

static struct folio *map16(const struct ptb_pte_bits *bits)
{
	struct folio *folio = ptb_folio_create(PTB_BASE_PFN + 64, 4,
					       BIT(PG_anon), ADDR >> PAGE_SHIFT);

	ptb_map_folio(&ptb_vma, folio, 0, ADDR, 16, bits, true);
	return folio;
}

static const struct ptb_pte_bits base = {
	.write = true, .dirty = true, .young = true,
};

START_TEST(uniform_folio_is_one_batch_under_every_flag)
{
	struct folio *folio = map16(&base);
	unsigned int f;

	for (f = 0; f < ARRAY_SIZE(ref_all_flags); f++) {
		ck_assert_uint_eq(check_batch(folio, ptb_slot(ADDR), 16,
					      ref_all_flags[f], "uniform"), 16);
		ck_assert_uint_eq(check_batch(folio, ptb_slot(ADDR), 5,
					      ref_all_flags[f], "max_nr 5"), 5);
		ck_assert_uint_eq(check_batch(folio,
					      ptb_slot(ADDR + 9 * PAGE_SIZE),
					      512, ref_all_flags[f],
					      "from page 9"), 7);
	}
}
END_TEST

/* One entry (page 6) differs in one attribute: which flags bridge it. */
static const struct {
	const char *name;
	struct ptb_pte_bits bits;
	fpb_t bridged_by;	/* flags that must all be set to bridge */
	bool never;		/* never bridged */
} flip_table[] = {
	{ "old",	{ .write = true, .dirty = true }, 0, false },
	{ "clean",	{ .write = true, .young = true }, FPB_IGNORE_DIRTY, false },
	{ "soft-dirty",	{ .write = true, .dirty = true, .young = true,
			  .soft_dirty = true }, FPB_IGNORE_SOFT_DIRTY, false },
	{ "read-only",	{ .young = true }, FPB_IGNORE_DIRTY, false },
	{ "uffd-wp",	{ .dirty = true, .young = true, .uffd_wp = true },
			0, true },
	{ "exec",	{ .write = true, .dirty = true, .young = true,
			  .exec = true }, 0, true },
	{ "special",	{ .write = true, .dirty = true, .young = true,
			  .special = true }, 0, true },
	{ "protnone",	{ .young = true, .protnone = true }, 0, true },
};

START_TEST(single_flip_splits_only_when_the_flags_say_so)
{
	const char *name = flip_table[_i].name;
	struct folio *folio = map16(&base);
	pte_t *ptep = ptb_slot(ADDR + 6 * PAGE_SIZE);
	unsigned int f;

	ptb_cost_pause();
	ptep_get_and_clear(&ptb_mm, ADDR + 6 * PAGE_SIZE, ptep);
	set_pte_at(&ptb_mm, ADDR + 6 * PAGE_SIZE, ptep,
		   ptb_mk_pte(folio_pfn(folio) + 6, &flip_table[_i].bits));
	ptb_cost_resume();
	for (f = 0; f < ARRAY_SIZE(ref_all_flags); f++) {
		fpb_t flags = ref_all_flags[f];
		fpb_t need = flip_table[_i].bridged_by;
		bool bridged;
		unsigned int nr;

		/* read-only also differs in write: RESPECT_WRITE splits */
		bridged = !flip_table[_i].never && (flags & need) == need &&
			  !(!strcmp(name, "read-only") &&
			    (flags & FPB_RESPECT_WRITE));
		/* arm64 has no soft-dirty: nothing to split on */
		if (!strcmp(name, "soft-dirty") &&
		    !pte_soft_dirty(pte_mksoft_dirty(__pte(0))))
			bridged = true;
		nr = check_batch(folio, ptb_slot(ADDR), 16, flags, name);
		ck_assert_msg(nr == (bridged ? 16U : 6U),
			      "%s, flags %#x: batch %u", name, flags, nr);
	}
}
END_TEST

START_TEST(batch_never_runs_past_the_folio)
{
	struct folio *a, *b;
	unsigned int f;

	/* two 32K folios back to back in PFN and VA, identical bits */
	a = ptb_folio_create(PTB_BASE_PFN + 64, 3, BIT(PG_anon),
			     ADDR >> PAGE_SHIFT);
	b = ptb_folio_create(PTB_BASE_PFN + 72, 3, BIT(PG_anon),
			     (ADDR >> PAGE_SHIFT) + 8);
	ptb_map_folio(&ptb_vma, a, 0, ADDR, 8, &base, true);
	ptb_map_folio(&ptb_vma, b, 0, ADDR + 8 * PAGE_SIZE, 8, &base, true);
	for (f = 0; f < ARRAY_SIZE(ref_all_flags); f++) {
		ck_assert_uint_eq(check_batch(a, ptb_slot(ADDR), 512,
					      ref_all_flags[f], "folio a"), 8);
		ck_assert_uint_eq(check_batch(a, ptb_slot(ADDR + 7 * PAGE_SIZE),
					      512, ref_all_flags[f], "last page"),
				  1);
	}
}
END_TEST

START_TEST(pfn_gap_or_hole_ends_the_batch)
{
	struct folio *folio = ptb_folio_create(PTB_BASE_PFN + 64, 4,
					       BIT(PG_anon),
					       ADDR >> PAGE_SHIFT);

	/* pages 0-4 at ADDR, then a hole, then page 6 at its place */
	ptb_map_folio(&ptb_vma, folio, 0, ADDR, 5, &base, true);
	ptb_map_folio(&ptb_vma, folio, 6, ADDR + 6 * PAGE_SIZE, 10, &base,
		      true);
	ck_assert_uint_eq(check_batch(folio, ptb_slot(ADDR), 16, 0, "hole"),
			  5);
	/* page 7 mapped where page 8 would be: a PFN gap */
	ptb_cost_pause();
	clear_full_ptes(&ptb_mm, ADDR + 8 * PAGE_SIZE,
			ptb_slot(ADDR + 8 * PAGE_SIZE), 1, 0);
	set_pte_at(&ptb_mm, ADDR + 8 * PAGE_SIZE,
		   ptb_slot(ADDR + 8 * PAGE_SIZE),
		   ptb_mk_pte(folio_pfn(folio) + 7, &base));
	ptb_cost_resume();
	ck_assert_uint_eq(check_batch(folio, ptb_slot(ADDR + 6 * PAGE_SIZE),
				      16, 0, "gap"), 2);
}
END_TEST

START_TEST(x86_protnone_batch_advances_the_inverted_pfn)
{
	const struct ptb_pte_bits none = { .protnone = true, .young = true };
	struct folio *folio = map16(&none);
	unsigned int f;

	ck_assert(pte_protnone(ptb_peek(ptb_slot(ADDR))));
	for (f = 0; f < ARRAY_SIZE(ref_all_flags); f++)
		ck_assert_uint_eq(check_batch(folio, ptb_slot(ADDR), 16,
					      ref_all_flags[f], "protnone"), 16);
}
END_TEST

/* Random tables: folios of 16K-2M, partial, with flips and hardware A/D. */
START_TEST(random_tables_match_the_reference)
{
	unsigned long iters = ptb_iterations(300), it;
	u64 seed = ptb_seed() ^ 0xba7c4ULL;
	struct ptb_rng rng;

	ptb_rng_init(&rng, seed);
	for (it = 0; it < iters; it++) {
		unsigned int order = 2 + ptb_rng_below(&rng, 8), f;
		unsigned long nr = 1UL << order, i;
		unsigned long start = ptb_rng_below(&rng, PTRS_PER_PTE - 1);
		unsigned long addr = PTB_VA + PMD_SIZE * 2 +
				     start * PAGE_SIZE;
		struct folio *folio;
		char what[64];

		ptb_teardown();
		ptb_setup();
		folio = ptb_folio_create(PTB_BASE_PFN + 1024, order,
					 BIT(PG_anon), addr >> PAGE_SHIFT);
		for (i = 0; i < nr && start + i < PTRS_PER_PTE; i++) {
			struct ptb_pte_bits b = base;

			if (ptb_rng_chance(&rng, 5))
				continue;	/* hole */
			b.young = ptb_rng_chance(&rng, 60);
			b.dirty = ptb_rng_chance(&rng, 40);
			b.write = !ptb_rng_chance(&rng, 5);
			b.soft_dirty = ptb_rng_chance(&rng, 5);
			b.uffd_wp = ptb_rng_chance(&rng, 2);
			ptb_map_folio(&ptb_vma, folio, i, addr + i * PAGE_SIZE,
				      1, &b, true);
			if (ptb_rng_chance(&rng, 20))
				ptb_hw_access(ptb_slot(addr + i * PAGE_SIZE),
					      ptb_rng_chance(&rng, 50));
		}
		for (i = 0; i < 8; i++) {
			unsigned long p = ptb_rng_below(&rng,
					min(nr, PTRS_PER_PTE - start));
			pte_t *ptep = ptb_slot(addr + p * PAGE_SIZE);
			unsigned int max_nr = 1 + ptb_rng_below(&rng,
						PTRS_PER_PTE - start - p);

			if (!pte_present(ptb_peek(ptep)))
				continue;
			snprintf(what, sizeof(what), "seed %#llx iter %lu page %lu",
				 (unsigned long long)seed, it, p);
			for (f = 0; f < ARRAY_SIZE(ref_all_flags); f++)
				check_batch(folio, ptep, max_nr, ref_all_flags[f],
					    what);
		}
		ptb_folio_free(folio);
	}
}
END_TEST

Suite *ptb_suite(void)
{
	Suite *s = suite_create("pte_batch");
	TCase *tc = tcase_create("detection");

	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, uniform_folio_is_one_batch_under_every_flag);
	tcase_add_loop_test(tc, single_flip_splits_only_when_the_flags_say_so,
			    0, ARRAY_SIZE(flip_table));
	tcase_add_test(tc, batch_never_runs_past_the_folio);
	tcase_add_test(tc, pfn_gap_or_hole_ends_the_batch);
	tcase_add_test(tc, x86_protnone_batch_advances_the_inverted_pfn);
	tcase_add_test(tc, random_tables_match_the_reference);
	suite_add_tcase(s, tc);
	return s;
}
