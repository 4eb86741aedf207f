/* harness/hist.c — see hist.h. */
#include "harness/hist.h"

#include <string.h>

void hist_reset(struct hist *h)
{
	memset(h, 0, sizeof *h);
}

void hist_merge(struct hist *into, const struct hist *from)
{
	for (unsigned i = 0; i < HIST_BUCKETS; i++)
		into->bucket[i] += from->bucket[i];
	into->count += from->count;
	into->sum += from->sum;
	if (from->max > into->max)
		into->max = from->max;
}

/* Smallest value that maps to bucket i, and the bucket's width. */
static void bucket_range(unsigned i, double *lo, double *width)
{
	if (i < (1u << HIST_SUB)) {
		*lo = i;
		*width = 1;
		return;
	}
	unsigned shift = (i >> HIST_SUB) - 1;
	uint64_t mant = (i & ((1u << HIST_SUB) - 1)) | (1u << HIST_SUB);
	*lo = (double)(mant << shift);
	*width = (double)(1ull << shift);
}

double hist_quantile(const struct hist *h, double q)
{
	if (!h->count)
		return 0;
	uint64_t rank = (uint64_t)(q * (double)(h->count - 1)) + 1, seen = 0;
	for (unsigned i = 0; i < HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank) {
			double lo, width;
			bucket_range(i, &lo, &width);
			double mid = lo + (width - 1) / 2;
			return mid > (double)h->max ? (double)h->max : mid;
		}
	}
	return (double)h->max;
}
