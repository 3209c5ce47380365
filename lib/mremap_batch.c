/* SPDX-License-Identifier: GPL-2.0 */
/* ptebatch: spliced into mm/mremap.c before move_ptes(). */

/**
 * move_pte_batch - move PTEs from their old place to their new one
 * @mm: The address space the PTEs belong to.
 * @old_addr: Address of the first PTE to move.
 * @old_pte: Page table pointer for the first PTE to move.
 * @new_addr: Address the first PTE moves to.
 * @new_pte: Page table pointer for the place the first PTE moves to.
 * @nr_ptes: The number of PTEs to move: 1, or a batch that
 *	     vma_folio_pte_batch() found.
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
