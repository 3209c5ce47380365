/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Random worlds for the equivalence tests: one mm with 1-3 VMAs over three
 * PMDs of address space, large and small folios (anon swap-backed, lazyfree,
 * file) mapped fully, partly, across VMA and PMD boundaries and off their
 * natural alignment (as after mremap), with mixed PTE bits, hardware A/D
 * updates, device-exclusive entries, foreign swap entries and markers.
 *
 * The oracle: unmapping every folio with ttu_batched() must end in the same
 * state as with ttu_6_12() run on the same world after two adjustments that
 * are the documented freedoms of batching:
 *  - A/D smearing: within each batch the reference world gets the batch's
 *    merged accessed/dirty state on every entry (what get_and_clear_ptes()
 *    returns and a restore writes back);
 *  - failure granularity: an injected failure (swap-count continuation,
 *    arch_unmap_one(), a GUP pin) hits the first page of the batched path's
 *    sub-batch in both runs.
 * Batches and sub-batches come from a per-PTE reference detector written
 * here from the rules, not from lib/.
 */
#ifndef _PTB_WORLD_H
#define _PTB_WORLD_H

#include <stdio.h>

#include "internal.h"
#include <ptebatch/model.h>
#include "model/ttu.h"

#define W_VA_BASE	0x7f0000000000UL
#define W_PMDS		3
#define W_SLOTS		(W_PMDS * PTRS_PER_PTE)
#define W_MAX_VMAS	3
#define W_MAX_FOLIOS	16
#define W_MAX_BATCHES	(W_SLOTS)
#define W_BASE_PFN	0x80000UL
#define W_MEMMAP_PAGES	(1UL << 16)

enum w_kind {
	W_ANON,		/* anonymous, swap-backed, in the swap cache */
	W_LAZYFREE,	/* anonymous, MADV_FREE'd */
	W_FILE,		/* page cache */
};

struct w_folio {
	struct folio *folio;
	enum w_kind kind;
	unsigned int order;
	/* failure plan: which sub-batch fails, or -1 */
	long dup_fail_sub;		/* swap count continuation */
	long pin_fail_excl_sub;		/* GUP pin, among exclusive ones */
	/* what the reference run armed, for the batched run */
	swp_entry_t fail_dup_entry;
	unsigned long pin_check_batched;
	long subs_seen, excl_subs_seen;
};

struct w_batch {
	unsigned int vma;
	unsigned int folio;
	unsigned long addr;
	unsigned long nr;
};

struct world {
	u64 seed;
	struct mm_struct mm;
	unsigned int nr_vmas;
	struct vm_area_struct vmas[W_MAX_VMAS];
	unsigned int nr_folios;
	struct w_folio folios[W_MAX_FOLIOS];
	enum ttu_flags flags;
	long unmap_one_fail_sub;	/* arch_unmap_one() failure plan */
	long subs_seen;
	unsigned long fail_unmap_one_addr;
	/* the batches the reference run met, in walk order */
	unsigned int nr_batches;
	struct w_batch batches[W_MAX_BATCHES];
	char summary[160];
};

struct w_params {
	bool failures;		/* plan aligned failure injections */
	bool hwpoison;		/* allow TTU_HWPOISON worlds */
};

struct w_state {
	pte_t pte[W_SLOTS];
	long rss[NR_MM_COUNTERS];
	bool on_mmlist;
	bool ret[W_MAX_FOLIOS];
	int refcount[W_MAX_FOLIOS];
	int mapcount[W_MAX_FOLIOS];
	unsigned long folio_flags[W_MAX_FOLIOS];
	/* per page of each folio, at most 512 */
	int page_mapcount[W_MAX_FOLIOS][HPAGE_PMD_NR];
	bool page_exclusive[W_MAX_FOLIOS][HPAGE_PMD_NR];
	int swap_count[W_MAX_FOLIOS][HPAGE_PMD_NR];
	bool swap_cache[W_MAX_FOLIOS][HPAGE_PMD_NR];
};

/* Build the world for @seed (deterministic), with a failure plan. */
void world_build(struct world *w, u64 seed, const struct w_params *p);
void world_destroy(struct world *w);
/* Describe the world and its plan, for debugging a failing seed. */
void world_dump(struct world *w, FILE *out);
/*
 * Set up the 6.12 reference run: batches are found, smeared and given their
 * planned failures as the reference walk reaches them.
 */
void world_prepare_reference(struct world *w);
/* Arm the failures @ref's reference run planned, for the batched run. */
void world_prepare_batched(struct world *w, const struct world *ref);
/* try_to_unmap() every folio with @rmap_one, recording the results. */
void world_unmap_all(struct world *w, ptb_rmap_one_t rmap_one,
		     struct w_state *st);
void world_snapshot(struct world *w, struct w_state *st);
/*
 * Conservation laws that hold after any unmap: mapcounts equal mapping
 * entries, refcounts equal 1 + mappings (+ extra), swap counts equal swap
 * entries, rss equals mapped pages. Returns false with @why filled in.
 */
bool world_check_invariants(struct world *w, char *why, size_t len);
/* Compare two snapshots; false with a description of the first difference. */
bool world_state_equal(const struct world *w, const struct w_state *ref,
		       const struct w_state *bat, char *why, size_t len);

#endif /* _PTB_WORLD_H */
