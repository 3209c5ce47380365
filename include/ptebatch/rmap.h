/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rmap side of the model: mapcount bookkeeping as 6.12's
 * include/linux/rmap.h and mm/rmap.c do it for PTE mappings (per-page
 * _mapcount plus the folio's _large_mapcount). Anon-exclusive sharing is
 * rmap.h's own code, as the patch series leaves it: lib/rmap.h, which the
 * environment header includes right after this file.
 */
#ifndef _PTEBATCH_RMAP_H
#define _PTEBATCH_RMAP_H

enum rmap_level {
	RMAP_LEVEL_PTE = 0,
	RMAP_LEVEL_PMD,
};

static inline void __folio_rmap_sanity_checks(struct folio *folio,
		struct page *page, int nr_pages, enum rmap_level level)
{
	VM_WARN_ON_FOLIO(folio_test_hugetlb(folio), folio);
	VM_WARN_ON_ONCE(nr_pages <= 0);
	VM_WARN_ON_FOLIO(page_folio(page) != folio, folio);
	VM_WARN_ON_FOLIO(page_folio(page + nr_pages - 1) != folio, folio);
	VM_WARN_ON_ONCE(level != RMAP_LEVEL_PTE);
}

/*
 * model: the mapcount part of __folio_add_anon_rmap()/__folio_add_file_rmap()
 * for PTE mappings; tests use it to build mappings.
 */
static inline void folio_add_rmap_ptes(struct folio *folio, struct page *page,
		int nr_pages, struct vm_area_struct *vma)
{
	__folio_rmap_sanity_checks(folio, page, nr_pages, RMAP_LEVEL_PTE);
	if (!folio_test_large(folio)) {
		atomic_inc(&page->_mapcount);
		return;
	}
	atomic_add(nr_pages, &folio->_large_mapcount);
	do {
		atomic_inc(&page->_mapcount);
	} while (page++, --nr_pages > 0);
}

/* The mapcount part of 6.12's __folio_remove_rmap() at RMAP_LEVEL_PTE. */
static inline void folio_remove_rmap_ptes(struct folio *folio,
		struct page *page, int nr_pages, struct vm_area_struct *vma)
{
	__folio_rmap_sanity_checks(folio, page, nr_pages, RMAP_LEVEL_PTE);
	if (!folio_test_large(folio)) {
		WARN_ON(atomic_sub_return(1, &page->_mapcount) < -1);
		return;
	}
	WARN_ON(atomic_sub_return(nr_pages, &folio->_large_mapcount) < -1);
	do {
		WARN_ON(atomic_sub_return(1, &page->_mapcount) < -1);
	} while (page++, --nr_pages > 0);
}

static inline void folio_remove_rmap_pte(struct folio *folio,
		struct page *page, struct vm_area_struct *vma)
{
	folio_remove_rmap_ptes(folio, page, 1, vma);
}

#endif /* _PTEBATCH_RMAP_H */
