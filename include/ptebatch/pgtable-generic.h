/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic page-table odds and ends that sit between the arch backend and the
 * batch helpers: hooks that are no-ops on x86-64 and arm64 in 6.12
 * (page_table_check, lazy MMU mode, cache flushing) and the two that the
 * model turns into test controls (pte_unused(), arch_unmap_one()).
 */
#ifndef _PTEBATCH_PGTABLE_GENERIC_H
#define _PTEBATCH_PGTABLE_GENERIC_H

#ifndef __HAVE_ARCH_ENTER_LAZY_MMU_MODE
#define arch_enter_lazy_mmu_mode()	do {} while (0)
#define arch_leave_lazy_mmu_mode()	do {} while (0)
#endif

#include <ptebatch/page_table_check.h>

static inline void flush_cache_range(struct vm_area_struct *vma,
		unsigned long start, unsigned long end)
{
}

static inline void flush_cache_page(struct vm_area_struct *vma,
		unsigned long addr, unsigned long pfn)
{
}

/*
 * model: pte_unused() is 0 on x86-64 and arm64; tests make it report
 * PTB_PTE_UNUSED_BIT to cover try_to_unmap_one()'s s390 branch.
 */
extern pteval_t ptb_pte_unused_mask;

static inline int pte_unused(pte_t pte)
{
	return !!(pte_val(pte) & ptb_pte_unused_mask);
}

/*
 * model: arch_unmap_one() returns 0 on every arch but sparc64; tests make it
 * fail at one address to cover the failure path of the swap-out commit.
 */
extern unsigned long ptb_fail_unmap_one_addr;

static inline int arch_unmap_one(struct mm_struct *mm,
		struct vm_area_struct *vma, unsigned long addr, pte_t orig_pte)
{
	return addr == ptb_fail_unmap_one_addr ? -EINVAL : 0;
}

#endif /* _PTEBATCH_PGTABLE_GENERIC_H */
