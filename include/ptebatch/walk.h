/* SPDX-License-Identifier: GPL-2.0 */
/* The model's page_vma_mapped_walk() (include/shim/page_vma_mapped.c). */
#ifndef _PTEBATCH_WALK_H
#define _PTEBATCH_WALK_H

#include "internal.h"

bool page_vma_mapped_walk(struct page_vma_mapped_walk *pvmw);

static inline void page_vma_mapped_walk_done(struct page_vma_mapped_walk *pvmw)
{
	pvmw->pte = NULL;
}

/* The first address at which @vma may map a page of @folio (mm/internal.h). */
static inline unsigned long vma_address(struct vm_area_struct *vma,
		pgoff_t pgoff, unsigned long nr_pages)
{
	unsigned long address;

	if (pgoff >= vma->vm_pgoff) {
		address = vma->vm_start +
			((pgoff - vma->vm_pgoff) << PAGE_SHIFT);
		if (address < vma->vm_start || address >= vma->vm_end)
			address = -EFAULT;
	} else if (pgoff + nr_pages - 1 >= vma->vm_pgoff) {
		address = vma->vm_start;
	} else {
		address = -EFAULT;
	}
	return address;
}

#endif /* _PTEBATCH_WALK_H */
