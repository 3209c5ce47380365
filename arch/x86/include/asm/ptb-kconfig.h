/* SPDX-License-Identifier: GPL-2.0 */
/*
 * model: the configuration of the modelled x86-64 kernel, the part of its
 * include/generated/autoconf.h that generic code looks at (the x86 headers
 * have their CONFIG_* blocks resolved, see asm/pgtable.h).
 */
#ifndef _ASM_X86_PTB_KCONFIG_H
#define _ASM_X86_PTB_KCONFIG_H

#define CONFIG_HAVE_ARCH_SOFT_DIRTY	1
#define CONFIG_MEM_SOFT_DIRTY		1
#define CONFIG_PTE_MARKER_UFFD_WP	1

#endif /* _ASM_X86_PTB_KCONFIG_H */
