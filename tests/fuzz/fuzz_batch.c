// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target (a): batch detection over page tables and folios the fuzzer
 * builds.
 *
 * A large folio (8K-2M) is mapped anywhere in a page table, also partly off
 * either end, with base PTE bits, entries that differ in one bit, PFN gaps,
 * holes, swap and device-exclusive entries, written with set_ptes() runs
 * (contpte blocks fold on arm64) or one by one, then changed by hardware
 * A/D updates, ptep_set_wrprotect() and ptep_test_and_clear_young(). At
 * fuzzer-chosen entries, folio_pte_batch() under every flag
 * combination, and 6.12's folio_pte_batch() without FPB_RESPECT_WRITE,
 * must return the batch and any_writable/young/dirty of a per-PTE reference
 * written from the rules, without writing to the page table.
 *
 * A second table gets a run of swap PTEs with fuzzer-chosen breaks (type,
 * offset, soft-dirty, exclusive, uffd-wp, none, present, device-exclusive,
 * marker, cgroup); swap_pte_batch() must return the per-PTE reference's
 * length. Both references are tests/batch_ref.h's, which the Check suites
 * (tests/check_pte_batch.c, tests/check_swap_batch.c) use too.
 *
 * Only valid calls are made: the first PTE is present and maps the folio,
 * max_nr stays within the table, and the first swap PTE is a real one.
 */
#include "harness.h"
#include "batch_ref.h"

#define FB_VA		0x7f0000000000UL	/* PMD aligned */
#define FB_SWAP_VA	(FB_VA + PMD_SIZE)
#define FB_BASE_PFN	0x80000UL
#define FB_MEMMAP_PAGES	(8UL * HPAGE_PMD_NR)

static struct mm_struct fb_mm;
static struct vm_area_struct fb_vma;

/*
 * Every present PTE maps a page of some folio, as in the kernel (contpte
 * folding looks the folio up): the folio under test, and order-0 folios
 * around it for the PFNs the table maps outside it.
 */
#define FB_AROUND	8
static struct folio *fb_folio, *fb_small[2 * FB_AROUND];
static unsigned int fb_nr_small;

static void dump_table(pte_t *table, unsigned int lo, unsigned int hi)
{
	unsigned int i;

	for (i = lo; i < hi; i++)
		fprintf(stderr, "  slot %3u: %#018llx%s\n", i,
			(unsigned long long)pte_val(READ_ONCE(table[i])),
			ptb_pte_cont(READ_ONCE(table[i])) ? " cont" : "");
}

static void check_batch(struct folio *folio, pte_t *table, unsigned int slot,
			unsigned int max_nr, fpb_t flags)
{
	pte_t *ptep = table + slot;
	struct ref_result r = ref_batch(folio, ptep, max_nr, flags);
	bool w, y, d;
	pte_t pte = ptb_peek(ptep);
	unsigned int nr, nr_null;

	ptb_costs_reset();
	nr = folio_pte_batch(folio, 0, ptep, pte, max_nr, flags, &w, &y,
				   &d);
	nr_null = folio_pte_batch(folio, 0, ptep, pte, max_nr, flags,
					NULL, NULL, NULL);
	if (ptb_costs.pte_writes + ptb_costs.pte_clears +
	    ptb_costs.pte_cmpxchgs) {
		dump_table(table, slot, min(slot + max_nr, PTRS_PER_PTE));
		fuzz_fail("folio_pte_batch() wrote to the page table");
	}
	if (nr != r.nr || nr_null != nr || w != r.writable ||
	    y != r.young || d != r.dirty) {
		dump_table(table, slot, min(slot + max(nr, r.nr) + 1,
					    PTRS_PER_PTE));
		fuzz_fail("folio_pte_batch(slot %u, 0, max_nr %u, flags %#x) = %u (%u without any_*), any_writable/young/dirty %d%d%d; reference %u, %d%d%d",
			  slot, max_nr, flags, nr, nr_null, w, y, d, r.nr,
			  r.writable, r.young, r.dirty);
	}
}

/* ----- building the present table ----- */

enum fb_kind {
	FB_NATURAL,	/* the folio page for this slot, base bits */
	FB_FLIP,	/* the same with one attribute flipped */
	FB_SINGLE,	/* natural, but written on its own */
	FB_PFN_NEXT,	/* the next page's PFN */
	FB_PFN_PREV,	/* the previous page's PFN */
	FB_NONE,
	FB_SWAP,
	FB_DEVEXCL,
};

static enum fb_kind fb_pick_kind(void)
{
	unsigned long k = fuzz_below(32);

	if (k < 18)
		return FB_NATURAL;
	if (k < 24)
		return FB_FLIP;
	if (k < 27)
		return FB_SINGLE;
	return FB_PFN_NEXT + (k - 27);	/* 27..31: the five others */
}

static struct ptb_pte_bits fb_bits(u64 b)
{
	struct ptb_pte_bits bits = {
		.write = b & 1, .dirty = b & 2, .young = b & 4,
		.soft_dirty = b & 8, .uffd_wp = b & 16, .exec = b & 32,
		.protnone = (b & 0xc0) == 0xc0, .special = (b & 0x1c0) == 0x140,
	};

	/* as the kernel makes them: uffd-wp and PROT_NONE are read-only */
	if (bits.uffd_wp || bits.protnone)
		bits.write = false;
	return bits;
}

static struct ptb_pte_bits fb_flip(struct ptb_pte_bits b)
{
	switch (fuzz_below(8)) {
	case 0: b.write = !b.write; break;
	case 1: b.dirty = !b.dirty; break;
	case 2: b.young = !b.young; break;
	case 3: b.soft_dirty = !b.soft_dirty; break;
	case 4: b.uffd_wp = !b.uffd_wp; break;
	case 5: b.exec = !b.exec; break;
	case 6: b.protnone = !b.protnone; break;
	default: b.special = !b.special; break;
	}
	if (b.uffd_wp || b.protnone)
		b.write = false;
	return b;
}

static void fuzz_present(void)
{
	unsigned int order = 1 + fuzz_below(9), i, q;
	unsigned long nr = 1UL << order;
	unsigned long pfn0 = FB_BASE_PFN +
			     max(nr, 2UL * FB_AROUND) * (1 + fuzz_below(4));
	long s0 = (long)fuzz_below(PTRS_PER_PTE + nr - 1) - (long)(nr - 1);
	unsigned int lo = max(s0 - 2, 0L);
	unsigned int hi = min(s0 + (long)nr + 2, (long)PTRS_PER_PTE);
	struct ptb_pte_bits base = fb_bits(fuzz_bytes(2));
	enum fb_kind kind[PTRS_PER_PTE];
	pte_t want[PTRS_PER_PTE];
	pte_t *table = ptb_pte_slot(&fb_mm, FB_VA, true);
	struct folio *folio;
	unsigned int run;

	folio = ptb_folio_create(pfn0, order, BIT(PG_anon) | BIT(PG_locked),
				 0);
	fb_folio = folio;
	for (i = 1; i <= FB_AROUND; i++) {
		fb_small[fb_nr_small++] = ptb_folio_create(pfn0 - i, 0,
							   BIT(PG_anon), 0);
		fb_small[fb_nr_small++] = ptb_folio_create(pfn0 + nr - 1 + i,
							   0, BIT(PG_anon), 0);
	}
	for (i = lo; i < hi; i++) {
		/* PFN of the folio page this slot maps naturally (may be outside) */
		unsigned long pfn = pfn0 + (i - s0);

		kind[i] = fb_pick_kind();
		switch (kind[i]) {
		case FB_NATURAL:
		case FB_SINGLE:
			want[i] = ptb_mk_pte(pfn, &base);
			break;
		case FB_FLIP: {
			struct ptb_pte_bits b = fb_flip(base);

			want[i] = ptb_mk_pte(pfn, &b);
			break;
		}
		case FB_PFN_NEXT:
			want[i] = ptb_mk_pte(pfn + 1, &base);
			break;
		case FB_PFN_PREV:
			want[i] = ptb_mk_pte(pfn - 1, &base);
			break;
		case FB_NONE:
			want[i] = __pte(0);
			break;
		case FB_SWAP:
			want[i] = ref_swp(fuzz_below(4), 1 + fuzz_below(60000),
					 fuzz_chance(50), fuzz_chance(50),
					 fuzz_chance(20));
			break;
		case FB_DEVEXCL:
			want[i] = swp_entry_to_pte(fuzz_chance(50) ?
				make_writable_device_exclusive_entry(pfn) :
				make_readable_device_exclusive_entry(pfn));
			break;
		default:
			fuzz_fail("fuzz_batch: bad slot kind %d", kind[i]);
		}
	}

	/* set_ptes() over runs of natural entries, split where the input says */
	ptb_cost_pause();
	for (i = lo; i < hi; i += run) {
		run = 1;
		if (kind[i] != FB_NATURAL)
			continue;
		while (i + run < hi && kind[i + run] == FB_NATURAL &&
		       !fuzz_chance(8))
			run++;
		set_ptes(&fb_mm, FB_VA + i * PAGE_SIZE, table + i, want[i], run);
	}
	for (i = lo; i < hi; i++) {
		if (kind[i] == FB_NATURAL || kind[i] == FB_NONE)
			continue;
		set_pte_at(&fb_mm, FB_VA + i * PAGE_SIZE, table + i, want[i]);
	}

	/* Later changes: hardware A/D, write-protection, young clearing. */
	for (q = fuzz_below(12); q; q--) {
		unsigned int s = lo + fuzz_below(hi - lo);
		unsigned long addr = FB_VA + s * PAGE_SIZE;

		switch (fuzz_below(4)) {
		case 0:
		case 1:
			ptb_hw_access(table + s, fuzz_chance(50));
			break;
		case 2:
			if (pte_present(ptep_get(table + s)))
				ptep_set_wrprotect(&fb_mm, addr, table + s);
			break;
		default:
			if (pte_present(ptep_get(table + s)))
				ptep_test_and_clear_young(&fb_vma, addr,
							  table + s);
			break;
		}
	}
	ptb_cost_resume();

	/* Queries at entries that map the folio. */
	for (q = 1 + fuzz_below(8); q; q--) {
		unsigned int start = lo + fuzz_below(hi - lo), s, n;
		pte_t pte;

		for (n = 0; n < hi - lo; n++) {
			s = lo + (start - lo + n) % (hi - lo);
			pte = ptb_peek(table + s);
			if (pte_present(pte) && pte_pfn(pte) >= pfn0 &&
			    pte_pfn(pte) < pfn0 + nr)
				break;
		}
		if (n == hi - lo)
			break;
		check_batch(folio, table, s,
			    1 + fuzz_below(PTRS_PER_PTE - s),
			    ref_all_flags[fuzz_below(ARRAY_SIZE(ref_all_flags))]);
	}
}

/* ----- swap runs ----- */

static void fuzz_swap(void)
{
	pte_t *table = ptb_pte_slot(&fb_mm, FB_SWAP_VA, true);
	unsigned int type = fuzz_below(4);
	pgoff_t off = 1 + fuzz_below(60000);
	bool excl = fuzz_chance(50), sd = fuzz_chance(50);
	bool uffd = fuzz_chance(30);
	unsigned short cg = fuzz_chance(20) ? 7 : 0;
	unsigned int start = fuzz_below(PTRS_PER_PTE);
	unsigned int len = min(1 + fuzz_below(72), PTRS_PER_PTE - start);
	unsigned int max_nr = 1 + fuzz_below(len);
	unsigned int i, ref;
	int nr;

	ptb_cost_pause();
	for (i = 0; i < len; i++) {
		unsigned long addr = FB_SWAP_VA + (start + i) * PAGE_SIZE;
		pte_t pte = ref_swp(type, off + i, excl, sd, uffd);
		unsigned long what = i ? fuzz_below(40) : 100;

		ptb_swap_set_cgroup(swp_entry(type, off + i), cg);
		switch (what) {
		case 0: pte = ref_swp(type + 1, off + i, excl, sd, uffd); break;
		case 1: pte = ref_swp(type, off + i + 1, excl, sd, uffd); break;
		case 2: pte = ref_swp(type, off + i - 1, excl, sd, uffd); break;
		case 3: pte = ref_swp(type, off + i, !excl, sd, uffd); break;
		case 4: pte = ref_swp(type, off + i, excl, !sd, uffd); break;
		case 5: pte = ref_swp(type, off + i, excl, sd, !uffd); break;
		case 6: pte = __pte(0); break;
		case 7: {
			struct ptb_pte_bits b = fb_bits(fuzz_bytes(1));

			pte = ptb_mk_pte(folio_pfn(fb_folio) +
					 i % folio_nr_pages(fb_folio), &b);
			break;
		}
		case 8:
			ptb_swap_set_cgroup(swp_entry(type, off + i), cg ^ 3);
			break;
		case 9:
			pte = swp_entry_to_pte(
				make_readable_device_exclusive_entry(off + i));
			break;
		case 10:
			pte = make_pte_marker(PTE_MARKER_UFFD_WP);
			break;
		default:
			break;
		}
		if (!pte_none(pte))
			set_pte_at(&fb_mm, addr, table + start + i, pte);
	}
	ptb_cost_resume();

	ref = ref_swap_batch(table + start, max_nr, type, off, excl, sd, uffd);
	ptb_costs_reset();
	nr = swap_pte_batch(table + start, max_nr, ptb_peek(table + start));
	if (nr != (int)ref || ptb_costs.pte_writes + ptb_costs.pte_clears) {
		dump_table(table, start, min(start + max_nr + 1, PTRS_PER_PTE));
		fuzz_fail("swap_pte_batch(slot %u, max_nr %u) = %d, reference %u (type %u offset %#lx excl %d sd %d uffd %d cgroup %u)",
			  start, max_nr, nr, ref, type, off, excl, sd, uffd, cg);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_in_set(data, size);
	ptb_model_reset();
	ptb_memmap_init(FB_BASE_PFN, FB_MEMMAP_PAGES);
	ptb_mm_init(&fb_mm);
	memset(&fb_vma, 0, sizeof(fb_vma));
	fb_vma.vm_mm = &fb_mm;
	fb_vma.vm_start = FB_VA;
	fb_vma.vm_end = FB_VA + 2 * PMD_SIZE;
	fb_vma.vm_pgoff = FB_VA >> PAGE_SHIFT;
	fb_vma.vm_flags = VM_READ | VM_WRITE;

	fuzz_present();
	fuzz_swap();

	ptb_mm_destroy(&fb_mm);
	/* the folios go with the memmap; this input's small ones are done */
	fb_nr_small = 0;
	return 0;
}
