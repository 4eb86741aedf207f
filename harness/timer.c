/* harness/timer.c — TSC detection and calibration (see timer.h). */
#include "harness/timer.h"

#include <stdlib.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static bool tsc_is_invariant(void)
{
#if defined(__x86_64__)
	unsigned a, b, c, d;
	if (!__get_cpuid(0x80000000u, &a, &b, &c, &d) || a < 0x80000007u)
		return false;
	__cpuid(0x80000007u, a, b, c, d);
	return (d >> 8) & 1u;
#else
	return false;
#endif
}

static bool cpu_has_rdtscp(void)
{
#if defined(__x86_64__)
	unsigned a, b, c, d;
	if (!__get_cpuid(0x80000001u, &a, &b, &c, &d))
		return false;
	return (d >> 27) & 1u;
#else
	return false;
#endif
}

void timer_init(struct timer_info *t, bool quick)
{
	t->use_tsc = tsc_is_invariant() && !getenv("OMENBENCH_NO_TSC");
	t->has_rdtscp = cpu_has_rdtscp();
	t->tsc_hz = 0;
	t->ns_per_tick = 1.0;
	if (t->use_tsc) {
		enum { WINDOWS = 5 };
		double hz[WINDOWS];
		uint64_t window_ns = quick ? 10000000ull : 100000000ull;
		for (int i = 0; i < WINDOWS; i++) {
			uint64_t n0 = mono_ns(), c0 = timer_start(t);
			while (mono_ns() - n0 < window_ns)
				;
			uint64_t c1 = timer_stop(t), n1 = mono_ns();
			hz[i] = (double)(c1 - c0) * 1e9 / (double)(n1 - n0);
		}
		qsort(hz, WINDOWS, sizeof *hz, cmp_double);
		t->tsc_hz = hz[WINDOWS / 2];
		t->ns_per_tick = 1e9 / t->tsc_hz;
	}
	/* The cost of timing nothing: subtracted from every sampled operation. */
	enum { PAIRS = 1001 };
	static double empty[PAIRS];
	for (int i = 0; i < PAIRS; i++) {
		uint64_t a = timer_start(t);
		uint64_t b = timer_stop(t);
		empty[i] = (double)(b - a);
	}
	qsort(empty, PAIRS, sizeof *empty, cmp_double);
	t->empty_ticks = empty[PAIRS / 2];
}
