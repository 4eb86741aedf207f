// indexes/reference/refalex.cc — the authors' own ALEX as an omenbench index,
// `refalex`, so that our C `alex` can be measured against it in one run of
// one harness (issue #20).
//
// Not part of the default build and not committed code of theirs: `make
// reference` compiles this file against a checkout of
// https://github.com/microsoft/ALEX (REF_ALEX=dir; results/reference-sources.txt
// gives the sha1 of each header compiled) and registers it only in
// build/reference/omenbench.  It calls the library's public API the way its
// README and benchmark do: bulk_load() on an array of (key, payload) pairs,
// get_payload(key) for a lookup, insert(key, payload), lower_bound() and the
// iterator for a scan.
//
// Choices, each the closest the reference offers to our `alex`:
//  - alex::Alex<uint64_t, uint64_t, AlexCompare, std::allocator,
//    allow_duplicates=false>: the contract's insert is an upsert, which the
//    reference does with allow_duplicates=false (insert reports the key it
//    found and we overwrite its payload); with the default `true` it would
//    store a second copy.  Like our alex it takes unique keys only.
//  - bulk_load() wants one array of std::pair, so the wrapper copies the two
//    loaded arrays into one (counted in build time, freed before it returns).
//  - Parameters are the reference's own Params (expected_insert_frac,
//    max_node_size, approximate model and cost computation), defaults
//    unchanged; its densities (0.6 / 0.7 / 0.8) are compile-time constants.
//  - The reference's default ALEX_SAFE_LOOKUP (alex.h) is left on.
//  - Its lookups count themselves into a statistics field, so concurrent
//    readers would race: refalex does not declare concurrent reads.
//
// index_bytes is model_size() + data_size() less the n * 16 bytes of keys
// and payloads, the same split as our alex's; total_bytes is the sum.
//
// Paper: J. Ding et al., "ALEX: An Updatable Adaptive Learned Index",
// SIGMOD 2020.
#include <cstdint>
#include <exception>
#include <new>
#include <utility>
#include <vector>

#include "core/alex.h" // under $(REF_ALEX)/src: indexes/alex.h is ours

extern "C" {
#include "indexes/index.h"
}

namespace {

using alex_type = alex::Alex<uint64_t, uint64_t, alex::AlexCompare,
			     std::allocator<std::pair<uint64_t, uint64_t>>,
			     false>;

struct refalex {
	alex_type index;
};

const struct param_def refalex_params[] = {
	{"insert_frac", "1", "Params::expected_insert_frac, 0..1"},
	{"max_node_bytes", "16M", "Params::max_node_size in bytes"},
	{"approx_model", "1", "Params::approximate_model_computation, 0|1"},
	{"approx_cost", "0", "Params::approximate_cost_computation, 0|1"},
	{NULL, NULL, NULL},
};

void *refalex_create(const struct param_set *cfg, const struct index_env *env,
		     char *err, size_t errlen)
{
	(void)env;
	double insert_frac;
	uint64_t node_bytes, approx_model, approx_cost;
	if (param_double(cfg, "insert_frac", 0, 1, &insert_frac, err, errlen) ||
	    param_u64(cfg, "max_node_bytes", 4096, 1u << 30, &node_bytes, err,
		      errlen) ||
	    param_u64(cfg, "approx_model", 0, 1, &approx_model, err, errlen) ||
	    param_u64(cfg, "approx_cost", 0, 1, &approx_cost, err, errlen))
		return NULL;
	refalex *a = new (std::nothrow) refalex();
	if (!a) {
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	a->index.set_expected_insert_frac(insert_frac);
	a->index.set_max_node_size(static_cast<int>(node_bytes));
	a->index.set_approximate_model_computation(approx_model != 0);
	a->index.set_approximate_cost_computation(approx_cost != 0);
	return a;
}

int refalex_bulk_load(void *ix, const uint64_t *keys, const uint64_t *vals,
		      size_t n, char *err, size_t errlen)
{
	refalex *a = static_cast<refalex *>(ix);
	if (n > INT32_MAX) { // bulk_load takes an int count
		ix_error(err, errlen, "refalex: at most 2^31-1 keys");
		return -1;
	}
	if (n == 0)
		return 0; // the reference's empty index is ready as constructed
	try {
		std::vector<std::pair<uint64_t, uint64_t>> pairs(n);
		for (size_t i = 0; i < n; i++)
			pairs[i] = {keys[i], vals[i]};
		a->index.bulk_load(pairs.data(), static_cast<int>(n));
	} catch (const std::exception &e) {
		ix_error(err, errlen, "refalex: %s", e.what());
		return -1;
	}
	return 0;
}

bool refalex_get(void *ix, uint64_t key, uint64_t *val)
{
	const refalex *a = static_cast<const refalex *>(ix);
	const uint64_t *p = a->index.get_payload(key);
	if (!p)
		return false;
	*val = *p;
	return true;
}

size_t refalex_scan(void *ix, uint64_t lo, uint64_t hi, size_t max,
		    uint64_t *sum)
{
	refalex *a = static_cast<refalex *>(ix);
	size_t seen = 0;
	for (auto it = a->index.lower_bound(lo);
	     !it.is_end() && seen < max && it.key() <= hi; ++it, seen++)
		*sum += it.payload();
	return seen;
}

int refalex_insert(void *ix, uint64_t key, uint64_t val, char *err,
		   size_t errlen)
{
	refalex *a = static_cast<refalex *>(ix);
	try {
		auto r = a->index.insert(key, val);
		if (!r.second) // present: upsert the payload in place
			r.first.payload() = val;
	} catch (const std::exception &e) {
		ix_error(err, errlen, "refalex: %s", e.what());
		return -1;
	}
	return 0;
}

size_t refalex_total_bytes(void *ix)
{
	const refalex *a = static_cast<const refalex *>(ix);
	return static_cast<size_t>(a->index.model_size() + a->index.data_size());
}

size_t refalex_index_bytes(void *ix)
{
	const refalex *a = static_cast<const refalex *>(ix);
	size_t entries = 2 * sizeof(uint64_t) * a->index.size();
	size_t total = refalex_total_bytes(ix);
	return total > entries ? total - entries : 0;
}

void refalex_stats(void *ix, struct index_stats *out)
{
	out->models = static_cast<refalex *>(ix)->index.num_nodes();
}

void refalex_destroy(void *ix)
{
	delete static_cast<refalex *>(ix);
}

struct index_ops make_ops()
{
	struct index_ops o = {};
	o.name = "refalex";
	o.family = "learned";
	o.description = "the authors' ALEX (microsoft/ALEX), for comparison; "
			"make reference";
	o.caps = IX_CAP_ORDERED | IX_CAP_INSERT;
	o.params = refalex_params;
	o.create = refalex_create;
	o.bulk_load = refalex_bulk_load;
	o.get = refalex_get;
	o.scan = refalex_scan;
	o.insert = refalex_insert;
	o.index_bytes = refalex_index_bytes;
	o.total_bytes = refalex_total_bytes;
	o.stats = refalex_stats;
	o.destroy = refalex_destroy;
	return o;
}

} // namespace

extern "C" const struct index_ops refalex_index = make_ops();
