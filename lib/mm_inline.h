/* SPDX-License-Identifier: GPL-2.0 */
/*
 * include/linux/mm_inline.h's uffd-wp marker installation as the patch
 * series leaves it: 6.12's pte_install_uffd_wp_if_needed(), unchanged, and
 * install_uffd_wp_ptes_if_needed(), which the series adds after it for a
 * batch of cleared PTEs (zap_pte_range() and try_to_unmap_one()).
 *
 * Each definition here is the patched tree's, byte for byte (see
 * lib/mm_internal.h: kernel-glue/splice.pl sync puts them in place,
 * kernel-glue/check-copies proves them).
 *
 * Included by the environment header (after ptebatch/tlb.h, as mm/rmap.c
 * sees it); includes nothing itself.
 */
#ifndef _PTEBATCH_LIB_MM_INLINE_H
#define _PTEBATCH_LIB_MM_INLINE_H

/*
 * If this pte is wr-protected by uffd-wp in any form, arm the special pte to
 * replace a none pte.  NOTE!  This should only be called when *pte is already
 * cleared so we will never accidentally replace something valuable.  Meanwhile
 * none pte also means we are not demoting the pte so tlb flushed is not needed.
 * E.g., when pte cleared the caller should have taken care of the tlb flush.
 *
 * Must be called with pgtable lock held so that no thread will see the none
 * pte, and if they see it, they'll fault and serialize at the pgtable lock.
 *
 * This function is a no-op if PTE_MARKER_UFFD_WP is not enabled.
 */
static inline void
pte_install_uffd_wp_if_needed(struct vm_area_struct *vma, unsigned long addr,
			      pte_t *pte, pte_t pteval)
{
#ifdef CONFIG_PTE_MARKER_UFFD_WP
	bool arm_uffd_pte = false;

	/* The current status of the pte should be "cleared" before calling */
	WARN_ON_ONCE(!pte_none(ptep_get(pte)));

	/*
	 * NOTE: userfaultfd_wp_unpopulated() doesn't need this whole
	 * thing, because when zapping either it means it's dropping the
	 * page, or in TTU where the present pte will be quickly replaced
	 * with a swap pte.  There's no way of leaking the bit.
	 */
	if (vma_is_anonymous(vma) || !userfaultfd_wp(vma))
		return;

	/* A uffd-wp wr-protected normal pte */
	if (unlikely(pte_present(pteval) && pte_uffd_wp(pteval)))
		arm_uffd_pte = true;

	/*
	 * A uffd-wp wr-protected swap pte.  Note: this should even cover an
	 * existing pte marker with uffd-wp bit set.
	 */
	if (unlikely(pte_swp_uffd_wp_any(pteval)))
		arm_uffd_pte = true;

	if (unlikely(arm_uffd_pte))
		set_pte_at(vma->vm_mm, addr, pte,
			   make_pte_marker(PTE_MARKER_UFFD_WP));
#endif
}

/**
 * install_uffd_wp_ptes_if_needed - arm uffd-wp markers for cleared PTEs
 * @vma: The VMA the PTEs belong to.
 * @addr: Address of the first PTE.
 * @pte: Page table pointer for the first PTE.
 * @pteval: The PTE the batch was cleared from (its PFN is irrelevant).
 * @nr_pages: Number of consecutive cleared PTEs.
 *
 * pte_install_uffd_wp_if_needed() for each of @nr_pages cleared PTEs that
 * agree on uffd-wp with @pteval, as a batch of one folio's PTEs does: in a
 * file VMA registered for uffd-wp, each becomes a uffd-wp marker if @pteval
 * was wr-protected, so that none of them loses the protection. Anonymous
 * VMAs and VMAs without uffd-wp are skipped once for the whole batch.
 *
 * Must be called with the page table lock held.
 */
static inline void
install_uffd_wp_ptes_if_needed(struct vm_area_struct *vma, unsigned long addr,
			       pte_t *pte, pte_t pteval, unsigned long nr_pages)
{
	/* Only file VMAs registered for uffd-wp get markers: check once. */
	if (vma_is_anonymous(vma) || !userfaultfd_wp(vma))
		return;

	for (;;) {
		pte_install_uffd_wp_if_needed(vma, addr, pte, pteval);
		if (--nr_pages == 0)
			break;
		pte++;
		addr += PAGE_SIZE;
	}
}

#endif /* _PTEBATCH_LIB_MM_INLINE_H */
