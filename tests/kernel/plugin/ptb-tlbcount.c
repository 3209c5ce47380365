/*
 * ptb-tlbcount: a QEMU (7.2, plugin API version 1) TCG plugin that counts
 * the TLB maintenance and barrier instructions a guest kernel executes
 * inside measurement windows the guest marks itself.
 *
 * Under -icount every guest instruction costs the same, so a TLBI, a DSB
 * or an INVLPG is as cheap as an add in the timing: the times a benchmark
 * prints cannot show the cost of TLB invalidation. This plugin counts
 * those instructions instead, per window:
 *
 *   aarch64: tlbi       SYS with CRn=8 or 9 (TLBI, TLBI ...nXS)
 *            tlbi_range the FEAT_TLBIRANGE subset of those (TLBI R*)
 *            dsb        DSB (not SSBB/PSSBB), dsb_ish the DSB ISH subset
 *            isb        ISB
 *   x86_64:  invlpg     INVLPG m (0F 01 /7, memory operand)
 *            invpcid    INVPCID (66 0F 38 82)
 *            cr3        MOV CR3, r (0F 22 /3)
 *            cr4        MOV CR4, r (0F 22 /4; the global flush toggles PGE)
 *
 * Only instructions at kernel addresses count (aarch64: vaddr >=
 * 0xffff000000000000, x86_64: vaddr >= 0xffff800000000000), summed over
 * all vCPUs.
 *
 * Window protocol (see ptb-marker.h): the guest maps a page at the user
 * address 0x7e5000000000 holding a return instruction at offset 0x000
 * (START) and at offset 0x040 (STOP) and calls them. The plugin puts an
 * execution callback on the instruction at exactly those two addresses
 * when it translates them; START snapshots the free-running counters,
 * STOP prints the difference as one line:
 *
 *   PTB tlbcount window=1 arch=aarch64 tlbi=... tlbi_range=... dsb=...
 *       dsb_ish=... isb=...
 *
 * With no window nothing is printed. A START inside an open window
 * restarts it; a STOP with no open window is ignored (and counted, see
 * the exit line, printed only if something was odd).
 *
 * Arguments (-plugin file=ptb-tlbcount.so,ARG=VALUE,...):
 *   out=PATH|stdout|stderr  where the lines go (default: qemu_plugin_outs,
 *                           i.e. QEMU's log: needs -d plugin [-D FILE])
 *   mode=inline|atomic      inline (default): an inline 64-bit add on each
 *                           matching instruction, exact with one TCG
 *                           thread (-accel tcg,thread=single); atomic: a
 *                           callback doing an atomic add, exact with MTTCG
 *   user=on                 also count instructions at user addresses
 *   detail=on               aarch64: also print, per window, one
 *                           "PTB tlbcount-detail" line with the count of
 *                           each TLBI operation and DSB/ISB option seen
 *
 * The decoding happens once per translation; execution costs one inline
 * add per matching instruction and nothing for the others. Plugins do
 * not change the instruction count, so -icount times are unchanged.
 *
 * Build: gcc -shared -fPIC -O2 -Wall -Wextra -o ptb-tlbcount.so ptb-tlbcount.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptb-plugin.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

enum cls {
	C_TLBI,
	C_TLBI_RANGE,
	C_DSB,
	C_DSB_ISH,
	C_ISB,
	C_INVLPG,
	C_INVPCID,
	C_CR3,
	C_CR4,
	C_NR,
};

static const char *const cls_name[C_NR] = {
	[C_TLBI] = "tlbi",
	[C_TLBI_RANGE] = "tlbi_range",
	[C_DSB] = "dsb",
	[C_DSB_ISH] = "dsb_ish",
	[C_ISB] = "isb",
	[C_INVLPG] = "invlpg",
	[C_INVPCID] = "invpcid",
	[C_CR3] = "cr3",
	[C_CR4] = "cr4",
};

enum arch { ARCH_AARCH64, ARCH_X86_64 };

static enum arch arch;
static const char *arch_name;
static unsigned int cls_first, cls_last;	/* the classes of this arch */
static uint64_t kernel_base;
static int count_user;
static int atomic_mode;
static int detail;

/*
 * detail=on (aarch64): a counter per TLBI encoding, indexed by
 * CRn<0>:op1:CRm:op2, and per DSB/ISB CRm.
 */
#define NR_TLBI_ENC 2048
#define TLBI_ENC(insn) ((((insn) >> 12) & 1) << 10 | (((insn) >> 16) & 7) << 7 | \
			(((insn) >> 8) & 15) << 3 | (((insn) >> 5) & 7))
static uint64_t tlbi_enc[NR_TLBI_ENC], tlbi_enc_at_start[NR_TLBI_ENC];
static uint64_t bar_crm[2][16], bar_crm_at_start[2][16]; /* [0] DSB, [1] ISB */

/* TLBI ... with op1=0 (EL1&0), CRn=8, from the ARM ARM's TLBI list */
static const char *const tlbi_el1_name[16][8] = {
	[1] = { "vmalle1os", "vae1os", "aside1os", "vaae1os", NULL,
		"vale1os", NULL, "vaale1os" },
	[2] = { NULL, "rvae1is", NULL, "rvaae1is", NULL, "rvale1is", NULL,
		"rvaale1is" },
	[3] = { "vmalle1is", "vae1is", "aside1is", "vaae1is", NULL,
		"vale1is", NULL, "vaale1is" },
	[5] = { NULL, "rvae1os", NULL, "rvaae1os", NULL, "rvale1os", NULL,
		"rvaale1os" },
	[6] = { NULL, "rvae1", NULL, "rvaae1", NULL, "rvale1", NULL,
		"rvaale1" },
	[7] = { "vmalle1", "vae1", "aside1", "vaae1", NULL, "vale1", NULL,
		"vaale1" },
};

static const char *const dsb_name[16] = {
	[1] = "oshld", [2] = "oshst", [3] = "osh", [5] = "nshld",
	[6] = "nshst", [7] = "nsh", [9] = "ishld", [10] = "ishst",
	[11] = "ish", [13] = "ld", [14] = "st", [15] = "sy",
};

/* free-running counters, and their values at the window's START */
static uint64_t total[C_NR];
static uint64_t at_start[C_NR];
static int window_open;
static uint64_t windows, stray_stops, restarts;

static FILE *out;		/* NULL: qemu_plugin_outs() */

static void emit(const char *line)
{
	if (!out) {
		qemu_plugin_outs(line);
		return;
	}
	fputs(line, out);
	fflush(out);
}

static void load_snapshot(uint64_t *v)
{
	unsigned int c;

	for (c = 0; c < C_NR; c++)
		v[c] = __atomic_load_n(&total[c], __ATOMIC_RELAXED);
}

static void detail_snapshot(void)
{
	memcpy(tlbi_enc_at_start, tlbi_enc, sizeof(tlbi_enc));
	memcpy(bar_crm_at_start, bar_crm, sizeof(bar_crm));
}

/* "PTB tlbcount-detail window=N tlbi.vale1is=... dsb.ishst=... isb=..." */
static void detail_emit(void)
{
	static char line[8192];
	size_t n;
	unsigned int i, k;

	n = (size_t)snprintf(line, sizeof(line),
			     "PTB tlbcount-detail window=%" PRIu64, windows);
	for (i = 0; i < NR_TLBI_ENC && n < sizeof(line) - 64; i++) {
		uint64_t d = tlbi_enc[i] - tlbi_enc_at_start[i];
		unsigned int nxs = i >> 10, op1 = (i >> 7) & 7;
		unsigned int crm = (i >> 3) & 15, op2 = i & 7;
		const char *name = op1 ? NULL : tlbi_el1_name[crm][op2];

		if (!d)
			continue;
		if (name)
			n += (size_t)snprintf(line + n, sizeof(line) - n,
					      " tlbi.%s%s=%" PRIu64, name,
					      nxs ? "nxs" : "", d);
		else
			n += (size_t)snprintf(line + n, sizeof(line) - n,
					      " tlbi.op1_%u_c%u_c%u_%u=%" PRIu64,
					      op1, nxs ? 9 : 8, crm, op2, d);
	}
	for (k = 0; k < 2; k++)
		for (i = 0; i < 16 && n < sizeof(line) - 64; i++) {
			uint64_t d = bar_crm[k][i] - bar_crm_at_start[k][i];

			if (!d)
				continue;
			if (k == 0 && dsb_name[i])
				n += (size_t)snprintf(line + n, sizeof(line) - n,
						      " dsb.%s=%" PRIu64,
						      dsb_name[i], d);
			else if (k == 1 && i == 15)
				n += (size_t)snprintf(line + n, sizeof(line) - n,
						      " isb=%" PRIu64, d);
			else
				n += (size_t)snprintf(line + n, sizeof(line) - n,
						      " %s.%u=%" PRIu64,
						      k ? "isb" : "dsb", i, d);
		}
	if (n < sizeof(line))
		snprintf(line + n, sizeof(line) - n, "\n");
	emit(line);
}

static void mark_start(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	(void)udata;
	if (window_open)
		restarts++;
	load_snapshot(at_start);
	if (detail)
		detail_snapshot();
	window_open = 1;
}

static void mark_stop(unsigned int vcpu, void *udata)
{
	uint64_t now[C_NR];
	char line[512];
	size_t n;
	unsigned int c;

	(void)udata;
	if (!window_open) {
		stray_stops++;
		return;
	}
	load_snapshot(now);
	window_open = 0;
	windows++;
	n = (size_t)snprintf(line, sizeof(line),
			     "PTB tlbcount window=%" PRIu64 " arch=%s vcpu=%u",
			     windows, arch_name, vcpu);
	for (c = cls_first; c <= cls_last && n < sizeof(line); c++)
		n += (size_t)snprintf(line + n, sizeof(line) - n,
				      " %s=%" PRIu64, cls_name[c],
				      now[c] - at_start[c]);
	if (n < sizeof(line))
		snprintf(line + n, sizeof(line) - n, "\n");
	emit(line);
	if (detail)
		detail_emit();
}

static void count_atomic(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	__atomic_fetch_add((uint64_t *)udata, 1, __ATOMIC_RELAXED);
}

/*
 * A64 (ARM ARM, C5.2 / C6.2 "SYS", "DSB", "ISB", "TLBI"):
 *   SYS  1101 0101 0000 1 op1:3 CRn:4 CRm:4 op2:3 Rt:5  (L=0, op0=01)
 *   TLBI = SYS with CRn=1000; CRn=1001 is TLBI ...nXS (FEAT_XS)
 *   FEAT_TLBIRANGE (TLBI R*) encodings (op1, CRm, op2), CRn 8 or 9:
 *     (0, 2|5|6, 1|3|5|7)  RVAE1IS, RVAAE1IS, RVALE1IS, RVAALE1IS, and
 *                          the OS (CRm 5) and non-shareable (CRm 6) ones
 *     (4|6, 2|5|6, 1|5)    RVAE2*, RVALE2*, RVAE3*, RVALE3*
 *     (4, 0, 2|6)          RIPAS2E1IS, RIPAS2LE1IS
 *     (4, 4, 2|3|6|7)      RIPAS2E1, RIPAS2E1OS, RIPAS2LE1, RIPAS2LE1OS
 *     (6, 4, 3|7)          RPAOS, RPALOS (FEAT_RME)
 *   (checked against every CRn=8 encoding binutils 2.40 disassembles as
 *   "tlbi r...")
 *   DSB  1101 0101 0000 0011 0011 CRm:4 1 00 11111 (CRm 0000 is SSBB and
 *        0100 is PSSBB, not counted as DSB; CRm 1011 is DSB ISH)
 *   ISB  1101 0101 0000 0011 0011 CRm:4 1 10 11111
 */
static int a64_classify(uint32_t insn, int *sub)
{
	*sub = -1;
	if ((insn & 0xfff8e000) == 0xd5088000) {
		unsigned int op1 = (insn >> 16) & 7, crm = (insn >> 8) & 15;
		unsigned int op2 = (insn >> 5) & 7;

		int rva = crm == 2 || crm == 5 || crm == 6;

		if ((op1 == 0 && rva && (op2 & 1)) ||
		    ((op1 == 4 || op1 == 6) && rva && (op2 == 1 || op2 == 5)) ||
		    (op1 == 4 && crm == 0 && (op2 == 2 || op2 == 6)) ||
		    (op1 == 4 && crm == 4 && (op2 & 2)) ||
		    (op1 == 6 && crm == 4 && (op2 == 3 || op2 == 7)))
			*sub = C_TLBI_RANGE;
		return C_TLBI;
	}
	if ((insn & 0xfffff0ff) == 0xd503309f) {
		unsigned int crm = (insn >> 8) & 15;

		if (crm == 0 || crm == 4)
			return -1;
		if (crm == 11)
			*sub = C_DSB_ISH;
		return C_DSB;
	}
	if ((insn & 0xfffff0ff) == 0xd50330df)
		return C_ISB;
	return -1;
}

/*
 * x86-64 (Intel SDM vol. 2): legacy prefixes, an optional REX, then
 *   INVLPG m     0F 01 /7, ModRM.mod != 11 (mod 11 /7 is SWAPGS, RDTSCP)
 *   INVPCID      66 0F 38 82 /r
 *   MOV CR3, r   0F 22 /3 (REX.R = 0; REX.R = 1 would be CR11)
 *   MOV CR4, r   0F 22 /4
 */
static int x86_classify(const uint8_t *b, size_t len)
{
	size_t i = 0;
	int has66 = 0, rexr = 0;
	uint8_t modrm;

	for (; i < len; i++) {
		switch (b[i]) {
		case 0x66:
			has66 = 1;
			continue;
		case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64:
		case 0x65: case 0x67: case 0xf0: case 0xf2: case 0xf3:
			continue;
		}
		break;
	}
	if (i < len && (b[i] & 0xf0) == 0x40) {
		rexr = (b[i] >> 2) & 1;
		i++;
	}
	if (i + 2 >= len)	/* 0F, the opcode and a ModRM byte at least */
		return -1;
	if (b[i] != 0x0f)
		return -1;
	switch (b[i + 1]) {
	case 0x01:
		modrm = b[i + 2];
		if ((modrm >> 6) != 3 && ((modrm >> 3) & 7) == 7)
			return C_INVLPG;
		return -1;
	case 0x22:
		modrm = b[i + 2];
		if (rexr)
			return -1;
		if (((modrm >> 3) & 7) == 3)
			return C_CR3;
		if (((modrm >> 3) & 7) == 4)
			return C_CR4;
		return -1;
	case 0x38:
		if (has66 && i + 3 < len && b[i + 2] == 0x82)
			return C_INVPCID;
		return -1;
	}
	return -1;
}

static void count_in(struct qemu_plugin_insn *insn, uint64_t *ctr)
{
	if (atomic_mode)
		qemu_plugin_register_vcpu_insn_exec_cb(insn, count_atomic,
						       QEMU_PLUGIN_CB_NO_REGS,
						       ctr);
	else
		qemu_plugin_register_vcpu_insn_exec_inline(
			insn, QEMU_PLUGIN_INLINE_ADD_U64, ctr, 1);
}

static void count(struct qemu_plugin_insn *insn, int c)
{
	count_in(insn, &total[c]);
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);
		uint32_t w = 0;
		size_t len = qemu_plugin_insn_size(insn);
		const uint8_t *b = qemu_plugin_insn_data(insn);
		int c, sub = -1;

		if (ptb_hook_mark(insn, va, mark_start, mark_stop))
			continue;
		if (va < kernel_base && !count_user)
			continue;
		if (arch == ARCH_AARCH64) {
			if (len != 4)
				continue;
			w = (uint32_t)b[0] | (uint32_t)b[1] << 8 |
			    (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
			c = a64_classify(w, &sub);
		} else {
			c = x86_classify(b, len);
		}
		if (c < 0)
			continue;
		count(insn, c);
		if (sub >= 0)
			count(insn, sub);
		if (detail && c == C_TLBI)
			count_in(insn, &tlbi_enc[TLBI_ENC(w)]);
		else if (detail && (c == C_DSB || c == C_ISB))
			count_in(insn, &bar_crm[c == C_ISB][(w >> 8) & 15]);
	}
}

static void at_exit(qemu_plugin_id_t id, void *udata)
{
	char line[256];

	(void)id;
	(void)udata;
	if (!window_open && !stray_stops && !restarts)
		return;
	snprintf(line, sizeof(line),
		 "PTB tlbcount-exit windows=%" PRIu64 " open=%d"
		 " stray_stops=%" PRIu64 " restarts=%" PRIu64 "\n",
		 windows, window_open, stray_stops, restarts);
	emit(line);
	if (out && out != stdout && out != stderr)
		fclose(out);
}

static int bad_arg(const char *arg)
{
	fprintf(stderr, "ptb-tlbcount: bad argument \"%s\" (expected "
		"out=PATH|stdout|stderr, mode=inline|atomic, user=on|off, "
		"detail=on|off)\n",
		arg);
	return -1;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	int i;

	kernel_base = ptb_kernel_base(info->target_name);
	if (kernel_base && strcmp(info->target_name, "aarch64") == 0) {
		arch = ARCH_AARCH64;
		cls_first = C_TLBI;
		cls_last = C_ISB;
	} else if (kernel_base && strcmp(info->target_name, "x86_64") == 0) {
		arch = ARCH_X86_64;
		cls_first = C_INVLPG;
		cls_last = C_CR4;
	} else {
		fprintf(stderr, "ptb-tlbcount: target %s not supported "
			"(aarch64, x86_64)\n", info->target_name);
		return -1;
	}
	arch_name = info->target_name;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (strncmp(a, "out=", 4) == 0) {
			if (strcmp(a + 4, "stdout") == 0)
				out = stdout;
			else if (strcmp(a + 4, "stderr") == 0)
				out = stderr;
			else if (!(out = fopen(a + 4, "a"))) {
				perror(a + 4);
				return -1;
			}
		} else if (strcmp(a, "mode=inline") == 0) {
			atomic_mode = 0;
		} else if (strcmp(a, "mode=atomic") == 0) {
			atomic_mode = 1;
		} else if (strcmp(a, "user=on") == 0) {
			count_user = 1;
		} else if (strcmp(a, "user=off") == 0) {
			count_user = 0;
		} else if (strcmp(a, "detail=on") == 0) {
			detail = 1;
		} else if (strcmp(a, "detail=off") == 0) {
			detail = 0;
		} else {
			return bad_arg(a);
		}
	}

	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
