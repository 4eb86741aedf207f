/*
 * harness/runner.h — load -> build -> run -> check -> record.
 *
 * run_index() takes one index configuration and one generated operation
 * stream, builds the index (per repetition when the workload writes), times
 * the stream in each requested mode, checks every answer, and appends one
 * CSV row per repetition.  It adds nothing to the timed loop but reading the
 * stream and comparing answers (the null-index floor printed at start-up
 * measures exactly that).
 */
#ifndef OMENBENCH_RUNNER_H
#define OMENBENCH_RUNNER_H

#include <stdbool.h>
#include <stdio.h>

#include "datasets/dataset.h"
#include "harness/csvwrite.h"
#include "harness/timed_loop.h" /* enum run_mode */
#include "harness/timer.h"
#include "indexes/index.h"
#include "workloads/workload.h"

struct machine_info; /* harness/sysinfo.h */

struct run_config {
	const struct timer_info *timer;
	unsigned modes;      /* MODE_* */
	int reps;
	int build;           /* this round of `run --builds`, from 1 */
	int threads;
	const char *dir;     /* parent of the engines' fresh directories */
	bool keep;           /* keep engine directories */
	struct csv_out *csv; /* NULL: no CSV */
	const struct machine_info *machine; /* for the rows; NULL: "unknown" */
	bool quiet;
};

struct run_target {
	const struct dataset *data;
	const struct index_ops *ops;
	const struct param_set *iparams;
	const struct workload *wl;
	const struct param_set *wparams;
	const struct op_stream *stream;
};

/* Outcome of one configuration: 0 ran and valid, 1 ran with wrong answers,
 * 2 failed (build or engine error), 3 skipped (reason printed), 4 the CSV
 * could not be written (reason printed): nothing more can be recorded, so
 * the caller stops. */
enum { RUN_CSV_FAILED = 4 };
int run_index(const struct run_config *cfg, const struct run_target *t);

/* The harness's own cost per operation (a null index), ns. */
double runner_floor_ns(const struct run_config *cfg);

/* "batch", "sampled" or "dependent". */
const char *run_mode_name(enum run_mode m);

/* Why an index cannot run a workload, or NULL. */
const char *run_skip_reason(const struct run_target *t, int threads, char *buf,
			    size_t len);

#endif
