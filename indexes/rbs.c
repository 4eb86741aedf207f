/*
 * indexes/rbs.c — radix binary search.
 *
 * The RBS baseline of SOSD (R. Marcus et al., "Benchmarking Learned Indexes",
 * VLDB 2020, §4 "RBS"; first described by A. Kipf et al., "SOSD: A Benchmark
 * for Learned Indexes", NeurIPS ML for Systems 2019): a radix table maps the
 * top `bits` bits of a key to the range of positions holding keys with that
 * prefix, and a binary search finishes inside the range.
 *
 * Layout.  The table indexes (key - min) >> shift, where shift drops the bits
 * below the top `bits` significant bits of the key range max - min (bits
 * shared by every key, the common prefix, are removed by subtracting min).
 * With P = (max - min) >> shift, table[p] for p = 0 .. P + 1 is the first
 * position whose key has radix >= p, so keys with radix p lie in
 * [table[p], table[p + 1]) and the lower bound of any key in [min, max] with
 * radix p lies in [table[p], table[p + 1]].  Keys below min have lower bound
 * 0, keys above max have n.  Positions are uint32_t as in SOSD, so n is
 * limited to 2^32 - 1.  The table has at most 2^bits + 1 entries.
 *
 * The index references the loaded arrays; index_bytes is the table and this
 * struct.  search= picks the last-mile search inside a bucket (linear and
 * exponential start at the bucket's first position).
 */
#include <math.h>
#include <stdlib.h>

#include "indexes/index.h"
#include "indexes/lastmile.h"

struct rbs {
	const uint64_t *keys; /* the loaded arrays (referenced) */
	const uint64_t *vals;
	size_t n;
	unsigned bits;
	unsigned shift;
	uint64_t min, max;
	uint32_t *table; /* radix_max + 2 entries */
	size_t table_len;
	enum lastmile_kind search;
};

static const struct param_def rbs_params[] = {
	{"bits", "18", "radix bits, table of 2^bits+1 positions, 1..30"},
	{"search", "branchless", "last-mile search inside a bucket: "
				 "binary|branchless|linear|exponential|interpolation"},
	{NULL, NULL, NULL},
};

static void *rbs_create(const struct param_set *cfg, const struct index_env *env,
			char *err, size_t errlen)
{
	(void)env;
	uint64_t bits;
	int search;
	if (param_u64(cfg, "bits", 1, 30, &bits, err, errlen) ||
	    param_choice(cfg, "search", lastmile_names, &search, err, errlen))
		return NULL;
	struct rbs *r = calloc(1, sizeof *r);
	if (!r) {
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	r->bits = (unsigned)bits;
	r->search = (enum lastmile_kind)search;
	return r;
}

/* ---- build -------------------------------------------------------------- */

static int rbs_bulk_load(void *ix, const uint64_t *keys, const uint64_t *vals,
			 size_t n, char *err, size_t errlen)
{
	struct rbs *r = ix;
	r->keys = keys;
	r->vals = vals;
	r->n = n;
	if (n == 0)
		return 0;
	if (n > UINT32_MAX) {
		ix_error(err, errlen, "rbs stores 32-bit positions: n=%zu is too large", n);
		return -1;
	}
	r->min = keys[0];
	r->max = keys[n - 1];
	uint64_t range = r->max - r->min;
	unsigned significant = range ? 64u - (unsigned)__builtin_clzll(range) : 0;
	r->shift = significant > r->bits ? significant - r->bits : 0;
	uint64_t radix_max = range >> r->shift; /* < 2^bits */
	r->table_len = (size_t)radix_max + 2;
	r->table = ix_alloc_large(r->table_len * sizeof *r->table);
	if (!r->table) {
		ix_error(err, errlen, "out of memory");
		return -1;
	}
	/* One pass: every radix up to a key's own gets that key's position
	 * unless an earlier key claimed it. */
	size_t next = 0; /* first table slot not yet set */
	for (size_t i = 0; i < n; i++) {
		uint64_t p = (keys[i] - r->min) >> r->shift;
		for (; next <= p; next++)
			r->table[next] = (uint32_t)i;
	}
	for (; next < r->table_len; next++)
		r->table[next] = (uint32_t)n;
	return 0;
}

/* ---- lookup ------------------------------------------------------------- */

static inline size_t rbs_lower_bound(const struct rbs *r, uint64_t key)
{
	if (r->n == 0 || key <= r->min)
		return 0;
	if (key > r->max)
		return r->n;
	uint64_t p = (key - r->min) >> r->shift;
	size_t lo = r->table[p], hi = r->table[p + 1];
	return lastmile_lower_bound(r->search, r->keys, lo, hi, lo, key);
}

static bool rbs_get(void *ix, uint64_t key, uint64_t *val)
{
	const struct rbs *r = ix;
	size_t p = rbs_lower_bound(r, key);
	if (p < r->n && r->keys[p] == key) {
		*val = r->vals[p];
		return true;
	}
	return false;
}

/* ---- scan --------------------------------------------------------------- */

static size_t rbs_scan(void *ix, uint64_t lo, uint64_t hi, size_t max,
		       uint64_t *sum)
{
	const struct rbs *r = ix;
	size_t p = rbs_lower_bound(r, lo), seen = 0;
	uint64_t s = 0;
	for (; p < r->n && seen < max && r->keys[p] <= hi; p++, seen++)
		s += r->vals[p];
	*sum += s;
	return seen;
}

/* ---- size --------------------------------------------------------------- */

static size_t rbs_index_bytes(void *ix)
{
	const struct rbs *r = ix;
	return sizeof *r + r->table_len * sizeof *r->table;
}

static size_t rbs_total_bytes(void *ix)
{
	const struct rbs *r = ix;
	return rbs_index_bytes(ix) + r->n * 2 * sizeof(uint64_t);
}

/* The search window of a key is its bucket. */
static void rbs_stats(void *ix, struct index_stats *out)
{
	const struct rbs *r = ix;
	double log_sum = 0, widest = 0;
	for (size_t p = 0; p + 1 < r->table_len; p++) {
		double w = (double)(r->table[p + 1] - r->table[p]);
		log_sum += w * log2(w + 1);
		if (w > widest)
			widest = w;
	}
	if (r->n) {
		out->mean_log2_err = log_sum / (double)r->n;
		out->max_err = widest;
	}
	out->models = r->table_len;
}

/* The radix table: at most 2^bits + 2 positions. */
static size_t rbs_estimate_bytes(const struct param_set *cfg, size_t n)
{
	(void)n;
	uint64_t bits = 30;
	if (param_u64(cfg, "bits", 1, 30, &bits, NULL, 0))
		return n * 64; /* the harness's default; create() names the parameter */
	return (((size_t)1 << bits) + 2) * sizeof(uint32_t) + 4096;
}

static void rbs_destroy(void *ix)
{
	struct rbs *r = ix;
	if (!r)
		return;
	free(r->table);
	free(r);
}

const struct index_ops rbs_index = {
	.name = "rbs",
	.family = "baseline",
	.description = "radix table on the top key bits + binary search (SOSD's "
		       "RBS, Marcus et al. VLDB 2020)",
	.caps = IX_CAP_ORDERED | IX_CAP_DUPLICATES | IX_CAP_CONCURRENT_READ,
	.params = rbs_params,
	.sweep = "bits=12/16/20/24",
	.create = rbs_create,
	.bulk_load = rbs_bulk_load,
	.get = rbs_get,
	.scan = rbs_scan,
	.index_bytes = rbs_index_bytes,
	.total_bytes = rbs_total_bytes,
	.stats = rbs_stats,
	.estimate_bytes = rbs_estimate_bytes,
	.destroy = rbs_destroy,
};
