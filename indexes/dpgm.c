/*
 * indexes/dpgm.c — the dynamic PGM-index by the logarithmic method.
 *
 * Paper: P. Ferragina and G. Vinciguerra, "The PGM-index: a fully-dynamic
 * compressed learned index with provable worst-case bounds", PVLDB 13(8),
 * VLDB 2020, Section 6 ("Dynamic PGM-index"), which applies the
 * logarithmic method (Bentley and Saxe, J. Algorithms 1980) to static PGMs.
 *
 * Layout.  A small sorted insert buffer, then levels 0, 1, 2, ... each
 * holding one sorted run of unique keys (or nothing).  Level i holds at most
 * buffer * 2^(i+1) entries and is indexed by a static PGM (indexes/pgm.c,
 * through pgm_core.h) over its own key array.  Newer entries live in lower
 * levels: the buffer is newest, then level 0, 1, ...
 *
 * Build: bulk_load copies the keys into the lowest level that fits them.
 * Insert: an upsert in the buffer (sorted insert); a full buffer is merged,
 * together with levels 0..i, into the first level i that can take them all,
 * leaving 0..i-1 empty; equal keys keep the newest value (so an upsert of a
 * key that lives in an old level simply shadows it until they merge).
 * Lookup: the buffer, then each level newest first; the first hit wins.
 * Scan: a k-way merge over cursors in the buffer and every level, taking
 * for each key the copy from the newest source and skipping older ones.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexes/index.h"
#include "indexes/lastmile.h"
#include "indexes/pgm_core.h"

#define DPGM_MAX_LEVELS 60

struct dpgm_run {
	uint64_t *keys, *vals; /* owned; NULL when the level is empty */
	size_t n;
	struct pgm_core core;
};

struct dpgm {
	size_t eps, buffer_cap;
	uint64_t *buf_keys, *buf_vals; /* sorted, unique */
	size_t buf_n;
	int nlevels; /* levels[0..nlevels) may be in use */
	struct dpgm_run levels[DPGM_MAX_LEVELS];
};

static const struct param_def dpgm_params[] = {
	{"eps", "64", "maximum position error of each level's PGM"},
	{"buffer", "256", "entries in the insert buffer before a merge"},
	{NULL, NULL, NULL},
};

static void *dpgm_create(const struct param_set *cfg, const struct index_env *env,
			 char *err, size_t errlen)
{
	(void)env;
	uint64_t eps, buffer;
	if (param_u64(cfg, "eps", 0, 1ull << 30, &eps, err, errlen) ||
	    param_u64(cfg, "buffer", 1, 1ull << 24, &buffer, err, errlen))
		return NULL;
	struct dpgm *d = calloc(1, sizeof *d);
	if (d) {
		d->buf_keys = malloc(buffer * sizeof *d->buf_keys);
		d->buf_vals = malloc(buffer * sizeof *d->buf_vals);
	}
	if (!d || !d->buf_keys || !d->buf_vals) {
		if (d)
			free(d->buf_keys), free(d->buf_vals), free(d);
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	d->eps = eps;
	d->buffer_cap = buffer;
	return d;
}

static size_t level_capacity(const struct dpgm *d, int level)
{
	int shift = level + 1;
	if (shift >= 63 || d->buffer_cap > (SIZE_MAX >> shift))
		return SIZE_MAX;
	return d->buffer_cap << shift;
}

static void run_free(struct dpgm_run *r)
{
	free(r->keys);
	free(r->vals);
	pgm_core_free(&r->core);
	memset(r, 0, sizeof *r);
}

/* Takes ownership of keys/vals (sorted, unique) as the run of `level`. */
static int run_set(struct dpgm *d, int level, uint64_t *keys, uint64_t *vals,
		   size_t n, char *err, size_t errlen)
{
	struct dpgm_run *r = &d->levels[level];
	r->keys = keys;
	r->vals = vals;
	r->n = n;
	if (pgm_core_build(&r->core, keys, n, d->eps, 4, LASTMILE_BINARY, err,
			   errlen)) {
		run_free(r);
		return -1;
	}
	if (level + 1 > d->nlevels)
		d->nlevels = level + 1;
	return 0;
}

static int dpgm_bulk_load(void *ix, const uint64_t *keys, const uint64_t *vals,
			  size_t n, char *err, size_t errlen)
{
	struct dpgm *d = ix;
	if (n == 0)
		return 0;
	int level = 0;
	while (level < DPGM_MAX_LEVELS - 1 && level_capacity(d, level) < n)
		level++;
	uint64_t *k = ix_alloc_large(n * sizeof *k), *v = ix_alloc_large(n * sizeof *v);
	if (!k || !v) {
		free(k), free(v);
		ix_error(err, errlen, "out of memory");
		return -1;
	}
	memcpy(k, keys, n * sizeof *k);
	memcpy(v, vals, n * sizeof *v);
	return run_set(d, level, k, v, n, err, errlen);
}

/* ---- lookup ---- */

static inline size_t sorted_lower_bound(const uint64_t *a, size_t n,
					uint64_t key)
{
	return lm_binary(a, 0, n, key);
}

static bool dpgm_get(void *ix, uint64_t key, uint64_t *val)
{
	const struct dpgm *d = ix;
	size_t i = sorted_lower_bound(d->buf_keys, d->buf_n, key);
	if (i < d->buf_n && d->buf_keys[i] == key) {
		*val = d->buf_vals[i];
		return true;
	}
	for (int l = 0; l < d->nlevels; l++) {
		const struct dpgm_run *r = &d->levels[l];
		if (!r->n)
			continue;
		size_t p = pgm_core_lower_bound(&r->core, key);
		if (p < r->n && r->keys[p] == key) {
			*val = r->vals[p];
			return true;
		}
	}
	return false;
}

/* ---- k-way merge over sources, newest first (scan and merges) ---- */

struct cursor {
	const uint64_t *keys, *vals;
	size_t pos, n;
};

/* Index of the source with the smallest current key, the newest (lowest
 * index) among equals; -1 when all are exhausted.  Older copies of that key
 * are skipped. */
static int merge_next(struct cursor *c, int nc)
{
	int best = -1;
	for (int i = 0; i < nc; i++)
		if (c[i].pos < c[i].n &&
		    (best < 0 || c[i].keys[c[i].pos] < c[best].keys[c[best].pos]))
			best = i;
	if (best < 0)
		return -1;
	uint64_t k = c[best].keys[c[best].pos];
	for (int i = best + 1; i < nc; i++)
		if (c[i].pos < c[i].n && c[i].keys[c[i].pos] == k)
			c[i].pos++;
	return best;
}

static int open_cursors(const struct dpgm *d, uint64_t lo, int upto,
			struct cursor *c)
{
	int nc = 0;
	c[nc].keys = d->buf_keys, c[nc].vals = d->buf_vals, c[nc].n = d->buf_n;
	c[nc].pos = sorted_lower_bound(d->buf_keys, d->buf_n, lo);
	nc++;
	for (int l = 0; l < upto; l++) {
		const struct dpgm_run *r = &d->levels[l];
		if (!r->n)
			continue;
		c[nc].keys = r->keys, c[nc].vals = r->vals, c[nc].n = r->n;
		c[nc].pos = lo ? pgm_core_lower_bound(&r->core, lo) : 0;
		nc++;
	}
	return nc;
}

static size_t dpgm_scan(void *ix, uint64_t lo, uint64_t hi, size_t max,
			uint64_t *sum)
{
	const struct dpgm *d = ix;
	struct cursor c[DPGM_MAX_LEVELS + 1];
	int nc = open_cursors(d, lo, d->nlevels, c);
	size_t seen = 0;
	uint64_t s = 0;
	while (seen < max) {
		int b = merge_next(c, nc);
		if (b < 0 || c[b].keys[c[b].pos] > hi)
			break;
		s += c[b].vals[c[b].pos++];
		seen++;
	}
	*sum += s;
	return seen;
}

/* ---- insert ---- */

/* Merges the buffer and levels 0..target into level target. */
static int merge_into(struct dpgm *d, int target, char *err, size_t errlen)
{
	size_t total = d->buf_n;
	for (int l = 0; l <= target; l++)
		total += d->levels[l].n;
	uint64_t *k = ix_alloc_large(total * sizeof *k), *v = ix_alloc_large(total * sizeof *v);
	if (!k || !v) {
		free(k), free(v);
		ix_error(err, errlen, "out of memory");
		return -1;
	}
	struct cursor c[DPGM_MAX_LEVELS + 1];
	int nc = open_cursors(d, 0, target + 1, c);
	size_t out = 0;
	for (int b; (b = merge_next(c, nc)) >= 0; out++) {
		k[out] = c[b].keys[c[b].pos];
		v[out] = c[b].vals[c[b].pos++];
	}
	/* Build the new run before dropping the old ones, so a failure
	 * leaves the index as it was. */
	struct dpgm_run fresh = {k, v, out, {0}};
	if (pgm_core_build(&fresh.core, k, out, d->eps, 4, LASTMILE_BINARY, err,
			   errlen)) {
		free(k), free(v);
		return -1;
	}
	for (int l = 0; l <= target; l++)
		run_free(&d->levels[l]);
	d->levels[target] = fresh;
	if (target + 1 > d->nlevels)
		d->nlevels = target + 1;
	d->buf_n = 0;
	return 0;
}

static int dpgm_insert(void *ix, uint64_t key, uint64_t val, char *err,
		       size_t errlen)
{
	struct dpgm *d = ix;
	size_t i = sorted_lower_bound(d->buf_keys, d->buf_n, key);
	if (i < d->buf_n && d->buf_keys[i] == key) {
		d->buf_vals[i] = val;
		return 0;
	}
	if (d->buf_n == d->buffer_cap) {
		size_t total = d->buf_n;
		int target = 0;
		for (;; target++) {
			if (target == DPGM_MAX_LEVELS) {
				ix_error(err, errlen, "dpgm: too many levels");
				return -1;
			}
			total += d->levels[target].n;
			if (total <= level_capacity(d, target))
				break;
		}
		if (merge_into(d, target, err, errlen))
			return -1;
		i = 0;
	}
	memmove(d->buf_keys + i + 1, d->buf_keys + i,
		(d->buf_n - i) * sizeof *d->buf_keys);
	memmove(d->buf_vals + i + 1, d->buf_vals + i,
		(d->buf_n - i) * sizeof *d->buf_vals);
	d->buf_keys[i] = key;
	d->buf_vals[i] = val;
	d->buf_n++;
	return 0;
}

/* ---- size ---- */

static size_t dpgm_index_bytes(void *ix)
{
	const struct dpgm *d = ix;
	size_t bytes = sizeof *d;
	for (int l = 0; l < d->nlevels; l++)
		bytes += pgm_core_bytes(&d->levels[l].core);
	return bytes;
}

static size_t dpgm_total_bytes(void *ix)
{
	const struct dpgm *d = ix;
	size_t bytes = dpgm_index_bytes(ix) + d->buffer_cap * 2 * sizeof(uint64_t);
	for (int l = 0; l < d->nlevels; l++)
		bytes += d->levels[l].n * 2 * sizeof(uint64_t);
	return bytes;
}

/* Peak bytes for n entries, for the harness's memory guard: the runs hold
 * 16 B per entry, and a merge writes its new run while the runs it merges
 * still exist (twice that at worst).  Every segment of an eps-PGM covers at
 * least 2 eps + 1 points (a flat line fits any such stretch), so the models
 * of all levels and runs stay below 2 * 32 B * (n / (2 eps + 1) + 1) per
 * run, again twice during a merge. */
static size_t dpgm_estimate_bytes(const struct param_set *cfg, size_t n)
{
	uint64_t eps, buffer;
	if (param_u64(cfg, "eps", 0, 1ull << 30, &eps, NULL, 0) ||
	    param_u64(cfg, "buffer", 1, 1ull << 24, &buffer, NULL, 0))
		return n * 64; /* the harness's default; create() names the parameter */
	size_t models = 2 * 2 * 32 * (n / (2 * eps + 1) + DPGM_MAX_LEVELS);
	return 2 * 2 * sizeof(uint64_t) * (n + buffer) + models + (1u << 20);
}

static void dpgm_stats(void *ix, struct index_stats *out)
{
	const struct dpgm *d = ix;
	uint64_t models = 0;
	int runs = 0;
	for (int l = 0; l < d->nlevels; l++) {
		models += pgm_core_segments(&d->levels[l].core);
		runs += d->levels[l].n > 0;
	}
	out->models = models;
	snprintf(out->notes, sizeof out->notes, "runs=%d buffered=%zu", runs,
		 d->buf_n);
}

static void dpgm_destroy(void *ix)
{
	struct dpgm *d = ix;
	for (int l = 0; l < DPGM_MAX_LEVELS; l++)
		run_free(&d->levels[l]);
	free(d->buf_keys);
	free(d->buf_vals);
	free(d);
}

const struct index_ops dpgm_index = {
	.name = "dpgm",
	.family = "learned",
	.description = "dynamic PGM-index, logarithmic method over static PGMs "
		       "(Ferragina & Vinciguerra, VLDB 2020, sec. 6)",
	.caps = IX_CAP_ORDERED | IX_CAP_INSERT,
	.params = dpgm_params,
	.create = dpgm_create,
	.bulk_load = dpgm_bulk_load,
	.get = dpgm_get,
	.scan = dpgm_scan,
	.insert = dpgm_insert,
	.index_bytes = dpgm_index_bytes,
	.total_bytes = dpgm_total_bytes,
	.estimate_bytes = dpgm_estimate_bytes,
	.stats = dpgm_stats,
	.destroy = dpgm_destroy,
};
