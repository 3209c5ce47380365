/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The swap side of the model: include/linux/swap.h's declarations for the
 * swap-count API of 6.12 (implemented by include/shim/swapfile.c, a model of
 * mm/swapfile.c's counting with injectable failures) and for the batched
 * helpers that lib/swap_batch.c adds to mm/swapfile.c.
 */
#ifndef _PTEBATCH_SWAP_H
#define _PTEBATCH_SWAP_H

static inline swp_entry_t page_swap_entry(struct page *page)
{
	struct folio *folio = page_folio(page);
	swp_entry_t entry = folio->swap;

	entry.val += folio_page_idx(folio, page);
	return entry;
}

int swap_duplicate(swp_entry_t entry);
void swap_free_nr(swp_entry_t entry, int nr_pages);
unsigned short lookup_swap_cgroup_id(swp_entry_t ent);

static inline void swap_free(swp_entry_t entry)
{
	swap_free_nr(entry, 1);
}

/* lib/swap_batch.c */
int folio_dup_swap_pages(struct folio *folio, struct page *page,
			 unsigned long nr_pages);
void folio_put_swap_pages(struct folio *folio, struct page *page,
			  unsigned long nr_pages);

#endif /* _PTEBATCH_SWAP_H */
