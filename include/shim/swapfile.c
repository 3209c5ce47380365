// SPDX-License-Identifier: GPL-2.0
/*
 * The model's mm/swapfile.c: swap_map[] (count, COUNT_CONTINUED and
 * SWAP_HAS_CACHE per slot), count continuations and swap_free_nr() as 6.12
 * has them, and injectable failures (a count at SWAP_MAP_MAX whose
 * continuation cannot be allocated). 6.12's __swap_duplicate() and
 * swap_duplicate() as the series leaves them (lib/swap_duplicate.c) and
 * lib/swap_batch.c, which the series splices after them, are compiled
 * here, as in mm/swapfile.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ptebatch/model.h>

/* include/linux/swap.h */
#define SWAP_HAS_CACHE	0x40	/* Flag page is cached, in first swap_map */
#define COUNT_CONTINUED	0x80	/* Flag swap_map continuation for full count */
#define SWAP_MAP_MAX	0x3e	/* Max count */
#define SWAP_MAP_BAD	0x3f	/* Note page is bad */
/* CONFIG_THP_SWAP */
#define SWAPFILE_CLUSTER	HPAGE_PMD_NR

#define GFP_ATOMIC	0
#define pr_err_ratelimited(fmt, ...)	fprintf(stderr, fmt, __VA_ARGS__)

static const char Bad_file[] = "Bad swap file entry ";

/*
 * model: a swap device is its swap_map[] (6.12's byte per slot: count,
 * COUNT_CONTINUED, SWAP_HAS_CACHE) and, per slot, what the continuation
 * pages would hold: whether one is allocated, the count carried into it
 * (units of SWAP_MAP_MAX + 1), and the test's injections.
 */
struct ptb_swap_slot {
	bool has_cont;		/* a continuation page is allocated */
	bool fail_cont;		/* allocating one fails (-ENOMEM) */
	unsigned int carried;	/* count carried into the continuation */
	unsigned int others;	/* counts injected as held by others */
	unsigned short cgroup;
};

struct swap_info_struct {
	unsigned char *swap_map;
	struct ptb_swap_slot *slot;
};

struct swap_cluster_info {
	int unused;
};

static struct swap_info_struct ptb_swap_info[MAX_SWAPFILES];
static unsigned long ptb_swap_next[MAX_SWAPFILES];
unsigned long ptb_swap_dup_calls;
unsigned long ptb_swap_cluster_locks;

void ptb_swap_reset(void);

void ptb_swap_reset(void)
{
	unsigned int type;

	for (type = 0; type < MAX_SWAPFILES; type++) {
		free(ptb_swap_info[type].swap_map);
		free(ptb_swap_info[type].slot);
		ptb_swap_info[type].swap_map = NULL;
		ptb_swap_info[type].slot = NULL;
		/* Slot 0 holds the swap header and is never allocated. */
		ptb_swap_next[type] = 1;
	}
	ptb_swap_dup_calls = 0;
	ptb_swap_cluster_locks = 0;
}

static struct swap_info_struct *swp_swap_info(swp_entry_t entry)
{
	struct swap_info_struct *si;
	unsigned int type = swp_type(entry);

	if (type >= MAX_SWAPFILES)
		return NULL;
	si = &ptb_swap_info[type];
	if (!si->swap_map) {
		si->swap_map = calloc(PTB_SWAP_SLOTS, 1);
		si->slot = calloc(PTB_SWAP_SLOTS, sizeof(*si->slot));
		if (!si->swap_map || !si->slot)
			abort();
	}
	return si;
}

static pgoff_t ptb_swap_offset(swp_entry_t entry)
{
	pgoff_t offset = swp_offset(entry);

	if (swp_type(entry) >= MAX_SWAPFILES || offset >= PTB_SWAP_SLOTS) {
		fprintf(stderr, "ptebatch: bad swap entry %#lx\n", entry.val);
		abort();
	}
	return offset;
}

static unsigned char *ptb_swap_map(swp_entry_t entry)
{
	pgoff_t offset = ptb_swap_offset(entry);

	return &swp_swap_info(entry)->swap_map[offset];
}

static struct ptb_swap_slot *ptb_swap_slot(swp_entry_t entry)
{
	pgoff_t offset = ptb_swap_offset(entry);

	return &swp_swap_info(entry)->slot[offset];
}

/* The whole count of a slot: swap_map[] plus the continuation. */
static unsigned int ptb_swap_total(swp_entry_t entry)
{
	unsigned char count = *ptb_swap_map(entry) & ~SWAP_HAS_CACHE;

	return (count & ~COUNT_CONTINUED) +
	       ptb_swap_slot(entry)->carried * (SWAP_MAP_MAX + 1);
}

static struct swap_cluster_info *lock_cluster_or_swap_info(
		struct swap_info_struct *si, unsigned long offset)
{
	static struct swap_cluster_info ci;

	ptb_swap_cluster_locks++;
	return &ci;
}

static void unlock_cluster_or_swap_info(struct swap_info_struct *si,
					struct swap_cluster_info *ci)
{
}

static inline unsigned char swap_count(unsigned char ent)
{
	return ent & ~SWAP_HAS_CACHE;	/* may include COUNT_CONTINUED flag */
}

/*
 * model of 6.12's swap_count_continued() going up, called when the count in
 * swap_map[] is at SWAP_MAP_MAX: carry it into the continuation page if the
 * slot has one.
 */
static bool swap_count_continued(struct swap_info_struct *si, pgoff_t offset,
				 unsigned char count)
{
	VM_WARN_ON((count & ~COUNT_CONTINUED) != SWAP_MAP_MAX);
	if (!si->slot[offset].has_cont)
		return false;
	si->slot[offset].carried++;
	return true;
}

/* model of 6.12's add_swap_count_continuation(): fails where injected. */
static int add_swap_count_continuation(swp_entry_t entry, int gfp_mask)
{
	struct ptb_swap_slot *slot = ptb_swap_slot(entry);

	if (slot->fail_cont)
		return -ENOMEM;
	slot->has_cont = true;
	return 0;
}

swp_entry_t ptb_swap_alloc(unsigned int type, unsigned long nr)
{
	unsigned long offset = ALIGN(ptb_swap_next[type], nr), i;

	if (offset + nr > PTB_SWAP_SLOTS) {
		fprintf(stderr, "ptebatch: swap device %u full\n", type);
		abort();
	}
	ptb_swap_next[type] = offset + nr;
	for (i = 0; i < nr; i++)
		*ptb_swap_map(swp_entry(type, offset + i)) = SWAP_HAS_CACHE;
	return swp_entry(type, offset);
}

void ptb_folio_add_to_swap_cache(struct folio *folio, unsigned int type)
{
	folio->swap = ptb_swap_alloc(type, folio_nr_pages(folio));
	folio_set_swapbacked(folio);
	folio_set_swapcache(folio);
}

int ptb_swap_count(swp_entry_t entry)
{
	return ptb_swap_total(entry) - ptb_swap_slot(entry)->others;
}

bool ptb_swap_has_cache(swp_entry_t entry)
{
	return *ptb_swap_map(entry) & SWAP_HAS_CACHE;
}

/*
 * Injections: the count in swap_map[] goes to SWAP_MAP_MAX (the difference
 * counted as held by others) and the slot has no continuation page with
 * room, so the next duplicate needs add_swap_count_continuation(), which
 * fails (ptb_swap_fail_dup_at()) or succeeds (ptb_swap_need_cont_at()).
 */
static void ptb_swap_at_max(swp_entry_t entry, bool fail_cont)
{
	unsigned char *map = ptb_swap_map(entry);
	struct ptb_swap_slot *slot = ptb_swap_slot(entry);
	unsigned char count = *map & ~SWAP_HAS_CACHE;

	slot->others += SWAP_MAP_MAX - (count & ~COUNT_CONTINUED);
	slot->has_cont = false;
	slot->fail_cont = fail_cont;
	*map = (*map & SWAP_HAS_CACHE) | (count & COUNT_CONTINUED) |
	       SWAP_MAP_MAX;
}

void ptb_swap_fail_dup_at(swp_entry_t entry)
{
	ptb_swap_at_max(entry, true);
}

void ptb_swap_need_cont_at(swp_entry_t entry)
{
	ptb_swap_at_max(entry, false);
}

void ptb_swap_set_cgroup(swp_entry_t entry, unsigned short id)
{
	ptb_swap_slot(entry)->cgroup = id;
}

unsigned short lookup_swap_cgroup_id(swp_entry_t ent)
{
	return ptb_swap_slot(ent)->cgroup;
}

/* model of 6.12's swap_free_nr(): one count off each entry */
void swap_free_nr(swp_entry_t entry, int nr_pages)
{
	int i;

	VM_WARN_ON(nr_pages < 1);
	for (i = 0; i < nr_pages; i++) {
		swp_entry_t e = swp_entry(swp_type(entry),
					  swp_offset(entry) + i);
		unsigned char *map = ptb_swap_map(e);
		struct ptb_swap_slot *slot = ptb_swap_slot(e);
		unsigned char has_cache = *map & SWAP_HAS_CACHE;
		unsigned char count = *map & ~SWAP_HAS_CACHE;

		WARN_ON(!ptb_swap_total(e));
		if (!(count & ~COUNT_CONTINUED) && slot->carried) {
			slot->carried--;
			count = SWAP_MAP_MAX |
				(slot->carried ? COUNT_CONTINUED : 0);
		} else if (count & ~COUNT_CONTINUED) {
			count--;
		}
		*map = count | has_cache;
	}
}

/*
 * 6.12's __swap_duplicate() and swap_duplicate(), as the series leaves them;
 * swap_duplicate() renamed, so that the model can count the calls.
 */
int __ptb_swap_duplicate(swp_entry_t entry);
#define swap_duplicate __ptb_swap_duplicate
#include "swap_duplicate.c"
#undef swap_duplicate

int swap_duplicate(swp_entry_t entry)
{
	ptb_swap_dup_calls++;
	return __ptb_swap_duplicate(entry);
}

#include "swap_batch.c"
