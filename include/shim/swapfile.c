// SPDX-License-Identifier: GPL-2.0
/*
 * The model's mm/swapfile.c: per-slot swap counts with the SWAP_HAS_CACHE
 * flag, the 6.12 swap_duplicate()/swap_free_nr() semantics that
 * try_to_unmap_one() relies on, and injectable failures. lib/swap_batch.c,
 * which the patch series splices into mm/swapfile.c, is compiled here too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ptebatch/model.h>

struct ptb_swap_slot {
	unsigned int count;
	bool has_cache;
	bool fail_dup;
	unsigned short cgroup;
};

static struct ptb_swap_slot *ptb_swap_map[MAX_SWAPFILES];
static unsigned long ptb_swap_next[MAX_SWAPFILES];
unsigned long ptb_swap_dup_calls;

void ptb_swap_reset(void);

void ptb_swap_reset(void)
{
	unsigned int type;

	for (type = 0; type < MAX_SWAPFILES; type++) {
		free(ptb_swap_map[type]);
		ptb_swap_map[type] = NULL;
		/* Slot 0 holds the swap header and is never allocated. */
		ptb_swap_next[type] = 1;
	}
	ptb_swap_dup_calls = 0;
}

static struct ptb_swap_slot *ptb_swap_slot(swp_entry_t entry)
{
	unsigned int type = swp_type(entry);
	pgoff_t offset = swp_offset(entry);

	if (type >= MAX_SWAPFILES || offset >= PTB_SWAP_SLOTS) {
		fprintf(stderr, "ptebatch: bad swap entry %#lx\n", entry.val);
		abort();
	}
	if (!ptb_swap_map[type]) {
		ptb_swap_map[type] = calloc(PTB_SWAP_SLOTS,
					    sizeof(struct ptb_swap_slot));
		if (!ptb_swap_map[type])
			abort();
	}
	return &ptb_swap_map[type][offset];
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
		ptb_swap_slot(swp_entry(type, offset + i))->has_cache = true;
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
	return ptb_swap_slot(entry)->count;
}

bool ptb_swap_has_cache(swp_entry_t entry)
{
	return ptb_swap_slot(entry)->has_cache;
}

void ptb_swap_fail_dup_at(swp_entry_t entry)
{
	ptb_swap_slot(entry)->fail_dup = true;
}

void ptb_swap_set_cgroup(swp_entry_t entry, unsigned short id)
{
	ptb_swap_slot(entry)->cgroup = id;
}

unsigned short lookup_swap_cgroup_id(swp_entry_t ent)
{
	return ptb_swap_slot(ent)->cgroup;
}

/*
 * 6.12: -ENOENT for a free slot; the count continuation that makes
 * __swap_duplicate() return -ENOMEM is what the model injects.
 */
int swap_duplicate(swp_entry_t entry)
{
	struct ptb_swap_slot *slot = ptb_swap_slot(entry);

	ptb_swap_dup_calls++;
	if (!slot->count && !slot->has_cache)
		return -ENOENT;
	if (slot->fail_dup)
		return -ENOMEM;
	slot->count++;
	return 0;
}

void swap_free_nr(swp_entry_t entry, int nr_pages)
{
	int i;

	VM_WARN_ON(nr_pages < 1);
	for (i = 0; i < nr_pages; i++) {
		struct ptb_swap_slot *slot =
			ptb_swap_slot(swp_entry(swp_type(entry),
						swp_offset(entry) + i));

		WARN_ON(!slot->count);
		slot->count--;
	}
}

#include "swap_batch.c"
