/*
 * workloads/workload.h — named, parametrised operation generators.
 *
 * A workload turns a data set into (1) what to bulk-load and (2) a stream of
 * operations with the expected answer of each, all from a seed: the same
 * seed and parameters give the identical stream for every index.  A workload
 * knows nothing of any particular index; it only declares which capabilities
 * (IX_CAP_*) its operations need.  The runner times the stream and compares
 * every answer with the expectation.
 *
 * Streams are struct-of-arrays so that the timed loop reads them
 * sequentially and a point-lookup stream carries no unused fields.
 */
#ifndef OMENBENCH_WORKLOAD_H
#define OMENBENCH_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "datasets/dataset.h"
#include "common/params.h"

enum op_type {
	OP_GET = 0,    /* want_n: 1 found / 0 absent; want: value */
	OP_SCAN = 1,   /* key..hi[i], at most arg[i] entries; want_n: count; want: sum */
	OP_INSERT = 2, /* insert key with value arg[i] (a new key) */
	OP_UPDATE = 3, /* insert of a present key: value becomes arg[i] */
	OP_RMW = 4,    /* get (checked like OP_GET), then write arg[i] */
};

#define WL_MAX_THREADS 256

struct op_stream {
	size_t n;
	uint8_t *type;   /* NULL: every operation is OP_GET */
	uint64_t *key;
	uint64_t *arg;   /* NULL when there are no scans or writes */
	uint64_t *hi;    /* NULL when there are no scans */
	uint64_t *want;
	uint32_t *want_n;
	size_t n_reads, n_writes, n_scans;

	/* What to bulk-load before the stream (sorted). */
	const uint64_t *load_keys, *load_vals;
	size_t n_load;
	bool load_has_dups;
	uint64_t *owned_load_keys, *owned_load_vals;

	/* Inserted one by one after the bulk load, before anything is timed
	 * (a structure grown by inserts rather than built by a bulk load). */
	uint64_t *setup_keys, *setup_vals;
	size_t n_setup;

	/* Write workloads: the contents expected after the run, for the final
	 * check (every key found with its value, one full scan's count and sum). */
	uint64_t *final_keys, *final_vals;
	size_t n_final;

	/* Threads: operations [slice[t], slice[t+1]) belong to thread t.  When
	 * n_slices is 0 the runner splits evenly (read-only streams). */
	size_t n_slices;
	size_t slice[WL_MAX_THREADS + 1];
	bool dependent_ok; /* only OP_GET on present keys: dependent mode works */
	size_t batch;      /* > 1: hand the index this many OP_GETs at once */
};

struct workload_input {
	const struct dataset *data;
	size_t ops;     /* operations requested (--ops), 0 = the workload's default */
	uint64_t seed;
	int threads;
};

struct workload {
	const char *name;
	const char *description;
	const struct param_def *params;
	unsigned needs; /* IX_CAP_* every index running it must have */
	bool writes;    /* rebuilds the index for every repetition */
	bool sequential; /* keys in time order (appends, time-series replay):
			  * the report's first question */
	int (*generate)(const struct param_set *p, const struct workload_input *in,
			struct op_stream *out, char *err, size_t errlen);
};

extern const struct workload *const workload_registry[];
const struct workload *workload_find(const char *name);

void op_stream_free(struct op_stream *s);

#endif
