// SPDX-License-Identifier: GPL-2.0
/*
 * Section 7 of the contpte suite (see contpte.h): ptep_get_lockless() from
 * a second thread never returns a torn mix of a block being converted,
 * on replayed intermediate states and during real unfold/refold cycles.
 */
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <time.h>

#include "contpte.h"

/* ------------------------------------------------------------------------
 * 7: ptep_get_lockless() against a concurrent convert
 * ------------------------------------------------------------------------
 */

enum { RD_IDLE, RD_REQUEST, RD_BUSY, RD_DONE, RD_QUIT };

/* A second thread that runs one ptep_get_lockless() per request. */
struct reader {
	pthread_t thread;
	pte_t *ptep;
	pte_t result;
	int state;
};

static void *reader_main(void *arg)
{
	struct reader *rdr = arg;

	for (;;) {
		int st = __atomic_load_n(&rdr->state, __ATOMIC_ACQUIRE);

		if (st == RD_QUIT)
			return NULL;
		if (st != RD_REQUEST) {
			sched_yield();
			continue;
		}
		__atomic_store_n(&rdr->state, RD_BUSY, __ATOMIC_SEQ_CST);
		rdr->result = ptep_get_lockless(rdr->ptep);
		__atomic_store_n(&rdr->state, RD_DONE, __ATOMIC_RELEASE);
	}
}

static void reader_start(struct reader *rdr)
{
	memset(rdr, 0, sizeof(*rdr));
	ck_assert_int_eq(pthread_create(&rdr->thread, NULL, reader_main, rdr), 0);
}

static void reader_stop(struct reader *rdr)
{
	__atomic_store_n(&rdr->state, RD_QUIT, __ATOMIC_RELEASE);
	pthread_join(rdr->thread, NULL);
}

/* Wait up to @timeout seconds for the reader to return. */
static bool reader_wait_done(struct reader *rdr, double timeout)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (__atomic_load_n(&rdr->state, __ATOMIC_ACQUIRE) != RD_DONE) {
		if (seconds_since(&t0) > timeout)
			return false;
		sched_yield();
	}
	return true;
}

/*
 * ptep_get() of a quiescent block, as 6.12's contpte_ptep_get() computes
 * it: a valid CONT entry with young and dirty ORed in from all 16.
 */
static pte_t model_logical(const pte_t *blk, unsigned int idx)
{
	pte_t pte = blk[idx];
	unsigned int i;

	if (!pte_hw_valid(pte) || !ptb_pte_cont(pte))
		return pte;
	for (i = 0; i < BLK; i++) {
		if (drt(blk[i]))
			pte = pte_mkdirty(pte);
		if (yng(blk[i]))
			pte = pte_mkyoung(pte);
	}
	return pte;
}

/*
 * Whether a lockless reader of entry @idx may return from @blk, as 6.12's
 * contpte_ptep_get_lockless() decides: the entry is not valid+CONT, or all
 * 16 are valid+CONT with consecutive PFNs and equal pgprot ignoring A/D
 * (otherwise it retries).
 */
static bool lockless_may_return(const pte_t *blk, unsigned int idx)
{
	pte_t t = blk[idx];
	unsigned int i;

	if (!pte_hw_valid(t) || !ptb_pte_cont(t))
		return true;
	for (i = 0; i < BLK; i++) {
		pte_t e = blk[i];

		if (!pte_hw_valid(e) || !ptb_pte_cont(e) ||
		    pte_pfn(e) != pte_pfn(t) - idx + i ||
		    prot_noad(e) != prot_noad(t))
			return false;
	}
	return true;
}

#define MAX_STATES	40

struct replay {
	pte_t st[MAX_STATES][BLK];
	bool whole[MAX_STATES];	/* a quiescent state: before, after */
	unsigned int n;
};

/* contpte_convert()'s raw steps from @from to @to: 16 clears, 16 writes. */
static void replay_add_convert(struct replay *rp, const pte_t *from,
			       const pte_t *to)
{
	unsigned int j, i;

	for (j = 0; j <= BLK; j++, rp->n++)
		for (i = 0; i < BLK; i++)
			rp->st[rp->n][i] = i < j ? __pte(0) : from[i];
	for (j = 1; j <= BLK; j++, rp->n++)
		for (i = 0; i < BLK; i++)
			rp->st[rp->n][i] = i < j ? to[i] : __pte(0);
	rp->whole[rp->n - 1] = true;
}

static void write_block(pte_t *blk_ptep, const pte_t *blk)
{
	unsigned int i;

	for (i = 0; i < BLK; i++)
		if (!pte_same(rd(&blk_ptep[i]), blk[i]))
			wr(&blk_ptep[i], blk[i]);
}

/*
 * Freeze a copy of the block in each intermediate state of the replay and
 * run ptep_get_lockless() on each entry from the reader thread. On a state
 * it may return from, it must return at once, and exactly that state's
 * logical value; on a torn state it must keep retrying: then the rest of
 * the convert is written under it, and whatever it returns must be the
 * logical value of a quiescent state (before or after) or none, the
 * break-before-make gap of its own entry.
 */
static unsigned long replay_run(struct reader *rdr, const struct replay *rp,
				const char *row)
{
	pte_t *copy = &scratch_table()[UB_SLOT];
	unsigned long retried = 0;
	unsigned int k, idx, j, a;

	for (k = 0; k < rp->n; k++) {
		for (idx = 0; idx < BLK; idx++) {
			bool may_return = lockless_may_return(rp->st[k], idx);
			pte_t v, want = model_logical(rp->st[k], idx);
			bool ok;

			write_block(copy, rp->st[k]);
			rdr->ptep = &copy[idx];
			__atomic_store_n(&rdr->state, RD_REQUEST,
					 __ATOMIC_RELEASE);
			while (__atomic_load_n(&rdr->state, __ATOMIC_ACQUIRE) ==
			       RD_REQUEST)
				sched_yield();
			if (may_return) {
				ck_assert_msg(reader_wait_done(rdr, 10.0),
					      "%s: state %u entry %u: ptep_get_lockless() did not return from a consistent block",
					      row, k, idx);
				v = rdr->result;
				ck_assert_msg(pte_same(v, want),
					      "%s: state %u entry %u: ptep_get_lockless() returned %#llx, the block says %#llx",
					      row, k, idx, raw(v), raw(want));
			} else {
				ck_assert_msg(!reader_wait_done(rdr, 200e-6),
					      "%s: state %u entry %u: ptep_get_lockless() returned %#llx from a torn block",
					      row, k, idx, raw(rdr->result));
				retried++;
				for (j = k + 1; j < rp->n; j++) {
					write_block(copy, rp->st[j]);
					sched_yield();
				}
				ck_assert_msg(reader_wait_done(rdr, 10.0),
					      "%s: state %u entry %u: ptep_get_lockless() never returned after the convert completed",
					      row, k, idx);
				v = rdr->result;
			}
			ok = pte_none(v);
			for (a = 0; a < rp->n && !ok; a++)
				ok = rp->whole[a] &&
				     pte_same(v, model_logical(rp->st[a], idx));
			ck_assert_msg(ok,
				      "%s: state %u entry %u: ptep_get_lockless() returned %#llx: neither a before/after value nor none",
				      row, k, idx, raw(v));
			__atomic_store_n(&rdr->state, RD_IDLE, __ATOMIC_RELEASE);
		}
	}
	return retried;
}

START_TEST(ptep_get_lockless_never_returns_a_torn_convert)
{
	static struct replay rp;
	pte_t *t = cont_table(), from[BLK], to[BLK], pre[BLK];
	struct ptb_pte_bits b = { .write = true };
	struct reader rdr;
	unsigned long retried;
	struct timespec t0;
	unsigned int i;
	char id[64];

	memset(&rp, 0, sizeof(rp));
	if (_i == 0) {
		/* unfold: the real one gives the after state */
		snprintf(id, sizeof(id), "row 0: unfold");
		map_test_block(true, false, pre, id);
		for (i = 0; i < BLK; i++)
			from[i] = rd(&t[UB_SLOT + i]);
		ptb_unfold(&ptb_mm, slot_addr(UB_SLOT), &t[UB_SLOT]);
		for (i = 0; i < BLK; i++)
			to[i] = rd(&t[UB_SLOT + i]);
		rp.whole[0] = true;
		replay_add_convert(&rp, from, to);
	} else {
		/* fold: entries 0..14 written, then the last one folds */
		snprintf(id, sizeof(id), "row 1: fold");
		ptb_folio_create(T_PFN, 4, 0, 0);
		table_zero(t);
		for (i = 0; i < BLK; i++) {
			b.young = i == 2;
			b.dirty = i == 11;
			from[i] = ptb_mk_pte(T_PFN + i, &b);
			if (i < BLK - 1)
				set_pte_at(&ptb_mm, slot_addr(UB_SLOT + i),
					   &t[UB_SLOT + i], from[i]);
		}
		for (i = 0; i < BLK; i++)
			rp.st[0][i] = rd(&t[UB_SLOT + i]);
		set_pte_at(&ptb_mm, slot_addr(UB_SLOT + BLK - 1),
			   &t[UB_SLOT + BLK - 1], from[BLK - 1]);
		for (i = 0; i < BLK; i++) {
			if (i < BLK - 1)
				from[i] = rp.st[0][i];
			to[i] = rd(&t[UB_SLOT + i]);
		}
		rp.whole[0] = true;
		rp.n = 1;
		replay_add_convert(&rp, from, to);
		rp.whole[1] = true;
	}
	for (i = 0; CONT_ON && i < BLK; i++)
		ck_assert_msg(ptb_pte_cont(_i == 0 ? from[i] : to[i]) &&
			      !ptb_pte_cont(_i == 0 ? to[i] : from[i]),
			      "%s: entry %u: the real convert went from %#llx to %#llx",
			      id, i, raw(from[i]), raw(to[i]));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ptb_cost_pause();
	reader_start(&rdr);
	retried = replay_run(&rdr, &rp, id);
	reader_stop(&rdr);
	ptb_cost_resume();
	if (CONT_ON)
		ck_assert_msg(retried > 0, "%s: no torn state was replayed", id);
	printf("# lockless %s (%s): %u states x 16 entries, %lu reads had to retry, %.2f s\n",
	       id, PTB_ARCH_NAME, rp.n, retried, seconds_since(&t0));
	fflush(stdout);
}
END_TEST

struct free_reader {
	pte_t *blk;
	const pte_t *want;	/* the logical value of each entry */
	int stop;
	unsigned long reads, none, cont, bad;
	unsigned int bad_idx;
	pte_t bad_val;
};

static void *free_reader_main(void *arg)
{
	struct free_reader *fr = arg;
	unsigned int idx = 0;

	while (!__atomic_load_n(&fr->stop, __ATOMIC_ACQUIRE)) {
		pte_t v;

		idx = (idx + 7) % BLK;
		v = ptep_get_lockless(&fr->blk[idx]);
		/* on a shared CPU, let the writer run now and then */
		if (!(__atomic_fetch_add(&fr->reads, 1, __ATOMIC_RELEASE) % 64))
			sched_yield();
		if (pte_none(v)) {
			fr->none++;
			continue;
		}
		fr->cont += ptb_pte_cont(v);
		if (!pte_same(strip(v), fr->want[idx]) && !fr->bad++) {
			fr->bad_idx = idx;
			fr->bad_val = v;
		}
	}
	return NULL;
}

/* Wait (a little) until the reader has completed one more read. */
static void free_reader_wait(struct free_reader *fr)
{
	unsigned long n = __atomic_load_n(&fr->reads, __ATOMIC_ACQUIRE);
	unsigned int spins;

	for (spins = 0; spins < 1000; spins++) {
		if (__atomic_load_n(&fr->reads, __ATOMIC_ACQUIRE) != n)
			return;
		sched_yield();
	}
}

/*
 * Free-running: real unfold/refold cycles of a block whose young and dirty
 * state lives in one entry each, under a reader that never stops.
 */
START_TEST(ptep_get_lockless_during_real_unfold_refold_cycles_is_never_torn)
{
	pte_t *t = cont_table(), *blk = &t[UB_SLOT], pre[BLK], raw0[BLK], last;
	unsigned long cycles = ptb_iterations(3000), c;
	struct free_reader fr = { .blk = blk, .want = pre };
	struct timespec t0;
	pthread_t thread;
	unsigned int i;

	map_test_block(true, false, pre, "free-running");
	for (i = 0; i < BLK; i++)
		raw0[i] = rd(&blk[i]);
	last = pre[BLK - 1];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ptb_cost_pause();
	ck_assert_int_eq(pthread_create(&thread, NULL, free_reader_main, &fr), 0);
	/* bounded in time as well: at most 1 s of cycles */
	for (c = 0; c < cycles && (c % 64 || seconds_since(&t0) < 1.0); c++) {
		/* back to young only in entry 3, dirty only in entry 9 */
		for (i = 0; i < BLK; i++)
			wr(&blk[i], raw0[i]);
		/* let the reader into a read of the CONT block, then convert */
		free_reader_wait(&fr);
		ptb_unfold(&ptb_mm, slot_addr(UB_SLOT), blk);
		free_reader_wait(&fr);
		set_pte_at(&ptb_mm, slot_addr(UB_SLOT + BLK - 1),
			   &blk[BLK - 1], last);
	}
	__atomic_store_n(&fr.stop, 1, __ATOMIC_RELEASE);
	pthread_join(thread, NULL);
	ptb_cost_resume();

	ck_assert_msg(!fr.bad,
		      "%lu of %lu lockless reads torn, first: entry %u read %#llx, logical %#llx",
		      fr.bad, fr.reads, fr.bad_idx, raw(fr.bad_val),
		      raw(pre[fr.bad_idx]));
	check_block_cont("free-running", true);
	printf("# lockless free-running (%s): %lu unfold/refold cycles, %lu reads (%lu none, %lu CONT), %.2f s\n",
	       PTB_ARCH_NAME, c, fr.reads, fr.none, fr.cont,
	       seconds_since(&t0));
	fflush(stdout);
}
END_TEST

void add_lockless_tests(TCase *tc)
{
	tcase_add_loop_test(tc, ptep_get_lockless_never_returns_a_torn_convert, 0, 2);
	tcase_add_test(tc, ptep_get_lockless_during_real_unfold_refold_cycles_is_never_torn);
}
