/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 contpte view consistency: core mm sees the same page tables through
 * the public PTE API whether or not the backend folds and unfolds 16-entry
 * contiguous blocks behind its back (6.12's arch/arm64/mm/contpte.c and the
 * contpte wrappers of arch/arm64/include/asm/pgtable.h).
 *
 * The suite is built once per backend. On arm64 (PTB_CONT_PTES == 16) the
 * user mm ptb_mm folds and unfolds blocks, while init_mm, for which arm64
 * never sets PTE_CONT, runs the same operations as the reference world. On
 * x86 (PTB_CONT_PTES == 1) both worlds are plain per-entry page tables: the
 * same sequences run and the logical-view checks hold trivially, and the
 * contpte-only expectations (fold/unfold counts, PTE_CONT in raw entries,
 * pte_batch_hint() > 1) are guarded by CONT_ON.
 *
 * The oracle of the random sequences: after every operation, every slot's
 * ptep_get() in the contpte world, PTE_CONT stripped, equals the
 * reference's entry but for young and dirty, and those may differ only as
 * contpte allows:
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
 *
 * One program per backend (tests/x86/check_contpte, tests/arm64/check_contpte)
 * from these sources:
 *   common.c      the two worlds, table helpers, the block invariant
 *   random_ops.c  1, 2: random operation sequences against a reference world
 *   unfold.c      3: what unfolds a block and what does not
 *   fold.c        4: folding
 *   batch.c       5: pte_batch_hint() and folio_pte_batch()
 *   tlb.c         6: TLB accounting
 *   lockless.c    7: ptep_get_lockless() against a concurrent convert
 *   suite.c       ptb_suite(): the test cases, their fixtures and timeouts
 */
#ifndef _PTB_CONTPTE_H
#define _PTB_CONTPTE_H

#include <time.h>

#include "harness.h"
#include "pte_compare.h"

/* A contpte block: 16 slots, 64K of VA, whatever the backend. */
#define BLK		16
#define CONT_ON		(PTB_CONT_PTES > 1)
#define NSLOTS		PTRS_PER_PTE
/* The page table under test: the first PMD of the standard VMA. */
#define TABLE_VA	PTB_VA

/*
 * The block under test of sections 3, 4, 6 and 7: slots 32..47, an order-4
 * folio at T_PFN (sections 3 and 5 also map larger folios from T_PFN).
 */
#define UB_SLOT		32
#define T_PFN		(PTB_BASE_PFN + 0x200)

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

/* ------------------------------------------------------------------------
 * common.c: the two worlds and what every section uses
 * ------------------------------------------------------------------------
 */

/* The reference world's VMA: ptb_vma, but in init_mm. */
extern struct vm_area_struct ref_vma;
/* A third mm, for copies of a table. */
extern struct mm_struct scratch_mm;

void worlds_setup(void);
void worlds_teardown(void);

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

void table_zero(pte_t *table);

/* The logical value without PTE_CONT, uncounted. */
static inline pte_t logical(pte_t *ptep)
{
	return strip(ptb_peek(ptep));
}

static inline bool pte_hw_valid(pte_t pte)
{
#ifdef PTE_VALID
	return pte_valid(pte);
#else
	return pte_present(pte);
#endif
}

/* The pgprot of @pte ignoring AF and dirty, as a number. */
static inline u64 prot_noad(pte_t pte)
{
	return (u64)pgprot_val(pte_pgprot(pte_mkold(pte_mkclean(pte))));
}

/* PTE_CONT in the raw entry (never on x86). */
static inline bool raw_cont(pte_t *ptep)
{
	return ptb_pte_cont(rd(ptep));
}

bool block_invariant_holds(pte_t *table, char *why, size_t len);
void map_run(struct mm_struct *mm, unsigned int slot, unsigned long pfn,
	     unsigned int nr, const struct ptb_pte_bits *bits);
double seconds_since(const struct timespec *t0);

/* ------------------------------------------------------------------------
 * random_ops.c: random worlds, also driven by section 5
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

/* The random world of the running test (sections 1, 2 and 5). */
extern struct rnd R;

static inline unsigned long rnd_below(struct rnd *r, unsigned long n)
{
	return ptb_rng_below(&r->rng, n);
}

static inline bool rnd_chance(struct rnd *r, unsigned int percent)
{
	return ptb_rng_chance(&r->rng, percent);
}

static inline u64 rnd_rerun_seed(const struct rnd *r)
{
	return (r->base + r->iter) ^ r->salt;
}

unsigned int partial_unfolds(const bool *cont, unsigned int lo,
			     unsigned int nr);
void rnd_run(struct rnd *r, const struct rop *op);
bool pick_slot(struct rnd *r, const struct placement *p, bool present,
	       unsigned int *slot);
bool rnd_gen(struct rnd *r, struct rop *op);
void rnd_free_folios(struct rnd *r);
void rnd_init(struct rnd *r, u64 salt);
void rnd_begin_iteration(struct rnd *r, unsigned long iter);

/* ------------------------------------------------------------------------
 * unfold.c: the block under test, also used by sections 4 and 7
 * ------------------------------------------------------------------------
 */

void map_test_block(bool writable, bool uniform_ad, pte_t *pre,
		    const char *row);
void check_block_cont_in(pte_t *t, const char *row, bool want);
void check_block_cont(const char *row, bool want);

/* ------------------------------------------------------------------------
 * The tests of each section, added to a test case by suite.c
 * ------------------------------------------------------------------------
 */

void add_random_ops_tests(TCase *tc);
void add_unfold_tests(TCase *tc);
void add_fold_tests(TCase *tc);
void add_batch_tests(TCase *tc);
void add_tlb_tests(TCase *tc);
void add_lockless_tests(TCase *tc);

#endif /* _PTB_CONTPTE_H */
