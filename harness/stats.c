/*
 * harness/stats.c — order statistics and the percentile bootstrap
 * (Efron & Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 13).
 *
 * Repetition counts are small (3-20), so resample medians are found by
 * sorting a copy with insertion sort; larger samples fall back to qsort.
 */
#include "harness/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void sort_doubles(double *x, size_t n)
{
	if (n > 32) {
		qsort(x, n, sizeof *x, cmp_double);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		double v = x[i];
		size_t j = i;
		for (; j > 0 && x[j - 1] > v; j--)
			x[j] = x[j - 1];
		x[j] = v;
	}
}

/* Median of an already sorted array: the mean of the middle two for even n. */
static double sorted_median(const double *x, size_t n)
{
	return n & 1 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

double stats_median(const double *x, size_t n)
{
	if (!n)
		return NAN;
	double small[64];
	double *copy = n <= 64 ? small : malloc(n * sizeof *copy);
	if (!copy)
		return NAN;
	memcpy(copy, x, n * sizeof *copy);
	sort_doubles(copy, n);
	double m = sorted_median(copy, n);
	if (copy != small)
		free(copy);
	return m;
}

double stats_min(const double *x, size_t n)
{
	if (!n)
		return NAN;
	double m = x[0];
	for (size_t i = 1; i < n; i++)
		m = x[i] < m ? x[i] : m;
	return m;
}

double stats_max(const double *x, size_t n)
{
	if (!n)
		return NAN;
	double m = x[0];
	for (size_t i = 1; i < n; i++)
		m = x[i] > m ? x[i] : m;
	return m;
}

double stats_mean(const double *x, size_t n)
{
	if (!n)
		return NAN;
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += x[i];
	return s / (double)n;
}

/* splitmix64 (Steele, Lea & Flood, OOPSLA 2014): small, seedable, good
 * enough for drawing resample indices; the state lives on the caller's
 * stack so there is no global generator. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform index below n; the modulo bias (n / 2^64) is negligible for
 * samples of a few dozen repetitions. */
static size_t random_below(uint64_t *state, size_t n)
{
	return (size_t)(next_random(state) % n);
}

static double resample_median(const double *x, size_t n, double *scratch,
			      uint64_t *state)
{
	for (size_t i = 0; i < n; i++)
		scratch[i] = x[random_below(state, n)];
	sort_doubles(scratch, n);
	return sorted_median(scratch, n);
}

/* The q-quantile of sorted values, linear interpolation between ranks. */
static double sorted_quantile(const double *x, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t i = (size_t)pos;
	if (i + 1 >= n)
		return x[n - 1];
	double frac = pos - (double)i;
	return x[i] + frac * (x[i + 1] - x[i]);
}

static int bootstrap(const double *num, size_t nn, const double *den,
		     size_t nd, unsigned resamples, double level,
		     uint64_t seed, struct stats_ci *out)
{
	out->estimate = out->lo = out->hi = NAN;
	if (!nn || (den && !nd) || resamples < 2 || !(level > 0 && level < 1))
		return -1;
	size_t scratch_n = nn > nd ? nn : nd;
	double *scratch = malloc(scratch_n * sizeof *scratch);
	double *stat = malloc(resamples * sizeof *stat);
	if (!scratch || !stat) {
		free(scratch);
		free(stat);
		return -1;
	}
	uint64_t state = seed;
	for (unsigned b = 0; b < resamples; b++) {
		double v = resample_median(num, nn, scratch, &state);
		if (den)
			v /= resample_median(den, nd, scratch, &state);
		stat[b] = v;
	}
	sort_doubles(stat, resamples);
	out->estimate = stats_median(num, nn);
	if (den)
		out->estimate /= stats_median(den, nd);
	out->lo = sorted_quantile(stat, resamples, (1 - level) / 2);
	out->hi = sorted_quantile(stat, resamples, (1 + level) / 2);
	free(scratch);
	free(stat);
	return 0;
}

int stats_bootstrap_median(const double *x, size_t n, unsigned resamples,
			   double level, uint64_t seed, struct stats_ci *out)
{
	return bootstrap(x, n, NULL, 0, resamples, level, seed, out);
}

int stats_bootstrap_ratio(const double *num, size_t nn, const double *den,
			  size_t nd, unsigned resamples, double level,
			  uint64_t seed, struct stats_ci *out)
{
	if (!den)
		return -1;
	return bootstrap(num, nn, den, nd, resamples, level, seed, out);
}

/* A sample cut into groups: values[start[g] .. start[g + 1]) form group g. */
struct grouped {
	double *values;
	size_t *start; /* ngroups + 1 entries */
	size_t ngroups, n, largest;
};

static void grouped_free(struct grouped *g)
{
	free(g->values);
	free(g->start);
}

static int grouped_make(const double *x, const long *group, size_t n, struct grouped *g)
{
	g->values = malloc((n ? n : 1) * sizeof *g->values);
	g->start = malloc((n + 1) * sizeof *g->start);
	g->ngroups = g->largest = 0;
	g->n = n;
	if (!g->values || !g->start) {
		grouped_free(g);
		return -1;
	}
	/* Stable gather by first appearance of each group: n is a few dozen. */
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = group[j] == group[i];
		if (seen)
			continue;
		g->start[g->ngroups++] = k;
		for (size_t j = i; j < n; j++)
			if (group[j] == group[i])
				g->values[k++] = x[j];
		size_t len = k - g->start[g->ngroups - 1];
		if (len > g->largest)
			g->largest = len;
	}
	g->start[g->ngroups] = k;
	return 0;
}

/* Median of one two-stage resample: groups drawn with replacement, then
 * each drawn group's values drawn with replacement. */
static double resample_nested_median(const struct grouped *g, double *scratch,
				     uint64_t *state)
{
	size_t m = 0;
	for (size_t i = 0; i < g->ngroups; i++) {
		size_t pick = random_below(state, g->ngroups);
		size_t lo = g->start[pick], len = g->start[pick + 1] - lo;
		for (size_t j = 0; j < len; j++)
			scratch[m++] = g->values[lo + random_below(state, len)];
	}
	sort_doubles(scratch, m);
	return sorted_median(scratch, m);
}

int stats_bootstrap_ratio_nested(const double *num, const long *num_group, size_t nn,
				 const double *den, const long *den_group, size_t nd,
				 unsigned resamples, double level, uint64_t seed,
				 struct stats_ci *out)
{
	out->estimate = out->lo = out->hi = NAN;
	if (!nn || !nd || resamples < 2 || !(level > 0 && level < 1))
		return -1;
	struct grouped a, b;
	if (grouped_make(num, num_group, nn, &a))
		return -1;
	if (grouped_make(den, den_group, nd, &b)) {
		grouped_free(&a);
		return -1;
	}
	size_t most = a.ngroups * a.largest > b.ngroups * b.largest
			      ? a.ngroups * a.largest : b.ngroups * b.largest;
	double *scratch = malloc((most ? most : 1) * sizeof *scratch);
	double *stat = malloc(resamples * sizeof *stat);
	int rc = -1;
	if (scratch && stat) {
		uint64_t state = seed;
		for (unsigned r = 0; r < resamples; r++) {
			double v = resample_nested_median(&a, scratch, &state);
			stat[r] = v / resample_nested_median(&b, scratch, &state);
		}
		sort_doubles(stat, resamples);
		out->estimate = stats_median(num, nn) / stats_median(den, nd);
		out->lo = sorted_quantile(stat, resamples, (1 - level) / 2);
		out->hi = sorted_quantile(stat, resamples, (1 + level) / 2);
		rc = 0;
	}
	free(scratch);
	free(stat);
	grouped_free(&a);
	grouped_free(&b);
	return rc;
}

/* Average ranks (1-based), ties sharing the mean of their ranks. */
static int average_ranks(const double *x, size_t n, double *rank)
{
	size_t *order = malloc(n * sizeof *order);
	if (!order)
		return -1;
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = 1; i < n; i++) { /* insertion sort of indices by value */
		size_t v = order[i], j = i;
		for (; j > 0 && x[order[j - 1]] > x[v]; j--)
			order[j] = order[j - 1];
		order[j] = v;
	}
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && x[order[j + 1]] == x[order[i]])
			j++;
		double r = (double)(i + j) / 2 + 1;
		for (size_t k = i; k <= j; k++)
			rank[order[k]] = r;
		i = j + 1;
	}
	free(order);
	return 0;
}

double stats_spearman(const double *x, const double *y, size_t n)
{
	if (n < 2)
		return NAN;
	double *rx = malloc(n * sizeof *rx), *ry = malloc(n * sizeof *ry);
	double rho = NAN;
	if (rx && ry && !average_ranks(x, n, rx) && !average_ranks(y, n, ry)) {
		/* Pearson correlation of the ranks: right with ties too. */
		double mx = stats_mean(rx, n), my = stats_mean(ry, n);
		double sxy = 0, sxx = 0, syy = 0;
		for (size_t i = 0; i < n; i++) {
			sxy += (rx[i] - mx) * (ry[i] - my);
			sxx += (rx[i] - mx) * (rx[i] - mx);
			syy += (ry[i] - my) * (ry[i] - my);
		}
		if (sxx > 0 && syy > 0)
			rho = sxy / sqrt(sxx * syy);
	}
	free(rx);
	free(ry);
	return rho;
}
