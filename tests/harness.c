// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "harness.h"

struct mm_struct ptb_mm;
struct vm_area_struct ptb_vma;

u64 ptb_seed(void)
{
	const char *s = getenv("PTEBATCH_SEED");

	return s && *s ? strtoull(s, NULL, 0) : 0x70eba7c4ULL;
}

unsigned long ptb_iterations(unsigned long dflt)
{
	const char *s = getenv("PTEBATCH_ITERATIONS");

	return s && *s ? strtoul(s, NULL, 0) : dflt;
}

void ptb_setup(void)
{
	ptb_model_reset();
	ptb_memmap_init(PTB_BASE_PFN, PTB_MEMMAP_PAGES);
	ptb_mm_init(&ptb_mm);
	memset(&ptb_vma, 0, sizeof(ptb_vma));
	ptb_vma.vm_start = PTB_VA;
	ptb_vma.vm_end = PTB_VA + 4 * PMD_SIZE;
	ptb_vma.vm_mm = &ptb_mm;
	ptb_vma.vm_pgoff = PTB_VA >> PAGE_SHIFT;
	ptb_vma.vm_flags = VM_READ | VM_WRITE;
}

void ptb_teardown(void)
{
	ptb_mm_destroy(&ptb_mm);
}

pte_t ptb_mk_pte(unsigned long pfn, const struct ptb_pte_bits *b)
{
	pgprot_t prot = b->protnone ? PAGE_NONE :
			b->exec ? PAGE_READONLY_EXEC : PAGE_READONLY;
	pte_t pte = pfn_pte(pfn, prot);

	if (b->write)
		pte = pte_mkwrite_novma(pte);
	if (b->dirty)
		pte = pte_mkdirty(pte);
	pte = b->young ? pte_mkyoung(pte) : pte_mkold(pte);
	pte = b->soft_dirty ? pte_mksoft_dirty(pte) : pte_clear_soft_dirty(pte);
	if (b->uffd_wp)
		pte = pte_mkuffd_wp(pte);
	if (b->special)
		pte = pte_mkspecial(pte);
	return pte;
}

void ptb_map_folio(struct vm_area_struct *vma, struct folio *folio,
		   unsigned long idx, unsigned long addr, unsigned int nr,
		   const struct ptb_pte_bits *bits, bool exclusive)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned int i;

	ptb_cost_pause();
	set_ptes(mm, addr, ptb_pte_slot(mm, addr, true),
		 ptb_mk_pte(folio_pfn(folio) + idx, bits), nr);
	for (i = 0; i < nr; i++) {
		struct page *page = folio_page(folio, idx + i);

		if (exclusive)
			SetPageAnonExclusive(page);
		folio_add_rmap_ptes(folio, page, 1, vma);
		folio_get(folio);
		inc_mm_counter(mm, mm_counter(folio));
	}
	ptb_cost_resume();
}

int main(void)
{
	SRunner *sr = srunner_create(ptb_suite());
	int failed;

	fprintf(stderr, "ptebatch: backend %s, seed %#llx\n", PTB_ARCH_NAME,
		(unsigned long long)ptb_seed());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
