/* SPDX-License-Identifier: GPL-2.0 */
/*
 * include/linux/rmap.h's anon-exclusive sharing as the patch series leaves
 * it: 6.12's __folio_try_share_anon_rmap(), extended in place to share
 * nr_pages PTE-mapped pages at once, folio_try_share_anon_rmap_ptes(), which
 * the series adds in front of folio_try_share_anon_rmap_pte(), and that
 * unchanged single-page wrapper.
 *
 * Each definition here is the patched tree's, byte for byte (see
 * lib/mm_internal.h: kernel-glue/splice.pl sync puts them in place,
 * kernel-glue/check-copies proves them).
 *
 * Included by the environment header (through ptebatch/rmap.h, after the
 * mapcount model); includes nothing itself.
 */
#ifndef _PTEBATCH_LIB_RMAP_H
#define _PTEBATCH_LIB_RMAP_H

static __always_inline int __folio_try_share_anon_rmap(struct folio *folio,
		struct page *page, int nr_pages, enum rmap_level level)
{
	int i;

	VM_WARN_ON_FOLIO(!folio_test_anon(folio), folio);
	VM_WARN_ON_FOLIO(!PageAnonExclusive(page), folio);
	__folio_rmap_sanity_checks(folio, page, nr_pages, level);

	/*
	 * PTE-mapped pages are exclusive each on its own; a PMD-mapped THP
	 * tracks it on its first page only.
	 */
	if (level == RMAP_LEVEL_PMD)
		nr_pages = 1;

	/* device private folios cannot get pinned via GUP. */
	if (unlikely(folio_is_device_private(folio))) {
		for (i = 0; i < nr_pages; i++)
			ClearPageAnonExclusive(nth_page(page, i));
		return 0;
	}

	/*
	 * We have to make sure that when we clear PageAnonExclusive, that
	 * the page is not pinned and that concurrent GUP-fast won't succeed in
	 * concurrently pinning the page.
	 *
	 * Conceptually, PageAnonExclusive clearing consists of:
	 * (A1) Clear PTE
	 * (A2) Check if the page is pinned; back off if so.
	 * (A3) Clear PageAnonExclusive
	 * (A4) Restore PTE (optional, but certainly not writable)
	 *
	 * When clearing PageAnonExclusive, we cannot possibly map the page
	 * writable again, because anon pages that may be shared must never
	 * be writable. So in any case, if the PTE was writable it cannot
	 * be writable anymore afterwards and there would be a PTE change. Only
	 * if the PTE wasn't writable, there might not be a PTE change.
	 *
	 * Conceptually, GUP-fast pinning of an anon page consists of:
	 * (B1) Read the PTE
	 * (B2) FOLL_WRITE: check if the PTE is not writable; back off if so.
	 * (B3) Pin the mapped page
	 * (B4) Check if the PTE changed by re-reading it; back off if so.
	 * (B5) If the original PTE is not writable, check if
	 *	PageAnonExclusive is not set; back off if so.
	 *
	 * If the PTE was writable, we only have to make sure that GUP-fast
	 * observes a PTE change and properly backs off.
	 *
	 * If the PTE was not writable, we have to make sure that GUP-fast either
	 * detects a (temporary) PTE change or that PageAnonExclusive is cleared
	 * and properly backs off.
	 *
	 * Consequently, when clearing PageAnonExclusive(), we have to make
	 * sure that (A1), (A2)/(A3) and (A4) happen in the right memory
	 * order. In GUP-fast pinning code, we have to make sure that (B3),(B4)
	 * and (B5) happen in the right memory order.
	 *
	 * We assume that there might not be a memory barrier after
	 * clearing/invalidating the PTE (A1) and before restoring the PTE (A4),
	 * so we use explicit ones here.
	 */

	/* Paired with the memory barrier in try_grab_folio(). */
	if (IS_ENABLED(CONFIG_HAVE_GUP_FAST))
		smp_mb();

	/* Pins are accounted per folio: one check covers all nr_pages. */
	if (unlikely(folio_maybe_dma_pinned(folio)))
		return -EBUSY;
	for (i = 0; i < nr_pages; i++)
		ClearPageAnonExclusive(nth_page(page, i));

	/*
	 * This is conceptually a smp_wmb() paired with the smp_rmb() in
	 * gup_must_unshare().
	 */
	if (IS_ENABLED(CONFIG_HAVE_GUP_FAST))
		smp_mb__after_atomic();
	return 0;
}

/**
 * folio_try_share_anon_rmap_ptes - try marking exclusive anonymous pages
 *				    mapped by PTEs possibly shared to prepare
 *				    for KSM or temporary unmapping
 * @folio:	The folio to share the mappings of
 * @page:	The first mapped exclusive page
 * @nr_pages:	The number of pages to share the mappings of
 *
 * The page range of the folio is defined by [page, page + nr_pages), and
 * every page in it must be exclusive.
 *
 * The caller needs to hold the page table lock and has to have the page table
 * entries cleared/invalidated.
 *
 * Like folio_try_share_anon_rmap_pte(), for a range of pages: the folio is
 * checked for pins once, then either all pages are marked possibly shared or,
 * if the folio may be pinned, none is.
 *
 * Return: 0 if marking the mapped pages possibly shared succeeded, -EBUSY
 * otherwise.
 */
static inline int folio_try_share_anon_rmap_ptes(struct folio *folio,
		struct page *page, int nr_pages)
{
	return __folio_try_share_anon_rmap(folio, page, nr_pages,
					   RMAP_LEVEL_PTE);
}

/**
 * folio_try_share_anon_rmap_pte - try marking an exclusive anonymous page
 *				   mapped by a PTE possibly shared to prepare
 *				   for KSM or temporary unmapping
 * @folio:	The folio to share a mapping of
 * @page:	The mapped exclusive page
 *
 * The caller needs to hold the page table lock and has to have the page table
 * entries cleared/invalidated.
 *
 * This is similar to folio_try_dup_anon_rmap_pte(), however, not used during
 * fork() to duplicate mappings, but instead to prepare for KSM or temporarily
 * unmapping parts of a folio (swap, migration) via folio_remove_rmap_pte().
 *
 * Marking the mapped page shared can only fail if the folio maybe pinned;
 * device private folios cannot get pinned and consequently this function cannot
 * fail.
 *
 * Returns 0 if marking the mapped page possibly shared succeeded. Returns
 * -EBUSY otherwise.
 */
static inline int folio_try_share_anon_rmap_pte(struct folio *folio,
		struct page *page)
{
	return __folio_try_share_anon_rmap(folio, page, 1, RMAP_LEVEL_PTE);
}

#endif /* _PTEBATCH_LIB_RMAP_H */
