/*
 * report/verdict.h — the go/no-go rule, computed as data: which question an
 * experiment answers, each experiment's decision row, each question's
 * answer and the verdict.  Nothing here prints; report.c lays it out.
 *
 * The rule (report.h): GO if some learned index is at least
 * REPORT_GO_SPEEDUP times faster than the best ordered non-learned index
 * (B-trees, tries, binary and interpolation search) on some batch-mode
 * experiment, with the 95% interval's lower end at or above it too, and
 * both sides tuned.  Three questions are asked in order: time-series /
 * sequential keys, read-only lookups, writes.  What a workload is (writes,
 * sequential, scans) comes from its registry entry, never from its name.
 */
#ifndef OMENBENCH_VERDICT_H
#define OMENBENCH_VERDICT_H

#include <stddef.h>

#include "report/results.h"
#include "harness/stats.h"

#define REPORT_GO_SPEEDUP 2.0

/* ---- what an experiment is ---- */

int config_is_batch(const struct config *c);
int config_is_latency(const struct config *c); /* sampled or dependent */
/* Time-series data by the naming rule of datasets/: ts_* and NAME_ts_SIZE. */
int dataset_is_time_series(const char *dataset);
/* A sequential workload (registry), or any on time-series data. */
int config_is_sequential(const struct config *c);
/* Writes, or lookups on an index grown by inserts (registry). */
int workload_is_write(const char *name);
int workload_is_in_key_order(const char *name); /* registry: sequential */
/* Needs no order, so a hash table runs it too (registry); 0 if unknown. */
int workload_is_point(const char *name);
/* B-trees, tries, binary and interpolation search. */
int family_is_ordered_non_learned(const char *family);

/* ---- comparisons ---- */

/* A speed-up of `fast` over `slow`: median(slow ns) / median(fast ns). */
struct comparison {
	const struct config *fast, *slow;
	double ratio;
	struct stats_ci ci; /* NaN bounds when either side has < RESULTS_CI_MIN_REPS */
	int within_build;   /* a side ran on one build: the interval covers
			     * repetitions only, not rebuilding the index */
	int pooled;         /* a side's rows come from separate runs */
};

void verdict_compare(const struct config *fast, const struct config *slow,
		     struct comparison *out);

/* The best configuration among the families `want` accepts; NULL if none. */
const struct config *results_best_where(const struct results *r, const struct group *g,
					int (*want)(const char *family));
/* The same experiment as c's in another mode, or NULL. */
const struct group *results_group_in_mode(const struct results *r, const struct config *c,
					  const char *mode);

/* ---- the rule ---- */

enum question { Q_TIME_SERIES, Q_READS, Q_WRITES, NQUESTIONS };
extern const char *const question_title[NQUESTIONS];

/* One experiment's decision: the best learned configuration against the
 * best ordered non-learned one, the best hash table beside. */
struct decision {
	const struct config *learned, *ordered, *hash;
	struct comparison cmp; /* learned over ordered */
	const char *undecided; /* why the row cannot decide, or NULL */
	int decides;           /* both sides tuned, equal operation counts */
	int pass;              /* decides, and ratio and CI low end >= threshold */
	/* True latency (dependent mode) of each side's best configuration in
	 * the same experiment, when it was run; NaN otherwise. */
	double dependent_learned_ns, dependent_ordered_ns;
};

/* One question's answer. */
struct answer {
	enum { ANSWER_NO_DATA, ANSWER_UNDECIDED, ANSWER_NO_GO, ANSWER_GO } kind;
	struct decision best; /* the passing row, or the best deciding near-miss,
			       * or (undecided) the best row that could not decide */
	size_t passing, deciding, rows;
};

struct verdict {
	struct decision *decisions[NQUESTIONS]; /* every row, in experiment order */
	size_t ndecisions[NQUESTIONS];
	struct answer answer[NQUESTIONS];
	enum {
		VERDICT_GO_TIME_SERIES, /* GO on time-series keys */
		VERDICT_GO_ELSEWHERE,   /* GO, but not on time-series keys */
		VERDICT_UNDECIDED,      /* nothing decides: no side tuned */
		VERDICT_NO_GO,
	} kind;
};

/* 0, or -1 with a message in err (out of memory).  The verdict points into
 * `r`: free it first. */
int verdict_compute(const struct results *r, struct verdict *v, char *err, size_t errlen);
void verdict_free(struct verdict *v);

const char *answer_word(const struct answer *a); /* "GO", "NO-GO", ... */

#endif
