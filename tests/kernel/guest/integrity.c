/*
 * integrity: data integrity of anonymous memory across MADV_PAGEOUT (swap
 * out, or lazyfree discard) and read back (swap in), for folios of one size,
 * in the situations the batched try_to_unmap_one() must get right: shared
 * (COW) folios, folios cut by munmap/mprotect, folios moved off their
 * natural alignment, page-table boundaries, lazyfree redirtied or not,
 * uffd-wp and soft-dirty bits in swap PTEs, mlock; and across mremap(),
 * the situations the batched move_ptes() must get right: present and swap
 * PTEs moved together, COW-shared (read-only) PTEs, uffd-wp bits to clear,
 * soft-dirty bits to set, MREMAP_DONTUNMAP.
 *
 *   integrity [--size 64K] [--seed N] [--scenario NAME[,NAME...]]...
 *             [--mib 64] [--timeout SEC] [--madv-hugepage] [--list]
 *
 * One "PTB integrity" line per scenario, then "PTB integrity-summary";
 * see README.md.  Exit status: 0 no scenario failed, 1 one failed (or setup
 * failed), 2 bad arguments.
 */
#define _GNU_SOURCE
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_MIB 64
#define MAX_MIB 1024
#define DEFAULT_TIMEOUT 600

struct ptb_memcg;

struct ctx {
	struct ptb_memcg *mc; /* reclaim through this memory cgroup, not madvise */
	const char *size_name;
	size_t size; /* folio size in bytes */
	size_t len;  /* bytes per scenario */
	size_t psz;
	uint64_t seed;
	unsigned timeout; /* seconds, per scenario */
	bool madv_hugepage;
	bool have_swap;
};

static struct ptb_snapshot snap_a, snap_b;

/* ---- regions ------------------------------------------------------------ */

/*
 * The memory a scenario checks: page i of [base, base + npages * psz) is a
 * hole (not mapped) if gen[i] == 0, else it must hold the content of
 * generation gen[i] for page i (tag = salt ^ gen << 48 ^ i).
 */
struct region {
	char *base;
	size_t npages;
	uint8_t *gen;
	uint64_t salt;
};

static int region_init(struct region *rg, void *base, size_t npages,
		       const char *scenario)
{
	rg->base = base;
	rg->npages = npages;
	rg->salt = ptb_hash_str(scenario) & ~(0xffffULL << 48);
	rg->gen = malloc(npages);
	if (!rg->gen) {
		ptb_diag("out of memory for %zu page states", npages);
		return -1;
	}
	memset(rg->gen, 1, npages);
	return 0;
}

static void region_free(struct region *rg)
{
	free(rg->gen);
	rg->gen = NULL;
}

static uint64_t page_tag(const struct region *rg, size_t i, unsigned gen)
{
	return rg->salt ^ ((uint64_t)gen << 48) ^ (uint64_t)i;
}

static size_t region_mapped_pages(const struct region *rg)
{
	size_t i, n = 0;

	for (i = 0; i < rg->npages; i++)
		n += rg->gen[i] != 0;
	return n;
}

/* Writes generation `gen` into every mapped page (or every page with
 * index % stride == 0 when stride > 1). */
static void region_fill(const struct ctx *c, struct region *rg, unsigned gen,
			size_t stride)
{
	size_t i;

	for (i = 0; i < rg->npages; i++) {
		if (!rg->gen[i] || (stride > 1 && i % stride))
			continue;
		rg->gen[i] = (uint8_t)gen;
		ptb_fill_page(rg->base + i * c->psz, c->psz, c->seed,
			      page_tag(rg, i, gen));
	}
}

/* Calls fn on each maximal run of mapped pages; stops at the first
 * non-zero return and returns it. */
static int region_runs(const struct ctx *c, const struct region *rg,
		       int (*fn)(char *addr, size_t len, void *arg), void *arg)
{
	size_t i = 0, j;
	int rc;

	while (i < rg->npages) {
		if (!rg->gen[i]) {
			i++;
			continue;
		}
		for (j = i; j < rg->npages && rg->gen[j]; j++)
			;
		rc = fn(rg->base + i * c->psz, (j - i) * c->psz, arg);
		if (rc)
			return rc;
		i = j;
	}
	return 0;
}

static int run_nonresident(char *addr, size_t len, void *arg)
{
	int64_t *acc = arg, res = ptb_resident_pages(addr, len);

	if (res < 0)
		return -1;
	*acc += (int64_t)(len / ptb_page_size()) - res;
	return 0;
}

/* Mapped pages not resident (mincore); -1 on error. */
static int64_t region_nonresident(const struct ctx *c, const struct region *rg)
{
	int64_t n = 0;

	if (region_runs(c, rg, run_nonresident, &n))
		return -1;
	return n;
}

static int run_madvise(char *addr, size_t len, void *arg)
{
	int advice = *(int *)arg;

	if (madvise(addr, len, advice) != 0)
		return errno ? errno : EIO;
	return 0;
}

/* madvise(advice) on every mapped run; 0 or the first errno. */
static int region_madvise(const struct ctx *c, const struct region *rg,
			  int advice)
{
	return region_runs(c, rg, run_madvise, &advice);
}

struct verify_arg {
	const struct ctx *c;
	const struct region *rg;
	bool allow_zero;
	volatile size_t next; /* page being checked */
	volatile int64_t bad_bytes, bad_pages, zero_pages, checked;
	volatile int64_t first_bad;
};

static void verify_fn(void *p)
{
	struct verify_arg *a = p;
	const struct ctx *c = a->c;
	const struct region *rg = a->rg;

	for (; a->next < rg->npages; a->next++) {
		size_t i = a->next, b;
		const char *pg = rg->base + i * c->psz;

		if (!rg->gen[i])
			continue;
		b = ptb_check_page(pg, c->psz, c->seed,
				   page_tag(rg, i, rg->gen[i]));
		a->checked++;
		if (!b)
			continue;
		if (a->allow_zero && ptb_page_is_zero(pg, c->psz)) {
			a->zero_pages++;
			continue;
		}
		a->bad_bytes += (int64_t)b;
		a->bad_pages++;
		if (a->first_bad < 0)
			a->first_bad = (int64_t)i;
	}
}

struct vres {
	int64_t bad_bytes, bad_pages, zero_pages;
	int fault; /* signal that interrupted the check, or 0 */
};

/*
 * Reads every mapped page back and compares it with its expected content
 * (all-zero pages accepted and counted when allow_zero).  A fault during
 * the reads stops the check and is reported in ->fault.
 */
static struct vres region_verify(const struct ctx *c, const struct region *rg,
				 bool allow_zero, const char *what)
{
	struct verify_arg a = { .c = c, .rg = rg, .allow_zero = allow_zero };
	struct vres v;

	a.first_bad = -1;
	v.fault = ptb_guarded(verify_fn, &a);
	v.bad_bytes = a.bad_bytes;
	v.bad_pages = a.bad_pages;
	v.zero_pages = a.zero_pages;
	if (v.fault)
		ptb_diag("%s: signal %d reading page %zu of %zu", what, v.fault,
			 (size_t)a.next, rg->npages);
	if (v.bad_pages) {
		const uint64_t *w =
			(const uint64_t *)(rg->base + a.first_bad * c->psz);

		ptb_diag("%s: %" PRId64 " bad pages, %" PRId64
			 " bad bytes; first bad page %" PRId64
			 " (starts %016" PRIx64 " %016" PRIx64
			 ", expected tag %016" PRIx64 ")",
			 what, v.bad_pages, v.bad_bytes, a.first_bad, w[0],
			 w[1],
			 page_tag(rg, (size_t)a.first_bad,
				  rg->gen[a.first_bad]));
	}
	return v;
}

/* Adds a verification to the result: bad bytes, faults. */
static void account_verify(struct ptb_res *r, const struct vres *v,
			   const char *what)
{
	r->bad_bytes += v->bad_bytes;
	if (v->fault)
		ptb_set_result(r, PTB_FAIL, "%s_signal_%d", what, v->fault);
	else if (v->bad_bytes)
		ptb_set_result(r, PTB_FAIL, "%s_corrupt", what);
}

/* ---- steps with counters ------------------------------------------------ */

static int reclaim_memcg(const struct ctx *c, const struct region *rg);

/*
 * Fills generation 1 and records the large folios the faults allocated
 * (fault_*: anonymous; shmem_*: shmem's counters, for SC_SHMEM memory).
 */
static void fill_counted(const struct ctx *c, struct ptb_res *r,
			 struct region *rg, bool shmem)
{
	int64_t alloc, fallback, other;

	ptb_snapshot(&snap_a);
	region_fill(c, rg, 1, 1);
	ptb_snapshot(&snap_b);
	if (shmem)
		ptb_shmem_fault_counts(&snap_a, &snap_b, c->size, &alloc,
				       &fallback, &other);
	else
		ptb_fault_counts(&snap_a, &snap_b, c->size, &alloc, &fallback,
				 &other);
	ptb_kv_cnt(&r->extra, shmem ? "shmem_alloc" : "fault_alloc", alloc);
	ptb_kv_cnt(&r->extra, shmem ? "shmem_fallback" : "fault_fallback",
		   fallback);
	ptb_kv_cnt(&r->extra, shmem ? "shmem_other" : "fault_other", other);
}

/* ---- a scenario's memory: set-up and tear-down ------------------------- */

/* The memory a scenario works on. */
struct scen {
	char *p;	  /* start of the memory */
	size_t npages;	  /* its base pages */
	size_t unmap_len; /* bytes of p scen_unmap() unmaps; 0: not ours */
	struct region rg; /* over all of it */
	bool have_rg;
	uint64_t *pm;	  /* SC_PAGEMAP: a pagemap entry for every page */
};

enum {
	SC_PAGES = 1,	/* pages= is the whole region, set up front */
	SC_PAGEMAP = 2, /* allocate s->pm (before the page states) */
	SC_NO_FILL = 4, /* the caller fills (fill_counted) itself */
	SC_SHMEM = 8,	/* shared anonymous memory (shmem), not private */
};


/*
 * The prologue of every scenario: maps `len` bytes at a 2M-aligned address
 * (or, with `at`, takes the `len` bytes the caller mapped there and will
 * unmap itself), MADV_HUGEPAGE with --madv-hugepage, allocates the pagemap
 * buffer (SC_PAGEMAP) and the page states of a region named `name` over
 * all of it, sets pages= (SC_PAGES), and fills generation 1 counting the
 * faults (unless SC_NO_FILL).  0, or -1 with the result set ("mmap",
 * "malloc"); scen_end() releases whatever was set up, either way.
 */
static int scen_begin_at(const struct ctx *c, struct ptb_res *r, struct scen *s,
			 const char *name, unsigned flags, char *at, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->p = at;
	if (!at) {
		s->p = flags & SC_SHMEM ?
			       ptb_map_shmem_aligned(len, PTB_PMD_SIZE) :
			       ptb_map_aligned(len, PTB_PMD_SIZE);
		if (!s->p) {
			ptb_set_result(r, PTB_FAIL, "mmap");
			return -1;
		}
		s->unmap_len = len;
	}
	if (c->madv_hugepage && madvise(s->p, len, MADV_HUGEPAGE) != 0)
		ptb_diag("madvise(MADV_HUGEPAGE) failed: %s (ignored)",
			 strerror(errno));
	s->npages = len / c->psz;
	if (flags & SC_PAGEMAP)
		s->pm = malloc(s->npages * sizeof(*s->pm));
	if (((flags & SC_PAGEMAP) && !s->pm) ||
	    region_init(&s->rg, s->p, s->npages, name) < 0) {
		ptb_set_result(r, PTB_FAIL, "malloc");
		return -1;
	}
	s->have_rg = true;
	if (flags & SC_PAGES)
		r->pages = (int64_t)s->npages;
	if (!(flags & SC_NO_FILL))
		fill_counted(c, r, &s->rg, flags & SC_SHMEM);
	return 0;
}

/* The usual case: --mib MiB of its own. */
static int scen_begin(const struct ctx *c, struct ptb_res *r, struct scen *s,
		      const char *name, unsigned flags)
{
	return scen_begin_at(c, r, s, name, flags, NULL, c->len);
}

/* Unmaps the memory scen_begin() mapped (once). */
static void scen_unmap(struct scen *s)
{
	if (s->unmap_len)
		munmap(s->p, s->unmap_len);
	s->unmap_len = 0;
}

/* Frees the page states and the pagemap buffer (once). */
static void scen_free(struct scen *s)
{
	if (s->have_rg)
		region_free(&s->rg);
	s->have_rg = false;
	free(s->pm);
	s->pm = NULL;
}

/* The epilogue: scen_free(), then scen_unmap(). */
static void scen_end(struct scen *s)
{
	scen_free(s);
	scen_unmap(s);
}

/*
 * MADV_PAGEOUT on every mapped run, then counts the mapped pages that left
 * memory.  With `record`, adds the swap-out counters and "madvise" to the
 * line.  Returns the non-resident count, -1 on error (result set).
 */
static int64_t pageout_counted(const struct ctx *c, struct ptb_res *r,
			       const struct region *rg, bool record,
			       int *madv_err)
{
	unsigned kb = (unsigned)(c->size / PTB_KIB);
	int64_t nonres;
	int err;

	ptb_snapshot(&snap_a);
	if (c->mc)
		err = reclaim_memcg(c, rg);
	else
		err = region_madvise(c, rg, MADV_PAGEOUT);
	ptb_snapshot(&snap_b);
	if (madv_err)
		*madv_err = err;
	if (record) {
		ptb_kv_s(&r->extra, "reclaim", c->mc ? "memcg" : "madvise");
		ptb_kv_s(&r->extra, c->mc ? "memcg_err" : "madvise",
			 err ? ptb_errname(err) : "0");
		ptb_kv_cnt(&r->extra, "swpout",
			   ptb_mthp_delta(&snap_a, &snap_b, kb, MTHP_SWPOUT));
		ptb_kv_cnt(&r->extra, "swpout_fallback",
			   ptb_mthp_delta(&snap_a, &snap_b, kb,
					  MTHP_SWPOUT_FALLBACK));
		ptb_kv_cnt(&r->extra, "split",
			   ptb_mthp_delta(&snap_a, &snap_b, kb, MTHP_SPLIT));
		ptb_kv_cnt(&r->extra, "thp_swpout",
			   ptb_vm_delta(&snap_a, &snap_b, "thp_swpout"));
		ptb_kv_cnt(&r->extra, "pswpout",
			   ptb_vm_delta(&snap_a, &snap_b, "pswpout"));
		ptb_kv_cnt(&r->extra, "swpout_zero",
			   ptb_vm_delta(&snap_a, &snap_b, "swpout_zero"));
	}
	if (err && !madv_err)
		ptb_fail_call(r, c->mc ? "memory.reclaim" : "madvise_PAGEOUT",
			      err);
	nonres = region_nonresident(c, rg);
	if (nonres < 0)
		ptb_set_result(r, PTB_FAIL, "mincore");
	return nonres;
}

/* The common end: a scenario that should have swapped something out but
 * did not fails, naming the likely cause. */
static void expect_swapped(const struct ctx *c, struct ptb_res *r, int64_t n,
			   const char *what)
{
	if (n > 0)
		return;
	if (!c->have_swap)
		ptb_set_result(r, PTB_FAIL, "%s_no_swap", what);
	else
		ptb_set_result(r, PTB_FAIL, "%s_nothing_swapped", what);
}

/* Reads everything back (swap-ins), recording pswpin and swpin_zero. */
static void verify_counted(const struct ctx *c, struct ptb_res *r,
			   const struct region *rg)
{
	struct vres v;

	ptb_snapshot(&snap_a);
	v = region_verify(c, rg, false, "verify");
	ptb_snapshot(&snap_b);
	ptb_kv_cnt(&r->extra, "pswpin",
		   ptb_vm_delta(&snap_a, &snap_b, "pswpin"));
	ptb_kv_cnt(&r->extra, "swpin_zero",
		   ptb_vm_delta(&snap_a, &snap_b, "swpin_zero"));
	account_verify(r, &v, "verify");
}

/* map, fill, (transform), pageout, verify: the plain scenarios. */
static void pageout_verify(const struct ctx *c, struct ptb_res *r,
			   struct region *rg)
{
	r->pages = (int64_t)region_mapped_pages(rg);
	r->swapped = pageout_counted(c, r, rg, true, NULL);
	if (r->r != PTB_PASS)
		return;
	verify_counted(c, r, rg);
	expect_swapped(c, r, r->swapped, "pageout");
}

/* ---- pagemap --------------------------------------------------------------- */

/* Entries of pm[0..n) with every bit of `bits` set. */
static int64_t pm_count(const uint64_t *pm, size_t n, uint64_t bits)
{
	int64_t k = 0;
	size_t i;

	for (i = 0; i < n; i++)
		k += (pm[i] & bits) == bits;
	return k;
}

/* ---- moves ------------------------------------------------------------------- */

/*
 * Where most mremap scenarios move their region: half a PMD past a 2M
 * boundary.  Every mTHP size (up to 1M) stays naturally aligned, but the
 * old and the new address are half a page table out of step, so the kernel
 * moves PTEs, move_ptes() (the batched code), for every extent.  Where
 * both addresses have the same offset in a PMD it moves whole page tables
 * instead (move_normal_pmd(): x86 and arm64 have HAVE_MOVE_PMD), or
 * PMD-mapped THPs as PMDs, and move_ptes() is never called.
 */
#define MOVE_OFFSET (PTB_PMD_SIZE / 2)

/* The PROT_NONE reservation a region was moved into. */
struct dest {
	char *resv;
	size_t len;
};

/*
 * Moves the scenario's region (all of sc->rg, from sc->rg.base) with
 * mremap(MREMAP_MAYMOVE | MREMAP_FIXED | flags) to `off` bytes into a new
 * 2M-aligned reservation of its size + 2M (*d, for dest_free()), and points
 * the region there.  Without MREMAP_DONTUNMAP the memory is then the
 * reservation's, not scen_unmap()'s.  0, or -1 with the result set:
 * "reserve", "mremap_<ERRNO>", "mremap_wrong_address"; skip
 * "mremap_dontunmap_<ERRNO>" where MREMAP_DONTUNMAP is refused with
 * EINVAL or ENOSYS (before Linux 5.7).
 */
static int scen_move(const struct ctx *c, struct ptb_res *r, struct scen *s,
		     struct dest *d, size_t off, int flags)
{
	size_t len = s->npages * c->psz;
	char *want, *q;

	d->len = len + PTB_PMD_SIZE;
	d->resv = ptb_reserve_aligned(d->len, PTB_PMD_SIZE);
	if (!d->resv) {
		ptb_set_result(r, PTB_FAIL, "reserve");
		return -1;
	}
	want = d->resv + off;
	q = mremap(s->rg.base, len, len, MREMAP_MAYMOVE | MREMAP_FIXED | flags,
		   want);
	if (q == MAP_FAILED) {
		int e = errno;

		if ((flags & MREMAP_DONTUNMAP) && (e == EINVAL || e == ENOSYS)) {
			ptb_diag("mremap(MREMAP_DONTUNMAP): %s: skipped (needs "
				 "Linux 5.7)", strerror(e));
			ptb_set_result(r, PTB_SKIP, "mremap_dontunmap_%s",
				   ptb_errname(e));
		} else {
			ptb_fail_call(r, "mremap", e);
		}
		return -1;
	}
	if (!(flags & MREMAP_DONTUNMAP))
		s->unmap_len = 0;
	if (q != want) {
		ptb_set_result(r, PTB_FAIL, "mremap_wrong_address");
		munmap(q, len);
		return -1;
	}
	s->rg.base = q;
	return 0;
}

static void dest_free(struct dest *d)
{
	if (d->resv)
		munmap(d->resv, d->len);
	d->resv = NULL;
}

/* True if nothing is mapped in [addr, addr + len). */
static bool range_unmapped(void *addr, size_t len)
{
	if (ptb_guard_at(addr, len, false) < 0)
		return false;
	munmap(addr, len);
	return true;
}

/* The pagemap of the region, where it is now, into s->pm; the pages with
 * every bit of `bits` set, or -1 with the result set. */
static int64_t pm_read_count(struct ptb_res *r, struct scen *s, uint64_t bits)
{
	if (ptb_read_pagemap(s->rg.base, s->npages, s->pm) < 0) {
		ptb_fail_call(r, "pagemap", errno);
		return -1;
	}
	return pm_count(s->pm, s->npages, bits);
}

/* ---- scenarios --------------------------------------------------------------- */

static void sc_private(const struct ctx *c, struct ptb_res *r)
{
	struct scen sc;

	if (scen_begin(c, r, &sc, "private", 0) == 0)
		pageout_verify(c, r, &sc.rg);
	scen_end(&sc);
}

/* -- cow_shared: helpers for the second process and the memory cgroup -- */

static int wait_readable(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint64_t deadline = ptb_now_ns() + (uint64_t)timeout_ms * 1000000ULL;

	for (;;) {
		uint64_t now = ptb_now_ns();
		int left = now >= deadline ? 0 :
			(int)((deadline - now) / 1000000ULL);
		int rc = poll(&pfd, 1, left);

		if (rc > 0)
			return 1;
		if (rc == 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

/* Reads exactly n bytes within timeout_ms; 0, or -1 with errno
 * (ETIMEDOUT, EPIPE for end of file). */
static int read_full(int fd, void *buf, size_t n, int timeout_ms)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k;
		int w = wait_readable(fd, timeout_ms);

		if (w <= 0) {
			if (w == 0)
				errno = ETIMEDOUT;
			return -1;
		}
		k = read(fd, (char *)buf + got, n - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = EPIPE;
			return -1;
		}
		got += (size_t)k;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t k = write(fd, (const char *)buf + done, n - done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		done += (size_t)k;
	}
	return 0;
}

/* A second process of a scenario and the parent's ends of the pipes. */
struct child {
	pid_t pid;
	int rd; /* from the child */
	int wr; /* to the child */
};

/* What a child runs: its exit status is the return value. */
typedef int (*child_fn)(const struct ctx *c, struct region *rg, int rd,
			int wr, int timeout_ms);

/*
 * Forks a child that runs fn(c, rg, its ends of two pipes, timeout_ms) and
 * exits with what it returns.  0, or -1 with the result set ("pipe2_...",
 * "fork_...").  child_reap() and child_close() end it.
 */
static int child_start(const struct ctx *c, struct ptb_res *r, struct child *k,
		       child_fn fn, struct region *rg, int timeout_ms)
{
	int c2p[2] = { -1, -1 }, p2c[2] = { -1, -1 }, i;

	k->pid = -1;
	k->rd = k->wr = -1;
	if (pipe2(c2p, O_CLOEXEC) < 0 || pipe2(p2c, O_CLOEXEC) < 0) {
		ptb_fail_call(r, "pipe2", errno);
		goto fail;
	}
	fflush(stdout);
	fflush(stderr);
	k->pid = fork();
	if (k->pid < 0) {
		ptb_fail_call(r, "fork", errno);
		goto fail;
	}
	if (k->pid == 0) {
		alarm(0);
		close(c2p[0]);
		close(p2c[1]);
		_exit(fn(c, rg, p2c[0], c2p[1], timeout_ms));
	}
	ptb_child_pid = k->pid;
	close(c2p[1]);
	close(p2c[0]);
	k->rd = c2p[0];
	k->wr = p2c[1];
	return 0;
fail:
	for (i = 0; i < 2; i++) {
		if (c2p[i] >= 0)
			close(c2p[i]);
		if (p2c[i] >= 0)
			close(p2c[i]);
	}
	return -1;
}

/*
 * Closes the pipe to the child (it reads end of file), waits for it
 * (killing it after timeout_ms) and records how it ended:
 * child=ok|status_N|signal_N|timeout; anything but ok fails the scenario.
 */
static void child_reap(struct ptb_res *r, struct child *k, int timeout_ms)
{
	char s[32];
	int status = 0, w;

	if (k->wr >= 0)
		close(k->wr);
	k->wr = -1;
	w = ptb_wait_child(k->pid, &status, timeout_ms);
	ptb_child_pid = 0;
	if (w < 0) {
		ptb_fail_call(r, "waitpid", errno);
	} else if (w > 0) {
		ptb_set_result(r, PTB_FAIL, "child_timeout");
		ptb_kv_s(&r->extra, "child", "timeout");
	} else if (WIFSIGNALED(status)) {
		snprintf(s, sizeof(s), "signal_%d", WTERMSIG(status));
		ptb_kv_s(&r->extra, "child", s);
		ptb_set_result(r, PTB_FAIL, "child_%s", s);
	} else {
		snprintf(s, sizeof(s), "status_%d", WEXITSTATUS(status));
		ptb_kv_s(&r->extra, "child",
			 WEXITSTATUS(status) ? s : "ok");
		if (WEXITSTATUS(status))
			ptb_set_result(r, PTB_FAIL, "child_%s", s);
	}
}

/* Closes the parent's pipe ends that are still open. */
static void child_close(struct child *k)
{
	if (k->rd >= 0)
		close(k->rd);
	if (k->wr >= 0)
		close(k->wr);
	k->rd = k->wr = -1;
}

/*
 * Pushes the region out through memory.reclaim of the cgroup the process
 * was moved into before it faulted the region in: real reclaim, which
 * takes folios whole even where they span VMAs or page tables (where
 * MADV_PAGEOUT splits them first).  0, or the errno of a failed write
 * (EAGAIN, "reclaimed less than asked", is not a failure).
 */
static int reclaim_memcg(const struct ctx *c, const struct region *rg)
{
	int64_t mapped = (int64_t)region_mapped_pages(rg), last = -1;
	int i, err;

	ptb_clear_young(getpid());
	for (i = 0; i < 8; i++) {
		int64_t nr = region_nonresident(c, rg);

		if (nr < 0 || nr >= mapped || nr == last)
			break;
		last = nr;
		err = ptb_memcg_reclaim(c->mc, (size_t)(mapped - nr) * c->psz);
		if (err && err != EAGAIN)
			return err;
	}
	return 0;
}

struct child_report {
	int64_t madv_err, swapped_madv, swapped_shared, bad1, bad2;
	int64_t fault;
};

enum {
	CHILD_BAD_SHARED = 1, /* corrupt view of the shared pages */
	CHILD_BAD_COW = 2,    /* corrupt view after its own COW write */
	CHILD_ERROR = 4,      /* syscall error or fault */
	CHILD_PARENT_GONE = 8,
};

/*
 * A child's check of its view of the region: the bad bytes into *bad, a
 * fault into rep->fault; returns the status bits: `bad_bit` for corrupt
 * content, CHILD_ERROR for a fault.
 */
static int child_verify(const struct ctx *c, const struct region *rg,
			const char *what, int bad_bit, int64_t *bad,
			struct child_report *rep)
{
	struct vres v = region_verify(c, rg, false, what);
	int status = 0;

	*bad = v.bad_bytes;
	if (v.bad_bytes)
		status |= bad_bit;
	if (v.fault) {
		rep->fault = v.fault;
		status |= CHILD_ERROR;
	}
	return status;
}

/* The child's last word: the report to the parent; the exit status. */
static int child_report_send(int wr, const struct child_report *rep,
			     int status)
{
	if (write_full(wr, rep, sizeof(*rep)) < 0)
		status |= CHILD_PARENT_GONE;
	return status;
}

static int cow_child(const struct ctx *c, struct region *rg, int rd, int wr,
		     int timeout_ms)
{
	struct child_report rep;
	int status = 0, err;
	size_t k = rg->npages / 2 + 1;
	char ch;

	memset(&rep, 0, sizeof(rep));
	/* 1. MADV_PAGEOUT of the range still shared with the parent. */
	err = region_madvise(c, rg, MADV_PAGEOUT);
	rep.madv_err = err;
	if (err)
		status |= CHILD_ERROR;
	rep.swapped_madv = region_nonresident(c, rg);
	ptb_clear_young(getpid());
	if (write_full(wr, "R", 1) < 0)
		return CHILD_PARENT_GONE;
	/* 2. Wait while the parent reclaims the shared folios. */
	if (read_full(rd, &ch, 1, timeout_ms) < 0 || ch != 'G')
		return CHILD_PARENT_GONE;
	rep.swapped_shared = region_nonresident(c, rg);
	status |= child_verify(c, rg, "child verify (shared)",
			       CHILD_BAD_SHARED, &rep.bad1, &rep);
	/* 3. COW one page (probably a swapped-out one) and check our view. */
	rg->gen[k] = 2;
	ptb_fill_page(rg->base + k * c->psz, c->psz, c->seed,
		      page_tag(rg, k, 2));
	status |= child_verify(c, rg, "child verify (after COW)",
			       CHILD_BAD_COW, &rep.bad2, &rep);
	return child_report_send(wr, &rep, status);
}

static void sc_cow_shared(const struct ctx *c, struct ptb_res *r)
{
	int timeout_ms = (int)(c->timeout * 1000 / 2);
	struct child kid = { -1, -1, -1 };
	struct child_report rep;
	struct ptb_memcg mc = { .active = false };
	char why[64] = "";
	struct scen sc;
	bool have_rep = false;
	int64_t swapped_madv, swapped_exit = -1;
	struct vres v;
	int err;

	memset(&rep, 0, sizeof(rep));
	if (ptb_memcg_enter(&mc, why, sizeof(why)) < 0)
		ptb_diag("cow_shared: no memory cgroup for reclaim (%s): only "
			 "MADV_PAGEOUT, which skips shared folios", why);
	ptb_kv_s(&r->extra, "shared_reclaim", mc.active ? "memcg" : "none");
	if (!mc.active)
		ptb_kv_s(&r->extra, "memcg", why);

	if (scen_begin(c, r, &sc, "cow_shared", SC_PAGES) < 0 ||
	    child_start(c, r, &kid, cow_child, &sc.rg, timeout_ms) < 0)
		goto out;

	/* 1. Both MADV_PAGEOUT the shared range (6.12 skips shared folios). */
	err = region_madvise(c, &sc.rg, MADV_PAGEOUT);
	if (err)
		ptb_fail_call(r, "madvise_PAGEOUT", err);
	swapped_madv = region_nonresident(c, &sc.rg);
	{
		char ch;

		if (read_full(kid.rd, &ch, 1, timeout_ms) < 0 || ch != 'R') {
			ptb_set_result(r, PTB_FAIL, "child_not_ready_%s",
				   ptb_errname(errno));
			goto reap;
		}
	}

	/* 2. Reclaim the shared folios through the memory cgroup. */
	ptb_snapshot(&snap_a);
	if (mc.active) {
		struct ctx cm = *c;

		cm.mc = &mc;
		ptb_clear_young(kid.pid);
		err = reclaim_memcg(&cm, &sc.rg);
		if (err)
			ptb_fail_call(r, "memory.reclaim", err);
	}
	ptb_snapshot(&snap_b);
	r->swapped = region_nonresident(c, &sc.rg);
	ptb_kv_cnt(&r->extra, "swpout",
		   ptb_mthp_delta(&snap_a, &snap_b,
				  (unsigned)(c->size / PTB_KIB), MTHP_SWPOUT));
	ptb_kv_cnt(&r->extra, "pswpout",
		   ptb_vm_delta(&snap_a, &snap_b, "pswpout"));
	ptb_kv_cnt(&r->extra, "swpout_zero",
		   ptb_vm_delta(&snap_a, &snap_b, "swpout_zero"));
	if (write_full(kid.wr, "G", 1) < 0) {
		ptb_set_result(r, PTB_FAIL, "child_gone_%s",
			       ptb_errname(errno));
		goto reap;
	}

	/* Both verify the shared pages (concurrent swap-ins). */
	v = region_verify(c, &sc.rg, false, "parent verify (shared)");
	account_verify(r, &v, "parent_shared");
	if (read_full(kid.rd, &rep, sizeof(rep), timeout_ms) == 0)
		have_rep = true;
	else
		ptb_set_result(r, PTB_FAIL, "child_report_%s",
			       ptb_errname(errno));

reap:
	child_reap(r, &kid, timeout_ms);
	if (have_rep) {
		r->bad_bytes += rep.bad1 + rep.bad2;
		ptb_kv_i(&r->extra, "child_bad_bytes", rep.bad1);
		ptb_kv_i(&r->extra, "child_cow_bad_bytes", rep.bad2);
		ptb_kv_i(&r->extra, "swapped_child_madv", rep.swapped_madv);
		ptb_kv_i(&r->extra, "swapped_child", rep.swapped_shared);
	}
	ptb_kv_i(&r->extra, "swapped_madv", swapped_madv);
	if (r->r != PTB_PASS)
		goto out;

	/* 3. The parent's view must not see the child's COW write. */
	v = region_verify(c, &sc.rg, false, "parent verify (after child COW)");
	account_verify(r, &v, "parent_after_cow");

	/* 4. Child gone: mapcount 1 but not exclusive; out and in again. */
	swapped_exit = pageout_counted(c, r, &sc.rg, false, NULL);
	v = region_verify(c, &sc.rg, false, "parent verify (after child exit)");
	account_verify(r, &v, "parent_after_exit");
	ptb_kv_i(&r->extra, "swapped_exit", swapped_exit);
	if (mc.active && r->swapped <= 0)
		ptb_set_result(r, PTB_FAIL, "memcg_reclaim_nothing_swapped");
	expect_swapped(c, r, swapped_exit, "pageout_after_exit");

out:
	child_close(&kid);
	scen_unmap(&sc); /* before scen_free(), unlike scen_end() */
	scen_free(&sc);
	ptb_memcg_leave(&mc);
}

static void sc_partial_unmap(const struct ctx *c, struct ptb_res *r)
{
	/* A 4K hole in every granule: page 3 of every 16 (64K), or page 1
	 * of every 4 (16K folios); 4K folios get the 64K pattern too. */
	size_t gran = c->size >= 64 * PTB_KIB || c->size <= 4 * PTB_KIB ?
			      64 * PTB_KIB : c->size;
	size_t gpages = gran / c->psz, hole = gpages >= 8 ? 3 : 1, i;
	struct scen sc;

	if (scen_begin(c, r, &sc, "partial_unmap", 0) < 0)
		goto out;
	for (i = hole; i < sc.rg.npages; i += gpages) {
		if (munmap(sc.p + i * c->psz, c->psz) != 0) {
			ptb_fail_call(r, "munmap_hole", errno);
			break;
		}
		sc.rg.gen[i] = 0;
	}
	ptb_kv_u(&r->extra, "holes", (uint64_t)(sc.rg.npages -
						region_mapped_pages(&sc.rg)));
	if (r->r == PTB_PASS)
		pageout_verify(c, r, &sc.rg);
out:
	scen_end(&sc);
}

static void sc_mremap_unaligned(const struct ctx *c, struct ptb_res *r)
{
	struct dest d = { NULL, 0 };
	struct scen sc;

	if (scen_begin(c, r, &sc, "mremap_unaligned", 0) == 0 &&
	    scen_move(c, r, &sc, &d, c->psz, 0) == 0) {
		ptb_kv_u(&r->extra, "offset", (uint64_t)c->psz);
		pageout_verify(c, r, &sc.rg);
	}
	scen_end(&sc);
	dest_free(&d);
}

static void sc_mprotect_split(const struct ctx *c, struct ptb_res *r)
{
	/* Second half of every folio read-only (4K folios: of every 64K). */
	size_t unit = c->size <= 4 * PTB_KIB ? 64 * PTB_KIB : c->size, off;
	struct scen sc;

	if (scen_begin(c, r, &sc, "mprotect_split", 0) < 0)
		goto out;
	for (off = 0; off < c->len; off += unit) {
		if (mprotect(sc.p + off + unit / 2, unit / 2, PROT_READ) != 0) {
			ptb_fail_call(r, "mprotect", errno);
			break;
		}
	}
	ptb_kv_u(&r->extra, "vmas", (uint64_t)(c->len / unit * 2));
	if (r->r == PTB_PASS)
		pageout_verify(c, r, &sc.rg);
out:
	scen_end(&sc);
}

static void sc_cross_pmd(const struct ctx *c, struct ptb_res *r)
{
	/* [B - 64K, B + n * 2M + 64K): 64K on the far side of the first and
	 * the last of n + 1 PMD boundaries. */
	size_t n = c->len / PTB_PMD_SIZE - 1, edge = 64 * PTB_KIB;
	size_t len = n * PTB_PMD_SIZE + 2 * edge;
	size_t resv_len = (n + 2) * PTB_PMD_SIZE;
	struct scen sc;
	char *resv, *p;

	resv = ptb_reserve_aligned(resv_len, PTB_PMD_SIZE);
	if (!resv) {
		ptb_set_result(r, PTB_FAIL, "reserve");
		return;
	}
	p = mmap(resv + PTB_PMD_SIZE - edge, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED) {
		ptb_fail_call(r, "mmap_fixed", errno);
		munmap(resv, resv_len);
		return;
	}
	/* Its own mapping (unmapped with resv), and pmd_boundaries= comes
	 * before the fill's counters. */
	if (scen_begin_at(c, r, &sc, "cross_pmd", SC_NO_FILL, p, len) == 0) {
		ptb_kv_u(&r->extra, "pmd_boundaries", (uint64_t)(n + 1));
		fill_counted(c, r, &sc.rg, false);
		pageout_verify(c, r, &sc.rg);
	}
	scen_end(&sc);
	munmap(resv, resv_len);
}

static void sc_madv_free_redirty(const struct ctx *c, struct ptb_res *r)
{
	struct scen sc;
	int64_t first;
	struct vres v;
	int err;

	if (scen_begin(c, r, &sc, "madv_free_redirty", SC_PAGES) < 0)
		goto out;
	if (madvise(sc.p, c->len, MADV_FREE) != 0) {
		ptb_fail_call(r, "madvise_FREE", errno);
		goto out;
	}
	/* Redirty every page with new content: the data must be kept. */
	region_fill(c, &sc.rg, 2, 1);
	/* Reclaim finds the dirty PTEs, must restore them and keep the folio
	 * (swap-backed again): normally nothing leaves memory here. */
	first = pageout_counted(c, r, &sc.rg, false, &err);
	if (err)
		ptb_fail_call(r, "madvise_PAGEOUT", err);
	ptb_kv_i(&r->extra, "swapped_first", first);
	v = region_verify(c, &sc.rg, false, "verify (after first pageout)");
	account_verify(r, &v, "first");
	/* Now an ordinary swap-backed folio: out and back in. */
	pageout_verify(c, r, &sc.rg);
out:
	scen_end(&sc);
}

static void sc_madv_free_untouched(const struct ctx *c, struct ptb_res *r)
{
	struct scen sc;
	struct vres v;

	if (scen_begin(c, r, &sc, "madv_free_untouched", SC_PAGES) < 0)
		goto out;
	if (madvise(sc.p, c->len, MADV_FREE) != 0) {
		ptb_fail_call(r, "madvise_FREE", errno);
		goto out;
	}
	/* Clean lazyfree folios: reclaim may drop them (no swap needed). */
	r->swapped = pageout_counted(c, r, &sc.rg, true, NULL);
	if (r->r != PTB_PASS)
		goto out;
	v = region_verify(c, &sc.rg, true, "verify (old content or zero)");
	account_verify(r, &v, "verify");
	ptb_kv_i(&r->extra, "dropped", v.zero_pages);
	ptb_kv_i(&r->extra, "kept", r->pages - v.zero_pages - v.bad_pages);
	if (r->swapped <= 0)
		ptb_set_result(r, PTB_FAIL, "pageout_nothing_dropped");
out:
	scen_end(&sc);
}

struct probe_arg {
	char *page;
};

static void probe_write_fn(void *p)
{
	volatile char *q = ((struct probe_arg *)p)->page + 8;

	*q = *q; /* same value: content unchanged if the write goes through */
}

/* Pages of [0, n) whose rewrite succeeded (no SIGBUS). */
static int64_t probe_writes(const struct ctx *c, const struct region *rg)
{
	struct probe_arg a;
	int64_t written = 0;
	size_t i;

	for (i = 0; i < rg->npages; i++) {
		a.page = rg->base + i * c->psz;
		if (ptb_guarded(probe_write_fn, &a) == 0)
			written++;
	}
	return written;
}

/*
 * Registers [addr, addr + len) in WP mode (*registered is then true) and
 * write-protects it.  0, or -1 with the result set: skip
 * "uffd_wp_unsupported" / "no_UFFDIO_WRITEPROTECT" on a kernel without
 * anonymous uffd-wp.
 */
static int uffd_protect(struct ptb_res *r, int uffd, void *addr, size_t len,
			bool *registered)
{
	struct uffdio_register reg;

	memset(&reg, 0, sizeof(reg));
	reg.range.start = (uintptr_t)addr;
	reg.range.len = len;
	reg.mode = UFFDIO_REGISTER_MODE_WP;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg) != 0) {
		int e = errno;

		if (e == EINVAL) {
			ptb_diag("UFFDIO_REGISTER_MODE_WP: %s: skipped (kernel "
				 "without anonymous uffd-wp)", strerror(e));
			ptb_set_result(r, PTB_SKIP, "uffd_wp_unsupported");
		} else {
			ptb_fail_call(r, "UFFDIO_REGISTER", e);
		}
		return -1;
	}
	*registered = true;
	if (!(reg.ioctls & (1ULL << _UFFDIO_WRITEPROTECT))) {
		ptb_set_result(r, PTB_SKIP, "no_UFFDIO_WRITEPROTECT");
		return -1;
	}
	if (ptb_uffd_set_wp(uffd, addr, len, true) != 0) {
		ptb_fail_call(r, "UFFDIO_WRITEPROTECT", errno);
		return -1;
	}
	return 0;
}

static void uffd_unregister(struct ptb_res *r, int uffd, void *addr, size_t len)
{
	struct uffdio_range range = { .start = (uintptr_t)addr, .len = len };

	if (ioctl(uffd, UFFDIO_UNREGISTER, &range) != 0)
		ptb_fail_call(r, "UFFDIO_UNREGISTER", errno);
}

/*
 * The prologue of the uffd-wp scenarios: a userfaultfd (ptb_uffd_open()), the
 * scenario's memory (scen_begin(), with a pagemap buffer), registered and
 * write-protected (uffd_protect()).  The userfaultfd, or -1 with the result
 * set; uffd_scen_end() releases whatever was set up, either way.
 */
static int uffd_scen_begin(const struct ctx *c, struct ptb_res *r,
			   struct scen *s, const char *name, int *uffd,
			   bool *registered, bool shmem)
{
	/* SIGBUS: no fault ever blocks; no EVENT_REMAP. */
	uint64_t features = UFFD_FEATURE_SIGBUS;

	if (shmem)
		features |= UFFD_FEATURE_WP_HUGETLBFS_SHMEM;
	memset(s, 0, sizeof(*s));
	*registered = false;
	*uffd = ptb_uffd_open(r, features);
	if (*uffd < 0 ||
	    scen_begin(c, r, s, name,
		       SC_PAGES | SC_PAGEMAP | (shmem ? SC_SHMEM : 0)) < 0 ||
	    uffd_protect(r, *uffd, s->p, c->len, registered) < 0)
		return -1;
	return *uffd;
}

static void uffd_scen_end(const struct ctx *c, struct ptb_res *r,
			  struct scen *s, int uffd, bool registered)
{
	if (registered)
		uffd_unregister(r, uffd, s->p, c->len);
	if (uffd >= 0)
		close(uffd);
	scen_end(s);
}

/*
 * The end of the uffd-wp scenarios: unprotect the whole range; every write
 * must then go through and the content be unchanged.  -1 (result set) if
 * the unprotect itself fails.
 */
static int uffd_unprotect_check(const struct ctx *c, struct ptb_res *r,
				struct scen *s, int uffd)
{
	struct vres v;

	if (ptb_uffd_set_wp(uffd, s->p, c->len, false) != 0) {
		ptb_fail_call(r, "UFFDIO_WRITEPROTECT_off", errno);
		return -1;
	}
	if (probe_writes(c, &s->rg) != (int64_t)s->npages)
		ptb_set_result(r, PTB_FAIL, "writes_fault_after_unprotect");
	v = region_verify(c, &s->rg, false, "verify (unprotected)");
	account_verify(r, &v, "unprotected");
	return 0;
}

static void sc_uffd_wp(const struct ctx *c, struct ptb_res *r)
{
	struct scen sc;
	bool registered;
	int64_t wp_before = 0, sw = 0, sw_wp = 0, lost_after = 0, written;
	struct vres v;
	size_t i;
	int uffd;

	if (uffd_scen_begin(c, r, &sc, "uffd_wp", &uffd, &registered,
			    false) < 0)
		goto out;
	if (ptb_read_pagemap(sc.p, sc.npages, sc.pm) == 0) {
		wp_before = pm_count(sc.pm, sc.npages, PM_UFFD_WP);
	} else {
		ptb_diag("pagemap: %s (uffd-wp bits not checked)",
			 strerror(errno));
		free(sc.pm);
		sc.pm = NULL;
	}

	r->swapped = pageout_counted(c, r, &sc.rg, true, NULL);
	if (r->r != PTB_PASS)
		goto out;
	/* The swap PTEs must carry the uffd-wp bit. */
	if (sc.pm && ptb_read_pagemap(sc.p, sc.npages, sc.pm) == 0) {
		for (i = 0; i < sc.npages; i++) {
			if (!(sc.pm[i] & PM_SWAP))
				continue;
			sw++;
			sw_wp += (sc.pm[i] & PM_UFFD_WP) != 0;
		}
	}
	/* Reads swap in; they must not fault to user space. */
	v = region_verify(c, &sc.rg, false, "verify (write-protected)");
	account_verify(r, &v, "read");
	/* ... and the swapped-in PTEs are still write-protected. */
	if (sc.pm && ptb_read_pagemap(sc.p, sc.npages, sc.pm) == 0)
		lost_after = sc.npages - pm_count(sc.pm, sc.npages, PM_UFFD_WP);
	written = probe_writes(c, &sc.rg);
	if (sc.pm) {
		ptb_kv_i(&r->extra, "wp_before", wp_before);
		ptb_kv_i(&r->extra, "swap_ptes", sw);
		ptb_kv_i(&r->extra, "swap_ptes_wp", sw_wp);
		ptb_kv_i(&r->extra, "wp_lost_after_read", lost_after);
		if (wp_before != (int64_t)sc.npages)
			ptb_set_result(r, PTB_FAIL, "wp_not_applied");
		else if (sw_wp != sw)
			ptb_set_result(r, PTB_FAIL, "swap_pte_lost_uffd_wp");
		else if (lost_after)
			ptb_set_result(r, PTB_FAIL,
				       "uffd_wp_lost_after_swapin");
	} else {
		ptb_kv_s(&r->extra, "swap_ptes", "na");
	}
	ptb_kv_i(&r->extra, "unprotected_writes", written);
	if (written)
		ptb_set_result(r, PTB_FAIL, "writes_not_trapped");

	if (uffd_unprotect_check(c, r, &sc, uffd) < 0)
		goto out;
	expect_swapped(c, r, r->swapped, "pageout");
out:
	uffd_scen_end(c, r, &sc, uffd, registered);
}

/*
 * shmem: large shmem folios (MAP_SHARED anonymous memory) are file folios to
 * try_to_unmap_one(), unmapped in batches before shmem writes them to swap.
 * Content after reclaim and re-fault; then every other page rewritten and
 * the whole range reclaimed again: dirty pages must be written back, not
 * dropped, and clean ones (already in swap) come back as they were.
 */
static void sc_shmem(const struct ctx *c, struct ptb_res *r)
{
	struct scen sc;
	int64_t again;
	struct vres v;

	if (scen_begin(c, r, &sc, "shmem", SC_PAGES | SC_SHMEM) < 0)
		goto out;
	r->swapped = pageout_counted(c, r, &sc.rg, true, NULL);
	if (r->r != PTB_PASS)
		goto out;
	verify_counted(c, r, &sc.rg);
	expect_swapped(c, r, r->swapped, "pageout");
	if (r->r != PTB_PASS)
		goto out;

	region_fill(c, &sc.rg, 2, 2);
	again = pageout_counted(c, r, &sc.rg, false, NULL);
	if (r->r != PTB_PASS)
		goto out;
	ptb_kv_i(&r->extra, "swapped_again", again);
	v = region_verify(c, &sc.rg, false, "verify (half rewritten)");
	account_verify(r, &v, "rewritten");
	expect_swapped(c, r, again, "pageout_again");
out:
	scen_end(&sc);
}

/*
 * shmem_uffd_wp: a uffd-wp protected shmem range.  Unmapping its pages
 * leaves a uffd-wp marker in every PTE (a batch must arm one per page), so
 * after MADV_PAGEOUT every page that left memory still reads as
 * write-protected in pagemap, reads fault the pages back without a
 * userfault, and every write is trapped until the range is unprotected.
 */
static void sc_shmem_uffd_wp(const struct ctx *c, struct ptb_res *r)
{
	int64_t wp_before, out_pages = 0, out_wp = 0, lost_after = 0, written;
	struct scen sc;
	bool registered;
	struct vres v;
	size_t i;
	int uffd;

	if (uffd_scen_begin(c, r, &sc, "shmem_uffd_wp", &uffd, &registered,
			    true) < 0)
		goto out;
	wp_before = pm_read_count(r, &sc, PM_UFFD_WP);
	if (wp_before < 0)
		goto out;
	r->swapped = pageout_counted(c, r, &sc.rg, true, NULL);
	if (r->r != PTB_PASS)
		goto out;
	/* Every page that left memory has a uffd-wp marker in its PTE. */
	if (ptb_read_pagemap(sc.p, sc.npages, sc.pm) != 0) {
		ptb_fail_call(r, "pagemap", errno);
		goto out;
	}
	for (i = 0; i < sc.npages; i++) {
		if (sc.pm[i] & PM_PRESENT)
			continue;
		out_pages++;
		out_wp += (sc.pm[i] & (PM_SWAP | PM_UFFD_WP)) ==
			  (PM_SWAP | PM_UFFD_WP);
	}
	v = region_verify(c, &sc.rg, false, "verify (write-protected)");
	account_verify(r, &v, "read");
	if (ptb_read_pagemap(sc.p, sc.npages, sc.pm) == 0)
		lost_after = sc.npages - pm_count(sc.pm, sc.npages, PM_UFFD_WP);
	written = probe_writes(c, &sc.rg);
	ptb_kv_i(&r->extra, "wp_before", wp_before);
	ptb_kv_i(&r->extra, "unmapped", out_pages);
	ptb_kv_i(&r->extra, "markers", out_wp);
	ptb_kv_i(&r->extra, "wp_lost_after_read", lost_after);
	ptb_kv_i(&r->extra, "unprotected_writes", written);
	if (wp_before != (int64_t)sc.npages)
		ptb_set_result(r, PTB_FAIL, "wp_not_applied");
	else if (out_wp != out_pages)
		ptb_set_result(r, PTB_FAIL, "marker_lost");
	else if (lost_after)
		ptb_set_result(r, PTB_FAIL, "uffd_wp_lost_after_read");
	else if (written)
		ptb_set_result(r, PTB_FAIL, "writes_not_trapped");

	if (uffd_unprotect_check(c, r, &sc, uffd) < 0)
		goto out;
	expect_swapped(c, r, out_pages, "pageout");
out:
	uffd_scen_end(c, r, &sc, uffd, registered);
}

static void sc_mlocked(const struct ctx *c, struct ptb_res *r)
{
	struct scen sc;
	int64_t res;
	struct vres v;
	int err;

	if (scen_begin(c, r, &sc, "mlocked", SC_PAGES) < 0)
		goto out;
	if (mlock(sc.p, c->len) != 0) {
		err = errno;
		ptb_diag("mlock: %s: skipped", strerror(err));
		ptb_set_result(r, PTB_SKIP, "mlock_%s", ptb_errname(err));
		goto out;
	}
	res = ptb_resident_pages(sc.p, c->len);
	ptb_kv_i(&r->extra, "resident_locked", res);
	/* 6.12 refuses MADV_PAGEOUT on VM_LOCKED with EINVAL; either way
	 * nothing may leave memory. */
	r->swapped = pageout_counted(c, r, &sc.rg, true, &err);
	v = region_verify(c, &sc.rg, false, "verify (mlocked)");
	account_verify(r, &v, "verify");
	if (r->swapped != 0)
		ptb_set_result(r, PTB_FAIL, "mlocked_pages_swapped");
	if (munlock(sc.p, c->len) != 0)
		ptb_fail_call(r, "munlock", errno);
out:
	scen_end(&sc);
}

/*
 * `pm` is the pagemap entry of a page written since the last clear_refs:
 * a kernel without CONFIG_MEM_SOFT_DIRTY (arm64) never sets bit 55, and
 * the scenario is skipped (false).
 */
static bool soft_dirty_supported(struct ptb_res *r, uint64_t pm,
				 const char *scenario)
{
	if (pm & PM_SOFT_DIRTY)
		return true;
	ptb_diag("%s: a written page is not soft-dirty: kernel without "
		 "CONFIG_MEM_SOFT_DIRTY; skipped", scenario);
	ptb_set_result(r, PTB_SKIP, "soft_dirty_unsupported");
	return false;
}

static void sc_soft_dirty(const struct ctx *c, struct ptb_res *r)
{
	int64_t sd_lost = 0, sd_extra = 0, sw = 0, lost_after = 0;
	struct scen sc;
	size_t i;

	if (scen_begin(c, r, &sc, "soft_dirty", SC_PAGES | SC_PAGEMAP) < 0)
		goto out;
	if (ptb_write_file("/proc/self/clear_refs", "4") < 0) {
		ptb_set_result(r, PTB_SKIP, "clear_refs_%s",
			       ptb_errname(errno));
		goto out;
	}
	/* Dirty every other page again: only those must be soft-dirty. */
	region_fill(c, &sc.rg, 2, 2);
	if (ptb_read_pagemap(sc.p, sc.npages, sc.pm) < 0) {
		ptb_set_result(r, PTB_SKIP, "pagemap_%s", ptb_errname(errno));
		goto out;
	}
	if (!soft_dirty_supported(r, sc.pm[0], "soft_dirty"))
		goto out;
	r->swapped = pageout_counted(c, r, &sc.rg, true, NULL);
	if (r->r != PTB_PASS)
		goto out;
	if (ptb_read_pagemap(sc.p, sc.npages, sc.pm) < 0) {
		ptb_fail_call(r, "pagemap", errno);
		goto out;
	}
	for (i = 0; i < sc.npages; i++) {
		bool written = sc.rg.gen[i] == 2, sd = sc.pm[i] & PM_SOFT_DIRTY;

		if (!(sc.pm[i] & PM_SWAP))
			continue;
		sw++;
		sd_lost += written && !sd;
		sd_extra += !written && sd;
	}
	{
		struct vres v = region_verify(c, &sc.rg, false, "verify");

		account_verify(r, &v, "verify");
	}
	if (ptb_read_pagemap(sc.p, sc.npages, sc.pm) == 0)
		for (i = 0; i < sc.npages; i++)
			lost_after += sc.rg.gen[i] == 2 &&
				      !(sc.pm[i] & PM_SOFT_DIRTY);
	ptb_kv_i(&r->extra, "swap_ptes", sw);
	ptb_kv_i(&r->extra, "sd_lost", sd_lost);
	ptb_kv_i(&r->extra, "sd_extra", sd_extra);
	ptb_kv_i(&r->extra, "sd_lost_after_read", lost_after);
	if (sd_lost)
		ptb_set_result(r, PTB_FAIL, "swap_pte_lost_soft_dirty");
	else if (lost_after)
		ptb_set_result(r, PTB_FAIL, "soft_dirty_lost_after_swapin");
	expect_swapped(c, r, r->swapped, "pageout");
out:
	scen_end(&sc);
}

/* -- the mremap scenarios: move_ptes() of large folios, in batches -- */

/*
 * Fill, move the region twice and check it after each move: first to the
 * same offset in a PMD (offset 0 of a 2M-aligned reservation: the kernel
 * moves whole page tables, PMD-mapped THPs as PMDs), then by half a PMD
 * (move_ptes(): PTEs of every folio, in batches; 2M folios are split to
 * PTE mappings first).  Every page present and intact after each move, the
 * old range unmapped; then swap the moved folios out and in.
 */
static void sc_mremap_move(const struct ctx *c, struct ptb_res *r)
{
	struct dest d[2] = { { NULL, 0 }, { NULL, 0 } };
	int64_t present[2] = { -1, -1 };
	bool old_unmapped = true;
	struct scen sc;
	struct vres v;
	int i;

	if (scen_begin(c, r, &sc, "mremap_move", SC_PAGES | SC_PAGEMAP) < 0)
		goto out;
	for (i = 0; i < 2; i++) {
		char *old = sc.rg.base;

		if (scen_move(c, r, &sc, &d[i], i ? MOVE_OFFSET : 0, 0) < 0)
			goto out;
		old_unmapped &= range_unmapped(old, c->len);
		present[i] = pm_read_count(r, &sc, PM_PRESENT);
		v = region_verify(c, &sc.rg, false,
				  i ? "verify (after the PTE move)" :
				      "verify (after the page-table move)");
		account_verify(r, &v, "move");
	}
	ptb_kv_u(&r->extra, "moves", 2);
	ptb_kv_u(&r->extra, "moved", (uint64_t)sc.npages);
	ptb_kv_u(&r->extra, "offset", (uint64_t)MOVE_OFFSET);
	ptb_kv_i(&r->extra, "present_aligned", present[0]);
	ptb_kv_i(&r->extra, "present_offset", present[1]);
	ptb_kv_i(&r->extra, "old_unmapped", old_unmapped);
	if (!old_unmapped)
		ptb_set_result(r, PTB_FAIL, "old_range_mapped");
	if (present[0] != (int64_t)sc.npages ||
	    present[1] != (int64_t)sc.npages)
		ptb_set_result(r, PTB_FAIL, "not_present_after_move");
	if (r->r == PTB_PASS)
		pageout_verify(c, r, &sc.rg);
out:
	scen_end(&sc);
	dest_free(&d[0]);
	dest_free(&d[1]);
}

/*
 * Fill, page the first half out, move the whole region one base page off
 * its alignment: swap entries (moved one at a time) and present PTEs of
 * large folios (in batches) in one move, folios split across page tables.
 * No page may change between present and swapped; reading everything back
 * swaps the moved swap entries in.
 */
static void sc_mremap_swapped(const struct ctx *c, struct ptb_res *r)
{
	const uint64_t state = PM_PRESENT | PM_SWAP;
	struct dest d = { NULL, 0 };
	int64_t sw = 0, present = 0, changed = 0;
	uint64_t *before = NULL;
	struct region half;
	struct scen sc;
	size_t i, h;

	if (scen_begin(c, r, &sc, "mremap_swapped", SC_PAGES | SC_PAGEMAP) < 0)
		goto out;
	h = sc.npages / 2;
	half = sc.rg;
	half.npages = h;
	r->swapped = pageout_counted(c, r, &half, true, NULL);
	expect_swapped(c, r, r->swapped, "pageout");
	before = malloc(sc.npages * sizeof(*before));
	if (!before) {
		ptb_set_result(r, PTB_FAIL, "malloc");
		goto out;
	}
	if (ptb_read_pagemap(sc.p, sc.npages, before) < 0) {
		ptb_fail_call(r, "pagemap", errno);
		goto out;
	}
	if (scen_move(c, r, &sc, &d, c->psz, 0) < 0 ||
	    pm_read_count(r, &sc, PM_PRESENT) < 0)
		goto out;
	for (i = 0; i < sc.npages; i++) {
		changed += (before[i] & state) != (sc.pm[i] & state);
		if (i < h)
			sw += (sc.pm[i] & PM_SWAP) != 0;
		else
			present += (sc.pm[i] & PM_PRESENT) != 0;
	}
	ptb_kv_u(&r->extra, "moved", (uint64_t)sc.npages);
	ptb_kv_u(&r->extra, "offset", (uint64_t)c->psz);
	ptb_kv_i(&r->extra, "swap_ptes", sw);
	ptb_kv_i(&r->extra, "present_second_half", present);
	ptb_kv_i(&r->extra, "state_changed", changed);
	if (changed)
		ptb_set_result(r, PTB_FAIL, "move_changed_pte_state");
	if (present != (int64_t)(sc.npages - h))
		ptb_set_result(r, PTB_FAIL, "not_present_after_move");
	verify_counted(c, r, &sc.rg);
out:
	free(before);
	scen_end(&sc);
	dest_free(&d);
}

/* mremap_cow's child: keeps the original mapping, waits until the parent
 * has moved and rewritten its copy, then checks generation 1. */
static int mremap_cow_child(const struct ctx *c, struct region *rg, int rd,
			    int wr, int timeout_ms)
{
	struct child_report rep;
	char ch;

	memset(&rep, 0, sizeof(rep));
	if (read_full(rd, &ch, 1, timeout_ms) < 0 || ch != 'G')
		return CHILD_PARENT_GONE;
	return child_report_send(
		wr, &rep,
		child_verify(c, rg, "child verify (old address)",
			     CHILD_BAD_SHARED, &rep.bad1, &rep));
}

/*
 * Fill, fork: the parent moves its mapping of the COW-shared folios
 * (read-only PTEs, mapcount 2) by half a PMD, checks generation 1 there,
 * writes generation 2 into every page (COW of each) and checks it; then
 * the child checks that its view, at the old address, is still
 * generation 1.
 */
static void sc_mremap_cow(const struct ctx *c, struct ptb_res *r)
{
	int timeout_ms = (int)(c->timeout * 1000 / 2);
	struct child kid = { -1, -1, -1 };
	struct dest d = { NULL, 0 };
	struct child_report rep;
	bool have_rep = false;
	int64_t present;
	struct scen sc;
	struct vres v;

	if (scen_begin(c, r, &sc, "mremap_cow", SC_PAGES | SC_PAGEMAP) < 0 ||
	    child_start(c, r, &kid, mremap_cow_child, &sc.rg, timeout_ms) < 0)
		goto out;
	if (scen_move(c, r, &sc, &d, MOVE_OFFSET, 0) == 0) {
		present = pm_read_count(r, &sc, PM_PRESENT);
		ptb_kv_u(&r->extra, "moved", (uint64_t)sc.npages);
		ptb_kv_u(&r->extra, "offset", (uint64_t)MOVE_OFFSET);
		ptb_kv_i(&r->extra, "present_after_move", present);
		if (present >= 0 && present != (int64_t)sc.npages)
			ptb_set_result(r, PTB_FAIL, "not_present_after_move");
		v = region_verify(c, &sc.rg, false, "verify (moved, shared)");
		account_verify(r, &v, "moved");
		region_fill(c, &sc.rg, 2, 1);
		v = region_verify(c, &sc.rg, false, "verify (after COW)");
		account_verify(r, &v, "cow");
	}
	/* The child checks its view even when the move failed. */
	if (write_full(kid.wr, "G", 1) < 0)
		ptb_set_result(r, PTB_FAIL, "child_gone_%s",
			       ptb_errname(errno));
	else if (read_full(kid.rd, &rep, sizeof(rep), timeout_ms) == 0)
		have_rep = true;
	else
		ptb_set_result(r, PTB_FAIL, "child_report_%s",
			       ptb_errname(errno));
	child_reap(r, &kid, timeout_ms);
	if (have_rep) {
		r->bad_bytes += rep.bad1;
		ptb_kv_i(&r->extra, "child_bad_bytes", rep.bad1);
	}
out:
	child_close(&kid);
	scen_end(&sc);
	dest_free(&d);
}

/*
 * A range registered for uffd-wp without UFFD_FEATURE_EVENT_REMAP, every
 * page write-protected, moved by half a PMD: the new VMA is not registered,
 * so the kernel must clear the uffd-wp bit of every moved PTE (pagemap bit
 * 57); the content is intact and writes go through.
 */
static void sc_mremap_uffd_wp(const struct ctx *c, struct ptb_res *r)
{
	int64_t wp_before = -1, present = -1, wp_after = -1, written;
	struct dest d = { NULL, 0 };
	bool registered;
	struct scen sc;
	struct vres v;
	int uffd;

	if (uffd_scen_begin(c, r, &sc, "mremap_uffd_wp", &uffd,
			    &registered, false) < 0)
		goto out;
	wp_before = pm_read_count(r, &sc, PM_UFFD_WP);
	if (wp_before < 0)
		goto out;
	ptb_kv_i(&r->extra, "wp_before", wp_before);
	if (wp_before != (int64_t)sc.npages) {
		ptb_set_result(r, PTB_FAIL, "wp_not_applied");
		goto out;
	}
	if (scen_move(c, r, &sc, &d, MOVE_OFFSET, 0) < 0)
		goto out;
	registered = false; /* the old range is gone, the new one is not */
	present = pm_read_count(r, &sc, PM_PRESENT);
	if (present >= 0)
		wp_after = pm_count(sc.pm, sc.npages, PM_UFFD_WP);
	v = region_verify(c, &sc.rg, false, "verify (after the move)");
	account_verify(r, &v, "move");
	written = probe_writes(c, &sc.rg);
	ptb_kv_u(&r->extra, "moved", (uint64_t)sc.npages);
	ptb_kv_u(&r->extra, "offset", (uint64_t)MOVE_OFFSET);
	ptb_kv_i(&r->extra, "present_after_move", present);
	ptb_kv_i(&r->extra, "wp_after_move", wp_after);
	ptb_kv_i(&r->extra, "writes_after_move", written);
	if (present >= 0 && present != (int64_t)sc.npages)
		ptb_set_result(r, PTB_FAIL, "not_present_after_move");
	if (wp_after > 0)
		ptb_set_result(r, PTB_FAIL, "uffd_wp_kept_after_move");
	if (written != (int64_t)sc.npages)
		ptb_set_result(r, PTB_FAIL, "writes_fault_after_move");
out:
	uffd_scen_end(c, r, &sc, uffd, registered);
	dest_free(&d);
}

/*
 * Soft-dirty cleared on every page (clear_refs 4), the region moved by
 * half a PMD: every moved PTE must be soft-dirty (pagemap bit 55), the
 * content intact.
 */
static void sc_mremap_soft_dirty(const struct ctx *c, struct ptb_res *r)
{
	int64_t sd_before, present, sd_after;
	struct dest d = { NULL, 0 };
	struct scen sc;
	struct vres v;

	if (scen_begin(c, r, &sc, "mremap_soft_dirty",
		       SC_PAGES | SC_PAGEMAP) < 0)
		goto out;
	/* Just written: soft-dirty, where the kernel tracks it. */
	if (ptb_read_pagemap(sc.p, sc.npages, sc.pm) < 0) {
		ptb_set_result(r, PTB_SKIP, "pagemap_%s", ptb_errname(errno));
		goto out;
	}
	if (!soft_dirty_supported(r, sc.pm[0], "mremap_soft_dirty"))
		goto out;
	if (ptb_write_file("/proc/self/clear_refs", "4") < 0) {
		ptb_set_result(r, PTB_SKIP, "clear_refs_%s",
			       ptb_errname(errno));
		goto out;
	}
	sd_before = pm_read_count(r, &sc, PM_SOFT_DIRTY);
	if (sd_before < 0)
		goto out;
	ptb_kv_i(&r->extra, "sd_before", sd_before);
	if (sd_before) {
		ptb_set_result(r, PTB_FAIL, "soft_dirty_not_cleared");
		goto out;
	}
	if (scen_move(c, r, &sc, &d, MOVE_OFFSET, 0) < 0)
		goto out;
	present = pm_read_count(r, &sc, PM_PRESENT);
	if (present < 0)
		goto out;
	sd_after = pm_count(sc.pm, sc.npages, PM_PRESENT | PM_SOFT_DIRTY);
	v = region_verify(c, &sc.rg, false, "verify (after the move)");
	account_verify(r, &v, "move");
	ptb_kv_u(&r->extra, "moved", (uint64_t)sc.npages);
	ptb_kv_u(&r->extra, "offset", (uint64_t)MOVE_OFFSET);
	ptb_kv_i(&r->extra, "present_after_move", present);
	ptb_kv_i(&r->extra, "sd_after_move", sd_after);
	ptb_kv_i(&r->extra, "sd_missing", present - sd_after);
	if (present != (int64_t)sc.npages)
		ptb_set_result(r, PTB_FAIL, "not_present_after_move");
	if (present != sd_after)
		ptb_set_result(r, PTB_FAIL, "moved_pte_not_soft_dirty");
out:
	scen_end(&sc);
	dest_free(&d);
}

/*
 * MREMAP_DONTUNMAP by half a PMD: the new range holds generation 1, the
 * old one stays mapped, emptied: every page reads as zeroes.
 */
static void sc_mremap_dontunmap(const struct ctx *c, struct ptb_res *r)
{
	struct dest d = { NULL, 0 };
	struct region old;
	int64_t present;
	bool old_mapped;
	struct scen sc;
	struct vres v;

	if (scen_begin(c, r, &sc, "mremap_dontunmap",
		       SC_PAGES | SC_PAGEMAP) < 0 ||
	    scen_move(c, r, &sc, &d, MOVE_OFFSET, MREMAP_DONTUNMAP) < 0)
		goto out;
	present = pm_read_count(r, &sc, PM_PRESENT);
	v = region_verify(c, &sc.rg, false, "verify (new range)");
	account_verify(r, &v, "move");
	old_mapped = !range_unmapped(sc.p, c->len);
	ptb_kv_u(&r->extra, "moved", (uint64_t)sc.npages);
	ptb_kv_u(&r->extra, "offset", (uint64_t)MOVE_OFFSET);
	ptb_kv_i(&r->extra, "present_after_move", present);
	ptb_kv_i(&r->extra, "old_mapped", old_mapped);
	if (present >= 0 && present != (int64_t)sc.npages)
		ptb_set_result(r, PTB_FAIL, "not_present_after_move");
	if (!old_mapped) {
		ptb_set_result(r, PTB_FAIL, "old_range_unmapped");
		sc.unmap_len = 0;
		goto out;
	}
	/* Nothing of generation 1 may be left behind: zero pages only. */
	old = sc.rg;
	old.base = sc.p;
	v = region_verify(c, &old, true, "verify (old range: zeroes)");
	account_verify(r, &v, "old");
	ptb_kv_i(&r->extra, "old_zero", v.zero_pages);
	if (v.zero_pages != (int64_t)sc.npages)
		ptb_set_result(r, PTB_FAIL, "old_range_not_zero");
out:
	scen_end(&sc);
	dest_free(&d);
}

/*
 * The same scenario with reclaim through a memory cgroup of our own instead
 * of MADV_PAGEOUT; skipped when there is none (CONFIG_MEMCG, a cgroup2
 * mount with the memory controller).
 */
static void with_memcg(const struct ctx *c, struct ptb_res *r,
		       void (*fn)(const struct ctx *, struct ptb_res *))
{
	struct ptb_memcg mc = { .active = false };
	struct ctx cm = *c;
	char why[64] = "";

	if (ptb_memcg_enter(&mc, why, sizeof(why)) < 0) {
		ptb_diag("no memory cgroup for reclaim (%s): skipped", why);
		ptb_set_result(r, PTB_SKIP, "memcg_%s", why);
		return;
	}
	cm.mc = &mc;
	fn(&cm, r);
	ptb_memcg_leave(&mc);
}

/*
 * erofs: the page-cache folios of a clean file (PTB_EROFS_FILE, read in
 * folios of the size) are file folios to try_to_unmap_one() that need no
 * writeback: MADV_PAGEOUT unmaps them and drops them from the page cache,
 * every page of the range, and each then reads back from the file word
 * for word. Skipped without the image (ptb-init moves it from the
 * initramfs to PTB_EROFS_IMAGE: a mount that failed fails the scenario).
 */
static void sc_erofs(const struct ctx *c, struct ptb_res *r)
{
	size_t n = c->len / c->psz, i, j, words = c->psz / sizeof(uint64_t);
	int64_t before, after;
	struct ptb_faults f;
	char *p;

	if (access(PTB_EROFS_IMAGE, F_OK) != 0) {
		ptb_set_result(r, PTB_SKIP, "no_erofs_image");
		return;
	}
	p = ptb_map_erofs(c->len, PTB_PMD_SIZE, c->size);
	if (!p) {
		ptb_set_result(r, PTB_FAIL, "erofs_map");
		return;
	}
	r->pages = (int64_t)n;
	if (ptb_file_folio_check(p, c->len, c->size, "erofs", &f) < 0) {
		ptb_set_result(r, PTB_FAIL, "erofs_folios");
		goto out;
	}
	ptb_kv_faults(&r->extra, &f);
	if (strcmp(f.ok, "1") != 0)
		ptb_set_result(r, PTB_FAIL, "erofs_not_%s_folios", c->size_name);
	before = ptb_resident_pages(p, c->len);
	if (madvise(p, c->len, MADV_PAGEOUT) != 0)
		ptb_fail_call(r, "madvise_PAGEOUT", errno);
	after = ptb_resident_pages(p, c->len);
	if (before < 0 || after < 0) {
		ptb_set_result(r, PTB_FAIL, "mincore");
		goto out;
	}
	r->swapped = before - after;
	ptb_kv_i(&r->extra, "resident_after", after);
	if (after != 0)
		ptb_set_result(r, PTB_FAIL, "erofs_pages_not_dropped");
	for (i = 0; i < n; i++) {
		const uint64_t *w = (const uint64_t *)(p + i * c->psz);
		int64_t bad = 0;

		for (j = 0; j < words; j++)
			bad += w[j] != ptb_erofs_word(i * c->psz + j * sizeof(*w));
		if (bad) {
			r->bad_pages++;
			r->bad_bytes += bad * (int64_t)sizeof(*w);
		}
	}
	if (r->bad_pages)
		ptb_set_result(r, PTB_FAIL, "erofs_content");
out:
	munmap(p, c->len);
}

static void sc_private_memcg(const struct ctx *c, struct ptb_res *r)
{
	with_memcg(c, r, sc_private);
}

static void sc_shmem_memcg(const struct ctx *c, struct ptb_res *r)
{
	with_memcg(c, r, sc_shmem);
}

static void sc_partial_unmap_memcg(const struct ctx *c, struct ptb_res *r)
{
	with_memcg(c, r, sc_partial_unmap);
}

static void sc_mremap_unaligned_memcg(const struct ctx *c, struct ptb_res *r)
{
	with_memcg(c, r, sc_mremap_unaligned);
}

static void sc_mprotect_split_memcg(const struct ctx *c, struct ptb_res *r)
{
	with_memcg(c, r, sc_mprotect_split);
}

/* ---- driver ---------------------------------------------------------------- */

static const struct scenario {
	const char *name;
	void (*fn)(const struct ctx *, struct ptb_res *);
	const char *what;
} scenarios[] = {
	{ "private", sc_private, "plain exclusive private anonymous memory" },
	{ "cow_shared", sc_cow_shared,
	  "fork-shared folios (mapcount > 1) out via MADV_PAGEOUT and "
	  "memcg reclaim, COW after swap-in" },
	{ "partial_unmap", sc_partial_unmap,
	  "a 4K hole munmapped inside every large folio" },
	{ "mremap_unaligned", sc_mremap_unaligned,
	  "region mremapped to a 4K-offset address" },
	{ "mprotect_split", sc_mprotect_split,
	  "second half of every folio read-only (VMA split inside folios)" },
	{ "cross_pmd", sc_cross_pmd,
	  "region from 64K before a 2M boundary to 64K after another" },
	{ "madv_free_redirty", sc_madv_free_redirty,
	  "MADV_FREE, then every page rewritten, then pageout" },
	{ "madv_free_untouched", sc_madv_free_untouched,
	  "MADV_FREE then pageout: old content or zero" },
	{ "uffd_wp", sc_uffd_wp,
	  "userfaultfd write-protected range: wp bit kept in swap PTEs" },
	{ "mlocked", sc_mlocked, "mlocked range: nothing may leave memory" },
	{ "soft_dirty", sc_soft_dirty,
	  "soft-dirty bits kept per page in swap PTEs (x86)" },
	{ "private_memcg", sc_private_memcg,
	  "private, reclaimed by memory.reclaim of a cgroup" },
	{ "partial_unmap_memcg", sc_partial_unmap_memcg,
	  "partial_unmap, reclaimed by memory.reclaim (no madvise split)" },
	{ "mremap_unaligned_memcg", sc_mremap_unaligned_memcg,
	  "mremap_unaligned, reclaimed by memory.reclaim: folios across PMDs" },
	{ "mprotect_split_memcg", sc_mprotect_split_memcg,
	  "mprotect_split, reclaimed by memory.reclaim: folios across VMAs" },
	{ "shmem", sc_shmem,
	  "shmem (file) folios out and back; half rewritten, out again" },
	{ "shmem_uffd_wp", sc_shmem_uffd_wp,
	  "uffd-wp protected shmem: a marker in every unmapped PTE" },
	{ "shmem_memcg", sc_shmem_memcg,
	  "shmem, reclaimed by memory.reclaim of a cgroup" },
	{ "erofs", sc_erofs,
	  "clean file folios (EROFS) dropped by pageout, read back" },
	{ "mremap_move", sc_mremap_move,
	  "region mremapped PMD-aligned, then by half a PMD; then pageout" },
	{ "mremap_swapped", sc_mremap_swapped,
	  "half swapped out, mremapped 4K off: swap and present PTEs move" },
	{ "mremap_cow", sc_mremap_cow,
	  "fork-shared (read-only) PTEs mremapped, then COW; child unchanged" },
	{ "mremap_uffd_wp", sc_mremap_uffd_wp,
	  "uffd-wp range mremapped without EVENT_REMAP: wp bits cleared" },
	{ "mremap_soft_dirty", sc_mremap_soft_dirty,
	  "soft-dirty cleared, mremapped: every moved PTE soft-dirty (x86)" },
	{ "mremap_dontunmap", sc_mremap_dontunmap,
	  "MREMAP_DONTUNMAP: content moves, the old range reads zeroes" },
};
#define NSCEN (sizeof(scenarios) / sizeof(scenarios[0]))

static const char *scenario_name(size_t i)
{
	return scenarios[i].name;
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: integrity [--size SIZE] [--seed N] "
		"[--scenario NAME[,NAME...]]...\n"
		"                 [--mib N] [--timeout SEC] [--madv-hugepage] "
		"[--list]\n"
		"  --size SIZE      folio size to fault in: %s (default 64K)\n"
		"  --seed N         content seed (default 1)\n"
		"  --scenario NAME  run only these (repeatable, or a comma "
		"list; default all)\n"
		"  --mib N          MiB per scenario, even, 4..%d (default "
		"%d)\n"
		"  --timeout SEC    per-scenario time limit (default %d)\n"
		"  --madv-hugepage  madvise(MADV_HUGEPAGE) each region\n"
		"  --list           list the scenarios and exit\n"
		"scenarios:\n",
		PTB_THP_SIZES, MAX_MIB, DEFAULT_MIB, DEFAULT_TIMEOUT);
	for (i = 0; i < NSCEN; i++)
		fprintf(f, "  %-20s %s\n", scenarios[i].name,
			scenarios[i].what);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'S' },
		{ "scenario", required_argument, NULL, 'c' },
		{ "mib", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "madv-hugepage", no_argument, NULL, 'H' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctx c = { .size_name = "64K", .seed = 1,
			 .timeout = DEFAULT_TIMEOUT };
	bool sel[NSCEN] = { false };
	uint64_t mib = DEFAULT_MIB;
	unsigned count[3] = { 0 }; /* by enum ptb_result */
	int64_t swap_kb;
	struct ptb_line l;
	size_t i;
	int opt;

	ptb_prog = "integrity";
	while ((opt = ptb_getopt(argc, argv, opts, usage)) != -1) {
		switch (opt) {
		case 's':
			c.size_name = optarg;
			break;
		case 'S':
			c.seed = ptb_arg_seed(optarg);
			break;
		case 'c':
			ptb_select_scenarios(optarg, scenario_name, NSCEN,
					     sel);
			break;
		case 'm':
			mib = ptb_arg_u64("--mib", optarg, 4, MAX_MIB, 2,
					  "an even number of MiB");
			break;
		case 't':
			c.timeout = ptb_arg_timeout(optarg);
			break;
		case 'H':
			c.madv_hugepage = true;
			break;
		case 'l':
			ptb_list_scenarios(scenario_name, NSCEN);
		}
	}
	ptb_no_operands(argc, argv);
	c.size = ptb_arg_thp_size(c.size_name);
	ptb_select_default(sel, NSCEN);
	c.len = (size_t)mib * PTB_MIB;
	c.psz = ptb_page_size();

	if (thp_setup(c.size_name) < 0) {
		ptb_line_begin(&l, "integrity-error");
		ptb_kv_s(&l, "size", c.size_name);
		ptb_kv_s(&l, "stage", "thp_setup");
		ptb_line_end(&l);
		return 1;
	}
	swap_kb = ptb_meminfo_kb("SwapTotal");
	c.have_swap = swap_kb > 0;
	if (!c.have_swap)
		ptb_diag("no swap (SwapTotal %" PRId64 " kB): swap-out "
			 "scenarios will fail with reason=..._no_swap",
			 swap_kb);
	ptb_install_signals();
	ptb_pin_cpu();
	/* Fault in the snapshot buffers and stdio's heap before any count. */
	ptb_snapshot(&snap_a);
	ptb_snapshot(&snap_b);

	ptb_line_begin(&l, "integrity-env");
	ptb_kv_s(&l, "size", c.size_name);
	ptb_kv_u(&l, "seed", c.seed);
	ptb_kv_u(&l, "mib", mib);
	ptb_kv_u(&l, "page_size", c.psz);
	ptb_kv_i(&l, "swap_total_kb", swap_kb);
	ptb_line_end(&l);

	for (i = 0; i < NSCEN; i++) {
		struct ptb_res r;

		if (!sel[i])
			continue;
		ptb_scenario_begin(&r, "integrity", scenarios[i].name,
				   c.size_name, c.timeout);
		scenarios[i].fn(&c, &r);
		count[ptb_scenario_end(&r, PTB_RES_SWAPPED | PTB_RES_PAGES |
						   PTB_RES_BAD_BYTES)]++;
	}

	ptb_line_begin(&l, "integrity-summary");
	ptb_kv_s(&l, "size", c.size_name);
	ptb_kv_u(&l, "pass", count[PTB_PASS]);
	ptb_kv_u(&l, "fail", count[PTB_FAIL]);
	ptb_kv_u(&l, "skip", count[PTB_SKIP]);
	ptb_line_end(&l);
	return count[PTB_FAIL] ? 1 : 0;
}
