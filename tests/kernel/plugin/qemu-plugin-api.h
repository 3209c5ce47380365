/*
 * qemu-plugin-api.h: the part of QEMU's TCG plugin API (include/qemu/
 * qemu-plugin.h, QEMU_PLUGIN_VERSION 1, as shipped with QEMU 4.2 .. 8.x
 * and in particular 7.2) that ptb-tlbcount.c uses. Debian ships no
 * qemu-plugin.h, so the declarations are restated here from the
 * documented API of that version (docs/devel/tcg-plugins.rst).
 *
 * The ABI is C: these prototypes and enum values must match the QEMU that
 * loads the plugin. QEMU resolves the functions from its own executable
 * when it dlopen()s the plugin, and refuses a plugin whose exported
 * qemu_plugin_version is outside [info->version.min, info->version.cur].
 * QEMU_PLUGIN_VERSION 2 (QEMU 9.0) changed the inline ops to scoreboards
 * and 9.1 changed qemu_plugin_insn_data(); this header is NOT for those.
 */
#ifndef PTB_QEMU_PLUGIN_API_H
#define PTB_QEMU_PLUGIN_API_H

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>

#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))

#define QEMU_PLUGIN_VERSION 1

typedef uint64_t qemu_plugin_id_t;

/* exported by the plugin, checked by QEMU before qemu_plugin_install() */
extern QEMU_PLUGIN_EXPORT int qemu_plugin_version;

typedef struct qemu_info_t {
	const char *target_name;	/* "x86_64", "aarch64", ... */
	struct {
		int min;
		int cur;
	} version;
	bool system_emulation;
	union {
		struct {
			int smp_vcpus;
			int max_vcpus;
		} system;
	};
} qemu_info_t;

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv);

struct qemu_plugin_tb;		/* opaque */
struct qemu_plugin_insn;	/* opaque */

typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index,
					    void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
					       struct qemu_plugin_tb *tb);

enum qemu_plugin_cb_flags {
	QEMU_PLUGIN_CB_NO_REGS,		/* 0 */
	QEMU_PLUGIN_CB_R_REGS,		/* 1 */
	QEMU_PLUGIN_CB_RW_REGS,		/* 2 */
};

enum qemu_plugin_op {
	QEMU_PLUGIN_INLINE_ADD_U64,	/* 0: *(uint64_t *)ptr += imm */
};

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
					    qemu_plugin_vcpu_udata_cb_t cb,
					    enum qemu_plugin_cb_flags flags,
					    void *userdata);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn,
						enum qemu_plugin_op op,
						void *ptr, uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
				    qemu_plugin_udata_cb_t cb, void *userdata);

size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb,
						 size_t idx);
/* valid during the translation callback only (changed in QEMU 9.1) */
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);

/* goes to QEMU's log: shown with -d plugin (and -D FILE to redirect it) */
void qemu_plugin_outs(const char *string);

#endif /* PTB_QEMU_PLUGIN_API_H */
