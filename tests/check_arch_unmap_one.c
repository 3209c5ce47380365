// SPDX-License-Identifier: GPL-2.0
/*
 * On an architecture with its own arch_unmap_one() (sparc64 defines
 * __HAVE_ARCH_UNMAP_ONE), which looks at one PTE at a time, swap-outs are
 * not batched, while lazyfree folios, whose unmap never calls it, still are.
 * This suite compiles lib/unmap_batch.c as such an architecture would.
 */
#include "harness.h"

#define __HAVE_ARCH_UNMAP_ONE

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "unmap_batch.c"
#pragma GCC diagnostic pop

#define ADDR	(PTB_VA + 0x10000)

static const struct ptb_pte_bits rw = { .write = true, .young = true };

static unsigned int batch_of(unsigned long flags, bool in_swap_cache)
{
	struct folio *folio = ptb_folio_create(PTB_BASE_PFN + 64, 4,
					       flags | BIT(PG_locked),
					       ADDR >> PAGE_SHIFT);
	struct page_vma_mapped_walk pvmw = {
		.vma = &ptb_vma, .address = ADDR, .pte = ptb_slot(ADDR),
	};

	if (in_swap_cache)
		ptb_folio_add_to_swap_cache(folio, 0);
	ptb_map_folio(&ptb_vma, folio, 0, ADDR, 16, &rw, true);
	return folio_unmap_pte_batch(folio, &pvmw, 0, ptb_peek(pvmw.pte));
}

START_TEST(swap_out_is_one_pte_at_a_time)
{
	ck_assert_uint_eq(batch_of(BIT(PG_anon), true), 1);
}
END_TEST

START_TEST(lazyfree_is_still_batched)
{
	ck_assert_uint_eq(batch_of(BIT(PG_anon), false), 16);
}
END_TEST

Suite *ptb_suite(void)
{
	Suite *s = suite_create("arch_unmap_one");
	TCase *tc = tcase_create("batch_sizing");

	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	tcase_add_test(tc, swap_out_is_one_pte_at_a_time);
	tcase_add_test(tc, lazyfree_is_still_batched);
	suite_add_tcase(s, tc);
	return s;
}
