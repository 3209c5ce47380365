/*
 * ptb-marker.h: mark a measurement window for the ptb-tlbcount QEMU plugin
 * (tests/kernel/plugin/). Self-contained, header only.
 *
 *   ptb_marker_init();      once, before the first window
 *   ptb_marker_start();     opens a window
 *   ... the work to count ...
 *   ptb_marker_stop();      closes it: the plugin prints one line
 *
 * The marker is a page at the fixed user address PTB_MARKER_ADDR holding
 * a return instruction at offset 0x000 (START) and 0x040 (STOP). Calling
 * one executes a single user instruction besides the call; the plugin
 * recognises the instruction by its virtual address. Without the plugin
 * the calls just return. If the page cannot be mapped (the address is
 * taken, or no exec mapping allowed) start/stop do nothing: no error, the
 * program runs on, only the plugin sees no window.
 *
 * The page is private to the process and inherited across fork(); call
 * ptb_marker_init() in the process that marks windows.
 */
#ifndef PTB_MARKER_H
#define PTB_MARKER_H

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "ptb-window.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif


static int ptb_marker_ready;

static inline void ptb_marker_put_ret(unsigned char *p)
{
#if defined(__x86_64__)
	p[0] = 0xc3;				/* ret */
#elif defined(__aarch64__)
	const uint32_t ret = 0xd65f03c0;	/* ret (x30) */

	memcpy(p, &ret, sizeof(ret));		/* little-endian guest */
#else
	(void)p;
#endif
}

static inline void ptb_marker_init(void)
{
#if defined(__x86_64__) || defined(__aarch64__)
	void *want = (void *)PTB_MARKER_ADDR;
	unsigned char *p;

	if (ptb_marker_ready)
		return;
	p = mmap(want, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		return;
	if (p != want) {	/* a kernel without MAP_FIXED_NOREPLACE */
		munmap(p, 4096);
		return;
	}
	ptb_marker_put_ret(p + PTB_MARKER_START_OFF);
	ptb_marker_put_ret(p + PTB_MARKER_STOP_OFF);
	__builtin___clear_cache((char *)p, (char *)p + 4096);
	if (mprotect(p, 4096, PROT_READ | PROT_EXEC) != 0) {
		munmap(p, 4096);
		return;
	}
	ptb_marker_ready = 1;
#endif
}

static inline void ptb_marker_call(unsigned long off)
{
	if (ptb_marker_ready) {
		void (*fn)(void) = (void (*)(void))(PTB_MARKER_ADDR + off);

		__asm__ volatile("" ::: "memory");
		fn();
		__asm__ volatile("" ::: "memory");
	}
}

static inline void ptb_marker_start(void)
{
	ptb_marker_call(PTB_MARKER_START_OFF);
}

static inline void ptb_marker_stop(void)
{
	ptb_marker_call(PTB_MARKER_STOP_OFF);
}

#endif /* PTB_MARKER_H */
