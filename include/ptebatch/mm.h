/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memory-management model: struct page and struct folio, mm_struct with
 * its rss counters, vm_area_struct with the flags try_to_unmap_one() looks
 * at, and the folio API the helpers call, with the kernel's names and
 * signatures (6.12).
 *
 * Model choices, each marked "model:" below:
 *  - the memmap is one array covering [memmap_base_pfn, + memmap_nr_pages);
 *    a struct page points back at its folio (the kernel derives that from
 *    the compound head);
 *  - a folio is a separate struct that records its pfn range;
 *  - "anon" is a flag, not a tagged ->mapping pointer;
 *  - GUP pins are a test-controlled switch (see folio_maybe_dma_pinned()).
 */
#ifndef _PTEBATCH_MM_H
#define _PTEBATCH_MM_H

#include <ptebatch/types.h>
#include <ptebatch/debug.h>

/* Page flags used by the model (names as in include/linux/page-flags.h). */
enum pageflags {
	PG_locked,
	PG_dirty,
	PG_swapbacked,
	PG_swapcache,
	PG_head,		/* large folio */
	PG_anon,		/* model: the kernel tags folio->mapping */
	PG_hwpoison,		/* per page */
	PG_anon_exclusive,	/* per page */
	PG_ksm,			/* model: the kernel tags folio->mapping */
};

struct page {
	unsigned long flags;
	atomic_t _mapcount;	/* PTE mappings of this page, -1 based */
	struct folio *folio;	/* model: the folio this page belongs to */
};

struct folio {
	unsigned long flags;
	unsigned long pfn;		/* model: first page frame */
	long _folio_nr_pages;
	pgoff_t index;
	atomic_t _refcount;
	atomic_t _large_mapcount;	/* large folios: PTE mappings, -1 based */
	swp_entry_t swap;		/* first swap entry, in the swap cache */
	/* model: folio_maybe_dma_pinned() is true from this check on */
	unsigned long ptb_pin_from_check;
	unsigned long ptb_pin_checks;
	/* model: on the list of the memmap's folios (ptb_memmap_init()) */
	struct list_head ptb_memmap_node;
};

/* model: the memmap */
extern struct page *mem_map;
extern unsigned long memmap_base_pfn;
extern unsigned long memmap_nr_pages;

static inline struct page *pfn_to_page(unsigned long pfn)
{
	VM_BUG_ON(pfn - memmap_base_pfn >= memmap_nr_pages);
	return &mem_map[pfn - memmap_base_pfn];
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return memmap_base_pfn + (unsigned long)(page - mem_map);
}

#define nth_page(page, n)	((page) + (n))

static inline struct folio *page_folio(const struct page *page)
{
	return page->folio;
}

static inline struct folio *pfn_folio(unsigned long pfn)
{
	return page_folio(pfn_to_page(pfn));
}

static inline bool __ptb_test_bit(int nr, const unsigned long *word)
{
	return *word & BIT(nr);
}

#define FOLIO_FLAG(name, bit)						\
static inline bool folio_test_##name(const struct folio *folio)	\
{									\
	return __ptb_test_bit(bit, &folio->flags);			\
}									\
static inline void folio_set_##name(struct folio *folio)		\
{									\
	folio->flags |= BIT(bit);					\
}									\
static inline void folio_clear_##name(struct folio *folio)		\
{									\
	folio->flags &= ~BIT(bit);					\
}

FOLIO_FLAG(locked, PG_locked)
FOLIO_FLAG(dirty, PG_dirty)
FOLIO_FLAG(swapbacked, PG_swapbacked)
FOLIO_FLAG(swapcache, PG_swapcache)
FOLIO_FLAG(large, PG_head)
FOLIO_FLAG(anon, PG_anon)
FOLIO_FLAG(ksm, PG_ksm)
#undef FOLIO_FLAG

static inline bool folio_test_hugetlb(const struct folio *folio)
{
	return false;
}

static inline bool folio_is_device_private(const struct folio *folio)
{
	return false;
}

/* Returns true if the folio was clean before. */
static inline bool folio_mark_dirty(struct folio *folio)
{
	bool was_dirty = folio_test_dirty(folio);

	folio_set_dirty(folio);
	return !was_dirty;
}

static inline unsigned long folio_pfn(const struct folio *folio)
{
	return folio->pfn;
}

static inline long folio_nr_pages(const struct folio *folio)
{
	if (!folio_test_large(folio))
		return 1;
	return folio->_folio_nr_pages;
}

static inline pgoff_t folio_pgoff(const struct folio *folio)
{
	return folio->index;
}

static inline struct page *folio_page(const struct folio *folio,
				      unsigned long n)
{
	return pfn_to_page(folio->pfn + n);
}

static inline unsigned long folio_page_idx(const struct folio *folio,
					   const struct page *page)
{
	return page_to_pfn(page) - folio->pfn;
}

static inline int folio_ref_count(const struct folio *folio)
{
	return atomic_read(&folio->_refcount);
}

static inline void folio_ref_add(struct folio *folio, int nr)
{
	atomic_add(nr, &folio->_refcount);
}

static inline void folio_get(struct folio *folio)
{
	folio_ref_add(folio, 1);
}

/*
 * try_to_unmap() runs with a reference held by its caller, so dropping the
 * last reference from inside the unmap path is a bug the model reports.
 */
static inline void folio_put_refs(struct folio *folio, int refs)
{
	VM_WARN_ON_FOLIO(refs < 1, folio);
	WARN_ON(atomic_sub_return(refs, &folio->_refcount) < 1);
}

static inline void folio_put(struct folio *folio)
{
	folio_put_refs(folio, 1);
}

static inline int folio_mapcount(const struct folio *folio)
{
	if (!folio_test_large(folio))
		return atomic_read(&pfn_to_page(folio->pfn)->_mapcount) + 1;
	return atomic_read(&folio->_large_mapcount) + 1;
}

/*
 * model: a GUP pin appears at a chosen folio_maybe_dma_pinned() check, so a
 * test can make anon-exclusive sharing fail at any sub-batch.
 */
static inline bool folio_maybe_dma_pinned(struct folio *folio)
{
	return folio->ptb_pin_checks++ >= folio->ptb_pin_from_check;
}

static inline bool PageAnon(const struct page *page)
{
	return folio_test_anon(page_folio(page));
}

static inline bool PageAnonExclusive(const struct page *page)
{
	return __ptb_test_bit(PG_anon_exclusive, &page->flags);
}

static inline void SetPageAnonExclusive(struct page *page)
{
	page->flags |= BIT(PG_anon_exclusive);
}

static inline void ClearPageAnonExclusive(struct page *page)
{
	page->flags &= ~BIT(PG_anon_exclusive);
}

static inline bool PageHWPoison(const struct page *page)
{
	return __ptb_test_bit(PG_hwpoison, &page->flags);
}

static inline bool PageLocked(const struct page *page)
{
	return folio_test_locked(page_folio(page));
}

/* The mm: rss counters and the swapoff list. */
enum {
	MM_FILEPAGES,
	MM_ANONPAGES,
	MM_SWAPENTS,
	MM_SHMEMPAGES,
	NR_MM_COUNTERS
};

struct ptb_pgtable;

struct mm_struct {
	atomic_long_t rss_stat[NR_MM_COUNTERS];
	unsigned long hiwater_rss;
	struct list_head mmlist;
	atomic_t tlb_flush_pending;
	atomic_t tlb_flush_batched;
	atomic_t mm_users;
	struct ptb_pgtable *pgtable;	/* model: PTE tables by PMD */
};

extern struct mm_struct init_mm;
extern spinlock_t mmlist_lock;

static inline unsigned long get_mm_counter(struct mm_struct *mm, int member)
{
	return atomic_long_read(&mm->rss_stat[member]);
}

static inline void add_mm_counter(struct mm_struct *mm, int member,
				  long value)
{
	atomic_long_add(value, &mm->rss_stat[member]);
}

static inline void inc_mm_counter(struct mm_struct *mm, int member)
{
	add_mm_counter(mm, member, 1);
}

static inline void dec_mm_counter(struct mm_struct *mm, int member)
{
	add_mm_counter(mm, member, -1);
}

static inline unsigned long get_mm_rss(struct mm_struct *mm)
{
	return get_mm_counter(mm, MM_FILEPAGES) +
		get_mm_counter(mm, MM_ANONPAGES) +
		get_mm_counter(mm, MM_SHMEMPAGES);
}

static inline void update_hiwater_rss(struct mm_struct *mm)
{
	unsigned long rss = get_mm_rss(mm);

	if (mm->hiwater_rss < rss)
		mm->hiwater_rss = rss;
}

static inline int mm_counter_file(struct folio *folio)
{
	if (folio_test_swapbacked(folio))
		return MM_SHMEMPAGES;
	return MM_FILEPAGES;
}

static inline int mm_counter(struct folio *folio)
{
	if (folio_test_anon(folio))
		return MM_ANONPAGES;
	return mm_counter_file(folio);
}

static inline bool mm_tlb_flush_pending(struct mm_struct *mm)
{
	return atomic_read(&mm->tlb_flush_pending) > 0;
}

/* VMA flags (include/linux/mm.h, 64-bit values) */
#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_UFFD_MISSING	0x00000200UL
#define VM_UFFD_WP	0x00001000UL
#define VM_LOCKED	0x00002000UL
#define VM_SOFTDIRTY	0x08000000UL
#define VM_UFFD_MINOR	BIT(38)
#define VM_DROPPABLE	BIT(40)
#define __VM_UFFD_FLAGS	(VM_UFFD_MISSING | VM_UFFD_WP | VM_UFFD_MINOR)

struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	struct mm_struct *vm_mm;
	pgprot_t vm_page_prot;
	unsigned long vm_flags;
	unsigned long vm_pgoff;
	const void *vm_ops;	/* model: NULL for anonymous VMAs */
};

static inline bool vma_is_anonymous(struct vm_area_struct *vma)
{
	return !vma->vm_ops;
}

static inline bool userfaultfd_wp(struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_UFFD_WP;
}

static inline bool userfaultfd_armed(struct vm_area_struct *vma)
{
	return vma->vm_flags & __VM_UFFD_FLAGS;
}

/* mlock: the model counts the calls. */
extern unsigned long ptb_mlock_drains;
extern unsigned long ptb_mlock_folios;

static inline void mlock_drain_local(void)
{
	ptb_mlock_drains++;
}

static inline void mlock_vma_folio(struct folio *folio,
				   struct vm_area_struct *vma)
{
	ptb_mlock_folios++;
}

/* clear_young_dirty_ptes() flags (include/linux/mm_types.h) */
typedef int __bitwise cydp_t;

/* Clear the access bit */
#define CYDP_CLEAR_YOUNG		((__force cydp_t)BIT(0))

/* Clear the dirty bit */
#define CYDP_CLEAR_DIRTY		((__force cydp_t)BIT(1))

/* try_to_unmap() flags (include/linux/rmap.h) */
enum ttu_flags {
	TTU_SPLIT_HUGE_PMD	= 0x4,
	TTU_IGNORE_MLOCK	= 0x8,
	TTU_SYNC		= 0x10,
	TTU_HWPOISON		= 0x20,
	TTU_BATCH_FLUSH		= 0x40,
	TTU_RMAP_LOCKED		= 0x80,
};

struct page_vma_mapped_walk {
	unsigned long pfn;
	unsigned long nr_pages;
	pgoff_t pgoff;
	struct vm_area_struct *vma;
	unsigned long address;
	pmd_t *pmd;
	pte_t *pte;
	spinlock_t *ptl;
	unsigned int flags;
};

#define PVMW_SYNC		(1 << 0)
#define PVMW_MIGRATION		(1 << 1)

#define DEFINE_FOLIO_VMA_WALK(name, _folio, _vma, _address, _flags)	\
	struct page_vma_mapped_walk name = {				\
		.pfn = folio_pfn(_folio),				\
		.nr_pages = folio_nr_pages(_folio),			\
		.pgoff = folio_pgoff(_folio),				\
		.vma = _vma,						\
		.address = _address,					\
		.flags = _flags,					\
	}

#endif /* _PTEBATCH_MM_H */
