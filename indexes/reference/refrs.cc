// indexes/reference/refrs.cc — the authors' own RadixSpline as an omenbench
// index, `refrs`, so that our C `rs` can be measured against it in one run of
// one harness (issue #3 asks for "as fast as the authors' own C++ code").
//
// Not part of the default build and not committed code of theirs: `make
// reference` compiles this file against a checkout of
// https://github.com/learnedsystems/RadixSpline (REF_RS=dir;
// scripts/reference.sh says which commit we measured) and registers it only
// in build/reference/omenbench.  It is C++ because the reference is a C++
// header library; all it does is call that library's public API the way its
// README and SOSD do: GetSearchBound(key) gives [begin, end),
// std::lower_bound finds the key there, the value comes from the value array.
//
// Paper: A. Kipf et al., "RadixSpline: A Single-Pass Learned Index",
// aiDM@SIGMOD 2020.
#include <algorithm>
#include <cstdint>
#include <exception>
#include <new>

#include "rs/builder.h"
#include "rs/radix_spline.h"

extern "C" {
#include "indexes/index.h"
}

namespace {

struct refrs {
	const uint64_t *keys = nullptr;
	const uint64_t *vals = nullptr;
	size_t n = 0;
	uint64_t radix_bits = 18, err = 32;
	rs::RadixSpline<uint64_t> index;
};

const struct param_def refrs_params[] = {
	{"err", "32", "max_error of rs::Builder"},
	{"radix_bits", "18", "num_radix_bits of rs::Builder"},
	{NULL, NULL, NULL},
};

void *refrs_create(const struct param_set *cfg, const struct index_env *env,
		   char *err, size_t errlen)
{
	(void)env;
	uint64_t radix_bits, max_error;
	if (param_u64(cfg, "radix_bits", 1, 30, &radix_bits, err, errlen) ||
	    param_u64(cfg, "err", 1, 1u << 20, &max_error, err, errlen))
		return NULL;
	refrs *r = new (std::nothrow) refrs();
	if (!r) {
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	r->radix_bits = radix_bits;
	r->err = max_error;
	return r;
}

int refrs_bulk_load(void *ix, const uint64_t *keys, const uint64_t *vals,
		    size_t n, char *err, size_t errlen)
{
	refrs *r = static_cast<refrs *>(ix);
	r->keys = keys, r->vals = vals, r->n = n;
	if (n < 2) { // the reference's builder does not guard these
		ix_error(err, errlen, "refrs: needs at least two keys");
		return -1;
	}
	try {
		rs::Builder<uint64_t> builder(keys[0], keys[n - 1], r->radix_bits,
					      r->err);
		for (size_t i = 0; i < n; i++)
			builder.AddKey(keys[i]);
		r->index = builder.Finalize();
	} catch (const std::exception &e) {
		ix_error(err, errlen, "refrs: %s", e.what());
		return -1;
	}
	return 0;
}

bool refrs_get(void *ix, uint64_t key, uint64_t *val)
{
	const refrs *r = static_cast<const refrs *>(ix);
	rs::SearchBound bound = r->index.GetSearchBound(key);
	const uint64_t *it =
		std::lower_bound(r->keys + bound.begin, r->keys + bound.end, key);
	if (it != r->keys + r->n && *it == key) {
		*val = r->vals[it - r->keys];
		return true;
	}
	return false;
}

size_t refrs_index_bytes(void *ix)
{
	return static_cast<refrs *>(ix)->index.GetSize();
}

size_t refrs_total_bytes(void *ix)
{
	const refrs *r = static_cast<refrs *>(ix);
	return r->index.GetSize() + 2 * sizeof(uint64_t) * r->n;
}

void refrs_destroy(void *ix)
{
	delete static_cast<refrs *>(ix);
}

struct index_ops make_ops()
{
	struct index_ops o = {};
	o.name = "refrs";
	o.family = "learned";
	o.description = "the authors' RadixSpline (learnedsystems/RadixSpline), "
			"for comparison; make reference";
	o.caps = IX_CAP_CONCURRENT_READ;
	o.params = refrs_params;
	o.create = refrs_create;
	o.bulk_load = refrs_bulk_load;
	o.get = refrs_get;
	o.index_bytes = refrs_index_bytes;
	o.total_bytes = refrs_total_bytes;
	o.destroy = refrs_destroy;
	return o;
}

} // namespace

extern "C" const struct index_ops refrs_index = make_ops();
