// indexes/reference/refrmi.cc — the header-only RMI of Maltry and Dittrich's
// analysis-rmi as an omenbench index, `refrmi`, so that our C `rmi` can be
// measured against it in one run of one harness (issue #20).
//
// Not part of the default build and not committed code of theirs: `make
// reference` compiles this file against a checkout of
// https://github.com/BigDataAnalyticsGroup/analysis-rmi (REF_RMI=dir;
// results/reference-sources.txt gives the sha1 of each header compiled) and
// registers it only in build/reference/omenbench.  It calls the library's
// public API the way its example.cpp and experiments/index_comparison.cpp
// do: rmi::RmiLAbs<uint64_t, Layer1, Layer2>(first, last, layer2_size) is
// built on the sorted keys, search(key) gives [lo, hi) from the leaf's own
// absolute error bound ("local absolute", LAbs), std::lower_bound finds the
// key there, and the value comes from the value array.
//
// Parameters mirror our rmi's: top= picks Layer1 (linear_spline =
// rmi::LinearSpline, linear = rmi::LinearRegression, cubic =
// rmi::CubicSpline, radix = rmi::Radix), leaf= picks Layer2 (linear =
// rmi::LinearRegression, our rmi's leaves; linear_spline = rmi::LinearSpline),
// branch= is layer2_size.  Each (top, leaf) pair is its own template
// instantiation; get reaches it through one function pointer chosen at
// create, a perfectly predicted indirect call on the timed path.
//
// The reference predicts in double from the raw key (our rmi subtracts each
// leaf's base key first), keeps the leaf models (16 bytes) and the leaf
// errors (8 bytes) in two arrays, so a lookup touches two cache lines where
// ours touches one 32-byte record; rmi::Radix uses the BMI2 pext instruction.
//
// Paper: M. Maltry and J. Dittrich, "A Critical Analysis of Recursive Model
// Indexes", PVLDB 15(5), 2022; RMIs: T. Kraska et al., SIGMOD 2018.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <new>

#include "rmi/models.hpp"
#include "rmi/rmi.hpp"

extern "C" {
#include "indexes/index.h"
}

namespace {

struct refrmi_base {
	const uint64_t *keys = nullptr;
	const uint64_t *vals = nullptr;
	size_t n = 0;
	uint64_t branch = 1u << 16;
	bool (*get)(const refrmi_base *, uint64_t, uint64_t *) = nullptr;
	virtual ~refrmi_base() = default;
	virtual void build() = 0;
	virtual size_t bytes() = 0;
	// The window [lo, hi) the reference gives for key.
	virtual rmi::Approx search(uint64_t key) const = 0;
};

template <typename L1, typename L2> struct refrmi final : refrmi_base {
	using rmi_type = rmi::RmiLAbs<uint64_t, L1, L2>;
	// Built in place: the reference's Rmi owns a raw array and has no
	// copy or move of its own, so it must never be copied.
	std::unique_ptr<rmi_type> index;

	void build() override
	{
		index = std::make_unique<rmi_type>(keys, keys + n, branch);
	}
	size_t bytes() override { return index->size_in_bytes(); }
	rmi::Approx search(uint64_t key) const override
	{
		return index->search(key);
	}
	static bool lookup(const refrmi_base *b, uint64_t key, uint64_t *val)
	{
		const refrmi *p = static_cast<const refrmi *>(b);
		rmi::Approx range = p->index->search(key);
		const uint64_t *it = std::lower_bound(p->keys + range.lo,
						      p->keys + range.hi, key);
		if (it != p->keys + p->n && *it == key) {
			*val = p->vals[it - p->keys];
			return true;
		}
		return false;
	}
};

const char *const top_names[] = {"linear_spline", "linear", "cubic", "radix",
				 NULL};
const char *const leaf_names[] = {"linear", "linear_spline", NULL};

template <typename L1> refrmi_base *make_with_leaf(int leaf)
{
	refrmi_base *p;
	if (leaf == 0)
		p = new (std::nothrow) refrmi<L1, rmi::LinearRegression>();
	else
		p = new (std::nothrow) refrmi<L1, rmi::LinearSpline>();
	if (p)
		p->get = leaf == 0 ? refrmi<L1, rmi::LinearRegression>::lookup
				   : refrmi<L1, rmi::LinearSpline>::lookup;
	return p;
}

refrmi_base *make(int top, int leaf)
{
	switch (top) {
	case 0: return make_with_leaf<rmi::LinearSpline>(leaf);
	case 1: return make_with_leaf<rmi::LinearRegression>(leaf);
	case 2: return make_with_leaf<rmi::CubicSpline>(leaf);
	default: return make_with_leaf<rmi::Radix<uint64_t>>(leaf);
	}
}

const struct param_def refrmi_params[] = {
	{"top", "linear_spline", "Layer1: linear_spline|linear|cubic|radix "
				 "(rmi::LinearSpline|LinearRegression|CubicSpline|Radix)"},
	{"branch", "2^16", "layer2_size, number of leaf models, 2^6..2^24"},
	{"leaf", "linear", "Layer2: linear|linear_spline "
			   "(rmi::LinearRegression|LinearSpline)"},
	{NULL, NULL, NULL},
};

void *refrmi_create(const struct param_set *cfg, const struct index_env *env,
		    char *err, size_t errlen)
{
	(void)env;
	int top, leaf;
	uint64_t branch;
	if (param_choice(cfg, "top", top_names, &top, err, errlen) ||
	    param_choice(cfg, "leaf", leaf_names, &leaf, err, errlen) ||
	    param_u64(cfg, "branch", 1u << 6, 1u << 24, &branch, err, errlen))
		return NULL;
	refrmi_base *p = make(top, leaf);
	if (!p) {
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	p->branch = branch;
	return p;
}

int refrmi_bulk_load(void *ix, const uint64_t *keys, const uint64_t *vals,
		     size_t n, char *err, size_t errlen)
{
	refrmi_base *p = static_cast<refrmi_base *>(ix);
	p->keys = keys, p->vals = vals, p->n = n;
	if (n < 2) { // the reference divides by n and trains on n - 1
		ix_error(err, errlen, "refrmi: needs at least two keys");
		return -1;
	}
	try {
		p->build();
	} catch (const std::exception &e) {
		ix_error(err, errlen, "refrmi: %s", e.what());
		return -1;
	}
	return 0;
}

bool refrmi_get(void *ix, uint64_t key, uint64_t *val)
{
	const refrmi_base *p = static_cast<const refrmi_base *>(ix);
	return p->get(p, key, val);
}

// Lower bound through the reference's window, then the key array in order.
size_t refrmi_scan(void *ix, uint64_t lo, uint64_t hi, size_t max,
		   uint64_t *sum)
{
	const refrmi_base *p = static_cast<const refrmi_base *>(ix);
	rmi::Approx range = p->search(lo);
	size_t i = std::lower_bound(p->keys + range.lo, p->keys + range.hi, lo) -
		   p->keys;
	// The reference bounds the error of present keys only: an absent lo's
	// lower bound may lie outside the window, on either side.
	if (i == range.hi)
		i = std::lower_bound(p->keys + i, p->keys + p->n, lo) - p->keys;
	else if (i == range.lo && i > 0 && p->keys[i - 1] >= lo)
		i = std::lower_bound(p->keys, p->keys + i, lo) - p->keys;
	size_t seen = 0;
	for (; i < p->n && seen < max && p->keys[i] <= hi; i++, seen++)
		*sum += p->vals[i];
	return seen;
}

size_t refrmi_index_bytes(void *ix)
{
	return static_cast<refrmi_base *>(ix)->bytes();
}

size_t refrmi_total_bytes(void *ix)
{
	refrmi_base *p = static_cast<refrmi_base *>(ix);
	return p->bytes() + 2 * sizeof(uint64_t) * p->n;
}

void refrmi_stats(void *ix, struct index_stats *out)
{
	out->models = static_cast<refrmi_base *>(ix)->branch;
}

void refrmi_destroy(void *ix)
{
	delete static_cast<refrmi_base *>(ix);
}

struct index_ops make_ops()
{
	struct index_ops o = {};
	o.name = "refrmi";
	o.family = "learned";
	o.description = "the analysis-rmi RMI, rmi::RmiLAbs (BigDataAnalyticsGroup/"
			"analysis-rmi), for comparison; make reference";
	o.caps = IX_CAP_ORDERED | IX_CAP_CONCURRENT_READ;
	o.params = refrmi_params;
	o.create = refrmi_create;
	o.bulk_load = refrmi_bulk_load;
	o.get = refrmi_get;
	o.scan = refrmi_scan;
	o.index_bytes = refrmi_index_bytes;
	o.total_bytes = refrmi_total_bytes;
	o.stats = refrmi_stats;
	o.destroy = refrmi_destroy;
	return o;
}

} // namespace

extern "C" const struct index_ops refrmi_index = make_ops();
