// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 contpte view consistency (spec §6 and §9.4): core mm sees the same
 * page tables through the public PTE API whether or not the backend folds
 * and unfolds 16-entry contiguous blocks behind its back.
 *
 * The file is built once per backend. On arm64 (PTB_CONT_PTES == 16) the
 * user mm ptb_mm folds and unfolds blocks, while init_mm, for which arm64
 * never sets PTE_CONT, runs the same operations as the reference world. On
 * x86 (PTB_CONT_PTES == 1) both worlds are plain per-entry page tables: the
 * same sequences run and the logical-view checks hold trivially, and the
 * contpte-only expectations (fold/unfold counts, PTE_CONT in raw entries,
 * pte_batch_hint() > 1) are guarded by CONT_ON.
 *
 * The oracle of the random sequences (§9.4.2-3): after every operation,
 * every slot's ptep_get() in the contpte world, PTE_CONT stripped, equals
 * the reference's entry but for young and dirty, and those may differ only
 * as contpte allows:
 *  - added: a convert, or the gathering of a CONT block, spreads young or
 *    dirty from any entry of a 16-aligned block to the others (never
 *    across blocks);
 *  - removed: ptep_test_and_clear_young(), ptep_clear_flush_young() and
 *    clear_young_dirty_ptes() on a CONT entry clear the whole block, where
 *    the reference clears only the entries asked for (6.12's contpte.c: core
 *    mm tracks access/dirty per folio, and a block lies within one folio).
 * Every tolerance is granted per slot when such an event happens and
 * withdrawn once both worlds agree again, so a young or dirty bit that
 * appears or vanishes for any other reason fails.
 *
 * Randomised tests take their seed from PTEBATCH_SEED and their iteration
 * count from PTEBATCH_ITERATIONS; every failure names the seed to rerun one
 * iteration with (PTEBATCH_ITERATIONS=1), the iteration and the operation.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

/* A contpte block: 16 slots, 64K of VA, whatever the backend. */
#define BLK		16
#define CONT_ON		(PTB_CONT_PTES > 1)
#define NSLOTS		PTRS_PER_PTE
/* The page table under test: the first PMD of the standard VMA. */
#define TABLE_VA	PTB_VA

#define PV(pte)		((unsigned long long)pte_val(pte))

/*
 * Failure without Check's per-assertion bookkeeping (each passing
 * ck_assert_msg() in fork mode is a write to the parent), for the hot
 * loops; every message carries the seed, iteration or row it belongs to.
 */
#define expect(cond, ...)						\
	do {								\
		if (unlikely(!(cond)))					\
			ck_abort_msg(__VA_ARGS__);			\
	} while (0)

static struct vm_area_struct ref_vma;
static struct mm_struct scratch_mm;

/*
 * Second checked fixture, after ptb_setup(): page tables for init_mm (the
 * reference world: arm64 never uses PTE_CONT for it) and a scratch mm for
 * copies of a table.
 */
static void worlds_setup(void)
{
	ptb_mm_init(&init_mm);
	ptb_mm_init(&scratch_mm);
	ref_vma = ptb_vma;
	ref_vma.vm_mm = &init_mm;
}

static void worlds_teardown(void)
{
	ptb_mm_destroy(&scratch_mm);
	ptb_mm_destroy(&init_mm);
}

static inline unsigned long slot_addr(unsigned int slot)
{
	return TABLE_VA + (unsigned long)slot * PAGE_SIZE;
}

static inline pte_t *cont_table(void)
{
	return ptb_pte_slot(&ptb_mm, TABLE_VA, true);
}

static inline pte_t *ref_table(void)
{
	return ptb_pte_slot(&init_mm, TABLE_VA, true);
}

static inline pte_t *scratch_table(void)
{
	return ptb_pte_slot(&scratch_mm, TABLE_VA, true);
}

/* Raw, uncounted accesses to one entry. */
static inline pte_t rd(pte_t *ptep)
{
	return READ_ONCE(*ptep);
}

static inline void wr(pte_t *ptep, pte_t pte)
{
	WRITE_ONCE(*ptep, pte);
}

static void table_zero(pte_t *table)
{
	unsigned int i;

	for (i = 0; i < NSLOTS; i++)
		wr(&table[i], __pte(0));
}

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

static inline pte_t strip(pte_t pte)
{
	return ptb_pte_strip_impl(pte);
}

/* The logical value without PTE_CONT, uncounted. */
static inline pte_t logical(pte_t *ptep)
{
	return strip(ptb_peek(ptep));
}

/* A present PTE with its accessed and dirty state removed. */
static inline pte_t norm(pte_t pte)
{
	pte = strip(pte);
	return pte_present(pte) ? pte_mkold(pte_mkclean(pte)) : pte;
}

static inline bool pte_hw_valid(pte_t pte)
{
#ifdef PTE_VALID
	return pte_valid(pte);
#else
	return pte_present(pte);
#endif
}

static inline u64 prot_noad(pte_t pte)
{
	return (u64)pgprot_val(pte_pgprot(pte_mkold(pte_mkclean(pte))));
}

/* PTE_CONT in the raw entry (never on x86). */
static inline bool raw_cont(pte_t *ptep)
{
	return ptb_pte_cont(rd(ptep));
}

static inline struct ptb_costs cost_delta(const struct ptb_costs *before)
{
	struct ptb_costs d = ptb_costs;

	d.pte_reads -= before->pte_reads;
	d.raw_pte_reads -= before->raw_pte_reads;
	d.pte_writes -= before->pte_writes;
	d.pte_clears -= before->pte_clears;
	d.pte_cmpxchgs -= before->pte_cmpxchgs;
	d.tlbi_pages -= before->tlbi_pages;
	d.tlbi_ranges -= before->tlbi_ranges;
	d.tlbi_range_pages -= before->tlbi_range_pages;
	d.tlb_deferred -= before->tlb_deferred;
	d.contpte_folds -= before->contpte_folds;
	d.contpte_unfolds -= before->contpte_unfolds;
	return d;
}

/*
 * The block invariant (§6.4, §9.4.1) over a whole table, from raw entries:
 * each PTE_CONT entry belongs to an aligned block of 16 valid CONT entries
 * with consecutive PFNs from a 16-aligned base, equal pgprot ignoring
 * AF/dirty, and all in one folio. Returns false with @why filled in.
 */
static bool block_invariant_holds(pte_t *table, char *why, size_t len)
{
	unsigned int b, i;

	for (b = 0; b < NSLOTS; b += BLK) {
		unsigned long base;
		bool any = false;
		pte_t first;

		for (i = 0; i < BLK; i++)
			any |= raw_cont(&table[b + i]);
		if (!any)
			continue;
		first = rd(&table[b]);
		base = pte_pfn(first);
		if (base % BLK) {
			snprintf(why, len, "CONT block at slot %u starts at pfn %#lx, not 16-aligned",
				 b, base);
			return false;
		}
		for (i = 0; i < BLK; i++) {
			pte_t pte = rd(&table[b + i]);

			if (!pte_hw_valid(pte) || !ptb_pte_cont(pte)) {
				snprintf(why, len, "slot %u of the CONT block at slot %u is %#llx: not valid+CONT",
					 b + i, b, PV(pte));
				return false;
			}
			if (pte_pfn(pte) != base + i) {
				snprintf(why, len, "slot %u of the CONT block at slot %u maps pfn %#lx, expected %#lx",
					 b + i, b, pte_pfn(pte), base + i);
				return false;
			}
			if (prot_noad(pte) != prot_noad(first)) {
				snprintf(why, len, "slot %u of the CONT block at slot %u has prot %#llx != %#llx (ignoring A/D)",
					 b + i, b,
					 (unsigned long long)prot_noad(pte),
					 (unsigned long long)prot_noad(first));
				return false;
			}
		}
		if (base < memmap_base_pfn ||
		    base + BLK > memmap_base_pfn + memmap_nr_pages ||
		    !page_folio(pfn_to_page(base)) ||
		    page_folio(pfn_to_page(base)) !=
		    page_folio(pfn_to_page(base + BLK - 1))) {
			snprintf(why, len, "CONT block at slot %u (pfn %#lx) is not within one folio",
				 b, base);
			return false;
		}
	}
	return true;
}

/* Uncounted set_ptes() of @nr pages from @pfn at @slot in @mm. */
static void map_run(struct mm_struct *mm, unsigned int slot, unsigned long pfn,
		    unsigned int nr, const struct ptb_pte_bits *bits)
{
	ptb_cost_pause();
	set_ptes(mm, slot_addr(slot), ptb_pte_slot(mm, slot_addr(slot), true),
		 ptb_mk_pte(pfn, bits), nr);
	ptb_cost_resume();
}

/* ------------------------------------------------------------------------
 * 1, 2: random operation sequences against a reference world
 * ------------------------------------------------------------------------
 */

enum rop_kind {
	R_SET_PTES,		/* nr > 1 onto none slots */
	R_SET_PTE_AT,
	R_GET_AND_CLEAR,
	R_PTE_CLEAR,
	R_GAC_FULL,		/* get_and_clear_full_ptes() */
	R_CLEAR_FULL,		/* clear_full_ptes() */
	R_WRPROTECT_PTES,
	R_SET_WRPROTECT,	/* ptep_set_wrprotect() */
	R_TEST_YOUNG,		/* ptep_test_and_clear_young() */
	R_FLUSH_YOUNG,		/* ptep_clear_flush_young() */
	R_CYDP,			/* clear_young_dirty_ptes() */
	R_ACCESS_FLAGS,		/* ptep_set_access_flags() as a fault does */
	R_HW_ACCESS,		/* the MMU sets AF (and dirty) on one entry */
	NR_ROPS
};

static const char *const rop_names[NR_ROPS] = {
	[R_SET_PTES] = "set_ptes",
	[R_SET_PTE_AT] = "set_pte_at",
	[R_GET_AND_CLEAR] = "ptep_get_and_clear",
	[R_PTE_CLEAR] = "pte_clear",
	[R_GAC_FULL] = "get_and_clear_full_ptes",
	[R_CLEAR_FULL] = "clear_full_ptes",
	[R_WRPROTECT_PTES] = "wrprotect_ptes",
	[R_SET_WRPROTECT] = "ptep_set_wrprotect",
	[R_TEST_YOUNG] = "ptep_test_and_clear_young",
	[R_FLUSH_YOUNG] = "ptep_clear_flush_young",
	[R_CYDP] = "clear_young_dirty_ptes",
	[R_ACCESS_FLAGS] = "ptep_set_access_flags",
	[R_HW_ACCESS] = "hw_access",
};

static const unsigned int rop_weights[NR_ROPS] = {
	[R_SET_PTES] = 14,
	[R_SET_PTE_AT] = 16,
	[R_GET_AND_CLEAR] = 4,
	[R_PTE_CLEAR] = 3,
	[R_GAC_FULL] = 5,
	[R_CLEAR_FULL] = 3,
	[R_WRPROTECT_PTES] = 7,
	[R_SET_WRPROTECT] = 4,
	[R_TEST_YOUNG] = 5,
	[R_FLUSH_YOUNG] = 4,
	[R_CYDP] = 5,
	[R_ACCESS_FLAGS] = 9,
	[R_HW_ACCESS] = 16,
};

struct rop {
	enum rop_kind kind;
	unsigned int slot, nr;
	pte_t pte;		/* R_SET_PTES, R_SET_PTE_AT */
	int full;		/* R_GAC_FULL, R_CLEAR_FULL */
	int cydp;		/* R_CYDP: CYDP_CLEAR_YOUNG | CYDP_CLEAR_DIRTY */
	bool write_fault;	/* R_ACCESS_FLAGS: mkdirty and dirty=1 */
	bool mkwrite;		/* R_ACCESS_FLAGS: and the write bit (reuse) */
	bool write;		/* R_HW_ACCESS */
};

/* A folio mapped in the table: slot s maps page s - start. */
struct placement {
	struct folio *folio;
	long start;
	unsigned int lo, hi;	/* the slots [lo, hi) of the table it covers */
	struct ptb_pte_bits base;
};

#define MAX_PL	10

struct rnd {
	struct ptb_rng rng;
	u64 base;		/* ptb_seed() ^ salt */
	u64 salt;
	unsigned long iter, op;
	pte_t *ct, *rt;		/* contpte world, reference world */
	unsigned int nr_pl;
	struct placement pl[MAX_PL];
	/*
	 * A/D tolerances per slot: the contpte world may have young (xy) or
	 * dirty (xd) where the reference has not, because a convert or the
	 * gathering of a CONT block spread them within the block; it may lack
	 * young (my) or dirty (md) where the reference has it, because a
	 * young/dirty clear on a CONT entry acted on the whole block.
	 */
	bool xy[NSLOTS], my[NSLOTS], xd[NSLOTS], md[NSLOTS];
	pte_t cur_pre[NSLOTS], ref_pre[NSLOTS];
	bool cont_pre[NSLOTS];
	char ctx[256];
	/* statistics */
	unsigned long nr_ops[NR_ROPS], on_cont[NR_ROPS];
	unsigned long folds, unfolds, cont_seen;
	unsigned long batches, cont_splits;
};

static struct rnd R;

static inline unsigned long rnd_below(struct rnd *r, unsigned long n)
{
	return ptb_rng_below(&r->rng, n);
}

static inline bool rnd_chance(struct rnd *r, unsigned int percent)
{
	return ptb_rng_chance(&r->rng, percent);
}

static unsigned int rop_span(const struct rop *op)
{
	switch (op->kind) {
	case R_SET_PTES:
	case R_GAC_FULL:
	case R_CLEAR_FULL:
	case R_WRPROTECT_PTES:
	case R_CYDP:
		return op->nr;
	default:
		return 1;
	}
}

static pte_t afl_entry(pte_t cur, const struct rop *op)
{
	pte_t entry = pte_mkyoung(cur);

	if (op->write_fault)
		entry = pte_mkdirty(entry);
	if (op->mkwrite)
		entry = pte_mkwrite_novma(entry);
	return entry;
}

/* Run @op on one world; the getter's result goes to *@ret. */
static int rop_apply(struct vm_area_struct *vma, pte_t *table,
		     const struct rop *op, pte_t *ret)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr = slot_addr(op->slot);
	pte_t *ptep = &table[op->slot];
	int r = 0;

	*ret = __pte(0);
	switch (op->kind) {
	case R_SET_PTES:
		set_ptes(mm, addr, ptep, op->pte, op->nr);
		break;
	case R_SET_PTE_AT:
		set_pte_at(mm, addr, ptep, op->pte);
		break;
	case R_GET_AND_CLEAR:
		*ret = ptep_get_and_clear(mm, addr, ptep);
		break;
	case R_PTE_CLEAR:
		pte_clear(mm, addr, ptep);
		break;
	case R_GAC_FULL:
		*ret = get_and_clear_full_ptes(mm, addr, ptep, op->nr,
					       op->full);
		break;
	case R_CLEAR_FULL:
		clear_full_ptes(mm, addr, ptep, op->nr, op->full);
		break;
	case R_WRPROTECT_PTES:
		wrprotect_ptes(mm, addr, ptep, op->nr);
		break;
	case R_SET_WRPROTECT:
		ptep_set_wrprotect(mm, addr, ptep);
		break;
	case R_TEST_YOUNG:
		r = ptep_test_and_clear_young(vma, addr, ptep);
		break;
	case R_FLUSH_YOUNG:
		r = ptep_clear_flush_young(vma, addr, ptep);
		break;
	case R_CYDP:
		clear_young_dirty_ptes(vma, addr, ptep, op->nr,
				       (cydp_t)op->cydp);
		break;
	case R_ACCESS_FLAGS:
		r = ptep_set_access_flags(vma, addr, ptep,
					  afl_entry(ptep_get(ptep), op),
					  op->write_fault);
		break;
	case R_HW_ACCESS:
		ptb_hw_access(ptep, op->write);
		break;
	case NR_ROPS:
		break;
	}
	return r;
}

static inline u64 rnd_rerun_seed(const struct rnd *r)
{
	return (r->base + r->iter) ^ r->salt;
}

static inline bool ad_ok(bool c, bool ref, bool extra, bool missing)
{
	return c == ref || (c && extra) || (!c && missing);
}

static void tol_clear(struct rnd *r, unsigned int s)
{
	r->xy[s] = r->my[s] = r->xd[s] = r->md[s] = false;
}

/*
 * A young/dirty clear the contpte world applied to [e0, e1) while the
 * reference cleared only [lo, hi).
 */
static void tol_block_clear(struct rnd *r, unsigned int lo, unsigned int hi,
			    unsigned int e0, unsigned int e1, int flags)
{
	unsigned int s;

	for (s = e0; s < e1; s++) {
		pte_t ref = rd(&r->rt[s]);
		bool outside = s < lo || s >= hi;

		if (flags & 1) {	/* young */
			r->xy[s] = false;
			r->my[s] = outside && pte_present(ref) && yng(ref);
		}
		if (flags & 2) {	/* dirty */
			r->xd[s] = false;
			r->md[s] = outside && pte_present(ref) && drt(ref);
		}
	}
}

static void tol_update(struct rnd *r, const struct rop *op)
{
	unsigned int lo = op->slot, hi = op->slot + rop_span(op), s, b;

	switch (op->kind) {
	case R_SET_PTES:
	case R_SET_PTE_AT:
		for (s = lo; s < hi; s++)
			tol_clear(r, s);
		break;
	case R_TEST_YOUNG:
	case R_FLUSH_YOUNG:
		if (r->cont_pre[lo])
			tol_block_clear(r, lo, hi, ALIGN_DOWN(lo, BLK),
					ALIGN_DOWN(lo, BLK) + BLK, 1);
		else
			tol_block_clear(r, lo, hi, lo, hi, 1);
		return;
	case R_CYDP:
		tol_block_clear(r, lo, hi,
				r->cont_pre[lo] ? ALIGN_DOWN(lo, BLK) : lo,
				r->cont_pre[hi - 1] ? ALIGN(hi, BLK) : hi,
				op->cydp);
		return;
	default:
		break;
	}

	/*
	 * Smearing: a convert of a block, or reading a CONT block, may give
	 * every entry of the block the young/dirty state of any entry of it,
	 * before or after the operation.
	 */
	for (b = ALIGN_DOWN(lo, BLK); b < hi; b += BLK) {
		bool cont = false, y = false, d = false;

		for (s = b; s < b + BLK; s++) {
			pte_t cur = r->cur_pre[s], ref = rd(&r->rt[s]);

			cont |= r->cont_pre[s] || raw_cont(&r->ct[s]);
			if (pte_present(cur)) {
				y |= yng(cur);
				d |= drt(cur);
			}
			if (pte_present(ref)) {
				y |= yng(ref);
				d |= drt(ref);
			}
		}
		if (!cont)
			continue;
		for (s = b; s < b + BLK; s++) {
			r->xy[s] |= y;
			r->xd[s] |= d;
		}
	}
}

/* After the checks: drop tolerances that both worlds have caught up with. */
static void tol_settle(struct rnd *r)
{
	unsigned int s;

	for (s = 0; s < NSLOTS; s++) {
		pte_t ref = rd(&r->rt[s]), cur;

		if (!pte_present(ref)) {
			tol_clear(r, s);
			continue;
		}
		cur = ptb_peek(&r->ct[s]);
		if (yng(cur))
			r->my[s] = false;
		if (drt(cur))
			r->md[s] = false;
		if (yng(ref))
			r->xy[s] = false;
		if (drt(ref))
			r->xd[s] = false;
	}
}

/* Every slot: the contpte world's view against the reference (§9.4.2-3). */
static void rnd_check_slot(struct rnd *r, unsigned int s)
{
	pte_t *cp = &r->ct[s], *rp = &r->rt[s];
	pte_t craw = rd(cp), rraw = rd(rp);
	pte_t cv = ptb_peek(cp), lc = strip(cv), rv = ptb_peek(rp), ll;

	expect(!ptb_pte_cont(rraw),
	       "%s: slot %u: reference (init_mm) entry %#llx has PTE_CONT",
	       r->ctx, s, PV(rraw));
	expect(pte_same(rv, rraw),
	       "%s: slot %u: reference ptep_get %#llx != raw %#llx",
	       r->ctx, s, PV(rv), PV(rraw));

	ptb_cost_pause();
	ll = ptep_get_lockless(cp);
	ptb_cost_resume();
	expect(pte_same(ll, cv),
	       "%s: slot %u: ptep_get_lockless %#llx != ptep_get %#llx (raw %#llx)",
	       r->ctx, s, PV(ll), PV(cv), PV(craw));

	if (ptb_pte_cont(craw)) {
		unsigned int b = ALIGN_DOWN(s, BLK), i;
		bool y = false, d = false;

		for (i = b; i < b + BLK; i++) {
			y |= yng(rd(&r->ct[i]));
			d |= drt(rd(&r->ct[i]));
		}
		r->cont_seen++;
		expect(yng(cv) == y && drt(cv) == d,
		       "%s: slot %u: ptep_get %#llx of a CONT entry does not report the block-wide young %d / dirty %d",
		       r->ctx, s, PV(cv), y, d);
		expect(pte_same(norm(cv), norm(craw)) &&
		       pte_pfn(cv) == pte_pfn(craw) && ptb_pte_cont(cv),
		       "%s: slot %u: ptep_get %#llx of CONT entry %#llx changed more than A/D",
		       r->ctx, s, PV(cv), PV(craw));
	} else {
		expect(pte_same(cv, craw),
		       "%s: slot %u: ptep_get %#llx of a non-CONT entry is not the raw entry %#llx",
		       r->ctx, s, PV(cv), PV(craw));
	}

	if (!pte_present(rv) || !pte_present(lc)) {
		expect(pte_same(lc, rv),
		       "%s: slot %u: contpte world %#llx (raw %#llx) != reference %#llx",
		       r->ctx, s, PV(lc), PV(craw), PV(rv));
		return;
	}
	expect(pte_same(norm(lc), norm(rv)),
	       "%s: slot %u: contpte world %#llx (raw %#llx) != reference %#llx beyond young/dirty",
	       r->ctx, s, PV(lc), PV(craw), PV(rv));
	expect(ad_ok(yng(lc), yng(rv), r->xy[s], r->my[s]),
	       "%s: slot %u: young %d in the contpte world (%#llx, raw %#llx), %d in the reference (%#llx), not explained by smearing (may add %d, may lack %d)",
	       r->ctx, s, yng(lc), PV(lc), PV(craw), yng(rv), PV(rv),
	       r->xy[s], r->my[s]);
	expect(ad_ok(drt(lc), drt(rv), r->xd[s], r->md[s]),
	       "%s: slot %u: dirty %d in the contpte world (%#llx, raw %#llx), %d in the reference (%#llx), not explained by smearing (may add %d, may lack %d)",
	       r->ctx, s, drt(lc), PV(lc), PV(craw), drt(rv), PV(rv),
	       r->xd[s], r->md[s]);
}

/* How many blocks a multi-entry op must unfold (§6.8). */
static unsigned int partial_unfolds(const bool *cont, unsigned int lo,
				    unsigned int nr)
{
	bool first = (lo % BLK || nr < BLK) && cont[lo];
	bool last = ((lo + nr) % BLK) && cont[lo + nr - 1];

	if (first && last && (lo + nr - 1) / BLK == lo / BLK)
		last = false;
	return first + last;
}

static void rnd_check_costs(struct rnd *r, const struct rop *op,
			    const struct ptb_costs *d, int rc)
{
	unsigned int lo = op->slot;
	bool on_cont = r->cont_pre[lo];
	unsigned long want;

	if (!CONT_ON) {
		expect(!d->contpte_folds && !d->contpte_unfolds,
		       "%s: a convert without contpte", r->ctx);
		return;
	}
	switch (op->kind) {
	case R_SET_PTES:
		expect(!d->contpte_folds && !d->contpte_unfolds &&
		       !d->tlbi_pages && !d->tlbi_ranges,
		       "%s: set_ptes(nr > 1) converted (%lu folds, %lu unfolds) or flushed (%lu pages, %lu ranges)",
		       r->ctx, d->contpte_folds, d->contpte_unfolds,
		       d->tlbi_pages, d->tlbi_ranges);
		break;
	case R_SET_PTE_AT:
		expect(d->contpte_unfolds == on_cont && d->contpte_folds <= 1 &&
		       !d->tlbi_pages &&
		       d->tlbi_ranges == d->contpte_unfolds + d->contpte_folds,
		       "%s: set_pte_at on a %sCONT slot: %lu unfolds, %lu folds, %lu range and %lu page flushes",
		       r->ctx, on_cont ? "" : "non-", d->contpte_unfolds,
		       d->contpte_folds, d->tlbi_ranges, d->tlbi_pages);
		break;
	case R_GET_AND_CLEAR:
	case R_PTE_CLEAR:
	case R_SET_WRPROTECT:
		expect(d->contpte_unfolds == on_cont && !d->contpte_folds &&
		       d->tlbi_ranges == on_cont && !d->tlbi_pages,
		       "%s: single-entry op on a %sCONT slot: %lu unfolds, %lu folds, %lu range and %lu page flushes",
		       r->ctx, on_cont ? "" : "non-", d->contpte_unfolds,
		       d->contpte_folds, d->tlbi_ranges, d->tlbi_pages);
		break;
	case R_GAC_FULL:
	case R_CLEAR_FULL:
	case R_WRPROTECT_PTES:
		want = op->nr == 1 ? on_cont :
		       partial_unfolds(r->cont_pre, lo, op->nr);
		expect(d->contpte_unfolds == want && want <= 2 &&
		       !d->contpte_folds && d->tlbi_ranges == want &&
		       !d->tlbi_pages,
		       "%s: %lu unfolds (expected %lu), %lu folds, %lu range and %lu page flushes",
		       r->ctx, d->contpte_unfolds, want, d->contpte_folds,
		       d->tlbi_ranges, d->tlbi_pages);
		break;
	case R_TEST_YOUNG:
	case R_CYDP:
		expect(!d->contpte_folds && !d->contpte_unfolds &&
		       !d->tlbi_pages && !d->tlbi_ranges,
		       "%s: converted (%lu folds, %lu unfolds) or flushed (%lu pages, %lu ranges)",
		       r->ctx, d->contpte_folds, d->contpte_unfolds,
		       d->tlbi_pages, d->tlbi_ranges);
		break;
	case R_FLUSH_YOUNG:
		expect(!d->contpte_folds && !d->contpte_unfolds &&
		       d->tlbi_ranges == (on_cont && rc) &&
		       d->tlbi_pages == (!on_cont && rc),
		       "%s: young %d on a %sCONT slot: %lu folds, %lu unfolds, %lu range and %lu page flushes",
		       r->ctx, rc, on_cont ? "" : "non-", d->contpte_folds,
		       d->contpte_unfolds, d->tlbi_ranges, d->tlbi_pages);
		break;
	case R_ACCESS_FLAGS:
		want = on_cont && !wrt(r->cur_pre[lo]) && op->mkwrite;
		expect(d->contpte_unfolds == want && !d->contpte_folds,
		       "%s: %lu unfolds (expected %lu: write bit %s), %lu folds",
		       r->ctx, d->contpte_unfolds, want,
		       want ? "changes" : "unchanged", d->contpte_folds);
		break;
	case R_HW_ACCESS:
		expect(!d->pte_reads && !d->raw_pte_reads && !d->pte_writes &&
		       !d->pte_clears && !d->pte_cmpxchgs && !d->tlbi_pages &&
		       !d->tlbi_ranges && !d->contpte_folds &&
		       !d->contpte_unfolds,
		       "%s: hardware access counted as a software operation",
		       r->ctx);
		break;
	case NR_ROPS:
		break;
	}
}

/* Same logical value, accessed and dirty state included. */
static inline bool same_logical(pte_t a, pte_t b)
{
	a = strip(a);
	b = strip(b);
	if (!pte_present(a) || !pte_present(b))
		return pte_same(a, b);
	return pte_same(norm(a), norm(b)) && yng(a) == yng(b) &&
	       drt(a) == drt(b);
}

static void rnd_check_returns(struct rnd *r, const struct rop *op, int rc,
			      int rr, pte_t ret_c, pte_t ret_r)
{
	unsigned int lo = op->slot, s;
	bool yc = false, dc = false, yr = false, dr = false;
	pte_t want;

	switch (op->kind) {
	case R_GET_AND_CLEAR:
		expect(same_logical(ret_c, r->cur_pre[lo]),
		       "%s: contpte world returned %#llx, its ptep_get was %#llx",
		       r->ctx, PV(ret_c), PV(r->cur_pre[lo]));
		expect(pte_same(ret_r, r->ref_pre[lo]),
		       "%s: reference returned %#llx, held %#llx",
		       r->ctx, PV(ret_r), PV(r->ref_pre[lo]));
		break;
	case R_GAC_FULL:
		/* the first entry, made young/dirty if a later one is */
		for (s = lo + 1; s < lo + op->nr; s++) {
			yc |= yng(r->cur_pre[s]);
			dc |= drt(r->cur_pre[s]);
			yr |= yng(r->ref_pre[s]);
			dr |= drt(r->ref_pre[s]);
		}
		want = strip(r->cur_pre[lo]);
		want = yc ? pte_mkyoung(want) : want;
		want = dc ? pte_mkdirty(want) : want;
		expect(same_logical(ret_c, want),
		       "%s: contpte world returned %#llx, expected %#llx (first entry %#llx, young %d, dirty %d after it)",
		       r->ctx, PV(ret_c), PV(want), PV(r->cur_pre[lo]), yc, dc);
		want = r->ref_pre[lo];
		want = yr ? pte_mkyoung(want) : want;
		want = dr ? pte_mkdirty(want) : want;
		expect(same_logical(ret_r, want),
		       "%s: reference returned %#llx, expected %#llx",
		       r->ctx, PV(ret_r), PV(want));
		break;
	case R_TEST_YOUNG:
	case R_FLUSH_YOUNG:
		expect(!!rc == yng(r->cur_pre[lo]),
		       "%s: contpte world returned %d, ptep_get was %#llx",
		       r->ctx, rc, PV(r->cur_pre[lo]));
		expect(!!rr == yng(r->ref_pre[lo]),
		       "%s: reference returned %d, held %#llx",
		       r->ctx, rr, PV(r->ref_pre[lo]));
		break;
	case R_ACCESS_FLAGS:
		for (s = ALIGN_DOWN(lo, BLK); !rc && s < ALIGN_DOWN(lo, BLK) + BLK; s++)
			expect(pte_same(ptb_peek(&r->ct[s]), r->cur_pre[s]),
			       "%s: contpte world returned 0 but slot %u changed from %#llx to %#llx",
			       r->ctx, s, PV(r->cur_pre[s]),
			       PV(ptb_peek(&r->ct[s])));
		expect(rr || pte_same(rd(&r->rt[lo]), r->ref_pre[lo]),
		       "%s: reference returned 0 but changed %#llx to %#llx",
		       r->ctx, PV(r->ref_pre[lo]), PV(rd(&r->rt[lo])));
		break;
	default:
		break;
	}
}

static void rnd_run(struct rnd *r, const struct rop *op)
{
	struct ptb_costs before, d;
	char why[256];
	pte_t ret_c, ret_r;
	unsigned int s;
	int rc, rr;

	r->op++;
	r->nr_ops[op->kind]++;
	snprintf(r->ctx, sizeof(r->ctx),
		 "seed %#llx (rerun: PTEBATCH_SEED=%#llx PTEBATCH_ITERATIONS=1) iteration %lu op %lu: %s(slot %u, nr %u, pte %#llx, full %d, cydp %d, fault %s%s, hw %s)",
		 (unsigned long long)ptb_seed(),
		 (unsigned long long)rnd_rerun_seed(r), r->iter, r->op,
		 rop_names[op->kind], op->slot, op->nr, PV(op->pte), op->full,
		 op->cydp, op->write_fault ? "write" : "read",
		 op->mkwrite ? "+mkwrite" : "", op->write ? "write" : "read");

	for (s = 0; s < NSLOTS; s++) {
		r->cur_pre[s] = ptb_peek(&r->ct[s]);
		r->ref_pre[s] = rd(&r->rt[s]);
		r->cont_pre[s] = raw_cont(&r->ct[s]);
	}

	r->on_cont[op->kind] += r->cont_pre[op->slot];
	before = ptb_costs;
	rc = rop_apply(&ptb_vma, r->ct, op, &ret_c);
	d = cost_delta(&before);
	rr = rop_apply(&ref_vma, r->rt, op, &ret_r);
	r->folds += d.contpte_folds;
	r->unfolds += d.contpte_unfolds;

	rnd_check_costs(r, op, &d, rc);
	rnd_check_returns(r, op, rc, rr, ret_c, ret_r);
	tol_update(r, op);
	/* first: ptep_get_lockless() would spin on a broken block */
	expect(block_invariant_holds(r->ct, why, sizeof(why)),
	       "%s: block invariant: %s", r->ctx, why);
	for (s = 0; s < NSLOTS; s++)
		rnd_check_slot(r, s);
	tol_settle(r);
}

/*
 * PTE bits for a new mapping in @p: its own protection with random young
 * and dirty, or, if @odd, sometimes a different one (write flipped, uffd-wp
 * flipped, special, PROT_NONE) that stops the block from folding.
 */
static struct ptb_pte_bits rnd_bits(struct rnd *r, const struct placement *p,
				    bool odd)
{
	struct ptb_pte_bits b = p->base;

	b.young = rnd_chance(r, 50);
	b.dirty = rnd_chance(r, 35);
	if (!odd)
		return b;
	if (rnd_chance(r, 25))
		b.write = !b.write;
	if (rnd_chance(r, 10))
		b.uffd_wp = !b.uffd_wp;
	if (rnd_chance(r, 10))
		b.special = true;
	if (rnd_chance(r, 10)) {
		b.protnone = true;
		b.write = b.dirty = false;
	}
	return b;
}

static pte_t rnd_pte(const struct placement *p, unsigned int slot,
		     const struct ptb_pte_bits *b)
{
	return ptb_mk_pte(folio_pfn(p->folio) + (slot - p->start), b);
}

static inline bool present_at(struct rnd *r, unsigned int s)
{
	return pte_present(rd(&r->rt[s]));
}

/* A slot of @p that is present (or none), searching from a random one. */
static bool pick_slot(struct rnd *r, const struct placement *p, bool present,
		      unsigned int *slot)
{
	unsigned int span = p->hi - p->lo, s0 = rnd_below(r, span), i;

	for (i = 0; i < span; i++) {
		unsigned int s = p->lo + (s0 + i) % span;

		if (present_at(r, s) == present) {
			*slot = s;
			return true;
		}
	}
	return false;
}

/* A CONT slot of @p (never on x86), searching from a random one. */
static bool pick_cont_slot(struct rnd *r, const struct placement *p,
			   unsigned int *slot)
{
	unsigned int span = p->hi - p->lo, s0 = rnd_below(r, span), i;

	for (i = 0; CONT_ON && i < span; i++) {
		unsigned int s = p->lo + (s0 + i) % span;

		if (raw_cont(&r->ct[s])) {
			*slot = s;
			return true;
		}
	}
	return false;
}

static enum rop_kind rnd_kind(struct rnd *r)
{
	unsigned int total = 0, k, x;

	for (k = 0; k < NR_ROPS; k++)
		total += rop_weights[k];
	x = rnd_below(r, total);
	for (k = 0; x >= rop_weights[k]; k++)
		x -= rop_weights[k];
	return k;
}

static bool rnd_gen(struct rnd *r, struct rop *op)
{
	const struct placement *p = &r->pl[rnd_below(r, r->nr_pl)];
	unsigned int span = p->hi - p->lo, s = p->lo + rnd_below(r, span);
	unsigned int n, max, k;
	struct ptb_pte_bits b;
	bool want_cont;

	memset(op, 0, sizeof(*op));
	op->kind = rnd_kind(r);
	op->nr = 1;
	/* half the time, work on a CONT block if there is one */
	want_cont = op->kind != R_SET_PTES && rnd_chance(r, 50) &&
		    pick_cont_slot(r, p, &s);
	switch (op->kind) {
	case R_SET_PTES:
		if (!pick_slot(r, p, false, &s))
			return false;
		max = 2 + rnd_below(r, 63);
		if (rnd_chance(r, 50)) {
			/* refill whole blocks: set_ptes() makes them CONT */
			n = ALIGN_DOWN(s, BLK);
			if (n >= p->lo && !present_at(r, n))
				s = n;
			max = BLK * (1 + rnd_below(r, 2));
		}
		for (n = 1; n < max && s + n < p->hi && !present_at(r, s + n); n++)
			;
		if (n < 2)
			op->kind = R_SET_PTE_AT;
		op->slot = s;
		op->nr = n;
		b = rnd_bits(r, p, n == 1 && rnd_chance(r, 50));
		op->pte = rnd_pte(p, s, &b);
		return true;
	case R_SET_PTE_AT:
		k = want_cont ? 10 : rnd_below(r, 10);
		if (k < 4) {
			/* the last entry of a block: where folding happens */
			n = ALIGN_DOWN(s, BLK) + BLK - 1;
			if (n >= p->lo && n < p->hi)
				s = n;
		} else if (k < 8) {
			pick_slot(r, p, false, &s);
		}
		op->slot = s;
		/* mostly compatible with the block, so that it can fold */
		b = rnd_bits(r, p, k >= 8 || rnd_chance(r, 30));
		op->pte = rnd_pte(p, s, &b);
		return true;
	case R_GAC_FULL:
	case R_CLEAR_FULL:
	case R_WRPROTECT_PTES:
	case R_CYDP:
		if (!want_cont && !pick_slot(r, p, true, &s))
			return false;
		k = rnd_below(r, 10);
		if (k < 3) {
			max = 1;
		} else if (k < 6) {
			n = ALIGN_DOWN(s, BLK);
			if (n >= p->lo && present_at(r, n))
				s = n;
			max = BLK * (1 + rnd_below(r, 3));
		} else {
			max = 2 + rnd_below(r, 63);
		}
		for (n = 1; n < max && s + n < p->hi && present_at(r, s + n); n++)
			;
		op->slot = s;
		op->nr = n;
		op->full = rnd_below(r, 2);
		op->cydp = 1 + rnd_below(r, 3);
		return true;
	case R_GET_AND_CLEAR:
	case R_PTE_CLEAR:
	case R_SET_WRPROTECT:
	case R_TEST_YOUNG:
	case R_FLUSH_YOUNG:
		if (!want_cont && !pick_slot(r, p, true, &s))
			return false;
		op->slot = s;
		return true;
	case R_ACCESS_FLAGS:
		if ((!want_cont && !pick_slot(r, p, true, &s)) ||
		    pte_protnone(rd(&r->rt[s])))
			return false;
		op->slot = s;
		op->write_fault = rnd_chance(r, 50);
		op->mkwrite = op->write_fault && rnd_chance(r, 30);
		return true;
	case R_HW_ACCESS:
		op->slot = s;
		op->write = rnd_chance(r, 40);
		return true;
	case NR_ROPS:
		break;
	}
	return false;
}

static void rnd_free_folios(struct rnd *r)
{
	unsigned int i;

	for (i = 0; i < r->nr_pl; i++)
		ptb_folio_free(r->pl[i].folio);
	r->nr_pl = 0;
}

/*
 * A fresh table: folios of order 4..9 (and pairs of adjacent order-3
 * folios, which look like one block but are two folios), 64K-aligned with
 * their PFNs or not, some starting before the table or running past its
 * end, then mapped mostly as the fault path does (one set_ptes()).
 */
static void rnd_build(struct rnd *r)
{
	static const unsigned char orders[] = { 4, 4, 4, 4, 5, 5, 5, 6, 6, 7, 7, 8, 9 };
	unsigned long next_pfn = PTB_BASE_PFN;
	long cursor;
	unsigned int i;

	rnd_free_folios(r);
	table_zero(r->ct);
	table_zero(r->rt);
	memset(r->xy, 0, sizeof(r->xy));
	memset(r->my, 0, sizeof(r->my));
	memset(r->xd, 0, sizeof(r->xd));
	memset(r->md, 0, sizeof(r->md));

	cursor = rnd_chance(r, 30) ? -(long)rnd_below(r, 40) :
				     (long)rnd_below(r, 24);
	while (r->nr_pl + 2 <= MAX_PL && cursor < NSLOTS - 4) {
		bool pair = rnd_chance(r, 15);
		unsigned int order = pair ? 3 : orders[rnd_below(r, sizeof(orders))];
		unsigned long nr = 1UL << order;
		bool aligned = pair || rnd_chance(r, 65);
		struct ptb_pte_bits base = {
			.write = rnd_chance(r, 75),
			.exec = rnd_chance(r, 10),
			.soft_dirty = rnd_chance(r, 30),
			.uffd_wp = rnd_chance(r, 5),
		};
		long start = ALIGN(cursor, (long)BLK);
		unsigned int k;

		if (!aligned)
			start += 1 + rnd_below(r, BLK - 1);
		next_pfn = ALIGN(next_pfn, pair ? 2 * nr : nr);
		for (k = 0; k < (pair ? 2 : 1); k++) {
			struct placement *p = &r->pl[r->nr_pl];
			long s = start + k * nr;

			if (s + (long)nr < 2 || s > NSLOTS - 2)
				continue;
			p->folio = ptb_folio_create(next_pfn + k * nr, order,
						    0, 0);
			p->start = s;
			p->lo = s < 0 ? 0 : s;
			p->hi = s + nr > NSLOTS ? NSLOTS : s + nr;
			p->base = base;
			r->nr_pl++;
		}
		next_pfn += (pair ? 2 : 1) * nr;
		cursor = start + (pair ? 2 : 1) * nr;
		if (rnd_chance(r, 50))
			cursor += rnd_below(r, 20);
	}

	for (i = 0; i < r->nr_pl; i++) {
		const struct placement *p = &r->pl[i];
		struct ptb_pte_bits b = p->base;
		struct rop op = { .kind = R_SET_PTES };
		unsigned int runs, n, s;

		if (rnd_chance(r, 80)) {
			op.slot = p->lo;
			op.nr = p->hi - p->lo;
			b.young = rnd_chance(r, 50);
			b.dirty = rnd_chance(r, 30);
			op.pte = rnd_pte(p, op.slot, &b);
			rnd_run(r, &op);
			continue;
		}
		for (runs = 1 + rnd_below(r, 4); runs; runs--) {
			if (!pick_slot(r, p, false, &s))
				break;
			for (n = 1; n < 32 && s + n < p->hi && !present_at(r, s + n); n++)
				;
			if (n < 2)
				continue;
			op.slot = s;
			op.nr = n;
			b.young = rnd_chance(r, 50);
			op.pte = rnd_pte(p, s, &b);
			rnd_run(r, &op);
		}
	}
}

static void rnd_init(struct rnd *r, u64 salt)
{
	memset(r, 0, sizeof(*r));
	r->salt = salt;
	r->base = ptb_seed() ^ salt;
	r->ct = cont_table();
	r->rt = ref_table();
}

static void rnd_begin_iteration(struct rnd *r, unsigned long iter)
{
	r->iter = iter;
	r->op = 0;
	ptb_rng_init(&r->rng, r->base + iter);
	rnd_build(r);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

START_TEST(random_ops_keep_logical_view_and_block_invariant)
{
	unsigned long iters = ptb_iterations(250), ops = 200, i, j;
	struct rnd *r = &R;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rnd_init(r, 0xc0e7);
	for (i = 0; i < iters; i++) {
		rnd_begin_iteration(r, i);
		for (j = 0; j < ops; j++) {
			struct rop op;

			if (rnd_gen(r, &op))
				rnd_run(r, &op);
		}
	}
	if (CONT_ON)
		ck_assert_msg(r->folds && r->unfolds && r->cont_seen,
			      "seed %#llx: %lu folds, %lu unfolds, %lu CONT slots seen: the random sequences never exercised contpte",
			      (unsigned long long)ptb_seed(), r->folds,
			      r->unfolds, r->cont_seen);
	printf("# random ops (%s): %lu iterations x %lu ops from seed %#llx: %lu folds, %lu unfolds, %lu CONT slot checks, %.2f s\n",
	       PTB_ARCH_NAME, iters, ops, (unsigned long long)ptb_seed(),
	       r->folds, r->unfolds, r->cont_seen, seconds_since(&t0));
	printf("#   runs (on a CONT slot):");
	for (j = 0; j < NR_ROPS; j++)
		printf(" %s %lu (%lu)%s", rop_names[j], r->nr_ops[j],
		       r->on_cont[j], j + 1 < NR_ROPS ? "," : "\n");
	fflush(stdout);
	rnd_free_folios(r);
}
END_TEST

/* ------------------------------------------------------------------------
 * 3: what unfolds a block and what does not
 * ------------------------------------------------------------------------
 */

/* The block under test: slots 32..47, an order-4 folio at T_PFN. */
#define UB_SLOT		32
#define T_PFN		(PTB_BASE_PFN + 0x200)

/*
 * Map one order-4 folio at slots 32..47 with set_ptes() (one CONT block on
 * arm64), old and clean, then let the MMU read through entry 3 and write
 * through entry 9: ptep_get() of any entry of the block then reports young
 * (and dirty if writable) while most raw entries are neither. @pre gets the
 * logical view of the 16 entries.
 */
static void map_test_block(bool writable, bool uniform_ad, pte_t *pre,
			   const char *row)
{
	struct ptb_pte_bits b = {
		.write = writable,
		.young = uniform_ad,
		.dirty = uniform_ad,
	};
	pte_t *t = cont_table();
	unsigned int i;

	table_zero(t);
	ptb_folio_create(T_PFN, 4, 0, 0);
	map_run(&ptb_mm, UB_SLOT, T_PFN, BLK, &b);
	if (!uniform_ad) {
		ptb_hw_access(&t[UB_SLOT + 3], false);
		ptb_hw_access(&t[UB_SLOT + 9], true);
	}
	for (i = 0; i < BLK; i++) {
		pre[i] = logical(&t[UB_SLOT + i]);
		ck_assert_msg(raw_cont(&t[UB_SLOT + i]) == CONT_ON,
			      "%s: set_ptes(16) of an aligned folio left slot %u %#llx",
			      row, UB_SLOT + i, PV(rd(&t[UB_SLOT + i])));
	}
	ptb_costs_reset();
}

static void check_block_cont_in(pte_t *t, const char *row, bool want)
{
	char why[256];
	unsigned int i;

	for (i = 0; i < BLK; i++)
		expect(raw_cont(&t[UB_SLOT + i]) == (want && CONT_ON),
		       "%s: slot %u is %#llx: block should %s CONT", row,
		       UB_SLOT + i, PV(rd(&t[UB_SLOT + i])),
		       want ? "still be" : "no longer be");
	expect(block_invariant_holds(t, why, sizeof(why)),
	       "%s: block invariant: %s", row, why);
}

static void check_block_cont(const char *row, bool want)
{
	check_block_cont_in(cont_table(), row, want);
}

enum unfold_op {
	U_SET_PTE_AT,
	U_PTE_CLEAR,
	U_GET_AND_CLEAR,
	U_GAC_FULL_1,
	U_GAC_FULL_1_FULLMM,
	U_CLEAR_FULL_1,
	U_SET_WRPROTECT,
	U_WRPROTECT_PTES_1,
	U_ACCESS_FLAGS_MKWRITE,
};

static const struct unfold_row {
	const char *name;
	enum unfold_op op;
	bool writable;
	/* the operation's own costs, on top of the convert's */
	unsigned long clears, writes, cmpxchgs, pages;
} unfold_rows[] = {
	{ "set_pte_at", U_SET_PTE_AT, true, 0, 1, 0, 0 },
	{ "pte_clear", U_PTE_CLEAR, true, 0, 1, 0, 0 },
	{ "ptep_get_and_clear", U_GET_AND_CLEAR, true, 1, 0, 0, 0 },
	{ "get_and_clear_full_ptes(nr=1, full=0)", U_GAC_FULL_1, true, 1, 0, 0, 0 },
	{ "get_and_clear_full_ptes(nr=1, full=1)", U_GAC_FULL_1_FULLMM, true, 1, 0, 0, 0 },
	{ "clear_full_ptes(nr=1)", U_CLEAR_FULL_1, true, 1, 0, 0, 0 },
	{ "ptep_set_wrprotect", U_SET_WRPROTECT, true, 0, 0, 1, 0 },
	{ "wrprotect_ptes(nr=1)", U_WRPROTECT_PTES_1, true, 0, 0, 1, 0 },
	{ "ptep_set_access_flags(write bit changes)", U_ACCESS_FLAGS_MKWRITE, false, 0, 0, 1, 1 },
};

static const unsigned int block_positions[] = { 0, 6, 15 };

START_TEST(single_entry_ops_on_cont_slot_unfold_block_once)
{
	const struct unfold_row *row = &unfold_rows[_i / 3];
	unsigned int idx = block_positions[_i % 3], slot = UB_SLOT + idx, i;
	pte_t *t = cont_table(), *ptep = &t[slot];
	unsigned long addr = slot_addr(slot);
	pte_t pre[BLK], ret = __pte(0), want = __pte(0), post;
	struct ptb_pte_bits nb = { .young = true };
	struct ptb_costs d;
	char id[128];
	int rc = 0;

	snprintf(id, sizeof(id), "row %d: %s on block index %u", _i,
		 row->name, idx);
	map_test_block(row->writable, false, pre, id);

	switch (row->op) {
	case U_SET_PTE_AT:
		/* read-only where the block is writable: no refold */
		want = ptb_mk_pte(T_PFN + idx, &nb);
		set_pte_at(&ptb_mm, addr, ptep, want);
		break;
	case U_PTE_CLEAR:
		pte_clear(&ptb_mm, addr, ptep);
		break;
	case U_GET_AND_CLEAR:
		ret = ptep_get_and_clear(&ptb_mm, addr, ptep);
		break;
	case U_GAC_FULL_1:
		ret = get_and_clear_full_ptes(&ptb_mm, addr, ptep, 1, 0);
		break;
	case U_GAC_FULL_1_FULLMM:
		ret = get_and_clear_full_ptes(&ptb_mm, addr, ptep, 1, 1);
		break;
	case U_CLEAR_FULL_1:
		clear_full_ptes(&ptb_mm, addr, ptep, 1, 1);
		break;
	case U_SET_WRPROTECT:
		ptep_set_wrprotect(&ptb_mm, addr, ptep);
		want = pte_wrprotect(pre[idx]);
		break;
	case U_WRPROTECT_PTES_1:
		wrprotect_ptes(&ptb_mm, addr, ptep, 1);
		want = pte_wrprotect(pre[idx]);
		break;
	case U_ACCESS_FLAGS_MKWRITE:
		want = pte_mkwrite_novma(pte_mkyoung(pre[idx]));
		ptb_cost_pause();
		post = ptep_get(ptep);
		ptb_cost_resume();
		rc = ptep_set_access_flags(&ptb_vma, addr, ptep,
					   pte_mkwrite_novma(pte_mkyoung(post)),
					   1);
		ck_assert_msg(rc == 1, "%s: returned %d", id, rc);
		break;
	}
	d = ptb_costs;

	if (CONT_ON) {
		ck_assert_msg(d.contpte_unfolds == 1 && d.contpte_folds == 0,
			      "%s: %lu unfolds, %lu folds (want 1, 0)", id,
			      d.contpte_unfolds, d.contpte_folds);
		ck_assert_msg(d.tlbi_ranges == 1 && d.tlbi_range_pages == BLK &&
			      d.tlbi_pages == row->pages,
			      "%s: %lu range flushes of %lu pages, %lu page flushes (want 1 of 16, %lu)",
			      id, d.tlbi_ranges, d.tlbi_range_pages,
			      d.tlbi_pages, row->pages);
		ck_assert_msg(d.pte_clears == BLK + row->clears &&
			      d.pte_writes == BLK + row->writes &&
			      d.pte_cmpxchgs == row->cmpxchgs,
			      "%s: %lu clears, %lu writes, %lu cmpxchgs (want %lu, %lu, %lu)",
			      id, d.pte_clears, d.pte_writes, d.pte_cmpxchgs,
			      BLK + row->clears, BLK + row->writes,
			      row->cmpxchgs);
	} else {
		ck_assert_msg(d.contpte_unfolds == 0 && d.contpte_folds == 0,
			      "%s: converts without contpte", id);
	}
	check_block_cont(id, false);

	/* the other 15 keep their logical value: A/D smearing adds nothing */
	for (i = 0; i < BLK; i++) {
		post = logical(&t[UB_SLOT + i]);
		if (i == idx)
			continue;
		ck_assert_msg(same_logical(post, pre[i]),
			      "%s: slot %u changed from %#llx to %#llx", id,
			      UB_SLOT + i, PV(pre[i]), PV(post));
		if (CONT_ON)
			ck_assert_msg(same_logical(rd(&t[UB_SLOT + i]), pre[i]),
				      "%s: raw slot %u is %#llx after the unfold, not the block's gathered %#llx",
				      id, UB_SLOT + i, PV(rd(&t[UB_SLOT + i])),
				      PV(pre[i]));
	}
	post = logical(ptep);
	switch (row->op) {
	case U_GET_AND_CLEAR:
	case U_GAC_FULL_1:
	case U_GAC_FULL_1_FULLMM:
		ck_assert_msg(same_logical(ret, pre[idx]),
			      "%s: returned %#llx, ptep_get was %#llx", id,
			      PV(ret), PV(pre[idx]));
		/* fall through */
	case U_PTE_CLEAR:
	case U_CLEAR_FULL_1:
		ck_assert_msg(pte_none(post), "%s: slot left %#llx", id,
			      PV(post));
		break;
	default:
		ck_assert_msg(same_logical(post, want),
			      "%s: slot is %#llx, want %#llx", id, PV(post),
			      PV(want));
		break;
	}
}
END_TEST

enum keep_op {
	K_GET,
	K_GET_LOCKLESS,
	K_TEST_YOUNG,
	K_FLUSH_YOUNG,
	K_CYDP_YOUNG,
	K_CYDP_DIRTY,
	K_CYDP_BOTH_3,
	K_AFL_READ,
	K_AFL_WRITE,
	K_AFL_NOOP,
};

static const struct keep_row {
	const char *name;
	enum keep_op op;
} keep_rows[] = {
	{ "ptep_get", K_GET },
	{ "ptep_get_lockless", K_GET_LOCKLESS },
	{ "ptep_test_and_clear_young", K_TEST_YOUNG },
	{ "ptep_clear_flush_young", K_FLUSH_YOUNG },
	{ "clear_young_dirty_ptes(nr=1, young)", K_CYDP_YOUNG },
	{ "clear_young_dirty_ptes(nr=1, dirty)", K_CYDP_DIRTY },
	{ "clear_young_dirty_ptes(nr=3, young|dirty)", K_CYDP_BOTH_3 },
	{ "ptep_set_access_flags(read fault, write unchanged)", K_AFL_READ },
	{ "ptep_set_access_flags(write fault, write unchanged)", K_AFL_WRITE },
	{ "ptep_set_access_flags(nothing to change)", K_AFL_NOOP },
};

START_TEST(read_and_access_flag_ops_keep_block_cont)
{
	const struct keep_row *row = &keep_rows[_i / 3];
	unsigned int idx = block_positions[_i % 3], slot = UB_SLOT + idx, i;
	unsigned int lo = idx, hi = idx + 1, want_raw;
	pte_t *t = cont_table(), *ptep = &t[slot];
	unsigned long addr = slot_addr(slot);
	bool clear_young = false, clear_dirty = false;
	pte_t pre[BLK], v = __pte(0), entry = __pte(0), post;
	struct ptb_costs d;
	char id[128];
	int rc = -1;

	snprintf(id, sizeof(id), "row %d: %s on block index %u", _i,
		 row->name, idx);
	map_test_block(true, row->op == K_AFL_NOOP, pre, id);

	switch (row->op) {
	case K_GET:
		v = ptep_get(ptep);
		break;
	case K_GET_LOCKLESS:
		v = ptep_get_lockless(ptep);
		break;
	case K_TEST_YOUNG:
		rc = ptep_test_and_clear_young(&ptb_vma, addr, ptep);
		clear_young = true;
		break;
	case K_FLUSH_YOUNG:
		rc = ptep_clear_flush_young(&ptb_vma, addr, ptep);
		clear_young = true;
		break;
	case K_CYDP_YOUNG:
	case K_CYDP_DIRTY:
	case K_CYDP_BOTH_3:
#ifdef clear_young_dirty_ptes
		if (row->op == K_CYDP_BOTH_3) {
			lo = idx > BLK - 3 ? BLK - 3 : idx;
			hi = lo + 3;
		}
		clear_young = row->op != K_CYDP_DIRTY;
		clear_dirty = row->op != K_CYDP_YOUNG;
		clear_young_dirty_ptes(&ptb_vma, slot_addr(UB_SLOT + lo),
				       &t[UB_SLOT + lo], hi - lo,
				       (clear_young ? CYDP_CLEAR_YOUNG : 0) |
				       (clear_dirty ? CYDP_CLEAR_DIRTY : 0));
#else
		return;	/* x86: the generic loop, no block to widen to */
#endif
		break;
	case K_AFL_READ:
	case K_AFL_WRITE:
	case K_AFL_NOOP:
		ptb_cost_pause();
		entry = pte_mkyoung(ptep_get(ptep));
		if (row->op == K_AFL_WRITE)
			entry = pte_mkdirty(entry);
		ptb_cost_resume();
		rc = ptep_set_access_flags(&ptb_vma, addr, ptep, entry,
					   row->op != K_AFL_READ);
		break;
	}
	d = ptb_costs;

	ck_assert_msg(d.contpte_unfolds == 0 && d.contpte_folds == 0,
		      "%s: %lu unfolds, %lu folds (want none)", id,
		      d.contpte_unfolds, d.contpte_folds);
	check_block_cont(id, true);

	switch (row->op) {
	case K_GET:
	case K_GET_LOCKLESS:
		/* ptep_get_lockless() loads its entry twice: 18 with CONT */
		want_raw = !CONT_ON ? 1 :
			   row->op == K_GET ? 1 + BLK : 2 + BLK;
		ck_assert_msg(same_logical(v, pre[idx]) &&
			      ptb_pte_cont(v) == CONT_ON,
			      "%s: returned %#llx, want %#llx", id, PV(v),
			      PV(pre[idx]));
		ck_assert_msg(!CONT_ON || (yng(v) && drt(v)),
			      "%s: %#llx does not gather young and dirty from entries 3 and 9",
			      id, PV(v));
		ck_assert_msg(d.pte_reads == 1 && d.raw_pte_reads == want_raw &&
			      !d.pte_writes && !d.pte_cmpxchgs && !d.pte_clears,
			      "%s: %lu reads of %lu raw entries (want 1 of %u), %lu writes",
			      id, d.pte_reads, d.raw_pte_reads, want_raw,
			      d.pte_writes);
		break;
	case K_TEST_YOUNG:
	case K_FLUSH_YOUNG:
		ck_assert_msg(!!rc == yng(pre[idx]),
			      "%s: returned %d, ptep_get was %#llx", id, rc,
			      PV(pre[idx]));
		ck_assert_msg(!d.tlbi_pages &&
			      d.tlbi_ranges == (CONT_ON && row->op == K_FLUSH_YOUNG),
			      "%s: %lu page and %lu range flushes", id,
			      d.tlbi_pages, d.tlbi_ranges);
		break;
	case K_CYDP_YOUNG:
	case K_CYDP_DIRTY:
	case K_CYDP_BOTH_3:
		ck_assert_msg(!d.tlbi_pages && !d.tlbi_ranges,
			      "%s: %lu page and %lu range flushes", id,
			      d.tlbi_pages, d.tlbi_ranges);
		break;
	case K_AFL_READ:
	case K_AFL_WRITE:
		ck_assert_msg(rc == 1, "%s: returned %d", id, rc);
		ck_assert_msg(!d.tlbi_pages &&
			      d.tlbi_ranges == (CONT_ON && row->op == K_AFL_WRITE),
			      "%s: %lu page and %lu range flushes", id,
			      d.tlbi_pages, d.tlbi_ranges);
		for (i = 0; CONT_ON && i < BLK; i++)
			ck_assert_msg(yng(rd(&t[UB_SLOT + i])) &&
				      (row->op == K_AFL_READ ||
				       drt(rd(&t[UB_SLOT + i]))),
				      "%s: raw slot %u %#llx not updated with the block",
				      id, UB_SLOT + i, PV(rd(&t[UB_SLOT + i])));
		break;
	case K_AFL_NOOP:
		ck_assert_msg(rc == 0 && !d.pte_writes && !d.pte_cmpxchgs &&
			      !d.tlbi_pages && !d.tlbi_ranges,
			      "%s: returned %d with %lu writes, %lu cmpxchgs, %lu flushes",
			      id, rc, d.pte_writes, d.pte_cmpxchgs,
			      d.tlbi_pages + d.tlbi_ranges);
		break;
	}

	/* the logical view: young/dirty clears act on the whole block */
	for (i = 0; i < BLK; i++) {
		bool hit = CONT_ON || (i >= lo && i < hi);
		pte_t want = pre[i];

		post = logical(&t[UB_SLOT + i]);
		if (clear_young && hit)
			want = pte_mkold(want);
		if (clear_dirty && hit)
			want = pte_mkclean(want);
		if (row->op == K_AFL_WRITE && !CONT_ON && i == idx)
			want = strip(entry);
		ck_assert_msg(same_logical(post, want),
			      "%s: slot %u is %#llx, want %#llx", id,
			      UB_SLOT + i, PV(post), PV(want));
	}
}
END_TEST

/* Four CONT blocks: an order-6 folio at slots 64..127. */
#define MB_SLOT		64
#define MB_PAGES	64

static void map_multi_blocks(pte_t *pre)
{
	struct ptb_pte_bits b = { .write = true };
	pte_t *t = cont_table();
	unsigned int i;

	for (i = 0; i < MB_PAGES; i++)
		wr(&t[MB_SLOT + i], __pte(0));
	map_run(&ptb_mm, MB_SLOT, T_PFN, MB_PAGES, &b);
	ptb_hw_access(&t[MB_SLOT + 3], false);
	ptb_hw_access(&t[MB_SLOT + 20], false);
	ptb_hw_access(&t[MB_SLOT + 40], true);
	ptb_hw_access(&t[MB_SLOT + 60], true);
	for (i = 0; i < MB_PAGES; i++)
		pre[i] = logical(&t[MB_SLOT + i]);
	ptb_costs_reset();
}

enum range_op { RG_GAC, RG_GAC_FULLMM, RG_CLEAR, RG_CLEAR_FULLMM, RG_WRPROTECT };

static const char *const range_op_names[] = {
	[RG_GAC] = "get_and_clear_full_ptes(full=0)",
	[RG_GAC_FULLMM] = "get_and_clear_full_ptes(full=1)",
	[RG_CLEAR] = "clear_full_ptes(full=0)",
	[RG_CLEAR_FULLMM] = "clear_full_ptes(full=1)",
	[RG_WRPROTECT] = "wrprotect_ptes",
};

static pte_t range_apply(enum range_op op, unsigned int lo, unsigned int nr)
{
	unsigned long addr = slot_addr(MB_SLOT + lo);
	pte_t *ptep = &cont_table()[MB_SLOT + lo];

	switch (op) {
	case RG_GAC:
	case RG_GAC_FULLMM:
		return get_and_clear_full_ptes(&ptb_mm, addr, ptep, nr,
					       op == RG_GAC_FULLMM);
	case RG_CLEAR:
	case RG_CLEAR_FULLMM:
		clear_full_ptes(&ptb_mm, addr, ptep, nr, op == RG_CLEAR_FULLMM);
		break;
	case RG_WRPROTECT:
		wrprotect_ptes(&ptb_mm, addr, ptep, nr);
		break;
	}
	return __pte(0);
}

/*
 * After a multi-entry op on [lo, lo + nr) of the four blocks: the range is
 * cleared or write-protected, everything else keeps its logical value, each
 * block is CONT unless it was unfolded (@unfolded, a bit per block) or
 * cleared, and a get_and_clear returned the first entry with the range's
 * young/dirty.
 */
static void check_range_result(const char *id, enum range_op op,
			       unsigned int lo, unsigned int nr,
			       const pte_t *pre, pte_t ret,
			       unsigned int unfolded)
{
	pte_t *t = cont_table(), want, post;
	bool clears = op != RG_WRPROTECT, y = false, d = false;
	unsigned int i, b;
	char why[256];

	for (i = 0; i < MB_PAGES; i++) {
		bool in = i >= lo && i < lo + nr;

		post = logical(&t[MB_SLOT + i]);
		want = !in ? pre[i] : clears ? __pte(0) : pte_wrprotect(pre[i]);
		expect(same_logical(post, want),
		       "%s: slot %u is %#llx, want %#llx", id, MB_SLOT + i,
		       PV(post), PV(want));
		if (in && i > lo) {
			y |= yng(pre[i]);
			d |= drt(pre[i]);
		}
	}
	for (b = 0; CONT_ON && b < MB_PAGES / BLK; b++) {
		bool touched = lo < (b + 1) * BLK && lo + nr > b * BLK;
		/* a touched block is unfolded, wholly cleared or wrprotected */
		bool cont = !touched || (!clears && !(unfolded & (1U << b)));

		for (i = b * BLK; i < (b + 1) * BLK; i++)
			expect(raw_cont(&t[MB_SLOT + i]) == cont,
			       "%s: slot %u is %#llx: block %u should %sbe CONT",
			       id, MB_SLOT + i, PV(rd(&t[MB_SLOT + i])), b,
			       cont ? "" : "not ");
	}
	expect(block_invariant_holds(t, why, sizeof(why)),
	       "%s: block invariant: %s", id, why);
	if (op == RG_GAC || op == RG_GAC_FULLMM) {
		want = pre[lo];
		want = y ? pte_mkyoung(want) : want;
		want = d ? pte_mkdirty(want) : want;
		expect(same_logical(ret, want),
		       "%s: returned %#llx, want %#llx", id, PV(ret), PV(want));
	}
}

START_TEST(whole_block_multi_entry_ops_neither_unfold_nor_flush)
{
	static const struct { unsigned int blk, nblk; } ranges[] = {
		{ 1, 1 }, { 0, 2 }, { 1, 3 }, { 0, 4 },
	};
	enum range_op op = _i / 4;
	unsigned int lo = ranges[_i % 4].blk * BLK, nr = ranges[_i % 4].nblk * BLK;
	pte_t pre[MB_PAGES], ret;
	struct ptb_costs d;
	char id[128];

	snprintf(id, sizeof(id), "row %d: %s of slots %u..%u", _i,
		 range_op_names[op], MB_SLOT + lo, MB_SLOT + lo + nr - 1);
	ptb_folio_create(T_PFN, 6, 0, 0);
	table_zero(cont_table());
	map_multi_blocks(pre);

	ret = range_apply(op, lo, nr);
	d = ptb_costs;
	ck_assert_msg(!d.contpte_unfolds && !d.contpte_folds,
		      "%s: %lu unfolds, %lu folds", id, d.contpte_unfolds,
		      d.contpte_folds);
	ck_assert_msg(!d.tlbi_pages && !d.tlbi_ranges,
		      "%s: %lu page and %lu range flushes inside the primitive",
		      id, d.tlbi_pages, d.tlbi_ranges);
	ck_assert_msg(op == RG_WRPROTECT ? d.pte_cmpxchgs == nr && !d.pte_clears :
		      d.pte_clears == nr && !d.pte_cmpxchgs,
		      "%s: %lu clears, %lu cmpxchgs for %u entries", id,
		      d.pte_clears, d.pte_cmpxchgs, nr);
	ck_assert_msg(!d.pte_writes, "%s: %lu writes", id, d.pte_writes);
	check_range_result(id, op, lo, nr, pre, ret, 0);
}
END_TEST

START_TEST(partial_range_ops_unfold_only_their_end_blocks)
{
	enum range_op op = _i;
	unsigned int lo, nr, b, want, cases = 0;
	bool all_cont[MB_PAGES];
	pte_t pre[MB_PAGES], ret;
	struct ptb_costs d;
	char id[160];

	ptb_folio_create(T_PFN, 6, 0, 0);
	table_zero(cont_table());
	for (lo = 0; lo < MB_PAGES; lo++)
		all_cont[lo] = true;
	for (lo = 0; lo < MB_PAGES; lo++) {
		for (nr = 1; lo + nr <= MB_PAGES; nr++) {
			unsigned int unfolded = 0;
			bool first = lo % BLK || nr < BLK;
			bool last = (lo + nr) % BLK;

			snprintf(id, sizeof(id), "row %d: %s of slots %u..%u (nr %u)",
				 _i, range_op_names[op], MB_SLOT + lo,
				 MB_SLOT + lo + nr - 1, nr);
			map_multi_blocks(pre);
			ret = range_apply(op, lo, nr);
			d = ptb_costs;

			want = CONT_ON ? partial_unfolds(all_cont, lo, nr) : 0;
			if (first)
				unfolded |= 1U << (lo / BLK);
			if (last)
				unfolded |= 1U << ((lo + nr - 1) / BLK);
			b = __builtin_popcount(unfolded);
			expect(!CONT_ON || want == b,
			       "%s: test bug: %u != %u", id, want, b);
			expect(d.contpte_unfolds == want && want <= 2 &&
			       !d.contpte_folds,
			       "%s: %lu unfolds (want %u), %lu folds", id,
			       d.contpte_unfolds, want, d.contpte_folds);
			expect(d.tlbi_ranges == want && !d.tlbi_pages,
			       "%s: %lu range and %lu page flushes (want %u, 0)",
			       id, d.tlbi_ranges, d.tlbi_pages, want);
			check_range_result(id, op, lo, nr, pre, ret, unfolded);
			cases++;
		}
	}
	ck_assert_int_eq(cases, MB_PAGES * (MB_PAGES + 1) / 2);
}
END_TEST

/* ------------------------------------------------------------------------
 * 4: folding
 * ------------------------------------------------------------------------
 */

enum fold_case {
	F_FOLDS,
	F_FOLDS_INSIDE_ORDER6,
	F_FOLDS_LAST_BLOCK_ORDER9,
	F_REWRITE_LAST_REFOLDS,
	F_FOLIO_BOUNDARY,
	F_SPECIAL_LAST,
	F_SPECIAL_MIDDLE,
	F_MISALIGNED_PFN,
	F_PFN_GAP,
	F_RDONLY_ONE,
	F_UFFD_WP_ONE,
	F_NONE_ONE,
	F_PROTNONE_ONE,
	F_NOT_LAST_WRITTEN,
	F_KERNEL_MM,
};

static const struct fold_row {
	const char *name;
	enum fold_case kind;
	bool folds;
} fold_rows[] = {
	{ "order-4 folio", F_FOLDS, true },
	{ "third block of an order-6 folio", F_FOLDS_INSIDE_ORDER6, true },
	{ "last block of an order-9 folio", F_FOLDS_LAST_BLOCK_ORDER9, true },
	{ "rewriting the last entry refolds", F_REWRITE_LAST_REFOLDS, true },
	{ "folio boundary inside the block", F_FOLIO_BOUNDARY, false },
	{ "special last entry", F_SPECIAL_LAST, false },
	{ "special middle entry", F_SPECIAL_MIDDLE, false },
	{ "PFNs not 16-aligned", F_MISALIGNED_PFN, false },
	{ "non-consecutive PFN", F_PFN_GAP, false },
	{ "one read-only entry among writable ones", F_RDONLY_ONE, false },
	{ "one uffd-wp entry", F_UFFD_WP_ONE, false },
	{ "one none entry", F_NONE_ONE, false },
	{ "one PROT_NONE entry", F_PROTNONE_ONE, false },
	{ "last write not to the last entry", F_NOT_LAST_WRITTEN, false },
	{ "kernel mapping (init_mm)", F_KERNEL_MM, false },
};

START_TEST(set_pte_at_folds_block_only_when_all_rules_hold)
{
	const struct fold_row *row = &fold_rows[_i];
	struct mm_struct *mm = row->kind == F_KERNEL_MM ? &init_mm : &ptb_mm;
	pte_t *t = ptb_pte_slot(mm, TABLE_VA, true), written[BLK], post;
	struct ptb_pte_bits bits[BLK];
	unsigned long pfn[BLK];
	unsigned int order[BLK], k, i, skip = BLK, folio_order = 4;
	bool want_fold = row->folds && CONT_ON;
	struct ptb_costs d = { 0 };
	char id[128];

	snprintf(id, sizeof(id), "row %d: %s", _i, row->name);
	for (i = 0; i < BLK; i++) {
		pfn[i] = T_PFN + i;
		bits[i] = (struct ptb_pte_bits){ .write = true };
		order[i] = i;
		written[i] = __pte(0);
	}
	bits[2].young = true;
	bits[11].dirty = true;

	switch (row->kind) {
	case F_FOLDS_INSIDE_ORDER6:
		folio_order = 6;
		for (i = 0; i < BLK; i++)
			pfn[i] += 2 * BLK;
		break;
	case F_FOLDS_LAST_BLOCK_ORDER9:
		folio_order = 9;
		for (i = 0; i < BLK; i++)
			pfn[i] += 512 - BLK;
		break;
	case F_FOLIO_BOUNDARY:
		folio_order = 3;
		ptb_folio_create(T_PFN + 8, 3, 0, 0);
		break;
	case F_SPECIAL_LAST:
		bits[15].special = true;
		break;
	case F_SPECIAL_MIDDLE:
		bits[4].special = true;
		break;
	case F_MISALIGNED_PFN:
		folio_order = 5;
		for (i = 0; i < BLK; i++)
			pfn[i] += 1;
		break;
	case F_PFN_GAP:
		folio_order = 5;
		pfn[7] += BLK;
		break;
	case F_RDONLY_ONE:
		bits[5].write = false;
		break;
	case F_UFFD_WP_ONE:
		bits[9].uffd_wp = true;
		break;
	case F_NONE_ONE:
		skip = 9;
		break;
	case F_PROTNONE_ONE:
		bits[9].protnone = true;
		bits[9].write = false;
		break;
	case F_NOT_LAST_WRITTEN:
		for (i = 0; i < BLK; i++)
			order[i] = (i + BLK - 1) % BLK;
		break;
	default:
		break;
	}
	ptb_folio_create(T_PFN, folio_order, 0, 0);
	table_zero(t);

	for (k = 0; k < BLK; k++) {
		i = order[k];
		if (i == skip)
			continue;
		written[i] = ptb_mk_pte(pfn[i], &bits[i]);
		ptb_costs_reset();
		set_pte_at(mm, slot_addr(UB_SLOT + i), &t[UB_SLOT + i],
			   written[i]);
		d = ptb_costs;
		if (k < BLK - 1)
			check_block_cont_in(t, id, false);
		ck_assert_msg(d.contpte_folds == (k == BLK - 1 && want_fold) &&
			      !d.contpte_unfolds,
			      "%s: writing entry %u (write %u of 16): %lu folds, %lu unfolds",
			      id, i, k + 1, d.contpte_folds, d.contpte_unfolds);
	}
	check_block_cont_in(t, id, want_fold);
	if (want_fold) {
		ck_assert_msg(d.raw_pte_reads == 1 + BLK &&
			      d.pte_clears == BLK && d.pte_writes == 1 + BLK &&
			      d.tlbi_ranges == 1 && d.tlbi_range_pages == BLK &&
			      !d.tlbi_pages,
			      "%s: the folding write cost %lu raw reads, %lu clears, %lu writes, %lu ranges (%lu pages), %lu page flushes",
			      id, d.raw_pte_reads, d.pte_clears, d.pte_writes,
			      d.tlbi_ranges, d.tlbi_range_pages, d.tlbi_pages);
		for (i = 0; i < BLK; i++)
			ck_assert_msg(yng(rd(&t[UB_SLOT + i])) &&
				      drt(rd(&t[UB_SLOT + i])),
				      "%s: raw slot %u %#llx lacks the young/dirty ORed over the block",
				      id, UB_SLOT + i, PV(rd(&t[UB_SLOT + i])));
	}
	for (i = 0; i < BLK; i++) {
		pte_t want = written[i];

		if (want_fold)
			want = pte_mkdirty(pte_mkyoung(want));
		post = strip(ptb_peek(&t[UB_SLOT + i]));
		ck_assert_msg(same_logical(post, want),
			      "%s: slot %u is %#llx, want %#llx", id,
			      UB_SLOT + i, PV(post), PV(want));
	}

	switch (row->kind) {
	case F_REWRITE_LAST_REFOLDS:
		/* set_pte_at() on a CONT entry unfolds, then refolds */
		ptb_costs_reset();
		set_pte_at(mm, slot_addr(UB_SLOT + 15), &t[UB_SLOT + 15],
			   written[15]);
		d = ptb_costs;
		ck_assert_msg(d.contpte_unfolds == CONT_ON &&
			      d.contpte_folds == CONT_ON,
			      "%s: %lu unfolds, %lu folds (want 1 and 1)", id,
			      d.contpte_unfolds, d.contpte_folds);
		check_block_cont_in(t, id, true);
		break;
	case F_NOT_LAST_WRITTEN:
		/* the run was complete: writing the last entry folds */
		ptb_costs_reset();
		set_pte_at(mm, slot_addr(UB_SLOT + 15), &t[UB_SLOT + 15],
			   written[15]);
		ck_assert_msg(ptb_costs.contpte_folds == CONT_ON,
			      "%s: rewriting entry 15 gave %lu folds", id,
			      ptb_costs.contpte_folds);
		check_block_cont_in(t, id, true);
		break;
	case F_KERNEL_MM:
		/* nor does set_ptes() of a whole aligned block set CONT */
		table_zero(t);
		set_ptes(mm, slot_addr(UB_SLOT), &t[UB_SLOT], written[0], BLK);
		check_block_cont_in(t, id, false);
		break;
	default:
		break;
	}
}
END_TEST

/* ------------------------------------------------------------------------
 * 5: pte_batch_hint() and folio_pte_batch()
 * ------------------------------------------------------------------------
 */

START_TEST(pte_batch_hint_counts_entries_to_block_end)
{
	/* page j of an order-6 folio at slot j + @shift, slots @lo..@hi - 1 */
	static const struct { int shift; unsigned int lo, hi; } rows[] = {
		{ 0, 3, 61 },	/* two whole blocks between partial ones */
		{ 0, 0, 64 },	/* four whole blocks */
		{ 5, 5, 69 },	/* VA and PFN not congruent mod 16 */
		{ 16, 16, 80 },	/* whole blocks one block later */
	};
	int shift = rows[_i].shift;
	unsigned int lo = rows[_i].lo, hi = rows[_i].hi, s;
	struct ptb_pte_bits b = { .write = true, .young = true };
	pte_t *t = cont_table(), pte;

	ptb_folio_create(T_PFN, 6, 0, 0);
	table_zero(t);
	map_run(&ptb_mm, lo, T_PFN + lo - shift, hi - lo, &b);
	for (s = 0; s < 128; s++) {
		bool mapped = s >= lo && s < hi;
		/* contpte_set_ptes(): CONT iff the chunk is a whole block */
		bool cont = CONT_ON && mapped && shift % BLK == 0 &&
			    ALIGN_DOWN(s, BLK) >= lo &&
			    ALIGN_DOWN(s, BLK) + BLK <= hi;
		unsigned int hint;

		pte = ptb_peek(&t[s]);
		hint = pte_batch_hint(&t[s], pte);
		ck_assert_msg(raw_cont(&t[s]) == cont,
			      "row %d: slot %u is %#llx, want %sCONT", _i, s,
			      PV(rd(&t[s])), cont ? "" : "non-");
		ck_assert_msg(hint == (cont ? BLK - s % BLK : 1),
			      "row %d: pte_batch_hint(slot %u, %#llx) = %u, want %u",
			      _i, s, PV(pte), hint, cont ? BLK - s % BLK : 1);
		ck_assert_msg(pte_present(pte) == mapped,
			      "row %d: slot %u is %#llx", _i, s, PV(pte));
	}
}
END_TEST

/* Normalize() of spec §2.2, applied by the per-entry reference below. */
static pte_t spec_normalize(pte_t pte, fpb_t flags, bool respect_write)
{
	if (flags & FPB_IGNORE_DIRTY)
		pte = pte_mkclean(pte);
	if (flags & FPB_IGNORE_SOFT_DIRTY)
		pte = pte_clear_soft_dirty(pte);
	if (!respect_write)
		pte = pte_wrprotect(pte);
	return pte_mkold(pte);
}

/* folio_pte_batch() with the hint forced to 1: every entry read. */
static unsigned int batch_hint1(struct folio *folio, pte_t *ptep, pte_t pte,
				unsigned int max_nr, fpb_t flags,
				bool respect_write)
{
	unsigned long end = folio_pfn(folio) + folio_nr_pages(folio);
	unsigned int cap = min_t(unsigned long, max_nr, end - pte_pfn(pte));
	unsigned int i;

	for (i = 1; i < cap; i++)
		if (!pte_same(spec_normalize(ptb_peek(ptep + i), flags,
					     respect_write),
			      spec_normalize(pte_advance_pfn(pte, i), flags,
					     respect_write)))
			break;
	return i;
}

/*
 * folio_pte_batch(), with and without FPB_RESPECT_WRITE, from random slots
 * of the contpte world against (a) the per-entry reference on the same table
 * (hint equivalence, §9.4.3/§9.1.3) and (b) the same logical content
 * without PTE_CONT in a copy of the table, where the batch may only go
 * further than on the contpte table past a CONT/non-CONT transition
 * (§2.2: ptep_get() returns PTE_CONT and Normalize() keeps it).
 */
static void batch_compare(struct rnd *r, unsigned int samples)
{
	pte_t *copy = scratch_table(), *ct = r->ct;
	unsigned int k, s;

	for (s = 0; s < NSLOTS; s++)
		wr(&copy[s], strip(ptb_peek(&ct[s])));
	ptb_cost_pause();
	for (k = 0; k < samples; k++) {
		const struct placement *p = &r->pl[rnd_below(r, r->nr_pl)];
		unsigned int max_nr, t, nc, nh, nl, nl2, pass;
		bool wc, yc, dc, wl, yl, dl, c0;
		pte_t pc, pl;
		fpb_t flags;

		if (!pick_slot(r, p, true, &s))
			continue;
		pc = ptep_get(&ct[s]);
		pl = ptep_get(&copy[s]);
		max_nr = 1 + rnd_below(r, NSLOTS - s);
		flags = (fpb_t)rnd_below(r, 4);
		c0 = ptb_pte_cont(rd(&ct[s]));
		for (t = 1; t < max_nr && ptb_pte_cont(rd(&ct[s + t])) == c0; t++)
			;

		/* pass 1 may add the series' FPB_RESPECT_WRITE */
		for (pass = 0; pass < 2; pass++) {
			fpb_t f = flags;

			if (pass == 1 && rnd_chance(r, 50))
				f |= FPB_RESPECT_WRITE;
			nc = folio_pte_batch(p->folio, slot_addr(s), &ct[s],
					     pc, max_nr, f, &wc, &yc, &dc);
			nl = folio_pte_batch(p->folio, slot_addr(s), &copy[s],
					     pl, max_nr, f, &wl, &yl, &dl);
			nh = batch_hint1(p->folio, &ct[s], pc, max_nr, flags,
					 !!(f & FPB_RESPECT_WRITE));
			snprintf(r->ctx, sizeof(r->ctx),
				 "seed %#llx (rerun: PTEBATCH_SEED=%#llx PTEBATCH_ITERATIONS=1) iteration %lu after op %lu: %s(slot %u, max_nr %u, flags %#x)",
				 (unsigned long long)ptb_seed(),
				 (unsigned long long)rnd_rerun_seed(r), r->iter,
				 r->op, "folio_pte_batch", s, max_nr,
				 (unsigned int)f);
			expect(nc == nh,
			       "%s: %u with the hint, %u with the hint forced to 1 (entry %#llx)",
			       r->ctx, nc, nh, PV(pc));
			expect(nc == min(nl, t),
			       "%s: %u on the contpte table, %u without PTE_CONT, first CONT transition after %u",
			       r->ctx, nc, nl, t);
			if (nl > nc)
				r->cont_splits++;
			nl2 = folio_pte_batch(p->folio, slot_addr(s), &copy[s],
					      pl, nc, f, &wl, &yl, &dl);
			expect(nl2 == nc, "%s: %u without PTE_CONT up to %u",
			       r->ctx, nl2, nc);
			expect((wrt(pc) || wc) == (wrt(pl) || wl) &&
			       (yng(pc) || yc) == (yng(pl) || yl) &&
			       (drt(pc) || dc) == (drt(pl) || dl),
			       "%s: first|any writable/young/dirty %d/%d/%d with PTE_CONT, %d/%d/%d without",
			       r->ctx, wrt(pc) || wc, yng(pc) || yc,
			       drt(pc) || dc, wrt(pl) || wl, yng(pl) || yl,
			       drt(pl) || dl);
			r->batches++;
		}
	}
	ptb_cost_resume();
}

START_TEST(folio_pte_batch_same_with_and_without_cont)
{
	unsigned long iters = ptb_iterations(30), i, j;
	struct rnd *r = &R;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rnd_init(r, 0xba7c);
	for (i = 0; i < iters; i++) {
		rnd_begin_iteration(r, i);
		batch_compare(r, 16);
		for (j = 0; j < 80; j++) {
			struct rop op;

			if (rnd_gen(r, &op))
				rnd_run(r, &op);
			if (j % 8 == 7)
				batch_compare(r, 8);
		}
	}
	if (CONT_ON)
		ck_assert_msg(r->cont_seen, "seed %#llx: no CONT entries seen",
			      (unsigned long long)ptb_seed());
	printf("# folio_pte_batch (%s): %lu iterations from seed %#llx: %lu batches compared, %lu cut short at a CONT/non-CONT transition, %.2f s\n",
	       PTB_ARCH_NAME, iters, (unsigned long long)ptb_seed(),
	       r->batches, r->cont_splits, seconds_since(&t0));
	fflush(stdout);
	rnd_free_folios(r);
}
END_TEST

/* ------------------------------------------------------------------------
 * 6: TLB accounting (§6.9, §9.4.6)
 * ------------------------------------------------------------------------
 */

static void map_young_block(void)
{
	struct ptb_pte_bits b = { .write = true, .young = true, .dirty = true };

	ptb_folio_create(T_PFN, 4, 0, 0);
	table_zero(cont_table());
	map_run(&ptb_mm, UB_SLOT, T_PFN, BLK, &b);
	ptb_costs_reset();
}

START_TEST(per_pte_unmap_of_cont_folio_costs_one_unfold_and_16_page_tlbis)
{
	pte_t *t = cont_table(), pte;
	struct ptb_costs d;
	unsigned int i;

	map_young_block();
	for (i = 0; i < BLK; i++) {
		pte = ptep_clear_flush(&ptb_vma, slot_addr(UB_SLOT + i),
				       &t[UB_SLOT + i]);
		ck_assert_msg(pte_present(pte) && pte_pfn(pte) == T_PFN + i &&
			      yng(pte) && drt(pte),
			      "ptep_clear_flush of entry %u returned %#llx", i,
			      PV(pte));
		ck_assert_msg(pte_none(rd(&t[UB_SLOT + i])),
			      "entry %u left %#llx", i, PV(rd(&t[UB_SLOT + i])));
	}
	d = ptb_costs;
	ck_assert_msg(d.contpte_unfolds == CONT_ON && !d.contpte_folds,
		      "%lu unfolds, %lu folds", d.contpte_unfolds,
		      d.contpte_folds);
	ck_assert_msg(d.tlbi_ranges == CONT_ON &&
		      d.tlbi_range_pages == (CONT_ON ? BLK : 0) &&
		      d.tlbi_pages == BLK,
		      "%lu range flushes of %lu pages and %lu page TLBIs (want %d of %d and 16)",
		      d.tlbi_ranges, d.tlbi_range_pages, d.tlbi_pages, CONT_ON,
		      CONT_ON ? BLK : 0);
	ck_assert_msg(d.pte_clears == (CONT_ON ? 2 * BLK : BLK) &&
		      d.pte_writes == (CONT_ON ? BLK : 0),
		      "%lu clears and %lu writes", d.pte_clears, d.pte_writes);
	ck_assert_msg(!d.pte_reads && d.raw_pte_reads == (CONT_ON ? BLK : 0),
		      "%lu ptep_get()s, %lu raw reads", d.pte_reads,
		      d.raw_pte_reads);
}
END_TEST

START_TEST(batched_unmap_of_cont_folio_costs_16_clears_and_one_range_flush)
{
	pte_t *t = cont_table(), pte;
	struct ptb_costs d;
	unsigned int i;

	map_young_block();
	pte = get_and_clear_ptes(&ptb_mm, slot_addr(UB_SLOT), &t[UB_SLOT], BLK);
	d = ptb_costs;
	ck_assert_msg(!d.contpte_unfolds && !d.contpte_folds &&
		      !d.tlbi_pages && !d.tlbi_ranges,
		      "inside get_and_clear_ptes: %lu unfolds, %lu folds, %lu page and %lu range flushes",
		      d.contpte_unfolds, d.contpte_folds, d.tlbi_pages,
		      d.tlbi_ranges);
	ck_assert_msg(d.pte_clears == BLK && !d.pte_writes && !d.raw_pte_reads,
		      "%lu clears, %lu writes, %lu raw reads", d.pte_clears,
		      d.pte_writes, d.raw_pte_reads);
	ck_assert_msg(pte_present(pte) && pte_pfn(pte) == T_PFN && yng(pte) &&
		      drt(pte), "get_and_clear_ptes returned %#llx", PV(pte));
	for (i = 0; i < BLK; i++)
		ck_assert_msg(pte_none(rd(&t[UB_SLOT + i])), "entry %u left %#llx",
			      i, PV(rd(&t[UB_SLOT + i])));

	flush_tlb_range(&ptb_vma, slot_addr(UB_SLOT), slot_addr(UB_SLOT + BLK));
	d = ptb_costs;
	ck_assert_msg(d.tlbi_ranges == 1 && d.tlbi_range_pages == BLK &&
		      !d.tlbi_pages && !d.contpte_unfolds,
		      "with the caller's flush: %lu range flushes of %lu pages, %lu page TLBIs, %lu unfolds",
		      d.tlbi_ranges, d.tlbi_range_pages, d.tlbi_pages,
		      d.contpte_unfolds);
}
END_TEST

START_TEST(ptep_get_of_cont_entry_loads_17_raw_entries)
{
	pte_t *t = cont_table();
	struct ptb_costs d;
	unsigned int i;

	map_young_block();
	for (i = 0; i < BLK; i++) {
		ptb_costs_reset();
		ptep_get(&t[UB_SLOT + i]);
		d = ptb_costs;
		ck_assert_msg(d.pte_reads == 1 &&
			      d.raw_pte_reads == (CONT_ON ? 1 + BLK : 1),
			      "ptep_get of entry %u: %lu reads, %lu raw reads",
			      i, d.pte_reads, d.raw_pte_reads);
		/* the wrapper's load, then contpte_ptep_get_lockless()'s 17 */
		ptb_costs_reset();
		ptep_get_lockless(&t[UB_SLOT + i]);
		d = ptb_costs;
		ck_assert_msg(d.pte_reads == 1 &&
			      d.raw_pte_reads == (CONT_ON ? 2 + BLK : 1),
			      "ptep_get_lockless of entry %u: %lu reads, %lu raw reads",
			      i, d.pte_reads, d.raw_pte_reads);
	}
	/* a non-CONT entry: one load */
	ptb_costs_reset();
	ptep_get(&t[UB_SLOT + BLK]);
	ck_assert_msg(ptb_costs.pte_reads == 1 && ptb_costs.raw_pte_reads == 1,
		      "ptep_get of a none entry: %lu reads, %lu raw reads",
		      ptb_costs.pte_reads, ptb_costs.raw_pte_reads);
}
END_TEST

/* ------------------------------------------------------------------------
 * 7: ptep_get_lockless() against a concurrent convert
 * ------------------------------------------------------------------------
 */

enum { RD_IDLE, RD_REQUEST, RD_BUSY, RD_DONE, RD_QUIT };

/* A second thread that runs one ptep_get_lockless() per request. */
struct reader {
	pthread_t thread;
	pte_t *ptep;
	pte_t result;
	int state;
};

static void *reader_main(void *arg)
{
	struct reader *rdr = arg;

	for (;;) {
		int st = __atomic_load_n(&rdr->state, __ATOMIC_ACQUIRE);

		if (st == RD_QUIT)
			return NULL;
		if (st != RD_REQUEST) {
			sched_yield();
			continue;
		}
		__atomic_store_n(&rdr->state, RD_BUSY, __ATOMIC_SEQ_CST);
		rdr->result = ptep_get_lockless(rdr->ptep);
		__atomic_store_n(&rdr->state, RD_DONE, __ATOMIC_RELEASE);
	}
}

static void reader_start(struct reader *rdr)
{
	memset(rdr, 0, sizeof(*rdr));
	ck_assert_int_eq(pthread_create(&rdr->thread, NULL, reader_main, rdr), 0);
}

static void reader_stop(struct reader *rdr)
{
	__atomic_store_n(&rdr->state, RD_QUIT, __ATOMIC_RELEASE);
	pthread_join(rdr->thread, NULL);
}

/* Wait up to @timeout seconds for the reader to return. */
static bool reader_wait_done(struct reader *rdr, double timeout)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (__atomic_load_n(&rdr->state, __ATOMIC_ACQUIRE) != RD_DONE) {
		if (seconds_since(&t0) > timeout)
			return false;
		sched_yield();
	}
	return true;
}

/* ptep_get() of a quiescent block, written from §6.5. */
static pte_t model_logical(const pte_t *blk, unsigned int idx)
{
	pte_t pte = blk[idx];
	unsigned int i;

	if (!pte_hw_valid(pte) || !ptb_pte_cont(pte))
		return pte;
	for (i = 0; i < BLK; i++) {
		if (drt(blk[i]))
			pte = pte_mkdirty(pte);
		if (yng(blk[i]))
			pte = pte_mkyoung(pte);
	}
	return pte;
}

/*
 * Whether a lockless reader of entry @idx may return from @blk (§6.5): the
 * entry is not valid+CONT, or all 16 are valid+CONT with consecutive PFNs
 * and equal pgprot ignoring A/D.
 */
static bool lockless_may_return(const pte_t *blk, unsigned int idx)
{
	pte_t t = blk[idx];
	unsigned int i;

	if (!pte_hw_valid(t) || !ptb_pte_cont(t))
		return true;
	for (i = 0; i < BLK; i++) {
		pte_t e = blk[i];

		if (!pte_hw_valid(e) || !ptb_pte_cont(e) ||
		    pte_pfn(e) != pte_pfn(t) - idx + i ||
		    prot_noad(e) != prot_noad(t))
			return false;
	}
	return true;
}

#define MAX_STATES	40

struct replay {
	pte_t st[MAX_STATES][BLK];
	bool whole[MAX_STATES];	/* a quiescent state: before, after */
	unsigned int n;
};

/* contpte_convert()'s raw steps from @from to @to: 16 clears, 16 writes. */
static void replay_add_convert(struct replay *rp, const pte_t *from,
			       const pte_t *to)
{
	unsigned int j, i;

	for (j = 0; j <= BLK; j++, rp->n++)
		for (i = 0; i < BLK; i++)
			rp->st[rp->n][i] = i < j ? __pte(0) : from[i];
	for (j = 1; j <= BLK; j++, rp->n++)
		for (i = 0; i < BLK; i++)
			rp->st[rp->n][i] = i < j ? to[i] : __pte(0);
	rp->whole[rp->n - 1] = true;
}

static void write_block(pte_t *blk_ptep, const pte_t *blk)
{
	unsigned int i;

	for (i = 0; i < BLK; i++)
		if (!pte_same(rd(&blk_ptep[i]), blk[i]))
			wr(&blk_ptep[i], blk[i]);
}

/*
 * Freeze a copy of the block in each intermediate state of the replay and
 * run ptep_get_lockless() on each entry from the reader thread. On a state
 * it may return from, it must return at once, and exactly that state's
 * logical value; on a torn state it must keep retrying: then the rest of
 * the convert is written under it, and whatever it returns must be the
 * logical value of a quiescent state (before or after) or none, the
 * break-before-make gap of its own entry.
 */
static unsigned long replay_run(struct reader *rdr, const struct replay *rp,
				const char *row)
{
	pte_t *copy = &scratch_table()[UB_SLOT];
	unsigned long retried = 0;
	unsigned int k, idx, j, a;

	for (k = 0; k < rp->n; k++) {
		for (idx = 0; idx < BLK; idx++) {
			bool may_return = lockless_may_return(rp->st[k], idx);
			pte_t v, want = model_logical(rp->st[k], idx);
			bool ok;

			write_block(copy, rp->st[k]);
			rdr->ptep = &copy[idx];
			__atomic_store_n(&rdr->state, RD_REQUEST,
					 __ATOMIC_RELEASE);
			while (__atomic_load_n(&rdr->state, __ATOMIC_ACQUIRE) ==
			       RD_REQUEST)
				sched_yield();
			if (may_return) {
				ck_assert_msg(reader_wait_done(rdr, 10.0),
					      "%s: state %u entry %u: ptep_get_lockless() did not return from a consistent block",
					      row, k, idx);
				v = rdr->result;
				ck_assert_msg(pte_same(v, want),
					      "%s: state %u entry %u: ptep_get_lockless() returned %#llx, the block says %#llx",
					      row, k, idx, PV(v), PV(want));
			} else {
				ck_assert_msg(!reader_wait_done(rdr, 200e-6),
					      "%s: state %u entry %u: ptep_get_lockless() returned %#llx from a torn block",
					      row, k, idx, PV(rdr->result));
				retried++;
				for (j = k + 1; j < rp->n; j++) {
					write_block(copy, rp->st[j]);
					sched_yield();
				}
				ck_assert_msg(reader_wait_done(rdr, 10.0),
					      "%s: state %u entry %u: ptep_get_lockless() never returned after the convert completed",
					      row, k, idx);
				v = rdr->result;
			}
			ok = pte_none(v);
			for (a = 0; a < rp->n && !ok; a++)
				ok = rp->whole[a] &&
				     pte_same(v, model_logical(rp->st[a], idx));
			ck_assert_msg(ok,
				      "%s: state %u entry %u: ptep_get_lockless() returned %#llx: neither a before/after value nor none",
				      row, k, idx, PV(v));
			__atomic_store_n(&rdr->state, RD_IDLE, __ATOMIC_RELEASE);
		}
	}
	return retried;
}

START_TEST(ptep_get_lockless_never_returns_a_torn_convert)
{
	static struct replay rp;
	pte_t *t = cont_table(), from[BLK], to[BLK], pre[BLK];
	struct ptb_pte_bits b = { .write = true };
	struct reader rdr;
	unsigned long retried;
	struct timespec t0;
	unsigned int i;
	char id[64];

	memset(&rp, 0, sizeof(rp));
	if (_i == 0) {
		/* unfold: the real one gives the after state */
		snprintf(id, sizeof(id), "row 0: unfold");
		map_test_block(true, false, pre, id);
		for (i = 0; i < BLK; i++)
			from[i] = rd(&t[UB_SLOT + i]);
		ptb_unfold(&ptb_mm, slot_addr(UB_SLOT), &t[UB_SLOT]);
		for (i = 0; i < BLK; i++)
			to[i] = rd(&t[UB_SLOT + i]);
		rp.whole[0] = true;
		replay_add_convert(&rp, from, to);
	} else {
		/* fold: entries 0..14 written, then the last one folds */
		snprintf(id, sizeof(id), "row 1: fold");
		ptb_folio_create(T_PFN, 4, 0, 0);
		table_zero(t);
		for (i = 0; i < BLK; i++) {
			b.young = i == 2;
			b.dirty = i == 11;
			from[i] = ptb_mk_pte(T_PFN + i, &b);
			if (i < BLK - 1)
				set_pte_at(&ptb_mm, slot_addr(UB_SLOT + i),
					   &t[UB_SLOT + i], from[i]);
		}
		for (i = 0; i < BLK; i++)
			rp.st[0][i] = rd(&t[UB_SLOT + i]);
		set_pte_at(&ptb_mm, slot_addr(UB_SLOT + BLK - 1),
			   &t[UB_SLOT + BLK - 1], from[BLK - 1]);
		for (i = 0; i < BLK; i++) {
			if (i < BLK - 1)
				from[i] = rp.st[0][i];
			to[i] = rd(&t[UB_SLOT + i]);
		}
		rp.whole[0] = true;
		rp.n = 1;
		replay_add_convert(&rp, from, to);
		rp.whole[1] = true;
	}
	for (i = 0; CONT_ON && i < BLK; i++)
		ck_assert_msg(ptb_pte_cont(_i == 0 ? from[i] : to[i]) &&
			      !ptb_pte_cont(_i == 0 ? to[i] : from[i]),
			      "%s: entry %u: the real convert went from %#llx to %#llx",
			      id, i, PV(from[i]), PV(to[i]));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ptb_cost_pause();
	reader_start(&rdr);
	retried = replay_run(&rdr, &rp, id);
	reader_stop(&rdr);
	ptb_cost_resume();
	if (CONT_ON)
		ck_assert_msg(retried > 0, "%s: no torn state was replayed", id);
	printf("# lockless %s (%s): %u states x 16 entries, %lu reads had to retry, %.2f s\n",
	       id, PTB_ARCH_NAME, rp.n, retried, seconds_since(&t0));
	fflush(stdout);
}
END_TEST

struct free_reader {
	pte_t *blk;
	const pte_t *want;	/* the logical value of each entry */
	int stop;
	unsigned long reads, none, cont, bad;
	unsigned int bad_idx;
	pte_t bad_val;
};

static void *free_reader_main(void *arg)
{
	struct free_reader *fr = arg;
	unsigned int idx = 0;

	while (!__atomic_load_n(&fr->stop, __ATOMIC_ACQUIRE)) {
		pte_t v;

		idx = (idx + 7) % BLK;
		v = ptep_get_lockless(&fr->blk[idx]);
		/* on a shared CPU, let the writer run now and then */
		if (!(__atomic_fetch_add(&fr->reads, 1, __ATOMIC_RELEASE) % 64))
			sched_yield();
		if (pte_none(v)) {
			fr->none++;
			continue;
		}
		fr->cont += ptb_pte_cont(v);
		if (!pte_same(strip(v), fr->want[idx]) && !fr->bad++) {
			fr->bad_idx = idx;
			fr->bad_val = v;
		}
	}
	return NULL;
}

/* Wait (a little) until the reader has completed one more read. */
static void free_reader_wait(struct free_reader *fr)
{
	unsigned long n = __atomic_load_n(&fr->reads, __ATOMIC_ACQUIRE);
	unsigned int spins;

	for (spins = 0; spins < 1000; spins++) {
		if (__atomic_load_n(&fr->reads, __ATOMIC_ACQUIRE) != n)
			return;
		sched_yield();
	}
}

/*
 * Free-running: real unfold/refold cycles of a block whose young and dirty
 * state lives in one entry each, under a reader that never stops.
 */
START_TEST(ptep_get_lockless_during_real_unfold_refold_cycles_is_never_torn)
{
	pte_t *t = cont_table(), *blk = &t[UB_SLOT], pre[BLK], raw0[BLK], last;
	unsigned long cycles = ptb_iterations(3000), c;
	struct free_reader fr = { .blk = blk, .want = pre };
	struct timespec t0;
	pthread_t thread;
	unsigned int i;

	map_test_block(true, false, pre, "free-running");
	for (i = 0; i < BLK; i++)
		raw0[i] = rd(&blk[i]);
	last = pre[BLK - 1];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ptb_cost_pause();
	ck_assert_int_eq(pthread_create(&thread, NULL, free_reader_main, &fr), 0);
	/* bounded in time as well: at most 1 s of cycles */
	for (c = 0; c < cycles && (c % 64 || seconds_since(&t0) < 1.0); c++) {
		/* back to young only in entry 3, dirty only in entry 9 */
		for (i = 0; i < BLK; i++)
			wr(&blk[i], raw0[i]);
		/* let the reader into a read of the CONT block, then convert */
		free_reader_wait(&fr);
		ptb_unfold(&ptb_mm, slot_addr(UB_SLOT), blk);
		free_reader_wait(&fr);
		set_pte_at(&ptb_mm, slot_addr(UB_SLOT + BLK - 1),
			   &blk[BLK - 1], last);
	}
	__atomic_store_n(&fr.stop, 1, __ATOMIC_RELEASE);
	pthread_join(thread, NULL);
	ptb_cost_resume();

	ck_assert_msg(!fr.bad,
		      "%lu of %lu lockless reads torn, first: entry %u read %#llx, logical %#llx",
		      fr.bad, fr.reads, fr.bad_idx, PV(fr.bad_val),
		      PV(pre[fr.bad_idx]));
	check_block_cont("free-running", true);
	printf("# lockless free-running (%s): %lu unfold/refold cycles, %lu reads (%lu none, %lu CONT), %.2f s\n",
	       PTB_ARCH_NAME, c, fr.reads, fr.none, fr.cont,
	       seconds_since(&t0));
	fflush(stdout);
}
END_TEST

Suite *ptb_suite(void)
{
	Suite *s = suite_create("contpte");
	TCase *tc;

	tc = tcase_create("logical_view");
	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	tcase_add_checked_fixture(tc, worlds_setup, worlds_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, random_ops_keep_logical_view_and_block_invariant);
	suite_add_tcase(s, tc);

	tc = tcase_create("unfold");
	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	tcase_add_checked_fixture(tc, worlds_setup, worlds_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, single_entry_ops_on_cont_slot_unfold_block_once,
			    0, ARRAY_SIZE(unfold_rows) * 3);
	tcase_add_loop_test(tc, read_and_access_flag_ops_keep_block_cont,
			    0, ARRAY_SIZE(keep_rows) * 3);
	tcase_add_loop_test(tc, whole_block_multi_entry_ops_neither_unfold_nor_flush,
			    0, 5 * 4);
	tcase_add_loop_test(tc, partial_range_ops_unfold_only_their_end_blocks,
			    0, 5);
	suite_add_tcase(s, tc);

	tc = tcase_create("fold");
	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	tcase_add_checked_fixture(tc, worlds_setup, worlds_teardown);
	tcase_add_loop_test(tc, set_pte_at_folds_block_only_when_all_rules_hold,
			    0, ARRAY_SIZE(fold_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("batch_hint");
	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	tcase_add_checked_fixture(tc, worlds_setup, worlds_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, pte_batch_hint_counts_entries_to_block_end, 0, 4);
	tcase_add_test(tc, folio_pte_batch_same_with_and_without_cont);
	suite_add_tcase(s, tc);

	tc = tcase_create("tlb_costs");
	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	tcase_add_checked_fixture(tc, worlds_setup, worlds_teardown);
	tcase_add_test(tc, per_pte_unmap_of_cont_folio_costs_one_unfold_and_16_page_tlbis);
	tcase_add_test(tc, batched_unmap_of_cont_folio_costs_16_clears_and_one_range_flush);
	tcase_add_test(tc, ptep_get_of_cont_entry_loads_17_raw_entries);
	suite_add_tcase(s, tc);

	tc = tcase_create("lockless");
	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	tcase_add_checked_fixture(tc, worlds_setup, worlds_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, ptep_get_lockless_never_returns_a_torn_convert, 0, 2);
	tcase_add_test(tc, ptep_get_lockless_during_real_unfold_refold_cycles_is_never_torn);
	suite_add_tcase(s, tc);

	return s;
}
