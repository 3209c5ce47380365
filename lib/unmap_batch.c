/* SPDX-License-Identifier: GPL-2.0 */
/* ptebatch: spliced into mm/rmap.c before try_to_unmap_one(). */

/**
 * folio_unmap_pte_batch - number of PTEs try_to_unmap_one() may unmap at once
 * @folio: The folio being unmapped.
 * @pvmw: The walk, positioned at the present PTE @pte of @folio.
 * @flags: The try_to_unmap() flags.
 * @pte: The PTE at @pvmw->pte, as returned by ptep_get().
 *
 * A batch is a run of present PTEs that map consecutive pages of @folio
 * and stays within one VMA, one page table and the folio. The PTEs of a
 * batch agree on every bit but the PFN, the accessed bit and the dirty bit:
 * in particular on write and soft-dirty, so that restoring the batch from
 * its first entry restores every entry's permissions, and on uffd-wp.
 *
 * A batch agreeing on uffd-wp, uffd-wp VMAs need no exception: the caller
 * arms a marker for each PTE of a batch of a file VMA's PTEs
 * (install_uffd_wp_ptes_if_needed()), and the swap PTEs or restored PTEs an
 * anonymous folio's batch gets carry the bit themselves.
 *
 * Return: 1 when the PTE must be handled alone (hwpoison unmapping, small
 * folios, pte_unused(), and anonymous swap-outs on architectures with
 * arch_unmap_one()), else the size of the batch starting at @pte.
 */
static unsigned int folio_unmap_pte_batch(struct folio *folio,
		struct page_vma_mapped_walk *pvmw, enum ttu_flags flags,
		pte_t pte)
{
	const fpb_t fpb_flags = FPB_IGNORE_DIRTY | FPB_RESPECT_WRITE;
	unsigned long end_addr, addr = pvmw->address;
	struct vm_area_struct *vma = pvmw->vma;
	unsigned int max_nr;

	if (flags & TTU_HWPOISON)
		return 1;
	if (!folio_test_large(folio))
		return 1;
	if (pte_unused(pte))
		return 1;
#ifdef __HAVE_ARCH_UNMAP_ONE
	/* arch_unmap_one() looks at one PTE at a time. */
	if (folio_test_anon(folio) && folio_test_swapbacked(folio))
		return 1;
#endif

	/* We may only batch within a single VMA and a single page table. */
	end_addr = pmd_addr_end(addr, vma->vm_end);
	max_nr = (end_addr - addr) >> PAGE_SHIFT;

	return folio_pte_batch(folio, addr, pvmw->pte, pte, max_nr, fpb_flags,
			       NULL, NULL, NULL);
}

/*
 * unmap_clear_ptes() for a batch of more than one PTE: out of line, so that
 * try_to_unmap_one()'s single-PTE path keeps the registers it had.
 */
static noinline pte_t unmap_clear_pte_batch(struct vm_area_struct *vma,
		unsigned long address, pte_t *ptep, pte_t pte,
		unsigned long nr_pages, bool defer)
{
	unsigned long end_addr = address + nr_pages * PAGE_SIZE;
	struct mm_struct *mm = vma->vm_mm;
	pte_t pteval;

	flush_cache_range(vma, address, end_addr);
	pteval = get_and_clear_ptes(mm, address, ptep, nr_pages);
	if (!pte_soft_dirty(pte))
		pteval = pte_clear_soft_dirty(pteval);
	if (defer)
		set_tlb_ubc_flush_pending(mm, pteval, address, end_addr);
	else if (pte_accessible(mm, pteval))
		flush_tlb_range(vma, address, end_addr);
	return pteval;
}

/**
 * unmap_clear_ptes - clear a batch of present PTEs and flush the TLB
 * @vma: The VMA the PTEs belong to.
 * @address: Address of the first PTE.
 * @ptep: Page table pointer for the first PTE.
 * @pte: The first PTE, as read before the batch was sized.
 * @nr_pages: Size of the batch, from folio_unmap_pte_batch().
 * @flags: The try_to_unmap() flags.
 *
 * A single PTE is cleared and flushed exactly as try_to_unmap_one() always
 * did, inline. A batch is cleared at once and, if its PTEs are accessible,
 * flushed with a single range flush, or, when the flush may be deferred
 * (reclaim with TTU_BATCH_FLUSH of an mm that ran on other CPUs), added to
 * the pending flush batch once, with its range.
 *
 * The batch agrees on soft-dirty, so the result keeps @pte's: merging a
 * later entry's dirty bit with pte_mkdirty() would otherwise mark it
 * soft-dirty on x86, and the swap entries or restored PTEs made from it
 * would report writes that never happened.
 *
 * Return: the first PTE with the accessed and dirty bits of the whole batch
 * merged in.
 */
static __always_inline pte_t unmap_clear_ptes(struct vm_area_struct *vma,
		unsigned long address, pte_t *ptep, pte_t pte,
		unsigned long nr_pages, enum ttu_flags flags)
{
	struct mm_struct *mm = vma->vm_mm;
	bool defer = should_defer_flush(mm, flags);
	pte_t pteval;

	/*
	 * We clear the PTEs but, when deferring, do not flush, so potentially
	 * a remote CPU could still be writing to the folio. If an entry was
	 * previously clean then the architecture must guarantee that a
	 * clear->dirty transition on a cached TLB entry is written through
	 * and traps if the PTE is unmapped.
	 */
	if (nr_pages > 1)
		return unmap_clear_pte_batch(vma, address, ptep, pte, nr_pages,
					     defer);

	flush_cache_page(vma, address, pte_pfn(pte));
	if (!defer)
		return ptep_clear_flush(vma, address, ptep);
	pteval = ptep_get_and_clear(mm, address, ptep);
	set_tlb_ubc_flush_pending(mm, pteval, address, address + PAGE_SIZE);
	return pteval;
}

/**
 * lazyfree_range - discard a cleared batch of a lazyfree folio, or restore it
 * @vma: The VMA the PTEs belong to.
 * @folio: The anonymous, !swapbacked (MADV_FREE) folio.
 * @address: Address of the first PTE.
 * @ptep: Page table pointer for the first PTE.
 * @pteval: The batch's PTE as returned by unmap_clear_ptes().
 * @nr_pages: Size of the batch.
 *
 * Decide once for the whole batch whether its pages can be dropped: only if
 * the folio is clean (or the VMA is VM_DROPPABLE) and nobody but the caller
 * and the mappings holds a reference. If the folio was redirtied, restore
 * the PTEs and mark it swapbacked so that reclaim swaps it out instead. If
 * someone else holds a reference (GUP, or a speculative one), restore the
 * PTEs and leave the folio as it is: we will come back and look again.
 *
 * The batch agrees on write and soft-dirty (folio_unmap_pte_batch()), so
 * the restored PTEs have their old permissions; accessed and dirty may
 * spread to the whole batch.
 *
 * Return: true if the PTEs stay cleared (the rss counter is updated and the
 * caller finishes the unmap of @nr_pages pages), false if they were restored.
 */
static bool lazyfree_range(struct vm_area_struct *vma, struct folio *folio,
		unsigned long address, pte_t *ptep, pte_t pteval,
		unsigned long nr_pages)
{
	struct mm_struct *mm = vma->vm_mm;
	int ref_count, map_count;

	/*
	 * Synchronize with gup_pte_range():
	 * - clear PTE; barrier; read refcount
	 * - inc refcount; barrier; read PTE
	 */
	smp_mb();

	ref_count = folio_ref_count(folio);
	map_count = folio_mapcount(folio);

	/*
	 * Order reads for page refcount and dirty flag
	 * (see comments in __remove_mapping()).
	 */
	smp_rmb();

	if (folio_test_dirty(folio) && !(vma->vm_flags & VM_DROPPABLE)) {
		/*
		 * Redirtied either using the page table or a previously
		 * obtained GUP reference.
		 */
		set_ptes(mm, address, ptep, pteval, nr_pages);
		folio_set_swapbacked(folio);
		return false;
	}

	/*
	 * The only page refs must be one from isolation plus the rmap(s),
	 * which the caller drops after we return.
	 */
	if (ref_count != 1 + map_count) {
		/*
		 * Additional reference. Could be a GUP reference or any
		 * speculative reference. GUP users must mark the folio dirty
		 * if there was a modification. This folio cannot be reclaimed
		 * right now either way, so act just like nothing happened.
		 */
		set_ptes(mm, address, ptep, pteval, nr_pages);
		return false;
	}

	add_mm_counter(mm, MM_ANONPAGES, -nr_pages);
	return true;
}

/**
 * finish_folio_unmap - drop the mappings of unmapped folio pages
 * @vma: The VMA the pages were mapped in.
 * @folio: The folio.
 * @page: The first page.
 * @nr_pages: The number of consecutive pages whose PTEs were cleared.
 *
 * Remove the pages' rmap, drain the mlock batch of an mlocked VMA and drop
 * the references the mappings held. Inlined into try_to_unmap_one()'s two
 * callers, so that a single page costs what it did before batching.
 */
static __always_inline void finish_folio_unmap(struct vm_area_struct *vma,
		struct folio *folio, struct page *page, unsigned long nr_pages)
{
	folio_remove_rmap_ptes(folio, page, nr_pages, vma);
	if (vma->vm_flags & VM_LOCKED)
		mlock_drain_local();
	folio_put_refs(folio, nr_pages);
}
