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
#include <linux/userfaultfd.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

int ptb_getopt(int argc, char *const argv[], const struct option *opts,
	       void (*usage)(FILE *f))
{
	int c;

	opterr = 0;
	c = getopt_long(argc, argv, ":", opts, NULL);
	if (c == 'h') {
		usage(stdout);
		exit(0);
	}
	if (c == ':' || c == '?')
		ptb_bad_option(c, argv);
	return c;
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

ssize_t ptb_read_file(const char *path, char *buf, size_t size)
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

int ptb_write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err;
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	err = errno;
	close(fd);
	if (n != (ssize_t)strlen(val)) {
		errno = n < 0 ? err : EIO;
		return -1;
	}
	return 0;
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

	if (ptb_read_file(path, buf, sizeof(buf)) < 0)
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

	if (ptb_read_file(path, buf, sizeof(buf)) < 0) {
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

/*
 * shmem (MAP_SHARED anonymous memory) the same way, where the kernel has the
 * controls: "never" into the top-level shmem_enabled and every
 * hugepages-<N>kB/shmem_enabled, then "always" into the size's own.  A kernel
 * without them (or without shmem folios of that size) is noted, not an
 * error: the shmem scenarios report the folios they got.
 */
static int shmem_thp_setup(const char *root, const unsigned *kbs, int n,
			   unsigned want_kb, bool base_pages)
{
	char path[512];
	int i;

	snprintf(path, sizeof(path), "%s/shmem_enabled", root);
	if (access(path, W_OK) != 0) {
		ptb_diag("thp_setup: %s not writable (%s): shmem left as is",
			 path, strerror(errno));
		return 0;
	}
	if (write_str(path, "never") < 0 || expect_choice(path, "never") < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const char *want = !base_pages && kbs[i] == want_kb ? "always" :
								      "never";

		snprintf(path, sizeof(path), "%s/hugepages-%ukB/shmem_enabled",
			 root, kbs[i]);
		if (access(path, F_OK) != 0) {
			if (!base_pages && kbs[i] == want_kb)
				ptb_diag("thp_setup: no %s: shmem gets no "
					 "folios of this size", path);
			continue;
		}
		if (write_str(path, want) < 0 || expect_choice(path, want) < 0)
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
	return shmem_thp_setup(root, kbs, n, want_kb, bytes == 4 * PTB_KIB);
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
	[MTHP_SHMEM_ALLOC] = "shmem_alloc",
	[MTHP_SHMEM_FALLBACK] = "shmem_fallback",
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

void ptb_shmem_fault_counts(const struct ptb_snapshot *a,
			    const struct ptb_snapshot *b, size_t size,
			    int64_t *alloc, int64_t *fallback, int64_t *other)
{
	unsigned kb = (unsigned)(size / PTB_KIB);

	if (size <= 4 * PTB_KIB) {
		*alloc = PTB_NA;
		*fallback = PTB_NA;
		*other = ptb_mthp_delta_others(a, b, 0, MTHP_SHMEM_ALLOC);
		return;
	}
	*alloc = ptb_mthp_delta(a, b, kb, MTHP_SHMEM_ALLOC);
	*fallback = ptb_mthp_delta(a, b, kb, MTHP_SHMEM_FALLBACK);
	*other = ptb_mthp_delta_others(a, b, kb, MTHP_SHMEM_ALLOC);
}

static void fault_check(const struct ptb_snapshot *a,
			const struct ptb_snapshot *b, size_t size, size_t len,
			const char *what, struct ptb_faults *f, bool shmem)
{
	if (shmem)
		ptb_shmem_fault_counts(a, b, size, &f->alloc, &f->fallback,
				       &f->other);
	else
		ptb_fault_counts(a, b, size, &f->alloc, &f->fallback,
				 &f->other);
	f->expected = size > 4 * PTB_KIB ? (int64_t)(len / size) : 0;
	if (size <= 4 * PTB_KIB)
		f->ok = f->other == 0 ? "1" : "0";
	else if (f->alloc == PTB_NA)
		f->ok = "na";
	else
		f->ok = (f->alloc == f->expected && f->other == 0) ? "1" : "0";
	if (strcmp(f->ok, "0") == 0)
		ptb_diag("%s: faults allocated %" PRId64 " %zuK %sfolios "
			 "(expected %" PRId64 ") and %" PRId64 " large folios "
			 "of other sizes",
			 what, f->alloc == PTB_NA ? 0 : f->alloc,
			 size / PTB_KIB, shmem ? "shmem " : "", f->expected,
			 f->other);
}

void ptb_fault_check(const struct ptb_snapshot *a,
		     const struct ptb_snapshot *b, size_t size, size_t len,
		     const char *what, struct ptb_faults *f)
{
	fault_check(a, b, size, len, what, f, false);
}

void ptb_shmem_fault_check(const struct ptb_snapshot *a,
			   const struct ptb_snapshot *b, size_t size,
			   size_t len, const char *what, struct ptb_faults *f)
{
	fault_check(a, b, size, len, what, f, true);
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

uint64_t ptb_minor_faults(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (uint64_t)ru.ru_minflt;
}

/* ---- memory cgroup ------------------------------------------------------ */

static bool has_word(const char *list, const char *word)
{
	size_t len = strlen(word);
	const char *s = list;

	while ((s = strstr(s, word)) != NULL) {
		if ((s == list || s[-1] == ' ' || s[-1] == '\n') &&
		    (s[len] == '\0' || s[len] == ' ' || s[len] == '\n'))
			return true;
		s += len;
	}
	return false;
}

int ptb_memcg_enter(struct ptb_memcg *m, char *why, size_t whylen)
{
	char mnt[256] = "", line[512], buf[512], cur[512] = "", path[400];
	FILE *f;

	m->active = false;
	f = fopen("/proc/self/mounts", "re");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			char dev[128], dir[256], type[64];

			if (sscanf(line, "%127s %255s %63s", dev, dir, type) ==
				    3 &&
			    strcmp(type, "cgroup2") == 0) {
				snprintf(mnt, sizeof(mnt), "%s", dir);
				break;
			}
		}
		fclose(f);
	}
	if (!*mnt) {
		snprintf(why, whylen, "no_cgroup2_mount");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/cgroup.controllers", mnt);
	if (ptb_read_file(path, buf, sizeof(buf)) < 0 ||
	    !has_word(buf, "memory")) {
		snprintf(why, whylen, "no_memory_controller");
		return -1;
	}
	f = fopen("/proc/self/cgroup", "re");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			if (strncmp(line, "0::", 3) == 0) {
				line[strcspn(line, "\n")] = '\0';
				snprintf(cur, sizeof(cur), "%s", line + 3);
				break;
			}
		}
		fclose(f);
	}
	if (!*cur) {
		snprintf(why, whylen, "no_cgroup2_membership");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", mnt);
	if (ptb_read_file(path, buf, sizeof(buf)) < 0) {
		snprintf(why, whylen, "subtree_control_%s",
			 ptb_errname(errno));
		return -1;
	}
	if (!has_word(buf, "memory") && ptb_write_file(path, "+memory") < 0) {
		snprintf(why, whylen, "enable_memory_%s", ptb_errname(errno));
		return -1;
	}
	snprintf(m->dir, sizeof(m->dir), "%s/ptebatch-%d", mnt,
		 (int)getpid());
	if (mkdir(m->dir, 0755) < 0 && errno != EEXIST) {
		snprintf(why, whylen, "mkdir_%s", ptb_errname(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/memory.reclaim", m->dir);
	if (access(path, W_OK) != 0) {
		snprintf(why, whylen, "no_memory.reclaim");
		rmdir(m->dir);
		return -1;
	}
	if (snprintf(m->back, sizeof(m->back), "%s%s/cgroup.procs", mnt,
		     strcmp(cur, "/") == 0 ? "" : cur) >= (int)sizeof(m->back)) {
		snprintf(why, whylen, "path_too_long");
		rmdir(m->dir);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/cgroup.procs", m->dir);
	snprintf(buf, sizeof(buf), "%d", (int)getpid());
	if (ptb_write_file(path, buf) < 0) {
		snprintf(why, whylen, "join_%s", ptb_errname(errno));
		rmdir(m->dir);
		return -1;
	}
	m->active = true;
	return 0;
}

int ptb_memcg_reclaim(struct ptb_memcg *m, size_t bytes)
{
	char path[400], val[64];

	snprintf(path, sizeof(path), "%s/memory.reclaim", m->dir);
	snprintf(val, sizeof(val), "%zu swappiness=200", bytes);
	if (ptb_write_file(path, val) == 0)
		return 0;
	if (errno == EINVAL) { /* kernel without the swappiness= key */
		snprintf(val, sizeof(val), "%zu", bytes);
		if (ptb_write_file(path, val) == 0)
			return 0;
	}
	return errno;
}

void ptb_memcg_leave(struct ptb_memcg *m)
{
	char buf[32];
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i;

	if (!m->active)
		return;
	snprintf(buf, sizeof(buf), "%d", (int)getpid());
	if (ptb_write_file(m->back, buf) < 0)
		ptb_diag("cannot move back to %s: %s", m->back,
			 strerror(errno));
	for (i = 0; i < 200; i++) {
		if (rmdir(m->dir) == 0 || errno != EBUSY)
			break;
		nanosleep(&ts, NULL);
	}
	if (i == 200 || (access(m->dir, F_OK) == 0))
		ptb_diag("cannot remove %s: %s", m->dir, strerror(errno));
	m->active = false;
}

void ptb_clear_young(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/clear_refs", (int)pid);
	if (ptb_write_file(path, "1") < 0)
		ptb_diag("writing 1 to %s failed: %s (ignored)", path,
			 strerror(errno));
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

void *ptb_map_shmem_aligned(size_t len, size_t align)
{
	char *p = ptb_reserve_aligned(len, align);

	if (!p)
		return NULL;
	if (mmap(p, len, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) {
		ptb_diag("mmap(MAP_SHARED | MAP_ANONYMOUS) failed: %s",
			 strerror(errno));
		munmap(p, len);
		return NULL;
	}
	return p;
}

/* Sets the read-ahead window of the EROFS mount's bdi ("erofs-N"). */
static int erofs_readahead_kb(unsigned long kb)
{
	char path[300], val[32];
	struct dirent *e;
	int n = 0;
	DIR *d = opendir("/sys/class/bdi");

	if (!d) {
		ptb_diag("erofs: cannot list /sys/class/bdi: %s",
			 strerror(errno));
		return -1;
	}
	snprintf(val, sizeof(val), "%lu", kb);
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "erofs-", 6) != 0)
			continue;
		snprintf(path, sizeof(path), "/sys/class/bdi/%s/read_ahead_kb",
			 e->d_name);
		if (ptb_write_file(path, val) < 0) {
			ptb_diag("erofs: cannot write %s to %s: %s", val, path,
				 strerror(errno));
			closedir(d);
			return -1;
		}
		n++;
	}
	closedir(d);
	if (n != 1) {
		ptb_diag("erofs: %d bdi named erofs-* under /sys/class/bdi "
			 "(one mount of %s expected)", n, PTB_EROFS_IMAGE);
		return -1;
	}
	return 0;
}

/* Reads [0, len) of fd with read() in pieces of `chunk`, checking words. */
static int erofs_read_check(int fd, size_t len, size_t chunk)
{
	uint64_t *buf = malloc(chunk);
	size_t off = 0, i;

	if (!buf) {
		ptb_diag("erofs: out of memory for a %zu-byte buffer", chunk);
		return -1;
	}
	while (off < len) {
		ssize_t n = pread(fd, buf, chunk, (off_t)off);

		if (n != (ssize_t)chunk) {
			ptb_diag("erofs: read of %s at %zu: %s", PTB_EROFS_FILE,
				 off, n < 0 ? strerror(errno) : "short read");
			free(buf);
			return -1;
		}
		for (i = 0; i < chunk / sizeof(*buf); i++) {
			uint64_t want = ptb_erofs_word(off + i * sizeof(*buf));

			if (buf[i] != want) {
				ptb_diag("erofs: %s word at %zu is %#" PRIx64
					 ", not %#" PRIx64 " (not the image "
					 "run-kernel-test makes?)",
					 PTB_EROFS_FILE, off + i * sizeof(*buf),
					 buf[i], want);
				free(buf);
				return -1;
			}
		}
		off += chunk;
	}
	free(buf);
	return 0;
}

void *ptb_map_erofs(size_t len, size_t align, size_t folio_size)
{
	struct stat st;
	char *p;
	int fd;

	/*
	 * An open file keeps the window the bdi had at open(); and a read()
	 * of more than the window may read ahead up to the bdi's io_pages:
	 * set the window first, then read a folio's size at a time.
	 */
	if (erofs_readahead_kb(folio_size / PTB_KIB) < 0)
		return NULL;
	fd = open(PTB_EROFS_FILE, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ptb_diag("erofs: cannot open %s: %s (no %s in the initramfs, "
			 "or a kernel without CONFIG_EROFS_FS_BACKED_BY_FILE?)",
			 PTB_EROFS_FILE, strerror(errno), PTB_EROFS_INITRAMFS);
		return NULL;
	}
	if (fstat(fd, &st) != 0 || (size_t)st.st_size < len) {
		ptb_diag("erofs: %s has %lld bytes, %zu wanted", PTB_EROFS_FILE,
			 (long long)st.st_size, len);
		goto fail_close;
	}
	/* drop what an earlier run left (nothing maps the file now) */
	errno = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	if (errno) {
		ptb_diag("erofs: posix_fadvise(DONTNEED): %s", strerror(errno));
		goto fail_close;
	}
	if (erofs_read_check(fd, len, folio_size) < 0)
		goto fail_close;
	p = ptb_reserve_aligned(len, align);
	if (!p)
		goto fail_close;
	if (mmap(p, len, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0) ==
	    MAP_FAILED) {
		ptb_diag("erofs: mmap(MAP_SHARED) of %s failed: %s",
			 PTB_EROFS_FILE, strerror(errno));
		munmap(p, len);
		goto fail_close;
	}
	close(fd);
	if (madvise(p, len, MADV_POPULATE_READ) != 0) {
		ptb_diag("erofs: madvise(MADV_POPULATE_READ) failed: %s",
			 strerror(errno));
		munmap(p, len);
		return NULL;
	}
	return p;

fail_close:
	close(fd);
	return NULL;
}

#define KPF_COMPOUND_HEAD 15
#define KPF_COMPOUND_TAIL 16

int ptb_file_folio_check(const void *addr, size_t len, size_t folio_size,
			 const char *what, struct ptb_faults *f)
{
	size_t psz = ptb_page_size(), npages = len / psz, want = folio_size / psz;
	size_t i = 0, in_size = 0;
	uint64_t *pm = malloc(npages * sizeof(*pm));
	int kfd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC), rc = -1;

	f->alloc = 0;
	f->fallback = 0;
	f->other = 0;
	f->expected = (int64_t)(len / folio_size);
	f->ok = "0";
	if (!pm || kfd < 0 || ptb_read_pagemap(addr, npages, pm) < 0) {
		ptb_diag("%s: cannot read pagemap or /proc/kpageflags: %s",
			 what, strerror(errno));
		goto out;
	}
	/* a folio: a head page and the tail pages after it, PFN by PFN */
	while (i < npages) {
		uint64_t pfn = pm[i] & PM_PFN_MASK, kf;
		size_t n = 1;

		if (!(pm[i] & PM_PRESENT) || pread(kfd, &kf, sizeof(kf),
					    (off_t)(pfn * sizeof(kf))) != sizeof(kf)) {
			ptb_diag("%s: page %zu not present, or no kpageflags "
				 "for PFN %#" PRIx64, what, i, pfn);
			goto out;
		}
		if (kf & (1ULL << KPF_COMPOUND_HEAD)) {
			while (i + n < npages && (pm[i + n] & PM_PRESENT) &&
			       (pm[i + n] & PM_PFN_MASK) == pfn + n) {
				if (pread(kfd, &kf, sizeof(kf),
					  (off_t)((pfn + n) * sizeof(kf))) !=
					    sizeof(kf) ||
				    !(kf & (1ULL << KPF_COMPOUND_TAIL)))
					break;
				n++;
			}
		}
		if (n == want) {
			f->alloc++;
			in_size += n;
		} else {
			f->fallback++;
		}
		i += n;
	}
	rc = 0;
	/* all but readahead's first windows, whose orders grow 2, 4, 6, 8 */
	f->ok = in_size + 4 * want >= npages ? "1" : "0";
	if (strcmp(f->ok, "0") == 0)
		ptb_diag("%s: %zu of %zu pages in %zuK folios (%" PRId64
			 " folios of other sizes)", what, in_size, npages,
			 folio_size / PTB_KIB, f->fallback);
out:
	free(pm);
	if (kfd >= 0)
		close(kfd);
	return rc;
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

int ptb_read_pagemap(const void *addr, size_t npages, uint64_t *out)
{
	size_t psz = ptb_page_size(), want = npages * sizeof(uint64_t), got = 0;
	off_t off = (off_t)((uintptr_t)addr / psz * sizeof(uint64_t));
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return -1;
	while (got < want) {
		ssize_t n = pread(fd, (char *)out + got, want - got,
				  off + (off_t)got);

		if (n <= 0) {
			err = n < 0 ? errno : EIO;
			close(fd);
			errno = err;
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	return 0;
}

int64_t ptb_pmd_mapped_kb(const void *p, size_t len)
{
	uintptr_t lo = (uintptr_t)p, hi = lo + len;
	char line[512];
	int64_t kb = 0;
	bool in = false;
	FILE *f = fopen("/proc/self/smaps", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e;
		long long v;

		if (sscanf(line, "%lx-%lx ", &s, &e) == 2)
			in = s < hi && e > lo;
		else if (in &&
			 sscanf(line, "AnonHugePages: %lld kB", &v) == 1)
			kb += v;
	}
	fclose(f);
	return kb;
}

#ifndef MADV_NOHUGEPAGE
#define MADV_NOHUGEPAGE 15
#endif

int ptb_pte_map_pmds(char *p, size_t len, char **fail_at)
{
	size_t psz = ptb_page_size(), off;

	for (off = 0; off < len; off += PTB_PMD_SIZE) {
		if (mprotect(p + off, psz, PROT_READ) != 0 ||
		    mprotect(p + off, psz, PROT_READ | PROT_WRITE) != 0) {
			*fail_at = p + off;
			return -1;
		}
	}
	if (madvise(p, len, MADV_NOHUGEPAGE) != 0) {
		*fail_at = NULL;
		return -1;
	}
	return 0;
}

/* ---- userfaultfd -------------------------------------------------------- */

int ptb_userfaultfd(void)
{
	int uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);

#ifdef UFFD_USER_MODE_ONLY
	if (uffd < 0 && errno == EPERM)
		uffd = (int)syscall(SYS_userfaultfd,
				    O_CLOEXEC | O_NONBLOCK |
					    UFFD_USER_MODE_ONLY);
#endif
	return uffd;
}

int ptb_uffd_set_wp(int uffd, void *addr, size_t len, bool on)
{
	struct uffdio_writeprotect wp;

	memset(&wp, 0, sizeof(wp));
	wp.range.start = (uintptr_t)addr;
	wp.range.len = len;
	wp.mode = on ? UFFDIO_WRITEPROTECT_MODE_WP : 0;
	return ioctl(uffd, UFFDIO_WRITEPROTECT, &wp);
}

/* ---- processes ---------------------------------------------------------- */

int ptb_wait_child(pid_t pid, int *status, int timeout_ms)
{
	uint64_t deadline = ptb_now_ns() + (uint64_t)timeout_ms * 1000000ULL;
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	for (;;) {
		pid_t w = waitpid(pid, status, WNOHANG);

		if (w == pid)
			return 0;
		if (w < 0 && errno != EINTR)
			return -1;
		if (ptb_now_ns() >= deadline) {
			kill(pid, SIGKILL);
			while (waitpid(pid, status, 0) < 0 && errno == EINTR)
				;
			return 1;
		}
		nanosleep(&ts, NULL);
	}
}

void ptb_exec_without_aslr(char **argv)
{
	int pers = personality(0xffffffff);

	if (pers == -1 || (pers & ADDR_NO_RANDOMIZE))
		return;
	if (personality(pers | ADDR_NO_RANDOMIZE) == -1) {
		ptb_diag("personality(ADDR_NO_RANDOMIZE): %s; the layout "
			 "stays random", strerror(errno));
		return;
	}
	execv("/proc/self/exe", argv);
	ptb_diag("re-exec without address-space randomisation: %s; the "
		 "layout stays random", strerror(errno));
}

/* ---- benchmarks ---------------------------------------------------------- */

void ptb_bench_start(struct ptb_snapshot *s, size_t n)
{
	size_t i;

	ptb_pin_cpu();
	for (i = 0; i < n; i++)
		ptb_snapshot(&s[i]);
}

void ptb_kv_run_stats(struct ptb_line *l, uint64_t *ns, uint64_t runs)
{
	uint64_t sum = 0, median, i;

	for (i = 0; i < runs; i++)
		sum += ns[i];
	median = ptb_sort_median(ns, runs);
	ptb_kv_u(l, "min_ns", ns[0]);
	ptb_kv_u(l, "median_ns", median);
	ptb_kv_u(l, "max_ns", ns[runs - 1]);
	ptb_kv_u(l, "mean_ns", sum / runs);
}

void ptb_kv_splits(struct ptb_line *l, const struct ptb_snapshot *a,
		   const struct ptb_snapshot *b, unsigned kb)
{
	ptb_kv_cnt(l, "split", ptb_mthp_delta(a, b, kb, MTHP_SPLIT));
	ptb_kv_cnt(l, "thp_split_pmd", ptb_vm_delta(a, b, "thp_split_pmd"));
}

/* ---- scenarios ------------------------------------------------------------ */

static const char *const result_names[] = { "pass", "fail", "skip" };

void ptb_set_result(struct ptb_res *r, enum ptb_result what, const char *fmt,
		    ...)
{
	va_list ap;

	if (r->r != PTB_PASS)
		return;
	r->r = what;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

void ptb_fail_call(struct ptb_res *r, const char *call, int err)
{
	ptb_diag("%s failed: %s", call, strerror(err));
	ptb_set_result(r, PTB_FAIL, "%s_%s", call, ptb_errname(err));
}

int ptb_uffd_register_wp(void *p, size_t len, const char **why,
			 bool *unsupported)
{
	struct uffdio_api api = { .api = UFFD_API,
				  .features = UFFD_FEATURE_PAGEFAULT_FLAG_WP };
	struct uffdio_register reg;
	int uffd, e;

	*unsupported = false;
	uffd = ptb_userfaultfd();
	if (uffd < 0) {
		e = errno;
		ptb_diag("userfaultfd: %s (needs CONFIG_USERFAULTFD and "
			 "privilege)", strerror(e));
		*why = e == ENOSYS ? "userfaultfd_ENOSYS" :
		       e == EPERM  ? "userfaultfd_EPERM" :
				     "userfaultfd_failed";
		*unsupported = e == ENOSYS || e == EPERM;
		return -1;
	}
	if (ioctl(uffd, UFFDIO_API, &api) != 0) {
		e = errno;
		if (e == EINVAL) {
			ptb_diag("UFFDIO_API: the kernel does not offer "
				 "UFFD_FEATURE_PAGEFAULT_FLAG_WP (no "
				 "CONFIG_HAVE_ARCH_USERFAULTFD_WP)");
			*why = "no_UFFD_FEATURE_PAGEFAULT_FLAG_WP";
			*unsupported = true;
		} else {
			ptb_diag("UFFDIO_API failed: %s", strerror(e));
			*why = "UFFDIO_API_failed";
		}
		close(uffd);
		return -1;
	}
	memset(&reg, 0, sizeof(reg));
	reg.range.start = (uintptr_t)p;
	reg.range.len = len;
	reg.mode = UFFDIO_REGISTER_MODE_WP;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg) != 0) {
		e = errno;
		ptb_diag("UFFDIO_REGISTER (mode WP) failed: %s%s",
			 strerror(e),
			 e == EINVAL ? " (no anonymous uffd-wp)" : "");
		*why = e == EINVAL ? "UFFDIO_REGISTER_MODE_WP_unsupported" :
				     "UFFDIO_REGISTER_failed";
		*unsupported = e == EINVAL;
		close(uffd);
		return -1;
	}
	if (!(reg.ioctls & (1ULL << _UFFDIO_WRITEPROTECT))) {
		ptb_diag("UFFDIO_REGISTER: no UFFDIO_WRITEPROTECT for this "
			 "range");
		*why = "no_UFFDIO_WRITEPROTECT";
		*unsupported = true;
		close(uffd);
		return -1;
	}
	return uffd;
}

int ptb_uffd_open(struct ptb_res *r, uint64_t features)
{
	struct uffdio_api api = { .api = UFFD_API, .features = features };
	int uffd = ptb_userfaultfd(), e;

	if (uffd < 0) {
		e = errno;
		if (e == ENOSYS || e == EPERM) {
			ptb_diag("userfaultfd: %s: skipped (needs "
				 "CONFIG_USERFAULTFD and privilege)",
				 strerror(e));
			ptb_set_result(r, PTB_SKIP, "userfaultfd_%s",
				       ptb_errname(e));
		} else {
			ptb_fail_call(r, "userfaultfd", e);
		}
		return -1;
	}
	if (ioctl(uffd, UFFDIO_API, &api) != 0) {
		e = errno;
		if (e == EINVAL &&
		    (features & UFFD_FEATURE_PAGEFAULT_FLAG_WP)) {
			ptb_diag("UFFDIO_API: no UFFD_FEATURE_PAGEFAULT_FLAG_WP"
				 ": skipped (kernel without uffd-wp)");
			ptb_set_result(r, PTB_SKIP, "uffd_wp_unsupported");
		} else {
			ptb_fail_call(r, "UFFDIO_API", e);
		}
		close(uffd);
		return -1;
	}
	return uffd;
}

static sigjmp_buf guard_jb;
static volatile sig_atomic_t guard_armed;
static volatile sig_atomic_t guard_sig;
static pid_t parent_pid;
volatile pid_t ptb_child_pid;
static char fatal_prefix[256];
static size_t fatal_len;

static void emit_fatal(const char *reason)
{
	ssize_t rc;

	if (getpid() != parent_pid)
		_exit(64);
	rc = write(STDOUT_FILENO, fatal_prefix, fatal_len);
	rc = write(STDOUT_FILENO, reason, strlen(reason));
	(void)rc;
	if (ptb_child_pid > 0)
		kill(ptb_child_pid, SIGKILL);
	_exit(1);
}

static void on_fault(int sig)
{
	if (guard_armed) {
		guard_armed = 0;
		guard_sig = sig;
		siglongjmp(guard_jb, 1);
	}
	emit_fatal(sig == SIGBUS ? " reason=SIGBUS\n" : " reason=SIGSEGV\n");
}

static void on_alarm(int sig)
{
	(void)sig;
	emit_fatal(" reason=timeout\n");
}

void ptb_install_signals(void)
{
	struct sigaction sa;

	parent_pid = getpid();
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_fault;
	if (sigaction(SIGBUS, &sa, NULL) || sigaction(SIGSEGV, &sa, NULL))
		ptb_diag("sigaction(SIGBUS/SIGSEGV) failed: %s",
			 strerror(errno));
	sa.sa_handler = on_alarm;
	if (sigaction(SIGALRM, &sa, NULL))
		ptb_diag("sigaction(SIGALRM) failed: %s", strerror(errno));
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL))
		ptb_diag("sigaction(SIGPIPE) failed: %s", strerror(errno));
}

int ptb_guarded(void (*fn)(void *), void *arg)
{
	if (sigsetjmp(guard_jb, 1))
		return guard_sig;
	guard_armed = 1;
	fn(arg);
	guard_armed = 0;
	return 0;
}

void ptb_select_scenarios(const char *arg, const char *(*name)(size_t i),
			  size_t n, bool *sel)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	size_t i, k = 0;

	if (!copy)
		ptb_bad_args("out of memory");
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save), k++) {
		if (strcmp(tok, "all") == 0) {
			for (i = 0; i < n; i++)
				sel[i] = true;
			continue;
		}
		for (i = 0; i < n; i++)
			if (strcmp(tok, name(i)) == 0)
				break;
		if (i == n)
			ptb_bad_args("--scenario \"%s\": unknown scenario "
				     "(--list shows them)", tok);
		sel[i] = true;
	}
	if (!k)
		ptb_bad_args("--scenario \"%s\": no scenario name", arg);
	free(copy);
}

void ptb_list_scenarios(const char *(*name)(size_t i), size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%s\n", name(i));
	exit(0);
}

void ptb_select_default(bool *sel, size_t n)
{
	bool any = false;
	size_t i;

	for (i = 0; i < n; i++)
		any |= sel[i];
	if (!any)
		for (i = 0; i < n; i++)
			sel[i] = true;
}

void ptb_scenario_begin(struct ptb_res *r, const char *kind,
			const char *scenario, const char *size,
			unsigned timeout)
{
	memset(r, 0, sizeof(*r));
	r->r = PTB_PASS;
	ptb_line_clear(&r->extra);
	r->kind = kind;
	r->scenario = scenario;
	r->size = size;
	fatal_len = (size_t)snprintf(fatal_prefix, sizeof(fatal_prefix),
				     "PTB %s scenario=%s size=%s result=fail",
				     kind, scenario, size);
	if (fatal_len >= sizeof(fatal_prefix))
		fatal_len = sizeof(fatal_prefix) - 1;
	r->t0 = ptb_now_ns();
	alarm(timeout);
}

enum ptb_result ptb_scenario_end(struct ptb_res *r, unsigned keys)
{
	struct ptb_line l;

	alarm(0);
	ptb_line_begin(&l, r->kind);
	ptb_kv_s(&l, "scenario", r->scenario);
	ptb_kv_s(&l, "size", r->size);
	ptb_kv_s(&l, "result", result_names[r->r]);
	if (keys & PTB_RES_SWAPPED)
		ptb_kv_i(&l, "swapped", r->swapped);
	if (keys & PTB_RES_PAGES)
		ptb_kv_i(&l, "pages", r->pages);
	if (keys & PTB_RES_BAD_BYTES)
		ptb_kv_i(&l, "bad_bytes", r->bad_bytes);
	if (keys & PTB_RES_BAD_PAGES)
		ptb_kv_i(&l, "bad_pages", r->bad_pages);
	if (r->r != PTB_PASS)
		ptb_kv_s(&l, "reason", r->reason);
	ptb_kv_u(&l, "ms", (ptb_now_ns() - r->t0) / 1000000);
	ptb_kv_append(&l, &r->extra);
	ptb_line_end(&l);
	return r->r;
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
