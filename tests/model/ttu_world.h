/* SPDX-License-Identifier: GPL-2.0 */
/*
 * try_to_unmap_one() as a call site of the random worlds (world.h); see
 * ttu_world.c.
 */
#ifndef _PTB_TTU_WORLD_H
#define _PTB_TTU_WORLD_H

#include "model/world.h"
#include "model/ttu.h"

/* w_params.opts: worlds may unmap with TTU_HWPOISON */
#define W_TTU_HWPOISON	BIT(0)

extern const struct w_callsite ttu_callsite;

#endif /* _PTB_TTU_WORLD_H */
