/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-PTE references of batch detection, written from the rules rather
 * than from the code under test, shared by the Check suites
 * (tests/check_pte_batch.c, tests/check_swap_batch.c, tests/check_unmap.c)
 * and the fuzz targets (tests/fuzz/fuzz_batch.c, tests/fuzz/fuzz_swp.c), so
 * that a fix to a reference is a fix to every test that trusts it.
 *
 * Include "harness.h" first (the fuzz builds' tests/fuzz/harness.h or the
 * real one): ptb_peek() reads the entries without counting the reads.
 */
#ifndef _PTB_BATCH_REF_H
#define _PTB_BATCH_REF_H

/*
 * folio_pte_batch(): entry i continues the batch iff it is present, maps
 * pfn+i of the folio, and agrees with entry 0 on every attribute except
 * those the flags let differ. Attributes are compared through the arch
 * predicates and a raw compare of what remains once the variable bits are
 * masked off.
 */
#ifdef _PAGE_SAVED_DIRTY
#define REF_DIRTY_WRITE_BITS (_PAGE_DIRTY | _PAGE_SAVED_DIRTY | _PAGE_RW)
#define REF_VARIABLE_BITS (_PAGE_ACCESSED | _PAGE_SOFT_DIRTY | \
			   REF_DIRTY_WRITE_BITS)
#else
#define REF_DIRTY_WRITE_BITS (PTE_RDONLY | PTE_DBM | PTE_DIRTY)
#define REF_VARIABLE_BITS (PTE_AF | REF_DIRTY_WRITE_BITS)
#endif

static inline bool ref_same(pte_t q, pte_t p, fpb_t flags)
{
	if (!pte_present(q))
		return false;
	if ((pte_val(q) & ~REF_VARIABLE_BITS) !=
	    (pte_val(p) & ~REF_VARIABLE_BITS))
		return false;
	/*
	 * Respecting both write and dirty compares them as stored: arm64's
	 * hardware-dirty and software-dirty writable PTEs differ.
	 */
	if ((flags & FPB_RESPECT_WRITE) && !(flags & FPB_IGNORE_DIRTY) &&
	    (pte_val(q) & REF_DIRTY_WRITE_BITS) !=
	    (pte_val(p) & REF_DIRTY_WRITE_BITS))
		return false;
	if (!(flags & FPB_IGNORE_DIRTY) && !!pte_dirty(q) != !!pte_dirty(p))
		return false;
	if (!(flags & FPB_IGNORE_SOFT_DIRTY) &&
	    !!pte_soft_dirty(q) != !!pte_soft_dirty(p))
		return false;
	if ((flags & FPB_RESPECT_WRITE) && !!pte_write(q) != !!pte_write(p))
		return false;
	return true;
}

struct ref_result {
	unsigned int nr;
	bool writable, young, dirty;
};

/* The batch at @ptep (present, mapping @folio) and its any_* outputs. */
static inline struct ref_result ref_batch(struct folio *folio, pte_t *ptep,
					  unsigned int max_nr, fpb_t flags)
{
	pte_t first = ptb_peek(ptep);
	unsigned long left = folio_pfn(folio) + folio_nr_pages(folio) -
			     pte_pfn(first);
	struct ref_result r = { .nr = 1 };
	bool skip_block = ptb_pte_cont(first);
	unsigned int i;

	max_nr = min_t(unsigned long, max_nr, left);
	for (i = 1; i < max_nr; i++) {
		pte_t q = ptb_peek(ptep + i);

		if (!ref_same(q, pte_advance_pfn(first, i), flags))
			break;
		r.nr++;
		/*
		 * 6.12 reports "any entry but the first"; the entries of the
		 * first entry's contpte block are skipped by the hint, their
		 * state already being the first entry's gathered one.
		 */
		if (skip_block && (((unsigned long)(ptep + i) >> 3) &
				   (PTB_CONT_PTES - 1)) == 0)
			skip_block = false;
		if (skip_block)
			continue;
		r.writable |= !!pte_write(q);
		r.young |= !!pte_young(q);
		r.dirty |= !!pte_dirty(q);
	}
	return r;
}

/* Every combination of the flags folio_pte_batch() takes. */
static const fpb_t ref_all_flags[] __maybe_unused = {
	0, FPB_IGNORE_DIRTY, FPB_IGNORE_SOFT_DIRTY,
	FPB_IGNORE_DIRTY | FPB_IGNORE_SOFT_DIRTY,
	FPB_RESPECT_WRITE, FPB_RESPECT_WRITE | FPB_IGNORE_DIRTY,
	FPB_RESPECT_WRITE | FPB_IGNORE_SOFT_DIRTY,
	FPB_RESPECT_WRITE | FPB_IGNORE_DIRTY | FPB_IGNORE_SOFT_DIRTY,
};

/* Whether the backend has soft-dirty at all (arm64 6.12 has not). */
static inline bool ref_have_soft_dirty(void)
{
	return pte_soft_dirty(pte_mksoft_dirty(__pte(0)));
}

/* @pte with the swap-PTE bits asked for set (never cleared). */
static inline pte_t ref_swp_mkbits(pte_t pte, bool excl, bool sd, bool uffd)
{
	if (excl)
		pte = pte_swp_mkexclusive(pte);
	if (sd)
		pte = pte_swp_mksoft_dirty(pte);
	if (uffd)
		pte = pte_swp_mkuffd_wp(pte);
	return pte;
}

/* A swap PTE built from scratch, not via pte_move_swp_offset(). */
static inline pte_t ref_swp(unsigned int type, pgoff_t offset, bool excl,
				bool sd, bool uffd)
{
	return ref_swp_mkbits(swp_entry_to_pte(swp_entry(type, offset)),
			      excl, sd, uffd);
}

/*
 * swap_pte_batch(): the run at @ptep, whose entry 0 is
 * ref_swp(@type, @off, @excl, @sd, @uffd), continues at entry i iff it
 * is that swap PTE at offset @off + i, to the bit, and its swap slot has
 * entry 0's cgroup id.
 */
static inline unsigned int ref_swap_batch(pte_t *ptep, unsigned int max_nr,
					  unsigned int type, pgoff_t off,
					  bool excl, bool sd, bool uffd)
{
	unsigned short cg = lookup_swap_cgroup_id(swp_entry(type, off));
	unsigned int nr;

	for (nr = 1; nr < max_nr; nr++) {
		pte_t want = ref_swp(type, off + nr, excl, sd, uffd);

		if (pte_val(ptb_peek(ptep + nr)) != pte_val(want) ||
		    lookup_swap_cgroup_id(swp_entry(type, off + nr)) != cg)
			break;
	}
	return nr;
}

#endif /* _PTB_BATCH_REF_H */
