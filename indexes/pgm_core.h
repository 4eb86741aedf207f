/*
 * indexes/pgm_core.h — the static PGM-index as a reusable piece.
 *
 * indexes/pgm.c implements it (see the comment there for the paper and the
 * layout) and registers `pgm`; indexes/dpgm.c builds one over each sorted
 * run of its logarithmic method.  Nothing here owns the key array: the
 * caller keeps it alive and unchanged while the core is in use.
 */
#ifndef OMENBENCH_PGM_CORE_H
#define OMENBENCH_PGM_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "indexes/lastmile.h"

/* One linear model: predicted position = intercept + slope * (key - first
 * key of the segment), capped at `limit` (the first position of the next
 * segment), then truncated.  intercept already carries +0.5 so truncation
 * rounds to nearest (pgm.c explains why the window then stays exact). */
struct pgm_model {
	double slope;
	double intercept;
	double limit;
};

/* One level: segment first keys (searched, so kept dense) and models.
 * Once built, first_keys points `pad` entries into its allocation: pad
 * entries of 0 before it and of UINT64_MAX after it let the walk count a
 * fixed-width window with no bounds checks (pgm.c, bottom_segment). */
struct pgm_level {
	uint64_t *first_keys;
	struct pgm_model *models;
	size_t count, capacity, pad;
};

/* Up to this eps_rec (windows of up to 16 first keys) the walk counts a
 * fixed 16-slot window over padded levels; above it, it clamps and
 * searches. */
#define PGM_PADDED_EPS_REC 7

#define PGM_MAX_LEVELS 64

struct pgm_core {
	const uint64_t *keys; /* not owned */
	size_t n;
	size_t eps, eps_rec;
	enum lastmile_kind search;
	int nlevels; /* levels[0] indexes keys; levels[nlevels-1] has 1 segment */
	struct pgm_level levels[PGM_MAX_LEVELS];
};

/* Builds over keys[0..n) (sorted, duplicates allowed) in one pass.  The core
 * must be zeroed (or freed) before.  0, or -1 with a message in err. */
int pgm_core_build(struct pgm_core *c, const uint64_t *keys, size_t n,
		   size_t eps, size_t eps_rec, enum lastmile_kind search,
		   char *err, size_t errlen);
void pgm_core_free(struct pgm_core *c);

/* The bottom-level window for key: the first position with keys[p] >= key
 * lies in [*lo, *hi] (hi is one past the last key the search reads). */
void pgm_core_window(const struct pgm_core *c, uint64_t key, size_t *lo,
		     size_t *pred, size_t *hi);
/* First position p with keys[p] >= key (n if none). */
size_t pgm_core_lower_bound(const struct pgm_core *c, uint64_t key);

/* Bytes of all segments of all levels (the key array is not counted). */
size_t pgm_core_bytes(const struct pgm_core *c);
/* Bottom-level segment count. */
size_t pgm_core_segments(const struct pgm_core *c);

#endif
