/*
 * indexes/alex.c — ALEX, the updatable adaptive learned index.
 *
 * Paper: J. Ding, U. F. Minhas, J. Yu, C. Wang, J. Do, Y. Li, H. Zhang,
 * B. Chandramouli, J. Gehrke, D. Kossmann, D. Lomet, T. Kraska, "ALEX: An
 * Updatable Adaptive Learned Index", SIGMOD 2020.  Section 3 (node layout,
 * lookups, model-based inserts, expansion and splits), Section 4 and
 * Appendix (cost model, fanout tree, bulk load), Section 3.4 (key domain
 * growth).  Defaults follow the paper and its reference implementation:
 * densities 0.6 (min, after expansion) / 0.7 (init, bulk load) / 0.8 (max,
 * expansion threshold), max node size 16 MiB, cost weights 20 per
 * exponential-search iteration, 0.5 per shift, 20 per node traversed and
 * 5e-7 per byte of model node.
 *
 * Layout.
 *  - Model node: a linear model from key to child slot, a power-of-two array
 *    of child pointers.  A child may fill an aligned block of 2^dup slots
 *    (duplicated pointers), so a data node can split "sideways" by halving
 *    its block without touching the model.  The slot is
 *    floor(fma(key - base, slope, intercept)) + offset, clamped: the integer
 *    offset lets the root grow to the left exactly, and fma() makes the
 *    result bit-identical wherever the route is computed, so the keys a
 *    data node holds are always exactly the keys routed to it.
 *  - Data node: a gapped array.  keys[] and vals[] are separate arrays of
 *    `capacity` slots, an occupancy bitmap marks the real entries, and each
 *    gap holds a copy of the next real key to its right (UINT64_MAX after
 *    the last one), so keys[] is sorted and the search needs no bitmap.  A
 *    linear model predicts the slot; exponential search from there is
 *    correct whatever the model error.  Data nodes are linked prev/next in
 *    key order for scans.
 *
 * Where this follows the reference implementation's choices, or makes its
 * own (each marked again where it happens):
 *  - Bulk load: every model node's line is a least-squares fit of rank on
 *    key over that node's keys (the reference fits the root and derives
 *    inner nodes from the parent's slot range); the fanout tree sizes the
 *    node.  A fanout-tree part too big for a data node is costed as a data
 *    node plus one node lookup.  A line that would send all keys to one
 *    child falls back to the line spanning min..max.
 *  - A full data node splits in two or expands and retrains (the
 *    reference's default policy), by the cost model when its empirical
 *    cost deviates; only insert-path statistics feed the empirical cost
 *    (lookups are not counted, so get() never writes).
 *  - A downward split's new model node spans the node's own keys.
 *  - Domain growth uses the reference's out-of-domain tolerance; when the
 *    root is at its maximum fanout, the new root has fanout 2 with its
 *    boundary at the key that triggered the growth.
 *
 * index_bytes is everything the index allocates minus n * 16 bytes of keys
 * and values: model nodes and pointer arrays, data node headers, gap slots
 * and bitmaps.  total_bytes is everything allocated.
 *
 * Against the authors' code (make reference; `refalex` is microsoft/ALEX at
 * its defaults, allow_duplicates=false for the upsert): lookups after bulk
 * load on uspr and point-grown are within the noise of a shared 2-core VM or
 * faster here; under callgrind (results/reference-callgrind.csv, 1M uspr) a
 * lookup runs 145 instructions here and 130 in the reference, with fewer
 * simulated LLC misses here (0.25 vs 0.55).  Inserts into a bulk-loaded
 * logn set are the open gap: at 10M keys (5M loaded, 500K inserted) they
 * cost tens of microseconds here against about one in the reference, and
 * the node arrays take twice the reference's bytes.  perf shows the time in
 * node rebuilds, not in the insert path: page faults of freshly allocated
 * node arrays (about a quarter of the samples), make_room's compaction, then
 * data_fill and data_cost; the expansions keep coming (hundreds per 50K
 * inserts).  That points at how bulk load sizes nodes on skewed keys (the
 * least-squares lines of every model node here, the reference's
 * parent-derived ones) and at expansions re-running the cost model over the
 * whole node; it is not fixed yet.  At 1M logn keys (500K loaded, 500K
 * inserted; build/reference/omenbench, insert workload) the index ends with
 * 19681 nodes and 35.7 MB here against 2364 and 10.3 MB in the reference:
 * it splits far more often, and each split rebuilds and refaults nodes.
 *
 * Concurrency: get/scan only read, so concurrent readers are fine; inserts
 * need exclusive access.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "indexes/alex.h"
#include "indexes/index.h"
#include "indexes/lastmile.h"

/* Cost model weights (paper §4.3; reference implementation defaults). */
#define COST_SEARCH_ITER 20.0
#define COST_SHIFT 0.5
#define COST_NODE_LOOKUP 20.0
#define COST_MODEL_BYTE 5e-7
/* A data node whose inserts shift this many keys on average is split. */
#define CATASTROPHIC_SHIFTS 100.0
#define CATASTROPHE_CHECK 64
/* ... as is one whose empirical cost exceeds its expected cost this much. */
#define COST_DEVIATION 1.5
/* Key domain growth: expand after this many out-of-domain inserts
 * (min 5, tolerance 2x relative growth, always by 1000), as the reference. */
#define OOD_MIN_KEYS 5
#define OOD_MAX_KEYS 1000
#define OOD_TOLERANCE 2.0
#define MIN_CAPACITY 8
#define ROUTE_LIMIT 1152921504606846976.0 /* 2^60: keeps floor() in int64 */

struct line {
	uint64_t base;
	double slope, intercept;
};

struct node {
	uint8_t is_leaf;
	uint8_t dup; /* this node fills 2^dup slots of its parent */
};

struct model_node {
	struct node hdr;
	struct line model;
	int64_t offset;
	size_t fanout; /* power of two */
	struct node **children;
};

struct data_node {
	struct node hdr;
	struct line model; /* key -> slot */
	size_t capacity, num_keys, threshold;
	uint64_t *keys, *vals, *bitmap; /* one allocation */
	struct data_node *prev, *next;
	uint64_t min_key, max_key; /* valid when num_keys > 0 */
	double expected_cost;      /* from the cost model when built */
	/* insert-path statistics since the node was built */
	uint64_t inserts, shifts, appends_right, appends_left;
	double search_iters;
};

struct alex {
	struct node *root;
	struct data_node *head, *tail;
	size_t num_keys, bytes;
	double max_density, min_density, init_density, insert_frac;
	size_t max_slots, max_fanout, max_data_keys;
	enum lastmile_kind search; /* for get and scan; inserts use exponential */
	uint64_t ood_right, ood_left, keys_at_right_growth, keys_at_left_growth;
	struct alex_counters counters;
};

static const struct param_def alex_params[] = {
	{"max_density", "0.8", "data node density that triggers expansion"},
	{"min_density", "0.6", "data node density after expansion"},
	{"init_density", "0.7", "data node density after bulk load / split"},
	{"max_node_bytes", "16M", "largest data node or pointer array (bytes)"},
	{"insert_frac", "1", "expected fraction of inserts, for the cost model"},
	{"search", "exponential",
	 "search from the predicted slot: exponential (paper)|linear|binary|branchless|interpolation"},
	{NULL, NULL, NULL},
};

/* ---------------------------------------------------------------- models */

/* key - base as a double, monotone in key even far below base. */
static inline double key_offset(uint64_t key, uint64_t base)
{
	return key >= base ? (double)(key - base) : -(double)(base - key);
}

static inline int64_t model_slot_unclamped(const struct model_node *m,
					   uint64_t key)
{
	double r = fma(key_offset(key, m->model.base), m->model.slope,
		       m->model.intercept);
	if (!(r > -ROUTE_LIMIT)) /* also NaN */
		r = -ROUTE_LIMIT;
	if (r > ROUTE_LIMIT)
		r = ROUTE_LIMIT;
	return (int64_t)floor(r) + m->offset;
}

static inline size_t model_route(const struct model_node *m, uint64_t key)
{
	int64_t s = model_slot_unclamped(m, key);
	if (s < 0)
		return 0;
	if ((uint64_t)s >= m->fanout)
		return m->fanout - 1;
	return (size_t)s;
}

static inline size_t data_predict(const struct data_node *d, uint64_t key)
{
	double r = key_offset(key, d->model.base) * d->model.slope +
		   d->model.intercept;
	if (!(r > 0))
		return 0;
	if (r >= (double)(d->capacity - 1))
		return d->capacity - 1;
	return (size_t)r;
}

/* Least-squares line from key to rank (0..n-1), anchored at keys[0]. */
static struct line fit_rank_line(const uint64_t *keys, size_t n)
{
	struct line l = {.base = n ? keys[0] : 0, .slope = 0, .intercept = 0};
	if (n < 2)
		return l;
	double mx = 0, my = (double)(n - 1) / 2;
	for (size_t i = 0; i < n; i++)
		mx += (double)(keys[i] - l.base);
	mx /= (double)n;
	double sxx = 0, sxy = 0;
	for (size_t i = 0; i < n; i++) {
		double dx = (double)(keys[i] - l.base) - mx;
		sxx += dx * dx;
		sxy += dx * ((double)i - my);
	}
	if (sxx > 0 && sxy > 0 && isfinite(sxy / sxx)) {
		l.slope = sxy / sxx;
		l.intercept = my - l.slope * mx;
	} else {
		l.intercept = my;
	}
	return l;
}

/* Line mapping [min, max] onto [0, 1): never puts min and max in one half. */
static struct line minmax_unit_line(const uint64_t *keys, size_t n)
{
	struct line l = {.base = keys[0], .slope = 0, .intercept = 0};
	double range = (double)(keys[n - 1] - keys[0]) + 1.0;
	l.slope = 1.0 / range;
	return l;
}

static inline void line_scale(struct line *l, double f)
{
	l->slope *= f;
	l->intercept *= f;
}

/* ----------------------------------------------------------- bitmap ops */

static inline int slot_used(const struct data_node *d, size_t i)
{
	return (d->bitmap[i >> 6] >> (i & 63)) & 1;
}

static inline void slot_set(struct data_node *d, size_t i)
{
	d->bitmap[i >> 6] |= 1ull << (i & 63);
}

static inline void slot_clear(struct data_node *d, size_t i)
{
	d->bitmap[i >> 6] &= ~(1ull << (i & 63));
}

/* First slot in [from, limit) that is occupied (want=1) or a gap (want=0);
 * limit if none. */
static size_t next_slot_upto(const struct data_node *d, size_t from, int want,
			     size_t limit)
{
	if (from >= limit)
		return limit;
	size_t w = from >> 6, words = (limit + 63) >> 6;
	uint64_t bits = want ? d->bitmap[w] : ~d->bitmap[w];
	bits &= ~0ull << (from & 63);
	for (;;) {
		if (bits) {
			size_t i = (w << 6) + (size_t)__builtin_ctzll(bits);
			return i < limit ? i : limit;
		}
		if (++w >= words)
			return limit;
		bits = want ? d->bitmap[w] : ~d->bitmap[w];
	}
}

static size_t next_slot(const struct data_node *d, size_t from, int want)
{
	return next_slot_upto(d, from, want, d->capacity);
}

/* Last slot < before that is occupied (want=1) or a gap; SIZE_MAX if none. */
static size_t prev_slot(const struct data_node *d, size_t before, int want)
{
	if (before == 0)
		return SIZE_MAX;
	size_t i = before - 1, w = i >> 6;
	uint64_t bits = want ? d->bitmap[w] : ~d->bitmap[w];
	if ((i & 63) != 63)
		bits &= (2ull << (i & 63)) - 1;
	for (;;) {
		if (bits)
			return (w << 6) + 63 - (size_t)__builtin_clzll(bits);
		if (w-- == 0)
			return SIZE_MAX;
		bits = want ? d->bitmap[w] : ~d->bitmap[w];
	}
}

/* ------------------------------------------------------ node lifetimes */

static void free_data_node(struct alex *a, struct data_node *d)
{
	if (!d)
		return;
	if (d->keys)
		a->bytes -= d->capacity * 16 + ((d->capacity + 63) >> 6) * 8;
	free(d->keys);
	a->bytes -= sizeof *d;
	free(d);
}

static struct data_node *new_data_node(struct alex *a)
{
	struct data_node *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->hdr.is_leaf = 1;
	a->bytes += sizeof *d;
	return d;
}

static struct model_node *new_model_node(struct alex *a, size_t fanout)
{
	struct model_node *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->children = ix_alloc_large(fanout * sizeof *m->children);
	if (!m->children) {
		free(m);
		return NULL;
	}
	memset(m->children, 0, fanout * sizeof *m->children);
	m->fanout = fanout;
	a->bytes += sizeof *m + fanout * sizeof *m->children;
	return m;
}

/* A model node without its children. */
static void free_model_node(struct alex *a, struct model_node *m)
{
	a->bytes -= sizeof *m + m->fanout * sizeof *m->children;
	free(m->children);
	free(m);
}

static void free_subtree(struct alex *a, struct node *n);

/* A model node and everything below it. */
static void free_model_tree(struct alex *a, struct model_node *m)
{
	for (size_t i = 0; i < m->fanout;) {
		struct node *c = m->children[i];
		size_t step = c ? (size_t)1 << c->dup : 1;
		free_subtree(a, c);
		i += step;
	}
	free_model_node(a, m);
}

static void free_subtree(struct alex *a, struct node *n)
{
	if (!n)
		return;
	if (n->is_leaf)
		free_data_node(a, (struct data_node *)n);
	else
		free_model_tree(a, (struct model_node *)n);
}

/* ------------------------------------------------------------ cost model */

/* log2(distance + 1), the exponential search iterations a distance costs.
 * The cost model needs it for every key of every node it costs and every
 * insert, so it is computed from the bit width, interpolating linearly
 * between powers of two (at most 0.09 below the true value), instead of by
 * a libm call. */
static inline double search_iterations(size_t distance)
{
	if (distance == 0)
		return 0;
	uint64_t x = (uint64_t)distance + 1;
	unsigned bits = 63 - (unsigned)__builtin_clzll(x); /* floor(log2 x) */
	uint64_t low = (uint64_t)1 << bits;
	return (double)bits + (double)(x - low) / (double)low;
}

/* Accumulates the cost of a model-based placement (paper §4.3): 20 x mean
 * exponential search iterations from predicted to actual slot + 0.5 x
 * expected shifts per insert (a run of L packed keys costs L/4 shifts for
 * an insert landing in it, with probability L/n). */
struct placement_cost {
	double iterations, shifts;
	size_t last, run_start, count;
};

static inline void placement_add(struct placement_cost *c, size_t pred,
				 size_t pos)
{
	c->iterations += search_iterations(pos > pred ? pos - pred : pred - pos);
	if (c->count == 0 || pos > c->last + 1) {
		if (c->count) {
			double len = (double)(c->last - c->run_start + 1);
			c->shifts += len * len / 4;
		}
		c->run_start = pos;
	}
	c->last = pos;
	c->count++;
}

static double placement_finish(const struct alex *a, struct placement_cost *c)
{
	if (c->count == 0)
		return 0;
	double len = (double)(c->last - c->run_start + 1);
	double shifts = c->shifts + len * len / 4, n = (double)c->count;
	return COST_SEARCH_ITER * c->iterations / n +
	       COST_SHIFT * a->insert_frac * shifts / n;
}

/* Expected cost per key of a data node holding keys at `density`: the
 * placement data_fill would make, costed without building it. */
static double data_cost(const struct alex *a, const uint64_t *keys, size_t n,
			double density)
{
	if (n == 0)
		return 0;
	size_t cap = (size_t)ceil((double)n / density);
	if (cap < n + 1)
		cap = n + 1;
	struct line l = fit_rank_line(keys, n);
	line_scale(&l, (double)cap / (double)n);
	struct placement_cost c = {0};
	size_t last = 0;
	for (size_t i = 0; i < n; i++) {
		double r = key_offset(keys[i], l.base) * l.slope + l.intercept;
		size_t pred = !(r > 0) ? 0 : r >= (double)(cap - 1) ? cap - 1 : (size_t)r;
		size_t pos = (i == 0 || pred > last) ? pred : last + 1;
		if (pos > cap - (n - i))
			pos = cap - (n - i);
		placement_add(&c, pred, pos);
		last = pos;
	}
	return placement_finish(a, &c);
}

/* -------------------------------------------------------- data node build */

enum placement {
	SPREAD,     /* keys over the whole array (bulk load, split) */
	KEEP_LEFT,  /* appends expected on the right: keys in the left part */
	KEEP_RIGHT, /* appends expected on the left: keys in the right part */
};

static size_t capacity_for(const struct alex *a, size_t n, double density)
{
	size_t cap = (size_t)ceil((double)n / density);
	if (cap > a->max_slots)
		cap = a->max_slots;
	if (cap < n + 2)
		cap = n + 2;
	if (cap < MIN_CAPACITY)
		cap = MIN_CAPACITY;
	return cap;
}

/* Gap values: each gap holds the next real key to its right, so keys[] is
 * sorted and the last slot <= k is k's own slot when k is present.  Gaps
 * after the last key hold UINT64_MAX and gaps before the first key hold 0,
 * so appends at either end never rewrite a run of gaps (keys 0 and
 * UINT64_MAX, which such gaps can equal, check the bitmap when found). */
static void data_fill_gaps(struct data_node *d)
{
	uint64_t next = UINT64_MAX;
	for (size_t s = d->capacity; s-- > 0;) {
		if (slot_used(d, s))
			next = d->keys[s];
		else
			d->keys[s] = next;
	}
	if (d->num_keys)
		for (size_t s = 0; !slot_used(d, s); s++)
			d->keys[s] = 0;
}

/* (Re)fills d from sorted unique keys: trains the slot model, places each
 * key at its predicted slot or the next free one (model-based bulk load),
 * then fills gaps right to left with the next key.  Allocates the new
 * arrays before freeing the old ones, so failure leaves d unchanged. */
static int data_fill(struct alex *a, struct data_node *d, const uint64_t *keys,
		     const uint64_t *vals, size_t n, double density,
		     enum placement how)
{
	size_t cap = capacity_for(a, n, density);
	size_t words = (cap + 63) >> 6;
	uint64_t *block = ix_alloc_large(cap * 16 + words * 8);
	if (!block)
		return -1;
	if (d->keys)
		a->bytes -= d->capacity * 16 + ((d->capacity + 63) >> 6) * 8;
	free(d->keys);
	a->bytes += cap * 16 + words * 8;
	d->keys = block;
	d->vals = block + cap;
	d->bitmap = block + 2 * cap;
	memset(d->bitmap, 0, words * 8);
	d->capacity = cap;
	d->num_keys = n;
	size_t thr = (size_t)((double)cap * a->max_density);
	d->threshold = thr < n + 1 ? n + 1 : thr > cap - 1 ? cap - 1 : thr;

	/* Where the keys go: the whole array, or (for append patterns) the
	 * part they would fill at max density, leaving room on one side. */
	double span = (double)cap;
	if (how != SPREAD) {
		span = ceil((double)n / a->max_density);
		if (span > (double)cap)
			span = (double)cap;
	}
	d->model = fit_rank_line(keys, n);
	if (n)
		line_scale(&d->model, span / (double)n);
	if (how == KEEP_RIGHT)
		d->model.intercept += (double)cap - span;

	struct placement_cost cost = {0};
	size_t last = 0;
	for (size_t i = 0; i < n; i++) {
		size_t pred = data_predict(d, keys[i]);
		size_t pos = (i == 0 || pred > last) ? pred : last + 1;
		if (pos > cap - (n - i))
			pos = cap - (n - i);
		d->keys[pos] = keys[i];
		d->vals[pos] = vals[i];
		slot_set(d, pos);
		placement_add(&cost, pred, pos);
		last = pos;
	}
	for (size_t s = 0; s < cap; s++)
		if (!slot_used(d, s))
			d->vals[s] = 0;
	data_fill_gaps(d);
	if (n) {
		d->min_key = keys[0];
		d->max_key = keys[n - 1];
	}
	d->expected_cost = placement_finish(a, &cost);
	d->inserts = d->shifts = d->appends_left = d->appends_right = 0;
	d->search_iters = 0;
	return 0;
}

static struct data_node *build_placed(struct alex *a, const uint64_t *keys,
				      const uint64_t *vals, size_t n,
				      double density, enum placement how)
{
	struct data_node *d = new_data_node(a);
	if (!d)
		return NULL;
	if (data_fill(a, d, keys, vals, n, density, how)) {
		free_data_node(a, d);
		return NULL;
	}
	return d;
}

static struct data_node *build_data_node(struct alex *a, const uint64_t *keys,
					 const uint64_t *vals, size_t n,
					 double density)
{
	return build_placed(a, keys, vals, n, density, SPREAD);
}

/* A node rebuilt after mostly appends at one end keeps its keys away from
 * that end, so the appends that follow find gaps where the model puts
 * them (the reference's "append mostly right/left"). */
static enum placement append_placement(const struct data_node *d)
{
	if (d->appends_right * 2 > d->inserts)
		return KEEP_LEFT;
	if (d->appends_left * 2 > d->inserts)
		return KEEP_RIGHT;
	return SPREAD;
}

/* Copies the real entries of d, in order, into fresh arrays. */
static int data_compact(const struct data_node *d, uint64_t **keys,
			uint64_t **vals)
{
	size_t n = d->num_keys ? d->num_keys : 1;
	*keys = malloc(n * sizeof **keys);
	*vals = malloc(n * sizeof **vals);
	if (!*keys || !*vals) {
		free(*keys), free(*vals);
		return -1;
	}
	size_t j = 0;
	for (size_t s = next_slot(d, 0, 1); s < d->capacity; s = next_slot(d, s + 1, 1)) {
		(*keys)[j] = d->keys[s];
		(*vals)[j++] = d->vals[s];
	}
	return 0;
}

/* ----------------------------------------------------------- fanout tree */

/* One level of the fanout tree (paper §4.3, Appendix): the node's key
 * space cut into 2^level equal parts by its model, with each part's cost
 * as a data node. */
struct ft_level {
	size_t *bounds; /* fanout + 1 key positions */
	double *cost;   /* per-key cost of each part as a data node */
	unsigned char *used;
};

static void ft_free(struct ft_level *lv, int count)
{
	for (int i = 0; i < count; i++)
		free(lv[i].bounds), free(lv[i].cost), free(lv[i].used);
}

/* Fills level `level`; returns its total cost, or -1 when out of memory. */
static double ft_compute_level(const struct alex *a, const uint64_t *keys,
			       size_t n, size_t total, const struct line *unit,
			       int level, struct ft_level *lv)
{
	size_t fanout = (size_t)1 << level;
	lv->bounds = malloc((fanout + 1) * sizeof *lv->bounds);
	lv->cost = malloc(fanout * sizeof *lv->cost);
	lv->used = calloc(fanout, 1);
	if (!lv->bounds || !lv->cost || !lv->used)
		return -1;
	struct model_node m = {.model = *unit, .offset = 0, .fanout = fanout};
	line_scale(&m.model, (double)fanout);
	size_t child = 0;
	lv->bounds[0] = 0;
	for (size_t i = 0; i < n; i++) {
		size_t c = model_route(&m, keys[i]);
		while (child < c)
			lv->bounds[++child] = i;
	}
	while (child < fanout)
		lv->bounds[++child] = n;
	double cost = 0;
	for (size_t j = 0; j < fanout; j++) {
		size_t nj = lv->bounds[j + 1] - lv->bounds[j];
		double c = data_cost(a, keys + lv->bounds[j], nj, a->init_density);
		if (nj > a->max_data_keys)
			c += COST_NODE_LOOKUP; /* will need another level */
		lv->cost[j] = c;
		lv->used[j] = 1;
		cost += c * (double)nj / (double)n;
	}
	return cost + COST_NODE_LOOKUP +
	       COST_MODEL_BYTE * (double)fanout * sizeof(void *) *
		       (double)total / (double)n;
}

/* Grows the fanout tree level by level until the cost has risen twice in
 * a row, keeps the cheapest level, then merges sibling parts bottom-up
 * wherever one data node for both is no more expensive.  Returns the best
 * level (0: stay a data node) or -1 when out of memory. */
static int ft_best_fanout(const struct alex *a, const uint64_t *keys, size_t n,
			  size_t total, const struct line *unit,
			  struct ft_level *lv, int *levels)
{
	int max_level = 0;
	while (((size_t)2 << max_level) <= a->max_fanout && max_level < 40)
		max_level++;
	double best_cost = n <= a->max_data_keys
				   ? data_cost(a, keys, n, a->init_density)
				   : INFINITY;
	double prev = best_cost, prev2 = INFINITY;
	int best = 0;
	*levels = 1;
	lv[0].bounds = NULL, lv[0].cost = NULL, lv[0].used = NULL;
	for (int level = 1; level <= max_level; level++) {
		double c = ft_compute_level(a, keys, n, total, unit, level, &lv[level]);
		*levels = level + 1;
		if (c < 0)
			return -1;
		if (c < best_cost)
			best_cost = c, best = level;
		/* Stop once the cost rose twice, counting only levels whose
		 * parts all fit in a data node: before that, the penalty for
		 * oversized parts hides the trend. */
		int fits = 1;
		for (size_t j = 0; j < ((size_t)1 << level) && fits; j++)
			fits = lv[level].bounds[j + 1] - lv[level].bounds[j] <= a->max_data_keys;
		if (!fits)
			continue;
		if (c > prev && prev > prev2)
			break;
		prev2 = prev, prev = c;
	}
	/* Levels above the best one start unused; merging marks parts. */
	for (int level = 1; level < best; level++)
		memset(lv[level].used, 0, (size_t)1 << level);
	for (int level = best; level >= 2; level--) {
		/* Level 1 parts would merge into the node itself: not done. */
		size_t half = (size_t)1 << (level - 1);
		int merged = 0;
		for (size_t i = 0; i < half; i++) {
			struct ft_level *cl = &lv[level], *pl = &lv[level - 1];
			if (!cl->used[2 * i] || !cl->used[2 * i + 1])
				continue;
			size_t np = pl->bounds[i + 1] - pl->bounds[i];
			if (np > a->max_data_keys)
				continue;
			size_t nl = cl->bounds[2 * i + 1] - cl->bounds[2 * i];
			size_t nr = cl->bounds[2 * i + 2] - cl->bounds[2 * i + 1];
			double saving = cl->cost[2 * i] * (double)nl +
					cl->cost[2 * i + 1] * (double)nr -
					pl->cost[i] * (double)np;
			if (saving >= 0) {
				cl->used[2 * i] = cl->used[2 * i + 1] = 0;
				pl->used[i] = 1;
				merged = 1;
			}
		}
		if (!merged)
			break;
	}
	return best;
}

/* ------------------------------------------------------------- bulk load */

struct builder {
	struct alex *a;
	size_t total;
	struct data_node *last_leaf;
};

static void link_leaf(struct builder *b, struct data_node *d)
{
	d->prev = b->last_leaf;
	d->next = NULL;
	if (b->last_leaf)
		b->last_leaf->next = d;
	else
		b->a->head = d;
	b->last_leaf = d;
	b->a->tail = d;
}

static struct node *build_node(struct builder *b, const uint64_t *keys,
			       const uint64_t *vals, size_t n);

/* Children of a model node for the used parts of the fanout tree: part j
 * of level L fills slots [j, j+1) * 2^(best-L). */
static int build_children(struct builder *b, struct model_node *m,
			  struct ft_level *lv, int best, int level, size_t j,
			  const uint64_t *keys, const uint64_t *vals)
{
	struct ft_level *l = &lv[level];
	if (level == best || l->used[j]) {
		size_t lo = l->bounds[j], hi = l->bounds[j + 1];
		struct node *c = build_node(b, keys + lo, vals + lo, hi - lo);
		if (!c)
			return -1;
		c->dup = (uint8_t)(best - level);
		size_t width = (size_t)1 << (best - level);
		for (size_t s = j * width; s < (j + 1) * width; s++)
			m->children[s] = c;
		return 0;
	}
	if (build_children(b, m, lv, best, level + 1, 2 * j, keys, vals))
		return -1;
	return build_children(b, m, lv, best, level + 1, 2 * j + 1, keys, vals);
}

/* Decides, by the cost model, whether keys become one data node or a model
 * node with the fanout tree's best fanout, and builds it. */
static struct node *build_node(struct builder *b, const uint64_t *keys,
			       const uint64_t *vals, size_t n)
{
	struct alex *a = b->a;
	if (n <= a->max_data_keys &&
	    (n < 64 || data_cost(a, keys, n, a->init_density) < COST_NODE_LOOKUP)) {
		struct data_node *d = build_data_node(a, keys, vals, n, a->init_density);
		if (d)
			link_leaf(b, d);
		return (struct node *)d;
	}
	struct ft_level lv[42];
	int levels = 0;
	struct line unit = fit_rank_line(keys, n);
	line_scale(&unit, 1.0 / (double)n);
	int best = ft_best_fanout(a, keys, n, b->total, &unit, lv, &levels);
	if (best > 0) {
		/* A line that sends every key to one child makes no progress
		 * (skew, or keys beyond double precision): use the line spanning
		 * min to max, which puts min and max in different halves. */
		int degenerate = 0;
		for (int level = 1; level <= best; level++)
			for (size_t j = 0; j < ((size_t)1 << level); j++)
				if ((level == best || lv[level].used[j]) &&
				    lv[level].bounds[j + 1] - lv[level].bounds[j] == n)
					degenerate = 1;
		if (degenerate) {
			ft_free(lv, levels);
			unit = minmax_unit_line(keys, n);
			best = ft_best_fanout(a, keys, n, b->total, &unit, lv, &levels);
		}
	}
	if (best < 0) {
		ft_free(lv, levels);
		return NULL;
	}
	if (best == 0) {
		ft_free(lv, levels);
		struct data_node *d = build_data_node(a, keys, vals, n, a->init_density);
		if (d)
			link_leaf(b, d);
		return (struct node *)d;
	}
	size_t fanout = (size_t)1 << best;
	struct model_node *m = new_model_node(a, fanout);
	if (!m) {
		ft_free(lv, levels);
		return NULL;
	}
	m->model = unit;
	line_scale(&m->model, (double)fanout);
	/* Parts above the best level were used only if merged into. */
	int rc = build_children(b, m, lv, best, 1, 0, keys, vals);
	if (!rc)
		rc = build_children(b, m, lv, best, 1, 1, keys, vals);
	ft_free(lv, levels);
	if (rc) {
		/* children already built are freed with the node; holes are
		 * NULL pointers (free_subtree skips them). */
		free_model_tree(a, m);
		return NULL;
	}
	a->counters.model_nodes++;
	return (struct node *)m;
}

/* ------------------------------------------------- create and bulk load */

static void *alex_create(const struct param_set *cfg, const struct index_env *env,
			 char *err, size_t errlen)
{
	(void)env;
	double maxd, mind, initd, frac;
	uint64_t node_bytes;
	if (param_double(cfg, "max_density", 0.05, 0.99, &maxd, err, errlen) ||
	    param_double(cfg, "min_density", 0.01, 0.99, &mind, err, errlen) ||
	    param_double(cfg, "init_density", 0.01, 0.99, &initd, err, errlen) ||
	    param_double(cfg, "insert_frac", 0, 1, &frac, err, errlen) ||
	    param_u64(cfg, "max_node_bytes", 1024, 1ull << 34, &node_bytes, err,
		      errlen))
		return NULL;
	int search;
	if (param_choice(cfg, "search", lastmile_names, &search, err, errlen))
		return NULL;
	if (!(mind <= initd && initd <= maxd)) {
		ix_error(err, errlen,
			 "alex needs min_density <= init_density <= max_density");
		return NULL;
	}
	struct alex *a = calloc(1, sizeof *a);
	if (!a) {
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	a->bytes = sizeof *a;
	a->max_density = maxd;
	a->min_density = mind;
	a->init_density = initd;
	a->insert_frac = frac;
	a->search = (enum lastmile_kind)search;
	a->max_slots = node_bytes / 16;
	a->max_fanout = 2;
	while (a->max_fanout * 2 <= node_bytes / sizeof(void *))
		a->max_fanout *= 2;
	a->max_data_keys = (size_t)((double)a->max_slots * initd);
	struct data_node *d = build_data_node(a, NULL, NULL, 0, initd);
	if (!d) {
		free(a);
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	a->root = (struct node *)d;
	a->head = a->tail = d;
	return a;
}

static int alex_bulk_load(void *ix, const uint64_t *keys, const uint64_t *vals,
			  size_t n, char *err, size_t errlen)
{
	struct alex *a = ix;
	/* Build beside the current (empty) structure; keep it on failure. */
	struct node *old_root = a->root;
	struct data_node *old_head = a->head, *old_tail = a->tail;
	struct alex_counters old_counters = a->counters;
	memset(&a->counters, 0, sizeof a->counters);
	struct builder b = {.a = a, .total = n, .last_leaf = NULL};
	struct node *root = build_node(&b, keys, vals, n);
	if (!root) {
		a->head = old_head, a->tail = old_tail;
		a->counters = old_counters;
		ix_error(err, errlen, "out of memory");
		return -1;
	}
	free_subtree(a, old_root);
	a->root = root;
	a->num_keys = n;
	a->keys_at_right_growth = a->keys_at_left_growth = n;
	a->ood_left = a->ood_right = 0;
	return 0;
}

/* ---------------------------------------------------------------- lookup */

static inline struct data_node *descend(const struct alex *a, uint64_t key)
{
	const struct node *n = a->root;
	while (!n->is_leaf) {
		const struct model_node *m = (const struct model_node *)n;
		n = m->children[model_route(m, key)];
	}
	return (struct data_node *)n;
}

/* First slot whose key is > key (capacity if none), by exponential search
 * outward from the predicted slot q and binary search in the last bracket.
 * Correct for any q, so model error only costs time. */
static inline size_t upper_bound_from(const uint64_t *k, size_t cap, size_t q,
				      uint64_t key)
{
	size_t lo, hi, step = 1; /* answer in [lo, hi], k[lo-1] <= key < k[hi] */
	if (k[q] > key) {
		hi = q;
		for (;;) {
			if (hi < step) {
				lo = 0;
				break;
			}
			size_t l = hi - step;
			if (k[l] <= key) {
				lo = l + 1;
				break;
			}
			hi = l;
			step <<= 1;
		}
	} else {
		lo = q + 1;
		for (;;) {
			size_t r = q + step;
			if (r >= cap) {
				hi = cap;
				break;
			}
			if (k[r] > key) {
				hi = r;
				break;
			}
			lo = r + 1;
			step <<= 1;
		}
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (k[mid] <= key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Slot of key in d, or SIZE_MAX.  Gaps hold the next real key, so the last
 * slot <= key is the real entry if the key is present; only UINT64_MAX,
 * which trailing gaps also hold, needs the bitmap. */
/* First slot > key with the configured search (binary, branchless and
 * interpolation ignore the prediction and search the whole node). */
static inline size_t node_upper_bound(enum lastmile_kind kind,
				      const struct data_node *d, size_t q,
				      uint64_t key)
{
	if (kind == LASTMILE_EXPONENTIAL)
		return upper_bound_from(d->keys, d->capacity, q, key);
	if (key == UINT64_MAX)
		return d->capacity;
	return lastmile_lower_bound(kind, d->keys, 0, d->capacity, q, key + 1);
}

/* Slot of key in d given ub, the first slot whose key is > key; SIZE_MAX
 * if key is absent. */
static inline size_t data_slot_of(const struct data_node *d, size_t ub,
				  uint64_t key)
{
	if (ub == 0 || d->keys[ub - 1] != key)
		return SIZE_MAX;
	if (key == UINT64_MAX) {
		size_t last = prev_slot(d, d->capacity, 1);
		return last != SIZE_MAX && d->keys[last] == key ? last : SIZE_MAX;
	}
	if (key == 0) /* leading gaps hold 0 too */
		return slot_used(d, ub - 1) ? ub - 1 : SIZE_MAX;
	return ub - 1;
}

static inline size_t data_find(enum lastmile_kind kind,
			       const struct data_node *d, size_t q, uint64_t key)
{
	return data_slot_of(d, node_upper_bound(kind, d, q, key), key);
}

static bool alex_get(void *ix, uint64_t key, uint64_t *val)
{
	const struct alex *a = ix;
	const struct data_node *d = descend(a, key);
	/* The value is almost always beside the predicted slot: fetch its
	 * line while the key search runs, overlapping the two misses. */
	size_t q = data_predict(d, key);
	__builtin_prefetch(d->vals + q);
	size_t s = data_find(a->search, d, q, key);
	if (s == SIZE_MAX)
		return false;
	*val = d->vals[s];
	return true;
}

/* ------------------------------------------------------------------ scan */

static size_t alex_scan(void *ix, uint64_t lo, uint64_t hi, size_t max,
			uint64_t *sum)
{
	const struct alex *a = ix;
	const struct data_node *d = descend(a, lo);
	/* First slot >= lo: the upper bound of lo - 1. */
	size_t s = lo == 0 ? 0
			   : node_upper_bound(a->search, d, data_predict(d, lo - 1), lo - 1);
	size_t seen = 0;
	uint64_t acc = 0;
	if (max == 0)
		goto done;
	/* Walk the occupied slots a bitmap word at a time, leaf to leaf. */
	for (; d; d = d->next, s = 0) {
		size_t words = (d->capacity + 63) >> 6, w = s >> 6;
		if (s >= d->capacity)
			continue;
		uint64_t bits = d->bitmap[w] & (~0ull << (s & 63));
		for (;;) {
			while (bits) {
				size_t i = (w << 6) + (size_t)__builtin_ctzll(bits);
				bits &= bits - 1;
				if (d->keys[i] > hi)
					goto done;
				acc += d->vals[i];
				if (++seen == max)
					goto done;
			}
			if (++w >= words)
				break;
			bits = d->bitmap[w];
		}
	}
done:
	*sum += acc;
	return seen;
}

/* ---------------------------------------------------------------- insert */

/* Inserts a key known to be absent into a data node with room (paper §3.2,
 * model-based insertion): if the key's place is a gap, it goes there (as
 * near its predicted slot as order allows); otherwise the keys between its
 * place and the nearest gap shift one slot toward that gap.  q is the
 * predicted slot, pos the first slot whose key is > key. */
static void data_insert(struct data_node *d, uint64_t key, uint64_t val,
			size_t q, size_t pos)
{
	size_t cap = d->capacity;
	if (key == UINT64_MAX) /* trailing gaps hold it too: go after the last key */
		pos = d->num_keys ? prev_slot(d, cap, 1) + 1 : 0;
	size_t dist = pos > q ? pos - q : q - pos, moved = 0, at;
	if (pos < cap && !slot_used(d, pos)) {
		/* A gap run starts at pos (slot pos-1 holds a smaller real key),
		 * and any slot of it keeps the order. */
		at = pos;
		if (q > pos) {
			size_t end = next_slot_upto(d, pos, 1, q + 1);
			at = q < end ? q : end - 1;
		}
		/* Gaps left of it now precede it; pos == 0 only in an empty
		 * node, whose gaps before its first key hold 0. */
		uint64_t fill = pos == 0 ? 0 : key;
		for (size_t g = at; g > pos; g--)
			d->keys[g - 1] = fill;
	} else {
		size_t right = next_slot(d, pos, 0);
		size_t left = prev_slot(d, pos, 0);
		if (right < cap && (left == SIZE_MAX || right - pos <= pos - left)) {
			memmove(d->keys + pos + 1, d->keys + pos, (right - pos) * 8);
			memmove(d->vals + pos + 1, d->vals + pos, (right - pos) * 8);
			slot_set(d, right);
			moved = right - pos;
			at = pos;
		} else {
			memmove(d->keys + left, d->keys + left + 1, (pos - 1 - left) * 8);
			memmove(d->vals + left, d->vals + left + 1, (pos - 1 - left) * 8);
			slot_set(d, left);
			moved = pos - 1 - left;
			at = pos - 1;
		}
	}
	d->keys[at] = key;
	d->vals[at] = val;
	slot_set(d, at);
	if (d->num_keys == 0) {
		d->min_key = d->max_key = key;
	} else if (key > d->max_key) {
		d->max_key = key;
		d->appends_right++;
	} else if (key < d->min_key) {
		d->min_key = key;
		d->appends_left++;
	}
	d->num_keys++;
	d->inserts++;
	d->shifts += moved;
	d->search_iters += search_iterations(dist);
}

/* Where a data node sits: its parent (NULL for the root) and the slot the
 * key was routed through. */
struct leaf_path {
	struct data_node *leaf;
	struct model_node *parent;
	size_t slot;
};

static void find_leaf(const struct alex *a, uint64_t key, struct leaf_path *p)
{
	struct node *n = a->root;
	p->parent = NULL;
	p->slot = 0;
	while (!n->is_leaf) {
		struct model_node *m = (struct model_node *)n;
		p->parent = m;
		p->slot = model_route(m, key);
		n = m->children[p->slot];
	}
	p->leaf = (struct data_node *)n;
}

/* Puts fresh data nodes in place of `old` in the leaf list. */
static void relink(struct alex *a, struct data_node *old,
		   struct data_node *first, struct data_node *last)
{
	first->prev = old->prev;
	last->next = old->next;
	if (old->prev)
		old->prev->next = first;
	else
		a->head = first;
	if (old->next)
		old->next->prev = last;
	else
		a->tail = last;
}

/* First of the n sorted keys that m routes to slot >= s. */
static size_t route_partition(const struct model_node *m, const uint64_t *keys,
			      size_t n, size_t s)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (model_route(m, keys[mid]) < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Line of a downward split's new model node (before scaling to fanout
 * 2): spanning the keys, or, for a balanced split, putting the boundary
 * between the two middle keys (a node whose inserts are catastrophic holds
 * keys the spanning line would leave almost all on one side). */
static struct line downward_line(const uint64_t *keys, size_t n, int balanced)
{
	struct line l = minmax_unit_line(keys, n);
	if (balanced && n >= 2) {
		size_t mid = n / 2;
		double half = (double)(keys[mid - 1] - keys[0]) +
			      (double)(keys[mid] - keys[mid - 1]) / 2.0;
		l.slope = 0.5 / half;
	}
	return l;
}

/* How split_leaf will divide a full data node's n sorted keys, decided
 * without changing anything: sideways (into the parent, doubling it first
 * when the node has a single pointer) by the parent's own routing, or
 * downward by a line spanning the keys.  With `balanced` (catastrophic
 * cost), a sideways cut leaving less than a quarter of the keys on one
 * side becomes a downward split at the median instead, unless the node's
 * inserts were mostly appends at one end. */
static size_t split_cut(const struct alex *a, const struct leaf_path *p,
			const uint64_t *keys, size_t n, int balanced,
			int *sideways)
{
	const struct model_node *m = p->parent;
	const struct data_node *d = p->leaf;
	*sideways = m && (d->hdr.dup > 0 || m->fanout * 2 <= a->max_fanout);
	struct model_node probe = {.fanout = 2};
	if (*sideways) {
		probe = *m;
		size_t slot = p->slot, dup = d->hdr.dup;
		if (dup == 0) { /* as double_fanout will do it */
			line_scale(&probe.model, 2.0);
			probe.offset *= 2;
			probe.fanout *= 2;
			slot *= 2;
			dup = 1;
		}
		size_t width = (size_t)1 << dup, start = slot & ~(width - 1);
		size_t cut = route_partition(&probe, keys, n, start + width / 2);
		/* A node filled by appends at one end keeps its keys and hands
		 * the far half of its block to an empty node for the appends
		 * to come: a downward split there would start a chain of
		 * two-way model nodes, one more level per split. */
		if (!balanced || (cut >= n / 4 && n - cut >= n / 4) ||
		    append_placement(d) != SPREAD)
			return cut;
		*sideways = 0;
		probe = (struct model_node){.fanout = 2};
	}
	if (n)
		probe.model = downward_line(keys, n, balanced);
	line_scale(&probe.model, 2.0);
	return route_partition(&probe, keys, n, 1);
}

/* Builds the two halves of a split: keys[0, cut) and keys[cut, n). */
static int build_pair(struct alex *a, const uint64_t *keys, const uint64_t *vals,
		      size_t n, size_t cut, enum placement how,
		      struct data_node **l, struct data_node **r)
{
	*l = build_placed(a, keys, vals, cut, a->init_density, how);
	*r = *l ? build_placed(a, keys + cut, vals + cut, n - cut, a->init_density, how)
		: NULL;
	if (!*r) {
		free_data_node(a, *l);
		return -1;
	}
	(*l)->next = *r;
	(*r)->prev = *l;
	return 0;
}

/* Doubles a model node's fanout: every child keeps its keys (slot s maps to
 * 2s and 2s+1 exactly, as fma scales by 2 without rounding) and its block
 * of pointers doubles. */
static int double_fanout(struct alex *a, struct model_node *m)
{
	struct node **c = malloc(2 * m->fanout * sizeof *c);
	if (!c)
		return -1;
	for (size_t i = 0; i < m->fanout; i++)
		c[2 * i] = c[2 * i + 1] = m->children[i];
	for (size_t i = 0; i < m->fanout;) {
		struct node *child = m->children[i];
		i += (size_t)1 << child->dup;
		child->dup++;
	}
	free(m->children);
	a->bytes += m->fanout * sizeof *c;
	m->children = c;
	m->fanout *= 2;
	line_scale(&m->model, 2.0);
	m->offset *= 2;
	a->counters.parent_doublings++;
	return 0;
}

/* Sideways split (paper §3.3.2): the data node's block of duplicated
 * pointers is halved between two new data nodes, keys divided by the
 * parent's own routing; a node with a single pointer first doubles the
 * parent.  Downward split: the data node becomes a model node with two
 * data node children, its line spanning the node's keys. */
static int split_leaf(struct alex *a, struct leaf_path *p,
		      const uint64_t *keys, const uint64_t *vals, int balanced)
{
	struct data_node *d = p->leaf, *l, *r;
	struct model_node *m = p->parent;
	size_t n = d->num_keys;
	int sideways;
	size_t cut = split_cut(a, p, keys, n, balanced, &sideways);
	if (build_pair(a, keys, vals, n, cut, append_placement(d), &l, &r))
		return -1;
	if (sideways) {
		if (d->hdr.dup == 0) {
			if (double_fanout(a, m)) {
				free_data_node(a, l), free_data_node(a, r);
				return -1;
			}
			p->slot *= 2;
		}
		size_t width = (size_t)1 << d->hdr.dup;
		size_t start = p->slot & ~(width - 1), mid = start + width / 2;
		l->hdr.dup = r->hdr.dup = (uint8_t)(d->hdr.dup - 1);
		for (size_t s = start; s < mid; s++)
			m->children[s] = (struct node *)l;
		for (size_t s = mid; s < start + width; s++)
			m->children[s] = (struct node *)r;
		a->counters.sideways_splits++;
	} else {
		struct model_node *nm = new_model_node(a, 2);
		if (!nm) {
			free_data_node(a, l), free_data_node(a, r);
			return -1;
		}
		if (n)
			nm->model = downward_line(keys, n, balanced);
		line_scale(&nm->model, 2.0);
		nm->children[0] = (struct node *)l;
		nm->children[1] = (struct node *)r;
		nm->hdr.dup = d->hdr.dup;
		if (m) {
			size_t width = (size_t)1 << d->hdr.dup;
			size_t start = p->slot & ~(width - 1);
			for (size_t s = start; s < start + width; s++)
				m->children[s] = (struct node *)nm;
		} else {
			a->root = (struct node *)nm;
		}
		a->counters.model_nodes++;
		a->counters.downward_splits++;
	}
	relink(a, d, l, r);
	free_data_node(a, d);
	return 0;
}

/* Average shifts per insert past which a data node's cost is catastrophic
 * (reference implementation), checked every CATASTROPHE_CHECK inserts even
 * before the node is full. */
static int catastrophic(const struct data_node *d)
{
	return d->inserts > 0 &&
	       (double)d->shifts / (double)d->inserts > CATASTROPHIC_SHIFTS;
}

/* A full data node (density at the upper bound) either expands and
 * retrains, or splits (paper §3.3): it must split when expanding would pass
 * the maximum node size or when its inserts' cost is catastrophic (then in
 * two balanced halves, as the reference always splits in two then); it may
 * split when its inserts cost far more than the cost model expected (1.5x
 * the expected cost) and the cost model says two nodes beat one retrained
 * node.  make_room is also called on a node not yet full whose cost turned
 * catastrophic. */
static int make_room(struct alex *a, struct leaf_path *p)
{
	struct data_node *d = p->leaf;
	size_t n = d->num_keys;
	int split = (double)(n + 1) / a->min_density > (double)a->max_slots;
	int balanced = !split && n >= 2 && catastrophic(d);
	uint64_t *keys, *vals;
	if (data_compact(d, &keys, &vals))
		return -1;
	if (balanced) {
		split = 1;
	} else if (!split && d->inserts > 0) {
		double ins = (double)d->inserts;
		double shifts = (double)d->shifts / ins;
		double empirical = COST_SEARCH_ITER * d->search_iters / ins +
				   COST_SHIFT * a->insert_frac * shifts;
		if (empirical > COST_NODE_LOOKUP &&
		    empirical > COST_DEVIATION * d->expected_cost) {
			/* One retrained node, or the two halves of a split? */
			int sideways;
			size_t cut = split_cut(a, p, keys, n, 0, &sideways);
			double one = data_cost(a, keys, n, a->min_density);
			double two = (data_cost(a, keys, cut, a->init_density) * (double)cut +
				      data_cost(a, keys + cut, n - cut, a->init_density) *
					      (double)(n - cut)) / (double)n;
			if (!sideways)
				two += COST_NODE_LOOKUP;
			split = two < one;
		}
	}
	int rc;
	if (split) {
		rc = split_leaf(a, p, keys, vals, balanced);
		if (!rc && balanced)
			a->counters.catastrophic_splits++;
	} else {
		rc = data_fill(a, d, keys, vals, n, a->min_density,
			       append_placement(d));
		if (!rc)
			a->counters.expansions++;
	}
	free(keys), free(vals);
	return rc;
}

/* ------------------------------------------------------ key domain growth */

/* Recomputes every gap (the next real key, UINT64_MAX after the last) and
 * the node's min and max after real keys were removed. */
static void data_refresh_gaps(struct data_node *d)
{
	data_fill_gaps(d);
	if (d->num_keys) {
		d->min_key = d->keys[next_slot(d, 0, 1)];
		d->max_key = d->keys[prev_slot(d, d->capacity, 1)];
	}
}

/* Growth is deferred until enough keys arrived outside the domain,
 * relative to how much the index grew since the last growth (reference
 * implementation's rule), so a lone outlier does not stretch the root. */
static int should_grow(uint64_t outside, size_t num_keys, uint64_t at_last)
{
	if (outside >= OOD_MAX_KEYS)
		return 1;
	if (outside < OOD_MIN_KEYS)
		return 0;
	double growth = at_last ? (double)num_keys / (double)at_last - 1 : 0;
	return (double)outside >= OOD_TOLERANCE * growth;
}

struct moved_from {
	struct data_node *leaf;
	size_t slot; /* right: real keys at >= slot move; left: at < slot */
};

/* The key domain grows (paper §3.4): keys beyond the root's model range
 * were clamped into the outermost data nodes.  The root's pointer array
 * grows by a power of two toward the new keys (its model unchanged, so
 * existing keys keep their slots), or, when that would pass the maximum
 * fanout, a new root of fanout 2 goes above the old one.  The new slots
 * get new data nodes, one per power-of-two block, and the keys that now
 * route there move out of the outermost data nodes.  Everything is
 * allocated before anything changes. */
static int grow_domain(struct alex *a, uint64_t key, int right)
{
	struct model_node *root = (struct model_node *)a->root;
	size_t n = root->fanout;
	int64_t slot = model_slot_unclamped(root, key);
	double need = right ? ((double)slot + 1) / (double)n
			    : (double)(-slot) / (double)n + 1;
	size_t f = 2;
	while ((double)f < need && f < ((size_t)1 << 40))
		f *= 2;
	int in_place = f <= a->max_fanout / n; /* n * f could overflow */
	struct model_node probe = *root; /* the root's routing after growth */
	size_t region_lo, region_hi, blocks = 0;
	if (in_place) {
		probe.fanout = n * f;
		if (!right)
			probe.offset += (int64_t)(n * (f - 1));
		region_lo = right ? n : 0;
		region_hi = right ? n * f : n * (f - 1);
		for (size_t w = n; w < n * f; w *= 2)
			blocks++;
	} else {
		probe.model.base = key;
		probe.model.slope = root->model.slope / (double)n;
		probe.model.intercept = right ? 1.0 : 0.0;
		probe.offset = 0;
		probe.fanout = 2;
		region_lo = right ? 1 : 0;
		region_hi = right ? 2 : 1;
		blocks = 1;
	}

	/* Which keys move: a suffix (right) or prefix (left) of the order. */
	size_t nmoved = 0, nleaves = 0, cap_leaves = 16;
	struct moved_from *from = malloc(cap_leaves * sizeof *from);
	uint64_t *keys = NULL, *vals = NULL;
	struct data_node *made[64] = {0};
	struct node **children = NULL;
	struct model_node *new_root = NULL;
	if (!from)
		return -1;
	for (struct data_node *d = right ? a->tail : a->head; d;
	     d = right ? d->prev : d->next) {
		size_t lo = 0, hi = d->capacity; /* first slot routed past the edge */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			size_t r = model_route(&probe, d->keys[mid]);
			if (right ? r < region_lo : r < region_hi)
				lo = mid + 1;
			else
				hi = mid;
		}
		size_t count = 0;
		for (size_t s = right ? next_slot(d, lo, 1) : next_slot(d, 0, 1);
		     s < (right ? d->capacity : lo); s = next_slot(d, s + 1, 1))
			count++;
		if (count == 0 && d->num_keys)
			break;
		if (nleaves == cap_leaves) {
			struct moved_from *m2 = realloc(from, 2 * cap_leaves * sizeof *from);
			if (!m2)
				goto fail;
			from = m2;
			cap_leaves *= 2;
		}
		from[nleaves].leaf = d;
		from[nleaves++].slot = lo;
		nmoved += count;
		if (count < d->num_keys)
			break;
	}
	keys = malloc((nmoved ? nmoved : 1) * sizeof *keys);
	vals = malloc((nmoved ? nmoved : 1) * sizeof *vals);
	if (!keys || !vals)
		goto fail;
	size_t j = 0;
	for (size_t i = 0; i < nleaves; i++) { /* in key order */
		struct moved_from *mf = &from[right ? nleaves - 1 - i : i];
		struct data_node *d = mf->leaf;
		for (size_t s = right ? next_slot(d, mf->slot, 1) : next_slot(d, 0, 1);
		     s < (right ? d->capacity : mf->slot); s = next_slot(d, s + 1, 1))
			keys[j] = d->keys[s], vals[j++] = d->vals[s];
	}

	/* New data nodes, in key order, one per block of the new region. */
	size_t block_lo[64], block_w[64];
	if (in_place) {
		for (size_t b = 0, w = n; b < blocks; b++, w *= 2) {
			size_t idx = right ? b : blocks - 1 - b;
			block_w[idx] = w;
			block_lo[idx] = right ? w : n * f - 2 * w;
		}
	} else {
		block_w[0] = 1;
		block_lo[0] = region_lo;
	}
	for (size_t b = 0; b < blocks; b++) {
		size_t lo = route_partition(&probe, keys, nmoved, block_lo[b]);
		size_t hi = route_partition(&probe, keys, nmoved, block_lo[b] + block_w[b]);
		made[b] = build_data_node(a, keys + lo, vals + lo, hi - lo, a->init_density);
		if (!made[b])
			goto fail;
		made[b]->hdr.dup = (uint8_t)__builtin_ctzll(block_w[b]);
		if (b) {
			made[b - 1]->next = made[b];
			made[b]->prev = made[b - 1];
		}
	}
	if (in_place) {
		children = malloc(n * f * sizeof *children);
		if (!children)
			goto fail;
	} else {
		new_root = new_model_node(a, 2);
		if (!new_root)
			goto fail;
	}

	/* Commit. */
	if (in_place) {
		memcpy(children + (right ? 0 : n * (f - 1)), root->children,
		       n * sizeof *children);
		for (size_t b = 0; b < blocks; b++)
			for (size_t s = block_lo[b]; s < block_lo[b] + block_w[b]; s++)
				children[s] = (struct node *)made[b];
		free(root->children);
		a->bytes += (n * f - n) * sizeof *children;
		root->children = children;
		root->fanout = n * f;
		root->offset = probe.offset;
		a->counters.root_expansions++;
	} else {
		new_root->model = probe.model;
		new_root->children[right ? 0 : 1] = a->root;
		new_root->children[right ? 1 : 0] = (struct node *)made[0];
		a->root->dup = 0;
		a->root = (struct node *)new_root;
		a->counters.model_nodes++;
		a->counters.new_roots++;
	}
	for (size_t i = 0; i < nleaves; i++) {
		struct data_node *d = from[i].leaf;
		size_t end = right ? d->capacity : from[i].slot;
		for (size_t s = next_slot(d, right ? from[i].slot : 0, 1); s < end;
		     s = next_slot(d, s + 1, 1)) {
			slot_clear(d, s);
			d->num_keys--;
		}
		data_refresh_gaps(d);
	}
	struct data_node *first = made[0], *last = made[blocks - 1];
	if (right) {
		first->prev = a->tail;
		a->tail->next = first;
		a->tail = last;
	} else {
		last->next = a->head;
		a->head->prev = last;
		a->head = first;
	}
	if (right)
		a->ood_right = 0, a->keys_at_right_growth = a->num_keys;
	else
		a->ood_left = 0, a->keys_at_left_growth = a->num_keys;
	free(from), free(keys), free(vals);
	return 0;
fail:
	for (size_t b = 0; b < 64; b++)
		free_data_node(a, made[b]);
	free(children);
	if (new_root)
		free_model_node(a, new_root);
	free(from), free(keys), free(vals);
	return -1;
}

/* ------------------------------------------------------------ insert API */

static int alex_insert(void *ix, uint64_t key, uint64_t val, char *err,
		       size_t errlen)
{
	struct alex *a = ix;
	struct leaf_path p;
	find_leaf(a, key, &p);
	/* One search serves both the upsert check and the insert, unless a
	 * node is rebuilt in between (stale). */
	int stale = 0;
	size_t q = data_predict(p.leaf, key);
	size_t ub = upper_bound_from(p.leaf->keys, p.leaf->capacity, q, key);
	size_t s = data_slot_of(p.leaf, ub, key);
	if (s != SIZE_MAX) { /* upsert */
		p.leaf->vals[s] = val;
		return 0;
	}
	if (!a->root->is_leaf) {
		const struct model_node *root = (const struct model_node *)a->root;
		int64_t slot = model_slot_unclamped(root, key);
		int right = slot >= (int64_t)root->fanout;
		if (right || slot < 0) {
			uint64_t *outside = right ? &a->ood_right : &a->ood_left;
			uint64_t at_last = right ? a->keys_at_right_growth
						 : a->keys_at_left_growth;
			++*outside;
			if (should_grow(*outside, a->num_keys, at_last)) {
				if (grow_domain(a, key, right))
					goto oom;
				find_leaf(a, key, &p);
				stale = 1;
			}
		}
	}
	/* Catastrophic cost is checked periodically, not only when full. */
	if (p.leaf->inserts >= CATASTROPHE_CHECK &&
	    p.leaf->inserts % CATASTROPHE_CHECK == 0 && catastrophic(p.leaf)) {
		if (make_room(a, &p))
			goto oom;
		find_leaf(a, key, &p);
		stale = 1;
	}
	while (p.leaf->num_keys >= p.leaf->threshold) {
		if (make_room(a, &p))
			goto oom;
		find_leaf(a, key, &p);
		stale = 1;
	}
	if (stale) {
		q = data_predict(p.leaf, key);
		ub = upper_bound_from(p.leaf->keys, p.leaf->capacity, q, key);
	}
	data_insert(p.leaf, key, val, q, ub);
	a->num_keys++;
	return 0;
oom:
	ix_error(err, errlen, "out of memory");
	return -1;
}

/* ------------------------------------------------------------------ size */

static size_t alex_total_bytes(void *ix)
{
	return ((struct alex *)ix)->bytes;
}

static size_t alex_index_bytes(void *ix)
{
	const struct alex *a = ix;
	return a->bytes - a->num_keys * 2 * sizeof(uint64_t);
}

/* Model quality: for every key, log2 of the distance from its predicted
 * slot to its slot (what exponential search pays). */
static void alex_stats(void *ix, struct index_stats *out)
{
	const struct alex *a = ix;
	double sum = 0, max = 0;
	uint64_t leaves = 0;
	for (const struct data_node *d = a->head; d; d = d->next) {
		leaves++;
		for (size_t s = next_slot(d, 0, 1); s < d->capacity;
		     s = next_slot(d, s + 1, 1)) {
			size_t q = data_predict(d, d->keys[s]);
			double e = (double)(q > s ? q - s : s - q);
			sum += log2(e + 1);
			if (e > max)
				max = e;
		}
	}
	out->mean_log2_err = a->num_keys ? sum / (double)a->num_keys : 0;
	out->max_err = max;
	out->models = leaves;
}

/* Data nodes hold keys and values at a density no lower than min_density
 * (after expansions) or init_density (after bulk load and splits), plus a
 * quarter for bitmaps.  Node headers and pointer arrays depend on the data:
 * 32 B/key covers the measured worst (ipv4geo: 63 B/key in all at density
 * 0.7), and small max_node_bytes make the cost model pick many tiny nodes
 * (220 B/key measured at 4096), hence the growth below 64 KiB.  An
 * expansion briefly holds one node twice. */
static size_t alex_estimate_bytes(const struct param_set *cfg, size_t n)
{
	double mind = 0.6, initd = 0.7;
	uint64_t node_bytes = 16u << 20;
	if (param_double(cfg, "min_density", 0.01, 0.99, &mind, NULL, 0) ||
	    param_double(cfg, "init_density", 0.01, 0.99, &initd, NULL, 0) ||
	    param_u64(cfg, "max_node_bytes", 1024, 1ull << 34, &node_bytes, NULL, 0))
		return n * 64; /* the harness's default; create() names the parameter */
	double density = mind < initd ? mind : initd;
	double headers = 32.0 * (node_bytes < 65536 ? 65536.0 / (double)node_bytes : 1.0);
	return (size_t)((double)n * (2 * sizeof(uint64_t) / density * 1.25 + headers)) +
	       2 * (size_t)node_bytes + (1u << 20);
}

static void alex_destroy(void *ix)
{
	struct alex *a = ix;
	free_subtree(a, a->root);
	free(a);
}

/* ------------------------------------------------------------ test hooks */

struct verify_state {
	const struct alex *a;
	const struct data_node *expect; /* next data node in list order */
	uint64_t last_key, keys, leaves, models, depth;
	int have_last;
	char *err;
	size_t errlen;
};

static int verify_data(struct verify_state *v, const struct data_node *d)
{
	if (d != v->expect) {
		ix_error(v->err, v->errlen, "leaf list out of tree order");
		return -1;
	}
	if (d->next && d->next->prev != d) {
		ix_error(v->err, v->errlen, "prev link broken");
		return -1;
	}
	v->expect = d->next;
	v->leaves++;
	if (d->num_keys >= d->capacity || d->threshold >= d->capacity ||
	    d->threshold < 1) {
		ix_error(v->err, v->errlen, "bad capacity/threshold");
		return -1;
	}
	size_t count = 0, first = next_slot(d, 0, 1);
	uint64_t next = UINT64_MAX;
	for (size_t s = d->capacity; s-- > 0;) {
		if (slot_used(d, s)) {
			count++;
			if (s + 1 < d->capacity && slot_used(d, s + 1) &&
			    d->keys[s] >= d->keys[s + 1]) {
				ix_error(v->err, v->errlen, "keys not sorted");
				return -1;
			}
			if (d->keys[s] > next) {
				ix_error(v->err, v->errlen, "keys not sorted");
				return -1;
			}
			next = d->keys[s];
		} else if (d->keys[s] != next && !(s < first && d->keys[s] == 0)) {
			ix_error(v->err, v->errlen, "gap at %zu does not hold the next key", s);
			return -1;
		}
	}
	if (count != d->num_keys) {
		ix_error(v->err, v->errlen, "bitmap count %zu != num_keys %zu", count,
			 d->num_keys);
		return -1;
	}
	for (size_t s = next_slot(d, 0, 1); s < d->capacity; s = next_slot(d, s + 1, 1)) {
		uint64_t k = d->keys[s];
		if (v->have_last && k <= v->last_key) {
			ix_error(v->err, v->errlen, "keys not increasing across leaves");
			return -1;
		}
		v->last_key = k;
		v->have_last = 1;
		if (descend(v->a, k) != d) {
			ix_error(v->err, v->errlen, "key %llu does not route to its leaf",
				 (unsigned long long)k);
			return -1;
		}
		if (data_find(v->a->search, d, data_predict(d, k), k) != s) {
			ix_error(v->err, v->errlen, "key %llu not found in its leaf",
				 (unsigned long long)k);
			return -1;
		}
	}
	v->keys += count;
	return 0;
}

static int verify_node(struct verify_state *v, const struct node *n,
		       uint64_t depth)
{
	if (depth > v->depth)
		v->depth = depth;
	if (n->is_leaf)
		return verify_data(v, (const struct data_node *)n);
	const struct model_node *m = (const struct model_node *)n;
	v->models++;
	if (m->fanout < 2 || (m->fanout & (m->fanout - 1))) {
		ix_error(v->err, v->errlen, "fanout %zu not a power of two", m->fanout);
		return -1;
	}
	for (size_t i = 0; i < m->fanout;) {
		const struct node *c = m->children[i];
		size_t w = c ? (size_t)1 << c->dup : 0;
		if (!c || i % w || i + w > m->fanout) {
			ix_error(v->err, v->errlen, "bad pointer block at %zu", i);
			return -1;
		}
		for (size_t j = i; j < i + w; j++)
			if (m->children[j] != c) {
				ix_error(v->err, v->errlen, "pointer block broken at %zu", j);
				return -1;
			}
		if (verify_node(v, c, depth + 1))
			return -1;
		i += w;
	}
	return 0;
}

int alex_verify(void *ix, char *err, size_t errlen)
{
	const struct alex *a = ix;
	struct verify_state v = {.a = a, .expect = a->head, .err = err, .errlen = errlen};
	if (verify_node(&v, a->root, 1))
		return -1;
	if (v.expect != NULL || a->tail == NULL || a->tail->next != NULL ||
	    (a->head && a->head->prev != NULL)) {
		ix_error(err, errlen, "leaf list has extra nodes");
		return -1;
	}
	if (v.keys != a->num_keys) {
		ix_error(err, errlen, "%llu keys in leaves, %zu counted",
			 (unsigned long long)v.keys, a->num_keys);
		return -1;
	}
	return 0;
}

void alex_get_counters(void *ix, struct alex_counters *out)
{
	struct alex *a = ix;
	char err[8];
	struct verify_state v = {.a = a, .expect = a->head, .err = err, .errlen = sizeof err};
	verify_node(&v, a->root, 1);
	*out = a->counters;
	out->model_nodes = v.models;
	out->data_nodes = v.leaves;
	out->depth = v.depth;
}

const struct index_ops alex_index = {
	.name = "alex",
	.family = "learned",
	.description = "ALEX updatable adaptive learned index (Ding et al., SIGMOD 2020)",
	.caps = IX_CAP_ORDERED | IX_CAP_INSERT | IX_CAP_CONCURRENT_READ,
	.params = alex_params,
	/* Sparser nodes: fewer shifts per insert for more memory (the default
	 * 0.7 is the paper's; 0.3 costs about what a B-tree's nodes do). */
	.sweep = "init_density=0.5:min_density=0.5 init_density=0.3:min_density=0.3",
	.create = alex_create,
	.bulk_load = alex_bulk_load,
	.get = alex_get,
	.scan = alex_scan,
	.insert = alex_insert,
	.index_bytes = alex_index_bytes,
	.total_bytes = alex_total_bytes,
	.stats = alex_stats,
	.estimate_bytes = alex_estimate_bytes,
	.destroy = alex_destroy,
};
