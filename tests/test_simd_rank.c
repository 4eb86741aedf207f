/*
 * tests/test_simd_rank.c — every path of indexes/simd_rank.h against a plain
 * count, on the data where a SIMD compare goes wrong: keys 0 and UINT64_MAX,
 * blocks of equal keys, keys on both sides of 2^63 (AVX2 compares signed
 * lanes, so the sign-bit flip must order them as unsigned), unaligned
 * blocks, and random ones.
 *
 * SIMD_RANK_ALL_PATHS compiles the AVX-512 and AVX2 paths whatever -march
 * says; each is called through a pointer, only where the CPU has its
 * instruction set, and skipped with a line saying so elsewhere.  The path
 * the build itself selects (what the indexes run) is checked too, and
 * `make test` also runs this program built for x86-64-v3 and x86-64.
 */
#define SIMD_RANK_ALL_PATHS
#include "indexes/simd_rank.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tests/test.h"

struct path {
	const char *name;
	bool (*supported)(void);
	unsigned (*rank_lt_lines)(const uint64_t *keys, unsigned slots, uint64_t x);
	unsigned (*rank_lt16)(const uint64_t *p, uint64_t x);
	size_t (*count_le16)(const uint64_t *p, uint64_t x);
};

static bool always(void) { return true; }
#if defined(__x86_64__)
static bool has_avx2(void) { return __builtin_cpu_supports("avx2"); }
static bool has_avx512(void) { return __builtin_cpu_supports("avx512f"); }
#endif

static unsigned built_lines(const uint64_t *k, unsigned s, uint64_t x) { return rank_lt_lines(k, s, x); }
static unsigned built_lt16(const uint64_t *p, uint64_t x) { return rank_lt16(p, x); }
static size_t built_le16(const uint64_t *p, uint64_t x) { return count_le16(p, x); }

static const struct path paths[] = {
	{"scalar", always, rank_lt_lines_scalar, rank_lt16_scalar, count_le16_scalar},
#if defined(__x86_64__)
	{"avx2", has_avx2, rank_lt_lines_avx2, rank_lt16_avx2, count_le16_avx2},
	{"avx512", has_avx512, rank_lt_lines_avx512, rank_lt16_avx512, count_le16_avx512},
#endif
	{"built (" SIMD_RANK_PATH ")", always, built_lines, built_lt16, built_le16},
};

static uint64_t rng = 7;
static uint64_t rnd(void)
{ /* splitmix64 */
	uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static unsigned want_lt(const uint64_t *k, unsigned n, uint64_t x)
{
	unsigned r = 0;
	for (unsigned i = 0; i < n; i++)
		if (k[i] < x)
			r++;
	return r;
}

static size_t want_le(const uint64_t *k, unsigned n, uint64_t x)
{
	size_t r = 0;
	for (unsigned i = 0; i < n; i++)
		if (k[i] <= x)
			r++;
	return r;
}

/* The probes that matter for a block: its own keys and their neighbours,
 * both ends of the range and both sides of the sign bit. */
static void probes(const uint64_t *k, unsigned n, uint64_t *out, unsigned *count)
{
	static const uint64_t fixed[] = {0, 1, INT64_MAX, (uint64_t)INT64_MAX + 1,
					 (uint64_t)INT64_MAX + 2, UINT64_MAX - 1, UINT64_MAX};
	unsigned c = 0;
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		out[c++] = fixed[i];
	for (unsigned i = 0; i < n; i++) {
		out[c++] = k[i];
		out[c++] = k[i] - 1; /* wraps at 0: UINT64_MAX, a probe too */
		out[c++] = k[i] + 1;
	}
	*count = c;
}

/* One block of 32 keys, 64-byte aligned, checked at every width and offset
 * each function accepts. */
static void check_block(const struct path *p, const char *what, const uint64_t *src)
{
	_Alignas(64) uint64_t k[40];
	memcpy(k, src, 32 * sizeof *k);
	for (unsigned i = 32; i < 40; i++)
		k[i] = UINT64_MAX;
	uint64_t x[7 + 3 * 32];
	unsigned nx;
	probes(k, 32, x, &nx);
	test_context = what;
	for (unsigned j = 0; j < nx; j++) {
		for (unsigned slots = 8; slots <= 32; slots += 8)
			CHECK(p->rank_lt_lines(k, slots, x[j]) == want_lt(k, slots, x[j]));
		for (unsigned off = 0; off + 16 <= 40; off += 3) { /* aligned and not */
			CHECK(p->rank_lt16(k + off, x[j]) == want_lt(k + off, 16, x[j]));
			CHECK(p->count_le16(k + off, x[j]) == want_le(k + off, 16, x[j]));
		}
	}
	test_context = NULL;
}

static void check_path(const struct path *p)
{
	if (!p->supported()) {
		printf("skip %s: this CPU lacks the instruction set\n", p->name);
		return;
	}
	uint64_t k[32];
	for (int i = 0; i < 32; i++)
		k[i] = 0;
	check_block(p, "all 0", k);
	for (int i = 0; i < 32; i++)
		k[i] = UINT64_MAX;
	check_block(p, "all UINT64_MAX", k);
	for (int i = 0; i < 32; i++)
		k[i] = (uint64_t)INT64_MAX + 1;
	check_block(p, "all 2^63", k);
	for (int i = 0; i < 32; i++) /* sorted across the sign bit */
		k[i] = (uint64_t)INT64_MAX - 15 + (uint64_t)i;
	check_block(p, "across 2^63", k);
	for (int i = 0; i < 32; i++) /* 0, runs of duplicates, UINT64_MAX */
		k[i] = i == 0 ? 0 : i == 31 ? UINT64_MAX : (uint64_t)(i / 4) << 61;
	check_block(p, "ends and duplicate runs", k);
	for (int rep = 0; rep < 200; rep++) {
		for (int i = 0; i < 32; i++) /* half the keys with the top bit set */
			k[i] = rnd();
		for (int i = 1; i < 32; i++) /* insertion sort: the indexes' blocks are sorted */
			for (int j = i; j > 0 && k[j - 1] > k[j]; j--) {
				uint64_t t = k[j];
				k[j] = k[j - 1];
				k[j - 1] = t;
			}
		check_block(p, "random sorted", k);
	}
}

int main(void)
{
	printf("build selects the %s path\n", SIMD_RANK_PATH);
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
		RUN(check_path(&paths[i]));
	TEST_MAIN_END();
}
