/*
 * report/summary.h — `omenbench summary`: one line per index configuration
 * per experiment, the figures every consumer of the results reads (the
 * plots, the README tables, the reference comparison) so that none of them
 * computes a median or picks a best configuration itself.
 *
 *   omenbench summary [--csv results/bench.csv] [--out FILE]
 *
 * The output is tab-separated with one header line naming the columns
 * below, in this order.  Text fields that are empty print "-"; figures that
 * do not apply or have no value print "NA".  Only valid rows (valid=1, every
 * figure possible) count; grouping and the median and best rules are
 * report/results.h's, the same the report uses.
 */
#ifndef OMENBENCH_SUMMARY_H
#define OMENBENCH_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "report/results.h"

/* X(column name, meaning) — the order is the column order. */
#define SUMMARY_COLUMNS(X)                                                    \
	X(dataset, "data set name")                                           \
	X(n_keys, "keys in the data set")                                     \
	X(workload, "workload name")                                          \
	X(wparams, "workload parameters in full, k=v:k=v (\"-\" if none)")    \
	X(wlabel, "workload and its non-default parameters: point, point:batch=16") \
	X(mode, "batch, sampled or dependent")                                \
	X(threads, "threads that ran the operations")                         \
	X(index, "index name")                                                \
	X(family, "index family")                                             \
	X(params, "index parameters in full (\"-\" if none)")                 \
	X(label, "index and its non-default parameters: btree, pgm:eps=64")   \
	X(rows, "valid rows of this configuration (repetitions)")             \
	X(ns_reps, "of them, rows with a ns_per_op figure")                   \
	X(ns_median, "median ns per operation over the repetitions")          \
	X(ns_min, "smallest ns per operation")                                \
	X(ns_max, "largest ns per operation")                                 \
	X(ns_ci_lo, "95% percentile-bootstrap interval of the median, low end (NA below 3 repetitions)") \
	X(ns_ci_hi, "the interval's high end")                                \
	X(mops, "median Mops/s")                                              \
	X(p50, "median of the repetitions' p50 ns")                           \
	X(p99, "median of the repetitions' p99 ns")                           \
	X(p999, "median of the repetitions' p99.9 ns")                        \
	X(build_ns, "median ns to create and bulk-load")                      \
	X(index_bytes, "median bytes of the structure")                       \
	X(total_bytes, "median bytes of everything it holds")                 \
	X(best, "1 on the index's configuration with the lowest median ns in this experiment, else 0")

enum summary_column {
#define SUMMARY_ENUM(name, help) SUMMARY_##name,
	SUMMARY_COLUMNS(SUMMARY_ENUM)
#undef SUMMARY_ENUM
	SUMMARY_NCOLUMNS
};

extern const char *const summary_column_names[SUMMARY_NCOLUMNS];

#define SUMMARY_LABEL_LEN 1024

/* One configuration's figures. */
struct summary_line {
	const struct config *config; /* names, rows; points into the results */
	char wlabel[SUMMARY_LABEL_LEN], label[SUMMARY_LABEL_LEN];
	size_t ns_reps;
	double ns_median, ns_min, ns_max, ns_ci_lo, ns_ci_hi;
	double mops, p50, p99, p999, build_ns, index_bytes, total_bytes;
	int best;
};

struct summary {
	struct summary_line *lines; /* one per configuration, in results order */
	size_t nlines;
};

/* Computes every configuration's line.  0, or -1 with a message in err
 * (out of memory).  The summary points into `r`: free it first. */
int summary_compute(const struct results *r, struct summary *out, char *err,
		    size_t errlen);
void summary_free(struct summary *s);

/* "name" or "name:k=v..." with only the non-default parameters, as the
 * registry `defs` declares them (NULL: an unknown name, every one kept). */
void summary_label(const char *name, const char *params, const struct param_def *defs,
		   char *out, size_t len);

/* The header line and one line per configuration; 0, or -1 when a write
 * fails (errno says why). */
int summary_write_tsv(FILE *f, const struct summary *s);

/* argv[0] is "summary".  0, or 2 on a usage error or an unreadable CSV. */
int summary_main(int argc, char **argv);

#endif
