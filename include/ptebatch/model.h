/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test-facing side of the model: building memmaps, folios, page tables
 * and swap state, and injecting failures. Nothing in lib/ uses this header;
 * tests and tools include it after "internal.h".
 */
#ifndef _PTEBATCH_MODEL_H
#define _PTEBATCH_MODEL_H

#include "internal.h"
#include <asm/ptb-hooks.h>

/* Reset every piece of global model state (memmap, swap, costs, hooks). */
void ptb_model_reset(void);

/*
 * memmap: struct pages for [base_pfn, base_pfn + nr_pages). The folios are
 * the memmap's, as the kernel's struct pages are: a new memmap frees the
 * folios of the one it replaces.
 */
void ptb_memmap_init(unsigned long base_pfn, unsigned long nr_pages);

/*
 * A folio of 2^order pages at @pfn (which must be aligned to the folio size
 * and inside the memmap), with flags from enum pageflags and page cache /
 * anon index @index. It holds one reference (the caller's, as try_to_unmap()
 * callers do) and no mappings.
 */
struct folio *ptb_folio_create(unsigned long pfn, unsigned int order,
			       unsigned long flags, pgoff_t index);

/*
 * Free @folio (NULL: nothing) before its memmap goes; no page table may map
 * it any more, and its pages are left without a folio.
 */
void ptb_folio_free(struct folio *folio);

/* Page tables: one 512-entry, 4096-byte aligned PTE table per PMD. */
#define PTB_MAX_TABLES 64

struct ptb_pgtable {
	unsigned int nr;
	unsigned long pmd_addr[PTB_MAX_TABLES];
	pte_t *table[PTB_MAX_TABLES];
};

void ptb_mm_init(struct mm_struct *mm);
void ptb_mm_destroy(struct mm_struct *mm);
/* The slot mapping @addr; allocates an empty table if @alloc, else NULL. */
pte_t *ptb_pte_slot(struct mm_struct *mm, unsigned long addr, bool alloc);

/*
 * The model's pte_offset_map_nolock(): the slot for @addr if its PMD has a
 * table, else NULL.
 */
static inline pte_t *ptb_pte_offset(struct mm_struct *mm, unsigned long addr)
{
	return ptb_pte_slot(mm, addr, false);
}

/*
 * Swap model: MAX_SWAPFILES devices of PTB_SWAP_SLOTS slots each, a
 * swap_map[] byte per slot (count, COUNT_CONTINUED, SWAP_HAS_CACHE) and
 * the count carried into continuations.
 */
#define PTB_SWAP_SLOTS 65536

/* Allocate @nr free slots on @type, aligned to @nr, marked SWAP_HAS_CACHE. */
swp_entry_t ptb_swap_alloc(unsigned int type, unsigned long nr);
/* Put an anon folio in the swap cache (swapbacked, swapcache, ->swap). */
void ptb_folio_add_to_swap_cache(struct folio *folio, unsigned int type);
int ptb_swap_count(swp_entry_t entry);
bool ptb_swap_has_cache(swp_entry_t entry);
/*
 * Make every swap_duplicate() of @entry fail with -ENOMEM: its count is at
 * SWAP_MAP_MAX (the difference held by others, not part of ptb_swap_count())
 * and a count continuation cannot be allocated.
 */
void ptb_swap_fail_dup_at(swp_entry_t entry);
/* The same, but the continuation can be allocated: duplicating succeeds. */
void ptb_swap_need_cont_at(swp_entry_t entry);
/* lock_cluster_or_swap_info() calls so far */
extern unsigned long ptb_swap_cluster_locks;
void ptb_swap_set_cgroup(swp_entry_t entry, unsigned short id);
/* Number of swap_duplicate() calls so far (successful or not). */
extern unsigned long ptb_swap_dup_calls;

/* Failure injection and test hooks, all cleared by ptb_model_reset(). */
/* The page table lock of the call-site models (tests/model/ptl.h). */
extern spinlock_t ptb_model_ptl;

/* arm64: the CPU needs the erratum 2645198 workaround (asm/ptb-kconfig.h) */
extern bool ptb_cpu_erratum_2645198;

/* folio_maybe_dma_pinned() is true from its @check-th call on (0: now). */
static inline void ptb_folio_pin_from_check(struct folio *folio,
					    unsigned long check)
{
	folio->ptb_pin_from_check = check;
	folio->ptb_pin_checks = 0;
}

/*
 * What VM_WARN_ON() and friends do. The default prints the failed check and
 * aborts; a test may count instead.
 */
typedef void (*ptb_warn_handler_t)(const char *file, int line,
				   const char *func, const char *what);
void ptb_set_warn_handler(ptb_warn_handler_t handler);

#endif /* _PTEBATCH_MODEL_H */
