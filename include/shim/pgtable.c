// SPDX-License-Identifier: GPL-2.0
/*
 * Page tables of the model: each mm has up to PTB_MAX_TABLES PTE tables,
 * one per 2 MiB PMD range, each a 4096-byte aligned array of 512 entries so
 * that pointer arithmetic on table slots (arm64's contpte alignment,
 * pte_batch_hint()) works as in the kernel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ptebatch/model.h>

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
		free(mm->pgtable->table[i]);
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
	table = aligned_alloc(PTRS_PER_PTE * sizeof(pte_t),
			      PTRS_PER_PTE * sizeof(pte_t));
	if (!table)
		abort();
	memset(table, 0, PTRS_PER_PTE * sizeof(pte_t));
	pgt->pmd_addr[pgt->nr] = pmd_addr;
	pgt->table[pgt->nr++] = table;
	return table + pte_index(addr);
}
