/*
 * mremap_bench: times mremap() of anonymous memory faulted in as folios of
 * one size, the workload the batched move_ptes() speeds up (or, for small
 * folios, must not slow down).
 *
 *   mremap_bench [--size 64K] [--mib 256] [--fill zero|random] [--runs 5]
 *                [--moves 8] [--offset 1024] [--seed N] [--madv-hugepage]
 *   mremap_bench --realloc [--size 4K] [--maps 1024] [--runs 5]
 *
 * Move mode (the default): --mib MiB are faulted in once at A, a 2M-aligned
 * address; each run moves them M times between A and B (mremap
 * MREMAP_MAYMOVE | MREMAP_FIXED, A to B, B to A, ...), B being --offset KiB
 * past a 2M boundary: with the default, half a PMD, the old and the new
 * page tables are out of step and the kernel moves PTEs (move_ptes()) for
 * every extent; with --offset 0 it moves whole page tables
 * (move_normal_pmd()) or PMD-mapped THPs instead.  Only the mremap() calls
 * are timed.  After the last run every page must still hold its content.
 *
 * Realloc mode: the small-mapping growth of stress-ng's bigheap: --maps
 * mappings, one after the other, each mapped at 16 KiB, touched, and grown
 * by mremap(MREMAP_MAYMOVE) to 32 KiB, 64 KiB, ... 1 MiB, with a PROT_NONE
 * page mapped right after it before every growth so that every growth must
 * move it; the new tail pages are touched after each.  Only the mremap()
 * calls are timed.
 *
 * One "PTB mremap_bench" ("PTB mremap_realloc") line per run, then one
 * "-summary" line; see README.md.  Exit status: 0; 1 if a run failed
 * (mremap error, folios of another size faulted in, content lost) or setup
 * failed; 2 for bad arguments.
 */
#define _GNU_SOURCE
#include "common.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_RUNS 1000
#define MAX_MIB 65536
#define MAX_MOVES 100000
#define MAX_MAPS 1000000
#define REALLOC_FROM (16 * PTB_KIB)
#define REALLOC_TO PTB_MIB
/* PROT_NONE neighbours of one mapping: one per growth */
#define REALLOC_GROWTHS 6

struct opts {
	const char *size_name, *fill;
	size_t size, psz;
	uint64_t mib, runs, moves, offset_kib, seed, maps;
	bool realloc, madv_hugepage, random_fill;
};

static struct ptb_snapshot snaps[4];
static uint64_t run_ns[MAX_RUNS];

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mremap_bench [--size SIZE] [--mib N] [--fill zero|random] "
		"[--runs N]\n"
		"                    [--moves N] [--offset KIB] [--seed N] "
		"[--madv-hugepage]\n"
		"       mremap_bench --realloc [--size SIZE] [--maps N] [--runs N]\n"
		"  --size SIZE      folio size to fault in: %s\n"
		"                   (default 64K; with --realloc 4K)\n"
		"  --runs N         number of runs, 1..%d (default 5)\n"
		"move mode (default): N MiB moved back and forth, mremap() "
		"timed\n"
		"  --mib N          MiB moved, a multiple of SIZE (default 256)\n"
		"  --fill KIND      zero: memset 0; random: seeded distinct "
		"content per page\n"
		"                   (default zero)\n"
		"  --moves N        mremap() calls per run, 1..%d (default 8)\n"
		"  --offset KIB     the second address is KIB past a 2M boundary "
		"(the first\n"
		"                   is on one), a multiple of the page size below "
		"2048;\n"
		"                   default 1024: PTEs move (move_ptes()); 0: "
		"whole page tables\n"
		"  --seed N         seed of the random fill (default 1)\n"
		"  --madv-hugepage  madvise(MADV_HUGEPAGE) the region before "
		"filling it\n"
		"realloc mode: mappings grown 16 KiB to 1 MiB by doubling, every "
		"growth a move\n"
		"  --realloc        this mode\n"
		"  --maps N         mappings per run, 1..%d (default 1024)\n"
		"Prints one \"PTB mremap_bench\" (\"PTB mremap_realloc\") line per "
		"run and a\n"
		"\"-summary\" line.\n",
		PTB_THP_SIZES, MAX_RUNS, MAX_MOVES, MAX_MAPS);
}

static void error_line(const char *kind, const struct opts *o,
		       const char *stage, uint64_t run, const char *reason)
{
	struct ptb_line l;

	ptb_line_begin(&l, kind);
	ptb_kv_s(&l, "size", o->size_name);
	ptb_kv_s(&l, "stage", stage);
	if (run)
		ptb_kv_u(&l, "run", run);
	if (reason)
		ptb_kv_s(&l, "reason", reason);
	ptb_line_end(&l);
}

/* ---- move mode ------------------------------------------------------------ */

/* Pages that lost their content: per-page content (random fill) or zero. */
static uint64_t bad_pages(const struct opts *o, const char *p, size_t npages)
{
	uint64_t bad = 0;
	size_t i;

	for (i = 0; i < npages; i++) {
		const char *pg = p + i * o->psz;

		if (o->random_fill ?
			    ptb_check_page(pg, o->psz, o->seed, i) != 0 :
			    !ptb_page_is_zero(pg, o->psz))
			bad++;
	}
	return bad;
}

static int bench_move(const struct opts *o)
{
	size_t len = (size_t)o->mib * PTB_MIB, npages = len / o->psz, i;
	size_t rlen = len + PTB_PMD_SIZE;
	unsigned kb = (unsigned)(o->size / PTB_KIB);
	uint64_t run, done = 0, failed = 0, bad;
	struct ptb_faults faults;
	struct ptb_line l;
	char *at[2], *p;
	int64_t resident;
	int cur = 0;

	at[0] = ptb_reserve_aligned(rlen, PTB_PMD_SIZE);
	at[1] = ptb_reserve_aligned(rlen, PTB_PMD_SIZE);
	if (!at[0] || !at[1]) {
		error_line("mremap_bench-error", o, "setup", 0, "reserve");
		return 1;
	}
	at[1] += o->offset_kib * PTB_KIB;

	if (ptb_snapshot(&snaps[0]) < 0)
		goto setup_fail;
	p = mmap(at[0], len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
	if (p != at[0]) {
		ptb_diag("mmap of %zu bytes at %p failed: %s", len,
			 (void *)at[0], strerror(errno));
		goto setup_fail;
	}
	if (o->madv_hugepage && madvise(p, len, MADV_HUGEPAGE) != 0) {
		ptb_diag("madvise(MADV_HUGEPAGE) failed: %s", strerror(errno));
		goto setup_fail;
	}
	if (o->random_fill)
		for (i = 0; i < npages; i++)
			ptb_fill_page(p + i * o->psz, o->psz, o->seed, i);
	else
		memset(p, 0, len);
	if (ptb_snapshot(&snaps[1]) < 0)
		goto setup_fail;
	ptb_fault_check(&snaps[0], &snaps[1], o->size, len, "fill", &faults);

	for (run = 1; run <= o->runs; run++) {
		uint64_t ns = 0, min_ns = UINT64_MAX, max_ns = 0, m;
		int err = 0;

		if (ptb_snapshot(&snaps[2]) < 0)
			goto setup_fail;
		for (m = 0; m < o->moves; m++) {
			char *src = at[cur], *dst = at[!cur], *q;
			uint64_t t0, t1;

			t0 = ptb_now_ns();
			q = mremap(src, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
				   dst);
			t1 = ptb_now_ns();
			if (q == MAP_FAILED) {
				err = errno;
				ptb_diag("run %" PRIu64 ": mremap %p -> %p "
					 "failed: %s", run, (void *)src,
					 (void *)dst, strerror(err));
				break;
			}
			if (q != dst) {
				ptb_diag("mremap moved to %p, not %p",
					 (void *)q, (void *)dst);
				error_line("mremap_bench-error", o, "run", run,
					   "mremap_wrong_address");
				return 1;
			}
			cur = !cur;
			ns += t1 - t0;
			min_ns = t1 - t0 < min_ns ? t1 - t0 : min_ns;
			max_ns = t1 - t0 > max_ns ? t1 - t0 : max_ns;
			/* Every move's destination is a reservation, as the
			 * first one's is (not timed). */
			if (ptb_guard_at(src, len, true) < 0) {
				ptb_diag("re-reserving %p: %s", (void *)src,
					 strerror(errno));
				goto setup_fail;
			}
		}
		if (ptb_snapshot(&snaps[3]) < 0)
			goto setup_fail;
		if (err)
			failed++;
		else
			run_ns[done++] = ns;

		ptb_line_begin(&l, "mremap_bench");
		ptb_kv_s(&l, "size", o->size_name);
		ptb_kv_s(&l, "fill", o->fill);
		ptb_kv_u(&l, "run", run);
		ptb_kv_u(&l, "mib", o->mib);
		ptb_kv_u(&l, "moves", o->moves);
		ptb_kv_u(&l, "offset_kib", o->offset_kib);
		ptb_kv_u(&l, "ns", ns);
		ptb_kv_u(&l, "ns_per_move", err ? 0 : ns / o->moves);
		ptb_kv_u(&l, "min_move_ns", err ? 0 : min_ns);
		ptb_kv_u(&l, "max_move_ns", max_ns);
		ptb_kv_u(&l, "pages", npages);
		ptb_kv_s(&l, "mremap", err ? ptb_errname(err) : "0");
		ptb_kv_faults(&l, &faults);
		ptb_kv_splits(&l, &snaps[2], &snaps[3], kb);
		ptb_line_end(&l);
		if (err)
			break;
	}

	/* Did every page survive the moves? */
	p = at[cur];
	resident = ptb_resident_pages(p, len);
	bad = bad_pages(o, p, npages);
	if (bad || resident != (int64_t)npages) {
		ptb_diag("after the moves: %" PRIu64 " of %zu pages lost their "
			 "content, %" PRId64 " resident", bad, npages,
			 resident);
		ptb_line_begin(&l, "mremap_bench-error");
		ptb_kv_s(&l, "size", o->size_name);
		ptb_kv_s(&l, "stage", "content");
		ptb_kv_u(&l, "bad_pages", bad);
		ptb_kv_i(&l, "resident", resident);
		ptb_kv_u(&l, "pages", npages);
		ptb_line_end(&l);
		failed++;
	}

	if (done) {
		ptb_line_begin(&l, "mremap_bench-summary");
		ptb_kv_s(&l, "size", o->size_name);
		ptb_kv_s(&l, "fill", o->fill);
		ptb_kv_u(&l, "runs", done);
		ptb_kv_u(&l, "moves", o->moves);
		ptb_kv_run_stats(&l, run_ns, done);
		ptb_kv_u(&l, "mib", o->mib);
		ptb_kv_u(&l, "offset_kib", o->offset_kib);
		ptb_kv_s(&l, "fault_ok", faults.ok);
		ptb_kv_u(&l, "bad_pages", bad);
		ptb_kv_u(&l, "failed_runs", failed);
		ptb_line_end(&l);
	}
	return failed || strcmp(faults.ok, "0") == 0 ? 1 : 0;

setup_fail:
	error_line("mremap_bench-error", o, "setup", 0, NULL);
	return 1;
}

/* ---- realloc mode ---------------------------------------------------------- */

struct realloc_run {
	uint64_t calls, moved_calls, pages_moved, bad_pages, ns;
	int err;
};

static uint64_t page_tag(uint64_t map, size_t page)
{
	return map << 32 | page;
}

/* Writes the tag of every page of [from, to) of mapping `map` at p. */
static void touch(const struct opts *o, char *p, size_t from, size_t to,
		  uint64_t map)
{
	size_t off;

	for (off = from; off < to; off += o->psz)
		*(volatile uint64_t *)(p + off) = page_tag(map, off / o->psz);
}

/*
 * One mapping's life: 16 KiB mapped and touched, grown by doubling to
 * 1 MiB, each time with a PROT_NONE page right after it (where nothing is
 * mapped there already) so that it must move; then checked and unmapped.
 * 0, or -1 with rr->err set (mremap) or after a diagnostic (setup).
 */
static int realloc_one(const struct opts *o, uint64_t map,
		       struct realloc_run *rr)
{
	char *guard[REALLOC_GROWTHS], *p, *q;
	size_t len = REALLOC_FROM, off;
	int ng = 0, rc = 0, i;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		ptb_diag("mmap of %zu bytes failed: %s", len, strerror(errno));
		return -1;
	}
	touch(o, p, 0, len, map);
	for (; len < REALLOC_TO; len *= 2) {
		uint64_t t0, t1;

		if (ptb_guard_at(p + len, o->psz, false) == 0)
			guard[ng++] = p + len;
		else if (errno != EEXIST) {
			ptb_diag("guard page at %p: %s", (void *)(p + len),
				 strerror(errno));
			rc = -1;
			break;
		}
		t0 = ptb_now_ns();
		q = mremap(p, len, 2 * len, MREMAP_MAYMOVE);
		t1 = ptb_now_ns();
		if (q == MAP_FAILED) {
			rr->err = errno;
			ptb_diag("mremap(%zu -> %zu bytes) failed: %s", len,
				 2 * len, strerror(errno));
			rc = -1;
			break;
		}
		rr->ns += t1 - t0;
		rr->calls++;
		if (q != p) {
			rr->moved_calls++;
			rr->pages_moved += len / o->psz;
		}
		p = q;
		touch(o, p, len, 2 * len, map);
	}
	for (off = 0; off < len; off += o->psz)
		if (*(volatile uint64_t *)(p + off) !=
		    page_tag(map, off / o->psz))
			rr->bad_pages++;
	munmap(p, len);
	for (i = 0; i < ng; i++)
		munmap(guard[i], o->psz);
	return rc;
}

static int bench_realloc(const struct opts *o)
{
	uint64_t run, done = 0, failed = 0, calls = 0;
	struct ptb_line l;

	for (run = 1; run <= o->runs; run++) {
		struct realloc_run rr;
		uint64_t map;

		memset(&rr, 0, sizeof(rr));
		for (map = 0; map < o->maps; map++)
			if (realloc_one(o, map, &rr) < 0)
				break;
		if (map < o->maps && !rr.err) {
			error_line("mremap_realloc-error", o, "run", run, NULL);
			return 1;
		}
		if (rr.err || rr.bad_pages || rr.moved_calls != rr.calls) {
			if (rr.moved_calls != rr.calls)
				ptb_diag("run %" PRIu64 ": %" PRIu64 " of %" PRIu64
					 " growths did not move", run,
					 rr.calls - rr.moved_calls, rr.calls);
			failed++;
		} else {
			run_ns[done++] = rr.ns;
			calls = rr.calls;
		}

		ptb_line_begin(&l, "mremap_realloc");
		ptb_kv_s(&l, "size", o->size_name);
		ptb_kv_u(&l, "run", run);
		ptb_kv_u(&l, "maps", o->maps);
		ptb_kv_u(&l, "from_kib", REALLOC_FROM / PTB_KIB);
		ptb_kv_u(&l, "to_kib", REALLOC_TO / PTB_KIB);
		ptb_kv_u(&l, "ns", rr.ns);
		ptb_kv_u(&l, "calls", rr.calls);
		ptb_kv_u(&l, "ns_per_call", rr.calls ? rr.ns / rr.calls : 0);
		ptb_kv_u(&l, "moved_calls", rr.moved_calls);
		ptb_kv_u(&l, "pages_moved", rr.pages_moved);
		ptb_kv_u(&l, "bad_pages", rr.bad_pages);
		ptb_kv_s(&l, "mremap", rr.err ? ptb_errname(rr.err) : "0");
		ptb_line_end(&l);
	}
	if (done) {
		ptb_line_begin(&l, "mremap_realloc-summary");
		ptb_kv_s(&l, "size", o->size_name);
		ptb_kv_u(&l, "runs", done);
		ptb_kv_u(&l, "maps", o->maps);
		ptb_kv_u(&l, "calls", calls);
		ptb_kv_run_stats(&l, run_ns, done);
		ptb_kv_u(&l, "failed_runs", failed);
		ptb_line_end(&l);
	}
	return failed ? 1 : 0;
}

/* ---- main ---------------------------------------------------------------------- */

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "mib", required_argument, NULL, 'm' },
		{ "runs", required_argument, NULL, 'r' },
		{ "fill", required_argument, NULL, 'f' },
		{ "moves", required_argument, NULL, 'M' },
		{ "offset", required_argument, NULL, 'o' },
		{ "seed", required_argument, NULL, 'S' },
		{ "madv-hugepage", no_argument, NULL, 'H' },
		{ "realloc", no_argument, NULL, 'R' },
		{ "maps", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .size_name = NULL, .fill = "zero", .mib = 256,
			  .runs = 5, .moves = 8, .offset_kib = 1024,
			  .seed = 1, .maps = 1024 };
	const char *move_only = NULL, *realloc_only = NULL;
	uint64_t page_kib;
	int c;

	ptb_prog = "mremap_bench";
	ptb_exec_without_aslr(argv);
	o.psz = ptb_page_size();
	page_kib = o.psz / PTB_KIB;
	while ((c = ptb_getopt(argc, argv, opts, usage)) != -1) {
		switch (c) {
		case 's':
			o.size_name = optarg;
			break;
		case 'm':
			o.mib = ptb_arg_mib(optarg, MAX_MIB);
			move_only = "--mib";
			break;
		case 'r':
			o.runs = ptb_arg_runs(optarg, MAX_RUNS);
			break;
		case 'f':
			o.fill = optarg;
			move_only = "--fill";
			break;
		case 'M':
			o.moves = ptb_arg_u64("--moves", optarg, 1, MAX_MOVES,
					      1, "a number");
			move_only = "--moves";
			break;
		case 'o':
			o.offset_kib = ptb_arg_u64(
				"--offset", optarg, 0,
				PTB_PMD_SIZE / PTB_KIB - page_kib, page_kib,
				"KiB, a multiple of the page size,");
			move_only = "--offset";
			break;
		case 'S':
			o.seed = ptb_arg_seed(optarg);
			move_only = "--seed";
			break;
		case 'H':
			o.madv_hugepage = true;
			move_only = "--madv-hugepage";
			break;
		case 'R':
			o.realloc = true;
			break;
		case 'n':
			o.maps = ptb_arg_u64("--maps", optarg, 1, MAX_MAPS, 1,
					     "a number");
			realloc_only = "--maps";
			break;
		}
	}
	ptb_no_operands(argc, argv);
	if (o.realloc && move_only)
		ptb_bad_args("%s is for the move mode, not --realloc",
			     move_only);
	if (!o.realloc && realloc_only)
		ptb_bad_args("%s needs --realloc", realloc_only);
	if (!o.size_name)
		o.size_name = o.realloc ? "4K" : "64K";
	o.size = ptb_arg_thp_size(o.size_name);
	if (strcmp(o.fill, "zero") == 0)
		o.random_fill = false;
	else if (strcmp(o.fill, "random") == 0)
		o.random_fill = true;
	else
		ptb_bad_args("--fill \"%s\": expected zero or random", o.fill);
	if (!o.realloc && (o.mib * PTB_MIB) % o.size)
		ptb_bad_args("--mib %" PRIu64 " is not a multiple of --size %s",
			     o.mib, o.size_name);

	if (thp_setup(o.size_name) < 0) {
		error_line(o.realloc ? "mremap_realloc-error" :
				       "mremap_bench-error",
			   &o, "thp_setup", 0, NULL);
		return 1;
	}
	ptb_bench_start(snaps, 4);
	return o.realloc ? bench_realloc(&o) : bench_move(&o);
}
