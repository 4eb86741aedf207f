/*
 * indexes/btree.c — an in-memory B+tree tuned for caches.
 *
 * Papers: R. Bayer, E. McCreight, "Organization and maintenance of large
 * ordered indexes", Acta Informatica 1(3), 1972 (the B-tree, node splits);
 * D. Comer, "The Ubiquitous B-Tree", ACM Computing Surveys 11(2), 1979, §3
 * (the B+tree: all entries in linked leaves, inner nodes hold separators);
 * J. Rao, K. Ross, "Making B+-trees cache conscious in main memory",
 * SIGMOD 2000, §2-3 (nodes sized and aligned to cache lines, keys apart from
 * pointers so a node search touches only key lines); S. Chen, P. Gibbons,
 * T. Mowry, "Improving index performance through prefetching", SIGMOD 2001,
 * §2 (pB+-trees: nodes wider than a line, all lines of the next node
 * prefetched at once so their misses overlap — our prefetch=1).
 *
 * Layout.  Every node is one block of node_bytes (a multiple of 64, 64-byte
 * aligned), leaf or inner alike:
 *     keys[kslots]   kslots = node rounded up to 8 (whole cache lines); the
 *                    slots past `count` hold UINT64_MAX so a node search can
 *                    compare every slot with a fixed trip count
 *     slots[node+1]  inner: children; leaf: values (slot `node` unused)
 *     trailer        count of keys; leaf: next leaf (scans follow it)
 * Inner key i separates child i from child i+1: max(child i) <= key[i] <=
 * min(child i+1).  Duplicate keys are allowed (bulk load), so several
 * separators may be equal and a run of copies may span leaves.
 *
 * Search.  In every node we take rank = number of keys strictly less than the
 * search key (AVX-512: 8 unsigned compares per instruction; AVX2: 4 signed
 * compares after flipping the sign bit; scalar fallback; nodes wider than 32
 * slots first binary-search for the right line).  Descending into
 * child[rank] reaches the leaf holding the lower bound or the leaf just
 * before it; if the rank in the leaf equals its count, the lower bound is the
 * first entry of the next leaf.  So get() lands on the FIRST copy of a key
 * even when a duplicate run spans leaves.  get_batch() runs a group of
 * lookups down the tree in lock step, prefetching each one's next node.
 *
 * Inserts (upserts) descend the same way, replace the value of the first
 * copy if the key is present, and otherwise add the key at its rank, split
 * a full node in half and push the separator (the right half's first key)
 * up, growing a new root when the old one splits.  The nodes a split may
 * need are reserved before anything changes, so running out of memory
 * leaves the tree intact.
 *
 * Appends (append=1), as time-series B-trees do them: the tree remembers
 * its rightmost leaf and largest key, and an insert of a key above that
 * maximum goes straight to that leaf with no descent (a "rightmost-leaf
 * hint").  When the rightmost leaf is full it is split at the end, not in
 * the middle: the old leaf stays full (fill 1.0) and the new rightmost leaf
 * starts with the new key alone; a full inner node on the rightmost path
 * splits the same way (its new right sibling starts with one child and no
 * keys, which the node search handles: rank 0 takes child 0).  So a tree
 * grown by appends is as packed as a bulk-loaded one instead of half full.
 * Everything else (upserts, keys at or below the maximum) takes the usual
 * path; append=0 is the textbook tree for comparison.
 *
 * Memory.  Nodes come from large chunks (bump allocation, no per-node free:
 * the contract has no delete); chunks of 2 MiB or more are 2 MiB aligned and
 * advised as transparent huge pages, which saves TLB misses on big trees.
 * index_bytes = everything allocated minus the key/value payload
 * (16 bytes x entries): inner nodes, leaf trailers, empty slots and padding,
 * the unused tail of the last chunk.  total_bytes = everything allocated.
 * With node=16 a node is 320 bytes for 256 bytes of leaf payload, so a
 * packed tree's index_bytes is about a third of its payload.
 *
 * Parameters and why these defaults (10M uniform random keys, a loop of
 * get() on keys drawn from them, medians of 3 runs on the 2-core AVX-512
 * development VM, ns per lookup relative to binsearch): node=16 (two key
 * lines: 0.36-0.37; node=8 0.43, node=32 0.43-0.47, node=64 0.55-0.59,
 * node=128 0.65); prefetch=0 (prefetch=1 measured 0.39-0.40 at node=16,
 * where the adjacent-line prefetcher already pairs the two key lines; it
 * helps slightly from node=64 up); fill=1.0 (bulk load packs every leaf
 * and inner node for read speed and size; inserts split as needed, lower
 * fill leaves room for them); append=1 (seq-append on 10M ts_bursty keys,
 * sampled, medians of 3 on the loaded 2-core VM: 298 ns per append against
 * 589 with append=0, and 5.4 against 17.4 index bytes per key, leaves being
 * full; random inserts, which never take the path, 3536 [2848..4428] ns
 * against 4225 [3002..4479]: not slower).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexes/index.h"
#include "indexes/simd_rank.h"

#define BT_LINE 64
#define BT_HUGE (2u << 20)
#define BT_MAX_HEIGHT 64

struct bt_node; /* opaque: see the layout above and the accessors below */

struct bt_trailer {
	struct bt_node *next; /* leaves only */
	uint32_t count;
};

struct bt_chunk {
	struct bt_chunk *prev;
	size_t bytes;
};

struct btree {
	/* geometry */
	uint32_t cap;        /* keys per node (node=) */
	uint32_t kslots;     /* cap rounded up to 8 */
	size_t slots_off;    /* byte offset of slots[] */
	size_t trailer_off;  /* byte offset of the trailer */
	size_t node_bytes;   /* multiple of 64 */
	double fill;
	int prefetch;
	int append; /* the rightmost-leaf fast path */
	/* tree */
	struct bt_node *root;
	int height; /* 1: the root is a leaf */
	size_t entries;
	struct bt_node *last_leaf; /* the rightmost leaf */
	uint64_t max_key;          /* its last key, when entries > 0 */
	/* node allocator */
	struct bt_chunk *chunks;
	char *bump, *bump_end;
	size_t allocated;
	/* insert scratch: one node's worth plus one */
	uint64_t *scratch_keys;
	uint64_t *scratch_slots;
};

static inline uint64_t *node_keys(struct bt_node *nd)
{
	return (uint64_t *)(void *)nd;
}

static inline uint64_t *node_vals(const struct btree *t, struct bt_node *nd)
{
	return (uint64_t *)(void *)((char *)nd + t->slots_off);
}

static inline struct bt_node **node_kids(const struct btree *t,
					 struct bt_node *nd)
{
	return (struct bt_node **)(void *)((char *)nd + t->slots_off);
}

static inline struct bt_trailer *node_trailer(const struct btree *t,
					      struct bt_node *nd)
{
	return (struct bt_trailer *)(void *)((char *)nd + t->trailer_off);
}

static const struct param_def btree_params[] = {
	{"node", "16", "keys per node, 4..1024 (key array padded to whole cache lines)"},
	{"fill", "1.0", "fraction of each node filled by bulk load, 0.1..1"},
	{"prefetch", "0", "1: prefetch every line of the next node (pB+-tree)"},
	{"append", "1", "1: keys above the maximum go straight to the rightmost leaf, which splits at the end (fill 1.0)"},
	{NULL, NULL, NULL},
};

/* ---- node allocation ---------------------------------------------------- */

/* Adds a chunk with room for at least `nodes` nodes. */
static int chunk_add(struct btree *t, size_t nodes)
{
	size_t want = BT_LINE + nodes * t->node_bytes;
	size_t align = want >= BT_HUGE ? BT_HUGE : BT_LINE;
	size_t bytes = (want + align - 1) / align * align; /* as ix_alloc_large rounds */
	char *mem = ix_alloc_large(bytes);
	if (!mem)
		return -1;
	struct bt_chunk *c = (struct bt_chunk *)(void *)mem;
	c->prev = t->chunks;
	c->bytes = bytes;
	t->chunks = c;
	t->bump = mem + BT_LINE; /* the header takes one line; nodes stay aligned */
	t->bump_end = mem + bytes;
	t->allocated += bytes;
	return 0;
}

/* Makes sure `nodes` nodes can be taken without another allocation, so an
 * insert reserves its worst case (one node per level plus a new root) before
 * it changes anything and never fails half way through a split. */
static int nodes_reserve(struct btree *t, size_t nodes)
{
	if ((size_t)(t->bump_end - t->bump) >= nodes * t->node_bytes)
		return 0;
	size_t grow = BT_HUGE / t->node_bytes;
	return chunk_add(t, grow > nodes ? grow : nodes);
}

/* A fresh node: keys padded with UINT64_MAX, count 0, no next leaf.  The
 * caller has reserved it. */
static struct bt_node *node_new(struct btree *t)
{
	struct bt_node *nd = (struct bt_node *)(void *)t->bump;
	t->bump += t->node_bytes;
	memset(node_keys(nd), 0xff, t->kslots * sizeof(uint64_t));
	struct bt_trailer *tr = node_trailer(t, nd);
	tr->next = NULL;
	tr->count = 0;
	return nd;
}

static void chunks_free(struct btree *t)
{
	while (t->chunks) {
		struct bt_chunk *prev = t->chunks->prev;
		free(t->chunks);
		t->chunks = prev;
	}
	t->bump = t->bump_end = NULL;
	t->allocated = 0;
}

/* ---- create ------------------------------------------------------------- */

static void btree_destroy(void *ix);

static void *btree_create(const struct param_set *cfg,
			  const struct index_env *env, char *err, size_t errlen)
{
	(void)env;
	uint64_t node, prefetch, append;
	double fill;
	if (param_u64(cfg, "node", 4, 1024, &node, err, errlen) ||
	    param_double(cfg, "fill", 0.1, 1.0, &fill, err, errlen) ||
	    param_u64(cfg, "prefetch", 0, 1, &prefetch, err, errlen) ||
	    param_u64(cfg, "append", 0, 1, &append, err, errlen))
		return NULL;
	struct btree *t = calloc(1, sizeof *t);
	if (!t) {
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	t->cap = (uint32_t)node;
	t->kslots = (t->cap + 7) & ~7u;
	t->slots_off = t->kslots * sizeof(uint64_t);
	t->trailer_off = t->slots_off + (t->cap + 1) * sizeof(uint64_t);
	t->node_bytes = (t->trailer_off + sizeof(struct bt_trailer) + BT_LINE - 1) /
			BT_LINE * BT_LINE;
	t->fill = fill;
	t->prefetch = (int)prefetch;
	t->append = (int)append;
	t->scratch_keys = malloc((t->cap + 2) * sizeof(uint64_t));
	t->scratch_slots = malloc((t->cap + 2) * sizeof(uint64_t));
	if (!t->scratch_keys || !t->scratch_slots || chunk_add(t, 1)) {
		btree_destroy(t);
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	t->root = node_new(t); /* an empty leaf */
	t->last_leaf = t->root;
	t->height = 1;
	return t;
}

/* ---- bulk load ---------------------------------------------------------- */

/* Packs leaves left to right, then builds each inner level over the one
 * below.  `level` holds the nodes of the level being built on and `low` the
 * smallest key under each (its separator in the parent). */
static int btree_bulk_load(void *ix, const uint64_t *keys, const uint64_t *vals,
			   size_t n, char *err, size_t errlen)
{
	struct btree *t = ix;
	if (n == 0)
		return 0; /* the empty root leaf from create() stays */
	size_t per_leaf = (size_t)(t->fill * t->cap);
	if (per_leaf < 1)
		per_leaf = 1;
	size_t per_inner = (size_t)(t->fill * t->cap) + 1; /* children */
	if (per_inner < 2)
		per_inner = 2;
	size_t leaves = (n + per_leaf - 1) / per_leaf, total = leaves;
	for (size_t c = leaves; c > 1;) {
		c = (c + per_inner - 1) / per_inner;
		total += c;
	}
	struct bt_node **level = malloc(leaves * sizeof *level);
	uint64_t *low = malloc(leaves * sizeof *low);
	struct btree fresh = *t; /* new chunks; the empty root leaf's go */
	fresh.chunks = NULL;
	fresh.allocated = 0;
	if (!level || !low || chunk_add(&fresh, total)) {
		free(level), free(low);
		ix_error(err, errlen, "out of memory");
		return -1;
	}
	chunks_free(t);
	*t = fresh;
	struct bt_node *prev = NULL;
	for (size_t l = 0; l < leaves; l++) {
		size_t from = l * per_leaf;
		size_t cnt = n - from < per_leaf ? n - from : per_leaf;
		struct bt_node *leaf = node_new(t); /* the chunk has room */
		memcpy(node_keys(leaf), keys + from, cnt * sizeof(uint64_t));
		memcpy(node_vals(t, leaf), vals + from, cnt * sizeof(uint64_t));
		node_trailer(t, leaf)->count = (uint32_t)cnt;
		if (prev)
			node_trailer(t, prev)->next = leaf;
		prev = leaf;
		level[l] = leaf;
		low[l] = keys[from];
	}
	size_t width = leaves;
	int height = 1;
	while (width > 1) {
		size_t parents = (width + per_inner - 1) / per_inner;
		for (size_t p = 0; p < parents; p++) {
			size_t from = p * per_inner;
			size_t cnt = width - from < per_inner ? width - from : per_inner;
			struct bt_node *in = node_new(t);
			uint64_t *k = node_keys(in);
			struct bt_node **kid = node_kids(t, in);
			for (size_t c = 0; c < cnt; c++) {
				kid[c] = level[from + c];
				if (c)
					k[c - 1] = low[from + c];
			}
			node_trailer(t, in)->count = (uint32_t)(cnt - 1);
			/* p <= from: overwriting in place is safe */
			level[p] = in;
			low[p] = low[from];
		}
		width = parents;
		height++;
	}
	t->root = level[0];
	t->height = height;
	t->entries = n;
	t->last_leaf = prev;
	t->max_key = keys[n - 1];
	free(level), free(low);
	return 0;
}

/* ---- lookup ------------------------------------------------------------- */

/* Number of keys[0..kslots) strictly below key.  Padding slots hold
 * UINT64_MAX, which is never below anything, so this is the rank among the
 * node's real keys — and the padded array is sorted.  Up to 32 slots a SIMD
 * pass over every slot is cheapest (at most four lines, fixed trip count);
 * wider nodes first find their 8-key line by a branch-free binary search
 * over the last key of each line, then rank within that line, so a node
 * search touches log2(lines) + 1 lines instead of all of them. */
static inline unsigned node_rank(const uint64_t *keys, unsigned kslots,
				 uint64_t key)
{
	if (kslots <= 32)
		return rank_lt_lines(keys, kslots, key);
	unsigned line = 0, lines = kslots / 8; /* first line whose last key >= key */
	while (lines > 1) {
		unsigned half = lines / 2;
		line = keys[(line + half) * 8 - 1] < key ? line + half : line;
		lines -= half;
	}
	line += keys[line * 8 + 7] < key;
	if (line == kslots / 8)
		return kslots;
	return line * 8 + rank_lt_lines(keys + line * 8, 8, key);
}

/* prefetch=1: every key line of the node about to be searched is requested
 * at once, so their misses overlap instead of coming one after another. */
static inline void prefetch_node_keys(const struct btree *t,
				      const struct bt_node *nd)
{
	const char *p = (const char *)nd;
	for (unsigned off = 0; off < t->kslots * sizeof(uint64_t); off += BT_LINE)
		__builtin_prefetch(p + off);
}

/* Descends to the leaf holding the lower bound of key (or the leaf before
 * it); returns the leaf and sets *pos to the rank there.  path/slot, when
 * given, record the inner nodes passed and the child taken in each. */
static inline struct bt_node *descend(const struct btree *t, uint64_t key,
				      unsigned *pos, struct bt_node **path,
				      unsigned *slot)
{
	struct bt_node *nd = t->root;
	for (int h = t->height; h > 1; h--) {
		unsigned r = node_rank(node_keys(nd), t->kslots, key);
		if (path) {
			*path++ = nd;
			*slot++ = r;
		}
		nd = node_kids(t, nd)[r];
		if (t->prefetch)
			prefetch_node_keys(t, nd);
	}
	*pos = node_rank(node_keys(nd), t->kslots, key);
	return nd;
}

/* The leaf and position of the first entry with key >= key, or NULL. */
static inline struct bt_node *lower_bound(const struct btree *t, uint64_t key,
					  unsigned *pos)
{
	struct bt_node *leaf = descend(t, key, pos, NULL, NULL);
	if (*pos == node_trailer(t, leaf)->count) {
		*pos = 0;
		leaf = node_trailer(t, leaf)->next; /* never an empty leaf */
	}
	return leaf;
}

static bool btree_get(void *ix, uint64_t key, uint64_t *val)
{
	const struct btree *t = ix;
	unsigned pos;
	struct bt_node *leaf = lower_bound(t, key, &pos);
	if (leaf && node_keys(leaf)[pos] == key) {
		*val = node_vals(t, leaf)[pos];
		return true;
	}
	return false;
}

/* Batched lookups, interleaved: every leaf is at the same depth, so a group
 * of keys descends level by level in lock step, and each key's next node is
 * prefetched while the other keys are searched — up to BT_GROUP misses in
 * flight instead of one (group prefetching: S. Chen, A. Ailamaki,
 * P. Gibbons, T. Mowry, "Improving hash join performance through
 * prefetching", ICDE 2004, §4, applied to tree descent).  The leaf is
 * prefetched whole, values included. */
#define BT_GROUP 16

static void btree_get_batch(void *ix, const uint64_t *keys, size_t count,
			    uint64_t *vals, uint8_t *found)
{
	const struct btree *t = ix;
	for (size_t g = 0; g < count; g += BT_GROUP) {
		size_t m = count - g < BT_GROUP ? count - g : BT_GROUP;
		const uint64_t *x = keys + g;
		struct bt_node *nd[BT_GROUP];
		for (size_t i = 0; i < m; i++)
			nd[i] = t->root;
		/* What to prefetch of the next node: narrow nodes are read whole
		 * (a leaf with its values); wide ones start a binary search, whose
		 * first probe is the last key of the middle line. */
		size_t wide_probe = (t->kslots / 16) * 8 - 1;
		for (int h = t->height; h > 1; h--) {
			size_t bytes = h == 2 ? t->node_bytes : t->kslots * sizeof(uint64_t);
			for (size_t i = 0; i < m; i++) {
				unsigned r = node_rank(node_keys(nd[i]), t->kslots, x[i]);
				nd[i] = node_kids(t, nd[i])[r];
				const char *p = (const char *)nd[i];
				if (t->kslots > 32) {
					__builtin_prefetch(node_keys(nd[i]) + wide_probe);
					continue;
				}
				for (size_t off = 0; off < bytes; off += BT_LINE)
					__builtin_prefetch(p + off);
			}
		}
		for (size_t i = 0; i < m; i++) {
			struct bt_node *leaf = nd[i];
			unsigned pos = node_rank(node_keys(leaf), t->kslots, x[i]);
			if (pos == node_trailer(t, leaf)->count) {
				pos = 0;
				leaf = node_trailer(t, leaf)->next;
			}
			found[g + i] = leaf && node_keys(leaf)[pos] == x[i];
			vals[g + i] = found[g + i] ? node_vals(t, leaf)[pos] : 0;
		}
	}
}

/* ---- scan --------------------------------------------------------------- */

static size_t btree_scan(void *ix, uint64_t lo, uint64_t hi, size_t max,
			 uint64_t *sum)
{
	const struct btree *t = ix;
	unsigned pos;
	struct bt_node *leaf = lower_bound(t, lo, &pos);
	size_t seen = 0;
	uint64_t s = 0;
	while (leaf && seen < max) {
		const uint64_t *k = node_keys(leaf), *v = node_vals(t, leaf);
		unsigned count = node_trailer(t, leaf)->count;
		for (; pos < count && seen < max; pos++, seen++) {
			if (k[pos] > hi)
				goto done;
			s += v[pos];
		}
		leaf = node_trailer(t, leaf)->next;
		pos = 0;
	}
done:
	*sum += s;
	return seen;
}

/* ---- insert ------------------------------------------------------------- */

/* Puts (key, slot) at position pos of a node that has room.  For inner
 * nodes the slot is the child to the right of key, at pos + 1. */
static void node_put(const struct btree *t, struct bt_node *nd, unsigned pos,
		     uint64_t key, uint64_t slot, int inner)
{
	uint64_t *k = node_keys(nd), *s = node_vals(t, nd);
	unsigned count = node_trailer(t, nd)->count;
	memmove(k + pos + 1, k + pos, (count - pos) * sizeof *k);
	k[pos] = key;
	memmove(s + pos + inner + 1, s + pos + inner,
		(count - pos) * sizeof *s);
	s[pos + inner] = slot;
	node_trailer(t, nd)->count = count + 1;
}

/* Splits a full node while adding (key, slot) at pos: the cap + 1 keys are
 * gathered in scratch, the first `left` keys stay, the rest moves to a new
 * right node ((cap + 1) / 2: the classic half split; cap: the append split,
 * which leaves this node full).  Returns the right node and the separator
 * to push up. */
static struct bt_node *node_split(struct btree *t, struct bt_node *nd,
				  unsigned pos, uint64_t key, uint64_t slot,
				  int inner, unsigned left, uint64_t *sep)
{
	struct bt_node *right = node_new(t); /* reserved by the caller */
	uint64_t *k = node_keys(nd), *s = node_vals(t, nd);
	uint64_t *sk = t->scratch_keys, *ss = t->scratch_slots;
	unsigned cap = t->cap, slots = cap + (unsigned)inner;
	memcpy(sk, k, pos * sizeof *k);
	sk[pos] = key;
	memcpy(sk + pos + 1, k + pos, (cap - pos) * sizeof *k);
	memcpy(ss, s, (pos + (unsigned)inner) * sizeof *s);
	ss[pos + (unsigned)inner] = slot;
	memcpy(ss + pos + inner + 1, s + pos + inner,
	       (slots - pos - (unsigned)inner) * sizeof *s);
	/* cap + 1 keys, cap + 1 (leaf) or cap + 2 (inner) slots in scratch */
	uint64_t *rk = node_keys(right), *rs = node_vals(t, right);
	memset(k, 0xff, t->kslots * sizeof *k);
	memcpy(k, sk, left * sizeof *k);
	if (inner) {
		/* keys[left] moves up; right gets keys after it */
		*sep = sk[left];
		unsigned rcount = cap - left;
		memcpy(s, ss, (left + 1) * sizeof *s);
		memcpy(rk, sk + left + 1, rcount * sizeof *rk);
		memcpy(rs, ss + left + 1, (rcount + 1) * sizeof *rs);
		node_trailer(t, nd)->count = left;
		node_trailer(t, right)->count = rcount;
	} else {
		unsigned rcount = cap + 1 - left;
		memcpy(s, ss, left * sizeof *s);
		memcpy(rk, sk + left, rcount * sizeof *rk);
		memcpy(rs, ss + left, rcount * sizeof *rs);
		node_trailer(t, nd)->count = left;
		node_trailer(t, right)->count = rcount;
		node_trailer(t, right)->next = node_trailer(t, nd)->next;
		node_trailer(t, nd)->next = right;
		*sep = rk[0];
	}
	return right;
}

/* After a leaf split: pushes (sep, right) up the recorded path, splitting
 * full inner nodes (at the end when `at_end`, else in half), and grows a new
 * root when the old one splits.  The caller has reserved height + 1 nodes. */
static void push_up(struct btree *t, struct bt_node **path, unsigned *slot,
		    uint64_t sep, struct bt_node *right, int at_end)
{
	for (int d = t->height - 2; d >= 0; d--) {
		struct bt_node *parent = path[d];
		if (node_trailer(t, parent)->count < t->cap) {
			node_put(t, parent, slot[d], sep, (uint64_t)(uintptr_t)right, 1);
			return;
		}
		right = node_split(t, parent, slot[d], sep, (uint64_t)(uintptr_t)right,
				   1, at_end ? t->cap : (t->cap + 1) / 2, &sep);
	}
	/* The root split: a new root over the two halves. */
	struct bt_node *root = node_new(t);
	node_keys(root)[0] = sep;
	node_kids(t, root)[0] = t->root;
	node_kids(t, root)[1] = right;
	node_trailer(t, root)->count = 1;
	t->root = root;
	t->height++;
}

/* The append fast path: key is above every key in the tree.  It goes at the
 * end of the rightmost leaf; a full one splits at the end, and so does every
 * full inner node on the rightmost path (found by following last children,
 * which only a split needs). */
static int append_rightmost(struct btree *t, uint64_t key, uint64_t val,
			    char *err, size_t errlen)
{
	struct bt_node *leaf = t->last_leaf;
	unsigned count = node_trailer(t, leaf)->count;
	if (count < t->cap) {
		node_keys(leaf)[count] = key;
		node_vals(t, leaf)[count] = val;
		node_trailer(t, leaf)->count = count + 1;
		t->entries++;
		t->max_key = key;
		return 0;
	}
	if (t->height >= BT_MAX_HEIGHT || nodes_reserve(t, (size_t)t->height + 1)) {
		ix_error(err, errlen, "out of memory");
		return -1;
	}
	struct bt_node *path[BT_MAX_HEIGHT];
	unsigned slot[BT_MAX_HEIGHT];
	struct bt_node *nd = t->root;
	for (int d = 0; d < t->height - 1; d++) {
		path[d] = nd;
		slot[d] = node_trailer(t, nd)->count;
		nd = node_kids(t, nd)[slot[d]];
	}
	uint64_t sep;
	struct bt_node *right = node_split(t, leaf, count, key, val, 0, t->cap, &sep);
	t->entries++;
	t->max_key = key;
	t->last_leaf = right;
	push_up(t, path, slot, sep, right, 1);
	return 0;
}

static int btree_insert(void *ix, uint64_t key, uint64_t val, char *err,
			size_t errlen)
{
	struct btree *t = ix;
	if (t->append && t->entries && key > t->max_key)
		return append_rightmost(t, key, val, err, errlen);
	struct bt_node *path[BT_MAX_HEIGHT];
	unsigned slot[BT_MAX_HEIGHT], pos;
	struct bt_node *leaf = descend(t, key, &pos, path, slot);
	struct bt_trailer *tr = node_trailer(t, leaf);
	/* Upsert: the first copy is at pos, or first in the next leaf. */
	if (pos < tr->count && node_keys(leaf)[pos] == key) {
		node_vals(t, leaf)[pos] = val;
		return 0;
	}
	if (pos == tr->count && tr->next && node_keys(tr->next)[0] == key) {
		node_vals(t, tr->next)[0] = val;
		return 0;
	}
	if (!t->entries || key > t->max_key)
		t->max_key = key;
	/* A new key: key[pos-1] < key <= the separator above, so it belongs
	 * here even at the end of the leaf. */
	if (tr->count < t->cap) {
		node_put(t, leaf, pos, key, val, 0);
		t->entries++;
		return 0;
	}
	if (t->height >= BT_MAX_HEIGHT || nodes_reserve(t, (size_t)t->height + 1)) {
		ix_error(err, errlen, "out of memory");
		return -1;
	}
	uint64_t sep;
	struct bt_node *right = node_split(t, leaf, pos, key, val, 0,
					   (t->cap + 1) / 2, &sep);
	if (leaf == t->last_leaf)
		t->last_leaf = right;
	t->entries++;
	push_up(t, path, slot, sep, right, 0);
	return 0;
}

/* ---- size --------------------------------------------------------------- */

static size_t btree_total_bytes(void *ix)
{
	const struct btree *t = ix;
	return sizeof *t + t->allocated + 2 * (t->cap + 2) * sizeof(uint64_t);
}

static size_t btree_index_bytes(void *ix)
{
	const struct btree *t = ix;
	return btree_total_bytes(ix) - t->entries * 2 * sizeof(uint64_t);
}

static void btree_stats(void *ix, struct index_stats *out)
{
	const struct btree *t = ix;
	size_t leaves = 0;
	struct bt_node *nd = t->root;
	for (int h = t->height; h > 1; h--)
		nd = node_kids(t, nd)[0];
	for (; nd; nd = node_trailer(t, nd)->next)
		leaves++;
	out->models = leaves;
	snprintf(out->notes, sizeof out->notes, "height=%d node_bytes=%zu",
		 t->height, t->node_bytes);
}

/* Leaves hold at least half their keys after splits (or the bulk load's
 * fill, if lower); inner nodes add under 2/cap of that; the bump allocator
 * grows by BT_HUGE chunks. */
static size_t btree_estimate_bytes(const struct param_set *cfg, size_t n)
{
	uint64_t node = 16;
	double fill = 1.0;
	if (param_u64(cfg, "node", 4, 1024, &node, NULL, 0) ||
	    param_double(cfg, "fill", 0.1, 1.0, &fill, NULL, 0))
		return n * 64; /* the harness's default; create() names the parameter */
	size_t kslots = (node + 7) & ~(size_t)7;
	size_t node_bytes = (kslots + node + 1) * sizeof(uint64_t) +
			    sizeof(struct bt_trailer);
	node_bytes = (node_bytes + BT_LINE - 1) / BT_LINE * BT_LINE;
	double per_leaf = fill * (double)node < (double)node / 2 ? fill * (double)node
								 : (double)(node / 2);
	if (per_leaf < 1)
		per_leaf = 1;
	double leaves = (double)n / per_leaf + 1;
	return (size_t)(leaves * (double)node_bytes * (1 + 2.0 / (double)node)) +
	       2 * (size_t)BT_HUGE + 4096;
}

static void btree_destroy(void *ix)
{
	struct btree *t = ix;
	if (!t)
		return;
	chunks_free(t);
	free(t->scratch_keys);
	free(t->scratch_slots);
	free(t);
}

const struct index_ops btree_index = {
	.name = "btree",
	.family = "tree",
	.description = "cache-conscious B+tree, SIMD node search, rightmost-leaf "
		       "append path (Comer 1979; Rao & Ross SIGMOD 2000)",
	.caps = IX_CAP_ORDERED | IX_CAP_INSERT | IX_CAP_DUPLICATES |
		IX_CAP_CONCURRENT_READ,
	.params = btree_params,
	/* Node sizes, and nodes left 30% empty at bulk load, which inserts
	 * into a loaded tree want (fewer splits). */
	.sweep = "node=8..128 node=16/32:fill=0.7 append=0",
	.create = btree_create,
	.bulk_load = btree_bulk_load,
	.get = btree_get,
	.scan = btree_scan,
	.insert = btree_insert,
	.get_batch = btree_get_batch,
	.index_bytes = btree_index_bytes,
	.total_bytes = btree_total_bytes,
	.stats = btree_stats,
	.estimate_bytes = btree_estimate_bytes,
	.destroy = btree_destroy,
};
