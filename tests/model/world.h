/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Random worlds for the equivalence tests, for any call site: one mm with
 * 1-3 VMAs over three PMDs of address space, large and small folios
 * (anonymous, MADV_FREE'd anonymous, file; KSM if asked) mapped fully, partly,
 * across VMA and PMD boundaries and off their natural alignment (as after
 * mremap), with mixed PTE bits, hardware A/D updates, device-exclusive
 * entries, foreign swap entries and markers, and if asked the zero page.
 *
 * A call site (struct w_callsite, e.g. tests/model/ttu_world.c for
 * try_to_unmap_one()) adds its own choices to a world (flags, folio states,
 * a failure plan), runs its per-PTE 6.12 model or its batched model over
 * the world, and tells the reference run where the batched one batches.
 *
 * The oracle: the batched run must end in the same state as the reference
 * run on the same world (world_state_equal(): page tables, rss counters,
 * the mm on the swapoff list, per-folio refcount, mapcount, flags and
 * results, per-page mapcount, PageAnonExclusive and swap counts), after the
 * documented freedoms, the arm64 contpte one, where 6.12 and the batched
 * path fold or unfold a block differently (within a 16-entry block either
 * side holds as one, only the block's accessed and dirty bits together
 * are compared: contpte gathers them over the block, which lies in one
 * folio), and those of batching, which the call site applies to the
 * reference run as its walk meets each batch:
 *  - A/D smearing: within a batch, the reference world gets the batch's
 *    merged accessed/dirty state on every entry (world_smear_batch());
 *  - failure granularity: an injected failure hits the first page of the
 *    batched path's sub-batch in both runs.
 * Both runs must also keep the conservation laws (world_check_invariants()).
 */
#ifndef _PTB_WORLD_H
#define _PTB_WORLD_H

#include <stdio.h>

#include "internal.h"
#include <ptebatch/model.h>

/*
 * The builder fills W_BUILD_PMDS page tables with up to W_BUILD_MAX_VMAS
 * VMAs; a call site may use the W_PMDS - W_BUILD_PMDS tables after them
 * (mremap's destination) and one more VMA. Snapshots and conservation
 * laws cover all W_SLOTS entries.
 */
#define W_VA_BASE	0x7f0000000000UL
#define W_BUILD_PMDS	3
#define W_BUILD_SLOTS	(W_BUILD_PMDS * PTRS_PER_PTE)
#define W_BUILD_MAX_VMAS 3
#define W_PMDS		6
#define W_SLOTS		(W_PMDS * PTRS_PER_PTE)
#define W_MAX_VMAS	(W_BUILD_MAX_VMAS + 1)
#define W_MAX_FOLIOS	16
#define W_MAX_BATCHES	(W_SLOTS)
#define W_BASE_PFN	0x80000UL
#define W_MEMMAP_PAGES	(1UL << 16)
#define W_PLAN_WORDS	256

struct w_folio {
	struct folio *folio;
	unsigned int order;
};

struct w_batch {
	unsigned int vma;
	unsigned int folio;
	unsigned long addr;
	unsigned long nr;
};

struct w_callsite;

struct world {
	u64 seed;
	const struct w_callsite *cs;
	struct mm_struct mm;
	unsigned int nr_vmas;
	struct vm_area_struct vmas[W_MAX_VMAS];
	unsigned int nr_folios;
	struct w_folio folios[W_MAX_FOLIOS];
	/* the batches the reference run met, in walk order */
	unsigned int nr_batches;
	struct w_batch batches[W_MAX_BATCHES];
	/* the call site's choices, its own struct (world_plan()) */
	u64 plan[W_PLAN_WORDS];
	char summary[160];
};

#define world_plan(w, type)						\
	({								\
		BUILD_BUG_ON(sizeof(type) > sizeof((w)->plan));		\
		(type *)(w)->plan;					\
	})

struct w_params {
	bool failures;		/* plan injected failures */
	unsigned long opts;	/* the call site's own options */
	/*
	 * percent of folios of at least two blocks whose PTEs agree within
	 * each W_UNIFORM_BLOCK-page block (0: none; no random draw then)
	 */
	unsigned int uniform_blocks;
	/*
	 * no PTE carries the pte_unused() test bit: a bit 6.12 never sets on
	 * user PTEs, which pte_modify() drops (mprotect)
	 */
	bool no_pte_unused;
	/*
	 * special pages: the zero page mapped in anonymous VMAs (special
	 * PTEs, no normal page) and small KSM folios (read-only, never
	 * PageAnonExclusive, some mapped twice in the mm)
	 */
	bool special_pages;
};

/* arm64's contpte block: CONT_PTES entries with 4K pages */
#define W_UNIFORM_BLOCK	16

struct w_state {
	/* a rule of the call site its run broke (e.g. a flush missing) */
	char broken[200];
	pte_t pte[W_SLOTS];	/* as ptep_get() sees them, PTE_CONT stripped */
	bool cont[W_SLOTS];	/* in a contpte block (arm64) */
	long rss[NR_MM_COUNTERS];
	bool on_mmlist;
	long result[W_MAX_FOLIOS];	/* the call site's, per folio */
	int refcount[W_MAX_FOLIOS];
	int mapcount[W_MAX_FOLIOS];
	unsigned long folio_flags[W_MAX_FOLIOS];
	/* per page of each folio, at most 512 */
	int page_mapcount[W_MAX_FOLIOS][HPAGE_PMD_NR];
	bool page_exclusive[W_MAX_FOLIOS][HPAGE_PMD_NR];
	int swap_count[W_MAX_FOLIOS][HPAGE_PMD_NR];
	bool swap_cache[W_MAX_FOLIOS][HPAGE_PMD_NR];
};

/* A call site: what the generic world and runner need from it. */
struct w_callsite {
	const char *name;
	/* its choices for a built world: flags, folio states, failures */
	void (*plan)(struct world *w, struct ptb_rng *rng,
		     const struct w_params *p);
	/* arm the reference run: it records, smears and plans batches */
	void (*prepare_reference)(struct world *w);
	/* arm the batched run of the rebuilt world as @ref's run planned */
	void (*prepare_batched)(struct world *w, const struct world *ref);
	/*
	 * run the per-PTE 6.12 model or the batched one over the world; a
	 * rule the run breaks goes into st->broken
	 */
	void (*run)(struct world *w, bool batched, struct w_state *st);
	/* describe the call site's plan, for a failing seed */
	void (*dump)(const struct world *w, FILE *out);
};

/* Build the world for @seed (deterministic), with @cs's plan. */
void world_build(struct world *w, const struct w_callsite *cs, u64 seed,
		 const struct w_params *p);
void world_destroy(struct world *w);
/* Describe the world and its plan, for debugging a failing seed. */
void world_dump(struct world *w, FILE *out);
void world_snapshot(struct world *w, struct w_state *st);
/*
 * Conservation laws that hold after any run: mapcounts equal mapping
 * entries, refcounts equal 1 + mappings (+ extra), swap counts equal swap
 * entries, rss equals mapped pages. Returns false with @why filled in.
 */
bool world_check_invariants(struct world *w, char *why, size_t len);
/* Compare two snapshots; false with a description of the first difference. */
bool world_state_equal(const struct world *w, const struct w_state *ref,
		       const struct w_state *bat, char *why, size_t len);

/*
 * One round of the oracle for @cs: build the world for @seed, run the
 * reference and check it, build it again, run the batched path, check it
 * and compare. @before_build (if set) runs before each build (the fuzzer
 * rewinds its input there). On failure returns false with @why, and @r's
 * world is the run that failed, for world_dump().
 */
struct w_round {
	const struct w_callsite *cs;
	struct w_params params;
	void (*before_build)(void *arg);
	void *arg;
	struct world world, ref_world;
	struct w_state ref_state, bat_state;
};

bool world_round(struct w_round *r, u64 seed, char *why, size_t len);

/* Helpers for call sites. */
struct vm_area_struct *world_vma_of(struct world *w, unsigned long addr,
				    unsigned int *idx);
/* Does @pte (present, or device-exclusive) map a page of @folio? Which? */
bool world_pte_maps_folio(pte_t pte, struct folio *folio, unsigned long *idx);
/* The folio of the world @pte maps, or -1. */
int world_folio_of(struct world *w, pte_t pte, unsigned long *idx);
/*
 * The batch that move_ptes() and change_pte_range() may form at @addr, by
 * the rules: a run that starts in a contpte block (the arch's batch hint
 * says more than one entry; never on x86) of present PTEs of one large
 * folio, consecutive pages, equal but for accessed and dirty, before @end.
 */
unsigned long world_ref_pte_batch(struct world *w, unsigned long addr,
				  pte_t *ptep, unsigned long end);
/* Record a batch the reference run met (statistics, world_dump()). */
void world_record_batch(struct world *w, struct vm_area_struct *vma,
			unsigned int folio, unsigned long addr,
			unsigned long nr);
/*
 * Give the @nr entries at @ptep the merged accessed/dirty state of the
 * batch, keeping the first entry's soft-dirty (the batch agrees on it), as
 * get_and_clear_ptes() returns it and a restore writes it back.
 */
void world_smear_batch(struct vm_area_struct *vma, unsigned long addr,
		       pte_t *ptep, unsigned long nr);

#endif /* _PTB_WORLD_H */
