// SPDX-License-Identifier: GPL-2.0
/*
 * Random worlds, state comparison and the equivalence round, for any call
 * site. See world.h for the oracle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "model/world.h"

/* A PTE as the world wants it, before it is written. */
struct w_spec {
	bool mapped;
	bool devexcl;		/* a device-exclusive entry instead */
	bool write;
	bool dirty;
	bool young;
	bool soft_dirty;
	bool uffd_wp;
	bool exec;
	bool protnone;
	bool unused;
	bool exclusive;		/* PageAnonExclusive of the page */
};

static const void *w_file_ops = &w_file_ops;

static pte_t w_make_pte(unsigned long pfn, const struct w_spec *s)
{
	const struct ptb_pte_bits bits = {
		.write = s->write, .dirty = s->dirty, .young = s->young,
		.soft_dirty = s->soft_dirty, .uffd_wp = s->uffd_wp,
		.exec = s->exec, .protnone = s->protnone,
	};
	pte_t pte = ptb_mk_pte(pfn, &bits);

	if (s->unused)
		pte = __pte(pte_val(pte) | PTB_PTE_UNUSED_BIT);
	return pte;
}

static pte_t w_make_devexcl(unsigned long pfn, const struct w_spec *s)
{
	swp_entry_t entry = s->write ?
		make_writable_device_exclusive_entry(pfn) :
		make_readable_device_exclusive_entry(pfn);
	pte_t pte = swp_entry_to_pte(entry);

	if (s->soft_dirty)
		pte = pte_swp_mksoft_dirty(pte);
	if (s->uffd_wp)
		pte = pte_swp_mkuffd_wp(pte);
	return pte;
}

struct vm_area_struct *world_vma_of(struct world *w, unsigned long addr,
				    unsigned int *idx)
{
	unsigned int i;

	for (i = 0; i < w->nr_vmas; i++) {
		if (addr >= w->vmas[i].vm_start && addr < w->vmas[i].vm_end) {
			if (idx)
				*idx = i;
			return &w->vmas[i];
		}
	}
	return NULL;
}

/* Address of page @i of folio @wf under the world's linear pgoff mapping. */
static unsigned long w_page_addr(struct world *w, struct folio *folio,
				 unsigned long i)
{
	/* all VMAs share vm_pgoff - (vm_start >> PAGE_SHIFT) */
	const struct vm_area_struct *v = &w->vmas[0];

	return v->vm_start + ((folio->index + i - v->vm_pgoff) << PAGE_SHIFT);
}

bool world_pte_maps_folio(pte_t pte, struct folio *folio, unsigned long *idx)
{
	unsigned long pfn;

	if (pte_present(pte)) {
		pfn = pte_pfn(pte);
	} else if (is_swap_pte(pte) &&
		   is_device_exclusive_entry(pte_to_swp_entry(pte))) {
		pfn = swp_offset_pfn(pte_to_swp_entry(pte));
	} else {
		return false;
	}
	if (pfn - folio_pfn(folio) >= (unsigned long)folio_nr_pages(folio))
		return false;
	if (idx)
		*idx = pfn - folio_pfn(folio);
	return true;
}

static void w_place_vmas(struct world *w, struct ptb_rng *rng)
{
	unsigned long start = W_VA_BASE + ptb_rng_below(rng, 64) * PAGE_SIZE;
	unsigned long end = W_VA_BASE + W_BUILD_SLOTS * PAGE_SIZE -
			    ptb_rng_below(rng, 64) * PAGE_SIZE;
	unsigned long delta = ptb_rng_chance(rng, 60) ? 0 :
			      ptb_rng_below(rng, 512);
	bool file = ptb_rng_chance(rng, 25);
	unsigned long cuts[W_BUILD_MAX_VMAS + 1];
	unsigned int i;

	w->nr_vmas = 1 + ptb_rng_below(rng, W_BUILD_MAX_VMAS);
	cuts[0] = start;
	cuts[w->nr_vmas] = end;
	for (i = 1; i < w->nr_vmas; i++) {
		unsigned long lo = cuts[i - 1] + PAGE_SIZE;
		unsigned long room = (end - lo) / PAGE_SIZE;

		/* leave room for the remaining VMAs */
		room = room > (w->nr_vmas - i) ? room - (w->nr_vmas - i) : 1;
		cuts[i] = lo + ptb_rng_below(rng, room) * PAGE_SIZE;
	}
	for (i = 0; i < w->nr_vmas; i++) {
		struct vm_area_struct *vma = &w->vmas[i];

		vma->vm_start = cuts[i];
		vma->vm_end = cuts[i + 1];
		vma->vm_mm = &w->mm;
		vma->vm_pgoff = (vma->vm_start >> PAGE_SHIFT) + delta;
		vma->vm_ops = file ? w_file_ops : NULL;
		vma->vm_flags = VM_READ | VM_WRITE;
		if (ptb_rng_chance(rng, 10))
			vma->vm_flags |= VM_UFFD_WP;
		if (ptb_rng_chance(rng, 5))
			vma->vm_flags |= VM_LOCKED;
		if (!file && ptb_rng_chance(rng, 4))
			vma->vm_flags |= VM_DROPPABLE;
	}
}

static unsigned int w_pick_order(struct ptb_rng *rng)
{
	static const unsigned int orders[] = {
		0, 0, 2, 2, 3, 3, 4, 4, 4, 4, 5, 5, 6, 9,
	};

	return orders[ptb_rng_below(rng, ARRAY_SIZE(orders))];
}

static void w_random_spec(struct ptb_rng *rng, struct w_spec *base,
			  bool anon, bool uffd_vma)
{
	memset(base, 0, sizeof(*base));
	base->mapped = true;
	base->exclusive = anon && ptb_rng_chance(rng, 70);
	base->write = base->exclusive && ptb_rng_chance(rng, 60);
	base->dirty = ptb_rng_chance(rng, 30);
	base->young = ptb_rng_chance(rng, 60);
	base->soft_dirty = ptb_rng_chance(rng, 50);
	base->uffd_wp = uffd_vma && ptb_rng_chance(rng, 50);
	base->exec = ptb_rng_chance(rng, 15);
	base->protnone = ptb_rng_chance(rng, 5);
	if (base->uffd_wp || base->protnone)
		base->write = false;
}

static void w_vary_spec(struct ptb_rng *rng, const struct w_spec *base,
			struct w_spec *s, bool anon, bool uffd_vma,
			bool unused_world, bool devexcl_ok)
{
	*s = *base;
	if (anon && ptb_rng_chance(rng, 12))
		s->exclusive = !s->exclusive;
	if (ptb_rng_chance(rng, 4))
		s->write = !s->write;
	if (ptb_rng_chance(rng, 25))
		s->dirty = !s->dirty;
	if (ptb_rng_chance(rng, 25))
		s->young = !s->young;
	if (ptb_rng_chance(rng, 6))
		s->soft_dirty = !s->soft_dirty;
	if (uffd_vma && ptb_rng_chance(rng, 8))
		s->uffd_wp = !s->uffd_wp;
	if (ptb_rng_chance(rng, 2))
		s->exec = !s->exec;
	if (unused_world && ptb_rng_chance(rng, 5))
		s->unused = true;
	/* writable anon implies exclusive; uffd-wp and protnone imply r/o */
	if (!s->exclusive && anon)
		s->write = false;
	if (!anon)
		s->write = false;
	if (s->uffd_wp || s->protnone)
		s->write = false;
	s->devexcl = devexcl_ok && ptb_rng_chance(rng, 3);
}

/* Write one folio's PTEs like faults and later changes would. */
static void w_write_folio(struct world *w, struct ptb_rng *rng,
			  struct folio *folio, const struct w_spec *specs,
			  const struct w_spec *base)
{
	unsigned long nr = folio_nr_pages(folio), i;
	bool bulk = ptb_rng_chance(rng, 50);

	if (bulk) {
		/* set_ptes() over runs that stay in one table and one VMA */
		i = 0;
		while (i < nr) {
			unsigned long addr = w_page_addr(w, folio, i), n = 1;
			unsigned int vi;

			if (!specs[i].mapped || specs[i].devexcl ||
			    !world_vma_of(w, addr, &vi)) {
				i++;
				continue;
			}
			while (i + n < nr && specs[i + n].mapped &&
			       !specs[i + n].devexcl &&
			       world_vma_of(w, addr + n * PAGE_SIZE, NULL) ==
			       &w->vmas[vi] &&
			       pte_index(addr + n * PAGE_SIZE) != 0)
				n++;
			set_ptes(&w->mm, addr, ptb_pte_slot(&w->mm, addr, true),
				 w_make_pte(folio_pfn(folio) + i, base), n);
			i += n;
		}
	}
	for (i = 0; i < nr; i++) {
		unsigned long addr = w_page_addr(w, folio, i);
		pte_t *ptep;
		pte_t pte;

		if (!specs[i].mapped || !world_vma_of(w, addr, NULL))
			continue;
		ptep = ptb_pte_slot(&w->mm, addr, true);
		if (specs[i].devexcl)
			pte = w_make_devexcl(folio_pfn(folio) + i, &specs[i]);
		else
			pte = w_make_pte(folio_pfn(folio) + i, &specs[i]);
		if (bulk && !specs[i].devexcl &&
		    !memcmp(&specs[i], base, sizeof(*base)))
			continue;
		if (bulk && !pte_none(ptep_get(ptep)))
			pte_clear(&w->mm, addr, ptep);
		set_pte_at(&w->mm, addr, ptep, pte);
	}
	/* The MMU sets accessed and dirty bits on its own. */
	for (i = 0; i < nr; i++) {
		unsigned long addr = w_page_addr(w, folio, i);
		pte_t *ptep;

		if (!specs[i].mapped || specs[i].devexcl ||
		    !world_vma_of(w, addr, NULL) || !ptb_rng_chance(rng, 20))
			continue;
		ptep = ptb_pte_slot(&w->mm, addr, false);
		ptb_hw_access(ptep, ptb_rng_chance(rng, 50));
	}
}

/* Account a PTE mapping page @idx of @folio in @vma as the fault path did. */
static void w_account_mapping(struct world *w, struct folio *folio,
			      unsigned long idx, struct vm_area_struct *vma)
{
	folio_add_rmap_ptes(folio, folio_page(folio, idx), 1, vma);
	folio_get(folio);
	inc_mm_counter(&w->mm, mm_counter(folio));
}

static bool w_place_folio(struct world *w, struct ptb_rng *rng,
			  const struct w_params *p, unsigned long *next_pfn,
			  unsigned char *used)
{
	const struct vm_area_struct *v0 = &w->vmas[0];
	bool file_vmas = v0->vm_ops != NULL;
	unsigned int order = w_pick_order(rng), try;
	unsigned long nr = 1UL << order, i, pfn;
	struct w_spec base, specs[HPAGE_PMD_NR];
	bool unused_world = ptb_pte_unused_mask != 0;
	struct w_folio *wf = &w->folios[w->nr_folios];
	unsigned long flags = BIT(PG_locked);
	bool lazyfree = false, ksm;
	long first_slot = 0;
	struct folio *folio;
	pgoff_t index = 0;
	bool anon, uffd;

	for (try = 0; try < 8; try++) {
		unsigned long span = W_BUILD_SLOTS + 2 * nr;
		long slot;

		/* index aligned to the folio size, VA wherever delta puts it */
		index = ALIGN(v0->vm_pgoff - nr +
			      ptb_rng_below(rng, span), nr);
		slot = (long)(index - v0->vm_pgoff) +
		       (long)((v0->vm_start - W_VA_BASE) >> PAGE_SHIFT);
		if (slot + (long)nr <= 0 || slot >= W_BUILD_SLOTS)
			continue;
		for (i = 0; i < nr; i++) {
			long s = slot + (long)i;

			if (s >= 0 && s < W_BUILD_SLOTS && used[s])
				break;
		}
		if (i == nr) {
			first_slot = slot;
			break;
		}
	}
	if (try == 8)
		return false;

	pfn = ALIGN(*next_pfn + ptb_rng_below(rng, 4) * nr, nr);
	if (pfn + nr > W_BASE_PFN + W_MEMMAP_PAGES)
		return false;
	*next_pfn = pfn + nr;

	/* file VMAs: file folios and COWed anon ones; else some MADV_FREE'd */
	if (file_vmas) {
		anon = !ptb_rng_chance(rng, 60);
	} else {
		anon = true;
		lazyfree = !ptb_rng_chance(rng, 60);
	}
	/* KSM merged a small anonymous page with others: shared, read-only */
	ksm = p->special_pages && anon && !lazyfree && !order &&
	      ptb_rng_chance(rng, 20);
	if (anon)
		flags |= BIT(PG_anon);
	if (ksm)
		flags |= BIT(PG_ksm);
	/* swap-backed: anonymous but not MADV_FREE'd, and shmem file folios */
	if ((anon && !lazyfree) || (!anon && ptb_rng_chance(rng, 40)))
		flags |= BIT(PG_swapbacked);
	if (ptb_rng_chance(rng, lazyfree ? 20 : 50))
		flags |= BIT(PG_dirty);
	folio = ptb_folio_create(pfn, order, flags, index);
	wf->folio = folio;
	wf->order = order;

	/* Which pages are mapped: holes from MADV_DONTNEED and friends. */
	uffd = false;
	for (i = 0; i < w->nr_vmas; i++)
		uffd |= userfaultfd_wp(&w->vmas[i]);
	w_random_spec(rng, &base, anon, uffd);
	for (i = 0; i < nr; i++)
		w_vary_spec(rng, &base, &specs[i], anon, uffd, unused_world,
			    anon && ptb_rng_chance(rng, 30));
	if (ksm) {
		base.exclusive = specs[0].exclusive = false;
		base.write = specs[0].write = false;
		specs[0].devexcl = false;
	}
	/*
	 * Blocks of W_UNIFORM_BLOCK pages of one spec each, as after a change
	 * of part of a folio (mprotect, COW): arm64 folds such a block into a
	 * contpte block, and batches start there and run into the next.
	 */
	if (nr >= 2 * W_UNIFORM_BLOCK && p->uniform_blocks &&
	    ptb_rng_chance(rng, p->uniform_blocks)) {
		for (i = 0; i < nr; i++)
			if (i % W_UNIFORM_BLOCK)
				specs[i] = specs[i - i % W_UNIFORM_BLOCK];
	}
	if (nr > 1 && ptb_rng_chance(rng, 25)) {
		unsigned long a = ptb_rng_below(rng, nr);
		unsigned long b = a + 1 + ptb_rng_below(rng, nr - a);

		for (i = a; i < b; i++)
			specs[i].mapped = false;
	}
	for (i = 0; i < nr; i++) {
		long s = first_slot + (long)i;

		if (ptb_rng_chance(rng, 3))
			specs[i].mapped = false;
		if (s >= 0 && s < W_BUILD_SLOTS)
			used[s] = 1;
		if (specs[i].exclusive)
			SetPageAnonExclusive(folio_page(folio, i));
	}

	w_write_folio(w, rng, folio, specs, &base);

	/* Account the mappings as the fault path did. */
	for (i = 0; i < nr; i++) {
		unsigned long addr = w_page_addr(w, folio, i);
		struct vm_area_struct *vma = world_vma_of(w, addr, NULL);

		if (!specs[i].mapped || !vma)
			continue;
		w_account_mapping(w, folio, i, vma);
	}
	if (ptb_rng_chance(rng, 12))
		folio_get(folio);	/* a GUP or speculative reference */
	w->nr_folios++;
	return true;
}

/* The zero page, mapped read-only by a read fault in an anonymous VMA. */
static pte_t w_make_zero_pte(struct ptb_rng *rng, struct vm_area_struct *vma)
{
	const struct ptb_pte_bits bits = {
		.young = ptb_rng_chance(rng, 60),
		.soft_dirty = ptb_rng_chance(rng, 50),
		.uffd_wp = userfaultfd_wp(vma) && ptb_rng_chance(rng, 50),
	};

	return pte_mkspecial(ptb_mk_pte(0, &bits));
}

/*
 * A KSM folio of the world (or -1), to map a second time: KSM merges equal
 * pages of one mm too.
 */
static int w_pick_ksm_folio(struct world *w, struct ptb_rng *rng)
{
	unsigned int f = ptb_rng_below(rng, w->nr_folios), i;

	for (i = 0; i < w->nr_folios; i++, f = (f + 1) % w->nr_folios)
		if (folio_test_ksm(w->folios[f].folio))
			return f;
	return -1;
}

/*
 * Other entries in the range: foreign swap entries and uffd-wp markers;
 * with special pages, the zero page and second mappings of KSM folios in
 * anonymous VMAs.
 */
static void w_add_foreign_entries(struct world *w, struct ptb_rng *rng,
				  const struct w_params *p)
{
	unsigned long s;

	for (s = 0; s < W_BUILD_SLOTS; s++) {
		unsigned long addr = W_VA_BASE + s * PAGE_SIZE;
		struct vm_area_struct *vma = world_vma_of(w, addr, NULL);
		pte_t *ptep;
		pte_t pte;

		if (!vma || !ptb_rng_chance(rng, 4))
			continue;
		ptep = ptb_pte_slot(&w->mm, addr, true);
		if (!pte_none(ptep_get(ptep)))
			continue;
		if (p->special_pages && vma_is_anonymous(vma) &&
		    ptb_rng_chance(rng, 40)) {
			int f = w_pick_ksm_folio(w, rng);
			struct ptb_pte_bits bits = { 0 };
			struct folio *folio;

			if (f < 0 || ptb_rng_chance(rng, 50)) {
				set_pte_at(&w->mm, addr, ptep,
					   w_make_zero_pte(rng, vma));
				continue;
			}
			folio = w->folios[f].folio;
			bits.young = ptb_rng_chance(rng, 60);
			bits.soft_dirty = ptb_rng_chance(rng, 50);
			set_pte_at(&w->mm, addr, ptep,
				   ptb_mk_pte(folio_pfn(folio), &bits));
			w_account_mapping(w, folio, 0, vma);
			continue;
		}
		if (userfaultfd_wp(vma) && !vma_is_anonymous(vma) &&
		    ptb_rng_chance(rng, 50)) {
			pte = make_pte_marker(PTE_MARKER_UFFD_WP);
		} else {
			pte = swp_entry_to_pte(swp_entry(1,
					1 + ptb_rng_below(rng, 60000)));
			if (ptb_rng_chance(rng, 50))
				pte = pte_swp_mkexclusive(pte);
			if (ptb_rng_chance(rng, 30))
				pte = pte_swp_mksoft_dirty(pte);
		}
		set_pte_at(&w->mm, addr, ptep, pte);
	}
}

void world_build(struct world *w, const struct w_callsite *cs, u64 seed,
		 const struct w_params *p)
{
	unsigned char used[W_BUILD_SLOTS] = { 0 };
	unsigned long next_pfn = W_BASE_PFN;
	struct ptb_rng rng;
	unsigned int want, f;

	memset(w, 0, sizeof(*w));
	w->seed = seed;
	w->cs = cs;
	ptb_rng_init(&rng, seed);
	ptb_model_reset();
	ptb_memmap_init(W_BASE_PFN, W_MEMMAP_PAGES);
	ptb_mm_init(&w->mm);
	if (ptb_rng_chance(&rng, 5) && !p->no_pte_unused)
		ptb_pte_unused_mask = PTB_PTE_UNUSED_BIT;

	w_place_vmas(w, &rng);
	want = 1 + ptb_rng_below(&rng, W_MAX_FOLIOS);
	while (w->nr_folios < want)
		if (!w_place_folio(w, &rng, p, &next_pfn, used))
			break;
	w_add_foreign_entries(w, &rng, p);
	for (f = 0; f < w->nr_folios; f++)
		ptb_folio_pin_from_check(w->folios[f].folio, -1UL);
	snprintf(w->summary, sizeof(w->summary),
		 "seed %#llx: %u vmas, %u folios", (unsigned long long)seed,
		 w->nr_vmas, w->nr_folios);
	cs->plan(w, &rng, p);
	ptb_costs_reset();
}

static const char *w_folio_kind(const struct folio *folio)
{
	if (!folio_test_anon(folio))
		return folio_test_swapbacked(folio) ? "shmem" : "file";
	if (folio_test_ksm(folio))
		return "ksm";
	return folio_test_swapbacked(folio) ? "anon" : "lazyfree";
}

void world_dump(struct world *w, FILE *out)
{
	unsigned int i;

	fprintf(out, "%s (%s)\n", w->summary, w->cs->name);
	for (i = 0; i < w->nr_vmas; i++)
		fprintf(out, "  vma %u: [%#lx, %#lx) pgoff %#lx flags %#lx%s\n",
			i, w->vmas[i].vm_start, w->vmas[i].vm_end,
			w->vmas[i].vm_pgoff, w->vmas[i].vm_flags,
			w->vmas[i].vm_ops ? " file" : "");
	for (i = 0; i < w->nr_folios; i++) {
		struct w_folio *wf = &w->folios[i];

		fprintf(out, "  folio %u: %s order %u pfn %#lx va %#lx swap %#lx flags %#lx refs %d map %d\n",
			i, w_folio_kind(wf->folio), wf->order,
			folio_pfn(wf->folio), w_page_addr(w, wf->folio, 0),
			wf->folio->swap.val, wf->folio->flags,
			folio_ref_count(wf->folio), folio_mapcount(wf->folio));
	}
	w->cs->dump(w, out);
	for (i = 0; i < w->nr_batches; i++)
		fprintf(out, "  batch %u: vma %u folio %u addr %#lx nr %lu\n", i,
			w->batches[i].vma, w->batches[i].folio,
			w->batches[i].addr, w->batches[i].nr);
}

void world_destroy(struct world *w)
{
	unsigned int f;

	for (f = 0; f < w->nr_folios; f++)
		ptb_folio_free(w->folios[f].folio);
	ptb_mm_destroy(&w->mm);
}

/* ----- for call sites: the reference run's view of batches ----- */

int world_folio_of(struct world *w, pte_t pte, unsigned long *idx)
{
	unsigned int f;

	for (f = 0; f < w->nr_folios; f++)
		if (world_pte_maps_folio(pte, w->folios[f].folio, idx))
			return f;
	return -1;
}

static bool world_same_but_ad(pte_t a, pte_t b)
{
	return pte_same(pte_mkold(pte_mkclean(a)), pte_mkold(pte_mkclean(b)));
}

unsigned long world_ref_pte_batch(struct world *w, unsigned long addr,
				  pte_t *ptep, unsigned long end)
{
	pte_t pte = ptep_get(ptep);
	unsigned long nr = 1, max, idx;
	struct folio *folio;
	int f;

	if (!pte_present(pte) || pte_batch_hint(ptep, pte) == 1)
		return 1;
	f = world_folio_of(w, pte, &idx);
	if (f < 0)
		return 1;
	folio = w->folios[f].folio;
	if (!folio_test_large(folio))
		return 1;
	max = min((end - addr) >> PAGE_SHIFT,
		  (unsigned long)folio_nr_pages(folio) - idx);
	while (nr < max) {
		pte_t q = ptep_get(ptep + nr);

		if (!pte_present(q) || pte_pfn(q) != pte_pfn(pte) + nr ||
		    !world_same_but_ad(q, pte_advance_pfn(pte, nr)))
			break;
		nr++;
	}
	return nr;
}

void world_record_batch(struct world *w, struct vm_area_struct *vma,
			unsigned int folio, unsigned long addr,
			unsigned long nr)
{
	struct w_batch *b;

	if (w->nr_batches == W_MAX_BATCHES)
		return;
	b = &w->batches[w->nr_batches++];
	b->vma = vma - w->vmas;
	b->folio = folio;
	b->addr = addr;
	b->nr = nr;
}

void world_smear_batch(struct vm_area_struct *vma, unsigned long addr,
		       pte_t *ptep, unsigned long nr)
{
	unsigned long j;
	pte_t first, merged;

	if (nr < 2)
		return;
	ptb_cost_pause();
	/* No contpte block may straddle the batch's edges. */
	ptb_unfold(vma->vm_mm, addr, ptep);
	ptb_unfold(vma->vm_mm, addr + (nr - 1) * PAGE_SIZE, ptep + nr - 1);
	/*
	 * Each entry's own bits, as get_and_clear_ptes() gathers them: a
	 * contpte block inside the batch stays folded, and ptep_get() would
	 * give every entry of it the whole block's accessed and dirty bits.
	 */
	first = ptb_pte_raw(ptep);
	merged = first;
	for (j = 1; j < nr; j++) {
		pte_t q = ptb_pte_raw(ptep + j);

		if (pte_dirty(q))
			merged = pte_mkdirty(merged);
		if (pte_young(q))
			merged = pte_mkyoung(merged);
	}
	/* the batch agrees on soft-dirty: keep the first entry's */
	if (!pte_soft_dirty(first))
		merged = pte_clear_soft_dirty(merged);
	for (j = 0; j < nr; j++)
		ptb_set_logical(ptep + j, pte_advance_pfn(merged, j));
	ptb_cost_resume();
}

/* ----- the round: reference run, batched run, comparison ----- */

bool world_round(struct w_round *r, u64 seed, char *why, size_t len)
{
	struct world *w = &r->world;
	char inner[400];

	if (r->before_build)
		r->before_build(r->arg);
	world_build(w, r->cs, seed, &r->params);
	r->cs->prepare_reference(w);
	r->ref_state.broken[0] = 0;
	r->cs->run(w, false, &r->ref_state);
	if (r->ref_state.broken[0]) {
		snprintf(why, len, "6.12 path: %s", r->ref_state.broken);
		return false;
	}
	world_snapshot(w, &r->ref_state);
	if (!world_check_invariants(w, inner, sizeof(inner))) {
		snprintf(why, len, "6.12 path broke an invariant: %s", inner);
		return false;
	}
	world_destroy(w);
	r->ref_world = *w;

	if (r->before_build)
		r->before_build(r->arg);
	world_build(w, r->cs, seed, &r->params);
	r->cs->prepare_batched(w, &r->ref_world);
	r->bat_state.broken[0] = 0;
	r->cs->run(w, true, &r->bat_state);
	if (r->bat_state.broken[0]) {
		snprintf(why, len, "batched path: %s", r->bat_state.broken);
		return false;
	}
	world_snapshot(w, &r->bat_state);
	if (!world_check_invariants(w, inner, sizeof(inner))) {
		snprintf(why, len, "batched path broke an invariant: %s", inner);
		return false;
	}
	if (!world_state_equal(w, &r->ref_state, &r->bat_state, inner,
			       sizeof(inner))) {
		snprintf(why, len, "batched != 6.12: %s", inner);
		return false;
	}
	world_destroy(w);
	return true;
}

void world_snapshot(struct world *w, struct w_state *st)
{
	unsigned int f, s;
	long i;

	ptb_cost_pause();
	for (s = 0; s < W_SLOTS; s++) {
		pte_t *ptep = ptb_pte_offset(&w->mm, W_VA_BASE + s * PAGE_SIZE);

		pte_t pte = ptep ? ptep_get(ptep) : __pte(0);

		st->pte[s] = ptb_pte_strip_impl(pte);
		st->cont[s] = ptb_pte_cont(pte);
	}
	for (i = 0; i < NR_MM_COUNTERS; i++)
		st->rss[i] = get_mm_counter(&w->mm, i);
	st->on_mmlist = !list_empty(&w->mm.mmlist);
	for (f = 0; f < w->nr_folios; f++) {
		struct folio *folio = w->folios[f].folio;

		st->refcount[f] = folio_ref_count(folio);
		st->mapcount[f] = folio_mapcount(folio);
		st->folio_flags[f] = folio->flags;
		for (i = 0; i < folio_nr_pages(folio); i++) {
			struct page *page = folio_page(folio, i);

			st->page_mapcount[f][i] = atomic_read(&page->_mapcount);
			st->page_exclusive[f][i] = PageAnonExclusive(page);
			if (folio_test_swapcache(folio)) {
				swp_entry_t e = page_swap_entry(page);

				st->swap_count[f][i] = ptb_swap_count(e);
				st->swap_cache[f][i] = ptb_swap_has_cache(e);
			}
		}
	}
	ptb_cost_resume();
}

static const char *const w_rss_names[] = {
	"MM_FILEPAGES", "MM_ANONPAGES", "MM_SWAPENTS", "MM_SHMEMPAGES",
};

/* young and dirty of the present entries of @st's block of slot @s */
static void w_block_ad(const struct w_state *st, unsigned int s, bool *young,
		       bool *dirty)
{
	unsigned int b = s - s % PTB_CONT_PTES, i;

	*young = *dirty = false;
	for (i = b; i < b + PTB_CONT_PTES; i++) {
		if (!pte_present(st->pte[i]))
			continue;
		*young |= !!pte_young(st->pte[i]);
		*dirty |= !!pte_dirty(st->pte[i]);
	}
}

/*
 * Slot @s is in a contpte block on one side: the entries agree but for
 * accessed and dirty, which agree over the block (what ptep_get() of the
 * folded side reports for each of them).
 */
static bool w_same_in_block(const struct w_state *ref,
			    const struct w_state *bat, unsigned int s)
{
	unsigned int b = s - s % PTB_CONT_PTES, i;
	bool ry, rd, by, bd, cont = false;

	for (i = b; i < b + PTB_CONT_PTES; i++)
		cont |= ref->cont[i] || bat->cont[i];
	if (!cont || !pte_present(ref->pte[s]) || !pte_present(bat->pte[s]))
		return false;
	if (!pte_same(pte_mkold(pte_mkclean(ref->pte[s])),
		      pte_mkold(pte_mkclean(bat->pte[s]))))
		return false;
	w_block_ad(ref, s, &ry, &rd);
	w_block_ad(bat, s, &by, &bd);
	return ry == by && rd == bd;
}

bool world_state_equal(const struct world *w, const struct w_state *ref,
		       const struct w_state *bat, char *why, size_t len)
{
	unsigned int f, s;
	long i;

	for (s = 0; s < W_SLOTS; s++) {
		if (pte_same(ptb_pte_dirty_canon(ref->pte[s]),
			     ptb_pte_dirty_canon(bat->pte[s])) ||
		    w_same_in_block(ref, bat, s))
			continue;
		snprintf(why, len, "%s: PTE at %#lx: 6.12 %#llx, batched %#llx",
			 w->summary, W_VA_BASE + s * PAGE_SIZE,
			 (unsigned long long)pte_val(ref->pte[s]),
			 (unsigned long long)pte_val(bat->pte[s]));
		return false;
	}
	for (i = 0; i < NR_MM_COUNTERS; i++) {
		if (ref->rss[i] != bat->rss[i]) {
			snprintf(why, len, "%s: %s: 6.12 %ld, batched %ld",
				 w->summary, w_rss_names[i], ref->rss[i],
				 bat->rss[i]);
			return false;
		}
	}
	if (ref->on_mmlist != bat->on_mmlist) {
		snprintf(why, len, "%s: mm on swapoff list: 6.12 %d, batched %d",
			 w->summary, ref->on_mmlist, bat->on_mmlist);
		return false;
	}
	for (f = 0; f < w->nr_folios; f++) {
		const struct folio *folio = w->folios[f].folio;

#define W_CMP(field, what)						\
		if (ref->field != bat->field) {				\
			snprintf(why, len, "%s: folio %u (pfn %#lx, order %u): " \
				 what ": 6.12 %ld, batched %ld", w->summary, f, \
				 folio_pfn(folio), w->folios[f].order,	\
				 (long)ref->field, (long)bat->field);	\
			return false;					\
		}
		W_CMP(result[f], "result");
		W_CMP(refcount[f], "refcount");
		W_CMP(mapcount[f], "mapcount");
		W_CMP(folio_flags[f], "flags");
		for (i = 0; i < folio_nr_pages(folio); i++) {
			W_CMP(page_mapcount[f][i], "page mapcount");
			W_CMP(page_exclusive[f][i], "PageAnonExclusive");
			W_CMP(swap_count[f][i], "swap count");
			W_CMP(swap_cache[f][i], "swap cache flag");
		}
#undef W_CMP
	}
	return true;
}

bool world_check_invariants(struct world *w, char *why, size_t len)
{
	long rss[NR_MM_COUNTERS] = { 0 };
	unsigned int f, s;
	long i;

	ptb_cost_pause();
	for (f = 0; f < w->nr_folios; f++) {
		struct folio *folio = w->folios[f].folio;
		long nr = folio_nr_pages(folio);
		int maps[HPAGE_PMD_NR] = { 0 };
		int swaps[HPAGE_PMD_NR] = { 0 };
		int total = 0;

		for (s = 0; s < W_SLOTS; s++) {
			unsigned long addr = W_VA_BASE + s * PAGE_SIZE;
			pte_t *ptep = ptb_pte_offset(&w->mm, addr);
			unsigned long idx;
			pte_t pte;

			if (!ptep)
				continue;
			pte = ptep_get(ptep);
			if (world_pte_maps_folio(pte, folio, &idx)) {
				maps[idx]++;
				total++;
			} else if (folio_test_swapcache(folio) &&
				   is_swap_pte(pte) &&
				   !non_swap_entry(pte_to_swp_entry(pte))) {
				swp_entry_t e = pte_to_swp_entry(pte);

				idx = e.val - folio->swap.val;
				if (idx < (unsigned long)nr)
					swaps[idx]++;
			}
		}
		for (i = 0; i < nr; i++) {
			struct page *page = folio_page(folio, i);

			if (atomic_read(&page->_mapcount) + 1 != maps[i]) {
				snprintf(why, len, "%s: folio %u page %ld: mapcount %d but %d mapping entries",
					 w->summary, f, i,
					 atomic_read(&page->_mapcount) + 1,
					 maps[i]);
				goto fail;
			}
			if (folio_test_swapcache(folio) &&
			    ptb_swap_count(page_swap_entry(page)) != swaps[i]) {
				snprintf(why, len, "%s: folio %u page %ld: swap count %d but %d swap PTEs",
					 w->summary, f, i,
					 ptb_swap_count(page_swap_entry(page)),
					 swaps[i]);
				goto fail;
			}
		}
		if (folio_mapcount(folio) != total) {
			snprintf(why, len, "%s: folio %u: mapcount %d but %d mapping entries",
				 w->summary, f, folio_mapcount(folio), total);
			goto fail;
		}
		/* 1 (ours) + mappings + possibly one extra reference */
		if (folio_ref_count(folio) - 1 - total < 0 ||
		    folio_ref_count(folio) - 1 - total > 1) {
			snprintf(why, len, "%s: folio %u: refcount %d with %d mappings",
				 w->summary, f, folio_ref_count(folio), total);
			goto fail;
		}
		rss[mm_counter(folio)] += total;
		for (i = 0; i < nr; i++)
			rss[MM_SWAPENTS] += swaps[i];
	}
	for (i = 0; i < NR_MM_COUNTERS; i++) {
		if (i != MM_SWAPENTS &&
		    (long)get_mm_counter(&w->mm, i) != rss[i]) {
			snprintf(why, len, "%s: %s is %ld but %ld pages are mapped",
				 w->summary, w_rss_names[i],
				 (long)get_mm_counter(&w->mm, i), rss[i]);
			goto fail;
		}
	}
	if ((long)get_mm_counter(&w->mm, MM_SWAPENTS) != rss[MM_SWAPENTS]) {
		snprintf(why, len, "%s: MM_SWAPENTS is %ld but %ld swap PTEs of these folios",
			 w->summary, (long)get_mm_counter(&w->mm, MM_SWAPENTS),
			 rss[MM_SWAPENTS]);
		goto fail;
	}
	ptb_cost_resume();
	return true;
fail:
	ptb_cost_resume();
	return false;
}
