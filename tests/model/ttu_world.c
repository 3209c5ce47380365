// SPDX-License-Identifier: GPL-2.0
/*
 * try_to_unmap_one() as a call site of the random worlds (world.h): the
 * TTU flags, the folio states reclaim leaves (swap-backed anonymous folios
 * in the swap cache), the failure plan, the reference batch partition, and
 * the two runs: try_to_unmap() of every folio with ttu_6_12() or
 * ttu_batched().
 *
 * The reference partition is per PTE, written from the rules, not from
 * lib/: ttu_6_12() calls ttu_ref_visit() as its walk reaches each entry;
 * when the entry starts a new batch (ttu_ref_batch(), on the reference world
 * as it is at that moment, which is what the batched path sees at the same
 * point), the visit records it, smears its accessed/dirty state and walks
 * its sub-batches (runs of equal PageAnonExclusive in a batch of a
 * swap-backed folio), arming the planned failures at the first page of the
 * chosen one and noting the same point for the batched run.
 */
#include <string.h>

#include "harness.h"
#include "model/ttu_world.h"

struct ttu_folio_plan {
	/* which sub-batch fails, or -1 */
	long dup_fail_sub;		/* swap count continuation */
	long pin_fail_excl_sub;		/* GUP pin, among exclusive ones */
	/* what the reference run armed, for the batched run */
	swp_entry_t fail_dup_entry;
	unsigned long pin_check_batched;
	long subs_seen, excl_subs_seen;
};

struct ttu_plan {
	enum ttu_flags flags;
	long unmap_one_fail_sub;	/* arch_unmap_one() failure plan */
	long subs_seen;
	unsigned long fail_unmap_one_addr;
	struct ttu_folio_plan folio[W_MAX_FOLIOS];
};

#define TTU_PLAN(w)	world_plan(w, struct ttu_plan)

static bool ttu_swaps_out(const struct folio *folio)
{
	return folio_test_anon(folio) && folio_test_swapbacked(folio);
}

static void ttu_plan(struct world *w, struct ptb_rng *rng,
		     const struct w_params *p)
{
	struct ttu_plan *tp = TTU_PLAN(w);
	unsigned int f;

	/* reclaim has added swap-backed anonymous folios to the swap cache */
	for (f = 0; f < w->nr_folios; f++)
		if (ttu_swaps_out(w->folios[f].folio))
			ptb_folio_add_to_swap_cache(w->folios[f].folio, 0);

	tp->flags = 0;
	if (ptb_rng_chance(rng, 50))
		tp->flags |= TTU_BATCH_FLUSH;
	if (ptb_rng_chance(rng, 90))
		tp->flags |= TTU_IGNORE_MLOCK;
	if (ptb_rng_chance(rng, 10))
		tp->flags |= TTU_SYNC;
	if ((p->opts & W_TTU_HWPOISON) && w->nr_folios &&
	    ptb_rng_chance(rng, 4)) {
		struct folio *folio;

		tp->flags |= TTU_HWPOISON;
		folio = w->folios[ptb_rng_below(rng, w->nr_folios)].folio;
		folio_page(folio, ptb_rng_below(rng, folio_nr_pages(folio)))
			->flags |= BIT(PG_hwpoison);
	}
	for (f = 0; f < w->nr_folios; f++) {
		struct ttu_folio_plan *fp = &tp->folio[f];

		fp->dup_fail_sub = -1;
		fp->pin_fail_excl_sub = -1;
		fp->fail_dup_entry.val = 0;
		fp->pin_check_batched = -1UL;
		fp->subs_seen = fp->excl_subs_seen = 0;
		if (!ttu_swaps_out(w->folios[f].folio))
			continue;
		/*
		 * An entry whose count is at SWAP_MAP_MAX (shared by many):
		 * its duplicate needs a count continuation, which succeeds.
		 */
		if (ptb_rng_chance(rng, 10)) {
			struct folio *folio = w->folios[f].folio;

			ptb_swap_need_cont_at(page_swap_entry(folio_page(folio,
				ptb_rng_below(rng, folio_nr_pages(folio)))));
		}
		if (!p->failures)
			continue;
		if (ptb_rng_chance(rng, 15))
			fp->dup_fail_sub = ptb_rng_below(rng, 24);
		if (ptb_rng_chance(rng, 15))
			fp->pin_fail_excl_sub = ptb_rng_below(rng, 16);
	}
	tp->subs_seen = 0;
	tp->fail_unmap_one_addr = -1UL;
	tp->unmap_one_fail_sub = -1;
	if (p->failures && ptb_rng_chance(rng, 8))
		tp->unmap_one_fail_sub = ptb_rng_below(rng, 64);
}

static void ttu_dump(const struct world *w, FILE *out)
{
	const struct ttu_plan *tp = (const struct ttu_plan *)w->plan;
	unsigned int f;

	fprintf(out, "  ttu flags %#x, arch_unmap_one() fails at sub-batch %ld\n",
		tp->flags, tp->unmap_one_fail_sub);
	for (f = 0; f < w->nr_folios; f++)
		fprintf(out, "  folio %u fails: dup at sub-batch %ld, pin at exclusive sub-batch %ld\n",
			f, tp->folio[f].dup_fail_sub,
			tp->folio[f].pin_fail_excl_sub);
}

static bool ttu_same_but_ad(pte_t a, pte_t b)
{
	return pte_same(pte_mkold(pte_mkclean(a)), pte_mkold(pte_mkclean(b)));
}

/*
 * The batch try_to_unmap_one() may take at @addr, by the rules: nothing but
 * present PTEs of large folios (anonymous or file, in any VMA, uffd-wp
 * registered or not), without TTU_HWPOISON or pte_unused(); consecutive
 * pages of the folio, equal in every bit but A/D, within the VMA, the page
 * table and the folio.
 */
static unsigned long ttu_ref_batch(enum ttu_flags flags,
				   struct vm_area_struct *vma,
				   struct folio *folio, unsigned long addr,
				   pte_t *ptep, pte_t pte)
{
	unsigned long nr = 1, max;

	if (!pte_present(pte) || (flags & TTU_HWPOISON) ||
	    !folio_test_large(folio) || pte_unused(pte))
		return 1;
	max = (min(vma->vm_end, (addr & PMD_MASK) + PMD_SIZE) - addr) >>
	      PAGE_SHIFT;
	max = min(max, folio_pfn(folio) + folio_nr_pages(folio) - pte_pfn(pte));
	while (nr < max) {
		pte_t q = ptep_get(ptep + nr);

		if (!pte_present(q) || pte_pfn(q) != pte_pfn(pte) + nr ||
		    !ttu_same_but_ad(q, pte_advance_pfn(pte, nr)))
			break;
		nr++;
	}
	return nr;
}

static void ttu_ref_sub_batches(struct world *w, unsigned int f,
				struct vm_area_struct *vma, unsigned long addr,
				pte_t *ptep, unsigned long nr)
{
	struct ttu_plan *tp = TTU_PLAN(w);
	struct ttu_folio_plan *fp = &tp->folio[f];
	struct folio *folio = w->folios[f].folio;
	unsigned long excl_pages = 0, s = 0, idx;
	pte_t first = ptep_get(ptep);

	if (!ttu_swaps_out(folio))
		return;
	world_pte_maps_folio(first, folio, &idx);
	/* discarded before the swap-out path: hwpoison, pte_unused() */
	if ((tp->flags & TTU_HWPOISON) && PageHWPoison(folio_page(folio, idx)))
		return;
	if (pte_present(first) && pte_unused(first) &&
	    !userfaultfd_armed(vma))
		return;
	while (s < nr) {
		struct page *page = folio_page(folio, idx + s);
		bool excl = PageAnonExclusive(page);
		unsigned long n = 1;

		while (s + n < nr &&
		       PageAnonExclusive(folio_page(folio, idx + s + n)) == excl)
			n++;
		if (fp->subs_seen++ == fp->dup_fail_sub) {
			fp->fail_dup_entry = page_swap_entry(page);
			ptb_swap_fail_dup_at(fp->fail_dup_entry);
		}
		if (tp->subs_seen++ == tp->unmap_one_fail_sub) {
			tp->fail_unmap_one_addr = addr + s * PAGE_SIZE;
			ptb_fail_unmap_one_addr = tp->fail_unmap_one_addr;
		}
		if (excl && fp->excl_subs_seen++ == fp->pin_fail_excl_sub) {
			/*
			 * The reference path checks once per exclusive page:
			 * the checks made so far, then this batch's exclusive
			 * pages before the sub-batch.
			 */
			folio->ptb_pin_from_check = folio->ptb_pin_checks +
						    excl_pages;
			fp->pin_check_batched = fp->pin_fail_excl_sub;
		}
		if (excl)
			excl_pages += n;
		s += n;
	}
}

static struct world *ttu_ref;
static unsigned long ttu_ref_batch_start, ttu_ref_batch_end;
static struct vm_area_struct *ttu_ref_batch_vma;

static void ttu_ref_visit(struct vm_area_struct *vma, unsigned long address,
			  pte_t *ptep)
{
	struct world *w = ttu_ref;
	unsigned long nr, idx;
	int f;

	if (vma == ttu_ref_batch_vma && address >= ttu_ref_batch_start &&
	    address < ttu_ref_batch_end)
		return;
	ptb_cost_pause();
	f = world_folio_of(w, ptep_get(ptep), &idx);
	if (f >= 0) {
		nr = ttu_ref_batch(TTU_PLAN(w)->flags, vma, w->folios[f].folio,
				   address, ptep, ptep_get(ptep));
		ttu_ref_batch_vma = vma;
		ttu_ref_batch_start = address;
		ttu_ref_batch_end = address + nr * PAGE_SIZE;
		world_record_batch(w, vma, f, address, nr);
		world_smear_batch(vma, address, ptep, nr);
		ttu_ref_sub_batches(w, f, vma, address, ptep, nr);
	}
	ptb_cost_resume();
}

static void ttu_prepare_reference(struct world *w)
{
	ttu_ref = w;
	ttu_ref_batch_vma = NULL;
	ttu_ref_batch_end = 0;
	w->nr_batches = 0;
	ttu_6_12_visit = ttu_ref_visit;
	ptb_costs_reset();
}

/*
 * Arm the failures the reference run planned, for the batched run of a
 * rebuilt world: the same swap entries and arch_unmap_one() address, and the
 * pin at the batched path's folio_maybe_dma_pinned() check for the chosen
 * exclusive sub-batch.
 */
static void ttu_prepare_batched(struct world *w, const struct world *ref)
{
	const struct ttu_plan *rp = (const struct ttu_plan *)ref->plan;
	unsigned int f;

	ttu_6_12_visit = NULL;
	for (f = 0; f < w->nr_folios; f++) {
		const struct ttu_folio_plan *rf = &rp->folio[f];

		if (rf->fail_dup_entry.val)
			ptb_swap_fail_dup_at(rf->fail_dup_entry);
		if (rf->pin_check_batched != -1UL)
			ptb_folio_pin_from_check(w->folios[f].folio,
						 rf->pin_check_batched);
	}
	ptb_fail_unmap_one_addr = rp->fail_unmap_one_addr;
	w->nr_batches = ref->nr_batches;
	memcpy(w->batches, ref->batches,
	       ref->nr_batches * sizeof(ref->batches[0]));
	ptb_costs_reset();
}

/*
 * try_to_unmap() every folio, recording the results, then flush. Every
 * accessible entry the run unmapped (none now, or another page) must have
 * been invalidated by then: synchronously, or by the deferred batch (x86:
 * one full flush; arm64: the TLBIs queued when the flush was deferred).
 */
static void ttu_run(struct world *w, bool batched, struct w_state *st)
{
	static bool accessible[W_SLOTS];
	static pte_t before[W_SLOTS];
	unsigned int f, s;

	for (s = 0; s < W_SLOTS; s++) {
		pte_t *ptep = ptb_pte_offset(&w->mm, W_VA_BASE + s * PAGE_SIZE);

		before[s] = ptep ? ptep_get(ptep) : __pte(0);
		accessible[s] = ptep && pte_present(before[s]) &&
				pte_accessible(&w->mm, before[s]);
	}
	ptb_flush_cover_reset(W_VA_BASE);
	for (f = 0; f < w->nr_folios; f++)
		st->result[f] = ptb_try_to_unmap(w->folios[f].folio, w->vmas,
						 w->nr_vmas, TTU_PLAN(w)->flags,
						 batched ? ttu_batched :
						 ttu_6_12);
	try_to_unmap_flush();
	ttu_6_12_visit = NULL;
	for (s = 0; s < W_SLOTS; s++) {
		unsigned long addr = W_VA_BASE + s * PAGE_SIZE;
		pte_t *ptep = ptb_pte_offset(&w->mm, addr);
		pte_t now = ptep ? ptep_get(ptep) : __pte(0);

		if (!accessible[s] || ptb_flush_covered(addr) ||
		    (pte_present(now) && pte_pfn(now) == pte_pfn(before[s])))
			continue;
		snprintf(st->broken, sizeof(st->broken),
			 "%s: the entry at %#lx was unmapped but never flushed (flags %#x)",
			 batched ? "batched" : "6.12", addr, TTU_PLAN(w)->flags);
		return;
	}
}

const struct w_callsite ttu_callsite = {
	.name = "try_to_unmap_one",
	.plan = ttu_plan,
	.prepare_reference = ttu_prepare_reference,
	.prepare_batched = ttu_prepare_batched,
	.run = ttu_run,
	.dump = ttu_dump,
};
