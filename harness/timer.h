/*
 * harness/timer.h — cycle-accurate timing.
 *
 * On x86-64 with an invariant TSC (CPUID 0x80000007 EDX bit 8) we read the
 * TSC: `lfence; rdtsc` to start (earlier instructions retire first) and
 * `rdtscp; lfence` to stop (the measured work retires first, later work waits),
 * the pattern of Intel's "How to benchmark code execution times" white paper.
 * Where CPUID does not list RDTSCP (some VMs hide it, and valgrind then
 * rejects the instruction) the stop is `lfence; rdtsc; lfence`, which orders
 * the same way.
 * Its frequency is calibrated against CLOCK_MONOTONIC_RAW as the median of
 * several ~100 ms windows.  Everywhere else (no x86, or a TSC that drifts)
 * ticks are nanoseconds from clock_gettime(CLOCK_MONOTONIC_RAW).
 */
#ifndef OMENBENCH_TIMER_H
#define OMENBENCH_TIMER_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

struct timer_info {
	bool use_tsc;      /* ticks are TSC cycles, else ns */
	bool has_rdtscp;   /* CPUID 0x80000001 EDX bit 27 */
	double tsc_hz;     /* calibrated; 0 when !use_tsc */
	double ns_per_tick;
	double empty_ticks; /* median cost of an empty start/stop pair */
};

/* Calibrates once; `quick` uses shorter windows (tests). */
void timer_init(struct timer_info *t, bool quick);

static inline uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline uint64_t timer_start(const struct timer_info *t)
{
#if defined(__x86_64__)
	if (t->use_tsc) {
		_mm_lfence();
		uint64_t c = __rdtsc();
		_mm_lfence();
		return c;
	}
#endif
	(void)t;
	return mono_ns();
}

static inline uint64_t timer_stop(const struct timer_info *t)
{
#if defined(__x86_64__)
	if (t->use_tsc) {
		uint64_t c;
		if (t->has_rdtscp) {
			unsigned aux;
			c = __rdtscp(&aux);
		} else {
			_mm_lfence();
			c = __rdtsc();
		}
		_mm_lfence();
		return c;
	}
#endif
	(void)t;
	return mono_ns();
}

#endif
