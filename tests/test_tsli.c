/*
 * tests/test_tsli.c — tsli (indexes/tsli.c) on the streams it is built for,
 * beyond the shared property tests: appends in time order across log
 * chunks and segment caps, late arrivals like seq-ooo (keys moved back
 * behind up to `lag` later keys) into the open segment and into sealed
 * segments' buffers until they merge, duplicate timestamps from a bulk load
 * with upserts of duplicated keys and of the maximum, keys 0 and
 * UINT64_MAX, loads of n = 0, 1, 2, a random mixture of appends, late
 * arrivals, upserts, lookups and scans checked step by step against a
 * reference model, concurrent readers, and parameter errors.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/props.h"
#include "tests/test.h"

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint64_t rnd(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}

/* One lookup against the model: 1 if the index agrees. */
static int get_ok(struct props_handle *h, const struct ref_model *m, uint64_t key)
{
	size_t p = ref_model_lb(m, key);
	uint64_t v = 0;
	bool found = h->ops->get(h->ix, key, &v);
	if (p < m->n && m->k[p] == key)
		return found && v == m->v[p];
	return !found;
}

/* One scan against the model: 1 if the index agrees. */
static int scan_ok(struct props_handle *h, const struct ref_model *m, uint64_t lo,
		   uint64_t hi, size_t max)
{
	size_t p = ref_model_lb(m, lo), cnt = 0;
	uint64_t want = 0, got = 0;
	for (; p < m->n && cnt < max && m->k[p] <= hi; p++, cnt++)
		want += m->v[p];
	return h->ops->scan(h->ix, lo, hi, max, &got) == cnt && got == want;
}

/* Everything: every key, misses next to each, scans from many places. */
static void check_model(struct props_handle *h, const struct ref_model *m)
{
	int bad = 0;
	for (size_t i = 0; i < m->n && !bad; i++) {
		bad |= !get_ok(h, m, m->k[i]);
		if (m->k[i] < UINT64_MAX)
			bad |= !get_ok(h, m, m->k[i] + 1);
		if (m->k[i] > 0)
			bad |= !get_ok(h, m, m->k[i] - 1);
	}
	CHECK(!bad);
	bad = !scan_ok(h, m, 0, UINT64_MAX, (size_t)-1);
	for (size_t i = 0; i < m->n && !bad; i += 1 + m->n / 500) {
		bad |= !scan_ok(h, m, m->k[i], UINT64_MAX, 1000);
		bad |= !scan_ok(h, m, m->k[i] + 1, m->k[i] + 5000, (size_t)-1);
	}
	CHECK(!bad);
	CHECK(h->ops->total_bytes(h->ix) >= h->ops->index_bytes(h->ix) + 16 * m->n);
}

static int open_spec(const char *spec, struct props_handle *h)
{
	char err[256];
	test_context = spec;
	if (props_open(spec, h, err, sizeof err)) {
		fprintf(stderr, "FAIL [%s] %s\n", spec, err);
		CHECK(0);
		return -1;
	}
	return 0;
}

/* Time-ordered keys with gaps like timestamps: steady, then bursts. */
static uint64_t *series(size_t n, uint64_t start)
{
	uint64_t *k = malloc((n + 1) * sizeof *k), t = start;
	if (!k)
		exit(2);
	for (size_t i = 0; i < n; i++) {
		k[i] = t;
		t += (i / 5000) % 2 ? 1 + rnd() % 20 : 500 + rnd() % 1000;
	}
	return k;
}

/* Appends only, from an empty index, each followed by a lookup of a recent
 * key and now and then a scan over the last 1000 keys. */
static void append_order(const char *spec, size_t n, uint64_t start)
{
	struct props_handle h;
	if (open_spec(spec, &h))
		return;
	uint64_t *k = series(n, start);
	struct ref_model m;
	ref_model_init(&m, n);
	char err[256];
	int bad = 0;
	for (size_t i = 0; i < n && !bad; i++) {
		if (h.ops->insert(h.ix, k[i], i, err, sizeof err)) {
			fprintf(stderr, "FAIL [%s] insert: %s\n", spec, err);
			bad = 1;
		}
		ref_model_upsert(&m, k[i], i);
		bad |= !get_ok(&h, &m, k[i - rnd() % (i + 1 < 1000 ? i + 1 : 1000)]);
		bad |= !get_ok(&h, &m, k[i] + 1);
		if (i % 97 == 0)
			bad |= !scan_ok(&h, &m, k[i > 1000 ? i - 1000 : 0], UINT64_MAX, 1000);
	}
	CHECK(!bad);
	check_model(&h, &m);
	props_close(&h);
	ref_model_free(&m);
	free(k);
	test_context = NULL;
}

/* seq-ooo: load the oldest `load` keys, then the rest arrive in time order
 * except a fraction ooo of keys, each moved back behind up to lag later
 * keys; lookups of recent keys and scans of the last window between. */
static void late_arrivals(const char *spec, size_t n, size_t load, double ooo,
			  size_t lag)
{
	struct props_handle h;
	if (open_spec(spec, &h))
		return;
	uint64_t *k = series(n, 1000);
	uint64_t *order = malloc(n * sizeof *order);
	if (!order)
		exit(2);
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = n - 1; i-- > load;)
		if ((double)(rnd() % 1000000) < ooo * 1e6) {
			size_t j = i + 1 + rnd() % lag;
			j = j < n ? j : n - 1;
			uint64_t late = order[i];
			memmove(order + i, order + i + 1, (j - i) * sizeof *order);
			order[j] = late;
		}
	struct ref_model m;
	ref_model_init(&m, n);
	char err[256];
	uint64_t *lv = malloc((load + 1) * sizeof *lv);
	if (!lv)
		exit(2);
	for (size_t i = 0; i < load; i++)
		lv[i] = i, ref_model_upsert(&m, k[i], i);
	CHECK(h.ops->bulk_load(h.ix, k, lv, load, err, sizeof err) == 0);
	int bad = 0;
	for (size_t i = load; i < n && !bad; i++) {
		uint64_t key = k[order[i]];
		if (h.ops->insert(h.ix, key, order[i], err, sizeof err)) {
			fprintf(stderr, "FAIL [%s] insert: %s\n", spec, err);
			bad = 1;
		}
		ref_model_upsert(&m, key, order[i]);
		size_t back = 1 + rnd() % (m.n < 1000 ? m.n : 1000);
		bad |= !get_ok(&h, &m, m.k[m.n - back]);
		bad |= !get_ok(&h, &m, key - 1);
		if (i % 53 == 0)
			bad |= !scan_ok(&h, &m, m.k[m.n - back], UINT64_MAX, 1000);
	}
	CHECK(!bad);
	check_model(&h, &m);
	props_close(&h);
	ref_model_free(&m);
	free(k), free(order), free(lv);
	test_context = NULL;
}

/* Duplicate timestamps (5% share the previous one, as ts_dups), the load
 * ending in a run of the maximum; then appends, upserts of the maximum and
 * of duplicated keys (the first copy changes), late arrivals next to runs. */
static void duplicate_timestamps(const char *spec, size_t load)
{
	struct props_handle h;
	if (open_spec(spec, &h))
		return;
	size_t extra = 20000;
	struct ref_model m;
	ref_model_init(&m, load + extra);
	uint64_t *lk = malloc((load + 1) * sizeof *lk), *lv = malloc((load + 1) * sizeof *lv);
	if (!lk || !lv)
		exit(2);
	uint64_t t = 1000;
	for (size_t i = 0; i < load; i++) {
		bool dup = i && (i + 30 >= load || rnd() % 20 == 0);
		if (!dup) /* else a duplicate; the last 30 are one run */
			t += 10 + rnd() % 100;
		lk[i] = t, lv[i] = i;
	}
	memcpy(m.k, lk, load * sizeof *lk);
	memcpy(m.v, lv, load * sizeof *lv);
	m.n = load;
	char err[256];
	CHECK(h.ops->bulk_load(h.ix, lk, lv, load, err, sizeof err) == 0);
	check_model(&h, &m);
	int bad = 0;
	for (size_t i = 0; i < extra && !bad; i++) {
		uint64_t max = m.n ? m.k[m.n - 1] : 0, key;
		switch (rnd() % 8) {
		case 0: /* the maximum again: an upsert of its first copy */
			key = max;
			break;
		case 1: /* a present key, often duplicated */
			key = m.n ? m.k[rnd() % m.n] : 5;
			break;
		case 2: /* late, next to a recent key */
			key = m.n ? m.k[m.n - 1 - rnd() % (m.n < 200 ? m.n : 200)] + 1 : 7;
			break;
		default:
			key = max + 1 + rnd() % 100;
		}
		uint64_t val = 1000000 + i;
		bad |= h.ops->insert(h.ix, key, val, err, sizeof err) != 0;
		ref_model_upsert(&m, key, val);
		bad |= !get_ok(&h, &m, key);
	}
	CHECK(!bad);
	check_model(&h, &m);
	props_close(&h);
	ref_model_free(&m);
	free(lk), free(lv);
	test_context = NULL;
}

/* Loads of n = 0, 1, 2 (one with keys 0 and UINT64_MAX), then appends,
 * a late key below the minimum, UINT64_MAX appended, and 0 last. */
static void small_and_extreme(const char *spec)
{
	static const uint64_t loads[][2] = {{0, 0}, {500, 0}, {500, 600}, {0, UINT64_MAX}};
	static const size_t sizes[] = {0, 1, 2, 2};
	for (int c = 0; c < 4; c++) {
		struct props_handle h;
		if (open_spec(spec, &h))
			return;
		struct ref_model m;
		ref_model_init(&m, 3000);
		uint64_t lv[2] = {0, 1};
		char err[256];
		CHECK(h.ops->bulk_load(h.ix, loads[c], lv, sizes[c], err, sizeof err) == 0);
		for (size_t i = 0; i < sizes[c]; i++)
			ref_model_upsert(&m, loads[c][i], i);
		check_model(&h, &m);
		int bad = 0;
		uint64_t max = m.n ? m.k[m.n - 1] : 0;
		for (size_t i = 0; i < 2000 && max < UINT64_MAX - 100000; i++) {
			uint64_t key = max + 1 + rnd() % 30;
			if (i == 500) /* below the minimum */
				key = m.n && m.k[0] > 0 ? m.k[0] - 1 : 1;
			bad |= h.ops->insert(h.ix, key, 10 + i, err, sizeof err) != 0;
			ref_model_upsert(&m, key, 10 + i);
			max = m.k[m.n - 1];
		}
		bad |= h.ops->insert(h.ix, UINT64_MAX, 77, err, sizeof err) != 0;
		ref_model_upsert(&m, UINT64_MAX, 77);
		bad |= h.ops->insert(h.ix, 0, 78, err, sizeof err) != 0;
		ref_model_upsert(&m, 0, 78);
		bad |= h.ops->insert(h.ix, UINT64_MAX, 79, err, sizeof err) != 0;
		ref_model_upsert(&m, UINT64_MAX, 79);
		CHECK(!bad);
		check_model(&h, &m);
		props_close(&h);
		ref_model_free(&m);
	}
	test_context = NULL;
}

/* A random mixture checked step by step: appends, late arrivals (near and
 * far), upserts, lookups of present and absent keys, scans. */
static void mixture(const char *spec, size_t steps)
{
	struct props_handle h;
	if (open_spec(spec, &h))
		return;
	struct ref_model m;
	ref_model_init(&m, steps + 1);
	char err[256];
	int bad = 0;
	uint64_t next = 1ull << 40;
	for (size_t i = 0; i < steps && !bad; i++) {
		unsigned r = (unsigned)(rnd() % 100);
		uint64_t key;
		if (r < 55 || m.n < 2) { /* append */
			next += 1 + rnd() % 1000;
			key = next;
		} else if (r < 65) { /* late, within the last ~300 keys */
			size_t back = 1 + rnd() % (m.n < 300 ? m.n : 300);
			key = m.k[m.n - back] - 1 - rnd() % 3;
		} else if (r < 68) { /* far in the past */
			key = rnd() % next;
		} else if (r < 75) { /* upsert */
			key = m.k[rnd() % m.n];
		} else if (r < 95) { /* lookups */
			size_t back = 1 + rnd() % (m.n < 2000 ? m.n : 2000);
			bad |= !get_ok(&h, &m, m.k[m.n - back]);
			bad |= !get_ok(&h, &m, m.k[rnd() % m.n] + (rnd() % 2));
			continue;
		} else { /* scans */
			size_t back = 1 + rnd() % (m.n < 2000 ? m.n : 2000);
			bad |= !scan_ok(&h, &m, m.k[m.n - back], UINT64_MAX, 1 + rnd() % 1500);
			bad |= !scan_ok(&h, &m, rnd() % next, rnd() % next, 200);
			continue;
		}
		uint64_t val = rnd();
		if (h.ops->insert(h.ix, key, val, err, sizeof err)) {
			fprintf(stderr, "FAIL [%s] insert: %s\n", spec, err);
			bad = 1;
		}
		ref_model_upsert(&m, key, val);
	}
	CHECK(!bad);
	check_model(&h, &m);
	props_close(&h);
	ref_model_free(&m);
	test_context = NULL;
}

/* Readers on several threads at once after a build with buffered late
 * arrivals: get and scan only read. */
struct reader {
	struct props_handle *h;
	const struct ref_model *m;
	long wrong;
};

static void *reader_run(void *arg)
{
	struct reader *r = arg;
	for (size_t i = 0; i < r->m->n; i++) {
		r->wrong += !get_ok(r->h, r->m, r->m->k[i]);
		if (i % 101 == 0)
			r->wrong += !scan_ok(r->h, r->m, r->m->k[i], UINT64_MAX, 50);
	}
	return NULL;
}

static void concurrent_reads(const char *spec)
{
	enum { THREADS = 4 };
	struct props_handle h;
	if (open_spec(spec, &h))
		return;
	CHECK(h.ops->caps & IX_CAP_CONCURRENT_READ);
	size_t n = 60000;
	uint64_t *k = series(n, 1);
	struct ref_model m;
	ref_model_init(&m, n);
	char err[256];
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		size_t j = i % 10 == 9 ? i - 5 : i; /* late by five */
		j = i % 10 == 4 ? i + 5 : j;
		bad |= h.ops->insert(h.ix, k[j], j, err, sizeof err) != 0;
		ref_model_upsert(&m, k[j], j);
	}
	CHECK(!bad);
	pthread_t tid[THREADS];
	struct reader rd[THREADS];
	for (int t = 0; t < THREADS; t++) {
		rd[t] = (struct reader){&h, &m, 0};
		CHECK(pthread_create(&tid[t], NULL, reader_run, &rd[t]) == 0);
	}
	for (int t = 0; t < THREADS; t++) {
		pthread_join(tid[t], NULL);
		CHECK(rd[t].wrong == 0);
	}
	props_close(&h);
	ref_model_free(&m);
	free(k);
	test_context = NULL;
}

static void bad_params(void)
{
	static const char *const bad[] = {
		"tsli:eps=-1", "tsli:eps=2^21", "tsli:buffer=0", "tsli:seg_max=15",
		"tsli:dir_eps=x", "tsli:epsilon=4", NULL};
	for (int i = 0; bad[i]; i++) {
		struct props_handle h;
		char err[256] = "";
		test_context = bad[i];
		int rc = props_open(bad[i], &h, err, sizeof err);
		CHECK(rc == -1 && err[0] && !strchr(err, '\n'));
		if (!rc)
			props_close(&h);
	}
	test_context = NULL;
}

int main(void)
{
	static const char *const specs[] = {
		"tsli", "tsli:eps=0:dir_eps=0", "tsli:eps=2:buffer=1:seg_max=16",
		"tsli:eps=8:buffer=5:seg_max=100", "tsli:eps=512:dir_eps=64", NULL};
	for (int i = 0; specs[i]; i++) {
		RUN(append_order(specs[i], 300000, 0));
		RUN(late_arrivals(specs[i], 100000, 50000, 0.05, 100));
		RUN(late_arrivals(specs[i], 30000, 0, 0.3, 1000));
		RUN(duplicate_timestamps(specs[i], 5000));
		RUN(small_and_extreme(specs[i]));
		RUN(mixture(specs[i], 100000));
	}
	RUN(append_order("tsli", 20000, UINT64_MAX - 20000ull * 2000));
	RUN(concurrent_reads("tsli"));
	RUN(concurrent_reads("tsli:eps=4:buffer=3"));
	RUN(bad_params());
	TEST_MAIN_END();
}
