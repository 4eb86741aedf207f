/*
 * tests/test_alex.c — ALEX-specific tests: the structural operations the
 * shared property tests cannot see.  After each scenario the whole
 * structure is verified (alex_verify: sorted slots, gaps hold the next key,
 * pointer blocks, every key routes to its data node, leaves linked in
 * order), every key is looked up, and the counters prove that the intended
 * operation (expansion, sideways split, downward split, root growth)
 * actually happened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexes/alex.h"
#include "tests/props.h"
#include "tests/test.h"

static uint64_t rng = 0x243F6A8885A308D3ull;
static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int open_alex(const char *spec, struct props_handle *h)
{
	char err[256];
	if (props_open(spec, h, err, sizeof err)) {
		fprintf(stderr, "open %s: %s\n", spec, err);
		CHECK(0);
		return -1;
	}
	return 0;
}

/* Names the test case "SPEC WHAT" and opens the index. */
static int open_case(const char *spec, const char *what, struct props_handle *h)
{
	static char ctx[160];
	snprintf(ctx, sizeof ctx, "%s %s", spec, what);
	test_context = ctx;
	return open_alex(spec, h);
}

static void verify(struct props_handle *h)
{
	char err[256] = "";
	int rc = alex_verify(h->ix, err, sizeof err);
	if (rc)
		fprintf(stderr, "verify [%s]: %s\n", test_context, err);
	CHECK(rc == 0);
}

/* Every key in keys[0..n) found with value key ^ salt; a full scan counts
 * exactly n; a few neighbours that are not keys miss. */
static void check_all(struct props_handle *h, const uint64_t *keys, size_t n,
		      uint64_t salt)
{
	int bad = 0;
	for (size_t i = 0; i < n && !bad; i++) {
		uint64_t v = 0;
		if (!h->ops->get(h->ix, keys[i], &v) || v != (keys[i] ^ salt))
			bad = 1;
	}
	CHECK(!bad);
	uint64_t sum = 0;
	CHECK(h->ops->scan(h->ix, 0, UINT64_MAX, (size_t)-1, &sum) == n);
	CHECK(h->ops->index_bytes(h->ix) <= h->ops->total_bytes(h->ix));
	CHECK(h->ops->total_bytes(h->ix) >= n * 16);
}

static int insert_all(struct props_handle *h, const uint64_t *keys, size_t n,
		      uint64_t salt)
{
	char err[256];
	for (size_t i = 0; i < n; i++)
		if (h->ops->insert(h->ix, keys[i], keys[i] ^ salt, err, sizeof err)) {
			fprintf(stderr, "insert [%s]: %s\n", test_context, err);
			return -1;
		}
	return 0;
}

/* Bulk load `base` ascending keys, then append 1M keys beyond the domain:
 * the root must grow (in place, and with a small node size also by new
 * roots above it). */
static void sequential_appends(const char *spec, size_t base, size_t appends,
			       int want_growth, int want_new_root)
{
	struct props_handle h;
	if (open_case(spec, "appends", &h))
		return;
	size_t n = base + appends;
	uint64_t *keys = malloc(n * sizeof *keys), *vals = malloc(n * sizeof *vals);
	if (!keys || !vals)
		exit(2);
	for (size_t i = 0; i < n; i++)
		keys[i] = 1000000 + i * 37, vals[i] = keys[i] ^ 5;
	char err[256];
	CHECK(h.ops->bulk_load(h.ix, keys, vals, base, err, sizeof err) == 0);
	CHECK(insert_all(&h, keys + base, appends, 5) == 0);
	verify(&h);
	check_all(&h, keys, n, 5);
	struct alex_counters c;
	alex_get_counters(h.ix, &c);
	if (getenv("ALEX_TEST_VERBOSE"))
		printf("%s: %llu data nodes, %llu model nodes, depth %llu, %llu root "
		       "expansions, %llu new roots\n", spec,
		       (unsigned long long)c.data_nodes, (unsigned long long)c.model_nodes,
		       (unsigned long long)c.depth, (unsigned long long)c.root_expansions,
		       (unsigned long long)c.new_roots);
	if (want_growth)
		CHECK(c.root_expansions + c.new_roots > 0);
	if (want_new_root)
		CHECK(c.new_roots > 0);
	props_close(&h);
	free(keys), free(vals);
}

/* A time series of bursts (runs of close timestamps, then a jump) appended
 * after a bulk load, with 5% of the keys arriving up to 100 positions late:
 * every node that fills is at the right edge, and its splits must go
 * sideways; a downward split there starts a chain of two-way model nodes
 * that grows one level per split. */
static void late_appends(const char *spec, size_t base, size_t appends)
{
	struct props_handle h;
	if (open_case(spec, "late appends", &h))
		return;
	size_t n = base + appends;
	uint64_t *keys = malloc(n * sizeof *keys), *vals = malloc(n * sizeof *vals);
	uint64_t *order = malloc(appends * sizeof *order);
	if (!keys || !vals || !order)
		exit(2);
	uint64_t t = 1u << 30;
	for (size_t i = 0; i < n; i++) {
		t += i % 100 ? 1 + rnd() % 8 : 100000 + rnd() % 1000000;
		keys[i] = t, vals[i] = t ^ 9;
	}
	memcpy(order, keys + base, appends * sizeof *order);
	for (size_t i = appends - 1; i-- > 0;)
		if (rnd() % 20 == 0) {
			size_t j = i + 1 + rnd() % 100;
			if (j >= appends)
				j = appends - 1;
			uint64_t late = order[i];
			memmove(order + i, order + i + 1, (j - i) * sizeof *order);
			order[j] = late;
		}
	char err[256];
	CHECK(h.ops->bulk_load(h.ix, keys, vals, base, err, sizeof err) == 0);
	struct alex_counters c0, c;
	alex_get_counters(h.ix, &c0);
	CHECK(insert_all(&h, order, appends, 9) == 0);
	verify(&h);
	check_all(&h, keys, n, 9);
	alex_get_counters(h.ix, &c);
	if (getenv("ALEX_TEST_VERBOSE"))
		printf("%s: depth %llu after bulk load, %llu after appends, %llu downward splits\n",
		       spec, (unsigned long long)c0.depth, (unsigned long long)c.depth,
		       (unsigned long long)c.downward_splits);
	CHECK(c.depth <= c0.depth + 3);
	props_close(&h);
	free(keys), free(vals), free(order);
}

/* Descending inserts below the domain: the root grows to the left. */
static void descending_below(const char *spec, size_t base, size_t more)
{
	test_context = "descending below the domain";
	struct props_handle h;
	if (open_alex(spec, &h))
		return;
	size_t n = base + more;
	uint64_t *keys = malloc(n * sizeof *keys), *vals = malloc(base * sizeof *vals);
	if (!keys || !vals)
		exit(2);
	for (size_t i = 0; i < n; i++) /* keys[0..base) high, then descending */
		keys[i] = i < base ? (1ull << 40) + i * 11 : (1ull << 40) - (i - base + 1) * 13;
	for (size_t i = 0; i < base; i++)
		vals[i] = keys[i] ^ 9;
	char err[256];
	CHECK(h.ops->bulk_load(h.ix, keys, vals, base, err, sizeof err) == 0);
	CHECK(insert_all(&h, keys + base, more, 9) == 0);
	verify(&h);
	check_all(&h, keys, n, 9);
	struct alex_counters c;
	alex_get_counters(h.ix, &c);
	CHECK(c.root_expansions + c.new_roots > 0);
	props_close(&h);
	free(keys), free(vals);
}

/* Random inserts with a tiny node size force expansions, sideways splits
 * (with parent doubling) and downward splits. */
static void splits(const char *spec, size_t loaded, size_t inserted)
{
	struct props_handle h;
	if (open_case(spec, "splits", &h))
		return;
	size_t n = loaded + inserted;
	uint64_t *keys = malloc(n * sizeof *keys), *vals = malloc(n * sizeof *vals);
	if (!keys || !vals)
		exit(2);
	for (size_t i = 0; i < n; i++)
		keys[i] = rnd();
	qsort(keys, n, sizeof *keys, cmp_u64);
	for (size_t i = 1; i < n; i++)
		if (keys[i] <= keys[i - 1])
			keys[i] = keys[i - 1] + 1;
	/* Load every k-th key, insert the rest in random order. */
	uint64_t *lk = malloc((loaded + 1) * sizeof *lk), *rest = malloc(n * sizeof *rest);
	if (!lk || !rest)
		exit(2);
	size_t nl = 0, nr = 0, every = loaded ? n / loaded : 0;
	for (size_t i = 0; i < n; i++) {
		if (every && i % every == 0 && nl < loaded)
			lk[nl] = keys[i], vals[nl++] = keys[i] ^ 3;
		else
			rest[nr++] = keys[i];
	}
	for (size_t i = nr; i > 1; i--) {
		size_t j = rnd() % i;
		uint64_t t = rest[i - 1];
		rest[i - 1] = rest[j];
		rest[j] = t;
	}
	char err[256];
	CHECK(h.ops->bulk_load(h.ix, lk, vals, nl, err, sizeof err) == 0);
	verify(&h);
	CHECK(insert_all(&h, rest, nr, 3) == 0);
	verify(&h);
	check_all(&h, keys, n, 3);
	/* Upserts leave the count alone. */
	CHECK(insert_all(&h, rest, nr / 10, 3) == 0);
	uint64_t sum = 0;
	CHECK(h.ops->scan(h.ix, 0, UINT64_MAX, (size_t)-1, &sum) == n);
	struct alex_counters c;
	alex_get_counters(h.ix, &c);
	CHECK(c.expansions > 0);
	CHECK(c.sideways_splits > 0);
	CHECK(c.downward_splits > 0);
	CHECK(c.parent_doublings > 0);
	props_close(&h);
	free(keys), free(vals), free(lk), free(rest);
}

/* Keys near 2^64, UINT64_MAX and 0, bulk loaded and inserted. */
static void extremes(const char *spec)
{
	test_context = "keys near 2^64";
	struct props_handle h;
	if (open_alex(spec, &h))
		return;
	size_t n = 100000;
	uint64_t *keys = malloc(n * sizeof *keys), *vals = malloc(n * sizeof *vals);
	if (!keys || !vals)
		exit(2);
	/* Half dense just below 2^64 (doubles cannot tell them apart), half
	 * spread over the whole range; 0 and UINT64_MAX included. */
	for (size_t i = 0; i < n; i++)
		keys[i] = i % 2 ? UINT64_MAX - i : rnd();
	keys[0] = 0;
	keys[2] = UINT64_MAX;
	qsort(keys, n, sizeof *keys, cmp_u64);
	size_t m = 1;
	for (size_t i = 1; i < n; i++)
		if (keys[i] != keys[m - 1])
			keys[m++] = keys[i];
	n = m;
	uint64_t *lk = malloc(n * sizeof *lk), *rest = malloc(n * sizeof *rest);
	if (!lk || !rest)
		exit(2);
	size_t nl = 0, nr = 0;
	for (size_t i = 0; i < n; i++) {
		if (i % 3 == 1)
			lk[nl] = keys[i], vals[nl++] = keys[i] ^ 7;
		else
			rest[nr++] = keys[i];
	}
	char err[256];
	CHECK(h.ops->bulk_load(h.ix, lk, vals, nl, err, sizeof err) == 0);
	verify(&h);
	/* 0 and UINT64_MAX are among the inserted keys: insert them last. */
	for (size_t i = nr; i > 1; i--) {
		size_t j = rnd() % i;
		uint64_t t = rest[i - 1];
		rest[i - 1] = rest[j];
		rest[j] = t;
	}
	CHECK(insert_all(&h, rest, nr, 7) == 0);
	verify(&h);
	check_all(&h, keys, n, 7);
	uint64_t v = 0, sum = 0;
	CHECK(h.ops->get(h.ix, UINT64_MAX, &v) && v == (UINT64_MAX ^ 7));
	CHECK(h.ops->get(h.ix, 0, &v) && v == 7);
	CHECK(h.ops->scan(h.ix, UINT64_MAX, UINT64_MAX, 10, &sum) == 1);
	CHECK(sum == (UINT64_MAX ^ 7));
	sum = 0;
	size_t want = 0;
	for (size_t i = 0; i < n; i++)
		want += keys[i] >= UINT64_MAX - 1000;
	CHECK(h.ops->scan(h.ix, UINT64_MAX - 1000, UINT64_MAX, (size_t)-1, &sum) == want);
	props_close(&h);
	free(keys), free(vals), free(lk), free(rest);

	/* Only UINT64_MAX, inserted into an empty index, then its neighbours. */
	test_context = "UINT64_MAX into empty";
	if (open_alex(spec, &h))
		return;
	CHECK(h.ops->bulk_load(h.ix, NULL, NULL, 0, err, sizeof err) == 0);
	uint64_t few[] = {UINT64_MAX, 0, UINT64_MAX - 1, 1, UINT64_MAX - 2};
	CHECK(insert_all(&h, few, 5, 1) == 0);
	CHECK(!h.ops->get(h.ix, UINT64_MAX - 3, &v));
	verify(&h);
	qsort(few, 5, sizeof *few, cmp_u64);
	check_all(&h, few, 5, 1);
	props_close(&h);
}

/* Bulk load alone, on shapes the cost model must handle: the structure is
 * sound, every key found, and large or skewed data gets model nodes. */
static void bulk_shapes(const char *spec)
{
	size_t n = 300000;
	uint64_t *keys = malloc(n * sizeof *keys), *vals = malloc(n * sizeof *vals);
	if (!keys || !vals)
		exit(2);
	for (int shape = 0; shape < 4; shape++) {
		static const char *const names[] = {"uniform", "clustered", "quadratic",
						    "outliers"};
		char ctx[128];
		snprintf(ctx, sizeof ctx, "%s bulk %s", spec, names[shape]);
		test_context = ctx;
		for (size_t i = 0; i < n; i++) {
			switch (shape) {
			case 0: keys[i] = rnd(); break;
			case 1: keys[i] = (rnd() % 16) << 58 | (rnd() & 0xfffff); break;
			case 2: keys[i] = (uint64_t)i * i; break;
			default: keys[i] = i % 1000 ? i : UINT64_MAX - i; break;
			}
		}
		qsort(keys, n, sizeof *keys, cmp_u64);
		size_t m = 1;
		for (size_t i = 1; i < n; i++)
			if (keys[i] != keys[m - 1])
				keys[m++] = keys[i];
		for (size_t i = 0; i < m; i++)
			vals[i] = keys[i] ^ 11;
		struct props_handle h;
		if (open_alex(spec, &h))
			break;
		char err[256];
		CHECK(h.ops->bulk_load(h.ix, keys, vals, m, err, sizeof err) == 0);
		verify(&h);
		check_all(&h, keys, m, 11);
		struct alex_counters c;
		alex_get_counters(h.ix, &c);
		if (strstr(spec, "4096"))
			CHECK(c.model_nodes > 0 && c.data_nodes > 1);
		struct index_stats st = {.mean_log2_err = -1, .max_err = -1};
		h.ops->stats(h.ix, &st);
		CHECK(st.models == c.data_nodes && st.mean_log2_err >= 0);
		props_close(&h);
	}
	free(keys), free(vals);
}

/* Mixed inserts from changing patterns (ascending runs, descending runs,
 * random, clustered), checking the invariants every few thousand inserts,
 * then every key. */
static void mixed(const char *spec)
{
	struct props_handle h;
	if (open_case(spec, "mixed", &h))
		return;
	size_t n = 200000;
	uint64_t *keys = malloc(n * sizeof *keys);
	if (!keys)
		exit(2);
	char err[256];
	CHECK(h.ops->bulk_load(h.ix, NULL, NULL, 0, err, sizeof err) == 0);
	uint64_t run = 1ull << 62;
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		switch ((i / 5000) % 4) {
		case 0: keys[i] = run += 1 + rnd() % 100; break;
		case 1: keys[i] = (1ull << 61) - i * 17; break;
		case 2: keys[i] = rnd(); break;
		default: keys[i] = (rnd() % 8) << 40 | (rnd() & 0xffff); break;
		}
		if (h.ops->insert(h.ix, keys[i], keys[i] ^ 13, err, sizeof err))
			bad = 1;
		if (i % 25000 == 24999)
			verify(&h);
	}
	CHECK(!bad);
	verify(&h);
	qsort(keys, n, sizeof *keys, cmp_u64);
	size_t m = 1;
	for (size_t i = 1; i < n; i++)
		if (keys[i] != keys[m - 1])
			keys[m++] = keys[i];
	check_all(&h, keys, m, 13);
	props_close(&h);
	free(keys);
}

/* A model-node root over a narrow domain, then a handful of keys near
 * 2^64 and near 0: growth toward them needs a factor far beyond any
 * fanout, so a new root goes above the old one. */
static void far_outliers(const char *spec, size_t n)
{
	test_context = "far outliers after load";
	struct props_handle h;
	if (open_alex(spec, &h))
		return;
	size_t extra = 40;
	uint64_t *keys = malloc((n + extra) * sizeof *keys), *vals = malloc(n * sizeof *vals);
	if (!keys || !vals)
		exit(2);
	for (size_t i = 0; i < n; i++)
		keys[i] = (1ull << 40) + i * 3, vals[i] = keys[i] ^ 21;
	char err[256];
	CHECK(h.ops->bulk_load(h.ix, keys, vals, n, err, sizeof err) == 0);
	for (size_t i = 0; i < extra; i++)
		keys[n + i] = i % 2 ? UINT64_MAX - i : i;
	CHECK(insert_all(&h, keys + n, extra, 21) == 0);
	verify(&h);
	qsort(keys, n + extra, sizeof *keys, cmp_u64);
	check_all(&h, keys, n + extra, 21);
	struct alex_counters c;
	alex_get_counters(h.ix, &c);
	CHECK(c.new_roots >= 2); /* one to each side */
	props_close(&h);
	free(keys), free(vals);
}

static void bad_params(void)
{
	test_context = "parameters";
	struct props_handle h;
	char err[256];
	CHECK(props_open("alex:max_density=1.5", &h, err, sizeof err) != 0);
	CHECK(props_open("alex:min_density=0.9:max_density=0.8", &h, err, sizeof err) != 0);
	CHECK(props_open("alex:max_node_bytes=10", &h, err, sizeof err) != 0);
	CHECK(props_open("alex:bogus=1", &h, err, sizeof err) != 0);
}

int main(void)
{
	/* Default node size: up to ~700k keys make one data node, so load
	 * more than that to have a model node root whose domain can grow. */
	RUN(sequential_appends("alex", 1000000, 1000000, 1, 0));
	RUN(sequential_appends("alex:max_node_bytes=4096", 1000, 1000000, 1, 1));
	RUN(sequential_appends("alex", 0, 100000, 0, 0)); /* one data node */
	RUN(late_appends("alex", 200000, 300000));
	RUN(late_appends("alex:max_node_bytes=4096", 20000, 100000));
	RUN(descending_below("alex", 1000000, 300000));
	RUN(descending_below("alex:max_node_bytes=4096", 10000, 200000));
	RUN(splits("alex:max_node_bytes=4096", 20000, 300000));
	RUN(splits("alex:max_node_bytes=4096", 0, 100000));
	RUN(extremes("alex"));
	RUN(extremes("alex:max_node_bytes=4096"));
	RUN(far_outliers("alex", 1000000));
	RUN(far_outliers("alex:max_node_bytes=4096", 20000));
	RUN(mixed("alex"));
	RUN(mixed("alex:max_node_bytes=4096"));
	RUN(mixed("alex:max_node_bytes=1024"));
	RUN(bulk_shapes("alex"));
	RUN(bulk_shapes("alex:max_node_bytes=4096"));
	RUN(bad_params());
	TEST_MAIN_END();
}
