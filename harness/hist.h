/*
 * harness/hist.h — a log-linear latency histogram (the HdrHistogram idea):
 * values below 2^SUB are exact; above, each power of two is split into 2^SUB
 * equal buckets, so every recorded value is kept within 1/2^SUB = 1.6%.
 * Recording is a few shifts and an increment: cheap enough per operation.
 */
#ifndef OMENBENCH_HIST_H
#define OMENBENCH_HIST_H

#include <stdint.h>

#define HIST_SUB 6
#define HIST_BUCKETS ((64 - HIST_SUB + 1) << HIST_SUB)

struct hist {
	uint64_t count;
	uint64_t max;
	double sum;
	uint64_t bucket[HIST_BUCKETS];
};

static inline unsigned hist_index(uint64_t v)
{
	if (v < (1ull << HIST_SUB))
		return (unsigned)v;
	unsigned msb = 63u - (unsigned)__builtin_clzll(v);
	unsigned shift = msb - HIST_SUB;
	return ((shift + 1) << HIST_SUB) + (unsigned)((v >> shift) & ((1u << HIST_SUB) - 1));
}

static inline void hist_add(struct hist *h, uint64_t v)
{
	h->bucket[hist_index(v)]++;
	h->count++;
	h->sum += (double)v;
	if (v > h->max)
		h->max = v;
}

void hist_reset(struct hist *h);
void hist_merge(struct hist *into, const struct hist *from);
/* The value at quantile q in [0,1] (bucket midpoint, never above max). */
double hist_quantile(const struct hist *h, double q);

#endif
