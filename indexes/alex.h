/*
 * indexes/alex.h — test hooks of the ALEX index (indexes/alex.c).
 *
 * Only tests use these: a full structural check and counters of the
 * structural operations, so tests can prove that expansions, both kinds of
 * splits and key-domain growth really happened.
 */
#ifndef OMENBENCH_ALEX_H
#define OMENBENCH_ALEX_H

#include <stddef.h>
#include <stdint.h>

struct alex_counters {
	uint64_t model_nodes, data_nodes, depth;
	uint64_t expansions;       /* data node expanded and retrained */
	uint64_t sideways_splits;  /* a data node split into its parent */
	uint64_t parent_doublings; /* parent fanout doubled for a sideways split */
	uint64_t downward_splits;  /* a data node became a model node */
	uint64_t root_expansions;  /* root children array grown for a new domain */
	uint64_t new_roots;        /* a new root created above the old one */
	uint64_t catastrophic_splits; /* split because inserts shifted too far */
};

/* Walks the whole structure and checks every invariant (sorted slots, gaps
 * hold the next key, bitmap counts, pointer blocks, keys route back to their
 * data node, linked leaves in order).  0 if sound, else -1 and a reason. */
int alex_verify(void *ix, char *err, size_t errlen);
void alex_get_counters(void *ix, struct alex_counters *out);

#endif
