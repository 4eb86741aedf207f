/*
 * tests/test_learned2.c — model-level checks for rs and rmi that the shared
 * property tests cannot see: after every build, the search window each index
 * computes must hold the FIRST position of every present key and the lower
 * bound of absent keys next to them, on uniform, lognormal-like, clustered,
 * dense, near-2^64 and duplicate-heavy data; top=auto must respect budget=;
 * stats must agree with the windows.
 *
 * The windows are internal, so this program compiles its own copy of each
 * index (the exported ops renamed so they do not clash with the library's)
 * and calls the same prediction code the lookups use.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/props.h"
#include "tests/test.h"

#define rs_index rs_index_under_test
#include "indexes/rs.c"
#undef rs_index
#define rmi_index rmi_index_under_test
#define bit_width rmi_bit_width
#include "indexes/rmi.c"
#undef rmi_index
#undef bit_width

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint64_t rnd(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static size_t lower_bound(const uint64_t *k, size_t n, uint64_t key)
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

/* The window [lo, hi] (hi reachable as "past the window") of each index. */
static void rs_window(const struct rs *r, uint64_t key, size_t *lo, size_t *hi)
{
	if (key <= r->min || key > r->max) { /* answered without the spline */
		*lo = key <= r->min ? 0 : r->n;
		*hi = *lo;
		return;
	}
	size_t pred = rs_predict(r, key);
	*lo = pred > r->bound ? pred - r->bound : 0;
	*hi = r->n - pred > r->bound + 1 ? pred + r->bound + 1 : r->n;
}

static void rmi_window(const struct rmi *m, uint64_t key, size_t *lo,
		       size_t *hi)
{
	const struct rmi_leaf *leaf = &m->leaves[top_leaf(&m->top, key)];
	size_t pred = leaf_predict(leaf, key, m->n - 1);
	*lo = pred > leaf->bound ? pred - leaf->bound : 0;
	*hi = m->n - pred > leaf->bound + 1 ? pred + leaf->bound + 1 : m->n;
}

static const char *const specs[] = {
	"rs",
	"rs:err=1",
	"rs:err=4:radix_bits=1",
	"rs:err=256:radix_bits=24",
	"rmi",
	"rmi:top=linear",
	"rmi:top=robust_linear:branch=2^10",
	"rmi:top=linear_spline:branch=64",
	"rmi:top=cubic:branch=2^12",
	"rmi:top=radix:branch=2^14",
	"rmi:top=radix:branch=1000",
	"rmi:top=auto:budget=100000",
	NULL,
};

/* Every distinct key's first position, and the lower bounds of key - 1,
 * key + 1 and the middle of the gap to the next key, must lie in the window
 * the index computes for them. */
static void check_windows(const char *spec, const char *label,
			  const uint64_t *keys, size_t n)
{
	char err[256], ctx[160];
	snprintf(ctx, sizeof ctx, "%s %s n=%zu", spec, label, n);
	test_context = ctx;
	struct props_handle h;
	const struct index_ops *ops = strncmp(spec, "rmi", 3) ? &rs_index_under_test
							      : &rmi_index_under_test;
	/* Open through the registry to parse the spec, then rebuild with the
	 * local copy of the code on the same parameters. */
	if (props_open(spec, &h, err, sizeof err)) {
		fprintf(stderr, "%s: %s\n", spec, err);
		CHECK(0);
		return;
	}
	props_close(&h);
	struct param_set cfg;
	const char *colon = strchr(spec, ':');
	CHECK(param_set_parse(ops->params, colon ? colon + 1 : "", &cfg, err,
			      sizeof err) == 0);
	struct index_env env = {.dir = "/tmp", .threads = 1};
	void *ix = ops->create(&cfg, &env, err, sizeof err);
	CHECK(ix != NULL);
	if (!ix)
		return;
	uint64_t *vals = malloc((n ? n : 1) * sizeof *vals);
	if (!vals)
		exit(2);
	for (size_t i = 0; i < n; i++)
		vals[i] = i;
	CHECK(ops->bulk_load(ix, keys, vals, n, err, sizeof err) == 0);
	long bad = 0;
	for (size_t i = 0; i < n && bad < 5;) {
		size_t j = i + 1;
		while (j < n && keys[j] == keys[i])
			j++;
		/* the key, its neighbours, and the middle of the gap above */
		uint64_t gap = j < n ? keys[j] - keys[i] : 0;
		uint64_t probes[4] = {keys[i], keys[i] - 1, keys[i] + 1,
				      keys[i] + gap / 2};
		for (int p = 0; p < 4; p++) {
			uint64_t k = probes[p];
			if ((p == 1 && keys[i] == 0) ||
			    (p == 2 && keys[i] == UINT64_MAX) || (p == 3 && gap < 4))
				continue;
			size_t want = lower_bound(keys, n, k), lo, hi;
			if (ops == &rs_index_under_test)
				rs_window(ix, k, &lo, &hi);
			else
				rmi_window(ix, k, &lo, &hi);
			bool ok = lo <= want && want <= hi;
			CHECK(ok);
			if (!ok && ++bad <= 3)
				fprintf(stderr, "  key %llu: lower bound %zu "
					"outside [%zu, %zu]\n",
					(unsigned long long)k, want, lo, hi);
		}
		i = j;
	}
	struct index_stats st = {.mean_log2_err = -1, .max_err = -1};
	ops->stats(ix, &st);
	if (n) {
		CHECK(st.mean_log2_err >= 0);
		CHECK(st.max_err >= 0);
		CHECK(st.models >= 1);
	}
	CHECK(ops->index_bytes(ix) <= ops->total_bytes(ix));
	ops->destroy(ix);
	free(vals);
	/* And the ordinary get/scan properties through the registry. */
	props_check_dataset(spec, label, keys, n);
	test_context = NULL;
}

enum shape { UNIFORM, LOGNORMAL, CLUSTERED, DENSE, NEAR_MAX, DUPLICATES,
	     SHAPES };
static const char *const shape_names[] = {"uniform", "lognormal", "clustered",
					  "dense", "near-2^64", "duplicates"};

static uint64_t *make_keys(enum shape s, size_t n)
{
	uint64_t *k = malloc((n ? n : 1) * sizeof *k);
	if (!k)
		exit(2);
	for (size_t i = 0; i < n; i++) {
		switch (s) {
		case UNIFORM:
			k[i] = rnd();
			break;
		case LOGNORMAL: { /* exp of a Box-Muller normal, sigma 2 */
			double u1 = ((double)(rnd() >> 11) + 1) / 9007199254740993.0;
			double u2 = (double)(rnd() >> 11) / 9007199254740992.0;
			double z = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
			k[i] = (uint64_t)(exp(2 * z) * 1e9);
			break;
		}
		case CLUSTERED: /* 16 dense clusters far apart */
			k[i] = (rnd() % 16) * (UINT64_MAX / 16) + rnd() % (n * 4);
			break;
		case DENSE:
			k[i] = i;
			break;
		case NEAR_MAX:
			k[i] = UINT64_MAX - (uint64_t)(n - 1 - i) * 3;
			break;
		case DUPLICATES: /* runs of 1..64 copies, some long */
		default:
			k[i] = (rnd() % (n / 8 + 1)) * 1000;
			break;
		}
	}
	qsort(k, n, sizeof *k, cmp_u64);
	return k;
}

static void windows_on_shapes(void)
{
	static const size_t sizes[] = {0, 1, 2, 3, 100, 5000, 60000};
	for (int s = 0; s < SHAPES; s++)
		for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
			size_t n = sizes[z];
			uint64_t *k = make_keys((enum shape)s, n);
			for (int i = 0; specs[i]; i++)
				check_windows(specs[i], shape_names[s], k, n);
			free(k);
		}
}

/* Degenerate data: all keys equal, keys 0 and UINT64_MAX only, and a single
 * huge duplicate run inside uniform data. */
static void windows_on_corner_cases(void)
{
	size_t n = 3000;
	uint64_t *k = malloc(n * sizeof *k);
	if (!k)
		exit(2);
	for (size_t i = 0; i < n; i++)
		k[i] = 42;
	for (int i = 0; specs[i]; i++)
		check_windows(specs[i], "all equal", k, n);
	for (size_t i = 0; i < n; i++)
		k[i] = i < n / 2 ? 0 : UINT64_MAX;
	for (int i = 0; specs[i]; i++)
		check_windows(specs[i], "0 and max", k, n);
	for (size_t i = 0; i < n; i++)
		k[i] = i < n / 3 || i > 2 * n / 3 ? rnd() : 1ull << 63;
	qsort(k, n, sizeof *k, cmp_u64);
	for (int i = 0; specs[i]; i++)
		check_windows(specs[i], "long run", k, n);
	free(k);
}

/* top=auto never builds a structure larger than its budget. */
static void auto_respects_budget(void)
{
	static const char *const budgets[] = {"3000", "100000", "1M", "4M"};
	for (int s = 0; s < SHAPES; s++) {
		size_t n = 300000;
		uint64_t *k = make_keys((enum shape)s, n);
		uint64_t *v = malloc(n * sizeof *v);
		if (!v)
			exit(2);
		for (size_t i = 0; i < n; i++)
			v[i] = i;
		for (size_t b = 0; b < sizeof budgets / sizeof *budgets; b++) {
			char spec[64], err[256];
			snprintf(spec, sizeof spec, "rmi:top=auto:budget=%s",
				 budgets[b]);
			test_context = spec;
			struct props_handle h;
			CHECK(props_open(spec, &h, err, sizeof err) == 0);
			if (!h.ix)
				continue;
			CHECK(h.ops->bulk_load(h.ix, k, v, n, err, sizeof err) == 0);
			uint64_t limit;
			CHECK(parse_u64(budgets[b], &limit) == 0);
			CHECK(h.ops->index_bytes(h.ix) <= limit);
			uint64_t got;
			CHECK(h.ops->get(h.ix, k[n / 2], &got) &&
			      got == lower_bound(k, n, k[n / 2]));
			props_close(&h);
		}
		free(k);
		free(v);
	}
	/* A budget below the smallest RMI is refused at create, clearly. */
	struct props_handle h;
	char err[256] = "";
	CHECK(props_open("rmi:top=auto:budget=100", &h, err, sizeof err) != 0);
	CHECK(strstr(err, "budget") != NULL);
	test_context = NULL;
}

/* Bad parameters are refused with a message naming them. */
static void bad_parameters(void)
{
	static const char *const bad[] = {"rs:err=0", "rs:radix_bits=31",
					  "rs:search=magic", "rmi:branch=32",
					  "rmi:branch=2^25", "rmi:top=quadratic",
					  NULL};
	for (int i = 0; bad[i]; i++) {
		struct props_handle h;
		char err[256] = "";
		test_context = bad[i];
		CHECK(props_open(bad[i], &h, err, sizeof err) != 0);
		CHECK(err[0] != 0);
	}
	test_context = NULL;
}

int main(void)
{
	RUN(windows_on_shapes());
	RUN(windows_on_corner_cases());
	RUN(auto_respects_budget());
	RUN(bad_parameters());
	TEST_MAIN_END();
}
