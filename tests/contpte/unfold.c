// SPDX-License-Identifier: GPL-2.0
/*
 * Section 3 of the contpte suite (see contpte.h): which operations on a
 * CONT block unfold it (once, at the documented cost) and which keep it,
 * for single entries and for multi-entry ranges over whole and partial
 * blocks.
 */
#include "contpte.h"

/* ------------------------------------------------------------------------
 * 3: what unfolds a block and what does not
 * ------------------------------------------------------------------------
 */

/*
 * Map one order-4 folio at slots 32..47 with set_ptes() (one CONT block on
 * arm64), old and clean, then let the MMU read through entry 3 and write
 * through entry 9: ptep_get() of any entry of the block then reports young
 * (and dirty if writable) while most raw entries are neither. @pre gets the
 * logical view of the 16 entries.
 */
void map_test_block(bool writable, bool uniform_ad, pte_t *pre,
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
			      row, UB_SLOT + i, raw(rd(&t[UB_SLOT + i])));
	}
	ptb_costs_reset();
}

void check_block_cont_in(pte_t *t, const char *row, bool want)
{
	char why[256];
	unsigned int i;

	for (i = 0; i < BLK; i++)
		expect(raw_cont(&t[UB_SLOT + i]) == (want && CONT_ON),
		       "%s: slot %u is %#llx: block should %s CONT", row,
		       UB_SLOT + i, raw(rd(&t[UB_SLOT + i])),
		       want ? "still be" : "no longer be");
	expect(block_invariant_holds(t, why, sizeof(why)),
	       "%s: block invariant: %s", row, why);
}

void check_block_cont(const char *row, bool want)
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
		ck_assert_msg(logically_same_strict(post, pre[i]),
			      "%s: slot %u changed from %#llx to %#llx", id,
			      UB_SLOT + i, raw(pre[i]), raw(post));
		if (CONT_ON)
			ck_assert_msg(logically_same_strict(rd(&t[UB_SLOT + i]), pre[i]),
				      "%s: raw slot %u is %#llx after the unfold, not the block's gathered %#llx",
				      id, UB_SLOT + i, raw(rd(&t[UB_SLOT + i])),
				      raw(pre[i]));
	}
	post = logical(ptep);
	switch (row->op) {
	case U_GET_AND_CLEAR:
	case U_GAC_FULL_1:
	case U_GAC_FULL_1_FULLMM:
		ck_assert_msg(logically_same_strict(ret, pre[idx]),
			      "%s: returned %#llx, ptep_get was %#llx", id,
			      raw(ret), raw(pre[idx]));
		/* fall through */
	case U_PTE_CLEAR:
	case U_CLEAR_FULL_1:
		ck_assert_msg(pte_none(post), "%s: slot left %#llx", id,
			      raw(post));
		break;
	default:
		ck_assert_msg(logically_same_strict(post, want),
			      "%s: slot is %#llx, want %#llx", id, raw(post),
			      raw(want));
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
		ck_assert_msg(logically_same_strict(v, pre[idx]) &&
			      ptb_pte_cont(v) == CONT_ON,
			      "%s: returned %#llx, want %#llx", id, raw(v),
			      raw(pre[idx]));
		ck_assert_msg(!CONT_ON || (yng(v) && drt(v)),
			      "%s: %#llx does not gather young and dirty from entries 3 and 9",
			      id, raw(v));
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
			      raw(pre[idx]));
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
				      id, UB_SLOT + i, raw(rd(&t[UB_SLOT + i])));
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
		ck_assert_msg(logically_same_strict(post, want),
			      "%s: slot %u is %#llx, want %#llx", id,
			      UB_SLOT + i, raw(post), raw(want));
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
		expect(logically_same_strict(post, want),
		       "%s: slot %u is %#llx, want %#llx", id, MB_SLOT + i,
		       raw(post), raw(want));
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
			       id, MB_SLOT + i, raw(rd(&t[MB_SLOT + i])), b,
			       cont ? "" : "not ");
	}
	expect(block_invariant_holds(t, why, sizeof(why)),
	       "%s: block invariant: %s", id, why);
	if (op == RG_GAC || op == RG_GAC_FULLMM) {
		want = pre[lo];
		want = y ? pte_mkyoung(want) : want;
		want = d ? pte_mkdirty(want) : want;
		expect(logically_same_strict(ret, want),
		       "%s: returned %#llx, want %#llx", id, raw(ret), raw(want));
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

void add_unfold_tests(TCase *tc)
{
	tcase_add_loop_test(tc, single_entry_ops_on_cont_slot_unfold_block_once,
			    0, ARRAY_SIZE(unfold_rows) * 3);
	tcase_add_loop_test(tc, read_and_access_flag_ops_keep_block_cont,
			    0, ARRAY_SIZE(keep_rows) * 3);
	tcase_add_loop_test(tc, whole_block_multi_entry_ops_neither_unfold_nor_flush,
			    0, 5 * 4);
	tcase_add_loop_test(tc, partial_range_ops_unfold_only_their_end_blocks,
			    0, 5);
}
