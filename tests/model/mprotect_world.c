// SPDX-License-Identifier: GPL-2.0
/*
 * mprotect's change_pte_range() as a call site of the random worlds
 * (world.h): a range of one VMA of the world, starting and ending anywhere
 * (mid-folio, mid-contpte-block), changes protection extent by extent as
 * change_pmd_range() calls change_pte_range(), one of:
 *
 *  - mprotect(): new VM_WRITE/VM_EXEC flags and their page protection,
 *    MM_CP_TRY_CHANGE_WRITABLE or not when the range becomes writable;
 *  - UFFDIO_WRITEPROTECT on a uffd-wp VMA: MM_CP_UFFD_WP, or
 *    MM_CP_UFFD_WP_RESOLVE (with MM_CP_TRY_CHANGE_WRITABLE or not);
 *  - NUMA hinting: MM_CP_PROT_NUMA to PAGE_NONE, the mm single- or
 *    multi-threaded.
 *
 * The VMA may be shared or private, soft-dirty tracked or not (x86), and,
 * on arm64, the CPU may need the erratum 2645198 workaround.
 *
 * The reference partition is per PTE, written from the rules
 * (world_ref_pte_batch()): mprotect_6_12_change_pte_range() calls
 * mprotect_ref_visit() at each present PTE it changes; when the PTE starts
 * a new batch, the visit records it and smears its accessed/dirty state,
 * the freedom batching has. Besides the world's state, the batched run must
 * return the same count of changed entries as 6.12's and ask the
 * mmu_gather to flush exactly the pages 6.12 asks it to flush.
 */
#include <string.h>

#include "harness.h"
#include "model/mprotect_world.h"
#include "model/mprotect.h"

enum mprotect_op {
	MPROTECT_OP_MPROTECT,
	MPROTECT_OP_UFFD_WP,
	MPROTECT_OP_UFFD_WP_RESOLVE,
	MPROTECT_OP_PROT_NUMA,
};

static const char *const mprotect_op_names[] = {
	"mprotect", "uffd-wp", "uffd-wp resolve", "prot_numa",
};

struct mprotect_plan {
	unsigned int vma;
	enum mprotect_op op;
	unsigned long start, end;
	unsigned long cp_flags;
	pgprot_t newprot;
	bool erratum;
};

#define MPROTECT_PLAN(w)	world_plan(w, struct mprotect_plan)

/* mm/mmap.c's protection_map[], for the flags a world's VMA can have */
static pgprot_t mprotect_page_prot(unsigned long flags)
{
	bool shared = flags & VM_SHARED, exec = flags & VM_EXEC;

	if (!(flags & VM_WRITE))
		return exec ? PAGE_READONLY_EXEC : PAGE_READONLY;
	if (shared)
		return exec ? PAGE_SHARED_EXEC : PAGE_SHARED;
	return exec ? PAGE_READONLY_EXEC : PAGE_COPY;
}

static void mprotect_plan(struct world *w, struct ptb_rng *rng,
			  const struct w_params *p)
{
	struct mprotect_plan *mp = MPROTECT_PLAN(w);
	struct vm_area_struct *vma;
	unsigned long pages, first, nr, flags;

	mp->vma = ptb_rng_below(rng, w->nr_vmas);
	vma = &w->vmas[mp->vma];
	pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	first = ptb_rng_below(rng, pages);
	nr = 1 + ptb_rng_below(rng, min(pages - first, 2UL * PTRS_PER_PTE));
	mp->start = vma->vm_start + first * PAGE_SIZE;
	mp->end = mp->start + nr * PAGE_SIZE;

	/* the VMA as it was: shared (file only), exec, soft-dirty tracked */
	vma->vm_flags |= VM_MAYWRITE;
	if (!vma_is_anonymous(vma) && ptb_rng_chance(rng, 30))
		vma->vm_flags |= VM_SHARED;
	if (ptb_rng_chance(rng, 20))
		vma->vm_flags |= VM_EXEC;
	if (ptb_rng_chance(rng, 50))
		vma->vm_flags |= VM_SOFTDIRTY;
	if ((vma->vm_flags & VM_UFFD_WP) && ptb_rng_chance(rng, 50))
		vma->vm_flags |= VM_PTB_UFFD_WP_UNPOPULATED;
	atomic_set(&w->mm.mm_users, 1 + ptb_rng_below(rng, 2));
	mp->erratum = ptb_rng_chance(rng, 20);

	if ((vma->vm_flags & VM_UFFD_WP) && ptb_rng_chance(rng, 60))
		mp->op = ptb_rng_chance(rng, 50) ? MPROTECT_OP_UFFD_WP :
						   MPROTECT_OP_UFFD_WP_RESOLVE;
	else
		mp->op = ptb_rng_chance(rng, 15) ? MPROTECT_OP_PROT_NUMA :
						   MPROTECT_OP_MPROTECT;

	/* the VMA as it is now, as mprotect_fixup() leaves it */
	flags = vma->vm_flags;
	switch (mp->op) {
	case MPROTECT_OP_MPROTECT:
		flags &= ~(VM_WRITE | VM_EXEC);
		if (ptb_rng_chance(rng, 60))
			flags |= VM_WRITE;
		if (ptb_rng_chance(rng, 20))
			flags |= VM_EXEC;
		break;
	case MPROTECT_OP_UFFD_WP:
		mp->cp_flags = MM_CP_UFFD_WP;
		break;
	case MPROTECT_OP_UFFD_WP_RESOLVE:
		mp->cp_flags = MM_CP_UFFD_WP_RESOLVE;
		break;
	case MPROTECT_OP_PROT_NUMA:
		mp->cp_flags = MM_CP_PROT_NUMA;
		break;
	}
	vma->vm_flags = flags;
	vma->vm_page_prot = mprotect_page_prot(flags);
	mp->newprot = mp->op == MPROTECT_OP_PROT_NUMA ? PAGE_NONE :
						       vma->vm_page_prot;
	if (mp->op != MPROTECT_OP_UFFD_WP && mp->op != MPROTECT_OP_PROT_NUMA &&
	    (flags & VM_WRITE) && ptb_rng_chance(rng, 80))
		mp->cp_flags |= MM_CP_TRY_CHANGE_WRITABLE;

	snprintf(w->summary + strlen(w->summary),
		 sizeof(w->summary) - strlen(w->summary),
		 ", %s vma %u [%#lx, %#lx) cp %#lx%s",
		 mprotect_op_names[mp->op], mp->vma, mp->start, mp->end,
		 mp->cp_flags, mp->erratum ? " erratum" : "");
}

static void mprotect_dump(const struct world *w, FILE *out)
{
	const struct mprotect_plan *mp = (const struct mprotect_plan *)w->plan;

	fprintf(out, "  mprotect: %s vma %u [%#lx, %#lx) flags %#lx cp_flags %#lx newprot %#llx%s\n",
		mprotect_op_names[mp->op], mp->vma, mp->start, mp->end,
		w->vmas[mp->vma].vm_flags, mp->cp_flags,
		(unsigned long long)pgprot_val(mp->newprot),
		mp->erratum ? " erratum-2645198" : "");
}

static struct world *mprotect_ref;
static unsigned long mprotect_ref_batch_end;

static void mprotect_ref_visit(struct vm_area_struct *vma, unsigned long addr,
			       pte_t *ptep, unsigned long end)
{
	struct world *w = mprotect_ref;
	unsigned long nr, idx;
	int f;

	if (addr < mprotect_ref_batch_end)
		return;
	ptb_cost_pause();
	nr = world_ref_pte_batch(w, addr, ptep, end);
	mprotect_ref_batch_end = addr + nr * PAGE_SIZE;
	f = world_folio_of(w, ptep_get(ptep), &idx);
	if (f >= 0)
		world_record_batch(w, vma, f, addr, nr);
	world_smear_batch(vma, addr, ptep, nr);
	ptb_cost_resume();
}

/* what the reference run returned and asked to flush */
static long mprotect_ref_pages;
static unsigned long mprotect_ref_flushed[PTB_TLB_PAGES / BITS_PER_LONG];

static void mprotect_prepare_reference(struct world *w)
{
	mprotect_ref = w;
	mprotect_ref_batch_end = 0;
	w->nr_batches = 0;
	mprotect_6_12_visit = mprotect_ref_visit;
	ptb_costs_reset();
}

static void mprotect_prepare_batched(struct world *w, const struct world *ref)
{
	mprotect_6_12_visit = NULL;
	w->nr_batches = ref->nr_batches;
	memcpy(w->batches, ref->batches,
	       ref->nr_batches * sizeof(ref->batches[0]));
	ptb_costs_reset();
}

/* change_pmd_range() at the PTE level: extents within one page table */
static void mprotect_run(struct world *w, bool batched, struct w_state *st)
{
	const struct mprotect_plan *mp = MPROTECT_PLAN(w);
	struct vm_area_struct *vma = &w->vmas[mp->vma];
	static struct mmu_gather tlb;
	unsigned long addr, next;
	long pages = 0, ret;
	unsigned int i;

	ptb_cpu_erratum_2645198 = mp->erratum;
	ptb_tlb_gather_init(&tlb, &w->mm, W_VA_BASE);
	for (addr = mp->start; addr < mp->end; addr = next) {
		next = pmd_addr_end(addr, mp->end);
		if (!ptb_pte_offset(&w->mm, addr))
			continue;
		ret = batched ?
			mprotect_batched_change_pte_range(&tlb, vma, addr, next,
							  mp->newprot,
							  mp->cp_flags) :
			mprotect_6_12_change_pte_range(&tlb, vma, addr, next,
						       mp->newprot,
						       mp->cp_flags);
		if (ret < 0) {
			snprintf(st->broken, sizeof(st->broken),
				 "change_pte_range(%#lx, %#lx) returned %ld",
				 addr, next, ret);
			goto out;
		}
		pages += ret;
	}
	if (!batched) {
		mprotect_ref_pages = pages;
		memcpy(mprotect_ref_flushed, tlb.ptb_flushed,
		       sizeof(mprotect_ref_flushed));
		goto out;
	}
	if (pages != mprotect_ref_pages) {
		snprintf(st->broken, sizeof(st->broken),
			 "change_pte_range() changed %ld entries, 6.12 %ld",
			 pages, mprotect_ref_pages);
		goto out;
	}
	for (i = 0; i < PTB_TLB_PAGES; i++) {
		bool ref = mprotect_ref_flushed[i / BITS_PER_LONG] &
			   BIT(i % BITS_PER_LONG);
		bool bat = tlb.ptb_flushed[i / BITS_PER_LONG] &
			   BIT(i % BITS_PER_LONG);

		if (ref != bat) {
			snprintf(st->broken, sizeof(st->broken),
				 "the TLB flush of %#lx: batched %s, 6.12 %s",
				 W_VA_BASE + i * PAGE_SIZE,
				 bat ? "asked" : "not asked",
				 ref ? "asked" : "not asked");
			goto out;
		}
	}
out:
	mprotect_6_12_visit = NULL;
	ptb_cpu_erratum_2645198 = false;
}

const struct w_callsite mprotect_callsite = {
	.name = "change_pte_range",
	.plan = mprotect_plan,
	.prepare_reference = mprotect_prepare_reference,
	.prepare_batched = mprotect_prepare_batched,
	.run = mprotect_run,
	.dump = mprotect_dump,
};
