/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's <linux/page_table_check.h>: page_table_check_ptes_set(),
 * which set_ptes() (generic, and arm64's __set_ptes()) calls before
 * writing. Instead of page_table_check's accounting, the model checks
 * set_ptes()'s contract there: with nr > 1 no target may be present (it is
 * none, or a swap entry or marker left where the PTEs were cleared: a
 * uffd-wp marker try_to_unmap_one() armed before restoring a batch) and the
 * new PTE must be present (include/shim/pgtable.c; arm64's
 * contpte_set_ptes() relies on it: "the initial state of all ptes is
 * not-present").
 */
#ifndef _PTEBATCH_PAGE_TABLE_CHECK_H
#define _PTEBATCH_PAGE_TABLE_CHECK_H

void page_table_check_ptes_set(struct mm_struct *mm, pte_t *ptep, pte_t pte,
			       unsigned int nr);

#endif /* _PTEBATCH_PAGE_TABLE_CHECK_H */
