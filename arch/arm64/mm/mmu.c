// SPDX-License-Identifier: GPL-2.0
/*
 * The arm64 backend's protection-change transaction: linux-source-6.12's
 * arch/arm64/mm/mmu.c (Copyright (C) 1995-2005 Russell King, Copyright
 * (C) 2012 ARM Ltd.) as the mprotect series leaves it: 6.12's
 * ptep_modify_prot_start() and ptep_modify_prot_commit(), unchanged, and
 * the batched modify_prot_start_ptes() and modify_prot_commit_ptes() the
 * series adds after them (kernel-glue/splice.pl sync puts them into the
 * tree from here, and kernel-glue/check-copies proves these definitions
 * against the patched tree).
 *
 * The CPU erratum 2645198 workaround is modelled by asm/ptb-kconfig.h's
 * alternative_has_cap_unlikely().
 */

/* model: the environment header brings <linux/mm.h> and <asm/tlbflush.h> */
#include "internal.h"

pte_t ptep_modify_prot_start(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep)
{
	if (alternative_has_cap_unlikely(ARM64_WORKAROUND_2645198)) {
		/*
		 * Break-before-make (BBM) is required for all user space mappings
		 * when the permission changes from executable to non-executable
		 * in cases where cpu is affected with errata #2645198.
		 */
		if (pte_user_exec(ptep_get(ptep)))
			return ptep_clear_flush(vma, addr, ptep);
	}
	return ptep_get_and_clear(vma->vm_mm, addr, ptep);
}

void ptep_modify_prot_commit(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
			     pte_t old_pte, pte_t pte)
{
	set_pte_at(vma->vm_mm, addr, ptep, pte);
}

/*
 * Clear a batch of PTEs at once, so that a contpte block the batch covers
 * whole is not unfolded (get_and_clear_ptes() unfolds only a block it
 * covers in part). With erratum 2645198 an executable batch is flushed
 * from the TLB before it is written again, as ptep_modify_prot_start()
 * flushes a single PTE.
 */
pte_t modify_prot_start_ptes(struct vm_area_struct *vma, unsigned long addr,
			     pte_t *ptep, unsigned int nr)
{
	pte_t pte = get_and_clear_ptes(vma->vm_mm, addr, ptep, nr);

	if (alternative_has_cap_unlikely(ARM64_WORKAROUND_2645198) &&
	    pte_accessible(vma->vm_mm, pte) && pte_user_exec(pte))
		__flush_tlb_range(vma, addr, addr + nr * PAGE_SIZE, PAGE_SIZE,
				  true, 3);
	return pte;
}

/*
 * Set a batch of PTEs at once, so that a contpte block the batch covers
 * whole is written folded.
 */
void modify_prot_commit_ptes(struct vm_area_struct *vma, unsigned long addr,
			     pte_t *ptep, pte_t old_pte, pte_t pte,
			     unsigned int nr)
{
	set_ptes(vma->vm_mm, addr, ptep, pte, nr);
}
