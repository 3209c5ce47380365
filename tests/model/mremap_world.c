// SPDX-License-Identifier: GPL-2.0
/*
 * mremap's move_ptes() as a call site of the random worlds (world.h): a
 * range of one VMA of the world, at any alignment and across page tables,
 * moves to empty address space beyond the world's page tables, at another
 * alignment, extent by extent as move_page_tables() calls move_ptes():
 * each extent within one old and one new page table.
 *
 * The reference partition is per PTE, written from the rules, not from
 * lib/: mremap_6_12_move_ptes() calls mremap_ref_visit() at each entry it
 * moves; when the entry starts a new batch (world_ref_pte_batch()), the
 * visit records it and smears its accessed/dirty state, the freedom
 * batching has.
 *
 * Besides the state the oracle compares, each run must flush the TLB: the
 * last flush of every extent that moved present PTEs covers all of them
 * (move_ptes() flushes before it drops the page table lock).
 */
#include <string.h>

#include "harness.h"
#include "model/mremap_world.h"
#include "model/mremap.h"

struct mremap_plan {
	unsigned int old_vma;
	unsigned long old_start, old_end;
	unsigned long new_start;
};

#define MREMAP_PLAN(w)	world_plan(w, struct mremap_plan)

/* Where the moved range goes: the page tables after the world's. */
#define MREMAP_DEST	(W_VA_BASE + W_BUILD_SLOTS * PAGE_SIZE)

static void mremap_plan(struct world *w, struct ptb_rng *rng,
			const struct w_params *p)
{
	struct mremap_plan *mp = MREMAP_PLAN(w);
	struct vm_area_struct *vma, *new_vma;
	unsigned long pages, first, nr;

	mp->old_vma = ptb_rng_below(rng, w->nr_vmas);
	vma = &w->vmas[mp->old_vma];
	pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	first = ptb_rng_below(rng, pages);
	nr = 1 + ptb_rng_below(rng, min(pages - first, 2UL * PTRS_PER_PTE));
	mp->old_start = vma->vm_start + first * PAGE_SIZE;
	mp->old_end = mp->old_start + nr * PAGE_SIZE;
	mp->new_start = MREMAP_DEST + ptb_rng_below(rng, PTRS_PER_PTE) *
				      PAGE_SIZE;
	/* a uffd-registered VMA may or may not have asked for remap events */
	if ((vma->vm_flags & __VM_UFFD_FLAGS) && ptb_rng_chance(rng, 50))
		vma->vm_flags |= VM_PTB_UFFD_EVENT_REMAP;

	new_vma = &w->vmas[w->nr_vmas++];
	*new_vma = *vma;
	new_vma->vm_start = mp->new_start;
	new_vma->vm_end = mp->new_start + nr * PAGE_SIZE;
	new_vma->vm_pgoff = vma->vm_pgoff + first;
	snprintf(w->summary + strlen(w->summary),
		 sizeof(w->summary) - strlen(w->summary),
		 ", move vma %u [%#lx, %#lx) to %#lx", mp->old_vma,
		 mp->old_start, mp->old_end, mp->new_start);
}

static void mremap_dump(const struct world *w, FILE *out)
{
	const struct mremap_plan *mp = (const struct mremap_plan *)w->plan;

	fprintf(out, "  mremap: vma %u [%#lx, %#lx) to %#lx\n", mp->old_vma,
		mp->old_start, mp->old_end, mp->new_start);
}

static struct world *mremap_ref;
static unsigned long mremap_ref_batch_end;

static void mremap_ref_visit(struct vm_area_struct *vma,
			     unsigned long old_addr, pte_t *old_pte,
			     unsigned long old_end)
{
	struct world *w = mremap_ref;
	unsigned long nr, idx;
	int f;

	if (old_addr < mremap_ref_batch_end)
		return;
	ptb_cost_pause();
	nr = world_ref_pte_batch(w, old_addr, old_pte, old_end);
	mremap_ref_batch_end = old_addr + nr * PAGE_SIZE;
	f = world_folio_of(w, ptep_get(old_pte), &idx);
	if (f >= 0)
		world_record_batch(w, vma, f, old_addr, nr);
	world_smear_batch(vma, old_addr, old_pte, nr);
	ptb_cost_resume();
}

static void mremap_prepare_reference(struct world *w)
{
	mremap_ref = w;
	mremap_ref_batch_end = 0;
	w->nr_batches = 0;
	mremap_6_12_visit = mremap_ref_visit;
	ptb_costs_reset();
}

static void mremap_prepare_batched(struct world *w, const struct world *ref)
{
	mremap_6_12_visit = NULL;
	w->nr_batches = ref->nr_batches;
	memcpy(w->batches, ref->batches,
	       ref->nr_batches * sizeof(ref->batches[0]));
	ptb_costs_reset();
}

/*
 * move_page_tables() at the PTE level: extents within one old and one new
 * page table; an extent whose old page table does not exist is skipped.
 * The last TLB flush of an extent must cover every present PTE it moved.
 */
static void mremap_run(struct world *w, bool batched, struct w_state *st)
{
	const struct mremap_plan *mp = MREMAP_PLAN(w);
	struct vm_area_struct *vma = &w->vmas[mp->old_vma];
	struct vm_area_struct *new_vma = &w->vmas[w->nr_vmas - 1];
	unsigned long old_addr = mp->old_start, new_addr = mp->new_start;
	unsigned long extent, lo, hi, fs, fe, a, nr_flushes;
	pte_t *ptep;
	int err;

	for (; old_addr < mp->old_end; old_addr += extent,
	       new_addr += extent) {
		extent = min(pmd_addr_end(old_addr, mp->old_end),
			     old_addr + pmd_addr_end(new_addr, -1UL) -
			     new_addr) - old_addr;
		ptep = ptb_pte_offset(&w->mm, old_addr);
		if (!ptep)
			continue;
		/* the present PTEs this extent moves: [lo, hi) */
		lo = -1UL;
		hi = 0;
		ptb_cost_pause();
		for (a = old_addr; a < old_addr + extent; a += PAGE_SIZE) {
			if (!pte_present(ptep_get(ptb_pte_offset(&w->mm, a))))
				continue;
			lo = min(lo, a);
			hi = a + PAGE_SIZE;
		}
		ptb_cost_resume();
		nr_flushes = ptb_nr_flushes();
		err = batched ?
			mremap_batched_move_ptes(vma, old_addr,
						 old_addr + extent, new_vma,
						 new_addr) :
			mremap_6_12_move_ptes(vma, old_addr, old_addr + extent,
					      new_vma, new_addr);
		if (err) {
			snprintf(st->broken, sizeof(st->broken),
				 "move_ptes(%#lx, %#lx) returned %d", old_addr,
				 old_addr + extent, err);
			return;
		}
		if (hi && (!ptb_last_flush(nr_flushes, &fs, &fe) ||
			   fs > lo || fe < hi)) {
			snprintf(st->broken, sizeof(st->broken),
				 "moved present PTEs in [%#lx, %#lx) but the last TLB flush did not cover them",
				 lo, hi);
			return;
		}
	}
	mremap_6_12_visit = NULL;
}

const struct w_callsite mremap_callsite = {
	.name = "move_ptes",
	.plan = mremap_plan,
	.prepare_reference = mremap_prepare_reference,
	.prepare_batched = mremap_prepare_batched,
	.run = mremap_run,
	.dump = mremap_dump,
};
