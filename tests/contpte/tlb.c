// SPDX-License-Identifier: GPL-2.0
/*
 * Section 6 of the contpte suite (see contpte.h): the TLB invalidations
 * and raw entry accesses of unmapping and reading a CONT block.
 */
#include "contpte.h"

/* ------------------------------------------------------------------------
 * 6: TLB accounting
 * ------------------------------------------------------------------------
 */

static void map_young_block(void)
{
	struct ptb_pte_bits b = { .write = true, .young = true, .dirty = true };

	ptb_folio_create(T_PFN, 4, 0, 0);
	table_zero(cont_table());
	map_run(&ptb_mm, UB_SLOT, T_PFN, BLK, &b);
	ptb_costs_reset();
}

START_TEST(per_pte_unmap_of_cont_folio_costs_one_unfold_and_16_page_tlbis)
{
	pte_t *t = cont_table(), pte;
	struct ptb_costs d;
	unsigned int i;

	map_young_block();
	for (i = 0; i < BLK; i++) {
		pte = ptep_clear_flush(&ptb_vma, slot_addr(UB_SLOT + i),
				       &t[UB_SLOT + i]);
		ck_assert_msg(pte_present(pte) && pte_pfn(pte) == T_PFN + i &&
			      yng(pte) && drt(pte),
			      "ptep_clear_flush of entry %u returned %#llx", i,
			      raw(pte));
		ck_assert_msg(pte_none(rd(&t[UB_SLOT + i])),
			      "entry %u left %#llx", i, raw(rd(&t[UB_SLOT + i])));
	}
	d = ptb_costs;
	ck_assert_msg(d.contpte_unfolds == CONT_ON && !d.contpte_folds,
		      "%lu unfolds, %lu folds", d.contpte_unfolds,
		      d.contpte_folds);
	ck_assert_msg(d.tlbi_ranges == CONT_ON &&
		      d.tlbi_range_pages == (CONT_ON ? BLK : 0) &&
		      d.tlbi_pages == BLK,
		      "%lu range flushes of %lu pages and %lu page TLBIs (want %d of %d and 16)",
		      d.tlbi_ranges, d.tlbi_range_pages, d.tlbi_pages, CONT_ON,
		      CONT_ON ? BLK : 0);
	ck_assert_msg(d.pte_clears == (CONT_ON ? 2 * BLK : BLK) &&
		      d.pte_writes == (CONT_ON ? BLK : 0),
		      "%lu clears and %lu writes", d.pte_clears, d.pte_writes);
	ck_assert_msg(!d.pte_reads && d.raw_pte_reads == (CONT_ON ? BLK : 0),
		      "%lu ptep_get()s, %lu raw reads", d.pte_reads,
		      d.raw_pte_reads);
}
END_TEST

START_TEST(batched_unmap_of_cont_folio_costs_16_clears_and_one_range_flush)
{
	pte_t *t = cont_table(), pte;
	struct ptb_costs d;
	unsigned int i;

	map_young_block();
	pte = get_and_clear_ptes(&ptb_mm, slot_addr(UB_SLOT), &t[UB_SLOT], BLK);
	d = ptb_costs;
	ck_assert_msg(!d.contpte_unfolds && !d.contpte_folds &&
		      !d.tlbi_pages && !d.tlbi_ranges,
		      "inside get_and_clear_ptes: %lu unfolds, %lu folds, %lu page and %lu range flushes",
		      d.contpte_unfolds, d.contpte_folds, d.tlbi_pages,
		      d.tlbi_ranges);
	ck_assert_msg(d.pte_clears == BLK && !d.pte_writes && !d.raw_pte_reads,
		      "%lu clears, %lu writes, %lu raw reads", d.pte_clears,
		      d.pte_writes, d.raw_pte_reads);
	ck_assert_msg(pte_present(pte) && pte_pfn(pte) == T_PFN && yng(pte) &&
		      drt(pte), "get_and_clear_ptes returned %#llx", raw(pte));
	for (i = 0; i < BLK; i++)
		ck_assert_msg(pte_none(rd(&t[UB_SLOT + i])), "entry %u left %#llx",
			      i, raw(rd(&t[UB_SLOT + i])));

	flush_tlb_range(&ptb_vma, slot_addr(UB_SLOT), slot_addr(UB_SLOT + BLK));
	d = ptb_costs;
	ck_assert_msg(d.tlbi_ranges == 1 && d.tlbi_range_pages == BLK &&
		      !d.tlbi_pages && !d.contpte_unfolds,
		      "with the caller's flush: %lu range flushes of %lu pages, %lu page TLBIs, %lu unfolds",
		      d.tlbi_ranges, d.tlbi_range_pages, d.tlbi_pages,
		      d.contpte_unfolds);
}
END_TEST

START_TEST(ptep_get_of_cont_entry_loads_17_raw_entries)
{
	pte_t *t = cont_table();
	struct ptb_costs d;
	unsigned int i;

	map_young_block();
	for (i = 0; i < BLK; i++) {
		ptb_costs_reset();
		ptep_get(&t[UB_SLOT + i]);
		d = ptb_costs;
		ck_assert_msg(d.pte_reads == 1 &&
			      d.raw_pte_reads == (CONT_ON ? 1 + BLK : 1),
			      "ptep_get of entry %u: %lu reads, %lu raw reads",
			      i, d.pte_reads, d.raw_pte_reads);
		/* the wrapper's load, then contpte_ptep_get_lockless()'s 17 */
		ptb_costs_reset();
		ptep_get_lockless(&t[UB_SLOT + i]);
		d = ptb_costs;
		ck_assert_msg(d.pte_reads == 1 &&
			      d.raw_pte_reads == (CONT_ON ? 2 + BLK : 1),
			      "ptep_get_lockless of entry %u: %lu reads, %lu raw reads",
			      i, d.pte_reads, d.raw_pte_reads);
	}
	/* a non-CONT entry: one load */
	ptb_costs_reset();
	ptep_get(&t[UB_SLOT + BLK]);
	ck_assert_msg(ptb_costs.pte_reads == 1 && ptb_costs.raw_pte_reads == 1,
		      "ptep_get of a none entry: %lu reads, %lu raw reads",
		      ptb_costs.pte_reads, ptb_costs.raw_pte_reads);
}
END_TEST

void add_tlb_tests(TCase *tc)
{
	tcase_add_test(tc, per_pte_unmap_of_cont_folio_costs_one_unfold_and_16_page_tlbis);
	tcase_add_test(tc, batched_unmap_of_cont_folio_costs_16_clears_and_one_range_flush);
	tcase_add_test(tc, ptep_get_of_cont_entry_loads_17_raw_entries);
}
