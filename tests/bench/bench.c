// SPDX-License-Identifier: GPL-2.0
/*
 * ptebatch bench: what unmapping a large folio costs, batched against 6.12's
 * per-PTE try_to_unmap_one(), in the userspace model of one arch backend
 * (this program is built once per backend, like the tests).
 *
 * For each folio size and mapping shape it builds a world of many folios
 * (anonymous, swap-backed, dirty, as reclaim finds them before swap-out),
 * unmaps every folio through ttu_6_12() and through ttu_batched(), and
 * reports per folio the exact page-table and TLB costs the model counts,
 * and the time per mapped PTE (min and median over repeats). Only the
 * unmap calls are timed: each repeat builds a fresh world for each path,
 * untimed, and the two paths alternate which goes first.
 *
 * --op=move does the same for mremap's move_ptes(): 6.12's per-PTE one
 * against the batched one (tests/model/mremap.h), each mm's folios moved to
 * 1 MiB past a PMD boundary, extent by extent as move_page_tables() calls
 * it; --op=move-swapped moves the swap PTEs that unmapping the same folios
 * leaves (neither path batches those: what batching them could save).
 *
 * --helpers times the batch-detection helpers over a full 512-entry page
 * table against a loop that reads each entry once; --callgrind makes one
 * unmap per configuration and path, each dumped as its own callgrind part
 * (tests/bench/callgrind.sh runs it under valgrind and prints the ratios).
 *
 * The bench compiles its own copy of the model without CONFIG_DEBUG_VM
 * (bench.am), and the cost counters are paused while it times: what is
 * timed is the helpers and the two try_to_unmap_one() models as a
 * !CONFIG_DEBUG_VM kernel would run them, plus the model's own accessors
 * (a counter check at every page-table access, and page_vma_mapped_walk()'s
 * lookup of the PTE table in a short list instead of the 4-level walk).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include <ptebatch/model.h>
#include <ptebatch/walk.h>
#include "model/ttu.h"
#include "model/mremap.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "unmap_batch.c"
#pragma GCC diagnostic pop

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define HAVE_CALLGRIND 1
#endif
#endif
#ifndef HAVE_CALLGRIND
#define HAVE_CALLGRIND 0
#define CALLGRIND_TOGGLE_COLLECT do { } while (0)
#define CALLGRIND_DUMP_STATS_AT(s) do { (void)(s); } while (0)
#endif

#ifdef CONFIG_DEBUG_VM
#define BENCH_DEBUG_VM "on"
#else
#define BENCH_DEBUG_VM "off"
#endif

/* a build that makes times meaningless says so in every table */
#if defined(__SANITIZE_ADDRESS__)
#define BENCH_BUILD_NOTE " **Built with AddressSanitizer: times are not representative.**"
#elif !defined(__OPTIMIZE__)
#define BENCH_BUILD_NOTE " **Built without optimization: times are not representative.**"
#else
#define BENCH_BUILD_NOTE ""
#endif

#define BENCH_VA		0x7f0000000000UL
/* where --op=move moves an mm's folios: 1 MiB past a PMD boundary */
#define BENCH_MOVE_VA		(BENCH_VA + 64 * PMD_SIZE + (1UL << 20))
#define BENCH_BASE_PFN		0x80000UL
/* PTE tables per mm: the walk finds a table in a list this long */
#define TABLES_PER_MM		8

/* ------------------------------ configuration ------------------------- */

static const struct {
	const char *name;
	unsigned int order;
} sizes[] = {
	{ "4K", 0 }, { "16K", 2 }, { "32K", 3 }, { "64K", 4 },
	{ "128K", 5 }, { "2M", 9 },
};
#define NR_SIZES	ARRAY_SIZE(sizes)

enum shape { ALIGNED, MISALIGNED, PARTIAL, CROSS_PMD, NR_SHAPES };

static const char *const shape_names[NR_SHAPES] = {
	"aligned", "misaligned", "partial", "cross-pmd",
};

static const char *const shape_help[NR_SHAPES] = {
	"naturally aligned, every page mapped",
	"one page off its alignment (as after mremap), every page mapped",
	"naturally aligned, first half mapped",
	"straddling a PMD boundary in its middle, every page mapped",
};

enum path { PER_PTE, BATCHED, NR_PATHS };

static const char *const path_names[NR_PATHS] = { "per-PTE", "batched" };
static const ptb_rmap_one_t path_fns[NR_PATHS] = { ttu_6_12, ttu_batched };

typedef int (*move_ptes_fn)(struct vm_area_struct *vma, unsigned long old_addr,
			    unsigned long old_end,
			    struct vm_area_struct *new_vma,
			    unsigned long new_addr);
static const move_ptes_fn move_fns[NR_PATHS] = {
	mremap_6_12_move_ptes, mremap_batched_move_ptes,
};

enum op { OP_UNMAP, OP_MOVE, OP_MOVE_SWAPPED, NR_OPS };

static const char *const op_names[NR_OPS] = {
	"unmap", "move", "move-swapped",
};

enum kind { KIND_ANON, KIND_LAZYFREE };

struct options {
	enum op op;
	bool size_on[NR_SIZES];
	bool shape_on[NR_SHAPES];
	enum kind kind;
	bool deferred;
	unsigned int repeats;
	unsigned long ptes;
	unsigned long passes;
	const char *csv;
	const char *ratios;
	bool append;
	bool helpers;
	bool callgrind;
};

static const char *prog = "bench";

static void usage(FILE *out)
{
	unsigned int i;

	fprintf(out,
"Usage: %s [OPTION]...\n"
"Unmap many large folios through 6.12's per-PTE try_to_unmap_one() and the\n"
"batched one, in the ptebatch model of the %s backend, and print a Markdown\n"
"table of exact costs per folio and time per PTE.\n"
"\n"
"  --op=OP          unmap (default), move (mremap's move_ptes(), 6.12's\n"
"                   against the batched one, present PTEs) or move-swapped\n"
"                   (the same over the swap PTEs unmapping leaves)\n"
"  --sizes=LIST     folio sizes, comma-separated (default: all):\n"
"                   4K,16K,32K,64K,128K,2M\n"
"  --shapes=LIST    mapping shapes, comma-separated (default: all):\n",
		prog, PTB_ARCH_NAME);
	for (i = 0; i < NR_SHAPES; i++)
		fprintf(out, "                     %-11s %s\n", shape_names[i],
			shape_help[i]);
	fprintf(out,
"                   (a 4K folio has only the aligned shape)\n"
"  --kind=KIND      anon (default: swap-backed, dirty, in the swap cache)\n"
"                   or lazyfree (MADV_FREE'd, clean: discarded); unmap only\n"
"  --deferred       defer TLB flushes (TTU_BATCH_FLUSH) and flush once at\n"
"                   the end, as reclaim does (default: synchronous flushes);\n"
"                   unmap only\n"
"  --repeats=N      timed repeats per configuration and path (default 21)\n"
"  --ptes=N         mapped PTEs per world, at least (default 8192)\n"
"  --csv=FILE       also write the rows as CSV to FILE\n"
"  --ratios=FILE    also write batched/per-PTE ratios for gnuplot to FILE\n"
"  --append         append to the CSV and ratio files and print no table\n"
"                   header (to merge the other backend's run)\n"
"  --helpers        time the batch-detection helpers over a 512-entry\n"
"                   table instead (uses --repeats, --csv, --append)\n"
"  --passes=N       helper passes over the table per repeat (default 2000)\n"
"  --callgrind      under valgrind --tool=callgrind --collect-atstart=no:\n"
"                   unmap once per configuration and path (with --helpers:\n"
"                   one pass of each helper), each dumped as a callgrind\n"
"                   part of its own; no timing\n"
"  --help           show this help and exit\n"
"\n"
"Time is per mapped PTE, min and median over the repeats; only the unmap\n"
"calls are timed, the cost counters paused, CONFIG_DEBUG_VM %s.\n",
		BENCH_DEBUG_VM);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
	exit(2);
}

static void parse_list(const char *arg, const char *what,
		       const char *const *names, unsigned int nr, bool *on)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	unsigned int i;

	if (!copy)
		abort();
	memset(on, 0, nr * sizeof(*on));
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < nr; i++)
			if (!strcasecmp(tok, names[i]))
				break;
		if (i == nr) {
			char expect[128] = "";

			for (i = 0; i < nr; i++) {
				strcat(expect, i ? ", " : "");
				strcat(expect, names[i]);
			}
			bad_usage("unknown %s '%s' (expected %s)", what, tok,
				  expect);
		}
		on[i] = true;
	}
	free(copy);
	for (i = 0; i < nr; i++)
		if (on[i])
			return;
	bad_usage("empty list of %ss", what);
}

static unsigned long parse_number(const char *arg, const char *opt,
				  unsigned long min, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno || end == arg || *end || arg[0] == '-' || v < min || v > max)
		bad_usage("invalid %s '%s' (expected an integer from %lu to %lu)",
			  opt, arg, min, max);
	return v;
}

static void parse_options(int argc, char **argv, struct options *o)
{
	enum {
		OPT_OP = 256, OPT_SIZES, OPT_SHAPES, OPT_KIND, OPT_DEFERRED,
		OPT_REPEATS, OPT_PTES, OPT_CSV, OPT_RATIOS, OPT_APPEND,
		OPT_HELPERS, OPT_PASSES, OPT_CALLGRIND, OPT_HELP,
	};
	static const struct option longopts[] = {
		{ "op", required_argument, NULL, OPT_OP },
		{ "sizes", required_argument, NULL, OPT_SIZES },
		{ "shapes", required_argument, NULL, OPT_SHAPES },
		{ "kind", required_argument, NULL, OPT_KIND },
		{ "deferred", no_argument, NULL, OPT_DEFERRED },
		{ "repeats", required_argument, NULL, OPT_REPEATS },
		{ "ptes", required_argument, NULL, OPT_PTES },
		{ "csv", required_argument, NULL, OPT_CSV },
		{ "ratios", required_argument, NULL, OPT_RATIOS },
		{ "append", no_argument, NULL, OPT_APPEND },
		{ "helpers", no_argument, NULL, OPT_HELPERS },
		{ "passes", required_argument, NULL, OPT_PASSES },
		{ "callgrind", no_argument, NULL, OPT_CALLGRIND },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	const char *size_names[NR_SIZES];
	unsigned int i;
	int c;

	for (i = 0; i < NR_SIZES; i++) {
		size_names[i] = sizes[i].name;
		o->size_on[i] = true;
	}
	for (i = 0; i < NR_SHAPES; i++)
		o->shape_on[i] = true;
	o->kind = KIND_ANON;
	o->repeats = 21;
	o->ptes = 8192;
	o->passes = 2000;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_OP:
			for (i = 0; i < NR_OPS; i++)
				if (!strcmp(optarg, op_names[i]))
					break;
			if (i == NR_OPS)
				bad_usage("unknown op '%s' (expected unmap, move or move-swapped)",
					  optarg);
			o->op = i;
			break;
		case OPT_SIZES:
			parse_list(optarg, "folio size", size_names, NR_SIZES,
				   o->size_on);
			break;
		case OPT_SHAPES:
			parse_list(optarg, "shape", shape_names, NR_SHAPES,
				   o->shape_on);
			break;
		case OPT_KIND:
			if (!strcmp(optarg, "anon"))
				o->kind = KIND_ANON;
			else if (!strcmp(optarg, "lazyfree"))
				o->kind = KIND_LAZYFREE;
			else
				bad_usage("unknown kind '%s' (expected anon or lazyfree)",
					  optarg);
			break;
		case OPT_DEFERRED:
			o->deferred = true;
			break;
		case OPT_REPEATS:
			o->repeats = parse_number(optarg, "--repeats", 1, 100000);
			break;
		case OPT_PTES:
			o->ptes = parse_number(optarg, "--ptes", 1, 262144);
			break;
		case OPT_CSV:
			o->csv = optarg;
			break;
		case OPT_RATIOS:
			o->ratios = optarg;
			break;
		case OPT_APPEND:
			o->append = true;
			break;
		case OPT_HELPERS:
			o->helpers = true;
			break;
		case OPT_PASSES:
			o->passes = parse_number(optarg, "--passes", 1,
						 100000000);
			break;
		case OPT_CALLGRIND:
			o->callgrind = true;
			break;
		case OPT_HELP:
			usage(stdout);
			exit(0);
		case ':':
			bad_usage("option '%s' needs an argument",
				  argv[optind - 1]);
		default:
			bad_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		bad_usage("unexpected argument '%s'", argv[optind]);
	if (o->op != OP_UNMAP && (o->kind != KIND_ANON || o->deferred))
		bad_usage("--kind and --deferred are for --op=unmap");
	if (o->op != OP_UNMAP && o->helpers)
		bad_usage("--helpers times the batch detection; it takes no --op");
	if (o->callgrind && !HAVE_CALLGRIND)
		bad_usage("--callgrind: built without <valgrind/callgrind.h> (install valgrind and rebuild)");
}

static FILE *open_output(const char *path, bool append)
{
	FILE *f = fopen(path, append ? "a" : "w");

	if (!f) {
		fprintf(stderr, "%s: cannot write '%s': %s\n", prog, path,
			strerror(errno));
		exit(1);
	}
	return f;
}

static void close_output(FILE *f, const char *path)
{
	if (f && (ferror(f) | fclose(f))) {
		fprintf(stderr, "%s: error writing '%s'\n", prog, path);
		exit(1);
	}
}

/* ------------------------------- worlds ------------------------------- */

struct world {
	unsigned int nr_mms;
	struct mm_struct *mms;
	struct vm_area_struct *vmas;
	unsigned long nr_folios;
	struct folio **folios;
	unsigned int *folio_mm;
	unsigned long ptes;		/* mapped PTEs */
};

/* Where folio @j of an mm goes: address of its first mapped page. */
struct layout {
	unsigned long per_mm;		/* folios per mm */
	unsigned long mapped;		/* pages mapped per folio */
};

static bool shape_applies(unsigned int order, enum shape shape)
{
	return order > 0 || shape == ALIGNED;
}

static struct layout layout_of(unsigned int order, enum shape shape)
{
	unsigned long nr = 1UL << order, per_table = PTRS_PER_PTE / nr;
	struct layout l;

	l.mapped = shape == PARTIAL ? nr / 2 : nr;
	switch (shape) {
	case ALIGNED:
	case PARTIAL:
		l.per_mm = TABLES_PER_MM * per_table;
		break;
	case MISALIGNED:
		/* below 2M a table holds all but one; a 2M folio chains */
		l.per_mm = nr < PTRS_PER_PTE ? TABLES_PER_MM * (per_table - 1)
					     : TABLES_PER_MM - 1;
		break;
	default:
		/* one folio per boundary between the mm's tables */
		l.per_mm = TABLES_PER_MM - 1;
		break;
	}
	return l;
}

static unsigned long folio_addr(unsigned int order, enum shape shape,
				unsigned long j)
{
	unsigned long nr = 1UL << order, per_table = PTRS_PER_PTE / nr;

	switch (shape) {
	case ALIGNED:
	case PARTIAL:
		return BENCH_VA + (j / per_table) * PMD_SIZE +
		       (j % per_table) * nr * PAGE_SIZE;
	case MISALIGNED:
		if (nr == PTRS_PER_PTE)
			return BENCH_VA + j * PMD_SIZE + PAGE_SIZE;
		return BENCH_VA + (j / (per_table - 1)) * PMD_SIZE + PAGE_SIZE +
		       (j % (per_table - 1)) * nr * PAGE_SIZE;
	default:
		return BENCH_VA + (j + 1) * PMD_SIZE - nr / 2 * PAGE_SIZE;
	}
}

/* ptb_mk_pte() of the harness, for the bits the bench uses */
static pte_t mk_pte_bits(unsigned long pfn, bool dirty)
{
	pte_t pte = pfn_pte(pfn, PAGE_READONLY);

	pte = pte_mkwrite_novma(pte);
	if (dirty)
		pte = pte_mkdirty(pte);
	pte = pte_mkyoung(pte);
	return pte_clear_soft_dirty(pte);
}

/*
 * ptb_map_folio() of the harness: map pages [@idx, @idx + @nr) of @folio at
 * @addr through set_ptes(), as the fault path does, split at page-table
 * boundaries, and account them.
 */
static void map_folio(struct vm_area_struct *vma, struct folio *folio,
		      unsigned long idx, unsigned long addr, unsigned long nr,
		      bool dirty)
{
	struct mm_struct *mm = vma->vm_mm;

	while (nr) {
		unsigned long chunk = min(nr, (pmd_addr_end(addr, ULONG_MAX) -
					       addr) >> PAGE_SHIFT);
		unsigned long i;

		set_ptes(mm, addr, ptb_pte_slot(mm, addr, true),
			 mk_pte_bits(folio_pfn(folio) + idx, dirty), chunk);
		for (i = 0; i < chunk; i++) {
			struct page *page = folio_page(folio, idx + i);

			SetPageAnonExclusive(page);
			folio_add_rmap_ptes(folio, page, 1, vma);
			folio_get(folio);
			inc_mm_counter(mm, mm_counter(folio));
		}
		idx += chunk;
		addr += chunk << PAGE_SHIFT;
		nr -= chunk;
	}
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p) {
		perror("bench");
		exit(1);
	}
	return p;
}

static void world_build(struct world *w, unsigned int order,
			enum shape shape, const struct options *o)
{
	struct layout l = layout_of(order, shape);
	unsigned long nr = 1UL << order, i;
	unsigned long per_swap = PTB_SWAP_SLOTS / nr - 1;
	unsigned int m;

	memset(w, 0, sizeof(*w));
	w->nr_folios = (o->ptes + l.mapped - 1) / l.mapped;
	w->nr_mms = (w->nr_folios + l.per_mm - 1) / l.per_mm;
	if (w->nr_folios / per_swap >= MAX_SWAPFILES) {
		fprintf(stderr, "%s: --ptes %lu: too many folios for the swap model\n",
			prog, o->ptes);
		exit(2);
	}

	ptb_model_reset();
	ptb_cost_pause();
	ptb_memmap_init(BENCH_BASE_PFN, w->nr_folios * nr);
	w->mms = xcalloc(w->nr_mms, sizeof(*w->mms));
	w->vmas = xcalloc(w->nr_mms, sizeof(*w->vmas));
	w->folios = xcalloc(w->nr_folios, sizeof(*w->folios));
	w->folio_mm = xcalloc(w->nr_folios, sizeof(*w->folio_mm));
	for (m = 0; m < w->nr_mms; m++) {
		struct vm_area_struct *vma = &w->vmas[m];

		ptb_mm_init(&w->mms[m]);
		vma->vm_mm = &w->mms[m];
		vma->vm_start = BENCH_VA;
		vma->vm_end = BENCH_VA + TABLES_PER_MM * PMD_SIZE;
		vma->vm_pgoff = BENCH_VA >> PAGE_SHIFT;
		vma->vm_flags = VM_READ | VM_WRITE;
	}
	for (i = 0; i < w->nr_folios; i++) {
		unsigned long addr = folio_addr(order, shape, i % l.per_mm);
		struct folio *folio;

		m = i / l.per_mm;
		folio = ptb_folio_create(BENCH_BASE_PFN + i * nr, order,
					 BIT(PG_anon) | BIT(PG_locked),
					 addr >> PAGE_SHIFT);
		if (o->kind == KIND_ANON) {
			folio->swap = ptb_swap_alloc(i / per_swap, nr);
			folio_set_swapbacked(folio);
			folio_set_swapcache(folio);
		}
		map_folio(&w->vmas[m], folio, 0, addr, l.mapped,
			  o->kind == KIND_ANON);
		w->folios[i] = folio;
		w->folio_mm[i] = m;
	}
	w->ptes = w->nr_folios * l.mapped;
	ptb_cost_resume();
}

static void world_destroy(struct world *w)
{
	unsigned long i;

	for (i = 0; i < w->nr_folios; i++)
		ptb_folio_free(w->folios[i]);
	for (i = 0; i < w->nr_mms; i++)
		ptb_mm_destroy(&w->mms[i]);
	free(w->folios);
	free(w->folio_mm);
	free(w->vmas);
	free(w->mms);
}

/* The timed (and, under callgrind, the collected) part: unmap every folio. */
static unsigned long noinline
unmap_world(struct world *w, ptb_rmap_one_t rmap_one, enum ttu_flags flags)
{
	unsigned long i, failed = 0;

	for (i = 0; i < w->nr_folios; i++)
		failed += !ptb_try_to_unmap(w->folios[i],
					    &w->vmas[w->folio_mm[i]], 1,
					    flags, rmap_one);
	if (flags & TTU_BATCH_FLUSH)
		try_to_unmap_flush();
	return failed;
}

/*
 * move_page_tables() at the PTE level: each mm's tables moved to
 * BENCH_MOVE_VA, in extents within one old and one new page table.
 */
static unsigned long noinline
move_world(struct world *w, move_ptes_fn move)
{
	unsigned long failed = 0, len = TABLES_PER_MM * PMD_SIZE;
	unsigned int m;

	for (m = 0; m < w->nr_mms; m++) {
		struct vm_area_struct *vma = &w->vmas[m], new_vma = *vma;
		unsigned long old_addr = BENCH_VA, new_addr = BENCH_MOVE_VA;
		unsigned long extent;

		new_vma.vm_start = BENCH_MOVE_VA;
		new_vma.vm_end = BENCH_MOVE_VA + len;
		for (; old_addr < BENCH_VA + len; old_addr += extent,
		       new_addr += extent) {
			extent = min(pmd_addr_end(old_addr, BENCH_VA + len),
				     old_addr + pmd_addr_end(new_addr, -1UL) -
				     new_addr) - old_addr;
			if (!ptb_pte_offset(&w->mms[m], old_addr))
				continue;
			failed += move(vma, old_addr, old_addr + extent,
				       &new_vma, new_addr) != 0;
		}
	}
	return failed;
}

/* every entry the world mapped is at its new place, none left behind */
static void world_check_moved(const struct world *w, unsigned long failed,
			      const char *what)
{
	unsigned long len = TABLES_PER_MM * PMD_SIZE, moved = 0, left = 0, a;
	unsigned int m;

	ptb_cost_pause();
	for (m = 0; m < w->nr_mms; m++) {
		for (a = 0; a < len; a += PAGE_SIZE) {
			pte_t *old = ptb_pte_offset(&w->mms[m], BENCH_VA + a);
			pte_t *new = ptb_pte_offset(&w->mms[m],
						    BENCH_MOVE_VA + a);

			left += old && !pte_none(ptep_get(old));
			moved += new && !pte_none(ptep_get(new));
		}
	}
	ptb_cost_resume();
	if (failed || left || moved != w->ptes) {
		fprintf(stderr, "%s: %s: %lu moves failed, %lu of %lu entries moved, %lu left behind\n",
			prog, what, failed, moved, w->ptes, left);
		exit(1);
	}
}

static void world_check_unmapped(const struct world *w, unsigned long failed,
				 const char *what)
{
	unsigned long i;

	for (i = 0; i < w->nr_folios; i++)
		if (folio_mapcount(w->folios[i]))
			break;
	if (failed || i < w->nr_folios) {
		fprintf(stderr, "%s: %s: %lu unmaps failed, folio %lu still mapped\n",
			prog, what, failed, i);
		exit(1);
	}
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void min_median(double *v, unsigned int n, double *min, double *med)
{
	qsort(v, n, sizeof(*v), cmp_double);
	*min = v[0];
	*med = n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ------------------------------ unmap bench ---------------------------- */

struct result {
	unsigned long folios;
	struct ptb_costs c;		/* whole world */
	double min_ns, med_ns;		/* per mapped PTE */
};

static double per_folio(const struct result *r, unsigned long v)
{
	return (double)v / r->folios;
}

static void fmt_num(char *buf, size_t len, double v)
{
	if (v == (double)(long)v)
		snprintf(buf, len, "%ld", (long)v);
	else
		snprintf(buf, len, "%.2f", v);
}

static unsigned long tlbi_calls(const struct ptb_costs *c)
{
	return c->tlbi_pages + c->tlbi_ranges;
}

static unsigned long tlbi_pages(const struct ptb_costs *c)
{
	return c->tlbi_pages + c->tlbi_range_pages;
}

/* what the CSV's kind column says: the folios unmapped, or the move */
static const char *kind_name(const struct options *o)
{
	if (o->op != OP_UNMAP)
		return op_names[o->op];
	return o->kind == KIND_ANON ? "anon" : "lazyfree";
}

static void print_md_header(const struct options *o)
{
	if (o->op == OP_UNMAP)
		printf("Unmapping: costs per folio, averaged over the world's folios (%s folios, %s TLB flush)",
		       kind_name(o), o->deferred ? "deferred" : "synchronous");
	else
		printf("mremap's move_ptes() of %s PTEs to 1 MiB past a PMD boundary: costs per folio, averaged over the world's folios",
		       o->op == OP_MOVE ? "present" : "swap");
	printf("; time per mapped PTE, min and median of %u repeats "
	       "(cost counters paused, CONFIG_DEBUG_VM %s); ratio: batched/per-PTE median time.%s\n\n",
	       o->repeats, BENCH_DEBUG_VM, BENCH_BUILD_NOTE);
	printf("| arch | folio | shape | path | PTE reads | raw reads | PTE writes | PTE clears | TLBI calls | TLBI pages |%s folds | unfolds | ns/PTE min | ns/PTE median | ratio |\n",
	       o->deferred ? " deferred |" : "");
	printf("|---|---|---|---|--:|--:|--:|--:|--:|--:|%s--:|--:|--:|--:|--:|\n",
	       o->deferred ? "--:|" : "");
}

static void print_md_row(const struct options *o, const char *size,
			 enum shape shape, enum path p,
			 const struct result *r, const struct result *ref)
{
	const struct ptb_costs *c = &r->c;
	unsigned long v[] = {
		c->pte_reads, c->raw_pte_reads, c->pte_writes, c->pte_clears,
		tlbi_calls(c), tlbi_pages(c), c->tlb_deferred,
		c->contpte_folds, c->contpte_unfolds,
	};
	char buf[32];
	unsigned int i;

	printf("| %s | %s | %s | %s |", PTB_ARCH_NAME, size, shape_names[shape],
	       path_names[p]);
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		if (i == 6 && !o->deferred)
			continue;
		fmt_num(buf, sizeof(buf), per_folio(r, v[i]));
		printf(" %s |", buf);
	}
	printf(" %.2f | %.2f |", r->min_ns, r->med_ns);
	if (p == BATCHED)
		printf(" %.2f |\n", r->med_ns / ref->med_ns);
	else
		printf(" |\n");
}

static void print_csv_header(FILE *f)
{
	fprintf(f, "arch,folio,shape,kind,flush,path,folios,ptes_per_folio,"
		"pte_reads,raw_pte_reads,pte_writes,pte_clears,pte_cmpxchgs,"
		"tlbi_calls,tlbi_pages,tlbi_page_calls,tlbi_ranges,"
		"tlbi_range_pages,tlb_deferred,contpte_folds,contpte_unfolds,"
		"ns_per_pte_min,ns_per_pte_median,repeats,debug_vm\n");
}

static void print_csv_row(FILE *f, const struct options *o, const char *size,
			  enum shape shape, enum path p, unsigned long mapped,
			  const struct result *r)
{
	const struct ptb_costs *c = &r->c;
	unsigned long v[] = {
		c->pte_reads, c->raw_pte_reads, c->pte_writes, c->pte_clears,
		c->pte_cmpxchgs, tlbi_calls(c), tlbi_pages(c), c->tlbi_pages,
		c->tlbi_ranges, c->tlbi_range_pages, c->tlb_deferred,
		c->contpte_folds, c->contpte_unfolds,
	};
	char buf[32];
	unsigned int i;

	fprintf(f, "%s,%s,%s,%s,%s,%s,%lu,%lu", PTB_ARCH_NAME, size,
		shape_names[shape], kind_name(o),
		o->deferred ? "deferred" : "sync", path_names[p], r->folios,
		mapped);
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		fmt_num(buf, sizeof(buf), per_folio(r, v[i]));
		fprintf(f, ",%s", buf);
	}
	fprintf(f, ",%.3f,%.3f,%u,%s\n", r->min_ns, r->med_ns, o->repeats,
		BENCH_DEBUG_VM);
}

/* batched/per-PTE, or "?" (missing, for gnuplot) when per-PTE is 0 */
static void print_ratio(FILE *f, double b, double p)
{
	if (p > 0)
		fprintf(f, " %.4f", b / p);
	else
		fprintf(f, " ?");
}

static void print_ratios_row(FILE *f, const char *size, enum shape shape,
			     const struct result r[NR_PATHS])
{
	const struct ptb_costs *b = &r[BATCHED].c, *p = &r[PER_PTE].c;

	fprintf(f, "\"%s %s\"", size, shape_names[shape]);
	print_ratio(f, r[BATCHED].med_ns, r[PER_PTE].med_ns);
	print_ratio(f, b->raw_pte_reads, p->raw_pte_reads);
	print_ratio(f, b->pte_writes + b->pte_clears,
		    p->pte_writes + p->pte_clears);
	print_ratio(f, tlbi_calls(b), tlbi_calls(p));
	fprintf(f, "\n");
}

static enum ttu_flags bench_flags(const struct options *o)
{
	return o->deferred ? TTU_BATCH_FLUSH : 0;
}

/* The world @o->op starts from: for move-swapped, its folios unmapped. */
static void op_world_build(struct world *w, unsigned int order,
			   enum shape shape, const struct options *o,
			   const char *what)
{
	world_build(w, order, shape, o);
	if (o->op == OP_MOVE_SWAPPED) {
		ptb_cost_pause();
		world_check_unmapped(w, unmap_world(w, ttu_6_12, 0), what);
		ptb_cost_resume();
	}
}

/* The timed (and, under callgrind, the collected) part: path @k of @o->op. */
static unsigned long run_op(struct world *w, const struct options *o,
			    enum path k)
{
	if (o->op == OP_UNMAP)
		return unmap_world(w, path_fns[k], bench_flags(o));
	return move_world(w, move_fns[k]);
}

static void check_op(const struct world *w, const struct options *o,
		     unsigned long failed, const char *what)
{
	if (o->op == OP_UNMAP)
		world_check_unmapped(w, failed, what);
	else
		world_check_moved(w, failed, what);
}

static void run_config(const struct options *o, unsigned int s,
		       enum shape shape, struct result r[NR_PATHS])
{
	unsigned int order = sizes[s].order, rep, k;
	double *t[NR_PATHS];
	struct world w;
	char what[64];

	snprintf(what, sizeof(what), "%s %s %s %s", op_names[o->op],
		 PTB_ARCH_NAME, sizes[s].name, shape_names[shape]);
	/* exact costs: one counted run per path */
	for (k = 0; k < NR_PATHS; k++) {
		op_world_build(&w, order, shape, o, what);
		ptb_costs_reset();
		check_op(&w, o, run_op(&w, o, k), what);
		r[k].c = ptb_costs;
		r[k].folios = w.nr_folios;
		world_destroy(&w);
	}
	/* time: counters paused, the paths alternating which goes first */
	for (k = 0; k < NR_PATHS; k++)
		t[k] = xcalloc(o->repeats, sizeof(double));
	for (rep = 0; rep < o->repeats; rep++) {
		unsigned int i;

		for (i = 0; i < NR_PATHS; i++) {
			unsigned long failed;
			double t0, t1;

			k = (rep + i) % NR_PATHS;
			op_world_build(&w, order, shape, o, what);
			ptb_cost_pause();
			t0 = now_ns();
			failed = run_op(&w, o, k);
			t1 = now_ns();
			ptb_cost_resume();
			check_op(&w, o, failed, what);
			t[k][rep] = (t1 - t0) / w.ptes;
			world_destroy(&w);
		}
	}
	for (k = 0; k < NR_PATHS; k++) {
		min_median(t[k], o->repeats, &r[k].min_ns, &r[k].med_ns);
		free(t[k]);
	}
}

static void run_callgrind_config(const struct options *o, unsigned int s,
				 enum shape shape)
{
	unsigned int order = sizes[s].order, k;
	struct world w;
	char what[160];

	for (k = 0; k < NR_PATHS; k++) {
		unsigned long failed;

		op_world_build(&w, order, shape, o, op_names[o->op]);
		snprintf(what, sizeof(what), "ptebatch|%s|%s|%s|%s|%s|%lu|%lu",
			 op_names[o->op], PTB_ARCH_NAME, sizes[s].name,
			 shape_names[shape], path_names[k], w.nr_folios,
			 w.ptes);
		ptb_cost_pause();
		CALLGRIND_TOGGLE_COLLECT;
		failed = run_op(&w, o, k);
		CALLGRIND_TOGGLE_COLLECT;
		CALLGRIND_DUMP_STATS_AT(what);
		ptb_cost_resume();
		check_op(&w, o, failed, what);
		world_destroy(&w);
		printf("%s\n", what);
	}
}

static int bench_unmap(const struct options *o)
{
	FILE *csv = NULL, *ratios = NULL;
	unsigned int s, sh;

	if (o->csv) {
		csv = open_output(o->csv, o->append);
		if (!o->append)
			print_csv_header(csv);
	}
	if (o->ratios) {
		ratios = open_output(o->ratios, o->append);
		/* one gnuplot data block per backend */
		if (o->append)
			fprintf(ratios, "\n\n");
		fprintf(ratios, "# %s: config time raw_reads stores tlbi_calls (batched/per-PTE)\n",
			PTB_ARCH_NAME);
	}
	if (!o->append && !o->callgrind)
		print_md_header(o);
	for (s = 0; s < NR_SIZES; s++) {
		for (sh = 0; sh < NR_SHAPES; sh++) {
			struct layout l = layout_of(sizes[s].order, sh);
			struct result r[NR_PATHS];
			unsigned int k;

			if (!o->size_on[s] || !o->shape_on[sh] ||
			    !shape_applies(sizes[s].order, sh))
				continue;
			if (o->callgrind) {
				run_callgrind_config(o, s, sh);
				continue;
			}
			run_config(o, s, sh, r);
			for (k = 0; k < NR_PATHS; k++) {
				print_md_row(o, sizes[s].name, sh, k, &r[k],
					     &r[PER_PTE]);
				if (csv)
					print_csv_row(csv, o, sizes[s].name,
						      sh, k, l.mapped, &r[k]);
			}
			if (ratios)
				print_ratios_row(ratios, sizes[s].name, sh, r);
			fflush(stdout);
		}
	}
	close_output(csv, o->csv);
	close_output(ratios, o->ratios);
	return 0;
}

/* ----------------------------- helper speed ---------------------------- */

/*
 * One 2M folio mapped at a PMD-aligned address fills a whole table with
 * present PTEs (arm64: 32 contpte blocks); a second table holds the 512
 * consecutive swap PTEs that unmapping such a folio leaves.
 */
struct helper_env {
	struct mm_struct mm;
	struct vm_area_struct vma;
	struct folio *folio;
	pte_t *present;
	pte_t *swap;
	pte_t pte, swp_pte;
};

static void helper_env_build(struct helper_env *e)
{
	swp_entry_t entry;

	ptb_model_reset();
	ptb_cost_pause();
	ptb_memmap_init(BENCH_BASE_PFN, PTRS_PER_PTE);
	ptb_mm_init(&e->mm);
	memset(&e->vma, 0, sizeof(e->vma));
	e->vma.vm_mm = &e->mm;
	e->vma.vm_start = BENCH_VA;
	e->vma.vm_end = BENCH_VA + 2 * PMD_SIZE;
	e->vma.vm_pgoff = BENCH_VA >> PAGE_SHIFT;
	e->vma.vm_flags = VM_READ | VM_WRITE;
	e->folio = ptb_folio_create(BENCH_BASE_PFN, HPAGE_PMD_ORDER,
				    BIT(PG_anon) | BIT(PG_locked),
				    BENCH_VA >> PAGE_SHIFT);
	map_folio(&e->vma, e->folio, 0, BENCH_VA, PTRS_PER_PTE, true);
	e->present = ptb_pte_slot(&e->mm, BENCH_VA, false);
	e->pte = ptep_get(e->present);

	entry = ptb_swap_alloc(0, PTRS_PER_PTE);
	e->swap = ptb_pte_slot(&e->mm, BENCH_VA + PMD_SIZE, true);
	e->swp_pte = make_swap_pte(entry, e->pte, true);
	set_swap_ptes(&e->mm, BENCH_VA + PMD_SIZE, e->swap, e->swp_pte,
		      PTRS_PER_PTE);
	ptb_cost_resume();
}

static void helper_env_destroy(struct helper_env *e)
{
	ptb_mm_destroy(&e->mm);
	ptb_folio_free(e->folio);
}

typedef unsigned long (*helper_fn)(struct helper_env *e);

/* The floor: one load of each entry, nothing else. */
static unsigned long noinline
h_raw_loads(struct helper_env *e)
{
	const volatile pteval_t *p = (const volatile pteval_t *)e->present;
	unsigned long i, acc = 0;

	for (i = 0; i < PTRS_PER_PTE; i++)
		acc += p[i];
	return acc;
}

/* Each entry once through the backend's single-entry accessor. */
static unsigned long noinline
h_accessor_loop(struct helper_env *e)
{
	unsigned long i, acc = 0;

	for (i = 0; i < PTRS_PER_PTE; i++)
#ifdef CONT_PTES
		acc += pte_val(__ptep_get(e->present + i));
#else
		acc += pte_val(ptep_get(e->present + i));
#endif
	return acc;
}

static unsigned long noinline
h_folio_pte_batch(struct helper_env *e)
{
	return folio_pte_batch(e->folio, BENCH_VA, e->present, e->pte,
			       PTRS_PER_PTE, FPB_IGNORE_DIRTY |
			       FPB_IGNORE_SOFT_DIRTY, NULL, NULL, NULL);
}

static unsigned long noinline
h_folio_unmap_pte_batch(struct helper_env *e)
{
	struct page_vma_mapped_walk pvmw = {
		.vma = &e->vma, .address = BENCH_VA, .pte = e->present,
	};

	return folio_unmap_pte_batch(e->folio, &pvmw, 0, e->pte);
}

static unsigned long noinline
h_swap_pte_batch(struct helper_env *e)
{
	return swap_pte_batch(e->swap, PTRS_PER_PTE, e->swp_pte);
}

static const struct {
	const char *name;
	helper_fn fn;
	bool swap_table;
	bool detector;		/* must return PTRS_PER_PTE */
} helpers[] = {
	{ "raw loads (floor)", h_raw_loads, false, false },
#ifdef CONT_PTES
	{ "__ptep_get() loop", h_accessor_loop, false, false },
#else
	{ "ptep_get() loop", h_accessor_loop, false, false },
#endif
	{ "folio_pte_batch() (6.12)", h_folio_pte_batch, false, true },
	{ "folio_unmap_pte_batch()", h_folio_unmap_pte_batch, false, true },
	{ "swap_pte_batch()", h_swap_pte_batch, true, true },
};

static void evict(const void *p, size_t len)
{
#if defined(__x86_64__) || defined(__i386__)
	size_t off;

	for (off = 0; off < len; off += 64)
		__builtin_ia32_clflush((const char *)p + off);
	__builtin_ia32_mfence();
#else
	(void)p;
	(void)len;
#endif
}

#if defined(__x86_64__) || defined(__i386__)
#define HAVE_EVICT 1
#else
#define HAVE_EVICT 0
#endif

static int bench_helpers(const struct options *o)
{
	const unsigned int nh = ARRAY_SIZE(helpers);
	double warm[ARRAY_SIZE(helpers)][2], cold[ARRAY_SIZE(helpers)][2];
	double reads[ARRAY_SIZE(helpers)];
	unsigned long cold_passes = o->passes < 200 ? o->passes : 200;
	double *t = xcalloc(o->repeats, sizeof(double));
	struct helper_env e;
	volatile unsigned long sink = 0;
	FILE *csv = NULL;
	unsigned int h, rep;

	helper_env_build(&e);
	if (o->callgrind) {
		for (h = 0; h < nh; h++) {
			char what[128];

			snprintf(what, sizeof(what), "ptebatch|helper|%s|%s|%lu",
				 PTB_ARCH_NAME, helpers[h].name,
				 (unsigned long)PTRS_PER_PTE);
			ptb_cost_pause();
			CALLGRIND_TOGGLE_COLLECT;
			sink += helpers[h].fn(&e);
			CALLGRIND_TOGGLE_COLLECT;
			CALLGRIND_DUMP_STATS_AT(what);
			ptb_cost_resume();
			printf("%s\n", what);
		}
		helper_env_destroy(&e);
		free(t);
		return 0;
	}
	for (h = 0; h < nh; h++) {
		unsigned long n, pass;

		/* one counted pass, checking the detectors see the whole table */
		ptb_costs_reset();
		n = helpers[h].fn(&e);
		reads[h] = (double)ptb_costs.raw_pte_reads / PTRS_PER_PTE;
		if (helpers[h].detector && n != PTRS_PER_PTE) {
			fprintf(stderr, "%s: %s returned %lu, expected %lu\n",
				prog, helpers[h].name, n,
				(unsigned long)PTRS_PER_PTE);
			return 1;
		}
		ptb_cost_pause();
		/* warm: the 4K table stays in L1 */
		for (rep = 0; rep < o->repeats; rep++) {
			double t0 = now_ns();

			for (pass = 0; pass < o->passes; pass++)
				sink += helpers[h].fn(&e);
			t[rep] = (now_ns() - t0) / (o->passes * PTRS_PER_PTE);
		}
		min_median(t, o->repeats, &warm[h][0], &warm[h][1]);
		/* cold: the table flushed from every cache before each pass */
		for (rep = 0; rep < o->repeats; rep++) {
			const void *table = helpers[h].swap_table ? e.swap :
								    e.present;
			double sum = 0;

			for (pass = 0; pass < cold_passes; pass++) {
				double t0;

				evict(table, PTRS_PER_PTE * sizeof(pte_t));
				t0 = now_ns();
				sink += helpers[h].fn(&e);
				sum += now_ns() - t0;
			}
			t[rep] = sum / (cold_passes * PTRS_PER_PTE);
		}
		min_median(t, o->repeats, &cold[h][0], &cold[h][1]);
		ptb_cost_resume();
	}
	(void)sink;

	if (!o->append) {
		printf("Helpers over one full 512-entry page table (a PTE-mapped 2M folio; swap_pte_batch(): 512 swap PTEs), "
		       "ns per PTE, min and median of %u repeats; warm: %lu passes over the L1-resident table per repeat; "
		       "cold: %s, %lu passes per repeat, each timed alone. Ratios are medians against the raw-load floor "
		       "and the accessor loop. CONFIG_DEBUG_VM %s, cost counters paused.%s\n\n",
		       o->repeats, o->passes,
		       HAVE_EVICT ? "the table flushed from the caches (clflush) before each pass" :
				    "no cache eviction on this host (same as warm)",
		       cold_passes, BENCH_DEBUG_VM, BENCH_BUILD_NOTE);
		printf("| arch | helper | raw reads/PTE | warm min | warm median | x floor | x loop | cold min | cold median | x floor | x loop |\n");
		printf("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
	}
	for (h = 0; h < nh; h++)
		printf("| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |\n",
		       PTB_ARCH_NAME, helpers[h].name, reads[h], warm[h][0],
		       warm[h][1], warm[h][1] / warm[0][1],
		       warm[h][1] / warm[1][1], cold[h][0], cold[h][1],
		       cold[h][1] / cold[0][1], cold[h][1] / cold[1][1]);
	if (o->csv) {
		csv = open_output(o->csv, o->append);
		if (!o->append)
			fprintf(csv, "arch,helper,raw_reads_per_pte,warm_ns_min,warm_ns_median,cold_ns_min,cold_ns_median,repeats,passes,debug_vm\n");
		for (h = 0; h < nh; h++)
			fprintf(csv, "%s,%s,%.3f,%.3f,%.3f,%.3f,%.3f,%u,%lu,%s\n",
				PTB_ARCH_NAME, helpers[h].name, reads[h],
				warm[h][0], warm[h][1], cold[h][0], cold[h][1],
				o->repeats, o->passes, BENCH_DEBUG_VM);
		close_output(csv, o->csv);
	}
	helper_env_destroy(&e);
	free(t);
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;

	memset(&o, 0, sizeof(o));
	if (argc > 0 && argv[0]) {
		const char *slash = strrchr(argv[0], '/');

		prog = slash ? slash + 1 : argv[0];
	}
	parse_options(argc, argv, &o);
	return o.helpers ? bench_helpers(&o) : bench_unmap(&o);
}
