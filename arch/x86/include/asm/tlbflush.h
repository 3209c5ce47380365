/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 TLB flushing as the PTE model sees it: linux-source-6.12's
 * arch/x86/include/asm/tlbflush.h (flush_tlb_page(), flush_tlb_range(),
 * flush_tlb_mm() and the arch_tlbbatch_*() hooks of deferred reclaim
 * flushes), asm/tlbbatch.h, and arch/x86/mm/tlb.c's flush_tlb_mm_range()
 * and arch_tlbbatch_flush() reduced to what they cost.
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
					     struct mm_struct *mm,
					     unsigned long uaddr)
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
	if (batch->pending)
		ptb_count(tlbi_ranges, 1);
	batch->pending = 0;
}

#endif /* _ASM_X86_TLBFLUSH_H */
