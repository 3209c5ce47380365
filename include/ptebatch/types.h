/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page-table value types, common to the x86-64 and arm64 backends: both
 * kernels wrap a 64-bit value in a struct so that PTEs cannot be mixed up
 * with plain integers.
 */
#ifndef _PTEBATCH_TYPES_H
#define _PTEBATCH_TYPES_H

#include <ptebatch/kernel.h>

typedef u64 pteval_t;
typedef u64 pmdval_t;

typedef struct { pteval_t pte; } pte_t;
typedef struct { pmdval_t pmd; } pmd_t;
typedef struct { pteval_t pgprot; } pgprot_t;

#define pte_val(x)	((x).pte)
#define __pte(x)	((pte_t) { (x) })
#define pmd_val(x)	((x).pmd)
#define __pmd(x)	((pmd_t) { (x) })
#define pgprot_val(x)	((x).pgprot)
#define __pgprot(x)	((pgprot_t) { (x) })

/*
 * The arch-independent swap entry: type in the top bits, offset below, as
 * include/linux/swapops.h packs it.
 */
typedef struct { unsigned long val; } swp_entry_t;

struct mm_struct;
struct vm_area_struct;
struct page;
struct folio;

#endif /* _PTEBATCH_TYPES_H */
