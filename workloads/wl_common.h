/*
 * workloads/wl_common.h — pieces shared by the workload generators:
 * stream allocation, expected answers on the static data set, absent keys
 * from the gaps, the YCSB zipfian generator, and the expected-state model
 * that write workloads simulate to know every answer in advance.
 */
#ifndef OMENBENCH_WL_COMMON_H
#define OMENBENCH_WL_COMMON_H

#include "common/rng.h"
#include "workloads/workload.h"

/* Allocates the arrays a stream needs; 0 or -1 + err ("out of memory"). */
int stream_alloc(struct op_stream *s, size_t n, bool typed, bool args,
		 bool his, char *err, size_t errlen);
/* The whole data set is the bulk load (read-only workloads). */
void stream_load_dataset(struct op_stream *s, const struct dataset *d);

size_t wl_lower_bound(const uint64_t *keys, size_t n, uint64_t key);
size_t wl_upper_bound(const uint64_t *keys, size_t n, uint64_t key);

/* Expected answers when the contents are the data set itself (value of
 * row i is i). */
void expect_get_static(const struct dataset *d, uint64_t key, uint64_t *want,
		       uint32_t *want_n);
void expect_scan_static(const struct dataset *d, uint64_t lo, uint64_t hi,
			uint64_t max, uint64_t *want, uint32_t *want_n);

/* A key that is not in the data set, preferably from a gap between two
 * present keys; -1 when the data leaves no key absent. */
int draw_absent_key(const struct dataset *d, struct rng *r, uint64_t *key);

/* YCSB's zipfian generator (Gray et al., SIGMOD 1994, as in YCSB's
 * ZipfianGenerator): ranks in [0, items), rank 0 the most popular. */
struct zipf {
	uint64_t items;
	double theta, alpha, zetan, eta, zeta2;
};
int zipf_init(struct zipf *z, uint64_t items, double theta);
uint64_t zipf_next(const struct zipf *z, struct rng *r);
/* Scrambled: spread the popular ranks over [0, items) with a hash. */
uint64_t zipf_scrambled(const struct zipf *z, struct rng *r);

/* Distinct keys of the data set (write workloads work on them). */
int unique_keys(const struct dataset *d, uint64_t **out, size_t *nu, char *err,
		size_t errlen);

/* Expected state of an index under writes, over the rows of a sorted
 * unique key array: which rows are present, their values, Fenwick trees of
 * counts and value sums (for scans), and the present rows in insertion
 * order (for uniform, latest and zipfian choice among present keys). */
struct wl_model {
	const uint64_t *keys;
	size_t n;
	uint8_t *present;
	uint64_t *val;
	uint64_t *fen_cnt, *fen_sum; /* 1-based Fenwick trees, NULL if no scans */
	uint64_t *order;             /* present rows, insertion order */
	size_t n_present;
};
int model_init(struct wl_model *m, const uint64_t *keys, size_t n,
	       bool scans, char *err, size_t errlen);
void model_free(struct wl_model *m);
void model_set(struct wl_model *m, size_t row, uint64_t val); /* insert/update */
void model_expect_get(const struct wl_model *m, uint64_t key, uint64_t *want,
		      uint32_t *want_n);
void model_expect_scan(const struct wl_model *m, uint64_t lo, uint64_t hi,
		       uint64_t max, uint64_t *want, uint32_t *want_n);
/* The load arrays (present rows in key order) and the final contents. */
int model_export(const struct wl_model *m, uint64_t **keys, uint64_t **vals,
		 size_t *n, char *err, size_t errlen);

void shuffle_u64(uint64_t *a, size_t n, struct rng *r);

#endif
