// SPDX-License-Identifier: GPL-2.0
/*
 * Page tables of the model: each mm has up to PTB_MAX_TABLES PTE tables,
 * one per 2 MiB PMD range, each a 4096-byte aligned array of 512 entries so
 * that pointer arithmetic on table slots (arm64's contpte alignment,
 * pte_batch_hint()) works as in the kernel. Each table ends where an
 * inaccessible guard page starts, and one precedes it, so a batch that runs
 * off its page table faults at once instead of reading a neighbour.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <ptebatch/model.h>

static size_t ptb_host_page(void)
{
	long sz = sysconf(_SC_PAGESIZE);

	return sz > 0 ? (size_t)sz : 4096;
}

#define PTB_TABLE_BYTES (PTRS_PER_PTE * sizeof(pte_t))

static pte_t *ptb_table_alloc(void)
{
	size_t hp = ptb_host_page();
	char *map;

	map = mmap(NULL, 3 * hp, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	if (map == MAP_FAILED || mprotect(map + hp, hp, PROT_READ | PROT_WRITE)) {
		perror("ptebatch: page table");
		abort();
	}
	/* the last 4096 bytes of the accessible host page */
	return (pte_t *)(map + 2 * hp - PTB_TABLE_BYTES);
}

static void ptb_table_free(pte_t *table)
{
	size_t hp = ptb_host_page();

	munmap((char *)table + PTB_TABLE_BYTES - 2 * hp, 3 * hp);
}

void ptb_mm_init(struct mm_struct *mm)
{
	memset(mm, 0, sizeof(*mm));
	INIT_LIST_HEAD(&mm->mmlist);
	mm->pgtable = calloc(1, sizeof(*mm->pgtable));
	if (!mm->pgtable)
		abort();
}

void ptb_mm_destroy(struct mm_struct *mm)
{
	unsigned int i;

	if (!mm->pgtable)
		return;
	for (i = 0; i < mm->pgtable->nr; i++)
		ptb_table_free(mm->pgtable->table[i]);
	free(mm->pgtable);
	mm->pgtable = NULL;
}

pte_t *ptb_pte_slot(struct mm_struct *mm, unsigned long addr, bool alloc)
{
	struct ptb_pgtable *pgt = mm->pgtable;
	unsigned long pmd_addr = addr & PMD_MASK;
	unsigned int i;
	pte_t *table;

	for (i = 0; i < pgt->nr; i++)
		if (pgt->pmd_addr[i] == pmd_addr)
			return pgt->table[i] + pte_index(addr);
	if (!alloc)
		return NULL;
	if (pgt->nr == PTB_MAX_TABLES) {
		fprintf(stderr, "ptebatch: more than %d page tables\n",
			PTB_MAX_TABLES);
		abort();
	}
	table = ptb_table_alloc();
	pgt->pmd_addr[pgt->nr] = pmd_addr;
	pgt->table[pgt->nr++] = table;
	return table + pte_index(addr);
}

/*
 * The model's page_table_check hook (ptebatch/page_table_check.h): the
 * contract of set_ptes(), checked where the kernel accounts the new PTEs.
 */
void page_table_check_ptes_set(struct mm_struct *mm, pte_t *ptep, pte_t pte,
			       unsigned int nr)
{
	unsigned int i;

	if (nr < 2)
		return;
	VM_WARN_ON(!pte_present(pte));
	for (i = 0; i < nr; i++)
		VM_WARN_ON(pte_present(READ_ONCE(ptep[i])));
}
