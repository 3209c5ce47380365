/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 TLB maintenance, modelled on linux-source-6.12's
 * arch/arm64/include/asm/tlbflush.h, with struct arch_tlbflush_unmap_batch
 * from arch/arm64/include/asm/tlbbatch.h and TLB_FLUSH_VMA() from
 * include/linux/mm.h.
 *
 * model: there is no TLB. A TLBI by VA counts one ptb_costs.tlbi_pages; a
 * ranged invalidation of more than one page (__flush_tlb_range_nosync()
 * and its callers) counts one ptb_costs.tlbi_ranges and its pages in
 * tlbi_range_pages; barriers (DSB, ISB) count nothing. ASIDs, KPTI user
 * ASIDs, TTL hints, the ARM64_WORKAROUND_REPEAT_TLBI erratum and MMU
 * notifiers are not modelled, nor are the kernel-range and whole-mm
 * flushes.
 */
#ifndef __ASM_TLBFLUSH_H
#define __ASM_TLBFLUSH_H

#include <limits.h>

/* model: arch/arm64/include/asm/barrier.h; the model's CPU is in order */
#define isb()		barrier()
#define dsb(opt)	barrier()

/* model: include/linux/math.h */
#ifndef round_up
#define __round_mask(x, y) ((__typeof__(x))((y)-1))
#define round_up(x, y) ((((x)-1) | __round_mask(x, y))+1)
#define round_down(x, y) ((x) & ~__round_mask(x, y))
#endif

/* include/linux/mm.h */
#ifndef TLB_FLUSH_VMA
#define TLB_FLUSH_VMA(mm,flags) { .vm_mm = (mm), .vm_flags = (flags) }
#endif

/* arch/arm64/include/asm/tlbbatch.h */
struct arch_tlbflush_unmap_batch {
	/*
	 * For arm64, HW can do tlb shootdown, so we don't
	 * need to record cpumask for sending IPI
	 */
};

#define TLBI_TTL_UNKNOWN	INT_MAX

/*
 * Complete broadcast TLB maintenance issued by the host which invalidates
 * stage 1 information in the host's own translation regime.
 */
static inline void __tlbi_sync_s1ish(void)
{
	dsb(ish);
	/* model: no ARM64_WORKAROUND_REPEAT_TLBI (__repeat_tlbi_sync()) */
}

static inline void __flush_tlb_page_nosync(struct mm_struct *mm,
					   unsigned long uaddr)
{
	dsb(ishst);
	/*
	 * model: TLBI VALE1IS of (uaddr, ASID(mm)), its KPTI user-ASID twin and
	 * the secondary-TLB notifier are one counted page invalidation.
	 */
	ptb_count(tlbi_pages, 1);
	ptb_log_flush(uaddr, uaddr + PAGE_SIZE);
}

static inline void flush_tlb_page_nosync(struct vm_area_struct *vma,
					 unsigned long uaddr)
{
	return __flush_tlb_page_nosync(vma->vm_mm, uaddr);
}

static inline void flush_tlb_page(struct vm_area_struct *vma,
				  unsigned long uaddr)
{
	flush_tlb_page_nosync(vma, uaddr);
	__tlbi_sync_s1ish();
}

static inline bool arch_tlbbatch_should_defer(struct mm_struct *mm)
{
	return true;
}

/*
 * To support TLB batched flush for multiple pages unmapping, we only send
 * the TLBI for each page in arch_tlbbatch_add_pending() and wait for the
 * completion at the end in arch_tlbbatch_flush(). Since we've already issued
 * TLBI for each page so only a DSB is needed to synchronise its effect on the
 * other CPUs.
 *
 * This will save the time waiting on DSB comparing issuing a TLBI;DSB sequence
 * for each page.
 */
static inline void arch_tlbbatch_flush(struct arch_tlbflush_unmap_batch *batch)
{
	__tlbi_sync_s1ish();
}

/*
 * This is meant to avoid soft lock-ups on large TLB flushing ranges and not
 * necessarily a performance improvement.
 */
#define MAX_DVM_OPS	PTRS_PER_PTE

static inline void __flush_tlb_range_nosync(struct mm_struct *mm,
				     unsigned long start, unsigned long end,
				     unsigned long stride, bool last_level,
				     int tlb_level)
{
	unsigned long pages;

	start = round_down(start, stride);
	end = round_up(end, stride);
	pages = (end - start) >> PAGE_SHIFT;

	/*
	 * model: the flush_tlb_mm() fallback for ranges too large for
	 * MAX_DVM_OPS/MAX_TLBI_RANGE_PAGES, and the __flush_tlb_range_op()
	 * loop (range TLBIs with FEAT_TLBIRANGE, else one TLBI VALE1IS/VAE1IS
	 * per stride), are one counted ranged invalidation of @pages pages;
	 * a single page is the one TLBI VALE1IS/VAE1IS __flush_tlb_range_op()
	 * issues for it, a counted page invalidation.
	 */
	dsb(ishst);
	if (pages == 1) {
		ptb_count(tlbi_pages, 1);
	} else {
		ptb_count(tlbi_ranges, 1);
		ptb_count(tlbi_range_pages, pages);
	}
	ptb_log_flush(start, end);
}

static inline void __flush_tlb_range(struct vm_area_struct *vma,
				     unsigned long start, unsigned long end,
				     unsigned long stride, bool last_level,
				     int tlb_level)
{
	__flush_tlb_range_nosync(vma->vm_mm, start, end, stride,
				 last_level, tlb_level);
	__tlbi_sync_s1ish();
}

static inline void flush_tlb_range(struct vm_area_struct *vma,
				   unsigned long start, unsigned long end)
{
	/*
	 * We cannot use leaf-only invalidation here, since we may be invalidating
	 * table entries as part of collapsing hugepages or moving page tables.
	 * Set the tlb_level to TLBI_TTL_UNKNOWN because we can not get enough
	 * information here.
	 */
	__flush_tlb_range(vma, start, end, PAGE_SIZE, false, TLBI_TTL_UNKNOWN);
}

static inline void arch_tlbbatch_add_pending(struct arch_tlbflush_unmap_batch *batch,
		struct mm_struct *mm, unsigned long start, unsigned long end)
{
	/*
	 * Reclaim of a small folio adds one page at a time: give it the page
	 * TLBI it had before, without the range checks and the loop of
	 * __flush_tlb_range_nosync(), which cost more than the TLBI itself.
	 */
	if (end - start == PAGE_SIZE)
		__flush_tlb_page_nosync(mm, start);
	else
		__flush_tlb_range_nosync(mm, start, end, PAGE_SIZE, true, 3);
}

#endif /* __ASM_TLBFLUSH_H */
