/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TLB flushing around try_to_unmap_one(): mm/pgtable-generic.c's
 * ptep_clear_flush(), and mm/rmap.c's deferred-flush batch
 * (should_defer_flush(), set_tlb_ubc_flush_pending(), try_to_unmap_flush())
 * as the series leaves them (a range for the pending flush), over the arch
 * backend's arch_tlbbatch_*() hooks. The
 * rmap.c ones are static there; the lib/ fragments that the patch series
 * splices into mm/rmap.c call them, so the model provides them here.
 */
#ifndef _PTEBATCH_TLB_H
#define _PTEBATCH_TLB_H

static inline pte_t ptep_clear_flush(struct vm_area_struct *vma,
		unsigned long address, pte_t *ptep)
{
	struct mm_struct *mm = (vma)->vm_mm;
	pte_t pte;

	pte = ptep_get_and_clear(mm, address, ptep);
	if (pte_accessible(mm, pte))
		flush_tlb_page(vma, address);
	return pte;
}

struct tlbflush_unmap_batch {
	struct arch_tlbflush_unmap_batch arch;
	bool flush_required;
	bool writable;
};

/* model: current->tlb_ubc */
extern struct tlbflush_unmap_batch ptb_tlb_ubc;

#define TLB_FLUSH_BATCH_FLUSHED_SHIFT	16
#define TLB_FLUSH_BATCH_PENDING_MASK			\
	((1 << (TLB_FLUSH_BATCH_FLUSHED_SHIFT - 1)) - 1)
#define TLB_FLUSH_BATCH_PENDING_LARGE			\
	(TLB_FLUSH_BATCH_PENDING_MASK / 2)

static inline void set_tlb_ubc_flush_pending(struct mm_struct *mm,
		pte_t pteval, unsigned long start, unsigned long end)
{
	struct tlbflush_unmap_batch *tlb_ubc = &ptb_tlb_ubc;
	int batch;
	bool writable = pte_dirty(pteval);

	if (!pte_accessible(mm, pteval))
		return;

	ptb_count(tlb_deferred, 1);	/* model */
	arch_tlbbatch_add_pending(&tlb_ubc->arch, mm, start, end);
	tlb_ubc->flush_required = true;

	barrier();
	batch = atomic_read(&mm->tlb_flush_batched);
	if ((batch & TLB_FLUSH_BATCH_PENDING_MASK) > TLB_FLUSH_BATCH_PENDING_LARGE)
		atomic_set(&mm->tlb_flush_batched, 1);
	else
		atomic_inc(&mm->tlb_flush_batched);

	if (writable)
		tlb_ubc->writable = true;
}

static inline bool should_defer_flush(struct mm_struct *mm,
		enum ttu_flags flags)
{
	if (!(flags & TTU_BATCH_FLUSH))
		return false;

	return arch_tlbbatch_should_defer(mm);
}

static inline void try_to_unmap_flush(void)
{
	struct tlbflush_unmap_batch *tlb_ubc = &ptb_tlb_ubc;

	if (!tlb_ubc->flush_required)
		return;

	arch_tlbbatch_flush(&tlb_ubc->arch);
	tlb_ubc->flush_required = false;
	tlb_ubc->writable = false;
}

#endif /* _PTEBATCH_TLB_H */
