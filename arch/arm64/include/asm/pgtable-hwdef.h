/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 hardware page-table definitions, modelled on linux-source-6.12's
 * arch/arm64/include/asm/pgtable-hwdef.h (level 3 descriptors and the
 * contiguous-PTE geometry) and the MT_* attribute indices of
 * arch/arm64/include/asm/memory.h.
 *
 * Configuration modelled: 4K granule, 48-bit VA, 48-bit PA (no LPA2, no
 * CONFIG_ARM64_PA_BITS_52), CONFIG_ARM64_CONT_PTE_SHIFT=4. PAGE_SHIFT,
 * PMD_SHIFT and PTRS_PER_PTE come from the environment (ptebatch/kernel.h)
 * with the same values; the PMD/PUD/P4D/PGD-level definitions, stage-2,
 * PIE and TCR/TTBR definitions are not modelled.
 */
#ifndef __ASM_PGTABLE_HWDEF_H
#define __ASM_PGTABLE_HWDEF_H

/*
 * model: the pieces of include/linux/const.h and include/linux/bits.h used
 * below, for a 64-bit kernel; the environment has no copy of them.
 */
#ifndef _AC
#define __AC(X, Y)		(X##Y)
#define _AC(X, Y)		__AC(X, Y)
#endif
#ifndef UL
#define UL(x)			(_AC(x, UL))
#endif
#ifndef ULL
#define ULL(x)			(_AC(x, ULL))
#endif
#ifndef GENMASK
#define GENMASK(h, l) \
	(((~UL(0)) - (UL(1) << (l)) + 1) & (~UL(0) >> (64 - 1 - (h))))
#endif
#ifndef GENMASK_ULL
#define GENMASK_ULL(h, l) \
	(((~ULL(0)) - (ULL(1) << (l)) + 1) & (~ULL(0) >> (64 - 1 - (h))))
#endif

/*
 * Contiguous page definitions.
 */
#define CONT_PTE_SHIFT		(CONFIG_ARM64_CONT_PTE_SHIFT + PAGE_SHIFT)
#define CONT_PTES		(1 << (CONT_PTE_SHIFT - PAGE_SHIFT))
#define CONT_PTE_SIZE		(CONT_PTES * PAGE_SIZE)
#define CONT_PTE_MASK		(~(CONT_PTE_SIZE - 1))

/*
 * Level 3 descriptor (PTE).
 */
#define PTE_VALID		(_AT(pteval_t, 1) << 0)
#define PTE_TYPE_MASK		(_AT(pteval_t, 3) << 0)
#define PTE_TYPE_PAGE		(_AT(pteval_t, 3) << 0)
#define PTE_TABLE_BIT		(_AT(pteval_t, 1) << 1)
#define PTE_USER		(_AT(pteval_t, 1) << 6)		/* AP[1] */
#define PTE_RDONLY		(_AT(pteval_t, 1) << 7)		/* AP[2] */
#define PTE_SHARED		(_AT(pteval_t, 3) << 8)		/* SH[1:0], inner shareable */
#define PTE_AF			(_AT(pteval_t, 1) << 10)	/* Access Flag */
#define PTE_NG			(_AT(pteval_t, 1) << 11)	/* nG */
#define PTE_GP			(_AT(pteval_t, 1) << 50)	/* BTI guarded */
#define PTE_DBM			(_AT(pteval_t, 1) << 51)	/* Dirty Bit Management */
#define PTE_CONT		(_AT(pteval_t, 1) << 52)	/* Contiguous range */
#define PTE_PXN			(_AT(pteval_t, 1) << 53)	/* Privileged XN */
#define PTE_UXN			(_AT(pteval_t, 1) << 54)	/* User XN */
#define PTE_SWBITS_MASK		_AT(pteval_t, (BIT(63) | GENMASK(58, 55)))

#define PTE_ADDR_LOW		(((_AT(pteval_t, 1) << (50 - PAGE_SHIFT)) - 1) << PAGE_SHIFT)

/*
 * AttrIndx[2:0] encoding (mapping attributes defined in the MAIR* registers).
 */
#define PTE_ATTRINDX(t)		(_AT(pteval_t, (t)) << 2)
#define PTE_ATTRINDX_MASK	(_AT(pteval_t, 7) << 2)

/*
 * POIndex[2:0] encoding (Permission Overlay Extension)
 */
#define PTE_PO_IDX_0	(_AT(pteval_t, 1) << 60)
#define PTE_PO_IDX_1	(_AT(pteval_t, 1) << 61)
#define PTE_PO_IDX_2	(_AT(pteval_t, 1) << 62)

#define PTE_PO_IDX_MASK		GENMASK_ULL(62, 60)

/*
 * Memory types available (arch/arm64/include/asm/memory.h).
 *
 * IMPORTANT: MT_NORMAL must be index 0 since vm_get_page_prot() may 'or' in
 *	      the MT_NORMAL_TAGGED memory type for PROT_MTE mappings. Note
 *	      that protection_map[] only contains MT_NORMAL attributes.
 */
#define MT_NORMAL		0
#define MT_NORMAL_TAGGED	1
#define MT_NORMAL_NC		2
#define MT_DEVICE_nGnRnE	3
#define MT_DEVICE_nGnRE		4

#endif /* __ASM_PGTABLE_HWDEF_H */
