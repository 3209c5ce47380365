/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment header of the userspace build: the stand-in for the
 * kernel's mm/internal.h, the only header lib/ includes.
 *
 * lib/ holds kernel code as the patch series leaves it: lib/pgtable.h
 * (include/linux/pgtable.h's batch helpers), lib/rmap.h (include/linux/
 * rmap.h's anon-exclusive sharing), lib/mm_inline.h (include/linux/
 * mm_inline.h's uffd-wp markers), lib/mm_internal.h (mm/internal.h's PTE
 * batch helpers) and the fragments the series adds to mm/rmap.c and
 * mm/swapfile.c. This file assembles the view those have in the kernel from
 * the pieces under include/ptebatch/, the arch backend selected by the
 * include path and the lib/ headers, in the order the kernel headers have
 * them. It uses mm/internal.h's include guard, like
 * tools/testing/vma/vma_internal.h does for mm/vma_internal.h.
 */
#ifndef __MM_INTERNAL_H
#define __MM_INTERNAL_H

#include <ptebatch/kernel.h>
#include <ptebatch/cost.h>
#include <ptebatch/debug.h>
#include <ptebatch/types.h>
#include <ptebatch/mm.h>
#include <asm/pgtable.h>
#include <ptebatch/pgtable-generic.h>
#include "pgtable.h"
#include <ptebatch/swapops.h>
#include <ptebatch/swap.h>
#include <ptebatch/rmap.h>
#include "rmap.h"
#include <ptebatch/tlb.h>
#include "mm_inline.h"
#include <ptebatch/memory.h>
#include "mm_internal.h"

#endif /* __MM_INTERNAL_H */
