// SPDX-License-Identifier: GPL-2.0
/*
 * The batched unmap logic of try_to_unmap_one(), case by case: batch sizing,
 * the lazyfree decision, swap-out in anon-exclusive sub-batches, and the
 * restore-all rule under failure injection at every sub-batch.
 *
 * The rmap fragments are included here as mm/rmap.c includes them, so their
 * static helpers can be called directly; whole unmaps go through
 * ttu_batched(), the model of the patched try_to_unmap_one().
 */
#include <signal.h>

#include "harness.h"
#include "batch_ref.h"
#include "model/ttu.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "unmap_batch.c"
#include "unmap_anon.c"
#pragma GCC diagnostic pop

#define VA_64K(n)	(PTB_VA + (n) * 0x10000UL)

static struct folio *new_folio(unsigned long pfn_off, unsigned int order,
			       unsigned long addr, unsigned long flags)
{
	return ptb_folio_create(PTB_BASE_PFN + pfn_off, order,
				flags | BIT(PG_locked),
				addr >> PAGE_SHIFT);
}

static struct folio *new_anon(unsigned long pfn_off, unsigned int order,
			      unsigned long addr)
{
	struct folio *folio = new_folio(pfn_off, order, addr, BIT(PG_anon));

	ptb_folio_add_to_swap_cache(folio, 0);
	return folio;
}

static struct folio *new_lazyfree(unsigned long pfn_off, unsigned int order,
				  unsigned long addr)
{
	return new_folio(pfn_off, order, addr, BIT(PG_anon));
}

static bool unmap(struct folio *folio, enum ttu_flags flags)
{
	return ptb_try_to_unmap(folio, &ptb_vma, 1, flags, ttu_batched);
}

static const struct ptb_pte_bits rw_dirty = {
	.write = true, .dirty = true, .young = true,
};
static const struct ptb_pte_bits ro_clean = { .young = true };

/* ---------------- batch sizing: folio_unmap_pte_batch() ---------------- */

static unsigned int batch_at(struct folio *folio, unsigned long addr,
			     enum ttu_flags flags)
{
	struct page_vma_mapped_walk pvmw = {
		.vma = &ptb_vma,
		.address = addr,
		.pte = ptb_slot(addr),
	};

	return folio_unmap_pte_batch(folio, &pvmw, flags, ptb_peek(pvmw.pte));
}

START_TEST(batch_covers_whole_uniform_folio)
{
	struct folio *folio = new_anon(0, 4, VA_64K(1));

	ptb_map_folio(&ptb_vma, folio, 0, VA_64K(1), 16, &rw_dirty, true);
	ck_assert_uint_eq(batch_at(folio, VA_64K(1), 0), 16);
	ck_assert_uint_eq(batch_at(folio, VA_64K(1) + 5 * PAGE_SIZE, 0), 11);
}
END_TEST

START_TEST(batch_is_one_for_small_hwpoison_and_unused)
{
	struct folio *small = new_anon(0, 0, VA_64K(0));
	struct folio *folio = new_anon(16, 4, VA_64K(1));
	pte_t *ptep;

	ptb_map_folio(&ptb_vma, small, 0, VA_64K(0), 1, &rw_dirty, true);
	ptb_map_folio(&ptb_vma, folio, 0, VA_64K(1), 16, &rw_dirty, true);
	ck_assert_uint_eq(batch_at(small, VA_64K(0), 0), 1);
	ck_assert_uint_eq(batch_at(folio, VA_64K(1), TTU_HWPOISON), 1);

	ptep = ptb_slot(VA_64K(1));
	ptb_pte_unused_mask = PTB_PTE_UNUSED_BIT;
	ptb_set_logical(ptep, __pte(pte_val(ptb_peek(ptep)) |
				    PTB_PTE_UNUSED_BIT));
	ck_assert_uint_eq(batch_at(folio, VA_64K(1), 0), 1);
}
END_TEST

static const void *const file_vm_ops = &file_vm_ops;

/*
 * loop: anonymous and file. uffd-wp VMAs batch too; a batch agrees on
 * uffd-wp.
 */
START_TEST(uffd_wp_vma_batches_and_stops_where_uffd_wp_changes)
{
	const struct ptb_pte_bits wp = { .young = true, .uffd_wp = true };
	bool file = _i;
	struct folio *folio = file ? new_folio(16, 4, VA_64K(1), 0) :
				     new_anon(16, 4, VA_64K(1));

	ptb_vma.vm_ops = file ? file_vm_ops : NULL;
	ptb_vma.vm_flags |= VM_UFFD_WP;
	ptb_map_folio(&ptb_vma, folio, 0, VA_64K(1), 6, &wp, false);
	ptb_map_folio(&ptb_vma, folio, 6, VA_64K(1) + 6 * PAGE_SIZE, 10,
		      &ro_clean, false);
	ck_assert_uint_eq(batch_at(folio, VA_64K(1), 0), 6);
	ck_assert_uint_eq(batch_at(folio, VA_64K(1) + 6 * PAGE_SIZE, 0), 10);
}
END_TEST

START_TEST(batch_stops_at_page_table_end)
{
	/* a 64K folio mapped from the last 8 slots of one table into the next */
	unsigned long addr = PTB_VA + PMD_SIZE - 8 * PAGE_SIZE;
	struct folio *folio = new_anon(0, 4, addr);

	ptb_map_folio(&ptb_vma, folio, 0, addr, 8, &rw_dirty, true);
	ptb_map_folio(&ptb_vma, folio, 8, addr + 8 * PAGE_SIZE, 8, &rw_dirty,
		      true);
	ck_assert_uint_eq(batch_at(folio, addr, 0), 8);
	ck_assert_uint_eq(batch_at(folio, addr + 8 * PAGE_SIZE, 0), 8);
	ck_assert_uint_eq(batch_at(folio, addr + 7 * PAGE_SIZE, 0), 1);
}
END_TEST

START_TEST(batch_stops_at_vma_end)
{
	struct folio *folio = new_anon(0, 4, VA_64K(1));

	ptb_map_folio(&ptb_vma, folio, 0, VA_64K(1), 16, &rw_dirty, true);
	ptb_vma.vm_end = VA_64K(1) + 5 * PAGE_SIZE;
	ck_assert_uint_eq(batch_at(folio, VA_64K(1), 0), 5);
}
END_TEST

START_TEST(batch_stops_at_folio_end_even_if_next_folio_is_contiguous)
{
	struct folio *a = new_anon(0, 3, VA_64K(1));
	struct folio *b = new_anon(8, 3, VA_64K(1) + 8 * PAGE_SIZE);

	ptb_map_folio(&ptb_vma, a, 0, VA_64K(1), 8, &rw_dirty, true);
	ptb_map_folio(&ptb_vma, b, 0, VA_64K(1) + 8 * PAGE_SIZE, 8, &rw_dirty,
		      true);
	ck_assert_uint_eq(batch_at(a, VA_64K(1), 0), 8);
	ck_assert_uint_eq(batch_at(a, VA_64K(1) + 3 * PAGE_SIZE, 0), 5);
}
END_TEST

/* Which single-entry change splits a batch: write and soft-dirty do. */
static const struct {
	const char *name;
	struct ptb_pte_bits bits;
	bool splits;
} batch_flip_table[] = {
	{ "young",	{ .write = true, .dirty = true, .young = false }, false },
	{ "dirty",	{ .write = true, .dirty = false, .young = true }, false },
	{ "write",	{ .write = false, .dirty = true, .young = true }, true },
	{ "soft-dirty",	{ .write = true, .dirty = true, .young = true,
			  .soft_dirty = true }, true },
	{ "uffd-wp",	{ .dirty = true, .young = true, .uffd_wp = true },
			true },
	{ "exec",	{ .write = true, .dirty = true, .young = true,
			  .exec = true }, true },
	{ "protnone",	{ .protnone = true, .young = true }, true },
};

START_TEST(batch_respects_write_and_soft_dirty_but_not_ad)
{
	struct folio *folio = new_anon(0, 4, VA_64K(1));
	const char *name = batch_flip_table[_i].name;
	bool splits = batch_flip_table[_i].splits;
	unsigned int expect;

	/* arm64 has no soft-dirty: the flip is invisible there */
	if (!strcmp(name, "soft-dirty") &&
	    !pte_soft_dirty(pte_mksoft_dirty(__pte(0))))
		splits = false;
	expect = splits ? 6 : 16;
	ptb_map_folio(&ptb_vma, folio, 0, VA_64K(1), 6, &rw_dirty, true);
	ptb_map_folio(&ptb_vma, folio, 6, VA_64K(1) + 6 * PAGE_SIZE, 1,
		      &batch_flip_table[_i].bits, true);
	ptb_map_folio(&ptb_vma, folio, 7, VA_64K(1) + 7 * PAGE_SIZE, 9,
		      &rw_dirty, true);
	ck_assert_msg(batch_at(folio, VA_64K(1), 0) == expect,
		      "flip %s: batch %u, expected %u", name,
		      batch_at(folio, VA_64K(1), 0), expect);
}
END_TEST

/* ----------------------------- lazyfree ------------------------------ */

static void assert_all_none(unsigned long addr, unsigned long nr)
{
	unsigned long i;

	for (i = 0; i < nr; i++)
		ck_assert_msg(pte_none(ptb_peek(ptb_slot(addr + i * PAGE_SIZE))),
			      "slot %lu not none", i);
}

START_TEST(lazyfree_clean_folio_is_discarded_in_one_batch)
{
	struct folio *folio = new_lazyfree(0, 4, VA_64K(1));
	const struct ptb_pte_bits clean = { .write = true, .young = true };

	ptb_map_folio(&ptb_vma, folio, 0, VA_64K(1), 16, &clean, true);
	ptb_costs_reset();
	ck_assert(unmap(folio, 0));
	assert_all_none(VA_64K(1), 16);
	ck_assert_int_eq(folio_mapcount(folio), 0);
	ck_assert_int_eq(folio_ref_count(folio), 1);
	ck_assert_int_eq(get_mm_counter(&ptb_mm, MM_ANONPAGES), 0);
	ck_assert(!folio_test_swapbacked(folio));
	ck_assert_uint_eq(ptb_costs.tlbi_ranges, 1);
	ck_assert_uint_eq(ptb_costs.pte_clears, 16);
}
END_TEST

static void map_cow_half_ro(struct folio *folio, unsigned long addr)
{
	/*
	 * After fork and MADV_FREE: the first half still writable and
	 * exclusive (and redirtied), the second half read-only and shared.
	 */
	ptb_map_folio(&ptb_vma, folio, 0, addr, 8, &rw_dirty, true);
	ptb_map_folio(&ptb_vma, folio, 8, addr + 8 * PAGE_SIZE, 8, &ro_clean,
		      false);
}

/*
 * The 2026 fix: a batch that mixed writable and read-only PTEs would be
 * restored from its (writable) first entry, making COW-shared pages
 * writable. The batch must end where write does.
 */
START_TEST(lazyfree_redirtied_folio_is_restored_without_making_ro_writable)
{
	struct folio *folio = new_lazyfree(0, 4, VA_64K(1));
	unsigned long i;

	map_cow_half_ro(folio, VA_64K(1));
	ck_assert_uint_eq(batch_at(folio, VA_64K(1), 0), 8);
	ck_assert(!unmap(folio, 0));
	ck_assert(folio_test_swapbacked(folio));
	for (i = 0; i < 16; i++) {
		pte_t pte = ptb_peek(ptb_slot(VA_64K(1) + i * PAGE_SIZE));

		ck_assert_msg(pte_present(pte), "page %lu not restored", i);
		ck_assert_uint_eq(pte_pfn(pte), folio_pfn(folio) + i);
		ck_assert_msg(!!pte_write(pte) == (i < 8),
			      "page %lu: write %d after restore", i,
			      !!pte_write(pte));
	}
	ck_assert_int_eq(folio_mapcount(folio), 16);
	ck_assert_int_eq(folio_ref_count(folio), 17);
	ck_assert_int_eq(get_mm_counter(&ptb_mm, MM_ANONPAGES), 16);
}
END_TEST

START_TEST(lazyfree_extra_reference_restores_without_swapbacked)
{
	struct folio *folio = new_lazyfree(0, 4, VA_64K(1));
	const struct ptb_pte_bits clean = { .write = true, .young = true };

	ptb_map_folio(&ptb_vma, folio, 0, VA_64K(1), 16, &clean, true);
	folio_get(folio);	/* GUP */
	ck_assert(!unmap(folio, 0));
	ck_assert(!folio_test_swapbacked(folio));
	ck_assert(!folio_test_dirty(folio));
	ck_assert(pte_present(ptb_peek(ptb_slot(VA_64K(1) + 15 * PAGE_SIZE))));
	ck_assert_int_eq(folio_mapcount(folio), 16);
}
END_TEST

START_TEST(lazyfree_droppable_dirty_folio_is_discarded)
{
	struct folio *folio = new_lazyfree(0, 4, VA_64K(1));

	ptb_vma.vm_flags |= VM_DROPPABLE;
	ptb_map_folio(&ptb_vma, folio, 0, VA_64K(1), 16, &rw_dirty, true);
	ck_assert(unmap(folio, 0));
	assert_all_none(VA_64K(1), 16);
	ck_assert(!folio_test_swapbacked(folio));
}
END_TEST

/* ---------------------- anon swap-out, success ------------------------ */

static void assert_swap_run(struct folio *folio, unsigned long addr,
			    unsigned long first, unsigned long nr,
			    bool exclusive, bool soft_dirty, bool uffd_wp)
{
	unsigned long i;

	for (i = 0; i < nr; i++) {
		pte_t pte = ptb_peek(ptb_slot(addr + i * PAGE_SIZE));
		swp_entry_t entry = page_swap_entry(folio_page(folio,
							      first + i));
		pte_t expect = ref_swp_mkbits(swp_entry_to_pte(entry),
					      exclusive, soft_dirty, uffd_wp);

		PTB_ASSERT_PTE_EQ(pte, expect, "swap PTE of page %lu",
				  first + i);
		ck_assert_int_eq(ptb_swap_count(entry), 1);
	}
}

START_TEST(anon_folio_swaps_out_as_one_detectable_run)
{
	struct folio *folio = new_anon(0, 4, VA_64K(1));
	const struct ptb_pte_bits bits = {
		.write = true, .dirty = true, .young = true, .soft_dirty = true,
	};
	bool sd = pte_soft_dirty(pte_mksoft_dirty(__pte(0)));
	unsigned long i;

	ptb_map_folio(&ptb_vma, folio, 0, VA_64K(1), 16, &bits, true);
	ck_assert(unmap(folio, TTU_BATCH_FLUSH));
	assert_swap_run(folio, VA_64K(1), 0, 16, true, sd, false);
	ck_assert_int_eq(swap_pte_batch(ptb_slot(VA_64K(1)), 16,
					ptb_peek(ptb_slot(VA_64K(1)))), 16);
	for (i = 0; i < 16; i++)
		ck_assert(!PageAnonExclusive(folio_page(folio, i)));
	ck_assert_int_eq(folio_mapcount(folio), 0);
	ck_assert_int_eq(folio_ref_count(folio), 1);
	ck_assert_int_eq(get_mm_counter(&ptb_mm, MM_ANONPAGES), 0);
	ck_assert_int_eq(get_mm_counter(&ptb_mm, MM_SWAPENTS), 16);
	ck_assert(!list_empty(&ptb_mm.mmlist));
	ck_assert(folio_test_dirty(folio));
}
END_TEST

START_TEST(mixed_exclusivity_gives_one_run_per_sub_batch)
{
	struct folio *folio = new_anon(0, 4, VA_64K(1));

	/* read-only: pages 0-4 shared, 5-15 exclusive */
	ptb_map_folio(&ptb_vma, folio, 0, VA_64K(1), 5, &ro_clean, false);
	ptb_map_folio(&ptb_vma, folio, 5, VA_64K(1) + 5 * PAGE_SIZE, 11,
		      &ro_clean, true);
	ck_assert(unmap(folio, 0));
	assert_swap_run(folio, VA_64K(1), 0, 5, false, false, false);
	assert_swap_run(folio, VA_64K(1) + 5 * PAGE_SIZE, 5, 11, true, false,
			false);
	ck_assert_int_eq(swap_pte_batch(ptb_slot(VA_64K(1)), 16,
					ptb_peek(ptb_slot(VA_64K(1)))), 5);
}
END_TEST

START_TEST(uffd_wp_anon_vma_swaps_out_in_one_batch_and_keeps_the_bit)
{
	struct folio *folio = new_anon(0, 4, VA_64K(1));
	const struct ptb_pte_bits bits = { .young = true, .uffd_wp = true };

	ptb_vma.vm_flags |= VM_UFFD_WP;
	ptb_map_folio(&ptb_vma, folio, 0, VA_64K(1), 16, &bits, true);
	ptb_costs_reset();
	ck_assert(unmap(folio, 0));
	/* every swap PTE carries uffd-wp; anonymous VMAs get no markers */
	assert_swap_run(folio, VA_64K(1), 0, 16, true, false, true);
	ck_assert_uint_eq(ptb_costs.tlbi_pages, 0);
	ck_assert_uint_eq(ptb_costs.tlbi_ranges, 1);
	ck_assert_uint_eq(ptb_costs.pte_clears, 16);
}
END_TEST

/* ---------------- file folios ---------------- */

/*
 * A 64K file folio mapped by a file VMA, its first @nr_wp PTEs uffd-wp
 * protected (in a VMA registered for uffd-wp when @nr_wp), the rest
 * read-only and @dirty.
 */
static struct folio *map_file_folio(bool shmem, unsigned long nr_wp,
				    bool dirty)
{
	const struct ptb_pte_bits wp = { .young = true, .uffd_wp = true };
	const struct ptb_pte_bits plain = { .young = true, .dirty = dirty };
	struct folio *folio = new_folio(0, 4, VA_64K(1),
					shmem ? BIT(PG_swapbacked) : 0);

	ptb_vma.vm_ops = file_vm_ops;
	if (nr_wp)
		ptb_vma.vm_flags |= VM_UFFD_WP;
	if (nr_wp)
		ptb_map_folio(&ptb_vma, folio, 0, VA_64K(1), nr_wp, &wp,
			      false);
	if (nr_wp < 16)
		ptb_map_folio(&ptb_vma, folio, nr_wp,
			      VA_64K(1) + nr_wp * PAGE_SIZE, 16 - nr_wp,
			      &plain, false);
	return folio;
}

/* loop: page cache and shmem */
START_TEST(file_folio_unmaps_in_one_batch)
{
	bool shmem = _i;
	struct folio *folio = map_file_folio(shmem, 0, true);
	int counter = shmem ? MM_SHMEMPAGES : MM_FILEPAGES;

	ck_assert_int_eq(get_mm_counter(&ptb_mm, counter), 16);
	ptb_costs_reset();
	ck_assert(unmap(folio, 0));
	assert_all_none(VA_64K(1), 16);
	ck_assert_int_eq(folio_mapcount(folio), 0);
	ck_assert_int_eq(folio_ref_count(folio), 1);
	ck_assert_int_eq(get_mm_counter(&ptb_mm, counter), 0);
	/* one dirty PTE marks the folio dirty: written back, not dropped */
	ck_assert(folio_test_dirty(folio));
	ck_assert_uint_eq(ptb_costs.tlbi_pages, 0);
	ck_assert_uint_eq(ptb_costs.tlbi_ranges, 1);
	ck_assert_uint_eq(ptb_costs.tlbi_range_pages, 16);
	ck_assert_uint_eq(ptb_costs.pte_clears, 16);
}
END_TEST

/*
 * A uffd-wp registered file VMA: every wr-protected PTE of a batch becomes
 * a uffd-wp marker, the others none; two batches (0-5 and 6-15, split
 * where uffd-wp changes), one range flush each.
 */
START_TEST(file_uffd_wp_vma_arms_a_marker_for_every_protected_pte)
{
	struct folio *folio = map_file_folio(true, 6, false);
	unsigned long i;

	ptb_costs_reset();
	ck_assert(unmap(folio, 0));
	for (i = 0; i < 16; i++) {
		pte_t pte = ptb_peek(ptb_slot(VA_64K(1) + i * PAGE_SIZE));

		if (i < 6)
			ck_assert_msg(pte_marker_uffd_wp(pte),
				      "PTE %lu: %#llx is not a uffd-wp marker",
				      i, (unsigned long long)pte_val(pte));
		else
			ck_assert_msg(pte_none(pte), "PTE %lu: %#llx not none",
				      i, (unsigned long long)pte_val(pte));
	}
	ck_assert_int_eq(folio_mapcount(folio), 0);
	ck_assert_int_eq(get_mm_counter(&ptb_mm, MM_SHMEMPAGES), 0);
	ck_assert(!folio_test_dirty(folio));
	ck_assert_uint_eq(ptb_costs.tlbi_ranges, 2);
	ck_assert_uint_eq(ptb_costs.tlbi_range_pages, 16);
}
END_TEST

START_TEST(hwpoison_unmaps_per_pte_and_poisons_only_the_bad_page)
{
	struct folio *folio = new_anon(0, 4, VA_64K(1));
	unsigned long i;

	ptb_map_folio(&ptb_vma, folio, 0, VA_64K(1), 16, &rw_dirty, true);
	folio_page(folio, 3)->flags |= BIT(PG_hwpoison);
	ck_assert(unmap(folio, TTU_HWPOISON));
	for (i = 0; i < 16; i++) {
		pte_t pte = ptb_peek(ptb_slot(VA_64K(1) + i * PAGE_SIZE));
		swp_entry_t entry = pte_to_swp_entry(pte);

		ck_assert(is_swap_pte(pte));
		ck_assert_msg(is_hwpoison_entry(entry) == (i == 3),
			      "page %lu: hwpoison entry %d", i,
			      is_hwpoison_entry(entry));
	}
	ck_assert_int_eq(get_mm_counter(&ptb_mm, MM_SWAPENTS), 15);
}
END_TEST

START_TEST(device_exclusive_entry_after_a_batch_uses_nr_pages_one)
{
	struct folio *folio = new_anon(0, 4, VA_64K(1));
	unsigned long addr = VA_64K(1) + 8 * PAGE_SIZE;
	pte_t devx;

	ptb_map_folio(&ptb_vma, folio, 0, VA_64K(1), 8, &rw_dirty, true);
	ptb_map_folio(&ptb_vma, folio, 8, addr, 8, &rw_dirty, true);
	/* slot 8 becomes a device-exclusive entry for the same page */
	ptb_cost_pause();
	pte_clear(&ptb_mm, addr, ptb_slot(addr));
	devx = swp_entry_to_pte(make_writable_device_exclusive_entry(
					folio_pfn(folio) + 8));
	set_pte_at(&ptb_mm, addr, ptb_slot(addr), devx);
	ptb_cost_resume();

	ck_assert(unmap(folio, 0));
	ck_assert_int_eq(folio_mapcount(folio), 0);
	ck_assert_int_eq(folio_ref_count(folio), 1);
	assert_swap_run(folio, VA_64K(1), 0, 16, true, false, false);
}
END_TEST

START_TEST(mlocked_vma_aborts_before_touching_anything)
{
	struct folio *folio = new_anon(0, 4, VA_64K(1));

	ptb_vma.vm_flags |= VM_LOCKED;
	ptb_map_folio(&ptb_vma, folio, 0, VA_64K(1), 16, &rw_dirty, true);
	ptb_costs_reset();
	ck_assert(!unmap(folio, 0));
	ck_assert_uint_eq(ptb_costs.pte_clears + ptb_costs.pte_writes, 0);
	ck_assert_int_eq(folio_mapcount(folio), 16);
}
END_TEST

START_TEST(folio_across_pmd_and_vma_boundaries_is_fully_unmapped)
{
	/* 2M folio mapped 64K off its alignment: two tables, two VMAs */
	unsigned long addr = PTB_VA + PMD_SIZE + 0x10000;
	struct vm_area_struct vmas[2];
	struct folio *folio;
	unsigned long i;

	folio = new_anon(512, 9, addr);
	ptb_vma.vm_pgoff = PTB_VA >> PAGE_SHIFT;
	vmas[0] = ptb_vma;
	vmas[0].vm_end = addr + 300 * PAGE_SIZE;
	vmas[1] = ptb_vma;
	vmas[1].vm_start = vmas[0].vm_end;
	vmas[1].vm_pgoff = vmas[1].vm_start >> PAGE_SHIFT;
	for (i = 0; i < 512; i += 16) {
		unsigned long a = addr + i * PAGE_SIZE;

		ptb_map_folio(a < vmas[0].vm_end ? &vmas[0] : &vmas[1], folio,
			      i, a, 16, &rw_dirty, true);
	}
	ck_assert(ptb_try_to_unmap(folio, vmas, 2, 0, ttu_batched));
	ck_assert_int_eq(folio_mapcount(folio), 0);
	ck_assert_int_eq(get_mm_counter(&ptb_mm, MM_SWAPENTS), 512);
	for (i = 0; i < 512; i++)
		ck_assert_int_eq(ptb_swap_count(page_swap_entry(
						folio_page(folio, i))), 1);
}
END_TEST

/* ------------- failure injection at every sub-batch index ------------- */

enum fail_kind {
	FAIL_DUP_FIRST,		/* swap count continuation, first entry */
	FAIL_DUP_MIDDLE,	/* ... a later entry of the sub-batch */
	FAIL_PIN,		/* a GUP pin seen by the share */
	FAIL_UNMAP_ONE,		/* arch_unmap_one() */
	NR_FAIL_KINDS,
};

static const char *const fail_names[] = {
	"dup at first entry", "dup in the middle", "GUP pin",
	"arch_unmap_one",
};

/*
 * A read-only 64K folio whose pages alternate in runs of 3 between shared
 * and exclusive: sub-batches [0,3) shared, [3,6) exclusive, ..., [15,16).
 */
#define SUB_LEN		3
#define NR_SUBS		6

static bool sub_exclusive(unsigned int k)
{
	return k & 1;
}

static void map_alternating(struct folio *folio, unsigned long addr)
{
	unsigned int k;

	for (k = 0; k < NR_SUBS; k++) {
		unsigned long s = k * SUB_LEN;
		unsigned long n = min(16UL - s, (unsigned long)SUB_LEN);
		struct ptb_pte_bits bits = ro_clean;

		bits.dirty = k == 2;
		ptb_map_folio(&ptb_vma, folio, s, addr + s * PAGE_SIZE, n,
			      &bits, sub_exclusive(k));
	}
}

START_TEST(failure_at_sub_batch_k_restores_everything_from_k_on)
{
	unsigned int kind = _i % NR_FAIL_KINDS, k = _i / NR_FAIL_KINDS;
	struct folio *folio = new_anon(0, 4, VA_64K(1));
	unsigned long s_k = k * SUB_LEN, i;
	unsigned int excl_before = 0, j;
	pte_t orig[16];

	map_alternating(folio, VA_64K(1));
	for (i = 0; i < 16; i++)
		orig[i] = ptb_peek(ptb_slot(VA_64K(1) + i * PAGE_SIZE));
	for (j = 0; j < k; j++)
		excl_before += sub_exclusive(j);

	switch (kind) {
	case FAIL_DUP_FIRST:
		ptb_swap_fail_dup_at(page_swap_entry(folio_page(folio, s_k)));
		break;
	case FAIL_DUP_MIDDLE:
		ptb_swap_fail_dup_at(page_swap_entry(folio_page(folio,
					min(s_k + 1, 15UL))));
		break;
	case FAIL_PIN:
		if (!sub_exclusive(k))
			return;	/* shared pages are not shared again */
		ptb_folio_pin_from_check(folio, excl_before);
		break;
	case FAIL_UNMAP_ONE:
		ptb_fail_unmap_one_addr = VA_64K(1) + s_k * PAGE_SIZE;
		break;
	}

	ck_assert_msg(!unmap(folio, 0), "%s at sub-batch %u: unmap succeeded",
		      fail_names[kind], k);

	/* sub-batches before k are committed */
	for (i = 0; i < s_k; i++) {
		pte_t pte = ptb_peek(ptb_slot(VA_64K(1) + i * PAGE_SIZE));
		swp_entry_t entry = page_swap_entry(folio_page(folio, i));

		ck_assert_msg(is_swap_pte(pte) &&
			      pte_to_swp_entry(pte).val == entry.val,
			      "%s at sub-batch %u: page %lu not swapped out",
			      fail_names[kind], k, i);
		ck_assert_int_eq(ptb_swap_count(entry), 1);
		ck_assert(!PageAnonExclusive(folio_page(folio, i)));
	}
	/* everything from s_k on holds its original present PTE again */
	for (i = s_k; i < 16; i++) {
		pte_t pte = ptb_peek(ptb_slot(VA_64K(1) + i * PAGE_SIZE));

		ck_assert_msg(pte_present(pte),
			      "%s at sub-batch %u: page %lu left cleared",
			      fail_names[kind], k, i);
		ck_assert_msg(ptb_pte_restored_ok(pte, orig[i]),
			      "%s at sub-batch %u: page %lu restored as %#llx, was %#llx",
			      fail_names[kind], k, i,
			      (unsigned long long)pte_val(pte),
			      (unsigned long long)pte_val(orig[i]));
		ck_assert_msg(ptb_swap_count(page_swap_entry(
					folio_page(folio, i))) == 0,
			      "%s at sub-batch %u: page %lu keeps a swap count",
			      fail_names[kind], k, i);
		ck_assert_int_eq(PageAnonExclusive(folio_page(folio, i)),
				 sub_exclusive(i / SUB_LEN));
	}
	ck_assert_int_eq(folio_mapcount(folio), 16 - s_k);
	ck_assert_int_eq(folio_ref_count(folio), 1 + 16 - s_k);
	ck_assert_int_eq(get_mm_counter(&ptb_mm, MM_ANONPAGES), 16 - s_k);
	ck_assert_int_eq(get_mm_counter(&ptb_mm, MM_SWAPENTS), s_k);
	/* the batch was cleared once, so the dirty sub-batch 2 marked it */
	ck_assert(folio_test_dirty(folio));
}
END_TEST

START_TEST(pinned_folio_shares_nothing)
{
	struct folio *folio = new_anon(0, 4, VA_64K(1));
	unsigned long i;

	ptb_map_folio(&ptb_vma, folio, 0, VA_64K(1), 16, &rw_dirty, true);
	ptb_folio_pin_from_check(folio, 0);
	ck_assert(!unmap(folio, 0));
	for (i = 0; i < 16; i++) {
		ck_assert(PageAnonExclusive(folio_page(folio, i)));
		ck_assert(pte_write(ptb_peek(ptb_slot(VA_64K(1) +
						      i * PAGE_SIZE))));
	}
	ck_assert_int_eq(folio->ptb_pin_checks, 1);
}
END_TEST

/*
 * A folio whose swapbacked and swapcache flags disagree makes
 * try_to_unmap_one() WARN and stop, after the batch was cleared. 6.12 left
 * its one PTE cleared; the batched path must not leave up to nr cleared
 * PTEs behind while rmap and the references still count them.
 */
static unsigned int warnings;

static void count_warning(const char *file, int line, const char *func,
			  const char *what)
{
	warnings++;
}

START_TEST(inconsistent_swapbacked_folio_warns_and_keeps_every_pte)
{
	/* _i: 0 swapbacked but not in the swap cache, 1 the other way round */
	struct folio *folio = _i ? new_lazyfree(0, 4, VA_64K(1)) :
		new_folio(0, 4, VA_64K(1), BIT(PG_anon) | BIT(PG_swapbacked));
	pte_t before[16];
	unsigned long i;

	if (_i)
		folio_set_swapcache(folio);
	ptb_map_folio(&ptb_vma, folio, 0, VA_64K(1), 16, &rw_dirty, true);
	for (i = 0; i < 16; i++)
		before[i] = ptb_peek(ptb_slot(VA_64K(1) + i * PAGE_SIZE));
	warnings = 0;
	ptb_set_warn_handler(count_warning);
	ck_assert(!unmap(folio, 0));
	ptb_set_warn_handler(NULL);
	ck_assert_uint_eq(warnings, 1);
	for (i = 0; i < 16; i++)
		ck_assert_msg(pte_same(ptb_peek(ptb_slot(VA_64K(1) + i * PAGE_SIZE)),
				       before[i]),
			      "PTE %lu not restored", i);
	ck_assert_int_eq(folio_mapcount(folio), 16);
	ck_assert_int_eq(folio_ref_count(folio), 1 + 16);
	ck_assert_int_eq(get_mm_counter(&ptb_mm, MM_ANONPAGES), 16);
}
END_TEST

Suite *ptb_suite(void)
{
	Suite *s = suite_create("unmap");
	TCase *tc;

	tc = tcase_create("batch_sizing");
	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	tcase_add_test(tc, batch_covers_whole_uniform_folio);
	tcase_add_test(tc, batch_is_one_for_small_hwpoison_and_unused);
	tcase_add_loop_test(tc, uffd_wp_vma_batches_and_stops_where_uffd_wp_changes,
			    0, 2);
	tcase_add_test(tc, batch_stops_at_page_table_end);
	tcase_add_test(tc, batch_stops_at_vma_end);
	tcase_add_test(tc, batch_stops_at_folio_end_even_if_next_folio_is_contiguous);
	tcase_add_loop_test(tc, batch_respects_write_and_soft_dirty_but_not_ad,
			    0, ARRAY_SIZE(batch_flip_table));
	suite_add_tcase(s, tc);

	tc = tcase_create("lazyfree");
	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	tcase_add_test(tc, lazyfree_clean_folio_is_discarded_in_one_batch);
	tcase_add_test(tc, lazyfree_redirtied_folio_is_restored_without_making_ro_writable);
	tcase_add_test(tc, lazyfree_extra_reference_restores_without_swapbacked);
	tcase_add_test(tc, lazyfree_droppable_dirty_folio_is_discarded);
	suite_add_tcase(s, tc);

	tc = tcase_create("swap_out");
	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	tcase_add_test(tc, anon_folio_swaps_out_as_one_detectable_run);
	tcase_add_test(tc, mixed_exclusivity_gives_one_run_per_sub_batch);
	tcase_add_test(tc, uffd_wp_anon_vma_swaps_out_in_one_batch_and_keeps_the_bit);
	tcase_add_loop_test(tc, file_folio_unmaps_in_one_batch, 0, 2);
	tcase_add_test(tc, file_uffd_wp_vma_arms_a_marker_for_every_protected_pte);
	tcase_add_test(tc, hwpoison_unmaps_per_pte_and_poisons_only_the_bad_page);
	tcase_add_test(tc, device_exclusive_entry_after_a_batch_uses_nr_pages_one);
	tcase_add_test(tc, mlocked_vma_aborts_before_touching_anything);
	tcase_add_test(tc, folio_across_pmd_and_vma_boundaries_is_fully_unmapped);
	suite_add_tcase(s, tc);

	tc = tcase_create("failure_injection");
	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	tcase_add_loop_test(tc, failure_at_sub_batch_k_restores_everything_from_k_on,
			    0, NR_SUBS * NR_FAIL_KINDS);
	tcase_add_test(tc, pinned_folio_shares_nothing);
	tcase_add_loop_test(tc, inconsistent_swapbacked_folio_warns_and_keeps_every_pte,
			    0, 2);
	suite_add_tcase(s, tc);
	return s;
}
