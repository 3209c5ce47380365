// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

struct mm_struct ptb_mm;
struct vm_area_struct ptb_vma;

static const char *ptb_prog = "check";

static void __attribute__((noreturn, format(printf, 1, 2)))
ptb_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", ptb_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_FAILURE);
}

/*
 * The environment variable @name as a whole number in [@min, @max] (decimal,
 * 0x hex or 0 octal), or @dflt when it is unset or empty. Anything else is
 * a mistake that would silently run other tests than asked: stop.
 */
static unsigned long long ptb_env_number(const char *name,
					 unsigned long long dflt,
					 unsigned long long min,
					 unsigned long long max)
{
	const char *s = getenv(name);
	unsigned long long v;
	char *end;

	if (!s || !*s)
		return dflt;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || strchr(s, '-') ||
	    isspace((unsigned char)*s) || v < min || v > max)
		ptb_usage_error("%s='%s' is not a whole number from %llu to %llu",
				name, s, min, max);
	return v;
}

u64 ptb_seed(void)
{
	return ptb_env_number("PTEBATCH_SEED", 0x70eba7c4ULL, 0, ~0ULL);
}

unsigned long ptb_iterations(unsigned long dflt)
{
	return ptb_env_number("PTEBATCH_ITERATIONS", dflt, 1, ULONG_MAX);
}

void ptb_setup(void)
{
	ptb_model_reset();
	ptb_memmap_init(PTB_BASE_PFN, PTB_MEMMAP_PAGES);
	ptb_mm_init(&ptb_mm);
	memset(&ptb_vma, 0, sizeof(ptb_vma));
	ptb_vma.vm_start = PTB_VA;
	ptb_vma.vm_end = PTB_VA + 4 * PMD_SIZE;
	ptb_vma.vm_mm = &ptb_mm;
	ptb_vma.vm_pgoff = PTB_VA >> PAGE_SHIFT;
	ptb_vma.vm_flags = VM_READ | VM_WRITE;
}

void ptb_teardown(void)
{
	ptb_mm_destroy(&ptb_mm);
}

pte_t ptb_mk_pte(unsigned long pfn, const struct ptb_pte_bits *b)
{
	pgprot_t prot = b->protnone ? PAGE_NONE :
			b->exec ? PAGE_READONLY_EXEC : PAGE_READONLY;
	pte_t pte = pfn_pte(pfn, prot);

	if (b->write)
		pte = pte_mkwrite_novma(pte);
	if (b->dirty)
		pte = pte_mkdirty(pte);
	pte = b->young ? pte_mkyoung(pte) : pte_mkold(pte);
	pte = b->soft_dirty ? pte_mksoft_dirty(pte) : pte_clear_soft_dirty(pte);
	if (b->uffd_wp)
		pte = pte_mkuffd_wp(pte);
	if (b->special)
		pte = pte_mkspecial(pte);
	return pte;
}

void ptb_map_folio(struct vm_area_struct *vma, struct folio *folio,
		   unsigned long idx, unsigned long addr, unsigned int nr,
		   const struct ptb_pte_bits *bits, bool exclusive)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned int i;

	ptb_cost_pause();
	set_ptes(mm, addr, ptb_pte_slot(mm, addr, true),
		 ptb_mk_pte(folio_pfn(folio) + idx, bits), nr);
	for (i = 0; i < nr; i++) {
		struct page *page = folio_page(folio, idx + i);

		if (exclusive)
			SetPageAnonExclusive(page);
		folio_add_rmap_ptes(folio, page, 1, vma);
		folio_get(folio);
		inc_mm_counter(mm, mm_counter(folio));
	}
	ptb_cost_resume();
}

int main(int argc, char **argv)
{
	SRunner *sr;
	int failed;

	if (argc > 0 && argv[0]) {
		const char *slash = strrchr(argv[0], '/');

		ptb_prog = slash ? slash + 1 : argv[0];
	}
	if (argc > 1)
		ptb_usage_error("takes no arguments, not '%s' (the environment chooses: PTEBATCH_SEED, PTEBATCH_ITERATIONS, CK_RUN_SUITE, CK_RUN_CASE, CK_FORK, CK_VERBOSITY)",
				argv[1]);
	/* bad settings stop the run before any test does */
	ptb_seed();
	ptb_iterations(1);

	sr = srunner_create(ptb_suite());
	fprintf(stderr, "ptebatch: backend %s, seed %#llx\n", PTB_ARCH_NAME,
		(unsigned long long)ptb_seed());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
