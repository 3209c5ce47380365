/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers the Check suites use to read, print and compare PTEs,
 * defined once here instead of once per suite. All of them are uncounted:
 * they never touch ptb_costs, so an assertion does not change the costs a
 * test measures.
 *
 * "Logical" below means the value core mm works with: the backend's
 * implementation-private bits (arm64's PTE_CONT, which setters strip and
 * getters may leak) removed through the backend hook ptb_pte_strip_impl().
 */
#ifndef _PTB_PTE_COMPARE_H
#define _PTB_PTE_COMPARE_H

#include "harness.h"

/* The entry as a number: for %#llx in messages and hand-written bit tests. */
static inline unsigned long long raw(pte_t pte)
{
	return (unsigned long long)pte_val(pte);
}

/*
 * The entry as stored in the table: one plain load, without the A/D
 * gathering of arm64's ptep_get() on a CONT entry and without counting a
 * read.
 */
static inline pte_t rd(pte_t *ptep)
{
	return READ_ONCE(*ptep);
}

/* One plain, uncounted store of @pte into the table (no fold, no unfold). */
static inline void wr(pte_t *ptep, pte_t pte)
{
	WRITE_ONCE(*ptep, pte);
}

/*
 * @pte without implementation-private bits (arm64 PTE_CONT; nothing on
 * x86), through the backend hook ptb_pte_strip_impl(): two worlds that
 * fold differently compare equal when core mm could not tell them apart.
 */
static inline pte_t strip(pte_t pte)
{
	return ptb_pte_strip_impl(pte);
}

/*
 * Young, dirty and writable as core mm reads them (pte_young(),
 * pte_dirty(), pte_write()), as bools: comparable with == whatever bit
 * encodes them (x86 D or SavedDirty, arm64 PTE_DIRTY or DBM && !RDONLY).
 */
static inline bool yng(pte_t pte)
{
	return !!pte_young(pte);
}

static inline bool drt(pte_t pte)
{
	return !!pte_dirty(pte);
}

static inline bool wrt(pte_t pte)
{
	return !!pte_write(pte);
}

/*
 * strip()ped @pte and, if it is present, without its accessed and dirty
 * state: what two entries must share when only young and dirty may differ.
 * A non-present entry (none, swap, marker) has no young or dirty and is
 * left as it is.
 */
static inline pte_t norm(pte_t pte)
{
	pte = strip(pte);
	return pte_present(pte) ? pte_mkold(pte_mkclean(pte)) : pte;
}

/*
 * Same logical value, accessed and dirty state included: two present
 * entries agree in young and dirty (by meaning, not encoding) and in every
 * other bit; a non-present one must match bit for bit (PTE_CONT aside).
 * Stricter than logically_same() on non-present entries, where it does not
 * apply pte_mkold()/pte_mkclean() to bits that are not A/D there.
 */
static inline bool logically_same_strict(pte_t a, pte_t b)
{
	a = strip(a);
	b = strip(b);
	if (!pte_present(a) || !pte_present(b))
		return pte_same(a, b);
	return pte_same(norm(a), norm(b)) && yng(a) == yng(b) &&
	       drt(a) == drt(b);
}

/*
 * Equal as core mm sees them: young and dirty by meaning, every other bit
 * after pte_mkold(), pte_mkclean() and strip(), whatever the entry (present
 * or not). For the values a getter returns, where the A/D encoding may
 * differ between a batched and a per-entry path.
 */
static inline bool logically_same(pte_t a, pte_t b)
{
	return drt(a) == drt(b) && yng(a) == yng(b) &&
	       pte_same(strip(pte_mkold(pte_mkclean(a))),
			strip(pte_mkold(pte_mkclean(b))));
}

/*
 * @after is @before, except that young and dirty may have been added: the
 * A/D smearing an arm64 fold or unfold may do to the other entries of a
 * block (a convert ORs young and dirty over all 16), which never removes
 * either. Non-present entries must be unchanged (PTE_CONT aside).
 */
static inline bool same_or_smeared(pte_t before, pte_t after)
{
	if (pte_none(before) || !pte_present(before))
		return pte_same(strip(before), strip(after));
	return pte_same(strip(pte_mkold(pte_mkclean(before))),
			strip(pte_mkold(pte_mkclean(after)))) &&
	       (!pte_dirty(before) || pte_dirty(after)) &&
	       (!pte_young(before) || pte_young(after));
}

#endif /* _PTB_PTE_COMPARE_H */
