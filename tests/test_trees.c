/*
 * tests/test_trees.c — cases the shared property tests do not reach for
 * btree, stree, rbs and isearch: sizes at every layer boundary of the
 * implicit tree, runs of UINT64_MAX across blocks, inserts and upserts next
 * to duplicate runs that span B+tree leaves, the B+tree's append path
 * (appends, late arrivals, upserts of the maximum, packed leaves), size accounting under inserts,
 * lookups from several threads at once (IX_CAP_CONCURRENT_READ), and
 * parameter errors.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/props.h"
#include "tests/test.h"

static uint64_t rng = 12345;
static uint64_t rnd(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}

/* Sizes around 16 * 17^k (stree layer boundaries) and small node counts. */
static void boundary_sizes(const char *spec)
{
	static const size_t sizes[] = {2, 3, 4, 5, 8, 15, 16, 17, 31, 32, 33,
				       271, 272, 273, 288, 289, 4623, 4624,
				       4625, 78607, 78608, 78609};
	for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
		size_t n = sizes[s];
		uint64_t *k = malloc(n * sizeof *k);
		if (!k)
			exit(2);
		for (size_t i = 0; i < n; i++) /* gaps so misses exist */
			k[i] = 10 + 3 * i;
		char label[64];
		snprintf(label, sizeof label, "boundary %zu", n);
		props_check_dataset(spec, label, k, n);
		/* The top 40 keys are all UINT64_MAX: a run crossing blocks. */
		for (size_t i = n > 40 ? n - 40 : 0; i < n; i++)
			k[i] = UINT64_MAX;
		snprintf(label, sizeof label, "max run %zu", n);
		props_check_dataset(spec, label, k, n);
		free(k);
	}
}

static void check_model(struct props_handle *h, const struct ref_model *m)
{
	int bad = 0;
	for (size_t i = 0; i < m->n && !bad; i++) {
		uint64_t v = 0;
		size_t first = ref_model_lb(m, m->k[i]);
		if (!h->ops->get(h->ix, m->k[i], &v) || v != m->v[first])
			bad = 1;
	}
	CHECK(!bad);
	uint64_t want = 0, sum = 0;
	for (size_t i = 0; i < m->n; i++)
		want += m->v[i];
	CHECK(h->ops->scan(h->ix, 0, UINT64_MAX, (size_t)-1, &sum) == m->n);
	CHECK(sum == want);
	/* Scans starting at each distinct key, a few entries long. */
	bad = 0;
	for (size_t i = 0; i < m->n && !bad; i += 7) {
		size_t p = ref_model_lb(m, m->k[i]), cnt = 0;
		uint64_t w = 0, got = 0;
		for (; p < m->n && cnt < 9; p++, cnt++)
			w += m->v[p];
		if (h->ops->scan(h->ix, m->k[i], UINT64_MAX, 9, &got) != cnt || got != w)
			bad = 1;
	}
	CHECK(!bad);
}

/* Duplicate runs longer than a leaf, then new keys around and between the
 * runs, then upserts of duplicated keys (the first copy changes). */
static void btree_inserts_next_to_duplicates(const char *spec)
{
	char err[256];
	struct props_handle h;
	test_context = spec;
	if (props_open(spec, &h, err, sizeof err)) {
		fprintf(stderr, "FAIL [%s] %s\n", spec, err);
		CHECK(0);
		return;
	}
	size_t n = 3000, cap = 3000 + 20000;
	struct ref_model m;
	ref_model_init(&m, cap);
	m.n = n;
	uint64_t *lk = malloc(n * sizeof *lk), *lv = malloc(n * sizeof *lv);
	if (!lk || !lv)
		exit(2);
	uint64_t key = 1000; /* runs of ~20 copies (some over 60), gaps of 100 */
	for (size_t i = 0; i < n; i++) {
		if (i && rnd() % 20 == 0)
			key += 100;
		lk[i] = key;
		lv[i] = i;
	}
	memcpy(m.k, lk, n * sizeof *lk);
	memcpy(m.v, lv, n * sizeof *lv);
	CHECK(h.ops->bulk_load(h.ix, lk, lv, n, err, sizeof err) == 0);
	size_t before_total = h.ops->total_bytes(h.ix);
	size_t before_index = h.ops->index_bytes(h.ix);
	check_model(&h, &m);
	int bad = 0;
	for (size_t i = 0; i < 20000 && !bad; i++) {
		switch (rnd() % 4) {
		case 0: /* an existing (often duplicated) key: upsert */
			key = m.k[rnd() % m.n];
			break;
		case 1: /* just below or above a run */
			key = m.k[rnd() % m.n] + (rnd() % 2 ? 1 : (uint64_t)-1);
			break;
		case 2: /* outside the loaded range */
			key = rnd() % 2 ? rnd() % 1000 : UINT64_MAX - rnd() % 1000;
			break;
		default:
			key = 1000 + rnd() % (n * 4);
		}
		uint64_t val = 1000000 + i;
		if (h.ops->insert(h.ix, key, val, err, sizeof err))
			bad = 1;
		ref_model_upsert(&m, key, val);
	}
	CHECK(!bad);
	check_model(&h, &m);
	CHECK(h.ops->total_bytes(h.ix) > before_total);
	CHECK(h.ops->index_bytes(h.ix) > before_index);
	CHECK(h.ops->total_bytes(h.ix) >= h.ops->index_bytes(h.ix) + 16 * m.n);
	props_close(&h);
	ref_model_free(&m), free(lk), free(lv);
	test_context = NULL;
}

/* Appends as a time series makes them: ascending keys with gaps, from an
 * empty tree and after a bulk load that ends in a duplicate run at the
 * maximum; interleaved with late arrivals (keys below the maximum, new or
 * present), upserts of the maximum itself, and keys 0 and UINT64_MAX.
 * Every step goes to the reference model too; the tree must agree. */
static void btree_appends(const char *spec, size_t loaded, int late_every)
{
	char err[256];
	struct props_handle h;
	test_context = spec;
	if (props_open(spec, &h, err, sizeof err)) {
		fprintf(stderr, "FAIL [%s] %s\n", spec, err);
		CHECK(0);
		return;
	}
	size_t appends = 30000, cap = loaded + appends + appends / 2 + 8;
	struct ref_model m;
	ref_model_init(&m, cap);
	uint64_t *lk = malloc((loaded + 1) * sizeof *lk), *lv = malloc((loaded + 1) * sizeof *lv);
	if (!lk || !lv)
		exit(2);
	uint64_t key = 1;
	for (size_t i = 0; i < loaded; i++) {
		if (i + 40 < loaded) /* the last 40 share one key */
			key += 1 + rnd() % 50;
		lk[i] = key;
		lv[i] = i;
	}
	memcpy(m.k, lk, loaded * sizeof *lk);
	memcpy(m.v, lv, loaded * sizeof *lv);
	m.n = loaded;
	CHECK(h.ops->bulk_load(h.ix, lk, lv, loaded, err, sizeof err) == 0);
	int bad = 0;
	uint64_t val = 1u << 20;
	if (!loaded) { /* key 0 first: the smallest possible append */
		bad |= h.ops->insert(h.ix, 0, val, err, sizeof err) != 0;
		ref_model_upsert(&m, 0, val++);
	}
	for (size_t i = 0; i < appends && !bad; i++) {
		uint64_t max = m.n ? m.k[m.n - 1] : 0;
		uint64_t k = max + 1 + rnd() % 100;
		if (late_every && i % (size_t)late_every == 0 && m.n) {
			/* a late arrival up to ~100 keys back, or the maximum */
			size_t back = 1 + rnd() % (m.n < 100 ? m.n : 100);
			k = m.k[m.n - back];
			if (rnd() % 3 == 0)
				k = max;
			else if (k && rnd() % 2)
				k--; /* often a gap: a new key */
		}
		bad |= h.ops->insert(h.ix, k, val, err, sizeof err) != 0;
		ref_model_upsert(&m, k, val++);
	}
	/* UINT64_MAX last, then once more as an upsert of the maximum. */
	bad |= h.ops->insert(h.ix, UINT64_MAX, val, err, sizeof err) != 0;
	ref_model_upsert(&m, UINT64_MAX, val++);
	bad |= h.ops->insert(h.ix, UINT64_MAX, val, err, sizeof err) != 0;
	ref_model_upsert(&m, UINT64_MAX, val++);
	CHECK(!bad);
	check_model(&h, &m);
	props_close(&h);
	ref_model_free(&m), free(lk), free(lv);
	test_context = NULL;
}

/* append=1 keeps a tree grown by appends packed: every leaf but the last
 * is full.  append=0 splits in half and leaves them about half full. */
static void btree_append_fill(void)
{
	static const char *const specs[] = {"btree:node=16:append=1",
					    "btree:node=16:append=0"};
	for (int s = 0; s < 2; s++) {
		char err[256];
		struct props_handle h;
		test_context = specs[s];
		if (props_open(specs[s], &h, err, sizeof err)) {
			CHECK(0);
			continue;
		}
		size_t n = 100000;
		int bad = 0;
		for (size_t i = 0; i < n && !bad; i++)
			bad |= h.ops->insert(h.ix, 5 + 3 * i, i, err, sizeof err) != 0;
		CHECK(!bad);
		struct index_stats st = {.mean_log2_err = -1, .max_err = -1};
		h.ops->stats(h.ix, &st);
		if (s == 0)
			CHECK(st.models == (n + 15) / 16);
		else
			CHECK(st.models >= n / 9 && st.models <= n / 8 + 1);
		uint64_t v = 0, sum = 0;
		CHECK(h.ops->get(h.ix, 5 + 3 * (n - 1), &v) && v == n - 1);
		CHECK(h.ops->scan(h.ix, 0, UINT64_MAX, (size_t)-1, &sum) == n);
		CHECK(sum == (uint64_t)n * (n - 1) / 2);
		props_close(&h);
	}
	test_context = NULL;
}

/* Several threads look up every key (and scan) of one loaded index at once;
 * each counts its own wrong answers. */
struct reader {
	struct props_handle *h;
	const uint64_t *keys;
	size_t n;
	long wrong;
};

static void *reader_run(void *arg)
{
	struct reader *r = arg;
	for (size_t i = 0; i < r->n; i++) {
		uint64_t v = 0, sum = 0;
		size_t first = i;
		while (first && r->keys[first - 1] == r->keys[i])
			first--;
		if (!r->h->ops->get(r->h->ix, r->keys[i], &v) || v != first)
			r->wrong++;
		if (r->h->ops->get(r->h->ix, r->keys[i] + 1, &v) &&
		    (i + 1 == r->n || r->keys[i + 1] != r->keys[i] + 1))
			r->wrong++;
		if (i % 64 == 0 &&
		    r->h->ops->scan(r->h->ix, r->keys[i], UINT64_MAX, 3, &sum) !=
			    (r->n - first < 3 ? r->n - first : 3))
			r->wrong++;
	}
	return NULL;
}

static void concurrent_reads(const char *spec)
{
	enum { THREADS = 4 };
	char err[256];
	struct props_handle h;
	test_context = spec;
	if (props_open(spec, &h, err, sizeof err)) {
		fprintf(stderr, "FAIL [%s] %s\n", spec, err);
		CHECK(0);
		return;
	}
	CHECK(h.ops->caps & IX_CAP_CONCURRENT_READ);
	size_t n = 50000;
	uint64_t *k = malloc(n * sizeof *k), *v = malloc(n * sizeof *v);
	if (!k || !v)
		exit(2);
	for (size_t i = 0; i < n; i++) { /* even keys, each twice */
		k[i] = 2 * (i / 2);
		v[i] = i;
	}
	CHECK(h.ops->bulk_load(h.ix, k, v, n, err, sizeof err) == 0);
	pthread_t tid[THREADS];
	struct reader rd[THREADS];
	for (int t = 0; t < THREADS; t++) {
		rd[t] = (struct reader){&h, k, n, 0};
		CHECK(pthread_create(&tid[t], NULL, reader_run, &rd[t]) == 0);
	}
	for (int t = 0; t < THREADS; t++) {
		pthread_join(tid[t], NULL);
		CHECK(rd[t].wrong == 0);
	}
	props_close(&h);
	free(k), free(v);
	test_context = NULL;
}

static void bad_params(void)
{
	static const char *const bad[] = {
		"btree:node=3", "btree:node=2000", "btree:node=x", "btree:fill=0",
		"btree:fill=1.5", "btree:prefetch=2", "btree:nodes=8", "btree:append=2",
		"stree:leaf=foo", "rbs:bits=0", "rbs:bits=31", "rbs:search=fast",
		"isearch:tail=0", "isearch:tail=-1", NULL};
	for (int i = 0; bad[i]; i++) {
		struct props_handle h;
		char err[256] = "";
		test_context = bad[i];
		int rc = props_open(bad[i], &h, err, sizeof err);
		CHECK(rc == -1 && err[0]);
		if (!rc)
			props_close(&h);
	}
	test_context = NULL;
}

int main(void)
{
	static const char *const specs[] = {
		"btree", "btree:node=4", "btree:node=5:fill=0.5", "btree:node=300",
		"stree",
		"stree:leaf=ref", "rbs", "rbs:bits=3", "isearch", "isearch:tail=1",
		NULL};
	for (int i = 0; specs[i]; i++)
		RUN(boundary_sizes(specs[i]));
	RUN(btree_inserts_next_to_duplicates("btree:node=4"));
	RUN(btree_inserts_next_to_duplicates("btree:node=7:fill=0.6"));
	RUN(btree_inserts_next_to_duplicates("btree"));
	RUN(btree_inserts_next_to_duplicates("btree:node=100"));
	RUN(btree_inserts_next_to_duplicates("btree:node=4:append=0"));
	static const char *const append_specs[] = {
		"btree", "btree:node=4", "btree:node=5:fill=0.5", "btree:node=100",
		"btree:append=0", NULL};
	for (int i = 0; append_specs[i]; i++) {
		RUN(btree_appends(append_specs[i], 0, 0));
		RUN(btree_appends(append_specs[i], 5000, 0));
		RUN(btree_appends(append_specs[i], 5000, 20));
		RUN(btree_appends(append_specs[i], 0, 3));
	}
	RUN(btree_append_fill());
	for (int i = 0; specs[i]; i++)
		RUN(concurrent_reads(specs[i]));
	RUN(bad_params());
	TEST_MAIN_END();
}
