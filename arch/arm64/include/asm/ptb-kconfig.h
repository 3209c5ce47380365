/* SPDX-License-Identifier: GPL-2.0 */
/*
 * model: the configuration of the modelled arm64 kernel, the part of its
 * include/generated/autoconf.h the backend looks at (see asm/pgtable.h).
 * Building with -DPTB_ARM64_NO_CONTPTE selects CONFIG_ARM64_CONTPTE=n.
 */
#ifndef __ASM_PTB_KCONFIG_H
#define __ASM_PTB_KCONFIG_H

#ifndef PTB_ARM64_NO_CONTPTE
#define CONFIG_ARM64_CONTPTE		1
#endif
#define CONFIG_ARM64_CONT_PTE_SHIFT	4
#define CONFIG_ARM64_PA_BITS		48

#endif /* __ASM_PTB_KCONFIG_H */
