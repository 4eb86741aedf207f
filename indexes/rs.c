/*
 * indexes/rs.c — RadixSpline.
 *
 * A. Kipf, R. Marcus, A. van Renen, M. Stoian, A. Kemper, T. Kraska,
 * T. Neumann, "RadixSpline: A Single-Pass Learned Index", aiDM@SIGMOD 2020.
 * §3.1 builds an error-bounded linear spline over the CDF in one pass with
 * GreedySplineCorridor (Neumann and Michel, 2008); §3.2 indexes the spline
 * knots with a radix table on the top `radix_bits` bits of the key; §3.3
 * looks a key up: radix table -> binary search among the knots of its slot ->
 * linear interpolation between the two surrounding knots -> last-mile search
 * in [pred - err, pred + err + 1].
 *
 * Layout.  knots[] holds each knot's key, position and the slope of the
 * segment that starts there, together: a radix slot holds few knots (most
 * none or one), so the search among them is short, and the knot it ends on
 * then brings its segment in the same cache line.  The radix table
 * indexes (key - min) >> shift, shift dropping the bits below the top
 * radix_bits significant bits of max - min (the common prefix goes by
 * subtracting min): table[p] is the first knot whose radix is >= p, so the
 * first knot with key >= k lies in [table[p], table[p + 1]] for a key k of
 * radix p inside [min, max].
 *
 * Guards the reference does not have.  The spline is built on the points
 * (key, FIRST position of that key), so get() finds the first copy of a
 * duplicate run.  The error bound used at lookup is not the requested `err`
 * but the bound measured with the very prediction code the lookups run
 * (double rounding can add one), taken over both ends of each duplicate
 * run: then the window holds the lower bound of absent keys too (the spline
 * is monotone), so scan() is exact.  The build stays one pass over the
 * keys, as the paper's is: each segment's keys are measured when the knot
 * closing it is placed, while they are still in cache.  Keys outside
 * [min, max], n = 0, one key and all-equal keys are handled before the
 * spline is used.
 *
 * The index references the bulk-loaded arrays (no copy); index_bytes counts
 * knots, table and this struct.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "indexes/index.h"
#include "indexes/lastmile.h"

/* A knot and the segment from it to the next knot:
 * pos + (key - knot key) * slope. */
struct rs_knot {
	uint64_t key;
	double pos;
	double slope;
};

/* A key's predicted position from the segment starting at knot s,
 * clamped to [0, n - 1].  The build measures the bound with this very
 * function, so the bound the lookups use is the true one. */
static inline size_t segment_predict(const struct rs_knot *s, uint64_t key,
				     size_t n)
{
	double pred = s->pos + (double)(key - s->key) * s->slope;
	if (!(pred > 0))
		return 0;
	if (pred >= (double)(n - 1))
		return n - 1;
	return (size_t)pred;
}

struct rs {
	const uint64_t *keys; /* the loaded arrays (referenced) */
	const uint64_t *vals;
	size_t n;
	uint64_t requested_err; /* the spline's corridor half-width */
	unsigned radix_bits;
	enum lastmile_kind search;

	uint64_t min, max;
	unsigned shift;
	struct rs_knot *knots;
	size_t num_knots;
	uint32_t *table; /* max radix + 2 entries */
	size_t table_len;
	size_t bound; /* measured: first/last copy within pred -/+ bound */
};

static const struct param_def rs_params[] = {
	{"err", "32", "spline error bound in positions, 1..2^30"},
	{"radix_bits", "18", "radix table of 2^radix_bits+1 entries, 1..30"},
	{"search", "binary", "last-mile search: "
			     "binary|branchless|linear|exponential|interpolation"},
	{NULL, NULL, NULL},
};

static void *rs_create(const struct param_set *cfg, const struct index_env *env,
		       char *err, size_t errlen)
{
	(void)env;
	uint64_t spline_err, radix_bits;
	int search;
	if (param_u64(cfg, "err", 1, 1u << 30, &spline_err, err, errlen) ||
	    param_u64(cfg, "radix_bits", 1, 30, &radix_bits, err, errlen) ||
	    param_choice(cfg, "search", lastmile_names, &search, err, errlen))
		return NULL;
	struct rs *r = calloc(1, sizeof *r);
	if (!r) {
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	r->requested_err = spline_err;
	r->radix_bits = (unsigned)radix_bits;
	r->search = (enum lastmile_kind)search;
	return r;
}

/* ---- build: GreedySplineCorridor (paper §3.1) ---- */

/* The corridor state: the last knot, the previous point, and the slopes of
 * the upper and lower corridor edges seen from the last knot.  Every point
 * since the knot lies within err of any line from the knot between the two
 * edges, so the spline only needs a new knot when a point falls outside.
 * The pass also measures the lookup bound as it goes: when a knot closes a
 * segment, the keys the segment predicts were just read, so checking them
 * costs no second pass over the data. */
struct corridor {
	struct rs *r;
	double err;
	uint64_t knot_key, prev_key;
	double knot_pos, prev_pos;
	double upper, lower;
	bool has_edges;
	size_t capacity; /* of r->knots */
	size_t measured; /* keys[0..measured) are within r->bound */
};

/* Widens r->bound over the whole runs of keys[from..to): each distinct key
 * is predicted as a lookup would (min: 0; any other: the segment of the
 * last two knots, which is the one whose end knot is the first >= it), and
 * must lie within the bound of both its first and its last copy. */
static void measure_runs(struct rs *r, size_t from, size_t to)
{
	size_t seg = r->num_knots >= 2 ? r->num_knots - 2 : 0;
	for (size_t i = from; i < to;) {
		size_t first = i;
		uint64_t key = r->keys[first];
		while (i < to && r->keys[i] == key)
			i++;
		size_t pred = key == r->min ? 0
					    : segment_predict(&r->knots[seg],
							      key, r->n);
		size_t below = pred > first ? pred - first : 0;
		size_t above = i - 1 > pred ? i - 1 - pred : 0;
		if (below > r->bound)
			r->bound = below;
		if (above > r->bound)
			r->bound = above;
	}
}

/* Appends the knot (key, pos), whose key's run ends before position
 * run_end, closing the previous knot's segment.  0, or -1 out of memory. */
static int add_knot(struct corridor *c, uint64_t key, double pos, size_t run_end)
{
	struct rs *r = c->r;
	if (r->num_knots == c->capacity) {
		size_t cap = c->capacity ? 2 * c->capacity : 1024;
		if (cap > r->n) /* at most one knot per key */
			cap = r->n;
		struct rs_knot *k = realloc(r->knots, cap * sizeof *k);
		if (!k)
			return -1;
		r->knots = k;
		c->capacity = cap;
	}
	size_t j = r->num_knots;
	if (j)
		r->knots[j - 1].slope = (pos - r->knots[j - 1].pos) /
					(double)(key - r->knots[j - 1].key);
	r->knots[j] = (struct rs_knot){key, pos, 0};
	r->num_knots++;
	if (r->num_knots >= 2) {
		measure_runs(r, c->measured, run_end);
		c->measured = run_end;
	}
	c->knot_key = key;
	c->knot_pos = pos;
	c->has_edges = false;
	return 0;
}

/* Adds the point (key, pos): key's first position is pos, so the previous
 * key's run ends just before it.  0, or -1 out of memory. */
static int corridor_add(struct corridor *c, uint64_t key, double pos)
{
	if (c->r->num_knots == 0) {
		c->prev_key = key, c->prev_pos = pos;
		return add_knot(c, key, pos, (size_t)pos);
	}
	double dx = (double)(key - c->knot_key), dy = pos - c->knot_pos;
	if (c->has_edges) {
		double slope = dy / dx;
		if (slope <= c->upper && slope >= c->lower) {
			/* Inside: narrow the corridor to this point's +-err. */
			double up = (dy + c->err) / dx, lo = (dy - c->err) / dx;
			if (up < c->upper)
				c->upper = up;
			if (lo > c->lower)
				c->lower = lo;
			c->prev_key = key, c->prev_pos = pos;
			return 0;
		}
		/* Outside: the previous point becomes a knot and the corridor
		 * restarts from it. */
		if (add_knot(c, c->prev_key, c->prev_pos, (size_t)pos))
			return -1;
		dx = (double)(key - c->knot_key), dy = pos - c->knot_pos;
	}
	c->upper = (dy + c->err) / dx;
	c->lower = (dy - c->err) / dx;
	c->has_edges = true;
	c->prev_key = key, c->prev_pos = pos;
	return 0;
}

static unsigned bit_width(uint64_t x)
{
	return x ? 64 - (unsigned)__builtin_clzll(x) : 0;
}

static inline uint64_t rs_radix(const struct rs *r, uint64_t key)
{
	return (key - r->min) >> r->shift;
}

/* Predicted position of a key in [min, max], clamped to [0, n - 1].  Build
 * and lookup share this function so the measured bound is the true one. */
static inline size_t rs_predict(const struct rs *r, uint64_t key)
{
	uint64_t p = rs_radix(r, key);
	size_t lo = r->table[p], hi = r->table[p + 1];
	/* First knot with key >= `key`: a binary search among few knots. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->knots[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return 0; /* key == min */
	return segment_predict(&r->knots[lo - 1], key, r->n);
}

static int rs_build_table(struct rs *r, char *err, size_t errlen)
{
	unsigned width = bit_width(r->max - r->min);
	r->shift = width > r->radix_bits ? width - r->radix_bits : 0;
	r->table_len = (size_t)((r->max - r->min) >> r->shift) + 2;
	r->table = ix_alloc_large(r->table_len * sizeof *r->table);
	if (!r->table) {
		ix_error(err, errlen, "out of memory");
		return -1;
	}
	size_t slot = 0;
	for (size_t i = 0; i < r->num_knots; i++) {
		uint64_t p = rs_radix(r, r->knots[i].key);
		while (slot <= p)
			r->table[slot++] = (uint32_t)i;
	}
	while (slot < r->table_len)
		r->table[slot++] = (uint32_t)r->num_knots;
	return 0;
}

static int rs_bulk_load(void *ix, const uint64_t *keys, const uint64_t *vals,
			size_t n, char *err, size_t errlen)
{
	struct rs *r = ix;
	r->keys = keys;
	r->vals = vals;
	r->n = n;
	if (n == 0)
		return 0;
	if (n >= UINT32_MAX) {
		ix_error(err, errlen, "rs holds at most 2^32-2 keys");
		return -1;
	}
	r->min = keys[0];
	r->max = keys[n - 1];
	/* One pass: the spline, each segment's slope and the measured bound. */
	struct corridor c = {.r = r, .err = (double)r->requested_err};
	for (size_t i = 0; i < n; i++)
		if ((i == 0 || keys[i] != keys[i - 1]) &&
		    corridor_add(&c, keys[i], (double)i))
			goto oom;
	if (c.prev_key != c.knot_key && add_knot(&c, c.prev_key, c.prev_pos, n))
		goto oom;
	measure_runs(r, c.measured, n); /* all keys equal: min's run */
	/* Move the knots into an array of its final size (giving back the
	 * unused tail) from the allocator every index uses for large arrays. */
	struct rs_knot *k = ix_alloc_large(r->num_knots * sizeof *k);
	if (!k)
		goto oom;
	memcpy(k, r->knots, r->num_knots * sizeof *k);
	free(r->knots);
	r->knots = k;
	return rs_build_table(r, err, errlen);
oom:
	ix_error(err, errlen, "out of memory");
	return -1;
}

/* ---- lookup (paper §3.3) ---- */

static inline __attribute__((always_inline)) size_t
rs_lower_bound_with(const struct rs *r, uint64_t key, enum lastmile_kind search)
{
	if (r->n == 0 || key <= r->min)
		return 0;
	if (key > r->max)
		return r->n;
	size_t pred = rs_predict(r, key);
	size_t lo = pred > r->bound ? pred - r->bound : 0;
	size_t hi = r->n - pred > r->bound + 1 ? pred + r->bound + 1 : r->n;
	return lastmile_lower_bound(search, r->keys, lo, hi, pred, key);
}

static inline size_t rs_lower_bound(const struct rs *r, uint64_t key)
{
	return rs_lower_bound_with(r, key, r->search);
}

static inline __attribute__((always_inline)) bool
rs_get_with(const struct rs *r, uint64_t key, uint64_t *val,
	    enum lastmile_kind search)
{
	size_t p = rs_lower_bound_with(r, key, search);
	if (p < r->n && r->keys[p] == key) {
		*val = r->vals[p];
		return true;
	}
	return false;
}

static bool rs_get(void *ix, uint64_t key, uint64_t *val)
{
	const struct rs *r = ix;
	LASTMILE_RETURN_SPECIALIZED(r->search, rs_get_with, r, key, val);
}

/* ---- scan ---- */

/* A defensive check that costs two compares: should rounding ever make the
 * window miss the lower bound of an absent key, gallop to it. */
static inline size_t rs_settle(const struct rs *r, size_t p, uint64_t key)
{
	if (p > 0 && r->keys[p - 1] >= key)
		return lm_exponential(r->keys, 0, p, p - 1, key);
	if (p < r->n && r->keys[p] < key)
		return lm_exponential(r->keys, p, r->n, p, key);
	return p;
}

static size_t rs_scan(void *ix, uint64_t lo, uint64_t hi, size_t max,
		      uint64_t *sum)
{
	const struct rs *r = ix;
	size_t p = rs_settle(r, rs_lower_bound(r, lo), lo), seen = 0;
	uint64_t s = 0;
	for (; p < r->n && seen < max && r->keys[p] <= hi; p++, seen++)
		s += r->vals[p];
	*sum += s;
	return seen;
}

/* ---- size and model quality ---- */

static size_t rs_index_bytes(void *ix)
{
	const struct rs *r = ix;
	return sizeof *r + r->num_knots * sizeof *r->knots +
	       r->table_len * sizeof *r->table;
}

static size_t rs_total_bytes(void *ix)
{
	const struct rs *r = ix;
	return rs_index_bytes(ix) + r->n * 2 * sizeof(uint64_t);
}

/* The window of every key is [pred - bound, pred + bound + 1] clamped. */
static void rs_stats(void *ix, struct index_stats *out)
{
	const struct rs *r = ix;
	out->models = r->num_knots;
	if (r->n == 0)
		return;
	double log_sum = 0, worst = 0;
	for (size_t i = 0; i < r->n;) {
		size_t first = i;
		while (i < r->n && r->keys[i] == r->keys[first])
			i++;
		size_t pred = rs_predict(r, r->keys[first]);
		size_t lo = pred > r->bound ? pred - r->bound : 0;
		size_t hi = r->n - pred > r->bound + 1 ? pred + r->bound + 1
						       : r->n;
		double miss = fabs((double)pred - (double)first);
		if (miss > worst)
			worst = miss;
		log_sum += (double)(i - first) * log2((double)(hi - lo) + 1);
	}
	out->mean_log2_err = log_sum / (double)r->n;
	out->max_err = worst;
}

static size_t rs_estimate_bytes(const struct param_set *cfg, size_t n)
{
	uint64_t radix_bits = 30;
	if (param_u64(cfg, "radix_bits", 1, 30, &radix_bits, NULL, 0))
		radix_bits = 30;
	/* Worst case during the build: a knot per key, held twice while the
	 * knots move into arrays of their final size, then the table. */
	return 2 * n * sizeof(struct rs_knot) +
	       (((size_t)1 << radix_bits) + 2) * sizeof(uint32_t) + 4096;
}

static void rs_destroy(void *ix)
{
	struct rs *r = ix;
	if (!r)
		return;
	free(r->knots);
	free(r->table);
	free(r);
}

const struct index_ops rs_index = {
	.name = "rs",
	.family = "learned",
	.description = "RadixSpline: greedy spline + radix table over its knots "
		       "(Kipf et al., aiDM@SIGMOD 2020)",
	.caps = IX_CAP_ORDERED | IX_CAP_DUPLICATES | IX_CAP_CONCURRENT_READ,
	.params = rs_params,
	.sweep = "radix_bits=16/20/24:err=16/64 radix_bits=16/18:err=8 radix_bits=20/24:err=8:search=linear",
	.create = rs_create,
	.bulk_load = rs_bulk_load,
	.get = rs_get,
	.scan = rs_scan,
	.index_bytes = rs_index_bytes,
	.total_bytes = rs_total_bytes,
	.stats = rs_stats,
	.estimate_bytes = rs_estimate_bytes,
	.destroy = rs_destroy,
};
