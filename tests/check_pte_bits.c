// SPDX-License-Identifier: GPL-2.0
/*
 * The PTE layout and PTE operations of each backend against linux 6.12, in
 * the manner of mm/debug_vm_pgtable.c: pte_basic_tests(),
 * pte_advanced_tests(), pte_clear_tests(), pte_special_tests(),
 * pte_protnone_tests(), pte_soft_dirty_tests(), pte_swap_soft_dirty_tests(),
 * pte_swap_exclusive_tests(), pte_swap_tests() and swap_migration_tests(),
 * plus raw-value vectors.
 *
 * Every expected raw value and bit position below is written out by hand
 * from the 6.12 sources (arch/x86/include/asm/pgtable*.h,
 * arch/arm64/include/asm/pgtable*.h), never derived from the backend under
 * test. The same file is built once per backend: the expectation tables are
 * selected by what the backend defines (_PAGE_SAVED_DIRTY only exists on
 * x86-64, PTE_CONT only on arm64).
 */
#include "harness.h"
#include "pte_compare.h"

#if defined(_PAGE_SAVED_DIRTY)
#define EXP_X86		1
#elif defined(PTE_CONT)
#define EXP_ARM64	1
#else
#error "unknown backend: neither _PAGE_SAVED_DIRTY (x86) nor PTE_CONT (arm64)"
#endif

/*
 * ck_assert_msg() only when the check fails: in hot loops a passing
 * ck_assert_msg() would cost a mark_point message each.
 */
#define vec_check(cond, ...)					\
	do {							\
		if (unlikely(!(cond)))				\
			ck_assert_msg(cond, __VA_ARGS__);	\
	} while (0)

/* The page frame used by the raw vectors: 0x12345 -> PA 0x12345000. */
#define VEC_PFN		0x12345UL

/*
 * Arch-independent swp_entry_t (include/linux/swapops.h):
 * type << (BITS_PER_XA_VALUE - MAX_SWAPFILES_SHIFT) = type << 58.
 */
#define EXP_SWP_TYPE_SHIFT	58
/* Both backends keep 50 offset bits in a swap PTE. */
#define EXP_SWP_MAX_OFFSET	((1ULL << 50) - 1)

#ifdef EXP_X86
/*
 * x86-64 (6.12's asm/pgtable_64.h, pgtable_64_types.h, pgtable_types.h):
 * type in bits 59-63, offset inverted in bits 9-58, swp soft-dirty bit 1,
 * uffd-wp bit 2, exclusive bit 3.
 */
#define EXP_SWP_SOFT_DIRTY	(1ULL << 1)
#define EXP_SWP_UFFD_WP		(1ULL << 2)
#define EXP_SWP_EXCLUSIVE	(1ULL << 3)
#define EXP_SWP_STEP		(-0x200LL)
/* bits 4-7 (PCD, A, D, PAT) are not part of a swap entry: dropped */
#define EXP_SWP_JUNK		0xf0ULL
/* type 0 with the maximum offset encodes to 0, pte_none() */
#define EXP_SWP_NONE_TYPE	0
#define EXP_SWP_NONE_OFFSET	EXP_SWP_MAX_OFFSET

static unsigned long long exp_swp_raw(unsigned long long type,
				      unsigned long long offset)
{
	return (~offset << 14 >> 5) | type << 59;
}
#else
/*
 * arm64 (6.12's asm/pgtable.h and pgtable-prot.h): exclusive bit 2,
 * uffd-wp bit 3, type in bits 6-10, offset in bits 12-61, not inverted;
 * no soft-dirty.
 */
#define EXP_SWP_SOFT_DIRTY	0ULL
#define EXP_SWP_UFFD_WP		(1ULL << 3)
#define EXP_SWP_EXCLUSIVE	(1ULL << 2)
#define EXP_SWP_STEP		0x1000LL
/* bits 4-5 and 62-63 are not part of a swap entry: dropped */
#define EXP_SWP_JUNK		0xc000000000000030ULL
/* type 0, offset 0 encodes to 0, pte_none() */
#define EXP_SWP_NONE_TYPE	0
#define EXP_SWP_NONE_OFFSET	0

static unsigned long long exp_swp_raw(unsigned long long type,
				      unsigned long long offset)
{
	return type << 6 | offset << 12;
}
#endif

#define EXP_SWP_ALL_FLAGS \
	(EXP_SWP_SOFT_DIRTY | EXP_SWP_UFFD_WP | EXP_SWP_EXCLUSIVE)

static bool exp_swp_is_none(unsigned long long type, unsigned long long offset)
{
	return type == EXP_SWP_NONE_TYPE && offset == EXP_SWP_NONE_OFFSET;
}

/* ------------------------------------------------------------------ */
/* Protections and bit positions                                      */
/* ------------------------------------------------------------------ */

struct prot_vector {
	const char *id;
	pgprot_t prot;
	unsigned long long expected;
};

static const struct prot_vector prot_vectors[] = {
#ifdef EXP_X86
	/* __pg() combinations of arch/x86/include/asm/pgtable_types.h */
	{ "PAGE_NONE",          PAGE_NONE,          0x0000000000000120ULL },
	{ "PAGE_READONLY",      PAGE_READONLY,      0x8000000000000025ULL },
	{ "PAGE_READONLY_EXEC", PAGE_READONLY_EXEC, 0x0000000000000025ULL },
	{ "PAGE_SHARED",        PAGE_SHARED,        0x8000000000000027ULL },
	{ "PAGE_SHARED_EXEC",   PAGE_SHARED_EXEC,   0x0000000000000027ULL },
	{ "PAGE_COPY",          PAGE_COPY,          0x8000000000000025ULL },
#else
	/* _PAGE_DEFAULT = TYPE_PAGE | AF | SH(inner) = 0x703, nG user maps */
	{ "PAGE_NONE",          PAGE_NONE,          0x0060000000000f82ULL },
	{ "PAGE_READONLY",      PAGE_READONLY,      0x0060000000000fc3ULL },
	{ "PAGE_READONLY_EXEC", PAGE_READONLY_EXEC, 0x0020000000000fc3ULL },
	{ "PAGE_SHARED",        PAGE_SHARED,        0x0068000000000fc3ULL },
	{ "PAGE_SHARED_EXEC",   PAGE_SHARED_EXEC,   0x0028000000000fc3ULL },
	{ "PAGE_COPY",          PAGE_COPY,          0x0060000000000fc3ULL },
#endif
};

START_TEST(user_protections_have_6_12_values)
{
	const struct prot_vector *v = &prot_vectors[_i];

	ck_assert_msg((unsigned long long)pgprot_val(v->prot) == v->expected,
		      "%s %s: %#llx, expected %#llx", PTB_ARCH_NAME, v->id,
		      (unsigned long long)pgprot_val(v->prot), v->expected);
}
END_TEST

struct bit_vector {
	const char *id;
	unsigned long long value;
	unsigned long long expected;
};

static const struct bit_vector bit_vectors[] = {
#ifdef EXP_X86
	{ "_PAGE_PRESENT",        _PAGE_PRESENT,        1ULL << 0 },
	{ "_PAGE_RW",             _PAGE_RW,             1ULL << 1 },
	{ "_PAGE_USER",           _PAGE_USER,           1ULL << 2 },
	{ "_PAGE_PWT",            _PAGE_PWT,            1ULL << 3 },
	{ "_PAGE_PCD",            _PAGE_PCD,            1ULL << 4 },
	{ "_PAGE_ACCESSED",       _PAGE_ACCESSED,       1ULL << 5 },
	{ "_PAGE_DIRTY",          _PAGE_DIRTY,          1ULL << 6 },
	{ "_PAGE_PAT",            _PAGE_PAT,            1ULL << 7 },
	{ "_PAGE_GLOBAL",         _PAGE_GLOBAL,         1ULL << 8 },
	{ "_PAGE_PROTNONE",       _PAGE_PROTNONE,       1ULL << 8 },
	{ "_PAGE_SPECIAL",        _PAGE_SPECIAL,        1ULL << 9 },
	{ "_PAGE_UFFD_WP",        _PAGE_UFFD_WP,        1ULL << 10 },
	{ "_PAGE_SOFT_DIRTY",     _PAGE_SOFT_DIRTY,     1ULL << 11 },
	{ "_PAGE_DEVMAP",         _PAGE_DEVMAP,         1ULL << 57 },
	{ "_PAGE_SAVED_DIRTY",    _PAGE_SAVED_DIRTY,    1ULL << 58 },
	{ "_PAGE_NX",             _PAGE_NX,             1ULL << 63 },
	{ "_PAGE_SWP_SOFT_DIRTY", _PAGE_SWP_SOFT_DIRTY, 1ULL << 1 },
	{ "_PAGE_SWP_UFFD_WP",    _PAGE_SWP_UFFD_WP,    1ULL << 2 },
	{ "_PAGE_SWP_EXCLUSIVE",  _PAGE_SWP_EXCLUSIVE,  1ULL << 3 },
	{ "PTE_PFN_MASK",         PTE_PFN_MASK,         0x000ffffffffff000ULL },
	{ "PFN_PTE_SHIFT",        PFN_PTE_SHIFT,        12 },
#else
	{ "PTE_VALID",            PTE_VALID,            1ULL << 0 },
	{ "PTE_TYPE_PAGE",        PTE_TYPE_PAGE,        3ULL << 0 },
	{ "PTE_USER",             PTE_USER,             1ULL << 6 },
	{ "PTE_RDONLY",           PTE_RDONLY,           1ULL << 7 },
	{ "PTE_SHARED",           PTE_SHARED,           3ULL << 8 },
	{ "PTE_AF",               PTE_AF,               1ULL << 10 },
	{ "PTE_NG",               PTE_NG,               1ULL << 11 },
	{ "PTE_PRESENT_INVALID",  PTE_PRESENT_INVALID,  1ULL << 11 },
	{ "PTE_GP",               PTE_GP,               1ULL << 50 },
	{ "PTE_WRITE",            PTE_WRITE,            1ULL << 51 },
	{ "PTE_DBM",              PTE_DBM,              1ULL << 51 },
	{ "PTE_CONT",             PTE_CONT,             1ULL << 52 },
	{ "PTE_PXN",              PTE_PXN,              1ULL << 53 },
	{ "PTE_UXN",              PTE_UXN,              1ULL << 54 },
	{ "PTE_DIRTY",            PTE_DIRTY,            1ULL << 55 },
	{ "PTE_SPECIAL",          PTE_SPECIAL,          1ULL << 56 },
	{ "PTE_DEVMAP",           PTE_DEVMAP,           1ULL << 57 },
	{ "PTE_UFFD_WP",          PTE_UFFD_WP,          1ULL << 58 },
	{ "PTE_SWP_EXCLUSIVE",    PTE_SWP_EXCLUSIVE,    1ULL << 2 },
	{ "PTE_SWP_UFFD_WP",      PTE_SWP_UFFD_WP,      1ULL << 3 },
	{ "PTE_ADDR_LOW",         PTE_ADDR_LOW,         0x0003fffffffff000ULL },
	{ "CONT_PTES",            CONT_PTES,            16 },
	{ "CONT_PTE_SIZE",        CONT_PTE_SIZE,        0x10000 },
#endif
	{ "PTB_CONT_PTES",
#ifdef EXP_X86
	  PTB_CONT_PTES, 1 },
#else
	  PTB_CONT_PTES, 16 },
#endif
};

START_TEST(pte_bits_sit_at_6_12_positions)
{
	const struct bit_vector *v = &bit_vectors[_i];

	ck_assert_msg(v->value == v->expected,
		      "%s %s: %#llx, expected %#llx", PTB_ARCH_NAME, v->id,
		      v->value, v->expected);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Raw-value vectors for the PTE modifiers                            */
/* ------------------------------------------------------------------ */

enum pte_op {
	OP_MKYOUNG,
	OP_MKOLD,
	OP_MKDIRTY,
	OP_MKCLEAN,
	OP_WRPROTECT,
	OP_MKWRITE_NOVMA,
	OP_MKWRITE,
	OP_MKSPECIAL,
	OP_MKSOFT_DIRTY,
	OP_CLEAR_SOFT_DIRTY,
	OP_MKUFFD_WP,
	OP_CLEAR_UFFD_WP,
	OP_MKCONT,		/* arm64 only */
	OP_MKNONCONT,		/* arm64 only */
};

static const char * const op_names[] = {
	[OP_MKYOUNG]		= "pte_mkyoung",
	[OP_MKOLD]		= "pte_mkold",
	[OP_MKDIRTY]		= "pte_mkdirty",
	[OP_MKCLEAN]		= "pte_mkclean",
	[OP_WRPROTECT]		= "pte_wrprotect",
	[OP_MKWRITE_NOVMA]	= "pte_mkwrite_novma",
	[OP_MKWRITE]		= "pte_mkwrite",
	[OP_MKSPECIAL]		= "pte_mkspecial",
	[OP_MKSOFT_DIRTY]	= "pte_mksoft_dirty",
	[OP_CLEAR_SOFT_DIRTY]	= "pte_clear_soft_dirty",
	[OP_MKUFFD_WP]		= "pte_mkuffd_wp",
	[OP_CLEAR_UFFD_WP]	= "pte_clear_uffd_wp",
	[OP_MKCONT]		= "pte_mkcont",
	[OP_MKNONCONT]		= "pte_mknoncont",
};

/* An ordinary private writable VMA: no shadow stack. */
static struct vm_area_struct op_vma = {
	.vm_start = PTB_VA,
	.vm_end = PTB_VA + PMD_SIZE,
	.vm_flags = VM_READ | VM_WRITE,
};

static pte_t apply_op(enum pte_op op, pte_t pte, const char *id)
{
	switch (op) {
	case OP_MKYOUNG:
		return pte_mkyoung(pte);
	case OP_MKOLD:
		return pte_mkold(pte);
	case OP_MKDIRTY:
		return pte_mkdirty(pte);
	case OP_MKCLEAN:
		return pte_mkclean(pte);
	case OP_WRPROTECT:
		return pte_wrprotect(pte);
	case OP_MKWRITE_NOVMA:
		return pte_mkwrite_novma(pte);
	case OP_MKWRITE:
		return pte_mkwrite(pte, &op_vma);
	case OP_MKSPECIAL:
		return pte_mkspecial(pte);
	case OP_MKSOFT_DIRTY:
		return pte_mksoft_dirty(pte);
	case OP_CLEAR_SOFT_DIRTY:
		return pte_clear_soft_dirty(pte);
	case OP_MKUFFD_WP:
		return pte_mkuffd_wp(pte);
	case OP_CLEAR_UFFD_WP:
		return pte_clear_uffd_wp(pte);
#ifdef EXP_ARM64
	case OP_MKCONT:
		return pte_mkcont(pte);
	case OP_MKNONCONT:
		return pte_mknoncont(pte);
#else
	case OP_MKCONT:
	case OP_MKNONCONT:
		break;
#endif
	}
	ck_abort_msg("%s: op %d has no %s implementation", id, op,
		     PTB_ARCH_NAME);
	return pte;
}

struct op_vector {
	const char *id;
	enum pte_op op;
	unsigned long long in;
	unsigned long long out;
};

#ifdef EXP_X86
/*
 * PFN 0x12345 with P|USER|A|NX (PAGE_READONLY); RW is bit 1, D bit 6,
 * SavedDirty bit 58, soft-dirty bit 11, uffd-wp bit 10, special bit 9.
 */
#define X_RO		0x8000000012345025ULL	/* read-only, clean */
#define X_RO_OLD	0x8000000012345005ULL
#define X_RW		0x8000000012345027ULL	/* writable, clean */
#define X_RWD		0x8000000012345067ULL	/* writable, D */
#define X_ROSD		0x8400000012345025ULL	/* read-only, SavedDirty */
#define X_RO_D		0x8000000012345065ULL	/* Write=0, Dirty=1 */
#define VEC_RO		X_RO

static const struct op_vector op_vectors[] = {
	{ "wrprotect_moves_dirty_to_saved_dirty",
	  OP_WRPROTECT, X_RWD, 0x8400000012345025ULL },
	{ "wrprotect_clean_only_clears_rw", OP_WRPROTECT, X_RW, X_RO },
	{ "wrprotect_is_idempotent", OP_WRPROTECT, X_RO, X_RO },
	{ "wrprotect_keeps_saved_dirty", OP_WRPROTECT, X_ROSD, X_ROSD },
	{ "wrprotect_fixes_write0_dirty1", OP_WRPROTECT, X_RO_D, X_ROSD },
	{ "mkdirty_writable_sets_d_and_soft_dirty",
	  OP_MKDIRTY, X_RW, 0x8000000012345867ULL },
	{ "mkdirty_readonly_sets_saved_dirty_and_soft_dirty",
	  OP_MKDIRTY, X_RO, 0x8400000012345825ULL },
	{ "mkclean_clears_d", OP_MKCLEAN, X_RWD, X_RW },
	{ "mkclean_clears_saved_dirty", OP_MKCLEAN, X_ROSD, X_RO },
	{ "mkclean_clears_both_dirty_bits",
	  OP_MKCLEAN, 0x8400000012345067ULL, X_RW },
	{ "mkclean_keeps_soft_dirty",
	  OP_MKCLEAN, 0x8400000012345825ULL, 0x8000000012345825ULL },
	{ "mkwrite_novma_only_sets_rw",
	  OP_MKWRITE_NOVMA, X_ROSD, 0x8400000012345027ULL },
	{ "mkwrite_moves_saved_dirty_back_to_d", OP_MKWRITE, X_ROSD, X_RWD },
	{ "mkwrite_clean_sets_rw", OP_MKWRITE, X_RO, X_RW },
	{ "mkyoung_sets_bit_5", OP_MKYOUNG, X_RO_OLD, X_RO },
	{ "mkold_clears_bit_5", OP_MKOLD, X_RO, X_RO_OLD },
	{ "mkspecial_sets_bit_9", OP_MKSPECIAL, X_RO, 0x8000000012345225ULL },
	{ "mksoft_dirty_sets_bit_11",
	  OP_MKSOFT_DIRTY, X_RO, 0x8000000012345825ULL },
	{ "clear_soft_dirty_clears_bit_11",
	  OP_CLEAR_SOFT_DIRTY, 0x8000000012345825ULL, X_RO },
	{ "mkuffd_wp_sets_bit_10_and_wrprotects",
	  OP_MKUFFD_WP, X_RWD, 0x8400000012345425ULL },
	{ "clear_uffd_wp_clears_bit_10_only",
	  OP_CLEAR_UFFD_WP, 0x8400000012345425ULL, X_ROSD },
};
#else
/*
 * PFN 0x12345 with PAGE_READONLY (0x0060000000000fc3); RDONLY is bit 7,
 * WRITE/DBM bit 51, PTE_DIRTY bit 55, AF bit 10, CONT bit 52.
 */
#define A_RO		0x0060000012345fc3ULL	/* read-only, clean */
#define A_RO_OLD	0x0060000012345bc3ULL
#define A_W		0x0068000012345fc3ULL	/* writable, clean */
#define A_WHD		0x0068000012345f43ULL	/* writable, hw dirty */
#define A_WSD		0x00e8000012345f43ULL	/* writable, sw+hw dirty */
#define A_ROD		0x00e0000012345fc3ULL	/* read-only, sw dirty */
#define VEC_RO		A_RO

static const struct op_vector op_vectors[] = {
	{ "mkdirty_writable_sets_dirty_clears_rdonly",
	  OP_MKDIRTY, A_W, A_WSD },
	{ "mkdirty_readonly_sets_sw_dirty_keeps_rdonly",
	  OP_MKDIRTY, A_RO, A_ROD },
	{ "wrprotect_moves_hw_dirty_to_pte_dirty", OP_WRPROTECT, A_WHD, A_ROD },
	{ "wrprotect_clean_clears_write", OP_WRPROTECT, A_W, A_RO },
	{ "wrprotect_keeps_sw_dirty", OP_WRPROTECT, A_WSD, A_ROD },
	{ "wrprotect_is_idempotent", OP_WRPROTECT, A_RO, A_RO },
	{ "mkclean_sw_dirty_sets_rdonly", OP_MKCLEAN, A_WSD, A_W },
	{ "mkclean_hw_dirty_sets_rdonly", OP_MKCLEAN, A_WHD, A_W },
	{ "mkclean_readonly", OP_MKCLEAN, A_ROD, A_RO },
	{ "mkwrite_novma_sw_dirty_clears_rdonly",
	  OP_MKWRITE_NOVMA, A_ROD, A_WSD },
	{ "mkwrite_novma_clean_keeps_rdonly", OP_MKWRITE_NOVMA, A_RO, A_W },
	{ "mkwrite_is_mkwrite_novma", OP_MKWRITE, A_ROD, A_WSD },
	{ "mkold_clears_af_bit_10", OP_MKOLD, A_RO, A_RO_OLD },
	{ "mkyoung_sets_af_bit_10", OP_MKYOUNG, A_RO_OLD, A_RO },
	{ "mkspecial_sets_bit_56", OP_MKSPECIAL, A_RO, 0x0160000012345fc3ULL },
	{ "mkuffd_wp_sets_bit_58_and_wrprotects",
	  OP_MKUFFD_WP, A_WHD, 0x04e0000012345fc3ULL },
	{ "clear_uffd_wp_clears_bit_58_only",
	  OP_CLEAR_UFFD_WP, 0x04e0000012345fc3ULL, A_ROD },
	{ "mksoft_dirty_is_identity", OP_MKSOFT_DIRTY, A_RO, A_RO },
	{ "clear_soft_dirty_is_identity", OP_CLEAR_SOFT_DIRTY, A_WSD, A_WSD },
	{ "mkcont_sets_bit_52", OP_MKCONT, A_RO, 0x0070000012345fc3ULL },
	{ "mkcont_also_sets_type_page",
	  OP_MKCONT, 0x0000000012345000ULL, 0x0010000012345003ULL },
	{ "mknoncont_clears_bit_52_only",
	  OP_MKNONCONT, 0x0070000012345fc3ULL, A_RO },
	{ "mknoncont_is_idempotent", OP_MKNONCONT, A_RO, A_RO },
};
#endif

START_TEST(pte_modifiers_produce_6_12_raw_values)
{
	const struct op_vector *v = &op_vectors[_i];
	pte_t out = apply_op(v->op, __pte(v->in), v->id);

	ck_assert_msg(raw(out) == v->out,
		      "%s %s: %s(%#llx) = %#llx, expected %#llx",
		      PTB_ARCH_NAME, v->id, op_names[v->op], v->in, raw(out),
		      v->out);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Predicates                                                         */
/* ------------------------------------------------------------------ */

/* pte_none()/pte_present()/pte_protnone(): defined for any value */
struct presence_vector {
	const char *id;
	unsigned long long val;
	bool none;
	bool present;
	bool protnone;
};

static const struct presence_vector presence_vectors[] = {
	{ "zero", 0, .none = true },
#ifdef EXP_X86
	/* the KNL erratum: A and D may be set on a not-present entry */
	{ "knl_accessed_only_is_none", 0x20, .none = true },
	{ "knl_dirty_only_is_none", 0x40, .none = true },
	{ "knl_accessed_dirty_is_none", 0x60, .none = true },
	{ "present_bit", 0x1, .present = true },
	{ "rw_without_present", 0x2, .none = false },
	{ "pat_without_present", 0x80, .none = false },
	{ "special_without_present", 0x200, .none = false },
	{ "nx_only", 0x8000000000000000ULL, .none = false },
	{ "protnone_bit_alone", 0x100, .present = true, .protnone = true },
	{ "page_none", 0x000fffffedcba120ULL, .present = true,
	  .protnone = true },
	{ "present_and_global", 0x121, .present = true },
	{ "readonly", X_RO, .present = true },
	{ "swap_entry", 0x07fffffffffffc00ULL, .none = false },
#else
	{ "af_alone_is_not_none", 0x400, .none = false },
	{ "valid_bit", 0x1, .present = true },
	{ "table_bit_alone", 0x2, .none = false },
	/* PTE_PRESENT_INVALID without PTE_VALID: present */
	{ "present_invalid_user_exec", 0x800, .present = true },
	{ "present_invalid_no_user_uxn", 0x0040000000000800ULL,
	  .present = true, .protnone = true },
	{ "valid_ng", 0x801, .present = true },
	{ "page_none", 0x0060000012345f82ULL, .present = true,
	  .protnone = true },
	/* pte_mkinvalid() of a user PTE: present, not PROT_NONE */
	{ "mkinvalid_user", 0x0060000012345fc2ULL, .present = true },
	{ "readonly", A_RO, .present = true },
	{ "swap_exclusive_bit", 0x4, .none = false },
	{ "swap_entry", 0x1000, .none = false },
#endif
};

START_TEST(pte_none_present_protnone_follow_6_12)
{
	const struct presence_vector *v = &presence_vectors[_i];
	pte_t pte = __pte(v->val);

	ck_assert_msg(!!pte_none(pte) == v->none,
		      "%s %s (%#llx): pte_none %d", PTB_ARCH_NAME, v->id,
		      v->val, !!pte_none(pte));
	ck_assert_msg(!!pte_present(pte) == v->present,
		      "%s %s (%#llx): pte_present %d", PTB_ARCH_NAME, v->id,
		      v->val, !!pte_present(pte));
	if (v->present)
		ck_assert_msg(!!pte_protnone(pte) == v->protnone,
			      "%s %s (%#llx): pte_protnone %d", PTB_ARCH_NAME,
			      v->id, v->val, !!pte_protnone(pte));
	ck_assert_msg(!!is_swap_pte(pte) == (!v->none && !v->present),
		      "%s %s (%#llx): is_swap_pte %d", PTB_ARCH_NAME, v->id,
		      v->val, !!is_swap_pte(pte));
}
END_TEST

/* predicates that are only defined on present PTEs */
struct pred_vector {
	const char *id;
	unsigned long long val;
	bool write;
	bool dirty;
	bool young;
	bool special;
	bool soft_dirty;
	bool uffd_wp;
};

static const struct pred_vector pred_vectors[] = {
#ifdef EXP_X86
	{ "readonly_young", X_RO, .young = true },
	{ "readonly_old", X_RO_OLD, .young = false },
	{ "writable", X_RW, .write = true, .young = true },
	{ "writable_dirty", X_RWD, .write = true, .dirty = true,
	  .young = true },
	{ "saved_dirty_is_dirty", X_ROSD, .dirty = true, .young = true },
	/* no shadow stacks: Write=0,Dirty=1 is not writable */
	{ "write0_dirty1_not_writable", X_RO_D, .dirty = true, .young = true },
	{ "special", 0x8000000012345225ULL, .special = true, .young = true },
	{ "soft_dirty", 0x8000000012345825ULL, .soft_dirty = true,
	  .young = true },
	{ "uffd_wp", 0x8400000012345425ULL, .uffd_wp = true, .dirty = true,
	  .young = true },
	{ "page_none", 0x000fffffedcba120ULL, .young = true },
#else
	{ "readonly_young", A_RO, .young = true },
	{ "readonly_old", A_RO_OLD, .young = false },
	{ "writable_clean", A_W, .write = true, .young = true },
	{ "writable_hw_dirty", A_WHD, .write = true, .dirty = true,
	  .young = true },
	{ "writable_sw_dirty", A_WSD, .write = true, .dirty = true,
	  .young = true },
	{ "readonly_sw_dirty", A_ROD, .dirty = true, .young = true },
	/* !RDONLY without DBM is not hardware dirty */
	{ "rdonly_clear_without_dbm", 0x0060000012345f43ULL, .young = true },
	{ "special", 0x0160000012345fc3ULL, .special = true, .young = true },
	{ "uffd_wp", 0x04e0000012345fc3ULL, .uffd_wp = true, .dirty = true,
	  .young = true },
	{ "page_none", 0x0060000012345f82ULL, .young = true },
#endif
};

START_TEST(pte_predicates_follow_6_12)
{
	const struct pred_vector *v = &pred_vectors[_i];
	pte_t pte = __pte(v->val);

	ck_assert_msg(!!pte_write(pte) == v->write, "%s %s (%#llx): pte_write",
		      PTB_ARCH_NAME, v->id, v->val);
	ck_assert_msg(!!pte_dirty(pte) == v->dirty, "%s %s (%#llx): pte_dirty",
		      PTB_ARCH_NAME, v->id, v->val);
	ck_assert_msg(!!pte_young(pte) == v->young, "%s %s (%#llx): pte_young",
		      PTB_ARCH_NAME, v->id, v->val);
	ck_assert_msg(!!pte_special(pte) == v->special,
		      "%s %s (%#llx): pte_special", PTB_ARCH_NAME, v->id,
		      v->val);
	ck_assert_msg(!!pte_soft_dirty(pte) == v->soft_dirty,
		      "%s %s (%#llx): pte_soft_dirty", PTB_ARCH_NAME, v->id,
		      v->val);
	ck_assert_msg(!!pte_uffd_wp(pte) == v->uffd_wp,
		      "%s %s (%#llx): pte_uffd_wp", PTB_ARCH_NAME, v->id,
		      v->val);
	ck_assert_msg(pte_pfn(pte) == VEC_PFN, "%s %s (%#llx): pte_pfn %#lx",
		      PTB_ARCH_NAME, v->id, v->val, pte_pfn(pte));
}
END_TEST

#ifdef EXP_X86
/*
 * All eight (RW, D, SavedDirty) combinations through the SavedDirty
 * shift, with the expected bits spelled out from arch/x86's
 * mksaveddirty_shift()/clear_saveddirty_shift() rules.
 */
START_TEST(x86_saved_dirty_shift_over_all_rw_d_sd_combinations)
{
	const unsigned long long rw = 1ULL << 1, d = 1ULL << 6, sd = 1ULL << 58;
	const unsigned long long soft = 1ULL << 11;
	const unsigned long long base = X_RO;
	unsigned int c;

	for (c = 0; c < 8; c++) {
		bool w = c & 1, dirty = c & 2, saved = c & 4;
		unsigned long long in = base | (w ? rw : 0) | (dirty ? d : 0) |
			 (saved ? sd : 0);
		pte_t pte = __pte(in);
		unsigned long long exp;

		ck_assert_msg(!!pte_write(pte) == w,
			      "combo %u (%#llx): pte_write", c, in);
		ck_assert_msg(!!pte_dirty(pte) == (dirty || saved),
			      "combo %u (%#llx): pte_dirty", c, in);

		/* clear RW, then D moves to SavedDirty */
		exp = base | ((dirty || saved) ? sd : 0);
		ck_assert_msg(raw(pte_wrprotect(pte)) == exp,
			      "combo %u (%#llx): pte_wrprotect %#llx, expected %#llx",
			      c, in, raw(pte_wrprotect(pte)), exp);

		/* set RW, then SavedDirty moves back to D */
		exp = base | rw | ((dirty || saved) ? d : 0);
		ck_assert_msg(raw(pte_mkwrite(pte, &op_vma)) == exp,
			      "combo %u (%#llx): pte_mkwrite %#llx, expected %#llx",
			      c, in, raw(pte_mkwrite(pte, &op_vma)), exp);

		/* 6.12: pte_mkwrite_novma() only sets RW */
		exp = in | rw;
		ck_assert_msg(raw(pte_mkwrite_novma(pte)) == exp,
			      "combo %u (%#llx): pte_mkwrite_novma %#llx, expected %#llx",
			      c, in, raw(pte_mkwrite_novma(pte)), exp);

		/* D|SOFT_DIRTY, then the shift if RW is clear */
		exp = w ? (in | d | soft) : ((in & ~d) | sd | soft);
		ck_assert_msg(raw(pte_mkdirty(pte)) == exp,
			      "combo %u (%#llx): pte_mkdirty %#llx, expected %#llx",
			      c, in, raw(pte_mkdirty(pte)), exp);

		exp = in & ~(d | sd);
		ck_assert_msg(raw(pte_mkclean(pte)) == exp,
			      "combo %u (%#llx): pte_mkclean %#llx, expected %#llx",
			      c, in, raw(pte_mkclean(pte)), exp);
	}
}
END_TEST
#endif /* EXP_X86 */

#ifdef EXP_ARM64
/*
 * The table in arch/arm64/include/asm/pgtable.h:
 *
 * Dirty  Writable | PTE_RDONLY  PTE_WRITE  PTE_DIRTY (sw)
 *   0      0      |   1           0          0
 *   0      1      |   1           1          0
 *   1      0      |   1           0          1
 *   1      1      |   0           1          x
 */
START_TEST(arm64_dirty_writable_table_maps_to_rdonly_write_dirty)
{
	static const struct {
		const char *id;
		bool dirty, writable;
		int rdonly, write, sw_dirty;	/* -1: don't care */
	} rows[] = {
		{ "clean_readonly", 0, 0, 1, 0, 0 },
		{ "clean_writable", 0, 1, 1, 1, 0 },
		{ "dirty_readonly", 1, 0, 1, 0, 1 },
		{ "dirty_writable", 1, 1, 0, 1, -1 },
	};
	const unsigned long long rdonly = 1ULL << 7, write = 1ULL << 51, swd = 1ULL << 55;
	unsigned int i, k;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		/* build each state both ways round */
		for (k = 0; k < 2; k++) {
			pte_t pte = pfn_pte(VEC_PFN, PAGE_READONLY);

			if (k == 0) {
				if (rows[i].writable)
					pte = pte_mkwrite_novma(pte);
				if (rows[i].dirty)
					pte = pte_mkdirty(pte);
			} else {
				if (rows[i].dirty)
					pte = pte_mkdirty(pte);
				if (rows[i].writable)
					pte = pte_mkwrite_novma(pte);
			}
			ck_assert_msg(!!(raw(pte) & rdonly) == rows[i].rdonly,
				      "%s/%u (%#llx): PTE_RDONLY", rows[i].id,
				      k, raw(pte));
			ck_assert_msg(!!(raw(pte) & write) == rows[i].write,
				      "%s/%u (%#llx): PTE_WRITE", rows[i].id,
				      k, raw(pte));
			if (rows[i].sw_dirty >= 0)
				ck_assert_msg(!!(raw(pte) & swd) ==
					      rows[i].sw_dirty,
					      "%s/%u (%#llx): PTE_DIRTY",
					      rows[i].id, k, raw(pte));
			ck_assert_msg(!!pte_dirty(pte) == rows[i].dirty,
				      "%s/%u (%#llx): pte_dirty", rows[i].id,
				      k, raw(pte));
			ck_assert_msg(!!pte_write(pte) == rows[i].writable,
				      "%s/%u (%#llx): pte_write", rows[i].id,
				      k, raw(pte));
		}
	}
}
END_TEST

/*
 * All eight (RDONLY, WRITE, PTE_DIRTY) combinations: hardware dirty is
 * WRITE && !RDONLY, software dirty is PTE_DIRTY, and the modifiers move
 * between them as 6.12's bodies say.
 */
START_TEST(arm64_hw_and_sw_dirty_over_all_rdonly_write_dirty_combinations)
{
	const unsigned long long rdonly = 1ULL << 7, write = 1ULL << 51, swd = 1ULL << 55;
	const unsigned long long base = A_RO & ~(rdonly | write | swd);
	unsigned int c;

	for (c = 0; c < 8; c++) {
		bool ro = c & 1, w = c & 2, sw = c & 4;
		bool hw = w && !ro;
		unsigned long long in = base | (ro ? rdonly : 0) | (w ? write : 0) |
			 (sw ? swd : 0);
		pte_t pte = __pte(in);
		unsigned long long exp;

		ck_assert_msg(!!pte_hw_dirty(pte) == hw,
			      "combo %u (%#llx): pte_hw_dirty", c, in);
		ck_assert_msg(!!pte_sw_dirty(pte) == sw,
			      "combo %u (%#llx): pte_sw_dirty", c, in);
		ck_assert_msg(!!pte_dirty(pte) == (hw || sw),
			      "combo %u (%#llx): pte_dirty", c, in);
		ck_assert_msg(!!pte_write(pte) == w,
			      "combo %u (%#llx): pte_write", c, in);

		exp = base | rdonly | ((hw || sw) ? swd : 0);
		ck_assert_msg(raw(pte_wrprotect(pte)) == exp,
			      "combo %u (%#llx): pte_wrprotect %#llx, expected %#llx",
			      c, in, raw(pte_wrprotect(pte)), exp);

		exp = (in & ~swd) | rdonly;
		ck_assert_msg(raw(pte_mkclean(pte)) == exp,
			      "combo %u (%#llx): pte_mkclean %#llx, expected %#llx",
			      c, in, raw(pte_mkclean(pte)), exp);

		exp = (in | swd) & ~(w ? rdonly : 0);
		ck_assert_msg(raw(pte_mkdirty(pte)) == exp,
			      "combo %u (%#llx): pte_mkdirty %#llx, expected %#llx",
			      c, in, raw(pte_mkdirty(pte)), exp);

		exp = (in | write) & ~(sw ? rdonly : 0);
		ck_assert_msg(raw(pte_mkwrite_novma(pte)) == exp,
			      "combo %u (%#llx): pte_mkwrite_novma %#llx, expected %#llx",
			      c, in, raw(pte_mkwrite_novma(pte)), exp);
	}
}
END_TEST

START_TEST(arm64_cont_bit_is_private_to_the_pte)
{
	pte_t pte = __pte(A_W);
	pte_t cont = pte_mkcont(pte);

	ck_assert_msg(pte_cont(cont) && ptb_pte_cont(cont),
		      "mkcont (%#llx): pte_cont", raw(cont));
	ck_assert_msg(!pte_cont(pte) && !ptb_pte_cont(pte),
		      "plain (%#llx): pte_cont", raw(pte));
	ck_assert_msg(pte_valid_cont(cont), "mkcont (%#llx): pte_valid_cont",
		      raw(cont));
	ck_assert_msg(raw(ptb_pte_strip_impl(cont)) == A_W,
		      "strip_impl(%#llx) = %#llx", raw(cont),
		      raw(ptb_pte_strip_impl(cont)));
	/* CONT changes nothing core mm looks at */
	ck_assert_msg(pte_pfn(cont) == VEC_PFN && pte_write(cont) &&
		      !pte_dirty(cont) && pte_young(cont),
		      "mkcont (%#llx): predicates", raw(cont));
	/* the leaf size reported to perf */
	ck_assert_msg(pte_leaf_size(cont) == 0x10000 &&
		      pte_leaf_size(pte) == 0x1000,
		      "pte_leaf_size %#lx/%#lx", (unsigned long)pte_leaf_size(cont),
		      (unsigned long)pte_leaf_size(pte));
}
END_TEST
#endif /* EXP_ARM64 */

/* ------------------------------------------------------------------ */
/* PFNs, PROT_NONE and L1TF inversion                                 */
/* ------------------------------------------------------------------ */

struct pfn_vector {
	const char *id;
	pgprot_t prot;
	unsigned long long raw;		/* pfn_pte(VEC_PFN, prot) */
	unsigned long long raw_plus_1;		/* pte_advance_pfn(.., 1) */
	unsigned long long raw_plus_16;	/* pte_advance_pfn(.., 16) */
	bool protnone;
};

static const struct pfn_vector pfn_vectors[] = {
#ifdef EXP_X86
	/* PROT_NONE stores the PFN inverted, and steps downwards */
	{ "protnone_inverted", PAGE_NONE, 0x000fffffedcba120ULL,
	  0x000fffffedcb9120ULL, 0x000fffffedcaa120ULL, true },
	{ "readonly", PAGE_READONLY, 0x8000000012345025ULL,
	  0x8000000012346025ULL, 0x8000000012355025ULL, false },
	{ "shared_exec", PAGE_SHARED_EXEC, 0x0000000012345027ULL,
	  0x0000000012346027ULL, 0x0000000012355027ULL, false },
#else
	/* no inversion on arm64: PROT_NONE is present-invalid */
	{ "protnone", PAGE_NONE, 0x0060000012345f82ULL,
	  0x0060000012346f82ULL, 0x0060000012355f82ULL, true },
	{ "readonly", PAGE_READONLY, 0x0060000012345fc3ULL,
	  0x0060000012346fc3ULL, 0x0060000012355fc3ULL, false },
	{ "shared_exec", PAGE_SHARED_EXEC, 0x0028000012345fc3ULL,
	  0x0028000012346fc3ULL, 0x0028000012355fc3ULL, false },
#endif
};

START_TEST(pfn_pte_and_pte_advance_pfn_handle_protnone)
{
	const struct pfn_vector *v = &pfn_vectors[_i];
	pte_t pte = pfn_pte(VEC_PFN, v->prot);
	pte_t p1 = pte_advance_pfn(pte, 1);
	pte_t p16 = pte_advance_pfn(pte, 16);
	pte_t back;

	ck_assert_msg(raw(pte) == v->raw, "%s %s: pfn_pte %#llx, expected %#llx",
		      PTB_ARCH_NAME, v->id, raw(pte), v->raw);
	ck_assert_msg(pte_pfn(pte) == VEC_PFN, "%s %s: pte_pfn %#lx",
		      PTB_ARCH_NAME, v->id, pte_pfn(pte));
	ck_assert_msg(pte_present(pte), "%s %s: !pte_present", PTB_ARCH_NAME,
		      v->id);
	ck_assert_msg(!!pte_protnone(pte) == v->protnone,
		      "%s %s: pte_protnone", PTB_ARCH_NAME, v->id);
	ck_assert_msg(raw(p1) == v->raw_plus_1,
		      "%s %s: pte_advance_pfn(1) %#llx, expected %#llx",
		      PTB_ARCH_NAME, v->id, raw(p1), v->raw_plus_1);
	ck_assert_msg(raw(p16) == v->raw_plus_16,
		      "%s %s: pte_advance_pfn(16) %#llx, expected %#llx",
		      PTB_ARCH_NAME, v->id, raw(p16), v->raw_plus_16);
	ck_assert_msg(pte_pfn(p1) == VEC_PFN + 1 && pte_pfn(p16) == VEC_PFN + 16,
		      "%s %s: pte_pfn after advance %#lx/%#lx", PTB_ARCH_NAME,
		      v->id, pte_pfn(p1), pte_pfn(p16));
	ck_assert_msg(raw(pte_next_pfn(pte)) == v->raw_plus_1,
		      "%s %s: pte_next_pfn", PTB_ARCH_NAME, v->id);
	ck_assert_msg(pgprot_val(pte_pgprot(p16)) == pgprot_val(pte_pgprot(pte)),
		      "%s %s: pte_pgprot changed by advance", PTB_ARCH_NAME,
		      v->id);
	ck_assert_msg(!!pte_protnone(p16) == v->protnone,
		      "%s %s: advance changed pte_protnone", PTB_ARCH_NAME,
		      v->id);
	/* pte_modify() between present and PROT_NONE re-encodes the PFN */
	back = pte_modify(pfn_pte(VEC_PFN, PAGE_READONLY), v->prot);
	ck_assert_msg(raw(back) == v->raw,
		      "%s %s: pte_modify(readonly) %#llx, expected %#llx",
		      PTB_ARCH_NAME, v->id, raw(back), v->raw);
	back = pte_modify(pte, PAGE_READONLY);
	ck_assert_msg(raw(back) == VEC_RO,
		      "%s %s: pte_modify(.., PAGE_READONLY) %#llx",
		      PTB_ARCH_NAME, v->id, raw(back));
}
END_TEST

/*
 * What the MMU does (ptb_hw_access): set the accessed bit and, on a write
 * through a writable entry, the hardware dirty state; nothing through a
 * not-valid entry.
 */
struct hw_vector {
	const char *id;
	unsigned long long in;
	bool write;
	unsigned long long out;
	bool dirty;
};

static const struct hw_vector hw_vectors[] = {
#ifdef EXP_X86
	{ "write_sets_a_and_d", X_RW & ~(1ULL << 5), true, X_RWD, true },
	{ "read_sets_a_only", X_RW & ~(1ULL << 5), false, X_RW, false },
	{ "write_to_readonly_sets_a_only", X_RO_OLD, true, X_RO, false },
	{ "protnone_unchanged", 0x000fffffedcba100ULL, true,
	  0x000fffffedcba100ULL, false },
#else
	{ "write_clears_rdonly_hw_dirty", A_W & ~(1ULL << 10), true, A_WHD,
	  true },
	{ "read_sets_af_only", A_W & ~(1ULL << 10), false, A_W, false },
	{ "write_to_readonly_sets_af_only", A_RO_OLD, true, A_RO, false },
	{ "protnone_unchanged", 0x0060000012345b82ULL, true,
	  0x0060000012345b82ULL, false },
#endif
};

START_TEST(hw_access_sets_accessed_and_hardware_dirty)
{
	const struct hw_vector *v = &hw_vectors[_i];
	pte_t pte = __pte(v->in);

	ptb_hw_access(&pte, v->write);
	ck_assert_msg(raw(pte) == v->out, "%s %s: %#llx -> %#llx, expected %#llx",
		      PTB_ARCH_NAME, v->id, v->in, raw(pte), v->out);
	if (pte_present(pte))
		ck_assert_msg(!!pte_dirty(pte) == v->dirty,
			      "%s %s: pte_dirty %d", PTB_ARCH_NAME, v->id,
			      !!pte_dirty(pte));
}
END_TEST

/* ------------------------------------------------------------------ */
/* debug_vm_pgtable.c: basic, special, protnone, soft-dirty tests     */
/* ------------------------------------------------------------------ */

static const struct {
	const char *id;
	pgprot_t prot;
} basic_prots[] = {
	{ "PAGE_NONE", PAGE_NONE },
	{ "PAGE_READONLY", PAGE_READONLY },
	{ "PAGE_READONLY_EXEC", PAGE_READONLY_EXEC },
	{ "PAGE_SHARED", PAGE_SHARED },
	{ "PAGE_SHARED_EXEC", PAGE_SHARED_EXEC },
	{ "PAGE_COPY", PAGE_COPY },
};

/* pte_basic_tests(), for every user protection */
START_TEST(pte_basic_ops_are_idempotent_and_inverse)
{
	const char *id = basic_prots[_i].id;
	pte_t pte = pfn_pte(VEC_PFN, basic_prots[_i].prot);

	ck_assert_msg(!pte_dirty(pte_wrprotect(pte)), "%s: dirty(wrprotect)",
		      id);
	ck_assert_msg(pte_same(pte, pte), "%s: !pte_same(pte, pte)", id);
	ck_assert_msg(pte_young(pte_mkyoung(pte_mkold(pte))),
		      "%s: !young(mkyoung(mkold))", id);
	ck_assert_msg(pte_dirty(pte_mkdirty(pte_mkclean(pte))),
		      "%s: !dirty(mkdirty(mkclean))", id);
	ck_assert_msg(pte_write(pte_mkwrite(pte_wrprotect(pte), &op_vma)),
		      "%s: !write(mkwrite(wrprotect))", id);
	ck_assert_msg(!pte_young(pte_mkold(pte_mkyoung(pte))),
		      "%s: young(mkold(mkyoung))", id);
	ck_assert_msg(!pte_dirty(pte_mkclean(pte_mkdirty(pte))),
		      "%s: dirty(mkclean(mkdirty))", id);
	ck_assert_msg(!pte_write(pte_wrprotect(pte_mkwrite(pte, &op_vma))),
		      "%s: write(wrprotect(mkwrite))", id);
	ck_assert_msg(!pte_dirty(pte_wrprotect(pte_mkclean(pte))),
		      "%s: dirty(wrprotect(mkclean))", id);
	ck_assert_msg(pte_dirty(pte_wrprotect(pte_mkdirty(pte))),
		      "%s: !dirty(wrprotect(mkdirty))", id);

	/* idempotence, and nothing but the one property changes */
	ck_assert_msg(pte_same(pte_mkyoung(pte_mkyoung(pte)), pte_mkyoung(pte)),
		      "%s: mkyoung not idempotent", id);
	ck_assert_msg(pte_same(pte_mkold(pte_mkold(pte)), pte_mkold(pte)),
		      "%s: mkold not idempotent", id);
	ck_assert_msg(pte_same(pte_mkdirty(pte_mkdirty(pte)), pte_mkdirty(pte)),
		      "%s: mkdirty not idempotent", id);
	ck_assert_msg(pte_same(pte_mkclean(pte_mkclean(pte)), pte_mkclean(pte)),
		      "%s: mkclean not idempotent", id);
	ck_assert_msg(pte_same(pte_wrprotect(pte_wrprotect(pte)),
			       pte_wrprotect(pte)),
		      "%s: wrprotect not idempotent", id);
	ck_assert_msg(pte_same(pte_mkwrite(pte_mkwrite(pte, &op_vma), &op_vma),
			       pte_mkwrite(pte, &op_vma)),
		      "%s: mkwrite not idempotent", id);
	ck_assert_msg(pte_same(pte_mkyoung(pte_mkold(pte)), pte_mkyoung(pte)),
		      "%s: mkyoung(mkold) != mkyoung", id);
	ck_assert_msg(pte_pfn(pte_mkdirty(pte_wrprotect(pte_mkold(pte)))) ==
		      VEC_PFN, "%s: PFN changed by modifiers", id);
	ck_assert_msg(!!pte_present(pte_mkold(pte_mkclean(pte))) ==
		      !!pte_present(pte), "%s: mkold/mkclean changed present",
		      id);
	ck_assert_msg(!!pte_protnone(pte_wrprotect(pte)) == !!pte_protnone(pte),
		      "%s: wrprotect changed protnone", id);
}
END_TEST

/* pte_special_tests(), pte_protnone_tests(), pte_soft_dirty_tests() */
START_TEST(special_protnone_soft_dirty_uffd_wp_ops_round_trip)
{
	/* soft-dirty: bit 11 on x86, absent on arm64 6.12 */
#ifdef EXP_X86
	const unsigned long long soft_dirty = 1ULL << 11, uffd_wp = 1ULL << 10;
	const unsigned long long special = 1ULL << 9;
#else
	const unsigned long long soft_dirty = 0, uffd_wp = 1ULL << 58;
	const unsigned long long special = 1ULL << 56;
#endif
	const char *id = basic_prots[_i].id;
	pte_t pte = pfn_pte(VEC_PFN, basic_prots[_i].prot);
	pte_t none = pfn_pte(VEC_PFN, PAGE_NONE);

	ck_assert_msg(pte_special(pte_mkspecial(pte)), "%s: !special", id);
	ck_assert_msg(raw(pte_mkspecial(pte)) == (raw(pte) | special),
		      "%s: mkspecial %#llx", id, raw(pte_mkspecial(pte)));

	ck_assert_msg(pte_protnone(none) && pte_present(none),
		      "%s: PAGE_NONE not protnone+present", id);

	ck_assert_msg(!!pte_soft_dirty(pte_mksoft_dirty(pte)) == !!soft_dirty,
		      "%s: soft_dirty(mksoft_dirty)", id);
	ck_assert_msg(!pte_soft_dirty(pte_clear_soft_dirty(pte)),
		      "%s: soft_dirty(clear_soft_dirty)", id);
	ck_assert_msg(raw(pte_mksoft_dirty(pte)) == (raw(pte) | soft_dirty),
		      "%s: mksoft_dirty %#llx", id, raw(pte_mksoft_dirty(pte)));
	ck_assert_msg(raw(pte_clear_soft_dirty(pte_mksoft_dirty(pte))) ==
		      (raw(pte) & ~soft_dirty), "%s: clear_soft_dirty", id);
	/* x86 pte_mkdirty() sets soft-dirty as well */
	ck_assert_msg(!!pte_soft_dirty(pte_mkdirty(pte_clear_soft_dirty(pte))) ==
		      !!soft_dirty, "%s: soft_dirty(mkdirty)", id);

	ck_assert_msg(pte_uffd_wp(pte_mkuffd_wp(pte)) &&
		      !pte_write(pte_mkuffd_wp(pte)),
		      "%s: mkuffd_wp must set uffd-wp and wrprotect", id);
	ck_assert_msg(raw(pte_mkuffd_wp(pte)) & uffd_wp,
		      "%s: mkuffd_wp bit", id);
	ck_assert_msg(!pte_uffd_wp(pte_clear_uffd_wp(pte_mkuffd_wp(pte))),
		      "%s: uffd_wp(clear_uffd_wp)", id);
	ck_assert_msg(raw(pte_clear_uffd_wp(pte_mkuffd_wp(pte))) ==
		      raw(pte_wrprotect(pte)), "%s: clear_uffd_wp(mkuffd_wp)",
		      id);
}
END_TEST

/* pte_advanced_tests() and pte_clear_tests(), on a real table slot */
START_TEST(pte_advanced_ops_on_a_table_slot)
{
	/* slot 3: no contpte fold is attempted for a single entry there */
	unsigned long addr = PTB_VA + 3 * PAGE_SIZE;
	unsigned long pfn = PTB_BASE_PFN + 3;
	pte_t *ptep = ptb_slot(addr);
	pte_t pte;

	ptb_folio_create(PTB_BASE_PFN, 4, BIT(PG_anon), 0);

	pte = pfn_pte(pfn, PAGE_SHARED);
	set_pte_at(&ptb_mm, addr, ptep, pte);
	ck_assert_msg(pte_same(ptep_get(ptep), pte), "set_pte_at: %#llx",
		      raw(ptep_get(ptep)));
	ptep_set_wrprotect(&ptb_mm, addr, ptep);
	pte = ptep_get(ptep);
	ck_assert_msg(!pte_write(pte), "ptep_set_wrprotect: %#llx", raw(pte));
	ptep_get_and_clear(&ptb_mm, addr, ptep);
	pte = ptep_get(ptep);
	ck_assert_msg(pte_none(pte), "ptep_get_and_clear: %#llx", raw(pte));

	pte = pfn_pte(pfn, PAGE_SHARED);
	pte = pte_wrprotect(pte);
	pte = pte_mkclean(pte);
	set_pte_at(&ptb_mm, addr, ptep, pte);
	pte = pte_mkwrite(pte, &ptb_vma);
	pte = pte_mkdirty(pte);
	ck_assert_msg(ptep_set_access_flags(&ptb_vma, addr, ptep, pte, 1),
		      "ptep_set_access_flags: no change reported");
	pte = ptep_get(ptep);
	ck_assert_msg(pte_write(pte) && pte_dirty(pte),
		      "ptep_set_access_flags: %#llx", raw(pte));
	ptep_get_and_clear_full(&ptb_mm, addr, ptep, 1);
	pte = ptep_get(ptep);
	ck_assert_msg(pte_none(pte), "ptep_get_and_clear_full: %#llx",
		      raw(pte));

	pte = pfn_pte(pfn, PAGE_SHARED);
	pte = pte_mkyoung(pte);
	set_pte_at(&ptb_mm, addr, ptep, pte);
	ck_assert_msg(ptep_test_and_clear_young(&ptb_vma, addr, ptep),
		      "ptep_test_and_clear_young: was not young");
	pte = ptep_get(ptep);
	ck_assert_msg(!pte_young(pte), "ptep_test_and_clear_young: %#llx",
		      raw(pte));
	ptep_get_and_clear_full(&ptb_mm, addr, ptep, 1);

	/* pte_clear_tests() */
	pte = pfn_pte(pfn, PAGE_SHARED);
	set_pte_at(&ptb_mm, addr, ptep, pte);
	ck_assert_msg(!pte_none(ptep_get(ptep)), "set_pte_at: none");
	pte_clear(&ptb_mm, addr, ptep);
	ck_assert_msg(pte_none(ptep_get(ptep)) && !pte_val(READ_ONCE(*ptep)),
		      "pte_clear: %#llx", raw(READ_ONCE(*ptep)));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Swap encodings                                                     */
/* ------------------------------------------------------------------ */

struct swp_vector {
	const char *id;
	unsigned long long type;
	unsigned long long offset;
	unsigned long long raw;
};

static const struct swp_vector swp_vectors[] = {
#ifdef EXP_X86
	/* worked examples: val = (~offset << 14 >> 5) | type << 59 */
	{ "type0_offset0", 0, 0, 0x07fffffffffffe00ULL },
	{ "type0_offset1", 0, 1, 0x07fffffffffffc00ULL },
	{ "type1_offset0x1234", 1, 0x1234, 0x0fffffffffdb9600ULL },
	{ "type31_offset5", 31, 5, 0xfffffffffffff400ULL },
	/* the maximum offset inverts to all-zero offset bits */
	{ "type31_max_offset", 31, EXP_SWP_MAX_OFFSET, 0xf800000000000000ULL },
	{ "type1_max_offset", 1, EXP_SWP_MAX_OFFSET, 0x0800000000000000ULL },
	{ "type22_offset0xabcdef", 22, 0xabcdef, 0xb7fffffea8642000ULL },
#else
	{ "type0_offset1", 0, 1, 0x0000000000001000ULL },
	{ "type1_offset0x1234", 1, 0x1234, 0x0000000001234040ULL },
	{ "type31_offset5", 31, 5, 0x00000000000057c0ULL },
	{ "type31_max_offset", 31, EXP_SWP_MAX_OFFSET, 0x3ffffffffffff7c0ULL },
	{ "type1_max_offset", 1, EXP_SWP_MAX_OFFSET, 0x3ffffffffffff040ULL },
	{ "type17_offset0xabcdef", 17, 0xabcdef, 0x0000000abcdef440ULL },
	{ "type22_offset0", 22, 0, 0x0000000000000580ULL },
#endif
};

START_TEST(swap_entries_encode_as_in_6_12)
{
	const struct swp_vector *v = &swp_vectors[_i];
	swp_entry_t entry = swp_entry(v->type, v->offset);
	pte_t pte = swp_entry_to_pte(entry);
	swp_entry_t back;

	ck_assert_msg(entry.val == (v->type << EXP_SWP_TYPE_SHIFT | v->offset),
		      "%s %s: swp_entry %#llx", PTB_ARCH_NAME, v->id,
		      (unsigned long long)entry.val);
	ck_assert_msg(raw(pte) == v->raw, "%s %s: %#llx, expected %#llx",
		      PTB_ARCH_NAME, v->id, raw(pte), v->raw);
	ck_assert_msg(exp_swp_raw(v->type, v->offset) == v->raw,
		      "%s %s: the test's own encoder disagrees", PTB_ARCH_NAME,
		      v->id);
	ck_assert_msg(is_swap_pte(pte) && !pte_present(pte) && !pte_none(pte),
		      "%s %s: not a swap pte", PTB_ARCH_NAME, v->id);
	back = pte_to_swp_entry(pte);
	ck_assert_msg(swp_type(back) == v->type && swp_offset(back) == v->offset,
		      "%s %s: decoded (%u, %#lx)", PTB_ARCH_NAME, v->id,
		      swp_type(back), swp_offset(back));
	ck_assert_msg(__swp_type(__pte_to_swp_entry(pte)) == v->type &&
		      __swp_offset(__pte_to_swp_entry(pte)) == v->offset,
		      "%s %s: __swp_type/__swp_offset", PTB_ARCH_NAME, v->id);
}
END_TEST

START_TEST(swap_entry_aliasing_pte_none_is_the_documented_one)
{
	pte_t pte = swp_entry_to_pte(swp_entry(EXP_SWP_NONE_TYPE,
					       EXP_SWP_NONE_OFFSET));
	unsigned long long type, k;

	ck_assert_msg(pte_none(pte) && raw(pte) == 0,
		      "%s: (%u, %#llx) encodes to %#llx, expected pte_none",
		      PTB_ARCH_NAME, EXP_SWP_NONE_TYPE,
		      (unsigned long long)EXP_SWP_NONE_OFFSET, raw(pte));
	/* and it is the only one */
	for (type = 0; type < 32; type++) {
		static const unsigned long long offsets[] = { 0, 1, EXP_SWP_MAX_OFFSET };

		for (k = 0; k < ARRAY_SIZE(offsets); k++) {
			unsigned long long off = offsets[k];

			if (exp_swp_is_none(type, off))
				continue;
			pte = swp_entry_to_pte(swp_entry(type, off));
			ck_assert_msg(is_swap_pte(pte),
				      "%s: (%llu, %#llx) = %#llx is not a swap pte",
				      PTB_ARCH_NAME, type, off, raw(pte));
		}
	}
}
END_TEST

static const unsigned long long round_trip_offsets[] = {
	0, 1, 2, 3, 0xff, 0x1ff, 0x200, 0x1234, 0xffff, 0x10000,
	0x7fffffffULL, 0x80000000ULL, 0x100000005ULL, 1ULL << 40,
	1ULL << 49, (1ULL << 49) + 1, EXP_SWP_MAX_OFFSET - 1,
	EXP_SWP_MAX_OFFSET,
};

START_TEST(swap_entries_round_trip_for_every_type_and_many_offsets)
{
	struct ptb_rng rng;
	u64 seed = ptb_seed() ^ 0x5a9e0001ULL;
	unsigned int type, k;

	ptb_rng_init(&rng, seed);
	for (type = 0; type < 32; type++) {
		for (k = 0; k < ARRAY_SIZE(round_trip_offsets) + 64; k++) {
			unsigned long long off = k < ARRAY_SIZE(round_trip_offsets) ?
				  round_trip_offsets[k] :
				  ptb_rng_u64(&rng) & EXP_SWP_MAX_OFFSET;
			swp_entry_t entry, back;
			pte_t pte;

			if (exp_swp_is_none(type, off))
				continue;
			entry = swp_entry(type, off);
			pte = swp_entry_to_pte(entry);
			vec_check(raw(pte) == exp_swp_raw(type, off) &&
				  is_swap_pte(pte),
				  "%s (%u, %#llx) seed %#llx: %#llx, expected swap pte %#llx",
				  PTB_ARCH_NAME, type, off,
				  (unsigned long long)ptb_seed(), raw(pte),
				  exp_swp_raw(type, off));
			back = pte_to_swp_entry(pte);
			vec_check(back.val == entry.val,
				  "%s (%u, %#llx) seed %#llx: decoded %#llx, expected %#llx",
				  PTB_ARCH_NAME, type, off,
				  (unsigned long long)ptb_seed(),
				  (unsigned long long)back.val,
				  (unsigned long long)entry.val);
		}
	}
}
END_TEST

/* debug_vm_pgtable.c's pte_swap_tests(): __swp on a present PTE's value */
START_TEST(arch_swp_entry_conversion_keeps_a_present_pte_intact)
{
	pte_t pte = pfn_pte(VEC_PFN, basic_prots[_i].prot);
	swp_entry_t swp = __pte_to_swp_entry(pte);
	pte_t back = __swp_entry_to_pte(swp);

	ck_assert_msg(pte_pfn(back) == VEC_PFN && pte_same(back, pte),
		      "%s %s: %#llx -> %#llx", PTB_ARCH_NAME,
		      basic_prots[_i].id, raw(pte), raw(back));
}
END_TEST

START_TEST(swap_offset_step_moves_raw_by_arch_delta)
{
	static const struct {
		unsigned long long type;
		unsigned long long offset;
	} starts[] = {
		{ 1, 0 }, { 1, 1 }, { 2, 0x1ff }, { 7, 0xfff }, { 22, 12345 },
		{ 31, 1ULL << 32 }, { 5, EXP_SWP_MAX_OFFSET - 40 },
	};
	unsigned int i, step;

	for (i = 0; i < ARRAY_SIZE(starts); i++) {
		pte_t prev = swp_entry_to_pte(swp_entry(starts[i].type,
							starts[i].offset));
		pte_t flagged = pte_swp_mkexclusive(pte_swp_mkuffd_wp(
					pte_swp_mksoft_dirty(prev)));

		for (step = 1; step <= 32; step++) {
			unsigned long long off = starts[i].offset + step;
			pte_t cur = swp_entry_to_pte(swp_entry(starts[i].type,
							       off));
			pte_t next = pte_next_swp_offset(prev);
			pte_t nextf = pte_next_swp_offset(flagged);

			ck_assert_msg((long long)(raw(cur) - raw(prev)) ==
				      EXP_SWP_STEP,
				      "%s start %u step %u: raw delta %#llx",
				      PTB_ARCH_NAME, i, step,
				      raw(cur) - raw(prev));
			ck_assert_msg(raw(next) == raw(cur),
				      "%s start %u step %u: pte_next_swp_offset %#llx != %#llx",
				      PTB_ARCH_NAME, i, step, raw(next),
				      raw(cur));
			ck_assert_msg((long long)(raw(nextf) - raw(flagged)) ==
				      EXP_SWP_STEP &&
				      raw(nextf) == (raw(cur) | EXP_SWP_ALL_FLAGS),
				      "%s start %u step %u: flagged next %#llx",
				      PTB_ARCH_NAME, i, step, raw(nextf));
			ck_assert_msg(swp_offset(pte_to_swp_entry(next)) == off &&
				      swp_type(pte_to_swp_entry(next)) ==
				      starts[i].type,
				      "%s start %u step %u: decoded offset",
				      PTB_ARCH_NAME, i, step);
			prev = cur;
			flagged = nextf;
		}
	}
}
END_TEST

struct swp_flag {
	const char *name;
	pte_t (*mk)(pte_t pte);
	int (*test)(pte_t pte);
	pte_t (*clear)(pte_t pte);
	/* the raw bit; 0: no such bit on this arch, the ops are identity */
	unsigned long long bit;
};

static const struct swp_flag swp_flags[] = {
	{ "soft_dirty", pte_swp_mksoft_dirty, pte_swp_soft_dirty,
	  pte_swp_clear_soft_dirty, EXP_SWP_SOFT_DIRTY },
	{ "uffd_wp", pte_swp_mkuffd_wp, pte_swp_uffd_wp,
	  pte_swp_clear_uffd_wp, EXP_SWP_UFFD_WP },
	{ "exclusive", pte_swp_mkexclusive, pte_swp_exclusive,
	  pte_swp_clear_exclusive, EXP_SWP_EXCLUSIVE },
};

/*
 * pte_swap_exclusive_tests() and pte_swap_soft_dirty_tests(), for each of
 * the three swap flag bits, over entries from the smallest to the one
 * "with all possible bits set" (type 31, maximum offset).
 */
START_TEST(swap_flag_bits_set_test_clear_and_are_stripped)
{
	const struct swp_flag *f = &swp_flags[_i];
	static const struct {
		unsigned long long type;
		unsigned long long offset;
	} entries[] = {
		{ 1, 0 }, { 0, 1 }, { 3, 0x1234 }, { 22, 0xabcdef },
		{ 31, EXP_SWP_MAX_OFFSET },
	};
	unsigned long long max_offset;
	unsigned int i, j;

	/* generic_max_swapfile_size()'s probe */
	max_offset = swp_offset(pte_to_swp_entry(swp_entry_to_pte(
					swp_entry(0, ~0UL))));
	ck_assert_msg(max_offset == EXP_SWP_MAX_OFFSET,
		      "%s %s: max swap offset %#llx", PTB_ARCH_NAME, f->name,
		      max_offset);

	for (i = 0; i < ARRAY_SIZE(entries); i++) {
		swp_entry_t entry = swp_entry(entries[i].type,
					      entries[i].offset);
		pte_t pte = swp_entry_to_pte(entry);
		pte_t set = f->mk(pte);
		pte_t cleared = f->clear(set);

		ck_assert_msg(!f->test(pte), "%s %s entry %u: set on a plain entry",
			      PTB_ARCH_NAME, f->name, i);
		ck_assert_msg(raw(set) == (raw(pte) | f->bit),
			      "%s %s entry %u: mk %#llx -> %#llx, expected bit %#llx",
			      PTB_ARCH_NAME, f->name, i, raw(pte), raw(set),
			      f->bit);
		ck_assert_msg(!!f->test(set) == !!f->bit,
			      "%s %s entry %u: test after mk", PTB_ARCH_NAME,
			      f->name, i);
		ck_assert_msg(is_swap_pte(set), "%s %s entry %u: not swap",
			      PTB_ARCH_NAME, f->name, i);
		for (j = 0; j < ARRAY_SIZE(swp_flags); j++)
			if (j != _i)
				ck_assert_msg(!swp_flags[j].test(set),
					      "%s %s entry %u: also sets %s",
					      PTB_ARCH_NAME, f->name, i,
					      swp_flags[j].name);
		ck_assert_msg(pte_to_swp_entry(set).val == entry.val,
			      "%s %s entry %u: pte_to_swp_entry keeps the flag",
			      PTB_ARCH_NAME, f->name, i);
		ck_assert_msg(raw(cleared) == raw(pte) && !f->test(cleared),
			      "%s %s entry %u: clear %#llx", PTB_ARCH_NAME,
			      f->name, i, raw(cleared));
		ck_assert_msg(raw(f->clear(pte)) == raw(pte),
			      "%s %s entry %u: clear of a clear entry",
			      PTB_ARCH_NAME, f->name, i);
	}

	/* the swp ops on a present PTE (pte_swap_soft_dirty_tests()) */
	{
		pte_t pte = pfn_pte(VEC_PFN, PAGE_READONLY);

		ck_assert_msg(!!f->test(f->mk(pte)) == !!f->bit,
			      "%s %s: on a present pte", PTB_ARCH_NAME, f->name);
		ck_assert_msg(!f->test(f->clear(pte)),
			      "%s %s: clear on a present pte", PTB_ARCH_NAME,
			      f->name);
	}
}
END_TEST

START_TEST(pte_to_swp_entry_strips_all_swap_flag_bits)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(swp_vectors); i++) {
		const struct swp_vector *v = &swp_vectors[i];
		swp_entry_t entry = swp_entry(v->type, v->offset);
		pte_t pte = __pte(v->raw | EXP_SWP_ALL_FLAGS);
		pte_t built = pte_swp_mkexclusive(pte_swp_mkuffd_wp(
				pte_swp_mksoft_dirty(swp_entry_to_pte(entry))));

		ck_assert_msg(raw(built) == raw(pte),
			      "%s %s: all flags %#llx, expected %#llx",
			      PTB_ARCH_NAME, v->id, raw(built), raw(pte));
		ck_assert_msg(pte_to_swp_entry(pte).val == entry.val,
			      "%s %s: pte_to_swp_entry %#llx", PTB_ARCH_NAME,
			      v->id, (unsigned long long)pte_to_swp_entry(pte).val);
		ck_assert_msg(raw(pte_swp_clear_flags(pte)) == v->raw,
			      "%s %s: pte_swp_clear_flags %#llx", PTB_ARCH_NAME,
			      v->id, raw(pte_swp_clear_flags(pte)));
	}
}
END_TEST

/*
 * 6.12's pte_move_swp_offset() (mm/internal.h): the three swap flags
 * survive, nothing else does
 */
START_TEST(pte_move_swp_offset_keeps_only_the_swap_flag_bits)
{
	static const long deltas[] = { 0, 1, -1, 17, -16, 511, 4096 };
	static const unsigned long long type = 9, offset = 0x40000;
	unsigned int combo, d;

	for (combo = 0; combo < 8; combo++) {
		unsigned long long flags = ((combo & 1) ? EXP_SWP_SOFT_DIRTY : 0) |
			    ((combo & 2) ? EXP_SWP_UFFD_WP : 0) |
			    ((combo & 4) ? EXP_SWP_EXCLUSIVE : 0);
		pte_t pte = swp_entry_to_pte(swp_entry(type, offset));

		if (combo & 1)
			pte = pte_swp_mksoft_dirty(pte);
		if (combo & 2)
			pte = pte_swp_mkuffd_wp(pte);
		if (combo & 4)
			pte = pte_swp_mkexclusive(pte);

		for (d = 0; d < ARRAY_SIZE(deltas); d++) {
			unsigned long long exp = exp_swp_raw(type, offset + deltas[d]) | flags;
			pte_t moved = pte_move_swp_offset(pte, deltas[d]);
			pte_t junk = pte_move_swp_offset(
					__pte(raw(pte) | EXP_SWP_JUNK), deltas[d]);

			ck_assert_msg(raw(moved) == exp,
				      "%s flags %u delta %ld: %#llx, expected %#llx",
				      PTB_ARCH_NAME, combo, deltas[d],
				      raw(moved), exp);
			ck_assert_msg(raw(junk) == exp,
				      "%s flags %u delta %ld: junk bits %#llx kept: %#llx",
				      PTB_ARCH_NAME, combo, deltas[d],
				      EXP_SWP_JUNK, raw(junk));
		}
	}
}
END_TEST

START_TEST(pte_move_swp_offset_forth_and_back_is_identity)
{
	const u64 salt = 0x5a9e0002ULL;
	unsigned long n = ptb_iterations(20000), i;
	u64 base = ptb_seed() ^ salt;

	for (i = 0; i < n; i++) {
		u64 seed = base + i;
		struct ptb_rng rng;
		unsigned long long type, off, span, room;
		pte_t pte, there, back;
		swp_entry_t e;
		long delta;
		bool up;

		ptb_rng_init(&rng, seed);
		/* genuine swap types only: non_swap_entry() is excluded */
		type = ptb_rng_below(&rng, MAX_SWAPFILES);
		switch (ptb_rng_below(&rng, 3)) {
		case 0:
			off = ptb_rng_below(&rng, 1024);
			break;
		case 1:
			off = EXP_SWP_MAX_OFFSET - ptb_rng_below(&rng, 1024);
			break;
		default:
			off = ptb_rng_u64(&rng) & EXP_SWP_MAX_OFFSET;
			break;
		}
		span = ptb_rng_chance(&rng, 50) ? 1024 : EXP_SWP_MAX_OFFSET;
		up = ptb_rng_chance(&rng, 50);
		room = up ? EXP_SWP_MAX_OFFSET - off : off;
		delta = (long)ptb_rng_below(&rng, min(span, room) + 1);
		if (!up)
			delta = -delta;
		if (exp_swp_is_none(type, off) ||
		    exp_swp_is_none(type, off + delta))
			continue;

		pte = swp_entry_to_pte(swp_entry(type, off));
		if (ptb_rng_chance(&rng, 50))
			pte = pte_swp_mksoft_dirty(pte);
		if (ptb_rng_chance(&rng, 50))
			pte = pte_swp_mkuffd_wp(pte);
		if (ptb_rng_chance(&rng, 50))
			pte = pte_swp_mkexclusive(pte);

		there = pte_move_swp_offset(pte, delta);
		back = pte_move_swp_offset(there, -delta);
		e = pte_to_swp_entry(there);
		vec_check(raw(back) == raw(pte) && swp_type(e) == type &&
			  swp_offset(e) == off + delta && is_swap_pte(there) &&
			  raw(there) == (exp_swp_raw(type, off + delta) |
					 (raw(pte) & EXP_SWP_ALL_FLAGS)),
			  "%s seed %#llx (rerun PTEBATCH_SEED=%#llx PTEBATCH_ITERATIONS=1): (%llu, %#llx) %+ld: %#llx -> %#llx -> %#llx",
			  PTB_ARCH_NAME, (unsigned long long)seed,
			  (unsigned long long)(seed ^ salt), type, off, delta,
			  raw(pte), raw(there), raw(back));
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* Non-swap entries                                                   */
/* ------------------------------------------------------------------ */

START_TEST(non_swap_entry_types_follow_6_12_numbering)
{
	unsigned int type;

	/* include/linux/swap.h, all options enabled: 32 - 4 - 3 - 1 - 1 */
	ck_assert_msg(MAX_SWAPFILES == 23, "MAX_SWAPFILES %d", MAX_SWAPFILES);
	ck_assert_msg(SWP_HWPOISON == 23 && SWP_MIGRATION_READ == 24 &&
		      SWP_MIGRATION_READ_EXCLUSIVE == 25 &&
		      SWP_MIGRATION_WRITE == 26 && SWP_DEVICE_WRITE == 27 &&
		      SWP_DEVICE_READ == 28 && SWP_DEVICE_EXCLUSIVE_WRITE == 29 &&
		      SWP_DEVICE_EXCLUSIVE_READ == 30 && SWP_PTE_MARKER == 31,
		      "special swap type numbering");

	for (type = 0; type < 32; type++) {
		swp_entry_t e = swp_entry(type, 0x1234);

		ck_assert_msg(!!non_swap_entry(e) == (type >= 23),
			      "type %u: non_swap_entry", type);
		ck_assert_msg(!!is_hwpoison_entry(e) == (type == 23),
			      "type %u: is_hwpoison_entry", type);
		ck_assert_msg(!!is_migration_entry(e) ==
			      (type >= 24 && type <= 26),
			      "type %u: is_migration_entry", type);
		ck_assert_msg(!!is_device_private_entry(e) ==
			      (type == 27 || type == 28),
			      "type %u: is_device_private_entry", type);
		ck_assert_msg(!!is_device_exclusive_entry(e) ==
			      (type == 29 || type == 30),
			      "type %u: is_device_exclusive_entry", type);
		ck_assert_msg(!!is_pte_marker_entry(e) == (type == 31),
			      "type %u: is_pte_marker_entry", type);
		ck_assert_msg(!!is_pfn_swap_entry(e) ==
			      (type >= 23 && type <= 30),
			      "type %u: is_pfn_swap_entry", type);
	}
}
END_TEST

START_TEST(markers_hwpoison_and_device_exclusive_entries_have_their_types)
{
	unsigned long pfn = PTB_BASE_PFN + 0x40;
	struct folio *folio;
	swp_entry_t e;
	pte_t pte;

	/* PTE_MARKER_UFFD_WP: type 31, offset 1 */
	pte = make_pte_marker(PTE_MARKER_UFFD_WP);
#ifdef EXP_X86
	ck_assert_msg(raw(pte) == 0xfffffffffffffc00ULL, "marker %#llx",
		      raw(pte));
#else
	ck_assert_msg(raw(pte) == 0x17c0ULL, "marker %#llx", raw(pte));
#endif
	ck_assert_msg(is_swap_pte(pte) && is_pte_marker(pte) &&
		      pte_marker_uffd_wp(pte) && pte_swp_uffd_wp_any(pte),
		      "marker %#llx: predicates", raw(pte));
	e = pte_to_swp_entry(pte);
	ck_assert_msg(swp_type(e) == 31 && swp_offset(e) == 1 &&
		      non_swap_entry(e) && !is_pfn_swap_entry(e),
		      "marker entry (%u, %#lx)", swp_type(e), swp_offset(e));
	ck_assert_msg(!pte_marker_uffd_wp(make_pte_marker(PTE_MARKER_POISONED)),
		      "poison marker reads as uffd-wp");
	/* a swp uffd-wp bit on a genuine swap entry also counts */
	ck_assert_msg(pte_swp_uffd_wp_any(pte_swp_mkuffd_wp(
			swp_entry_to_pte(swp_entry(1, 1)))) &&
		      !pte_swp_uffd_wp_any(swp_entry_to_pte(swp_entry(1, 1))),
		      "pte_swp_uffd_wp_any on a swap entry");

	/* swap_migration_tests()'s locked page */
	folio = ptb_folio_create(pfn, 0, BIT(PG_anon) | BIT(PG_locked), 0);
	e = make_hwpoison_entry(folio_page(folio, 0));
	ck_assert_msg(swp_type(e) == 23 && swp_offset(e) == pfn &&
		      is_hwpoison_entry(e) && is_pfn_swap_entry(e) &&
		      non_swap_entry(e) && swp_offset_pfn(e) == pfn,
		      "hwpoison entry (%u, %#lx)", swp_type(e), swp_offset(e));
	pte = swp_entry_to_pte(e);
	ck_assert_msg(raw(pte) == exp_swp_raw(23, pfn) && is_swap_pte(pte) &&
		      pte_to_swp_entry(pte).val == e.val,
		      "hwpoison pte %#llx", raw(pte));

	e = make_readable_device_exclusive_entry(pfn);
	ck_assert_msg(swp_type(e) == 30 && is_device_exclusive_entry(e) &&
		      !is_device_private_entry(e) && !is_migration_entry(e) &&
		      swp_offset_pfn(e) == pfn,
		      "readable device-exclusive (%u, %#lx)", swp_type(e),
		      swp_offset(e));
	e = make_writable_device_exclusive_entry(pfn);
	ck_assert_msg(swp_type(e) == 29 && is_device_exclusive_entry(e) &&
		      swp_offset_pfn(e) == pfn,
		      "writable device-exclusive (%u, %#lx)", swp_type(e),
		      swp_offset(e));
	pte = pte_swp_mkuffd_wp(pte_swp_mksoft_dirty(swp_entry_to_pte(e)));
	ck_assert_msg(is_swap_pte(pte) &&
		      is_device_exclusive_entry(pte_to_swp_entry(pte)) &&
		      swp_offset_pfn(pte_to_swp_entry(pte)) == pfn,
		      "device-exclusive pte %#llx with flags", raw(pte));

	/* migration entries carry the PFN the same way */
	e = swp_entry(SWP_MIGRATION_WRITE, pfn);
	ck_assert_msg(is_migration_entry(e) && swp_offset_pfn(e) == pfn &&
		      raw(swp_entry_to_pte(e)) == exp_swp_raw(26, pfn),
		      "migration entry %#llx", raw(swp_entry_to_pte(e)));
}
END_TEST

Suite *ptb_suite(void)
{
	Suite *s = suite_create("pte_bits");
	TCase *tc;

	tc = tcase_create("layout");
	tcase_add_loop_test(tc, user_protections_have_6_12_values, 0,
			    ARRAY_SIZE(prot_vectors));
	tcase_add_loop_test(tc, pte_bits_sit_at_6_12_positions, 0,
			    ARRAY_SIZE(bit_vectors));
	tcase_add_loop_test(tc, pte_modifiers_produce_6_12_raw_values, 0,
			    ARRAY_SIZE(op_vectors));
	tcase_add_loop_test(tc, pte_none_present_protnone_follow_6_12, 0,
			    ARRAY_SIZE(presence_vectors));
	tcase_add_loop_test(tc, pte_predicates_follow_6_12, 0,
			    ARRAY_SIZE(pred_vectors));
#ifdef EXP_X86
	tcase_add_test(tc, x86_saved_dirty_shift_over_all_rw_d_sd_combinations);
#endif
#ifdef EXP_ARM64
	tcase_add_test(tc, arm64_dirty_writable_table_maps_to_rdonly_write_dirty);
	tcase_add_test(tc, arm64_hw_and_sw_dirty_over_all_rdonly_write_dirty_combinations);
	tcase_add_test(tc, arm64_cont_bit_is_private_to_the_pte);
#endif
	tcase_add_loop_test(tc, pfn_pte_and_pte_advance_pfn_handle_protnone, 0,
			    ARRAY_SIZE(pfn_vectors));
	tcase_add_loop_test(tc, hw_access_sets_accessed_and_hardware_dirty, 0,
			    ARRAY_SIZE(hw_vectors));
	tcase_add_loop_test(tc, pte_basic_ops_are_idempotent_and_inverse, 0,
			    ARRAY_SIZE(basic_prots));
	tcase_add_loop_test(tc, special_protnone_soft_dirty_uffd_wp_ops_round_trip,
			    0, ARRAY_SIZE(basic_prots));
	suite_add_tcase(s, tc);

	tc = tcase_create("swap");
	tcase_add_loop_test(tc, swap_entries_encode_as_in_6_12, 0,
			    ARRAY_SIZE(swp_vectors));
	tcase_add_test(tc, swap_entry_aliasing_pte_none_is_the_documented_one);
	tcase_add_test(tc, swap_entries_round_trip_for_every_type_and_many_offsets);
	tcase_add_loop_test(tc, arch_swp_entry_conversion_keeps_a_present_pte_intact,
			    0, ARRAY_SIZE(basic_prots));
	tcase_add_test(tc, swap_offset_step_moves_raw_by_arch_delta);
	tcase_add_loop_test(tc, swap_flag_bits_set_test_clear_and_are_stripped, 0,
			    ARRAY_SIZE(swp_flags));
	tcase_add_test(tc, pte_to_swp_entry_strips_all_swap_flag_bits);
	tcase_add_test(tc, pte_move_swp_offset_keeps_only_the_swap_flag_bits);
	tcase_add_test(tc, pte_move_swp_offset_forth_and_back_is_identity);
	tcase_add_test(tc, non_swap_entry_types_follow_6_12_numbering);
	suite_add_tcase(s, tc);

	tc = tcase_create("model");
	tcase_add_checked_fixture(tc, ptb_setup, ptb_teardown);
	tcase_add_test(tc, pte_advanced_ops_on_a_table_slot);
	tcase_add_test(tc, markers_hwpoison_and_device_exclusive_entries_have_their_types);
	suite_add_tcase(s, tc);

	return s;
}
