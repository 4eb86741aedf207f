/*
 * indexes/lastmile.h — "last-mile" searches: find the lower bound of a key in
 * a window [lo, hi) of a sorted array, given a predicted position inside it.
 *
 * Learned indexes predict a position and an error bound; the search that
 * finishes the job is a choice the literature argues about (SOSD, Marcus et
 * al. 2020, §6), so every learned index takes `search=` and calls
 * lastmile_lower_bound() with one of these kinds.
 *
 * Contract: a[lo..hi) is sorted, lo <= pred < hi when hi > lo.  Returns the
 * first position p in [lo, hi] with a[p] >= key, or hi if every key in the
 * window is smaller.  The caller guarantees the true lower bound lies in
 * [lo, hi] (that is what an error bound promises).
 */
#ifndef OMENBENCH_LASTMILE_H
#define OMENBENCH_LASTMILE_H

#include <stddef.h>
#include <stdint.h>

enum lastmile_kind {
	LASTMILE_BINARY,
	LASTMILE_BRANCHLESS,
	LASTMILE_LINEAR,
	LASTMILE_EXPONENTIAL,
	LASTMILE_INTERPOLATION,
};

/* For param_choice(): the order matches enum lastmile_kind. */
static const char *const lastmile_names[] = {
	"binary", "branchless", "linear", "exponential", "interpolation", NULL};

/* Classic branching binary search: the branch predictor guesses, and a miss
 * costs ~15 cycles, but it issues only one load per level. */
static inline size_t lm_binary(const uint64_t *a, size_t lo, size_t hi,
			       uint64_t key)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Branch-free binary search: the comparison becomes a conditional move, so
 * there is nothing to mispredict; the loop count depends only on hi - lo. */
static inline size_t lm_branchless(const uint64_t *a, size_t lo, size_t hi,
				   uint64_t key)
{
	size_t n = hi - lo;
	if (n == 0)
		return lo;
	const uint64_t *base = a + lo;
	while (n > 1) {
		size_t half = n / 2;
		base = (base[half - 1] < key) ? base + half : base;
		n -= half;
	}
	return (size_t)(base - a) + (*base < key);
}

/* Linear search outward from the prediction: cheapest when the model is
 * nearly exact, since the answer is usually in the same cache line. */
static inline size_t lm_linear(const uint64_t *a, size_t lo, size_t hi,
			       size_t pred, uint64_t key)
{
	size_t p = pred;
	if (p >= hi)
		p = hi - 1;
	if (a[p] < key) {
		p++;
		while (p < hi && a[p] < key)
			p++;
		return p;
	}
	while (p > lo && a[p - 1] >= key)
		p--;
	return p;
}

/* Exponential (galloping) search from the prediction, then binary search in
 * the last bracket: O(log err) probes, good when errors vary widely. */
static inline size_t lm_exponential(const uint64_t *a, size_t lo, size_t hi,
				    size_t pred, uint64_t key)
{
	size_t p = pred >= hi ? hi - 1 : pred;
	size_t step = 1;
	if (a[p] < key) { /* answer in (p, hi]; invariant a[l] < key */
		size_t l = p;
		for (;;) {
			size_t r = (hi - l > step) ? l + step : hi;
			if (r == hi || a[r] >= key)
				return lm_binary(a, l + 1, r, key);
			l = r;
			step *= 2;
		}
	}
	size_t r = p; /* answer in [lo, r]; invariant a[r] >= key */
	while (r > lo) {
		size_t l = (r - lo > step) ? r - step : lo;
		if (a[l] < key)
			return lm_binary(a, l + 1, r, key);
		r = l;
		step *= 2;
	}
	return lo;
}

/* Interpolation search, falling back to binary search after a few probes so
 * that skewed windows never cost more than O(log n). */
static inline size_t lm_interpolation(const uint64_t *a, size_t lo, size_t hi,
				      uint64_t key)
{
	for (int probes = 0; probes < 4 && hi - lo > 16; probes++) {
		uint64_t kl = a[lo], kh = a[hi - 1];
		if (key <= kl)
			return lo;
		if (key > kh)
			return hi;
		double f = (double)(key - kl) / (double)(kh - kl);
		size_t p = lo + (size_t)(f * (double)(hi - 1 - lo));
		if (p >= hi)
			p = hi - 1;
		if (a[p] < key)
			lo = p + 1;
		else
			hi = p + 1;
	}
	return lm_binary(a, lo, hi, key);
}

/* The search is chosen per call, so a lookup written around
 * lastmile_lower_bound() tests `kind` inside its dependency chain.  This
 * macro instead makes `return fn(args..., K)` with K the constant equal to
 * `kind`: with fn always_inline, each kind gets its own copy of the whole
 * lookup and the choice costs one predictable branch at the top (measured:
 * 10 to 20 ns off a PGM get at 10M keys). */
#define LASTMILE_RETURN_SPECIALIZED(kind, fn, ...)                             \
	do {                                                                   \
		switch (kind) {                                                \
		case LASTMILE_BRANCHLESS:                                      \
			return fn(__VA_ARGS__, LASTMILE_BRANCHLESS);           \
		case LASTMILE_LINEAR:                                          \
			return fn(__VA_ARGS__, LASTMILE_LINEAR);               \
		case LASTMILE_EXPONENTIAL:                                     \
			return fn(__VA_ARGS__, LASTMILE_EXPONENTIAL);          \
		case LASTMILE_INTERPOLATION:                                   \
			return fn(__VA_ARGS__, LASTMILE_INTERPOLATION);        \
		case LASTMILE_BINARY:                                          \
		default:                                                       \
			return fn(__VA_ARGS__, LASTMILE_BINARY);               \
		}                                                              \
	} while (0)

static inline size_t lastmile_lower_bound(enum lastmile_kind kind,
					  const uint64_t *a, size_t lo,
					  size_t hi, size_t pred, uint64_t key)
{
	if (lo >= hi)
		return lo;
	switch (kind) {
	case LASTMILE_BRANCHLESS:
		return lm_branchless(a, lo, hi, key);
	case LASTMILE_LINEAR:
		return lm_linear(a, lo, hi, pred, key);
	case LASTMILE_EXPONENTIAL:
		return lm_exponential(a, lo, hi, pred, key);
	case LASTMILE_INTERPOLATION:
		return lm_interpolation(a, lo, hi, key);
	case LASTMILE_BINARY:
	default:
		return lm_binary(a, lo, hi, key);
	}
}

#endif
