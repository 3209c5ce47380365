/* SPDX-License-Identifier: GPL-2.0 */
/* ptebatch: spliced into mm/mremap.c before move_ptes(). */

/**
 * mremap_folio_pte_batch - number of PTEs move_ptes() may move at once
 * @vma: The VMA the PTEs are moved from.
 * @addr: Address of the first PTE.
 * @ptep: Page table pointer for the first PTE.
 * @pte: The first PTE, present and in a contpte block (pte_batch_hint() > 1).
 * @max_nr: The number of PTEs left to move in this page table.
 *
 * A batch is a run of present PTEs that map consecutive pages of one large
 * folio and agree on every bit but the PFN, the accessed and the dirty bit:
 * in particular on write, soft-dirty and uffd-wp, so that set_ptes() of
 * the first PTE, carrying the accessed and dirty bits of the whole run,
 * stands for every PTE of the run at the new address.
 *
 * Only a run that starts in a contpte block is worth detecting, so the
 * caller tests pte_batch_hint() first: elsewhere each PTE still takes its
 * own get-and-clear and store, so a batch saves less than finding it costs
 * (a vm_normal_folio() lookup, whose struct page is often cold, and a
 * second pass over the PTEs), and testing the hint before anything else
 * keeps a single PTE's move as cheap as before. Where pte_batch_hint() is
 * always 1, as on x86, move_ptes() compiles to its per-PTE loop.
 *
 * Return: the number of PTEs in the batch, at least 1.
 */
static unsigned int mremap_folio_pte_batch(struct vm_area_struct *vma,
		unsigned long addr, pte_t *ptep, pte_t pte, unsigned int max_nr)
{
	const fpb_t flags = FPB_IGNORE_DIRTY | FPB_RESPECT_WRITE;
	struct folio *folio;

	if (max_nr == 1)
		return 1;
	folio = vm_normal_folio(vma, addr, pte);
	if (!folio || !folio_test_large(folio))
		return 1;
	return folio_pte_batch(folio, addr, ptep, pte, max_nr, flags, NULL,
			       NULL, NULL);
}
