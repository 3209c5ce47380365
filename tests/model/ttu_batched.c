// SPDX-License-Identifier: GPL-2.0
/*
 * try_to_unmap_one() as the patch series leaves mm/rmap.c: 6.12's function
 * with the present-PTE path batched through the lib/ helpers, which are
 * included here exactly as the series splices them into mm/rmap.c.
 *
 * The function is the patched tree's, less what
 * kernel-glue/linux-6.12/copies.d/tests/model/ttu_batched.c.diff lists and
 * kernel-glue/check-copies checks: the hugetlb branches, the PMD split and
 * the mmu notifier calls.
 */
#include "model/ttu.h"
#include <ptebatch/walk.h>

#include "unmap_batch.c"
#include "unmap_anon.c"

bool ttu_batched(struct folio *folio, struct vm_area_struct *vma,
		 unsigned long address, void *arg)
{
	struct mm_struct *mm = vma->vm_mm;
	DEFINE_FOLIO_VMA_WALK(pvmw, folio, vma, address, 0);
	bool ret = true;
	pte_t pteval;
	struct page *subpage;
	enum ttu_flags flags = (enum ttu_flags)(long)arg;
	unsigned long nr_pages = 1;
	unsigned long pfn;

	/*
	 * When racing against e.g. zap_pte_range() on another cpu,
	 * in between its ptep_get_and_clear_full() and folio_remove_rmap_*(),
	 * try_to_unmap() may return before page_mapped() has become false,
	 * if page table locking is skipped: use TTU_SYNC to wait for that.
	 */
	if (flags & TTU_SYNC)
		pvmw.flags = PVMW_SYNC;

	while (page_vma_mapped_walk(&pvmw)) {
		/* Each iteration unmaps nr_pages PTEs: one, unless batched. */
		nr_pages = 1;

		/*
		 * If the folio is in an mlock()d vma, we must not swap it out.
		 */
		if (!(flags & TTU_IGNORE_MLOCK) &&
		    (vma->vm_flags & VM_LOCKED)) {
			/* Restore the mlock which got missed */
			if (!folio_test_large(folio))
				mlock_vma_folio(folio, vma);
			goto walk_abort;
		}

		/* Unexpected PMD-mapped THP? */
		VM_BUG_ON_FOLIO(!pvmw.pte, folio);

		address = pvmw.address;
		pteval = ptep_get(pvmw.pte);
		if (likely(pte_present(pteval))) {
			pfn = pte_pfn(pteval);
		} else {
			/*
			 * Handle PFN swap PTEs, such as device-exclusive ones,
			 * that actually map pages.
			 */
			const softleaf_t entry = softleaf_from_pte(pteval);

			pfn = softleaf_to_pfn(entry);
			VM_WARN_ON_FOLIO(folio_test_hugetlb(folio), folio);
		}

		subpage = folio_page(folio, pfn - folio_pfn(folio));

		if (likely(pte_present(pteval))) {
			nr_pages = folio_unmap_pte_batch(folio, &pvmw, flags,
							 pteval);
			/* Nuke the page table entries. */
			pteval = unmap_clear_ptes(vma, address, pvmw.pte,
						  pteval, nr_pages, flags);
			if (pte_dirty(pteval))
				folio_mark_dirty(folio);
		} else {
			pte_clear(mm, address, pvmw.pte);
		}

		/*
		 * Now the ptes are cleared. If they were uffd-wp armed,
		 * we may want to replace the none ptes with marker ptes if
		 * they are file-backed, so we don't lose the tracking info.
		 */
		install_uffd_wp_ptes_if_needed(vma, address, pvmw.pte, pteval,
					       nr_pages);

		/* Update high watermark before we lower rss */
		update_hiwater_rss(mm);

		if (PageHWPoison(subpage) && (flags & TTU_HWPOISON)) {
			pteval = swp_entry_to_pte(make_hwpoison_entry(subpage));
			dec_mm_counter(mm, mm_counter(folio));
			set_pte_at(mm, address, pvmw.pte, pteval);
		} else if (likely(pte_present(pteval)) && pte_unused(pteval) &&
			   !userfaultfd_armed(vma)) {
			/*
			 * The guest indicated that the page content is of no
			 * interest anymore. Simply discard the pte, vmscan
			 * will take care of the rest.
			 * A future reference will then fault in a new zero
			 * page. When userfaultfd is active, we must not drop
			 * this page though, as its main user (postcopy
			 * migration) will not expect userfaults on already
			 * copied pages.
			 */
			dec_mm_counter(mm, mm_counter(folio));
		} else if (folio_test_anon(folio)) {
			/*
			 * Store the swap location in the pte.
			 * See handle_pte_fault() ...
			 */
			if (unlikely(folio_test_swapbacked(folio) !=
					folio_test_swapcache(folio))) {
				WARN_ON_ONCE(1);
				/* The pages are still mapped: restore them. */
				set_ptes(mm, address, pvmw.pte, pteval,
					 nr_pages);
				goto walk_abort;
			}

			/* MADV_FREE page check */
			if (!folio_test_swapbacked(folio)) {
				if (!lazyfree_range(vma, folio, address,
						    pvmw.pte, pteval, nr_pages))
					goto walk_abort;
				goto discard;
			}

			if (!unmap_anon_folio_range(vma, folio, subpage,
						    address, pvmw.pte, pteval,
						    nr_pages))
				goto walk_abort;
			/* unmap_anon_folio_range() finished the pages. */
			goto next;
		} else {
			/*
			 * This is a locked file-backed folio,
			 * so it cannot be removed from the page
			 * cache and replaced by a new folio before
			 * mmu_notifier_invalidate_range_end, so no
			 * concurrent thread might update its page table
			 * to point at a new folio while a device is
			 * still using this folio.
			 *
			 * See Documentation/mm/mmu_notifier.rst
			 */
			add_mm_counter(mm, mm_counter_file(folio), -nr_pages);
		}
discard:
		finish_folio_unmap(vma, folio, subpage, nr_pages);
next:
		/* Stop once the whole folio was unmapped in one batch. */
		if (nr_pages == folio_nr_pages(folio))
			goto walk_done;
		continue;
walk_abort:
		ret = false;
walk_done:
		page_vma_mapped_walk_done(&pvmw);
		break;
	}

	return ret;
}
