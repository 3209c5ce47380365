/* SPDX-License-Identifier: GPL-2.0 */
/*
 * model: the arm64 backend's test hooks (arch/README.md): what tests need
 * to drive and inspect the page tables beyond the kernel's API, such as the
 * MMU's own accessed/dirty updates. Used by tests and the test-facing side
 * of the model (ptebatch/model.h), never by lib/.
 */
#ifndef __ASM_PTB_HOOKS_H
#define __ASM_PTB_HOOKS_H

/* Identity of the backend. */
#define PTB_ARCH_NAME		"arm64"

/* Entries per contpte block. */
#define PTB_CONT_PTES		CONT_PTES

/*
 * A bit pte_unused() reports when a test sets ptb_pte_unused_mask to it (a
 * mask, like the PTE_* bits): bit 59, PBHA[0] of a stage-1 page descriptor.
 * 6.12 never sets it on user PTEs, no pte_mk*()/pte_wrprotect()/
 * pte_modify() touches it, and pte_pgprot() keeps it. It is inside the swap
 * offset field, so it is only meaningful on present PTEs.
 */
#define PTB_PTE_UNUSED_BIT	(_AT(pteval_t, 1) << 59)

/*
 * What the MMU does on an access through the valid entry *ptep with
 * hardware AF and DBM: set PTE_AF and, on a write through a writable
 * (PTE_DBM) entry, clear PTE_RDONLY. Raw and uncounted; it touches only this
 * entry, even inside a contpte block, as hardware does. An access through an
 * invalid entry faults and changes nothing.
 */
static inline void ptb_hw_access(pte_t *ptep, bool write)
{
	pteval_t old, new;

	old = READ_ONCE(pte_val(*ptep));
	do {
		if (!(old & PTE_VALID))
			return;
		new = old | PTE_AF;
		if (write && (old & PTE_DBM))
			new &= ~PTE_RDONLY;
		if (new == old)
			return;
	} while (!__atomic_compare_exchange_n(&pte_val(*ptep), &old, new,
					      false, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
}

/* Remove the implementation-private bits core mm never sets: PTE_CONT. */
static inline pte_t ptb_pte_strip_impl(pte_t pte)
{
	return pte_mknoncont(pte);
}

static inline bool ptb_pte_cont(pte_t pte)
{
	return pte_cont(pte);
}

/*
 * arm64 has two encodings of dirty: PTE_DIRTY (software) and writable
 * without PTE_RDONLY (hardware, DBM). Core mm treats them alike (pte_dirty(),
 * pte_wrprotect() turns the one into the other), and which of them an entry
 * carries after a move depends on whether its contpte block was unfolded:
 * one form for comparing entries, PTE_DIRTY added to a hardware-dirty one.
 */
static inline pte_t ptb_pte_dirty_canon(pte_t pte)
{
	if (pte_present(pte) && pte_hw_dirty(pte))
		pte = set_pte_bit(pte, __pgprot(PTE_DIRTY));
	return pte;
}

/*
 * The entry as stored, PTE_CONT stripped: its own accessed and dirty bits,
 * not those ptep_get() gathers over its contpte block. Raw, uncounted.
 */
static inline pte_t ptb_pte_raw(pte_t *ptep)
{
	return pte_mknoncont(__pte(READ_ONCE(pte_val(*ptep))));
}

/*
 * Store @pte as the value ptep_get() will return, keeping the entry in or
 * out of its contpte block as it was. Raw, uncounted. For a block entry,
 * ptep_get() then returns @pte only if the whole block agrees on A/D.
 */
static inline void ptb_set_logical(pte_t *ptep, pte_t pte)
{
	pteval_t cont = READ_ONCE(pte_val(*ptep)) & PTE_CONT;

	WRITE_ONCE(*ptep, __pte(pte_val(pte_mknoncont(pte)) | cont));
}

/*
 * Unfold the contpte block holding *ptep, if any, as a single-entry
 * operation would: the logical view of every entry stays as it was.
 */
static inline void ptb_unfold(struct mm_struct *mm, unsigned long addr,
			      pte_t *ptep)
{
	contpte_try_unfold(mm, addr, ptep, __ptep_get(ptep));
}

#endif /* __ASM_PTB_HOOKS_H */
