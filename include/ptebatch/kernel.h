/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-ins for the kernel basics that the ptebatch helpers use:
 * integer types, compiler annotations, bit and alignment macros, min/max,
 * READ_ONCE/xchg/cmpxchg, barriers, lists, locks and the page geometry of a
 * 4K-page, 4-level, 64-bit kernel (x86-64 and arm64 alike).
 *
 * Only what lib/ and the models need is here; names and semantics follow
 * the kernel so that lib/ compiles unchanged in both worlds.
 */
#ifndef _PTEBATCH_KERNEL_H
#define _PTEBATCH_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>

/* the modelled kernel's configuration (its include/generated/autoconf.h) */
#include <asm/ptb-kconfig.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;
typedef unsigned long pgoff_t;
typedef u64 phys_addr_t;

#undef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#define noinline		__attribute__((__noinline__))
#define __maybe_unused		__attribute__((__unused__))
#define __always_unused		__attribute__((__unused__))
#define __must_check		__attribute__((__warn_unused_result__))
#define __bitwise
#define __force
#define barrier()		__asm__ __volatile__("" : : : "memory")
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

#define BIT(nr)			(1UL << (nr))
#define BIT_ULL(nr)		(1ULL << (nr))
#define _AT(T, X)		((T)(X))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#ifdef __clang__
/*
 * clang does not fold const locals into integer constant expressions, which
 * the kernel's BUILD_BUG_ON() accepts (the x86 tlbflush.h model has such
 * checks).  The gcc builds still check every BUILD_BUG_ON() at build time;
 * the clang (fuzzing) builds check them when the code runs.
 */
#define BUILD_BUG_ON(c)		do { if (c) __builtin_trap(); } while (0)
#else
#define BUILD_BUG_ON(c)		_Static_assert(!(c), #c)
#endif
#define BUILD_BUG_ON_INVALID(e)	((void)(sizeof((__force long)(e))))

/* IS_ENABLED(CONFIG_FOO) for options that are either 1 or undefined. */
#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x)			___is_defined(x)
#define ___is_defined(val)		____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk)	__take_second_arg(arg1_or_junk 1, 0)
#define IS_ENABLED(option)		__is_defined(option)

#define min(x, y) ({				\
	__typeof__(x) __min1 = (x);		\
	__typeof__(y) __min2 = (y);		\
	__min1 < __min2 ? __min1 : __min2; })
#define max(x, y) ({				\
	__typeof__(x) __max1 = (x);		\
	__typeof__(y) __max2 = (y);		\
	__max1 > __max2 ? __max1 : __max2; })
#define min_t(type, x, y)	min((type)(x), (type)(y))
#define max_t(type, x, y)	max((type)(x), (type)(y))

#define __ALIGN_KERNEL_MASK(x, mask)	(((x) + (mask)) & ~(mask))
#define ALIGN(x, a)		__ALIGN_KERNEL_MASK(x, (__typeof__(x))(a) - 1)
#define ALIGN_DOWN(x, a)	ALIGN((x) - ((a) - 1), (a))
#define PTR_ALIGN_DOWN(p, a)	((__typeof__(p))ALIGN_DOWN((unsigned long)(p), (a)))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)	do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)
#define xchg_relaxed(p, v)	__atomic_exchange_n((p), (v), __ATOMIC_RELAXED)
#define xchg(p, v)		__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)
#define cmpxchg_relaxed(p, o, n) __sync_val_compare_and_swap((p), (o), (n))
#define cmpxchg(p, o, n)	__sync_val_compare_and_swap((p), (o), (n))
#define try_cmpxchg(p, po, n)	__atomic_compare_exchange_n((p), (po), (n), false, \
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)

#define smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_mb__after_atomic()	smp_mb()

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;
#define ATOMIC_INIT(i)		{ (i) }
#define atomic_read(v)		READ_ONCE((v)->counter)
#define atomic_set(v, i)	WRITE_ONCE((v)->counter, (i))
#define atomic_add(i, v)	((void)__atomic_add_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST))
#define atomic_sub(i, v)	((void)__atomic_sub_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST))
#define atomic_inc(v)		atomic_add(1, v)
#define atomic_dec(v)		atomic_sub(1, v)
#define atomic_add_return(i, v)	__atomic_add_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST)
#define atomic_sub_return(i, v)	__atomic_sub_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST)
#define atomic_long_read(v)	READ_ONCE((v)->counter)
#define atomic_long_set(v, i)	WRITE_ONCE((v)->counter, (i))
#define atomic_long_add(i, v)	((void)__atomic_add_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST))

/* The model is single-threaded: locks only record that they were taken. */
typedef struct { int locked; } spinlock_t;
#define DEFINE_SPINLOCK(x)	spinlock_t x = { 0 }
#define spin_lock(l)		((l)->locked++)
#define spin_unlock(l)		((l)->locked--)

struct list_head {
	struct list_head *next, *prev;
};
#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list;
	list->prev = list;
}
static inline bool list_empty(const struct list_head *head)
{
	return READ_ONCE(head->next) == head;
}
static inline void list_add(struct list_head *new, struct list_head *head)
{
	struct list_head *next = head->next;

	next->prev = new;
	new->next = next;
	new->prev = head;
	head->next = new;
}
static inline void list_del_init(struct list_head *entry)
{
	entry->prev->next = entry->next;
	entry->next->prev = entry->prev;
	INIT_LIST_HEAD(entry);
}
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define list_first_entry(ptr, type, member) \
	container_of((ptr)->next, type, member)

/* Page geometry: 4K pages, 512-entry tables, 2M PMDs. */
#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PMD_SHIFT		21
#define PMD_SIZE		(1UL << PMD_SHIFT)
#define PMD_MASK		(~(PMD_SIZE - 1))
#define PTRS_PER_PTE		512
#define HPAGE_PMD_ORDER		(PMD_SHIFT - PAGE_SHIFT)
#define HPAGE_PMD_NR		(1 << HPAGE_PMD_ORDER)

static inline unsigned long pte_index(unsigned long address)
{
	return (address >> PAGE_SHIFT) & (PTRS_PER_PTE - 1);
}

#define pmd_addr_end(addr, end)						\
({	unsigned long __boundary = ((addr) + PMD_SIZE) & PMD_MASK;	\
	(__boundary - 1 < (end) - 1) ? __boundary : (end);		\
})

#endif /* _PTEBATCH_KERNEL_H */
