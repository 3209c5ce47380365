/*
 * ptb-plugin.h: what the qemu plugins of this directory (ptb-tlbcount.c,
 * ptb-insnprof.c) share: the window marks of ptb-window.h as the plugins
 * see them, and where a target's kernel addresses start.
 */
#ifndef PTB_PLUGIN_H
#define PTB_PLUGIN_H

#include <stdbool.h>
#include <string.h>

#include "qemu-plugin-api.h"
#include "ptb-window.h"

#define PTB_MARK_START ((uint64_t)PTB_MARKER_ADDR + PTB_MARKER_START_OFF)
#define PTB_MARK_STOP ((uint64_t)PTB_MARKER_ADDR + PTB_MARKER_STOP_OFF)

/*
 * The lowest kernel virtual address of qemu's TARGET ("aarch64": TTBR1,
 * "x86_64": the upper half), or 0 for a target the plugins do not know.
 */
static inline uint64_t ptb_kernel_base(const char *target)
{
	if (strcmp(target, "aarch64") == 0)
		return 0xffff000000000000ULL;
	if (strcmp(target, "x86_64") == 0)
		return 0xffff800000000000ULL;
	return 0;
}

/*
 * At translation: if @insn (at @va) is one of the window marks, have
 * @start or @stop called when it executes, and return true.
 */
static inline bool ptb_hook_mark(struct qemu_plugin_insn *insn, uint64_t va,
				 qemu_plugin_vcpu_udata_cb_t start,
				 qemu_plugin_vcpu_udata_cb_t stop)
{
	if (va != PTB_MARK_START && va != PTB_MARK_STOP)
		return false;
	qemu_plugin_register_vcpu_insn_exec_cb(insn,
					       va == PTB_MARK_START ? start : stop,
					       QEMU_PLUGIN_CB_NO_REGS, NULL);
	return true;
}

#endif /* PTB_PLUGIN_H */
