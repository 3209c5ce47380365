// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input is caught, not silently applied: every precondition of the
 * helpers (nr >= 1, within one page table, present PTEs of the right folio,
 * swap PTEs of real swap devices, none targets, pages of the folio,
 * exclusive pages to share) is checked by VM_WARN_ON() in a CONFIG_DEBUG_VM
 * build, which the userspace model turns into an abort naming the check.
 * A batch that runs off its page table hits a guard page and faults.
 *
 * Built without CONFIG_DEBUG_VM (configure --disable-debug-vm), the checks
 * compile away as in the kernel, and this suite only verifies that.
 */
#include <signal.h>

#include "harness.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "unmap_batch.c"
#pragma GCC diagnostic pop

#ifdef CONFIG_DEBUG_VM

#define LAST	(PTB_VA + PMD_SIZE - PAGE_SIZE)	/* last slot of table 0 */
#define ADDR	(PTB_VA + 0x10000)

static const struct ptb_pte_bits rw = { .write = true, .young = true };

static struct folio *mapped_anon(unsigned int order, unsigned long addr)
{
	struct folio *folio = ptb_folio_create(PTB_BASE_PFN + 64, order,
					       BIT(PG_anon) | BIT(PG_locked),
					       addr >> PAGE_SHIFT);

	ptb_folio_add_to_swap_cache(folio, 0);
	ptb_map_folio(&ptb_vma, folio, 0, addr, 1U << order, &rw, true);
	return folio;
}

/* Batch primitives */

START_TEST(get_and_clear_ptes_past_page_table_faults)
{
	get_and_clear_ptes(&ptb_mm, LAST, ptb_slot(LAST), 2);
}
END_TEST

START_TEST(set_ptes_rejects_present_targets)
{
	struct folio *folio = mapped_anon(4, ADDR);

	set_ptes(&ptb_mm, ADDR, ptb_slot(ADDR),
		 ptb_mk_pte(folio_pfn(folio), &rw), 4);
}
END_TEST

/* Swap PTE runs */

START_TEST(set_swap_ptes_rejects_nr_zero)
{
	set_swap_ptes(&ptb_mm, ADDR, ptb_slot(ADDR),
		      swp_entry_to_pte(swp_entry(0, 8)), 0);
}
END_TEST

START_TEST(set_swap_ptes_rejects_range_past_page_table)
{
	set_swap_ptes(&ptb_mm, LAST, ptb_slot(LAST),
		      swp_entry_to_pte(swp_entry(0, 8)), 2);
}
END_TEST

START_TEST(set_swap_ptes_rejects_a_present_pte)
{
	set_swap_ptes(&ptb_mm, ADDR, ptb_slot(ADDR),
		      ptb_mk_pte(PTB_BASE_PFN, &rw), 2);
}
END_TEST

START_TEST(set_swap_ptes_rejects_a_non_swap_entry)
{
	set_swap_ptes(&ptb_mm, ADDR, ptb_slot(ADDR),
		      make_pte_marker(PTE_MARKER_UFFD_WP), 2);
}
END_TEST

START_TEST(set_swap_ptes_rejects_a_mapped_target)
{
	mapped_anon(4, ADDR);
	set_swap_ptes(&ptb_mm, ADDR, ptb_slot(ADDR),
		      swp_entry_to_pte(swp_entry(0, 8)), 2);
}
END_TEST

/* Batch detection */

START_TEST(folio_pte_batch_rejects_a_non_present_pte)
{
	struct folio *folio = mapped_anon(4, ADDR);

	folio_pte_batch(folio, 0, ptb_slot(ADDR), __pte(0), 16, 0,
			      NULL, NULL, NULL);
}
END_TEST

START_TEST(folio_pte_batch_rejects_max_nr_zero)
{
	struct folio *folio = mapped_anon(4, ADDR);

	folio_pte_batch(folio, 0, ptb_slot(ADDR), ptb_peek(ptb_slot(ADDR)),
			      0, 0, NULL, NULL, NULL);
}
END_TEST

START_TEST(folio_pte_batch_rejects_a_small_folio)
{
	struct folio *folio = mapped_anon(0, ADDR);

	folio_pte_batch(folio, 0, ptb_slot(ADDR), ptb_peek(ptb_slot(ADDR)),
			      1, 0, NULL, NULL, NULL);
}
END_TEST

START_TEST(folio_pte_batch_rejects_a_pte_of_another_folio)
{
	struct folio *folio = mapped_anon(4, ADDR);
	struct folio *other = ptb_folio_create(PTB_BASE_PFN + 128, 4,
					       BIT(PG_anon), 0);

	folio_pte_batch(other, 0, ptb_slot(ADDR), ptb_peek(ptb_slot(ADDR)),
			      16, 0, NULL, NULL, NULL);
	(void)folio;
}
END_TEST

/* A caller that does not cap max_nr at the page table end runs into the guard. */
START_TEST(batch_scan_past_page_table_end_faults)
{
	unsigned long addr = LAST - 7 * PAGE_SIZE;
	struct folio *folio = ptb_folio_create(PTB_BASE_PFN + 64, 4,
					       BIT(PG_anon),
					       addr >> PAGE_SHIFT);

	ptb_map_folio(&ptb_vma, folio, 0, addr, 8, &rw, true);
	folio_pte_batch(folio, 0, ptb_slot(addr), ptb_peek(ptb_slot(addr)),
			      16, 0, NULL, NULL, NULL);
}
END_TEST

/* Swap counts and sharing */

START_TEST(dup_swap_pages_rejects_a_folio_outside_the_swap_cache)
{
	struct folio *folio = ptb_folio_create(PTB_BASE_PFN + 64, 4,
					       BIT(PG_anon), 0);

	folio_dup_swap_pages(folio, folio_page(folio, 0), 4);
}
END_TEST

START_TEST(dup_swap_pages_rejects_pages_past_the_folio)
{
	struct folio *folio = mapped_anon(4, ADDR);

	folio_dup_swap_pages(folio, folio_page(folio, 10), 7);
}
END_TEST

START_TEST(dup_swap_pages_rejects_nr_zero)
{
	struct folio *folio = mapped_anon(4, ADDR);

	folio_dup_swap_pages(folio, folio_page(folio, 0), 0);
}
END_TEST

START_TEST(put_swap_pages_rejects_pages_past_the_folio)
{
	struct folio *folio = mapped_anon(4, ADDR);

	folio_put_swap_pages(folio, folio_page(folio, 15), 2);
}
END_TEST

START_TEST(share_anon_rmap_ptes_rejects_a_shared_page)
{
	struct folio *folio = mapped_anon(4, ADDR);

	ClearPageAnonExclusive(folio_page(folio, 0));
	folio_try_share_anon_rmap_ptes(folio, folio_page(folio, 0), 16);
}
END_TEST

START_TEST(share_anon_rmap_ptes_rejects_pages_past_the_folio)
{
	struct folio *folio = mapped_anon(4, ADDR);

	folio_try_share_anon_rmap_ptes(folio, folio_page(folio, 12), 8);
}
END_TEST

START_TEST(share_anon_rmap_ptes_rejects_a_file_folio)
{
	struct folio *folio = ptb_folio_create(PTB_BASE_PFN + 64, 4, 0, 0);

	folio_try_share_anon_rmap_ptes(folio, folio_page(folio, 0), 4);
}
END_TEST

/* The 6.12 helpers keep their own checks. */
START_TEST(swap_pte_batch_rejects_a_non_swap_pte)
{
	swap_pte_batch(ptb_slot(ADDR), 4, make_pte_marker(PTE_MARKER_UFFD_WP));
}
END_TEST

START_TEST(folio_unmap_pte_batch_rejects_a_non_present_pte)
{
	struct folio *folio = mapped_anon(4, ADDR);
	struct page_vma_mapped_walk pvmw = {
		.vma = &ptb_vma, .address = ADDR, .pte = ptb_slot(ADDR),
	};

	folio_unmap_pte_batch(folio, &pvmw, 0, swp_entry_to_pte(
				      swp_entry(0, 9)));
}
END_TEST

/* ...and good input passes the same checks. */
START_TEST(valid_input_passes_every_check)
{
	struct folio *folio = mapped_anon(4, ADDR);
	pte_t pte;

	ck_assert_uint_eq(folio_pte_batch(folio, 0, ptb_slot(ADDR),
			ptb_peek(ptb_slot(ADDR)), 16, FPB_RESPECT_WRITE, NULL,
			NULL, NULL), 16);
	ck_assert_int_eq(folio_dup_swap_pages(folio, folio_page(folio, 0),
					      16), 0);
	ck_assert_int_eq(folio_try_share_anon_rmap_ptes(folio,
					folio_page(folio, 0), 16), 0);
	pte = get_and_clear_ptes(&ptb_mm, ADDR, ptb_slot(ADDR), 16);
	ck_assert(pte_present(pte));
	set_swap_ptes(&ptb_mm, ADDR, ptb_slot(ADDR),
		      swp_entry_to_pte(folio->swap), 16);
	ck_assert_int_eq(swap_pte_batch(ptb_slot(ADDR), 16,
					ptb_peek(ptb_slot(ADDR))), 16);
}
END_TEST

Suite *ptb_suite(void)
{
	Suite *s = suite_create("contracts");
	TCase *tc;

#define EXPECT_ABORT(t)	tcase_add_test_raise_signal(tc, t, SIGABRT)
	tc = tcase_create("batch_primitives");
	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	tcase_add_test_raise_signal(tc, get_and_clear_ptes_past_page_table_faults,
				    SIGSEGV);
	EXPECT_ABORT(set_ptes_rejects_present_targets);
	EXPECT_ABORT(set_swap_ptes_rejects_nr_zero);
	EXPECT_ABORT(set_swap_ptes_rejects_range_past_page_table);
	EXPECT_ABORT(set_swap_ptes_rejects_a_present_pte);
	EXPECT_ABORT(set_swap_ptes_rejects_a_non_swap_entry);
	EXPECT_ABORT(set_swap_ptes_rejects_a_mapped_target);
	suite_add_tcase(s, tc);

	tc = tcase_create("batch_detection");
	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	EXPECT_ABORT(folio_pte_batch_rejects_a_non_present_pte);
	EXPECT_ABORT(folio_pte_batch_rejects_max_nr_zero);
	EXPECT_ABORT(folio_pte_batch_rejects_a_small_folio);
	EXPECT_ABORT(folio_pte_batch_rejects_a_pte_of_another_folio);
	EXPECT_ABORT(folio_unmap_pte_batch_rejects_a_non_present_pte);
	EXPECT_ABORT(swap_pte_batch_rejects_a_non_swap_pte);
	tcase_add_test_raise_signal(tc, batch_scan_past_page_table_end_faults,
				    SIGSEGV);
	suite_add_tcase(s, tc);

	tc = tcase_create("swap_and_sharing");
	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	EXPECT_ABORT(dup_swap_pages_rejects_a_folio_outside_the_swap_cache);
	EXPECT_ABORT(dup_swap_pages_rejects_pages_past_the_folio);
	EXPECT_ABORT(dup_swap_pages_rejects_nr_zero);
	EXPECT_ABORT(put_swap_pages_rejects_pages_past_the_folio);
	EXPECT_ABORT(share_anon_rmap_ptes_rejects_a_shared_page);
	EXPECT_ABORT(share_anon_rmap_ptes_rejects_pages_past_the_folio);
	EXPECT_ABORT(share_anon_rmap_ptes_rejects_a_file_folio);
	tcase_add_test(tc, valid_input_passes_every_check);
	suite_add_tcase(s, tc);
#undef EXPECT_ABORT
	return s;
}

#else /* !CONFIG_DEBUG_VM */

START_TEST(checks_compile_away_without_debug_vm)
{
	int evaluated = 0;

	VM_WARN_ON(evaluated++);
	VM_WARN_ON_ONCE(evaluated++);
	ck_assert_int_eq(evaluated, 0);
}
END_TEST

Suite *ptb_suite(void)
{
	Suite *s = suite_create("contracts");
	TCase *tc = tcase_create("no_debug_vm");

	tcase_add_test(tc, checks_compile_away_without_debug_vm);
	suite_add_tcase(s, tc);
	return s;
}

#endif /* CONFIG_DEBUG_VM */
