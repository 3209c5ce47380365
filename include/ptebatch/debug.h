/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VM_WARN_ON() and friends for userspace builds.
 *
 * With CONFIG_DEBUG_VM (the default here, see configure --disable-debug-vm)
 * a failed check is a contract violation: ptebatch_vm_warn() names the check,
 * file and line on stderr and aborts, so a Check test fails (or, for tests
 * that expect the check, passes via tcase_add_test_raise_signal(SIGABRT)).
 * Without CONFIG_DEBUG_VM the VM_* checks compile away exactly as in the
 * kernel. WARN_ON*() stay live in both, as in the kernel.
 *
 * Conditions are evaluated with the cost counters paused: a debug check must
 * not change the PTE read/write counts that the cost tests pin down.
 */
#ifndef _PTEBATCH_DEBUG_H
#define _PTEBATCH_DEBUG_H

#include <ptebatch/kernel.h>
#include <ptebatch/cost.h>

void ptebatch_vm_warn(const char *file, int line, const char *func,
		      const char *what);

#define __ptb_check(cond, what) ({					\
	bool __ptb_c;							\
	ptb_cost_pause();						\
	__ptb_c = !!(cond);						\
	ptb_cost_resume();						\
	if (unlikely(__ptb_c))						\
		ptebatch_vm_warn(__FILE__, __LINE__, __func__, what);	\
	__ptb_c;							\
})

#define WARN_ON(cond)		__ptb_check(cond, "WARN_ON(" #cond ")")
#define WARN_ON_ONCE(cond)	__ptb_check(cond, "WARN_ON_ONCE(" #cond ")")
#define BUG_ON(cond)		((void)__ptb_check(cond, "BUG_ON(" #cond ")"))

#ifdef CONFIG_DEBUG_VM
#define VM_WARN_ON(cond)	((void)__ptb_check(cond, "VM_WARN_ON(" #cond ")"))
#define VM_WARN_ON_ONCE(cond)	((void)__ptb_check(cond, "VM_WARN_ON_ONCE(" #cond ")"))
#define VM_WARN_ON_FOLIO(cond, folio) \
	((void)(folio), (void)__ptb_check(cond, "VM_WARN_ON_FOLIO(" #cond ")"))
#define VM_WARN_ON_ONCE_FOLIO(cond, folio) \
	((void)(folio), (void)__ptb_check(cond, "VM_WARN_ON_ONCE_FOLIO(" #cond ")"))
#define VM_BUG_ON(cond)		((void)__ptb_check(cond, "VM_BUG_ON(" #cond ")"))
#define VM_BUG_ON_FOLIO(cond, folio) \
	((void)(folio), (void)__ptb_check(cond, "VM_BUG_ON_FOLIO(" #cond ")"))
#define VM_BUG_ON_PAGE(cond, page) \
	((void)(page), (void)__ptb_check(cond, "VM_BUG_ON_PAGE(" #cond ")"))
#else
#define VM_WARN_ON(cond)			BUILD_BUG_ON_INVALID(cond)
#define VM_WARN_ON_ONCE(cond)			BUILD_BUG_ON_INVALID(cond)
#define VM_WARN_ON_FOLIO(cond, folio)		BUILD_BUG_ON_INVALID(cond)
#define VM_WARN_ON_ONCE_FOLIO(cond, folio)	BUILD_BUG_ON_INVALID(cond)
#define VM_BUG_ON(cond)				BUILD_BUG_ON_INVALID(cond)
#define VM_BUG_ON_FOLIO(cond, folio)		BUILD_BUG_ON_INVALID(cond)
#define VM_BUG_ON_PAGE(cond, page)		BUILD_BUG_ON_INVALID(cond)
#endif

#endif /* _PTEBATCH_DEBUG_H */
