/* SPDX-License-Identifier: GPL-2.0 */
/* ptebatch: spliced into mm/rmap.c before try_to_unmap_one(). */

/*
 * Swap out @nr_pages cleared PTEs that map pages agreeing on @anon_exclusive:
 * take a swap count per page, share exclusive pages, account and write the
 * swap PTEs. On failure the swap counts taken are put back and false is
 * returned; the PTEs stay cleared, for the caller to restore. Inlined, so
 * that with a constant @nr_pages of 1 it is the code 6.12 ran per page.
 */
static __always_inline bool swap_out_anon_ptes(struct vm_area_struct *vma,
		struct folio *folio, struct page *page, unsigned long address,
		pte_t *ptep, pte_t pteval, unsigned long nr_pages,
		bool anon_exclusive)
{
	swp_entry_t entry = page_swap_entry(page);
	struct mm_struct *mm = vma->vm_mm;
	pte_t swp_pte;
	int err;

	/* A single page (small folios) takes its count as it always did. */
	if (nr_pages == 1)
		err = swap_duplicate(entry);
	else
		err = folio_dup_swap_pages(folio, page, nr_pages);
	if (err < 0)
		return false;

	/*
	 * arch_unmap_one() is expected to be a NOP on
	 * architectures where we could have PFN swap PTEs,
	 * so we'll not check/care.
	 */
	if (arch_unmap_one(mm, vma, address, pteval) < 0) {
		folio_put_swap_pages(folio, page, nr_pages);
		return false;
	}

	/* See folio_try_share_anon_rmap(): clear PTE first. */
	if (anon_exclusive &&
	    folio_try_share_anon_rmap_ptes(folio, page, nr_pages)) {
		folio_put_swap_pages(folio, page, nr_pages);
		return false;
	}

	if (list_empty(&mm->mmlist)) {
		spin_lock(&mmlist_lock);
		if (list_empty(&mm->mmlist))
			list_add(&mm->mmlist, &init_mm.mmlist);
		spin_unlock(&mmlist_lock);
	}
	add_mm_counter(mm, MM_ANONPAGES, -nr_pages);
	add_mm_counter(mm, MM_SWAPENTS, nr_pages);
	swp_pte = make_swap_pte(entry, pteval, anon_exclusive);
	set_swap_ptes(mm, address, ptep, swp_pte, nr_pages);
	return true;
}

/*
 * unmap_anon_folio_range() for a batch of more than one PTE: out of line, so
 * that try_to_unmap_one()'s single-PTE path keeps the registers it had.
 */
static noinline bool unmap_anon_folio_batch(struct vm_area_struct *vma,
		struct folio *folio, struct page *page, unsigned long address,
		pte_t *ptep, pte_t pteval, unsigned long nr_pages)
{
	unsigned long nr;

	for (;;) {
		bool anon_exclusive = PageAnonExclusive(page);

		nr = page_anon_exclusive_batch(page, nr_pages);
		if (!swap_out_anon_ptes(vma, folio, page, address, ptep,
					pteval, nr, anon_exclusive)) {
			set_ptes(vma->vm_mm, address, ptep, pteval, nr_pages);
			return false;
		}
		finish_folio_unmap(vma, folio, page, nr);

		nr_pages -= nr;
		if (!nr_pages)
			return true;
		page = nth_page(page, nr);
		address += nr * PAGE_SIZE;
		ptep += nr;
		pteval = pte_advance_pfn(pteval, nr);
	}
}

/**
 * unmap_anon_folio_range - swap out a cleared batch of an anonymous folio
 * @vma: The VMA the PTEs belong to.
 * @folio: The anonymous, swapbacked folio, locked and in the swap cache.
 * @page: The page mapped by the first PTE.
 * @address: Address of the first PTE.
 * @ptep: Page table pointer for the first PTE.
 * @pteval: The batch's PTE as returned by unmap_clear_ptes(), or the
 *	    device-exclusive entry when @nr_pages is 1.
 * @nr_pages: Size of the batch.
 *
 * Replace the cleared PTEs with swap PTEs, in sub-batches of pages that
 * agree on PageAnonExclusive: a sub-batch takes its swap counts, shares its
 * exclusive pages, gets its run of swap PTEs and is accounted and finished
 * (rmap, references) before the next one starts.
 *
 * When a sub-batch fails (swap count continuation, a GUP pin, or
 * arch_unmap_one()), it is undone and every PTE from that sub-batch to the
 * end of the batch is restored: all of them were cleared, and their pages
 * are still mapped as far as rmap and the references know. The sub-batches
 * before it stay swapped out.
 *
 * A single PTE (small folios) is swapped out inline, as 6.12 did it.
 *
 * Return: true if the whole batch was swapped out, false if a tail of it
 * was restored and the walk must stop.
 */
static __always_inline bool unmap_anon_folio_range(struct vm_area_struct *vma,
		struct folio *folio, struct page *page, unsigned long address,
		pte_t *ptep, pte_t pteval, unsigned long nr_pages)
{
	if (nr_pages > 1)
		return unmap_anon_folio_batch(vma, folio, page, address, ptep,
					      pteval, nr_pages);
	if (!swap_out_anon_ptes(vma, folio, page, address, ptep, pteval, 1,
				PageAnonExclusive(page))) {
		set_pte_at(vma->vm_mm, address, ptep, pteval);
		return false;
	}
	finish_folio_unmap(vma, folio, page, 1);
	return true;
}
