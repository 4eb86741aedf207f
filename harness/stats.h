/*
 * harness/stats.h — the few statistics the report needs: order statistics
 * over repetitions and percentile-bootstrap confidence intervals.
 *
 * Every function takes a plain array of doubles and never modifies it.  An
 * empty sample gives NaN.  The bootstrap uses its own seeded generator, so the
 * same inputs always give the same interval (the report is reproducible).
 */
#ifndef OMENBENCH_STATS_H
#define OMENBENCH_STATS_H

#include <stddef.h>
#include <stdint.h>

#define STATS_BOOTSTRAP_B 10000
#define STATS_BOOTSTRAP_SEED 0x6f6d656e62656e63ull /* "omenbenc" */

double stats_median(const double *x, size_t n);
double stats_min(const double *x, size_t n);
double stats_max(const double *x, size_t n);
double stats_mean(const double *x, size_t n);

struct stats_ci {
	double estimate; /* the statistic on the original samples */
	double lo, hi;   /* percentile-bootstrap interval */
};

/* Interval for median(x): `resamples` resamples of x with replacement, the
 * (1-level)/2 and (1+level)/2 percentiles of their medians.  0 on success,
 * -1 for an empty sample or out of memory (out is then all NaN). */
int stats_bootstrap_median(const double *x, size_t n, unsigned resamples,
			   double level, uint64_t seed, struct stats_ci *out);

/* Interval for median(num) / median(den), resampling each sample
 * independently (they are separate runs).  E.g. num = the B-tree's
 * repetitions, den = the learned index's: the learned index's speed-up. */
int stats_bootstrap_ratio(const double *num, size_t nn, const double *den,
			  size_t nd, unsigned resamples, double level,
			  uint64_t seed, struct stats_ci *out);

/* The same interval when each sample's values come in groups — the
 * repetitions of one build of an index: a two-stage (hierarchical)
 * bootstrap draws groups with replacement, then values within each drawn
 * group, so the interval covers the variation between builds as well as
 * between repetitions (Davison & Hinkley, Bootstrap Methods, 1997, 3.8).
 * group[i] names the group of value i. */
int stats_bootstrap_ratio_nested(const double *num, const long *num_group, size_t nn,
				 const double *den, const long *den_group, size_t nd,
				 unsigned resamples, double level, uint64_t seed,
				 struct stats_ci *out);

/* Spearman rank correlation of paired samples (average ranks for ties);
 * NaN when n < 2 or one side is constant. */
double stats_spearman(const double *x, const double *y, size_t n);

#endif
