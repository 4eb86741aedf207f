/*
 * indexes/index.h — the one contract every index structure implements.
 *
 * An index is described by a `struct index_ops`: a name, a family, capability
 * flags, the parameters it accepts (with defaults), and function pointers.
 * The harness only ever talks to an index through this struct; an index knows
 * nothing about workloads, timing or CSV.  Adding an index is one new file
 * that defines a `const struct index_ops` plus one line in indexes/registry.c.
 *
 * Keys and values are uint64_t (`key_t` is taken by <sys/types.h>, so we use
 * plain uint64_t everywhere).  Values in benchmarks are row positions.
 *
 * Semantics every index must honour (the shared property tests check them):
 *  - bulk_load receives keys sorted ascending (duplicates allowed) with their
 *    values.  An index without IX_CAP_DUPLICATES is only given unique keys.
 *    The two arrays stay valid and unchanged until destroy(), so a read-only
 *    index may reference them instead of copying (the data set is mmapped
 *    once and shared); it then counts them in total_bytes, not index_bytes.
 *  - get(k) finds the FIRST entry whose key equals k (the lowest position in
 *    the loaded order) and returns its value.
 *  - scan(lo, hi, max): visits entries in key order starting at the first entry
 *    with key >= lo, stopping after `max` entries or at the first key > hi;
 *    returns how many it visited and adds their values into *sum.  Every copy
 *    of a duplicated key is an entry.
 *  - insert(k, v) is an upsert: a new key is added; for a key that is already
 *    present the value of its first entry is replaced.  Returns 0 or -1 (with a
 *    message through ix_error) on failure such as a full disk.
 */
#ifndef OMENBENCH_INDEX_H
#define OMENBENCH_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/params.h"

/* Capability flags. */
enum {
	IX_CAP_ORDERED = 1u << 0,    /* scan() works: lower bound + ordered walk */
	IX_CAP_INSERT = 1u << 1,     /* insert() works after bulk_load */
	IX_CAP_DUPLICATES = 1u << 2, /* bulk_load accepts duplicate keys */
	IX_CAP_PERSISTENT = 1u << 3, /* data lives in files (engines) */
	IX_CAP_CONCURRENT_READ = 1u << 4,  /* get/scan from many threads at once */
	IX_CAP_CONCURRENT_WRITE = 1u << 5, /* insert from many threads at once */
};

/* Where an index may put files and how many threads will use it. */
struct index_env {
	const char *dir;  /* a fresh, empty directory owned by this index */
	int threads;      /* number of threads that will call attach() */
};

/* Model-quality and shape figures (SOSD's --errors analogue).  Fields that do
 * not apply stay at their "unset" value: negative for doubles, 0 for models. */
struct index_stats {
	double mean_log2_err; /* mean over keys of log2(search window + 1) */
	double max_err;       /* largest |predicted - true| position */
	uint64_t models;      /* segments / leaves / knots / nodes */
	char notes[128];      /* free text for the CSV, e.g. durability flags */
};

struct index_ops {
	const char *name;        /* as typed on the command line */
	const char *family;      /* baseline, tree, learned, hash, trie, engine */
	const char *description; /* one line, with the paper it follows */
	unsigned caps;           /* IX_CAP_* */
	const struct param_def *params; /* terminated by {NULL} */
	/* Optional: the configurations `run --sweeps` and `make bench` try for
	 * the size/speed Pareto plot, in sweep syntax ("eps=16..4096"); several
	 * parameter sets are separated by spaces ("a=1:b=2/4 a=8"). */
	const char *sweep;

	/* Builds an empty index.  `cfg` holds every declared parameter (defaults
	 * filled in) as strings; read them with param_u64() etc.  On failure
	 * returns NULL and writes a one-line reason into err. */
	void *(*create)(const struct param_set *cfg, const struct index_env *env,
			char *err, size_t errlen);
	/* Loads n sorted keys.  Called once, on an empty index.  0 or -1+err. */
	int (*bulk_load)(void *ix, const uint64_t *keys, const uint64_t *vals,
			 size_t n, char *err, size_t errlen);
	bool (*get)(void *ix, uint64_t key, uint64_t *val);
	size_t (*scan)(void *ix, uint64_t lo, uint64_t hi, size_t max,
		       uint64_t *sum); /* NULL unless IX_CAP_ORDERED */
	int (*insert)(void *ix, uint64_t key, uint64_t val, char *err,
		      size_t errlen); /* NULL unless IX_CAP_INSERT */
	/* Optional: look up k keys at once (may interleave / prefetch).  found[i]
	 * is 0 or 1.  NULL means the harness loops over get(). */
	void (*get_batch)(void *ix, const uint64_t *keys, size_t k, uint64_t *vals,
			  uint8_t *found);
	/* Optional: a per-thread handle for get/scan/insert (engines: a read
	 * transaction, a connection).  NULL means the index pointer is used. */
	void *(*attach)(void *ix, char *err, size_t errlen);
	void (*detach)(void *handle);
	size_t (*index_bytes)(void *ix); /* the structure's own overhead */
	size_t (*total_bytes)(void *ix); /* everything it holds, data included */
	void (*stats)(void *ix, struct index_stats *out); /* optional */
	/* Optional: an upper estimate of the bytes a build of n keys allocates
	 * (beyond the shared data set), so the harness can skip a build that
	 * would not fit in memory instead of being killed.  NULL: 64 B/key. */
	size_t (*estimate_bytes)(const struct param_set *cfg, size_t n);
	/* Optional: get and scan have no error channel, so an index whose reads
	 * can fail (an engine's I/O error) records the first failure, answers
	 * "absent", and returns the failure here (NULL or "" if none).  The
	 * runner asks after every timed run and fails the run with it, instead
	 * of reporting the failure as wrong answers.  NULL: reads cannot fail. */
	const char *(*read_error)(void *ix);
	/* Optional: commits the writes an engine still holds back (the open
	 * batch of a group commit).  The runner calls it after every timed run
	 * that writes (untimed), before it checks the answers and writes the
	 * row, so a last commit that fails (a full disk) is the run's error, not
	 * a miss in the check nor a failure destroy() would have to drop.  0 or
	 * -1 + err.  NULL: an insert is complete when insert() returns. */
	int (*flush)(void *ix, char *err, size_t errlen);
	void (*destroy)(void *ix);
};

/* The registry (indexes/registry.c): NULL-terminated. */
extern const struct index_ops *const index_registry[];
const struct index_ops *index_find(const char *name);

/* Memory for a large array: from 2 MiB on, 2 MiB-aligned and advised
 * MADV_HUGEPAGE, so that an array beyond the TLB's reach costs a TLB miss
 * per 2 MiB rather than per 4 KiB page (the kernel may still say no: it is
 * advice); below that, 64-byte aligned.  Every index uses it for its large
 * arrays, so none gets huge pages the others lack.  free() releases it;
 * NULL when out of memory. */
void *ix_alloc_large(size_t bytes);

/* Formats a one-line error into err (snprintf semantics, never overflows). */
void ix_error(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
