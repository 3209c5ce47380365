/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rmap side of the model: mapcount bookkeeping as 6.12's
 * include/linux/rmap.h and mm/rmap.c do it for PTE mappings (per-page
 * _mapcount plus the folio's _large_mapcount), and anon-exclusive sharing.
 * lib/rmap_share.h is spliced into include/linux/rmap.h by the patch series;
 * here it is included at the same place, after the single-page version.
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

/* 6.12 include/linux/rmap.h, minus the long memory-ordering comment */
static __always_inline int __folio_try_share_anon_rmap(struct folio *folio,
		struct page *page, int nr_pages, enum rmap_level level)
{
	VM_WARN_ON_FOLIO(!folio_test_anon(folio), folio);
	VM_WARN_ON_FOLIO(!PageAnonExclusive(page), folio);
	__folio_rmap_sanity_checks(folio, page, nr_pages, level);

	/* device private folios cannot get pinned via GUP. */
	if (unlikely(folio_is_device_private(folio))) {
		ClearPageAnonExclusive(page);
		return 0;
	}

	/* Paired with the memory barrier in try_grab_folio(). */
	if (IS_ENABLED(CONFIG_HAVE_GUP_FAST))
		smp_mb();

	if (unlikely(folio_maybe_dma_pinned(folio)))
		return -EBUSY;
	ClearPageAnonExclusive(page);

	/*
	 * This is conceptually a smp_wmb() paired with the smp_rmb() in
	 * gup_must_unshare().
	 */
	if (IS_ENABLED(CONFIG_HAVE_GUP_FAST))
		smp_mb__after_atomic();
	return 0;
}

static inline int folio_try_share_anon_rmap_pte(struct folio *folio,
		struct page *page)
{
	return __folio_try_share_anon_rmap(folio, page, 1, RMAP_LEVEL_PTE);
}

#include "rmap_share.h"

#endif /* _PTEBATCH_RMAP_H */
