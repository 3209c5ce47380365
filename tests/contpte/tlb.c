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

/*
 * mprotect of a CONT folio, 6.12's way: ptep_modify_prot_start() and
 * ptep_modify_prot_commit() per entry unfold the block at the first entry
 * (one range TLBI) and fold it again at the last (a second one).
 */
START_TEST(per_pte_mprotect_of_cont_folio_unfolds_and_refolds)
{
	pte_t *t = cont_table(), old;
	struct ptb_costs d;
	unsigned int i;

	map_young_block();
	for (i = 0; i < BLK; i++) {
		unsigned long addr = slot_addr(UB_SLOT + i);

		old = ptep_modify_prot_start(&ptb_vma, addr, &t[UB_SLOT + i]);
		ptep_modify_prot_commit(&ptb_vma, addr, &t[UB_SLOT + i], old,
					pte_wrprotect(old));
	}
	d = ptb_costs;
	ck_assert_msg(d.contpte_unfolds == CONT_ON &&
		      d.contpte_folds == CONT_ON,
		      "%lu unfolds, %lu folds (want %d of each)",
		      d.contpte_unfolds, d.contpte_folds, CONT_ON);
	ck_assert_msg(d.tlbi_ranges == 2 * CONT_ON && !d.tlbi_pages,
		      "%lu range and %lu page TLBIs (want %d and 0)",
		      d.tlbi_ranges, d.tlbi_pages, 2 * CONT_ON);
	for (i = 0; i < BLK; i++)
		ck_assert_msg(!pte_write(rd(&t[UB_SLOT + i])) &&
			      raw_cont(&t[UB_SLOT + i]) == CONT_ON,
			      "entry %u is %#llx", i, raw(rd(&t[UB_SLOT + i])));
}
END_TEST

/*
 * The same, batched: modify_prot_start_ptes() and modify_prot_commit_ptes()
 * of the whole block keep it folded and invalidate nothing (the caller's
 * mmu_gather flushes later).
 */
START_TEST(batched_mprotect_of_cont_folio_keeps_it_folded)
{
	pte_t *t = cont_table(), old;
	struct ptb_costs d;
	unsigned int i;

	map_young_block();
	old = modify_prot_start_ptes(&ptb_vma, slot_addr(UB_SLOT),
				     &t[UB_SLOT], BLK);
	modify_prot_commit_ptes(&ptb_vma, slot_addr(UB_SLOT), &t[UB_SLOT], old,
				pte_wrprotect(old), BLK);
	d = ptb_costs;
	ck_assert_msg(!d.contpte_unfolds && !d.contpte_folds &&
		      !d.tlbi_ranges && !d.tlbi_pages,
		      "%lu unfolds, %lu folds, %lu range and %lu page TLBIs",
		      d.contpte_unfolds, d.contpte_folds, d.tlbi_ranges,
		      d.tlbi_pages);
	ck_assert_msg(d.pte_clears == BLK && d.pte_writes == BLK,
		      "%lu clears and %lu writes", d.pte_clears, d.pte_writes);
	for (i = 0; i < BLK; i++)
		ck_assert_msg(!pte_write(rd(&t[UB_SLOT + i])) &&
			      raw_cont(&t[UB_SLOT + i]) == CONT_ON &&
			      yng(rd(&t[UB_SLOT + i])) &&
			      drt(rd(&t[UB_SLOT + i])),
			      "entry %u is %#llx", i, raw(rd(&t[UB_SLOT + i])));
}
END_TEST

#ifdef ARM64_WORKAROUND_2645198
/*
 * On a CPU with erratum 2645198 a user-executable run is flushed from the
 * TLB when modify_prot_start_ptes() clears it, before any new entry is
 * written (6.12 did a ptep_clear_flush() per entry): one range TLBI over
 * the whole run. A run that is not executable needs none.
 */
START_TEST(erratum_2645198_flushes_an_executable_run_before_commit)
{
	pte_t *t = cont_table();
	unsigned long start, end, nr, pfn;
	int exec;

	for (exec = 0; exec < 2; exec++) {
		pfn = T_PFN + exec * BLK;
		ptb_folio_create(pfn, 4, 0, 0);
		table_zero(cont_table());
		set_ptes(&ptb_mm, slot_addr(UB_SLOT), &t[UB_SLOT],
			 pte_mkyoung(pfn_pte(pfn, exec ? PAGE_READONLY_EXEC :
							 PAGE_READONLY)),
			 BLK);
		ptb_cpu_erratum_2645198 = true;
		nr = ptb_nr_flushes();
		modify_prot_start_ptes(&ptb_vma, slot_addr(UB_SLOT),
				       &t[UB_SLOT], BLK);
		ptb_cpu_erratum_2645198 = false;
		if (!exec) {
			ck_assert_msg(ptb_nr_flushes() == nr,
				      "a run that is not executable was flushed");
			continue;
		}
		ck_assert_msg(ptb_nr_flushes() == nr + 1 &&
			      ptb_last_flush(nr, &start, &end) &&
			      start <= slot_addr(UB_SLOT) &&
			      end >= slot_addr(UB_SLOT + BLK),
			      "%lu flushes, the last [%#lx, %#lx): the executable run [%#lx, %#lx) was not flushed once",
			      ptb_nr_flushes() - nr, start, end,
			      slot_addr(UB_SLOT), slot_addr(UB_SLOT + BLK));
	}
}
END_TEST
#endif

void add_tlb_tests(TCase *tc)
{
	tcase_add_test(tc, per_pte_unmap_of_cont_folio_costs_one_unfold_and_16_page_tlbis);
	tcase_add_test(tc, batched_unmap_of_cont_folio_costs_16_clears_and_one_range_flush);
	tcase_add_test(tc, ptep_get_of_cont_entry_loads_17_raw_entries);
	tcase_add_test(tc, per_pte_mprotect_of_cont_folio_unfolds_and_refolds);
	tcase_add_test(tc, batched_mprotect_of_cont_folio_keeps_it_folded);
#ifdef ARM64_WORKAROUND_2645198
	tcase_add_test(tc, erratum_2645198_flushes_an_executable_run_before_commit);
#endif
}
