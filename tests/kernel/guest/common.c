/*
 * Shared helpers for the ptebatch guest programs; see common.h.
 */
#define _GNU_SOURCE
#include "common.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *ptb_prog = "ptb";

void ptb_diag(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", ptb_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

const char *ptb_errname(int err)
{
	static char buf[16];
	const char *name = strerrorname_np(err);

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

/* ---- argument parsing ------------------------------------------------- */

static const struct {
	const char *name;
	size_t bytes;
} thp_sizes[] = {
	{ "4K", 4 * PTB_KIB },	   { "16K", 16 * PTB_KIB },
	{ "32K", 32 * PTB_KIB },   { "64K", 64 * PTB_KIB },
	{ "128K", 128 * PTB_KIB }, { "2M", 2 * PTB_MIB },
};

int ptb_parse_thp_size(const char *s, size_t *bytes)
{
	size_t i;

	if (!s)
		return -1;
	for (i = 0; i < sizeof(thp_sizes) / sizeof(thp_sizes[0]); i++) {
		if (strcmp(s, thp_sizes[i].name) == 0) {
			*bytes = thp_sizes[i].bytes;
			return 0;
		}
	}
	return -1;
}

int ptb_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

void ptb_bad_args(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", ptb_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s: try --help\n", ptb_prog);
	exit(2);
}

void ptb_bad_option(int opt, char *const argv[])
{
	if (opt == ':')
		ptb_bad_args("option %s needs a value", argv[optind - 1]);
	if (optopt)
		ptb_bad_args("unknown option -%c", optopt);
	ptb_bad_args("unknown option %s", argv[optind - 1]);
}

void ptb_no_operands(int argc, char *const argv[])
{
	if (optind < argc)
		ptb_bad_args("unexpected argument \"%s\"", argv[optind]);
}

size_t ptb_arg_thp_size(const char *name)
{
	size_t bytes;

	if (ptb_parse_thp_size(name, &bytes) < 0)
		ptb_bad_args("--size \"%s\": expected one of %s", name,
			     PTB_THP_SIZES);
	return bytes;
}

uint64_t ptb_arg_u64(const char *opt, const char *arg, uint64_t min,
		     uint64_t max, uint64_t multiple, const char *what)
{
	uint64_t v;

	if (ptb_parse_u64(arg, &v) < 0 || v < min || v > max ||
	    (multiple > 1 && v % multiple)) {
		if (min == 0 && max == UINT64_MAX)
			ptb_bad_args("%s \"%s\": expected %s", opt, arg, what);
		ptb_bad_args("%s \"%s\": expected %s in %" PRIu64 "..%" PRIu64,
			     opt, arg, what, min, max);
	}
	return v;
}

/* ---- small file helpers ----------------------------------------------- */

const char *ptb_thp_root(void)
{
	const char *r = getenv("PTB_THP_ROOT");

	return (r && *r) ? r : "/sys/kernel/mm/transparent_hugepage";
}

/* Reads a small file into buf (NUL-terminated); bytes read or -1 (errno). */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	err = errno;
	close(fd);
	if (n < 0) {
		errno = err;
		return -1;
	}
	buf[n] = '\0';
	return n;
}

static int write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	size_t len = strlen(val);
	ssize_t n;
	int err;

	if (fd < 0) {
		ptb_diag("cannot open %s for writing: %s", path,
			 strerror(errno));
		return -1;
	}
	n = write(fd, val, len);
	err = errno;
	if (close(fd) != 0 && n >= 0) {
		n = -1;
		err = errno;
	}
	if (n != (ssize_t)len) {
		ptb_diag("cannot write \"%s\" to %s: %s", val, path,
			 n < 0 ? strerror(err) : "short write");
		return -1;
	}
	return 0;
}

static int read_u64_file(const char *path, uint64_t *v)
{
	char buf[64];
	char *end;

	if (read_small(path, buf, sizeof(buf)) < 0)
		return -1;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	if (errno || end == buf)
		return -1;
	return 0;
}

/* The selected value of a sysfs choice file: "a [b] c" gives "b"; a file
 * without brackets (a fake tree) gives its trimmed content. */
static int read_choice(const char *path, char *out, size_t size)
{
	char buf[256];
	char *s, *e;

	if (read_small(path, buf, sizeof(buf)) < 0) {
		ptb_diag("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	s = strchr(buf, '[');
	if (s) {
		e = strchr(++s, ']');
		if (!e) {
			ptb_diag("cannot parse %s: \"%s\"", path, buf);
			return -1;
		}
	} else {
		for (s = buf; isspace((unsigned char)*s); s++)
			;
		for (e = s + strlen(s); e > s && isspace((unsigned char)e[-1]);
		     e--)
			;
	}
	if ((size_t)(e - s) >= size) {
		ptb_diag("cannot parse %s: value too long", path);
		return -1;
	}
	memcpy(out, s, e - s);
	out[e - s] = '\0';
	return 0;
}

/* ---- THP configuration ------------------------------------------------ */

/* kB sizes of the hugepages-<N>kB directories, ascending; count or -1. */
static int list_thp_sizes(unsigned *kbs, int max)
{
	const char *root = ptb_thp_root();
	DIR *d = opendir(root);
	struct dirent *de;
	int n = 0, i, j;

	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		unsigned kb;
		char tail[4];

		if (sscanf(de->d_name, "hugepages-%ukB%3s", &kb, tail) != 1)
			continue;
		if (strncmp(de->d_name, "hugepages-", 10) != 0 ||
		    strcmp(de->d_name + strlen(de->d_name) - 2, "kB") != 0)
			continue;
		if (n < max)
			kbs[n++] = kb;
	}
	closedir(d);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && kbs[j - 1] > kbs[j]; j--) {
			unsigned t = kbs[j];

			kbs[j] = kbs[j - 1];
			kbs[j - 1] = t;
		}
	return n;
}

static int expect_choice(const char *path, const char *want)
{
	char got[64];

	if (read_choice(path, got, sizeof(got)) < 0)
		return -1;
	if (strcmp(got, want) != 0) {
		ptb_diag("%s reads \"%s\" after setup, expected \"%s\"", path,
			 got, want);
		return -1;
	}
	return 0;
}

int thp_setup(const char *size)
{
	const char *root = ptb_thp_root();
	unsigned kbs[PTB_MAX_MTHP];
	char path[512], top[512];
	size_t bytes;
	unsigned want_kb;
	const char *top_val, *size_val;
	int n, i;

	if (ptb_parse_thp_size(size, &bytes) < 0) {
		ptb_diag("thp_setup: unknown size \"%s\" (expected one of %s)",
			 size ? size : "(null)", PTB_THP_SIZES);
		return -1;
	}
	want_kb = (unsigned)(bytes / PTB_KIB);
	n = list_thp_sizes(kbs, PTB_MAX_MTHP);
	if (n < 0) {
		ptb_diag("thp_setup: cannot list %s: %s", root,
			 strerror(errno));
		return -1;
	}

	if (bytes == 4 * PTB_KIB) {
		top_val = "never";
		size_val = NULL;
	} else if (bytes == PTB_PMD_SIZE) {
		top_val = "always";
		size_val = "inherit";
	} else {
		top_val = "never";
		size_val = "always";
	}

	/* Every per-size control off first, so no other size can be used. */
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/hugepages-%ukB/enabled", root,
			 kbs[i]);
		if (access(path, F_OK) != 0)
			continue; /* a file/shmem-only size: no anon control */
		if (access(path, W_OK) != 0) {
			ptb_diag("thp_setup: %s not writable (%s), left as is",
				 path, strerror(errno));
			continue;
		}
		if (write_str(path, "never") < 0)
			return -1;
	}
	snprintf(top, sizeof(top), "%s/enabled", root);
	if (write_str(top, top_val) < 0)
		return -1;
	if (size_val) {
		snprintf(path, sizeof(path), "%s/hugepages-%ukB/enabled", root,
			 want_kb);
		if (access(path, F_OK) != 0) {
			ptb_diag("thp_setup: %s does not exist: this kernel has "
				 "no %s anonymous folios", path, size);
			return -1;
		}
		if (write_str(path, size_val) < 0)
			return -1;
	}

	/* Read everything back. */
	if (expect_choice(top, top_val) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const char *want = "never";

		if (size_val && kbs[i] == want_kb)
			want = size_val;
		snprintf(path, sizeof(path), "%s/hugepages-%ukB/enabled", root,
			 kbs[i]);
		if (access(path, F_OK) != 0)
			continue;
		if (expect_choice(path, want) < 0)
			return -1;
	}
	return 0;
}

/* ---- counters --------------------------------------------------------- */

const char *const ptb_mthp_stat_names[MTHP_NSTATS] = {
	[MTHP_ANON_FAULT_ALLOC] = "anon_fault_alloc",
	[MTHP_ANON_FAULT_FALLBACK] = "anon_fault_fallback",
	[MTHP_ANON_FAULT_FALLBACK_CHARGE] = "anon_fault_fallback_charge",
	[MTHP_SWPOUT] = "swpout",
	[MTHP_SWPOUT_FALLBACK] = "swpout_fallback",
	[MTHP_ZSWPOUT] = "zswpout",
	[MTHP_SWPIN] = "swpin",
	[MTHP_SWPIN_FALLBACK] = "swpin_fallback",
	[MTHP_SPLIT] = "split",
	[MTHP_SPLIT_FAILED] = "split_failed",
	[MTHP_SPLIT_DEFERRED] = "split_deferred",
	[MTHP_NR_ANON] = "nr_anon",
	[MTHP_NR_ANON_PARTIALLY_MAPPED] = "nr_anon_partially_mapped",
};

int ptb_snapshot(struct ptb_snapshot *s)
{
	const char *root = ptb_thp_root();
	unsigned kbs[PTB_MAX_MTHP];
	char line[256], path[512];
	FILE *f;
	int n, i, j;

	s->nvm = 0;
	s->nsizes = 0;
	f = fopen("/proc/vmstat", "re");
	if (!f) {
		ptb_diag("cannot open /proc/vmstat: %s", strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char name[sizeof(s->vm[0].name)];
		unsigned long long v;

		if (sscanf(line, "%55s %llu", name, &v) != 2)
			continue;
		if (s->nvm == PTB_MAX_VMSTAT)
			break;
		memcpy(s->vm[s->nvm].name, name, sizeof(name));
		s->vm[s->nvm].value = v;
		s->nvm++;
	}
	if (ferror(f)) {
		ptb_diag("cannot read /proc/vmstat: %s", strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);

	n = list_thp_sizes(kbs, PTB_MAX_MTHP);
	s->nsizes = n > 0 ? (size_t)n : 0;
	for (i = 0; i < n; i++) {
		s->mthp[i].kb = kbs[i];
		for (j = 0; j < MTHP_NSTATS; j++) {
			uint64_t v;

			snprintf(path, sizeof(path),
				 "%s/hugepages-%ukB/stats/%s", root, kbs[i],
				 ptb_mthp_stat_names[j]);
			s->mthp[i].v[j] =
				read_u64_file(path, &v) == 0 ? (int64_t)v :
							       PTB_NA;
		}
	}
	return 0;
}

int64_t ptb_vm_get(const struct ptb_snapshot *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nvm; i++)
		if (strcmp(s->vm[i].name, name) == 0)
			return (int64_t)s->vm[i].value;
	return PTB_NA;
}

int64_t ptb_vm_delta(const struct ptb_snapshot *a,
		     const struct ptb_snapshot *b, const char *name)
{
	int64_t x = ptb_vm_get(a, name), y = ptb_vm_get(b, name);

	if (x == PTB_NA || y == PTB_NA)
		return PTB_NA;
	return y - x;
}

static int64_t mthp_get(const struct ptb_snapshot *s, unsigned kb,
			enum ptb_mthp_stat stat)
{
	size_t i;

	for (i = 0; i < s->nsizes; i++)
		if (s->mthp[i].kb == kb)
			return s->mthp[i].v[stat];
	return PTB_NA;
}

int64_t ptb_mthp_delta(const struct ptb_snapshot *a,
		       const struct ptb_snapshot *b, unsigned kb,
		       enum ptb_mthp_stat stat)
{
	int64_t x = mthp_get(a, kb, stat), y = mthp_get(b, kb, stat);

	if (x == PTB_NA || y == PTB_NA)
		return PTB_NA;
	return y - x;
}

int64_t ptb_mthp_delta_others(const struct ptb_snapshot *a,
			      const struct ptb_snapshot *b, unsigned kb,
			      enum ptb_mthp_stat stat)
{
	int64_t sum = 0;
	size_t i;

	for (i = 0; i < b->nsizes; i++) {
		int64_t d;

		if (b->mthp[i].kb == kb)
			continue;
		d = ptb_mthp_delta(a, b, b->mthp[i].kb, stat);
		if (d != PTB_NA)
			sum += d;
	}
	return sum;
}

void ptb_fault_counts(const struct ptb_snapshot *a,
		      const struct ptb_snapshot *b, size_t size,
		      int64_t *alloc, int64_t *fallback, int64_t *other)
{
	unsigned kb = (unsigned)(size / PTB_KIB);

	if (size <= 4 * PTB_KIB) {
		*alloc = PTB_NA;
		*fallback = PTB_NA;
		*other = ptb_mthp_delta_others(a, b, 0, MTHP_ANON_FAULT_ALLOC);
		return;
	}
	*alloc = ptb_mthp_delta(a, b, kb, MTHP_ANON_FAULT_ALLOC);
	*fallback = ptb_mthp_delta(a, b, kb, MTHP_ANON_FAULT_FALLBACK);
	if (size == PTB_PMD_SIZE) {
		int64_t v = ptb_vm_delta(a, b, "thp_fault_alloc");

		if (v != PTB_NA)
			*alloc = v;
		v = ptb_vm_delta(a, b, "thp_fault_fallback");
		if (v != PTB_NA)
			*fallback = v;
	}
	*other = ptb_mthp_delta_others(a, b, kb, MTHP_ANON_FAULT_ALLOC);
}

void ptb_fault_check(const struct ptb_snapshot *a,
		     const struct ptb_snapshot *b, size_t size, size_t len,
		     const char *what, struct ptb_faults *f)
{
	ptb_fault_counts(a, b, size, &f->alloc, &f->fallback, &f->other);
	f->expected = size > 4 * PTB_KIB ? (int64_t)(len / size) : 0;
	if (size <= 4 * PTB_KIB)
		f->ok = f->other == 0 ? "1" : "0";
	else if (f->alloc == PTB_NA)
		f->ok = "na";
	else
		f->ok = (f->alloc == f->expected && f->other == 0) ? "1" : "0";
	if (strcmp(f->ok, "0") == 0)
		ptb_diag("%s: faults allocated %" PRId64 " %zuK folios (expected "
			 "%" PRId64 ") and %" PRId64 " large folios of other "
			 "sizes",
			 what, f->alloc == PTB_NA ? 0 : f->alloc,
			 size / PTB_KIB, f->expected, f->other);
}

int64_t ptb_meminfo_kb(const char *name)
{
	char line[256];
	size_t len = strlen(name);
	int64_t r = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		long long v;

		if (strncmp(line, name, len) == 0 && line[len] == ':' &&
		    sscanf(line + len + 1, "%lld", &v) == 1) {
			r = v;
			break;
		}
	}
	fclose(f);
	return r;
}

/* ---- result lines ------------------------------------------------------ */

static void line_add(struct ptb_line *l, const char *s, bool sanitize)
{
	for (; *s; s++) {
		char c = *s;

		if (l->len + 1 >= sizeof(l->buf))
			return;
		if (sanitize && (c == '=' || !isgraph((unsigned char)c)))
			c = '_';
		l->buf[l->len++] = c;
	}
	l->buf[l->len] = '\0';
}

void ptb_line_clear(struct ptb_line *l)
{
	l->len = 0;
	l->buf[0] = '\0';
}

void ptb_line_begin(struct ptb_line *l, const char *kind)
{
	ptb_line_clear(l);
	line_add(l, "PTB ", false);
	line_add(l, kind, true);
}

void ptb_kv_s(struct ptb_line *l, const char *key, const char *val)
{
	line_add(l, " ", false);
	line_add(l, key, true);
	line_add(l, "=", false);
	line_add(l, (val && *val) ? val : "-", true);
}

void ptb_kv_u(struct ptb_line *l, const char *key, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	ptb_kv_s(l, key, buf);
}

void ptb_kv_i(struct ptb_line *l, const char *key, int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	ptb_kv_s(l, key, buf);
}

void ptb_kv_cnt(struct ptb_line *l, const char *key, int64_t v)
{
	if (v == PTB_NA)
		ptb_kv_s(l, key, "na");
	else
		ptb_kv_i(l, key, v);
}

void ptb_kv_append(struct ptb_line *l, const struct ptb_line *pairs)
{
	line_add(l, pairs->buf, false);
}

void ptb_kv_faults(struct ptb_line *l, const struct ptb_faults *f)
{
	ptb_kv_cnt(l, "fault_alloc", f->alloc);
	ptb_kv_i(l, "fault_expected", f->expected);
	ptb_kv_cnt(l, "fault_fallback", f->fallback);
	ptb_kv_cnt(l, "fault_other", f->other);
	ptb_kv_s(l, "fault_ok", f->ok);
}

void ptb_line_end(struct ptb_line *l)
{
	fflush(stderr);
	fputs(l->buf, stdout);
	fputc('\n', stdout);
	fflush(stdout);
}

/* ---- memory ------------------------------------------------------------ */

size_t ptb_page_size(void)
{
	static size_t psz;

	if (!psz) {
		long v = sysconf(_SC_PAGESIZE);

		psz = v > 0 ? (size_t)v : 4096;
	}
	return psz;
}

static void *map_aligned(size_t len, size_t align, int prot)
{
	size_t total = len + align;
	char *p, *a;

	if (align < ptb_page_size() || (align & (align - 1)) || total < len) {
		ptb_diag("map_aligned: bad alignment %zu for %zu bytes", align,
			 len);
		return NULL;
	}
	p = mmap(NULL, total, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	if (p == MAP_FAILED) {
		ptb_diag("mmap of %zu bytes failed: %s", total,
			 strerror(errno));
		return NULL;
	}
	a = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	if (a > p && munmap(p, a - p) != 0) {
		ptb_diag("munmap (trim head) failed: %s", strerror(errno));
		munmap(p, total);
		return NULL;
	}
	if (p + total > a + len && munmap(a + len, p + total - (a + len))) {
		ptb_diag("munmap (trim tail) failed: %s", strerror(errno));
		munmap(a, p + total - a);
		return NULL;
	}
	return a;
}

void *ptb_map_aligned(size_t len, size_t align)
{
	return map_aligned(len, align, PROT_READ | PROT_WRITE);
}

void *ptb_reserve_aligned(size_t len, size_t align)
{
	return map_aligned(len, align, PROT_NONE);
}

int ptb_guard_at(void *addr, size_t len, bool replace)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		    (replace ? MAP_FIXED : MAP_FIXED_NOREPLACE);
	void *p = mmap(addr, len, PROT_NONE, flags, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	if (p != addr) { /* a kernel that took NOREPLACE for a hint */
		munmap(p, len);
		errno = EEXIST;
		return -1;
	}
	return 0;
}

int64_t ptb_resident_pages(const void *addr, size_t len)
{
	size_t psz = ptb_page_size(), n = (len + psz - 1) / psz, i;
	unsigned char *vec = malloc(n ? n : 1);
	int64_t r = 0;

	if (!vec) {
		ptb_diag("mincore: out of memory for %zu pages", n);
		return -1;
	}
	if (mincore((void *)addr, len, vec) != 0) {
		ptb_diag("mincore(%p, %zu) failed: %s", addr, len,
			 strerror(errno));
		free(vec);
		return -1;
	}
	for (i = 0; i < n; i++)
		r += vec[i] & 1;
	free(vec);
	return r;
}

void ptb_pin_cpu(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	if (cpu < 0) {
		ptb_diag("sched_getcpu failed (%s); not pinned",
			 strerror(errno));
		return;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		ptb_diag("sched_setaffinity(cpu %d) failed (%s); not pinned",
			 cpu, strerror(errno));
}

uint64_t ptb_now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
		ptb_diag("clock_gettime(CLOCK_MONOTONIC) failed: %s",
			 strerror(errno));
		return 0;
	}
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t ptb_sort_median(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return (n & 1) ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- content ------------------------------------------------------------ */

uint64_t ptb_hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static inline uint64_t xorshift64s(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static uint64_t stream_state(uint64_t seed, uint64_t tag)
{
	uint64_t x = seed ^ (tag * 0xd1342543de82ef95ULL);
	uint64_t s = ptb_splitmix64(&x);

	return s ? s : 0x9e3779b97f4a7c15ULL;
}

void ptb_fill_stream(void *buf, size_t len, uint64_t seed)
{
	uint64_t *w = buf, s = stream_state(seed, 0x5eed);
	size_t i;

	for (i = 0; i < len / 8; i++)
		w[i] = xorshift64s(&s);
}

void ptb_fill_page(void *page, size_t psz, uint64_t seed, uint64_t tag)
{
	uint64_t *w = page, s = stream_state(seed, tag);
	size_t i;

	w[0] = tag;
	w[1] = seed;
	for (i = 2; i < psz / 8; i++)
		w[i] = xorshift64s(&s);
}

static size_t diff_bytes(uint64_t a, uint64_t b)
{
	uint64_t x = a ^ b;
	size_t n = 0;

	for (; x; x >>= 8)
		n += (x & 0xff) != 0;
	return n;
}

size_t ptb_check_page(const void *page, size_t psz, uint64_t seed,
		      uint64_t tag)
{
	const volatile uint64_t *w = page;
	uint64_t s = stream_state(seed, tag);
	size_t i, bad = 0;

	bad += diff_bytes(w[0], tag);
	bad += diff_bytes(w[1], seed);
	for (i = 2; i < psz / 8; i++) {
		uint64_t want = xorshift64s(&s), got = w[i];

		if (got != want)
			bad += diff_bytes(got, want);
	}
	return bad;
}

bool ptb_page_is_zero(const void *page, size_t psz)
{
	const volatile uint64_t *w = page;
	size_t i;

	for (i = 0; i < psz / 8; i++)
		if (w[i])
			return false;
	return true;
}
