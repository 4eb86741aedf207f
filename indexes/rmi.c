/*
 * indexes/rmi.c — the two-layer Recursive Model Index.
 *
 * T. Kraska, A. Beutel, E. H. Chi, J. Dean, N. Polyzotis, "The Case for
 * Learned Index Structures", SIGMOD 2018, §3 (the recursive model index, here
 * with two stages as in §3.3 and the experiments of §3.7), built the way the
 * RMI generator (learnedsystems/RMI, R. Marcus et al.) builds the RMIs SOSD
 * benchmarks (Marcus et al., "Benchmarking Learned Indexes", VLDB 2020, §4):
 * a top model picks one of `branch` linear leaf models, the leaf predicts a
 * position, and a last-mile search covers the leaf's own error bound.
 *
 * Layout.  The top model is a handful of doubles in the handle (types below).
 * Each leaf is one 32-byte record {slope, intercept, base key, bound}, the
 * array aligned to 64 bytes so a record never spans a cache line: one miss
 * for the leaf, then the window [pred - bound, pred + bound + 1] of the keys.
 * The leaf evaluates intercept + slope * (key - base) with a signed 64-bit
 * difference, so keys near 2^64 keep full precision (a double cannot tell
 * apart keys 2048 apart up there).
 *
 * Top model types (top=):
 *   linear        least squares on (key, position), scaled to leaves
 *   robust_linear the same after trimming the extreme 0.01% at each end
 *   linear_spline the line through the first and the last key
 *   cubic         a monotone cubic: a cubic Hermite segment through the first
 *                 and last key whose end slopes are fitted by least squares
 *                 and then pulled into the Fritsch-Carlson monotone region
 *   radix         the top bits of key - min (the common prefix removed)
 *   auto          picks a type and a power-of-two branch for budget= bytes by
 *                 the smallest mean log2 error on a sample, as the RMI
 *                 optimiser does
 *
 * Correctness.  Leaves are trained on (key, FIRST position) of their own keys
 * plus the last key of the previous leaf and the first key of the next one.
 * A leaf's bound is measured after training with the very routing and
 * prediction code the lookups run: for each key routed to it, how far the
 * prediction is above its first copy or below its last copy, and the same for
 * the two boundary keys.  Since every model is monotone, the window then
 * holds the first copy of every present key and the lower bound of every
 * absent key; scan() also checks the answer's neighbours and gallops should
 * rounding ever break that.  Predictions are clamped to [0, n - 1].
 *
 * The index references the bulk-loaded arrays (no copy).
 *
 * Against the authors' code (make reference; `refrmi` is analysis-rmi's
 * rmi::RmiLAbs with the same top model, leaf count and linear leaves):
 * under callgrind (results/reference-callgrind.csv: 1M uspr keys, x86-64-v3
 * build) a lookup here runs about 24 more instructions than the reference's
 * (152 vs 128 at 2^16 leaves) and, at 2^20 leaves, misses the simulated LLC
 * more often (1.35 vs 0.86 per lookup).  The causes are design choices made
 * above: the top model type is a runtime switch (the reference's is a
 * template parameter), every prediction subtracts a base key (so keys near
 * 2^64 keep their precision; the reference converts the raw key to double)
 * and clamps with a NaN guard, both ends of the window are prefetched, and
 * a leaf is one 32-byte record (model, base key and bound together: one
 * cache line per lookup) where the reference keeps 16-byte models and
 * 8-byte bounds in two arrays, 24 bytes per leaf, so 2^20 leaves take 32 MiB
 * here and 24 MiB there.  In time, at 10M keys the two are within the
 * noise of a shared 2-core VM at 2^16 leaves; at 100M uspr keys with 2^16
 * leaves (about 1,500 keys a leaf, so the last mile dominates) ours was
 * clearly slower in the committed run (results/reference.md).  Not yet
 * explained: the instruction and miss counts above are at 1M keys, and the
 * windows' widths (our bounds also cover the neighbouring leaves' boundary
 * keys) were not compared at 100M.  See README "Against the authors' own
 * code".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexes/index.h"
#include "indexes/lastmile.h"

enum rmi_top_type {
	TOP_LINEAR,
	TOP_ROBUST_LINEAR,
	TOP_LINEAR_SPLINE,
	TOP_CUBIC,
	TOP_RADIX,
	TOP_AUTO,
};
static const char *const rmi_top_names[] = {"linear", "robust_linear",
					    "linear_spline", "cubic", "radix",
					    "auto", NULL};

/* One leaf: 32 bytes, so two share a 64-byte line and none straddles one. */
struct rmi_leaf {
	double slope;
	double intercept; /* predicted position of `base` */
	uint64_t base;
	uint64_t bound; /* window half-width measured after training */
};
_Static_assert(sizeof(struct rmi_leaf) == 32, "leaf record must be 32 bytes");

/* The top model maps x = key - min (0 below min) to a leaf. */
struct rmi_top {
	enum rmi_top_type type;
	uint64_t min;
	size_t branch;
	unsigned shift;            /* radix */
	double a, b;               /* linear types: leaf = a + b * x */
	double c1, c2, c3, x_norm; /* cubic: t = x * x_norm, c3 t^3 + c2 t^2 + c1 t */
};

struct rmi {
	const uint64_t *keys; /* the loaded arrays (referenced) */
	const uint64_t *vals;
	size_t n;
	struct rmi_top top;
	struct rmi_leaf *leaves;
	enum lastmile_kind search;
	enum rmi_top_type asked_type; /* TOP_AUTO or the type to build */
	uint64_t asked_branch;
	uint64_t budget;
};

static const struct param_def rmi_params[] = {
	{"top", "linear_spline",
	 "top model: linear|robust_linear|linear_spline|cubic|radix|auto"},
	{"branch", "2^16", "number of linear leaves, 2^6..2^24"},
	{"budget", "4M", "top=auto: largest index size in bytes"},
	{"search", "binary", "last-mile search: "
			     "binary|branchless|linear|exponential|interpolation"},
	{NULL, NULL, NULL},
};

#define RMI_MIN_BRANCH ((uint64_t)1 << 6)
#define RMI_MAX_BRANCH ((uint64_t)1 << 24)

static void *rmi_create(const struct param_set *cfg,
			const struct index_env *env, char *err, size_t errlen)
{
	(void)env;
	int top, search;
	uint64_t branch, budget;
	if (param_choice(cfg, "top", rmi_top_names, &top, err, errlen) ||
	    param_u64(cfg, "branch", RMI_MIN_BRANCH, RMI_MAX_BRANCH, &branch,
		      err, errlen) ||
	    param_u64(cfg, "budget", 1, UINT64_MAX, &budget, err, errlen) ||
	    param_choice(cfg, "search", lastmile_names, &search, err, errlen))
		return NULL;
	if (top == TOP_AUTO &&
	    budget < sizeof(struct rmi) + RMI_MIN_BRANCH * sizeof(struct rmi_leaf)) {
		ix_error(err, errlen, "budget=%llu is below the smallest RMI (%zu bytes)",
			 (unsigned long long)budget,
			 sizeof(struct rmi) + RMI_MIN_BRANCH * sizeof(struct rmi_leaf));
		return NULL;
	}
	struct rmi *m = calloc(1, sizeof *m);
	if (!m) {
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	m->asked_type = (enum rmi_top_type)top;
	m->asked_branch = branch;
	m->budget = budget;
	m->search = (enum lastmile_kind)search;
	return m;
}

/* ---- the models (shared by build and lookup, so bounds are exact) ---- */

static inline size_t clamp_index(double v, size_t last)
{
	if (!(v > 0)) /* also NaN */
		return 0;
	if (v >= (double)last)
		return last;
	return (size_t)v;
}

static inline size_t top_leaf(const struct rmi_top *t, uint64_t key)
{
	uint64_t x = key > t->min ? key - t->min : 0;
	switch (t->type) {
	case TOP_RADIX: {
		uint64_t p = x >> t->shift;
		return p < t->branch ? (size_t)p : t->branch - 1;
	}
	case TOP_CUBIC: {
		double u = (double)x * t->x_norm;
		return clamp_index(((t->c3 * u + t->c2) * u + t->c1) * u,
				   t->branch - 1);
	}
	default:
		return clamp_index(t->a + t->b * (double)x, t->branch - 1);
	}
}

static inline size_t leaf_predict(const struct rmi_leaf *leaf, uint64_t key,
				  size_t last)
{
	double dx = (double)(int64_t)(key - leaf->base);
	return clamp_index(leaf->intercept + leaf->slope * dx, last);
}

/* ---- build: the top model ---- */

static unsigned bit_width(uint64_t x)
{
	return x ? 64 - (unsigned)__builtin_clzll(x) : 0;
}

/* Least squares of leaf = pos * branch / n on x = key - min over the
 * positions [from, to), with centred sums (two passes) for precision. */
static void fit_top_linear(struct rmi_top *t, const uint64_t *keys, size_t n,
			   size_t from, size_t to)
{
	double scale = (double)t->branch / (double)n;
	double m = (double)(to - from), sx = 0, sy = 0;
	for (size_t i = from; i < to; i++) {
		sx += (double)(keys[i] - t->min);
		sy += (double)i * scale;
	}
	double mx = sx / m, my = sy / m, sxx = 0, sxy = 0;
	for (size_t i = from; i < to; i++) {
		double dx = (double)(keys[i] - t->min) - mx;
		sxx += dx * dx;
		sxy += dx * ((double)i * scale - my);
	}
	t->b = sxx > 0 ? sxy / sxx : 0;
	if (!(t->b > 0))
		t->b = 0; /* sorted data has a non-negative slope */
	t->a = my - t->b * mx;
}

/* Cubic Hermite on u in [0, 1] from (0, 0) to (1, 1) with end slopes s0, s1:
 * h(u) = (s0 + s1 - 2) u^3 + (3 - 2 s0 - s1) u^2 + s0 u.  It is linear in
 * (s0, s1), so least squares is a 2x2 system; Fritsch and Carlson (SIAM J.
 * Numer. Anal. 1980) show s0, s1 >= 0 with s0^2 + s1^2 <= 9 keeps it
 * monotone.  Fitted on every stride-th key. */
static void fit_top_cubic(struct rmi_top *t, const uint64_t *keys, size_t n)
{
	uint64_t range = keys[n - 1] - t->min;
	t->x_norm = range ? 1.0 / (double)range : 0;
	size_t stride = n > (1u << 20) ? n >> 20 : 1;
	double a11 = 0, a12 = 0, a22 = 0, r1 = 0, r2 = 0;
	double last = n > 1 ? (double)(n - 1) : 1;
	for (size_t i = 0; i < n; i += stride) {
		double u = (double)(keys[i] - t->min) * t->x_norm;
		double y = (double)i / last;
		double u2 = u * u, u3 = u2 * u;
		double h10 = u3 - 2 * u2 + u, h11 = u3 - u2;
		double rest = y - (3 * u2 - 2 * u3);
		a11 += h10 * h10, a12 += h10 * h11, a22 += h11 * h11;
		r1 += h10 * rest, r2 += h11 * rest;
	}
	double det = a11 * a22 - a12 * a12, s0 = 1, s1 = 1;
	if (fabs(det) > 1e-12 * (a11 * a22 + 1e-300)) {
		s0 = (r1 * a22 - r2 * a12) / det;
		s1 = (a11 * r2 - a12 * r1) / det;
	}
	if (!(s0 > 0))
		s0 = 0;
	if (!(s1 > 0))
		s1 = 0;
	double norm = sqrt(s0 * s0 + s1 * s1);
	if (norm > 3) /* into the monotone region, a hair inside */
		s0 *= 2.999 / norm, s1 *= 2.999 / norm;
	double scale = (double)t->branch;
	t->c3 = (s0 + s1 - 2) * scale;
	t->c2 = (3 - 2 * s0 - s1) * scale;
	t->c1 = s0 * scale;
}

static void fit_top(struct rmi_top *t, enum rmi_top_type type, size_t branch,
		    const uint64_t *keys, size_t n)
{
	memset(t, 0, sizeof *t);
	t->type = type;
	t->branch = branch;
	t->min = keys[0];
	uint64_t range = keys[n - 1] - keys[0];
	switch (type) {
	case TOP_LINEAR:
		fit_top_linear(t, keys, n, 0, n);
		break;
	case TOP_ROBUST_LINEAR: {
		size_t trim = n / 10000;
		fit_top_linear(t, keys, n, trim, n - trim);
		break;
	}
	case TOP_CUBIC:
		fit_top_cubic(t, keys, n);
		break;
	case TOP_RADIX: {
		unsigned bits = bit_width(branch) - 1; /* floor(log2(branch)) */
		unsigned width = bit_width(range);
		t->shift = width > bits ? width - bits : 0;
		break;
	}
	case TOP_LINEAR_SPLINE:
	default:
		t->a = 0;
		t->b = range ? (double)branch / (double)range : 0;
		break;
	}
}

/* ---- build: the leaves ---- */

/* Least squares through the points (key, pos) of one leaf, x relative to the
 * leaf's base key.  intercept gets +0.5 so truncation rounds. */
struct fit {
	double n, sx, sy, sxx, sxy;
};

static inline void fit_add(struct fit *f, double x, double y)
{
	f->n += 1, f->sx += x, f->sy += y;
	f->sxx += x * x, f->sxy += x * y;
}

/* Points of leaf [s, e): the previous leaf's last key (at its last copy),
 * every distinct key at its first copy, and the next leaf's first key. */
static void train_leaf(struct rmi_leaf *leaf, const uint64_t *keys, size_t n,
		       size_t s, size_t e)
{
	leaf->base = s < n ? keys[s] : keys[n - 1];
	/* Two passes: means first, then centred sums, for precision. */
	double mx = 0, my = 0, cnt = 0;
	for (int pass = 0; pass < 2; pass++) {
		struct fit f = {0};
		size_t from = s > 0 ? s - 1 : s, to = e < n ? e + 1 : e;
		for (size_t i = from; i < to; i++) {
			if (i > from && i != e && keys[i] == keys[i - 1])
				continue; /* a later copy: train on the first */
			double x = (double)(int64_t)(keys[i] - leaf->base);
			fit_add(&f, x - mx, (double)i - my);
		}
		if (pass == 0) {
			cnt = f.n;
			if (cnt == 0) {
				leaf->slope = 0;
				leaf->intercept = (double)s + 0.5;
				return;
			}
			mx = f.sx / cnt, my = f.sy / cnt;
		} else {
			double slope = f.sxx > 0 ? f.sxy / f.sxx : 0;
			if (!(slope > 0))
				slope = 0;
			leaf->slope = slope;
			leaf->intercept = my - slope * mx + 0.5;
		}
	}
}

static inline void raise_bound(struct rmi_leaf *leaf, size_t pred,
			       size_t first, size_t last)
{
	if (pred > first && pred - first > leaf->bound)
		leaf->bound = pred - first;
	if (last > pred && last - pred > leaf->bound)
		leaf->bound = last - pred;
}

/* Builds top model and leaves on keys[0..n) (n > 0) into m->top/leaves. */
static int rmi_build(struct rmi *m, const uint64_t *keys, size_t n,
		     enum rmi_top_type type, size_t branch, char *err,
		     size_t errlen)
{
	fit_top(&m->top, type, branch, keys, n);
	free(m->leaves);
	m->leaves = ix_alloc_large(branch * sizeof *m->leaves);
	size_t *start = malloc((branch + 1) * sizeof *start);
	if (!m->leaves || !start) {
		free(start);
		ix_error(err, errlen, "out of memory");
		return -1;
	}
	/* Leaf ranges by counting; contiguous because the top is monotone. */
	memset(start, 0, (branch + 1) * sizeof *start);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && keys[j] == keys[i])
			j++;
		start[top_leaf(&m->top, keys[i]) + 1] += j - i;
		i = j;
	}
	for (size_t l = 0; l < branch; l++)
		start[l + 1] += start[l];
	for (size_t l = 0; l < branch; l++) {
		train_leaf(&m->leaves[l], keys, n, start[l], start[l + 1]);
		m->leaves[l].bound = 0;
	}
	/* Bounds: every key under the leaf the lookup will route it to, then
	 * each leaf's neighbours (for absent keys between leaves). */
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && keys[j] == keys[i])
			j++;
		struct rmi_leaf *leaf = &m->leaves[top_leaf(&m->top, keys[i])];
		raise_bound(leaf, leaf_predict(leaf, keys[i], n - 1), i, j - 1);
		i = j;
	}
	for (size_t l = 0; l < branch; l++) {
		struct rmi_leaf *leaf = &m->leaves[l];
		size_t s = start[l], e = start[l + 1];
		if (s > 0) /* the previous key, at its last copy s - 1 */
			raise_bound(leaf, leaf_predict(leaf, keys[s - 1], n - 1),
				    s - 1, s - 1);
		if (e < n) /* the next key, at its first copy e */
			raise_bound(leaf, leaf_predict(leaf, keys[e], n - 1), e, e);
	}
	free(start);
	return 0;
}

/* Mean over keys of log2(window + 1), the RMI optimiser's figure of merit;
 * also the largest |pred - first position|. */
static double rmi_mean_log2_err(const struct rmi *m, const uint64_t *keys,
				size_t n, double *max_err)
{
	double log_sum = 0, worst = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && keys[j] == keys[i])
			j++;
		const struct rmi_leaf *leaf = &m->leaves[top_leaf(&m->top, keys[i])];
		size_t pred = leaf_predict(leaf, keys[i], n - 1);
		size_t lo = pred > leaf->bound ? pred - leaf->bound : 0;
		size_t hi = n - pred > leaf->bound + 1 ? pred + leaf->bound + 1 : n;
		log_sum += (double)(j - i) * log2((double)(hi - lo) + 1);
		double miss = fabs((double)pred - (double)i);
		if (miss > worst)
			worst = miss;
		i = j;
	}
	if (max_err)
		*max_err = worst;
	return log_sum / (double)n;
}

/* top=auto: every type and power-of-two branch within the budget, built on
 * a sample of at most 2^20 keys (every stride-th key, in sample positions);
 * the smallest mean log2 error wins, ties to the smaller index. */
static int rmi_choose(struct rmi *m, const uint64_t *keys, size_t n,
		      enum rmi_top_type *type, size_t *branch, char *err,
		      size_t errlen)
{
	size_t stride = n > (1u << 20) ? (n + (1u << 20) - 1) >> 20 : 1;
	size_t s = (n + stride - 1) / stride;
	uint64_t *sample = malloc(s * sizeof *sample);
	if (!sample) {
		ix_error(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < s; i++)
		sample[i] = keys[i * stride];
	struct rmi trial = {.n = s};
	double best = INFINITY;
	*type = TOP_LINEAR_SPLINE;
	*branch = RMI_MIN_BRANCH;
	for (size_t b = RMI_MIN_BRANCH; b <= RMI_MAX_BRANCH; b *= 2) {
		if (sizeof(struct rmi) + b * sizeof(struct rmi_leaf) > m->budget)
			break;
		if (b > RMI_MIN_BRANCH && b > s) /* leaves without keys */
			break;
		for (int t = TOP_LINEAR; t < TOP_AUTO; t++) {
			if (rmi_build(&trial, sample, s, (enum rmi_top_type)t, b,
				      err, errlen)) {
				free(trial.leaves);
				free(sample);
				return -1;
			}
			double e = rmi_mean_log2_err(&trial, sample, s, NULL);
			if (e < best) {
				best = e;
				*type = (enum rmi_top_type)t;
				*branch = b;
			}
		}
	}
	free(trial.leaves);
	free(sample);
	return 0;
}

static int rmi_bulk_load(void *ix, const uint64_t *keys, const uint64_t *vals,
			 size_t n, char *err, size_t errlen)
{
	struct rmi *m = ix;
	m->keys = keys;
	m->vals = vals;
	m->n = n;
	if (n == 0)
		return 0;
	enum rmi_top_type type = m->asked_type;
	size_t branch = (size_t)m->asked_branch;
	if (type == TOP_AUTO && rmi_choose(m, keys, n, &type, &branch, err, errlen))
		return -1;
	return rmi_build(m, keys, n, type, branch, err, errlen);
}

/* ---- lookup ---- */

static inline __attribute__((always_inline)) size_t
rmi_lower_bound_with(const struct rmi *m, uint64_t key,
		     enum lastmile_kind search)
{
	if (m->n == 0)
		return 0;
	const struct rmi_leaf *leaf = &m->leaves[top_leaf(&m->top, key)];
	size_t pred = leaf_predict(leaf, key, m->n - 1);
	size_t lo = pred > leaf->bound ? pred - leaf->bound : 0;
	size_t hi = m->n - pred > leaf->bound + 1 ? pred + leaf->bound + 1 : m->n;
	/* Fetch both ends of the window at once: the search's later probes
	 * then hit lines already on their way instead of missing one by one. */
	__builtin_prefetch(m->keys + lo);
	__builtin_prefetch(m->keys + hi - 1);
	return lastmile_lower_bound(search, m->keys, lo, hi, pred, key);
}

static inline size_t rmi_lower_bound(const struct rmi *m, uint64_t key)
{
	return rmi_lower_bound_with(m, key, m->search);
}

static inline __attribute__((always_inline)) bool
rmi_get_with(const struct rmi *m, uint64_t key, uint64_t *val,
	     enum lastmile_kind search)
{
	size_t p = rmi_lower_bound_with(m, key, search);
	if (p < m->n && m->keys[p] == key) {
		*val = m->vals[p];
		return true;
	}
	return false;
}

static bool rmi_get(void *ix, uint64_t key, uint64_t *val)
{
	const struct rmi *m = ix;
	LASTMILE_RETURN_SPECIALIZED(m->search, rmi_get_with, m, key, val);
}

/* ---- scan ---- */

/* Two compares: should rounding ever make a window miss an absent key's
 * lower bound, gallop to it. */
static inline size_t rmi_settle(const struct rmi *m, size_t p, uint64_t key)
{
	if (p > 0 && m->keys[p - 1] >= key)
		return lm_exponential(m->keys, 0, p, p - 1, key);
	if (p < m->n && m->keys[p] < key)
		return lm_exponential(m->keys, p, m->n, p, key);
	return p;
}

static size_t rmi_scan(void *ix, uint64_t lo, uint64_t hi, size_t max,
		       uint64_t *sum)
{
	const struct rmi *m = ix;
	size_t p = rmi_settle(m, rmi_lower_bound(m, lo), lo), seen = 0;
	uint64_t s = 0;
	for (; p < m->n && seen < max && m->keys[p] <= hi; p++, seen++)
		s += m->vals[p];
	*sum += s;
	return seen;
}

/* ---- size and model quality ---- */

static size_t rmi_index_bytes(void *ix)
{
	const struct rmi *m = ix;
	return sizeof *m + (m->leaves ? m->top.branch * sizeof *m->leaves : 0);
}

static size_t rmi_total_bytes(void *ix)
{
	const struct rmi *m = ix;
	return rmi_index_bytes(ix) + m->n * 2 * sizeof(uint64_t);
}

static void rmi_stats(void *ix, struct index_stats *out)
{
	const struct rmi *m = ix;
	out->models = m->leaves ? m->top.branch : 0;
	if (m->n == 0)
		return;
	out->mean_log2_err = rmi_mean_log2_err(m, m->keys, m->n, &out->max_err);
	snprintf(out->notes, sizeof out->notes, "top=%s branch=%zu",
		 rmi_top_names[m->top.type], m->top.branch);
}

static size_t rmi_estimate_bytes(const struct param_set *cfg, size_t n)
{
	(void)n;
	uint64_t branch = RMI_MAX_BRANCH;
	if (param_u64(cfg, "branch", RMI_MIN_BRANCH, RMI_MAX_BRANCH, &branch,
		      NULL, 0))
		branch = RMI_MAX_BRANCH;
	/* leaves + leaf starts; auto also holds a 2^20-key sample */
	return branch * (sizeof(struct rmi_leaf) + sizeof(size_t)) +
	       RMI_MAX_BRANCH * sizeof(size_t) + (8u << 20) + 4096;
}

static void rmi_destroy(void *ix)
{
	struct rmi *m = ix;
	if (!m)
		return;
	free(m->leaves);
	free(m);
}

const struct index_ops rmi_index = {
	.name = "rmi",
	.family = "learned",
	.description = "two-layer recursive model index, linear leaves "
		       "(Kraska et al. SIGMOD 2018; RMI generator as in SOSD)",
	.caps = IX_CAP_ORDERED | IX_CAP_DUPLICATES | IX_CAP_CONCURRENT_READ,
	.params = rmi_params,
	/* The optimiser at four size budgets (with the last-mile search that
	 * suits its small errors too), and fixed tops across leaf counts. */
	.sweep = "top=auto:budget=1M/4M/16M/64M top=auto:budget=16M/64M:search=linear "
		 "top=linear_spline/radix:branch=2^16/2^20",
	.create = rmi_create,
	.bulk_load = rmi_bulk_load,
	.get = rmi_get,
	.scan = rmi_scan,
	.index_bytes = rmi_index_bytes,
	.total_bytes = rmi_total_bytes,
	.stats = rmi_stats,
	.estimate_bytes = rmi_estimate_bytes,
	.destroy = rmi_destroy,
};
