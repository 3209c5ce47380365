/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page-table walk and locks of the call-site models (mremap's
 * move_ptes(), mprotect's change_pte_range()): the PTE tables are the
 * model's and the pmd pointers are not used. pte_offset_map_lock() finds
 * an existing table (NULL, as when it is gone, else), pte_offset_map_nolock()
 * allocates one; one lock, ptb_model_ptl, stands for all page table locks.
 */
#ifndef _PTB_MODEL_PTL_H
#define _PTB_MODEL_PTL_H

#include "internal.h"
#include <ptebatch/model.h>

static inline pte_t *pte_offset_map_lock(struct mm_struct *mm, pmd_t *pmd,
		unsigned long addr, spinlock_t **ptlp)
{
	*ptlp = &ptb_model_ptl;
	spin_lock(*ptlp);
	return ptb_pte_offset(mm, addr);
}

static inline pte_t *pte_offset_map_nolock(struct mm_struct *mm, pmd_t *pmd,
		unsigned long addr, spinlock_t **ptlp)
{
	*ptlp = &ptb_model_ptl;
	return ptb_pte_slot(mm, addr, true);
}

#define SINGLE_DEPTH_NESTING			1
#define spin_lock_nested(lock, subclass)	spin_lock(lock)
#define pte_unmap(pte)				((void)(pte))
#define pte_unmap_unlock(pte, ptl)		spin_unlock(ptl)

/* model: mm/rmap.c's flush of a pending deferred batch: none is pending */
static inline void flush_tlb_batched_pending(struct mm_struct *mm)
{
}

#endif /* _PTB_MODEL_PTL_H */
