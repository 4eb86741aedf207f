/* workloads/wl_common.c — see wl_common.h. */
#include "workloads/wl_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *wl_alloc(size_t n, size_t size, int *ok)
{
	void *p = malloc(n ? n * size : 1);
	if (!p)
		*ok = 0;
	return p;
}

void op_stream_free(struct op_stream *s)
{
	free(s->type), free(s->key), free(s->arg), free(s->hi);
	free(s->want), free(s->want_n);
	free(s->owned_load_keys), free(s->owned_load_vals);
	free(s->setup_keys), free(s->setup_vals);
	free(s->final_keys), free(s->final_vals);
	memset(s, 0, sizeof *s);
}

int stream_alloc(struct op_stream *s, size_t n, bool typed, bool args,
		 bool his, char *err, size_t errlen)
{
	int ok = 1;
	s->n = n;
	s->key = wl_alloc(n, sizeof *s->key, &ok);
	s->want = wl_alloc(n, sizeof *s->want, &ok);
	s->want_n = wl_alloc(n, sizeof *s->want_n, &ok);
	if (typed)
		s->type = wl_alloc(n, sizeof *s->type, &ok);
	if (args)
		s->arg = wl_alloc(n, sizeof *s->arg, &ok);
	if (his)
		s->hi = wl_alloc(n, sizeof *s->hi, &ok);
	if (!ok) {
		snprintf(err, errlen, "out of memory for %zu operations", n);
		op_stream_free(s);
		return -1;
	}
	return 0;
}

void stream_load_dataset(struct op_stream *s, const struct dataset *d)
{
	s->load_keys = d->keys;
	s->load_vals = d->vals;
	s->n_load = d->n;
	s->load_has_dups = d->n_dups > 0;
}

size_t wl_lower_bound(const uint64_t *keys, size_t n, uint64_t key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t wl_upper_bound(const uint64_t *keys, size_t n, uint64_t key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (keys[mid] <= key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void expect_get_static(const struct dataset *d, uint64_t key, uint64_t *want,
		       uint32_t *want_n)
{
	size_t p = wl_lower_bound(d->keys, d->n, key);
	*want_n = p < d->n && d->keys[p] == key;
	*want = *want_n ? p : 0;
}

void expect_scan_static(const struct dataset *d, uint64_t lo, uint64_t hi,
			uint64_t max, uint64_t *want, uint32_t *want_n)
{
	size_t p = wl_lower_bound(d->keys, d->n, lo);
	size_t end = hi == UINT64_MAX ? d->n : wl_upper_bound(d->keys, d->n, hi);
	if (end < p)
		end = p;
	if (end - p > max)
		end = p + max;
	uint64_t c = end - p;
	/* values are row positions: the sum of p .. end-1 */
	unsigned __int128 s = (unsigned __int128)(p + end - 1) * c / 2;
	*want = c ? (uint64_t)s : 0;
	*want_n = (uint32_t)c;
}

int draw_absent_key(const struct dataset *d, struct rng *r, uint64_t *key)
{
	for (int tries = 0; tries < 64 && d->n >= 2; tries++) {
		size_t i = rng_below(r, d->n - 1);
		uint64_t a = d->keys[i], b = d->keys[i + 1];
		if (b - a > 1) {
			*key = a + 1 + rng_below(r, b - a - 1);
			return 0;
		}
	}
	/* Dense data: fall back to the outside of the range. */
	if (d->n == 0) {
		*key = rng_next(r);
		return 0;
	}
	if (d->keys[0] > 0) {
		*key = rng_below(r, d->keys[0]);
		return 0;
	}
	if (d->keys[d->n - 1] < UINT64_MAX) {
		*key = d->keys[d->n - 1] + 1 + rng_below(r, UINT64_MAX - d->keys[d->n - 1]);
		return 0;
	}
	/* Last resort: a linear search for any gap. */
	for (size_t i = 0; i + 1 < d->n; i++)
		if (d->keys[i + 1] - d->keys[i] > 1) {
			*key = d->keys[i] + 1;
			return 0;
		}
	return -1;
}

static double zeta(uint64_t n, double theta)
{
	double s = 0;
	for (uint64_t i = 1; i <= n; i++)
		s += 1.0 / pow((double)i, theta);
	return s;
}

int zipf_init(struct zipf *z, uint64_t items, double theta)
{
	if (items == 0 || theta <= 0 || theta >= 1)
		return -1;
	z->items = items;
	z->theta = theta;
	z->zeta2 = zeta(2, theta);
	z->zetan = zeta(items, theta);
	z->alpha = 1.0 / (1.0 - theta);
	z->eta = (1 - pow(2.0 / (double)items, 1 - theta)) / (1 - z->zeta2 / z->zetan);
	return 0;
}

uint64_t zipf_next(const struct zipf *z, struct rng *r)
{
	double u = rng_unit(r), uz = u * z->zetan;
	if (uz < 1.0)
		return 0;
	if (uz < 1.0 + pow(0.5, z->theta))
		return z->items > 1 ? 1 : 0;
	uint64_t v = (uint64_t)((double)z->items * pow(z->eta * u - z->eta + 1, z->alpha));
	return v >= z->items ? z->items - 1 : v;
}

uint64_t zipf_scrambled(const struct zipf *z, struct rng *r)
{
	uint64_t x = zipf_next(z, r) + 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	x ^= x >> 31;
	return x % z->items;
}

int unique_keys(const struct dataset *d, uint64_t **out, size_t *nu, char *err,
		size_t errlen)
{
	uint64_t *u = malloc((d->n ? d->n : 1) * sizeof *u);
	if (!u) {
		snprintf(err, errlen, "out of memory for %zu keys", d->n);
		return -1;
	}
	size_t m = 0;
	for (size_t i = 0; i < d->n; i++)
		if (!m || d->keys[i] != u[m - 1])
			u[m++] = d->keys[i];
	*out = u;
	*nu = m;
	return 0;
}

void shuffle_u64(uint64_t *a, size_t n, struct rng *r)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = rng_below(r, i);
		uint64_t t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

int model_init(struct wl_model *m, const uint64_t *keys, size_t n, bool scans,
	       char *err, size_t errlen)
{
	memset(m, 0, sizeof *m);
	m->keys = keys;
	m->n = n;
	int ok = 1;
	m->present = calloc(n ? n : 1, 1);
	m->val = wl_alloc(n, sizeof *m->val, &ok);
	m->order = wl_alloc(n, sizeof *m->order, &ok);
	if (scans) {
		m->fen_cnt = calloc(n + 1, sizeof *m->fen_cnt);
		m->fen_sum = calloc(n + 1, sizeof *m->fen_sum);
		ok = ok && m->fen_cnt && m->fen_sum;
	}
	if (!ok || !m->present) {
		model_free(m);
		snprintf(err, errlen, "out of memory for the expected-state model (%zu keys)", n);
		return -1;
	}
	return 0;
}

void model_free(struct wl_model *m)
{
	free(m->present), free(m->val), free(m->order);
	free(m->fen_cnt), free(m->fen_sum);
	memset(m, 0, sizeof *m);
}

static void fen_add(uint64_t *f, size_t n, size_t row, uint64_t delta)
{
	for (size_t i = row + 1; i <= n; i += i & -i)
		f[i] += delta;
}

/* Sum over rows [0, row). */
static uint64_t fen_prefix(const uint64_t *f, size_t row)
{
	uint64_t s = 0;
	for (size_t i = row; i > 0; i -= i & -i)
		s += f[i];
	return s;
}

/* Smallest row r such that the count of present rows in [0, r] is >= k
 * (k >= 1); n if there are fewer than k. */
static size_t fen_find(const uint64_t *f, size_t n, uint64_t k)
{
	size_t pos = 0, step = 1;
	while (step * 2 <= n)
		step *= 2;
	for (; step; step /= 2)
		if (pos + step <= n && f[pos + step] < k) {
			pos += step;
			k -= f[pos];
		}
	return pos; /* 0-based row */
}

void model_set(struct wl_model *m, size_t row, uint64_t val)
{
	if (!m->present[row]) {
		m->present[row] = 1;
		m->order[m->n_present++] = row;
		if (m->fen_cnt)
			fen_add(m->fen_cnt, m->n, row, 1);
	} else if (m->fen_sum) {
		fen_add(m->fen_sum, m->n, row, (uint64_t)0 - m->val[row]);
	}
	m->val[row] = val;
	if (m->fen_sum)
		fen_add(m->fen_sum, m->n, row, val);
}

void model_expect_get(const struct wl_model *m, uint64_t key, uint64_t *want,
		      uint32_t *want_n)
{
	size_t p = wl_lower_bound(m->keys, m->n, key);
	*want_n = p < m->n && m->keys[p] == key && m->present[p];
	*want = *want_n ? m->val[p] : 0;
}

void model_expect_scan(const struct wl_model *m, uint64_t lo, uint64_t hi,
		       uint64_t max, uint64_t *want, uint32_t *want_n)
{
	size_t p = wl_lower_bound(m->keys, m->n, lo);
	size_t q = hi == UINT64_MAX ? m->n : wl_upper_bound(m->keys, m->n, hi);
	if (q < p)
		q = p;
	uint64_t before = fen_prefix(m->fen_cnt, p);
	uint64_t in_range = fen_prefix(m->fen_cnt, q) - before;
	uint64_t c = in_range < max ? in_range : max;
	size_t end = c ? fen_find(m->fen_cnt, m->n, before + c) + 1 : p;
	*want_n = (uint32_t)c;
	*want = fen_prefix(m->fen_sum, end) - fen_prefix(m->fen_sum, p);
}

int model_export(const struct wl_model *m, uint64_t **keys, uint64_t **vals,
		 size_t *n, char *err, size_t errlen)
{
	int ok = 1;
	uint64_t *k = wl_alloc(m->n_present, sizeof *k, &ok);
	uint64_t *v = wl_alloc(m->n_present, sizeof *v, &ok);
	if (!ok) {
		free(k), free(v);
		snprintf(err, errlen, "out of memory exporting %zu keys", m->n_present);
		return -1;
	}
	size_t j = 0;
	for (size_t i = 0; i < m->n; i++)
		if (m->present[i])
			k[j] = m->keys[i], v[j++] = m->val[i];
	*keys = k;
	*vals = v;
	*n = j;
	return 0;
}
