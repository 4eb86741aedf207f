/*
 * indexes/lmdb.c — LMDB, the Lightning Memory-Mapped Database, as an engine.
 *
 * Reference: Howard Chu, "MDB: A Memory-Mapped Database and Backend for
 * OpenLDAP", LDAPCon 2011 (copy-on-write B+tree, single writer, readers on
 * MVCC snapshots served straight from a read-only mmap); the library is the
 * Debian liblmdb (0.9.x) API, used as documented in lmdb.h.
 *
 * Layout: one environment in env->dir (files data.mdb and lock.mdb), one
 * unnamed database opened with MDB_INTEGERKEY, so a uint64 key stored in
 * native byte order as an 8-byte size_t compares numerically (on a 32-bit
 * size_t, keys are stored big-endian and compared bytewise instead).  Values
 * are 8 native-endian bytes.
 *
 *  - bulk_load: one write transaction, every key put with MDB_APPEND (the
 *    input is sorted, so pages are filled left to right, never split in the
 *    middle).  No IX_CAP_DUPLICATES: the harness gives unique keys.
 *    total_bytes counts the tree's pages (branch + leaf + overflow, from
 *    mdb_stat), index_bytes the branch pages; free pages kept in the file
 *    for reuse are not counted.
 *  - get/scan: one read-only transaction reused across operations
 *    (snapshot=run); snapshot=op resets and renews it before every operation,
 *    which is what a server taking a fresh snapshot per request pays.
 *    Lookups are mdb_get; scans are a cursor MDB_SET_RANGE then MDB_NEXT.
 *  - threads: attach() gives each thread its own handle (its own read
 *    transaction and cursor over the shared environment), so reads run in
 *    parallel without locks (IX_CAP_CONCURRENT_READ).  Writes go through the
 *    one shared write transaction: LMDB has a single writer, and the harness
 *    serialises operations of an index without IX_CAP_CONCURRENT_WRITE.
 *  - insert: mdb_put (an upsert) inside a write transaction committed every
 *    `batch` operations (default 1000: group commit, as a loader or a
 *    server batching requests would do; batch=1 prices a transaction per
 *    insert).  A committing write also resets every handle's idle read
 *    transaction: a pinned old snapshot would stop LMDB from reusing freed
 *    pages and the file would grow.  Rule for visibility: every get/scan first commits an
 *    open write transaction and, if anything was committed since the read
 *    transaction began (a generation counter says so), renews it, so reads
 *    always see every insert, whichever handle made it.  With more than one
 *    thread, batch is 1: a write transaction holds LMDB's writer mutex and
 *    must end in the thread that began it, and the harness interleaves
 *    threads between operations.
 *  - map size: sized from n at bulk_load; on MDB_MAP_FULL the transaction is
 *    aborted, the map doubled with mdb_env_set_mapsize and the work replayed
 *    (the pending batch is kept in memory for that).
 *  - durability: MDB_NOSYNC|MDB_NOMETASYNC by default (commits reach the OS,
 *    not the disk), sync=1 for fsync on every commit.  MDB_WRITEMAP is off by
 *    default: with it a full disk surfaces as SIGBUS on a sparse file rather
 *    than as an error; writemap=1 turns it on.  MDB_NOTLS lets several read
 *    transactions (the handle's and the per-thread ones from attach) live in
 *    one thread.  The flags are reported in stats().notes.
 *
 * Errors from any LMDB call become a one-line "lmdb: call(...): reason"
 * message.  get/scan cannot return an error; a failure there (a commit that
 * fails on a full disk) is remembered and returned by the next insert and
 * by read_error().  flush() commits the last, partial batch.
 */
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexes/index.h"

/* ---- key encoding ------------------------------------------------------ */

#if SIZE_MAX == UINT64_MAX
#define LMDB_KEY_FLAGS MDB_INTEGERKEY
typedef uint64_t lmdb_key_bytes;
static inline lmdb_key_bytes lmdb_encode_key(uint64_t k) { return k; }
static inline uint64_t lmdb_decode_key(const void *p)
{
	uint64_t k;
	memcpy(&k, p, sizeof k);
	return k;
}
#else
/* MDB_INTEGERKEY keys must be unsigned int or size_t: on a 32-bit size_t
 * store big-endian bytes, whose memcmp order is numeric order. */
#define LMDB_KEY_FLAGS 0
typedef struct {
	unsigned char b[8];
} lmdb_key_bytes;
static inline lmdb_key_bytes lmdb_encode_key(uint64_t k)
{
	lmdb_key_bytes e;
	for (int i = 0; i < 8; i++)
		e.b[i] = (unsigned char)(k >> (56 - 8 * i));
	return e;
}
static inline uint64_t lmdb_decode_key(const void *p)
{
	const unsigned char *b = p;
	uint64_t k = 0;
	for (int i = 0; i < 8; i++)
		k = k << 8 | b[i];
	return k;
}
#endif

static inline uint64_t lmdb_decode_val(const MDB_val *v)
{
	uint64_t x = 0;
	memcpy(&x, v->mv_data, v->mv_size < sizeof x ? v->mv_size : sizeof x);
	return x;
}

/* ---- layout ------------------------------------------------------------ */

struct lmdb_pending {
	uint64_t key, val;
};

struct lmdb_handle;

/* What every handle shares: the environment and the single writer. */
struct lmdb_shared {
	MDB_env *env;
	MDB_dbi dbi;
	char dir[256];
	unsigned env_flags;
	size_t map_size;
	bool fixed_map; /* map= given: start there, grow only when full */

	bool snapshot_per_op; /* snapshot=op */
	uint64_t generation;  /* bumped by every commit and map resize */
	struct lmdb_handle *handles; /* every live handle, owner included */

	/* The open write transaction and the operations it holds (kept to be
	 * replayed if the map has to grow). */
	MDB_txn *write_txn;
	struct lmdb_pending *pending;
	size_t pending_count, batch;

	char deferred_error[160]; /* a failure seen inside get/scan */
};

/* What create() and attach() return: one reader over the shared state.  The
 * handle from create() owns the shared state. */
struct lmdb_handle {
	struct lmdb_shared *db;
	MDB_txn *read_txn; /* reused across operations */
	MDB_cursor *read_cursor;
	bool read_txn_reset;          /* reset, waiting for a renew */
	uint64_t snapshot_generation; /* db->generation when it last renewed */
	bool owner;
	struct lmdb_handle *next;
};

static const struct param_def lmdb_params[] = {
	{"snapshot", "run", "run|op: one read transaction for the run, or a fresh snapshot per operation"},
	{"batch", "1000", "inserts per write transaction (1 = commit every insert)"},
	{"sync", "0", "1 = fsync on commit (drops MDB_NOSYNC|MDB_NOMETASYNC)"},
	{"writemap", "0", "1 = MDB_WRITEMAP (writes through the map; full disk becomes SIGBUS)"},
	{"map", "0", "initial map bytes; 0 = sized from n (it doubles whenever full)"},
	{NULL, NULL, NULL},
};

static const char *const lmdb_snapshot_names[] = {"run", "op", NULL};

/* Bytes of map for n entries: a leaf node is 8 bytes of header + 8 key + 8
 * value + 2 bytes of page index; pages are at least half full after random
 * inserts; branch pages add a few percent.  Doubled, plus room for the
 * copy-on-write pages of a transaction. */
static size_t lmdb_map_bytes_for(size_t n)
{
	size_t bytes = n * 26 * 2 * 2 + (64u << 20);
	return bytes < n ? SIZE_MAX / 2 : bytes;
}

static void lmdb_format_flags(unsigned flags, char *buf, size_t len)
{
	static const struct {
		unsigned flag;
		const char *name;
	} names[] = {{MDB_NOSYNC, "NOSYNC"},     {MDB_NOMETASYNC, "NOMETASYNC"},
		     {MDB_WRITEMAP, "WRITEMAP"}, {MDB_NOTLS, "NOTLS"},
		     {MDB_NORDAHEAD, "NORDAHEAD"}};
	size_t used = 0;
	buf[0] = 0;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if ((flags & names[i].flag) && used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 used ? "|" : "", names[i].name);
	if (!used)
		snprintf(buf, len, "none (fsync per commit)");
}

static void lmdb_destroy(void *ix);

/* ---- create ------------------------------------------------------------ */

static void *lmdb_create(const struct param_set *cfg, const struct index_env *env,
			 char *err, size_t errlen)
{
	int snapshot;
	uint64_t batch, sync, writemap, map;
	if (param_choice(cfg, "snapshot", lmdb_snapshot_names, &snapshot, err, errlen) ||
	    param_u64(cfg, "batch", 1, 1u << 24, &batch, err, errlen) ||
	    param_u64(cfg, "sync", 0, 1, &sync, err, errlen) ||
	    param_u64(cfg, "writemap", 0, 1, &writemap, err, errlen) ||
	    param_u64(cfg, "map", 0, SIZE_MAX / 4, &map, err, errlen))
		return NULL;

	struct lmdb_handle *h = calloc(1, sizeof *h);
	struct lmdb_shared *db = calloc(1, sizeof *db);
	if (!h || !db) {
		free(h), free(db);
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	h->db = db;
	h->owner = true;
	db->handles = h;
	db->snapshot_per_op = snapshot == 1;
	/* LMDB ties a write transaction to the thread that began it (it holds
	 * the writer mutex); with several threads taking turns, every insert
	 * commits its own transaction. */
	db->batch = env->threads > 1 ? 1 : (size_t)batch;
	db->pending = malloc(db->batch * sizeof *db->pending);
	if (!db->pending) {
		free(db), free(h);
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(db->dir, sizeof db->dir, "%s", env->dir);
	db->env_flags = MDB_NOTLS | (sync ? 0 : MDB_NOSYNC | MDB_NOMETASYNC) |
			(writemap ? MDB_WRITEMAP : 0);
	db->fixed_map = map != 0;
	db->map_size = map ? (size_t)map : lmdb_map_bytes_for(0);

	int rc = mdb_env_create(&db->env);
	if (rc) {
		ix_error(err, errlen, "lmdb: mdb_env_create: %s", mdb_strerror(rc));
		db->env = NULL;
		goto fail;
	}
	unsigned readers = (unsigned)(env->threads > 0 ? env->threads : 1) + 8;
	if ((rc = mdb_env_set_maxreaders(db->env, readers))) {
		ix_error(err, errlen, "lmdb: mdb_env_set_maxreaders: %s", mdb_strerror(rc));
		goto fail;
	}
	if ((rc = mdb_env_set_mapsize(db->env, db->map_size))) {
		ix_error(err, errlen, "lmdb: mdb_env_set_mapsize: %s", mdb_strerror(rc));
		goto fail;
	}
	if ((rc = mdb_env_open(db->env, db->dir, db->env_flags, 0644))) {
		ix_error(err, errlen, "lmdb: mdb_env_open(%s): %s", db->dir, mdb_strerror(rc));
		goto fail;
	}
	/* The file may already hold a larger map (set_mapsize(0) adopts it). */
	MDB_envinfo info;
	if (!mdb_env_info(db->env, &info) && info.me_mapsize > db->map_size)
		db->map_size = info.me_mapsize;

	MDB_txn *txn;
	if ((rc = mdb_txn_begin(db->env, NULL, 0, &txn))) {
		ix_error(err, errlen, "lmdb: mdb_txn_begin: %s", mdb_strerror(rc));
		goto fail;
	}
	if ((rc = mdb_dbi_open(txn, NULL, LMDB_KEY_FLAGS, &db->dbi))) {
		mdb_txn_abort(txn);
		ix_error(err, errlen, "lmdb: mdb_dbi_open(%s): %s", db->dir, mdb_strerror(rc));
		goto fail;
	}
	if ((rc = mdb_txn_commit(txn))) {
		ix_error(err, errlen, "lmdb: mdb_txn_commit: %s", mdb_strerror(rc));
		goto fail;
	}
	return h;
fail:
	lmdb_destroy(h);
	return NULL;
}

/* ---- transactions ------------------------------------------------------ */

static void lmdb_drop_read_txn(struct lmdb_handle *h)
{
	if (h->read_cursor)
		mdb_cursor_close(h->read_cursor);
	if (h->read_txn)
		mdb_txn_abort(h->read_txn);
	h->read_cursor = NULL;
	h->read_txn = NULL;
}

/* Resets every handle's read transaction; each renews at its next read.
 * Called when the data changed: an idle handle must not pin an old
 * snapshot, or LMDB cannot reuse the pages freed since and the file grows.
 * Safe from any thread: writes are serialised, so readers are idle, and
 * MDB_NOTLS read transactions are not tied to a thread. */
static void lmdb_reset_readers(struct lmdb_shared *db)
{
	for (struct lmdb_handle *h = db->handles; h; h = h->next)
		if (h->read_txn && !h->read_txn_reset) {
			mdb_txn_reset(h->read_txn);
			h->read_txn_reset = true;
		}
	db->generation++;
}

/* Doubles the map.  No transaction of this process may be active while the
 * map moves, so every read transaction is reset first. */
static int lmdb_grow_map(struct lmdb_shared *db, char *err, size_t errlen)
{
	lmdb_reset_readers(db);
	size_t bigger = db->map_size * 2;
	int rc = mdb_env_set_mapsize(db->env, bigger);
	if (rc) {
		ix_error(err, errlen, "lmdb: mdb_env_set_mapsize(%zu): %s", bigger,
			 mdb_strerror(rc));
		return -1;
	}
	db->map_size = bigger;
	return 0;
}

/* Puts the pending batch into a fresh write transaction, growing the map as
 * often as needed.  Leaves db->write_txn open. */
static int lmdb_replay_pending(struct lmdb_shared *db, char *err, size_t errlen)
{
	for (;;) {
		int rc = mdb_txn_begin(db->env, NULL, 0, &db->write_txn);
		if (rc) {
			db->write_txn = NULL;
			ix_error(err, errlen, "lmdb: mdb_txn_begin: %s", mdb_strerror(rc));
			return -1;
		}
		size_t i = 0;
		for (; i < db->pending_count; i++) {
			lmdb_key_bytes kb = lmdb_encode_key(db->pending[i].key);
			MDB_val k = {sizeof kb, &kb};
			MDB_val v = {sizeof db->pending[i].val, &db->pending[i].val};
			rc = mdb_put(db->write_txn, db->dbi, &k, &v, 0);
			if (rc)
				break;
		}
		if (i == db->pending_count)
			return 0;
		mdb_txn_abort(db->write_txn);
		db->write_txn = NULL;
		if (rc != MDB_MAP_FULL) {
			ix_error(err, errlen, "lmdb: mdb_put: %s", mdb_strerror(rc));
			return -1;
		}
		if (lmdb_grow_map(db, err, errlen))
			return -1;
	}
}

/* Commits the open write transaction; a commit that runs out of map is
 * replayed in a bigger one. */
static int lmdb_commit_writes(struct lmdb_shared *db, char *err, size_t errlen)
{
	while (db->write_txn) {
		int rc = mdb_txn_commit(db->write_txn);
		db->write_txn = NULL;
		if (rc == MDB_SUCCESS) {
			db->pending_count = 0;
			lmdb_reset_readers(db);
			return 0;
		}
		if (rc != MDB_MAP_FULL) {
			db->pending_count = 0;
			ix_error(err, errlen, "lmdb: mdb_txn_commit: %s", mdb_strerror(rc));
			return -1;
		}
		if (lmdb_grow_map(db, err, errlen) || lmdb_replay_pending(db, err, errlen)) {
			db->pending_count = 0;
			return -1;
		}
	}
	return 0;
}

/* Makes the handle's read transaction current: commits pending writes,
 * then starts, renews or keeps the snapshot.  Returns false (error
 * remembered) if no read transaction could be had. */
static bool lmdb_ready_to_read(struct lmdb_handle *h)
{
	struct lmdb_shared *db = h->db;
	if (db->write_txn &&
	    lmdb_commit_writes(db, db->deferred_error, sizeof db->deferred_error))
		return false;
	int rc;
	if (!h->read_txn) {
		rc = mdb_txn_begin(db->env, NULL, MDB_RDONLY, &h->read_txn);
		if (rc) {
			h->read_txn = NULL;
			ix_error(db->deferred_error, sizeof db->deferred_error,
				 "lmdb: mdb_txn_begin(read): %s", mdb_strerror(rc));
			return false;
		}
		rc = mdb_cursor_open(h->read_txn, db->dbi, &h->read_cursor);
		if (rc) {
			h->read_cursor = NULL;
			lmdb_drop_read_txn(h);
			ix_error(db->deferred_error, sizeof db->deferred_error,
				 "lmdb: mdb_cursor_open: %s", mdb_strerror(rc));
			return false;
		}
		h->read_txn_reset = false;
		h->snapshot_generation = db->generation;
		return true;
	}
	if (h->read_txn_reset || h->snapshot_generation != db->generation ||
	    db->snapshot_per_op) {
		if (!h->read_txn_reset)
			mdb_txn_reset(h->read_txn);
		h->read_txn_reset = true;
		rc = mdb_txn_renew(h->read_txn);
		if (!rc)
			rc = mdb_cursor_renew(h->read_txn, h->read_cursor);
		if (rc) {
			lmdb_drop_read_txn(h);
			ix_error(db->deferred_error, sizeof db->deferred_error,
				 "lmdb: mdb_txn_renew: %s", mdb_strerror(rc));
			return false;
		}
		h->read_txn_reset = false;
		h->snapshot_generation = db->generation;
	}
	return true;
}

/* ---- build ------------------------------------------------------------- */

static int lmdb_bulk_load(void *ix, const uint64_t *keys, const uint64_t *vals,
			  size_t n, char *err, size_t errlen)
{
	struct lmdb_handle *h = ix;
	struct lmdb_shared *db = h->db;
	lmdb_drop_read_txn(h);
	size_t want = lmdb_map_bytes_for(n);
	if (want > db->map_size && !db->fixed_map) {
		int rc = mdb_env_set_mapsize(db->env, want);
		if (rc) {
			ix_error(err, errlen, "lmdb: mdb_env_set_mapsize(%zu): %s", want,
				 mdb_strerror(rc));
			return -1;
		}
		db->map_size = want;
	}
	for (;;) { /* once, unless the map has to grow */
		MDB_txn *txn;
		int rc = mdb_txn_begin(db->env, NULL, 0, &txn);
		if (rc) {
			ix_error(err, errlen, "lmdb: mdb_txn_begin: %s", mdb_strerror(rc));
			return -1;
		}
		size_t i = 0;
		for (; i < n; i++) {
			lmdb_key_bytes kb = lmdb_encode_key(keys[i]);
			MDB_val k = {sizeof kb, &kb};
			MDB_val v = {sizeof vals[i], (void *)&vals[i]};
			rc = mdb_put(txn, db->dbi, &k, &v, MDB_APPEND);
			if (rc)
				break;
		}
		if (i == n) {
			rc = mdb_txn_commit(txn);
			if (rc == MDB_SUCCESS)
				break;
		} else {
			mdb_txn_abort(txn);
		}
		if (rc != MDB_MAP_FULL) {
			ix_error(err, errlen, "lmdb: %s: %s",
				 i == n ? "mdb_txn_commit" : "mdb_put(MDB_APPEND)",
				 mdb_strerror(rc));
			return -1;
		}
		if (lmdb_grow_map(db, err, errlen))
			return -1;
	}
	db->generation++;
	if (!lmdb_ready_to_read(h)) {
		ix_error(err, errlen, "%s", db->deferred_error);
		return -1;
	}
	return 0;
}

/* ---- lookup ------------------------------------------------------------ */

static bool lmdb_get(void *ix, uint64_t key, uint64_t *val)
{
	struct lmdb_handle *h = ix;
	if (!lmdb_ready_to_read(h))
		return false;
	lmdb_key_bytes kb = lmdb_encode_key(key);
	MDB_val k = {sizeof kb, &kb}, v;
	int rc = mdb_get(h->read_txn, h->db->dbi, &k, &v);
	if (rc) {
		if (rc != MDB_NOTFOUND && !h->db->deferred_error[0])
			ix_error(h->db->deferred_error, sizeof h->db->deferred_error,
				 "lmdb: mdb_get: %s", mdb_strerror(rc));
		return false;
	}
	*val = lmdb_decode_val(&v);
	return true;
}

/* ---- scan -------------------------------------------------------------- */

static size_t lmdb_scan(void *ix, uint64_t lo, uint64_t hi, size_t max,
			uint64_t *sum)
{
	struct lmdb_handle *h = ix;
	if (!max || !lmdb_ready_to_read(h))
		return 0;
	lmdb_key_bytes kb = lmdb_encode_key(lo);
	MDB_val k = {sizeof kb, &kb}, v;
	size_t seen = 0;
	uint64_t s = 0;
	int rc = mdb_cursor_get(h->read_cursor, &k, &v, MDB_SET_RANGE);
	while (rc == MDB_SUCCESS && seen < max && lmdb_decode_key(k.mv_data) <= hi) {
		s += lmdb_decode_val(&v);
		seen++;
		if (seen < max)
			rc = mdb_cursor_get(h->read_cursor, &k, &v, MDB_NEXT);
	}
	if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND && !h->db->deferred_error[0])
		ix_error(h->db->deferred_error, sizeof h->db->deferred_error,
			 "lmdb: mdb_cursor_get: %s", mdb_strerror(rc));
	*sum += s;
	return seen;
}

/* ---- insert ------------------------------------------------------------ */

static int lmdb_insert(void *ix, uint64_t key, uint64_t val, char *err,
		       size_t errlen)
{
	struct lmdb_shared *db = ((struct lmdb_handle *)ix)->db;
	if (db->deferred_error[0]) {
		ix_error(err, errlen, "%s", db->deferred_error);
		db->deferred_error[0] = 0;
		return -1;
	}
	if (!db->write_txn) {
		/* A write transaction coexists with our read snapshot. */
		int rc = mdb_txn_begin(db->env, NULL, 0, &db->write_txn);
		if (rc) {
			db->write_txn = NULL;
			ix_error(err, errlen, "lmdb: mdb_txn_begin: %s", mdb_strerror(rc));
			return -1;
		}
	}
	db->pending[db->pending_count++] = (struct lmdb_pending){key, val};
	lmdb_key_bytes kb = lmdb_encode_key(key);
	MDB_val k = {sizeof kb, &kb}, v = {sizeof val, &val};
	int rc = mdb_put(db->write_txn, db->dbi, &k, &v, 0);
	if (rc == MDB_MAP_FULL) {
		mdb_txn_abort(db->write_txn);
		db->write_txn = NULL;
		if (lmdb_grow_map(db, err, errlen) || lmdb_replay_pending(db, err, errlen)) {
			db->pending_count = 0;
			return -1;
		}
	} else if (rc) {
		/* The transaction is unusable after a failed put: drop the
		 * batch, and say so. */
		mdb_txn_abort(db->write_txn);
		db->write_txn = NULL;
		size_t lost = db->pending_count - 1;
		db->pending_count = 0;
		ix_error(err, errlen, "lmdb: mdb_put: %s (%zu earlier inserts of the batch lost)",
			 mdb_strerror(rc), lost);
		return -1;
	}
	if (db->pending_count == db->batch)
		return lmdb_commit_writes(db, err, errlen);
	return 0;
}

/* ---- size -------------------------------------------------------------- */

static bool lmdb_page_stats(struct lmdb_handle *h, MDB_stat *st)
{
	return lmdb_ready_to_read(h) && !mdb_stat(h->read_txn, h->db->dbi, st);
}

static size_t lmdb_index_bytes(void *ix)
{
	MDB_stat st;
	if (!lmdb_page_stats(ix, &st))
		return 0;
	return st.ms_branch_pages * st.ms_psize;
}

static size_t lmdb_total_bytes(void *ix)
{
	MDB_stat st;
	if (!lmdb_page_stats(ix, &st))
		return 0;
	return (st.ms_branch_pages + st.ms_leaf_pages + st.ms_overflow_pages) *
	       st.ms_psize;
}

static void lmdb_stats(void *ix, struct index_stats *out)
{
	struct lmdb_handle *h = ix;
	struct lmdb_shared *db = h->db;
	char flags[64];
	lmdb_format_flags(db->env_flags, flags, sizeof flags);
	MDB_stat st;
	unsigned depth = 0;
	if (lmdb_page_stats(h, &st)) {
		out->models = st.ms_branch_pages + st.ms_leaf_pages;
		depth = st.ms_depth;
	}
	int len = snprintf(out->notes, sizeof out->notes, "lmdb flags=%s", flags);
	if (len > 0 && (size_t)len < sizeof out->notes)
		snprintf(out->notes + len, sizeof out->notes - (size_t)len,
			 " batch=%zu snapshot=%s depth=%u", db->batch,
			 db->snapshot_per_op ? "op" : "run", depth);
}

static size_t lmdb_estimate_bytes(const struct param_set *cfg, size_t n)
{
	(void)cfg;
	return n * 40 + (8u << 20); /* pages in the page cache, ~60% full */
}

static const char *lmdb_read_error(void *ix)
{
	return ((struct lmdb_handle *)ix)->db->deferred_error;
}

static int lmdb_flush(void *ix, char *err, size_t errlen)
{
	return lmdb_commit_writes(((struct lmdb_handle *)ix)->db, err, errlen);
}

/* ---- threads --------------------------------------------------------- */

static void lmdb_detach(void *handle);

static void *lmdb_attach(void *ix, char *err, size_t errlen)
{
	struct lmdb_shared *db = ((struct lmdb_handle *)ix)->db;
	struct lmdb_handle *h = calloc(1, sizeof *h);
	if (!h) {
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	h->db = db;
	h->next = db->handles;
	db->handles = h;
	/* Take the reader slot now, so running out of slots fails here. */
	if (!lmdb_ready_to_read(h)) {
		ix_error(err, errlen, "%s", db->deferred_error);
		db->deferred_error[0] = 0;
		lmdb_detach(h);
		return NULL;
	}
	return h;
}

static void lmdb_detach(void *handle)
{
	struct lmdb_handle *h = handle;
	if (!h || h->owner)
		return;
	lmdb_drop_read_txn(h);
	for (struct lmdb_handle **p = &h->db->handles; *p; p = &(*p)->next)
		if (*p == h) {
			*p = h->next;
			break;
		}
	free(h);
}

static void lmdb_destroy(void *ix)
{
	struct lmdb_handle *owner = ix;
	if (!owner)
		return;
	struct lmdb_shared *db = owner->db;
	if (db->env && db->write_txn)
		lmdb_commit_writes(db, db->deferred_error, sizeof db->deferred_error);
	while (db->handles) { /* handles not detached die with the index */
		struct lmdb_handle *h = db->handles;
		db->handles = h->next;
		lmdb_drop_read_txn(h);
		free(h);
	}
	if (db->env)
		mdb_env_close(db->env);
	free(db->pending);
	free(db);
}

const struct index_ops lmdb_index = {
	.name = "lmdb",
	.family = "engine",
	.description = "LMDB copy-on-write mmap B+tree (Chu, LDAPCon 2011), MDB_INTEGERKEY",
	.caps = IX_CAP_ORDERED | IX_CAP_INSERT | IX_CAP_PERSISTENT |
		IX_CAP_CONCURRENT_READ,
	.params = lmdb_params,
	.create = lmdb_create,
	.bulk_load = lmdb_bulk_load,
	.get = lmdb_get,
	.scan = lmdb_scan,
	.insert = lmdb_insert,
	.attach = lmdb_attach,
	.detach = lmdb_detach,
	.index_bytes = lmdb_index_bytes,
	.total_bytes = lmdb_total_bytes,
	.stats = lmdb_stats,
	.estimate_bytes = lmdb_estimate_bytes,
	.read_error = lmdb_read_error,
	.flush = lmdb_flush,
	.destroy = lmdb_destroy,
};
