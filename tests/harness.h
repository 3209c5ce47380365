/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test harness shared by every Check suite: main(), seeds and randomness,
 * a fresh model per test, and helpers to build mappings the way the fault
 * path does.
 *
 * Each test program defines ptb_suite(); the harness runs it with
 * srunner_run_all(CK_ENV), so CK_RUN_CASE, CK_FORK=no, CK_VERBOSITY and
 * CK_TAP_LOG_FILE_NAME work as usual. Randomised tests take their seed from
 * PTEBATCH_SEED (default fixed, so runs are reproducible) and their
 * iteration count from PTEBATCH_ITERATIONS, and name the seed in every
 * failure message. A program takes no arguments; an argument, or a seed or
 * iteration count that is not a whole number (iterations: at least 1),
 * stops it with a message naming the problem before any test runs.
 */
#ifndef _PTB_HARNESS_H
#define _PTB_HARNESS_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include <ptebatch/model.h>
#include <ptebatch/walk.h>

Suite *ptb_suite(void);

/* splitmix64: small, fast, good enough, and the same everywhere */
struct ptb_rng {
	u64 state;
};

static inline void ptb_rng_init(struct ptb_rng *rng, u64 seed)
{
	rng->state = seed;
}

static inline u64 ptb_rng_u64(struct ptb_rng *rng)
{
	u64 z = (rng->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline unsigned long ptb_rng_below(struct ptb_rng *rng,
					  unsigned long n)
{
	return n ? ptb_rng_u64(rng) % n : 0;
}

static inline bool ptb_rng_chance(struct ptb_rng *rng, unsigned int percent)
{
	return ptb_rng_below(rng, 100) < percent;
}

/* PTEBATCH_SEED, or the fixed default */
u64 ptb_seed(void);
/* PTEBATCH_ITERATIONS, or @dflt */
unsigned long ptb_iterations(unsigned long dflt);

/* The standard environment: a memmap and one user mm with page tables. */
#define PTB_BASE_PFN		0x80000UL
#define PTB_MEMMAP_PAGES	(1UL << 14)
#define PTB_VA			0x7f0000000000UL

extern struct mm_struct ptb_mm;
extern struct vm_area_struct ptb_vma;

/* checked fixture: reset the model, one anon VMA over 4 PMDs at PTB_VA */
void ptb_setup(void);
void ptb_teardown(void);

/* How a PTE should look: the bits tests vary. */
struct ptb_pte_bits {
	bool write;
	bool dirty;
	bool young;
	bool soft_dirty;
	bool uffd_wp;
	bool exec;
	bool protnone;
	bool special;
};

pte_t ptb_mk_pte(unsigned long pfn, const struct ptb_pte_bits *bits);

/*
 * Map pages [@idx, @idx + @nr) of @folio at @addr in @vma with PTEs made from
 * @bits, through set_ptes() as the fault path does for a large folio, and
 * account them (rmap, references, rss). Pages are marked AnonExclusive if
 * @exclusive.
 */
void ptb_map_folio(struct vm_area_struct *vma, struct folio *folio,
		   unsigned long idx, unsigned long addr, unsigned int nr,
		   const struct ptb_pte_bits *bits, bool exclusive);

/* The slot for @addr in ptb_mm (allocating the table). */
static inline pte_t *ptb_slot(unsigned long addr)
{
	return ptb_pte_slot(&ptb_mm, addr, true);
}

/* Uncounted logical read, for assertions. */
static inline pte_t ptb_peek(pte_t *ptep)
{
	pte_t pte;

	ptb_cost_pause();
	pte = ptep_get(ptep);
	ptb_cost_resume();
	return pte;
}

#define PTB_ASSERT_PTE_EQ(a, b, fmt, ...)				\
	ck_assert_msg(pte_same((a), (b)), fmt ": %#llx != %#llx",	\
		      ##__VA_ARGS__, (unsigned long long)pte_val(a),	\
		      (unsigned long long)pte_val(b))

/*
 * A restored PTE may differ from the original only as batching allows: it
 * may gain young and dirty, and is compared without implementation-private
 * bits (arm64 PTE_CONT).
 */
static inline bool ptb_pte_restored_ok(pte_t now, pte_t orig)
{
	pte_t a = ptb_pte_strip_impl(now), b = ptb_pte_strip_impl(orig);

	if (!pte_same(pte_mkold(pte_mkclean(a)), pte_mkold(pte_mkclean(b))) ||
	    !!pte_soft_dirty(a) != !!pte_soft_dirty(b))
		return false;
	return (!pte_young(b) || pte_young(a)) &&
	       (!pte_dirty(b) || pte_dirty(a));
}

#endif /* _PTB_HARNESS_H */
