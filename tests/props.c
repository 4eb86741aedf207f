/*
 * tests/props.c — the shared property tests (see props.h).
 *
 * The reference answer for every operation comes from the sorted array with
 * plain lower-bound searches, so each index is compared with the simplest
 * thing that is obviously right.
 */
#define _GNU_SOURCE
#include "tests/props.h"
#include "harness/fsutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/params.h"
#include "tests/test.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{ /* splitmix64: deterministic test data */
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static size_t ref_lower_bound(const uint64_t *k, size_t n, uint64_t key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (k[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int props_open(const char *spec, struct props_handle *h, char *err, size_t errlen)
{
	memset(h, 0, sizeof *h);
	char name[64];
	const char *colon = strchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
	if (len >= sizeof name) {
		snprintf(err, errlen, "bad spec");
		return -1;
	}
	memcpy(name, spec, len);
	name[len] = 0;
	h->ops = index_find(name);
	if (!h->ops) {
		snprintf(err, errlen, "no index '%s'", name);
		return -1;
	}
	struct param_set *cfg = &h->cfg;
	if (param_set_parse(h->ops->params, colon ? colon + 1 : "", cfg, err, errlen))
		return -1;
	const char *tmp = getenv("TMPDIR");
	snprintf(h->dir, sizeof h->dir, "%s/omenbench-test-XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(h->dir)) {
		snprintf(err, errlen, "mkdtemp failed");
		return -1;
	}
	struct index_env env = {.dir = h->dir, .threads = 1};
	h->ix = h->ops->create(cfg, &env, err, errlen);
	if (!h->ix) {
		remove_tree(h->dir);
		return -1;
	}
	return 0;
}

void props_close(struct props_handle *h)
{
	if (h->ix)
		h->ops->destroy(h->ix);
	h->ix = NULL;
	if (h->dir[0])
		remove_tree(h->dir);
	h->dir[0] = 0;
}

/* The memory pre-check relies on estimate_bytes: it must cover what the
 * index holds beyond the shared data set (total_bytes counts that data, 16
 * bytes a key, when the index references it instead of copying it). */
static void check_estimate(struct props_handle *h, size_t n)
{
	if (!h->ops->estimate_bytes)
		return;
	size_t est = h->ops->estimate_bytes(&h->cfg, n);
	size_t own = h->ops->index_bytes(h->ix), total = h->ops->total_bytes(h->ix);
	if (est < own || est + n * 2 * sizeof(uint64_t) < total)
		fprintf(stderr, "FAIL [%s] estimate_bytes %zu < index_bytes %zu or total_bytes %zu - data\n",
			test_context, est, own, total);
	CHECK(est >= own && est + n * 2 * sizeof(uint64_t) >= total);
}

/* Checks a scan against the reference. */
static int scan_ok(struct props_handle *h, const uint64_t *keys,
		   const uint64_t *vals, size_t n, uint64_t lo, uint64_t hi,
		   size_t max)
{
	size_t p = ref_lower_bound(keys, n, lo), want = 0;
	uint64_t want_sum = 0;
	for (; p < n && want < max && keys[p] <= hi; p++, want++)
		want_sum += vals[p];
	uint64_t sum = 0;
	size_t got = h->ops->scan(h->ix, lo, hi, max, &sum);
	return got == want && sum == want_sum;
}

/* Every key found with its first occurrence's value, misses miss, scans
 * right.  keys/vals are the index's full contents (sorted). */
static void check_contents(struct props_handle *h, const uint64_t *keys,
			   const uint64_t *vals, size_t n)
{
	int bad_get = 0, bad_miss = 0, bad_scan = 0;
	for (size_t i = 0; i < n && !bad_get; i++) {
		size_t first = ref_lower_bound(keys, n, keys[i]);
		uint64_t v = ~0ull;
		if (!h->ops->get(h->ix, keys[i], &v) || v != vals[first])
			bad_get = 1;
	}
	CHECK(!bad_get);
	/* Misses: below the minimum, above the maximum, in the gaps. */
	uint64_t probes[8];
	int np = 0;
	if (n == 0) {
		probes[np++] = 0;
		probes[np++] = 42;
		probes[np++] = UINT64_MAX;
	} else {
		if (keys[0] > 0)
			probes[np++] = keys[0] - 1, probes[np++] = 0;
		if (keys[n - 1] < UINT64_MAX)
			probes[np++] = keys[n - 1] + 1, probes[np++] = UINT64_MAX;
	}
	for (int i = 0; i < np; i++) {
		uint64_t v;
		if (h->ops->get(h->ix, probes[i], &v))
			bad_miss = 1;
	}
	for (size_t i = 0; i + 1 < n; i++) {
		if (keys[i + 1] - keys[i] > 1) {
			uint64_t v, k = keys[i] + 1 + (keys[i + 1] - keys[i] - 1) / 2;
			if (h->ops->get(h->ix, k, &v) || h->ops->get(h->ix, keys[i] + 1, &v))
				bad_miss = 1;
		}
	}
	CHECK(!bad_miss);
	if (h->ops->get_batch && n) {
		enum { B = 16 };
		uint64_t bk[B], bv[B];
		uint8_t bf[B];
		int bad = 0;
		for (size_t i = 0; i < n && !bad; i += B) {
			size_t k = n - i < B ? n - i : B;
			for (size_t j = 0; j < k; j++)
				bk[j] = (j % 3 == 2) ? keys[i + j] + 1 : keys[i + j];
			h->ops->get_batch(h->ix, bk, k, bv, bf);
			for (size_t j = 0; j < k; j++) {
				size_t p = ref_lower_bound(keys, n, bk[j]);
				int present = p < n && keys[p] == bk[j];
				if (bf[j] != present || (present && bv[j] != vals[p]))
					bad = 1;
			}
		}
		CHECK(!bad);
	}
	if (h->ops->scan && (h->ops->caps & IX_CAP_ORDERED)) {
		static const size_t maxes[] = {0, 1, 2, 10, 100, (size_t)-1};
		for (size_t m = 0; m < sizeof maxes / sizeof *maxes; m++) {
			bad_scan |= !scan_ok(h, keys, vals, n, 0, UINT64_MAX, maxes[m]);
			bad_scan |= !scan_ok(h, keys, vals, n, UINT64_MAX, UINT64_MAX, maxes[m]);
			for (int t = 0; t < 40 && n; t++) {
				size_t i = (size_t)(rnd() % n);
				uint64_t lo = keys[i] + (t & 1); /* present, or a miss */
				if (t & 1 && lo == 0)
					lo = keys[i];
				uint64_t hi = (t % 4 < 2) ? UINT64_MAX
							 : keys[(i + 5) < n ? i + 5 : n - 1];
				bad_scan |= !scan_ok(h, keys, vals, n, lo, hi, maxes[m]);
			}
		}
		CHECK(!bad_scan);
	}
	size_t ib = h->ops->index_bytes(h->ix), tb = h->ops->total_bytes(h->ix);
	CHECK(tb >= ib);
	if (h->ops->stats) {
		struct index_stats st = {.mean_log2_err = -1, .max_err = -1};
		h->ops->stats(h->ix, &st);
		CHECK(st.mean_log2_err >= -1);
	}
}

static uint64_t *positions(size_t n)
{
	uint64_t *v = malloc((n ? n : 1) * sizeof *v);
	if (!v) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	for (size_t i = 0; i < n; i++)
		v[i] = i;
	return v;
}

static int has_dups(const uint64_t *keys, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (keys[i] == keys[i - 1])
			return 1;
	return 0;
}

void props_check_dataset(const char *spec, const char *label,
			 const uint64_t *keys, size_t n)
{
	char ctx[256], err[256];
	snprintf(ctx, sizeof ctx, "%s / %s (n=%zu)", spec, label, n);
	test_context = ctx;
	struct props_handle h;
	if (props_open(spec, &h, err, sizeof err)) {
		fprintf(stderr, "FAIL [%s] create: %s\n", ctx, err);
		CHECK(0);
		return;
	}
	if (!(h.ops->caps & IX_CAP_DUPLICATES) && has_dups(keys, n)) {
		props_close(&h);
		return; /* the harness never gives such an index duplicates */
	}
	uint64_t *vals = positions(n);
	int rc = h.ops->bulk_load(h.ix, keys, vals, n, err, sizeof err);
	if (rc)
		fprintf(stderr, "FAIL [%s] bulk_load: %s\n", ctx, err);
	CHECK(rc == 0);
	if (!rc) {
		check_contents(&h, keys, vals, n);
		check_estimate(&h, n);
	}
	props_close(&h);
	free(vals);
	test_context = NULL;
}

/* Insert properties: start from a bulk load of `loaded` unique keys, insert
 * the rest in the given order, check everything, then upsert. */
static void check_inserts(const char *spec, const char *label,
			  const uint64_t *sorted, size_t n, size_t loaded_every,
			  int order /* 0 asc, 1 desc, 2 random */)
{
	char ctx[256], err[256];
	snprintf(ctx, sizeof ctx, "%s / insert %s (n=%zu)", spec, label, n);
	test_context = ctx;
	struct props_handle h;
	if (props_open(spec, &h, err, sizeof err)) {
		fprintf(stderr, "FAIL [%s] create: %s\n", ctx, err);
		CHECK(0);
		return;
	}
	uint64_t *vals = positions(n);
	uint64_t *lk = malloc((n + 1) * sizeof *lk), *lv = malloc((n + 1) * sizeof *lv);
	uint64_t *rest = malloc((n + 1) * sizeof *rest);
	if (!lk || !lv || !rest) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	size_t nl = 0, nr = 0;
	for (size_t i = 0; i < n; i++) {
		if (loaded_every && i % loaded_every == 0)
			lk[nl] = sorted[i], lv[nl++] = vals[i];
		else
			rest[nr++] = i;
	}
	if (order == 1)
		for (size_t i = 0; i < nr / 2; i++) {
			uint64_t t = rest[i];
			rest[i] = rest[nr - 1 - i];
			rest[nr - 1 - i] = t;
		}
	if (order == 2)
		for (size_t i = nr; i > 1; i--) {
			size_t j = (size_t)(rnd() % i);
			uint64_t t = rest[i - 1];
			rest[i - 1] = rest[j];
			rest[j] = t;
		}
	int rc = h.ops->bulk_load(h.ix, lk, lv, nl, err, sizeof err);
	CHECK(rc == 0);
	int bad = 0;
	for (size_t i = 0; i < nr && !rc && !bad; i++)
		if (h.ops->insert(h.ix, sorted[rest[i]], vals[rest[i]], err, sizeof err)) {
			fprintf(stderr, "FAIL [%s] insert: %s\n", ctx, err);
			bad = 1;
		}
	CHECK(!bad);
	if (!rc && !bad) {
		check_contents(&h, sorted, vals, n);
		check_estimate(&h, n);
		/* Upsert: a present key gets its value replaced, count unchanged. */
		if (n) {
			size_t i = n / 2;
			uint64_t v = 0;
			CHECK(h.ops->insert(h.ix, sorted[i], 777777777ull, err, sizeof err) == 0);
			CHECK(h.ops->get(h.ix, sorted[i], &v) && v == 777777777ull);
			vals[i] = 777777777ull;
			check_contents(&h, sorted, vals, n);
		}
	}
	props_close(&h);
	free(vals), free(lk), free(lv), free(rest);
	test_context = NULL;
}

static uint64_t *sorted_random(size_t n, uint64_t mask, int unique)
{
	uint64_t *k = malloc((n ? n : 1) * sizeof *k);
	if (!k) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	for (size_t i = 0; i < n; i++)
		k[i] = rnd() & mask;
	qsort(k, n, sizeof *k, cmp_u64);
	if (unique && n) {
		size_t m = 1;
		for (size_t i = 1; i < n; i++)
			if (k[i] != k[m - 1])
				k[m++] = k[i];
		for (size_t i = m; i < n; i++) /* refill the tail with fresh keys */
			k[i] = k[i - 1] + 1 + (rnd() & 0xff);
	}
	return k;
}

long props_check_index(const char *spec)
{
	long before = test_failed;
	static const uint64_t one[] = {12345};
	static const uint64_t two[] = {7, 1000};
	static const uint64_t extremes[] = {0, 1, 2, UINT64_MAX - 1, UINT64_MAX};
	static const uint64_t zero_max[] = {0, UINT64_MAX};
	RUN(props_check_dataset(spec, "empty", NULL, 0));
	RUN(props_check_dataset(spec, "one key", one, 1));
	RUN(props_check_dataset(spec, "one key 0", extremes, 1));
	RUN(props_check_dataset(spec, "one key max", extremes + 4, 1));
	RUN(props_check_dataset(spec, "two keys", two, 2));
	RUN(props_check_dataset(spec, "0 and max", zero_max, 2));
	RUN(props_check_dataset(spec, "extremes", extremes, 5));

	size_t n = 20000;
	uint64_t *k = malloc(n * sizeof *k);
	if (!k)
		exit(2);
	for (size_t i = 0; i < n; i++)
		k[i] = 99;
	RUN(props_check_dataset(spec, "all keys equal", k, n));
	for (size_t i = 0; i < n; i++) /* long duplicate runs */
		k[i] = (i / 1000) * 1000003ull;
	RUN(props_check_dataset(spec, "duplicate runs", k, n));
	for (size_t i = 0; i < n; i++) /* dense */
		k[i] = i;
	RUN(props_check_dataset(spec, "dense 0..n-1", k, n));
	for (size_t i = 0; i < n; i++) /* clustered: tight groups far apart */
		k[i] = (i / 500) * (1ull << 50) + (i % 500) * 3;
	RUN(props_check_dataset(spec, "clustered", k, n));
	for (size_t i = 0; i < n; i++) /* a few far outliers at the end */
		k[i] = i < n - 5 ? i * 10 : UINT64_MAX - (n - 1 - i) * 1000;
	RUN(props_check_dataset(spec, "outliers at the end", k, n));
	for (size_t i = 0; i < n; i++) /* near 2^64: doubles lose these */
		k[i] = UINT64_MAX - (n - i) * 7 + 6;
	RUN(props_check_dataset(spec, "near 2^64", k, n));
	free(k);

	uint64_t *r = sorted_random(n, ~0ull, 1);
	RUN(props_check_dataset(spec, "random unique", r, n));
	free(r);
	r = sorted_random(n, 0xffff, 0); /* many duplicates */
	RUN(props_check_dataset(spec, "random with duplicates", r, n));
	free(r);
	r = sorted_random(200000, 0xffffffffffull, 1);
	RUN(props_check_dataset(spec, "random 200k", r, 200000));

	const struct index_ops *ops = NULL;
	{
		struct props_handle h;
		char err[256];
		if (!props_open(spec, &h, err, sizeof err)) {
			ops = h.ops;
			props_close(&h);
		}
	}
	if (ops && (ops->caps & IX_CAP_INSERT)) {
		static const uint64_t edge[] = {0, 5, 1ull << 40, UINT64_MAX - 1, UINT64_MAX};
		RUN(check_inserts(spec, "into empty", edge, 5, 0, 2));
		RUN(check_inserts(spec, "ascending", r, 20000, 2, 0));
		RUN(check_inserts(spec, "descending", r, 20000, 2, 1));
		RUN(check_inserts(spec, "random", r, 20000, 2, 2));
		RUN(check_inserts(spec, "random into empty", r, 20000, 0, 2));
		RUN(check_inserts(spec, "below min and above max", r, 20000, 0, 0));
		size_t big = (ops->caps & IX_CAP_PERSISTENT) ? 100000 : 1000000;
		uint64_t *b = sorted_random(big, ~0ull, 1);
		RUN(check_inserts(spec, "many random", b, big, 2, 2));
		free(b);
	}
	free(r);
	return test_failed - before;
}

/* ---- the reference model of insert tests (props.h) ---- */

void ref_model_init(struct ref_model *m, size_t cap)
{
	m->k = malloc((cap + 1) * sizeof *m->k);
	m->v = malloc((cap + 1) * sizeof *m->v);
	m->n = 0;
	m->cap = cap;
	if (!m->k || !m->v)
		exit(2);
}

void ref_model_free(struct ref_model *m)
{
	free(m->k), free(m->v);
}

size_t ref_model_lb(const struct ref_model *m, uint64_t key)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->k[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void ref_model_upsert(struct ref_model *m, uint64_t key, uint64_t val)
{
	size_t p = ref_model_lb(m, key);
	if (p < m->n && m->k[p] == key) {
		m->v[p] = val;
		return;
	}
	if (m->n == m->cap)
		exit(2);
	memmove(m->k + p + 1, m->k + p, (m->n - p) * sizeof *m->k);
	memmove(m->v + p + 1, m->v + p, (m->n - p) * sizeof *m->v);
	m->k[p] = key;
	m->v[p] = val;
	m->n++;
}
