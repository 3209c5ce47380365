/* SPDX-License-Identifier: GPL-2.0 */
/*
 * model: the x86-64 backend's test hooks (arch/README.md): what tests need
 * to drive and inspect the page tables beyond the kernel's API, such as the
 * MMU's own accessed/dirty updates. Used by tests and the test-facing side
 * of the model (ptebatch/model.h), never by lib/.
 */
#ifndef _ASM_X86_PTB_HOOKS_H
#define _ASM_X86_PTB_HOOKS_H

/* Identity of the backend. */
#define PTB_ARCH_NAME	"x86"

/*
 * What the MMU does on an access through a present entry: set Accessed
 * and, on a write through a writable entry, Dirty, atomically as the page
 * walker does. Raw and uncounted.
 */
static inline void ptb_hw_access(pte_t *ptep, bool write)
{
	pteval_t val = READ_ONCE(ptep->pte);
	pteval_t set = _PAGE_ACCESSED;

	if (!(val & _PAGE_PRESENT))
		return;
	if (write && (val & _PAGE_RW))
		set |= _PAGE_DIRTY;
	__atomic_fetch_or(&ptep->pte, set, __ATOMIC_SEQ_CST);
}

/* x86 has no implementation-private PTE bits that core mm never sets. */
static inline pte_t ptb_pte_strip_impl(pte_t pte)
{
	return pte;
}

/* x86 has no contiguous-PTE hint. */
static inline bool ptb_pte_cont(pte_t pte)
{
	return false;
}

#define PTB_CONT_PTES		1

/* x86 has one encoding of dirty: nothing to make canonical. */
static inline pte_t ptb_pte_dirty_canon(pte_t pte)
{
	return pte;
}

/* The entry as stored. Raw, uncounted. */
static inline pte_t ptb_pte_raw(pte_t *ptep)
{
	return __pte(READ_ONCE(pte_val(*ptep)));
}

/* Store @pte as the value ptep_get() will return. Raw, uncounted. */
static inline void ptb_set_logical(pte_t *ptep, pte_t pte)
{
	WRITE_ONCE(*ptep, pte);
}

/* Unfold the contpte block holding *ptep: x86 has none. */
static inline void ptb_unfold(struct mm_struct *mm, unsigned long addr,
			      pte_t *ptep)
{
}

/*
 * The mask a test may make pte_unused() report: bit 52, ignored by the MMU
 * and never set by x86-64 Linux in a present (or PROT_NONE) PTE, whose PFN
 * stops at bit 51 and whose software bits are 9-11, 57 and 58. (A swap PTE
 * may have it set: its inverted offset fills bits 9-58.)
 */
#define PTB_PTE_UNUSED_BIT	(_AT(pteval_t, 1) << 52)

#endif /* _ASM_X86_PTB_HOOKS_H */
