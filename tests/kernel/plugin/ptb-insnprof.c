/*
 * ptb-insnprof: a QEMU (7.2, plugin API version 1) TCG plugin that counts,
 * inside the measurement windows the guest marks (ptb-marker.h, the same
 * protocol as ptb-tlbcount), how many times each guest kernel instruction
 * was executed.
 *
 * -icount makes a benchmark's time the number of instructions it ran, so
 * the difference between two kernels' times is a difference in executed
 * instructions. This plugin says where it is: each window's counts, by
 * instruction address, go to a file; insn-profile.pl adds them up per
 * function with the kernel's System.map and puts two kernels side by
 * side. Unlike a function profiler it costs the guest nothing (plugins do
 * not change the instruction count) and it sees inlined code, where it
 * ends up, to the instruction.
 *
 * Output: at each window's STOP, the file PREFIX.N (N = 1, 2, ... in the
 * order the windows close) with one line per kernel instruction executed
 * in the window: its address in hex and its execution count in decimal,
 *
 *   ffff800080101fa4 16384
 *
 * in no particular order. Only instructions at kernel addresses count
 * (aarch64: vaddr >= 0xffff000000000000, x86_64: vaddr >=
 * 0xffff800000000000), summed over all vCPUs.
 *
 * Arguments (-plugin file=ptb-insnprof.so,ARG=VALUE,...):
 *   out=PREFIX     where the window files go (required)
 *   slots=N        how many distinct instructions it can count (default
 *                  2097152; each takes 24 bytes). When the table is full
 *                  the run still goes on, and at exit a line on stderr
 *                  says how many instructions went uncounted.
 *
 * The counts are exact with one TCG thread (-accel tcg,thread=single), the
 * way the benchmarks run: each instruction gets an inline 64-bit add.
 *
 * Build: gcc -shared -fPIC -O2 -Wall -Wextra -o ptb-insnprof.so ptb-insnprof.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptb-plugin.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

/*
 * One slot per distinct instruction address, open addressing; slots never
 * move, so the inline add can point into them.
 */
struct slot {
	uint64_t va;		/* 0: free */
	uint64_t count;
	uint64_t at_start;
};

static struct slot *slots;
static uint64_t nr_slots = 1ULL << 21, used, overflow;
static uint64_t kernel_base;
static const char *prefix;
static int window_open;
static uint64_t windows;

static struct slot *slot_of(uint64_t va)
{
	uint64_t i = (va * 0x9e3779b97f4a7c15ULL) >> 20;
	uint64_t n;

	for (n = 0; n < nr_slots; n++, i++) {
		struct slot *s = &slots[i % nr_slots];

		if (s->va == va)
			return s;
		if (!s->va) {
			if (used + 1 >= nr_slots)	/* keep one free slot */
				return NULL;
			s->va = va;
			used++;
			return s;
		}
	}
	return NULL;
}

static void mark_start(unsigned int vcpu, void *udata)
{
	uint64_t i;

	(void)vcpu;
	(void)udata;
	for (i = 0; i < nr_slots; i++)
		slots[i].at_start = slots[i].count;
	window_open = 1;
}

static void mark_stop(unsigned int vcpu, void *udata)
{
	char path[4096];
	FILE *f;
	uint64_t i;

	(void)vcpu;
	(void)udata;
	if (!window_open)
		return;
	window_open = 0;
	windows++;
	snprintf(path, sizeof(path), "%s.%" PRIu64, prefix, windows);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return;
	}
	for (i = 0; i < nr_slots; i++)
		if (slots[i].count != slots[i].at_start)
			fprintf(f, "%" PRIx64 " %" PRIu64 "\n", slots[i].va,
				slots[i].count - slots[i].at_start);
	if (fclose(f))
		perror(path);
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);
		struct slot *s;

		if (ptb_hook_mark(insn, va, mark_start, mark_stop) ||
		    va < kernel_base)
			continue;
		s = slot_of(va);
		if (!s) {
			overflow++;
			continue;
		}
		qemu_plugin_register_vcpu_insn_exec_inline(
			insn, QEMU_PLUGIN_INLINE_ADD_U64, &s->count, 1);
	}
}

static void at_exit(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	if (overflow)
		fprintf(stderr, "ptb-insnprof: the table of %" PRIu64
			" instructions was full: %" PRIu64 " translations of"
			" kernel instructions went uncounted (raise slots=)\n",
			nr_slots, overflow);
}

static int bad_arg(const char *arg, const char *why)
{
	fprintf(stderr, "ptb-insnprof: bad argument \"%s\": %s (expected "
		"out=PREFIX, slots=N)\n", arg, why);
	return -1;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	int i;

	kernel_base = ptb_kernel_base(info->target_name);
	if (!kernel_base) {
		fprintf(stderr, "ptb-insnprof: target %s not supported "
			"(aarch64, x86_64)\n", info->target_name);
		return -1;
	}

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (strncmp(a, "out=", 4) == 0) {
			if (!a[4])
				return bad_arg(a, "empty prefix");
			prefix = a + 4;
		} else if (strncmp(a, "slots=", 6) == 0) {
			char *end;
			unsigned long long n = strtoull(a + 6, &end, 10);

			if (*end || end == a + 6 || n < 1024 || n > (1ULL << 28))
				return bad_arg(a, "not a number from 1024 to 268435456");
			nr_slots = n;
		} else {
			return bad_arg(a, "unknown");
		}
	}
	if (!prefix) {
		fprintf(stderr, "ptb-insnprof: out=PREFIX is required\n");
		return -1;
	}
	slots = calloc(nr_slots, sizeof(*slots));
	if (!slots) {
		fprintf(stderr, "ptb-insnprof: cannot allocate %" PRIu64
			" slots\n", nr_slots);
		return -1;
	}

	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
