/*
 * indexes/simd_rank.h — counting keys against x in a small sorted block:
 * the one AVX-512 / AVX2 / plain-C ladder the B+tree (btree.c), the static
 * search tree (stree.c) and the PGM walk (pgm.c) share.
 *
 *   rank_lt_lines(keys, slots, x)  keys[0..slots) below x; slots a multiple
 *                                  of 8, keys 64-byte aligned (B+tree nodes)
 *   rank_lt16(p, x)                p[0..16) below x; any alignment
 *   count_le16(p, x)               p[0..16) at or below x; any alignment
 *
 * All comparisons are unsigned 64-bit.  Each exists once per instruction
 * set (_avx512, _avx2, _scalar) and, without suffix, as the best one the
 * compile target has: the selection is made here once, as xxHash's
 * XXH_VECTOR is, never in the index files.
 *
 * A test defines SIMD_RANK_ALL_PATHS before including this header to get
 * every path whatever -march says, each compiled for its own instruction set
 * (a target attribute), so that it can call each one where the CPU has it
 * (tests/test_simd_rank.c).  Index files never define it: their code is
 * compiled exactly as the -march of the build says, with no attribute.
 */
#ifndef OMENBENCH_SIMD_RANK_H
#define OMENBENCH_SIMD_RANK_H

#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#if defined(SIMD_RANK_ALL_PATHS) && defined(__x86_64__)
#define SIMD_RANK_HAVE_AVX512 1
#define SIMD_RANK_HAVE_AVX2 1
#define SIMD_RANK_AVX512_FN static inline __attribute__((target("avx512f")))
#define SIMD_RANK_AVX2_FN static inline __attribute__((target("avx2")))
#else
#if defined(__AVX512F__)
#define SIMD_RANK_HAVE_AVX512 1
#endif
#if defined(__AVX2__)
#define SIMD_RANK_HAVE_AVX2 1
#endif
#define SIMD_RANK_AVX512_FN static inline
#define SIMD_RANK_AVX2_FN static inline
#endif

/* ---- plain C ------------------------------------------------------------ */

static inline unsigned rank_lt_lines_scalar(const uint64_t *keys, unsigned slots, uint64_t x)
{
	unsigned r = 0;
	for (unsigned i = 0; i < slots; i++)
		r += keys[i] < x;
	return r;
}

static inline unsigned rank_lt16_scalar(const uint64_t *p, uint64_t x)
{
	unsigned r = 0;
	for (int i = 0; i < 16; i++)
		r += p[i] < x;
	return r;
}

static inline size_t count_le16_scalar(const uint64_t *p, uint64_t x)
{
	size_t r = 0;
	for (int i = 0; i < 16; i++)
		r += p[i] <= x;
	return r;
}

/* ---- AVX2 ---------------------------------------------------------------- */

#if defined(SIMD_RANK_HAVE_AVX2)
/* AVX2 has only a signed 64-bit compare: both sides get their sign bit
 * flipped, which orders unsigned values as signed ones. */

SIMD_RANK_AVX2_FN unsigned rank_lt_lines_avx2(const uint64_t *keys, unsigned slots, uint64_t x)
{
	const __m256i flip = _mm256_set1_epi64x((long long)0x8000000000000000ull);
	__m256i vx = _mm256_xor_si256(_mm256_set1_epi64x((long long)x), flip);
	unsigned r = 0;
	/* The two masks of a line are merged before one popcount: fewer
	 * dependent steps between the load and the child address. */
	for (unsigned i = 0; i < slots; i += 8) {
		__m256i a = _mm256_xor_si256(
			_mm256_load_si256((const __m256i *)(const void *)(keys + i)), flip);
		__m256i b = _mm256_xor_si256(
			_mm256_load_si256((const __m256i *)(const void *)(keys + i + 4)), flip);
		unsigned m = (unsigned)_mm256_movemask_pd(
				     _mm256_castsi256_pd(_mm256_cmpgt_epi64(vx, a))) |
			     (unsigned)_mm256_movemask_pd(
				     _mm256_castsi256_pd(_mm256_cmpgt_epi64(vx, b))) << 4;
		r += (unsigned)__builtin_popcount(m);
	}
	return r;
}

SIMD_RANK_AVX2_FN unsigned rank_lt16_avx2(const uint64_t *p, uint64_t x)
{
	const __m256i flip = _mm256_set1_epi64x((long long)0x8000000000000000ull);
	__m256i vx = _mm256_xor_si256(_mm256_set1_epi64x((long long)x), flip);
	unsigned m = 0; /* the four 4-bit masks merged, then one popcount */
	for (int i = 0; i < 16; i += 4) {
		__m256i v = _mm256_xor_si256(
			_mm256_loadu_si256((const __m256i *)(const void *)(p + i)), flip);
		__m256i gt = _mm256_cmpgt_epi64(vx, v);
		m |= (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(gt)) << i;
	}
	return (unsigned)__builtin_popcount(m);
}

/* Counts the keys above x (one signed compare each) and subtracts. */
SIMD_RANK_AVX2_FN size_t count_le16_avx2(const uint64_t *p, uint64_t x)
{
	const __m256i flip = _mm256_set1_epi64x(INT64_MIN);
	__m256i vx = _mm256_xor_si256(_mm256_set1_epi64x((long long)x), flip);
	unsigned greater = 0;
	for (int i = 0; i < 4; i++) {
		__m256i v = _mm256_xor_si256(
			_mm256_loadu_si256((const __m256i *)(const void *)(p + 4 * i)), flip);
		greater |= (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(
				   _mm256_cmpgt_epi64(v, vx)))
			   << (4 * i);
	}
	return 16 - (size_t)__builtin_popcount(greater);
}
#endif

/* ---- AVX-512 ------------------------------------------------------------- */

#if defined(SIMD_RANK_HAVE_AVX512)
/* AVX-512F compares unsigned 64-bit lanes into a mask register directly. */

SIMD_RANK_AVX512_FN unsigned rank_lt_lines_avx512(const uint64_t *keys, unsigned slots,
						  uint64_t x)
{
	__m512i vx = _mm512_set1_epi64((long long)x);
	unsigned r = 0;
	for (unsigned i = 0; i < slots; i += 8) {
		__m512i v = _mm512_load_si512((const void *)(keys + i));
		r += (unsigned)__builtin_popcount(_mm512_cmplt_epu64_mask(v, vx));
	}
	return r;
}

SIMD_RANK_AVX512_FN unsigned rank_lt16_avx512(const uint64_t *p, uint64_t x)
{
	__m512i vx = _mm512_set1_epi64((long long)x);
	unsigned m = (unsigned)_mm512_cmplt_epu64_mask(_mm512_loadu_si512((const void *)p), vx) |
		     (unsigned)_mm512_cmplt_epu64_mask(_mm512_loadu_si512((const void *)(p + 8)),
						       vx) << 8;
	return (unsigned)__builtin_popcount(m);
}

SIMD_RANK_AVX512_FN size_t count_le16_avx512(const uint64_t *p, uint64_t x)
{
	__m512i vx = _mm512_set1_epi64((long long)x);
	unsigned a = _mm512_cmple_epu64_mask(_mm512_loadu_si512((const void *)p), vx);
	unsigned b = _mm512_cmple_epu64_mask(_mm512_loadu_si512((const void *)(p + 8)), vx);
	return (size_t)__builtin_popcount(a | b << 8);
}
#endif

/* ---- the build's choice --------------------------------------------------- */

/* The best path the compile target (-march) has; SIMD_RANK_PATH names it. */
#if defined(__AVX512F__)
#define SIMD_RANK_PATH "avx512"
#define SIMD_RANK_SUFFIXED(f) f##_avx512
#elif defined(__AVX2__)
#define SIMD_RANK_PATH "avx2"
#define SIMD_RANK_SUFFIXED(f) f##_avx2
#else
#define SIMD_RANK_PATH "scalar"
#define SIMD_RANK_SUFFIXED(f) f##_scalar
#endif

static inline unsigned rank_lt_lines(const uint64_t *keys, unsigned slots, uint64_t x)
{
	return SIMD_RANK_SUFFIXED(rank_lt_lines)(keys, slots, x);
}

static inline unsigned rank_lt16(const uint64_t *p, uint64_t x)
{
	return SIMD_RANK_SUFFIXED(rank_lt16)(p, x);
}

static inline size_t count_le16(const uint64_t *p, uint64_t x)
{
	return SIMD_RANK_SUFFIXED(count_le16)(p, x);
}

#endif
