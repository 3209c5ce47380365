/*
 * mprotect_bench: times mprotect() and userfaultfd write-protection of
 * anonymous memory faulted in as folios of one size: change_pte_range(),
 * which the patches batch for large folios (or, for small folios and short
 * ranges, must not slow down).
 *
 *   mprotect_bench [--size 64K] [--mib 256] [--rounds 40] [--runs 5]
 *   mprotect_bench --uffd-wp [--size 64K] [--mib 256] [--rounds 40]
 *                  [--runs 5]
 *   mprotect_bench --small [--runs 5] [--calls 2000] [--size SIZE]
 *
 * Area modes: --mib MiB are mapped at a 2M-aligned address and filled with
 * distinct content per page, checking with the fault counters that folios
 * of the requested size were allocated (2M: PMD-mapped THPs, then mapped
 * with PTEs, see pte_map_pmds()).  Each run makes --rounds rounds of
 * mprotect(PROT_READ) and mprotect(PROT_READ | PROT_WRITE) over all of it
 * (--uffd-wp: UFFDIO_WRITEPROTECT with mode WP, then mode 0), timing only
 * those calls.  After the last run every page must hold its content.
 *
 * Small mode: for each length of 4K, 16K, 64K, 400K and 4M a mapping is
 * faulted in and --calls calls of mprotect() of that length are timed,
 * alternating PROT_READ and PROT_READ | PROT_WRITE, with the THP settings
 * as they are (or as --size sets them), which are recorded.
 *
 * One "PTB mprotect_bench" ("PTB mprotect_uffd_wp", "PTB mprotect_small")
 * line per run (per run and length), then "-summary" lines; see README.md.
 * Exit status: 0; 1 if a run failed (call error, folios of another size
 * faulted in, 2M folios left PMD-mapped, content lost) or setup failed; 2
 * for bad arguments, and with --uffd-wp on a kernel without anonymous
 * uffd-wp.
 */
#define _GNU_SOURCE
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/userfaultfd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_RUNS 1000
#define MAX_MIB 65536
#define MAX_ROUNDS 100000
#define MAX_CALLS 10000000
#define FILL_SEED 1

struct opts {
	const char *size_name;
	size_t size, psz;
	uint64_t mib, runs, rounds, calls;
	bool uffd_wp, small;
};

/* The region of the area modes. */
struct area {
	char *p;
	size_t len, npages;
	struct ptb_faults faults;
	const char *pte_mapped; /* "1": no PMD mapping left, "0", "na" */
	int64_t setup_split_pmd; /* thp_split_pmd over pte_map_pmds() */
};

static struct ptb_snapshot snaps[4];
static uint64_t run_ns[MAX_RUNS];

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mprotect_bench [--size SIZE] [--mib N] [--rounds N] "
		"[--runs N]\n"
		"       mprotect_bench --uffd-wp [--size SIZE] [--mib N] "
		"[--rounds N] [--runs N]\n"
		"       mprotect_bench --small [--runs N] [--calls N] "
		"[--size SIZE]\n"
		"  --size SIZE  folio size to fault in: %s (default 64K;\n"
		"               --small: leave the THP settings as they are)\n"
		"  --runs N     number of runs, 1..%d (default 5)\n"
		"area modes: N MiB protected and unprotected, the calls timed\n"
		"  --mib N      MiB, a multiple of SIZE (default 256)\n"
		"  --rounds N   rounds per run, 1..%d (default 40): mprotect() "
		"PROT_READ,\n"
		"               then PROT_READ|PROT_WRITE\n"
		"  --uffd-wp    userfaultfd UFFDIO_WRITEPROTECT mode WP, then "
		"mode 0, instead\n"
		"small mode: short mprotect() calls of 4K, 16K, 64K, 400K and "
		"4M\n"
		"  --small      this mode\n"
		"  --calls N    calls per length and run, 1..%d (default "
		"2000)\n"
		"Prints one \"PTB mprotect_bench\" (\"PTB mprotect_uffd_wp\", "
		"\"PTB mprotect_small\")\n"
		"line per run and \"-summary\" lines.\n",
		PTB_THP_SIZES, MAX_RUNS, MAX_ROUNDS, MAX_CALLS);
}

static void error_line(const char *kind, const char *size_name,
		       const char *stage, const char *reason)
{
	struct ptb_line l;

	ptb_line_begin(&l, kind);
	ptb_kv_s(&l, "size", size_name ? size_name : "default");
	ptb_kv_s(&l, "stage", stage);
	if (reason)
		ptb_kv_s(&l, "reason", reason);
	ptb_line_end(&l);
}

/* ---- the region: fill, PTE mapping, content ----------------------------- */

/* ptb_pte_map_pmds(); 0, or -1 after a diagnostic. */
static int pte_map_pmds(char *p, size_t len)
{
	char *at;

	if (ptb_pte_map_pmds(p, len, &at) == 0)
		return 0;
	if (at)
		ptb_diag("mprotect of %p to split its PMD mapping failed: %s",
			 (void *)at, strerror(errno));
	else
		ptb_diag("madvise(MADV_NOHUGEPAGE) failed: %s",
			 strerror(errno));
	return -1;
}

/*
 * Maps and fills the region (distinct content per page), checks the folios
 * the faults allocated, and maps 2M folios with PTEs.  0, or -1 after a
 * diagnostic.
 */
static int area_setup(const struct opts *o, struct area *a)
{
	int64_t kb;
	size_t i;

	memset(a, 0, sizeof(*a));
	a->len = (size_t)o->mib * PTB_MIB;
	a->npages = a->len / o->psz;
	a->setup_split_pmd = PTB_NA;
	a->p = ptb_map_aligned(a->len, PTB_PMD_SIZE);
	if (!a->p)
		return -1;
	if (ptb_snapshot(&snaps[0]) < 0)
		return -1;
	for (i = 0; i < a->npages; i++)
		ptb_fill_page(a->p + i * o->psz, o->psz, FILL_SEED, i);
	if (ptb_snapshot(&snaps[1]) < 0)
		return -1;
	ptb_fault_check(&snaps[0], &snaps[1], o->size, a->len, "fill",
			&a->faults);
	if (o->size == PTB_PMD_SIZE) {
		if (pte_map_pmds(a->p, a->len) < 0 ||
		    ptb_snapshot(&snaps[2]) < 0)
			return -1;
		a->setup_split_pmd =
			ptb_vm_delta(&snaps[1], &snaps[2], "thp_split_pmd");
	}
	kb = ptb_pmd_mapped_kb(a->p, a->len);
	if (kb < 0)
		ptb_diag("cannot open /proc/self/smaps: %s", strerror(errno));
	a->pte_mapped = kb < 0 ? "na" : kb == 0 ? "1" : "0";
	if (kb > 0)
		ptb_diag("%" PRId64 " kB of the region are still PMD-mapped: "
			 "mprotect() would not reach change_pte_range() there",
			 kb);
	return 0;
}

/* Pages that lost their content. */
static uint64_t area_bad_pages(const struct opts *o, const struct area *a)
{
	uint64_t bad = 0;
	size_t i;

	for (i = 0; i < a->npages; i++)
		if (ptb_check_page(a->p + i * o->psz, o->psz, FILL_SEED, i))
			bad++;
	return bad;
}

/*
 * Minor faults taken by rewriting the first word of every page with its
 * own value: 0 when the last "unprotect" made the PTEs writable again, as
 * 6.12 does for exclusive anonymous pages (MM_CP_TRY_CHANGE_WRITABLE).
 */
static uint64_t area_write_faults(const struct opts *o, struct area *a)
{
	uint64_t before = ptb_minor_faults();
	size_t i;

	for (i = 0; i < a->npages; i++) {
		volatile uint64_t *w = (uint64_t *)(a->p + i * o->psz);

		*w = *w;
	}
	return ptb_minor_faults() - before;
}

/* ---- userfaultfd -------------------------------------------------------- */

static int uffd_unregister(int uffd, void *addr, size_t len)
{
	struct uffdio_range range = { .start = (uintptr_t)addr, .len = len };

	if (ioctl(uffd, UFFDIO_UNREGISTER, &range) != 0) {
		ptb_diag("UFFDIO_UNREGISTER failed: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Pages of [p, p + npages pages) whose pagemap entry has the uffd-wp bit;
 * -1 after a diagnostic. */
static int64_t uffd_wp_pages(const struct opts *o, const char *p,
			     size_t npages)
{
	uint64_t buf[512];
	int64_t n = 0;
	size_t i = 0, j;
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		ptb_diag("cannot open /proc/self/pagemap: %s",
			 strerror(errno));
		return -1;
	}
	while (i < npages) {
		size_t k = npages - i < 512 ? npages - i : 512;
		off_t off = (off_t)((uintptr_t)(p + i * o->psz) / o->psz *
				    sizeof(uint64_t));
		ssize_t got = pread(fd, buf, k * sizeof(uint64_t), off);

		if (got != (ssize_t)(k * sizeof(uint64_t))) {
			ptb_diag("reading /proc/self/pagemap failed: %s",
				 got < 0 ? strerror(errno) : "short read");
			close(fd);
			return -1;
		}
		for (j = 0; j < k; j++)
			n += (buf[j] & PM_UFFD_WP) != 0;
		i += k;
	}
	close(fd);
	return n;
}

/* ---- area modes --------------------------------------------------------- */

/*
 * One timed call: step 0 protects the region (PROT_READ, or uffd-wp),
 * step 1 lifts the protection.  Adds its time to *ns; 0 or the errno.
 */
static int timed_call(struct area *a, int uffd, int step, uint64_t *ns)
{
	uint64_t t0, t1;
	int rc, err;

	t0 = ptb_now_ns();
	if (uffd >= 0)
		rc = ptb_uffd_set_wp(uffd, a->p, a->len, step == 0);
	else
		rc = mprotect(a->p, a->len,
			      step == 0 ? PROT_READ : PROT_READ | PROT_WRITE);
	err = rc ? errno : 0;
	t1 = ptb_now_ns();
	*ns += t1 - t0;
	return err;
}

static int bench_area(const struct opts *o)
{
	const char *kind = o->uffd_wp ? "mprotect_uffd_wp" : "mprotect_bench";
	const char *call = o->uffd_wp ? "UFFDIO_WRITEPROTECT" : "mprotect";
	char ekind[64], skind[64];
	unsigned kb = (unsigned)(o->size / PTB_KIB);
	uint64_t run, done = 0, failed = 0, bad, wfaults;
	int64_t wp_left = PTB_NA;
	struct ptb_line l;
	struct area a;
	int uffd = -1;

	snprintf(ekind, sizeof(ekind), "%s-error", kind);
	snprintf(skind, sizeof(skind), "%s-summary", kind);
	if (area_setup(o, &a) < 0) {
		error_line(ekind, o->size_name, "setup", NULL);
		return 1;
	}
	if (o->uffd_wp) {
		const char *why = NULL;
		bool unsupported;

		/* After the fill: 6.12 faults in small folios only where a
		 * userfaultfd is armed (alloc_anon_folio()). */
		uffd = ptb_uffd_register_wp(a.p, a.len, &why, &unsupported);
		if (uffd < 0) {
			error_line(ekind, o->size_name, "uffd", why);
			return unsupported ? 2 : 1;
		}
	}

	for (run = 1; run <= o->runs; run++) {
		uint64_t ns = 0, calls = 0, r;
		int err = 0, step;

		if (ptb_snapshot(&snaps[2]) < 0)
			goto setup_fail;
		for (r = 0; r < o->rounds && !err; r++) {
			for (step = 0; step < 2 && !err; step++) {
				err = timed_call(&a, uffd, step, &ns);
				if (!err)
					calls++;
			}
		}
		if (ptb_snapshot(&snaps[3]) < 0)
			goto setup_fail;
		if (err) {
			ptb_diag("run %" PRIu64 ": %s failed: %s", run, call,
				 strerror(err));
			failed++;
		} else {
			run_ns[done++] = ns;
		}

		ptb_line_begin(&l, kind);
		ptb_kv_s(&l, "size", o->size_name);
		ptb_kv_u(&l, "mib", o->mib);
		ptb_kv_u(&l, "rounds", o->rounds);
		ptb_kv_u(&l, "run", run);
		ptb_kv_u(&l, "ns", ns);
		ptb_kv_u(&l, "calls", calls);
		ptb_kv_u(&l, "ns_per_call", calls ? ns / calls : 0);
		ptb_kv_u(&l, "pages", a.npages);
		ptb_kv_faults(&l, &a.faults);
		ptb_kv_s(&l, "pte_mapped", a.pte_mapped);
		ptb_kv_s(&l, o->uffd_wp ? "ioctl" : "mprotect",
			 err ? ptb_errname(err) : "0");
		ptb_kv_splits(&l, &snaps[2], &snaps[3], kb);
		ptb_line_end(&l);
		if (err)
			break;
	}

	/* Did every page keep its content (and lose its uffd-wp bit)? */
	bad = area_bad_pages(o, &a);
	if (o->uffd_wp) {
		wp_left = uffd_wp_pages(o, a.p, a.npages);
		if (wp_left < 0)
			wp_left = PTB_NA;
		/* Unregistering clears any uffd-wp bit left, so that the
		 * write check below cannot block on a fault. */
		if (uffd_unregister(uffd, a.p, a.len) < 0)
			failed++;
		close(uffd);
	}
	wfaults = area_write_faults(o, &a);
	if (bad) {
		ptb_diag("after the runs %" PRIu64 " of %zu pages lost their "
			 "content", bad, a.npages);
		ptb_line_begin(&l, ekind);
		ptb_kv_s(&l, "size", o->size_name);
		ptb_kv_s(&l, "stage", "content");
		ptb_kv_u(&l, "bad_pages", bad);
		ptb_kv_u(&l, "pages", a.npages);
		ptb_line_end(&l);
		failed++;
	}
	if (wp_left != PTB_NA && wp_left != 0) {
		ptb_diag("%" PRId64 " pages still uffd-wp after the last "
			 "resolve", wp_left);
		failed++;
	}

	if (done) {
		ptb_line_begin(&l, skind);
		ptb_kv_s(&l, "size", o->size_name);
		ptb_kv_u(&l, "mib", o->mib);
		ptb_kv_u(&l, "rounds", o->rounds);
		ptb_kv_u(&l, "runs", done);
		ptb_kv_u(&l, "calls", 2 * o->rounds);
		ptb_kv_run_stats(&l, run_ns, done);
		ptb_kv_s(&l, "fault_ok", a.faults.ok);
		ptb_kv_s(&l, "pte_mapped", a.pte_mapped);
		ptb_kv_cnt(&l, "setup_split_pmd", a.setup_split_pmd);
		ptb_kv_u(&l, "bad_pages", bad);
		if (o->uffd_wp)
			ptb_kv_cnt(&l, "wp_left", wp_left);
		ptb_kv_u(&l, "write_faults", wfaults);
		ptb_kv_u(&l, "failed_runs", failed);
		ptb_line_end(&l);
	}
	munmap(a.p, a.len);
	if (strcmp(a.faults.ok, "0") == 0 || strcmp(a.pte_mapped, "0") == 0)
		return 1;
	return failed ? 1 : 0;

setup_fail:
	error_line(ekind, o->size_name, "setup", NULL);
	return 1;
}

/* ---- small mode --------------------------------------------------------- */

static const struct {
	const char *name;
	size_t len;
} small_lens[] = {
	{ "4K", 4 * PTB_KIB },	 { "16K", 16 * PTB_KIB },
	{ "64K", 64 * PTB_KIB }, { "400K", 400 * PTB_KIB },
	{ "4M", 4 * PTB_MIB },
};
#define NSMALL (sizeof(small_lens) / sizeof(small_lens[0]))

/* The selected word of a sysfs choice file ("a [b] c" gives "b"). */
static void read_choice(const char *path, char *out, size_t size)
{
	char buf[256], *s, *e;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	snprintf(out, size, "na");
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	s = strchr(buf, '[');
	e = s ? strchr(s, ']') : NULL;
	if (!s || !e)
		return;
	*e = '\0';
	snprintf(out, size, "%s", s + 1);
}

/*
 * The anonymous THP settings in force: the top-level "enabled" into top,
 * and into mthp the per-size ones that are not "never", as
 * "<size>:<mode>,..." ("none" if every size is "never").
 */
static void thp_settings(char *top, size_t tsize, char *mthp, size_t msize)
{
	const char *root = ptb_thp_root();
	char path[512], val[32];
	struct dirent *de;
	size_t len = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/enabled", root);
	read_choice(path, top, tsize);
	snprintf(mthp, msize, "none");
	d = opendir(root);
	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		unsigned kb;
		char name[16];
		int n;

		if (sscanf(de->d_name, "hugepages-%ukB", &kb) != 1)
			continue;
		snprintf(path, sizeof(path), "%s/%s/enabled", root,
			 de->d_name);
		read_choice(path, val, sizeof(val));
		if (strcmp(val, "never") == 0 || strcmp(val, "na") == 0)
			continue;
		if (kb % 1024 == 0)
			snprintf(name, sizeof(name), "%uM", kb / 1024);
		else
			snprintf(name, sizeof(name), "%uK", kb);
		n = snprintf(mthp + len, msize - len, "%s%s:%s",
			     len ? "," : "", name, val);
		if (n < 0 || (size_t)n >= msize - len)
			break;
		len += (size_t)n;
	}
	closedir(d);
}

struct small_run {
	uint64_t ns, calls, bad_pages;
	int64_t large_folios;
	int err;
};

/*
 * One length of one run: map `len` bytes 2M-aligned, fault them in (a tag
 * in every page), time `calls` mprotect() calls alternating PROT_READ and
 * PROT_READ | PROT_WRITE (as one stretch: a clock read costs about as
 * much as a short call), check the tags, unmap.  0, or -1 after a
 * diagnostic (set-up; a failed call only sets sr->err).
 */
static int small_one(const struct opts *o, size_t len, struct small_run *sr)
{
	size_t npages = len / o->psz, i;
	uint64_t c, t0, t1;
	int64_t alloc, fallback;
	char *p;

	memset(sr, 0, sizeof(*sr));
	p = ptb_map_aligned(len, PTB_PMD_SIZE);
	if (!p)
		return -1;
	ptb_snapshot(&snaps[0]);
	for (i = 0; i < npages; i++)
		*(volatile uint64_t *)(p + i * o->psz) = 0x5eed0000 + i;
	ptb_snapshot(&snaps[1]);
	ptb_fault_counts(&snaps[0], &snaps[1], 4 * PTB_KIB, &alloc, &fallback,
			 &sr->large_folios);

	t0 = ptb_now_ns();
	for (c = 0; c < o->calls; c++) {
		int prot = c & 1 ? PROT_READ | PROT_WRITE : PROT_READ;

		if (mprotect(p, len, prot) != 0) {
			sr->err = errno;
			break;
		}
	}
	t1 = ptb_now_ns();
	sr->ns = t1 - t0;
	sr->calls = c;
	if (sr->err) {
		ptb_diag("mprotect of %zu bytes failed: %s", len,
			 strerror(sr->err));
		mprotect(p, len, PROT_READ | PROT_WRITE);
	}
	for (i = 0; i < npages; i++)
		if (*(volatile uint64_t *)(p + i * o->psz) != 0x5eed0000 + i)
			sr->bad_pages++;
	munmap(p, len);
	return 0;
}

static int bench_small(const struct opts *o)
{
	static uint64_t ns[NSMALL][MAX_RUNS];
	uint64_t done[NSMALL] = { 0 }, failed[NSMALL] = { 0 }, run;
	char top[32], mthp[256];
	struct ptb_line l;
	size_t k;
	int rc = 0;

	thp_settings(top, sizeof(top), mthp, sizeof(mthp));
	ptb_line_begin(&l, "mprotect_small-env");
	ptb_kv_u(&l, "page_size", o->psz);
	ptb_kv_s(&l, "thp_enabled", top);
	ptb_kv_s(&l, "mthp_enabled", mthp);
	ptb_kv_u(&l, "calls", o->calls);
	ptb_line_end(&l);

	for (run = 1; run <= o->runs; run++) {
		for (k = 0; k < NSMALL; k++) {
			struct small_run sr;

			if (small_lens[k].len % o->psz) {
				if (run == 1)
					ptb_diag("length %s is not a multiple "
						 "of the page size %zu: "
						 "skipped",
						 small_lens[k].name, o->psz);
				continue;
			}
			if (small_one(o, small_lens[k].len, &sr) < 0) {
				error_line("mprotect_small-error", o->size_name,
					   "run", NULL);
				return 1;
			}
			if (sr.err || sr.bad_pages) {
				failed[k]++;
				rc = 1;
			} else {
				ns[k][done[k]++] = sr.ns;
			}

			ptb_line_begin(&l, "mprotect_small");
			ptb_kv_s(&l, "len", small_lens[k].name);
			ptb_kv_u(&l, "run", run);
			ptb_kv_u(&l, "calls", sr.calls);
			ptb_kv_u(&l, "ns", sr.ns);
			ptb_kv_u(&l, "ns_per_call",
				 sr.calls ? sr.ns / sr.calls : 0);
			ptb_kv_u(&l, "pages", small_lens[k].len / o->psz);
			ptb_kv_cnt(&l, "large_folios", sr.large_folios);
			ptb_kv_s(&l, "thp_enabled", top);
			ptb_kv_s(&l, "mthp_enabled", mthp);
			ptb_kv_u(&l, "bad_pages", sr.bad_pages);
			ptb_kv_s(&l, "mprotect",
				 sr.err ? ptb_errname(sr.err) : "0");
			ptb_line_end(&l);
		}
	}
	for (k = 0; k < NSMALL; k++) {
		uint64_t median;

		if (!done[k])
			continue;
		memcpy(run_ns, ns[k], done[k] * sizeof(uint64_t));
		ptb_line_begin(&l, "mprotect_small-summary");
		ptb_kv_s(&l, "len", small_lens[k].name);
		ptb_kv_u(&l, "runs", done[k]);
		ptb_kv_u(&l, "calls", o->calls);
		ptb_kv_run_stats(&l, run_ns, done[k]);
		median = ptb_sort_median(run_ns, done[k]);
		ptb_kv_u(&l, "median_ns_per_call", median / o->calls);
		ptb_kv_u(&l, "failed_runs", failed[k]);
		ptb_line_end(&l);
	}
	return rc;
}

/* ---- main --------------------------------------------------------------- */

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "mib", required_argument, NULL, 'm' },
		{ "rounds", required_argument, NULL, 'R' },
		{ "runs", required_argument, NULL, 'r' },
		{ "uffd-wp", no_argument, NULL, 'u' },
		{ "small", no_argument, NULL, 'S' },
		{ "calls", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .size_name = NULL, .mib = 256, .runs = 5,
			  .rounds = 40, .calls = 2000 };
	const char *area_only = NULL, *small_only = NULL;
	int c;

	ptb_prog = "mprotect_bench";
	ptb_exec_without_aslr(argv);
	o.psz = ptb_page_size();
	while ((c = ptb_getopt(argc, argv, opts, usage)) != -1) {
		switch (c) {
		case 's':
			o.size_name = optarg;
			break;
		case 'm':
			o.mib = ptb_arg_mib(optarg, MAX_MIB);
			area_only = "--mib";
			break;
		case 'R':
			o.rounds = ptb_arg_u64("--rounds", optarg, 1,
					       MAX_ROUNDS, 1, "a number");
			area_only = "--rounds";
			break;
		case 'r':
			o.runs = ptb_arg_runs(optarg, MAX_RUNS);
			break;
		case 'u':
			o.uffd_wp = true;
			area_only = "--uffd-wp";
			break;
		case 'S':
			o.small = true;
			break;
		case 'c':
			o.calls = ptb_arg_u64("--calls", optarg, 1, MAX_CALLS,
					      1, "a number");
			small_only = "--calls";
			break;
		}
	}
	ptb_no_operands(argc, argv);
	if (o.small && area_only)
		ptb_bad_args("%s is for the area modes, not --small",
			     area_only);
	if (!o.small && small_only)
		ptb_bad_args("%s needs --small", small_only);
	if (o.size_name)
		o.size = ptb_arg_thp_size(o.size_name);
	else if (!o.small)
		o.size = ptb_arg_thp_size(o.size_name = "64K");
	if (!o.small && (o.mib * PTB_MIB) % o.size)
		ptb_bad_args("--mib %" PRIu64 " is not a multiple of --size %s",
			     o.mib, o.size_name);

	if (o.size_name && thp_setup(o.size_name) < 0) {
		error_line(o.small ? "mprotect_small-error" :
			   o.uffd_wp ? "mprotect_uffd_wp-error" :
				       "mprotect_bench-error",
			   o.size_name, "thp_setup", NULL);
		return 1;
	}
	ptb_bench_start(snaps, 4);
	return o.small ? bench_small(&o) : bench_area(&o);
}
