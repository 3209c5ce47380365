// SPDX-License-Identifier: GPL-2.0
/*
 * ptb-init: PID 1 of ptebatch's qemu guests, the same static C program for
 * x86-64 and arm64 (no shell, no busybox needed).
 *
 * It mounts proc, sysfs, devtmpfs, debugfs, a tmpfs on /tmp and the EROFS
 * image of the file benchmarks if the initramfs has one, sets up a
 * zram swap device (mkswap and swapon done here), runs the commands of
 * /plan one by one (one command per line, words separated by spaces; lines
 * starting with '#' are skipped), reports "PTB exit cmd=... status=..."
 * after each, scans the kernel log for warnings, and powers the machine
 * off. Everything it reports is a "PTB ..." line on the console.
 *
 * A line may start with "retry=N": a command that fails is run again, at
 * most N more times, each attempt reported ("PTB exit ... attempt=K"); the
 * last attempt's status counts. The harness uses it for the mm selftests
 * whose thread races are known to lose under qemu TCG, on both kernels.
 *
 * The harness reads the kernel command line "ptb.zram=SIZE" (default 2G).
 */
#define _GNU_SOURCE
#include "common.h"	/* PTB_EROFS_*: the macros only */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static void power_off(int status)
{
	say("PTB done status=%d\n", status);
	sync();
	/* x86 tinyconfig has no ACPI power-off: qemu runs with -no-reboot */
	reboot(RB_AUTOBOOT);
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

static void mount_or_say(const char *src, const char *dst, const char *type)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, 0, NULL) && errno != EBUSY)
		say("PTB init-warning mount=%s errno=%d\n", dst, errno);
}

/*
 * The EROFS image of the file benchmarks: EROFS mounts a file only if its
 * filesystem can read folios (a_ops->read_folio), which the initramfs'
 * tmpfs cannot, so the image moves to a ramfs first (whose pages also
 * stay put: no swap), then it is mounted read-only from there.
 */
static int mount_erofs(void)
{
	static char buf[1 << 20];
	char dir[] = PTB_EROFS_IMAGE;
	int in, out, err = 0;
	ssize_t n;

	*strrchr(dir, '/') = '\0';
	mkdir(dir, 0755);
	mkdir(PTB_EROFS_DIR, 0755);
	if (mount("ramfs", dir, "ramfs", 0, NULL))
		return errno;
	in = open(PTB_EROFS_INITRAMFS, O_RDONLY);
	out = open(PTB_EROFS_IMAGE, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (in < 0 || out < 0)
		err = errno;
	while (!err && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 || write(out, buf, n) != n)
			err = errno ? errno : EIO;
	}
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) && !err)
		err = errno;
	if (!err && unlink(PTB_EROFS_INITRAMFS))
		err = errno;
	if (!err && mount(PTB_EROFS_IMAGE, PTB_EROFS_DIR, "erofs", MS_RDONLY,
			  NULL))
		err = errno;
	return err;
}

/* mkswap: a version-1 swap header in the first page, then swapon. */
static int setup_swap(const char *dev, unsigned long long bytes)
{
	unsigned char page[4096] = { 0 };
	uint32_t *hdr = (uint32_t *)(page + 1024);
	int fd;

	hdr[0] = 1;				/* version */
	hdr[1] = bytes / 4096 - 1;		/* last_page */
	hdr[2] = 0;				/* nr_badpages */
	memcpy(page + 4096 - 10, "SWAPSPACE2", 10);
	fd = open(dev, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, page, sizeof(page)) != sizeof(page)) {
		close(fd);
		return -EIO;
	}
	fsync(fd);
	close(fd);
	if (swapon(dev, 0))
		return -errno;
	return 0;
}

static const char *cmdline_value(const char *key, char *buf, size_t len)
{
	char line[4096], *p;
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f)
		return NULL;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	for (p = strtok(line, " \n"); p; p = strtok(NULL, " \n")) {
		size_t k = strlen(key);

		if (!strncmp(p, key, k) && p[k] == '=') {
			snprintf(buf, len, "%s", p + k + 1);
			return buf;
		}
	}
	return NULL;
}

/* Run one plan command; @attempt (1, 2, ...) is reported when not 0. */
static int run_command(char *line, unsigned int attempt)
{
	char *argv[64], *save = NULL, *w, args[512] = "", att[32] = "";
	struct timespec t0, t1;
	int argc = 0, status, i;
	pid_t pid;

	for (w = strtok_r(line, " \t\n", &save); w && argc < 63;
	     w = strtok_r(NULL, " \t\n", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	if (!argc)
		return 0;
	/* the command's identity in the report: argv[0] plus its arguments */
	for (i = 1; i < argc; i++)
		snprintf(args + strlen(args), sizeof(args) - strlen(args),
			 "%s%s", i > 1 ? "," : "", argv[i]);
	if (attempt)
		snprintf(att, sizeof(att), " attempt=%u", attempt);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	say("PTB run cmd=%s%s%s%s\n", argv[0], argc > 1 ? ":" : "", args, att);
	pid = fork();
	if (pid < 0) {
		say("PTB exit cmd=%s status=fork-failed errno=%d\n", argv[0], errno);
		return 1;
	}
	if (!pid) {
		/* the mm selftests expect to run from their own directory */
		char dir[256];

		snprintf(dir, sizeof(dir), "%s", argv[0]);
		if (strrchr(dir, '/')) {
			*strrchr(dir, '/') = 0;
			if (*dir && chdir(dir))
				_exit(126);
		}
		execv(argv[0], argv);
		printf("PTB exec-failed cmd=%s errno=%d\n", argv[0], errno);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (WIFEXITED(status))
		say("PTB exit cmd=%s%s%s status=%d seconds=%.1f%s\n", argv[0],
		    argc > 1 ? ":" : "", args, WEXITSTATUS(status),
		    (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
		    att);
	else
		say("PTB exit cmd=%s%s%s status=signal-%d seconds=%.1f%s\n",
		    argv[0], argc > 1 ? ":" : "", args, WTERMSIG(status),
		    (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
		    att);
	return !WIFEXITED(status) || WEXITSTATUS(status);
}

/* Kernel log lines that fail a run, wherever they come from. */
static const char *const bad_patterns[] = {
	"WARNING:", "BUG:", "Oops", "bad page state", "Bad page state",
	"kernel BUG", "page_table_check", "general protection fault",
	"Unable to handle kernel", "Call Trace:", "Kernel panic",
};

static int scan_kernel_log(void)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	int n, bad = 0;
	char *buf, *line, *save = NULL;
	size_t i;

	if (len <= 0)
		len = 1 << 20;
	buf = malloc(len + 1);
	if (!buf)
		return -1;
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	if (n < 0) {
		say("PTB dmesg error=%d\n", errno);
		return -1;
	}
	buf[n] = 0;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		for (i = 0; i < sizeof(bad_patterns) / sizeof(bad_patterns[0]); i++) {
			if (strstr(line, bad_patterns[i])) {
				say("PTB-DMESG %s\n", line);
				bad++;
				break;
			}
		}
	}
	free(buf);
	say("PTB dmesg bad_lines=%d\n", bad);
	return bad;
}

int main(void)
{
	char buf[64], line[1024];
	unsigned long long zram = 2ULL << 30;
	struct utsname u;
	int failed = 0, err;
	FILE *plan;

	mount_or_say("proc", "/proc", "proc");
	mount_or_say("sysfs", "/sys", "sysfs");
	mount_or_say("devtmpfs", "/dev", "devtmpfs");
	mount_or_say("debugfs", "/sys/kernel/debug", "debugfs");
	mount_or_say("tmpfs", "/tmp", "tmpfs");
	mount_or_say("cgroup2", "/sys/fs/cgroup", "cgroup2");
	if (access("/sys/kernel/tracing", F_OK) == 0)	/* CONFIG_TRACING */
		mount_or_say("tracefs", "/sys/kernel/tracing", "tracefs");
	if (access(PTB_EROFS_INITRAMFS, F_OK) == 0 && (err = mount_erofs()))
		say("PTB init-warning mount=%s errno=%d\n", PTB_EROFS_DIR, err);
	setvbuf(stdout, NULL, _IOLBF, 0);
	uname(&u);
	say("PTB init kernel=%s arch=%s\n", u.release, u.machine);

	if (cmdline_value("ptb.zram", buf, sizeof(buf)))
		zram = strtoull(buf, NULL, 0) << 20;
	if (write_file("/sys/block/zram0/comp_algorithm", "lzo-rle") ||
	    (snprintf(buf, sizeof(buf), "%llu", zram),
	     write_file("/sys/block/zram0/disksize", buf))) {
		say("PTB init-error step=zram errno=%d\n", errno);
		power_off(1);
	}
	err = setup_swap("/dev/zram0", zram);
	if (err) {
		say("PTB init-error step=swapon errno=%d\n", -err);
		power_off(1);
	}
	say("PTB swap dev=/dev/zram0 mib=%llu\n", zram >> 20);

	plan = fopen("/plan", "r");
	if (!plan) {
		say("PTB init-error step=plan errno=%d\n", errno);
		power_off(1);
	}
	while (fgets(line, sizeof(line), plan)) {
		char copy[sizeof(line)], *cmd = line;
		unsigned int retries = 0, attempt = 1;
		int rc;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "retry=%u", &retries) == 1)
			cmd = line + strcspn(line, " \t");
		for (;;) {
			/* run_command() splits its argument in place */
			snprintf(copy, sizeof(copy), "%s", cmd);
			rc = run_command(copy, retries ? attempt : 0);
			if (!rc || attempt > retries)
				break;
			attempt++;
		}
		failed |= rc;
	}
	fclose(plan);
	if (scan_kernel_log())
		failed = 1;
	power_off(failed);
	return 0;
}
