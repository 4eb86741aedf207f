/*
 * tests/test_harness.c — the harness's own parts: parameters, histograms,
 * data set files (good and bad), generators (SOSD definitions,
 * determinism), and every workload's expected answers, checked by replaying
 * the stream on a brute-force reference map.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datasets/dataset.h"
#include "harness/hist.h"
#include "common/params.h"
#include "tests/test.h"
#include "workloads/workload.h"
#include "indexes/index.h"
#include "harness/runner.h"
#include "harness/sweep.h"

static char tmpdir[256];

static void test_params(void)
{
	static const struct param_def defs[] = {
		{"eps", "64", ""}, {"mode", "a", ""}, {"f", "0.5", ""}, {NULL, NULL, NULL}};
	struct param_set s;
	char err[256];
	uint64_t v;
	double d;
	int c;
	static const char *const choices[] = {"a", "b", NULL};
	CHECK(param_set_parse(defs, "", &s, err, sizeof err) == 0);
	CHECK(param_u64(&s, "eps", 1, 100, &v, err, sizeof err) == 0 && v == 64);
	CHECK(param_set_parse(defs, "eps=2^10:mode=b", &s, err, sizeof err) == 0);
	CHECK(param_u64(&s, "eps", 1, 10000, &v, err, sizeof err) == 0 && v == 1024);
	CHECK(param_choice(&s, "mode", choices, &c, err, sizeof err) == 0 && c == 1);
	CHECK(param_set_parse(defs, "bogus=1", &s, err, sizeof err) == -1);
	CHECK(strstr(err, "unknown parameter 'bogus'") != NULL);
	CHECK(param_set_parse(defs, "eps", &s, err, sizeof err) == -1);
	CHECK(param_set_parse(defs, "eps=", &s, err, sizeof err) == -1);
	CHECK(param_set_parse(defs, "eps=12x", &s, err, sizeof err) == 0);
	CHECK(param_u64(&s, "eps", 1, 100, &v, err, sizeof err) == -1);
	CHECK(param_set_parse(defs, "eps=-3", &s, err, sizeof err) == 0);
	CHECK(param_u64(&s, "eps", 0, 100, &v, err, sizeof err) == -1);
	CHECK(param_set_parse(defs, "eps=1000", &s, err, sizeof err) == 0);
	CHECK(param_u64(&s, "eps", 1, 100, &v, err, sizeof err) == -1);
	CHECK(strstr(err, "out of range") != NULL);
	CHECK(param_set_parse(defs, "f=nan", &s, err, sizeof err) == 0);
	CHECK(param_double(&s, "f", 0, 1, &d, err, sizeof err) == -1);
	CHECK(param_set_parse(defs, "mode=c", &s, err, sizeof err) == 0);
	CHECK(param_choice(&s, "mode", choices, &c, err, sizeof err) == -1);
	CHECK(parse_u64("10M", &v) == 0 && v == 10000000);
	CHECK(parse_u64("18446744073709551615", &v) == 0 && v == UINT64_MAX);
	CHECK(parse_u64("18446744073709551616", &v) == -1);
	CHECK(parse_u64("2^64", &v) == -1);
	CHECK(parse_u64("20000000000G", &v) == -1);
	char buf[128];
	CHECK(param_set_parse(defs, "f=0.25", &s, err, sizeof err) == 0);
	param_set_format(&s, buf, sizeof buf);
	CHECK(!strcmp(buf, "eps=64:mode=a:f=0.25"));
}

/* B8: N^E without division by zero or a loop over E; B13: a parameter
 * given twice is an error, not a silent last-wins. */
static void test_count_syntax_and_repeats(void)
{
	uint64_t v = 7;
	CHECK(parse_u64("0^5", &v) == 0 && v == 0);
	CHECK(parse_u64("0^0", &v) == 0 && v == 1);
	CHECK(parse_u64("1^99999999999", &v) == 0 && v == 1);
	CHECK(parse_u64("1^18446744073709551615", &v) == 0 && v == 1);
	CHECK(parse_u64("2^0", &v) == 0 && v == 1);
	CHECK(parse_u64("2^63", &v) == 0 && v == 1ull << 63);
	CHECK(parse_u64("2^64", &v) == -1);
	CHECK(parse_u64("2^18446744073709551615", &v) == -1);
	CHECK(parse_u64("3^40", &v) == 0 && v == 12157665459056928801ull);
	CHECK(parse_u64("3^41", &v) == -1);
	CHECK(parse_u64("10^19", &v) == 0 && v == 10000000000000000000ull);
	CHECK(parse_u64("10^20", &v) == -1);
	CHECK(parse_u64("2^-1", &v) == -1);
	CHECK(parse_u64("2^", &v) == -1);

	static const struct param_def defs[] = {
		{"eps", "64", ""}, {"eps_rec", "4", ""}, {NULL, NULL, NULL}};
	struct param_set s;
	char err[256];
	CHECK(param_set_parse(defs, "eps=16:eps=32", &s, err, sizeof err) == -1);
	CHECK(strstr(err, "'eps' given twice") != NULL);
	CHECK(param_set_parse(defs, "eps=16:eps_rec=8", &s, err, sizeof err) == 0);
	CHECK(param_set_parse(defs, "eps_rec=8::eps=16", &s, err, sizeof err) == 0);
	/* a long bad name is shortened, so the reason stays on the line */
	char spec[900];
	memset(spec, 'x', sizeof spec - 3);
	strcpy(spec + sizeof spec - 3, "=1");
	CHECK(param_set_parse(defs, spec, &s, err, sizeof err) == -1);
	CHECK(strstr(err, "(accepted: eps, eps_rec)") != NULL);
}

static void test_hist(void)
{
	static struct hist h;
	hist_reset(&h);
	for (uint64_t v = 1; v <= 10000; v++)
		hist_add(&h, v);
	double p50 = hist_quantile(&h, 0.5), p99 = hist_quantile(&h, 0.99);
	CHECK(fabs(p50 - 5000) / 5000 < 0.02);
	CHECK(fabs(p99 - 9900) / 9900 < 0.02);
	CHECK(hist_quantile(&h, 1.0) <= 10000);
	CHECK(h.max == 10000 && h.count == 10000);
	hist_reset(&h);
	hist_add(&h, UINT64_MAX);
	CHECK(hist_quantile(&h, 0.5) <= (double)UINT64_MAX);
}

static void write_bytes(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(p, 1, n, f);
		fclose(f);
	}
}

static void test_dataset_files(void)
{
	char path[512], err[1200];
	struct dataset d;
	uint64_t keys[5] = {0, 3, 3, 9, UINT64_MAX};
	snprintf(path, sizeof path, "%s/good_uint64", tmpdir);
	CHECK(dataset_write(path, keys, 5, 64, err, sizeof err) == 0);
	CHECK(dataset_open(path, &d, err, sizeof err) == 0);
	CHECK(d.n == 5 && d.n_dups == 1 && d.keys[4] == UINT64_MAX && d.vals[3] == 3);
	dataset_close(&d);
	/* 32-bit */
	uint64_t k32[3] = {1, 2, UINT32_MAX};
	snprintf(path, sizeof path, "%s/small_uint32", tmpdir);
	CHECK(dataset_write(path, k32, 3, 32, err, sizeof err) == 0);
	CHECK(dataset_open(path, &d, err, sizeof err) == 0);
	CHECK(d.n == 3 && d.width == 32 && d.keys[2] == UINT32_MAX);
	dataset_close(&d);
	CHECK(dataset_write(path, keys, 5, 32, err, sizeof err) == -1);
	/* missing */
	snprintf(path, sizeof path, "%s/missing_uint64", tmpdir);
	CHECK(dataset_open(path, &d, err, sizeof err) == -1);
	/* truncated: header says 5, file holds 4 */
	uint64_t buf[6] = {5, 1, 2, 3, 4, 5};
	snprintf(path, sizeof path, "%s/trunc_uint64", tmpdir);
	write_bytes(path, buf, 5 * 8);
	CHECK(dataset_open(path, &d, err, sizeof err) == -1);
	CHECK(strstr(err, "truncated") != NULL && strstr(err, path) != NULL);
	/* wrong header */
	buf[0] = 1000;
	snprintf(path, sizeof path, "%s/header_uint64", tmpdir);
	write_bytes(path, buf, 6 * 8);
	CHECK(dataset_open(path, &d, err, sizeof err) == -1);
	buf[0] = UINT64_MAX;
	write_bytes(path, buf, 6 * 8);
	CHECK(dataset_open(path, &d, err, sizeof err) == -1);
	/* shorter than a header, and a partial key */
	write_bytes(path, buf, 3);
	CHECK(dataset_open(path, &d, err, sizeof err) == -1);
	buf[0] = 5;
	write_bytes(path, buf, 6 * 8 - 3);
	CHECK(dataset_open(path, &d, err, sizeof err) == -1);
	/* unsorted */
	uint64_t uns[4] = {3, 1, 5, 2};
	snprintf(path, sizeof path, "%s/unsorted_uint64", tmpdir);
	write_bytes(path, uns, sizeof uns);
	CHECK(dataset_open(path, &d, err, sizeof err) == -1);
	CHECK(strstr(err, "not sorted") != NULL);
	/* empty data set is fine */
	uint64_t zero = 0;
	snprintf(path, sizeof path, "%s/empty_uint64", tmpdir);
	write_bytes(path, &zero, 8);
	CHECK(dataset_open(path, &d, err, sizeof err) == 0 && d.n == 0);
	dataset_close(&d);
	/* lookup by name under $OMENBENCH_DATASETS */
	setenv("OMENBENCH_DATASETS", tmpdir, 1);
	CHECK(dataset_open("good", &d, err, sizeof err) == 0 && d.n == 5);
	dataset_close(&d);
	CHECK(dataset_open("small", &d, err, sizeof err) == 0 && d.width == 32);
	dataset_close(&d);
	unsetenv("OMENBENCH_DATASETS");
}

static uint64_t *generate(const char *name, const char *params, size_t n, int width,
			  uint64_t seed)
{
	const struct generator *g = generator_find(name);
	struct param_set ps;
	char err[256];
	uint64_t *k = malloc(n * sizeof *k);
	if (!g || !k || param_set_parse(g->params, params, &ps, err, sizeof err) ||
	    g->generate(&ps, k, n, width, seed, err, sizeof err)) {
		free(k);
		return NULL;
	}
	return k;
}

static int sorted(const uint64_t *k, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (k[i] < k[i - 1])
			return 0;
	return 1;
}

static void test_generators(void)
{
	CHECK(fabs(inverse_normal_cdf(0.975) - 1.959963984540054) < 1e-12);
	CHECK(fabs(inverse_normal_cdf(1e-10) + 6.361340902404056) < 1e-9);
	CHECK(inverse_normal_cdf(0.5) == 0 || fabs(inverse_normal_cdf(0.5)) < 1e-15);
	size_t n = 100000;
	uint64_t *a = generate("uden", "", n, 64, 1);
	CHECK(a && a[0] == 42 && a[n - 1] == n + 41);
	free(a);
	for (int g = 0; g < 8; g++) {
		const struct generator *gen = generator_registry[g];
		if (!gen)
			break;
		uint64_t *x = generate(gen->name, "", n, 64, 7);
		uint64_t *y = generate(gen->name, "", n, 64, 7);
		CHECK(x && y && !memcmp(x, y, n * sizeof *x)); /* deterministic */
		CHECK(x && sorted(x, n));
		free(x), free(y);
	}
	a = generate("uspr", "", n, 64, 1);
	uint64_t *b = generate("uspr", "", n, 64, 2);
	CHECK(a && b && memcmp(a, b, n * 8)); /* the seed matters */
	int distinct = 1;
	for (size_t i = 1; a && i < n; i++)
		distinct &= a[i] != a[i - 1];
	CHECK(distinct);
	free(a), free(b);
	a = generate("logn", "", n, 64, 1);
	CHECK(a && a[0] == 0 && a[n - 1] == (uint64_t)INT64_MAX);
	/* lognormal: the median key sits far below the middle of the range */
	CHECK(a && a[n / 2] < (uint64_t)INT64_MAX / 1000);
	free(a);
	a = generate("norm", "", n, 32, 1);
	CHECK(a && a[0] == 0 && a[n - 1] == UINT32_MAX);
	CHECK(a && a[n / 2] > UINT32_MAX / 2 - UINT32_MAX / 100 && a[n / 2] < UINT32_MAX / 2 + UINT32_MAX / 100);
	free(a);
	a = generate("ts_dups", "", n, 64, 1);
	size_t dups = 0;
	for (size_t i = 1; a && i < n; i++)
		dups += a[i] == a[i - 1];
	CHECK(a && a[0] == 1577836800000000000ull && dups > n / 40 && dups < n / 10);
	free(a);
	CHECK(generate("ts", "jitter=2", 10, 64, 1) == NULL);
	CHECK(generate("ts", "", 10, 32, 1) == NULL);
	char buf[32];
	format_count(10000000, buf, sizeof buf);
	CHECK(!strcmp(buf, "10M"));
	format_count(1234, buf, sizeof buf);
	CHECK(!strcmp(buf, "1234"));
}

/* ---- workloads: replay on a brute-force map ------------------------------- */

struct refmap {
	uint64_t *k, *v;
	size_t n;
};

static size_t ref_lb(const struct refmap *m, uint64_t key)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->k[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void ref_put(struct refmap *m, uint64_t key, uint64_t val)
{
	size_t p = ref_lb(m, key);
	if (p < m->n && m->k[p] == key) {
		m->v[p] = val;
		return;
	}
	memmove(m->k + p + 1, m->k + p, (m->n - p) * 8);
	memmove(m->v + p + 1, m->v + p, (m->n - p) * 8);
	m->k[p] = key;
	m->v[p] = val;
	m->n++;
}

/* Replays s against the reference; returns how many expectations differ. */
static size_t replay(const struct op_stream *s, size_t cap)
{
	struct refmap m = {malloc((cap + 1) * 8), malloc((cap + 1) * 8), 0};
	if (!m.k || !m.v)
		return (size_t)-1;
	for (size_t i = 0; i < s->n_load; i++) {
		m.k[i] = s->load_keys[i];
		m.v[i] = s->load_vals[i];
	}
	m.n = s->n_load;
	for (size_t i = 0; i < s->n_setup; i++)
		ref_put(&m, s->setup_keys[i], s->setup_vals[i]);
	size_t bad = 0;
	size_t T = s->n_slices ? s->n_slices : 1;
	for (size_t t = 0; t < T; t++) {
		size_t from = s->n_slices ? s->slice[t] : 0, to = s->n_slices ? s->slice[t + 1] : s->n;
		for (size_t i = from; i < to; i++) {
			int type = s->type ? s->type[i] : OP_GET;
			uint64_t key = s->key[i];
			if (type == OP_GET || type == OP_RMW) {
				size_t p = ref_lb(&m, key);
				int f = p < m.n && m.k[p] == key;
				if ((uint32_t)f != s->want_n[i] || (f && m.v[p] != s->want[i]))
					bad++;
			}
			if (type == OP_SCAN) {
				size_t p = ref_lb(&m, key), c = 0;
				uint64_t sum = 0;
				uint64_t hi = s->hi ? s->hi[i] : UINT64_MAX;
				for (; p < m.n && c < s->arg[i] && m.k[p] <= hi; p++, c++)
					sum += m.v[p];
				if (c != s->want_n[i] || sum != s->want[i])
					bad++;
			}
			if (type == OP_INSERT || type == OP_UPDATE || type == OP_RMW)
				ref_put(&m, key, s->arg[i]);
		}
	}
	if (s->final_keys) {
		bad += m.n != s->n_final;
		for (size_t i = 0; i < m.n && i < s->n_final; i++)
			bad += m.k[i] != s->final_keys[i] || m.v[i] != s->final_vals[i];
	}
	free(m.k), free(m.v);
	return bad;
}

/* Generates n keys of generator gen, writes them as tmpdir/FILE_uint64 and
 * opens that data set in d. */
static void open_generated(const char *gen, size_t n, uint64_t seed, const char *file,
			   struct dataset *d)
{
	char path[512], err[1200];
	uint64_t *keys = generate(gen, "", n, 64, seed);
	snprintf(path, sizeof path, "%s/%s_uint64", tmpdir, file);
	CHECK(keys && dataset_write(path, keys, n, 64, err, sizeof err) == 0);
	free(keys);
	CHECK(dataset_open(path, d, err, sizeof err) == 0);
}

/* seq-ooo's late arrivals are late only: every insert is either a new
 * maximum or overtaken by at most lag= keys that arrived before it, and
 * about ooo= of them are late (a swap would also send keys from the
 * future, making every key it jumps over late too). */
static void test_late_arrivals(void)
{
	char err[1200];
	struct dataset d;
	open_generated("uspr", 20000, 5, "ooo", &d);
	test_context = "seq-ooo late arrivals";
	const struct workload *w = workload_find("seq-ooo");
	struct param_set ps;
	CHECK(w && param_set_parse(w->params, "read=0:ooo=0.05:lag=20", &ps, err, sizeof err) == 0);
	struct workload_input in = {.data = &d, .ops = 10000, .seed = 3, .threads = 1};
	struct op_stream s = {0};
	CHECK(w && w->generate(&ps, &in, &s, err, sizeof err) == 0);
	uint64_t *seen = malloc((s.n + 1) * sizeof *seen);
	size_t inserts = 0, late = 0, overtaken_max = 0;
	uint64_t max = s.n_load ? s.load_keys[s.n_load - 1] : 0;
	for (size_t i = 0; seen && i < s.n; i++) {
		if (!s.type || s.type[i] != OP_INSERT)
			continue;
		uint64_t k = s.key[i];
		if (k < max) {
			size_t over = 0;
			for (size_t j = 0; j < inserts; j++)
				over += seen[j] > k;
			late++;
			if (over > overtaken_max)
				overtaken_max = over;
		} else {
			max = k;
		}
		seen[inserts++] = k;
	}
	CHECK(inserts > 5000);
	CHECK(overtaken_max <= 20);
	CHECK(late > inserts / 50 && late < inserts / 10);
	free(seen);
	op_stream_free(&s);
	dataset_close(&d);
}

/* point-grown: a random half bulk-loaded in key order, the other half
 * inserted before timing, every lookup's expectation consistent with that
 * (replayed); on a data set with duplicates, each distinct key once. */
static void test_point_grown(void)
{
	char err[1200];
	size_t n = 5000;
	struct dataset d;
	open_generated("uspr", n, 11, "grown", &d);
	test_context = "point-grown";
	const struct workload *w = workload_find("point-grown");
	struct param_set ps;
	CHECK(w && (w->needs & IX_CAP_INSERT));
	CHECK(w && param_set_parse(w->params, "load=0.3:neg=0.2", &ps, err, sizeof err) == 0);
	struct workload_input in = {.data = &d, .ops = 4000, .seed = 2, .threads = 1};
	struct op_stream s = {0};
	CHECK(w && w->generate(&ps, &in, &s, err, sizeof err) == 0);
	CHECK(s.n_load == 1500 && s.n_setup == 3500 && s.n == 4000);
	int sorted = 1;
	for (size_t i = 1; i < s.n_load; i++)
		sorted &= s.load_keys[i - 1] < s.load_keys[i];
	CHECK(sorted);
	CHECK(replay(&s, n + 1) == 0);
	op_stream_free(&s);
	dataset_close(&d);

	/* duplicates: each distinct key once, with its first row's value */
	open_generated("ts_dups", n, 3, "grown_dups", &d);
	CHECK(d.n_dups > 0);
	CHECK(w && param_set_parse(w->params, "", &ps, err, sizeof err) == 0);
	memset(&s, 0, sizeof s);
	CHECK(w && w->generate(&ps, &in, &s, err, sizeof err) == 0);
	CHECK(!s.load_has_dups && s.n_load + s.n_setup == d.n - d.n_dups);
	int first_rows = 1;
	for (size_t i = 0; i < s.n_load; i++)
		first_rows &= s.load_vals[i] == 0 || d.keys[s.load_vals[i] - 1] != s.load_keys[i];
	for (size_t i = 0; i < s.n_setup; i++)
		first_rows &= s.setup_vals[i] == 0 || d.keys[s.setup_vals[i] - 1] != s.setup_keys[i];
	CHECK(first_rows);
	CHECK(replay(&s, n + 1) == 0);
	op_stream_free(&s);
	dataset_close(&d);
}

static void test_workloads(void)
{
	char err[1200];
	struct dataset d;
	open_generated("ts_dups", 6000, 3, "wl", &d);
	char path[512];
	static const char *const specs[] = {
		"point", "point:neg=0.3", "point:dist=zipf", "point:dist=latest",
		"point:dist=hotspot:neg=0.1", "point:batch=16", "range", "range:len=7:neg=0.5",
		"range:span=0.01", "seq-lookup", "seq-lookup:order=ascending",
		"insert", "insert:load=0", "mixed:read=0", "mixed:read=50", "mixed:read=90",
		"mixed:read=100", "seq-append", "seq-ooo", "seq-ooo:ooo=0.5:lag=5",
		"ycsb-a", "ycsb-b", "ycsb-c", "ycsb-d", "ycsb-e", "ycsb-f", NULL};
	for (int i = 0; specs[i]; i++) {
		for (int threads = 1; threads <= 3; threads += 2) {
			char name[64], ctx[128];
			snprintf(ctx, sizeof ctx, "workload %s threads %d", specs[i], threads);
			test_context = ctx;
			snprintf(name, sizeof name, "%s", specs[i]);
			char *colon = strchr(name, ':');
			if (colon)
				*colon = 0;
			const struct workload *w = workload_find(name);
			CHECK(w != NULL);
			if (!w)
				continue;
			struct param_set ps;
			CHECK(param_set_parse(w->params, colon ? colon + 1 : "", &ps, err, sizeof err) == 0);
			struct workload_input in = {.data = &d, .ops = 3000, .seed = 9, .threads = threads};
			struct op_stream a = {0}, b = {0};
			int rc = w->generate(&ps, &in, &a, err, sizeof err);
			if (rc && threads > 1 && strstr(err, "scans under concurrent writes")) {
				continue; /* refused with a reason, as designed */
			}
			CHECK(rc == 0);
			if (rc) {
				fprintf(stderr, "  %s: %s\n", ctx, err);
				continue;
			}
			CHECK(a.n > 0);
			CHECK(w->generate(&ps, &in, &b, err, sizeof err) == 0);
			/* deterministic: byte-identical streams */
			CHECK(a.n == b.n && !memcmp(a.key, b.key, a.n * 8) &&
			      !memcmp(a.want, b.want, a.n * 8));
			CHECK(replay(&a, d.n + a.n) == 0);
			/* negative control: the replay notices one wrong expectation */
			size_t j = a.n / 2;
			while (j < a.n && a.type && (a.type[j] == OP_INSERT || a.type[j] == OP_UPDATE))
				j++;
			if (j < a.n) {
				a.want_n[j] ^= 1;
				a.want[j] ^= 1;
				CHECK(replay(&a, d.n + a.n) > 0);
			}
			op_stream_free(&a);
			op_stream_free(&b);
		}
	}
	test_context = NULL;
	/* a different seed gives a different stream */
	const struct workload *w = workload_find("point");
	struct param_set ps;
	param_set_parse(w->params, "", &ps, err, sizeof err);
	struct workload_input in1 = {.data = &d, .ops = 100, .seed = 1, .threads = 1};
	struct workload_input in2 = {.data = &d, .ops = 100, .seed = 2, .threads = 1};
	struct op_stream a = {0}, b = {0};
	CHECK(w->generate(&ps, &in1, &a, err, sizeof err) == 0);
	CHECK(w->generate(&ps, &in2, &b, err, sizeof err) == 0);
	CHECK(memcmp(a.key, b.key, 100 * 8) != 0);
	op_stream_free(&a);
	op_stream_free(&b);
	dataset_close(&d);
	/* an empty data set: a clear error, not a crash */
	uint64_t zero = 0;
	snprintf(path, sizeof path, "%s/empty2_uint64", tmpdir);
	write_bytes(path, &zero, 8);
	CHECK(dataset_open(path, &d, err, sizeof err) == 0);
	struct workload_input in0 = {.data = &d, .ops = 10, .seed = 1, .threads = 1};
	CHECK(w->generate(&ps, &in0, &a, err, sizeof err) == -1);
	const struct workload *mixed = workload_find("mixed");
	param_set_parse(mixed->params, "", &ps, err, sizeof err);
	/* a write workload too, as the read ones: no row of nothing measured */
	CHECK(mixed->generate(&ps, &in0, &a, err, sizeof err) == -1);
	CHECK(strstr(err, "empty data set") != NULL);
	op_stream_free(&a);
	dataset_close(&d);
}


/* An index whose reads fail, as an engine's would on an I/O error: get has
 * no error channel, answers "absent" and keeps the reason.  The runner must
 * fail the run with that reason (outcome 2), not report wrong answers (1). */
struct failing_reader {
	bool fail;
	char error[64];
};

static void *reader_create(bool fail, char *err, size_t errlen)
{
	struct failing_reader *f = calloc(1, sizeof *f);
	if (!f)
		ix_error(err, errlen, "out of memory");
	else
		f->fail = fail;
	return f;
}

static void *failing_create(const struct param_set *cfg, const struct index_env *env,
			    char *err, size_t errlen)
{
	(void)cfg, (void)env;
	return reader_create(true, err, errlen);
}

/* Reads nothing and says nothing: its misses are wrong answers. */
static void *silent_create(const struct param_set *cfg, const struct index_env *env,
			   char *err, size_t errlen)
{
	(void)cfg, (void)env;
	return reader_create(false, err, errlen);
}

static int failing_load(void *ix, const uint64_t *keys, const uint64_t *vals, size_t n,
			char *err, size_t errlen)
{
	(void)ix, (void)keys, (void)vals, (void)n, (void)err, (void)errlen;
	return 0;
}

static bool failing_get(void *ix, uint64_t key, uint64_t *val)
{
	struct failing_reader *f = ix;
	(void)key, (void)val;
	if (f->fail)
		snprintf(f->error, sizeof f->error, "disk on fire");
	return false;
}

static size_t failing_bytes(void *ix)
{
	(void)ix;
	return 0;
}

static const char *failing_read_error(void *ix)
{
	return ((struct failing_reader *)ix)->error;
}

static void test_read_errors(void)
{
	char err[1200];
	static const struct param_def no_params[] = {{NULL, NULL, NULL}};
	struct index_ops ops = {
		.name = "failing_reader", .family = "baseline", .description = "test",
		.params = no_params, .create = silent_create, .bulk_load = failing_load,
		.get = failing_get, .index_bytes = failing_bytes, .total_bytes = failing_bytes,
		.read_error = failing_read_error, .destroy = free,
	};
	struct dataset d;
	open_generated("uspr", 1000, 4, "read_errors", &d);
	test_context = "read errors";
	const struct workload *w = workload_find("point");
	struct param_set wp, ip;
	CHECK(w && param_set_parse(w->params, "", &wp, err, sizeof err) == 0);
	CHECK(param_set_parse(no_params, "", &ip, err, sizeof err) == 0);
	struct workload_input in = {.data = &d, .ops = 200, .seed = 1, .threads = 1};
	struct op_stream s = {0};
	CHECK(w && w->generate(&wp, &in, &s, err, sizeof err) == 0);
	struct timer_info timer;
	timer_init(&timer, true);
	struct run_config cfg = {.timer = &timer, .modes = MODE_BATCH, .reps = 1,
				 .threads = 1, .dir = tmpdir, .quiet = true};
	struct run_target t = {.data = &d, .ops = &ops, .iparams = &ip, .wl = w,
			       .wparams = &wp, .stream = &s};
	/* Without a recorded error, "absent" is a wrong answer... */
	CHECK(run_index(&cfg, &t) == 1);
	/* ...with one, the run fails and says why. */
	ops.create = failing_create;
	CHECK(run_index(&cfg, &t) == 2);
	op_stream_free(&s);
	dataset_close(&d);
}

/* run's list syntax (harness/sweep.c): doubling ranges and slash lists
 * multiply out, selectors expand from the registry, and bad input is an
 * error with its reason. */
static void test_sweeps(void)
{
	struct spec_list l = {0};
	char err[256];
	CHECK(parse_list("pgm:eps=16..64", &l, err, sizeof err) == 0);
	CHECK(l.n == 3 && !strcmp(l.item[0], "pgm:eps=16") && !strcmp(l.item[2], "pgm:eps=64"));
	spec_list_free(&l);
	CHECK(parse_list("x:a=1/2:b=3..6,y", &l, err, sizeof err) == 0);
	CHECK(l.n == 5 && !strcmp(l.item[0], "x:a=1:b=3") && !strcmp(l.item[1], "x:a=1:b=6") &&
	      !strcmp(l.item[3], "x:a=2:b=6") && !strcmp(l.item[4], "y"));
	spec_list_free(&l);
	CHECK(parse_list("x:a=8..4", &l, err, sizeof err) == -1 && strstr(err, "bad sweep"));
	spec_list_free(&l);
	CHECK(parse_list(",", &l, err, sizeof err) == -1 && strstr(err, "empty list"));
	spec_list_free(&l);
	CHECK(parse_list("x:a=1..2^30:b=1..2^30", &l, err, sizeof err) == -1 &&
	      strstr(err, "too many configurations"));
	spec_list_free(&l);
	char name[64];
	const char *params;
	split_name("pgm:eps=16:x=1", name, sizeof name, &params);
	CHECK(!strcmp(name, "pgm") && !strcmp(params, "eps=16:x=1"));
	split_name("btree", name, sizeof name, &params);
	CHECK(!strcmp(name, "btree") && !strcmp(params, ""));
	int n_indexes = 0;
	while (index_registry[n_indexes])
		n_indexes++;
	CHECK(expand_index_list("all", NULL, false, &l, err, sizeof err) == 0 && l.n == n_indexes);
	spec_list_free(&l);
	CHECK(expand_index_list("all", "all", false, &l, err, sizeof err) == -1 &&
	      strstr(err, "left no index"));
	spec_list_free(&l);
	CHECK(expand_index_list("btree", "nosuchindex", false, &l, err, sizeof err) == -1 &&
	      strstr(err, "--exclude"));
	spec_list_free(&l);
	/* a sweep point equal to the defaults runs once, however it is spelt */
	CHECK(expand_index_list("tsli", NULL, true, &l, err, sizeof err) == 0 && l.n == 5 &&
	      !strcmp(l.item[0], "tsli") && !strcmp(l.item[1], "tsli:eps=16") &&
	      !strcmp(l.item[2], "tsli:eps=64"));
	spec_list_free(&l);
	CHECK(expand_index_list("pgm,pgm:eps=64:eps_rec=4,pgm:eps=16", NULL, false, &l, err,
				sizeof err) == 0 && l.n == 2 && !strcmp(l.item[1], "pgm:eps=16"));
	spec_list_free(&l);
	CHECK(expand_index_list("pgm:eps=16", NULL, false, &l, err, sizeof err) == 0 && l.n == 1);
	spec_list_free(&l);
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/omenbench-harness-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	RUN(test_params());
	RUN(test_count_syntax_and_repeats());
	RUN(test_sweeps());
	RUN(test_hist());
	RUN(test_dataset_files());
	RUN(test_generators());
	RUN(test_workloads());
	RUN(test_late_arrivals());
	RUN(test_point_grown());
	RUN(test_read_errors());
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	TEST_MAIN_END();
}
