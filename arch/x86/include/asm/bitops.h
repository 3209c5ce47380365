/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one atomic bit operation the x86 PTE model needs:
 * test_and_clear_bit() (arch/x86/include/asm/bitops.h's
 * arch_test_and_clear_bit() behind include/asm-generic/bitops/
 * instrumented-atomic.h), used by ptep_test_and_clear_young().
 */
#ifndef _ASM_X86_BITOPS_H
#define _ASM_X86_BITOPS_H

/* model: a lock btr becomes a GCC atomic fetch-and */
static __always_inline bool test_and_clear_bit(long nr,
					       volatile unsigned long *addr)
{
	unsigned long mask = 1UL << (nr % (8 * sizeof(long)));

	addr += nr / (8 * sizeof(long));
	return __atomic_fetch_and(addr, ~mask, __ATOMIC_SEQ_CST) & mask;
}

#endif /* _ASM_X86_BITOPS_H */
