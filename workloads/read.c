/*
 * workloads/read.c — read-only workloads over the whole data set:
 *   point       point lookups; key distribution uniform, zipf (YCSB's
 *               scrambled zipfian), latest (zipfian from the largest keys:
 *               recent timestamps) or hotspot; `neg=` fraction of absent
 *               keys drawn from the gaps between present keys; `batch=k`
 *               hands the runner k lookups at a time (get_batch).
 *   range       scans of `len=` entries from a drawn key, or with `span=` all
 *               keys in [lo, lo + span * key range].
 *   seq-lookup  lookups meant for time-series data sets, in random or in
 *               ascending (time) order.
 *   point-grown point lookups on an index grown by inserts: `load=` of the
 *               keys bulk-loaded, the rest inserted one by one in random
 *               order before anything is timed (what lookups cost after
 *               the inserts of a write workload, e.g. ALEX's retrained and
 *               split nodes against a B-tree's half-full ones).
 * The data set is bulk-loaded as is (point-grown: part of it, the rest
 * inserted); values are row positions, so every expected answer follows
 * from the sorted array.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexes/index.h"
#include "workloads/wl_common.h"

#define DEFAULT_OPS 1000000

static const char *const dist_names[] = {"uniform", "zipf", "latest", "hotspot", NULL};
enum { DIST_UNIFORM, DIST_ZIPF, DIST_LATEST, DIST_HOTSPOT };

struct key_chooser {
	int dist;
	struct zipf z;
	size_t hot_lo, hot_n;
	double hot_ops;
};

static int chooser_init(struct key_chooser *c, const struct param_set *p,
			const struct dataset *d, struct rng *r, char *err,
			size_t errlen)
{
	double theta, hot;
	memset(c, 0, sizeof *c);
	if (param_choice(p, "dist", dist_names, &c->dist, err, errlen) ||
	    param_double(p, "theta", 0.01, 0.999, &theta, err, errlen) ||
	    param_double(p, "hot", 0.0001, 1, &hot, err, errlen) ||
	    param_double(p, "hot_ops", 0, 1, &c->hot_ops, err, errlen))
		return -1;
	if ((c->dist == DIST_ZIPF || c->dist == DIST_LATEST) &&
	    zipf_init(&c->z, d->n, theta)) {
		snprintf(err, errlen, "zipf needs at least one key");
		return -1;
	}
	c->hot_n = (size_t)ceil(hot * (double)d->n);
	if (c->hot_n < 1)
		c->hot_n = 1;
	c->hot_lo = rng_below(r, d->n - c->hot_n + 1);
	return 0;
}

static size_t choose_row(const struct key_chooser *c, const struct dataset *d,
			 struct rng *r)
{
	switch (c->dist) {
	case DIST_ZIPF:
		return zipf_scrambled(&c->z, r);
	case DIST_LATEST:
		return d->n - 1 - zipf_next(&c->z, r);
	case DIST_HOTSPOT:
		if (rng_unit(r) < c->hot_ops)
			return c->hot_lo + rng_below(r, c->hot_n);
		return rng_below(r, d->n);
	default:
		return rng_below(r, d->n);
	}
}

static const struct param_def point_params[] = {
	{"dist", "uniform", "uniform|zipf|latest|hotspot"},
	{"theta", "0.99", "zipf skew"},
	{"hot", "0.2", "hotspot: fraction of keys that are hot"},
	{"hot_ops", "0.8", "hotspot: fraction of lookups that go to hot keys"},
	{"neg", "0", "fraction of lookups of absent keys (from the gaps)"},
	{"batch", "1", "lookups handed to the index at once (get_batch)"},
	{NULL, NULL, NULL},
};

static int gen_lookups(const struct param_set *p, const struct workload_input *in,
		       struct op_stream *s, int ascending, char *err,
		       size_t errlen)
{
	const struct dataset *d = in->data;
	double neg;
	if (param_double(p, "neg", 0, 1, &neg, err, errlen))
		return -1;
	size_t n = in->ops ? in->ops : DEFAULT_OPS;
	if (d->n == 0 && neg < 1) {
		snprintf(err, errlen, "%s: empty data set: only neg=1 lookups are possible", d->name);
		return -1;
	}
	struct rng r;
	rng_seed(&r, in->seed);
	struct key_chooser c = {0};
	if (!ascending && d->n && chooser_init(&c, p, d, &r, err, errlen))
		return -1;
	if (stream_alloc(s, n, false, false, false, err, errlen))
		return -1;
	stream_load_dataset(s, d);
	s->dependent_ok = neg == 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t key;
		if (neg > 0 && rng_unit(&r) < neg) {
			if (draw_absent_key(d, &r, &key)) {
				snprintf(err, errlen, "%s: every 64-bit key is present; neg= impossible", d->name);
				op_stream_free(s);
				return -1;
			}
		} else if (ascending) {
			key = d->keys[(size_t)((unsigned __int128)i * d->n / n)];
		} else {
			key = d->keys[choose_row(&c, d, &r)];
		}
		s->key[i] = key;
		expect_get_static(d, key, &s->want[i], &s->want_n[i]);
	}
	s->n_reads = n;
	return 0;
}

static int gen_point(const struct param_set *p, const struct workload_input *in,
		     struct op_stream *s, char *err, size_t errlen)
{
	uint64_t batch;
	if (param_u64(p, "batch", 1, 1024, &batch, err, errlen))
		return -1;
	if (gen_lookups(p, in, s, 0, err, errlen))
		return -1;
	s->batch = (size_t)batch;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static const struct param_def point_grown_params[] = {
	{"load", "0.5", "fraction of the keys bulk-loaded; the rest are inserted before timing"},
	{"dist", "uniform", "uniform|zipf|latest|hotspot"},
	{"theta", "0.99", "zipf skew"},
	{"hot", "0.2", "hotspot: fraction of keys that are hot"},
	{"hot_ops", "0.8", "hotspot: fraction of lookups that go to hot keys"},
	{"neg", "0", "fraction of lookups of absent keys (from the gaps)"},
	{NULL, NULL, NULL},
};

/* The lookups of `point`; the bulk load becomes a random load= subset (in
 * key order) of the distinct keys and the other distinct keys become setup
 * inserts in random order.  A duplicated key is loaded or inserted once,
 * with the value of its first row: the answer every lookup of it expects. */
static int gen_point_grown(const struct param_set *p, const struct workload_input *in,
			   struct op_stream *s, char *err, size_t errlen)
{
	const struct dataset *d = in->data;
	double load;
	if (param_double(p, "load", 0, 1, &load, err, errlen))
		return -1;
	if (gen_lookups(p, in, s, 0, err, errlen))
		return -1;
	s->load_has_dups = false; /* what is loaded and inserted is distinct */
	uint64_t *rows = malloc((d->n ? d->n : 1) * sizeof *rows);
	size_t n_rows = 0; /* first rows of the distinct keys */
	if (rows)
		for (size_t i = 0; i < d->n; i++)
			if (i == 0 || d->keys[i] != d->keys[i - 1])
				rows[n_rows++] = i;
	size_t n_load = (size_t)(load * (double)n_rows + 0.5);
	if (n_load > n_rows)
		n_load = n_rows;
	s->owned_load_keys = malloc((n_load ? n_load : 1) * sizeof *s->owned_load_keys);
	s->owned_load_vals = malloc((n_load ? n_load : 1) * sizeof *s->owned_load_vals);
	s->setup_keys = malloc((n_rows - n_load + 1) * sizeof *s->setup_keys);
	s->setup_vals = malloc((n_rows - n_load + 1) * sizeof *s->setup_vals);
	if (!rows || !s->owned_load_keys || !s->owned_load_vals || !s->setup_keys ||
	    !s->setup_vals) {
		free(rows);
		op_stream_free(s);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	struct rng r;
	rng_seed(&r, in->seed ^ 0x9e3779b97f4a7c15ull); /* not the lookups' stream */
	shuffle_u64(rows, n_rows, &r);
	for (size_t i = n_load; i < n_rows; i++) {
		s->setup_keys[i - n_load] = d->keys[rows[i]];
		s->setup_vals[i - n_load] = d->vals[rows[i]];
	}
	s->n_setup = n_rows - n_load;
	qsort(rows, n_load, sizeof *rows, cmp_u64);
	for (size_t i = 0; i < n_load; i++) {
		s->owned_load_keys[i] = d->keys[rows[i]];
		s->owned_load_vals[i] = d->vals[rows[i]];
	}
	s->load_keys = s->owned_load_keys;
	s->load_vals = s->owned_load_vals;
	s->n_load = n_load;
	free(rows);
	return 0;
}

static const char *const order_names[] = {"random", "ascending", NULL};
static const struct param_def seq_lookup_params[] = {
	{"order", "random", "random|ascending (replay in time order)"},
	{"neg", "0", "fraction of lookups of absent keys"},
	{NULL, NULL, NULL},
};

static int gen_seq_lookup(const struct param_set *p, const struct workload_input *in,
			  struct op_stream *s, char *err, size_t errlen)
{
	static const struct param_def uniform_defs[] = {
		{"dist", "uniform", ""}, {"theta", "0.99", ""}, {"hot", "0.2", ""},
		{"hot_ops", "0.8", ""}, {"neg", "0", ""}, {NULL, NULL, NULL}};
	int order;
	if (param_choice(p, "order", order_names, &order, err, errlen))
		return -1;
	struct param_set q;
	char spec[96];
	snprintf(spec, sizeof spec, "neg=%s", param_str(p, "neg"));
	if (param_set_parse(uniform_defs, spec, &q, err, errlen))
		return -1;
	return gen_lookups(&q, in, s, order == 1, err, errlen);
}

static const struct param_def range_params[] = {
	{"len", "100", "entries per scan"},
	{"span", "0", "if > 0: scan all keys in [lo, lo + span * (max - min)]"},
	{"neg", "0", "fraction of scans starting at an absent key"},
	{NULL, NULL, NULL},
};

static int gen_range(const struct param_set *p, const struct workload_input *in,
		     struct op_stream *s, char *err, size_t errlen)
{
	const struct dataset *d = in->data;
	uint64_t len;
	double span, neg;
	if (param_u64(p, "len", 0, 1ull << 31, &len, err, errlen) ||
	    param_double(p, "span", 0, 1, &span, err, errlen) ||
	    param_double(p, "neg", 0, 1, &neg, err, errlen))
		return -1;
	if (d->n == 0) {
		snprintf(err, errlen, "%s: empty data set: nothing to scan", d->name);
		return -1;
	}
	size_t n = in->ops ? in->ops : DEFAULT_OPS / 10;
	struct rng r;
	rng_seed(&r, in->seed);
	if (stream_alloc(s, n, true, true, true, err, errlen))
		return -1;
	stream_load_dataset(s, d);
	uint64_t width = (uint64_t)(span * (double)(d->keys[d->n - 1] - d->keys[0]));
	for (size_t i = 0; i < n; i++) {
		uint64_t lo;
		if (neg > 0 && rng_unit(&r) < neg) {
			if (draw_absent_key(d, &r, &lo)) {
				snprintf(err, errlen, "%s: no absent key exists", d->name);
				op_stream_free(s);
				return -1;
			}
		} else {
			lo = d->keys[rng_below(&r, d->n)];
		}
		s->type[i] = OP_SCAN;
		s->key[i] = lo;
		s->hi[i] = span > 0 ? (lo > UINT64_MAX - width ? UINT64_MAX : lo + width) : UINT64_MAX;
		s->arg[i] = span > 0 ? UINT32_MAX : len;
		expect_scan_static(d, lo, s->hi[i], s->arg[i], &s->want[i], &s->want_n[i]);
	}
	s->n_reads = s->n_scans = n;
	return 0;
}

const struct workload point_workload = {
	.name = "point",
	.description = "point lookups: dist=uniform|zipf|latest|hotspot, neg= absent fraction, batch=",
	.params = point_params,
	.generate = gen_point,
};

const struct workload point_grown_workload = {
	.name = "point-grown",
	.description = "point lookups after load= is bulk-loaded and the rest inserted (untimed)",
	.params = point_grown_params,
	.needs = IX_CAP_INSERT,
	.generate = gen_point_grown,
};

const struct workload range_workload = {
	.name = "range",
	.description = "range scans of len= entries, or span= of the key range",
	.params = range_params,
	.needs = IX_CAP_ORDERED,
	.generate = gen_range,
};

const struct workload seq_lookup_workload = {
	.name = "seq-lookup",
	.description = "lookups on a time-series data set, order=random|ascending",
	.params = seq_lookup_params,
	.sequential = true,
	.generate = gen_seq_lookup,
};
