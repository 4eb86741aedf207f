// indexes/reference/refpgm.cc — the authors' own PGM-index as an omenbench
// index, `refpgm`, so that our C `pgm` can be measured against it in one run
// of one harness (issue #3 asks for "as fast as the authors' own C++ code").
//
// Not part of the default build and not committed code of theirs: `make
// reference` compiles this file against a checkout of
// https://github.com/gvinciguerra/PGM-index (REF_PGM=dir; scripts/reference.sh
// says which commit we measured) and registers it only in
// build/reference/omenbench.  It is C++ because the reference is a C++
// header library; all it does is call that library's public API the way
// its README and SOSD do: pgm.search(key) gives [lo, hi), std::lower_bound
// finds the key there, and the value comes from the value array.
//
// Paper: P. Ferragina and G. Vinciguerra, PVLDB 13(8), VLDB 2020.
#include <algorithm>
#include <cstdint>
#include <exception>
#include <new>

#include "pgm/pgm_index.hpp"

extern "C" {
#include "indexes/index.h"
}

namespace {

// The reference takes epsilon as a template parameter, so each supported
// value is its own instantiation behind one small interface.
struct refpgm_base {
	const uint64_t *keys = nullptr;
	const uint64_t *vals = nullptr;
	size_t n = 0;
	uint64_t eps = 0;
	virtual ~refpgm_base() = default;
	virtual void build() = 0;
	virtual size_t bytes() const = 0;
	virtual size_t segments() const = 0;
};

template <size_t EPS> struct refpgm final : refpgm_base {
	pgm::PGMIndex<uint64_t, EPS, 4> index; // eps_rec 4, the reference's default
	void build() override
	{
		index = pgm::PGMIndex<uint64_t, EPS, 4>(keys, keys + n);
	}
	bool get(uint64_t key, uint64_t *val) const
	{
		auto range = index.search(key);
		const uint64_t *it = std::lower_bound(keys + range.lo, keys + range.hi, key);
		if (it != keys + n && *it == key) {
			*val = vals[it - keys];
			return true;
		}
		return false;
	}
	size_t bytes() const override { return index.size_in_bytes(); }
	size_t segments() const override { return index.segments_count(); }
};

const struct param_def refpgm_params[] = {
	{"eps", "64", "8|16|32|64|128 (pgm::PGMIndex<uint64_t, eps, 4>)"},
	{NULL, NULL, NULL},
};

void *refpgm_create(const struct param_set *cfg, const struct index_env *env,
		    char *err, size_t errlen)
{
	(void)env;
	uint64_t eps;
	if (param_u64(cfg, "eps", 8, 128, &eps, err, errlen))
		return NULL;
	refpgm_base *p = nullptr;
	switch (eps) {
	case 8: p = new (std::nothrow) refpgm<8>(); break;
	case 16: p = new (std::nothrow) refpgm<16>(); break;
	case 32: p = new (std::nothrow) refpgm<32>(); break;
	case 64: p = new (std::nothrow) refpgm<64>(); break;
	case 128: p = new (std::nothrow) refpgm<128>(); break;
	default:
		ix_error(err, errlen, "refpgm: eps must be 8, 16, 32, 64 or 128");
		return NULL;
	}
	if (!p) {
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	p->eps = eps;
	return p;
}

int refpgm_bulk_load(void *ix, const uint64_t *keys, const uint64_t *vals,
		     size_t n, char *err, size_t errlen)
{
	refpgm_base *p = static_cast<refpgm_base *>(ix);
	p->keys = keys, p->vals = vals, p->n = n;
	if (n == 0) { // not a case the comparison needs
		ix_error(err, errlen, "refpgm: needs at least one key");
		return -1;
	}
	try {
		p->build();
	} catch (const std::exception &e) {
		ix_error(err, errlen, "refpgm: %s", e.what());
		return -1;
	}
	return 0;
}

// One predictable branch to the instantiation, then its inlined lookup:
// no virtual call on the timed path.
bool refpgm_get(void *ix, uint64_t key, uint64_t *val)
{
	const refpgm_base *p = static_cast<const refpgm_base *>(ix);
	switch (p->eps) {
	case 8: return static_cast<const refpgm<8> *>(p)->get(key, val);
	case 16: return static_cast<const refpgm<16> *>(p)->get(key, val);
	case 32: return static_cast<const refpgm<32> *>(p)->get(key, val);
	case 64: return static_cast<const refpgm<64> *>(p)->get(key, val);
	default: return static_cast<const refpgm<128> *>(p)->get(key, val);
	}
}

size_t refpgm_index_bytes(void *ix)
{
	return static_cast<refpgm_base *>(ix)->bytes();
}

size_t refpgm_total_bytes(void *ix)
{
	const refpgm_base *p = static_cast<refpgm_base *>(ix);
	return p->bytes() + 2 * sizeof(uint64_t) * p->n;
}

void refpgm_stats(void *ix, struct index_stats *out)
{
	out->models = static_cast<refpgm_base *>(ix)->segments();
}

void refpgm_destroy(void *ix)
{
	delete static_cast<refpgm_base *>(ix);
}

struct index_ops make_ops()
{
	struct index_ops o = {};
	o.name = "refpgm";
	o.family = "learned";
	o.description = "the authors' PGM-index (gvinciguerra/PGM-index), "
			"for comparison; make reference";
	o.caps = IX_CAP_CONCURRENT_READ;
	o.params = refpgm_params;
	o.create = refpgm_create;
	o.bulk_load = refpgm_bulk_load;
	o.get = refpgm_get;
	o.index_bytes = refpgm_index_bytes;
	o.total_bytes = refpgm_total_bytes;
	o.stats = refpgm_stats;
	o.destroy = refpgm_destroy;
	return o;
}

} // namespace

extern "C" const struct index_ops refpgm_index = make_ops();
