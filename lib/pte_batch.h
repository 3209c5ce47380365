/* SPDX-License-Identifier: GPL-2.0 */
/* ptebatch: spliced into mm/internal.h after swap_pte_batch(). */

/*
 * Compare PTEs without pte_wrprotect(), respecting the writable bit: all
 * PTEs of a batch are then either writable or not. folio_pte_batch()
 * ignores the writable bit, so a batch it returns may mix read-only and
 * writable PTEs, and restoring such a batch from its first entry could make
 * a read-only (for example COW-shared) PTE writable.
 */
#define FPB_RESPECT_WRITE		((__force fpb_t)BIT(2))

static inline pte_t __pte_batch_clear_ignored_flags(pte_t pte, fpb_t flags)
{
	if (flags & FPB_IGNORE_DIRTY)
		pte = pte_mkclean(pte);
	if (likely(flags & FPB_IGNORE_SOFT_DIRTY))
		pte = pte_clear_soft_dirty(pte);
	if (!(flags & FPB_RESPECT_WRITE))
		pte = pte_wrprotect(pte);
	return pte_mkold(pte);
}

/**
 * folio_pte_batch_flags - detect a PTE batch for a large folio
 * @folio: The large folio to detect a PTE batch for.
 * @ptep: Page table pointer for the first entry.
 * @pte: Page table entry for the first page, as returned by ptep_get().
 * @max_nr: The maximum number of table entries to consider.
 * @flags: FPB_IGNORE_DIRTY, FPB_IGNORE_SOFT_DIRTY and FPB_RESPECT_WRITE.
 * @any_writable: Optional pointer to indicate whether any entry except the
 *		  first one is writable.
 * @any_young: Optional pointer to indicate whether any entry except the
 *	       first one is young.
 * @any_dirty: Optional pointer to indicate whether any entry except the
 *	       first one is dirty.
 *
 * Detect a PTE batch: consecutive present PTEs that map consecutive pages
 * of the same large folio, starting with @pte at @ptep, which may map any
 * page of @folio.
 *
 * This is folio_pte_batch() with one more flag. All PTEs of a batch have the
 * same PTE bits, excluding the PFN, the accessed bit, the dirty bit (with
 * FPB_IGNORE_DIRTY), the soft-dirty bit (with FPB_IGNORE_SOFT_DIRTY) and,
 * unless FPB_RESPECT_WRITE is given, the writable bit. uffd-wp and every
 * protection bit are always compared. Without FPB_RESPECT_WRITE the result
 * equals folio_pte_batch()'s. With FPB_RESPECT_WRITE but not
 * FPB_IGNORE_DIRTY, the dirty bit is compared as stored, so arm64's
 * hardware-dirty and software-dirty writable PTEs end a batch.
 *
 * The batch never extends past the end of @folio or past @max_nr entries.
 * @max_nr must be at least one and must be limited by the caller so that
 * scanning cannot exceed a single page table. The page table is only read.
 *
 * Context: The caller holds the page table lock.
 * Return: the number of table entries in the batch, at least 1.
 */
static inline unsigned int folio_pte_batch_flags(struct folio *folio,
		pte_t *ptep, pte_t pte, unsigned int max_nr, fpb_t flags,
		bool *any_writable, bool *any_young, bool *any_dirty)
{
	bool writable, young, dirty;
	unsigned int nr, cur_nr;
	pte_t expected_pte;

	if (any_writable)
		*any_writable = false;
	if (any_young)
		*any_young = false;
	if (any_dirty)
		*any_dirty = false;

	VM_WARN_ON_FOLIO(!pte_present(pte), folio);
	VM_WARN_ON_FOLIO(!folio_test_large(folio) || max_nr < 1, folio);
	VM_WARN_ON_FOLIO(page_folio(pfn_to_page(pte_pfn(pte))) != folio, folio);

	/* Limit max_nr to the actual remaining PFNs in the folio. */
	max_nr = min_t(unsigned long, max_nr,
		       folio_pfn(folio) + folio_nr_pages(folio) - pte_pfn(pte));

	nr = pte_batch_hint(ptep, pte);
	expected_pte = __pte_batch_clear_ignored_flags(pte_advance_pfn(pte, nr),
						       flags);
	ptep += nr;

	while (nr < max_nr) {
		pte = ptep_get(ptep);
		if (any_writable)
			writable = !!pte_write(pte);
		if (any_young)
			young = !!pte_young(pte);
		if (any_dirty)
			dirty = !!pte_dirty(pte);
		pte = __pte_batch_clear_ignored_flags(pte, flags);

		if (!pte_same(pte, expected_pte))
			break;

		if (any_writable)
			*any_writable |= writable;
		if (any_young)
			*any_young |= young;
		if (any_dirty)
			*any_dirty |= dirty;

		cur_nr = pte_batch_hint(ptep, pte);
		expected_pte = pte_advance_pfn(expected_pte, cur_nr);
		ptep += cur_nr;
		nr += cur_nr;
	}

	return min(nr, max_nr);
}

#ifndef get_and_clear_ptes
/**
 * get_and_clear_ptes - Clear present PTEs that map consecutive pages of
 *			the same folio, collecting dirty/accessed bits.
 * @mm: Address space the pages are mapped into.
 * @addr: Address the first page is mapped at.
 * @ptep: Page table pointer for the first entry.
 * @nr: Number of entries to clear.
 *
 * get_and_clear_full_ptes() outside of a full-mm teardown. The returned PTE
 * is the first entry with the dirty and accessed bits of all @nr entries
 * merged in; its other bits come from the first entry only. Nothing is
 * flushed from the TLB: that is the caller's job.
 *
 * Context: The caller holds the page table lock. The PTEs map consecutive
 * pages that belong to the same folio. The PTEs are all in the same PMD.
 * Return: the first PTE with the accessed and dirty bits of all @nr merged.
 */
static inline pte_t get_and_clear_ptes(struct mm_struct *mm,
		unsigned long addr, pte_t *ptep, unsigned int nr)
{
	VM_WARN_ON_ONCE(!nr || pte_index(addr) + nr > PTRS_PER_PTE);
	return get_and_clear_full_ptes(mm, addr, ptep, nr, 0);
}
#define get_and_clear_ptes get_and_clear_ptes
#endif

#ifndef clear_ptes
/**
 * clear_ptes - Clear present PTEs that map consecutive pages of the same
 *		folio.
 * @mm: Address space the pages are mapped into.
 * @addr: Address the first page is mapped at.
 * @ptep: Page table pointer for the first entry.
 * @nr: Number of entries to clear.
 *
 * clear_full_ptes() outside of a full-mm teardown, for callers that need
 * neither the old PTE nor its dirty and accessed bits. Nothing is flushed
 * from the TLB.
 *
 * Context: The caller holds the page table lock. The PTEs map consecutive
 * pages that belong to the same folio. The PTEs are all in the same PMD.
 */
static inline void clear_ptes(struct mm_struct *mm, unsigned long addr,
		pte_t *ptep, unsigned int nr)
{
	VM_WARN_ON_ONCE(!nr || pte_index(addr) + nr > PTRS_PER_PTE);
	clear_full_ptes(mm, addr, ptep, nr, 0);
}
#define clear_ptes clear_ptes
#endif

/**
 * make_swap_pte - the swap PTE that replaces a mapping being swapped out
 * @entry: The swap entry of the page.
 * @pteval: The PTE being replaced: present, or a device-exclusive entry.
 * @anon_exclusive: Whether the page was PageAnonExclusive().
 *
 * Build the swap PTE for @entry that carries exactly the state a later swapin
 * needs from @pteval: soft-dirty and uffd-wp, read from the present or the
 * swap-PTE bits as @pteval is present or not, and the exclusive marker
 * when @anon_exclusive. Write, accessed, dirty and protection bits are not
 * carried; dirtiness belongs to the folio.
 *
 * Return: the swap PTE.
 */
static inline pte_t make_swap_pte(swp_entry_t entry, pte_t pteval,
		bool anon_exclusive)
{
	pte_t swp_pte = swp_entry_to_pte(entry);

	if (anon_exclusive)
		swp_pte = pte_swp_mkexclusive(swp_pte);
	if (likely(pte_present(pteval))) {
		if (pte_soft_dirty(pteval))
			swp_pte = pte_swp_mksoft_dirty(swp_pte);
		if (pte_uffd_wp(pteval))
			swp_pte = pte_swp_mkuffd_wp(swp_pte);
	} else {
		if (pte_swp_soft_dirty(pteval))
			swp_pte = pte_swp_mksoft_dirty(swp_pte);
		if (pte_swp_uffd_wp(pteval))
			swp_pte = pte_swp_mkuffd_wp(swp_pte);
	}
	return swp_pte;
}

/**
 * set_swap_ptes - Install swap PTEs for consecutive swap entries.
 * @mm: Address space the PTEs belong to.
 * @addr: Address of the first PTE.
 * @ptep: Page table pointer for the first entry.
 * @pte: Swap PTE for the first entry.
 * @nr: Number of entries to set.
 *
 * Entry i gets pte_move_swp_offset(@pte, i): the same swap type and swap PTE
 * bits (soft-dirty, exclusive, uffd-wp) as @pte, and the swap offset plus i.
 * That is the run swap_pte_batch() detects, so swapping the folio back in
 * can map it as a whole.
 *
 * set_ptes() is for present PTEs only, so the entries are written one at a
 * time with set_pte_at().
 *
 * Context: The caller holds the page table lock. The entries are none, or
 * hold the uffd-wp marker pte_install_uffd_wp_if_needed() left after
 * clearing, and are all in the same PMD; @pte is a swap PTE for a real swap
 * device.
 */
static inline void set_swap_ptes(struct mm_struct *mm, unsigned long addr,
		pte_t *ptep, pte_t pte, unsigned int nr)
{
	VM_WARN_ON_ONCE(!nr || pte_index(addr) + nr > PTRS_PER_PTE);
	VM_WARN_ON_ONCE(!is_swap_pte(pte) ||
			non_swap_entry(pte_to_swp_entry(pte)));

	for (;;) {
		VM_WARN_ON_ONCE(!pte_none(ptep_get(ptep)) &&
				!pte_marker_uffd_wp(ptep_get(ptep)));
		set_pte_at(mm, addr, ptep, pte);
		if (--nr == 0)
			break;
		ptep++;
		addr += PAGE_SIZE;
		pte = pte_next_swp_offset(pte);
	}
}
