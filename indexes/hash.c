/*
 * indexes/hash.c — the plain open-addressing hash table: linear probing keyed
 * with xxHash3.
 *
 * Paper: linear probing is the textbook scheme (Knuth, The Art of Computer
 * Programming Vol. 3, 2nd ed. 1998, §6.4, Algorithm L), analysed there.  As
 * in Richter, Alvarez and Dittrich, "A Seven-Dimensional Analysis of Hashing
 * Methods and its Implications on Query Processing", PVLDB 9(3), 2015, it is
 * the plain unordered point-lookup baseline: interleaved key/value slots, so
 * a probe run usually stays in one cache line.  The hash is
 * XXH3_64bits_withSeed over the 8 key bytes (Collet, xxHash 0.8).
 *
 * Layout: `slots` is a power-of-two array of {key, value}.  Key 0 marks an
 * empty slot, so a fresh table is simply zeroed memory.  Because 0 is also a legal key, the one real entry
 * with key 0 lives outside the array in `zero_present` / `zero_value`.
 *
 * Semantics: get and insert (upsert); no order, so no scan.  Bulk load keeps
 * the FIRST value of a duplicated key (the input is sorted, so the copies are
 * adjacent and later ones are skipped).  The table doubles whenever an insert
 * would push count/capacity past `load`.
 */
#define XXH_INLINE_ALL /* the 8-byte path is a few instructions: inline it */
#include <xxhash.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexes/index.h"

#define HASH_EMPTY_KEY 0ull      /* marks a free slot; key 0 is kept aside */
#define HASH_MIN_CAPACITY 16u
#define HASH_SEED 0x9E3779B97F4A7C15ull

struct hash_slot {
	uint64_t key;
	uint64_t value;
};

struct hash_table {
	struct hash_slot *slots;
	size_t capacity; /* power of two */
	size_t mask;     /* capacity - 1 */
	size_t count;    /* entries in slots[] (key 0 not included) */
	size_t grow_at;  /* count above which the table doubles */
	double load;     /* maximum count / capacity */
	bool zero_present;
	uint64_t zero_value;
};

static const struct param_def hash_params[] = {
	{"load", "0.5", "maximum load factor before the table doubles, in [0.01, 0.95]"},
	{NULL, NULL, NULL},
};

static inline size_t hash_home(const struct hash_table *t, uint64_t key)
{
	return (size_t)XXH3_64bits_withSeed(&key, sizeof key, HASH_SEED) & t->mask;
}

/* ---- build ---------------------------------------------------------------- */

static void *hash_create(const struct param_set *cfg, const struct index_env *env,
			 char *err, size_t errlen)
{
	(void)env;
	double load;
	/* Below 1% the table is almost all empty slots: not a useful setting. */
	if (param_double(cfg, "load", 0.01, 0.95, &load, err, errlen))
		return NULL;
	struct hash_table *t = calloc(1, sizeof *t);
	if (!t) {
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	t->load = load;
	return t;
}

/* Smallest power of two that holds `entries` at the configured load. */
static size_t hash_capacity_for(double load, size_t entries)
{
	size_t cap = HASH_MIN_CAPACITY;
	while ((double)entries > load * (double)cap) {
		if (cap > SIZE_MAX / 64)
			return 0; /* absurd: report out of memory */
		cap *= 2;
	}
	return cap;
}

static int hash_allocate(struct hash_table *t, size_t capacity)
{
	if (!capacity || capacity > SIZE_MAX / sizeof(struct hash_slot))
		return -1;
	struct hash_slot *slots = ix_alloc_large(capacity * sizeof *slots);
	if (!slots)
		return -1;
	memset(slots, 0, capacity * sizeof *slots);
	t->slots = slots;
	t->capacity = capacity;
	t->mask = capacity - 1;
	t->count = 0;
	t->grow_at = (size_t)(t->load * (double)capacity);
	return 0;
}

/* Puts a key known to be absent (and nonzero) into a table with room. */
static inline void hash_place_new(struct hash_table *t, uint64_t key,
				  uint64_t value)
{
	size_t i = hash_home(t, key);
	while (t->slots[i].key != HASH_EMPTY_KEY)
		i = (i + 1) & t->mask;
	t->slots[i].key = key;
	t->slots[i].value = value;
	t->count++;
}

static int hash_bulk_load(void *ix, const uint64_t *keys, const uint64_t *vals,
			  size_t n, char *err, size_t errlen)
{
	struct hash_table *t = ix;
	if (hash_allocate(t, hash_capacity_for(t->load, n))) {
		ix_error(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && keys[i] == keys[i - 1])
			continue; /* a duplicate: the first copy's value wins */
		if (keys[i] == HASH_EMPTY_KEY) {
			t->zero_present = true;
			t->zero_value = vals[i];
		} else {
			hash_place_new(t, keys[i], vals[i]);
		}
	}
	return 0;
}

/* ---- lookup --------------------------------------------------------------- */

static bool hash_get(void *ix, uint64_t key, uint64_t *val)
{
	const struct hash_table *t = ix;
	if (key == HASH_EMPTY_KEY) {
		if (t->zero_present)
			*val = t->zero_value;
		return t->zero_present;
	}
	if (!t->slots)
		return false;
	/* The load factor is below 1, so an empty slot always ends the run. */
	for (size_t i = hash_home(t, key);; i = (i + 1) & t->mask) {
		uint64_t k = t->slots[i].key;
		if (k == key) {
			*val = t->slots[i].value;
			return true;
		}
		if (k == HASH_EMPTY_KEY)
			return false;
	}
}

/* ---- insert --------------------------------------------------------------- */

static int hash_grow(struct hash_table *t, size_t capacity)
{
	struct hash_table bigger = *t;
	if (hash_allocate(&bigger, capacity))
		return -1;
	for (size_t i = 0; i < t->capacity; i++)
		if (t->slots[i].key != HASH_EMPTY_KEY)
			hash_place_new(&bigger, t->slots[i].key, t->slots[i].value);
	free(t->slots);
	*t = bigger;
	return 0;
}

static int hash_insert(void *ix, uint64_t key, uint64_t value, char *err,
		       size_t errlen)
{
	struct hash_table *t = ix;
	if (key == HASH_EMPTY_KEY) {
		t->zero_present = true;
		t->zero_value = value;
		return 0;
	}
	if (!t->slots && hash_allocate(t, HASH_MIN_CAPACITY)) {
		ix_error(err, errlen, "out of memory");
		return -1;
	}
	size_t i = hash_home(t, key);
	for (; t->slots[i].key != HASH_EMPTY_KEY; i = (i + 1) & t->mask) {
		if (t->slots[i].key == key) { /* upsert */
			t->slots[i].value = value;
			return 0;
		}
	}
	if (t->count + 1 > t->grow_at) {
		size_t need = hash_capacity_for(t->load, t->count + 1);
		if (hash_grow(t, need > t->capacity * 2 ? need : t->capacity * 2)) {
			ix_error(err, errlen, "out of memory");
			return -1;
		}
		hash_place_new(t, key, value);
		return 0;
	}
	t->slots[i].key = key;
	t->slots[i].value = value;
	t->count++;
	return 0;
}

/* ---- size ----------------------------------------------------------------- */

static size_t hash_total_bytes(void *ix)
{
	const struct hash_table *t = ix;
	return sizeof *t + t->capacity * sizeof(struct hash_slot);
}

/* Everything beyond the 16-byte key+value payload of the stored entries:
 * the empty slots and the handle (key 0's entry is payload, kept aside). */
static size_t hash_index_bytes(void *ix)
{
	const struct hash_table *t = ix;
	return sizeof *t + (t->capacity - t->count) * sizeof(struct hash_slot);
}

static void hash_stats(void *ix, struct index_stats *out)
{
	const struct hash_table *t = ix;
	/* Mean probe count for present keys (1 = found in its home slot). */
	size_t probes = 0, farthest = 0;
	for (size_t i = 0; i < t->capacity; i++) {
		if (t->slots[i].key == HASH_EMPTY_KEY)
			continue;
		size_t distance = (i - hash_home(t, t->slots[i].key)) & t->mask;
		probes += 1 + distance;
		if (distance > farthest)
			farthest = distance;
	}
	/* max_err: the farthest any entry sits from its home slot. */
	out->max_err = (double)farthest;
	snprintf(out->notes, sizeof out->notes,
		 "capacity=%zu load=%.3f mean_probes=%.3f", t->capacity,
		 t->capacity ? (double)t->count / (double)t->capacity : 0.0,
		 t->count ? (double)probes / (double)t->count : 0.0);
}

static void hash_destroy(void *ix)
{
	struct hash_table *t = ix;
	free(t->slots);
	free(t);
}

/* The table for n keys at the configured load, plus the half-size table it
 * replaced, which a doubling holds at the same time. */
static size_t hash_estimate_bytes(const struct param_set *cfg, size_t n)
{
	double load = 0.5;
	if (param_double(cfg, "load", 0.01, 0.95, &load, NULL, 0))
		load = 0.5; /* create() will name the bad parameter */
	size_t cap = hash_capacity_for(load, n);
	return (cap + cap / 2) * sizeof(struct hash_slot) + 4096;
}

const struct index_ops hash_index = {
	.name = "hash",
	.family = "hash",
	.description = "linear probing with xxHash3 (Knuth TAOCP 6.4; Richter et al. VLDB 2015)",
	.caps = IX_CAP_INSERT | IX_CAP_DUPLICATES | IX_CAP_CONCURRENT_READ,
	.params = hash_params,
	.sweep = "load=0.25/0.5/0.75/0.9",
	.create = hash_create,
	.bulk_load = hash_bulk_load,
	.get = hash_get,
	.insert = hash_insert,
	.index_bytes = hash_index_bytes,
	.total_bytes = hash_total_bytes,
	.stats = hash_stats,
	.estimate_bytes = hash_estimate_bytes,
	.destroy = hash_destroy,
};
