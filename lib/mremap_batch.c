/* SPDX-License-Identifier: GPL-2.0 */
/* ptebatch: spliced into mm/mremap.c before move_ptes(). */

/**
 * mremap_folio_pte_batch - number of PTEs move_ptes() may move at once
 * @vma: The VMA the PTEs are moved from.
 * @addr: Address of the first PTE.
 * @ptep: Page table pointer for the first PTE.
 * @pte: The first PTE, present and in a contpte block (pte_batch_hint() > 1).
 * @max_nr: The number of PTEs left to move in this page table.
 *
 * A batch is a run of present PTEs that map consecutive pages of one large
 * folio and agree on every bit but the PFN, the accessed and the dirty bit:
 * in particular on write, soft-dirty and uffd-wp, so that set_ptes() of
 * the first PTE, carrying the accessed and dirty bits of the whole run,
 * stands for every PTE of the run at the new address.
 *
 * Only a run that starts in a contpte block is worth detecting, so the
 * caller tests pte_batch_hint() first: elsewhere each PTE still takes its
 * own get-and-clear and store, so a batch saves less than finding it costs
 * (a vm_normal_folio() lookup, whose struct page is often cold, and a
 * second pass over the PTEs). Where pte_batch_hint() is always 1, as on
 * x86, move_ptes() compiles to its per-PTE loop.
 *
 * Return: the number of PTEs in the batch, at least 1.
 */
static unsigned int mremap_folio_pte_batch(struct vm_area_struct *vma,
		unsigned long addr, pte_t *ptep, pte_t pte, unsigned int max_nr)
{
	const fpb_t flags = FPB_IGNORE_DIRTY | FPB_RESPECT_WRITE;
	struct folio *folio;

	if (max_nr == 1)
		return 1;
	folio = vm_normal_folio(vma, addr, pte);
	if (!folio || !folio_test_large(folio))
		return 1;
	return folio_pte_batch(folio, addr, ptep, pte, max_nr, flags, NULL,
			       NULL, NULL);
}

/**
 * move_pte_batch - move PTEs from their old place to their new one
 * @mm: The address space the PTEs belong to.
 * @old_addr: Address of the first PTE to move.
 * @old_pte: Page table pointer for the first PTE to move.
 * @new_addr: Address the first PTE moves to.
 * @new_pte: Page table pointer for the place the first PTE moves to.
 * @nr_ptes: The number of PTEs to move: 1, or a batch that
 *	     mremap_folio_pte_batch() found.
 * @need_clear_uffd_wp: The PTEs lose uffd-wp protection in the move.
 * @force_flush: Set to true if the PTEs were present.
 *
 * Clears the PTEs at the old place and sets them at the new one, made
 * soft-dirty and, if @need_clear_uffd_wp, without uffd-wp (a uffd-wp
 * marker is then dropped). Nothing is flushed from the TLB here.
 *
 * Always inlined, as copy_present_ptes() and zap_present_ptes() in
 * mm/memory.c inline theirs: move_ptes() calls it with a constant 1 for a
 * single PTE, which then compiles to 6.12's per-PTE move.
 *
 * Context: The caller holds the page table locks of both places.
 */
static __always_inline void move_pte_batch(struct mm_struct *mm,
		unsigned long old_addr, pte_t *old_pte, unsigned long new_addr,
		pte_t *new_pte, unsigned int nr_ptes, bool need_clear_uffd_wp,
		bool *force_flush)
{
	pte_t pte = get_and_clear_ptes(mm, old_addr, old_pte, nr_ptes);

	/*
	 * If we are remapping a valid PTE, make sure
	 * to flush TLB before we drop the PTL for the
	 * PTE.
	 *
	 * NOTE! Both old and new PTL matter: the old one
	 * for racing with folio_mkclean(), the new one to
	 * make sure the physical page stays valid until
	 * the TLB entry for the old mapping has been
	 * flushed.
	 */
	if (pte_present(pte))
		*force_flush = true;
	pte = move_pte(pte, old_addr, new_addr);
	pte = move_soft_dirty_pte(pte);

	if (need_clear_uffd_wp && pte_marker_uffd_wp(pte))
		pte_clear(mm, new_addr, new_pte);
	else {
		if (need_clear_uffd_wp) {
			if (pte_present(pte))
				pte = pte_clear_uffd_wp(pte);
			else if (is_swap_pte(pte))
				pte = pte_swp_clear_uffd_wp(pte);
		}
		set_ptes(mm, new_addr, new_pte, pte, nr_ptes);
	}
}
