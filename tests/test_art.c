/*
 * tests/test_art.c — ART shapes the shared property tests reach only by
 * chance: every node type at its size limits (4/5, 16/17, 48/49, 256
 * children), at the first, a middle and the last key byte, behind compressed
 * paths that later get split; scans that start between children of each node
 * type.  Results are compared with a sorted array; node counts come from
 * stats() so the growth steps are seen to happen.
 */
#include <stdio.h>
#include <string.h>

#include "tests/props.h"
#include "tests/test.h"

static uint64_t rng = 777;
static uint64_t next_random(void)
{ /* xorshift64* */
	rng ^= rng >> 12, rng ^= rng << 25, rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Reference scan over the sorted keys; value of key i is keys[i] ^ 0x5a. */
static size_t ref_scan(const uint64_t *keys, size_t n, uint64_t lo, uint64_t hi,
		       size_t max, uint64_t *sum)
{
	size_t seen = 0;
	for (size_t i = 0; i < n && seen < max; i++) {
		if (keys[i] < lo)
			continue;
		if (keys[i] > hi)
			break;
		*sum += keys[i] ^ 0x5a;
		seen++;
	}
	return seen;
}

static void node_counts(struct props_handle *h, size_t counts[4])
{
	struct index_stats st = {.mean_log2_err = -1, .max_err = -1};
	h->ops->stats(h->ix, &st);
	counts[0] = counts[1] = counts[2] = counts[3] = 0;
	sscanf(st.notes, "node4=%zu node16=%zu node48=%zu node256=%zu", &counts[0],
	       &counts[1], &counts[2], &counts[3]);
}

/* `fanout` keys that share every byte but byte `at`, inserted in random
 * order into an empty tree, then one key that leaves the shared path early
 * (splitting the compressed prefix). */
static void check_fanout(unsigned fanout, unsigned at)
{
	char ctx[96], err[256];
	snprintf(ctx, sizeof ctx, "art fanout %u at byte %u", fanout, at);
	test_context = ctx;
	struct props_handle h;
	if (props_open("art", &h, err, sizeof err)) {
		CHECK(0);
		return;
	}
	uint8_t bytes[256];
	for (unsigned i = 0; i < 256; i++)
		bytes[i] = (uint8_t)i;
	for (unsigned i = 255; i > 0; i--) { /* a random subset of bytes */
		unsigned j = (unsigned)(next_random() % (i + 1));
		uint8_t t = bytes[i];
		bytes[i] = bytes[j];
		bytes[j] = t;
	}
	const uint64_t base = 0x1122334455667788ull;
	const unsigned shift = 56 - 8 * at;
	uint64_t keys[257];
	size_t n = 0;
	for (unsigned i = 0; i < fanout; i++)
		keys[n++] = (base & ~(0xffull << shift)) | ((uint64_t)bytes[i] << shift);
	CHECK(h.ops->bulk_load(h.ix, NULL, NULL, 0, err, sizeof err) == 0);
	for (size_t i = 0; i < n; i++)
		CHECK(h.ops->insert(h.ix, keys[i], keys[i] ^ 0x5a, err, sizeof err) == 0);
	if (fanout >= 2) {
		size_t counts[4];
		node_counts(&h, counts);
		unsigned want = fanout <= 4 ? 0 : fanout <= 16 ? 1 : fanout <= 48 ? 2 : 3;
		CHECK(counts[want] == 1);
		CHECK(counts[0] + counts[1] + counts[2] + counts[3] == 1);
	}
	/* A key differing at byte 0 or, if that is `at`, at byte 7. */
	uint64_t outsider = at == 0 ? base ^ 0x80 : base ^ (0x80ull << 56);
	int clash = 0;
	for (size_t i = 0; i < n; i++)
		clash |= keys[i] == outsider;
	if (!clash) {
		keys[n++] = outsider;
		CHECK(h.ops->insert(h.ix, outsider, outsider ^ 0x5a, err, sizeof err) == 0);
	}
	qsort(keys, n, sizeof *keys, cmp_u64);
	int bad_get = 0, bad_scan = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t v = 0;
		bad_get |= !h.ops->get(h.ix, keys[i], &v) || v != (keys[i] ^ 0x5a);
		if (keys[i] != UINT64_MAX && (i + 1 == n || keys[i + 1] != keys[i] + 1))
			bad_get |= h.ops->get(h.ix, keys[i] + 1, &v);
	}
	/* Scans from each key, just before and just after it, with a few
	 * limits and upper bounds. */
	static const size_t maxes[] = {1, 3, 50, (size_t)-1};
	for (size_t i = 0; i < n; i++) {
		uint64_t los[3] = {keys[i], keys[i] - 1, keys[i] + 1};
		for (int l = 0; l < 3; l++)
			for (int m = 0; m < 4; m++) {
				uint64_t hi = m % 2 ? UINT64_MAX : keys[(i + 7) % n];
				uint64_t want_sum = 0, got_sum = 0;
				size_t want = ref_scan(keys, n, los[l], hi, maxes[m], &want_sum);
				size_t got = h.ops->scan(h.ix, los[l], hi, maxes[m], &got_sum);
				bad_scan |= want != got || want_sum != got_sum;
			}
	}
	CHECK(!bad_get);
	CHECK(!bad_scan);
	CHECK(h.ops->total_bytes(h.ix) - h.ops->index_bytes(h.ix) == n * 16);
	props_close(&h);
	test_context = NULL;
}

/* Compressed paths of every length, split at every position: keys that
 * agree on their first `shared` bytes, then one that differs at `split`. */
static void check_prefix_splits(void)
{
	test_context = "art prefix splits";
	int bad = 0;
	char err[256];
	for (unsigned shared = 1; shared <= 7; shared++) {
		for (unsigned split = 0; split < shared; split++) {
			struct props_handle h;
			if (props_open("art", &h, err, sizeof err)) {
				CHECK(0);
				return;
			}
			uint64_t keys[4];
			uint64_t top = 0xA5A5A5A5A5A5A5A5ull;
			/* Two keys equal on bytes 0..shared-1. */
			keys[0] = top;
			keys[1] = top ^ (1ull << (56 - 8 * shared));
			/* One that leaves the path at byte `split`. */
			keys[2] = top ^ (0x40ull << (56 - 8 * split));
			/* And one in the middle of the path, equal to keys[2]
			 * except in its last byte. */
			keys[3] = keys[2] ^ 0x01;
			for (int i = 0; i < 4; i++)
				bad |= h.ops->insert(h.ix, keys[i], (uint64_t)i, err, sizeof err) != 0;
			for (int i = 0; i < 4; i++) {
				uint64_t v = 99;
				bad |= !h.ops->get(h.ix, keys[i], &v) || v != (uint64_t)i;
			}
			uint64_t sum = 0;
			bad |= h.ops->scan(h.ix, 0, UINT64_MAX, (size_t)-1, &sum) != 4;
			bad |= sum != 0 + 1 + 2 + 3;
			props_close(&h);
		}
	}
	CHECK(!bad);
	test_context = NULL;
}

int main(void)
{
	static const unsigned fanouts[] = {1, 2, 3, 4, 5, 15, 16, 17, 47, 48, 49, 200, 255, 256};
	static const unsigned positions[] = {0, 3, 7};
	for (size_t f = 0; f < sizeof fanouts / sizeof *fanouts; f++)
		for (size_t p = 0; p < 3; p++)
			RUN(check_fanout(fanouts[f], positions[p]));
	RUN(check_prefix_splits());
	TEST_MAIN_END();
}
