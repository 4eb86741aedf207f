/*
 * indexes/sqlite.c — SQLite as an engine: one B-tree table behind SQL.
 *
 * Reference: the SQLite file format and B-tree module (Hipp et al.,
 * https://sqlite.org/fileformat2.html, §1.6 "B-tree Pages"); a rowid table
 * is a B+tree keyed by the 64-bit rowid (data only in the leaves), a
 * WITHOUT ROWID table is an index B-tree holding whole rows
 * (https://sqlite.org/withoutrowid.html, §4).  Library: Debian libsqlite3.
 *
 * Layout: one database file kv.sqlite in env->dir with
 *     CREATE TABLE kv(k INTEGER PRIMARY KEY, v INTEGER)   -- k is the rowid
 * or, with without_rowid=1, the same table WITHOUT ROWID.  SQLite integers
 * are signed, so a uint64 key is stored as (int64)(k ^ 2^63): flipping the
 * top bit maps 0..2^64-1 onto INT64_MIN..INT64_MAX preserving order.  Values
 * are stored as the int64 with the same bit pattern.
 *
 *  - Statements are prepared once (SQLITE_PREPARE_PERSISTENT) and bound,
 *    stepped and reset per operation, so no SQL is parsed on the hot path.
 *  - bulk_load: one transaction, INSERT in key order (appends to the
 *    rightmost leaf, which SQLite's balancer packs nearly full).
 *  - get: SELECT v FROM kv WHERE k = ?;  scan: SELECT k, v ... WHERE k >= ?
 *    AND k <= ? ORDER BY k LIMIT ? (a B-tree seek, then the leaf chain).
 *  - insert: INSERT ... ON CONFLICT(k) DO UPDATE SET v = excluded.v (an
 *    upsert), `batch` operations per transaction (default 1000, group
 *    commit; batch=1 prices a transaction per insert).  Reads run on the same
 *    connection, which sees its own open transaction, so nothing has to be
 *    committed before a read.
 *  - threads: attach() opens one connection per thread (a connection is
 *    not shared between threads here: SQLITE_OPEN_NOMUTEX), each with its
 *    own prepared statements and page cache; with a single thread attach()
 *    hands out the main connection itself.  Inserts from any handle go
 *    through the main connection (SQLite has one writer), and a read on
 *    another connection first commits the open batch so it sees every
 *    insert.  Several connections cannot share locking_mode=EXCLUSIVE, so
 *    when the harness announces more than one thread the main connection
 *    uses locking_mode=NORMAL (a shared lock per statement); notes say which.
 *  - Settings: journal_mode=OFF, synchronous=OFF, locking_mode=EXCLUSIVE
 *    (no rollback journal, no fsync, the file lock taken once); the page
 *    cache is sized for the whole table (cache_size=-KiB) and the file is
 *    memory-mapped (mmap_size, clamped by the library's compile-time
 *    SQLITE_MAX_MMAP_SIZE).  The settings are reported in stats().notes.
 *  - Sizes: total_bytes = page_count * page_size; index_bytes = the
 *    interior (non-leaf) pages, counted through the dbstat virtual table
 *    when the library has it, else total minus an estimate of the leaf
 *    payload (documented in notes as "index=estimate").
 *
 * Every SQLite error becomes "sqlite: what: message" through ix_error.  get
 * and scan cannot return one; a failure there is remembered and returned by
 * the next insert and by read_error().  flush() commits the open batch: the
 * runner calls it before checking, so the last COMMIT's error is reported
 * (destroy() still commits, for a caller that never flushed, but can only
 * drop an error).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "indexes/index.h"

/* ---- key mapping ------------------------------------------------------- */

static inline sqlite3_int64 sqlite_encode_key(uint64_t k)
{
	return (sqlite3_int64)(k ^ 0x8000000000000000ull);
}

static inline uint64_t sqlite_decode_key(sqlite3_int64 k)
{
	return (uint64_t)k ^ 0x8000000000000000ull;
}

/* ---- layout ------------------------------------------------------------ */

/* One connection and the statements prepared on it. */
struct sqlite_conn {
	sqlite3 *db;
	sqlite3_stmt *get_stmt, *scan_stmt, *insert_stmt, *upsert_stmt;
	sqlite3_stmt *begin_stmt, *commit_stmt;
};

/* What every handle shares: the writer connection and the settings. */
struct sqlite_shared {
	struct sqlite_conn writer;
	char path[512];
	bool without_rowid, use_mmap, exclusive_lock;
	bool borrowed; /* exclusive_lock: an attached handle uses the writer */
	size_t batch;           /* upserts per transaction */
	size_t in_transaction;  /* upserts in the open transaction, if any */
	bool transaction_open;
	size_t cache_kib;       /* PRAGMA cache_size for every connection */
	sqlite3_int64 mmap_bytes; /* as granted by the library */
	char deferred_error[160];
};

/* What create() and attach() return.  The handle from create() owns the
 * shared state; an attached one owns a reader connection, or borrows the
 * writer's when there is a single thread. */
struct sqlite_handle {
	struct sqlite_shared *shared;
	struct sqlite_conn *conn;
	struct sqlite_conn own;
	bool owner;
};

static const struct param_def sqlite_params[] = {
	{"without_rowid", "0", "1 = PRIMARY KEY ... WITHOUT ROWID (a clustered index B-tree)"},
	{"batch", "1000", "inserts per transaction (1 = commit every insert)"},
	{"page", "4096", "page_size in bytes (512..65536, a power of two)"},
	{"mmap", "1", "1 = memory-map the file (PRAGMA mmap_size), 0 = read() through the cache"},
	{NULL, NULL, NULL},
};

static void sqlite_destroy(void *ix);

/* Runs one SQL statement without results; -1 + "sqlite: what: message". */
static int sqlite_exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		ix_error(err, errlen, "sqlite: %s: %s", sql,
			 msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int sqlite_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **out,
			  char *err, size_t errlen)
{
	int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
	if (rc != SQLITE_OK) {
		*out = NULL;
		ix_error(err, errlen, "sqlite: prepare %s: %s", sql, sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* Steps a statement that returns no rows, then resets it. */
static int sqlite_step_done(sqlite3_stmt *stmt, const char *what, char *err,
			    size_t errlen)
{
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		ix_error(err, errlen, "sqlite: %s: %s", what,
			 sqlite3_errmsg(sqlite3_db_handle(stmt)));
		return -1;
	}
	return 0;
}

/* ---- create ------------------------------------------------------------ */

static void sqlite_close_conn(struct sqlite_conn *c)
{
	sqlite3_finalize(c->get_stmt);
	sqlite3_finalize(c->scan_stmt);
	sqlite3_finalize(c->insert_stmt);
	sqlite3_finalize(c->upsert_stmt);
	sqlite3_finalize(c->begin_stmt);
	sqlite3_finalize(c->commit_stmt);
	sqlite3_close(c->db); /* NULL is a no-op */
	memset(c, 0, sizeof *c);
}

/* Opens a connection with the settings, the table and the statements. */
static int sqlite_open_conn(struct sqlite_shared *s, struct sqlite_conn *c,
			    unsigned page, char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	/* NOMUTEX: one connection is used by one thread at a time. */
	int rc = sqlite3_open_v2(s->path, &c->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					 SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		ix_error(err, errlen, "sqlite: open(%s): %s", s->path,
			 c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, 10000); /* other connections of ours */

	char sql[160];
	snprintf(sql, sizeof sql, "PRAGMA page_size=%u", page);
	if (sqlite_exec(c->db, sql, err, errlen) ||
	    sqlite_exec(c->db, s->exclusive_lock ? "PRAGMA locking_mode=EXCLUSIVE"
						 : "PRAGMA locking_mode=NORMAL",
			err, errlen) ||
	    sqlite_exec(c->db, "PRAGMA journal_mode=OFF", err, errlen) ||
	    sqlite_exec(c->db, "PRAGMA synchronous=OFF", err, errlen))
		goto fail;
	snprintf(sql, sizeof sql, "PRAGMA cache_size=-%zu", s->cache_kib);
	if (sqlite_exec(c->db, sql, err, errlen))
		goto fail;
	if (s->use_mmap) {
		/* Ask for 1 TiB; the library clamps to SQLITE_MAX_MMAP_SIZE. */
		if (sqlite_exec(c->db, "PRAGMA mmap_size=1099511627776", err, errlen))
			goto fail;
		sqlite3_stmt *q;
		if (sqlite_prepare(c->db, "PRAGMA mmap_size", &q, err, errlen))
			goto fail;
		if (sqlite3_step(q) == SQLITE_ROW)
			s->mmap_bytes = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	/* The first statement that reads the file: a garbage file fails at
	 * the latest here with "file is not a database". */
	if (sqlite_exec(c->db, s->without_rowid
				       ? "CREATE TABLE IF NOT EXISTS kv(k INTEGER PRIMARY KEY, v INTEGER) WITHOUT ROWID"
				       : "CREATE TABLE IF NOT EXISTS kv(k INTEGER PRIMARY KEY, v INTEGER)",
			err, errlen))
		goto fail;
	if (sqlite_prepare(c->db, "SELECT v FROM kv WHERE k = ?1", &c->get_stmt, err, errlen) ||
	    sqlite_prepare(c->db, "SELECT k, v FROM kv WHERE k >= ?1 AND k <= ?2 ORDER BY k LIMIT ?3",
			   &c->scan_stmt, err, errlen) ||
	    sqlite_prepare(c->db, "INSERT INTO kv(k, v) VALUES(?1, ?2)", &c->insert_stmt, err, errlen) ||
	    sqlite_prepare(c->db, "INSERT INTO kv(k, v) VALUES(?1, ?2) ON CONFLICT(k) DO UPDATE SET v = excluded.v",
			   &c->upsert_stmt, err, errlen) ||
	    sqlite_prepare(c->db, "BEGIN", &c->begin_stmt, err, errlen) ||
	    sqlite_prepare(c->db, "COMMIT", &c->commit_stmt, err, errlen))
		goto fail;
	return 0;
fail:
	sqlite_close_conn(c);
	return -1;
}

/* Bytes of file for n rows: a leaf cell is ~2 (pointer) + 1 (payload size)
 * + 9 (rowid varint) + 1 + 1 (record header) + 8 (value) bytes; pages are
 * nearly full after an in-order load, a third empty after random inserts. */
static size_t sqlite_file_bytes_for(size_t n)
{
	return n * 32 + (4u << 20);
}

static void *sqlite_create(const struct param_set *cfg, const struct index_env *env,
			   char *err, size_t errlen)
{
	uint64_t without_rowid, batch, page, mmap;
	if (param_u64(cfg, "without_rowid", 0, 1, &without_rowid, err, errlen) ||
	    param_u64(cfg, "batch", 1, 1u << 24, &batch, err, errlen) ||
	    param_u64(cfg, "page", 512, 65536, &page, err, errlen) ||
	    param_u64(cfg, "mmap", 0, 1, &mmap, err, errlen))
		return NULL;
	if (page & (page - 1)) {
		ix_error(err, errlen, "page=%llu: must be a power of two",
			 (unsigned long long)page);
		return NULL;
	}
	struct sqlite_handle *h = calloc(1, sizeof *h);
	struct sqlite_shared *s = calloc(1, sizeof *s);
	if (!h || !s) {
		free(h), free(s);
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	h->shared = s;
	h->conn = &s->writer;
	h->owner = true;
	s->without_rowid = without_rowid;
	s->use_mmap = mmap;
	s->exclusive_lock = env->threads <= 1;
	s->batch = (size_t)batch;
	s->cache_kib = sqlite_file_bytes_for(0) / 1024;
	snprintf(s->path, sizeof s->path, "%s/kv.sqlite", env->dir);
	if (sqlite_open_conn(s, &s->writer, (unsigned)page, err, errlen)) {
		free(s), free(h);
		return NULL;
	}
	return h;
}

/* ---- build ------------------------------------------------------------- */

static int sqlite_bulk_load(void *ix, const uint64_t *keys, const uint64_t *vals,
			    size_t n, char *err, size_t errlen)
{
	struct sqlite_shared *s = ((struct sqlite_handle *)ix)->shared;
	struct sqlite_conn *c = &s->writer;
	/* A page cache for the whole table (and room to grow by half):
	 * SQLite allocates cache pages lazily, so this costs nothing unused. */
	s->cache_kib = (sqlite_file_bytes_for(n) + sqlite_file_bytes_for(n) / 2) / 1024;
	char sql[96];
	snprintf(sql, sizeof sql, "PRAGMA cache_size=-%zu", s->cache_kib);
	if (sqlite_exec(c->db, sql, err, errlen) ||
	    sqlite_step_done(c->begin_stmt, "BEGIN", err, errlen))
		return -1;
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(c->insert_stmt, 1, sqlite_encode_key(keys[i]));
		sqlite3_bind_int64(c->insert_stmt, 2, (sqlite3_int64)vals[i]);
		if (sqlite_step_done(c->insert_stmt, "INSERT (bulk load)", err, errlen)) {
			sqlite_exec(c->db, "ROLLBACK", NULL, 0);
			return -1;
		}
	}
	if (sqlite_step_done(c->commit_stmt, "COMMIT (bulk load)", err, errlen))
		return -1;
	return 0;
}

/* ---- lookup ------------------------------------------------------------ */

static int sqlite_commit(struct sqlite_shared *s, char *err, size_t errlen);

/* A reader connection sees only committed data: commit the open batch of
 * the writer first.  (The writer connection sees its own transaction.) */
static struct sqlite_conn *sqlite_reader(struct sqlite_handle *h)
{
	struct sqlite_shared *s = h->shared;
	if (h->conn != &s->writer && s->transaction_open)
		sqlite_commit(s, s->deferred_error, sizeof s->deferred_error);
	return h->conn;
}

static bool sqlite_get(void *ix, uint64_t key, uint64_t *val)
{
	struct sqlite_handle *h = ix;
	struct sqlite_conn *c = sqlite_reader(h);
	sqlite3_bind_int64(c->get_stmt, 1, sqlite_encode_key(key));
	int rc = sqlite3_step(c->get_stmt);
	bool found = rc == SQLITE_ROW;
	if (found)
		*val = (uint64_t)sqlite3_column_int64(c->get_stmt, 0);
	else if (rc != SQLITE_DONE)
		ix_error(h->shared->deferred_error, sizeof h->shared->deferred_error,
			 "sqlite: SELECT (get): %s", sqlite3_errmsg(c->db));
	sqlite3_reset(c->get_stmt);
	return found;
}

/* ---- scan -------------------------------------------------------------- */

static size_t sqlite_scan(void *ix, uint64_t lo, uint64_t hi, size_t max,
			  uint64_t *sum)
{
	struct sqlite_handle *h = ix;
	if (!max || lo > hi)
		return 0;
	struct sqlite_conn *c = sqlite_reader(h);
	sqlite3_bind_int64(c->scan_stmt, 1, sqlite_encode_key(lo));
	sqlite3_bind_int64(c->scan_stmt, 2, sqlite_encode_key(hi));
	/* LIMIT is signed: a max beyond INT64_MAX means no limit (-1). */
	sqlite3_bind_int64(c->scan_stmt, 3,
			   max > (size_t)INT64_MAX ? -1 : (sqlite3_int64)max);
	size_t seen = 0;
	uint64_t total = 0;
	int rc;
	while ((rc = sqlite3_step(c->scan_stmt)) == SQLITE_ROW) {
		total += (uint64_t)sqlite3_column_int64(c->scan_stmt, 1);
		seen++;
	}
	if (rc != SQLITE_DONE)
		ix_error(h->shared->deferred_error, sizeof h->shared->deferred_error,
			 "sqlite: SELECT (scan): %s", sqlite3_errmsg(c->db));
	sqlite3_reset(c->scan_stmt);
	*sum += total;
	return seen;
}

/* ---- insert ------------------------------------------------------------ */

static int sqlite_commit(struct sqlite_shared *s, char *err, size_t errlen)
{
	if (!s->transaction_open)
		return 0;
	s->transaction_open = false;
	s->in_transaction = 0;
	return sqlite_step_done(s->writer.commit_stmt, "COMMIT", err, errlen);
}

static int sqlite_insert(void *ix, uint64_t key, uint64_t val, char *err,
			 size_t errlen)
{
	struct sqlite_shared *s = ((struct sqlite_handle *)ix)->shared;
	struct sqlite_conn *c = &s->writer; /* the one writer */
	if (s->deferred_error[0]) {
		ix_error(err, errlen, "%s", s->deferred_error);
		s->deferred_error[0] = 0;
		return -1;
	}
	if (!s->transaction_open) {
		if (sqlite_step_done(c->begin_stmt, "BEGIN", err, errlen))
			return -1;
		s->transaction_open = true;
	}
	sqlite3_bind_int64(c->upsert_stmt, 1, sqlite_encode_key(key));
	sqlite3_bind_int64(c->upsert_stmt, 2, (sqlite3_int64)val);
	if (sqlite_step_done(c->upsert_stmt, "INSERT ... ON CONFLICT", err, errlen)) {
		if (sqlite3_get_autocommit(c->db)) { /* SQLite rolled it back */
			size_t lost = s->in_transaction;
			s->transaction_open = false;
			s->in_transaction = 0;
			size_t used = strlen(err);
			if (lost && used + 1 < errlen)
				snprintf(err + used, errlen - used,
					 " (transaction rolled back: %zu earlier inserts lost)", lost);
		}
		return -1;
	}
	if (++s->in_transaction == s->batch)
		return sqlite_commit(s, err, errlen);
	return 0;
}

/* ---- size -------------------------------------------------------------- */

static sqlite3_int64 sqlite_pragma_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *q;
	sqlite3_int64 x = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(q) == SQLITE_ROW)
		x = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return x;
}

static size_t sqlite_total_bytes(void *ix)
{
	sqlite3 *db = ((struct sqlite_handle *)ix)->shared->writer.db;
	return (size_t)(sqlite_pragma_int(db, "PRAGMA page_count") *
			sqlite_pragma_int(db, "PRAGMA page_size"));
}

/* Interior pages of the kv B-tree from dbstat; -1 if dbstat is missing. */
static sqlite3_int64 sqlite_interior_bytes(sqlite3 *db)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db,
			       "SELECT coalesce(sum(pgsize), 0) FROM dbstat "
			       "WHERE name = 'kv' AND pagetype = 'internal'",
			       -1, &q, NULL) != SQLITE_OK)
		return -1;
	sqlite3_int64 x = -1;
	if (sqlite3_step(q) == SQLITE_ROW)
		x = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return x;
}

static size_t sqlite_index_bytes(void *ix)
{
	sqlite3 *db = ((struct sqlite_handle *)ix)->shared->writer.db;
	sqlite3_int64 interior = sqlite_interior_bytes(db);
	if (interior >= 0)
		return (size_t)interior;
	/* No dbstat: everything but 16 bytes of key and value per row. */
	size_t total = sqlite_total_bytes(ix);
	size_t payload = (size_t)sqlite_pragma_int(db, "SELECT count(*) FROM kv") * 16;
	return total > payload ? total - payload : 0;
}

static void sqlite_stats(void *ix, struct index_stats *out)
{
	struct sqlite_shared *s = ((struct sqlite_handle *)ix)->shared;
	snprintf(out->notes, sizeof out->notes,
		 "sqlite %s journal=OFF sync=OFF lock=%s mmap=%lld batch=%zu%s index=%s",
		 sqlite3_libversion(), s->exclusive_lock ? "EXCLUSIVE" : "NORMAL",
		 (long long)s->mmap_bytes, s->batch, s->without_rowid ? " without_rowid" : "",
		 sqlite_interior_bytes(s->writer.db) >= 0 ? "dbstat" : "estimate");
}

static size_t sqlite_estimate_bytes(const struct param_set *cfg, size_t n)
{
	(void)cfg;
	return sqlite_file_bytes_for(n) * 2; /* file pages + cache copies */
}

static const char *sqlite_read_error(void *ix)
{
	return ((struct sqlite_handle *)ix)->shared->deferred_error;
}

static int sqlite_flush(void *ix, char *err, size_t errlen)
{
	return sqlite_commit(((struct sqlite_handle *)ix)->shared, err, errlen);
}

/* ---- threads --------------------------------------------------------- */

static void *sqlite_attach(void *ix, char *err, size_t errlen)
{
	struct sqlite_shared *s = ((struct sqlite_handle *)ix)->shared;
	struct sqlite_handle *h = calloc(1, sizeof *h);
	if (!h) {
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	h->shared = s;
	h->conn = &s->writer;
	if (s->exclusive_lock) { /* one thread: it uses the main connection */
		if (s->borrowed) {
			free(h);
			ix_error(err, errlen, "sqlite: attach: a second thread, but create() was "
					      "told threads=1 (one connection, locking_mode=EXCLUSIVE)");
			return NULL;
		}
		s->borrowed = true;
		return h;
	}
	/* Readers see the table as committed; commit before opening. */
	if (sqlite_commit(s, err, errlen) ||
	    sqlite_open_conn(s, &h->own,
			     (unsigned)sqlite_pragma_int(s->writer.db, "PRAGMA page_size"),
			     err, errlen)) {
		free(h);
		return NULL;
	}
	h->conn = &h->own;
	return h;
}

static void sqlite_detach(void *handle)
{
	struct sqlite_handle *h = handle;
	if (!h || h->owner)
		return;
	if (h->conn == &h->own)
		sqlite_close_conn(&h->own);
	else
		h->shared->borrowed = false;
	free(h);
}

static void sqlite_destroy(void *ix)
{
	struct sqlite_handle *h = ix;
	if (!h)
		return;
	struct sqlite_shared *s = h->shared;
	sqlite_commit(s, NULL, 0);
	sqlite_close_conn(&s->writer);
	free(s);
	free(h);
}

const struct index_ops sqlite_index = {
	.name = "sqlite",
	.family = "engine",
	.description = "SQLite B+tree table behind prepared SQL (sqlite.org file format)",
	.caps = IX_CAP_ORDERED | IX_CAP_INSERT | IX_CAP_PERSISTENT |
		IX_CAP_CONCURRENT_READ,
	.params = sqlite_params,
	.create = sqlite_create,
	.bulk_load = sqlite_bulk_load,
	.get = sqlite_get,
	.scan = sqlite_scan,
	.insert = sqlite_insert,
	.attach = sqlite_attach,
	.detach = sqlite_detach,
	.index_bytes = sqlite_index_bytes,
	.total_bytes = sqlite_total_bytes,
	.stats = sqlite_stats,
	.estimate_bytes = sqlite_estimate_bytes,
	.read_error = sqlite_read_error,
	.flush = sqlite_flush,
	.destroy = sqlite_destroy,
};
