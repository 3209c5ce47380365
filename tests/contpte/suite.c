// SPDX-License-Identifier: GPL-2.0
/*
 * The contpte suite (see contpte.h): one test case per section, in the
 * order the sections are numbered; the tests of a section are added by its
 * own file.
 */
#include "contpte.h"

/*
 * One test case: the standard fixture, then the two worlds, a timeout of
 * @timeout seconds unless it is 0 (then Check's default), and the tests
 * @add_tests adds.
 */
static void add_tcase(Suite *s, const char *name, double timeout,
		      void (*add_tests)(TCase *tc))
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	tcase_add_checked_fixture(tc, worlds_setup, worlds_teardown);
	if (timeout)
		tcase_set_timeout(tc, timeout);
	add_tests(tc);
	suite_add_tcase(s, tc);
}

Suite *ptb_suite(void)
{
	Suite *s = suite_create("contpte");

	add_tcase(s, "logical_view", 120, add_random_ops_tests);
	add_tcase(s, "unfold", 30, add_unfold_tests);
	add_tcase(s, "fold", 0, add_fold_tests);
	add_tcase(s, "batch_hint", 120, add_batch_tests);
	add_tcase(s, "tlb_costs", 0, add_tlb_tests);
	add_tcase(s, "lockless", 60, add_lockless_tests);
	return s;
}
