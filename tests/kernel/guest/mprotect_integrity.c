/*
 * mprotect_integrity: data integrity and protection semantics of anonymous
 * memory across mprotect() and userfaultfd write-protection, for folios of
 * each size, in the situations the batched change_pte_range() must get
 * right: protection cycles over whole folios (writes must trap while
 * read-only, reads while PROT_NONE), COW-shared folios after fork() (never
 * made writable), ranges that start and end inside folios, concurrent
 * readers, soft-dirty tracking (write faults kept after clear_refs), and
 * uffd-wp protect/resolve cycles with a fault-handling thread.
 *
 *   mprotect_integrity [--size SIZE[,SIZE...]]... [--scenario NAME[,...]]...
 *                      [--mib 16] [--seed N] [--cycles 8] [--timeout SEC]
 *                      [--list]
 *
 * For every size (default 4K, 16K, 64K and 2M) the THP settings are made
 * to fault in folios of that size (thp_setup()), then every scenario maps
 * its own --mib MiB; 2M folios are mapped with PTEs after the fill (see
 * pte_map_pmds()), since mprotect() of a PMD-mapped THP never reaches
 * change_pte_range().  One "PTB mprotect_integrity" line per scenario and
 * size, then "PTB mprotect_integrity-summary"; see README.md.  Exit
 * status: 0 no scenario failed (skips allowed), 1 one failed (or the THP
 * setup of a size failed), 2 bad arguments.
 */
#define _GNU_SOURCE
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_MIB 16
#define MAX_MIB 1024
#define DEFAULT_CYCLES 8
#define DEFAULT_TIMEOUT 600
#define DEFAULT_SIZES "4K,16K,64K,2M"
#define MAX_SIZES 16
#define MAX_PROBES 32

struct ctx {
	const char *size_name;
	size_t size;   /* folio size in bytes */
	size_t fpages; /* base pages per folio */
	size_t len;    /* bytes per scenario */
	size_t psz;
	uint64_t seed;
	unsigned cycles;
	unsigned timeout; /* seconds, per scenario */
};

static struct ptb_snapshot snap_a, snap_b;

/* ---- failure bookkeeping ------------------------------------------------ */

/* A count that must be zero: recorded as key=n, fails with `reason`. */
static void must_be_zero(struct ptb_res *r, const char *key, int64_t n,
			 const char *reason)
{
	ptb_kv_i(&r->extra, key, n);
	if (n) {
		ptb_diag("%s: %" PRId64 " (must be 0)", key, n);
		ptb_set_result(r, PTB_FAIL, "%s", reason);
	}
}

/* ---- guarded accesses --------------------------------------------------- */

/*
 * Writes one byte of the page at addr with its own value (content
 * unchanged if it goes through), or reads it: 0 if the access went
 * through, the signal number if it faulted.  Main thread (or the forked
 * child) only: one jump buffer.
 */
struct probe_arg {
	volatile char *q;
	bool write;
};

static void probe_fn(void *p)
{
	struct probe_arg *a = p;

	if (a->write)
		*a->q = *a->q;
	else
		(void)*a->q;
}

static int probe(char *addr, bool write)
{
	struct probe_arg a = { .q = addr + 8, .write = write };

	return ptb_guarded(probe_fn, &a);
}

/* ---- a scenario's memory ------------------------------------------------ */

/*
 * npages pages from p, 2M-aligned; page i holds the content of generation
 * gen[i] (tag = salt ^ gen << 48 ^ i, ptb_fill_page()).
 */
struct area {
	char *p;
	size_t npages;
	uint8_t *gen;
	uint64_t salt;
	uint64_t *pm; /* a pagemap entry for every page */
};

static uint64_t page_tag(const struct area *a, size_t i, unsigned gen)
{
	return a->salt ^ ((uint64_t)gen << 48) ^ (uint64_t)i;
}

static void write_page(const struct ctx *c, struct area *a, size_t i,
		       unsigned gen)
{
	a->gen[i] = (uint8_t)gen;
	ptb_fill_page(a->p + i * c->psz, c->psz, c->seed, page_tag(a, i, gen));
}

static bool page_ok(const struct ctx *c, const struct area *a, size_t i)
{
	return ptb_check_page(a->p + i * c->psz, c->psz, c->seed,
			      page_tag(a, i, a->gen[i])) == 0;
}

/* Pages whose content is not that of their generation; the first one is
 * named on stderr. */
static size_t area_bad_pages(const struct ctx *c, const struct area *a,
			     const char *what)
{
	size_t i, bad = 0;

	for (i = 0; i < a->npages; i++) {
		if (page_ok(c, a, i))
			continue;
		if (!bad++)
			ptb_diag("%s: page %zu (of %zu) does not hold "
				 "generation %u (first word %#" PRIx64 ")",
				 what, i, a->npages, a->gen[i],
				 *(uint64_t *)(a->p + i * c->psz));
	}
	return bad;
}

/* area_bad_pages(), accounted: bad_pages, reason "<what>_corrupt". */
static void verify(const struct ctx *c, struct ptb_res *r, const struct area *a,
		   const char *what)
{
	size_t bad = area_bad_pages(c, a, what);

	r->bad_pages += (int64_t)bad;
	if (bad)
		ptb_set_result(r, PTB_FAIL, "%s_corrupt", what);
}

/* Pages of the area whose pagemap entry lacks PM_PRESENT (re-read);
 * -1 with the result set if pagemap cannot be read. */
static int64_t not_present(struct ptb_res *r, struct area *a)
{
	int64_t n = 0;
	size_t i;

	if (ptb_read_pagemap(a->p, a->npages, a->pm) < 0) {
		ptb_fail_call(r, "pagemap", errno);
		return -1;
	}
	for (i = 0; i < a->npages; i++)
		n += !(a->pm[i] & PM_PRESENT);
	return n;
}

/* ptb_pte_map_pmds(); 0, or -1 with the result set. */
static int pte_map_pmds(struct ptb_res *r, char *p, size_t len)
{
	char *at;

	if (ptb_pte_map_pmds(p, len, &at) == 0)
		return 0;
	ptb_fail_call(r, at ? "mprotect_pmd_split" : "madvise_NOHUGEPAGE",
		      errno);
	return -1;
}

/*
 * The prologue of every scenario: maps --mib MiB 2M-aligned, fills
 * generation 1 counting the faults (fault_alloc, fault_expected,
 * fault_fallback, fault_other, fault_ok: informational), maps 2M folios
 * with PTEs (pte_mapped: 1 if no PMD mapping is left, which must hold).
 * 0, or -1 with the result set; area_end() releases it either way.
 */
static int area_begin(const struct ctx *c, struct ptb_res *r, struct area *a,
		      const char *name)
{
	struct ptb_faults f;
	int64_t kb;
	size_t i;

	memset(a, 0, sizeof(*a));
	a->npages = c->len / c->psz;
	a->salt = ptb_hash_str(name) & ~(0xffffULL << 48);
	a->gen = calloc(a->npages, 1);
	a->pm = malloc(a->npages * sizeof(*a->pm));
	if (!a->gen || !a->pm) {
		ptb_set_result(r, PTB_FAIL, "malloc");
		return -1;
	}
	a->p = ptb_map_aligned(c->len, PTB_PMD_SIZE);
	if (!a->p) {
		ptb_set_result(r, PTB_FAIL, "mmap");
		return -1;
	}
	r->pages = (int64_t)a->npages;
	ptb_snapshot(&snap_a);
	for (i = 0; i < a->npages; i++)
		write_page(c, a, i, 1);
	ptb_snapshot(&snap_b);
	ptb_fault_check(&snap_a, &snap_b, c->size, c->len, name, &f);
	ptb_kv_faults(&r->extra, &f);
	if (c->size == PTB_PMD_SIZE && pte_map_pmds(r, a->p, c->len) < 0)
		return -1;
	kb = ptb_pmd_mapped_kb(a->p, c->len);
	ptb_kv_s(&r->extra, "pte_mapped", kb < 0 ? "na" : kb ? "0" : "1");
	if (kb > 0) {
		ptb_diag("%s: %" PRId64 " kB still PMD-mapped", name, kb);
		ptb_set_result(r, PTB_FAIL, "pmd_mapped");
		return -1;
	}
	return 0;
}

static void area_end(const struct ctx *c, struct area *a)
{
	if (a->p)
		munmap(a->p, c->len);
	free(a->gen);
	free(a->pm);
	memset(a, 0, sizeof(*a));
}

/* mprotect() of pages [first, first + n); 0, or -1 with the result set. */
static int prot_pages(const struct ctx *c, struct ptb_res *r, struct area *a,
		      size_t first, size_t n, int prot)
{
	const char *call = "mprotect_RW";

	if (mprotect(a->p + first * c->psz, n * c->psz, prot) == 0)
		return 0;
	if (prot == PROT_NONE)
		call = "mprotect_NONE";
	else if (prot == PROT_READ)
		call = "mprotect_RO";
	ptb_fail_call(r, call, errno);
	return -1;
}

static int prot_all(const struct ctx *c, struct ptb_res *r, struct area *a,
		    int prot)
{
	return prot_pages(c, r, a, 0, a->npages, prot);
}

/*
 * Pages to probe in [first, first + n): the first, middle and last page of
 * the range, and of its first, middle and last folio (folios of
 * c->fpages pages at their natural alignment, clipped to the range).
 * Their number; out has room for MAX_PROBES.
 */
static size_t probe_pages(const struct ctx *c, size_t first, size_t n,
			  size_t *out)
{
	size_t fp = c->fpages, last = first + n - 1, k = 0, i, j;
	size_t folios[3] = { first / fp, 0, last / fp };
	size_t cand[12];

	folios[1] = (folios[0] + folios[2]) / 2;
	cand[0] = first;
	cand[1] = first + n / 2;
	cand[2] = last;
	for (i = 0; i < 3; i++) {
		cand[3 + 3 * i] = folios[i] * fp;
		cand[4 + 3 * i] = folios[i] * fp + fp / 2;
		cand[5 + 3 * i] = folios[i] * fp + fp - 1;
	}
	for (i = 0; i < 12 && k < MAX_PROBES; i++) {
		if (cand[i] < first || cand[i] > last)
			continue;
		for (j = 0; j < k && out[j] != cand[i]; j++)
			;
		if (j == k)
			out[k++] = cand[i];
	}
	return k;
}

/* Probes of the pages of [first, first + n) that went through. */
static int64_t probe_range(const struct ctx *c, const struct area *a,
			   size_t first, size_t n, bool write)
{
	size_t pages[MAX_PROBES], k, i;
	int64_t through = 0;

	k = probe_pages(c, first, n, pages);
	for (i = 0; i < k; i++)
		through += probe(a->p + pages[i] * c->psz, write) == 0;
	return through;
}

/* ---- cycles: whole-area RO / RW / NONE cycles --------------------------- */

/*
 * Every cycle: PROT_READ (probe writes must trap, the content must read
 * back), PROT_READ | PROT_WRITE (probe writes go through), and every
 * second cycle PROT_NONE (probe reads must trap, every PTE stays present)
 * and back.  Then every page rewritten (write_faults: minor faults taken,
 * informational: 0 when the last mprotect() made the PTEs writable) and
 * checked.
 */
static void sc_cycles(const struct ctx *c, struct ptb_res *r)
{
	int64_t ro_writes = 0, rw_faults = 0, none_reads = 0, absent = 0, n;
	uint64_t before, wfaults;
	struct area a;
	size_t probes[MAX_PROBES];
	unsigned cyc;
	size_t i;

	if (area_begin(c, r, &a, "cycles") < 0)
		goto out;
	for (cyc = 0; cyc < c->cycles && r->r == PTB_PASS; cyc++) {
		if (prot_all(c, r, &a, PROT_READ) < 0)
			break;
		ro_writes += probe_range(c, &a, 0, a.npages, true);
		verify(c, r, &a, "read_only");
		if (prot_all(c, r, &a, PROT_READ | PROT_WRITE) < 0)
			break;
		n = probe_range(c, &a, 0, a.npages, true);
		rw_faults += (int64_t)probe_pages(c, 0, a.npages, probes) - n;
		if (cyc % 2)
			continue;
		if (prot_all(c, r, &a, PROT_NONE) < 0)
			break;
		none_reads += probe_range(c, &a, 0, a.npages, false);
		n = not_present(r, &a);
		if (n > 0)
			absent += n;
		if (prot_all(c, r, &a, PROT_READ | PROT_WRITE) < 0)
			break;
	}
	ptb_kv_u(&r->extra, "cycles", cyc);
	ptb_kv_u(&r->extra, "probes", probe_pages(c, 0, a.npages, probes));
	must_be_zero(r, "ro_writes", ro_writes, "write_not_trapped_ro");
	must_be_zero(r, "rw_write_faults", rw_faults, "write_trapped_rw");
	must_be_zero(r, "none_reads", none_reads, "read_not_trapped_none");
	n = not_present(r, &a);
	must_be_zero(r, "not_present", absent + (n > 0 ? n : 0),
		     "pte_not_present");
	if (r->r != PTB_PASS)
		goto out;
	before = ptb_minor_faults();
	for (i = 0; i < a.npages; i++)
		write_page(c, &a, i, 2);
	wfaults = ptb_minor_faults() - before;
	ptb_kv_u(&r->extra, "write_faults", wfaults);
	verify(c, r, &a, "rewritten");
out:
	area_end(c, &a);
}

/* ---- fork_cow: COW-shared folios through mprotect() --------------------- */

/* Why a fork_cow child failed: its exit status indexes this. */
static const char *const child_reasons[] = {
	"ok",
	"child_verify_own_writes",
	"child_sees_parent_writes",
	"child_verify_final",
	"child_mprotect",
	"child_pipe",
	"child_ro_write_not_trapped",
};
#define NCHILD_REASONS (sizeof(child_reasons) / sizeof(child_reasons[0]))

static int read_byte(int fd, char *b, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int rc;

	do
		rc = poll(&pfd, 1, timeout_ms);
	while (rc < 0 && errno == EINTR);
	if (rc <= 0)
		return -1;
	return read(fd, b, 1) == 1 ? 0 : -1;
}

static int write_byte(int fd, char b)
{
	return write(fd, &b, 1) == 1 ? 0 : -1;
}

/* RO then RW over the whole area; with `probe_ro`, writes must trap while
 * read-only.  0, 4 (mprotect failed) or 6 (a write went through). */
static int cycle_ro_rw(const struct ctx *c, struct area *a, bool probe_ro)
{
	int rc = 0;

	if (mprotect(a->p, c->len, PROT_READ) != 0)
		return 4;
	if (probe_ro && probe_range(c, a, 0, a->npages, true))
		rc = 6;
	if (mprotect(a->p, c->len, PROT_READ | PROT_WRITE) != 0)
		return 4;
	return rc;
}

/*
 * The child: RO/RW (writes must trap), writes generation 3 into every
 * third page (i % 3 == 1: COW copies, between still-shared PTEs of the
 * same folio), RO/RW again, checks its view; tells the parent ('A'),
 * waits until the parent has written ('B') and checks that its view did
 * not change; then writes generation 5 everywhere, RO/RW, checks.  The
 * exit status indexes child_reasons.
 */
static int cow_child(const struct ctx *c, struct area *a, int rd, int wr,
		     int timeout_ms)
{
	size_t i;
	char b;
	int rc;

	rc = cycle_ro_rw(c, a, true);
	if (rc)
		return rc;
	for (i = 1; i < a->npages; i += 3)
		write_page(c, a, i, 3);
	rc = cycle_ro_rw(c, a, false);
	if (rc)
		return rc;
	if (area_bad_pages(c, a, "child: own writes"))
		return 1;
	if (write_byte(wr, 'A') < 0 || read_byte(rd, &b, timeout_ms) < 0 ||
	    b != 'B')
		return 5;
	if (area_bad_pages(c, a, "child: after the parent's writes"))
		return 2;
	for (i = 0; i < a->npages; i++)
		write_page(c, a, i, 5);
	rc = cycle_ro_rw(c, a, false);
	if (rc)
		return rc;
	return area_bad_pages(c, a, "child: final") ? 3 : 0;
}

/*
 * fork() with the filled area: parent and child each cycle RO/RW over the
 * COW-shared folios (6.12 must not make the shared PTEs writable: a write
 * would reach the other process) and write their own generations into
 * different pages (parent 2 at i % 3 == 2, child 3 at i % 3 == 1, so every
 * large folio ends up with COW copies between shared PTEs); each checks
 * that the other's writes are invisible.  After the child exits the parent
 * (its folios no longer shared, but not exclusive either) cycles again and
 * rewrites everything.
 */
static void sc_fork_cow(const struct ctx *c, struct ptb_res *r)
{
	int c2p[2] = { -1, -1 }, p2c[2] = { -1, -1 }, status = 0, w, rc;
	int timeout_ms = (int)c->timeout * 1000 / 2;
	struct area a;
	bool reported = false;
	pid_t pid = -1;
	size_t i;
	char b, s[32];

	if (area_begin(c, r, &a, "fork_cow") < 0)
		goto out;
	if (pipe2(c2p, O_CLOEXEC) < 0 || pipe2(p2c, O_CLOEXEC) < 0) {
		ptb_fail_call(r, "pipe2", errno);
		goto out;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		ptb_fail_call(r, "fork", errno);
		goto out;
	}
	if (pid == 0) {
		alarm(0);
		close(c2p[0]);
		close(p2c[1]);
		_exit(cow_child(c, &a, p2c[0], c2p[1], timeout_ms));
	}
	ptb_child_pid = pid;
	close(c2p[1]);
	close(p2c[0]);
	c2p[1] = p2c[0] = -1;

	rc = cycle_ro_rw(c, &a, true);
	if (rc == 4)
		ptb_fail_call(r, "mprotect", errno);
	else if (rc == 6)
		ptb_set_result(r, PTB_FAIL, "write_not_trapped_ro");
	reported = read_byte(c2p[0], &b, timeout_ms) == 0 && b == 'A';
	if (!reported) {
		/* The child's exit status tells why (below). */
		ptb_diag("fork_cow: no report from the child");
	} else {
		verify(c, r, &a, "parent_sees_child_writes");
		for (i = 2; i < a.npages; i += 3)
			write_page(c, &a, i, 2);
		if (cycle_ro_rw(c, &a, false))
			ptb_fail_call(r, "mprotect", errno);
		verify(c, r, &a, "parent_own_writes");
		if (write_byte(p2c[1], 'B') < 0)
			ptb_fail_call(r, "write_pipe", errno);
	}
	close(p2c[1]);
	p2c[1] = -1;
	w = ptb_wait_child(pid, &status, timeout_ms);
	ptb_child_pid = 0;
	if (w < 0) {
		ptb_fail_call(r, "waitpid", errno);
	} else if (w > 0) {
		ptb_kv_s(&r->extra, "child", "timeout");
		ptb_set_result(r, PTB_FAIL, "child_timeout");
	} else if (WIFSIGNALED(status)) {
		snprintf(s, sizeof(s), "signal_%d", WTERMSIG(status));
		ptb_kv_s(&r->extra, "child", s);
		ptb_set_result(r, PTB_FAIL, "child_%s", s);
	} else if (WEXITSTATUS(status)) {
		unsigned st = (unsigned)WEXITSTATUS(status);

		snprintf(s, sizeof(s), "status_%u", st);
		ptb_kv_s(&r->extra, "child", s);
		ptb_set_result(r, PTB_FAIL, "%s",
			   st < NCHILD_REASONS ? child_reasons[st] : s);
	} else {
		ptb_kv_s(&r->extra, "child", "ok");
		if (!reported)
			ptb_set_result(r, PTB_FAIL, "child_no_report");
	}
	/* The child's last writes must not show either. */
	verify(c, r, &a, "parent_after_child");
	rc = cycle_ro_rw(c, &a, true);
	if (rc == 4)
		ptb_fail_call(r, "mprotect", errno);
	else if (rc == 6)
		ptb_set_result(r, PTB_FAIL, "write_not_trapped_ro_after_child");
	for (i = 0; i < a.npages; i++)
		write_page(c, &a, i, 4);
	if (cycle_ro_rw(c, &a, false))
		ptb_fail_call(r, "mprotect", errno);
	verify(c, r, &a, "parent_final");
out:
	if (pid > 0 && ptb_child_pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		ptb_child_pid = 0;
	}
	for (i = 0; i < 2; i++) {
		if (c2p[i] >= 0)
			close(c2p[i]);
		if (p2c[i] >= 0)
			close(p2c[i]);
	}
	area_end(c, &a);
}

/* ---- partial: ranges starting and ending inside folios ------------------ */

/*
 * One pass of partial protection: in every slot of max(4 folios, 16
 * pages), the range [slot + off, slot + off + n) gets `prot`; inside it
 * writes (and with PROT_NONE reads) must trap at its first, middle and
 * last pages and folios, just outside it writes must go through; every
 * PTE stays present; the content reads back (PROT_READ).  Then every
 * range is made read-write again.
 */
static void partial_pass(const struct ctx *c, struct ptb_res *r, struct area *a,
			 size_t off, size_t n, int prot, int64_t *inside,
			 int64_t *outside, int64_t *absent, uint64_t *ranges)
{
	size_t slot = c->fpages * 4 > 16 ? c->fpages * 4 : 16, s, k;
	int64_t np;

	for (s = 0; s + slot <= a->npages; s += slot, (*ranges)++)
		if (prot_pages(c, r, a, s + off, n, prot) < 0)
			return;
	for (s = 0; s + slot <= a->npages; s += slot) {
		*inside += probe_range(c, a, s + off, n, true);
		if (prot == PROT_NONE)
			*inside += probe_range(c, a, s + off, n, false);
		if (s + off > 0)
			*outside += probe(a->p + (s + off - 1) * c->psz,
					  true) != 0;
		k = s + off + n;
		if (k < a->npages)
			*outside += probe(a->p + k * c->psz, true) != 0;
	}
	np = not_present(r, a);
	if (np > 0)
		*absent += np;
	if (prot == PROT_READ)
		verify(c, r, a, "partial_read_only");
	for (s = 0; s + slot <= a->npages; s += slot)
		if (prot_pages(c, r, a, s + off, n,
			       PROT_READ | PROT_WRITE) < 0)
			return;
}

/*
 * Partial ranges: PROT_READ over [3 pages, 3 pages + 2 folios + 5 pages)
 * of every slot, back; PROT_NONE over one folio's length starting half a
 * folio in (from one folio into the next), back; then every page must be
 * present, writable and intact, and is rewritten and checked.
 * `split`: the folio size's mTHP split count over the scenario
 * (informational: 6.12 does not split folios cut by a VMA boundary).
 */
static void sc_partial(const struct ctx *c, struct ptb_res *r)
{
	int64_t inside = 0, outside = 0, absent = 0, n;
	size_t fp = c->fpages, probes[MAX_PROBES], i;
	uint64_t ranges = 0;
	struct area a;

	if (area_begin(c, r, &a, "partial") < 0)
		goto out;
	ptb_snapshot(&snap_a);
	partial_pass(c, r, &a, 3, 2 * fp + 5, PROT_READ, &inside, &outside,
		     &absent, &ranges);
	if (r->r == PTB_PASS)
		partial_pass(c, r, &a, fp > 1 ? fp / 2 : 1, fp > 1 ? fp : 2,
			     PROT_NONE, &inside, &outside, &absent, &ranges);
	ptb_snapshot(&snap_b);
	ptb_kv_u(&r->extra, "ranges", ranges);
	must_be_zero(r, "inside_not_trapped", inside, "access_not_trapped");
	must_be_zero(r, "outside_trapped", outside, "outside_write_trapped");
	n = not_present(r, &a);
	must_be_zero(r, "not_present", absent + (n > 0 ? n : 0),
		     "pte_not_present");
	ptb_kv_cnt(&r->extra, "split",
		   ptb_mthp_delta(&snap_a, &snap_b,
				  (unsigned)(c->size / PTB_KIB), MTHP_SPLIT));
	if (r->r != PTB_PASS)
		goto out;
	verify(c, r, &a, "after_partial");
	n = probe_range(c, &a, 0, a.npages, true);
	must_be_zero(r, "rw_write_faults",
		     (int64_t)probe_pages(c, 0, a.npages, probes) - n,
		     "write_trapped_rw");
	for (i = 0; i < a.npages; i++)
		write_page(c, &a, i, 2);
	verify(c, r, &a, "rewritten");
out:
	area_end(c, &a);
}

/* ---- readers: concurrent reads during mprotect() ------------------------ */

struct reader {
	const struct ctx *c;
	const struct area *a;
	atomic_bool stop;
	atomic_uint_fast64_t passes;
	uint64_t bad_pages;
	size_t first_bad;
};

static void *reader_fn(void *arg)
{
	struct reader *rd = arg;
	size_t i;

	while (!atomic_load(&rd->stop)) {
		for (i = 0; i < rd->a->npages; i++) {
			if (page_ok(rd->c, rd->a, i))
				continue;
			if (!rd->bad_pages++)
				rd->first_bad = i;
		}
		atomic_fetch_add(&rd->passes, 1);
	}
	return NULL;
}

/*
 * A second thread reads and checks the whole area over and over while the
 * main thread cycles it PROT_READ <-> PROT_READ | PROT_WRITE (at least
 * 4 * --cycles times, and until the reader has made 3 passes): the reader
 * must never see wrong content (a PTE cleared and refilled by a fault
 * would read zeroes) and never fault (SIGSEGV ends the program with
 * reason=SIGSEGV).
 */
static void sc_readers(const struct ctx *c, struct ptb_res *r)
{
	struct reader rd;
	pthread_t t;
	uint64_t cyc = 0, min = 4ULL * c->cycles;
	struct area a;
	int64_t n;
	int err;

	if (area_begin(c, r, &a, "readers") < 0)
		goto out;
	memset(&rd, 0, sizeof(rd));
	rd.c = c;
	rd.a = &a;
	atomic_init(&rd.stop, false);
	atomic_init(&rd.passes, 0);
	err = pthread_create(&t, NULL, reader_fn, &rd);
	if (err) {
		ptb_fail_call(r, "pthread_create", err);
		goto out;
	}
	while (cyc < min || atomic_load(&rd.passes) < 3) {
		if (prot_all(c, r, &a, PROT_READ) < 0 ||
		    prot_all(c, r, &a, PROT_READ | PROT_WRITE) < 0)
			break;
		cyc++;
	}
	atomic_store(&rd.stop, true);
	pthread_join(t, NULL);
	ptb_kv_u(&r->extra, "cycles", cyc);
	ptb_kv_u(&r->extra, "passes", atomic_load(&rd.passes));
	if (rd.bad_pages)
		ptb_diag("reader: first wrong page %zu", rd.first_bad);
	r->bad_pages += (int64_t)rd.bad_pages;
	must_be_zero(r, "reader_bad_pages", (int64_t)rd.bad_pages,
		     "reader_saw_corrupt");
	n = not_present(r, &a);
	if (n >= 0)
		must_be_zero(r, "not_present", n, "pte_not_present");
	verify(c, r, &a, "after_readers");
out:
	area_end(c, &a);
}

/* ---- soft_dirty: write faults kept for soft-dirty tracking -------------- */

/*
 * Clears the soft-dirty bits of the whole process (clear_refs 4: the
 * caller's area too) and tells whether the kernel tracks them: a page of
 * its own, written after the clear_refs, must show bit 55 (a kernel
 * without CONFIG_MEM_SOFT_DIRTY, like arm64, never sets it).  1, 0, or -1
 * with errno (clear_refs refused).  The page is not MAP_NORESERVE, so it
 * never merges with the caller's area (ptb_map_aligned() is).
 */
static int soft_dirty_works(void)
{
	size_t psz = ptb_page_size();
	char *p = mmap(NULL, psz, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t e = 0;
	int fd, ok;

	if (p == MAP_FAILED)
		return -1;
	*(volatile char *)p = 1;
	if (ptb_write_file("/proc/self/clear_refs", "4") < 0) {
		int err = errno;

		munmap(p, psz);
		errno = err;
		return -1;
	}
	*(volatile char *)p = 2;
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	ok = fd >= 0 && pread(fd, &e, sizeof(e),
			      (off_t)((uintptr_t)p / psz * sizeof(e))) ==
				(ssize_t)sizeof(e);
	if (fd >= 0)
		close(fd);
	munmap(p, psz);
	return ok && (e & PM_SOFT_DIRTY) ? 1 : 0;
}

/*
 * clear_refs 4 (soft-dirty cleared, PTEs write-protected), mprotect RO and
 * RW: 6.12 makes a PTE writable again only if it needs no write fault
 * (can_change_pte_writable(): not for a clean PTE while soft-dirty is
 * tracked), so that a later write still faults and sets soft-dirty.  Then
 * generation 2 into every fifth page and all of the second folio: every
 * written page must be soft-dirty (sd_lost must be 0).  Informational:
 * sd_after_mprotect (soft-dirty pages after the mprotect() calls, before
 * any write: 0 in 6.12, mprotect() does not set it), sd_extra (unwritten
 * pages soft-dirty at the end: 0 in 6.12), write_faults.
 */
static void sc_soft_dirty(const struct ctx *c, struct ptb_res *r)
{
	int64_t sd_clear = 0, sd_mprot = 0, lost = 0, extra = 0, written = 0;
	uint64_t before, wfaults;
	struct area a;
	size_t i;
	int sd;

	if (area_begin(c, r, &a, "soft_dirty") < 0)
		goto out;
	/* Clears the area's bits too (one clear_refs for the process). */
	sd = soft_dirty_works();
	if (sd < 0) {
		int err = errno;

		ptb_diag("clear_refs 4: %s: skipped", strerror(err));
		ptb_set_result(r, PTB_SKIP, "clear_refs_%s", ptb_errname(err));
		goto out;
	}
	if (!sd) {
		ptb_diag("a page written after clear_refs is not soft-dirty: "
			 "kernel without CONFIG_MEM_SOFT_DIRTY; skipped");
		ptb_set_result(r, PTB_SKIP, "soft_dirty_unsupported");
		goto out;
	}
	if (ptb_read_pagemap(a.p, a.npages, a.pm) < 0) {
		ptb_fail_call(r, "pagemap", errno);
		goto out;
	}
	for (i = 0; i < a.npages; i++)
		sd_clear += (a.pm[i] & PM_SOFT_DIRTY) != 0;
	if (prot_all(c, r, &a, PROT_READ) < 0 ||
	    prot_all(c, r, &a, PROT_READ | PROT_WRITE) < 0)
		goto out;
	if (ptb_read_pagemap(a.p, a.npages, a.pm) < 0) {
		ptb_fail_call(r, "pagemap", errno);
		goto out;
	}
	for (i = 0; i < a.npages; i++)
		sd_mprot += (a.pm[i] & PM_SOFT_DIRTY) != 0;
	before = ptb_minor_faults();
	for (i = 0; i < a.npages; i++) {
		if (i % 5 == 2 || i / c->fpages == 1) {
			write_page(c, &a, i, 2);
			written++;
		}
	}
	wfaults = ptb_minor_faults() - before;
	if (ptb_read_pagemap(a.p, a.npages, a.pm) < 0) {
		ptb_fail_call(r, "pagemap", errno);
		goto out;
	}
	for (i = 0; i < a.npages; i++) {
		bool w = a.gen[i] == 2, dirty = a.pm[i] & PM_SOFT_DIRTY;

		lost += w && !dirty;
		extra += !w && dirty;
	}
	ptb_kv_i(&r->extra, "written", written);
	must_be_zero(r, "sd_after_clear", sd_clear, "soft_dirty_not_cleared");
	ptb_kv_i(&r->extra, "sd_after_mprotect", sd_mprot);
	must_be_zero(r, "sd_lost", lost, "written_page_not_soft_dirty");
	ptb_kv_i(&r->extra, "sd_extra", extra);
	ptb_kv_u(&r->extra, "write_faults", wfaults);
	verify(c, r, &a, "soft_dirty");
out:
	area_end(c, &a);
}

/* ---- uffd_wp: protect/resolve cycles with a fault-handling thread ------- */

struct wp_handler {
	const struct ctx *c;
	struct area *a;
	int uffd;
	atomic_bool stop;
	atomic_uint_fast64_t faults; /* WP faults resolved */
	uint64_t unexpected; /* other messages, or outside the area */
	int err;	     /* errno of a failed resolve */
	uint8_t *faulted;    /* WP faults per page (saturating) */
};

/* Resolves every WP fault by UFFDIO_WRITEPROTECT mode 0 of its page,
 * which wakes the faulting thread. */
static void *handler_fn(void *arg)
{
	struct wp_handler *h = arg;
	struct pollfd pfd = { .fd = h->uffd, .events = POLLIN };
	uintptr_t lo = (uintptr_t)h->a->p;
	size_t psz = h->c->psz;

	while (!atomic_load(&h->stop)) {
		struct uffd_msg msg;
		uintptr_t addr;
		size_t i;
		ssize_t n;

		if (poll(&pfd, 1, 20) <= 0)
			continue;
		n = read(h->uffd, &msg, sizeof(msg));
		if (n != (ssize_t)sizeof(msg))
			continue; /* EAGAIN: another wake-up */
		if (msg.event != UFFD_EVENT_PAGEFAULT ||
		    !(msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP)) {
			h->unexpected++;
			continue;
		}
		addr = (uintptr_t)msg.arg.pagefault.address & ~(psz - 1);
		i = (addr - lo) / psz;
		if (addr < lo || i >= h->a->npages)
			h->unexpected++;
		else if (h->faulted[i] < UINT8_MAX)
			h->faulted[i]++;
		/* Counted before the resolve wakes the faulting thread. */
		atomic_fetch_add(&h->faults, 1);
		if (ptb_uffd_set_wp(h->uffd, (void *)addr, psz, false) != 0 &&
		    !h->err)
			h->err = errno;
	}
	return NULL;
}

struct wp_writer {
	const struct ctx *c;
	struct area *a;
	unsigned gen;
	uint64_t seed;
	uint8_t *written;
};

/* Writes generation `gen` into random pages (an eighth of the area, with
 * repeats) and into the probe pages of the area. */
static void *writer_fn(void *arg)
{
	struct wp_writer *w = arg;
	size_t n = w->a->npages, pages[MAX_PROBES], k, i;
	uint64_t x = w->seed;

	for (k = 0; k < n / 8 + 1; k++) {
		i = (size_t)(ptb_splitmix64(&x) % n);
		write_page(w->c, w->a, i, w->gen);
		w->written[i] = 1;
	}
	k = probe_pages(w->c, 0, n, pages);
	for (i = 0; i < k; i++) {
		write_page(w->c, w->a, pages[i], w->gen);
		w->written[pages[i]] = 1;
	}
	return NULL;
}

/*
 * Register the filled area for WP (after the fill: 6.12 faults in small
 * folios only where a userfaultfd is armed), then --cycles times:
 * UFFDIO_WRITEPROTECT the whole area (every page must show uffd-wp, bit
 * 57); a writer thread writes random pages, each write trapping to a
 * handler thread that resolves its page; every written page must have
 * faulted (unfaulted_writes), only written pages may have (extra_faults),
 * written pages lose uffd-wp, the others keep it (wp_lost); resolve the
 * whole area (no page may keep uffd-wp: wp_left; rewriting every page
 * must not fault: faults_after_resolve).  Content checked every cycle.
 */
static void sc_uffd_wp(const struct ctx *c, struct ptb_res *r)
{
	int64_t not_applied = 0, unfaulted = 0, extra = 0, lost = 0, kept = 0;
	int64_t left = 0, after = 0, written = 0;
	struct wp_handler h;
	struct wp_writer w;
	bool registered = false, running = false;
	pthread_t ht, wt;
	struct area a;
	unsigned cyc;
	uint64_t f0;
	size_t i;
	int err;

	memset(&h, 0, sizeof(h));
	memset(&w, 0, sizeof(w));
	h.uffd = -1;
	if (area_begin(c, r, &a, "uffd_wp") < 0)
		goto out;
	h.uffd = ptb_uffd_open(r, UFFD_FEATURE_PAGEFAULT_FLAG_WP);
	if (h.uffd < 0)
		goto out;
	{
		struct uffdio_register reg;

		memset(&reg, 0, sizeof(reg));
		reg.range.start = (uintptr_t)a.p;
		reg.range.len = c->len;
		reg.mode = UFFDIO_REGISTER_MODE_WP;
		if (ioctl(h.uffd, UFFDIO_REGISTER, &reg) != 0) {
			if (errno == EINVAL) {
				ptb_diag("UFFDIO_REGISTER_MODE_WP: %s: "
					 "skipped", strerror(errno));
				ptb_set_result(r, PTB_SKIP,
					       "uffd_wp_unsupported");
			} else {
				ptb_fail_call(r, "UFFDIO_REGISTER", errno);
			}
			goto out;
		}
		registered = true;
	}
	h.c = c;
	h.a = &a;
	h.faulted = calloc(a.npages, 1);
	w.written = calloc(a.npages, 1);
	if (!h.faulted || !w.written) {
		ptb_set_result(r, PTB_FAIL, "malloc");
		goto out;
	}
	atomic_init(&h.stop, false);
	atomic_init(&h.faults, 0);
	err = pthread_create(&ht, NULL, handler_fn, &h);
	if (err) {
		ptb_fail_call(r, "pthread_create", err);
		goto out;
	}
	running = true;

	for (cyc = 0; cyc < c->cycles && r->r == PTB_PASS; cyc++) {
		if (ptb_uffd_set_wp(h.uffd, a.p, c->len, true) != 0) {
			ptb_fail_call(r, "UFFDIO_WRITEPROTECT", errno);
			break;
		}
		if (ptb_read_pagemap(a.p, a.npages, a.pm) < 0) {
			ptb_fail_call(r, "pagemap", errno);
			break;
		}
		for (i = 0; i < a.npages; i++)
			not_applied += !(a.pm[i] & PM_UFFD_WP);

		memset(h.faulted, 0, a.npages);
		memset(w.written, 0, a.npages);
		w.c = c;
		w.a = &a;
		w.gen = 2 + cyc % 200;
		w.seed = c->seed ^ ((uint64_t)cyc << 32);
		err = pthread_create(&wt, NULL, writer_fn, &w);
		if (err) {
			ptb_fail_call(r, "pthread_create", err);
			break;
		}
		pthread_join(wt, NULL);
		if (ptb_read_pagemap(a.p, a.npages, a.pm) < 0) {
			ptb_fail_call(r, "pagemap", errno);
			break;
		}
		for (i = 0; i < a.npages; i++) {
			bool wp = a.pm[i] & PM_UFFD_WP;

			written += w.written[i];
			unfaulted += w.written[i] && !h.faulted[i];
			extra += !w.written[i] && h.faulted[i];
			kept += w.written[i] && wp;
			lost += !w.written[i] && !wp;
		}
		verify(c, r, &a, "after_wp_writes");

		if (ptb_uffd_set_wp(h.uffd, a.p, c->len, false) != 0) {
			ptb_fail_call(r, "UFFDIO_WRITEPROTECT_resolve", errno);
			break;
		}
		if (ptb_read_pagemap(a.p, a.npages, a.pm) < 0) {
			ptb_fail_call(r, "pagemap", errno);
			break;
		}
		for (i = 0; i < a.npages; i++)
			left += (a.pm[i] & PM_UFFD_WP) != 0;
		/* Rewrites (same value) must not fault now; a page left
		 * protected would, and the handler would count it. */
		f0 = atomic_load(&h.faults);
		for (i = 0; i < a.npages; i++) {
			volatile char *q = a.p + i * c->psz + 8;

			*q = *q;
		}
		after += (int64_t)(atomic_load(&h.faults) - f0);
	}
	ptb_kv_u(&r->extra, "cycles", cyc);
	ptb_kv_i(&r->extra, "written", written);
	ptb_kv_u(&r->extra, "wp_faults", atomic_load(&h.faults));
	must_be_zero(r, "wp_not_applied", not_applied, "wp_not_applied");
	must_be_zero(r, "unfaulted_writes", unfaulted, "write_not_trapped");
	must_be_zero(r, "extra_faults", extra, "unwritten_page_faulted");
	must_be_zero(r, "wp_kept", kept, "resolved_page_still_wp");
	must_be_zero(r, "wp_lost", lost, "unwritten_page_lost_wp");
	must_be_zero(r, "wp_left", left, "wp_left_after_resolve");
	must_be_zero(r, "faults_after_resolve", after,
		     "fault_after_resolve");
	must_be_zero(r, "unexpected_msgs", (int64_t)h.unexpected,
		     "unexpected_uffd_msg");
	if (h.err)
		ptb_fail_call(r, "UFFDIO_WRITEPROTECT_handler", h.err);
out:
	if (running) {
		atomic_store(&h.stop, true);
		pthread_join(ht, NULL);
	}
	if (registered) {
		struct uffdio_range range = { .start = (uintptr_t)a.p,
					      .len = c->len };

		if (ioctl(h.uffd, UFFDIO_UNREGISTER, &range) != 0)
			ptb_fail_call(r, "UFFDIO_UNREGISTER", errno);
		verify(c, r, &a, "after_unregister");
	}
	if (h.uffd >= 0)
		close(h.uffd);
	free(h.faulted);
	free(w.written);
	area_end(c, &a);
}

/* ---- driver ------------------------------------------------------------- */

static const struct scenario {
	const char *name;
	void (*fn)(const struct ctx *, struct ptb_res *);
	const char *what;
} scenarios[] = {
	{ "cycles", sc_cycles,
	  "RO/RW/NONE cycles: writes trap while RO, reads while NONE" },
	{ "fork_cow", sc_fork_cow,
	  "after fork(): RO/RW cycles and writes in both, COW isolation" },
	{ "partial", sc_partial,
	  "ranges starting and ending mid-folio: RO and NONE, then back" },
	{ "readers", sc_readers,
	  "a thread reads while RO<->RW cycles run: no fault, no bad data" },
	{ "soft_dirty", sc_soft_dirty,
	  "clear_refs, RO/RW: written pages soft-dirty (x86)" },
	{ "uffd_wp", sc_uffd_wp,
	  "uffd-wp protect/resolve cycles with a fault-handling thread" },
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
		"usage: mprotect_integrity [--size SIZE[,SIZE...]]... "
		"[--scenario NAME[,NAME...]]...\n"
		"                          [--mib N] [--seed N] [--cycles N] "
		"[--timeout SEC] [--list]\n"
		"  --size SIZE      folio sizes, each of %s\n"
		"                   (repeatable, or a comma list; default "
		"%s)\n"
		"  --scenario NAME  run only these (repeatable, or a comma "
		"list; default all)\n"
		"  --mib N          MiB per scenario, even, 4..%d (default "
		"%d)\n"
		"  --seed N         content seed (default 1)\n"
		"  --cycles N       protection cycles, 1..1000 (default %d)\n"
		"  --timeout SEC    per-scenario time limit (default %d)\n"
		"  --list           list the scenarios and exit\n"
		"scenarios:\n",
		PTB_THP_SIZES, DEFAULT_SIZES, MAX_MIB, DEFAULT_MIB,
		DEFAULT_CYCLES, DEFAULT_TIMEOUT);
	for (i = 0; i < NSCEN; i++)
		fprintf(f, "  %-12s %s\n", scenarios[i].name,
			scenarios[i].what);
}

/*
 * Appends the sizes of a comma list to names[], each once; the copy of
 * the list stays allocated, names[] point into it.
 */
static void select_sizes(const char *arg, const char **names, size_t *n)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	size_t i, k = 0;

	if (!copy)
		ptb_bad_args("out of memory");
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save), k++) {
		ptb_arg_thp_size(tok);
		for (i = 0; i < *n && strcmp(names[i], tok) != 0; i++)
			;
		if (i < *n)
			continue;
		if (*n == MAX_SIZES)
			ptb_bad_args("--size: more than %d sizes", MAX_SIZES);
		names[(*n)++] = tok;
	}
	if (!k)
		ptb_bad_args("--size \"%s\": no size", arg);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "scenario", required_argument, NULL, 'c' },
		{ "mib", required_argument, NULL, 'm' },
		{ "seed", required_argument, NULL, 'S' },
		{ "cycles", required_argument, NULL, 'C' },
		{ "timeout", required_argument, NULL, 't' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctx c = { .seed = 1, .cycles = DEFAULT_CYCLES,
			 .timeout = DEFAULT_TIMEOUT };
	const char *sizes[MAX_SIZES];
	char size_list[128] = "";
	bool sel[NSCEN] = { false };
	uint64_t mib = DEFAULT_MIB;
	unsigned count[3] = { 0 }, setup_failed = 0; /* by enum ptb_result */
	size_t nsizes = 0, i, z;
	struct ptb_line l;
	int opt;

	ptb_prog = "mprotect_integrity";
	while ((opt = ptb_getopt(argc, argv, opts, usage)) != -1) {
		switch (opt) {
		case 's':
			select_sizes(optarg, sizes, &nsizes);
			break;
		case 'c':
			ptb_select_scenarios(optarg, scenario_name, NSCEN,
					     sel);
			break;
		case 'm':
			mib = ptb_arg_u64("--mib", optarg, 4, MAX_MIB, 2,
					  "an even number of MiB");
			break;
		case 'S':
			c.seed = ptb_arg_seed(optarg);
			break;
		case 'C':
			c.cycles = (unsigned)ptb_arg_u64(
				"--cycles", optarg, 1, 1000, 1, "a number");
			break;
		case 't':
			c.timeout = ptb_arg_timeout(optarg);
			break;
		case 'l':
			ptb_list_scenarios(scenario_name, NSCEN);
		}
	}
	ptb_no_operands(argc, argv);
	if (!nsizes)
		select_sizes(DEFAULT_SIZES, sizes, &nsizes);
	ptb_select_default(sel, NSCEN);
	for (z = 0; z < nsizes; z++)
		snprintf(size_list + strlen(size_list),
			 sizeof(size_list) - strlen(size_list), "%s%s",
			 z ? "," : "", sizes[z]);
	c.len = (size_t)mib * PTB_MIB;
	c.psz = ptb_page_size();
	ptb_install_signals();
	/* Fault in the snapshot buffers and stdio's heap before any count. */
	ptb_snapshot(&snap_a);
	ptb_snapshot(&snap_b);

	ptb_line_begin(&l, "mprotect_integrity-env");
	ptb_kv_s(&l, "sizes", size_list);
	ptb_kv_u(&l, "seed", c.seed);
	ptb_kv_u(&l, "mib", mib);
	ptb_kv_u(&l, "cycles", c.cycles);
	ptb_kv_u(&l, "page_size", c.psz);
	ptb_line_end(&l);

	for (z = 0; z < nsizes; z++) {
		c.size_name = sizes[z];
		c.size = ptb_arg_thp_size(c.size_name);
		c.fpages = c.size > c.psz ? c.size / c.psz : 1;
		if (thp_setup(c.size_name) < 0) {
			ptb_line_begin(&l, "mprotect_integrity-error");
			ptb_kv_s(&l, "size", c.size_name);
			ptb_kv_s(&l, "stage", "thp_setup");
			ptb_line_end(&l);
			setup_failed++;
			continue;
		}
		for (i = 0; i < NSCEN; i++) {
			struct ptb_res r;

			if (!sel[i])
				continue;
			ptb_scenario_begin(&r, "mprotect_integrity",
					   scenarios[i].name, c.size_name,
					   c.timeout);
			scenarios[i].fn(&c, &r);
			count[ptb_scenario_end(
				&r, PTB_RES_PAGES | PTB_RES_BAD_PAGES)]++;
		}
	}

	ptb_line_begin(&l, "mprotect_integrity-summary");
	ptb_kv_s(&l, "sizes", size_list);
	ptb_kv_u(&l, "pass", count[PTB_PASS]);
	ptb_kv_u(&l, "fail", count[PTB_FAIL]);
	ptb_kv_u(&l, "skip", count[PTB_SKIP]);
	ptb_kv_u(&l, "setup_failed", setup_failed);
	ptb_line_end(&l);
	return count[PTB_FAIL] || setup_failed ? 1 : 0;
}
