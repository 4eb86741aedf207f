/*
 * indexes/pgm.c — the PGM-index.
 *
 * Paper: P. Ferragina and G. Vinciguerra, "The PGM-index: a fully-dynamic
 * compressed learned index with provable worst-case bounds", PVLDB 13(8),
 * VLDB 2020.  Section 2 (optimal piecewise linear model with maximum error
 * eps, computed in one streaming pass with the convex-hull method of
 * O'Rourke, "An on-line algorithm for fitting straight lines between data
 * ranges", CACM 1981), Section 3 (recursive levels over the segments' first
 * keys; lookup walks them top-down, each time searching only the window the
 * error bound allows).
 *
 * Layout.  Level 0 holds the segments over the data array; level l+1 holds
 * segments over the first keys of level l; the top level has one segment.
 * Each level keeps its segment first keys in one dense array (the part a
 * window search reads) and the models {slope, intercept, limit} in a
 * parallel array (24 bytes, read once per level).  The data keys and values
 * are the bulk-loaded arrays themselves (no copy).  Each level's first keys
 * are padded with 16 zeros before and 16 UINT64_MAX after, so that for
 * eps_rec <= 7 a level's window (at most 16 first keys) is searched by one
 * fixed 16-slot count with no bounds checks and no data-dependent branch:
 * the walk is then short enough that the CPU overlaps one lookup's cache
 * misses with the next lookups (bottom_segment explains why that matters).
 *
 * Exactness.  The hull tests compare slopes through cross products of key
 * differences (up to 2^64) and position differences (up to 2^41): they are
 * computed in __int128, so 64-bit keys near 2^64 keep the guarantee that
 * doubles would lose.  Only the final line is rounded to doubles; its error
 * is far below 1/2, and the prediction rounds to nearest (+0.5 folded into
 * the intercept), which is why a window of [pos-eps, pos+eps+1] still holds
 * the lower bound of every key, present or absent.
 *
 * Duplicates and misses.  Each distinct key x becomes the point (x, first
 * position of x).  When x repeats, a second point (x+1, position after the
 * run) is added (unless x+1 is the next key or x is UINT64_MAX), so that the
 * lower bound of every key between x and its successor is also within eps.
 * With these points, any query between two consecutive points p, q has
 * lower bound y_q and y_q - y_p <= 1, so one extra slot (the +1 above)
 * covers it.  Past a segment's last point the prediction is capped at the
 * first position of the next segment (`limit`), the exact lower bound there.
 */
#include <math.h>
#if defined(__AVX2__) || defined(__AVX512F__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "indexes/index.h"
#include "indexes/lastmile.h"
#include "indexes/pgm_core.h"
#include "indexes/simd_rank.h"

/* ---------------------------------------------------------------------
 * Streaming optimal segmentation (paper §2).  Each point (x, y) is the
 * vertical range [y-eps, y+eps] at x; a segment is feasible while some line
 * crosses all ranges.  We keep the upper hull of the upper ends and the
 * lower hull of the lower ends, plus the two extreme feasible lines
 * (rect[0]->rect[2]: least slope, rect[1]->rect[3]: greatest slope).
 * --------------------------------------------------------------------- */

struct pla_point {
	uint64_t x;
	int64_t y; /* position +- eps; positions < 2^62 */
};

struct pla_vec { /* difference of two points, exact */
	__int128 dx, dy;
};

struct pla_builder {
	int64_t eps;
	uint64_t first_x;
	size_t points;
	struct pla_point rect[4];
	struct pla_point *upper, *lower; /* hulls */
	size_t upper_len, lower_len, upper_start, lower_start, capacity;
};

static inline struct pla_vec pla_sub(struct pla_point a, struct pla_point b)
{
	struct pla_vec v = {(__int128)a.x - (__int128)b.x,
			    (__int128)a.y - (__int128)b.y};
	return v;
}

/* Slope comparisons; both vectors have dx of the same sign. */
static inline int slope_less(struct pla_vec a, struct pla_vec b)
{
	return a.dy * b.dx < b.dy * a.dx;
}

static inline int slope_greater(struct pla_vec a, struct pla_vec b)
{
	return a.dy * b.dx > b.dy * a.dx;
}

static inline __int128 pla_cross(struct pla_point o, struct pla_point a,
				 struct pla_point b)
{
	struct pla_vec oa = pla_sub(a, o), ob = pla_sub(b, o);
	return oa.dx * ob.dy - oa.dy * ob.dx;
}

static int pla_reserve(struct pla_builder *b, size_t need)
{
	if (need <= b->capacity)
		return 0;
	size_t cap = b->capacity ? b->capacity * 2 : 1024;
	while (cap < need)
		cap *= 2;
	struct pla_point *u = realloc(b->upper, cap * sizeof *u);
	if (!u)
		return -1;
	b->upper = u;
	struct pla_point *l = realloc(b->lower, cap * sizeof *l);
	if (!l)
		return -1;
	b->lower = l;
	b->capacity = cap;
	return 0;
}

/* Adds (x, y); x strictly increasing within a segment.  Returns 1 if it
 * fits the current segment, 0 if it does not (the segment is left as it
 * was, ready to be emitted), -1 out of memory. */
static int pla_add(struct pla_builder *b, uint64_t x, int64_t y)
{
	struct pla_point hi = {x, y + b->eps}, lo = {x, y - b->eps};
	if (pla_reserve(b, b->upper_len + 1 > b->lower_len + 1
				   ? b->upper_len + 1
				   : b->lower_len + 1))
		return -1;
	if (b->points == 0) {
		b->first_x = x;
		b->rect[0] = hi;
		b->rect[1] = lo;
		b->upper[0] = hi;
		b->lower[0] = lo;
		b->upper_len = b->lower_len = 1;
		b->upper_start = b->lower_start = 0;
		b->points = 1;
		return 1;
	}
	if (b->points == 1) {
		b->rect[2] = lo;
		b->rect[3] = hi;
		b->upper[b->upper_len++] = hi;
		b->lower[b->lower_len++] = lo;
		b->points = 2;
		return 1;
	}
	struct pla_vec least = pla_sub(b->rect[2], b->rect[0]);
	struct pla_vec most = pla_sub(b->rect[3], b->rect[1]);
	/* The new range lies wholly below the least-slope line or wholly
	 * above the greatest-slope one: no line crosses every range. */
	if (slope_less(pla_sub(hi, b->rect[2]), least) ||
	    slope_greater(pla_sub(lo, b->rect[3]), most))
		return 0;
	int lowers_most = slope_less(pla_sub(hi, b->rect[1]), most);
	int raises_least = slope_greater(pla_sub(lo, b->rect[0]), least);
	/* Both tangent searches run before either hull takes the new point,
	 * so they only see points strictly left of x (matters when eps=0). */
	size_t new_lower_start = b->lower_start, new_upper_start = b->upper_start;
	if (lowers_most) { /* tangent from `hi` to the lower hull */
		struct pla_vec best = pla_sub(b->lower[b->lower_start], hi);
		for (size_t i = b->lower_start + 1; i < b->lower_len; i++) {
			struct pla_vec v = pla_sub(b->lower[i], hi);
			if (slope_greater(v, best))
				break;
			best = v;
			new_lower_start = i;
		}
	}
	if (raises_least) { /* tangent from `lo` to the upper hull */
		struct pla_vec best = pla_sub(b->upper[b->upper_start], lo);
		for (size_t i = b->upper_start + 1; i < b->upper_len; i++) {
			struct pla_vec v = pla_sub(b->upper[i], lo);
			if (slope_less(v, best))
				break;
			best = v;
			new_upper_start = i;
		}
	}
	if (lowers_most) {
		b->rect[1] = b->lower[new_lower_start];
		b->rect[3] = hi;
		b->lower_start = new_lower_start;
		size_t end = b->upper_len;
		while (end >= b->upper_start + 2 &&
		       pla_cross(b->upper[end - 2], b->upper[end - 1], hi) <= 0)
			end--;
		b->upper[end] = hi;
		b->upper_len = end + 1;
	}
	if (raises_least) {
		b->rect[0] = b->upper[new_upper_start];
		b->rect[2] = lo;
		b->upper_start = new_upper_start;
		size_t end = b->lower_len;
		while (end >= b->lower_start + 2 &&
		       pla_cross(b->lower[end - 2], b->lower[end - 1], lo) >= 0)
			end--;
		b->lower[end] = lo;
		b->lower_len = end + 1;
	}
	b->points++;
	return 1;
}

/* The line of the current segment, relative to its first key: the average
 * of the two extreme lines.  Both pass through their crossing point, so the
 * average does too, with the middle slope: O'Rourke's feasible choice. */
static struct pgm_model pla_model(const struct pla_builder *b, size_t limit)
{
	long double slope, at_first;
	if (b->points == 1) {
		slope = 0;
		at_first = ((long double)b->rect[0].y + b->rect[1].y) / 2;
	} else {
		const struct pla_point *r = b->rect;
		struct pla_vec least = pla_sub(r[2], r[0]), most = pla_sub(r[3], r[1]);
		long double m1 = (long double)least.dy / (long double)least.dx;
		long double m2 = (long double)most.dy / (long double)most.dx;
		long double x0 = (long double)(r[0].x - b->first_x);
		long double x1 = (long double)(r[1].x - b->first_x);
		slope = (m1 + m2) / 2;
		if (slope >= 0) {
			at_first = ((long double)r[0].y - m1 * x0 +
				    (long double)r[1].y - m2 * x1) / 2;
		} else {
			/* Only tiny segments whose positions span <= 2 eps get
			 * here; then 0 is a feasible slope, and a flat line
			 * through the crossing point keeps predictions
			 * monotone (the cap at `limit` relies on that). */
			__int128 den = least.dx * most.dy - least.dy * most.dx;
			struct pla_vec d = pla_sub(r[1], r[0]);
			long double t = (long double)(d.dx * most.dy - d.dy * most.dx) /
					(long double)den;
			at_first = (long double)r[0].y + t * (long double)least.dy;
			slope = 0;
		}
	}
	struct pgm_model m = {(double)slope, (double)(at_first + 0.5L),
			      (double)limit};
	return m;
}

static int level_push(struct pgm_level *lv, uint64_t first_key,
		      struct pgm_model m)
{
	if (lv->count == lv->capacity) {
		size_t cap = lv->capacity ? lv->capacity * 2 : 64;
		uint64_t *k = realloc(lv->first_keys, cap * sizeof *k);
		if (!k)
			return -1;
		lv->first_keys = k;
		struct pgm_model *mm = realloc(lv->models, cap * sizeof *mm);
		if (!mm)
			return -1;
		lv->models = mm;
		lv->capacity = cap;
	}
	lv->first_keys[lv->count] = first_key;
	lv->models[lv->count] = m;
	lv->count++;
	return 0;
}

/* Feeds one point; when it does not fit, emits the open segment (its limit
 * is this point's position) and starts a new one with it. */
static int feed(struct pla_builder *b, struct pgm_level *lv, uint64_t x,
		size_t y)
{
	int r = pla_add(b, x, (int64_t)y);
	if (r == 1)
		return 0;
	if (r < 0)
		return -1;
	if (level_push(lv, b->first_x, pla_model(b, y)))
		return -1;
	b->points = 0;
	return pla_add(b, x, (int64_t)y) == 1 ? 0 : -1;
}

static int finish(struct pla_builder *b, struct pgm_level *lv, size_t limit)
{
	if (b->points == 0)
		return 0;
	int r = level_push(lv, b->first_x, pla_model(b, limit));
	b->points = 0;
	return r;
}

/* Level 0: one pass over the data, duplicates folded as described above. */
static int build_bottom(struct pla_builder *b, struct pgm_level *lv,
			const uint64_t *keys, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint64_t x = keys[i];
		size_t run_end = i + 1;
		while (run_end < n && keys[run_end] == x)
			run_end++;
		if (feed(b, lv, x, i))
			return -1;
		if (run_end - i > 1 && x != UINT64_MAX &&
		    (run_end == n || keys[run_end] != x + 1))
			if (feed(b, lv, x + 1, run_end))
				return -1;
		i = run_end;
	}
	return finish(b, lv, n);
}

static int build_upper(struct pla_builder *b, struct pgm_level *lv,
		       const struct pgm_level *below)
{
	for (size_t i = 0; i < below->count; i++)
		if (feed(b, lv, below->first_keys[i], i))
			return -1;
	return finish(b, lv, below->count);
}

/* Moves a finished level into arrays of its exact size from the allocator
 * every index uses for large arrays (huge pages from 2 MiB on), with `pad`
 * sentinel entries on each side of the first keys. */
static int level_settle(struct pgm_level *lv, size_t pad)
{
	if (!lv->count)
		return 0;
	uint64_t *k = ix_alloc_large((lv->count + 2 * pad) * sizeof *k);
	struct pgm_model *m = ix_alloc_large(lv->count * sizeof *m);
	if (!k || !m) {
		free(k), free(m);
		return -1;
	}
	for (size_t i = 0; i < pad; i++) {
		k[i] = 0;
		k[pad + lv->count + i] = UINT64_MAX;
	}
	memcpy(k + pad, lv->first_keys, lv->count * sizeof *k);
	memcpy(m, lv->models, lv->count * sizeof *m);
	free(lv->first_keys), free(lv->models);
	lv->first_keys = k + pad, lv->models = m, lv->capacity = lv->count;
	lv->pad = pad;
	return 0;
}

void pgm_core_free(struct pgm_core *c)
{
	for (int l = 0; l < PGM_MAX_LEVELS; l++) {
		struct pgm_level *lv = &c->levels[l];
		free(lv->first_keys ? lv->first_keys - lv->pad : NULL);
		free(lv->models);
	}
	memset(c, 0, sizeof *c);
}

int pgm_core_build(struct pgm_core *c, const uint64_t *keys, size_t n,
		   size_t eps, size_t eps_rec, enum lastmile_kind search,
		   char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	c->keys = keys;
	c->n = n;
	c->eps = eps;
	c->eps_rec = eps_rec;
	c->search = search;
	if (n == 0)
		return 0;
	struct pla_builder b = {.eps = (int64_t)eps};
	int rc = build_bottom(&b, &c->levels[0], keys, n);
	c->nlevels = 1;
	/* Each upper segment covers at least two points, so this halves the
	 * count at least and the loop ends well within PGM_MAX_LEVELS. */
	b.eps = (int64_t)eps_rec;
	while (!rc && c->levels[c->nlevels - 1].count > 1) {
		rc = build_upper(&b, &c->levels[c->nlevels],
				 &c->levels[c->nlevels - 1]);
		c->nlevels++;
	}
	free(b.upper);
	free(b.lower);
	/* The walk reads 16 slots from eps_rec before a predicted position;
	 * predictions lie in [-eps_rec, count] (a line within eps_rec of the
	 * first point may start below 0), so 16 pads each side suffice. */
	size_t pad = eps_rec <= PGM_PADDED_EPS_REC ? 16 : 0;
	for (int l = 0; l < c->nlevels && !rc; l++)
		rc = level_settle(&c->levels[l], pad);
	if (rc) {
		pgm_core_free(c);
		ix_error(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Lookup (paper §3): top-down, predict, clamp, search the window.
 * --------------------------------------------------------------------- */

/* Rounded prediction of segment s of lv for a key at or after the
 * segment's first key, in positions of the array it indexes, capped at the
 * first position of the next segment. */
static inline int64_t predict(const struct pgm_level *lv, size_t s,
			      uint64_t key)
{
	const struct pgm_model *m = &lv->models[s];
	double p = m->intercept + m->slope * (double)(key - lv->first_keys[s]);
#ifdef __SSE2__
	/* minsd: gcc otherwise branches on the cap, a branch that keys just
	 * past a segment's last point mispredict. */
	p = _mm_cvtsd_f64(_mm_min_sd(_mm_set_sd(p), _mm_set_sd(m->limit)));
#else
	p = p < m->limit ? p : m->limit;
#endif
	return (int64_t)p;
}

static inline void window(int64_t pos, size_t eps, size_t n, size_t *lo,
			  size_t *hi)
{
	int64_t l = pos - (int64_t)eps, h = pos + (int64_t)eps + 1;
	*lo = l < 0 ? 0 : (size_t)l;
	*hi = h > (int64_t)n ? n : (size_t)h;
}

/* A slot found by a window search, as a segment of `below`: a count that
 * took in front pads (key below every first key) gives -1, one that took in
 * back pads (key == UINT64_MAX) runs past the end. */
static inline size_t segment_at(const struct pgm_level *below, int64_t last)
{
	last = last < 0 ? 0 : last;
	return (size_t)last < below->count ? (size_t)last : below->count - 1;
}

/* The walk for eps_rec beyond PGM_PADDED_EPS_REC: clamp each window to
 * the level and binary-search it for the first slot > key. */
static __attribute__((noinline)) size_t
bottom_segment_wide(const struct pgm_core *c, uint64_t key)
{
	size_t s = 0, width = 2 * c->eps_rec + 2;
	for (int l = c->nlevels - 1; l > 0; l--) {
		const struct pgm_level *below = &c->levels[l - 1];
		int64_t from = predict(&c->levels[l], s, key) - (int64_t)c->eps_rec;
		size_t lo = from < 0 ? 0 : (size_t)from;
		size_t end = lo + width < below->count ? lo + width : below->count;
		const uint64_t *fk = below->first_keys;
		while (lo < end) {
			size_t mid = lo + (end - lo) / 2;
			if (fk[mid] <= key)
				lo = mid + 1;
			else
				end = mid;
		}
		s = segment_at(below, (int64_t)lo - 1);
	}
	return s;
}

/* The bottom-level segment responsible for key (>= the smallest key): the
 * last one whose first key is <= key.  At each level the lower bound of key
 * among the first keys below lies in [pos - eps_rec, pos + eps_rec + 1], so
 * the last first key <= key is found by counting the first keys <= key from
 * pos - eps_rec on.  Over padded levels that is one fixed 16-slot count:
 * a handful of instructions and no data-dependent branch, which matters
 * more than it seems, because while one lookup waits for its key's cache
 * line the CPU starts the next lookups only as far as its reorder window
 * reaches, so every instruction of the walk costs overlap. */
static inline __attribute__((always_inline)) size_t
bottom_segment(const struct pgm_core *c, uint64_t key)
{
	if (c->eps_rec > PGM_PADDED_EPS_REC)
		return bottom_segment_wide(c, key);
	size_t s = 0;
	for (int l = c->nlevels - 1; l > 0; l--) {
		const struct pgm_level *below = &c->levels[l - 1];
		int64_t from = predict(&c->levels[l], s, key) - (int64_t)c->eps_rec;
		/* The slots past a window hold keys greater than key (first
		 * keys strictly increase, and the lower bound lies inside the
		 * window) or the UINT64_MAX pads, so counting the keys <= key
		 * in 16 slots from the window's start (simd_rank.h) gives the
		 * window's count for any width up to 16; the pads count as
		 * keys <= key before the level, not after. */
		s = segment_at(below, from - 1 +
				       (int64_t)count_le16(below->first_keys + from, key));
	}
	return s;
}

static inline __attribute__((always_inline)) void
core_window(const struct pgm_core *c, uint64_t key, size_t *lo, size_t *pred,
	    size_t *hi)
{
	/* Below the smallest key the lower bound is 0; every other key is at
	 * or after the first key of each segment the walk picks. */
	if (c->n == 0 || key < c->levels[0].first_keys[0]) {
		*lo = *pred = *hi = 0;
		return;
	}
	int64_t pos = predict(&c->levels[0], bottom_segment(c, key), key);
	window(pos, c->eps, c->n, lo, hi);
	size_t p = pos < 0 ? 0 : (size_t)pos;
	if (p >= *hi)
		p = *hi ? *hi - 1 : 0;
	if (p < *lo)
		p = *lo;
	*pred = p;
}

void pgm_core_window(const struct pgm_core *c, uint64_t key, size_t *lo,
		     size_t *pred, size_t *hi)
{
	core_window(c, key, lo, pred, hi);
}

/* Asks for the lines a lookup is about to wait on, all at once: both ends
 * of the window (the binary search's later probes land there; its first
 * lands at the prediction) and, for a get, the value at the predicted
 * position, which is usually on the line of the value returned.  Asking
 * for every line of the window instead measured no faster: more requests,
 * more instructions per lookup. */
static inline void prefetch_window(const struct pgm_core *c, size_t lo,
				   size_t pred, size_t hi, const uint64_t *vals)
{
	if (hi <= lo)
		return;
	__builtin_prefetch(c->keys + lo);
	__builtin_prefetch(c->keys + hi - 1);
	if (vals)
		__builtin_prefetch(vals + pred);
}

/* Lower bound of key; with vals, also starts fetching the value a get
 * will return. */
static inline __attribute__((always_inline)) size_t
lower_bound_prefetch(const struct pgm_core *c, uint64_t key,
		     const uint64_t *vals, enum lastmile_kind search)
{
	size_t lo, pred, hi;
	core_window(c, key, &lo, &pred, &hi);
	prefetch_window(c, lo, pred, hi, vals);
	return lastmile_lower_bound(search, c->keys, lo, hi, pred, key);
}

size_t pgm_core_lower_bound(const struct pgm_core *c, uint64_t key)
{
	return lower_bound_prefetch(c, key, NULL, c->search);
}

size_t pgm_core_bytes(const struct pgm_core *c)
{
	size_t bytes = 0;
	for (int l = 0; l < c->nlevels; l++)
		bytes += c->levels[l].count *
				 (sizeof(uint64_t) + sizeof(struct pgm_model)) +
			 2 * c->levels[l].pad * sizeof(uint64_t);
	return bytes;
}

size_t pgm_core_segments(const struct pgm_core *c)
{
	return c->nlevels ? c->levels[0].count : 0;
}

/* ---------------------------------------------------------------------
 * The registered index: a core over the bulk-loaded arrays.
 * --------------------------------------------------------------------- */

struct pgm {
	struct pgm_core core;
	const uint64_t *vals; /* not owned */
	size_t eps, eps_rec;
	enum lastmile_kind search;
};

static const struct param_def pgm_params[] = {
	{"eps", "64", "maximum position error of a bottom segment"},
	{"eps_rec", "4", "maximum position error of the upper levels"},
	{"search", "binary", "binary|branchless|linear|exponential|interpolation"},
	{NULL, NULL, NULL},
};

static void *pgm_create(const struct param_set *cfg, const struct index_env *env,
			char *err, size_t errlen)
{
	(void)env;
	uint64_t eps, eps_rec;
	int search;
	if (param_u64(cfg, "eps", 0, 1ull << 30, &eps, err, errlen) ||
	    param_u64(cfg, "eps_rec", 0, 1ull << 30, &eps_rec, err, errlen) ||
	    param_choice(cfg, "search", lastmile_names, &search, err, errlen))
		return NULL;
	struct pgm *p = calloc(1, sizeof *p);
	if (!p) {
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	p->eps = eps;
	p->eps_rec = eps_rec;
	p->search = (enum lastmile_kind)search;
	return p;
}

static int pgm_bulk_load(void *ix, const uint64_t *keys, const uint64_t *vals,
			 size_t n, char *err, size_t errlen)
{
	struct pgm *p = ix;
	p->vals = vals;
	return pgm_core_build(&p->core, keys, n, p->eps, p->eps_rec, p->search,
			      err, errlen);
}

static inline __attribute__((always_inline)) bool
get_with(const struct pgm *p, uint64_t key, uint64_t *val,
	 enum lastmile_kind search)
{
	const struct pgm_core *c = &p->core;
	size_t i = lower_bound_prefetch(c, key, p->vals, search);
	if (i < c->n && c->keys[i] == key) {
		*val = p->vals[i];
		return true;
	}
	return false;
}

static bool pgm_get(void *ix, uint64_t key, uint64_t *val)
{
	const struct pgm *p = ix;
	LASTMILE_RETURN_SPECIALIZED(p->core.search, get_with, p, key, val);
}

/* Batched lookups, interleaved: first every window of a group is computed
 * and its cache lines requested, then the searches run on lines already in
 * flight, so the misses of different keys overlap. */
static void pgm_get_batch(void *ix, const uint64_t *keys, size_t k,
			  uint64_t *vals, uint8_t *found)
{
	enum { GROUP = 16 };
	const struct pgm *p = ix;
	const struct pgm_core *c = &p->core;
	for (size_t g = 0; g < k; g += GROUP) {
		size_t m = k - g < GROUP ? k - g : GROUP;
		size_t lo[GROUP], pred[GROUP], hi[GROUP];
		for (size_t j = 0; j < m; j++) {
			core_window(c, keys[g + j], &lo[j], &pred[j], &hi[j]);
			prefetch_window(c, lo[j], pred[j], hi[j], p->vals);
		}
		for (size_t j = 0; j < m; j++) {
			uint64_t key = keys[g + j];
			size_t i = lastmile_lower_bound(c->search, c->keys, lo[j],
							hi[j], pred[j], key);
			found[g + j] = i < c->n && c->keys[i] == key;
			if (found[g + j])
				vals[g + j] = p->vals[i];
		}
	}
}

static size_t pgm_scan(void *ix, uint64_t lo, uint64_t hi, size_t max,
		       uint64_t *sum)
{
	const struct pgm *p = ix;
	const uint64_t *keys = p->core.keys;
	size_t n = p->core.n, seen = 0;
	uint64_t s = 0;
	for (size_t i = pgm_core_lower_bound(&p->core, lo);
	     i < n && seen < max && keys[i] <= hi; i++, seen++)
		s += p->vals[i];
	*sum += s;
	return seen;
}

static size_t pgm_index_bytes(void *ix)
{
	const struct pgm *p = ix;
	return sizeof *p + pgm_core_bytes(&p->core);
}

static size_t pgm_total_bytes(void *ix)
{
	const struct pgm *p = ix;
	return pgm_index_bytes(ix) + p->core.n * 2 * sizeof(uint64_t);
}

/* SOSD-style error figures, measured by predicting every key. */
static void pgm_stats(void *ix, struct index_stats *out)
{
	const struct pgm *p = ix;
	const struct pgm_core *c = &p->core;
	double log_sum = 0, max_err = 0;
	size_t first = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (i == 0 || c->keys[i] != c->keys[i - 1])
			first = i;
		size_t lo, pred, hi;
		pgm_core_window(c, c->keys[i], &lo, &pred, &hi);
		log_sum += log2((double)(hi - lo) + 1);
		double e = pred > first ? (double)(pred - first)
					: (double)(first - pred);
		if (e > max_err)
			max_err = e;
	}
	out->mean_log2_err = c->n ? log_sum / (double)c->n : -1;
	out->max_err = c->n ? max_err : -1;
	out->models = pgm_core_segments(c);
}

static void pgm_destroy(void *ix)
{
	struct pgm *p = ix;
	pgm_core_free(&p->core);
	free(p);
}

const struct index_ops pgm_index = {
	.name = "pgm",
	.family = "learned",
	.description = "PGM-index, optimal PLA segments in recursive levels "
		       "(Ferragina & Vinciguerra, VLDB 2020)",
	.caps = IX_CAP_ORDERED | IX_CAP_DUPLICATES | IX_CAP_CONCURRENT_READ,
	.params = pgm_params,
	.sweep = "eps=16/64/256/1024 eps=8/16:eps_rec=4/7:search=linear",
	.create = pgm_create,
	.bulk_load = pgm_bulk_load,
	.get = pgm_get,
	.scan = pgm_scan,
	.get_batch = pgm_get_batch,
	.index_bytes = pgm_index_bytes,
	.total_bytes = pgm_total_bytes,
	.stats = pgm_stats,
	.destroy = pgm_destroy,
};
