/*
 * workloads/write.c — workloads that write, all built on one mechanism: a
 * `mix` (what is bulk-loaded, in which order the other keys arrive, which
 * operations follow with which probabilities and key choice), simulated
 * against the expected-state model so every answer is known in advance.
 *
 *   insert      bulk-load `load=` of the distinct keys (a random subset),
 *               insert all the rest in random order
 *   mixed       GRE's read/write mixes (Wongkham et al., "Are Updatable
 *               Learned Indexes Ready?", VLDB 2022): read=100|90|50|10|0
 *               percent lookups of present keys, the rest inserts
 *   seq-append  a metrics store: load the oldest `load=` of a time series,
 *               append the rest in time order, interleaved with lookups of
 *               recent keys and scans over the last `window=` keys
 *   seq-ooo     the same with a fraction `ooo=` of late arrivals, each up to
 *               `lag=` positions late
 *   ycsb-a..f   YCSB's core workloads (Cooper et al., SoCC 2010) on integer
 *               keys: A 50/50 read/update, B 95/5 read/update, C read-only,
 *               D 95/5 read/insert (latest), E 95/5 scan/insert (scans of
 *               1..100 entries), F 50/50 read/read-modify-write; zipfian
 *               (theta 0.99, scrambled) unless noted.
 * Write workloads work on the distinct keys of the data set; the value of
 * row r is r, updates write fresh random values.  With threads T > 1 the
 * rows are dealt round-robin to T independent sub-streams, so each thread
 * touches only its own keys and every answer stays deterministic whatever
 * the interleaving (scans would cross threads, so they need T = 1).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexes/index.h"
#include "workloads/wl_common.h"

enum key_dist { KD_UNIFORM, KD_ZIPF, KD_LATEST, KD_RECENT };

struct mix {
	double load;       /* fraction bulk-loaded */
	bool prefix_load;  /* load the smallest keys (oldest timestamps) */
	bool ascending;    /* inserts in key order, else random */
	double ooo;        /* fraction of late arrivals (ascending only) */
	uint64_t lag;
	double p_read, p_scan, p_update, p_rmw; /* the rest: inserts */
	enum key_dist dist;
	double theta;
	uint64_t window;   /* KD_RECENT and seq scans: the last W keys */
	uint64_t scan_len; /* entries per scan (max) */
	bool scan_len_random; /* uniform 1..scan_len (YCSB E) */
	bool scan_recent;     /* scans start W keys back (seq-append) */
	bool all_inserts;     /* stream length = every key not loaded */
	size_t ops;
};

/* One thread's share: its keys, the model, and its generated operations. */
struct sub {
	uint64_t *keys;
	size_t n;
	struct wl_model m;
	struct op_stream s;
};

static int cmp_row(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int gen_sub(const struct mix *x, struct sub *t, uint64_t seed,
		   size_t ops_budget, bool ops_explicit, char *err, size_t errlen)
{
	struct rng r;
	rng_seed(&r, seed);
	bool scans = x->p_scan > 0;
	if (model_init(&t->m, t->keys, t->n, scans, err, errlen))
		return -1;
	size_t n_load = (size_t)floor(x->load * (double)t->n + 0.5);
	if (n_load > t->n)
		n_load = t->n;
	/* rows[0..n_load) are loaded; the rest arrive in rows[n_load..n) order */
	uint64_t *rows = malloc((t->n ? t->n : 1) * sizeof *rows);
	if (!rows) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < t->n; i++)
		rows[i] = i;
	if (!x->prefix_load) {
		shuffle_u64(rows, t->n, &r);
		if (x->ascending) /* keep the arrivals in key order */
			qsort(rows + n_load, t->n - n_load, sizeof *rows, cmp_row);
	}
	/* Late arrivals: a key moves back behind up to `lag` later keys, which
	 * keep their order (a swap would also send a key from the future). */
	if (x->ascending && x->ooo > 0 && t->n > n_load + 1) /* t->n - 1 must not wrap */
		for (size_t i = t->n - 1; i-- > n_load;)
			if (rng_unit(&r) < x->ooo) {
				size_t j = i + 1 + rng_below(&r, x->lag);
				if (j >= t->n)
					j = t->n - 1;
				uint64_t late = rows[i];
				memmove(rows + i, rows + i + 1, (j - i) * sizeof *rows);
				rows[j] = late;
			}
	for (size_t i = 0; i < n_load; i++)
		model_set(&t->m, rows[i], rows[i]);
	if (model_export(&t->m, &t->s.owned_load_keys, &t->s.owned_load_vals,
			 &t->s.n_load, err, errlen)) {
		free(rows);
		return -1;
	}
	size_t to_insert = t->n - n_load;
	double p_insert = 1 - x->p_read - x->p_scan - x->p_update - x->p_rmw;
	/* Workloads that insert every remaining key run until they have, unless
	 * --ops caps the stream. */
	size_t n_ops = ops_budget;
	if (x->all_inserts && p_insert > 0) {
		size_t all = (size_t)ceil((double)to_insert / p_insert);
		n_ops = ops_explicit && ops_budget < all ? ops_budget : all;
	}
	if (stream_alloc(&t->s, n_ops, true, true, scans, err, errlen)) {
		free(rows);
		return -1;
	}
	struct zipf z;
	bool use_zipf = x->dist == KD_ZIPF || x->dist == KD_LATEST;
	if (use_zipf && zipf_init(&z, t->n ? t->n : 1, x->theta)) {
		snprintf(err, errlen, "bad zipf parameters");
		free(rows);
		return -1;
	}
	size_t next = n_load, i;
	struct op_stream *s = &t->s;
	for (i = 0; i < n_ops; i++) {
		double u = rng_unit(&r);
		int type = u < x->p_read ? OP_GET
			 : u < x->p_read + x->p_scan ? OP_SCAN
			 : u < x->p_read + x->p_scan + x->p_update ? OP_UPDATE
			 : u < x->p_read + x->p_scan + x->p_update + x->p_rmw ? OP_RMW
			 : OP_INSERT;
		if (type == OP_INSERT && next >= t->n)
			type = x->p_read > 0 || !x->p_scan ? OP_GET : OP_SCAN;
		if (type != OP_INSERT && t->m.n_present == 0) {
			if (next >= t->n)
				break; /* nothing present and nothing to insert */
			type = OP_INSERT;
		}
		s->type[i] = (uint8_t)type;
		if (type == OP_INSERT) {
			size_t row = rows[next++];
			s->key[i] = t->keys[row];
			s->arg[i] = row;
			s->want[i] = 0, s->want_n[i] = 0;
			model_set(&t->m, row, row);
			s->n_writes++;
			continue;
		}
		size_t np = t->m.n_present, k;
		switch (x->dist) {
		case KD_ZIPF:
			k = zipf_scrambled(&z, &r) % np;
			break;
		case KD_LATEST:
			k = np - 1 - zipf_next(&z, &r) % np;
			break;
		case KD_RECENT:
			k = np - 1 - rng_below(&r, np < x->window ? np : x->window);
			break;
		default:
			k = rng_below(&r, np);
		}
		uint64_t row = t->m.order[k];
		uint64_t key = t->keys[row];
		if (type == OP_SCAN) {
			uint64_t len = x->scan_len_random ? 1 + rng_below(&r, x->scan_len) : x->scan_len;
			if (x->scan_recent) { /* from W keys back to the newest */
				size_t back = np < x->window ? np : x->window;
				uint64_t lo = t->keys[t->m.order[np - back]];
				key = lo;
			}
			s->key[i] = key;
			s->hi[i] = UINT64_MAX;
			s->arg[i] = len;
			model_expect_scan(&t->m, key, UINT64_MAX, len, &s->want[i], &s->want_n[i]);
			s->n_reads++, s->n_scans++;
			continue;
		}
		s->key[i] = key;
		if (s->hi)
			s->hi[i] = 0;
		if (type == OP_GET) {
			s->arg[i] = 0;
			model_expect_get(&t->m, key, &s->want[i], &s->want_n[i]);
			s->n_reads++;
			continue;
		}
		/* OP_UPDATE / OP_RMW: a fresh value for a present key */
		uint64_t v = rng_next(&r);
		s->arg[i] = v;
		if (type == OP_RMW) {
			model_expect_get(&t->m, key, &s->want[i], &s->want_n[i]);
			s->n_reads++;
		} else {
			s->want[i] = 0, s->want_n[i] = 0;
		}
		model_set(&t->m, row, v);
		s->n_writes++;
	}
	s->n = i;
	free(rows);
	return model_export(&t->m, &s->final_keys, &s->final_vals, &s->n_final, err, errlen);
}

struct kv {
	uint64_t k, v;
};
static int cmp_kv(const void *a, const void *b)
{
	uint64_t x = ((const struct kv *)a)->k, y = ((const struct kv *)b)->k;
	return x < y ? -1 : x > y;
}

/* Sorted union of the threads' (key, value) arrays. */
static int merge_sorted(struct sub *subs, int T, int final, uint64_t **keys,
			uint64_t **vals, size_t *n, char *err, size_t errlen)
{
	size_t total = 0;
	for (int t = 0; t < T; t++)
		total += final ? subs[t].s.n_final : subs[t].s.n_load;
	struct kv *all = malloc((total ? total : 1) * sizeof *all);
	*keys = malloc((total ? total : 1) * sizeof **keys);
	*vals = malloc((total ? total : 1) * sizeof **vals);
	if (!all || !*keys || !*vals) {
		free(all);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	size_t j = 0;
	for (int t = 0; t < T; t++) {
		struct op_stream *s = &subs[t].s;
		size_t m = final ? s->n_final : s->n_load;
		for (size_t i = 0; i < m; i++) {
			all[j].k = final ? s->final_keys[i] : s->owned_load_keys[i];
			all[j++].v = final ? s->final_vals[i] : s->owned_load_vals[i];
		}
	}
	qsort(all, total, sizeof *all, cmp_kv);
	for (size_t i = 0; i < total; i++)
		(*keys)[i] = all[i].k, (*vals)[i] = all[i].v;
	*n = total;
	free(all);
	return 0;
}

static int gen_mix(const struct mix *x, const struct workload_input *in,
		   struct op_stream *out, char *err, size_t errlen)
{
	int T = in->threads > 0 ? in->threads : 1;
	if (T > WL_MAX_THREADS) {
		snprintf(err, errlen, "at most %d threads", WL_MAX_THREADS);
		return -1;
	}
	if (T > 1 && x->p_scan > 0) {
		snprintf(err, errlen, "scans under concurrent writes have no deterministic answer; run with --threads 1");
		return -1;
	}
	uint64_t *u;
	size_t nu;
	if (unique_keys(in->data, &u, &nu, err, errlen))
		return -1;
	/* As the read workloads refuse it: a row of nothing measured would
	 * still say valid=1. */
	if (nu == 0) {
		free(u);
		snprintf(err, errlen, "empty data set: nothing to load, write or check");
		return -1;
	}
	struct sub *subs = calloc((size_t)T, sizeof *subs);
	if (!subs) {
		free(u);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = 0;
	size_t budget = in->ops ? in->ops : 1000000;
	for (int t = 0; t < T && !rc; t++) {
		struct sub *sb = &subs[t];
		if (T == 1) {
			sb->keys = u;
			sb->n = nu;
		} else {
			sb->keys = malloc((nu / (size_t)T + 1) * sizeof *sb->keys);
			if (!sb->keys) {
				snprintf(err, errlen, "out of memory");
				rc = -1;
				break;
			}
			for (size_t i = (size_t)t; i < nu; i += (size_t)T)
				sb->keys[sb->n++] = u[i];
		}
		rc = gen_sub(x, sb, in->seed * 1000003u + (uint64_t)t,
			     (budget + (size_t)T - 1) / (size_t)T, in->ops != 0, err, errlen);
	}
	if (!rc) {
		/* Concatenate the sub-streams; thread t runs slice t. */
		size_t total = 0;
		for (int t = 0; t < T; t++)
			total += subs[t].s.n;
		bool scans = x->p_scan > 0;
		rc = stream_alloc(out, total, true, true, scans, err, errlen);
		size_t at = 0;
		for (int t = 0; t < T && !rc; t++) {
			struct op_stream *s = &subs[t].s;
			out->slice[t] = at;
			memcpy(out->type + at, s->type, s->n);
			memcpy(out->key + at, s->key, s->n * 8);
			memcpy(out->arg + at, s->arg, s->n * 8);
			memcpy(out->want + at, s->want, s->n * 8);
			memcpy(out->want_n + at, s->want_n, s->n * 4);
			if (scans)
				memcpy(out->hi + at, s->hi, s->n * 8);
			at += s->n;
			out->n_reads += s->n_reads;
			out->n_writes += s->n_writes;
			out->n_scans += s->n_scans;
		}
		out->slice[T] = at;
		out->n_slices = (size_t)T;
		if (!rc && total == 0) {
			snprintf(err, errlen, "no operations to run: every distinct key (%zu) is "
				 "bulk-loaded and none is left to insert (lower load=)", nu);
			rc = -1;
		}
		if (!rc)
			rc = merge_sorted(subs, T, 0, &out->owned_load_keys, &out->owned_load_vals,
					  &out->n_load, err, errlen);
		if (!rc)
			rc = merge_sorted(subs, T, 1, &out->final_keys, &out->final_vals,
					  &out->n_final, err, errlen);
		out->load_keys = out->owned_load_keys;
		out->load_vals = out->owned_load_vals;
	}
	for (int t = 0; t < T; t++) {
		model_free(&subs[t].m);
		op_stream_free(&subs[t].s);
		if (T > 1)
			free(subs[t].keys);
	}
	free(subs);
	free(u);
	if (rc)
		op_stream_free(out);
	return rc;
}

/* --- the named workloads --------------------------------------------- */

static const struct param_def insert_params[] = {
	{"load", "0.5", "fraction of the distinct keys bulk-loaded"},
	{NULL, NULL, NULL},
};

static int gen_insert(const struct param_set *p, const struct workload_input *in,
		      struct op_stream *s, char *err, size_t errlen)
{
	struct mix x = {.all_inserts = true};
	if (param_double(p, "load", 0, 1, &x.load, err, errlen))
		return -1;
	return gen_mix(&x, in, s, err, errlen);
}

static const struct param_def mixed_params[] = {
	{"read", "50", "percent of operations that are lookups (GRE: 100, 90, 50, 10, 0)"},
	{"load", "0.5", "fraction of the distinct keys bulk-loaded"},
	{NULL, NULL, NULL},
};

static int gen_mixed(const struct param_set *p, const struct workload_input *in,
		     struct op_stream *s, char *err, size_t errlen)
{
	struct mix x = {0};
	uint64_t read;
	if (param_u64(p, "read", 0, 100, &read, err, errlen) ||
	    param_double(p, "load", 0, 1, &x.load, err, errlen))
		return -1;
	x.p_read = (double)read / 100.0;
	return gen_mix(&x, in, s, err, errlen);
}

static const struct param_def seq_params[] = {
	{"load", "0.5", "fraction of the series (the oldest keys) bulk-loaded"},
	{"read", "0.5", "fraction of operations that read (the rest append)"},
	{"scan", "0.1", "fraction of reads that scan the last window= keys"},
	{"window", "1000", "reads pick among the last W keys; scans cover them"},
	{NULL, NULL, NULL},
};
static const struct param_def seq_ooo_params[] = {
	{"load", "0.5", "fraction of the series (the oldest keys) bulk-loaded"},
	{"read", "0.5", "fraction of operations that read (the rest append)"},
	{"scan", "0.1", "fraction of reads that scan the last window= keys"},
	{"window", "1000", "reads pick among the last W keys; scans cover them"},
	{"ooo", "0.05", "fraction of late arrivals"},
	{"lag", "100", "a late key arrives up to this many keys late"},
	{NULL, NULL, NULL},
};

static int seq_mix(const struct param_set *p, struct mix *x, char *err, size_t errlen)
{
	double read, scan;
	if (param_double(p, "load", 0, 1, &x->load, err, errlen) ||
	    param_double(p, "read", 0, 0.99, &read, err, errlen) ||
	    param_double(p, "scan", 0, 1, &scan, err, errlen) ||
	    param_u64(p, "window", 1, 1ull << 30, &x->window, err, errlen))
		return -1;
	x->prefix_load = true;
	x->ascending = true;
	x->all_inserts = true;
	x->p_read = read * (1 - scan);
	x->p_scan = read * scan;
	x->dist = KD_RECENT;
	x->scan_len = x->window;
	x->scan_recent = true;
	return 0;
}

static int gen_seq_append(const struct param_set *p, const struct workload_input *in,
			  struct op_stream *s, char *err, size_t errlen)
{
	struct mix x = {0};
	if (seq_mix(p, &x, err, errlen))
		return -1;
	return gen_mix(&x, in, s, err, errlen);
}

static int gen_seq_ooo(const struct param_set *p, const struct workload_input *in,
		       struct op_stream *s, char *err, size_t errlen)
{
	struct mix x = {0};
	if (seq_mix(p, &x, err, errlen) ||
	    param_double(p, "ooo", 0, 1, &x.ooo, err, errlen) ||
	    param_u64(p, "lag", 1, 1ull << 30, &x.lag, err, errlen))
		return -1;
	return gen_mix(&x, in, s, err, errlen);
}

static const struct param_def ycsb_params[] = {
	{"theta", "0.99", "zipfian skew"},
	{NULL, NULL, NULL},
};

static int gen_ycsb(char which, const struct param_set *p,
		    const struct workload_input *in, struct op_stream *s,
		    char *err, size_t errlen)
{
	struct mix x = {.load = 1.0, .dist = KD_ZIPF};
	if (param_double(p, "theta", 0.01, 0.999, &x.theta, err, errlen))
		return -1;
	switch (which) {
	case 'a': x.p_read = 0.5, x.p_update = 0.5; break;
	case 'b': x.p_read = 0.95, x.p_update = 0.05; break;
	case 'c': x.p_read = 1.0; break;
	case 'd': x.p_read = 0.95, x.load = 0.5, x.dist = KD_LATEST; break;
	case 'e': x.p_scan = 0.95, x.load = 0.5, x.scan_len = 100, x.scan_len_random = true; break;
	default: x.p_read = 0.5, x.p_rmw = 0.5; break;
	}
	return gen_mix(&x, in, s, err, errlen);
}

#define YCSB(letter, desc, caps)                                                    \
	static int gen_ycsb_##letter(const struct param_set *p,                     \
				     const struct workload_input *in,              \
				     struct op_stream *s, char *err, size_t errlen) \
	{                                                                           \
		return gen_ycsb(#letter[0], p, in, s, err, errlen);                 \
	}                                                                           \
	const struct workload ycsb_##letter##_workload = {                          \
		.name = "ycsb-" #letter, .description = desc, .params = ycsb_params, \
		.needs = caps, .writes = true, .generate = gen_ycsb_##letter,       \
	};

YCSB(a, "YCSB A: 50% read, 50% update, zipfian", IX_CAP_INSERT)
YCSB(b, "YCSB B: 95% read, 5% update, zipfian", IX_CAP_INSERT)
YCSB(c, "YCSB C: 100% read, zipfian", 0)
YCSB(d, "YCSB D: 95% read, 5% insert, latest", IX_CAP_INSERT)
YCSB(e, "YCSB E: 95% scan (1..100 entries), 5% insert, zipfian", IX_CAP_INSERT | IX_CAP_ORDERED)
YCSB(f, "YCSB F: 50% read, 50% read-modify-write, zipfian", IX_CAP_INSERT)

const struct workload insert_workload = {
	.name = "insert",
	.description = "bulk-load load= of the keys, insert the rest in random order",
	.params = insert_params, .needs = IX_CAP_INSERT, .writes = true,
	.generate = gen_insert,
};
const struct workload mixed_workload = {
	.name = "mixed",
	.description = "GRE mix: read= percent lookups, the rest inserts of new keys",
	.params = mixed_params, .needs = IX_CAP_INSERT, .writes = true,
	.generate = gen_mixed,
};
const struct workload seq_append_workload = {
	.name = "seq-append",
	.description = "time series: append in time order + lookups/scans of recent keys",
	.params = seq_params, .needs = IX_CAP_INSERT | IX_CAP_ORDERED, .writes = true,
	.sequential = true,
	.generate = gen_seq_append,
};
const struct workload seq_ooo_workload = {
	.name = "seq-ooo",
	.description = "seq-append with ooo= late arrivals up to lag= keys late",
	.params = seq_ooo_params, .needs = IX_CAP_INSERT | IX_CAP_ORDERED, .writes = true,
	.sequential = true,
	.generate = gen_seq_ooo,
};
