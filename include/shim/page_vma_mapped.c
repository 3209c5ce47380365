// SPDX-License-Identifier: GPL-2.0
/*
 * The model's page_vma_mapped_walk() for PTE-mapped, non-hugetlb folios,
 * following 6.12's mm/page_vma_mapped.c: walk the folio's range in the VMA,
 * skip none entries cheaply, and stop at each entry that maps a page of the
 * folio (present PTEs, device-private and device-exclusive entries). Regular
 * swap entries and markers are read but not returned. The PMD level is
 * reduced to "this 2M range has a PTE table or not".
 */
#include <ptebatch/model.h>
#include <ptebatch/walk.h>

static unsigned long ptb_vma_address_end(struct page_vma_mapped_walk *pvmw)
{
	struct vm_area_struct *vma = pvmw->vma;
	pgoff_t pgoff;
	unsigned long address;

	if (pvmw->nr_pages == 1)
		return pvmw->address + PAGE_SIZE;

	pgoff = pvmw->pgoff + pvmw->nr_pages;
	address = vma->vm_start + ((pgoff - vma->vm_pgoff) << PAGE_SHIFT);
	if (address < vma->vm_start || address > vma->vm_end)
		address = vma->vm_end;
	return address;
}

static bool ptb_check_pte(struct page_vma_mapped_walk *pvmw)
{
	unsigned long pfn;
	pte_t ptent = ptep_get(pvmw->pte);

	if (is_swap_pte(ptent)) {
		swp_entry_t entry = pte_to_swp_entry(ptent);

		if (!is_device_private_entry(entry) &&
		    !is_device_exclusive_entry(entry))
			return false;
		pfn = swp_offset_pfn(entry);
	} else {
		if (!pte_present(ptent))
			return false;
		pfn = pte_pfn(ptent);
	}
	return (pfn - pvmw->pfn) < pvmw->nr_pages;
}

bool page_vma_mapped_walk(struct page_vma_mapped_walk *pvmw)
{
	struct mm_struct *mm = pvmw->vma->vm_mm;
	unsigned long end = ptb_vma_address_end(pvmw);

	if (pvmw->pte)
		goto next_pte;
restart:
	while (pvmw->address < end) {
		pvmw->pte = ptb_pte_offset(mm, pvmw->address);
		if (!pvmw->pte) {
			/* No PTE table: step to the next PMD. */
			pvmw->address = (pvmw->address & PMD_MASK) + PMD_SIZE;
			continue;
		}
		if (pte_none(ptep_get(pvmw->pte)))
			goto next_pte;
this_pte:
		if (ptb_check_pte(pvmw))
			return true;
next_pte:
		do {
			pvmw->address += PAGE_SIZE;
			if (pvmw->address >= end) {
				page_vma_mapped_walk_done(pvmw);
				return false;
			}
			/* Did we cross page table boundary? */
			if ((pvmw->address & (PMD_SIZE - PAGE_SIZE)) == 0) {
				pvmw->pte = NULL;
				goto restart;
			}
			pvmw->pte++;
		} while (pte_none(ptep_get(pvmw->pte)));
		goto this_pte;
	}
	pvmw->pte = NULL;
	return false;
}
