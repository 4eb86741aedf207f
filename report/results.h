/*
 * report/results.h — a results CSV (harness/csv.h) organised for everything
 * that reads it: `omenbench report` and `omenbench summary`.
 *
 * Rows that were checked and right (valid=1) with possible figures are
 * sorted by (dataset, workload, wparams, mode, threads, index, params) and
 * cut into CONFIGURATIONS — one index configuration on one experiment,
 * holding its repetitions — and GROUPS — the run of configurations that
 * share (dataset, workload, wparams, mode, threads), i.e. one experiment
 * every index ran.  batch=16 is a workload parameter, so batched lookups
 * are an experiment of their own and never mix with one-at-a-time rows.
 *
 * The rules that turn repetitions into figures live here, once: a
 * configuration's figure is the median over its repetitions, and an index's
 * best configuration in an experiment is the one with the lowest median ns
 * per operation.  Nothing here prints.
 */
#ifndef OMENBENCH_RESULTS_H
#define OMENBENCH_RESULTS_H

#include <stddef.h>
#include <stdio.h>

#include "harness/csvread.h"
#include "common/params.h"

/* Bootstrap intervals (stats.h) at this level, and none below this many
 * repetitions: fewer mean nothing.  The report and the summary share them. */
#define RESULTS_CI_LEVEL 0.95
#define RESULTS_CI_MIN_REPS 3

/* One index configuration on one experiment, with its valid repetitions. */
struct config {
	const char *dataset, *workload, *wparams, *mode, *index, *family,
		*params;
	long threads;
	const struct csv_row **rows;
	size_t nrows;
	double median_ns; /* NaN when no repetition has a number */
	size_t n_ns;      /* repetitions with a number */
};

/* The configurations [first, first + count) share one experiment. */
struct group {
	size_t first, count;
};

struct results {
	struct csv_table table;
	const struct csv_row **valid_rows; /* sorted; configs point into it */
	size_t nvalid;
	const struct csv_row **invalid_rows; /* valid != 1, sorted */
	size_t ninvalid;
	size_t nimpossible; /* valid=1 rows with an impossible figure */
	const struct csv_row *first_impossible;
	enum csv_column impossible_column; /* the first's bad column */
	struct config *configs;
	size_t nconfigs;
	struct group *groups;
	size_t ngroups;
};

/* Reads and organises one CSV.  0, or -1 with a one-line message in err.
 * The reader's warning about skipped lines goes to `warn` unless NULL. */
int results_load(const char *path, struct results *r, FILE *warn, char *err,
		 size_t errlen);
void results_free(struct results *r);

/* A field's text with "NA" and absence read as "": wparams and params are
 * often empty and must compare equal whichever way they were written. */
const char *row_text(const struct csv_row *row, enum csv_column col);
/* The threads column; 1 when absent or NA. */
long row_threads(const struct csv_row *row);
/* Do two rows belong to one configuration (same experiment, index and
 * params)? */
int rows_same_config(const struct csv_row *a, const struct csv_row *b);

/* The non-NA values of one column over a configuration's repetitions;
 * `out` must hold c->nrows doubles.  Returns how many. */
size_t config_values(const struct config *c, enum csv_column col, double *out);
/* Median over repetitions of one column; NaN when none has a number. */
double config_median(const struct config *c, enum csv_column col);

/* The configuration of `family` (any when NULL) and of `index` (any when
 * NULL) with the lowest median ns in a group; NULL when none has a number.
 * Ties go to the first in sort order. */
const struct config *results_best(const struct results *r, const struct group *g,
				  const char *family, const char *index);

/* The k=v items of `params` whose value differs from the declared default
 * (every item when `defs` is NULL: an index or workload this binary does
 * not know), ':'-separated, into out ("" when all are defaults).  The
 * defaults come from the registries, so changing one changes every label. */
void params_non_default(const char *params, const struct param_def *defs, char *out,
			size_t len);

#endif
