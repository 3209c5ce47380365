/*
 * Shared helpers for the ptebatch guest programs (pageout_bench,
 * mremap_bench, mprotect_bench, integrity, mprotect_integrity).
 *
 * Plain C (gnu11), libc and Linux UAPI headers only; built statically for
 * x86-64 and arm64 and run as root inside the minimal qemu guest.
 *
 * Output contract: every result is ONE line on stdout, "PTB <kind>"
 * followed by space-separated key=value pairs whose values never contain
 * spaces or '='; a counter the kernel does not have prints as "na".
 * Diagnostics go to stderr.  See README.md beside this file.
 */
#ifndef PTB_GUEST_COMMON_H
#define PTB_GUEST_COMMON_H

#include <stdbool.h>
#include <stdio.h>
#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/types.h>

#ifndef MADV_FREE
#define MADV_FREE 8
#endif
#ifndef MADV_HUGEPAGE
#define MADV_HUGEPAGE 14
#endif
#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE 1
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED 2
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* /proc/self/pagemap bits (Documentation/admin-guide/mm/pagemap.rst). */
#define PM_SOFT_DIRTY (1ULL << 55)
#define PM_MMAP_EXCLUSIVE (1ULL << 56)
#define PM_UFFD_WP (1ULL << 57)
#define PM_SWAP (1ULL << 62)
#define PM_PRESENT (1ULL << 63)
#define PM_PFN_MASK ((1ULL << 55) - 1)	/* bits 0-54, when present */

#define PTB_KIB ((size_t)1024)
#define PTB_MIB ((size_t)1024 * 1024)
#define PTB_PMD_SIZE ((size_t)2 * 1024 * 1024)

/* "Not available": a counter the running kernel does not export. */
#define PTB_NA INT64_MIN

/* Program name used as the prefix of every diagnostic. */
extern const char *ptb_prog;

/* Diagnostic on stderr: "<prog>: <message>\n". */
void ptb_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Symbolic errno ("ENOSYS"), or "E<n>" for one glibc does not name. */
const char *ptb_errname(int err);

/* ---- argument parsing ------------------------------------------------- */

/* The folio sizes thp_setup() accepts, for messages. */
#define PTB_THP_SIZES "4K, 16K, 32K, 64K, 128K, 2M"

/* Parses one of PTB_THP_SIZES into bytes; 0 on success, -1 otherwise. */
int ptb_parse_thp_size(const char *s, size_t *bytes);

/* Whole-string unsigned number, decimal or 0x-prefixed hex; 0 or -1. */
int ptb_parse_u64(const char *s, uint64_t *out);

/*
 * Command-line errors, for both programs (getopt_long with optstring ":"
 * and opterr = 0).  Each prints "<prog>: <message>" and "<prog>: try
 * --help" on stderr and exits with status 2.
 */
void ptb_bad_args(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/* getopt_long returned ':' (an option without its value) or anything it
 * does not know: "option --x needs a value", "unknown option ...". */
void ptb_bad_option(int opt, char *const argv[]) __attribute__((noreturn));

/* Refuses the first argument left after the options (argv[optind]). */
void ptb_no_operands(int argc, char *const argv[]);

/*
 * getopt_long(argc, argv, ":", opts, NULL) with opterr = 0, for a table
 * that has { "help", no_argument, NULL, 'h' }: --help prints usage(stdout)
 * and exits 0, a missing value or an unknown option ends in
 * ptb_bad_option().  Returns the program's options, -1 at the end.
 */
int ptb_getopt(int argc, char *const argv[], const struct option *opts,
	       void (*usage)(FILE *f));

/* --size: the bytes of one of PTB_THP_SIZES, or
 * "--size \"X\": expected one of ...". */
size_t ptb_arg_thp_size(const char *name);

/*
 * The value of option `opt`: a whole number (ptb_parse_u64) in min..max
 * and a multiple of `multiple` (0 or 1: any), or
 * "<opt> \"<arg>\": expected <what> in <min>..<max>" (without the range
 * when it is 0..UINT64_MAX).
 */
uint64_t ptb_arg_u64(const char *opt, const char *arg, uint64_t min,
		     uint64_t max, uint64_t multiple, const char *what);

/* --seed N: any unsigned number. */
#define ptb_arg_seed(arg)                                        \
	ptb_arg_u64("--seed", (arg), 0, UINT64_MAX, 1,            \
		    "an unsigned number (decimal or 0x hex)")

/* --timeout SEC: 1..86400. */
#define ptb_arg_timeout(arg)                                        \
	((unsigned)ptb_arg_u64("--timeout", (arg), 1, 86400, 1, "seconds"))

/* --mib N of the benchmarks: 1..max. */
#define ptb_arg_mib(arg, max) \
	ptb_arg_u64("--mib", (arg), 1, (max), 1, "a whole number of MiB")

/* --runs N of the benchmarks: 1..max. */
#define ptb_arg_runs(arg, max) \
	ptb_arg_u64("--runs", (arg), 1, (max), 1, "a number")

/* ---- THP configuration ------------------------------------------------ */

/*
 * Configures /sys/kernel/mm/transparent_hugepage so that anonymous faults
 * allocate folios of exactly `size` (one of PTB_THP_SIZES):
 *   - "never" into every writable hugepages-<N>kB/enabled;
 *   - mTHP (16K..128K): top-level enabled "never", hugepages-<N>kB "always";
 *   - 2M: top-level enabled "always", hugepages-2048kB "inherit";
 *   - 4K: everything "never", top level too;
 * and shmem (MAP_SHARED anonymous memory) likewise where the kernel has the
 * controls: every shmem_enabled "never" but hugepages-<N>kB/shmem_enabled
 * "always" for the size (none for 4K).
 * Reads every file back.  Returns 0, or -1 after a diagnostic naming the
 * file.  The environment variable PTB_THP_ROOT, if set, replaces the sysfs
 * directory (for testing the programs against a fake tree).
 */
int thp_setup(const char *size);

/* The sysfs directory thp_setup() and the counters use. */
const char *ptb_thp_root(void);

/* ---- counters --------------------------------------------------------- */

enum ptb_mthp_stat {
	MTHP_ANON_FAULT_ALLOC,
	MTHP_ANON_FAULT_FALLBACK,
	MTHP_ANON_FAULT_FALLBACK_CHARGE,
	MTHP_SWPOUT,
	MTHP_SWPOUT_FALLBACK,
	MTHP_ZSWPOUT,
	MTHP_SWPIN,
	MTHP_SWPIN_FALLBACK,
	MTHP_SPLIT,
	MTHP_SPLIT_FAILED,
	MTHP_SPLIT_DEFERRED,
	MTHP_NR_ANON,
	MTHP_NR_ANON_PARTIALLY_MAPPED,
	MTHP_SHMEM_ALLOC,
	MTHP_SHMEM_FALLBACK,
	MTHP_NSTATS
};

extern const char *const ptb_mthp_stat_names[MTHP_NSTATS];

#define PTB_MAX_VMSTAT 512
#define PTB_MAX_MTHP 24

struct ptb_vmstat_entry {
	char name[56];
	uint64_t value;
};

/*
 * One reading of /proc/vmstat (every line) and of the stats/ directory of
 * every hugepages-<N>kB size.  About 30 KiB: allocate it statically or on
 * the heap.
 */
struct ptb_snapshot {
	size_t nvm;
	struct ptb_vmstat_entry vm[PTB_MAX_VMSTAT];
	size_t nsizes;
	struct {
		unsigned kb;
		int64_t v[MTHP_NSTATS]; /* PTB_NA where the file is missing */
	} mthp[PTB_MAX_MTHP];
};

/* Takes a snapshot; 0, or -1 after a diagnostic (/proc/vmstat unreadable). */
int ptb_snapshot(struct ptb_snapshot *s);

/* Value of one /proc/vmstat counter, PTB_NA if the kernel lacks it. */
int64_t ptb_vm_get(const struct ptb_snapshot *s, const char *name);
/* b - a for one /proc/vmstat counter, PTB_NA if either lacks it. */
int64_t ptb_vm_delta(const struct ptb_snapshot *a,
		     const struct ptb_snapshot *b, const char *name);
/* b - a for one mTHP stat of size `kb`, PTB_NA if missing. */
int64_t ptb_mthp_delta(const struct ptb_snapshot *a,
		       const struct ptb_snapshot *b, unsigned kb,
		       enum ptb_mthp_stat stat);
/* Sum of b - a over every size except `kb` (0 if there is none). */
int64_t ptb_mthp_delta_others(const struct ptb_snapshot *a,
			      const struct ptb_snapshot *b, unsigned kb,
			      enum ptb_mthp_stat stat);

/*
 * Large-folio allocations by anonymous faults between snapshots a and b,
 * for folio size `size` (bytes):
 *   *alloc     folios of that size (2M: /proc/vmstat thp_fault_alloc);
 *              PTB_NA for 4K or when the kernel lacks the counter;
 *   *fallback  faults that fell back from that size (PTB_NA for 4K);
 *   *other     large folios of every other size (4K: of any size).
 */
void ptb_fault_counts(const struct ptb_snapshot *a,
		      const struct ptb_snapshot *b, size_t size,
		      int64_t *alloc, int64_t *fallback, int64_t *other);
/* The same for shmem (MAP_SHARED anonymous memory): its shmem_alloc,
 * shmem_fallback counters. */
void ptb_shmem_fault_counts(const struct ptb_snapshot *a,
			    const struct ptb_snapshot *b, size_t size,
			    int64_t *alloc, int64_t *fallback, int64_t *other);

/*
 * The check pageout_bench and mremap_bench make of a fill of `len` bytes
 * with folios of `size` bytes (ptb_fault_counts() between a and b):
 * expected = len / size (0 for 4K); ok "1" if alloc == expected and no
 * large folio of another size was allocated (4K: none of any size), "0"
 * if not (with a diagnostic naming `what`), "na" without the counters.
 */
struct ptb_faults {
	int64_t alloc, fallback, other, expected;
	const char *ok;
};
void ptb_fault_check(const struct ptb_snapshot *a,
		     const struct ptb_snapshot *b, size_t size, size_t len,
		     const char *what, struct ptb_faults *f);
/* The same for shmem (MAP_SHARED anonymous memory): shmem_alloc counters. */
void ptb_shmem_fault_check(const struct ptb_snapshot *a,
			   const struct ptb_snapshot *b, size_t size,
			   size_t len, const char *what, struct ptb_faults *f);

/* Reads one number from /proc/meminfo ("SwapTotal"), in kB; -1 if absent. */
int64_t ptb_meminfo_kb(const char *name);

/* Minor faults of the process so far (getrusage); 0 if unknown. */
uint64_t ptb_minor_faults(void);

/* ---- small files -------------------------------------------------------- */

/* Reads a small file into buf (NUL-terminated); bytes read, or -1 with
 * errno. */
ssize_t ptb_read_file(const char *path, char *buf, size_t size);

/* Writes val to an existing file (one write(), no O_TRUNC); 0, or -1 with
 * errno (EIO for a short write).  No diagnostic. */
int ptb_write_file(const char *path, const char *val);

/* ---- memory cgroup ------------------------------------------------------ */

/*
 * A cgroup-v2 memory cgroup of our own, so that memory.reclaim can push
 * memory out through the real reclaim path (shrink_folio_list() with
 * TTU_BATCH_FLUSH, as kswapd and direct reclaim do; MADV_PAGEOUT also
 * leaves folios mapped by another process alone).
 */
struct ptb_memcg {
	bool active;
	char dir[320];
	char back[800]; /* cgroup.procs of the cgroup we came from */
};

/* Creates the cgroup (cgroup2 mount, memory controller) and moves the
 * process into it: 0, or -1 with the reason in why (skip, not failure). */
int ptb_memcg_enter(struct ptb_memcg *m, char *why, size_t whylen);

/* memory.reclaim of `bytes`, swappiness=200 where the kernel takes it;
 * 0 or errno (EAGAIN: reclaimed less). */
int ptb_memcg_reclaim(struct ptb_memcg *m, size_t bytes);

/* Moves the process back and removes the cgroup; diagnostics only. */
void ptb_memcg_leave(struct ptb_memcg *m);

/* Clears the accessed bits of a process (so reclaim does not keep the
 * just-written folios for being young); best effort. */
void ptb_clear_young(pid_t pid);

/* ---- result lines ------------------------------------------------------ */

struct ptb_line {
	char buf[3072];
	size_t len;
};

/* Starts "PTB <kind>". */
void ptb_line_begin(struct ptb_line *l, const char *kind);
/* Starts an empty list of pairs (to be appended to a line later). */
void ptb_line_clear(struct ptb_line *l);
/* Appends " key=value"; spaces, '=' and control characters in the value
 * become '_', an empty value becomes "-". */
void ptb_kv_s(struct ptb_line *l, const char *key, const char *val);
void ptb_kv_u(struct ptb_line *l, const char *key, uint64_t v);
void ptb_kv_i(struct ptb_line *l, const char *key, int64_t v);
/* Signed, "na" for PTB_NA. */
void ptb_kv_cnt(struct ptb_line *l, const char *key, int64_t v);
/* Appends the pairs of another (cleared-then-filled) list. */
void ptb_kv_append(struct ptb_line *l, const struct ptb_line *pairs);
/* Appends fault_alloc fault_expected fault_fallback fault_other fault_ok. */
void ptb_kv_faults(struct ptb_line *l, const struct ptb_faults *f);
/* Writes the line and a newline to stdout and flushes it. */
void ptb_line_end(struct ptb_line *l);

/* ---- memory ------------------------------------------------------------ */

size_t ptb_page_size(void);

/*
 * Private anonymous read-write mapping of `len` bytes starting at a
 * multiple of `align` (a power of two): over-allocates and trims.
 * NULL after a diagnostic on failure.
 */
void *ptb_map_aligned(size_t len, size_t align);

/*
 * PROT_NONE reservation of `len` bytes at a multiple of `align`, to place
 * MAP_FIXED / MREMAP_FIXED mappings inside; NULL after a diagnostic.
 */
void *ptb_reserve_aligned(size_t len, size_t align);

/*
 * Shared anonymous (shmem) read-write mapping of `len` bytes starting at a
 * multiple of `align`: a ptb_reserve_aligned() reservation mapped over.
 * NULL after a diagnostic on failure.
 */
void *ptb_map_shmem_aligned(size_t len, size_t align);

/*
 * A clean file in large page-cache folios: an EROFS image that
 * run-kernel-test puts in the initramfs as PTB_EROFS_INITRAMFS; ptb-init
 * moves it to PTB_EROFS_IMAGE on a ramfs and mounts it read-only at
 * PTB_EROFS_DIR without a block device (CONFIG_EROFS_FS_BACKED_BY_FILE).
 * Every 64-bit word of page I (4 KiB pages) of PTB_EROFS_FILE is
 * PTB_EROFS_TAG | I.
 */
#define PTB_EROFS_INITRAMFS "/pages.erofs"
#define PTB_EROFS_IMAGE "/erofs-image/pages.erofs"
#define PTB_EROFS_DIR "/erofs"
#define PTB_EROFS_FILE PTB_EROFS_DIR "/pages"
#define PTB_EROFS_TAG 0x5054420000000000ULL	/* "PTB" */

/* The word at byte offset `off` of PTB_EROFS_FILE. */
static inline uint64_t ptb_erofs_word(size_t off)
{
	return PTB_EROFS_TAG | (off / 4096);
}

/*
 * Maps the first `len` bytes of PTB_EROFS_FILE read-only (MAP_SHARED) at a
 * multiple of `align`, as folios of `folio_size` as far as readahead makes
 * them: the read-ahead window of the mount (its bdi) set to `folio_size`
 * (page_cache_ra_order() grows a window's folios to at most its size),
 * the file's page cache dropped, the file read through once with read(),
 * every word checked, and the pages mapped (MADV_POPULATE_READ).
 * NULL after a diagnostic on failure.
 */
void *ptb_map_erofs(size_t len, size_t align, size_t folio_size);

/*
 * Pages of [addr, addr + len) mapped to page-cache folios of exactly
 * `folio_size` (pagemap and /proc/kpageflags): f->alloc the folios of the
 * size, f->fallback those of other sizes, f->expected len / folio_size;
 * f->ok "1" when every page is, but for at most four folios' worth:
 * page_cache_ra_order() starts a file at order 2 and adds 2 per window
 * until the window's size, so the first four windows of the size can hold
 * smaller folios (at 2M: orders 2, 4, 6, 8). 0, or -1 after a
 * diagnostic when a page is not present or the files cannot be read.
 */
int ptb_file_folio_check(const void *addr, size_t len, size_t folio_size,
			 const char *what, struct ptb_faults *f);

/*
 * PROT_NONE mapping of exactly [addr, addr + len) (MAP_NORESERVE, like the
 * reservations): with `replace` over whatever is mapped there (MAP_FIXED),
 * otherwise only where nothing is (MAP_FIXED_NOREPLACE).  0, or -1 with
 * errno (EEXIST: something is mapped in the range).
 */
int ptb_guard_at(void *addr, size_t len, bool replace);

/* Resident pages (mincore) in [addr, addr+len); -1 after a diagnostic. */
int64_t ptb_resident_pages(const void *addr, size_t len);

/* Pins the process to the CPU it is running on (best effort), so that the
 * per-CPU LRU batches MADV_PAGEOUT drains are the ones the faults used. */
void ptb_pin_cpu(void);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t ptb_now_ns(void);

/* Sorts v[0..n), n >= 1, ascending and returns the median (of an even
 * count, the mean of the two middle values). */
uint64_t ptb_sort_median(uint64_t *v, size_t n);

/* Pagemap entries of npages pages from addr into out; 0, or -1 with errno. */
int ptb_read_pagemap(const void *addr, size_t npages, uint64_t *out);

/*
 * AnonHugePages (PMD-mapped THPs) of the VMAs overlapping [p, p + len), in
 * kB, from /proc/self/smaps; -1 with errno if it cannot be read.
 */
int64_t ptb_pmd_mapped_kb(const void *p, size_t len);

/*
 * 2M folios fault in PMD-mapped, and mprotect() of a whole PMD-mapped THP
 * goes through change_huge_pmd(), not change_pte_range().  Maps them with
 * PTEs instead, keeping every folio whole: mprotect() the first page of
 * every 2M of [p, p + len) read-only, which splits the VMA there and with
 * it the PMD mapping (__split_huge_pmd()), and back, which merges the VMAs
 * again; MADV_NOHUGEPAGE then keeps khugepaged from collapsing them back.
 * 0, or -1 with errno and *fail_at the address whose mprotect() failed
 * (NULL: the madvise() failed).  No diagnostic.
 */
int ptb_pte_map_pmds(char *p, size_t len, char **fail_at);

/* ---- userfaultfd -------------------------------------------------------- */

/* userfaultfd(O_CLOEXEC | O_NONBLOCK), on EPERM again with
 * UFFD_USER_MODE_ONLY; the descriptor, or -1 with errno. */
int ptb_userfaultfd(void);

/* UFFDIO_WRITEPROTECT of [addr, addr + len), on or off; 0 or -1 (errno). */
int ptb_uffd_set_wp(int uffd, void *addr, size_t len, bool on);

/*
 * A userfaultfd with UFFD_FEATURE_PAGEFAULT_FLAG_WP, registered in WP mode
 * over [p, p + len).  The descriptor, or -1 after a diagnostic with *why
 * naming the problem and *unsupported set if the kernel does not offer
 * anonymous uffd-wp (or userfaultfd at all).
 */
int ptb_uffd_register_wp(void *p, size_t len, const char **why,
			 bool *unsupported);

/* ---- processes ---------------------------------------------------------- */

/* Waits for the child; 0 reaped, 1 timed out (killed and reaped), -1. */
int ptb_wait_child(pid_t pid, int *status, int timeout_ms);

/*
 * Re-executes the program once with ADDR_NO_RANDOMIZE (where mmap() places
 * the regions decides how many page tables a call touches, so that
 * vanilla and patched kernels see the same layout); returns if it is off
 * already or cannot be turned off (with a diagnostic).
 */
void ptb_exec_without_aslr(char **argv);

/* ---- benchmarks ---------------------------------------------------------- */

/* Pins the CPU (ptb_pin_cpu()) and takes n snapshots into s[0..n), which
 * faults in the snapshot buffers and stdio's heap before the first count. */
void ptb_bench_start(struct ptb_snapshot *s, size_t n);

/* Sorts ns[0..runs), runs >= 1, and appends min_ns median_ns max_ns
 * mean_ns. */
void ptb_kv_run_stats(struct ptb_line *l, uint64_t *ns, uint64_t runs);

/* Appends split (mTHP stat of size kb) and thp_split_pmd, b - a. */
void ptb_kv_splits(struct ptb_line *l, const struct ptb_snapshot *a,
		   const struct ptb_snapshot *b, unsigned kb);

/* ---- scenarios (integrity, mprotect_integrity) ---------------------------- */

enum ptb_result { PTB_PASS, PTB_FAIL, PTB_SKIP };

/* The outcome of one scenario; each program reports some of the counts
 * (PTB_RES_* in ptb_scenario_end()). */
struct ptb_res {
	enum ptb_result r;
	int64_t swapped, pages, bad_bytes, bad_pages;
	char reason[96];
	struct ptb_line extra; /* scenario-specific pairs */
	/* ptb_scenario_begin() */
	const char *kind, *scenario, *size;
	uint64_t t0;
};

/* Records the first failure or skip (later ones only go to stderr). */
void ptb_set_result(struct ptb_res *r, enum ptb_result what, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));

/* A failed call: "<call> failed: <strerror>" on stderr, reason
 * "<call>_<ERRNO>". */
void ptb_fail_call(struct ptb_res *r, const char *call, int err);

/*
 * Signals for the scenarios: SIGBUS/SIGSEGV outside ptb_guarded() and
 * SIGALRM (the per-scenario timeout) end the program with status 1 after
 * completing the current scenario's line as "PTB <kind> scenario=<name>
 * size=<size> result=fail reason=SIGBUS|SIGSEGV|timeout" (a forked child
 * only exits with status 64), killing ptb_child_pid if it is set;
 * SIGPIPE is ignored.  Call it from the parent process.
 */
void ptb_install_signals(void);

/* A forked child to kill if the program dies of a signal (0: none). */
extern volatile pid_t ptb_child_pid;

/*
 * Runs fn(arg) with SIGBUS/SIGSEGV turned into a return value: 0 if fn
 * returned, the signal number if it faulted.  fn keeps its progress in
 * volatile fields of *arg.  Main thread (or a forked child) only: one jump
 * buffer.
 */
int ptb_guarded(void (*fn)(void *), void *arg);

/*
 * A userfaultfd (ptb_userfaultfd()) with UFFDIO_API `features`.  -1 with
 * the result set: skip "userfaultfd_ENOSYS|EPERM" where there is none,
 * skip "uffd_wp_unsupported" if UFFDIO_API refuses
 * UFFD_FEATURE_PAGEFAULT_FLAG_WP, fail otherwise.
 */
int ptb_uffd_open(struct ptb_res *r, uint64_t features);

/* --scenario NAME[,NAME...] ("all": every one): sets sel[i] of each scenario
 * name(i), i < n, or exits through ptb_bad_args(). */
void ptb_select_scenarios(const char *arg, const char *(*name)(size_t i),
			  size_t n, bool *sel);

/* --list: prints name(i) for i < n, one a line, and exits 0. */
void ptb_list_scenarios(const char *(*name)(size_t i), size_t n)
	__attribute__((noreturn));

/* Selects every scenario if none of sel[0..n) is. */
void ptb_select_default(bool *sel, size_t n);

/*
 * Starts scenario `scenario` of a "PTB <kind>" program at folio size
 * `size`: clears *r (result pass), prepares the signal line of
 * ptb_install_signals() and arms alarm(timeout).
 */
void ptb_scenario_begin(struct ptb_res *r, const char *kind,
			const char *scenario, const char *size,
			unsigned timeout);

#define PTB_RES_SWAPPED 1u
#define PTB_RES_PAGES 2u
#define PTB_RES_BAD_BYTES 4u
#define PTB_RES_BAD_PAGES 8u

/*
 * Ends it: alarm(0), then "PTB <kind> scenario= size= result=", the
 * counts of `keys` (swapped pages bad_bytes bad_pages, in that order),
 * reason= if it did not pass, ms= and the extra pairs.  Returns r->r.
 */
enum ptb_result ptb_scenario_end(struct ptb_res *r, unsigned keys);

/* ---- content ------------------------------------------------------------ */

static inline uint64_t ptb_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* FNV-1a of a string, to derive per-scenario salts. */
uint64_t ptb_hash_str(const char *s);

/* Fills `len` bytes (a multiple of 8) with a seeded xorshift64* stream. */
void ptb_fill_stream(void *buf, size_t len, uint64_t seed);

/*
 * Per-page content: a xorshift64* stream whose state is derived from
 * (seed, tag); callers make the tag unique per page (index, generation,
 * scenario), so that a misplaced page is detected.  The first 8 bytes are
 * the tag itself, the next 8 the seed, for readable dumps.
 */
void ptb_fill_page(void *page, size_t psz, uint64_t seed, uint64_t tag);
/* Number of bytes of `page` that differ from ptb_fill_page()'s content. */
size_t ptb_check_page(const void *page, size_t psz, uint64_t seed,
		      uint64_t tag);
/* True if every byte of the page is zero. */
bool ptb_page_is_zero(const void *page, size_t psz);

#endif /* PTB_GUEST_COMMON_H */
