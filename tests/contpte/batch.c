// SPDX-License-Identifier: GPL-2.0
/*
 * Section 5 of the contpte suite (see contpte.h): pte_batch_hint() on
 * contpte mappings, and folio_pte_batch() on the random worlds of
 * random_ops.c with and without PTE_CONT and with the hint forced to 1.
 */
#include <time.h>

#include "contpte.h"

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
			      raw(rd(&t[s])), cont ? "" : "non-");
		ck_assert_msg(hint == (cont ? BLK - s % BLK : 1),
			      "row %d: pte_batch_hint(slot %u, %#llx) = %u, want %u",
			      _i, s, raw(pte), hint, cont ? BLK - s % BLK : 1);
		ck_assert_msg(pte_present(pte) == mapped,
			      "row %d: slot %u is %#llx", _i, s, raw(pte));
	}
}
END_TEST

/*
 * What folio_pte_batch() compares, written out again for the per-entry
 * reference below (__pte_batch_clear_ignored(): 6.12's mm/internal.h, with
 * FPB_RESPECT_WRITE): dirty and soft-dirty cleared if ignored, write
 * cleared unless respected, young always cleared.
 */
static pte_t fpb_normalize(pte_t pte, fpb_t flags, bool respect_write)
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
		if (!pte_same(fpb_normalize(ptb_peek(ptep + i), flags,
					    respect_write),
			      fpb_normalize(pte_advance_pfn(pte, i), flags,
					    respect_write)))
			break;
	return i;
}

/*
 * folio_pte_batch(), with and without FPB_RESPECT_WRITE, from random slots
 * of the contpte world against (a) the per-entry reference on the same table
 * (pte_batch_hint() only saves reads: with the hint forced to 1, as on x86,
 * the result is the same) and (b) the same logical content without
 * PTE_CONT in a copy of the table, where the batch may only go further
 * than on the contpte table past a CONT/non-CONT transition (ptep_get()
 * returns PTE_CONT and the normalisation keeps it, so a batch never spans
 * one).
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
			       r->ctx, nc, nh, raw(pc));
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

void add_batch_tests(TCase *tc)
{
	tcase_add_loop_test(tc, pte_batch_hint_counts_entries_to_block_end, 0, 4);
	tcase_add_test(tc, folio_pte_batch_same_with_and_without_cont);
}
