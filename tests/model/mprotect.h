/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two change_pte_range() models the mprotect equivalence compares:
 *
 * mprotect_6_12_change_pte_range()   linux-source-6.12's change_pte_range()
 *                           and can_change_pte_writable() (mm/mprotect.c),
 *                           one PTE at a time: tests/model/mprotect_6_12.c;
 * mprotect_batched_change_pte_range() change_pte_range() as the mprotect
 *                           series leaves it, with lib/mprotect_batch.c:
 *                           mprotect_batched.c.
 *
 * Both files hold mm/mprotect.c's definitions verbatim, less what
 * kernel-glue/linux-6.12/copies.d lists (kernel-glue/check-copies), and
 * each adds a wrapper that calls change_pte_range() for one page-table
 * extent, as change_pmd_range() does. What change_pte_range() takes from
 * the rest of the kernel is below, as the model has it.
 */
#ifndef _PTB_MPROTECT_H
#define _PTB_MPROTECT_H

#include <string.h>

#include "internal.h"
#include <ptebatch/model.h>
#include "model/ptl.h"

/* include/linux/mm.h */
#define VM_MAYWRITE			0x00000020UL
#define MM_CP_TRY_CHANGE_WRITABLE	(1UL << 0)
#define MM_CP_PROT_NUMA			(1UL << 1)
#define MM_CP_UFFD_WP			(1UL << 2)
#define MM_CP_UFFD_WP_RESOLVE		(1UL << 3)

static inline bool is_cow_mapping(unsigned long flags)
{
	return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

/*
 * model: folio_likely_mapped_shared() estimates from the first page's
 * mapcount, as 6.12 does for a large folio that is not entirely mapped.
 */
static inline bool folio_likely_mapped_shared(struct folio *folio)
{
	return atomic_read(&folio_page(folio, 0)->_mapcount) + 1 > 1;
}

static inline bool folio_is_file_lru(struct folio *folio)
{
	return !folio_test_swapbacked(folio);
}

/* model: no ZONE_DEVICE memory in the worlds */
#define folio_is_zone_device(folio)	((void)(folio), false)

/*
 * model: NUMA hinting on a machine of one node, node 0, the top tier,
 * with NUMA_BALANCING_NORMAL and without memory tiering's access times.
 */
#define NUMA_NO_NODE			(-1)
#define NUMA_BALANCING_NORMAL		0x1
#define sysctl_numa_balancing_mode	NUMA_BALANCING_NORMAL
#define numa_node_id()			0
#define folio_nid(folio)		((void)(folio), 0)
#define node_is_toptier(nid)		((void)(nid), true)
#define folio_use_access_time(folio)	((void)(folio), false)
#define folio_xchg_access_time(folio, time)	((void)(folio), (void)(time))
#define jiffies				0UL
#define jiffies_to_msecs(j)		((unsigned int)(j))

/* mm/internal.h */
static inline bool vma_soft_dirty_enabled(struct vm_area_struct *vma)
{
	/*
	 * NOTE: we must check this before VM_SOFTDIRTY on soft-dirty
	 * enablements, because when without soft-dirty being compiled in,
	 * VM_SOFTDIRTY is defined as 0x0, then !(vm_flags & VM_SOFTDIRTY)
	 * will be constantly true.
	 */
	if (!IS_ENABLED(CONFIG_MEM_SOFT_DIRTY))
		return false;

	/*
	 * Soft-dirty is kind of special: its tracking is enabled when the
	 * vma flags not set.
	 */
	return !(vma->vm_flags & VM_SOFTDIRTY);
}

static inline bool pte_needs_soft_dirty_wp(struct vm_area_struct *vma, pte_t pte)
{
	return vma_soft_dirty_enabled(vma) && !pte_soft_dirty(pte);
}

/* include/linux/userfaultfd_k.h */
static inline bool userfaultfd_pte_wp(struct vm_area_struct *vma,
				      pte_t pte)
{
	return userfaultfd_wp(vma) && pte_uffd_wp(pte);
}

/*
 * model: the uffd context's UFFD_FEATURE_WP_UNPOPULATED, as a VMA flag:
 * fs/userfaultfd.c's userfaultfd_wp_unpopulated() is true for a VMA
 * registered with it.
 */
#define VM_PTB_UFFD_WP_UNPOPULATED	BIT(61)

static inline bool userfaultfd_wp_unpopulated(struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_PTB_UFFD_WP_UNPOPULATED;
}

static inline bool userfaultfd_wp_use_markers(struct vm_area_struct *vma)
{
	/* Only wr-protect mode uses pte markers */
	if (!userfaultfd_wp(vma))
		return false;

	/* File-based uffd-wp always need markers */
	if (!vma_is_anonymous(vma))
		return true;

	/*
	 * Anonymous uffd-wp only needs the markers if WP_UNPOPULATED
	 * enabled (to apply markers on zero pages).
	 */
	return userfaultfd_wp_unpopulated(vma);
}

/*
 * model: include/asm-generic/tlb.h's mmu_gather, reduced to the range it
 * will flush and, for the tests, the pages tlb_flush_pte_range() was asked
 * to flush (PTB_TLB_PAGES pages from ptb_base).
 */
#define PTB_TLB_PAGES	4096

struct mmu_gather {
	struct mm_struct *mm;
	unsigned long start, end;
	unsigned int cleared_ptes : 1;
	unsigned long ptb_base;
	unsigned long ptb_ranges;
	unsigned long ptb_flushed[PTB_TLB_PAGES / BITS_PER_LONG];
};

static inline void tlb_change_page_size(struct mmu_gather *tlb,
					unsigned int page_size)
{
}

static inline void tlb_flush_pte_range(struct mmu_gather *tlb,
				       unsigned long address,
				       unsigned long size)
{
	unsigned long a;

	tlb->start = min(tlb->start, address);
	tlb->end = max(tlb->end, address + size);
	tlb->cleared_ptes = 1;
	tlb->ptb_ranges++;
	for (a = address; a < address + size; a += PAGE_SIZE) {
		unsigned long i = (a - tlb->ptb_base) >> PAGE_SHIFT;

		VM_BUG_ON(a < tlb->ptb_base || i >= PTB_TLB_PAGES);
		tlb->ptb_flushed[i / BITS_PER_LONG] |= BIT(i % BITS_PER_LONG);
	}
}

/* An empty gather for pages from @base on. */
static inline void ptb_tlb_gather_init(struct mmu_gather *tlb,
				       struct mm_struct *mm, unsigned long base)
{
	memset(tlb, 0, sizeof(*tlb));
	tlb->mm = mm;
	tlb->start = -1UL;
	tlb->ptb_base = base;
}

#ifndef pte_needs_flush
/* include/asm-generic/tlb.h */
static inline bool pte_needs_flush(pte_t oldpte, pte_t newpte)
{
	return true;
}
#endif

/* 6.12's, unchanged by the series: defined once, in mprotect_6_12.c */
bool can_change_pte_writable(struct vm_area_struct *vma, unsigned long addr,
			     pte_t pte);

/*
 * Change the protection of [@addr, @end), which lies in one page table:
 * change_pte_range() as change_pmd_range() calls it. Returns its result
 * (the number of entries changed, or -EAGAIN if there is no page table).
 */
long mprotect_6_12_change_pte_range(struct mmu_gather *tlb,
				    struct vm_area_struct *vma,
				    unsigned long addr, unsigned long end,
				    pgprot_t newprot, unsigned long cp_flags);
long mprotect_batched_change_pte_range(struct mmu_gather *tlb,
				       struct vm_area_struct *vma,
				       unsigned long addr, unsigned long end,
				       pgprot_t newprot,
				       unsigned long cp_flags);

/*
 * Called by mprotect_6_12_change_pte_range() at each present PTE it is
 * about to change (after the NUMA hinting skips): the equivalence tests
 * give the batch that starts there its merged accessed/dirty state.
 */
extern void (*mprotect_6_12_visit)(struct vm_area_struct *vma,
				   unsigned long addr, pte_t *ptep,
				   unsigned long end);

#endif /* _PTB_MPROTECT_H */
