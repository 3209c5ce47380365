// SPDX-License-Identifier: GPL-2.0
/*
 * The contpte suite's shared prologue: the two worlds (fixtures), whole-table
 * helpers and the block invariant. See contpte.h.
 */
#include "contpte.h"

struct vm_area_struct ref_vma;
struct mm_struct scratch_mm;

/*
 * Second checked fixture, after ptb_setup(): page tables for init_mm (the
 * reference world: arm64 never uses PTE_CONT for it) and a scratch mm for
 * copies of a table.
 */
void worlds_setup(void)
{
	ptb_mm_init(&init_mm);
	ptb_mm_init(&scratch_mm);
	ref_vma = ptb_vma;
	ref_vma.vm_mm = &init_mm;
}

void worlds_teardown(void)
{
	ptb_mm_destroy(&scratch_mm);
	ptb_mm_destroy(&init_mm);
}

void table_zero(pte_t *table)
{
	unsigned int i;

	for (i = 0; i < NSLOTS; i++)
		wr(&table[i], __pte(0));
}

/*
 * The contpte block invariant over a whole table, from raw entries: each
 * PTE_CONT entry belongs to an aligned block of 16 valid CONT entries with
 * consecutive PFNs from a 16-aligned base, equal pgprot ignoring AF/dirty,
 * and all in one folio (what 6.12's arch/arm64/mm/contpte.c maintains and
 * contpte_ptep_get_lockless() relies on). Returns false with @why filled in.
 */
bool block_invariant_holds(pte_t *table, char *why, size_t len)
{
	unsigned int b, i;

	for (b = 0; b < NSLOTS; b += BLK) {
		unsigned long base;
		bool any = false;
		pte_t first;

		for (i = 0; i < BLK; i++)
			any |= raw_cont(&table[b + i]);
		if (!any)
			continue;
		first = rd(&table[b]);
		base = pte_pfn(first);
		if (base % BLK) {
			snprintf(why, len, "CONT block at slot %u starts at pfn %#lx, not 16-aligned",
				 b, base);
			return false;
		}
		for (i = 0; i < BLK; i++) {
			pte_t pte = rd(&table[b + i]);

			if (!pte_hw_valid(pte) || !ptb_pte_cont(pte)) {
				snprintf(why, len, "slot %u of the CONT block at slot %u is %#llx: not valid+CONT",
					 b + i, b, raw(pte));
				return false;
			}
			if (pte_pfn(pte) != base + i) {
				snprintf(why, len, "slot %u of the CONT block at slot %u maps pfn %#lx, expected %#lx",
					 b + i, b, pte_pfn(pte), base + i);
				return false;
			}
			if (prot_noad(pte) != prot_noad(first)) {
				snprintf(why, len, "slot %u of the CONT block at slot %u has prot %#llx != %#llx (ignoring A/D)",
					 b + i, b,
					 (unsigned long long)prot_noad(pte),
					 (unsigned long long)prot_noad(first));
				return false;
			}
		}
		if (base < memmap_base_pfn ||
		    base + BLK > memmap_base_pfn + memmap_nr_pages ||
		    !page_folio(pfn_to_page(base)) ||
		    page_folio(pfn_to_page(base)) !=
		    page_folio(pfn_to_page(base + BLK - 1))) {
			snprintf(why, len, "CONT block at slot %u (pfn %#lx) is not within one folio",
				 b, base);
			return false;
		}
	}
	return true;
}

/* Uncounted set_ptes() of @nr pages from @pfn at @slot in @mm. */
void map_run(struct mm_struct *mm, unsigned int slot, unsigned long pfn,
	     unsigned int nr, const struct ptb_pte_bits *bits)
{
	ptb_cost_pause();
	set_ptes(mm, slot_addr(slot), ptb_pte_slot(mm, slot_addr(slot), true),
		 ptb_mk_pte(pfn, bits), nr);
	ptb_cost_resume();
}

/* Wall-clock seconds since @t0 (CLOCK_MONOTONIC), for the statistics lines. */
double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}
