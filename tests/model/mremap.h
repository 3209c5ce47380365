/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two move_ptes() models the mremap equivalence compares:
 *
 * mremap_6_12_move_ptes()   linux-source-6.12's move_ptes() (mm/mremap.c),
 *                           one PTE at a time: tests/model/mremap_6_12.c;
 * mremap_batched_move_ptes() move_ptes() as the mremap series leaves it,
 *                           with lib/mremap_batch.c: mremap_batched.c.
 *
 * Both files hold mm/mremap.c's definitions verbatim, less what
 * kernel-glue/linux-6.12/copies.d lists (kernel-glue/check-copies), and
 * each adds a wrapper that calls move_ptes() for one page-table extent, as
 * move_page_tables() does. What move_ptes() takes from the rest of the
 * kernel is below, as the model has it.
 */
#ifndef _PTB_MREMAP_H
#define _PTB_MREMAP_H

#include "internal.h"
#include <ptebatch/model.h>
#include "model/ptl.h"

/* model: no i_mmap_rwsem or anon_vma locks to take */
static inline void take_rmap_locks(struct vm_area_struct *vma)
{
}

static inline void drop_rmap_locks(struct vm_area_struct *vma)
{
}

/*
 * model: the uffd context's UFFD_FEATURE_EVENT_REMAP, as a VMA flag:
 * include/linux/userfaultfd_k.h's vma_has_uffd_without_event_remap() is
 * true for a VMA registered with userfaultfd without it.
 */
#define VM_PTB_UFFD_EVENT_REMAP	BIT(62)

static inline bool vma_has_uffd_without_event_remap(struct vm_area_struct *vma)
{
	return (vma->vm_flags & __VM_UFFD_FLAGS) &&
	       !(vma->vm_flags & VM_PTB_UFFD_EVENT_REMAP);
}

/*
 * Move the PTEs of [@old_addr, @old_end), which lie in one page table, to
 * @new_addr, which lies in one page table too: move_ptes() with
 * need_rmap_locks false.
 */
int mremap_6_12_move_ptes(struct vm_area_struct *vma, unsigned long old_addr,
			  unsigned long old_end, struct vm_area_struct *new_vma,
			  unsigned long new_addr);
int mremap_batched_move_ptes(struct vm_area_struct *vma,
			     unsigned long old_addr, unsigned long old_end,
			     struct vm_area_struct *new_vma,
			     unsigned long new_addr);

/*
 * Called by mremap_6_12_move_ptes() at each entry that is not none, right
 * before it is moved: the equivalence tests give the batch that starts
 * there its merged accessed/dirty state.
 */
extern void (*mremap_6_12_visit)(struct vm_area_struct *vma,
				 unsigned long old_addr, pte_t *old_pte,
				 unsigned long old_end);

#endif /* _PTB_MREMAP_H */
