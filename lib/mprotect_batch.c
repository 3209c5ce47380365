/* SPDX-License-Identifier: GPL-2.0 */
/* ptebatch: spliced into mm/mprotect.c before change_pte_range(). */

/**
 * commit_prot_ptes - commit new protections to a run of PTEs
 * @tlb: The mmu_gather that flushes the changed PTEs.
 * @vma: The VMA the PTEs belong to.
 * @addr: Address of the first PTE.
 * @ptep: Page table pointer for the first PTE.
 * @oldpte: The first PTE as modify_prot_start_ptes() returned it.
 * @ptent: The new first PTE.
 * @nr_ptes: The number of PTEs in the run.
 * @try_writable: Make the run writable if can_change_pte_writable() allows
 *		  it for its first PTE.
 *
 * Context: The caller started the transaction on the run with
 * modify_prot_start_ptes() and holds the page table lock. The run's PTEs
 * agree on everything can_change_pte_writable() looks at.
 */
static __always_inline void commit_prot_ptes(struct mmu_gather *tlb,
		struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
		pte_t oldpte, pte_t ptent, unsigned int nr_ptes,
		bool try_writable)
{
	if (try_writable && can_change_pte_writable(vma, addr, ptent))
		ptent = pte_mkwrite(ptent, vma);

	if (nr_ptes == 1)
		ptep_modify_prot_commit(vma, addr, ptep, oldpte, ptent);
	else
		modify_prot_commit_ptes(vma, addr, ptep, oldpte, ptent,
					nr_ptes);
	if (pte_needs_flush(oldpte, ptent))
		tlb_flush_pte_range(tlb, addr, nr_ptes * PAGE_SIZE);
}

/**
 * commit_prot_anon_ptes - commit a batch of a private mapping that may
 *			   become writable
 * @tlb: The mmu_gather that flushes the changed PTEs.
 * @vma: The VMA the PTEs belong to, private and writable.
 * @addr: Address of the first PTE.
 * @ptep: Page table pointer for the first PTE.
 * @oldpte: The first PTE as modify_prot_start_ptes() returned it.
 * @ptent: The new first PTE, not writable.
 * @nr_ptes: The number of PTEs in the batch.
 *
 * In a private mapping can_change_pte_writable() allows a PTE to become
 * writable only if it maps an exclusive anonymous page, a property of the
 * page, not of the PTE: a batch of an anonymous folio may map exclusive
 * and shared pages side by side (after fork(), say). Commit it in runs of
 * pages that agree on PageAnonExclusive(), each decided on its own first
 * page, so that a PTE is made writable exactly where the per-PTE loop
 * would make it writable.
 *
 * Context: As for commit_prot_ptes().
 */
static void commit_prot_anon_ptes(struct mmu_gather *tlb,
		struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
		pte_t oldpte, pte_t ptent, unsigned int nr_ptes)
{
	struct page *page = vm_normal_page(vma, addr, ptent);
	unsigned int nr;

	if (!page || !PageAnon(page)) {
		commit_prot_ptes(tlb, vma, addr, ptep, oldpte, ptent, nr_ptes,
				 true);
		return;
	}

	for (;;) {
		nr = page_anon_exclusive_batch(page, nr_ptes);
		commit_prot_ptes(tlb, vma, addr, ptep, oldpte, ptent, nr, true);
		nr_ptes -= nr;
		if (!nr_ptes)
			break;
		page = nth_page(page, nr);
		addr += nr * PAGE_SIZE;
		ptep += nr;
		oldpte = pte_advance_pfn(oldpte, nr);
		ptent = pte_advance_pfn(ptent, nr);
	}
}

/**
 * change_present_ptes - change the protection of present PTEs
 * @tlb: The mmu_gather that flushes the changed PTEs.
 * @vma: The VMA the PTEs belong to.
 * @addr: Address of the first PTE.
 * @ptep: Page table pointer for the first PTE.
 * @nr_ptes: The number of PTEs: 1, or a batch that vma_folio_pte_batch()
 *	     found.
 * @newprot: The new protection.
 * @cp_flags: MM_CP_* flags of change_protection().
 *
 * 6.12's change_pte_range() body for a present PTE, after its NUMA hinting
 * checks, for a batch: the PTEs are started together, given @newprot and
 * the uffd-wp change, made writable where can_change_pte_writable() allows
 * it, committed and flushed where pte_needs_flush() says so.
 *
 * Always inlined, as copy_present_ptes() and zap_present_ptes() in
 * mm/memory.c inline theirs: change_pte_range() calls it with a constant 1
 * for a single PTE, which then compiles to 6.12's per-PTE change, with
 * ptep_modify_prot_start() and ptep_modify_prot_commit() (an arch's batched
 * versions may be out of line, as arm64's are, and take a single PTE
 * through their batch code at run time).
 *
 * Context: The caller holds the page table lock.
 */
static __always_inline void change_present_ptes(struct mmu_gather *tlb,
		struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
		unsigned int nr_ptes, pgprot_t newprot, unsigned long cp_flags)
{
	bool uffd_wp = cp_flags & MM_CP_UFFD_WP;
	bool uffd_wp_resolve = cp_flags & MM_CP_UFFD_WP_RESOLVE;
	bool try_writable;
	pte_t oldpte, ptent;

	if (nr_ptes == 1)
		oldpte = ptep_modify_prot_start(vma, addr, ptep);
	else
		oldpte = modify_prot_start_ptes(vma, addr, ptep, nr_ptes);
	ptent = pte_modify(oldpte, newprot);

	if (uffd_wp)
		ptent = pte_mkuffd_wp(ptent);
	else if (uffd_wp_resolve)
		ptent = pte_clear_uffd_wp(ptent);

	/*
	 * In some writable, shared mappings, we might want
	 * to catch actual write access -- see
	 * vma_wants_writenotify().
	 *
	 * In all writable, private mappings, we have to
	 * properly handle COW.
	 *
	 * In both cases, we can sometimes still change PTEs
	 * writable and avoid the write-fault handler, for
	 * example, if a PTE is already dirty and no other
	 * COW or special handling is required.
	 */
	try_writable = (cp_flags & MM_CP_TRY_CHANGE_WRITABLE) &&
		       !pte_write(ptent);

	if (nr_ptes > 1 && try_writable && !(vma->vm_flags & VM_SHARED))
		commit_prot_anon_ptes(tlb, vma, addr, ptep, oldpte, ptent,
				      nr_ptes);
	else
		commit_prot_ptes(tlb, vma, addr, ptep, oldpte, ptent, nr_ptes,
				 try_writable);
}

/**
 * change_contpte_ptes - change the protection of the PTEs from one that a
 *			 contpte block holds: a batch, or that PTE alone
 * @tlb: The mmu_gather that flushes the changed PTEs.
 * @vma: The VMA the PTEs belong to.
 * @addr: Address of the first PTE.
 * @ptep: Page table pointer for the first PTE.
 * @pte: The first PTE, present, with pte_batch_hint() > 1.
 * @end: End of the range change_pte_range() changes in this page table.
 * @newprot: The new protection.
 * @cp_flags: MM_CP_* flags of change_protection().
 *
 * Out of line, so that change_pte_range()'s per-PTE loop keeps 6.12's
 * registers: with the batch path inlined into it, arm64 kept the page
 * table pointer in a caller-saved register and spilled it around each
 * single PTE's calls (mprotect() of 4K pages 4% slower than 6.12 under
 * qemu -icount; out of line, 1% faster).
 *
 * Context: The caller holds the page table lock.
 *
 * Return: the number of PTEs changed, at least 1.
 */
static noinline unsigned int change_contpte_ptes(struct mmu_gather *tlb,
		struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
		pte_t pte, unsigned long end, pgprot_t newprot,
		unsigned long cp_flags)
{
	unsigned int nr_ptes = vma_folio_pte_batch(vma, addr, ptep, pte,
					(end - addr) >> PAGE_SHIFT);

	if (nr_ptes == 1)
		change_present_ptes(tlb, vma, addr, ptep, 1, newprot, cp_flags);
	else
		change_present_ptes(tlb, vma, addr, ptep, nr_ptes, newprot,
				    cp_flags);
	return nr_ptes;
}
