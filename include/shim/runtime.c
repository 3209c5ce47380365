// SPDX-License-Identifier: GPL-2.0
/*
 * Global state of the model: memmap, init_mm, cost counters, test hooks and
 * the VM_WARN_ON() handler.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ptebatch/model.h>

struct page *mem_map;
unsigned long memmap_base_pfn;
unsigned long memmap_nr_pages;

struct mm_struct init_mm;
DEFINE_SPINLOCK(mmlist_lock);
/* every page table lock of the call-site models (tests/model/ptl.h) */
DEFINE_SPINLOCK(ptb_model_ptl);

struct ptb_costs ptb_costs;
int ptb_cost_paused;

pteval_t ptb_pte_unused_mask;
bool ptb_cpu_erratum_2645198;
unsigned long ptb_fail_unmap_one_addr = -1UL;
unsigned long ptb_mlock_drains;
unsigned long ptb_mlock_folios;
struct tlbflush_unmap_batch ptb_tlb_ubc;

static void ptb_default_warn(const char *file, int line, const char *func,
			     const char *what)
{
	fprintf(stderr, "ptebatch: %s failed at %s:%d in %s()\n",
		what, file, line, func);
	fflush(stderr);
	abort();
}

static ptb_warn_handler_t ptb_warn_handler = ptb_default_warn;

void ptb_set_warn_handler(ptb_warn_handler_t handler)
{
	ptb_warn_handler = handler ? handler : ptb_default_warn;
}

void ptebatch_vm_warn(const char *file, int line, const char *func,
		      const char *what)
{
	ptb_warn_handler(file, line, func, what);
}

void ptb_costs_reset(void)
{
	memset(&ptb_costs, 0, sizeof(ptb_costs));
}

static unsigned long ptb_flushes;
static unsigned long ptb_flush_start, ptb_flush_end;
static unsigned long ptb_cover_base;
static unsigned long ptb_cover[PTB_FLUSH_COVER_PAGES / BITS_PER_LONG];

#ifndef PTB_NO_FLUSH_LOG
void ptb_log_flush(unsigned long start, unsigned long end)
{
	unsigned long lo, hi, i;

	ptb_flushes++;
	ptb_flush_start = start;
	ptb_flush_end = end;
	lo = max(start, ptb_cover_base);
	hi = min(end, ptb_cover_base + PTB_FLUSH_COVER_PAGES * PAGE_SIZE);
	for (i = lo; i < hi; i += PAGE_SIZE) {
		unsigned long n = (i - ptb_cover_base) >> PAGE_SHIFT;

		ptb_cover[n / BITS_PER_LONG] |= BIT(n % BITS_PER_LONG);
	}
}
#endif

void ptb_flush_cover_reset(unsigned long base)
{
	ptb_cover_base = base;
	memset(ptb_cover, 0, sizeof(ptb_cover));
}

bool ptb_flush_covered(unsigned long addr)
{
	unsigned long n = (addr - ptb_cover_base) >> PAGE_SHIFT;

	if (addr < ptb_cover_base || n >= PTB_FLUSH_COVER_PAGES)
		return false;
	return ptb_cover[n / BITS_PER_LONG] & BIT(n % BITS_PER_LONG);
}
unsigned long ptb_nr_flushes(void)
{
	return ptb_flushes;
}

/* The last flush, if there was one since ptb_nr_flushes() said @nr_before. */
bool ptb_last_flush(unsigned long nr_before, unsigned long *start,
		    unsigned long *end)
{
	if (ptb_flushes == nr_before)
		return false;
	*start = ptb_flush_start;
	*end = ptb_flush_end;
	return true;
}

/* The folios of the memmap, ptb_folio_create() to ptb_folio_free(). */
static struct list_head memmap_folios = LIST_HEAD_INIT(memmap_folios);

void ptb_memmap_init(unsigned long base_pfn, unsigned long nr_pages)
{
	unsigned long i;

	while (!list_empty(&memmap_folios)) {
		struct folio *folio = list_first_entry(&memmap_folios,
						       struct folio,
						       ptb_memmap_node);

		list_del_init(&folio->ptb_memmap_node);
		free(folio);
	}
	/*
	 * A memmap of the same size is cleared, not allocated again: a fresh
	 * allocation for every random world was most of the sanitizer
	 * build's test time (mmap, shadow poisoning, quarantine).
	 */
	if (mem_map && nr_pages == memmap_nr_pages) {
		memset(mem_map, 0, nr_pages * sizeof(*mem_map));
	} else {
		free(mem_map);
		mem_map = calloc(nr_pages, sizeof(*mem_map));
		if (!mem_map) {
			perror("ptebatch: memmap");
			abort();
		}
	}
	for (i = 0; i < nr_pages; i++)
		atomic_set(&mem_map[i]._mapcount, -1);
	memmap_base_pfn = base_pfn;
	memmap_nr_pages = nr_pages;
}

struct folio *ptb_folio_create(unsigned long pfn, unsigned int order,
			       unsigned long flags, pgoff_t index)
{
	unsigned long nr = 1UL << order, i;
	struct folio *folio;

	if (pfn & (nr - 1) || pfn < memmap_base_pfn ||
	    pfn - memmap_base_pfn + nr > memmap_nr_pages) {
		fprintf(stderr, "ptebatch: bad folio pfn %#lx order %u\n",
			pfn, order);
		abort();
	}
	folio = calloc(1, sizeof(*folio));
	if (!folio)
		abort();
	folio->flags = flags;
	if (order)
		folio->flags |= BIT(PG_head);
	else
		folio->flags &= ~BIT(PG_head);
	folio->pfn = pfn;
	folio->_folio_nr_pages = nr;
	folio->index = index;
	atomic_set(&folio->_refcount, 1);
	atomic_set(&folio->_large_mapcount, -1);
	folio->ptb_pin_from_check = -1UL;
	for (i = 0; i < nr; i++) {
		struct page *page = pfn_to_page(pfn + i);

		memset(page, 0, sizeof(*page));
		atomic_set(&page->_mapcount, -1);
		page->folio = folio;
	}
	list_add(&folio->ptb_memmap_node, &memmap_folios);
	return folio;
}

void ptb_folio_free(struct folio *folio)
{
	unsigned long i;

	if (!folio)
		return;
	for (i = 0; i < folio_nr_pages(folio); i++) {
		struct page *page = pfn_to_page(folio->pfn + i);

		if (page->folio == folio)
			page->folio = NULL;
	}
	list_del_init(&folio->ptb_memmap_node);
	free(folio);
}

void ptb_swap_reset(void);

void ptb_model_reset(void)
{
	ptb_costs_reset();
	ptb_cost_paused = 0;
	ptb_pte_unused_mask = 0;
	ptb_cpu_erratum_2645198 = false;
	ptb_fail_unmap_one_addr = -1UL;
	ptb_mlock_drains = 0;
	ptb_mlock_folios = 0;
	memset(&ptb_tlb_ubc, 0, sizeof(ptb_tlb_ubc));
	memset(&init_mm, 0, sizeof(init_mm));
	INIT_LIST_HEAD(&init_mm.mmlist);
	ptb_set_warn_handler(NULL);
	ptb_swap_reset();
}
