/*
 * harness/timed_loop.c — the timed loops (see timed_loop.h).
 *
 * Timing modes:
 *   batch      the whole stream timed at once; ns/op = total / ops (SOSD's
 *              headline figure: lookups may overlap in the pipeline)
 *   sampled    each operation timed on its own, the empty timer's cost
 *              subtracted, into log-linear histograms (reads and writes apart)
 *   dependent  each lookup's key is chosen from the previous answer, so no
 *              two lookups overlap: a true latency
 * Answers are compared inside the loop against the expected arrays (a
 * sequential read the prefetcher hides); the first mismatch is remembered
 * and reported after the clock stops.
 */
#define _GNU_SOURCE
#include "harness/timed_loop.h"

#include <math.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>

static void pin_to_cpu(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	/* Best effort: containers may forbid it; the run goes on unpinned. */
	(void)sched_setaffinity(0, sizeof set, &set);
}

static inline void note_bad(struct worker *w, size_t i, uint64_t v, uint32_t n)
{
	if (!w->bad++) {
		w->first_bad = i;
		w->got_val = v;
		w->got_n = n;
	}
}

/* The answer check of a point read, the one every loop uses: found exactly
 * as expected and, when found, with the expected value.  Its shape keeps
 * the loops' code what it was when each wrote the check out (same
 * instructions, checked on the disassembly): s comes in a register, not
 * re-read from w after the index call; v by address, so it is loaded only
 * when the key was found. */
static inline __attribute__((always_inline)) void check_get(struct worker *w,
							    const struct op_stream *s,
							    size_t i, uint32_t found,
							    const uint64_t *v)
{
	if (__builtin_expect(found != s->want_n[i] || (found && s->want[i] != *v), 0))
		note_bad(w, i, *v, found);
}

/* Executes operation i; returns 0 for a read, 1 for a write, -1 on an
 * index error (w->err set). */
static inline int exec_op(struct worker *w, size_t i)
{
	const struct op_stream *s = w->s;
	const struct index_ops *ops = w->ops;
	int type = s->type ? s->type[i] : OP_GET;
	uint64_t v = 0;
	switch (type) {
	case OP_GET: {
		bool f = ops->get(w->handle, s->key[i], &v);
		check_get(w, s, i, f, &v);
		return 0;
	}
	case OP_SCAN: {
		uint64_t sum = 0;
		size_t c = ops->scan(w->handle, s->key[i], s->hi ? s->hi[i] : UINT64_MAX,
				     s->arg[i], &sum);
		w->scanned += c;
		if (__builtin_expect(c != s->want_n[i] || sum != s->want[i], 0))
			note_bad(w, i, sum, (uint32_t)c);
		return 0;
	}
	case OP_RMW: {
		bool f = ops->get(w->handle, s->key[i], &v);
		check_get(w, s, i, f, &v);
	}
		/* then write the new value */
		__attribute__((fallthrough));
	default:
		if (ops->insert(w->handle, s->key[i], s->arg[i], w->err, sizeof w->err))
			return -1;
		return 1;
	}
}

static void run_batch(struct worker *w)
{
	const struct op_stream *s = w->s;
	const struct index_ops *ops = w->ops;
	w->t0 = timer_start(w->timer);
	if (!s->type && !w->lock) {
		if (s->batch > 1 && ops->get_batch) {
			uint64_t vals[1024];
			uint8_t found[1024];
			for (size_t i = w->from; i < w->to; i += s->batch) {
				size_t k = w->to - i < s->batch ? w->to - i : s->batch;
				ops->get_batch(w->handle, s->key + i, k, vals, found);
				for (size_t j = 0; j < k; j++)
					check_get(w, s, i + j, found[j], &vals[j]);
			}
		} else {
			for (size_t i = w->from; i < w->to; i++) {
				uint64_t v = 0;
				bool f = ops->get(w->handle, s->key[i], &v);
				check_get(w, s, i, f, &v);
			}
		}
	} else {
		for (size_t i = w->from; i < w->to; i++) {
			if (w->lock)
				pthread_mutex_lock(w->lock);
			int rc = exec_op(w, i);
			if (w->lock)
				pthread_mutex_unlock(w->lock);
			if (rc < 0) {
				w->failed = 1;
				break;
			}
		}
	}
	w->t1 = timer_stop(w->timer);
}

static void run_sampled(struct worker *w)
{
	const struct timer_info *tm = w->timer;
	uint64_t empty = (uint64_t)tm->empty_ticks;
	w->t0 = timer_start(tm);
	uint64_t busy = 0;
	for (size_t i = w->from; i < w->to; i++) {
		if (w->lock)
			pthread_mutex_lock(w->lock);
		uint64_t a = timer_start(tm);
		int rc = exec_op(w, i);
		uint64_t b = timer_stop(tm);
		if (w->lock)
			pthread_mutex_unlock(w->lock);
		if (rc < 0) {
			w->failed = 1;
			break;
		}
		uint64_t d = b - a > empty ? b - a - empty : 0;
		busy += d;
		hist_add(rc ? w->wr : w->rd, d);
	}
	w->t1 = w->t0 + busy; /* ns/op from the operations alone */
}

static void run_dependent(struct worker *w)
{
	const struct op_stream *s = w->s;
	size_t n = w->to - w->from;
	uint64_t prev = 0;
	w->t0 = timer_start(w->timer);
	for (size_t i = 0; i < n; i++) {
		/* The next key depends on the last answer: no overlap possible. */
		size_t j = w->from + (size_t)((i * 0x9E3779B97F4A7C15ull + prev) % n);
		uint64_t v = 0;
		bool f = w->ops->get(w->handle, s->key[j], &v);
		check_get(w, s, j, f, &v);
		prev = v;
	}
	w->t1 = timer_stop(w->timer);
}

/* noinline: `make regress` counts instructions inside this function only. */
__attribute__((noinline)) void *worker_main(void *arg)
{
	struct worker *w = arg;
	if (w->cpu >= 0)
		pin_to_cpu(w->cpu);
	if (w->start)
		pthread_barrier_wait(w->start);
	switch (w->mode) {
	case MODE_SAMPLED:
		run_sampled(w);
		break;
	case MODE_DEPENDENT:
		run_dependent(w);
		break;
	default:
		run_batch(w);
	}
	return NULL;
}

/* ---- the floor: a null index ---------------------------------------- */

static bool null_get(void *ix, uint64_t key, uint64_t *val)
{
	(void)ix;
	*val = key;
	return true;
}

double timed_loop_floor_ns(const struct timer_info *timer)
{
	enum { N = 1 << 20 };
	struct op_stream s = {0};
	s.n = N;
	s.key = malloc(N * sizeof *s.key);
	s.want = malloc(N * sizeof *s.want);
	s.want_n = malloc(N * sizeof *s.want_n);
	if (!s.key || !s.want || !s.want_n) {
		free(s.key), free(s.want), free(s.want_n);
		return NAN;
	}
	for (size_t i = 0; i < N; i++)
		s.key[i] = s.want[i] = i * 7, s.want_n[i] = 1;
	struct index_ops null_ops = {.name = "null", .get = null_get};
	struct worker w = {.ops = &null_ops, .s = &s, .timer = timer, .to = N,
			   .mode = MODE_BATCH, .cpu = -1};
	double best = INFINITY;
	for (int i = 0; i < 5; i++) {
		w.bad = 0;
		run_batch(&w);
		double ns = (double)(w.t1 - w.t0) * timer->ns_per_tick / N;
		best = ns < best ? ns : best;
	}
	free(s.key), free(s.want), free(s.want_n);
	return best;
}
