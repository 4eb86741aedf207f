/*
 * tests/test_hashes.c — what the shared property tests cannot reach in the
 * hash tables: robinhood's backward-shift deletion (not in the contract),
 * the key that doubles as hash's empty marker, and parameter errors.
 *
 * Deletion is checked against a plain array model over a small key universe
 * (so keys are deleted, re-inserted and upserted many times, and runs wrap
 * around the end of small tables).
 */
#include <string.h>

#include "tests/props.h"
#include "indexes/robinhood.h"
#include "tests/test.h"

static uint64_t rng = 12345;
static uint64_t next_random(void)
{ /* xorshift64* */
	rng ^= rng >> 12, rng ^= rng << 25, rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

/* Key number i of the universe; 0, 1 and UINT64_MAX are among them. */
static uint64_t universe_key(size_t i)
{
	if (i == 0)
		return 0;
	if (i == 1)
		return UINT64_MAX;
	if (i == 2)
		return 1;
	return i * 0x9E3779B97F4A7C15ull;
}

/* Every key of the universe is found with its model value or missing. */
static int matches_model(struct props_handle *h, const uint8_t *present,
			 const uint64_t *value, size_t universe)
{
	for (size_t i = 0; i < universe; i++) {
		uint64_t v = ~0ull;
		bool got = h->ops->get(h->ix, universe_key(i), &v);
		if (got != (bool)present[i] || (got && v != value[i]))
			return 0;
	}
	return 1;
}

static void check_delete_model(const char *spec, size_t universe, size_t ops)
{
	char err[256];
	test_context = spec;
	struct props_handle h;
	if (props_open(spec, &h, err, sizeof err)) {
		fprintf(stderr, "FAIL [%s] create: %s\n", spec, err);
		CHECK(0);
		return;
	}
	uint8_t *present = calloc(universe, 1);
	uint64_t *value = calloc(universe, sizeof *value);
	if (!present || !value) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	CHECK(h.ops->bulk_load(h.ix, NULL, NULL, 0, err, sizeof err) == 0);
	int bad_op = 0, bad_state = 0;
	for (size_t op = 0; op < ops; op++) {
		size_t i = (size_t)(next_random() % universe);
		uint64_t key = universe_key(i);
		/* Inserts slightly outnumber deletes until the table is half
		 * full of the universe, then they balance: long runs form and
		 * are torn down again. */
		int insert = next_random() % 100 < (op < ops / 4 ? 70 : 50);
		if (insert) {
			uint64_t v = next_random();
			if (h.ops->insert(h.ix, key, v, err, sizeof err))
				bad_op = 1;
			present[i] = 1, value[i] = v;
		} else {
			if (robinhood_delete(h.ix, key) != (bool)present[i])
				bad_op = 1;
			present[i] = 0;
		}
		if (op % 997 == 0 && !matches_model(&h, present, value, universe))
			bad_state = 1;
	}
	CHECK(!bad_op);
	CHECK(!bad_state);
	CHECK(matches_model(&h, present, value, universe));
	/* Delete everything: the table must end empty and still usable. */
	int bad_drain = 0;
	for (size_t i = 0; i < universe; i++) {
		if (robinhood_delete(h.ix, universe_key(i)) != (bool)present[i])
			bad_drain = 1;
		present[i] = 0;
	}
	CHECK(!bad_drain);
	CHECK(matches_model(&h, present, value, universe));
	CHECK(!robinhood_delete(h.ix, 42));
	CHECK(h.ops->insert(h.ix, 0, 5, err, sizeof err) == 0);
	uint64_t v = 0;
	CHECK(h.ops->get(h.ix, 0, &v) && v == 5);
	props_close(&h);
	free(present);
	free(value);
	test_context = NULL;
}

/* Deleting from a bulk-loaded table: half the keys go, the rest stay. */
static void check_delete_after_bulk_load(const char *spec)
{
	char err[256];
	test_context = spec;
	struct props_handle h;
	if (props_open(spec, &h, err, sizeof err)) {
		CHECK(0);
		return;
	}
	enum { N = 50000 };
	uint64_t *keys = malloc(N * sizeof *keys), *vals = malloc(N * sizeof *vals);
	if (!keys || !vals)
		exit(2);
	for (size_t i = 0; i < N; i++)
		keys[i] = i * 3, vals[i] = i + 100;
	CHECK(h.ops->bulk_load(h.ix, keys, vals, N, err, sizeof err) == 0);
	int bad = 0;
	for (size_t i = 0; i < N; i += 2)
		bad |= !robinhood_delete(h.ix, keys[i]);
	for (size_t i = 0; i < N; i++) {
		uint64_t v;
		bool got = h.ops->get(h.ix, keys[i], &v);
		bad |= got != (i % 2 == 1) || (got && v != vals[i]);
	}
	CHECK(!bad);
	size_t total = h.ops->total_bytes(h.ix), own = h.ops->index_bytes(h.ix);
	CHECK(total - own == (N / 2) * 16); /* payload: the keys still stored */
	props_close(&h);
	free(keys);
	free(vals);
	test_context = NULL;
}

/* Key 0 is hash's empty-slot marker and lives beside the table. */
static void check_hash_key_zero(void)
{
	char err[256];
	test_context = "hash key 0";
	struct props_handle h;
	if (props_open("hash", &h, err, sizeof err)) {
		CHECK(0);
		return;
	}
	static const uint64_t keys[] = {0, 0, 0, 9};
	static const uint64_t vals[] = {11, 12, 13, 14};
	uint64_t v = 0;
	CHECK(h.ops->bulk_load(h.ix, keys, vals, 4, err, sizeof err) == 0);
	CHECK(h.ops->get(h.ix, 0, &v) && v == 11);
	CHECK(h.ops->insert(h.ix, 0, 21, err, sizeof err) == 0);
	CHECK(h.ops->get(h.ix, 0, &v) && v == 21);
	CHECK(h.ops->get(h.ix, 9, &v) && v == 14);
	size_t total = h.ops->total_bytes(h.ix), own = h.ops->index_bytes(h.ix);
	CHECK(total >= own && total - own == 16); /* key 9 is in the table */
	props_close(&h);
	test_context = NULL;
}

static void check_bad_params(void)
{
	static const char *const bad[] = {
		"hash:load=0", "hash:load=1", "hash:load=abc", "hash:loads=0.5",
		"robinhood:load=0", "robinhood:load=0.99", "robinhood:load=-1",
		NULL,
	};
	for (int i = 0; bad[i]; i++) {
		char err[256] = "";
		struct props_handle h;
		test_context = bad[i];
		int rc = props_open(bad[i], &h, err, sizeof err);
		CHECK(rc != 0 && err[0] != 0);
		if (!rc)
			props_close(&h);
	}
	test_context = NULL;
}

int main(void)
{
	RUN(check_delete_model("robinhood", 40, 20000));       /* tiny: wrap-around */
	RUN(check_delete_model("robinhood", 3000, 300000));
	RUN(check_delete_model("robinhood:load=0.95", 3000, 300000));
	RUN(check_delete_model("robinhood:load=0.5", 500, 100000));
	RUN(check_delete_after_bulk_load("robinhood"));
	RUN(check_delete_after_bulk_load("robinhood:load=0.95"));
	RUN(check_hash_key_zero());
	RUN(check_bad_params());
	TEST_MAIN_END();
}
