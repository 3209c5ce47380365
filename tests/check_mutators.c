// SPDX-License-Identifier: GPL-2.0
/*
 * Every batch PTE mutator against a per-PTE reference, on real page tables
 * of a user mm:
 *
 *   set_ptes, get_and_clear_full_ptes, get_and_clear_ptes, clear_full_ptes,
 *   clear_not_present_full_ptes, wrprotect_ptes.
 *
 * "single(op)" is the nr == 1 primitive in a loop, run on a copy of the
 * table (a second page table of the same mm), or a hand-computed
 * expectation. The tables are built as the fault path builds them: folios
 * of order 2..9 mapped with set_ptes() (which on arm64 sets PTE_CONT on
 * whole, PA-aligned 64K blocks), in one call or in chunks, next to other
 * mappings, swap entries and holes, with random hardware A/D updates
 * (ptb_hw_access()). Op ranges start and end at and near table ends and,
 * on arm64, at, inside and across contpte blocks.
 *
 * The directed tables pin hand-computed raw bits and exact costs; the
 * randomised tests take PTEBATCH_SEED/PTEBATCH_ITERATIONS and name the
 * seed that replays a failing iteration in every message.
 */
#include <string.h>
#include <time.h>

#include "harness.h"
#include "pte_compare.h"

#define NPTE		PTRS_PER_PTE
/* range shapes are drawn around 16-entry blocks on both backends */
#define SHAPE		16

/* three page tables of ptb_mm: under test, single(op), second batch */
#define MUT_VA		PTB_VA
#define MUT_REF_VA	(PTB_VA + PMD_SIZE)
#define MUT_REF2_VA	(PTB_VA + 2 * PMD_SIZE)

/* an order-9 folio in the last 2M of the memmap, mapped around op folios */
#define BG_PFN		(PTB_BASE_PFN + 31 * NPTE)
/* op folios come from the 31 chunks of 2M below it */
#define OP_PFN_CHUNKS	31

/*
 * Hand-written expectations per backend, from 6.12's
 * arch/x86/include/asm/pgtable_types.h and
 * arch/arm64/include/asm/pgtable-hwdef.h, selected by what the backend
 * defines.
 */
#ifdef PTE_CONT
#define EXP_CONT_PTES		16
#define EXP_WRITE_BIT		(1ULL << 51)	/* PTE_WRITE (DBM) */
#define EXP_RDONLY_BIT		(1ULL << 7)	/* set on every wrprotected PTE */
#define EXP_WP_DIRTY_BIT	(1ULL << 55)	/* PTE_DIRTY keeps it */
#define EXP_WP_CLEAR_BITS	EXP_WRITE_BIT
#define EXP_YOUNG_BIT		(1ULL << 10)	/* PTE_AF */
/* pte_mkdirty() of a writable PTE: sets PTE_DIRTY, clears PTE_RDONLY */
#define EXP_MKDIRTY_SETS	(1ULL << 55)
#define EXP_MKDIRTY_CLEARS	(1ULL << 7)
#define EXP_MKDIRTY_SOFT_DIRTY	false
#else
#define EXP_CONT_PTES		1
#define EXP_WRITE_BIT		(1ULL << 1)	/* _PAGE_RW */
#define EXP_RDONLY_BIT		0ULL
#define EXP_WP_DIRTY_BIT	(1ULL << 58)	/* _PAGE_SAVED_DIRTY */
#define EXP_WP_CLEAR_BITS	(EXP_WRITE_BIT | (1ULL << 6))	/* RW, D */
#define EXP_YOUNG_BIT		(1ULL << 5)	/* _PAGE_ACCESSED */
/* pte_mkdirty() of a writable PTE: sets D and soft-dirty (bit 11) */
#define EXP_MKDIRTY_SETS	((1ULL << 6) | (1ULL << 11))
#define EXP_MKDIRTY_CLEARS	0ULL
#define EXP_MKDIRTY_SOFT_DIRTY	true
#endif

/* ck_assert_msg() only on failure: a passing one costs a mark_point */
#define mut_check(w, cond, fmt, ...)					\
	do {								\
		if (unlikely(!(cond)))					\
			ck_assert_msg(cond, "%s: " fmt, (w)->tag,	\
				      ##__VA_ARGS__);			\
	} while (0)

enum mut_op {
	OP_SET_PTES,
	OP_GET_AND_CLEAR_FULL,
	OP_GET_AND_CLEAR,
	OP_CLEAR_FULL,
	OP_CLEAR_NOT_PRESENT_FULL,
	OP_WRPROTECT,
};

static const char * const op_names[] = {
	[OP_SET_PTES]			= "set_ptes",
	[OP_GET_AND_CLEAR_FULL]		= "get_and_clear_full_ptes",
	[OP_GET_AND_CLEAR]		= "get_and_clear_ptes",
	[OP_CLEAR_FULL]			= "clear_full_ptes",
	[OP_CLEAR_NOT_PRESENT_FULL]	= "clear_not_present_full_ptes",
	[OP_WRPROTECT]			= "wrprotect_ptes",
};

static bool op_clears(enum mut_op op)
{
	return op == OP_GET_AND_CLEAR_FULL || op == OP_GET_AND_CLEAR ||
	       op == OP_CLEAR_FULL;
}

static bool op_returns(enum mut_op op)
{
	return op == OP_GET_AND_CLEAR_FULL || op == OP_GET_AND_CLEAR;
}

/* ------------------------------------------------------------------ */
/* Cost expectations                                                  */
/* ------------------------------------------------------------------ */

static const struct {
	const char *name;
	size_t offset;
} cost_fields[] = {
	{ "pte_reads", offsetof(struct ptb_costs, pte_reads) },
	{ "pte_writes", offsetof(struct ptb_costs, pte_writes) },
	{ "pte_clears", offsetof(struct ptb_costs, pte_clears) },
	{ "pte_cmpxchgs", offsetof(struct ptb_costs, pte_cmpxchgs) },
	{ "tlbi_pages", offsetof(struct ptb_costs, tlbi_pages) },
	{ "tlbi_ranges", offsetof(struct ptb_costs, tlbi_ranges) },
	{ "tlbi_range_pages", offsetof(struct ptb_costs, tlbi_range_pages) },
	{ "tlb_deferred", offsetof(struct ptb_costs, tlb_deferred) },
	{ "contpte_folds", offsetof(struct ptb_costs, contpte_folds) },
	{ "contpte_unfolds", offsetof(struct ptb_costs, contpte_unfolds) },
};

static unsigned long cost_field(const struct ptb_costs *c, unsigned int i)
{
	return *(const unsigned long *)((const char *)c + cost_fields[i].offset);
}

/*
 * Compare every counter but raw_pte_reads (how many raw loads a primitive
 * needs to decide on an unfold is an implementation detail; the cost suite
 * pins it). Describes the differences in @buf.
 */
static bool costs_match(const struct ptb_costs *got,
			const struct ptb_costs *exp, char *buf, size_t len)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(cost_fields); i++) {
		if (cost_field(got, i) == cost_field(exp, i) || n >= len)
			continue;
		n += snprintf(buf + n, len - n, " %s=%lu(exp %lu)",
			      cost_fields[i].name, cost_field(got, i),
			      cost_field(exp, i));
	}
	return n == 0;
}

/* The costs of @nr entries cleared/wrprotected plus @unfolds unfolds. */
static void expect_costs(struct ptb_costs *exp, enum mut_op op,
			 unsigned int nr, unsigned int unfolds,
			 unsigned long cmpxchgs)
{
	memset(exp, 0, sizeof(*exp));
	/* each unfold, contpte_convert(): 16 clears, 1 range flush, 16 writes */
	exp->contpte_unfolds = unfolds;
	exp->pte_clears = EXP_CONT_PTES * unfolds;
	exp->pte_writes = EXP_CONT_PTES * unfolds;
	exp->tlbi_ranges = unfolds;
	exp->tlbi_range_pages = EXP_CONT_PTES * unfolds;
	if (op_clears(op))
		exp->pte_clears += nr;
	if (op == OP_WRPROTECT)
		exp->pte_cmpxchgs = cmpxchgs;
	if (op == OP_SET_PTES || op == OP_CLEAR_NOT_PRESENT_FULL)
		exp->pte_writes += nr;
}

/* ------------------------------------------------------------------ */
/* The world of one iteration                                         */
/* ------------------------------------------------------------------ */

struct mut_world {
	enum mut_op op;
	u64 seed;		/* of this iteration */
	u64 rerun;		/* PTEBATCH_SEED that replays it first */
	struct ptb_rng rng;
	char tag[384];
	pte_t *tbl, *ref, *ref2;
	struct folio *folio;
	unsigned int order;
	unsigned int lo, hi;		/* slots mapping the op folio */
	unsigned long lo_pfn;		/* PFN mapped at slot lo */
	unsigned int a, nr;		/* the op range */
	int full;
	unsigned int unfolds;		/* expected arm64 partial unfolds */
	pte_t raw[NPTE];		/* before the op, READ_ONCE() */
	pte_t log[NPTE];		/* before the op, ptep_get() */
	pte_t view[NPTE];		/* the raw entries after those unfolds */
};

static struct mut_world ptb_w;

static unsigned long tva(unsigned long base, unsigned int slot)
{
	return base + slot * PAGE_SIZE;
}

static void mut_setup(void)
{
	ptb_setup();
	ptb_folio_create(BG_PFN, 9, BIT(PG_anon), 0);
	ptb_w.tbl = ptb_slot(MUT_VA);
	ptb_w.ref = ptb_slot(MUT_REF_VA);
	ptb_w.ref2 = ptb_slot(MUT_REF2_VA);
}

static void mut_teardown(void)
{
	ptb_teardown();
	ptb_folio_free(ptb_w.folio);
	ptb_w.folio = NULL;
}

static unsigned long rb(struct mut_world *w, unsigned long n)
{
	return ptb_rng_below(&w->rng, n);
}

static bool rc(struct mut_world *w, unsigned int pct)
{
	return ptb_rng_chance(&w->rng, pct);
}

static void rand_bits(struct mut_world *w, struct ptb_pte_bits *b, bool rare)
{
	memset(b, 0, sizeof(*b));
	b->write = rc(w, 50);
	b->dirty = rc(w, 30);
	b->young = rc(w, 50);
	b->soft_dirty = rc(w, 50);
	b->exec = rc(w, 30);
	if (rare) {
		b->uffd_wp = rc(w, 8);
		b->protnone = rc(w, 5);
		b->special = rc(w, 5);
	}
}

static void reroll_ad(struct mut_world *w, struct ptb_pte_bits *b)
{
	b->write = rc(w, 50);
	b->dirty = rc(w, 30);
	b->young = rc(w, 50);
	b->soft_dirty = rc(w, 50);
}

static pte_t rand_swap_pte(struct mut_world *w)
{
	/* genuine swap types 1..22: (0, 0) would be pte_none() on arm64 */
	pte_t pte = swp_entry_to_pte(swp_entry(1 + rb(w, MAX_SWAPFILES - 1),
					       1 + rb(w, 1UL << 20)));

	if (rc(w, 50))
		pte = pte_swp_mksoft_dirty(pte);
	if (rc(w, 30))
		pte = pte_swp_mkuffd_wp(pte);
	if (rc(w, 50))
		pte = pte_swp_mkexclusive(pte);
	return pte;
}

/* A run of swap PTEs for consecutive entries, the odd marker among them. */
static void set_swap_run(struct mut_world *w, unsigned int s, unsigned int len,
			 bool markers)
{
	pte_t pte = rand_swap_pte(w);
	unsigned int i;

	for (i = 0; i < len; i++) {
		pte_t val = pte;

		if (markers && rc(w, 10))
			val = make_pte_marker(PTE_MARKER_UFFD_WP);
		set_pte_at(&ptb_mm, tva(MUT_VA, s + i), w->tbl + s + i, val);
		pte = pte_next_swp_offset(pte);
	}
}

/* Other mappings, swap entries and holes in [s, e). */
static void fill_background(struct mut_world *w, unsigned int s,
			    unsigned int e)
{
	while (s < e) {
		unsigned int len = rc(w, 50) ? e - s : 1 + rb(w, e - s);
		unsigned int kind = rb(w, 10);

		if (kind < 6) {
			struct ptb_pte_bits b;

			rand_bits(w, &b, false);
			b.protnone = rc(w, 5);
			/* PFN == slot of the background folio: aligned */
			set_ptes(&ptb_mm, tva(MUT_VA, s), w->tbl + s,
				 ptb_mk_pte(BG_PFN + s, &b), len);
		} else if (kind < 8) {
			set_swap_run(w, s, len, true);
		}
		s += len;
	}
}

/* Where the op folio goes: [lo, hi) mapping pages from lo_pfn on. */
static void pick_folio(struct mut_world *w)
{
	unsigned long nr_pages, map_nr, idx, off;

	/* the last iteration's folio: its PTEs went with clear_tables() */
	ptb_folio_free(w->folio);
	w->order = 2 + rb(w, 8);
	nr_pages = 1UL << w->order;
	w->lo_pfn = PTB_BASE_PFN +
		    nr_pages * rb(w, OP_PFN_CHUNKS * NPTE / nr_pages);
	w->folio = ptb_folio_create(w->lo_pfn, w->order, BIT(PG_anon), 0);
	map_nr = rc(w, 60) ? nr_pages : 1 + rb(w, nr_pages);
	idx = rb(w, nr_pages - map_nr + 1);
	w->lo_pfn += idx;

	switch (rb(w, 8)) {
	case 0:
	case 1:
	case 2:
	case 3:
		/* VA congruent to PA modulo 64K: contpte blocks can form */
		off = w->lo_pfn & (SHAPE - 1);
		if (map_nr + off <= NPTE) {
			w->lo = SHAPE * rb(w, (NPTE - map_nr - off) / SHAPE + 1) +
				off;
			break;
		}
		/* fall through */
	case 4:
		w->lo = NPTE - map_nr;		/* ends at the table end */
		break;
	case 5:
		w->lo = 0;			/* starts at the table start */
		break;
	default:
		w->lo = rb(w, NPTE - map_nr + 1);
		break;
	}
	w->hi = w->lo + map_nr;
}

/*
 * Map the op folio over [lo, hi) but not over [hole_a, hole_b): in one
 * set_ptes() call per side of the hole, or in random chunks whose
 * write/dirty/young/soft-dirty may differ (as after fork or mprotect).
 */
static void map_folio(struct mut_world *w, unsigned int hole_a,
		      unsigned int hole_b)
{
	bool one_shot = rc(w, 60);
	struct ptb_pte_bits base, b;
	unsigned int s = w->lo;

	rand_bits(w, &base, true);
	while (s < w->hi) {
		unsigned int e = one_shot ? w->hi : s + 1 + rb(w, w->hi - s);
		unsigned int x, y;

		b = base;
		if (!one_shot && rc(w, 30))
			reroll_ad(w, &b);
		/* [s, e) minus the hole: [s, x) and [y, e) */
		x = min(e, max(s, hole_a));
		y = max(s, min(e, hole_b));
		if (x > s)
			set_ptes(&ptb_mm, tva(MUT_VA, s), w->tbl + s,
				 ptb_mk_pte(w->lo_pfn + (s - w->lo), &b), x - s);
		if (e > y && y >= x)
			set_ptes(&ptb_mm, tva(MUT_VA, y), w->tbl + y,
				 ptb_mk_pte(w->lo_pfn + (y - w->lo), &b), e - y);
		s = e;
	}
}

/* The MMU touches entries in [s, e): A, and D through writable ones. */
static void hw_touch(struct mut_world *w, unsigned int s, unsigned int e,
		     unsigned int pct)
{
	unsigned int j;

	for (j = s; j < e; j++)
		if (rc(w, pct))
			ptb_hw_access(w->tbl + j, rc(w, 50));
}

static long clampl(long v, long lo, long hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* An op range inside [lo, hi), shaped around table ends and blocks. */
static void pick_range(struct mut_world *w, unsigned int lo, unsigned int hi)
{
	long a, end;

	switch (rb(w, 6)) {
	case 0:
		a = lo;
		break;
	case 1:		/* at a block boundary, or one either side */
		a = (long)ALIGN(lo, SHAPE) + (long)rb(w, 3) - 1;
		break;
	case 2:		/* inside a block */
		a = (long)ALIGN(lo, SHAPE) + (long)rb(w, SHAPE);
		break;
	case 3:		/* near the end */
		a = (long)hi - 1 - (long)rb(w, 3);
		break;
	default:
		a = lo + rb(w, hi - lo);
		break;
	}
	a = clampl(a, lo, hi - 1);

	switch (rb(w, 7)) {
	case 0:
		end = hi;
		break;
	case 1:
		end = (long)ALIGN_DOWN(hi, SHAPE) + (long)rb(w, 3) - 1;
		break;
	case 2:		/* the next block boundary, or one either side */
		end = (long)ALIGN(a + 1, SHAPE) + (long)rb(w, 3) - 1;
		break;
	case 3:
		end = a + 1;
		break;
	case 4:
		end = a + SHAPE + (long)rb(w, 3) - 1;
		break;
	case 5:
		end = a + 1 + (long)rb(w, SHAPE);
		break;
	default:
		end = a + 1 + (long)rb(w, hi - a);
		break;
	}
	end = clampl(end, a + 1, hi);
	w->a = a;
	w->nr = end - a;
}

static void snapshot(pte_t *t, pte_t *rawv, pte_t *logv)
{
	unsigned int j;

	for (j = 0; j < NPTE; j++) {
		rawv[j] = READ_ONCE(t[j]);
		logv[j] = ptb_peek(t + j);
	}
}

static void copy_table(pte_t *dst, const pte_t *src)
{
	memcpy(dst, src, NPTE * sizeof(pte_t));
}

static void clear_tables(struct mut_world *w)
{
	memset(w->tbl, 0, NPTE * sizeof(pte_t));
	memset(w->ref, 0, NPTE * sizeof(pte_t));
	memset(w->ref2, 0, NPTE * sizeof(pte_t));
}

static void set_tag(struct mut_world *w)
{
	snprintf(w->tag, sizeof(w->tag),
		 "%s %s seed %#llx (rerun: PTEBATCH_SEED=%#llx PTEBATCH_ITERATIONS=1) order %u folio slots [%u,%u) range [%u,%u) nr %u full %d",
		 PTB_ARCH_NAME, op_names[w->op], (unsigned long long)w->seed,
		 (unsigned long long)w->rerun, w->order, w->lo, w->hi, w->a, w->a + w->nr,
		 w->nr, w->full);
}

/*
 * arm64's contpte_try_unfold_partial(), from the raw table before
 * the op: the block of entry 0 if the range does not start it or is
 * shorter than a block, and the block of the last entry if the range does
 * not end at a block boundary, each only if it is a contpte block (and not
 * already unfolded). The batch then works on the entries as they are after
 * those unfolds: w->view.
 */
static void predict_unfolds(struct mut_world *w)
{
	const unsigned int c = PTB_CONT_PTES;
	unsigned int a = w->a, nr = w->nr, j;
	long first = -1, last = -1;

	memcpy(w->view, w->raw, sizeof(w->view));
	w->unfolds = 0;
	if (c == 1)
		return;
	if ((a % c || nr < c) && ptb_pte_cont(w->raw[a]))
		first = ALIGN_DOWN(a, c);
	if (nr > 1 && (a + nr) % c && ptb_pte_cont(w->raw[a + nr - 1])) {
		last = ALIGN_DOWN(a + nr - 1, c);
		if (last == first)
			last = -1;
	}
	if (first >= 0) {
		w->unfolds++;
		for (j = first; j < first + c; j++)
			w->view[j] = strip(w->log[j]);
	}
	if (last >= 0) {
		w->unfolds++;
		for (j = last; j < last + c; j++)
			w->view[j] = strip(w->log[j]);
	}
}

/* Is slot @j in a 16-aligned block that touches [a, a + nr)? */
static bool in_touched_block(const struct mut_world *w, unsigned int j)
{
	const unsigned int c = PTB_CONT_PTES;

	if (c == 1)
		return false;
	return j >= ALIGN_DOWN(w->a, c) && j < ALIGN(w->a + w->nr, c);
}

/*
 * arm64 block invariant: every CONT entry is in an aligned block
 * of 16 valid CONT entries with consecutive PFNs from an aligned base and
 * equal attributes but for A/D.
 */
static void check_blocks(struct mut_world *w, pte_t *t, const char *which)
{
#ifdef PTE_CONT
	unsigned int b, k;

	for (b = 0; b < NPTE; b += CONT_PTES) {
		pte_t first = READ_ONCE(t[b]);
		pgprot_t prot = pte_pgprot(pte_mkold(pte_mkclean(first)));
		bool any = false;

		for (k = 0; k < CONT_PTES; k++)
			any |= pte_cont(READ_ONCE(t[b + k]));
		if (!any)
			continue;
		mut_check(w, !(pte_pfn(first) % CONT_PTES),
			  "%s block at %u: base PFN %#lx not aligned", which, b,
			  pte_pfn(first));
		for (k = 0; k < CONT_PTES; k++) {
			pte_t e = READ_ONCE(t[b + k]);

			mut_check(w, pte_valid_cont(e) &&
				  pte_pfn(e) == pte_pfn(first) + k &&
				  pgprot_val(pte_pgprot(pte_mkold(pte_mkclean(e)))) ==
				  pgprot_val(prot),
				  "%s block at %u: entry %u %#llx breaks the block (first %#llx)",
				  which, b, k, raw(e), raw(first));
		}
	}
#endif
}

/*
 * Slots outside [a, a + nr) keep their logical value: a batched mutator
 * touches only its own entries, but for an arm64 unfold, which may add
 * young/dirty within the blocks the range touches (@smear_ok).
 */
static void check_outside(struct mut_world *w, bool smear_ok)
{
	unsigned int j;

	for (j = 0; j < NPTE; j++) {
		pte_t after;

		if (j >= w->a && j < w->a + w->nr)
			continue;
		after = ptb_peek(w->tbl + j);
		if (smear_ok && in_touched_block(w, j))
			mut_check(w, same_or_smeared(w->log[j], after),
				  "slot %u outside the range: %#llx -> %#llx (only A/D may be added, within a touched block)",
				  j, raw(w->log[j]), raw(after));
		else
			mut_check(w, pte_same(strip(after), strip(w->log[j])),
				  "slot %u outside the range changed: %#llx -> %#llx",
				  j, raw(w->log[j]), raw(after));
	}
}

static void check_costs(struct mut_world *w, const struct ptb_costs *got,
			const struct ptb_costs *exp)
{
	char why[320];

	mut_check(w, costs_match(got, exp, why, sizeof(why)), "costs:%s",
		  why);
}

/* ------------------------------------------------------------------ */
/* Randomised: present-PTE mutators                                   */
/* ------------------------------------------------------------------ */

static pte_t run_batch(struct mut_world *w, pte_t *t, unsigned long base)
{
	pte_t ret = __pte(0);
	unsigned long addr = tva(base, w->a);
	pte_t *ptep = t + w->a;

	switch (w->op) {
	case OP_GET_AND_CLEAR_FULL:
		ret = get_and_clear_full_ptes(&ptb_mm, addr, ptep, w->nr,
					      w->full);
		break;
	case OP_GET_AND_CLEAR:
		ret = get_and_clear_ptes(&ptb_mm, addr, ptep, w->nr);
		break;
	case OP_CLEAR_FULL:
		clear_full_ptes(&ptb_mm, addr, ptep, w->nr, w->full);
		break;
	case OP_WRPROTECT:
		wrprotect_ptes(&ptb_mm, addr, ptep, w->nr);
		break;
	default:
		ck_abort_msg("%s: not a present-PTE op", w->tag);
	}
	return ret;
}

/* single(op): the nr == 1 primitive in a loop, merging like the batch */
static pte_t run_single(struct mut_world *w, pte_t *t, unsigned long base)
{
	pte_t ret = __pte(0);
	unsigned int i;

	ptb_cost_pause();
	for (i = 0; i < w->nr; i++) {
		unsigned long addr = tva(base, w->a + i);
		pte_t *ptep = t + w->a + i;
		pte_t old;

		switch (w->op) {
		case OP_GET_AND_CLEAR_FULL:
		case OP_GET_AND_CLEAR:
			old = get_and_clear_full_ptes(&ptb_mm, addr, ptep, 1,
				w->op == OP_GET_AND_CLEAR ? 0 : w->full);
			if (!i) {
				ret = old;
				break;
			}
			if (pte_dirty(old))
				ret = pte_mkdirty(ret);
			if (pte_young(old))
				ret = pte_mkyoung(ret);
			break;
		case OP_CLEAR_FULL:
			clear_full_ptes(&ptb_mm, addr, ptep, 1, w->full);
			break;
		case OP_WRPROTECT:
			wrprotect_ptes(&ptb_mm, addr, ptep, 1);
			break;
		default:
			break;
		}
	}
	ptb_cost_resume();
	return ret;
}

static void build_present_world(struct mut_world *w)
{
	ptb_cost_pause();
	clear_tables(w);
	pick_folio(w);
	fill_background(w, 0, w->lo);
	fill_background(w, w->hi, NPTE);
	map_folio(w, w->hi, w->hi);
	hw_touch(w, w->lo, w->hi, 40);
	hw_touch(w, 0, w->lo, 15);
	hw_touch(w, w->hi, NPTE, 15);
	pick_range(w, w->lo, w->hi);
	w->full = (w->op == OP_GET_AND_CLEAR_FULL || w->op == OP_CLEAR_FULL) ?
		  (int)rb(w, 2) : 0;
	snapshot(w->tbl, w->raw, w->log);
	copy_table(w->ref, w->tbl);
	copy_table(w->ref2, w->tbl);
	ptb_cost_resume();
	set_tag(w);
	predict_unfolds(w);
}

static void check_present_op(struct mut_world *w, pte_t ret,
			     const struct ptb_costs *got)
{
	unsigned int a = w->a, nr = w->nr, i, j;
	unsigned long cmpxchgs = 0;
	struct ptb_costs exp;
	pte_t single_ret;

	/* the range */
	for (i = 0; i < nr; i++) {
		pte_t before = w->log[a + i];
		pte_t after = ptb_peek(w->tbl + a + i);

		if (op_clears(w->op)) {
			mut_check(w, pte_none(after) &&
				  !raw(READ_ONCE(w->tbl[a + i])),
				  "entry %u (slot %u) not cleared: %#llx", i,
				  a + i, raw(READ_ONCE(w->tbl[a + i])));
			continue;
		}
		/* wrprotect: !write, dirty kept, nothing else changes */
		mut_check(w, !pte_write(after) &&
			  !(raw(after) & EXP_WP_CLEAR_BITS),
			  "entry %u (slot %u) still writable: %#llx", i,
			  a + i, raw(after));
		mut_check(w, !!pte_dirty(after) == !!pte_dirty(before) &&
			  !!(raw(after) & EXP_WP_DIRTY_BIT) ==
			  !!pte_dirty(before),
			  "entry %u (slot %u) dirty not kept in bit %#llx: %#llx -> %#llx",
			  i, a + i, EXP_WP_DIRTY_BIT, raw(before), raw(after));
		mut_check(w, !EXP_RDONLY_BIT || (raw(after) & EXP_RDONLY_BIT),
			  "entry %u (slot %u) wrprotected without RDONLY: %#llx",
			  i, a + i, raw(after));
		mut_check(w, pte_same(strip(after), strip(pte_wrprotect(before))),
			  "entry %u (slot %u): %#llx -> %#llx, expected pte_wrprotect() = %#llx",
			  i, a + i, raw(before), raw(after),
			  raw(strip(pte_wrprotect(before))));
		if (!pte_same(pte_wrprotect(w->view[a + i]), w->view[a + i]))
			cmpxchgs++;
	}

	/* everything else */
	check_outside(w, true);
	check_blocks(w, w->tbl, "batch");

	/* single(op) reaches the same logical table */
	single_ret = run_single(w, w->ref, MUT_REF_VA);
	for (j = 0; j < NPTE; j++) {
		pte_t b = ptb_peek(w->tbl + j), s = ptb_peek(w->ref + j);

		mut_check(w, pte_same(strip(b), strip(s)),
			  "slot %u: batch %#llx, single(op) %#llx", j, raw(b),
			  raw(s));
	}

	if (op_returns(w->op)) {
		pte_t exp_ret = w->view[a], logical = strip(w->log[a]);

		/*
		 * get_and_clear_full_ptes(): entry 0 with young/dirty of
		 * entries 1..nr-1 merged
		 */
		for (i = 1; i < nr; i++) {
			if (pte_dirty(w->view[a + i]))
				exp_ret = pte_mkdirty(exp_ret);
			if (pte_young(w->view[a + i]))
				exp_ret = pte_mkyoung(exp_ret);
			if (pte_dirty(w->log[a + i]))
				logical = pte_mkdirty(logical);
			if (pte_young(w->log[a + i]))
				logical = pte_mkyoung(logical);
		}
		mut_check(w, pte_same(strip(ret), strip(exp_ret)),
			  "returned %#llx, expected entry 0 %#llx merged = %#llx",
			  raw(ret), raw(w->view[a]), raw(strip(exp_ret)));
		mut_check(w, logically_same(ret, logical),
			  "returned %#llx, logically not entry 0's %#llx merged = %#llx",
			  raw(ret), raw(w->log[a]), raw(logical));
		mut_check(w, logically_same(ret, single_ret),
			  "returned %#llx, single(op) merged %#llx", raw(ret),
			  raw(single_ret));
		mut_check(w, pte_pfn(ret) == pte_pfn(w->log[a]),
			  "returned PFN %#lx, entry 0 maps %#lx", pte_pfn(ret),
			  pte_pfn(w->log[a]));
	}

	expect_costs(&exp, w->op, nr, w->unfolds, cmpxchgs);
	check_costs(w, got, &exp);
}

static void run_present_iterations(enum mut_op op, u64 salt,
				   unsigned long dflt)
{
	struct mut_world *w = &ptb_w;
	unsigned long n = ptb_iterations(dflt), i, unfolds = 0, whole = 0;
	u64 base = ptb_seed() ^ salt;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		struct ptb_costs got;
		pte_t ret;

		w->op = op;
		w->seed = base + i;
		w->rerun = w->seed ^ salt;
		ptb_rng_init(&w->rng, w->seed);
		build_present_world(w);

		ptb_costs_reset();
		ret = run_batch(w, w->tbl, MUT_VA);
		got = ptb_costs;

		check_present_op(w, ret, &got);

		/* clear_*: the same end state as get_and_clear_* */
		if (op == OP_CLEAR_FULL) {
			struct ptb_costs gc;
			unsigned int j;

			w->op = OP_GET_AND_CLEAR_FULL;
			ptb_costs_reset();
			run_batch(w, w->ref2, MUT_REF2_VA);
			gc = ptb_costs;
			w->op = op;
			for (j = 0; j < NPTE; j++)
				mut_check(w, raw(READ_ONCE(w->tbl[j])) ==
					  raw(READ_ONCE(w->ref2[j])),
					  "slot %u: %#llx, get_and_clear leaves %#llx",
					  j, raw(READ_ONCE(w->tbl[j])),
					  raw(READ_ONCE(w->ref2[j])));
			check_costs(w, &got, &gc);
		}
		unfolds += w->unfolds;
		whole += w->nr == NPTE;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# %s (%s): %lu iterations from seed %#llx, %lu unfolds, %lu whole tables, %.2f s\n",
	       op_names[op], PTB_ARCH_NAME, n, (unsigned long long)ptb_seed(), unfolds, whole,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	fflush(stdout);
}

START_TEST(get_and_clear_full_ptes_equals_single_and_merges_young_dirty)
{
	run_present_iterations(OP_GET_AND_CLEAR_FULL, 0x6ac1ea01ULL, 10000);
}
END_TEST

START_TEST(get_and_clear_ptes_equals_single_and_merges_young_dirty)
{
	run_present_iterations(OP_GET_AND_CLEAR, 0x6ac1ea02ULL, 10000);
}
END_TEST

START_TEST(clear_full_ptes_ends_like_get_and_clear_full_ptes)
{
	run_present_iterations(OP_CLEAR_FULL, 0x6ac1ea03ULL, 10000);
}
END_TEST

START_TEST(wrprotect_ptes_equals_single_and_keeps_dirty)
{
	run_present_iterations(OP_WRPROTECT, 0x6ac1ea05ULL, 10000);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Randomised: set_ptes                                               */
/* ------------------------------------------------------------------ */

START_TEST(set_ptes_writes_advancing_pfns_and_cont_only_whole_blocks)
{
	const u64 salt = 0x6ac1ea06ULL;
	struct mut_world *w = &ptb_w;
	unsigned long n = ptb_iterations(10000), it, conts = 0;
	u64 base = ptb_seed() ^ salt;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (it = 0; it < n; it++) {
		struct ptb_costs got, exp;
		struct ptb_pte_bits bits;
		unsigned long pfn;
		unsigned int a, nr, i, j;
		bool folded;
		pte_t pte;

		w->op = OP_SET_PTES;
		w->seed = base + it;
		w->rerun = w->seed ^ salt;
		ptb_rng_init(&w->rng, w->seed);

		ptb_cost_pause();
		clear_tables(w);
		pick_folio(w);
		fill_background(w, 0, w->lo);
		fill_background(w, w->hi, NPTE);
		pick_range(w, w->lo, w->hi);
		map_folio(w, w->a, w->a + w->nr);
		hw_touch(w, 0, NPTE, 25);
		snapshot(w->tbl, w->raw, w->log);
		copy_table(w->ref, w->tbl);
		ptb_cost_resume();
		w->full = 0;
		set_tag(w);

		a = w->a;
		nr = w->nr;
		pfn = w->lo_pfn + (a - w->lo);
		rand_bits(w, &bits, true);
		pte = ptb_mk_pte(pfn, &bits);

		/* the contract: nr > 1 only onto none entries */
		for (i = 0; i < nr; i++)
			mut_check(w, pte_none(w->log[a + i]),
				  "precondition: slot %u not none: %#llx",
				  a + i, raw(w->log[a + i]));

		ptb_costs_reset();
		set_ptes(&ptb_mm, tva(MUT_VA, a), w->tbl + a, pte, nr);
		got = ptb_costs;

		folded = nr == 1 && ptb_pte_cont(READ_ONCE(w->tbl[a]));
		for (i = 0; i < nr; i++) {
			pte_t rawe = READ_ONCE(w->tbl[a + i]);
			pte_t after = ptb_peek(w->tbl + a + i);
			pte_t exp_pte = pte_advance_pfn(pte, i);
			unsigned int blk = ALIGN_DOWN(a + i, SHAPE);
			bool cont;

			mut_check(w, pte_pfn(after) == pfn + i,
				  "entry %u: PFN %#lx, expected %#lx", i,
				  pte_pfn(after), pfn + i);
			if (folded)
				mut_check(w, same_or_smeared(exp_pte, after),
					  "entry %u: %#llx, expected %#llx (+A/D of the fold)",
					  i, raw(after), raw(exp_pte));
			else
				mut_check(w, pte_same(strip(after),
						      strip(exp_pte)),
					  "entry %u: %#llx, expected pte_advance_pfn(pte, %u) = %#llx",
					  i, raw(after), i, raw(exp_pte));

			/*
			 * contpte_set_ptes(): CONT iff the entry's whole block
			 * is inside this call's range, PA-aligned, and the PTE
			 * valid.
			 */
			cont = EXP_CONT_PTES > 1 && nr > 1 &&
			       pte_present(pte) && !pte_protnone(pte) &&
			       blk >= a && blk + SHAPE <= a + nr &&
			       !((pfn + (blk - a)) % SHAPE);
			if (nr == 1)
				cont = folded;
			mut_check(w, !!ptb_pte_cont(rawe) == cont,
				  "entry %u (slot %u): raw %#llx, expected %s",
				  i, a + i, raw(rawe),
				  cont ? "PTE_CONT" : "no PTE_CONT");
			conts += cont;
		}
		if (folded)
			/* contpte_try_fold(): the last entry of a block */
			mut_check(w, a % EXP_CONT_PTES == EXP_CONT_PTES - 1 &&
				  pfn % EXP_CONT_PTES == EXP_CONT_PTES - 1,
				  "folded from slot %u PFN %#lx", a, pfn);

		/* nothing outside [a, a + nr), but A/D a fold gathered */
		check_outside(w, folded);
		check_blocks(w, w->tbl, "batch");

		/* single(op): set_pte_at() per entry (may fold, smearing A/D) */
		ptb_cost_pause();
		for (i = 0; i < nr; i++)
			set_pte_at(&ptb_mm, tva(MUT_REF_VA, a + i),
				   w->ref + a + i, pte_advance_pfn(pte, i));
		ptb_cost_resume();
		for (j = a; j < a + nr; j++) {
			pte_t b = ptb_peek(w->tbl + j), s = ptb_peek(w->ref + j);

			mut_check(w, pte_same(strip(pte_mkold(pte_mkclean(b))),
					      strip(pte_mkold(pte_mkclean(s)))),
				  "slot %u: batch %#llx, single(op) %#llx", j,
				  raw(b), raw(s));
		}

		/* set_ptes() of nr > 1 onto none entries: no TLBI, no convert */
		expect_costs(&exp, OP_SET_PTES, nr, 0, 0);
		if (folded) {
			exp.contpte_folds = 1;
			exp.pte_clears = EXP_CONT_PTES;
			exp.pte_writes += EXP_CONT_PTES;
			exp.tlbi_ranges = 1;
			exp.tlbi_range_pages = EXP_CONT_PTES;
		}
		check_costs(w, &got, &exp);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# set_ptes (%s): %lu iterations from seed %#llx, %lu CONT entries, %.2f s\n",
	       PTB_ARCH_NAME, n, (unsigned long long)ptb_seed(), conts,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	fflush(stdout);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Randomised: clear_not_present_full_ptes                            */
/* ------------------------------------------------------------------ */

START_TEST(clear_not_present_full_ptes_clears_swap_runs_only)
{
	const u64 salt = 0x6ac1ea07ULL;
	struct mut_world *w = &ptb_w;
	unsigned long n = ptb_iterations(10000), it;
	u64 base = ptb_seed() ^ salt;

	for (it = 0; it < n; it++) {
		struct ptb_costs got, exp;
		unsigned int a, nr, i, j;

		w->op = OP_CLEAR_NOT_PRESENT_FULL;
		w->seed = base + it;
		w->rerun = w->seed ^ salt;
		ptb_rng_init(&w->rng, w->seed);

		ptb_cost_pause();
		clear_tables(w);
		w->order = 0;
		w->lo = 0;
		w->hi = NPTE;
		pick_range(w, 0, NPTE);
		a = w->a;
		nr = w->nr;
		fill_background(w, 0, a);
		fill_background(w, a + nr, NPTE);
		/* one run of consecutive entries, or several with markers */
		if (rc(w, 80)) {
			set_swap_run(w, a, nr, false);
		} else {
			unsigned int s = a;

			while (s < a + nr) {
				unsigned int len = 1 + rb(w, a + nr - s);

				set_swap_run(w, s, len, true);
				s += len;
			}
		}
		hw_touch(w, 0, NPTE, 20);
		snapshot(w->tbl, w->raw, w->log);
		copy_table(w->ref, w->tbl);
		ptb_cost_resume();
		w->full = rb(w, 2);
		set_tag(w);

		for (i = 0; i < nr; i++)
			mut_check(w, is_swap_pte(w->log[a + i]),
				  "precondition: slot %u not a swap pte: %#llx",
				  a + i, raw(w->log[a + i]));

		ptb_costs_reset();
		clear_not_present_full_ptes(&ptb_mm, tva(MUT_VA, a),
					    w->tbl + a, nr, w->full);
		got = ptb_costs;

		ptb_cost_pause();
		for (i = 0; i < nr; i++)
			pte_clear_not_present_full(&ptb_mm,
						   tva(MUT_REF_VA, a + i),
						   w->ref + a + i, w->full);
		ptb_cost_resume();

		for (j = 0; j < NPTE; j++) {
			unsigned long long now = raw(READ_ONCE(w->tbl[j]));
			bool in = j >= a && j < a + nr;

			mut_check(w, in ? now == 0 : now == raw(w->raw[j]),
				  "slot %u: %#llx -> %#llx", j, raw(w->raw[j]),
				  now);
			mut_check(w, now == raw(READ_ONCE(w->ref[j])),
				  "slot %u: batch %#llx, single(op) %#llx", j,
				  now, raw(READ_ONCE(w->ref[j])));
		}
		check_blocks(w, w->tbl, "batch");

		expect_costs(&exp, OP_CLEAR_NOT_PRESENT_FULL, nr, 0, 0);
		check_costs(w, &got, &exp);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* Directed tables                                                    */
/* ------------------------------------------------------------------ */

static struct mut_world *directed(enum mut_op op, const char *id)
{
	struct mut_world *w = &ptb_w;

	memset(w->raw, 0, sizeof(w->raw));
	w->op = op;
	w->seed = w->rerun = 0;
	w->full = 0;
	clear_tables(w);
	snprintf(w->tag, sizeof(w->tag), "%s %s %s", PTB_ARCH_NAME,
		 op_names[op], id);
	return w;
}

/* Map the background folio over [s, e) at PFN BG_PFN + slot + @shift. */
static void map_bg(struct mut_world *w, unsigned int s, unsigned int e,
		   unsigned int shift, const struct ptb_pte_bits *b)
{
	ptb_cost_pause();
	set_ptes(&ptb_mm, tva(MUT_VA, s), w->tbl + s,
		 ptb_mk_pte(BG_PFN + s + shift, b), e - s);
	ptb_cost_resume();
}

static const struct set_ptes_row {
	const char *id;
	unsigned int slot, nr, pfn_shift;
	bool special, protnone;
	unsigned int cont_first, cont_blocks;	/* arm64 */
} set_ptes_rows[] = {
	{ "one_aligned_block", 0, 16, 0, false, false, 0, 1 },
	{ "one_entry_short_of_a_block", 0, 15, 0, false, false, 0, 0 },
	{ "block_shifted_by_one_slot", 1, 16, 0, false, false, 0, 0 },
	{ "partial_head_then_whole_block", 8, 24, 0, false, false, 1, 1 },
	{ "partial_head_two_blocks_partial_tail", 8, 41, 0, false, false, 1, 2 },
	{ "whole_table", 0, 512, 0, false, false, 0, 32 },
	{ "pa_misaligned_by_one", 0, 16, 1, false, false, 0, 0 },
	{ "pa_misaligned_long", 16, 256, 3, false, false, 0, 0 },
	{ "last_block_of_the_table", 496, 16, 0, false, false, 31, 1 },
	{ "partial_last_block", 500, 12, 0, false, false, 0, 0 },
	{ "protnone_is_never_cont", 0, 32, 0, false, true, 0, 0 },
	{ "special_gets_cont_in_6_12", 0, 32, 0, true, false, 0, 2 },
};

START_TEST(set_ptes_marks_only_whole_aligned_blocks_cont)
{
	const struct set_ptes_row *r = &set_ptes_rows[_i];
	struct mut_world *w = directed(OP_SET_PTES, r->id);
	struct ptb_pte_bits b = { .write = true, .young = true,
				  .special = r->special,
				  .protnone = r->protnone };
	unsigned long pfn = BG_PFN + r->slot + r->pfn_shift;
	pte_t pte = ptb_mk_pte(pfn, &b);
	struct ptb_costs got, exp;
	unsigned int j;

	ptb_costs_reset();
	set_ptes(&ptb_mm, tva(MUT_VA, r->slot), w->tbl + r->slot, pte, r->nr);
	got = ptb_costs;

	for (j = 0; j < NPTE; j++) {
		pte_t rawe = READ_ONCE(w->tbl[j]);
		bool in = j >= r->slot && j < r->slot + r->nr;
		bool cont = false;

#ifdef PTE_CONT
		cont = j >= r->cont_first * 16 &&
		       j < (r->cont_first + r->cont_blocks) * 16;
#endif
		ck_assert_msg(!!ptb_pte_cont(rawe) == cont,
			      "%s: slot %u raw %#llx, expected %s", w->tag, j,
			      raw(rawe), cont ? "PTE_CONT" : "no PTE_CONT");
		if (!in) {
			ck_assert_msg(!raw(rawe), "%s: slot %u written: %#llx",
				      w->tag, j, raw(rawe));
			continue;
		}
		ck_assert_msg(pte_same(strip(ptb_peek(w->tbl + j)),
				       strip(pte_advance_pfn(pte, j - r->slot))) &&
			      pte_pfn(ptb_peek(w->tbl + j)) ==
			      pfn + j - r->slot,
			      "%s: slot %u %#llx", w->tag, j,
			      raw(ptb_peek(w->tbl + j)));
	}
	expect_costs(&exp, OP_SET_PTES, r->nr, 0, 0);
	check_costs(w, &got, &exp);
}
END_TEST

static const struct fold_row {
	const char *id;
	bool same_prot;
	bool special;
	bool fold;	/* arm64 */
} fold_rows[] = {
	{ "compatible_block_folds", true, false, true },
	{ "different_write_bit_does_not_fold", false, false, false },
	{ "special_does_not_fold", true, true, false },
};

START_TEST(set_pte_at_completing_an_aligned_block_folds_it)
{
	const struct fold_row *r = &fold_rows[_i];
	struct mut_world *w = directed(OP_SET_PTES, r->id);
	struct ptb_pte_bits b = { .write = true, .special = r->special };
	struct ptb_costs got, exp;
	bool fold = false;
	unsigned int j;
	pte_t last;

	map_bg(w, 0, 15, 0, &b);
	ptb_hw_access(w->tbl + 3, true);
	ptb_hw_access(w->tbl + 9, false);
	if (!r->same_prot)
		b.write = false;
	last = ptb_mk_pte(BG_PFN + 15, &b);

	ptb_costs_reset();
	set_pte_at(&ptb_mm, tva(MUT_VA, 15), w->tbl + 15, last);
	got = ptb_costs;

#ifdef PTE_CONT
	fold = r->fold;
#endif
	for (j = 0; j < 16; j++) {
		pte_t e = ptb_peek(w->tbl + j);

		ck_assert_msg(!!ptb_pte_cont(READ_ONCE(w->tbl[j])) == fold,
			      "%s: slot %u raw %#llx", w->tag, j,
			      raw(READ_ONCE(w->tbl[j])));
		/* the fold gathers A/D over the block */
		if (fold)
			ck_assert_msg(pte_young(e) && pte_dirty(e),
				      "%s: slot %u %#llx not young+dirty after the fold",
				      w->tag, j, raw(e));
	}
	check_blocks(w, w->tbl, "fold");
	expect_costs(&exp, OP_SET_PTES, 1, 0, 0);
	if (fold) {
		exp.contpte_folds = 1;
		exp.pte_clears = 16;
		exp.pte_writes += 16;
		exp.tlbi_ranges = 1;
		exp.tlbi_range_pages = 16;
	}
	check_costs(w, &got, &exp);
}
END_TEST

static const struct shape_row {
	const char *id;
	unsigned int slot, nr;
	unsigned int unfolds;	/* arm64, over a fully contpte-mapped table */
} shape_rows[] = {
	{ "whole_block", 0, 16, 0 },
	{ "two_whole_blocks", 16, 32, 0 },
	{ "whole_table", 0, 512, 0 },
	{ "last_block", 496, 16, 0 },
	{ "single_entry", 0, 1, 1 },
	{ "last_entry_of_the_table", 511, 1, 1 },
	{ "head_partial_ending_aligned", 1, 15, 1 },
	{ "whole_block_plus_one", 0, 17, 1 },
	{ "inside_one_block", 3, 5, 1 },
	{ "short_from_an_aligned_start", 32, 8, 1 },
	{ "both_ends_partial", 8, 16, 2 },
	{ "two_entries_across_a_boundary", 15, 2, 2 },
	{ "long_both_ends_partial", 5, 500, 2 },
	{ "head_partial_to_the_table_end", 5, 507, 1 },
	{ "tail_partial_in_the_last_block", 480, 20, 1 },
};

static const enum mut_op shape_ops[] = {
	OP_GET_AND_CLEAR, OP_CLEAR_FULL, OP_WRPROTECT, OP_GET_AND_CLEAR_FULL,
};

/*
 * arm64: over whole contpte blocks the primitives do no unfold and no TLBI
 * (the caller flushes);
 * a range starting or ending inside a block costs exactly one unfold per
 * partial block, each 16 clears + 1 range flush + 16 writes. x86: nr
 * clears (or cmpxchgs), nothing else.
 */
START_TEST(clear_and_wrprotect_cost_exactly_one_unfold_per_partial_block)
{
	const struct shape_row *r = &shape_rows[_i / ARRAY_SIZE(shape_ops)];
	enum mut_op op = shape_ops[_i % ARRAY_SIZE(shape_ops)];
	struct mut_world *w = directed(op, r->id);
	struct ptb_pte_bits b = { .write = true, .young = true };
	unsigned int unfolds = 0, j;
	struct ptb_costs got, exp;

	map_bg(w, 0, NPTE, 0, &b);
	ptb_cost_pause();
	snapshot(w->tbl, w->raw, w->log);
	ptb_cost_resume();
	w->a = r->slot;
	w->nr = r->nr;
	predict_unfolds(w);
#ifdef PTE_CONT
	unfolds = r->unfolds;
#endif
	ck_assert_msg(w->unfolds == unfolds,
		      "%s: the test's unfold rule says %u, the row %u", w->tag,
		      w->unfolds, unfolds);

	ptb_costs_reset();
	run_batch(w, w->tbl, MUT_VA);
	got = ptb_costs;

	expect_costs(&exp, op, r->nr, unfolds, r->nr);
	check_costs(w, &got, &exp);

	for (j = 0; j < NPTE; j++) {
		bool in = j >= r->slot && j < r->slot + r->nr;
		pte_t rawe = READ_ONCE(w->tbl[j]);
		pte_t e = ptb_peek(w->tbl + j);
		bool cont = false;

		if (in && op_clears(op)) {
			ck_assert_msg(!raw(rawe), "%s: slot %u not cleared: %#llx",
				      w->tag, j, raw(rawe));
			continue;
		}
		ck_assert_msg(in ? !pte_write(e) : pte_write(e),
			      "%s: slot %u %#llx", w->tag, j, raw(e));
		/* blocks keep PTE_CONT unless they were partially covered */
#ifdef PTE_CONT
		cont = pte_same(w->view[j], w->raw[j]);
#endif
		ck_assert_msg(!!ptb_pte_cont(rawe) == cont,
			      "%s: slot %u raw %#llx, expected %s", w->tag, j,
			      raw(rawe), cont ? "PTE_CONT" : "no PTE_CONT");
	}
}
END_TEST

static const struct merge_row {
	const char *id;
	bool cont_layout;	/* VA/PA aligned: contpte blocks on arm64 */
	unsigned int slot, nr;
	int young_at, dirty_at;	/* slot read/written by the MMU, or -1 */
	bool young, dirty;	/* x86, and arm64 without contpte blocks */
	bool young_cp, dirty_cp;	/* arm64 with contpte blocks */
	bool merged_dirty;	/* pte_mkdirty() for a dirty later entry */
} merge_rows[] = {
	{ "old_clean_run_returns_entry_0", true, 0, 16, -1, -1,
	  false, false, false, false, false },
	{ "young_later_entry", true, 0, 16, 5, -1,
	  true, false, true, false, false },
	{ "dirty_later_entry_also_sets_soft_dirty_on_x86", true, 0, 16, -1, 9,
	  true, true, true, true, true },
	{ "dirty_entry_0_alone_sets_no_soft_dirty", true, 0, 16, -1, 0,
	  true, true, true, true, false },
	{ "dirty_last_entry", false, 0, 32, -1, 31,
	  true, true, true, true, true },
	{ "dirty_after_the_range_in_the_same_block", true, 0, 8, -1, 12,
	  false, false, true, true, false },
	{ "young_before_the_range_in_the_same_block", true, 4, 8, 1, -1,
	  false, false, true, false, false },
	{ "dirty_in_the_next_block", true, 0, 16, -1, 16,
	  false, false, false, false, false },
	{ "dirty_after_the_range_without_blocks", false, 0, 8, -1, 12,
	  false, false, false, false, false },
	{ "young_entry_0_of_a_partial_block", true, 20, 30, 20, -1,
	  true, false, true, false, false },
};

START_TEST(get_and_clear_merges_young_dirty_into_entry_0)
{
	const struct merge_row *r = &merge_rows[_i];
	struct mut_world *w = directed(OP_GET_AND_CLEAR, r->id);
	struct ptb_pte_bits b = { .write = true };
	bool young = r->young, dirty = r->dirty;
	pte_t ret, before0;
	unsigned int j;

	map_bg(w, 0, 64, r->cont_layout ? 0 : 1, &b);
	if (r->young_at >= 0)
		ptb_hw_access(w->tbl + r->young_at, false);
	if (r->dirty_at >= 0)
		ptb_hw_access(w->tbl + r->dirty_at, true);
#ifdef PTE_CONT
	if (r->cont_layout) {
		young = r->young_cp;
		dirty = r->dirty_cp;
	}
#endif
	ptb_cost_pause();
	snapshot(w->tbl, w->raw, w->log);
	ptb_cost_resume();
	before0 = w->raw[r->slot];

	ret = get_and_clear_ptes(&ptb_mm, tva(MUT_VA, r->slot),
				 w->tbl + r->slot, r->nr);

	ck_assert_msg(!!pte_young(ret) == young, "%s: returned %#llx young %d",
		      w->tag, raw(ret), !!pte_young(ret));
	ck_assert_msg(!!pte_dirty(ret) == dirty, "%s: returned %#llx dirty %d",
		      w->tag, raw(ret), !!pte_dirty(ret));
	ck_assert_msg(pte_write(ret) && pte_pfn(ret) == pte_pfn(before0),
		      "%s: returned %#llx", w->tag, raw(ret));
	/* everything but A/D (and x86's soft-dirty, below) is entry 0's */
	ck_assert_msg(pte_same(strip(pte_clear_soft_dirty(pte_mkold(pte_mkclean(ret)))),
			       strip(pte_clear_soft_dirty(pte_mkold(pte_mkclean(before0))))),
		      "%s: returned %#llx, entry 0 was %#llx", w->tag,
		      raw(ret), raw(before0));
	/* x86's pte_mkdirty() also sets soft-dirty: entry 0 had none */
	ck_assert_msg(!!pte_soft_dirty(ret) ==
		      (r->merged_dirty && EXP_MKDIRTY_SOFT_DIRTY),
		      "%s: returned %#llx soft-dirty %d", w->tag, raw(ret),
		      !!pte_soft_dirty(ret));
	/*
	 * Exact, without contpte blocks (a partial-block unfold would first
	 * fold the block's A/D into entry 0): entry 0, plus the accessed bit
	 * if young, plus pte_mkdirty()'s bits if a later entry was dirty.
	 */
	if (EXP_CONT_PTES == 1 || !r->cont_layout) {
		unsigned long long exp = raw(before0);

		if (young)
			exp |= EXP_YOUNG_BIT;
		if (r->merged_dirty)
			exp = (exp | EXP_MKDIRTY_SETS) & ~EXP_MKDIRTY_CLEARS;
		ck_assert_msg(raw(ret) == exp,
			      "%s: returned %#llx, expected %#llx", w->tag,
			      raw(ret), exp);
	}
	/* the neighbours keep (at least) their logical A/D */
	for (j = 0; j < 64; j++) {
		if (j >= r->slot && j < r->slot + r->nr)
			continue;
		ck_assert_msg(same_or_smeared(w->log[j], ptb_peek(w->tbl + j)),
			      "%s: slot %u %#llx -> %#llx", w->tag, j,
			      raw(w->log[j]), raw(ptb_peek(w->tbl + j)));
	}
	check_blocks(w, w->tbl, "batch");
}
END_TEST

static const struct wp_row {
	const char *id;
	bool cont_layout;
	unsigned int slot, nr;
	int dirty_a, dirty_b;	/* written by the MMU before */
} wp_rows[] = {
	{ "whole_blocks", true, 0, 32, 3, 20 },
	{ "partial_block_dirty_neighbour_stays_writable", true, 4, 8, 5, 13 },
	{ "across_blocks", true, 9, 30, 10, 38 },
	{ "without_blocks", false, 1, 30, 2, 30 },
};

START_TEST(wrprotect_ptes_keeps_dirty_in_the_arch_saved_dirty_bit)
{
	const struct wp_row *r = &wp_rows[_i];
	struct mut_world *w = directed(OP_WRPROTECT, r->id);
	struct ptb_pte_bits b = { .write = true, .young = true };
	unsigned int j;

	map_bg(w, 0, 64, r->cont_layout ? 0 : 1, &b);
	ptb_hw_access(w->tbl + r->dirty_a, true);
	ptb_hw_access(w->tbl + r->dirty_b, true);
	ptb_cost_pause();
	snapshot(w->tbl, w->raw, w->log);
	ptb_cost_resume();

	wrprotect_ptes(&ptb_mm, tva(MUT_VA, r->slot), w->tbl + r->slot, r->nr);

	for (j = 0; j < 64; j++) {
		bool in = j >= r->slot && j < r->slot + r->nr;
		pte_t e = ptb_peek(w->tbl + j);

		ck_assert_msg(!!pte_dirty(e) == !!pte_dirty(w->log[j]) ||
			      (!in && pte_dirty(e)),
			      "%s: slot %u dirty %#llx -> %#llx", w->tag, j,
			      raw(w->log[j]), raw(e));
		if (!in) {
			ck_assert_msg(pte_write(e) &&
				      same_or_smeared(w->log[j], e),
				      "%s: slot %u outside changed: %#llx -> %#llx",
				      w->tag, j, raw(w->log[j]), raw(e));
			continue;
		}
		ck_assert_msg(!pte_write(e) && !(raw(e) & EXP_WP_CLEAR_BITS) &&
			      (!EXP_RDONLY_BIT || (raw(e) & EXP_RDONLY_BIT)),
			      "%s: slot %u %#llx still writable", w->tag, j,
			      raw(e));
		ck_assert_msg(!!(raw(e) & EXP_WP_DIRTY_BIT) == !!pte_dirty(e),
			      "%s: slot %u %#llx: dirty must be in %#llx",
			      w->tag, j, raw(e), EXP_WP_DIRTY_BIT);
		ck_assert_msg(pte_same(strip(e), strip(pte_wrprotect(w->log[j]))),
			      "%s: slot %u %#llx, expected %#llx", w->tag, j,
			      raw(e), raw(strip(pte_wrprotect(w->log[j]))));
	}
	check_blocks(w, w->tbl, "batch");
}
END_TEST

static const struct np_row {
	const char *id;
	unsigned int slot, nr;
} np_rows[] = {
	{ "first_slot", 0, 1 },
	{ "one_block_between_contpte_blocks", 16, 16 },
	{ "unaligned_run", 20, 40 },
	{ "last_slot", 511, 1 },
	{ "whole_table", 0, 512 },
	{ "short_run_inside_a_block", 5, 3 },
};

START_TEST(clear_not_present_full_ptes_clears_exactly_the_run)
{
	const struct np_row *r = &np_rows[_i];
	struct mut_world *w = directed(OP_CLEAR_NOT_PRESENT_FULL, r->id);
	struct ptb_pte_bits b = { .write = true, .young = true };
	struct ptb_costs got, exp;
	unsigned int j;
	pte_t pte;

	if (r->slot)
		map_bg(w, 0, r->slot, 0, &b);
	if (r->slot + r->nr < NPTE)
		map_bg(w, r->slot + r->nr, NPTE, 0, &b);
	pte = pte_swp_mkexclusive(swp_entry_to_pte(swp_entry(3, 0x100)));
	ptb_cost_pause();
	for (j = 0; j < r->nr; j++) {
		set_pte_at(&ptb_mm, tva(MUT_VA, r->slot + j),
			   w->tbl + r->slot + j, pte);
		pte = pte_next_swp_offset(pte);
	}
	snapshot(w->tbl, w->raw, w->log);
	ptb_cost_resume();

	ptb_costs_reset();
	clear_not_present_full_ptes(&ptb_mm, tva(MUT_VA, r->slot),
				    w->tbl + r->slot, r->nr, 1);
	got = ptb_costs;

	for (j = 0; j < NPTE; j++) {
		bool in = j >= r->slot && j < r->slot + r->nr;
		unsigned long long now = raw(READ_ONCE(w->tbl[j]));

		ck_assert_msg(in ? now == 0 : now == raw(w->raw[j]),
			      "%s: slot %u %#llx -> %#llx", w->tag, j,
			      raw(w->raw[j]), now);
	}
	expect_costs(&exp, OP_CLEAR_NOT_PRESENT_FULL, r->nr, 0, 0);
	check_costs(w, &got, &exp);
}
END_TEST

Suite *ptb_suite(void)
{
	Suite *s = suite_create("mutators");
	TCase *tc;

	tc = tcase_create("directed");
	tcase_add_checked_fixture(tc, mut_setup, mut_teardown);
	tcase_add_loop_test(tc, set_ptes_marks_only_whole_aligned_blocks_cont,
			    0, ARRAY_SIZE(set_ptes_rows));
	tcase_add_loop_test(tc, set_pte_at_completing_an_aligned_block_folds_it,
			    0, ARRAY_SIZE(fold_rows));
	tcase_add_loop_test(tc,
			    clear_and_wrprotect_cost_exactly_one_unfold_per_partial_block,
			    0, ARRAY_SIZE(shape_rows) * ARRAY_SIZE(shape_ops));
	tcase_add_loop_test(tc, get_and_clear_merges_young_dirty_into_entry_0,
			    0, ARRAY_SIZE(merge_rows));
	tcase_add_loop_test(tc,
			    wrprotect_ptes_keeps_dirty_in_the_arch_saved_dirty_bit,
			    0, ARRAY_SIZE(wp_rows));
	tcase_add_loop_test(tc, clear_not_present_full_ptes_clears_exactly_the_run,
			    0, ARRAY_SIZE(np_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("randomised");
	tcase_add_checked_fixture(tc, mut_setup, mut_teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, set_ptes_writes_advancing_pfns_and_cont_only_whole_blocks);
	tcase_add_test(tc, get_and_clear_full_ptes_equals_single_and_merges_young_dirty);
	tcase_add_test(tc, get_and_clear_ptes_equals_single_and_merges_young_dirty);
	tcase_add_test(tc, clear_full_ptes_ends_like_get_and_clear_full_ptes);
	tcase_add_test(tc, clear_not_present_full_ptes_clears_swap_runs_only);
	tcase_add_test(tc, wrprotect_ptes_equals_single_and_keeps_dirty);
	suite_add_tcase(s, tc);

	return s;
}
