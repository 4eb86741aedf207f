/*
 * datasets/gen.c — synthetic data sets for `omenbench gen`.
 *
 * SOSD's definitions (Marcus et al., "Benchmarking Learned Indexes", VLDB
 * 2020, §4.1 and its generator scripts):
 *   uden  dense integers 42 .. n+41
 *   uspr  uniform sparse: n distinct keys drawn uniformly from the whole key
 *         range (0 .. 2^64-1, or 2^32-1 for 32-bit)
 *   norm  deterministic quantiles: x_i = the n interior points of
 *         linspace(0,1,n+2) pushed through the inverse normal CDF,
 *         min-max scaled to 2^63-1 (64-bit) or 2^32-1 (32-bit), truncated
 *   logn  the same through the lognormal (mu 0, sigma 2 for 64-bit, 1 for
 *         32-bit) inverse CDF
 * and time series for the sequential-key question:
 *   ts    nanosecond timestamps from 2020-01-01T00:00:00Z: intervals with a
 *         mean, uniform jitter, optional bursts (regimes alternating between
 *         quiet and busy, each of geometric length), and a fraction of
 *         duplicate timestamps.  The presets ts_regular, ts_bursty and
 *         ts_dups are `ts` with other defaults.
 * Same generator, parameters, n and seed: byte-identical file.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datasets/dataset.h"
#include "common/rng.h"

/* Acklam's rational approximation, refined by one Halley step on erfc:
 * relative error ~1e-15, enough that the quantiles are exact doubles. */
double inverse_normal_cdf(double p)
{
	static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
				   -2.759285104469687e+02, 1.383577518672690e+02,
				   -3.066479806614716e+01, 2.506628277459239e+00};
	static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
				   -1.556989798598866e+02, 6.680131188771972e+01,
				   -1.328068155288572e+01};
	static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
				   -2.400758277161838e+00, -2.549732539343734e+00,
				   4.374664141464968e+00, 2.938163982698783e+00};
	static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
				   2.445134137142996e+00, 3.754408661907416e+00};
	const double plow = 0.02425, phigh = 1 - plow;
	double x;
	if (p <= 0)
		return -INFINITY;
	if (p >= 1)
		return INFINITY;
	if (p < plow) {
		double q = sqrt(-2 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else if (p <= phigh) {
		double q = p - 0.5, r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
		    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	} else {
		double q = sqrt(-2 * log(1 - p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	}
	double e = 0.5 * erfc(-x / sqrt(2)) - p;
	double u = e * sqrt(2 * M_PI) * exp(x * x / 2);
	return x - u / (1 + x * u / 2);
}

static const struct param_def no_params[] = {{NULL, NULL, NULL}};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int gen_uden(const struct param_set *p, uint64_t *keys, size_t n,
		    int width, uint64_t seed, char *err, size_t errlen)
{
	(void)p, (void)seed;
	if (width == 32 && n > UINT32_MAX - 41) {
		snprintf(err, errlen, "uden: %zu keys do not fit in 32 bits", n);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		keys[i] = 42 + i;
	return 0;
}

static int gen_uspr(const struct param_set *p, uint64_t *keys, size_t n,
		    int width, uint64_t seed, char *err, size_t errlen)
{
	(void)p;
	uint64_t mask = width == 32 ? UINT32_MAX : UINT64_MAX;
	if (width == 32 && n > (size_t)UINT32_MAX / 2) {
		snprintf(err, errlen, "uspr: %zu distinct keys are too dense for 32 bits", n);
		return -1;
	}
	struct rng r;
	rng_seed(&r, seed);
	size_t filled = 0;
	/* Draw, sort, drop repeats, draw again for the holes: distinct keys. */
	while (filled < n) {
		for (size_t i = filled; i < n; i++)
			keys[i] = rng_next(&r) & mask;
		qsort(keys, n, sizeof *keys, cmp_u64);
		size_t m = n ? 1 : 0;
		for (size_t i = 1; i < n; i++)
			if (keys[i] != keys[m - 1])
				keys[m++] = keys[i];
		filled = m;
	}
	return 0;
}

/* Quantiles of a distribution, min-max scaled into [0, top]. */
static int gen_quantiles(uint64_t *keys, size_t n, int width, int lognormal,
			 char *err, size_t errlen)
{
	(void)err, (void)errlen;
	if (n == 0)
		return 0;
	double sigma = width == 32 ? 1.0 : 2.0;
	double top = width == 32 ? (double)UINT32_MAX : 9223372036854775807.0;
	double *x = malloc(n * sizeof *x);
	if (!x) {
		snprintf(err, errlen, "out of memory for %zu quantiles", n);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		double q = (double)(i + 1) / (double)(n + 1);
		double z = inverse_normal_cdf(q);
		x[i] = lognormal ? exp(sigma * z) : z;
	}
	double lo = x[0], hi = x[n - 1], span = hi - lo;
	for (size_t i = 0; i < n; i++) {
		double v = span > 0 ? (x[i] - lo) / span * top : 0;
		if (v >= top) /* 2^63-1 is not a double: keep within the range */
			keys[i] = width == 32 ? UINT32_MAX : INT64_MAX;
		else
			keys[i] = (uint64_t)v;
		if (i && keys[i] < keys[i - 1])
			keys[i] = keys[i - 1];
	}
	free(x);
	return 0;
}

static int gen_norm(const struct param_set *p, uint64_t *keys, size_t n,
		    int width, uint64_t seed, char *err, size_t errlen)
{
	(void)p, (void)seed;
	return gen_quantiles(keys, n, width, 0, err, errlen);
}

static int gen_logn(const struct param_set *p, uint64_t *keys, size_t n,
		    int width, uint64_t seed, char *err, size_t errlen)
{
	(void)p, (void)seed;
	return gen_quantiles(keys, n, width, 1, err, errlen);
}

/* --- time series ----------------------------------------------------- */

#define TS_PARAMS(interval, jitter, bursts, dups)                              \
	{                                                                      \
		{"start", "1577836800000000000", "first timestamp, ns since 1970 (2020-01-01)"}, \
		{"interval", interval, "mean ns between events"},                \
		{"jitter", jitter, "uniform jitter, fraction of the interval"},  \
		{"bursts", bursts, "1: regimes alternate quiet (x10 interval) and busy (x0.1)"}, \
		{"regime", "10000", "mean events per regime when bursts=1"},     \
		{"dups", dups, "fraction of events sharing the previous timestamp"}, \
		{NULL, NULL, NULL},                                              \
	}

static const struct param_def ts_params[] = TS_PARAMS("1000000", "0.5", "0", "0");
static const struct param_def ts_regular_params[] = TS_PARAMS("1000000", "0.1", "0", "0");
static const struct param_def ts_bursty_params[] = TS_PARAMS("1000000", "0.5", "1", "0");
static const struct param_def ts_dups_params[] = TS_PARAMS("1000000", "0.5", "0", "0.05");

static int gen_ts(const struct param_set *p, uint64_t *keys, size_t n,
		  int width, uint64_t seed, char *err, size_t errlen)
{
	uint64_t start, interval, bursts, regime;
	double jitter, dups;
	if (width != 64) {
		snprintf(err, errlen, "ts: nanosecond timestamps need 64-bit keys");
		return -1;
	}
	if (param_u64(p, "start", 0, UINT64_MAX / 2, &start, err, errlen) ||
	    param_u64(p, "interval", 1, 1ull << 40, &interval, err, errlen) ||
	    param_double(p, "jitter", 0, 1, &jitter, err, errlen) ||
	    param_u64(p, "bursts", 0, 1, &bursts, err, errlen) ||
	    param_u64(p, "regime", 1, 1ull << 40, &regime, err, errlen) ||
	    param_double(p, "dups", 0, 0.99, &dups, err, errlen))
		return -1;
	struct rng r;
	rng_seed(&r, seed);
	uint64_t t = start;
	int busy = 0;
	double scale = 1.0;
	for (size_t i = 0; i < n; i++) {
		if (bursts && rng_unit(&r) < 1.0 / (double)regime) {
			busy = !busy;
			scale = busy ? 0.1 : 10.0;
		}
		if (i && rng_unit(&r) < dups) {
			keys[i] = t; /* same timestamp as the previous event */
			continue;
		}
		double gap = (double)interval * scale * (1.0 + jitter * (2 * rng_unit(&r) - 1));
		uint64_t step = i ? (uint64_t)(gap < 1 ? 1 : gap) : 0;
		if (t > UINT64_MAX - step) {
			snprintf(err, errlen, "ts: timestamps overflow 64 bits; lower interval or n");
			return -1;
		}
		t += step;
		keys[i] = t;
	}
	return 0;
}

static const struct generator uden_gen = {"uden", "dense integers 42..n+41 (SOSD)", no_params, gen_uden};
static const struct generator uspr_gen = {"uspr", "uniform sparse distinct keys (SOSD)", no_params, gen_uspr};
static const struct generator norm_gen = {"norm", "normal quantiles, min-max scaled (SOSD)", no_params, gen_norm};
static const struct generator logn_gen = {"logn", "lognormal quantiles, sigma 2 (64-bit) or 1 (32-bit) (SOSD)", no_params, gen_logn};
static const struct generator ts_gen = {"ts", "nanosecond timestamps: interval, jitter, bursts, dups", ts_params, gen_ts};
static const struct generator ts_regular_gen = {"ts_regular", "ts preset: steady 1 ms events, 10% jitter", ts_regular_params, gen_ts};
static const struct generator ts_bursty_gen = {"ts_bursty", "ts preset: quiet/busy regimes (x10 / x0.1 rate)", ts_bursty_params, gen_ts};
static const struct generator ts_dups_gen = {"ts_dups", "ts preset: 5% duplicate timestamps", ts_dups_params, gen_ts};

const struct generator *const generator_registry[] = {
	&uden_gen, &uspr_gen, &norm_gen, &logn_gen,
	&ts_gen, &ts_regular_gen, &ts_bursty_gen, &ts_dups_gen, NULL,
};

const struct generator *generator_find(const char *name)
{
	for (int i = 0; generator_registry[i]; i++)
		if (!strcmp(generator_registry[i]->name, name))
			return generator_registry[i];
	return NULL;
}
