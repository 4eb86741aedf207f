/*
 * indexes/robinhood.h — what the robin-hood table exposes beyond index_ops:
 * deletion, which the index contract has no operation for but which Celis'
 * scheme is partly about (backward-shift deletion keeps probe runs short
 * without tombstones).  tests/test_hashes.c exercises it.
 */
#ifndef OMENBENCH_ROBINHOOD_H
#define OMENBENCH_ROBINHOOD_H

#include <stdbool.h>
#include <stdint.h>

/* Removes key from a robinhood index (a handle from robinhood_index.create);
 * returns whether it was present.  Never allocates, never fails. */
bool robinhood_delete(void *ix, uint64_t key);

#endif
