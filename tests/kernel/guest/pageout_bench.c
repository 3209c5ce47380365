/*
 * pageout_bench: times madvise(MADV_PAGEOUT) over anonymous memory faulted
 * in as folios of one size (4K, mTHP 16K..128K, THP 2M), the workload the
 * batched try_to_unmap_one() speeds up.  --fill shmem: shared anonymous
 * memory (shmem folios, file folios to try_to_unmap_one()), zero-filled;
 * --fill uffd-wp: zero-filled, registered with a userfaultfd and
 * write-protected (not timed), so that the swap PTEs carry uffd-wp;
 * --fill erofs: the first --mib MiB of a clean file (PTB_EROFS_FILE, an
 * EROFS image in the initramfs) mapped read-only in page-cache folios of
 * --size, as readahead with a window of that size makes them (not timed):
 * MADV_PAGEOUT unmaps them and drops them from the page cache, with no
 * writeback, the file case mainline's batching of file folios measured
 * ("mm: rmap: support batched unmapping for file large folios").
 *
 *   pageout_bench [--size 64K] [--mib 256] [--runs 5]
 *                 [--fill zero|random|lazyfree|shmem|uffd-wp|erofs]
 *                 [--peer-thread|--peer-spin]
 *                 [--reclaim madvise|memcg]
 *                 [--seed N] [--madv-hugepage] [--ftrace-profile N]
 *
 * --reclaim memcg times a write of the region's size to memory.reclaim of
 * a memory cgroup the program moved itself into at the start, instead of
 * madvise(MADV_PAGEOUT): reclaim through the LRU (shrink_lruvec(), then
 * shrink_folio_list() with TTU_BATCH_FLUSH, as kswapd and direct reclaim
 * do), accessed bits cleared first (not timed). A write that reclaims less
 * than asked (EAGAIN) fails the run.
 *
 * --peer-thread runs a second thread of the process on another CPU,
 * yielding in a loop until the end: the mm is then live on two CPUs, so
 * x86 defers reclaim's TLB flushes (TTU_BATCH_FLUSH,
 * arch_tlbbatch_should_defer()) and flushes the other CPU with an IPI, as
 * for any multi-threaded process; arm64 defers them always. (A thread that
 * only ran there once is not enough: x86 drops an idle CPU from the mm's
 * CPU mask after a few flushes.) For real machines: under qemu -icount
 * each flush IPI waits for the other vCPU's round-robin turn, and the time
 * measures qemu's scheduling more than the kernel.
 * --peer-spin is --peer-thread with a thread that spins in user space
 * instead of yielding: its CPU then runs kernel code only for interrupts
 * (the flush IPIs among them), so that ptb-insnprof's count of a window is
 * the reclaim's work and the flushes', not the yield loop's.
 *
 * --ftrace-profile N profiles every run's madvise() with ftrace's function
 * profiler (a kernel with CONFIG_FUNCTION_PROFILER and the graph tracer,
 * tracefs at /sys/kernel/tracing) and prints the N functions with the most
 * time of their own, as "PTB profile" lines. Under qemu -icount that time
 * is guest instruction-time, tracing overhead included. The program pins
 * itself to CPU 0 and reads that CPU's profile only, so that another CPU's
 * idle loop or kworkers do not count (MADV_PAGEOUT reclaims synchronously,
 * in the caller's context).
 *
 * Each run's madvise() is a measurement window of the ptb-tlbcount qemu
 * plugin (tests/kernel/plugin/ptb-marker.h): with the plugin loaded, qemu
 * prints the window's TLB-invalidation and barrier counts when it closes
 * (the run's "PTB bench" line can come out later, after the next window's:
 * report.pl pairs them by order); without it the marks cost a call each,
 * outside the timed interval.
 *
 * One "PTB bench" line per run, then one "PTB bench-summary" line; see
 * README.md.  Exit status: 0 all runs measured what they should, 1 a run
 * failed (madvise error, folios of another size faulted in, setup error),
 * 2 bad arguments.
 */
#define _GNU_SOURCE
#include "common.h"
#include "ptb-marker.h"	/* tests/kernel/plugin: TLB-invalidation counts */

#include <errno.h>
#include <sched.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <sys/sysinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_RUNS 1000
#define MAX_MIB 65536

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pageout_bench [--size SIZE] [--mib N] [--runs N]\n"
		"                     [--fill zero|random|lazyfree|shmem|uffd-wp|erofs]\n"
		"                     [--seed N] "
		"[--madv-hugepage]\n"
		"                     [--peer-thread|--peer-spin] [--reclaim madvise|memcg]\n"
		"                     [--ftrace-profile N]\n"
		"  --size SIZE      folio size to fault in: %s (default 64K)\n"
		"  --mib N          MiB of anonymous memory per run, a multiple "
		"of SIZE (default 256)\n"
		"  --runs N         number of runs, 1..%d (default 5)\n"
		"  --fill KIND      zero: memset 0 (swapped out through the "
		"zeromap);\n"
		"                   random: seeded xorshift stream;\n"
		"                   lazyfree: memset 0, then MADV_FREE (not "
		"timed):\n"
		"                   MADV_PAGEOUT discards the clean lazyfree "
		"folios\n"
		"                   without swap;\n"
		"                   shmem: MAP_SHARED anonymous memory, memset 0;\n"
		"                   uffd-wp: memset 0, then registered and "
		"write-protected\n"
		"                   with a userfaultfd (not timed);\n"
		"                   erofs: the clean file " PTB_EROFS_FILE
		" read in SIZE folios\n"
		"                   and mapped read-only (default zero)\n"
		"  --seed N         seed of the random fill (default 1)\n"
		"  --madv-hugepage  madvise(MADV_HUGEPAGE) the region before "
		"filling it\n"
		"  --peer-thread    a second thread spins on another CPU "
		"(x86 then\n"
		"                   defers reclaim's TLB flushes) until the "
		"end\n"
		"  --peer-spin      the same, the thread spinning in user "
		"space\n"
		"  --reclaim HOW    madvise: MADV_PAGEOUT (default); memcg: "
		"memory.reclaim\n"
		"                   of the region's size, in a memory cgroup of "
		"its own\n"
		"  --ftrace-profile N  profile madvise() with ftrace's function "
		"profiler,\n"
		"                   print the N functions with the most self "
		"time\n"
		"Prints one \"PTB bench\" line per run and a \"PTB "
		"bench-summary\" line.\n",
		PTB_THP_SIZES, MAX_RUNS);
}

static struct ptb_snapshot snaps[4];

/* --peer-thread: the second thread, the CPU it runs on, its stop flag */
static pthread_t peer;
static volatile int peer_cpu = -1;
static volatile int peer_done;
static bool peer_spin;		/* --peer-spin: no sched_yield() */

static void *peer_main(void *arg)
{
	(void)arg;
	peer_cpu = sched_getcpu();
	/* yield, so that a kernel thread the caller waits for runs at once */
	while (!peer_done)
		if (!peer_spin)
			sched_yield();
	return NULL;
}

/*
 * Start the peer thread on a CPU other than ours and wait until it has
 * run there. 0, or -1 with a diagnostic.
 */
static int peer_start(void)
{
	int self = sched_getcpu(), other, err;
	pthread_attr_t attr;
	cpu_set_t cpus;

	if (get_nprocs() < 2 || self < 0) {
		ptb_diag("--peer-thread needs two online CPUs (%d online)",
			 get_nprocs());
		return -1;
	}
	other = self ? 0 : 1;
	CPU_ZERO(&cpus);
	CPU_SET(other, &cpus);
	pthread_attr_init(&attr);
	err = pthread_attr_setaffinity_np(&attr, sizeof(cpus), &cpus);
	if (!err)
		err = pthread_create(&peer, &attr, peer_main, NULL);
	pthread_attr_destroy(&attr);
	if (err) {
		ptb_diag("cannot start the peer thread on CPU %d: %s", other,
			 strerror(err));
		return -1;
	}
	while (peer_cpu < 0)
		sched_yield();
	if (peer_cpu == self) {
		ptb_diag("the peer thread ran on our CPU %d", self);
		return -1;
	}
	return 0;
}

static void peer_stop(void)
{
	peer_done = 1;
	pthread_join(peer, NULL);
}

#define TRACEFS "/sys/kernel/tracing"
#define MAX_PROFILE 4096

struct profile_entry {
	char func[96];
	uint64_t hits;
	double us;
};

static struct profile_entry profile[MAX_PROFILE];
static unsigned int nr_profile;

/*
 * Self time only, and CPU time only: with sleep-time on, the time a task
 * spends scheduled out would be charged to schedule(). Enabling the
 * profiler resets its counters.
 */
static int profile_start(void)
{
	cpu_set_t cpus;

	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus) < 0) {
		ptb_diag("cannot pin to CPU 0 for the profile: %s",
			 strerror(errno));
		return -1;
	}
	if (ptb_write_file(TRACEFS "/options/graph-time", "0") < 0 ||
	    ptb_write_file(TRACEFS "/options/sleep-time", "0") < 0 ||
	    ptb_write_file(TRACEFS "/function_profile_enabled", "1") < 0) {
		ptb_diag("cannot start the function profiler under " TRACEFS
			 ": %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int cmp_profile(const void *a, const void *b)
{
	const struct profile_entry *x = a, *y = b;

	return x->us < y->us ? 1 : x->us > y->us ? -1 : 0;
}

/* Read trace_stat/function0 (the CPU we run on), print the top @top. */
static int profile_stop_and_print(const char *size_name, uint64_t run,
				  uint64_t top)
{
	char line[256], func[96];
	unsigned long long hits;
	struct ptb_line l;
	unsigned int i;
	double total = 0, us;
	FILE *f;

	if (ptb_write_file(TRACEFS "/function_profile_enabled", "0") < 0)
		return -1;
	f = fopen(TRACEFS "/trace_stat/function0", "re");
	if (!f) {
		ptb_diag("cannot read " TRACEFS "/trace_stat/function0: %s",
			 strerror(errno));
		return -1;
	}
	/* one CPU's table: every function appears once */
	nr_profile = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %95s %llu %lf us", func, &hits, &us) != 3)
			continue;
		total += us;
		if (nr_profile == MAX_PROFILE)
			continue;
		snprintf(profile[nr_profile].func,
			 sizeof(profile[nr_profile].func), "%s", func);
		profile[nr_profile].hits = hits;
		profile[nr_profile].us = us;
		nr_profile++;
	}
	fclose(f);
	if (!nr_profile) {
		ptb_diag("the function profiler recorded nothing");
		return -1;
	}
	qsort(profile, nr_profile, sizeof(profile[0]), cmp_profile);
	for (i = 0; i < nr_profile && i < top; i++) {
		char buf[32];

		ptb_line_begin(&l, "profile");
		ptb_kv_s(&l, "size", size_name);
		ptb_kv_u(&l, "run", run);
		ptb_kv_u(&l, "rank", i + 1);
		ptb_kv_s(&l, "func", profile[i].func);
		ptb_kv_u(&l, "hits", profile[i].hits);
		snprintf(buf, sizeof(buf), "%.3f", profile[i].us);
		ptb_kv_s(&l, "self_us", buf);
		ptb_line_end(&l);
	}
	{
		char buf[32];

		ptb_line_begin(&l, "profile-total");
		ptb_kv_s(&l, "size", size_name);
		ptb_kv_u(&l, "run", run);
		ptb_kv_u(&l, "functions", nr_profile);
		snprintf(buf, sizeof(buf), "%.3f", total);
		ptb_kv_s(&l, "self_us", buf);
		ptb_line_end(&l);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "mib", required_argument, NULL, 'm' },
		{ "runs", required_argument, NULL, 'r' },
		{ "fill", required_argument, NULL, 'f' },
		{ "seed", required_argument, NULL, 'S' },
		{ "madv-hugepage", no_argument, NULL, 'H' },
		{ "ftrace-profile", required_argument, NULL, 'P' },
		{ "peer-thread", no_argument, NULL, 'T' },
		{ "peer-spin", no_argument, NULL, 'Y' },
		{ "reclaim", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *size_name = "64K", *fill = "zero", *reclaim = "madvise";
	struct ptb_memcg mc = { .active = false };
	uint64_t mib = 256, runs = 5, seed = 1, profile_top = 0;
	bool madv_hugepage = false, random_fill, lazyfree = false;
	bool shmem = false, uffd_wp = false, erofs = false, memcg;
	bool peer_thread = false;
	size_t size, len, psz, npages;
	unsigned kb;
	uint64_t ns[MAX_RUNS];
	uint64_t run, failed = 0, fault_ok_runs = 0;
	struct ptb_line l;
	int c;

	ptb_prog = "pageout_bench";
	while ((c = ptb_getopt(argc, argv, opts, usage)) != -1) {
		switch (c) {
		case 's':
			size_name = optarg;
			break;
		case 'm':
			mib = ptb_arg_mib(optarg, MAX_MIB);
			break;
		case 'r':
			runs = ptb_arg_runs(optarg, MAX_RUNS);
			break;
		case 'f':
			fill = optarg;
			break;
		case 'S':
			seed = ptb_arg_seed(optarg);
			break;
		case 'H':
			madv_hugepage = true;
			break;
		case 'T':
			peer_thread = true;
			break;
		case 'Y':
			peer_thread = true;
			peer_spin = true;
			break;
		case 'R':
			reclaim = optarg;
			break;
		case 'P':
			profile_top = ptb_arg_u64("--ftrace-profile", optarg, 1,
						  MAX_PROFILE, 1,
						  "a number of functions");
			break;
		}
	}
	ptb_no_operands(argc, argv);
	size = ptb_arg_thp_size(size_name);
	if (strcmp(fill, "zero") == 0)
		random_fill = false;
	else if (strcmp(fill, "random") == 0)
		random_fill = true;
	else if (strcmp(fill, "lazyfree") == 0)
		random_fill = false, lazyfree = true;
	else if (strcmp(fill, "shmem") == 0)
		random_fill = false, shmem = true;
	else if (strcmp(fill, "uffd-wp") == 0)
		random_fill = false, uffd_wp = true;
	else if (strcmp(fill, "erofs") == 0)
		random_fill = false, erofs = true;
	else
		ptb_bad_args("--fill \"%s\": expected zero, random, lazyfree, "
			     "shmem, uffd-wp or erofs", fill);
	memcg = strcmp(reclaim, "memcg") == 0;
	if (!memcg && strcmp(reclaim, "madvise") != 0)
		ptb_bad_args("--reclaim \"%s\": expected madvise or memcg",
			     reclaim);
	len = (size_t)mib * PTB_MIB;
	if (len % size)
		ptb_bad_args("--mib %" PRIu64 " is not a multiple of --size %s",
			 mib, size_name);
	psz = ptb_page_size();
	npages = len / psz;
	kb = (unsigned)(size / PTB_KIB);

	if (thp_setup(size_name) < 0) {
		ptb_line_begin(&l, "bench-error");
		ptb_kv_s(&l, "size", size_name);
		ptb_kv_s(&l, "stage", "thp_setup");
		ptb_line_end(&l);
		return 1;
	}
	if (memcg) {
		char why[64];

		if (ptb_memcg_enter(&mc, why, sizeof(why)) < 0) {
			ptb_line_begin(&l, "bench-error");
			ptb_kv_s(&l, "size", size_name);
			ptb_kv_s(&l, "stage", "memcg");
			ptb_kv_s(&l, "why", why);
			ptb_line_end(&l);
			return 1;
		}
	}
	ptb_bench_start(snaps, 4);
	ptb_marker_init();
	if (peer_thread && peer_start() < 0) {
		ptb_line_begin(&l, "bench-error");
		ptb_kv_s(&l, "size", size_name);
		ptb_kv_s(&l, "stage", "peer_thread");
		ptb_line_end(&l);
		return 1;
	}

	for (run = 1; run <= runs; run++) {
		int64_t res_before, res_after;
		struct ptb_faults faults;
		char what[32];
		uint64_t t0, t1;
		int rc, err = 0, uffd = -1;
		char *p;

		if (ptb_snapshot(&snaps[0]) < 0)
			goto setup_fail;
		if (erofs)
			p = ptb_map_erofs(len, PTB_PMD_SIZE, size);
		else if (shmem)
			p = ptb_map_shmem_aligned(len, PTB_PMD_SIZE);
		else
			p = ptb_map_aligned(len, PTB_PMD_SIZE);
		if (!p)
			goto setup_fail;
		if (madv_hugepage && madvise(p, len, MADV_HUGEPAGE) != 0) {
			ptb_diag("madvise(MADV_HUGEPAGE) failed: %s",
				 strerror(errno));
			munmap(p, len);
			goto setup_fail;
		}
		if (random_fill)
			ptb_fill_stream(p, len, seed);
		else if (!erofs)
			memset(p, 0, len);
		if (ptb_snapshot(&snaps[1]) < 0) {
			munmap(p, len);
			goto setup_fail;
		}

		/* Did the faults allocate folios of the requested size? */
		snprintf(what, sizeof(what), "run %" PRIu64, run);
		if (erofs) {
			if (ptb_file_folio_check(p, len, size, what,
						 &faults) < 0) {
				munmap(p, len);
				goto setup_fail;
			}
		} else if (shmem)
			ptb_shmem_fault_check(&snaps[0], &snaps[1], size, len,
					      what, &faults);
		else
			ptb_fault_check(&snaps[0], &snaps[1], size, len, what,
					&faults);
		if (strcmp(faults.ok, "0") != 0)
			fault_ok_runs++;

		if (lazyfree && madvise(p, len, MADV_FREE) != 0) {
			ptb_diag("madvise(MADV_FREE) failed: %s",
				 strerror(errno));
			munmap(p, len);
			goto setup_fail;
		}
		if (uffd_wp) {
			const char *why;
			bool unsupported;

			uffd = ptb_uffd_register_wp(p, len, &why, &unsupported);
			if (uffd < 0 || ptb_uffd_set_wp(uffd, p, len, true)) {
				ptb_diag("run %" PRIu64 ": uffd-wp set-up "
					 "failed (%s)", run,
					 uffd < 0 ? why : strerror(errno));
				if (uffd >= 0)
					close(uffd);
				munmap(p, len);
				goto setup_fail;
			}
		}
		res_before = ptb_resident_pages(p, len);
		if (res_before < 0 || ptb_snapshot(&snaps[2]) < 0) {
			munmap(p, len);
			goto setup_fail;
		}

		if (profile_top && profile_start() < 0) {
			munmap(p, len);
			goto setup_fail;
		}
		if (memcg)
			ptb_clear_young(getpid());
		ptb_marker_start();
		t0 = ptb_now_ns();
		if (memcg) {
			rc = ptb_memcg_reclaim(&mc, len);
			errno = rc;
		} else {
			rc = madvise(p, len, MADV_PAGEOUT);
		}
		t1 = ptb_now_ns();
		ptb_marker_stop();
		if (profile_top &&
		    profile_stop_and_print(size_name, run, profile_top) < 0) {
			munmap(p, len);
			goto setup_fail;
		}
		if (rc != 0) {
			err = errno;
			ptb_diag("run %" PRIu64 ": %s failed: %s", run,
				 memcg ? "memory.reclaim" :
					     "madvise(MADV_PAGEOUT)",
				 strerror(err));
		}

		if (ptb_snapshot(&snaps[3]) < 0) {
			munmap(p, len);
			goto setup_fail;
		}
		res_after = ptb_resident_pages(p, len);
		if (uffd >= 0)
			close(uffd);
		if (munmap(p, len) != 0) {
			ptb_diag("munmap failed: %s", strerror(errno));
			goto setup_fail;
		}
		if (res_after < 0)
			goto setup_fail;

		ns[run - 1] = t1 - t0;
		if (err || strcmp(faults.ok, "0") == 0)
			failed++;
		/* clean file folios leave the page cache, every one */
		else if (erofs && res_after != 0) {
			ptb_diag("run %" PRIu64 ": %" PRId64 " pages of the "
				 "file still in memory after MADV_PAGEOUT", run,
				 res_after);
			failed++;
		}

		ptb_line_begin(&l, "bench");
		ptb_kv_s(&l, "size", size_name);
		ptb_kv_s(&l, "fill", fill);
		ptb_kv_u(&l, "threads", peer_thread ? 2 : 1);
		if (peer_thread)
			ptb_kv_s(&l, "peer", peer_spin ? "spin" : "yield");
		ptb_kv_s(&l, "reclaim", reclaim);
		ptb_kv_u(&l, "run", run);
		ptb_kv_u(&l, "ns", t1 - t0);
		ptb_kv_u(&l, "pages", npages);
		ptb_kv_cnt(&l, "swpout",
			   ptb_mthp_delta(&snaps[2], &snaps[3], kb,
					  MTHP_SWPOUT));
		ptb_kv_cnt(&l, "swpout_fallback",
			   ptb_mthp_delta(&snaps[2], &snaps[3], kb,
					  MTHP_SWPOUT_FALLBACK));
		ptb_kv_cnt(&l, "split",
			   ptb_mthp_delta(&snaps[2], &snaps[3], kb,
					  MTHP_SPLIT));
		ptb_kv_cnt(&l, "thp_swpout",
			   ptb_vm_delta(&snaps[2], &snaps[3], "thp_swpout"));
		ptb_kv_cnt(&l, "swpout_zero",
			   ptb_vm_delta(&snaps[2], &snaps[3], "swpout_zero"));
		ptb_kv_i(&l, "resident_after", res_after);
		ptb_kv_i(&l, "dropped", res_before - res_after);
		ptb_kv_u(&l, "mib", mib);
		ptb_kv_s(&l, "madvise", err ? ptb_errname(err) : "0");
		ptb_kv_i(&l, "resident_before", res_before);
		ptb_kv_faults(&l, &faults);
		ptb_kv_cnt(&l, "split_failed",
			   ptb_mthp_delta(&snaps[2], &snaps[3], kb,
					  MTHP_SPLIT_FAILED));
		ptb_kv_cnt(&l, "thp_swpout_fallback",
			   ptb_vm_delta(&snaps[2], &snaps[3],
					"thp_swpout_fallback"));
		ptb_kv_cnt(&l, "thp_split_page",
			   ptb_vm_delta(&snaps[2], &snaps[3],
					"thp_split_page"));
		ptb_kv_cnt(&l, "pswpout",
			   ptb_vm_delta(&snaps[2], &snaps[3], "pswpout"));
		ptb_kv_cnt(&l, "zswpout",
			   ptb_vm_delta(&snaps[2], &snaps[3], "zswpout"));
		ptb_kv_cnt(&l, "pglazyfreed",
			   ptb_vm_delta(&snaps[2], &snaps[3], "pglazyfreed"));
		/* x86 with CONFIG_DEBUG_TLBFLUSH: which flushes were done */
		ptb_kv_cnt(&l, "tlb_local_one",
			   ptb_vm_delta(&snaps[2], &snaps[3],
					"nr_tlb_local_flush_one"));
		ptb_kv_cnt(&l, "tlb_local_all",
			   ptb_vm_delta(&snaps[2], &snaps[3],
					"nr_tlb_local_flush_all"));
		ptb_kv_cnt(&l, "tlb_remote",
			   ptb_vm_delta(&snaps[2], &snaps[3],
					"nr_tlb_remote_flush"));
		ptb_line_end(&l);
	}

	if (peer_thread)
		peer_stop();
	ptb_memcg_leave(&mc);
	ptb_line_begin(&l, "bench-summary");
	ptb_kv_s(&l, "size", size_name);
	ptb_kv_s(&l, "fill", fill);
	ptb_kv_u(&l, "threads", peer_thread ? 2 : 1);
	ptb_kv_s(&l, "reclaim", reclaim);
	ptb_kv_u(&l, "runs", runs);
	ptb_kv_run_stats(&l, ns, runs);
	ptb_kv_u(&l, "mib", mib);
	ptb_kv_u(&l, "fault_ok_runs", fault_ok_runs);
	ptb_kv_u(&l, "failed_runs", failed);
	ptb_line_end(&l);
	return failed ? 1 : 0;

setup_fail:
	ptb_line_begin(&l, "bench-error");
	ptb_kv_s(&l, "size", size_name);
	ptb_kv_s(&l, "stage", "run");
	ptb_kv_u(&l, "run", run);
	ptb_line_end(&l);
	ptb_memcg_leave(&mc);
	return 1;
}
