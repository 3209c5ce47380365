// SPDX-License-Identifier: GPL-2.0
/*
 * What the fuzzers (and the sanitizer and valgrind runs) found, pinned as
 * directed tests (tests/fuzz/README.md, "Findings"). Each input that found
 * something is also kept in tests/fuzz/corpus/<target>/regress-*, which the
 * check_fuzz_<target> suites replay.
 */
#include "../harness.h"	/* the real one, not the fuzz build's */

/*
 * fuzz_swp, x86: the swap offset is stored inverted (L1TF), so the largest
 * offset the arch encoding has room for, 2^50 - 1, gives type 0 the
 * all-zero PTE: pte_none(), not a swap PTE. No kernel reaches it: a swap
 * device has fewer than 2^32 slots (swap_header.info.last_page is a __u32;
 * read_swap_header()). Every offset below that, on every real swap type,
 * must round-trip on both backends.
 */
START_TEST(swap_offsets_below_2_32_round_trip_on_every_type)
{
	static const pgoff_t offsets[] = {
		1, 2, 0x1234, 0xffff, 0x10000, 0x7fffffff, 0x80000000,
		0xfffffffe, 0xffffffff,
	};
	unsigned int type, i;

	for (type = 0; type < MAX_SWAPFILES; type++) {
		for (i = 0; i < ARRAY_SIZE(offsets); i++) {
			swp_entry_t e = swp_entry(type, offsets[i]);
			pte_t pte = swp_entry_to_pte(e);

			ck_assert_msg(is_swap_pte(pte) && !pte_none(pte),
				      "type %u offset %#lx: %#llx is not a swap PTE",
				      type, offsets[i],
				      (unsigned long long)pte_val(pte));
			ck_assert_msg(pte_to_swp_entry(pte).val == e.val,
				      "type %u offset %#lx does not round-trip",
				      type, offsets[i]);
		}
	}
}
END_TEST

START_TEST(largest_arch_offset_of_type_0_is_pte_none_only_on_x86)
{
	pgoff_t max = swp_offset(pte_to_swp_entry(swp_entry_to_pte(
						swp_entry(0, ~0UL))));
	pte_t pte = swp_entry_to_pte(swp_entry(0, max));

	ck_assert_uint_eq(max, (1UL << 50) - 1);	/* both backends */
	if (!strcmp(PTB_ARCH_NAME, "x86"))
		ck_assert_msg(pte_none(pte), "x86: %#llx",
			      (unsigned long long)pte_val(pte));
	else
		ck_assert_msg(is_swap_pte(pte) &&
			      pte_to_swp_entry(pte).val == swp_entry(0, max).val,
			      "arm64: %#llx", (unsigned long long)pte_val(pte));
	/* type 1 is fine at the same offset on both */
	pte = swp_entry_to_pte(swp_entry(1, max));
	ck_assert(is_swap_pte(pte));
	ck_assert_uint_eq(pte_to_swp_entry(pte).val, swp_entry(1, max).val);
}
END_TEST

/*
 * LeakSanitizer and valgrind (make check-valgrind): the suites leaked their
 * folios once a new memmap dropped the last pointers to them. The memmap
 * now owns its folios: ptb_memmap_init() frees those still live, exactly
 * once, and ptb_folio_free() takes one off the memmap early. A folio freed
 * twice aborts in glibc, ASan or valgrind; one never freed fails the leak
 * checks of the sanitizer and valgrind runs of this test.
 */
START_TEST(memmap_frees_its_live_folios_once)
{
	struct folio *a, *b, *c;
	unsigned int round, i;

	for (round = 0; round < 3; round++) {
		ptb_memmap_init(PTB_BASE_PFN, 64);
		a = ptb_folio_create(PTB_BASE_PFN, 2, BIT(PG_anon), 0);
		b = ptb_folio_create(PTB_BASE_PFN + 16, 4, BIT(PG_anon), 0);
		c = ptb_folio_create(PTB_BASE_PFN + 32, 0, BIT(PG_anon), 0);
		ck_assert_ptr_eq(page_folio(pfn_to_page(PTB_BASE_PFN + 17)), b);

		/* b goes now, a and c with the memmap */
		ptb_folio_free(b);
		for (i = 16; i < 32; i++)
			ck_assert_ptr_null(pfn_to_page(PTB_BASE_PFN + i)->folio);
		ck_assert_ptr_eq(page_folio(pfn_to_page(PTB_BASE_PFN + 3)), a);
		ck_assert_ptr_eq(page_folio(pfn_to_page(PTB_BASE_PFN + 32)), c);
		ptb_folio_free(NULL);
	}
	ptb_memmap_init(PTB_BASE_PFN, 64);
	for (i = 0; i < 64; i++)
		ck_assert_ptr_null(pfn_to_page(PTB_BASE_PFN + i)->folio);
}
END_TEST

Suite *ptb_suite(void)
{
	Suite *s = suite_create("fuzz_findings");
	TCase *tc = tcase_create("swap_encoding");

	tcase_add_test(tc, swap_offsets_below_2_32_round_trip_on_every_type);
	tcase_add_test(tc, largest_arch_offset_of_type_0_is_pte_none_only_on_x86);
	suite_add_tcase(s, tc);

	tc = tcase_create("model");
	tcase_add_test(tc, memmap_frees_its_live_folios_once);
	suite_add_tcase(s, tc);
	return s;
}
