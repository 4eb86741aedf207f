/*
 * tests/props.h — the property tests every registered index must pass.
 * props_check_index() runs the whole suite on one index configuration
 * ("pgm" or "pgm:eps=4") and counts its assertions through test.h.
 */
#ifndef OMENBENCH_PROPS_H
#define OMENBENCH_PROPS_H

#include <stddef.h>
#include <stdint.h>

#include "indexes/index.h"

/* Runs every property on one configuration; returns failures added. */
long props_check_index(const char *spec);

/* Builds spec on keys (sorted, vals = positions) and checks that every key is
 * found with the value of its first occurrence, misses miss, and (if ordered)
 * scans match.  Exposed for tests of particular data. */
void props_check_dataset(const char *spec, const char *label,
			 const uint64_t *keys, size_t n);

/* Opens an index from a spec in a fresh temporary directory. */
struct props_handle {
	const struct index_ops *ops;
	struct param_set cfg;
	void *ix;
	char dir[256];
};
int props_open(const char *spec, struct props_handle *h, char *err, size_t errlen);
void props_close(struct props_handle *h);

/* A reference model for insert tests: sorted keys with their values,
 * duplicates allowed, an upsert changes the first copy.  ref_model_init exits
 * with 2 when memory runs out; ref_model_upsert when cap is exceeded. */
struct ref_model {
	uint64_t *k, *v;
	size_t n, cap;
};
void ref_model_init(struct ref_model *m, size_t cap);
void ref_model_free(struct ref_model *m);
size_t ref_model_lb(const struct ref_model *m, uint64_t key);
void ref_model_upsert(struct ref_model *m, uint64_t key, uint64_t val);

#endif
