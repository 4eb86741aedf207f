/*
 * indexes/robinhood.c — robin-hood linear probing with backward-shift
 * deletion, keyed with xxHash3.
 *
 * Paper: Celis, Larson and Munro, "Robin Hood Hashing", FOCS 1985 (26th
 * Symposium on Foundations of Computer Science, pp. 281-288), and Celis'
 * thesis (Waterloo CS-86-14, 1986).  Their insertion rule, the paper's first
 * contribution: an entry being placed takes the slot of any resident that is
 * closer to its own home, and that resident moves on, so probe distances stay
 * nearly equal and their variance small.  With linear probing the rule keeps
 * every run of occupied slots sorted by home slot, which gives the rest:
 *  - an unsuccessful lookup stops as soon as it meets a resident whose probe
 *    distance is smaller than the distance it has itself travelled (the key
 *    would have displaced that resident).  We use this early exit, not the
 *    paper's search that starts at the mean probe distance: with linear
 *    probing and ~1 expected probe, starting at home is cheaper;
 *  - deletion shifts the following entries of the run back one slot until
 *    one is at home or a slot is empty (backward-shift deletion: Knuth's
 *    Algorithm R of TAOCP Vol. 3 §6.4 specialised to sorted runs, as Khuong
 *    and Goossaert described for robin hood in 2013).  This replaces the
 *    paper's deletion markers, so no tombstones ever lengthen a search;
 *  - insertion is the mirror image: find the slot where the key belongs in
 *    its run, shift the rest of the run right by one.  That builds the same
 *    tables as the paper's swap loop (runs sorted by home; ties among equal
 *    homes may be ordered differently, which nothing depends on).
 *
 * Layout: `slots` holds {key, value} inline, a power-of-two array; `dist` is
 * a parallel byte array, 0 for an empty slot, else 1 + the entry's distance
 * from its home slot.  Emptiness lives only in `dist`, so every 64-bit key is
 * legal (0 and UINT64_MAX included).  One byte caps the distance at 254; an
 * insert that would exceed it grows the table first (with xxHash3 that only
 * happens at absurd loads).  The table doubles when count would pass `load`.
 * Hash: XXH3_64bits_withSeed over the 8 key bytes; home = hash & mask.
 */
#define XXH_INLINE_ALL /* the 8-byte path is a few instructions: inline it */
#include <xxhash.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexes/index.h"
#include "indexes/robinhood.h"

#define RH_MIN_CAPACITY 16u
#define RH_MAX_DIST 255u /* largest value `dist` can hold (distance 254) */
#define RH_SEED 0x9E3779B97F4A7C15ull
#define RH_BATCH 16 /* get_batch: keys hashed and prefetched per round */

struct rh_slot {
	uint64_t key;
	uint64_t value;
};

struct rh_table {
	struct rh_slot *slots;
	uint8_t *dist;   /* 0 = empty, else 1 + distance from home */
	size_t capacity; /* power of two */
	size_t mask;
	size_t count;
	size_t grow_at; /* count above which the table doubles */
	double load;
};

static const struct param_def rh_params[] = {
	{"load", "0.8", "maximum load factor before the table doubles, in [0.01, 0.95]"},
	{NULL, NULL, NULL},
};

static inline size_t rh_home(const struct rh_table *t, uint64_t key)
{
	return (size_t)XXH3_64bits_withSeed(&key, sizeof key, RH_SEED) & t->mask;
}

/* ---- build ---------------------------------------------------------------- */

static void *rh_create(const struct param_set *cfg, const struct index_env *env,
		       char *err, size_t errlen)
{
	(void)env;
	double load;
	/* Below 1% the table is almost all empty slots: not a useful setting. */
	if (param_double(cfg, "load", 0.01, 0.95, &load, err, errlen))
		return NULL;
	struct rh_table *t = calloc(1, sizeof *t);
	if (!t) {
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	t->load = load;
	return t;
}

static size_t rh_capacity_for(double load, size_t entries)
{
	size_t cap = RH_MIN_CAPACITY;
	while ((double)entries > load * (double)cap) {
		if (cap > SIZE_MAX / 64)
			return 0; /* absurd: report out of memory */
		cap *= 2;
	}
	return cap;
}

/* Fills *t with an empty table of the given capacity (t->load kept). */
static int rh_allocate(struct rh_table *t, size_t capacity)
{
	if (!capacity)
		return -1;
	if (capacity > SIZE_MAX / sizeof(struct rh_slot))
		return -1;
	struct rh_slot *slots = ix_alloc_large(capacity * sizeof *slots);
	uint8_t *dist = ix_alloc_large(capacity);
	if (!slots || !dist) {
		free(slots);
		free(dist);
		return -1;
	}
	memset(dist, 0, capacity);
	t->slots = slots;
	t->dist = dist;
	t->capacity = capacity;
	t->mask = capacity - 1;
	t->count = 0;
	t->grow_at = (size_t)(t->load * (double)capacity);
	if (t->grow_at >= capacity)
		t->grow_at = capacity - 1; /* always keep one empty slot */
	return 0;
}

/* Where a key absent from the table belongs: the first slot of its probe
 * sequence whose resident is closer to home than the key would be there (or
 * empty).  Returns that slot and, through *stored_dist, the key's dist byte. */
static inline size_t rh_insert_position(const struct rh_table *t, uint64_t key,
					 size_t *stored_dist)
{
	size_t i = rh_home(t, key), d = 1;
	while (t->dist[i] >= d) {
		i = (i + 1) & t->mask;
		d++;
	}
	*stored_dist = d;
	return i;
}

/* Puts an absent key at slot `at` with dist byte `d`, shifting the rest of
 * the run one slot right.  Returns -1, changing nothing, when a distance
 * would no longer fit in a byte; the caller grows the table and retries. */
static int rh_shift_in(struct rh_table *t, size_t at, size_t d, uint64_t key,
		       uint64_t value)
{
	if (d > RH_MAX_DIST)
		return -1;
	size_t end = at; /* the first empty slot at or after `at` */
	while (t->dist[end]) {
		if (t->dist[end] == RH_MAX_DIST)
			return -1;
		end = (end + 1) & t->mask;
	}
	for (size_t j = end; j != at; j = (j - 1) & t->mask) {
		size_t prev = (j - 1) & t->mask;
		t->slots[j] = t->slots[prev];
		t->dist[j] = (uint8_t)(t->dist[prev] + 1);
	}
	t->slots[at].key = key;
	t->slots[at].value = value;
	t->dist[at] = (uint8_t)d;
	t->count++;
	return 0;
}

/* Rebuilds into `capacity` slots.  On failure the table is unchanged. */
static int rh_rebuild(struct rh_table *t, size_t capacity)
{
	for (;;) {
		struct rh_table bigger = *t;
		if (rh_allocate(&bigger, capacity))
			return -1;
		int overflow = 0;
		for (size_t i = 0; i < t->capacity && !overflow; i++) {
			if (!t->dist[i])
				continue;
			size_t d, at = rh_insert_position(&bigger, t->slots[i].key, &d);
			overflow = rh_shift_in(&bigger, at, d, t->slots[i].key,
					       t->slots[i].value);
		}
		if (!overflow) {
			free(t->slots);
			free(t->dist);
			*t = bigger;
			return 0;
		}
		/* Distances overflowed even here: try twice the size. */
		free(bigger.slots);
		free(bigger.dist);
		if (capacity > SIZE_MAX / 64)
			return -1;
		capacity *= 2;
	}
}

/* Adds a key known to be absent, growing the table if it is due or if a
 * probe distance would overflow. */
static int rh_place_new(struct rh_table *t, uint64_t key, uint64_t value)
{
	if (t->count + 1 > t->grow_at) {
		size_t need = rh_capacity_for(t->load, t->count + 1);
		if (!need || rh_rebuild(t, need > t->capacity * 2 ? need : t->capacity * 2))
			return -1;
	}
	for (;;) {
		size_t d, at = rh_insert_position(t, key, &d);
		if (!rh_shift_in(t, at, d, key, value))
			return 0;
		if (t->capacity > SIZE_MAX / 64 || rh_rebuild(t, t->capacity * 2))
			return -1;
	}
}

static int rh_bulk_load(void *ix, const uint64_t *keys, const uint64_t *vals,
			size_t n, char *err, size_t errlen)
{
	struct rh_table *t = ix;
	if (rh_allocate(t, rh_capacity_for(t->load, n))) {
		ix_error(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && keys[i] == keys[i - 1])
			continue; /* a duplicate: the first copy's value wins */
		if (rh_place_new(t, keys[i], vals[i])) {
			ix_error(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

/* ---- lookup --------------------------------------------------------------- */

/* Slot holding key, or SIZE_MAX.  Starts at `home` so get_batch can hash
 * ahead of probing. */
static inline size_t rh_find_from(const struct rh_table *t, uint64_t key,
				  size_t home)
{
	size_t i = home;
	/* At travelled distance d, a resident with dist < d (or an empty slot)
	 * proves the key absent: it would have displaced that resident. */
	for (size_t d = 1;; d++) {
		if (t->dist[i] < d)
			return SIZE_MAX;
		if (t->slots[i].key == key)
			return i;
		i = (i + 1) & t->mask;
	}
}

static bool rh_get(void *ix, uint64_t key, uint64_t *val)
{
	const struct rh_table *t = ix;
	if (!t->count)
		return false;
	size_t i = rh_find_from(t, key, rh_home(t, key));
	if (i == SIZE_MAX)
		return false;
	*val = t->slots[i].value;
	return true;
}

/* Hashes a round of keys and prefetches their home slots (the dist byte and
 * the slot), so the cache misses of a round overlap instead of queueing. */
static void rh_get_batch(void *ix, const uint64_t *keys, size_t k,
			 uint64_t *vals, uint8_t *found)
{
	const struct rh_table *t = ix;
	if (!t->count) {
		for (size_t i = 0; i < k; i++)
			found[i] = 0;
		return;
	}
	size_t homes[RH_BATCH];
	for (size_t base = 0; base < k; base += RH_BATCH) {
		size_t m = k - base < RH_BATCH ? k - base : RH_BATCH;
		for (size_t j = 0; j < m; j++) {
			homes[j] = rh_home(t, keys[base + j]);
			__builtin_prefetch(&t->dist[homes[j]]);
			__builtin_prefetch(&t->slots[homes[j]]);
		}
		for (size_t j = 0; j < m; j++) {
			size_t i = rh_find_from(t, keys[base + j], homes[j]);
			found[base + j] = i != SIZE_MAX;
			if (i != SIZE_MAX)
				vals[base + j] = t->slots[i].value;
		}
	}
}

/* ---- insert and delete ---------------------------------------------------- */

static int rh_insert(void *ix, uint64_t key, uint64_t value, char *err,
		     size_t errlen)
{
	struct rh_table *t = ix;
	if (!t->slots && rh_allocate(t, RH_MIN_CAPACITY)) {
		ix_error(err, errlen, "out of memory");
		return -1;
	}
	size_t i = t->count ? rh_find_from(t, key, rh_home(t, key)) : SIZE_MAX;
	if (i != SIZE_MAX) { /* upsert */
		t->slots[i].value = value;
		return 0;
	}
	if (rh_place_new(t, key, value)) {
		ix_error(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

bool robinhood_delete(void *ix, uint64_t key)
{
	struct rh_table *t = ix;
	if (!t->count)
		return false;
	size_t hole = rh_find_from(t, key, rh_home(t, key));
	if (hole == SIZE_MAX)
		return false;
	/* Backward shift: pull each following entry that is away from home one
	 * slot closer, until an empty slot or an entry already at home. */
	for (size_t next = (hole + 1) & t->mask; t->dist[next] > 1;
	     next = (next + 1) & t->mask) {
		t->slots[hole] = t->slots[next];
		t->dist[hole] = (uint8_t)(t->dist[next] - 1);
		hole = next;
	}
	t->dist[hole] = 0;
	t->count--;
	return true;
}

/* ---- size ----------------------------------------------------------------- */

static size_t rh_total_bytes(void *ix)
{
	const struct rh_table *t = ix;
	return sizeof *t + t->capacity * (sizeof(struct rh_slot) + 1);
}

/* Everything beyond the 16-byte key+value payload: empty slots, the distance
 * bytes and the handle. */
static size_t rh_index_bytes(void *ix)
{
	const struct rh_table *t = ix;
	return rh_total_bytes(ix) - t->count * sizeof(struct rh_slot);
}

static void rh_stats(void *ix, struct index_stats *out)
{
	const struct rh_table *t = ix;
	size_t sum = 0, longest = 0;
	for (size_t i = 0; i < t->capacity; i++) {
		sum += t->dist[i];
		if (t->dist[i] > longest)
			longest = t->dist[i];
	}
	/* max_err: the farthest any entry sits from its home slot. */
	out->max_err = longest ? (double)(longest - 1) : 0.0;
	snprintf(out->notes, sizeof out->notes,
		 "capacity=%zu load=%.3f mean_probes=%.3f max_probes=%zu",
		 t->capacity,
		 t->capacity ? (double)t->count / (double)t->capacity : 0.0,
		 t->count ? (double)sum / (double)t->count : 0.0, longest);
}

static void rh_destroy(void *ix)
{
	struct rh_table *t = ix;
	free(t->slots);
	free(t->dist);
	free(t);
}

/* Slots and distance bytes for n keys at the configured load, plus the
 * half-size table a rebuild holds at the same time. */
static size_t rh_estimate_bytes(const struct param_set *cfg, size_t n)
{
	double load = 0.8;
	if (param_double(cfg, "load", 0.01, 0.95, &load, NULL, 0))
		load = 0.8; /* create() will name the bad parameter */
	size_t cap = rh_capacity_for(load, n);
	return (cap + cap / 2) * (sizeof(struct rh_slot) + 1) + 4096;
}

const struct index_ops robinhood_index = {
	.name = "robinhood",
	.family = "hash",
	.description = "robin-hood linear probing, backward-shift delete (Celis et al. FOCS 1985)",
	.caps = IX_CAP_INSERT | IX_CAP_DUPLICATES | IX_CAP_CONCURRENT_READ,
	.params = rh_params,
	.sweep = "load=0.5/0.8/0.95",
	.create = rh_create,
	.bulk_load = rh_bulk_load,
	.get = rh_get,
	.insert = rh_insert,
	.get_batch = rh_get_batch,
	.index_bytes = rh_index_bytes,
	.total_bytes = rh_total_bytes,
	.stats = rh_stats,
	.estimate_bytes = rh_estimate_bytes,
	.destroy = rh_destroy,
};
