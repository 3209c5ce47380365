// SPDX-License-Identifier: GPL-2.0
/*
 * Exact costs of unmapping a folio: the batched try_to_unmap_one() against
 * 6.12's per-PTE one, on this backend, counted by the model (page-table
 * reads, writes and clears, TLB invalidations, contpte folds and unfolds).
 *
 * The headline numbers are asserted; the whole table is printed as TAP
 * comments ("make costs" shows it for both backends).
 */
#include "harness.h"
#include "model/ttu.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "unmap_batch.c"
#include "unmap_anon.c"
#pragma GCC diagnostic pop

#define ADDR	(PTB_VA + PMD_SIZE)

enum scenario {
	ANON_64K,
	ANON_64K_DEFERRED,
	LAZYFREE_64K,
	ANON_2M,
	ANON_4K,
	SHMEM_64K_UFFD_WP,
	NR_SCENARIOS,
};

static const char *const scenario_names[] = {
	"64K anon, sync flush", "64K anon, deferred flush",
	"64K lazyfree", "2M anon, sync flush", "4K anon, sync flush",
	"64K shmem, uffd-wp markers",
};

static const unsigned int scenario_order[] = { 4, 4, 4, 9, 0, 4 };

static const void *const file_vm_ops = &file_vm_ops;

static struct folio *setup_scenario(enum scenario sc)
{
	const struct ptb_pte_bits bits = {
		.write = true, .young = true, .dirty = sc != LAZYFREE_64K,
	};
	/* uffd-wp protected: read-only, as UFFDIO_WRITEPROTECT leaves it */
	const struct ptb_pte_bits wp = {
		.young = true, .dirty = true, .uffd_wp = true,
	};
	bool shmem = sc == SHMEM_64K_UFFD_WP;
	unsigned int order = scenario_order[sc];
	struct folio *folio;

	ptb_setup();
	folio = ptb_folio_create(PTB_BASE_PFN + 512, order,
				 (shmem ? BIT(PG_swapbacked) : BIT(PG_anon)) |
				 BIT(PG_locked), ADDR >> PAGE_SHIFT);
	if (shmem) {
		ptb_vma.vm_ops = file_vm_ops;
		ptb_vma.vm_flags |= VM_UFFD_WP;
	} else if (sc != LAZYFREE_64K) {
		ptb_folio_add_to_swap_cache(folio, 0);
	}
	ptb_map_folio(&ptb_vma, folio, 0, ADDR, 1U << order,
		      shmem ? &wp : &bits, !shmem);
	ptb_costs_reset();
	return folio;
}

static enum ttu_flags scenario_flags(enum scenario sc)
{
	return sc == ANON_64K_DEFERRED ? TTU_BATCH_FLUSH : 0;
}

/*
 * Unmap the scenario's folio with @rmap_one; *@swap_locks gets the
 * lock_cluster_or_swap_info() calls it made.
 */
static struct ptb_costs run(enum scenario sc, ptb_rmap_one_t rmap_one,
			    unsigned long *swap_locks)
{
	struct folio *folio = setup_scenario(sc);
	struct ptb_costs c;

	ptb_swap_cluster_locks = 0;
	ck_assert_msg(ptb_try_to_unmap(folio, &ptb_vma, 1, scenario_flags(sc),
				       rmap_one), "%s: unmap failed",
		      scenario_names[sc]);
	try_to_unmap_flush();
	c = ptb_costs;
	*swap_locks = ptb_swap_cluster_locks;
	ck_assert_int_eq(folio_mapcount(folio), 0);
	ptb_folio_free(folio);
	ptb_teardown();
	return c;
}

static void print_row(const char *path, const char *sc,
		      const struct ptb_costs *c)
{
	printf("# %-6s %-26s %-9s %5lu %5lu %5lu %5lu %5lu %5lu %5lu %5lu %4lu %4lu\n",
	       PTB_ARCH_NAME, sc, path, c->pte_reads, c->raw_pte_reads,
	       c->pte_writes, c->pte_clears, c->tlbi_pages, c->tlbi_ranges,
	       c->tlbi_range_pages, c->tlb_deferred, c->contpte_folds,
	       c->contpte_unfolds);
}

/*
 * The headline: unmapping one aligned, fully mapped 64K folio in
 * one batch reads the batch once through the contpte hint, clears 16
 * entries, writes 16 swap PTEs, invalidates the TLB with one ranged flush
 * and unfolds nothing. Phases are measured with the helpers themselves.
 */
START_TEST(batched_64k_unmap_phases_cost_exactly)
{
	struct folio *folio = setup_scenario(ANON_64K);
	struct page_vma_mapped_walk pvmw = {
		.vma = &ptb_vma, .address = ADDR, .pte = ptb_slot(ADDR),
	};
	struct ptb_costs detect, clear, commit;
	unsigned int nr;
	pte_t pteval;

	ptb_costs_reset();
	pteval = ptep_get(pvmw.pte);
	nr = folio_unmap_pte_batch(folio, &pvmw, 0, pteval);
	detect = ptb_costs;
	ck_assert_uint_eq(nr, 16);

	ptb_costs_reset();
	pteval = unmap_clear_ptes(&ptb_vma, ADDR, pvmw.pte, pteval, nr, 0);
	clear = ptb_costs;

	ptb_costs_reset();
	ck_assert(unmap_anon_folio_range(&ptb_vma, folio, folio_page(folio, 0),
					 ADDR, pvmw.pte, pteval, nr));
	commit = ptb_costs;

	printf("# %s, one 64K batch: detect %lu reads (%lu raw), clear %lu + %lu flush, %lu swap PTEs\n",
	       PTB_ARCH_NAME, detect.pte_reads, detect.raw_pte_reads,
	       clear.pte_clears, clear.tlbi_ranges, commit.pte_writes);
	fflush(stdout);

	/* batch detection: one read of the block with contpte, else 16 */
	ck_assert_uint_eq(detect.pte_reads, PTB_CONT_PTES > 1 ? 1 : 16);
	ck_assert_uint_eq(detect.pte_writes + detect.pte_clears, 0);
	/* clear: 16 entries, one ranged flush, no unfold */
	ck_assert_uint_eq(clear.pte_clears, 16);
	ck_assert_uint_eq(clear.pte_writes, 0);
	ck_assert_uint_eq(clear.tlbi_ranges, 1);
	ck_assert_uint_eq(clear.tlbi_range_pages, 16);
	ck_assert_uint_eq(clear.tlbi_pages, 0);
	ck_assert_uint_eq(clear.contpte_unfolds + clear.contpte_folds, 0);
	/* commit: 16 swap PTEs, nothing else touched */
	ck_assert_uint_eq(commit.pte_writes, 16);
	ck_assert_uint_eq(commit.pte_clears, 0);
	ck_assert_uint_eq(commit.tlbi_pages + commit.tlbi_ranges, 0);
	ck_assert_uint_eq(commit.contpte_unfolds + commit.contpte_folds, 0);
	ptb_folio_free(folio);
	ptb_teardown();
}
END_TEST

START_TEST(cost_table_batched_vs_per_pte)
{
	struct ptb_costs b[NR_SCENARIOS], p[NR_SCENARIOS];
	unsigned long b_locks[NR_SCENARIOS], p_locks[NR_SCENARIOS];
	unsigned int sc;

	printf("# %-6s %-26s %-9s %5s %5s %5s %5s %5s %5s %5s %5s %4s %4s\n",
	       "arch", "folio", "path", "reads", "raw", "write", "clear",
	       "tlbiP", "tlbiR", "rPgs", "defer", "fold", "unfd");
	for (sc = 0; sc < NR_SCENARIOS; sc++) {
		b[sc] = run(sc, ttu_batched, &b_locks[sc]);
		p[sc] = run(sc, ttu_6_12, &p_locks[sc]);
		print_row("batched", scenario_names[sc], &b[sc]);
		print_row("per-PTE", scenario_names[sc], &p[sc]);
	}
	for (sc = 0; sc < NR_SCENARIOS; sc++)
		printf("# %-6s %-26s swap cluster locks: batched %lu, per-PTE %lu\n",
		       PTB_ARCH_NAME, scenario_names[sc], b_locks[sc],
		       p_locks[sc]);
	fflush(stdout);

	/* swap counts: one cluster lock per batch instead of one per page */
	ck_assert_uint_eq(b_locks[ANON_64K], 1);
	ck_assert_uint_eq(p_locks[ANON_64K], 16);
	ck_assert_uint_eq(b_locks[ANON_2M], 1);
	ck_assert_uint_eq(p_locks[ANON_2M], 512);
	ck_assert_uint_eq(b_locks[ANON_4K], p_locks[ANON_4K]);

	/* 64K, synchronous: one range flush instead of one per page */
	ck_assert_uint_eq(b[ANON_64K].tlbi_ranges, 1);
	ck_assert_uint_eq(b[ANON_64K].tlbi_pages, 0);
	ck_assert_uint_eq(b[ANON_64K].contpte_unfolds, 0);
	ck_assert_uint_eq(b[ANON_64K].pte_clears, 16);
	ck_assert_uint_eq(p[ANON_64K].tlbi_pages, 16);
	if (PTB_CONT_PTES > 1) {
		/* 6.12 unfolds the block: 16 clears, 1 flush, 16 writes */
		ck_assert_uint_eq(p[ANON_64K].contpte_unfolds, 1);
		ck_assert_uint_eq(p[ANON_64K].tlbi_ranges, 1);
		ck_assert_uint_eq(p[ANON_64K].pte_clears, 32);
		ck_assert_uint_eq(p[ANON_64K].pte_writes, 32);
		ck_assert_uint_eq(b[ANON_64K].pte_writes, 16);
	} else {
		ck_assert_uint_eq(p[ANON_64K].tlbi_ranges, 0);
		ck_assert_uint_eq(p[ANON_64K].pte_clears, 16);
	}
	/*
	 * deferred: one pending record for the batch (one per page in 6.12),
	 * no unfold; arm64 queues one range TLBI instead of 16 page TLBIs
	 */
	ck_assert_uint_eq(b[ANON_64K_DEFERRED].tlb_deferred, 1);
	ck_assert_uint_eq(p[ANON_64K_DEFERRED].tlb_deferred, 16);
	ck_assert_uint_eq(b[ANON_64K_DEFERRED].contpte_unfolds, 0);
	if (PTB_CONT_PTES > 1) {
		ck_assert_uint_eq(b[ANON_64K_DEFERRED].tlbi_pages, 0);
		ck_assert_uint_eq(b[ANON_64K_DEFERRED].tlbi_ranges, 1);
		ck_assert_uint_eq(b[ANON_64K_DEFERRED].tlbi_range_pages, 16);
		ck_assert_uint_eq(p[ANON_64K_DEFERRED].tlbi_pages, 16);
	} else {
		/* x86: the batch's one full flush, either way */
		ck_assert_uint_eq(b[ANON_64K_DEFERRED].tlbi_ranges, 1);
		ck_assert_uint_eq(p[ANON_64K_DEFERRED].tlbi_ranges, 1);
	}
	/* the batched path never reads more than the per-PTE one */
	for (sc = 0; sc < NR_SCENARIOS; sc++)
		ck_assert_msg(b[sc].raw_pte_reads <= p[sc].raw_pte_reads,
			      "%s: batched %lu raw reads, per-PTE %lu",
			      scenario_names[sc], b[sc].raw_pte_reads,
			      p[sc].raw_pte_reads);
	/*
	 * 64K shmem in a uffd-wp VMA: one batch, one range flush, no
	 * unfold; 16 clears and 16 marker writes either way (6.12 writes
	 * the markers per page after unfolding the block)
	 */
	ck_assert_uint_eq(b[SHMEM_64K_UFFD_WP].tlbi_ranges, 1);
	ck_assert_uint_eq(b[SHMEM_64K_UFFD_WP].tlbi_pages, 0);
	ck_assert_uint_eq(b[SHMEM_64K_UFFD_WP].contpte_unfolds, 0);
	ck_assert_uint_eq(b[SHMEM_64K_UFFD_WP].pte_clears, 16);
	ck_assert_uint_eq(b[SHMEM_64K_UFFD_WP].pte_writes, 16);
	ck_assert_uint_eq(p[SHMEM_64K_UFFD_WP].tlbi_pages, 16);
	ck_assert_uint_eq(p[SHMEM_64K_UFFD_WP].contpte_unfolds,
			  PTB_CONT_PTES > 1 ? 1 : 0);
	/* 4K folios: a single PTE costs exactly what it did */
	ck_assert_msg(!memcmp(&b[ANON_4K], &p[ANON_4K], sizeof(b[ANON_4K])),
		      "4K folio: batched costs differ from per-PTE ones");
}
END_TEST

Suite *ptb_suite(void)
{
	Suite *s = suite_create("costs");
	TCase *tc = tcase_create("exact_costs");

	tcase_add_test(tc, batched_64k_unmap_phases_cost_exactly);
	tcase_add_test(tc, cost_table_batched_vs_per_pte);
	suite_add_tcase(s, tc);
	return s;
}
