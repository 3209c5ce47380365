/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cost counters of the userspace model.
 *
 * Every page-table access and TLB invalidation of the model goes through the
 * arch backend's raw accessors, which count here. The counts are exact, so a
 * test can pin "16 clears and one range flush" rather than guess from time.
 */
#ifndef _PTEBATCH_COST_H
#define _PTEBATCH_COST_H

struct ptb_costs {
	/* ptep_get()/ptep_get_lockless() calls: reads core mm asked for */
	unsigned long pte_reads;
	/* entries loaded from memory (a contpte ptep_get() loads 17) */
	unsigned long raw_pte_reads;
	/* entries stored: set_pte(), __set_ptes(), contpte repaints */
	unsigned long pte_writes;
	/* entries atomically read and cleared (xchg to 0) */
	unsigned long pte_clears;
	/* entries updated by compare-and-exchange (wrprotect, young) */
	unsigned long pte_cmpxchgs;
	/* single-page TLB invalidations, synchronous or not */
	unsigned long tlbi_pages;
	/* ranged TLB invalidations, and the pages they cover */
	unsigned long tlbi_ranges;
	unsigned long tlbi_range_pages;
	/* set_tlb_ubc_flush_pending() records (deferred flushes) */
	unsigned long tlb_deferred;
	/* arm64 contpte_convert() calls that set or cleared PTE_CONT */
	unsigned long contpte_folds;
	unsigned long contpte_unfolds;
};

extern struct ptb_costs ptb_costs;
extern int ptb_cost_paused;

#define ptb_count(field, n)				\
	do {						\
		if (!ptb_cost_paused)			\
			ptb_costs.field += (n);		\
	} while (0)

static inline void ptb_cost_pause(void)
{
	ptb_cost_paused++;
}

static inline void ptb_cost_resume(void)
{
	ptb_cost_paused--;
}

void ptb_costs_reset(void);

/*
 * The address ranges the TLB invalidations covered, in order: the arch
 * backends log every synchronous page or range invalidation of user
 * addresses (a full flush as [0, ULONG_MAX)). A test asks what the last one
 * covered (ptb_last_flush()) to check that a flush followed a clear. The
 * bench (PTB_NO_FLUSH_LOG) times the paths without this test aid.
 */
#ifdef PTB_NO_FLUSH_LOG
static inline void ptb_log_flush(unsigned long start, unsigned long end)
{
}
#else
void ptb_log_flush(unsigned long start, unsigned long end);
#endif
bool ptb_last_flush(unsigned long nr_before, unsigned long *start,
		    unsigned long *end);
unsigned long ptb_nr_flushes(void);
/*
 * Which pages of a window of PTB_FLUSH_COVER_PAGES pages from @base the
 * logged invalidations covered since ptb_flush_cover_reset(@base): a test
 * asks whether every entry a run unmapped was flushed by the end.
 */
#define PTB_FLUSH_COVER_PAGES	4096
void ptb_flush_cover_reset(unsigned long base);
bool ptb_flush_covered(unsigned long addr);

/*
 * A cmpxchg_relaxed() on a page-table entry that counts a pte_cmpxchgs when
 * it succeeds and changes the entry: the arm64 backend's cmpxchg loops use
 * it in place of cmpxchg_relaxed(&pte_val(*ptep), ...). (Both backends'
 * pteval_t is a u64.)
 */
static inline u64 ptb_pte_cmpxchg_relaxed(u64 *ptr, u64 old, u64 new)
{
	u64 cur = cmpxchg_relaxed(ptr, old, new);

	if (cur == old && new != old)
		ptb_count(pte_cmpxchgs, 1);
	return cur;
}

#endif /* _PTEBATCH_COST_H */
