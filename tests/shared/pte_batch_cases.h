/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test cases shared by the userspace models and the kernel.
 *
 * Each case states a kernel semantic of the batch PTE helpers and of the
 * arch code under them (bit layouts, swap encodings and round trips, batch
 * detection, accessed/dirty gathering, set_ptes(), swap-PTE runs, arm64
 * contpte through the public API). The same file is compiled
 *  - by tests/check_shared.c into a Check suite, against the x86-64 and
 *    arm64 userspace models, and
 *  - into the patched kernel, included by the KUnit suite "pte_batch"
 *    (mm/pte_batch_kunit.c), against the real arch code,
 * so a model that disagrees with its kernel fails one side only.
 *
 * The includer provides, before including this file:
 *   struct pb_env;                       the case's context
 *   PB_EXPECT(env, cond, fmt, ...)       a failed check, the case goes on
 *   PB_REQUIRE(env, cond, fmt, ...)      a failed check that ends the case
 *   struct mm_struct *pb_mm(env);        a user mm, with a VMA covering
 *   unsigned long pb_va(env);            the 2M-aligned address of ...
 *   pte_t *pb_table(env);                ... a page table, all entries none
 *   struct vm_area_struct *pb_vma(env);  that VMA (anonymous, private,
 *                                        read-write)
 *   struct vm_area_struct *pb_file_vma(env, uffd_wp); a file VMA over the
 *                                        same range (shared, not in the mm's
 *                                        tree), registered for uffd-wp if
 *                                        asked; fresh on every call
 *   struct folio *pb_folio(env, order);  a fresh, unmapped folio
 *   pte_t pb_raw(pte_t *ptep);           the entry as stored (no gathering)
 *   void pb_hw_access(pte_t *ptep, bool write); what the MMU does on access
 * The includer clears the table after every case and runs pb_cases[].
 *
 * Arch differences are keyed on macros both the models and the kernels
 * define: _PAGE_SAVED_DIRTY (x86-64) and PTE_CONT (arm64).
 */

#define PB_SLOT(env, i)		(pb_table(env) + (i))
#define PB_ADDR(env, i)		(pb_va(env) + (unsigned long)(i) * PAGE_SIZE)

/* A present user PTE for @pfn: read-only, young, clean unless asked. */
static inline pte_t pb_pte(unsigned long pfn, bool write, bool dirty)
{
	pte_t pte = pte_mkyoung(pfn_pte(pfn, PAGE_READONLY));

	if (write)
		pte = pte_mkwrite_novma(pte);
	if (dirty)
		pte = pte_mkdirty(pte);
	return pte;
}

/* Map @nr pages of @folio from page @idx at slot @slot with set_ptes(). */
static inline void pb_map(struct pb_env *env, struct folio *folio,
			  unsigned long idx, unsigned int slot, unsigned int nr,
			  pte_t pte)
{
	pte = pfn_pte(folio_pfn(folio) + idx, pte_pgprot(pte));
	set_ptes(pb_mm(env), PB_ADDR(env, slot), PB_SLOT(env, slot), pte, nr);
}

/* ------------------------------ swap encoding ------------------------------ */

static const struct {
	unsigned int type;
	unsigned long offset;
	unsigned long long raw;		/* expected raw PTE, 0: not pinned */
} pb_swap_vectors[] = {
#ifdef _PAGE_SAVED_DIRTY
	/* x86-64: offset stored inverted in bits 9-58, type in 59-63 */
	{ 0, 1, 0x07fffffffffffc00ULL },
	{ 1, 0x1234, 0x0fffffffffdb9600ULL },
	{ 31, 5, 0xfffffffffffff400ULL },
#else
	/* arm64: type in bits 6-10, offset in bits 12-61, not inverted */
	{ 0, 1, 0x1000ULL },
	{ 1, 0x1234, 0x1234040ULL },
	{ 31, 5, 0x57c0ULL },
#endif
	{ 2, 0x7ffff, 0 },
	{ 7, 1UL << 30, 0 },
	{ 30, (1UL << 40) + 3, 0 },
};

static void pb_swap_entries_round_trip(struct pb_env *env)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pb_swap_vectors); i++) {
		swp_entry_t e = swp_entry(pb_swap_vectors[i].type,
					  pb_swap_vectors[i].offset);
		pte_t pte = swp_entry_to_pte(e);
		swp_entry_t back = pte_to_swp_entry(pte);

		PB_EXPECT(env, is_swap_pte(pte), "vector %u: not a swap PTE", i);
		PB_EXPECT(env, swp_type(back) == pb_swap_vectors[i].type &&
			  swp_offset(back) == pb_swap_vectors[i].offset,
			  "vector %u: round trip gives type %u offset %#lx", i,
			  swp_type(back), (unsigned long)swp_offset(back));
		PB_EXPECT(env, !pb_swap_vectors[i].raw ||
			  pte_val(pte) == pb_swap_vectors[i].raw,
			  "vector %u: raw %#llx, expected %#llx", i,
			  (unsigned long long)pte_val(pte),
			  pb_swap_vectors[i].raw);
	}
}

static void pb_swap_offset_step_is_arch_constant(struct pb_env *env)
{
#ifdef _PAGE_SAVED_DIRTY
	const long long step = -0x200;
#else
	const long long step = 0x1000;
#endif
	pte_t a = swp_entry_to_pte(swp_entry(3, 0x100));
	pte_t b = pte_next_swp_offset(a);

	PB_EXPECT(env, (long long)(pte_val(b) - pte_val(a)) == step,
		  "raw step %lld, expected %lld",
		  (long long)(pte_val(b) - pte_val(a)), step);
	PB_EXPECT(env, swp_offset(pte_to_swp_entry(b)) == 0x101, "offset +1");
}

static void pb_swap_flag_bits_survive_moves_and_are_stripped(struct pb_env *env)
{
	unsigned int flags;

	for (flags = 0; flags < 8; flags++) {
		bool excl = flags & 1, sd = flags & 2, uffd = flags & 4;
		pte_t pte = swp_entry_to_pte(swp_entry(5, 0x4000));
		pte_t moved;

		if (excl)
			pte = pte_swp_mkexclusive(pte);
		if (sd)
			pte = pte_swp_mksoft_dirty(pte);
		if (uffd)
			pte = pte_swp_mkuffd_wp(pte);
		moved = pte_move_swp_offset(pte_move_swp_offset(pte, 9), -9);
		PB_EXPECT(env, pte_same(moved, pte),
			  "flags %u: moving +9 then -9 changes %#llx into %#llx",
			  flags, (unsigned long long)pte_val(pte),
			  (unsigned long long)pte_val(moved));
		moved = pte_move_swp_offset(pte, 1);
		PB_EXPECT(env, !!pte_swp_exclusive(moved) == excl &&
			  !!pte_swp_uffd_wp(moved) == uffd &&
			  !!pte_swp_soft_dirty(moved) == !!pte_swp_soft_dirty(pte),
			  "flags %u: a moved entry lost or gained a flag", flags);
		PB_EXPECT(env, swp_offset(pte_to_swp_entry(pte)) == 0x4000 &&
			  swp_type(pte_to_swp_entry(pte)) == 5,
			  "flags %u: the flags leak into the entry", flags);
	}
#ifdef _PAGE_SAVED_DIRTY
	PB_EXPECT(env, pte_val(pte_swp_mksoft_dirty(__pte(0))) == 1ULL << 1 &&
		  pte_val(pte_swp_mkuffd_wp(__pte(0))) == 1ULL << 2 &&
		  pte_val(pte_swp_mkexclusive(__pte(0))) == 1ULL << 3,
		  "x86 swap flag bits are not 1, 2, 3");
#else
	PB_EXPECT(env, pte_val(pte_swp_mkexclusive(__pte(0))) == 1ULL << 2 &&
		  pte_val(pte_swp_mkuffd_wp(__pte(0))) == 1ULL << 3 &&
		  !pte_swp_soft_dirty(pte_swp_mksoft_dirty(__pte(0))),
		  "arm64 swap flag bits are not 2 (exclusive), 3 (uffd-wp)");
#endif
}

/* --------------------------- dirty, write, young ---------------------------- */

static void pb_wrprotect_keeps_dirty_and_mkclean_drops_it(struct pb_env *env)
{
	pte_t pte = pb_pte(0x1234, true, true);
	pte_t ro = pte_wrprotect(pte);

	PB_EXPECT(env, pte_dirty(pte) && pte_write(pte), "mkdirty/mkwrite");
	PB_EXPECT(env, pte_dirty(ro) && !pte_write(ro), "wrprotect lost dirty");
	PB_EXPECT(env, !pte_dirty(pte_mkclean(ro)), "mkclean of read-only");
	PB_EXPECT(env, !pte_dirty(pte_mkclean(pte)), "mkclean of writable");
	PB_EXPECT(env, pte_young(pte) && !pte_young(pte_mkold(pte)), "mkold");
#ifdef _PAGE_SAVED_DIRTY
	/* x86: a read-only dirty PTE keeps its dirtiness in SavedDirty */
	PB_EXPECT(env, !(pte_val(ro) & _PAGE_DIRTY) &&
		  (pte_val(ro) & _PAGE_SAVED_DIRTY), "SavedDirty shift");
#endif
#ifdef PTE_CONT
	/*
	 * arm64: hardware dirty is DBM with !RDONLY; wrprotect keeps it in
	 * the software PTE_DIRTY.
	 */
	PB_EXPECT(env, (pte_val(ro) & PTE_DIRTY) && (pte_val(ro) & PTE_RDONLY),
		  "wrprotect: PTE_DIRTY and RDONLY");
	PB_EXPECT(env, pte_val(pte_mkclean(pte)) & PTE_RDONLY,
		  "mkclean sets RDONLY");
#endif
}

/* -------------------------------- set_ptes -------------------------------- */

static void pb_set_ptes_maps_consecutive_pages(struct pb_env *env)
{
	struct folio *folio = pb_folio(env, 5);
	unsigned int i;

	PB_REQUIRE(env, folio, "no folio");
	pb_map(env, folio, 0, 32, 32, pb_pte(0, true, false));
	for (i = 0; i < 32; i++) {
		pte_t pte = ptep_get(PB_SLOT(env, 32 + i));

		PB_EXPECT(env, pte_present(pte) &&
			  pte_pfn(pte) == folio_pfn(folio) + i,
			  "slot %u: pfn %#lx, expected %#lx", i,
			  (unsigned long)pte_pfn(pte), folio_pfn(folio) + i);
		PB_EXPECT(env, pte_write(pte) && pte_young(pte) && !pte_dirty(pte),
			  "slot %u: bits changed", i);
	}
#ifdef PTE_CONT
	/* aligned 64K chunks of a user mapping are contiguous */
	for (i = 0; i < 32; i++)
		PB_EXPECT(env, pte_cont(pb_raw(PB_SLOT(env, 32 + i))),
			  "slot %u: not PTE_CONT", i);
#endif
	PB_EXPECT(env, pte_none(ptep_get(PB_SLOT(env, 31))) &&
		  pte_none(ptep_get(PB_SLOT(env, 64))), "neighbours written");
}

/* ---------------------------- get_and_clear ------------------------------- */

static void pb_get_and_clear_ptes_gathers_accessed_and_dirty(struct pb_env *env)
{
	struct folio *folio = pb_folio(env, 4);
	pte_t pte;
	unsigned int i;

	PB_REQUIRE(env, folio, "no folio");
	pb_map(env, folio, 0, 16, 16, pte_mkold(pb_pte(0, true, false)));
	/* the MMU dirties page 11 and reads page 5 */
	pb_hw_access(PB_SLOT(env, 16 + 11), true);
	pb_hw_access(PB_SLOT(env, 16 + 5), false);
	pte = get_and_clear_ptes(pb_mm(env), PB_ADDR(env, 16), PB_SLOT(env, 16),
				 16);
	PB_EXPECT(env, pte_pfn(pte) == folio_pfn(folio), "first pfn");
	PB_EXPECT(env, pte_young(pte) && pte_dirty(pte) && pte_write(pte),
		  "young %d dirty %d write %d", !!pte_young(pte),
		  !!pte_dirty(pte), !!pte_write(pte));
	for (i = 0; i < 16; i++)
		PB_EXPECT(env, pte_none(ptep_get(PB_SLOT(env, 16 + i))),
			  "slot %u not cleared", i);
}

/* ------------------------- moving a run (mremap) -------------------------- */

/*
 * What the batched move_ptes() does with a run: get_and_clear_ptes() at the
 * old address, set_ptes() of the result at the new one. A run over parts of
 * two 64K blocks moves to an unaligned address, a whole aligned block to an
 * aligned one; the pages, permissions and the run's accessed and dirty
 * state arrive, the entries around the run stay.
 */
static void pb_move_runs_as_move_ptes_does(struct pb_env *env)
{
	struct folio *folio = pb_folio(env, 5);
	unsigned int i;
	pte_t pte;

	PB_REQUIRE(env, folio, "no folio");
	pb_map(env, folio, 0, 16, 32, pte_mkold(pb_pte(0, false, false)));
	pb_hw_access(PB_SLOT(env, 16 + 9), false);
	pb_map(env, folio, 0, 64, 16, pte_mkold(pb_pte(0, true, false)));
	pb_hw_access(PB_SLOT(env, 64 + 2), true);

	/* pages 5-24: from slot 21 to slot 130 */
	pte = get_and_clear_ptes(pb_mm(env), PB_ADDR(env, 21), PB_SLOT(env, 21),
				 20);
	PB_EXPECT(env, pte_young(pte) && !pte_write(pte),
		  "run: young %d write %d", !!pte_young(pte), !!pte_write(pte));
	set_ptes(pb_mm(env), PB_ADDR(env, 130), PB_SLOT(env, 130), pte, 20);
	for (i = 0; i < 20; i++) {
		pte = ptep_get(PB_SLOT(env, 130 + i));
		PB_EXPECT(env, pte_present(pte) &&
			  pte_pfn(pte) == folio_pfn(folio) + 5 + i &&
			  pte_young(pte) && !pte_write(pte),
			  "moved slot %u: %#llx", i,
			  (unsigned long long)pte_val(pte));
		PB_EXPECT(env, pte_none(ptep_get(PB_SLOT(env, 21 + i))),
			  "old slot %u not cleared", i);
	}
	for (i = 16; i < 48; i++) {
		if (i >= 21 && i < 41)
			continue;
		pte = ptep_get(PB_SLOT(env, i));
		PB_EXPECT(env, pte_present(pte) &&
			  pte_pfn(pte) == folio_pfn(folio) + i - 16,
			  "slot %u around the run changed", i);
	}

	/* the aligned block: from slot 64 to slot 192 */
	pte = get_and_clear_ptes(pb_mm(env), PB_ADDR(env, 64), PB_SLOT(env, 64),
				 16);
	PB_EXPECT(env, pte_dirty(pte) && pte_write(pte), "block: dirty %d",
		  !!pte_dirty(pte));
	set_ptes(pb_mm(env), PB_ADDR(env, 192), PB_SLOT(env, 192), pte, 16);
	for (i = 0; i < 16; i++) {
		pte = ptep_get(PB_SLOT(env, 192 + i));
		PB_EXPECT(env, pte_present(pte) &&
			  pte_pfn(pte) == folio_pfn(folio) + i &&
			  pte_dirty(pte) && pte_write(pte),
			  "moved block slot %u: %#llx", i,
			  (unsigned long long)pte_val(pte));
#ifdef PTE_CONT
		PB_EXPECT(env, pte_cont(pb_raw(PB_SLOT(env, 192 + i))),
			  "moved block slot %u: not PTE_CONT", i);
		PB_EXPECT(env, !pte_cont(pb_raw(PB_SLOT(env, 130 + i))),
			  "unaligned run slot %u: PTE_CONT", i);
#endif
	}
}

/* --------------------------- batch detection ----------------------------- */

/* Page 6 of a 64K folio differs in one attribute: which flags bridge it. */
enum pb_flip { PB_OLD, PB_CLEAN, PB_READ_ONLY, PB_UFFD_WP, PB_NR_FLIPS };

static pte_t pb_flipped(unsigned long pfn, enum pb_flip flip)
{
	pte_t pte = pb_pte(pfn, true, true);

	switch (flip) {
	case PB_OLD:
		return pte_mkold(pte);
	case PB_CLEAN:
		return pte_mkclean(pte);
	case PB_READ_ONLY:
		return pte_wrprotect(pte);
	default:
		return pte_mkuffd_wp(pte);
	}
}

static void pb_folio_pte_batch_decides_by_flag(struct pb_env *env)
{
	static const fpb_t flags[] = {
		0, FPB_IGNORE_DIRTY, FPB_IGNORE_DIRTY | FPB_RESPECT_WRITE,
	};
	/* expected batch from slot 0 for [flip][flags] */
	static const unsigned int want[PB_NR_FLIPS][3] = {
		[PB_OLD] = { 16, 16, 16 },
		[PB_CLEAN] = { 6, 16, 16 },
		[PB_READ_ONLY] = { 16, 16, 6 },
		[PB_UFFD_WP] = { 6, 6, 6 },
	};
	enum pb_flip flip;
	unsigned int f;

	for (flip = 0; flip < PB_NR_FLIPS; flip++) {
		struct folio *folio = pb_folio(env, 4);
		pte_t *ptep = PB_SLOT(env, 16);
		unsigned long addr = PB_ADDR(env, 16);

		PB_REQUIRE(env, folio, "no folio");
		pb_map(env, folio, 0, 16, 6, pb_pte(0, true, true));
		set_pte_at(pb_mm(env), addr + 6 * PAGE_SIZE, ptep + 6,
			   pb_flipped(folio_pfn(folio) + 6, flip));
		pb_map(env, folio, 7, 16 + 7, 9, pb_pte(0, true, true));
		for (f = 0; f < ARRAY_SIZE(flags); f++) {
			unsigned int nr = folio_pte_batch(folio, 0, ptep,
					ptep_get(ptep), 16, flags[f], NULL,
					NULL, NULL);

			PB_EXPECT(env, nr == want[flip][f],
				  "flip %d flags %#x: batch %u, expected %u",
				  flip, (unsigned int)flags[f], nr,
				  want[flip][f]);
			int old_nr;

			if (flags[f] & FPB_RESPECT_WRITE)
				continue;
			old_nr = folio_pte_batch(folio, addr, ptep,
						 ptep_get(ptep), 16, flags[f],
						 NULL, NULL, NULL);
			PB_EXPECT(env, old_nr == (int)nr,
				  "flip %d flags %#x: folio_pte_batch %d",
				  flip, (unsigned int)flags[f], old_nr);
		}
		clear_full_ptes(pb_mm(env), addr, ptep, 16, 0);
	}
}

static void pb_batch_stops_at_folio_end_and_max_nr(struct pb_env *env)
{
	struct folio *folio = pb_folio(env, 3);
	pte_t *ptep = PB_SLOT(env, 8);
	unsigned int nr;

	PB_REQUIRE(env, folio, "no folio");
	pb_map(env, folio, 0, 8, 8, pb_pte(0, false, false));
	nr = folio_pte_batch(folio, 0, ptep, ptep_get(ptep), 512,
				   FPB_IGNORE_DIRTY, NULL, NULL, NULL);
	PB_EXPECT(env, nr == 8, "to the folio end: %u", nr);
	nr = folio_pte_batch(folio, 0, ptep, ptep_get(ptep), 3,
				   FPB_IGNORE_DIRTY, NULL, NULL, NULL);
	PB_EXPECT(env, nr == 3, "to max_nr: %u", nr);
	nr = folio_pte_batch(folio, 0, ptep + 5, ptep_get(ptep + 5), 512,
				   FPB_IGNORE_DIRTY, NULL, NULL, NULL);
	PB_EXPECT(env, nr == 3, "from page 5: %u", nr);
}

/* ----------------------------- swap PTE runs ------------------------------ */

static void pb_set_swap_ptes_run_is_detected(struct pb_env *env)
{
	pte_t first = pte_swp_mkexclusive(swp_entry_to_pte(swp_entry(1, 0x200)));
	unsigned int i;

	set_swap_ptes(pb_mm(env), PB_ADDR(env, 100), PB_SLOT(env, 100), first,
		      24);
	for (i = 0; i < 24; i++) {
		pte_t pte = ptep_get(PB_SLOT(env, 100 + i));
		swp_entry_t e = pte_to_swp_entry(pte);

		PB_EXPECT(env, is_swap_pte(pte) && swp_type(e) == 1 &&
			  swp_offset(e) == 0x200 + i && pte_swp_exclusive(pte),
			  "slot %u: %#llx", i, (unsigned long long)pte_val(pte));
	}
	PB_EXPECT(env, swap_pte_batch(PB_SLOT(env, 100), 24,
				      ptep_get(PB_SLOT(env, 100))) == 24, "run");
	/* a flag flip ends the run */
	set_pte_at(pb_mm(env), PB_ADDR(env, 110), PB_SLOT(env, 110),
		   pte_swp_clear_exclusive(ptep_get(PB_SLOT(env, 110))));
	PB_EXPECT(env, swap_pte_batch(PB_SLOT(env, 100), 24,
				      ptep_get(PB_SLOT(env, 100))) == 10,
		  "run across an exclusive flip");
	clear_not_present_full_ptes(pb_mm(env), PB_ADDR(env, 100),
				    PB_SLOT(env, 100), 24, 0);
}

static void pb_make_swap_pte_carries_exactly_three_bits(struct pb_env *env)
{
	unsigned int c;

	for (c = 0; c < 8; c++) {
		bool excl = c & 1, sd = c & 2, uffd = c & 4;
		pte_t pteval = pb_pte(0x4321, !uffd, true);
		pte_t swp;

		pteval = sd ? pte_mksoft_dirty(pteval) :
			      pte_clear_soft_dirty(pteval);
		if (uffd)
			pteval = pte_mkuffd_wp(pteval);
		swp = make_swap_pte(swp_entry(2, 0x77), pteval, excl);
		PB_EXPECT(env, pte_to_swp_entry(swp).val == swp_entry(2, 0x77).val,
			  "case %u: entry", c);
		PB_EXPECT(env, !!pte_swp_exclusive(swp) == excl &&
			  !!pte_swp_uffd_wp(swp) == uffd &&
			  !!pte_swp_soft_dirty(swp) == !!pte_soft_dirty(pteval),
			  "case %u: swap bits %#llx", c,
			  (unsigned long long)pte_val(swp));
	}
}

/* ------------------------------ uffd-wp markers ----------------------------- */

/*
 * install_uffd_wp_ptes_if_needed() after a batch of cleared PTEs (zap and
 * try_to_unmap_one()): a uffd-wp marker in each of the batch's entries and
 * in nothing past them, but only in a file VMA registered for uffd-wp and
 * only when the batch's PTE was wr-protected (present with uffd-wp, or a
 * swap PTE with it); otherwise every entry stays none.
 */
static void pb_uffd_wp_markers_for_a_cleared_batch(struct pb_env *env)
{
	const pte_t plain = pb_pte(0x1234, true, true);
	const pte_t wp = pte_mkuffd_wp(pb_pte(0x1234, false, true));
	const pte_t swp_wp =
		pte_swp_mkuffd_wp(swp_entry_to_pte(swp_entry(1, 0x42)));
	const unsigned int first = 200, nr = 9;
	unsigned int c, i;

	for (c = 0; c < 6; c++) {
		/*
		 * 0: wr-protected, 1: not, 2: swap PTE wr-protected, in a
		 * file VMA registered for uffd-wp; 3: one not registered;
		 * 4, 5: an anonymous VMA registered for uffd-wp
		 */
		struct vm_area_struct *vma = pb_file_vma(env, c != 3);
		pte_t pteval = c == 1 ? plain : c == 2 || c == 5 ? swp_wp : wp;
		bool armed = c == 0 || c == 2;

		if (c >= 4)
			vma->vm_ops = NULL;
		install_uffd_wp_ptes_if_needed(vma, PB_ADDR(env, first),
					       PB_SLOT(env, first), pteval, nr);
		for (i = first - 1; i <= first + nr; i++) {
			pte_t pte = pb_raw(PB_SLOT(env, i));
			bool inside = i >= first && i < first + nr;

			if (armed && inside)
				PB_EXPECT(env, pte_marker_uffd_wp(pte),
					  "case %u slot %u: %#llx, not a marker",
					  c, i, (unsigned long long)pte_val(pte));
			else
				PB_EXPECT(env, pte_none(pte),
					  "case %u slot %u: %#llx, not none",
					  c, i, (unsigned long long)pte_val(pte));
		}
		clear_not_present_full_ptes(pb_mm(env), PB_ADDR(env, first),
					    PB_SLOT(env, first), nr, 0);
	}
}

/* ------------------------------ arm64 contpte ------------------------------ */

/* ---------------------- changing protection (mprotect) --------------------- */

/*
 * What the batched change_pte_range() does with a run:
 * modify_prot_start_ptes() clears it and returns its first PTE with the
 * run's accessed and dirty state, modify_prot_commit_ptes() writes the new
 * protection to every entry, advancing the PFN. A run over parts of two
 * 64K blocks leaves the entries around it mapped; on arm64 a whole aligned
 * block stays folded through start and commit.
 */
static void pb_modify_prot_ptes_change_a_run(struct pb_env *env)
{
	struct vm_area_struct *vma = pb_vma(env);
	struct folio *folio = pb_folio(env, 5);
	pte_t old, new;
	unsigned int i;

	PB_REQUIRE(env, folio, "no folio");
	pb_map(env, folio, 0, 16, 32, pte_mkold(pb_pte(0, true, false)));
	/* the MMU dirties page 11 and reads page 20, both inside the run */
	pb_hw_access(PB_SLOT(env, 16 + 11), true);
	pb_hw_access(PB_SLOT(env, 16 + 20), false);
	old = modify_prot_start_ptes(vma, PB_ADDR(env, 24), PB_SLOT(env, 24),
				     16);
	PB_EXPECT(env, pte_pfn(old) == folio_pfn(folio) + 8, "first pfn");
	PB_EXPECT(env, pte_young(old) && pte_dirty(old) && pte_write(old),
		  "young %d dirty %d write %d", !!pte_young(old),
		  !!pte_dirty(old), !!pte_write(old));
	for (i = 16; i < 48; i++) {
		pte_t pte = ptep_get(PB_SLOT(env, i));

		if (i >= 24 && i < 40) {
			PB_EXPECT(env, pte_none(pte), "slot %u not cleared", i);
			continue;
		}
		PB_EXPECT(env, pte_present(pte) &&
			  pte_pfn(pte) == folio_pfn(folio) + i - 16,
			  "slot %u outside the run changed", i);
	}
	new = pte_wrprotect(pte_modify(old, PAGE_READONLY));
	modify_prot_commit_ptes(vma, PB_ADDR(env, 24), PB_SLOT(env, 24), old,
				new, 16);
	for (i = 24; i < 40; i++) {
		pte_t pte = ptep_get(PB_SLOT(env, i));

		PB_EXPECT(env, pte_present(pte) && !pte_write(pte) &&
			  pte_pfn(pte) == folio_pfn(folio) + i - 16,
			  "slot %u: present %d write %d pfn +%lu", i,
			  !!pte_present(pte), !!pte_write(pte),
			  (unsigned long)(pte_pfn(pte) - folio_pfn(folio)));
		PB_EXPECT(env, pte_dirty(pte) && pte_young(pte),
			  "slot %u lost the run's accessed/dirty state", i);
	}
	/* a whole aligned block, read-only again to writable */
	old = modify_prot_start_ptes(vma, PB_ADDR(env, 32), PB_SLOT(env, 32),
				     16);
	new = pte_mkwrite(pte_modify(old, PAGE_READONLY), vma);
	modify_prot_commit_ptes(vma, PB_ADDR(env, 32), PB_SLOT(env, 32), old,
				new, 16);
	for (i = 32; i < 48; i++) {
		pte_t pte = ptep_get(PB_SLOT(env, i));

		PB_EXPECT(env, pte_present(pte) && pte_write(pte) &&
			  pte_pfn(pte) == folio_pfn(folio) + i - 16,
			  "slot %u not made writable", i);
#ifdef PTE_CONT
		PB_EXPECT(env, pte_cont(pb_raw(PB_SLOT(env, i))),
			  "slot %u: the whole block was not written folded", i);
#endif
	}
}

#ifdef PTE_CONT
static void pb_contpte_block_reads_gathered_accessed_dirty(struct pb_env *env)
{
	struct folio *folio = pb_folio(env, 4);
	unsigned int i;

	PB_REQUIRE(env, folio, "no folio");
	pb_map(env, folio, 0, 48, 16, pte_mkold(pb_pte(0, true, false)));
	PB_EXPECT(env, pte_cont(pb_raw(PB_SLOT(env, 48))), "not folded");
	pb_hw_access(PB_SLOT(env, 48 + 3), true);
	for (i = 0; i < 16; i++) {
		pte_t pte = ptep_get(PB_SLOT(env, 48 + i));

		PB_EXPECT(env, pte_young(pte) && pte_dirty(pte),
			  "slot %u does not see the block's A/D", i);
		PB_EXPECT(env, pte_batch_hint(PB_SLOT(env, 48 + i), pte) ==
			  16 - i, "hint at %u", i);
	}
	/* batch detection reads one entry of the block */
	i = folio_pte_batch(folio, 0, PB_SLOT(env, 48),
				  ptep_get(PB_SLOT(env, 48)), 16,
				  FPB_IGNORE_DIRTY | FPB_RESPECT_WRITE,
				  NULL, NULL, NULL);
	PB_EXPECT(env, i == 16, "batch of %u", i);
}

static void pb_contpte_single_write_unfolds_and_last_write_refolds(struct pb_env *env)
{
	struct folio *folio = pb_folio(env, 4);
	pte_t pte;
	unsigned int i;

	PB_REQUIRE(env, folio, "no folio");
	pb_map(env, folio, 0, 64, 16, pb_pte(0, true, false));
	/* a single-entry write must unfold the block first */
	pte = ptep_get_and_clear(pb_mm(env), PB_ADDR(env, 64 + 15),
				 PB_SLOT(env, 64 + 15));
	for (i = 0; i < 15; i++)
		PB_EXPECT(env, !pte_cont(pb_raw(PB_SLOT(env, 64 + i))),
			  "slot %u still PTE_CONT after a single clear", i);
	/* writing the last entry of a compatible block folds it again */
	set_pte_at(pb_mm(env), PB_ADDR(env, 64 + 15), PB_SLOT(env, 64 + 15),
		   pte_mknoncont(pte));
	for (i = 0; i < 16; i++)
		PB_EXPECT(env, pte_cont(pb_raw(PB_SLOT(env, 64 + i))),
			  "slot %u not refolded", i);
	/* clearing a whole block needs no unfold: the others stay folded */
	get_and_clear_ptes(pb_mm(env), PB_ADDR(env, 64), PB_SLOT(env, 64), 16);
	for (i = 0; i < 16; i++)
		PB_EXPECT(env, pte_none(pb_raw(PB_SLOT(env, 64 + i))),
			  "slot %u not cleared", i);
}
#endif /* PTE_CONT */

/**
 * struct pb_case - a shared test case
 * @name: what the case checks, for the test report
 * @run: the case
 */
struct pb_case {
	const char *name;
	void (*run)(struct pb_env *env);
};

/* Every case, for the Check and KUnit wrappers to run. */
static const struct pb_case pb_cases[] = {
	{ "swap_entries_round_trip", pb_swap_entries_round_trip },
	{ "swap_offset_step_is_arch_constant",
	  pb_swap_offset_step_is_arch_constant },
	{ "swap_flag_bits_survive_moves_and_are_stripped",
	  pb_swap_flag_bits_survive_moves_and_are_stripped },
	{ "wrprotect_keeps_dirty_and_mkclean_drops_it",
	  pb_wrprotect_keeps_dirty_and_mkclean_drops_it },
	{ "set_ptes_maps_consecutive_pages",
	  pb_set_ptes_maps_consecutive_pages },
	{ "get_and_clear_ptes_gathers_accessed_and_dirty",
	  pb_get_and_clear_ptes_gathers_accessed_and_dirty },
	{ "move_runs_as_move_ptes_does", pb_move_runs_as_move_ptes_does },
	{ "folio_pte_batch_decides_by_flag",
	  pb_folio_pte_batch_decides_by_flag },
	{ "batch_stops_at_folio_end_and_max_nr",
	  pb_batch_stops_at_folio_end_and_max_nr },
	{ "set_swap_ptes_run_is_detected", pb_set_swap_ptes_run_is_detected },
	{ "make_swap_pte_carries_exactly_three_bits",
	  pb_make_swap_pte_carries_exactly_three_bits },
	{ "modify_prot_ptes_change_a_run", pb_modify_prot_ptes_change_a_run },
	{ "uffd_wp_markers_for_a_cleared_batch",
	  pb_uffd_wp_markers_for_a_cleared_batch },
#ifdef PTE_CONT
	{ "contpte_block_reads_gathered_accessed_dirty",
	  pb_contpte_block_reads_gathered_accessed_dirty },
	{ "contpte_single_write_unfolds_and_last_write_refolds",
	  pb_contpte_single_write_unfolds_and_last_write_refolds },
#endif
};
