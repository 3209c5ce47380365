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
#define CONFIG_PTE_MARKER_UFFD_WP	1

/*
 * model: asm/alternative-macros.h's alternative_has_cap_unlikely() for the
 * one CPU capability the backend looks at, the workaround for erratum
 * 2645198 (break-before-make when a user mapping stops being executable):
 * off unless a test sets ptb_cpu_erratum_2645198 (ptb_model_reset() clears
 * it).
 */
#define ARM64_WORKAROUND_2645198	1
extern bool ptb_cpu_erratum_2645198;
#define alternative_has_cap_unlikely(cap)				\
	((cap) == ARM64_WORKAROUND_2645198 && ptb_cpu_erratum_2645198)

#endif /* __ASM_PTB_KCONFIG_H */
