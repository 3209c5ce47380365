/* SPDX-License-Identifier: GPL-2.0 */
/* ptebatch: spliced into include/linux/rmap.h after folio_try_share_anon_rmap_pte(). */

/**
 * folio_try_share_anon_rmap_ptes - try marking exclusive anonymous pages
 *				    possibly shared to prepare for KSM or
 *				    temporary unmapping
 * @folio:	The folio to share a mapping of
 * @page:	The first mapped exclusive page of the batch
 * @nr_pages:	The number of pages to share (batch size)
 *
 * Batched version of folio_try_share_anon_rmap_pte(): the same barriers and
 * the same single folio_maybe_dma_pinned() check, then PageAnonExclusive is
 * cleared on all @nr_pages pages. Either all pages are shared or, if the
 * folio may be pinned, none is.
 *
 * The caller must hold the PTL and must have cleared (or made non-writable)
 * the PTEs mapping the pages before calling this, as for
 * folio_try_share_anon_rmap_pte().
 *
 * Context: The caller needs to hold the page table lock and has to have the
 * page table entries cleared/invalidated. The pages all belong to the same
 * folio and are all PageAnonExclusive().
 *
 * Return: 0 if marking the mapped pages possibly shared succeeded, -EBUSY
 * otherwise.
 */
static inline int folio_try_share_anon_rmap_ptes(struct folio *folio,
		struct page *page, unsigned int nr_pages)
{
	unsigned int i;

	VM_WARN_ON_FOLIO(!folio_test_anon(folio), folio);
	__folio_rmap_sanity_checks(folio, page, nr_pages, RMAP_LEVEL_PTE);
	for (i = 0; i < nr_pages; i++)
		VM_WARN_ON_FOLIO(!PageAnonExclusive(nth_page(page, i)), folio);

	/* device private folios cannot get pinned via GUP. */
	if (unlikely(folio_is_device_private(folio)))
		goto share;

	if (IS_ENABLED(CONFIG_HAVE_GUP_FAST)) {
		/* Paired with the memory barrier in try_grab_folio(). */
		smp_mb();
	}

	if (unlikely(folio_maybe_dma_pinned(folio)))
		return -EBUSY;
share:
	for (i = 0; i < nr_pages; i++)
		ClearPageAnonExclusive(nth_page(page, i));

	if (IS_ENABLED(CONFIG_HAVE_GUP_FAST)) {
		/*
		 * This is conceptually a smp_wmb() paired with the smp_rmb()
		 * in gup_must_unshare().
		 */
		smp_mb__after_atomic();
	}
	return 0;
}
