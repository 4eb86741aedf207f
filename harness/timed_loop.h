/*
 * harness/timed_loop.h — the timed loops: one worker's share of an
 * operation stream, run under the clock and checked answer by answer.
 *
 * This is the code `make regress` measures (callgrind counts instructions
 * inside worker_main only, scripts/regress.sh): a change here changes what
 * every figure in the CSV costs, so it is kept apart from the runner that
 * builds indexes, starts threads and writes rows.  Touch with care, and run
 * `make regress`.
 */
#ifndef OMENBENCH_TIMED_LOOP_H
#define OMENBENCH_TIMED_LOOP_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/hist.h"
#include "harness/timer.h"
#include "indexes/index.h"
#include "workloads/workload.h"

enum run_mode { MODE_BATCH = 1, MODE_SAMPLED = 2, MODE_DEPENDENT = 4 };

/* One worker's share of a run: operations [from, to) of the stream. */
struct worker {
	const struct index_ops *ops;
	void *handle;
	const struct op_stream *s;
	const struct timer_info *timer;
	size_t from, to;
	enum run_mode mode;
	pthread_mutex_t *lock; /* non-NULL: every operation under it */
	int cpu;               /* pinned there; -1: not pinned */
	pthread_barrier_t *start; /* non-NULL: wait there before the clock starts */
	/* results */
	uint64_t t0, t1; /* ticks */
	size_t bad, first_bad;
	uint64_t got_val;
	uint32_t got_n;
	uint64_t scanned; /* entries delivered by scans */
	struct hist *rd, *wr;
	char err[256];
	int failed;
};

/* Runs w's share in w->mode; a thread's start routine (arg: the worker).
 * Never inlined: `make regress` counts instructions inside it. */
void *worker_main(void *arg);

/* The harness's own cost per operation (a null index in batch mode), ns:
 * the best of five passes over 2^20 operations. */
double timed_loop_floor_ns(const struct timer_info *timer);

#endif
