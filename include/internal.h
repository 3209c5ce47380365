/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment header of the userspace build: the stand-in for the
 * kernel's mm/internal.h, the only header lib/ includes.
 *
 * In the kernel, lib/pte_batch.h becomes mm/pte_batch.h and its
 * #include "internal.h" picks up mm/internal.h, which brings <linux/mm.h>,
 * <linux/pgtable.h>, <linux/swapops.h> and the 6.12 batch helpers. Here the
 * same include resolves to this file, which assembles the model from the
 * pieces under include/ptebatch/, the arch backend selected by the include
 * path, and the two verbatim copies of 6.12 code in lib/ (pgtable.h and
 * mm_internal.h). It uses mm/internal.h's include guard, like
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
#include <ptebatch/tlb.h>
#include "mm_internal.h"

#endif /* __MM_INTERNAL_H */
