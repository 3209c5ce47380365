/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/memory.c's vm_normal_page() and vm_normal_folio(), as the model has
 * them: with CONFIG_ARCH_HAS_PTE_SPECIAL (x86-64, arm64) a special PTE
 * (the zero page, a PFN mapping) has no normal page; any other present PTE
 * maps a page of the memmap.
 */
#ifndef _PTEBATCH_MEMORY_H
#define _PTEBATCH_MEMORY_H

/* model: the zero page's PFN lies outside every memmap the tests build */
static inline bool is_zero_pfn(unsigned long pfn)
{
	return pfn == 0;
}

static inline struct page *vm_normal_page(struct vm_area_struct *vma,
		unsigned long addr, pte_t pte)
{
	if (pte_special(pte))
		return NULL;
	return pfn_to_page(pte_pfn(pte));
}

static inline struct folio *vm_normal_folio(struct vm_area_struct *vma,
		unsigned long addr, pte_t pte)
{
	struct page *page = vm_normal_page(vma, addr, pte);

	return page ? page_folio(page) : NULL;
}

#endif /* _PTEBATCH_MEMORY_H */
