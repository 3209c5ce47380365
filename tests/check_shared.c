// SPDX-License-Identifier: GPL-2.0
/*
 * The shared cases (tests/shared/pte_batch_cases.h) against the userspace
 * models. The patched kernel runs the very same cases as the KUnit suite
 * "pte_batch" (kernel-glue/linux-6.12/kunit/), against the real arch code.
 */
#include "harness.h"
#include "pte_compare.h"

struct pb_env {
	unsigned long next_pfn;
};

#define PB_EXPECT(env, cond, fmt, ...) \
	ck_assert_msg(cond, "%s: " fmt, __func__, ##__VA_ARGS__)
#define PB_REQUIRE(env, cond, fmt, ...) \
	ck_assert_msg(cond, "%s: " fmt, __func__, ##__VA_ARGS__)

static struct mm_struct *pb_mm(struct pb_env *env)
{
	return &ptb_mm;
}

static unsigned long pb_va(struct pb_env *env)
{
	return PTB_VA + 2 * PMD_SIZE;
}

/* an anonymous, private, writable VMA of ptb_mm over the table */
static struct vm_area_struct *pb_vma(struct pb_env *env)
{
	static struct vm_area_struct vma;

	vma = (struct vm_area_struct){
		.vm_start = pb_va(env),
		.vm_end = pb_va(env) + PMD_SIZE,
		.vm_mm = &ptb_mm,
		.vm_flags = VM_READ | VM_WRITE,
		.vm_page_prot = PAGE_COPY,
	};
	return &vma;
}

/* the same range as a shmem-like file VMA, registered for uffd-wp if asked */
static struct vm_area_struct *pb_file_vma(struct pb_env *env, bool uffd_wp)
{
	static const int file_vm_ops;	/* any vm_ops: not anonymous */
	static struct vm_area_struct vma;

	vma = *pb_vma(env);
	vma.vm_flags |= VM_SHARED | (uffd_wp ? VM_UFFD_WP : 0);
	vma.vm_ops = &file_vm_ops;
	return &vma;
}

static pte_t *pb_table(struct pb_env *env)
{
	return ptb_slot(pb_va(env));
}

/* a fresh folio, naturally aligned, as the buddy allocator gives them */
static struct folio *pb_folio(struct pb_env *env, unsigned int order)
{
	unsigned long pfn = ALIGN(env->next_pfn, 1UL << order);

	env->next_pfn = pfn + (1UL << order);
	return ptb_folio_create(pfn, order, BIT(PG_anon), 0);
}

#define pb_raw rd
#define pb_hw_access ptb_hw_access

#include "shared/pte_batch_cases.h"

START_TEST(shared_case)
{
	struct pb_env env = { .next_pfn = PTB_BASE_PFN + 512 };

	pb_cases[_i].run(&env);
}
END_TEST

Suite *ptb_suite(void)
{
	Suite *s = suite_create("shared");
	TCase *tc = tcase_create("kernel_semantics");

	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	tcase_add_loop_test(tc, shared_case, 0, ARRAY_SIZE(pb_cases));
	suite_add_tcase(s, tc);
	return s;
}
