/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 TLB flushing as the PTE model sees it: linux-source-6.12's
 * arch/x86/include/asm/tlbflush.h (flush_tlb_page(), flush_tlb_range(),
 * flush_tlb_mm() and the arch_tlbbatch_*() hooks of deferred reclaim
 * flushes), asm/tlbbatch.h, and arch/x86/mm/tlb.c's flush_tlb_mm_range()
 * and arch_tlbbatch_flush() reduced to what they cost; pte_needs_flush()
 * (mprotect's flush decision) as 6.12 has it.
 *
 * No CPUs, cpumasks, IPIs, tlb_gen or mmu notifiers are modelled: the mm is
 * taken to be live on other CPUs (so reclaim always defers its flush), and
 * each flush only counts into ptb_costs.
 */
#ifndef _ASM_X86_TLBFLUSH_H
#define _ASM_X86_TLBFLUSH_H

/* asm/tlbbatch.h */
struct arch_tlbflush_unmap_batch {
	/*
	 * model: the cpumask of CPUs that may cache a translation being
	 * unmapped becomes the number of arch_tlbbatch_add_pending() calls
	 * since the last arch_tlbbatch_flush().
	 */
	unsigned long pending;
};

#define TLB_FLUSH_ALL	-1UL

/*
 * model: arch/x86/mm/tlb.c's flush_tlb_mm_range(). One page flushed by
 * flush_tlb_page() (which alone passes !freed_tables) counts as a page
 * TLBI; anything else, flush_tlb_range() of any size included, as a ranged
 * one covering (end - start) >> PAGE_SHIFT pages, or none for a full flush.
 */
static inline void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start,
				      unsigned long end,
				      unsigned int stride_shift,
				      bool freed_tables)
{
	ptb_log_flush(start, end);
	if (!freed_tables && end != TLB_FLUSH_ALL &&
	    end - start == 1UL << stride_shift) {
		ptb_count(tlbi_pages, 1);
		return;
	}
	ptb_count(tlbi_ranges, 1);
	if (end != TLB_FLUSH_ALL)
		ptb_count(tlbi_range_pages, (end - start) >> PAGE_SHIFT);
}

#define flush_tlb_mm(mm)						\
		flush_tlb_mm_range(mm, 0UL, TLB_FLUSH_ALL, 0UL, true)

/* model: no hugetlb VMAs, so the stride is always PAGE_SHIFT */
#define flush_tlb_range(vma, start, end)				\
	flush_tlb_mm_range((vma)->vm_mm, start, end,			\
			   PAGE_SHIFT, true)

static inline void flush_tlb_page(struct vm_area_struct *vma, unsigned long a)
{
	flush_tlb_mm_range(vma->vm_mm, a, a + PAGE_SIZE, PAGE_SHIFT, false);
}

static inline bool arch_tlbbatch_should_defer(struct mm_struct *mm)
{
	/* model: remote CPUs always need to be flushed, so defer */
	return true;
}

static inline void arch_tlbbatch_add_pending(struct arch_tlbflush_unmap_batch *batch,
		struct mm_struct *mm, unsigned long start, unsigned long end)
{
	/*
	 * model: inc_mm_tlb_gen(), the cpumask_or() of mm_cpumask(mm) and
	 * the mmu notifier call just mark the batch pending; nothing is
	 * flushed (or counted) until arch_tlbbatch_flush().
	 */
	batch->pending++;
}

static inline void arch_flush_tlb_batched_pending(struct mm_struct *mm)
{
	flush_tlb_mm(mm);
}

/*
 * model: arch/x86/mm/tlb.c's arch_tlbbatch_flush(): one full flush of the
 * CPUs in the batch, if any, counted as one ranged TLBI.
 */
static inline void arch_tlbbatch_flush(struct arch_tlbflush_unmap_batch *batch)
{
	if (batch->pending) {
		ptb_count(tlbi_ranges, 1);
		ptb_log_flush(0, TLB_FLUSH_ALL);
	}
	batch->pending = 0;
}

static inline bool pte_flags_need_flush(unsigned long oldflags,
					unsigned long newflags,
					bool ignore_access)
{
	/*
	 * Flags that require a flush when cleared but not when they are set.
	 * Only include flags that would not trigger spurious page-faults.
	 * Non-present entries are not cached. Hardware would set the
	 * dirty/access bit if needed without a fault.
	 */
	const pteval_t flush_on_clear = _PAGE_DIRTY | _PAGE_PRESENT |
					_PAGE_ACCESSED;
	const pteval_t software_flags = _PAGE_SOFTW1 | _PAGE_SOFTW2 |
					_PAGE_SOFTW3 | _PAGE_SOFTW4 |
					_PAGE_SAVED_DIRTY;
	const pteval_t flush_on_change = _PAGE_RW | _PAGE_USER | _PAGE_PWT |
			  _PAGE_PCD | _PAGE_PSE | _PAGE_GLOBAL | _PAGE_PAT |
			  _PAGE_PAT_LARGE | _PAGE_PKEY_BIT0 | _PAGE_PKEY_BIT1 |
			  _PAGE_PKEY_BIT2 | _PAGE_PKEY_BIT3 | _PAGE_NX;
	unsigned long diff = oldflags ^ newflags;

	BUILD_BUG_ON(flush_on_clear & software_flags);
	BUILD_BUG_ON(flush_on_clear & flush_on_change);
	BUILD_BUG_ON(flush_on_change & software_flags);

	/* Ignore software flags */
	diff &= ~software_flags;

	if (ignore_access)
		diff &= ~_PAGE_ACCESSED;

	/*
	 * Did any of the 'flush_on_clear' flags was clleared set from between
	 * 'oldflags' and 'newflags'?
	 */
	if (diff & oldflags & flush_on_clear)
		return true;

	/* Flush on modified flags. */
	if (diff & flush_on_change)
		return true;

	/* Ensure there are no flags that were left behind */
	if (IS_ENABLED(CONFIG_DEBUG_VM) &&
	    (diff & ~(flush_on_clear | software_flags | flush_on_change))) {
		VM_WARN_ON_ONCE(1);
		return true;
	}

	return false;
}

/*
 * pte_needs_flush() checks whether permissions were demoted and require a
 * flush. It should only be used for userspace PTEs.
 */
static inline bool pte_needs_flush(pte_t oldpte, pte_t newpte)
{
	/* !PRESENT -> * ; no need for flush */
	if (!(pte_flags(oldpte) & _PAGE_PRESENT))
		return false;

	/* PFN changed ; needs flush */
	if (pte_pfn(oldpte) != pte_pfn(newpte))
		return true;

	/*
	 * check PTE flags; ignore access-bit; see comment in
	 * ptep_clear_flush_young().
	 */
	return pte_flags_need_flush(pte_flags(oldpte), pte_flags(newpte),
				    true);
}
#define pte_needs_flush pte_needs_flush

#endif /* _ASM_X86_TLBFLUSH_H */
