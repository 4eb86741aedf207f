// indexes/reference/reftlx.cc — tlx's B+tree (tlx::btree_map, the successor
// of the STX B+tree that GRE and SOSD use as their B-tree) as an omenbench
// index, `reftlx`, so that our C `btree` can be measured against a standard
// B+tree in one run of one harness (issue #20).
//
// Not part of the default build and not committed code of theirs: `make
// reference` compiles this file against a checkout of
// https://github.com/tlx/tlx (REF_TLX=dir; results/reference-sources.txt
// gives the sha1 of each header compiled) and registers it only in
// build/reference/omenbench.  It calls btree_map's public API the way an
// STL map is used: bulk_load() over the sorted (key, value) pairs, find() for
// a lookup, insert() for an insert, lower_bound() and the iterator for a
// scan.
//
// Choices:
//  - node=N sets both leaf_slots and inner_slots of the traits; node=16 is
//    tlx's default for 8-byte keys and values (256 / sizeof(pair) = 16 leaf
//    slots, 256 / (8 + 8) = 16 inner slots), the default here too.  Search
//    inside a node is tlx's linear scan (binsearch_threshold 256, default).
//  - bulk_load() reads the two loaded arrays through a small zip iterator,
//    so no array of pairs is built; it packs every leaf full, as our btree
//    does at its default fill=1.0.
//  - btree_map keeps unique keys, as a map does, so reftlx does not declare
//    duplicates; insert() of a present key overwrites its value (the
//    contract's upsert).
//  - Node memory is counted by a small allocator that adds up what tlx asks
//    for (index_bytes: node bytes less n * 16 bytes of entries).
//
// B+tree: D. Comer, "The Ubiquitous B-Tree", ACM Computing Surveys 1979;
// STX/tlx B+tree: T. Bingmann, https://panthema.net/2007/stx-btree/.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <iterator>
#include <memory>
#include <new>
#include <utility>

#include "tlx/container/btree_map.hpp"

extern "C" {
#include "indexes/index.h"
}

namespace {

// std::allocator that adds the bytes it hands out to a counter.
template <typename T> struct counting_alloc {
	using value_type = T;
	size_t *bytes;
	explicit counting_alloc(size_t *b) : bytes(b) {}
	template <typename U>
	counting_alloc(const counting_alloc<U> &o) : bytes(o.bytes) {}
	T *allocate(size_t n)
	{
		*bytes += n * sizeof(T);
		return std::allocator<T>().allocate(n);
	}
	void deallocate(T *p, size_t n)
	{
		*bytes -= n * sizeof(T);
		std::allocator<T>().deallocate(p, n);
	}
	template <typename U> bool operator==(const counting_alloc<U> &o) const
	{
		return bytes == o.bytes;
	}
	template <typename U> bool operator!=(const counting_alloc<U> &o) const
	{
		return bytes != o.bytes;
	}
};

// The (key, value) pairs of the two loaded arrays, for bulk_load().
struct zip_iterator {
	using iterator_category = std::random_access_iterator_tag;
	using value_type = std::pair<uint64_t, uint64_t>;
	using difference_type = std::ptrdiff_t;
	using pointer = void;
	using reference = value_type;
	const uint64_t *k, *v;
	value_type operator*() const { return {*k, *v}; }
	zip_iterator &operator++()
	{
		++k, ++v;
		return *this;
	}
	difference_type operator-(const zip_iterator &o) const { return k - o.k; }
	bool operator==(const zip_iterator &o) const { return k == o.k; }
	bool operator!=(const zip_iterator &o) const { return k != o.k; }
};

template <int SLOTS> struct traits {
	static const bool self_verify = false;
	static const bool debug = false;
	static const int leaf_slots = SLOTS;
	static const int inner_slots = SLOTS;
	static const size_t binsearch_threshold = 256; // tlx's default
};

struct reftlx_base {
	size_t n = 0; // entries, kept here for index_bytes
	size_t bytes = 0;
	int slots = 16;
	virtual ~reftlx_base() = default;
	virtual void load(const uint64_t *keys, const uint64_t *vals, size_t n) = 0;
	virtual size_t scan(uint64_t lo, uint64_t hi, size_t max, uint64_t *sum) = 0;
	virtual bool insert(uint64_t key, uint64_t val) = 0;
	virtual size_t nodes() const = 0;
};

template <int SLOTS> struct reftlx final : reftlx_base {
	using alloc_type = counting_alloc<std::pair<uint64_t, uint64_t>>;
	using tree_type = tlx::btree_map<uint64_t, uint64_t, std::less<uint64_t>,
					 traits<SLOTS>, alloc_type>;
	tree_type tree;
	reftlx() : tree(alloc_type(&bytes)) { slots = SLOTS; }

	void load(const uint64_t *keys, const uint64_t *vals, size_t count) override
	{
		tree.bulk_load(zip_iterator{keys, vals},
			       zip_iterator{keys + count, vals + count});
		n = count;
	}
	bool get(uint64_t key, uint64_t *val) const
	{
		auto it = tree.find(key);
		if (it == tree.end())
			return false;
		*val = it->second;
		return true;
	}
	size_t scan(uint64_t lo, uint64_t hi, size_t max, uint64_t *sum) override
	{
		size_t seen = 0;
		for (auto it = tree.lower_bound(lo);
		     it != tree.end() && seen < max && it->first <= hi; ++it, seen++)
			*sum += it->second;
		return seen;
	}
	bool insert(uint64_t key, uint64_t val) override
	{
		auto r = tree.insert(std::make_pair(key, val));
		if (!r.second)
			r.first->second = val;
		else
			n++;
		return true;
	}
	size_t nodes() const override
	{
		return tree.get_stats().leaves + tree.get_stats().inner_nodes;
	}
};

const struct param_def reftlx_params[] = {
	{"node", "16", "leaf_slots = inner_slots of the traits: 16|32|64|128"},
	{NULL, NULL, NULL},
};

void *reftlx_create(const struct param_set *cfg, const struct index_env *env,
		    char *err, size_t errlen)
{
	(void)env;
	uint64_t node;
	if (param_u64(cfg, "node", 16, 128, &node, err, errlen))
		return NULL;
	reftlx_base *t = nullptr;
	switch (node) {
	case 16: t = new (std::nothrow) reftlx<16>(); break;
	case 32: t = new (std::nothrow) reftlx<32>(); break;
	case 64: t = new (std::nothrow) reftlx<64>(); break;
	case 128: t = new (std::nothrow) reftlx<128>(); break;
	default:
		ix_error(err, errlen, "reftlx: node must be 16, 32, 64 or 128");
		return NULL;
	}
	if (!t)
		ix_error(err, errlen, "out of memory");
	return t;
}

int reftlx_bulk_load(void *ix, const uint64_t *keys, const uint64_t *vals,
		     size_t n, char *err, size_t errlen)
{
	try {
		static_cast<reftlx_base *>(ix)->load(keys, vals, n);
	} catch (const std::exception &e) {
		ix_error(err, errlen, "reftlx: %s", e.what());
		return -1;
	}
	return 0;
}

// One predictable branch to the instantiation, then its inlined find():
// no virtual call on the timed lookup path.
bool reftlx_get(void *ix, uint64_t key, uint64_t *val)
{
	const reftlx_base *t = static_cast<const reftlx_base *>(ix);
	switch (t->slots) {
	case 16: return static_cast<const reftlx<16> *>(t)->get(key, val);
	case 32: return static_cast<const reftlx<32> *>(t)->get(key, val);
	case 64: return static_cast<const reftlx<64> *>(t)->get(key, val);
	default: return static_cast<const reftlx<128> *>(t)->get(key, val);
	}
}

size_t reftlx_scan(void *ix, uint64_t lo, uint64_t hi, size_t max,
		   uint64_t *sum)
{
	return static_cast<reftlx_base *>(ix)->scan(lo, hi, max, sum);
}

int reftlx_insert(void *ix, uint64_t key, uint64_t val, char *err,
		  size_t errlen)
{
	try {
		static_cast<reftlx_base *>(ix)->insert(key, val);
	} catch (const std::exception &e) {
		ix_error(err, errlen, "reftlx: %s", e.what());
		return -1;
	}
	return 0;
}

size_t reftlx_total_bytes(void *ix)
{
	return static_cast<reftlx_base *>(ix)->bytes;
}

size_t reftlx_index_bytes(void *ix)
{
	const reftlx_base *t = static_cast<reftlx_base *>(ix);
	size_t entries = 2 * sizeof(uint64_t) * t->n;
	return t->bytes > entries ? t->bytes - entries : 0;
}

void reftlx_stats(void *ix, struct index_stats *out)
{
	out->models = static_cast<reftlx_base *>(ix)->nodes();
}

void reftlx_destroy(void *ix)
{
	delete static_cast<reftlx_base *>(ix);
}

struct index_ops make_ops()
{
	struct index_ops o = {};
	o.name = "reftlx";
	o.family = "tree";
	o.description = "tlx::btree_map, the STX/tlx B+tree (tlx/tlx), for "
			"comparison; make reference";
	o.caps = IX_CAP_ORDERED | IX_CAP_INSERT | IX_CAP_CONCURRENT_READ;
	o.params = reftlx_params;
	o.create = reftlx_create;
	o.bulk_load = reftlx_bulk_load;
	o.get = reftlx_get;
	o.scan = reftlx_scan;
	o.insert = reftlx_insert;
	o.index_bytes = reftlx_index_bytes;
	o.total_bytes = reftlx_total_bytes;
	o.stats = reftlx_stats;
	o.destroy = reftlx_destroy;
	return o;
}

} // namespace

extern "C" const struct index_ops reftlx_index = make_ops();
