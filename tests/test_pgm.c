/*
 * tests/test_pgm.c — the PGM-index's error guarantee, checked directly.
 *
 * After every build, for every key (and for the misses on both sides of it)
 * the bottom-level window must contain the true lower bound and be at most
 * 2*eps+1 keys wide.  Data: uniform, lognormal-like, duplicate runs, keys
 * near 2^64, huge gaps, and the small edge cases; eps from 0 to 256.
 * The walk's window count (indexes/simd_rank.h) has AVX-512, AVX2 and
 * plain-C versions chosen at compile time, so `make test` also runs this
 * program built for x86-64-v3 and for x86-64 (build/test-ARCH/test_pgm).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexes/index.h"
#include "indexes/pgm_core.h"
#include "tests/test.h"

static uint64_t rng = 42;
static uint64_t rnd(void)
{ /* splitmix64 */
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

/* 1 if the window for `key` holds its lower bound and the search finds it. */
static int window_ok(const struct pgm_core *c, const uint64_t *keys, size_t n,
		     uint64_t key)
{
	size_t lo, pred, hi, want = ref_lower_bound(keys, n, key);
	pgm_core_window(c, key, &lo, &pred, &hi);
	if (n && (want < lo || want > hi || hi - lo > 2 * c->eps + 1 ||
		  pred < lo || (hi > lo && pred >= hi)))
		return 0;
	return pgm_core_lower_bound(c, key) == want;
}

static void check_build(const char *label, const uint64_t *keys, size_t n,
			size_t eps, size_t eps_rec)
{
	char ctx[160];
	snprintf(ctx, sizeof ctx, "%s n=%zu eps=%zu eps_rec=%zu", label, n, eps,
		 eps_rec);
	test_context = ctx;
	static const enum lastmile_kind kinds[] = {
		LASTMILE_BINARY, LASTMILE_BRANCHLESS, LASTMILE_LINEAR,
		LASTMILE_EXPONENTIAL, LASTMILE_INTERPOLATION};
	struct pgm_core c;
	char err[128];
	enum lastmile_kind kind = kinds[rnd() % 5];
	int rc = pgm_core_build(&c, keys, n, eps, eps_rec, kind, err, sizeof err);
	CHECK(rc == 0);
	if (rc)
		return;
	int bad = 0;
	for (size_t i = 0; i < n && bad < 5; i++) {
		uint64_t k = keys[i];
		if (!window_ok(&c, keys, n, k))
			bad++, fprintf(stderr, "  key[%zu]=%llu\n", i, (unsigned long long)k);
		if (k > 0 && !window_ok(&c, keys, n, k - 1))
			bad++, fprintf(stderr, "  key[%zu]-1\n", i);
		if (k < UINT64_MAX && !window_ok(&c, keys, n, k + 1))
			bad++, fprintf(stderr, "  key[%zu]+1\n", i);
		if (i + 1 < n && keys[i + 1] - k > 2) { /* inside the gap */
			uint64_t mid = k + (keys[i + 1] - k) / 2;
			if (!window_ok(&c, keys, n, mid))
				bad++, fprintf(stderr, "  gap after key[%zu]\n", i);
		}
	}
	CHECK(bad == 0);
	CHECK(window_ok(&c, keys, n, 0));
	CHECK(window_ok(&c, keys, n, UINT64_MAX));
	/* Levels shrink and end in one root segment. */
	if (n) {
		CHECK(c.nlevels >= 1);
		CHECK(c.levels[c.nlevels - 1].count == 1);
		for (int l = 1; l < c.nlevels; l++)
			CHECK(c.levels[l].count < c.levels[l - 1].count);
	}
	pgm_core_free(&c);
	test_context = NULL;
}

static void check_all_eps(const char *label, const uint64_t *keys, size_t n)
{
	static const size_t eps[][2] = {{0, 0}, {1, 1}, {2, 4}, {8, 2},
					{16, 4}, {8, 7}, {64, 4}, {256, 16}, {4, 33}};
	for (size_t i = 0; i < sizeof eps / sizeof *eps; i++)
		check_build(label, keys, n, eps[i][0], eps[i][1]);
}

static uint64_t *alloc_keys(size_t n)
{
	uint64_t *k = malloc((n ? n : 1) * sizeof *k);
	if (!k) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	return k;
}

/* The registered index: stats fields are filled and plausible. */
static void check_stats(void)
{
	test_context = "pgm stats";
	/* The ops by name, not through the registry: this test is also built
	 * with pgm.c alone for other instruction sets (Makefile). */
	extern const struct index_ops pgm_index;
	const struct index_ops *ops = &pgm_index;
	struct param_set cfg;
	char err[128];
	CHECK(param_set_parse(ops->params, "eps=16", &cfg, err, sizeof err) == 0);
	struct index_env env = {.dir = "/tmp", .threads = 1};
	void *ix = ops->create(&cfg, &env, err, sizeof err);
	CHECK(ix != NULL);
	if (!ix)
		return;
	size_t n = 100000;
	uint64_t *k = alloc_keys(n), *v = alloc_keys(n);
	for (size_t i = 0; i < n; i++)
		k[i] = rnd() >> 8, v[i] = i;
	qsort(k, n, sizeof *k, cmp_u64);
	CHECK(ops->bulk_load(ix, k, v, n, err, sizeof err) == 0);
	struct index_stats st = {.mean_log2_err = -1, .max_err = -1};
	ops->stats(ix, &st);
	CHECK(st.models >= 1 && st.models < n);
	CHECK(st.max_err >= 0 && st.max_err <= 17);
	CHECK(st.mean_log2_err > 0 && st.mean_log2_err <= log2(34.0) + 1e-9);
	CHECK(ops->index_bytes(ix) < ops->total_bytes(ix));
	ops->destroy(ix);
	free(k), free(v);
	/* Bad parameters are refused with a message. */
	CHECK(param_set_parse(ops->params, "eps=-1", &cfg, err, sizeof err) != 0 ||
	      ops->create(&cfg, &env, err, sizeof err) == NULL);
	CHECK(param_set_parse(ops->params, "search=fast", &cfg, err, sizeof err) != 0 ||
	      ops->create(&cfg, &env, err, sizeof err) == NULL);
	test_context = NULL;
}

int main(void)
{
	static const uint64_t one[] = {5};
	static const uint64_t extremes[] = {0, 1, 2, UINT64_MAX - 1, UINT64_MAX};
	static const uint64_t max_only[] = {UINT64_MAX, UINT64_MAX, UINT64_MAX};
	RUN(check_all_eps("empty", NULL, 0));
	RUN(check_all_eps("one", one, 1));
	RUN(check_all_eps("extremes", extremes, 5));
	RUN(check_all_eps("max repeated", max_only, 3));

	size_t n = 200000;
	uint64_t *k = alloc_keys(n);

	for (size_t i = 0; i < n; i++)
		k[i] = rnd();
	qsort(k, n, sizeof *k, cmp_u64);
	RUN(check_all_eps("uniform 64-bit", k, n));

	for (size_t i = 0; i < n; i++) { /* lognormal-like: exp of a normal */
		double u1 = ((double)(rnd() >> 11) + 1) / 9007199254740993.0;
		double u2 = (double)(rnd() >> 11) / 9007199254740992.0;
		double z = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
		double x = exp(2.0 * z) * 1e9;
		k[i] = x >= 1.8e19 ? UINT64_MAX : (uint64_t)x;
	}
	qsort(k, n, sizeof *k, cmp_u64);
	RUN(check_all_eps("lognormal", k, n));

	for (size_t i = 0; i < n; i++) /* near 2^64, ends with UINT64_MAX */
		k[i] = UINT64_MAX - (n - 1 - i) * 3;
	RUN(check_all_eps("near 2^64", k, n));

	for (size_t i = 0; i < n; i++) /* random low bits just under 2^64 */
		k[i] = UINT64_MAX - (rnd() & 0xffffff);
	qsort(k, n, sizeof *k, cmp_u64);
	RUN(check_all_eps("random near 2^64 with dups", k, n));

	for (size_t i = 0; i < n; i++) /* very large gaps between dense runs */
		k[i] = (i < n / 2 ? 0 : (1ull << 63)) + (i % 1000) +
		       (i / 1000) * (1ull << 54);
	qsort(k, n, sizeof *k, cmp_u64);
	RUN(check_all_eps("huge gaps", k, n));

	for (size_t i = 0; i < n; i++) /* 0, then a jump to the top */
		k[i] = i < n - 1 ? i : UINT64_MAX;
	RUN(check_all_eps("dense then max", k, n));

	for (size_t i = 0; i < n; i++) /* duplicate runs of varying length */
		k[i] = (rnd() % 3000) * 1000;
	qsort(k, n, sizeof *k, cmp_u64);
	RUN(check_all_eps("duplicate runs", k, n));

	for (size_t i = 0; i < n; i++) /* runs of adjacent keys x, x+1 */
		k[i] = (i / 7) + (i / 50);
	RUN(check_all_eps("adjacent runs", k, n));

	for (size_t i = 0; i < n; i++) /* growing gaps: convex data */
		k[i] = (uint64_t)i * i * 1000;
	RUN(check_all_eps("quadratic", k, n));

	free(k);
	RUN(check_stats());
	TEST_MAIN_END();
}
