/*
 * datasets/dataset.h — SOSD-format data sets: reading, checking, writing, and
 * the synthetic generators behind `omenbench gen`.
 *
 * Format (Marcus et al., SOSD): a little-endian uint64 count n, then n sorted
 * keys; the file-name suffix `_uint32` or `_uint64` gives the key width
 * (no suffix: 64-bit).  The file is memory-mapped, checked, and its keys
 * read once (32-bit keys widened) into memory advised for huge pages, which
 * every index of the run shares: no index copies the data set.  The payload
 * of row i is i, as in SOSD.
 */
#ifndef OMENBENCH_DATASET_H
#define OMENBENCH_DATASET_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "common/params.h"

struct dataset {
	char name[128];       /* base name, e.g. logn_10M_uint64 */
	char path[PATH_MAX];
	int width;            /* 32 or 64 */
	size_t n;
	const uint64_t *keys; /* n sorted keys */
	uint64_t *vals;       /* row positions 0..n-1 */
	size_t n_dups;        /* keys equal to their predecessor */
	/* owned memory */
	void *map; /* the file, while it is being read */
	size_t map_len;
	uint64_t *owned_keys;
};

/* Finds a data set by path, or by name anywhere under the data set
 * directory ($OMENBENCH_DATASETS, default ./datasets), trying NAME,
 * NAME_uint64 and NAME_uint32.  0, or -1 with "PATH: problem" in err. */
int dataset_open(const char *name_or_path, struct dataset *d, char *err,
		 size_t errlen);
void dataset_close(struct dataset *d);

/* Writes keys (sorted) in SOSD format, atomically (temp file + rename).
 * width 32 requires every key < 2^32. */
int dataset_write(const char *path, const uint64_t *keys, size_t n, int width,
		  char *err, size_t errlen);

/* The data set directory in use. */
const char *dataset_dir(void);

/* --- generators ------------------------------------------------------- */

struct generator {
	const char *name;
	const char *description;
	const struct param_def *params;
	/* Fills keys[0..n) sorted; 0 or -1 + err. */
	int (*generate)(const struct param_set *p, uint64_t *keys, size_t n,
			int width, uint64_t seed, char *err, size_t errlen);
};

extern const struct generator *const generator_registry[];
const struct generator *generator_find(const char *name);

/* "10M", "1M", "100K", "1234" — the size part of generated file names. */
void format_count(uint64_t n, char *buf, size_t len);

/* Inverse of the standard normal CDF, accurate to double precision. */
double inverse_normal_cdf(double p);

#endif
