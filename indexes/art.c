/*
 * indexes/art.c — the Adaptive Radix Tree over 8-byte big-endian keys.
 *
 * Paper: Leis, Kemper and Neumann, "The Adaptive Radix Tree: ARTful Indexing
 * for Main-Memory Databases", ICDE 2013.
 *  - §III-B/C: a 256-way radix tree on key bytes whose inner nodes adapt
 *    their size to the number of children: Node4, Node16 (searched with one
 *    SIMD byte comparison), Node48 (a 256-byte index into 48 pointers) and
 *    Node256.
 *  - §III-D: single-value leaves, told apart from inner nodes by a tag bit.
 *  - §III-E: lazy expansion (a leaf hangs at the highest level where its key
 *    is unique) and path compression (an inner node with one child is merged
 *    into its child, which remembers the skipped bytes as a prefix).  We use
 *    the pessimistic variant: the whole prefix is stored, which always fits,
 *    because a key has only 8 bytes and a prefix is at most 7 of them.
 *  - §III-F: search and insert as followed here; bulk load is done by
 *    inserting the sorted keys, deletion is not needed by the contract.
 *  - §IV: binary-comparable keys: a uint64_t read most significant byte
 *    first (big-endian) orders byte-wise exactly as it orders numerically.
 *
 * Layout: a child reference is a uintptr_t; 0 is "none", a pointer with bit 0
 * set is a leaf, anything else an inner node.  Every inner node starts with
 * `struct art_node` (type, prefix length, child count, prefix bytes packed
 * into a uint64_t, most significant byte first).  Node4 and Node16 keep their
 * key bytes sorted so ordered scans need no sorting; Node48 maps a key byte to
 * a slot through a 256-byte index (0 = none, else slot + 1); Node256 is
 * indexed directly.  A leaf is {key, value}: the full key is needed because a
 * lazily expanded leaf is reached before all its bytes are examined.  Leaves
 * are carved from large chunks (no per-leaf malloc header); there is no
 * delete, so chunks are only freed by destroy.
 *
 * A key's byte at depth d (0..7) is bits 63-8d .. 56-8d.  An inner node found
 * at depth d consumes its prefix bytes d .. d+len-1 and branches on byte
 * d+len; d + len <= 7 always, since two distinct keys differ by byte 7.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "indexes/index.h"

typedef uintptr_t art_ref;

enum art_type { ART_NODE4, ART_NODE16, ART_NODE48, ART_NODE256 };

struct art_node {
	uint8_t type;       /* enum art_type */
	uint8_t prefix_len; /* compressed path bytes, 0..7 */
	uint16_t count;     /* children, up to 256 */
	uint64_t prefix;    /* the prefix bytes, the first one most significant */
};

struct art_node4 {
	struct art_node head;
	uint8_t keys[4]; /* sorted */
	art_ref children[4];
};

struct art_node16 {
	struct art_node head;
	uint8_t keys[16]; /* sorted */
	art_ref children[16];
};

struct art_node48 {
	struct art_node head;
	uint8_t child_slot[256]; /* 0 = no child, else slot + 1 */
	art_ref children[48];
};

struct art_node256 {
	struct art_node head;
	art_ref children[256];
};

struct art_leaf {
	uint64_t key;
	uint64_t value;
};

/* Leaves come from chunks of many; bulk load takes one chunk of exactly n. */
struct art_leaf_chunk {
	struct art_leaf_chunk *next;
	size_t used, capacity;
	struct art_leaf leaves[];
};

#define ART_LEAF_CHUNK 4096 /* leaves per chunk grown by inserts */

struct art {
	art_ref root;
	struct art_leaf_chunk *chunks; /* newest first; leaves come from it */
	size_t leaf_count;
	size_t chunk_bytes;  /* all leaf chunks, headers included */
	size_t inner_bytes;  /* all inner nodes */
	size_t nodes[4];     /* inner nodes of each type */
};

static const size_t art_node_size[4] = {
	sizeof(struct art_node4), sizeof(struct art_node16),
	sizeof(struct art_node48), sizeof(struct art_node256),
};

static const struct param_def art_params[] = {
	{NULL, NULL, NULL},
};

static inline bool art_is_leaf(art_ref r) { return r & 1; }
static inline struct art_leaf *art_as_leaf(art_ref r)
{
	return (struct art_leaf *)(r & ~(uintptr_t)1);
}
static inline art_ref art_leaf_ref(struct art_leaf *l) { return (uintptr_t)l | 1; }
static inline struct art_node *art_as_node(art_ref r) { return (struct art_node *)r; }

/* Byte `depth` of the key, most significant first. */
static inline unsigned art_key_byte(uint64_t key, unsigned depth)
{
	return (unsigned)(key >> (56 - 8 * depth)) & 0xff;
}

/* Bytes from..from+len-1 of the key packed like art_node.prefix (len >= 1). */
static inline uint64_t art_key_bytes(uint64_t key, unsigned from, unsigned len)
{
	return (key << (8 * from)) >> (64 - 8 * len);
}

/* ---- build ---------------------------------------------------------------- */

static void *art_create(const struct param_set *cfg, const struct index_env *env,
			char *err, size_t errlen)
{
	(void)cfg, (void)env;
	struct art *a = calloc(1, sizeof *a);
	if (!a)
		ix_error(err, errlen, "out of memory");
	return a;
}

static struct art_node *art_new_node(struct art *a, enum art_type type)
{
	struct art_node *n = calloc(1, art_node_size[type]);
	if (!n)
		return NULL;
	n->type = (uint8_t)type;
	a->inner_bytes += art_node_size[type];
	a->nodes[type]++;
	return n;
}

static void art_free_node(struct art *a, struct art_node *n)
{
	a->inner_bytes -= art_node_size[n->type];
	a->nodes[n->type]--;
	free(n);
}

static int art_reserve_leaves(struct art *a, size_t capacity)
{
	if (capacity > (SIZE_MAX - sizeof(struct art_leaf_chunk)) / sizeof(struct art_leaf))
		return -1;
	size_t bytes = sizeof(struct art_leaf_chunk) + capacity * sizeof(struct art_leaf);
	struct art_leaf_chunk *c = ix_alloc_large(bytes);
	if (!c)
		return -1;
	c->next = a->chunks;
	c->used = 0;
	c->capacity = capacity;
	a->chunks = c;
	a->chunk_bytes += bytes;
	return 0;
}

static struct art_leaf *art_new_leaf(struct art *a, uint64_t key, uint64_t value)
{
	if ((!a->chunks || a->chunks->used == a->chunks->capacity) &&
	    art_reserve_leaves(a, ART_LEAF_CHUNK))
		return NULL;
	struct art_leaf *l = &a->chunks->leaves[a->chunks->used++];
	l->key = key;
	l->value = value;
	a->leaf_count++;
	return l;
}

static int art_insert_key(struct art *a, uint64_t key, uint64_t value);

static int art_bulk_load(void *ix, const uint64_t *keys, const uint64_t *vals,
			 size_t n, char *err, size_t errlen)
{
	struct art *a = ix;
	/* One chunk for the whole load: the leaves end up in key order. */
	if (n && art_reserve_leaves(a, n)) {
		ix_error(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (art_insert_key(a, keys[i], vals[i])) {
			ix_error(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

/* ---- lookup --------------------------------------------------------------- */

/* The slot holding the child for key byte b, or NULL. */
static inline art_ref *art_find_child(struct art_node *n, unsigned b)
{
	switch (n->type) {
	case ART_NODE4: {
		struct art_node4 *n4 = (struct art_node4 *)n;
		for (unsigned i = 0; i < n->count; i++)
			if (n4->keys[i] == b)
				return &n4->children[i];
		return NULL;
	}
	case ART_NODE16: {
		struct art_node16 *n16 = (struct art_node16 *)n;
#ifdef __SSE2__
		/* Compare all 16 key bytes at once, mask off unused slots. */
		__m128i hits = _mm_cmpeq_epi8(_mm_set1_epi8((char)b),
					      _mm_loadu_si128((const __m128i *)n16->keys));
		unsigned mask = (unsigned)_mm_movemask_epi8(hits) & ((1u << n->count) - 1);
		return mask ? &n16->children[__builtin_ctz(mask)] : NULL;
#else
		for (unsigned i = 0; i < n->count; i++)
			if (n16->keys[i] == b)
				return &n16->children[i];
		return NULL;
#endif
	}
	case ART_NODE48: {
		struct art_node48 *n48 = (struct art_node48 *)n;
		unsigned slot = n48->child_slot[b];
		return slot ? &n48->children[slot - 1] : NULL;
	}
	default: {
		struct art_node256 *n256 = (struct art_node256 *)n;
		return n256->children[b] ? &n256->children[b] : NULL;
	}
	}
}

static bool art_get(void *ix, uint64_t key, uint64_t *val)
{
	const struct art *a = ix;
	art_ref r = a->root;
	unsigned depth = 0;
	while (r) {
		if (art_is_leaf(r)) {
			/* Lazy expansion: bytes below this level were never
			 * compared, so the leaf's full key decides. */
			const struct art_leaf *l = art_as_leaf(r);
			if (l->key != key)
				return false;
			*val = l->value;
			return true;
		}
		struct art_node *n = art_as_node(r);
		if (n->prefix_len) {
			if (art_key_bytes(key, depth, n->prefix_len) != n->prefix)
				return false;
			depth += n->prefix_len;
		}
		art_ref *child = art_find_child(n, art_key_byte(key, depth));
		if (!child)
			return false;
		r = *child;
		depth++;
	}
	return false;
}

/* ---- scan ----------------------------------------------------------------- */

struct art_scan {
	uint64_t lo, hi;
	size_t max, seen;
	uint64_t sum;
	bool done;
};

/* In-order walk of the subtree at r (found at `depth`).  While `bounded`,
 * the path so far equals lo's bytes, so keys below lo may still be inside and
 * children under lo's next byte are skipped; once the path exceeds lo, every
 * key below is >= lo and the walk is unconditional. */
static void art_scan_ref(struct art_scan *s, art_ref r, unsigned depth, bool bounded)
{
	if (art_is_leaf(r)) {
		const struct art_leaf *l = art_as_leaf(r);
		if (bounded && l->key < s->lo)
			return;
		if (l->key > s->hi) {
			s->done = true;
			return;
		}
		s->sum += l->value;
		if (++s->seen == s->max)
			s->done = true;
		return;
	}
	const struct art_node *n = art_as_node(r);
	if (bounded && n->prefix_len) {
		uint64_t want = art_key_bytes(s->lo, depth, n->prefix_len);
		if (n->prefix < want)
			return; /* the whole subtree is below lo */
		bounded = n->prefix == want;
	}
	depth += n->prefix_len;
	unsigned from = bounded ? art_key_byte(s->lo, depth) : 0;
	switch (n->type) {
	case ART_NODE4:
	case ART_NODE16: {
		/* Node4 and Node16 share the layout up to their array sizes. */
		const uint8_t *keys = n->type == ART_NODE4 ? ((const struct art_node4 *)n)->keys
							   : ((const struct art_node16 *)n)->keys;
		const art_ref *children = n->type == ART_NODE4
						  ? ((const struct art_node4 *)n)->children
						  : ((const struct art_node16 *)n)->children;
		for (unsigned i = 0; i < n->count && !s->done; i++)
			if (keys[i] >= from)
				art_scan_ref(s, children[i], depth + 1, bounded && keys[i] == from);
		break;
	}
	case ART_NODE48: {
		const struct art_node48 *n48 = (const struct art_node48 *)n;
		for (unsigned b = from; b < 256 && !s->done; b++)
			if (n48->child_slot[b])
				art_scan_ref(s, n48->children[n48->child_slot[b] - 1],
					     depth + 1, bounded && b == from);
		break;
	}
	default: {
		const struct art_node256 *n256 = (const struct art_node256 *)n;
		for (unsigned b = from; b < 256 && !s->done; b++)
			if (n256->children[b])
				art_scan_ref(s, n256->children[b], depth + 1,
					     bounded && b == from);
		break;
	}
	}
}

static size_t art_scan(void *ix, uint64_t lo, uint64_t hi, size_t max,
		       uint64_t *sum)
{
	const struct art *a = ix;
	struct art_scan s = {.lo = lo, .hi = hi, .max = max};
	if (a->root && max)
		art_scan_ref(&s, a->root, 0, true);
	*sum += s.sum;
	return s.seen;
}

/* ---- insert --------------------------------------------------------------- */

/* Adds child b -> c to a node that has room, keeping Node4/16 sorted. */
static void art_add_child_in_place(struct art_node *n, unsigned b, art_ref c)
{
	switch (n->type) {
	case ART_NODE4:
	case ART_NODE16: {
		uint8_t *keys = n->type == ART_NODE4 ? ((struct art_node4 *)n)->keys
						     : ((struct art_node16 *)n)->keys;
		art_ref *children = n->type == ART_NODE4 ? ((struct art_node4 *)n)->children
							 : ((struct art_node16 *)n)->children;
		unsigned at = n->count;
		while (at > 0 && keys[at - 1] > b) {
			keys[at] = keys[at - 1];
			children[at] = children[at - 1];
			at--;
		}
		keys[at] = (uint8_t)b;
		children[at] = c;
		break;
	}
	case ART_NODE48: {
		/* No deletes, so slots fill in order and slot `count` is free. */
		struct art_node48 *n48 = (struct art_node48 *)n;
		n48->children[n->count] = c;
		n48->child_slot[b] = (uint8_t)(n->count + 1);
		break;
	}
	default:
		((struct art_node256 *)n)->children[b] = c;
		break;
	}
	n->count++;
}

static bool art_is_full(const struct art_node *n)
{
	static const unsigned capacity[4] = {4, 16, 48, 256};
	return n->count == capacity[n->type];
}

/* Copies a full node into the next larger type; NULL if no memory. */
static struct art_node *art_grow(struct art *a, const struct art_node *n)
{
	struct art_node *big = art_new_node(a, (enum art_type)(n->type + 1));
	if (!big)
		return NULL;
	big->prefix_len = n->prefix_len;
	big->prefix = n->prefix;
	big->count = n->count;
	switch (n->type) {
	case ART_NODE4: {
		const struct art_node4 *from = (const struct art_node4 *)n;
		struct art_node16 *to = (struct art_node16 *)big;
		memcpy(to->keys, from->keys, 4);
		memcpy(to->children, from->children, 4 * sizeof(art_ref));
		break;
	}
	case ART_NODE16: {
		const struct art_node16 *from = (const struct art_node16 *)n;
		struct art_node48 *to = (struct art_node48 *)big;
		for (unsigned i = 0; i < 16; i++) {
			to->child_slot[from->keys[i]] = (uint8_t)(i + 1);
			to->children[i] = from->children[i];
		}
		break;
	}
	default: {
		const struct art_node48 *from = (const struct art_node48 *)n;
		struct art_node256 *to = (struct art_node256 *)big;
		for (unsigned b = 0; b < 256; b++)
			if (from->child_slot[b])
				to->children[b] = from->children[from->child_slot[b] - 1];
		break;
	}
	}
	return big;
}

/* Insertion as in §III-F, iteratively: walk down holding the reference that
 * points at the current node, so a node can be replaced where it hangs.
 * Nodes are allocated before the leaf, and the tree is only changed once
 * everything is allocated, so running out of memory leaves it intact. */
static int art_insert_key(struct art *a, uint64_t key, uint64_t value)
{
	art_ref *ref = &a->root;
	unsigned depth = 0;
	for (;;) {
		art_ref r = *ref;
		if (!r) { /* only the root of an empty tree */
			struct art_leaf *l = art_new_leaf(a, key, value);
			if (!l)
				return -1;
			*ref = art_leaf_ref(l);
			return 0;
		}
		if (art_is_leaf(r)) {
			struct art_leaf *old = art_as_leaf(r);
			if (old->key == key) { /* upsert */
				old->value = value;
				return 0;
			}
			/* Lazy expansion undone one level: a Node4 whose
			 * prefix is the bytes both keys still share. */
			unsigned differ = (unsigned)__builtin_clzll(old->key ^ key) / 8;
			struct art_node *n = art_new_node(a, ART_NODE4);
			if (!n)
				return -1;
			struct art_leaf *l = art_new_leaf(a, key, value);
			if (!l) {
				art_free_node(a, n);
				return -1;
			}
			n->prefix_len = (uint8_t)(differ - depth);
			n->prefix = n->prefix_len ? art_key_bytes(key, depth, n->prefix_len) : 0;
			art_add_child_in_place(n, art_key_byte(old->key, differ), r);
			art_add_child_in_place(n, art_key_byte(key, differ), art_leaf_ref(l));
			*ref = (art_ref)n;
			return 0;
		}
		struct art_node *n = art_as_node(r);
		unsigned len = n->prefix_len;
		if (len) {
			uint64_t want = art_key_bytes(key, depth, len);
			if (want != n->prefix) {
				/* The key leaves the compressed path after
				 * `same` bytes: split it with a Node4 there. */
				unsigned same = ((unsigned)__builtin_clzll(want ^ n->prefix) -
						 (64 - 8 * len)) / 8;
				struct art_node *split = art_new_node(a, ART_NODE4);
				if (!split)
					return -1;
				struct art_leaf *l = art_new_leaf(a, key, value);
				if (!l) {
					art_free_node(a, split);
					return -1;
				}
				split->prefix_len = (uint8_t)same;
				split->prefix = same ? art_key_bytes(key, depth, same) : 0;
				unsigned rest = len - same - 1;
				unsigned old_byte = (unsigned)(n->prefix >> (8 * rest)) & 0xff;
				n->prefix_len = (uint8_t)rest;
				n->prefix &= ((uint64_t)1 << (8 * rest)) - 1;
				art_add_child_in_place(split, old_byte, r);
				art_add_child_in_place(split, art_key_byte(key, depth + same),
						       art_leaf_ref(l));
				*ref = (art_ref)split;
				return 0;
			}
			depth += len;
		}
		unsigned b = art_key_byte(key, depth);
		art_ref *child = art_find_child(n, b);
		if (child) {
			ref = child;
			depth++;
			continue;
		}
		if (art_is_full(n)) {
			struct art_node *big = art_grow(a, n);
			if (!big)
				return -1;
			struct art_leaf *l = art_new_leaf(a, key, value);
			if (!l) {
				art_free_node(a, big);
				return -1;
			}
			art_add_child_in_place(big, b, art_leaf_ref(l));
			*ref = (art_ref)big;
			art_free_node(a, n);
			return 0;
		}
		struct art_leaf *l = art_new_leaf(a, key, value);
		if (!l)
			return -1;
		art_add_child_in_place(n, b, art_leaf_ref(l));
		return 0;
	}
}

static int art_insert(void *ix, uint64_t key, uint64_t value, char *err,
		      size_t errlen)
{
	if (art_insert_key(ix, key, value)) {
		ix_error(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* ---- size ----------------------------------------------------------------- */

static size_t art_total_bytes(void *ix)
{
	const struct art *a = ix;
	return sizeof *a + a->inner_bytes + a->chunk_bytes;
}

/* Inner nodes, plus whatever the leaf chunks hold beyond the 16-byte
 * key+value payload (unused leaves, chunk headers). */
static size_t art_index_bytes(void *ix)
{
	const struct art *a = ix;
	return art_total_bytes(ix) - a->leaf_count * sizeof(struct art_leaf);
}

static void art_stats(void *ix, struct index_stats *out)
{
	const struct art *a = ix;
	out->models = a->nodes[0] + a->nodes[1] + a->nodes[2] + a->nodes[3];
	snprintf(out->notes, sizeof out->notes,
		 "node4=%zu node16=%zu node48=%zu node256=%zu leaves=%zu",
		 a->nodes[0], a->nodes[1], a->nodes[2], a->nodes[3], a->leaf_count);
}

static void art_free_subtree(art_ref r)
{
	if (!r || art_is_leaf(r))
		return;
	struct art_node *n = art_as_node(r);
	switch (n->type) {
	case ART_NODE4:
		for (unsigned i = 0; i < n->count; i++)
			art_free_subtree(((struct art_node4 *)n)->children[i]);
		break;
	case ART_NODE16:
		for (unsigned i = 0; i < n->count; i++)
			art_free_subtree(((struct art_node16 *)n)->children[i]);
		break;
	case ART_NODE48:
		for (unsigned i = 0; i < n->count; i++)
			art_free_subtree(((struct art_node48 *)n)->children[i]);
		break;
	default:
		for (unsigned b = 0; b < 256; b++)
			art_free_subtree(((struct art_node256 *)n)->children[b]);
		break;
	}
	free(n);
}

static void art_destroy(void *ix)
{
	struct art *a = ix;
	art_free_subtree(a->root);
	while (a->chunks) {
		struct art_leaf_chunk *next = a->chunks->next;
		free(a->chunks);
		a->chunks = next;
	}
	free(a);
}

const struct index_ops art_index = {
	.name = "art",
	.family = "trie",
	.description = "Adaptive Radix Tree, Node4/16/48/256 (Leis et al. ICDE 2013)",
	.caps = IX_CAP_ORDERED | IX_CAP_INSERT | IX_CAP_CONCURRENT_READ,
	.params = art_params,
	.create = art_create,
	.bulk_load = art_bulk_load,
	.get = art_get,
	.scan = art_scan,
	.insert = art_insert,
	.index_bytes = art_index_bytes,
	.total_bytes = art_total_bytes,
	.stats = art_stats,
	.destroy = art_destroy,
};
