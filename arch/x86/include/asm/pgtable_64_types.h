/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of linux-source-6.12's arch/x86/include/asm/pgtable_64_types.h
 * (and MAX_PHYSMEM_BITS from asm/sparsemem.h) that the PTE model needs:
 * value types, 4-level paging and the swap-exclusive bit. pteval_t, pte_t
 * and pmd_t come from ptebatch/types.h; the page geometry (PMD_SHIFT,
 * PTRS_PER_PTE, ...) from ptebatch/kernel.h.
 */
#ifndef _ASM_X86_PGTABLE_64_DEFS_H
#define _ASM_X86_PGTABLE_64_DEFS_H

typedef unsigned long	pgprotval_t;

/* model: !CONFIG_X86_5LEVEL, 4-level paging */
#define pgtable_l5_enabled() 0

/* asm/sparsemem.h (CONFIG_SPARSEMEM, X86_64) */
# define MAX_PHYSMEM_BITS	(pgtable_l5_enabled() ? 52 : 46)

/*
 * We borrow bit 3 to remember PG_anon_exclusive.
 */
#define _PAGE_SWP_EXCLUSIVE	_PAGE_PWT

#endif /* _ASM_X86_PGTABLE_64_DEFS_H */
