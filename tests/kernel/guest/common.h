/*
 * Shared helpers for the ptebatch guest programs (pageout_bench, integrity,
 * mremap_bench).
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
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

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

/* ---- THP configuration ------------------------------------------------ */

/*
 * Configures /sys/kernel/mm/transparent_hugepage so that anonymous faults
 * allocate folios of exactly `size` (one of PTB_THP_SIZES):
 *   - "never" into every writable hugepages-<N>kB/enabled;
 *   - mTHP (16K..128K): top-level enabled "never", hugepages-<N>kB "always";
 *   - 2M: top-level enabled "always", hugepages-2048kB "inherit";
 *   - 4K: everything "never", top level too.
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

/* Reads one number from /proc/meminfo ("SwapTotal"), in kB; -1 if absent. */
int64_t ptb_meminfo_kb(const char *name);

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
