// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target (b): the swap-PTE encoding of each backend, as every batch
 * helper relies on it.
 *
 *  - swp_entry_to_pte()/pte_to_swp_entry() round-trip every real swap type
 *    and every offset the arch can hold (the kernel's own limit: the offset
 *    of swp_entry(0, ~0UL) after a round trip), with any of soft-dirty,
 *    exclusive and uffd-wp; the bits read back as set and never change the
 *    entry; pte_swp_clear_flags() gives back the plain entry;
 *  - pte_move_swp_offset() moves the offset only, keeps type and bits, and
 *    moving back gives the PTE back; pte_next_swp_offset() is a move by 1;
 *  - the same on arbitrary 64-bit values that decode as real swap PTEs:
 *    a move by 0 canonicalises, and moves are reversible from there;
 *  - make_swap_pte() carries exactly soft-dirty and uffd-wp from a present
 *    or device-exclusive PTE, and the exclusive marker when asked;
 *  - set_swap_ptes() writes the run swap_pte_batch() detects, entry i being
 *    pte_move_swp_offset(first, i);
 *  - device-exclusive entries round-trip their PFN, markers stay markers;
 *  - pfn_pte()/pte_pfn() round-trip every PFN below MAX_PHYSMEM_BITS under
 *    PAGE_NONE (x86 inverts it, L1TF) and PAGE_READONLY, and
 *    pte_advance_pfn() changes only the PFN.
 */
#include "harness.h"
#include "batch_ref.h"

#define FS_VA	0x7f0000000000UL

static struct mm_struct fs_mm;

/*
 * The largest swap offset the kernel uses: the arch's limit (mm/swapfile.c:
 * generic_max_swapfile_size(), the offset of swp_entry(0, ~0UL) after a round
 * trip), and below 2^32, as the swap header's last_page is a __u32
 * (read_swap_header()). Above it x86 is not injective: swp_entry(0, 2^50 - 1)
 * encodes to the all-zero PTE, pte_none() (the fuzzer's first finding, kept
 * as corpus/swp/regress-x86-type0-max-offset).
 */
static pgoff_t max_offset(void)
{
	pgoff_t arch = swp_offset(pte_to_swp_entry(swp_entry_to_pte(
						swp_entry(0, ~0UL))));

	return min(arch, (pgoff_t)0xffffffffUL);
}

struct swp_bits {
	bool excl, sd, uffd;
};

static pte_t with_bits(pte_t pte, struct swp_bits b)
{
	return ref_swp_mkbits(pte, b.excl, b.sd, b.uffd);
}

static void expect_swap_pte(pte_t pte, unsigned int type, pgoff_t off,
			    struct swp_bits b, const char *what)
{
	swp_entry_t e = pte_to_swp_entry(pte);

	if (!is_swap_pte(pte) || pte_present(pte) || pte_none(pte))
		fuzz_fail("%s: %#llx (type %u offset %#lx) is not a swap PTE",
			  what, (unsigned long long)pte_val(pte), type, off);
	if (swp_type(e) != type || swp_offset(e) != off)
		fuzz_fail("%s: %#llx decodes to type %u offset %#lx, not %u %#lx",
			  what, (unsigned long long)pte_val(pte), swp_type(e),
			  swp_offset(e), type, off);
	if (non_swap_entry(e) || is_pte_marker(pte) ||
	    is_device_exclusive_entry(e) || is_migration_entry(e))
		fuzz_fail("%s: %#llx is not a plain swap entry",
			  what, (unsigned long long)pte_val(pte));
	if (!!pte_swp_exclusive(pte) != b.excl ||
	    !!pte_swp_uffd_wp(pte) != b.uffd ||
	    !!pte_swp_soft_dirty(pte) != (b.sd && ref_have_soft_dirty()))
		fuzz_fail("%s: %#llx has exclusive/uffd-wp/soft-dirty %d%d%d, expected %d%d%d",
			  what, (unsigned long long)pte_val(pte),
			  !!pte_swp_exclusive(pte), !!pte_swp_uffd_wp(pte),
			  !!pte_swp_soft_dirty(pte), b.excl, b.uffd,
			  b.sd && ref_have_soft_dirty());
	if (!pte_same(pte_swp_clear_flags(pte),
		      swp_entry_to_pte(swp_entry(type, off))))
		fuzz_fail("%s: %#llx without its bits is %#llx, not the plain entry %#llx",
			  what, (unsigned long long)pte_val(pte),
			  (unsigned long long)pte_val(pte_swp_clear_flags(pte)),
			  (unsigned long long)pte_val(swp_entry_to_pte(swp_entry(type, off))));
}

static void fuzz_encoding(pgoff_t max)
{
	unsigned int type = fuzz_below(MAX_SWAPFILES);
	pgoff_t off = fuzz_chance(50) ? fuzz_below(max + 1) :
		      fuzz_below(PTB_SWAP_SLOTS);
	struct swp_bits b = { fuzz_chance(50), fuzz_chance(50),
			      fuzz_chance(50) };
	long delta;
	pte_t pte, moved, back;

	if (!type && !off)
		return;		/* slot 0 of a device is its header */
	pte = with_bits(swp_entry_to_pte(swp_entry(type, off)), b);
	expect_swap_pte(pte, type, off, b, "swp_entry_to_pte");

	/* a move anywhere in [0, max] and back */
	delta = (long)fuzz_below(max + 1) - (long)off;
	if (fuzz_chance(70))
		delta = (long)fuzz_below(1025) - 512;
	if ((delta < 0 && (pgoff_t)-delta > off) ||
	    (delta > 0 && (pgoff_t)delta > max - off))
		delta = 0;
	if (!type && off + delta == 0)
		delta = 0;
	moved = pte_move_swp_offset(pte, delta);
	expect_swap_pte(moved, type, off + delta, b, "pte_move_swp_offset");
	back = pte_move_swp_offset(moved, -delta);
	if (!pte_same(back, pte))
		fuzz_fail("pte_move_swp_offset(%#llx, %ld) and back: %#llx",
			  (unsigned long long)pte_val(pte), delta,
			  (unsigned long long)pte_val(back));
	if (off < max && !pte_same(pte_next_swp_offset(pte),
				   pte_move_swp_offset(pte, 1)))
		fuzz_fail("pte_next_swp_offset(%#llx) != move by 1",
			  (unsigned long long)pte_val(pte));
}

static void fuzz_raw(pgoff_t max)
{
	pte_t v = __pte(fuzz_bytes(8)), c, m;
	struct swp_bits b;
	swp_entry_t e;
	pgoff_t off;
	long delta;

	if (!is_swap_pte(v))
		return;
	e = pte_to_swp_entry(v);
	if (non_swap_entry(e))
		return;
	off = swp_offset(e);
	if (off > max)
		return;		/* no swap device is that large */
	b.excl = pte_swp_exclusive(v);
	b.sd = pte_swp_soft_dirty(v);
	b.uffd = pte_swp_uffd_wp(v);
	if (!swp_type(e) && !off)
		return;
	c = pte_move_swp_offset(v, 0);
	expect_swap_pte(c, swp_type(e), off, b, "pte_move_swp_offset(raw, 0)");
	delta = (long)fuzz_below(1025) - 512;
	if ((delta < 0 && (pgoff_t)-delta > off) ||
	    (delta > 0 && (pgoff_t)delta > max - off) ||
	    (!swp_type(e) && off + delta == 0))
		delta = 0;
	m = pte_move_swp_offset(v, delta);
	expect_swap_pte(m, swp_type(e), off + delta, b,
			"pte_move_swp_offset(raw)");
	if (!pte_same(pte_move_swp_offset(m, -delta), c))
		fuzz_fail("pte_move_swp_offset(%#llx, %ld) and back is not the canonical %#llx",
			  (unsigned long long)pte_val(v), delta,
			  (unsigned long long)pte_val(c));
}

static void fuzz_make_and_set(void)
{
	unsigned int type = fuzz_below(4);
	pgoff_t off = 1 + fuzz_below(PTB_SWAP_SLOTS - 1024);
	bool excl = fuzz_chance(50), sd = fuzz_chance(50);
	bool uffd = fuzz_chance(50), present = fuzz_chance(70);
	unsigned int nr = 1 + fuzz_below(PTRS_PER_PTE);
	unsigned int start = fuzz_below(PTRS_PER_PTE - nr + 1), i;
	struct swp_bits b = { excl, sd, uffd };
	pte_t *table = ptb_pte_slot(&fs_mm, FS_VA, true);
	pte_t pteval, swp;
	int got;

	if (present) {
		struct ptb_pte_bits pb = {
			.soft_dirty = sd, .uffd_wp = uffd,
			.dirty = fuzz_chance(50), .young = fuzz_chance(50),
			.write = !uffd && fuzz_chance(50),
			.exec = fuzz_chance(20),
		};

		pteval = ptb_mk_pte(0x80000 + fuzz_below(1 << 20), &pb);
	} else {
		pteval = with_bits(swp_entry_to_pte(fuzz_chance(50) ?
				make_readable_device_exclusive_entry(0x80003) :
				make_writable_device_exclusive_entry(0x80003)),
				(struct swp_bits){ false, sd, uffd });
	}
	swp = make_swap_pte(swp_entry(type, off), pteval, excl);
	expect_swap_pte(swp, type, off, b, "make_swap_pte");

	/* set_swap_ptes() onto none entries and uffd-wp markers */
	ptb_cost_pause();
	for (i = 0; i < nr; i++)
		if (fuzz_chance(10))
			set_pte_at(&fs_mm, FS_VA + (start + i) * PAGE_SIZE,
				   table + start + i,
				   make_pte_marker(PTE_MARKER_UFFD_WP));
	ptb_cost_resume();
	set_swap_ptes(&fs_mm, FS_VA + start * PAGE_SIZE, table + start, swp,
		      nr);
	for (i = 0; i < nr; i++) {
		pte_t got_pte = ptb_peek(table + start + i);

		if (!pte_same(got_pte, pte_move_swp_offset(swp, i)))
			fuzz_fail("set_swap_ptes(nr %u): entry %u is %#llx, not pte_move_swp_offset(first, %u) = %#llx",
				  nr, i, (unsigned long long)pte_val(got_pte),
				  i, (unsigned long long)
				  pte_val(pte_move_swp_offset(swp, i)));
	}
	got = swap_pte_batch(table + start, PTRS_PER_PTE - start,
			     ptb_peek(table + start));
	if (got != (int)nr)
		fuzz_fail("swap_pte_batch() over set_swap_ptes(nr %u) at slot %u: %d",
			  nr, start, got);
	ptb_cost_pause();
	for (i = 0; i < nr; i++)
		pte_clear(&fs_mm, FS_VA + (start + i) * PAGE_SIZE,
			  table + start + i);
	ptb_cost_resume();
}

static void fuzz_special(void)
{
	unsigned long pfn = fuzz_below(1UL << (MAX_PHYSMEM_BITS - PAGE_SHIFT));
	bool write = fuzz_chance(50);
	struct swp_bits b = { false, fuzz_chance(50), fuzz_chance(50) };
	swp_entry_t e = write ? make_writable_device_exclusive_entry(pfn) :
			make_readable_device_exclusive_entry(pfn);
	pte_t pte = with_bits(swp_entry_to_pte(e), b), m;
	swp_entry_t back = pte_to_swp_entry(pte);
	pgprot_t prot = fuzz_chance(50) ? PAGE_NONE : PAGE_READONLY;
	pte_t p = pfn_pte(pfn, prot), adv;
	unsigned long k;

	if (!is_swap_pte(pte) || !is_device_exclusive_entry(back) ||
	    !is_pfn_swap_entry(back) || swp_offset_pfn(back) != pfn ||
	    !!pte_swp_uffd_wp(pte) != b.uffd)
		fuzz_fail("device-exclusive entry of PFN %#lx: %#llx decodes to type %u PFN %#lx",
			  pfn, (unsigned long long)pte_val(pte),
			  swp_type(back), swp_offset(back));
	m = make_pte_marker(PTE_MARKER_UFFD_WP);
	if (!is_swap_pte(m) || !is_pte_marker(m) || !pte_marker_uffd_wp(m) ||
	    !pte_swp_uffd_wp_any(m))
		fuzz_fail("the uffd-wp marker %#llx does not read back",
			  (unsigned long long)pte_val(m));

	if (!pte_present(p) || pte_pfn(p) != pfn)
		fuzz_fail("pfn_pte(%#lx, %s) = %#llx: present %d, pte_pfn %#lx",
			  pfn, pgprot_val(prot) == pgprot_val(PAGE_NONE) ?
			  "PAGE_NONE" : "PAGE_READONLY",
			  (unsigned long long)pte_val(p), pte_present(p),
			  pte_pfn(p));
	k = fuzz_below(1025);
	if (pfn + k < (1UL << (MAX_PHYSMEM_BITS - PAGE_SHIFT))) {
		adv = pte_advance_pfn(p, k);
		if (pte_pfn(adv) != pfn + k ||
		    !pte_same(adv, pfn_pte(pfn + k, prot)))
			fuzz_fail("pte_advance_pfn(%#llx, %lu) = %#llx, pfn_pte(%#lx) = %#llx",
				  (unsigned long long)pte_val(p), k,
				  (unsigned long long)pte_val(adv), pfn + k,
				  (unsigned long long)pte_val(pfn_pte(pfn + k, prot)));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pgoff_t max = max_offset();
	unsigned int n;

	fuzz_in_set(data, size);
	ptb_model_reset();
	ptb_mm_init(&fs_mm);
	for (n = 1 + fuzz_below(4); n; n--) {
		switch (fuzz_below(4)) {
		case 0: fuzz_encoding(max); break;
		case 1: fuzz_raw(max); break;
		case 2: fuzz_make_and_set(); break;
		default: fuzz_special(); break;
		}
	}
	ptb_mm_destroy(&fs_mm);
	return 0;
}
