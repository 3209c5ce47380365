/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment header of the userspace build: the stand-in for the
 * kernel's mm/internal.h, the only header lib/ includes.
 *
 * In the kernel the new helpers of lib/pte_batch.h sit in mm/internal.h,
 * right after 6.12's swap_pte_batch(), where they see <linux/mm.h>,
 * <linux/pgtable.h>, <linux/swapops.h> and the 6.12 batch helpers; the rmap
 * fragments (lib/unmap_*.c) sit in mm/rmap.c, which includes it. Here this
 * file assembles the same view from the pieces under include/ptebatch/, the
 * arch backend selected by the include path, the two verbatim copies of
 * 6.12 code in lib/ (pgtable.h and mm_internal.h) and then lib/pte_batch.h,
 * in the order the patched mm/internal.h has them. It uses mm/internal.h's
 * include guard, like tools/testing/vma/vma_internal.h does for
 * mm/vma_internal.h.
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
#include <ptebatch/tlb.h>
#include "mm_internal.h"
#include "pte_batch.h"

#endif /* __MM_INTERNAL_H */
