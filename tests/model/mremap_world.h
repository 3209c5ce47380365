/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mremap's move_ptes() as a call site of the random worlds (world.h); see
 * mremap_world.c.
 */
#ifndef _PTB_MREMAP_WORLD_H
#define _PTB_MREMAP_WORLD_H

#include "model/world.h"

extern const struct w_callsite mremap_callsite;

#endif /* _PTB_MREMAP_WORLD_H */
