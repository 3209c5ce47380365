/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/internal.h's PTE-batch helpers as the patch series leaves them: fpb_t
 * and folio_pte_batch() (6.12's, extended in place with FPB_RESPECT_WRITE),
 * pte_move_swp_offset(), pte_next_swp_offset() and swap_pte_batch() (6.12's,
 * unchanged), the swap-PTE helpers the series adds after them,
 * make_swap_pte() and set_swap_ptes(), and page_anon_exclusive_batch()
 * (the try_to_unmap_one() series); vma_folio_pte_batch() (the mremap
 * series, used by the mprotect series too).
 *
 * Each definition here is the patched tree's, byte for byte: the series
 * puts the changed and new ones in place (kernel-glue/splice.pl sync) and
 * kernel-glue/check-copies proves the whole file against the patched
 * mm/internal.h (make check with a kernel tree, make kernel-patch, make
 * kernel-check).
 *
 * Included by the environment header; includes nothing itself.
 */
#ifndef _PTEBATCH_LIB_MM_INTERNAL_H
#define _PTEBATCH_LIB_MM_INTERNAL_H

/* Flags for folio_pte_batch(). */
typedef int __bitwise fpb_t;

/* Compare PTEs after pte_mkclean(), ignoring the dirty bit. */
#define FPB_IGNORE_DIRTY		((__force fpb_t)BIT(0))

/* Compare PTEs after pte_clear_soft_dirty(), ignoring the soft-dirty bit. */
#define FPB_IGNORE_SOFT_DIRTY		((__force fpb_t)BIT(1))

/*
 * Compare PTEs respecting the writable bit: a batch is then either all
 * writable or all read-only. Without FPB_IGNORE_DIRTY the dirty bit is
 * compared as stored, so on arm64 a writable batch also ends where hardware
 * and software dirty entries meet.
 */
#define FPB_RESPECT_WRITE		((__force fpb_t)BIT(2))

static inline pte_t __pte_batch_clear_ignored(pte_t pte, fpb_t flags)
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
 * folio_pte_batch - detect a PTE batch for a large folio
 * @folio: The large folio to detect a PTE batch for.
 * @addr: The user virtual address the first page is mapped at.
 * @start_ptep: Page table pointer for the first entry.
 * @pte: Page table entry for the first page.
 * @max_nr: The maximum number of table entries to consider.
 * @flags: Flags to modify the PTE batch semantics.
 * @any_writable: Optional pointer to indicate whether any entry except the
 *		  first one is writable.
 * @any_young: Optional pointer to indicate whether any entry except the
 *		  first one is young.
 * @any_dirty: Optional pointer to indicate whether any entry except the
 *		  first one is dirty.
 *
 * Detect a PTE batch: consecutive (present) PTEs that map consecutive
 * pages of the same large folio.
 *
 * All PTEs inside a PTE batch have the same PTE bits set, excluding the PFN,
 * the accessed bit, writable bit (without FPB_RESPECT_WRITE), dirty bit (with
 * FPB_IGNORE_DIRTY) and soft-dirty bit (with FPB_IGNORE_SOFT_DIRTY).
 *
 * start_ptep must map any page of the folio. max_nr must be at least one and
 * must be limited by the caller so scanning cannot exceed a single page table.
 *
 * Return: the number of table entries in the batch.
 */
static inline int folio_pte_batch(struct folio *folio, unsigned long addr,
		pte_t *start_ptep, pte_t pte, int max_nr, fpb_t flags,
		bool *any_writable, bool *any_young, bool *any_dirty)
{
	pte_t expected_pte, *ptep;
	bool writable, young, dirty;
	int nr, cur_nr;

	if (any_writable)
		*any_writable = false;
	if (any_young)
		*any_young = false;
	if (any_dirty)
		*any_dirty = false;

	VM_WARN_ON_FOLIO(!pte_present(pte), folio);
	VM_WARN_ON_FOLIO(!folio_test_large(folio) || max_nr < 1, folio);
	VM_WARN_ON_FOLIO(page_folio(pfn_to_page(pte_pfn(pte))) != folio, folio);

	/* Limit max_nr to the actual remaining PFNs in the folio we could batch. */
	max_nr = min_t(unsigned long, max_nr,
		       folio_pfn(folio) + folio_nr_pages(folio) - pte_pfn(pte));

	nr = pte_batch_hint(start_ptep, pte);
	expected_pte = __pte_batch_clear_ignored(pte_advance_pfn(pte, nr), flags);
	ptep = start_ptep + nr;

	while (nr < max_nr) {
		pte = ptep_get(ptep);
		if (any_writable)
			writable = !!pte_write(pte);
		if (any_young)
			young = !!pte_young(pte);
		if (any_dirty)
			dirty = !!pte_dirty(pte);
		pte = __pte_batch_clear_ignored(pte, flags);

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

/**
 * pte_move_swp_offset - Move the swap entry offset field of a swap pte
 *	 forward or backward by delta
 * @pte: The initial pte state; is_swap_pte(pte) must be true and
 *	 non_swap_entry() must be false.
 * @delta: The direction and the offset we are moving; forward if delta
 *	 is positive; backward if delta is negative
 *
 * Moves the swap offset, while maintaining all other fields, including
 * swap type, and any swp pte bits. The resulting pte is returned.
 */
static inline pte_t pte_move_swp_offset(pte_t pte, long delta)
{
	swp_entry_t entry = pte_to_swp_entry(pte);
	pte_t new = __swp_entry_to_pte(__swp_entry(swp_type(entry),
						   (swp_offset(entry) + delta)));

	if (pte_swp_soft_dirty(pte))
		new = pte_swp_mksoft_dirty(new);
	if (pte_swp_exclusive(pte))
		new = pte_swp_mkexclusive(new);
	if (pte_swp_uffd_wp(pte))
		new = pte_swp_mkuffd_wp(new);

	return new;
}


/**
 * pte_next_swp_offset - Increment the swap entry offset field of a swap pte.
 * @pte: The initial pte state; is_swap_pte(pte) must be true and
 *	 non_swap_entry() must be false.
 *
 * Increments the swap offset, while maintaining all other fields, including
 * swap type, and any swp pte bits. The resulting pte is returned.
 */
static inline pte_t pte_next_swp_offset(pte_t pte)
{
	return pte_move_swp_offset(pte, 1);
}

/**
 * swap_pte_batch - detect a PTE batch for a set of contiguous swap entries
 * @start_ptep: Page table pointer for the first entry.
 * @max_nr: The maximum number of table entries to consider.
 * @pte: Page table entry for the first entry.
 *
 * Detect a batch of contiguous swap entries: consecutive (non-present) PTEs
 * containing swap entries all with consecutive offsets and targeting the same
 * swap type, all with matching swp pte bits.
 *
 * max_nr must be at least one and must be limited by the caller so scanning
 * cannot exceed a single page table.
 *
 * Return: the number of table entries in the batch.
 */
static inline int swap_pte_batch(pte_t *start_ptep, int max_nr, pte_t pte)
{
	pte_t expected_pte = pte_next_swp_offset(pte);
	const pte_t *end_ptep = start_ptep + max_nr;
	swp_entry_t entry = pte_to_swp_entry(pte);
	pte_t *ptep = start_ptep + 1;
	unsigned short cgroup_id;

	VM_WARN_ON(max_nr < 1);
	VM_WARN_ON(!is_swap_pte(pte));
	VM_WARN_ON(non_swap_entry(entry));

	cgroup_id = lookup_swap_cgroup_id(entry);
	while (ptep < end_ptep) {
		pte = ptep_get(ptep);

		if (!pte_same(pte, expected_pte))
			break;
		if (lookup_swap_cgroup_id(pte_to_swp_entry(pte)) != cgroup_id)
			break;
		expected_pte = pte_next_swp_offset(expected_pte);
		ptep++;
	}

	return ptep - start_ptep;
}

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

/**
 * page_anon_exclusive_batch - count pages that agree on PageAnonExclusive
 * @page: The first page, of an anonymous folio.
 * @max_nr_pages: The maximum number of pages to look at.
 *
 * A PTE batch looks at PTEs, not at pages: a read-only batch may map
 * exclusive and shared pages of one folio side by side (after fork(), say),
 * and what depends on PageAnonExclusive() must be done in runs of pages
 * that agree on it. The run starts at the page the batch's first PTE maps,
 * not at the folio's first page.
 *
 * Return: the number of consecutive pages, starting at @page and at most
 * @max_nr_pages, whose PageAnonExclusive() equals that of @page.
 */
static inline unsigned long page_anon_exclusive_batch(struct page *page,
		unsigned long max_nr_pages)
{
	bool anon_exclusive = PageAnonExclusive(page);
	unsigned long nr_pages = 1;

	while (nr_pages < max_nr_pages &&
	       PageAnonExclusive(nth_page(page, nr_pages)) == anon_exclusive)
		nr_pages++;
	return nr_pages;
}

/**
 * vma_folio_pte_batch - number of present PTEs that change as one
 * @vma: The VMA the PTEs belong to.
 * @addr: Address of the first PTE.
 * @ptep: Page table pointer for the first PTE.
 * @pte: The first PTE, present and in a contpte block (pte_batch_hint() > 1).
 * @max_nr: The number of PTEs the caller may batch, within this page table.
 *
 * A batch is a run of present PTEs that map consecutive pages of one large
 * folio and agree on every bit but the PFN, the accessed and the dirty bit:
 * in particular on write, soft-dirty and uffd-wp, so that set_ptes() of the
 * first PTE, carrying the accessed and dirty bits of the whole run, stands
 * for every PTE of the run. move_ptes() and change_pte_range() move or
 * change such a run at once.
 *
 * Only a run that starts in a contpte block is worth detecting, so the
 * caller tests pte_batch_hint() first: elsewhere each PTE still takes its
 * own get-and-clear and store, so a batch saves less than finding it costs
 * (a vm_normal_folio() lookup, whose struct page is often cold, and a
 * second pass over the PTEs). Where pte_batch_hint() is always 1, as on
 * x86, the callers compile to their per-PTE loops.
 *
 * Return: the number of PTEs in the batch, at least 1.
 */
static inline unsigned int vma_folio_pte_batch(struct vm_area_struct *vma,
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

#endif /* _PTEBATCH_LIB_MM_INTERNAL_H */
