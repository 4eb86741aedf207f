/*
 * indexes/binsearch.c — branch-free binary search over the sorted array.
 *
 * The yardstick every ratio in omenbench is measured against, as in SOSD
 * (Marcus et al., "Benchmarking Learned Indexes", VLDB 2020, "BS").  It
 * references the bulk-loaded arrays (no copy), so its index_bytes is the
 * handful of bytes of this struct.  `search=` picks the search routine so
 * the branching variant SOSD used can be measured too.
 */
#include <stdlib.h>

#include "indexes/index.h"
#include "indexes/lastmile.h"

struct binsearch {
	const uint64_t *keys;
	const uint64_t *vals;
	size_t n;
	enum lastmile_kind kind;
};

static const struct param_def binsearch_params[] = {
	{"search", "branchless", "binary|branchless|interpolation"},
	{NULL, NULL, NULL},
};

static void *binsearch_create(const struct param_set *cfg,
			      const struct index_env *env, char *err,
			      size_t errlen)
{
	(void)env;
	int kind;
	if (param_choice(cfg, "search", lastmile_names, &kind, err, errlen))
		return NULL;
	if (kind == LASTMILE_LINEAR || kind == LASTMILE_EXPONENTIAL) {
		ix_error(err, errlen, "search=%s needs a prediction; binsearch has none",
			 lastmile_names[kind]);
		return NULL;
	}
	struct binsearch *b = calloc(1, sizeof *b);
	if (!b) {
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	b->kind = (enum lastmile_kind)kind;
	return b;
}

static int binsearch_bulk_load(void *ix, const uint64_t *keys,
			       const uint64_t *vals, size_t n, char *err,
			       size_t errlen)
{
	(void)err, (void)errlen;
	struct binsearch *b = ix;
	b->keys = keys;
	b->vals = vals;
	b->n = n;
	return 0;
}

static inline size_t binsearch_lower_bound(const struct binsearch *b,
					   uint64_t key)
{
	return lastmile_lower_bound(b->kind, b->keys, 0, b->n, b->n / 2, key);
}

static bool binsearch_get(void *ix, uint64_t key, uint64_t *val)
{
	const struct binsearch *b = ix;
	size_t p = binsearch_lower_bound(b, key);
	if (p < b->n && b->keys[p] == key) {
		*val = b->vals[p];
		return true;
	}
	return false;
}

static size_t binsearch_scan(void *ix, uint64_t lo, uint64_t hi, size_t max,
			     uint64_t *sum)
{
	const struct binsearch *b = ix;
	size_t p = binsearch_lower_bound(b, lo), seen = 0;
	uint64_t s = 0;
	for (; p < b->n && seen < max && b->keys[p] <= hi; p++, seen++)
		s += b->vals[p];
	*sum += s;
	return seen;
}

static size_t binsearch_index_bytes(void *ix)
{
	(void)ix;
	return sizeof(struct binsearch);
}

static size_t binsearch_total_bytes(void *ix)
{
	const struct binsearch *b = ix;
	return sizeof *b + b->n * 2 * sizeof(uint64_t);
}

/* Searches the loaded arrays in place: nothing beyond its struct. */
static size_t binsearch_estimate_bytes(const struct param_set *cfg, size_t n)
{
	(void)cfg, (void)n;
	return 4096;
}

static void binsearch_destroy(void *ix)
{
	free(ix);
}

const struct index_ops binsearch_index = {
	.name = "binsearch",
	.family = "baseline",
	.description = "binary search over the sorted array (SOSD's BS)",
	.caps = IX_CAP_ORDERED | IX_CAP_DUPLICATES | IX_CAP_CONCURRENT_READ,
	.params = binsearch_params,
	.create = binsearch_create,
	.bulk_load = binsearch_bulk_load,
	.get = binsearch_get,
	.scan = binsearch_scan,
	.index_bytes = binsearch_index_bytes,
	.total_bytes = binsearch_total_bytes,
	.estimate_bytes = binsearch_estimate_bytes,
	.destroy = binsearch_destroy,
};
