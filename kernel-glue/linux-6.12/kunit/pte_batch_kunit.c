// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the PTE batch helpers on real page tables of a user mm.
 *
 * The cases are in pte_batch_kunit_cases.h, which is ptebatch's
 * tests/shared/pte_batch_cases.h: the same cases run in userspace against
 * ptebatch's models of the x86-64 and arm64 page-table code, so that a
 * model that disagrees with the real arch code fails on one side only.
 *
 * Each case gets a fresh mm with one anonymous VMA over a 2 MiB range and
 * the page table that maps it, and folios from the page allocator that
 * nothing else maps. The mm is never run: its PTEs are only written, read
 * and cleared, and every entry is cleared before the mm goes away.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/mman.h>
#include <linux/sizes.h>
#include <linux/sched/mm.h>
#include <linux/swap.h>
#include <linux/swapops.h>

#include "internal.h"

/* any 2 MiB-aligned user address */
#define PB_TEST_VA	SZ_1G
#define PB_MAX_FOLIOS	8

struct pb_env {
	struct kunit *test;
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	struct vm_area_struct file_vma;
	pte_t *table;
	struct folio *folios[PB_MAX_FOLIOS];
	unsigned int nr_folios;
};

#define PB_EXPECT(env, cond, fmt, ...) \
	KUNIT_EXPECT_TRUE_MSG((env)->test, cond, fmt, ##__VA_ARGS__)
#define PB_REQUIRE(env, cond, fmt, ...) \
	KUNIT_ASSERT_TRUE_MSG((env)->test, cond, fmt, ##__VA_ARGS__)

static struct mm_struct *pb_mm(struct pb_env *env)
{
	return env->mm;
}

static unsigned long pb_va(struct pb_env *env)
{
	return PB_TEST_VA;
}

static struct vm_area_struct *pb_vma(struct pb_env *env)
{
	return env->vma;
}

static const struct vm_operations_struct pb_file_vm_ops;

/*
 * A file VMA over the same range: a copy of the anonymous one with vm_ops,
 * not in the mm's tree (the helpers only look at its flags and its mm).
 */
static struct vm_area_struct *pb_file_vma(struct pb_env *env, bool uffd_wp)
{
	/* vm_flags is const: no assignment of the whole struct */
	memcpy(&env->file_vma, env->vma, sizeof(env->file_vma));
	env->file_vma.vm_ops = &pb_file_vm_ops;
	vm_flags_init(&env->file_vma, env->vma->vm_flags | VM_SHARED |
		      (uffd_wp ? VM_UFFD_WP : 0));
	return &env->file_vma;
}

static pte_t *pb_table(struct pb_env *env)
{
	return env->table;
}

static struct folio *pb_folio(struct pb_env *env, unsigned int order)
{
	struct folio *folio;

	if (env->nr_folios == PB_MAX_FOLIOS)
		return NULL;
	folio = folio_alloc(GFP_KERNEL, order);
	if (folio)
		env->folios[env->nr_folios++] = folio;
	return folio;
}

/* The entry as stored, without arm64's gathering of a contpte block. */
static inline pte_t pb_raw(pte_t *ptep)
{
#ifdef CONFIG_ARM64
	return __ptep_get(ptep);
#else
	return ptep_get(ptep);
#endif
}

/*
 * What the MMU does on an access through the entry: set the accessed flag
 * and, on a write through a writable entry, the hardware dirty state. It
 * touches this one entry only, even inside an arm64 contpte block.
 */
static void pb_hw_access(pte_t *ptep, bool write)
{
#ifdef CONFIG_ARM64
	pteval_t old = READ_ONCE(pte_val(*ptep)), new;

	do {
		if (!(old & PTE_VALID))
			return;
		new = old | PTE_AF;
		if (write && (old & PTE_DBM))
			new &= ~PTE_RDONLY;
	} while (!try_cmpxchg_relaxed(&pte_val(*ptep), &old, new));
#else
	pteval_t val = pte_val(ptep_get(ptep));

	if (!(val & _PAGE_PRESENT))
		return;
	val |= _PAGE_ACCESSED;
	if (write && (val & _PAGE_RW))
		val |= _PAGE_DIRTY;
	set_pte(ptep, __pte(val));
#endif
}

#include "pte_batch_kunit_cases.h"

static int pb_init(struct kunit *test)
{
	struct vm_area_struct *vma;
	struct pb_env *env;
	spinlock_t *ptl;	/* the page table's lock, only to map it */
	pte_t *ptep;
	int err;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	if (!env)
		return -ENOMEM;
	env->test = test;
	env->mm = mm_alloc();
	if (!env->mm)
		return -ENOMEM;

	vma = vm_area_alloc(env->mm);
	if (!vma)
		goto nomem;
	vma->vm_start = PB_TEST_VA;
	vma->vm_end = PB_TEST_VA + PMD_SIZE;
	vm_flags_init(vma, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	vma_set_anonymous(vma);
	mmap_write_lock(env->mm);
	err = insert_vm_struct(env->mm, vma);
	mmap_write_unlock(env->mm);
	if (err) {
		vm_area_free(vma);
		goto nomem;
	}
	env->vma = vma;

	ptep = get_locked_pte(env->mm, PB_TEST_VA, &ptl);
	if (!ptep)
		goto nomem;
	env->table = ptep;
	pte_unmap_unlock(ptep, ptl);
	test->priv = env;
	return 0;
nomem:
	mmput(env->mm);
	return -ENOMEM;
}

static void pb_exit(struct kunit *test)
{
	struct pb_env *env = test->priv;
	unsigned int i;

	if (!env)
		return;
	/* the folios were never rmapped: nothing may be left to zap */
	for (i = 0; i < PTRS_PER_PTE; i++)
		if (!pte_none(ptep_get(env->table + i)))
			ptep_get_and_clear(env->mm, PB_TEST_VA + i * PAGE_SIZE,
					   env->table + i);
	flush_tlb_mm(env->mm);
	for (i = 0; i < env->nr_folios; i++)
		folio_put(env->folios[i]);
	mmput(env->mm);
}

static void pb_run_case(struct kunit *test)
{
	const struct pb_case *c = test->param_value;

	c->run(test->priv);
}

KUNIT_ARRAY_PARAM_DESC(pb_cases, pb_cases, name);

static struct kunit_case pte_batch_test_cases[] = {
	KUNIT_CASE_PARAM(pb_run_case, pb_cases_gen_params),
	{}
};

static struct kunit_suite pte_batch_test_suite = {
	.name = "pte_batch",
	.init = pb_init,
	.exit = pb_exit,
	.test_cases = pte_batch_test_cases,
};

kunit_test_suite(pte_batch_test_suite);

MODULE_DESCRIPTION("KUnit tests of the PTE batch helpers");
MODULE_LICENSE("GPL");
