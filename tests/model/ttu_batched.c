// SPDX-License-Identifier: GPL-2.0
/*
 * try_to_unmap_one() as the patch series leaves mm/rmap.c: 6.12's function
 * with the present-PTE path batched through the lib/ helpers, which are
 * included here exactly as the series splices them into mm/rmap.c.
 * Keep this in step with kernel-glue/linux-6.12/ (the call sites).
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

	if (flags & TTU_SYNC)
		pvmw.flags = PVMW_SYNC;

	while (page_vma_mapped_walk(&pvmw)) {
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

		address = pvmw.address;
		pteval = ptep_get(pvmw.pte);
		if (likely(pte_present(pteval))) {
			pfn = pte_pfn(pteval);
		} else {
			const softleaf_t entry = softleaf_from_pte(pteval);

			pfn = softleaf_to_pfn(entry);
		}

		subpage = folio_page(folio, pfn - folio_pfn(folio));

		if (likely(pte_present(pteval))) {
			/* File folios are still unmapped one PTE at a time. */
			if (folio_test_anon(folio))
				nr_pages = folio_unmap_pte_batch(folio, &pvmw,
								 flags, pteval);
			pteval = unmap_clear_ptes(vma, address, pvmw.pte,
						  pteval, nr_pages, flags);
			if (pte_dirty(pteval))
				folio_mark_dirty(folio);
		} else {
			pte_clear(mm, address, pvmw.pte);
		}

		pte_install_uffd_wp_if_needed(vma, address, pvmw.pte, pteval);

		/* Update high watermark before we lower rss */
		update_hiwater_rss(mm);

		if (PageHWPoison(subpage) && (flags & TTU_HWPOISON)) {
			pteval = swp_entry_to_pte(make_hwpoison_entry(subpage));
			dec_mm_counter(mm, mm_counter(folio));
			set_pte_at(mm, address, pvmw.pte, pteval);
		} else if (likely(pte_present(pteval)) && pte_unused(pteval) &&
			   !userfaultfd_armed(vma)) {
			dec_mm_counter(mm, mm_counter(folio));
		} else if (folio_test_anon(folio)) {
			if (unlikely(folio_test_swapbacked(folio) !=
					folio_test_swapcache(folio))) {
				WARN_ON_ONCE(1);
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
			dec_mm_counter(mm, mm_counter_file(folio));
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
