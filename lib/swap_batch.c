/* SPDX-License-Identifier: GPL-2.0 */
/* ptebatch: spliced into mm/swapfile.c after swap_duplicate(). */

/**
 * folio_dup_swap_pages - take a swap count on the entries of some folio pages
 * @folio: The locked folio in the swap cache.
 * @page: The first page.
 * @nr_pages: The number of consecutive pages, all within @folio.
 *
 * Increase by one the swap count of the swap entries that back @nr_pages
 * pages of @folio starting at @page, as swap_duplicate() does for one entry.
 * The counts are taken at once, under one cluster lock, unless an entry
 * needs a count continuation, which __swap_duplicate() could not undo for
 * the others (it then changes none): such a batch is duplicated entry by
 * entry, each with swap_duplicate()'s continuation retry, and on failure
 * the counts already taken are put back. The batch is all or nothing.
 *
 * Context: Caller holds the folio lock and the PTL of the PTEs being
 * converted to swap entries.
 * Return: 0 on success, or the swap_duplicate() error of the entry that
 * failed (-ENOMEM when no continuation page could be allocated), in which
 * case no swap count was changed.
 */
int folio_dup_swap_pages(struct folio *folio, struct page *page,
			 unsigned long nr_pages)
{
	swp_entry_t entry = page_swap_entry(page);
	unsigned long i;
	int err;

	VM_WARN_ON_FOLIO(!folio_test_swapcache(folio), folio);
	VM_WARN_ON_FOLIO(!nr_pages ||
			 folio_page_idx(folio, page) + nr_pages >
			 (unsigned long)folio_nr_pages(folio), folio);

	if (!__swap_duplicate(entry, 1, nr_pages))
		return 0;

	for (i = 0; i < nr_pages; i++) {
		err = swap_duplicate(swp_entry(swp_type(entry),
					       swp_offset(entry) + i));
		if (err) {
			if (i)
				swap_free_nr(entry, i);
			return err;
		}
	}
	return 0;
}

/**
 * folio_put_swap_pages - drop a swap count from the entries of folio pages
 * @folio: The locked folio in the swap cache.
 * @page: The first page.
 * @nr_pages: The number of consecutive pages, all within @folio.
 *
 * Undo folio_dup_swap_pages() of the same pages.
 *
 * Context: Caller holds the folio lock.
 */
void folio_put_swap_pages(struct folio *folio, struct page *page,
			  unsigned long nr_pages)
{
	VM_WARN_ON_FOLIO(!folio_test_swapcache(folio), folio);
	VM_WARN_ON_FOLIO(!nr_pages ||
			 folio_page_idx(folio, page) + nr_pages >
			 (unsigned long)folio_nr_pages(folio), folio);

	swap_free_nr(page_swap_entry(page), nr_pages);
}
