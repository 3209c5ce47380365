// SPDX-License-Identifier: GPL-2.0
/*
 * Sections 1 and 2 of the contpte suite (see contpte.h): random operation
 * sequences run on the contpte world and on the reference world, with the
 * logical view of every slot, the returned values, the costs and the block
 * invariant checked after each operation. The random worlds built here also
 * drive section 5 (batch.c).
 */
#include <string.h>
#include <time.h>

#include "contpte.h"

/* ------------------------------------------------------------------------
 * 1, 2: random operation sequences against a reference world
 * ------------------------------------------------------------------------
 */

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

struct rnd R;

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

/*
 * Every slot: the contpte world's view against the reference, the oracle
 * described in contpte.h: equal but for PTE_CONT and the young/dirty
 * smearing contpte allows.
 */
static void rnd_check_slot(struct rnd *r, unsigned int s)
{
	pte_t *cp = &r->ct[s], *rp = &r->rt[s];
	pte_t craw = rd(cp), rraw = rd(rp);
	pte_t cv = ptb_peek(cp), lc = strip(cv), rv = ptb_peek(rp), ll;

	expect(!ptb_pte_cont(rraw),
	       "%s: slot %u: reference (init_mm) entry %#llx has PTE_CONT",
	       r->ctx, s, raw(rraw));
	expect(pte_same(rv, rraw),
	       "%s: slot %u: reference ptep_get %#llx != raw %#llx",
	       r->ctx, s, raw(rv), raw(rraw));

	ptb_cost_pause();
	ll = ptep_get_lockless(cp);
	ptb_cost_resume();
	expect(pte_same(ll, cv),
	       "%s: slot %u: ptep_get_lockless %#llx != ptep_get %#llx (raw %#llx)",
	       r->ctx, s, raw(ll), raw(cv), raw(craw));

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
		       r->ctx, s, raw(cv), y, d);
		expect(pte_same(norm(cv), norm(craw)) &&
		       pte_pfn(cv) == pte_pfn(craw) && ptb_pte_cont(cv),
		       "%s: slot %u: ptep_get %#llx of CONT entry %#llx changed more than A/D",
		       r->ctx, s, raw(cv), raw(craw));
	} else {
		expect(pte_same(cv, craw),
		       "%s: slot %u: ptep_get %#llx of a non-CONT entry is not the raw entry %#llx",
		       r->ctx, s, raw(cv), raw(craw));
	}

	if (!pte_present(rv) || !pte_present(lc)) {
		expect(pte_same(lc, rv),
		       "%s: slot %u: contpte world %#llx (raw %#llx) != reference %#llx",
		       r->ctx, s, raw(lc), raw(craw), raw(rv));
		return;
	}
	expect(pte_same(norm(lc), norm(rv)),
	       "%s: slot %u: contpte world %#llx (raw %#llx) != reference %#llx beyond young/dirty",
	       r->ctx, s, raw(lc), raw(craw), raw(rv));
	expect(ad_ok(yng(lc), yng(rv), r->xy[s], r->my[s]),
	       "%s: slot %u: young %d in the contpte world (%#llx, raw %#llx), %d in the reference (%#llx), not explained by smearing (may add %d, may lack %d)",
	       r->ctx, s, yng(lc), raw(lc), raw(craw), yng(rv), raw(rv),
	       r->xy[s], r->my[s]);
	expect(ad_ok(drt(lc), drt(rv), r->xd[s], r->md[s]),
	       "%s: slot %u: dirty %d in the contpte world (%#llx, raw %#llx), %d in the reference (%#llx), not explained by smearing (may add %d, may lack %d)",
	       r->ctx, s, drt(lc), raw(lc), raw(craw), drt(rv), raw(rv),
	       r->xd[s], r->md[s]);
}

/*
 * How many blocks a multi-entry op must unfold, as 6.12's
 * contpte_try_unfold_partial() decides: the block of the first entry if the
 * range does not start at a block boundary or is shorter than a block, and
 * the block of the last entry if the range does not end at one, each only
 * if it is CONT, and a block only once.
 */
unsigned int partial_unfolds(const bool *cont, unsigned int lo,
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


static void rnd_check_returns(struct rnd *r, const struct rop *op, int rc,
			      int rr, pte_t ret_c, pte_t ret_r)
{
	unsigned int lo = op->slot, s;
	bool yc = false, dc = false, yr = false, dr = false;
	pte_t want;

	switch (op->kind) {
	case R_GET_AND_CLEAR:
		expect(logically_same_strict(ret_c, r->cur_pre[lo]),
		       "%s: contpte world returned %#llx, its ptep_get was %#llx",
		       r->ctx, raw(ret_c), raw(r->cur_pre[lo]));
		expect(pte_same(ret_r, r->ref_pre[lo]),
		       "%s: reference returned %#llx, held %#llx",
		       r->ctx, raw(ret_r), raw(r->ref_pre[lo]));
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
		expect(logically_same_strict(ret_c, want),
		       "%s: contpte world returned %#llx, expected %#llx (first entry %#llx, young %d, dirty %d after it)",
		       r->ctx, raw(ret_c), raw(want), raw(r->cur_pre[lo]), yc, dc);
		want = r->ref_pre[lo];
		want = yr ? pte_mkyoung(want) : want;
		want = dr ? pte_mkdirty(want) : want;
		expect(logically_same_strict(ret_r, want),
		       "%s: reference returned %#llx, expected %#llx",
		       r->ctx, raw(ret_r), raw(want));
		break;
	case R_TEST_YOUNG:
	case R_FLUSH_YOUNG:
		expect(!!rc == yng(r->cur_pre[lo]),
		       "%s: contpte world returned %d, ptep_get was %#llx",
		       r->ctx, rc, raw(r->cur_pre[lo]));
		expect(!!rr == yng(r->ref_pre[lo]),
		       "%s: reference returned %d, held %#llx",
		       r->ctx, rr, raw(r->ref_pre[lo]));
		break;
	case R_ACCESS_FLAGS:
		for (s = ALIGN_DOWN(lo, BLK); !rc && s < ALIGN_DOWN(lo, BLK) + BLK; s++)
			expect(pte_same(ptb_peek(&r->ct[s]), r->cur_pre[s]),
			       "%s: contpte world returned 0 but slot %u changed from %#llx to %#llx",
			       r->ctx, s, raw(r->cur_pre[s]),
			       raw(ptb_peek(&r->ct[s])));
		expect(rr || pte_same(rd(&r->rt[lo]), r->ref_pre[lo]),
		       "%s: reference returned 0 but changed %#llx to %#llx",
		       r->ctx, raw(r->ref_pre[lo]), raw(rd(&r->rt[lo])));
		break;
	default:
		break;
	}
}

void rnd_run(struct rnd *r, const struct rop *op)
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
		 rop_names[op->kind], op->slot, op->nr, raw(op->pte), op->full,
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
bool pick_slot(struct rnd *r, const struct placement *p, bool present,
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

bool rnd_gen(struct rnd *r, struct rop *op)
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

void rnd_free_folios(struct rnd *r)
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

void rnd_init(struct rnd *r, u64 salt)
{
	memset(r, 0, sizeof(*r));
	r->salt = salt;
	r->base = ptb_seed() ^ salt;
	r->ct = cont_table();
	r->rt = ref_table();
}

void rnd_begin_iteration(struct rnd *r, unsigned long iter)
{
	r->iter = iter;
	r->op = 0;
	ptb_rng_init(&r->rng, r->base + iter);
	rnd_build(r);
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

void add_random_ops_tests(TCase *tc)
{
	tcase_add_test(tc, random_ops_keep_logical_view_and_block_invariant);
}
