// SPDX-License-Identifier: GPL-2.0
/*
 * Section 4 of the contpte suite (see contpte.h): set_pte_at() of the last
 * entry of a block folds it only when every folding rule of 6.12's
 * contpte_try_fold() holds, at the cost of one convert.
 */
#include "contpte.h"

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
				      id, UB_SLOT + i, raw(rd(&t[UB_SLOT + i])));
	}
	for (i = 0; i < BLK; i++) {
		pte_t want = written[i];

		if (want_fold)
			want = pte_mkdirty(pte_mkyoung(want));
		post = strip(ptb_peek(&t[UB_SLOT + i]));
		ck_assert_msg(logically_same_strict(post, want),
			      "%s: slot %u is %#llx, want %#llx", id,
			      UB_SLOT + i, raw(post), raw(want));
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

void add_fold_tests(TCase *tc)
{
	tcase_add_loop_test(tc, set_pte_at_folds_block_only_when_all_rules_hold,
			    0, ARRAY_SIZE(fold_rows));
}
