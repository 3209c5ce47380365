/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mprotect's change_pte_range() as a call site of the random worlds
 * (world.h); see mprotect_world.c.
 */
#ifndef _PTB_MPROTECT_WORLD_H
#define _PTB_MPROTECT_WORLD_H

#include "model/world.h"

extern const struct w_callsite mprotect_callsite;

#endif /* _PTB_MPROTECT_WORLD_H */
