/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two try_to_unmap_one() models the equivalence tests compare:
 *
 * ttu_6_12()    linux-source-6.12's per-PTE try_to_unmap_one() with the
 *               series' backport of mainline's lazyfree swapbacked fix,
 *               copied with the hugetlb, PMD-split and mmu_notifier parts
 *               left out (the model has no hugetlb folios and no PMD
 *               mappings);
 * ttu_batched() the same function as the generated patch series leaves it:
 *               the same code around calls to the lib/ helpers.
 *
 * Both have the rmap_one signature; ptb_try_to_unmap() walks a folio's VMAs
 * the way rmap_walk() does and stops at the first VMA that returns false.
 */
#ifndef _PTB_TTU_H
#define _PTB_TTU_H

#include "internal.h"

typedef bool (*ptb_rmap_one_t)(struct folio *folio,
			       struct vm_area_struct *vma,
			       unsigned long address, void *arg);

bool ttu_6_12(struct folio *folio, struct vm_area_struct *vma,
	      unsigned long address, void *arg);
bool ttu_batched(struct folio *folio, struct vm_area_struct *vma,
		 unsigned long address, void *arg);

/*
 * Called by ttu_6_12() when the walk reaches a mapping entry, right before
 * the entry is read: the equivalence tests use it to give the batch that
 * starts there its merged accessed/dirty state (see model/world.h).
 */
extern void (*ttu_6_12_visit)(struct vm_area_struct *vma,
			      unsigned long address, pte_t *ptep);

/* rmap_walk() over @vmas: returns try_to_unmap()'s !folio_mapped()-less ret */
bool ptb_try_to_unmap(struct folio *folio, struct vm_area_struct *vmas,
		      unsigned int nr_vmas, enum ttu_flags flags,
		      ptb_rmap_one_t rmap_one);

#endif /* _PTB_TTU_H */
