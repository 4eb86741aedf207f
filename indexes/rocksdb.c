/*
 * indexes/rocksdb.c — RocksDB through its C API (rocksdb/c.h), as an
 * embedded-engine baseline.
 *
 * RocksDB is the log-structured merge tree of O'Neil et al. ("The
 * Log-Structured Merge-Tree (LSM-Tree)", Acta Informatica, 1996) as engineered
 * at Facebook (Dong et al., "RocksDB: Evolution of Development Priorities in
 * a Key-value Store Serving Large-scale Applications", ACM TOS, 2021;
 * Matsunobu et al., "MyRocks", VLDB 2020).  Reads go memtable -> sorted
 * string tables (SSTs) level by level; each SST has a per-file index of its
 * data blocks and a bloom filter (Bloom, CACM 1970) that lets point reads
 * skip files.  The hash-assisted data-block index (the "data block hash
 * index", RocksDB wiki, 2018) adds a small hash table at the end of each
 * data block so a point read inside the block avoids the restart-point
 * binary search.
 *
 * Layout on disk (everything under env->dir):
 *   <dir>/db/        the database: SSTs, MANIFEST, LOG (WAL only with wal=1)
 *   <dir>/load.sst   the bulk-load file, moved into db/ by ingestion
 * Keys are stored as 8 big-endian bytes so RocksDB's bytewise comparator
 * orders them numerically (0 first, UINT64_MAX last); values are 8 bytes in
 * native order (only this file reads them back).
 *
 * Configuration, chosen to give RocksDB a fair, read-optimised setup:
 *  - no compression (the data are random 64-bit integers);
 *  - an LRU block cache sized from n to hold every data block, so warm
 *    reads never touch the file system;
 *  - a full (per-file) bloom filter with 10 bits per key;
 *  - index and filter blocks held by the table readers, outside the cache
 *    (the default), so "rocksdb.estimate-table-readers-mem" measures them;
 *  - max_open_files=-1 (table readers opened once and kept);
 *  - one background job on machines with <= 4 cores, two otherwise;
 *  - after the load a full manual compaction, and bulk_load returns only
 *    when no flush or compaction is pending or running, so reads measure a
 *    settled tree.
 *
 * table=block (default): block-based tables, bulk-loaded by writing one
 * sorted SST with the SstFileWriter and ingesting it (it lands directly on
 * the bottommost level; nothing is rewritten).
 * table=plain: PlainTable (mmap reads, a binary-searched in-memory index
 * over every index_sparseness-th key).  It is used in total-order mode (no
 * prefix extractor): with a prefix extractor PlainTable cannot seek to a key
 * that is absent, so it could not answer scans.  PlainTable is loaded
 * through ordinary writes + flush + compaction: it cannot be ingested
 * (ingestion asks the file for its last key, and PlainTable's iterator has
 * no SeekToLast; in 7.8.3 that is an assertion failure, not an error).
 *
 * Note on the library: Debian's librocksdb 7.8.3 is built without NDEBUG
 * (assertions and test sync points are live), so it is somewhat slower than
 * a release build of the same version.
 *
 * Inserts are upserts by nature (a put shadows older versions).  They are
 * collected in a write batch of batch= operations; a partial batch is
 * written before the next get or scan, so reads always see every insert.
 * The write-ahead log is off by default (wal=1 turns it on; sync=1 also
 * fsyncs it on every batch) — durability is recorded in the stats notes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rocksdb/c.h>

#include "indexes/index.h"

enum rocks_table { ROCKS_TABLE_BLOCK, ROCKS_TABLE_PLAIN };
static const char *const rocks_table_names[] = {"block", "plain", NULL};

struct rocks {
	rocksdb_t *db;
	rocksdb_options_t *options;
	rocksdb_block_based_table_options_t *table_options; /* table=block */
	rocksdb_cache_t *block_cache;                       /* table=block */
	rocksdb_readoptions_t *read_options;
	rocksdb_writeoptions_t *write_options;
	rocksdb_writebatch_t *pending; /* inserts not yet written */
	size_t pending_ops;
	size_t batch_ops;
	enum rocks_table table;
	int wal, sync;
	/* A failure inside get/scan (which cannot report it): a pending write
	 * that failed (reported by the next insert, too) or a failed read;
	 * read_error() hands it to the runner. */
	char deferred_error[160];
	char db_path[512];
	char load_path[512];
};

static const struct param_def rocks_params[] = {
	{"table", "block", "block (block-based, bloom, hash data-block index) | plain (PlainTable, mmap)"},
	{"batch", "100", "inserts per write batch (a partial batch is written before the next read)"},
	{"wal", "0", "1 = write-ahead log on (default off)"},
	{"sync", "0", "1 = fsync the WAL on every batch (needs wal=1)"},
	{"bloom_bits", "10", "bloom filter bits per key (0 = no filter)"},
	{NULL, NULL, NULL},
};

/* RocksDB's errors are malloc'ed strings; turn one into our one-line message
 * (RocksDB messages carry no newline, but cut at one to be sure). */
static void rocks_report(char *err, size_t errlen, const char *what,
			 const char *path, char *rocks_err)
{
	if (rocks_err) {
		char *nl = strchr(rocks_err, '\n');
		if (nl)
			*nl = 0;
	}
	if (path)
		ix_error(err, errlen, "rocksdb: %s(%s): %s", what, path,
			 rocks_err ? rocks_err : "failed");
	else
		ix_error(err, errlen, "rocksdb: %s: %s", what,
			 rocks_err ? rocks_err : "failed");
	rocksdb_free(rocks_err);
}

/* Big-endian so that bytewise order is numeric order. */
static inline void rocks_encode_key(uint64_t key, char out[8])
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	uint64_t be = key;
#else
	uint64_t be = __builtin_bswap64(key);
#endif
	memcpy(out, &be, 8);
}

static inline uint64_t rocks_decode_key(const char *in)
{
	uint64_t be;
	memcpy(&be, in, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return be;
#else
	return __builtin_bswap64(be);
#endif
}

static void rocks_destroy(void *ix);

/* ---------------------------------------------------------------- create */

static void *rocks_create(const struct param_set *cfg,
			  const struct index_env *env, char *err, size_t errlen)
{
	int table;
	uint64_t batch, wal, sync, bloom_bits;
	if (param_choice(cfg, "table", rocks_table_names, &table, err, errlen) ||
	    param_u64(cfg, "batch", 1, 1u << 24, &batch, err, errlen) ||
	    param_u64(cfg, "wal", 0, 1, &wal, err, errlen) ||
	    param_u64(cfg, "sync", 0, 1, &sync, err, errlen) ||
	    param_u64(cfg, "bloom_bits", 0, 64, &bloom_bits, err, errlen))
		return NULL;
	if (sync && !wal) {
		ix_error(err, errlen, "rocksdb: sync=1 needs wal=1");
		return NULL;
	}
	struct rocks *r = calloc(1, sizeof *r);
	if (!r) {
		ix_error(err, errlen, "out of memory");
		return NULL;
	}
	r->table = (enum rocks_table)table;
	r->batch_ops = batch;
	r->wal = (int)wal;
	r->sync = (int)sync;
	if ((size_t)snprintf(r->db_path, sizeof r->db_path, "%s/db", env->dir) >=
		    sizeof r->db_path ||
	    (size_t)snprintf(r->load_path, sizeof r->load_path, "%s/load.sst",
			     env->dir) >= sizeof r->load_path) {
		ix_error(err, errlen, "rocksdb: directory name too long: %s", env->dir);
		free(r);
		return NULL;
	}
	/* RocksDB creates only the last path component; a clear error for a
	 * missing or non-directory env->dir comes from its own open below. */

	r->options = rocksdb_options_create();
	r->read_options = rocksdb_readoptions_create();
	r->write_options = rocksdb_writeoptions_create();
	r->pending = rocksdb_writebatch_create();
	if (!r->options || !r->read_options || !r->write_options || !r->pending) {
		ix_error(err, errlen, "out of memory");
		rocks_destroy(r);
		return NULL;
	}
	rocksdb_options_set_create_if_missing(r->options, 1);
	rocksdb_options_set_compression(r->options, rocksdb_no_compression);
	rocksdb_options_set_max_open_files(r->options, -1);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	rocksdb_options_set_max_background_jobs(r->options, cores > 4 ? 2 : 1);
	rocksdb_options_set_info_log_level(r->options, 2 /* WARN */);
	rocksdb_options_set_keep_log_file_num(r->options, 2);

	if (r->table == ROCKS_TABLE_BLOCK) {
		r->table_options = rocksdb_block_based_options_create();
		/* Resized to the data in bulk_load; a cache only holds what
		 * was read, so a generous capacity costs nothing up front. */
		r->block_cache = rocksdb_cache_create_lru(64u << 20);
		if (!r->table_options || !r->block_cache) {
			ix_error(err, errlen, "out of memory");
			rocks_destroy(r);
			return NULL;
		}
		rocksdb_block_based_options_set_block_cache(r->table_options,
							    r->block_cache);
		if (bloom_bits) {
			/* The table options take ownership of the policy. */
			rocksdb_filterpolicy_t *bloom =
				rocksdb_filterpolicy_create_bloom_full((double)bloom_bits);
			if (!bloom) {
				ix_error(err, errlen, "out of memory");
				rocks_destroy(r);
				return NULL;
			}
			rocksdb_block_based_options_set_filter_policy(r->table_options,
								      bloom);
		}
		rocksdb_block_based_options_set_data_block_index_type(
			r->table_options,
			rocksdb_block_based_table_data_block_index_type_binary_search_and_hash);
		rocksdb_block_based_options_set_data_block_hash_ratio(r->table_options,
								      0.75);
		rocksdb_options_set_block_based_table_factory(r->options,
							      r->table_options);
	} else {
		/* Fixed 8-byte keys, bloom unused in total-order mode, no hash
		 * table (needs a prefix extractor), index every 16th key. */
		rocksdb_options_set_plain_table_factory(r->options, 8,
							(int)bloom_bits, 0, 16);
		rocksdb_options_set_allow_mmap_reads(r->options, 1);
	}

	rocksdb_writeoptions_disable_WAL(r->write_options, !r->wal);
	rocksdb_writeoptions_set_sync(r->write_options, (unsigned char)r->sync);

	char *rocks_err = NULL;
	r->db = rocksdb_open(r->options, r->db_path, &rocks_err);
	if (rocks_err || !r->db) {
		rocks_report(err, errlen, "open", r->db_path, rocks_err);
		r->db = NULL;
		rocks_destroy(r);
		return NULL;
	}
	return r;
}

/* ------------------------------------------------------------------ build */

/* Blocks until the tree is settled: nothing to flush, nothing to compact. */
static void rocks_wait_for_background_work(struct rocks *r)
{
	static const char *const busy_properties[] = {
		"rocksdb.mem-table-flush-pending",
		"rocksdb.num-running-flushes",
		"rocksdb.compaction-pending",
		"rocksdb.num-running-compactions",
	};
	for (;;) {
		int busy = 0;
		for (size_t i = 0; i < sizeof busy_properties / sizeof *busy_properties; i++) {
			uint64_t v = 0;
			if (!rocksdb_property_int(r->db, busy_properties[i], &v) && v)
				busy = 1;
		}
		if (!busy)
			return;
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
}

/* table=block: one sorted SST written directly, then ingested. */
static int rocks_load_by_ingestion(struct rocks *r, const uint64_t *keys,
				   const uint64_t *vals, size_t n, char *err,
				   size_t errlen)
{
	char *rocks_err = NULL;
	int rc = -1;
	rocksdb_envoptions_t *env_options = rocksdb_envoptions_create();
	rocksdb_sstfilewriter_t *writer =
		env_options ? rocksdb_sstfilewriter_create(env_options, r->options)
			    : NULL;
	rocksdb_ingestexternalfileoptions_t *ingest =
		rocksdb_ingestexternalfileoptions_create();
	if (!env_options || !writer || !ingest) {
		ix_error(err, errlen, "out of memory");
		goto out;
	}
	rocksdb_sstfilewriter_open(writer, r->load_path, &rocks_err);
	if (rocks_err) {
		rocks_report(err, errlen, "sstfilewriter_open", r->load_path, rocks_err);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char key[8];
		rocks_encode_key(keys[i], key);
		rocksdb_sstfilewriter_put(writer, key, 8, (const char *)&vals[i], 8,
					  &rocks_err);
		if (rocks_err) {
			rocks_report(err, errlen, "sstfilewriter_put", r->load_path,
				     rocks_err);
			goto out;
		}
	}
	rocksdb_sstfilewriter_finish(writer, &rocks_err);
	if (rocks_err) {
		rocks_report(err, errlen, "sstfilewriter_finish", r->load_path,
			     rocks_err);
		goto out;
	}
	/* Move (hard-link) rather than copy: the file is ours to give away. */
	rocksdb_ingestexternalfileoptions_set_move_files(ingest, 1);
	const char *files[1] = {r->load_path};
	rocksdb_ingest_external_file(r->db, files, 1, ingest, &rocks_err);
	if (rocks_err) {
		rocks_report(err, errlen, "ingest_external_file", r->load_path,
			     rocks_err);
		goto out;
	}
	rc = 0;
out:
	unlink(r->load_path); /* a hard link after a move; gone either way */
	if (ingest)
		rocksdb_ingestexternalfileoptions_destroy(ingest);
	if (writer)
		rocksdb_sstfilewriter_destroy(writer);
	if (env_options)
		rocksdb_envoptions_destroy(env_options);
	return rc;
}

/* table=plain: ordinary writes in large batches, then a flush. */
static int rocks_load_by_writes(struct rocks *r, const uint64_t *keys,
				const uint64_t *vals, size_t n, char *err,
				size_t errlen)
{
	char *rocks_err = NULL;
	rocksdb_writebatch_t *wb = rocksdb_writebatch_create();
	rocksdb_flushoptions_t *flush = rocksdb_flushoptions_create();
	int rc = -1;
	if (!wb || !flush) {
		ix_error(err, errlen, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char key[8];
		rocks_encode_key(keys[i], key);
		rocksdb_writebatch_put(wb, key, 8, (const char *)&vals[i], 8);
		if ((i + 1) % 65536 == 0 || i + 1 == n) {
			rocksdb_write(r->db, r->write_options, wb, &rocks_err);
			if (rocks_err) {
				rocks_report(err, errlen, "write", r->db_path, rocks_err);
				goto out;
			}
			rocksdb_writebatch_clear(wb);
		}
	}
	rocksdb_flushoptions_set_wait(flush, 1);
	rocksdb_flush(r->db, flush, &rocks_err);
	if (rocks_err) {
		rocks_report(err, errlen, "flush", r->db_path, rocks_err);
		goto out;
	}
	rc = 0;
out:
	if (flush)
		rocksdb_flushoptions_destroy(flush);
	if (wb)
		rocksdb_writebatch_destroy(wb);
	return rc;
}

static int rocks_bulk_load(void *ix, const uint64_t *keys, const uint64_t *vals,
			   size_t n, char *err, size_t errlen)
{
	struct rocks *r = ix;
	if (r->block_cache) {
		/* Every data block fits: ~16 B of key/value plus block and
		 * entry overhead per key, with room to spare. */
		size_t want = n * 48 + (64u << 20);
		rocksdb_cache_set_capacity(r->block_cache, want);
	}
	if (n == 0)
		return 0; /* an SST cannot be empty: nothing to ingest */
	int rc = r->table == ROCKS_TABLE_BLOCK
			 ? rocks_load_by_ingestion(r, keys, vals, n, err, errlen)
			 : rocks_load_by_writes(r, keys, vals, n, err, errlen);
	if (rc)
		return -1;
	rocksdb_compact_range(r->db, NULL, 0, NULL, 0);
	rocks_wait_for_background_work(r);
	return 0;
}

/* Writes the partial insert batch.  0 or -1 + err. */
static int rocks_write_pending(struct rocks *r, char *err, size_t errlen)
{
	if (!r->pending_ops)
		return 0;
	char *rocks_err = NULL;
	rocksdb_write(r->db, r->write_options, r->pending, &rocks_err);
	rocksdb_writebatch_clear(r->pending);
	r->pending_ops = 0;
	if (rocks_err) {
		rocks_report(err, errlen, "write", r->db_path, rocks_err);
		return -1;
	}
	return 0;
}

/* Reads must see every insert; a failure is kept for the next insert. */
static inline void rocks_before_read(struct rocks *r)
{
	if (r->pending_ops && !r->deferred_error[0])
		rocks_write_pending(r, r->deferred_error, sizeof r->deferred_error);
}

/* ----------------------------------------------------------------- lookup */

static bool rocks_get(void *ix, uint64_t key, uint64_t *val)
{
	struct rocks *r = ix;
	rocks_before_read(r);
	char k[8], *rocks_err = NULL;
	rocks_encode_key(key, k);
	rocksdb_pinnableslice_t *found =
		rocksdb_get_pinned(r->db, r->read_options, k, 8, &rocks_err);
	if (rocks_err) {
		/* get has no error channel: answer "absent" and keep the
		 * reason for read_error(). */
		if (!r->deferred_error[0])
			ix_error(r->deferred_error, sizeof r->deferred_error,
				 "rocksdb: get: %s", rocks_err);
		rocksdb_free(rocks_err);
		if (found)
			rocksdb_pinnableslice_destroy(found);
		return false;
	}
	if (!found)
		return false;
	size_t len = 0;
	const char *v = rocksdb_pinnableslice_value(found, &len);
	bool ok = v && len == 8;
	if (ok)
		memcpy(val, v, 8);
	else if (!r->deferred_error[0])
		ix_error(r->deferred_error, sizeof r->deferred_error,
			 "rocksdb: get: a value of %zu bytes, not 8", len);
	rocksdb_pinnableslice_destroy(found);
	return ok;
}

/* ------------------------------------------------------------------- scan */

static size_t rocks_scan(void *ix, uint64_t lo, uint64_t hi, size_t max,
			 uint64_t *sum)
{
	struct rocks *r = ix;
	rocks_before_read(r);
	if (!max)
		return 0;
	rocksdb_iterator_t *it = rocksdb_create_iterator(r->db, r->read_options);
	if (!it) {
		if (!r->deferred_error[0])
			ix_error(r->deferred_error, sizeof r->deferred_error,
				 "rocksdb: scan: no iterator");
		return 0;
	}
	char k[8];
	rocks_encode_key(lo, k);
	size_t seen = 0;
	uint64_t s = 0;
	for (rocksdb_iter_seek(it, k, 8); seen < max && rocksdb_iter_valid(it);
	     rocksdb_iter_next(it)) {
		size_t klen, vlen;
		const char *kp = rocksdb_iter_key(it, &klen);
		if (klen != 8 || rocks_decode_key(kp) > hi)
			break;
		const char *vp = rocksdb_iter_value(it, &vlen);
		uint64_t v = 0;
		if (vlen == 8)
			memcpy(&v, vp, 8);
		s += v;
		seen++;
	}
	char *rocks_err = NULL;
	rocksdb_iter_get_error(it, &rocks_err);
	if (rocks_err) {
		if (!r->deferred_error[0])
			ix_error(r->deferred_error, sizeof r->deferred_error,
				 "rocksdb: scan: %s", rocks_err);
		rocksdb_free(rocks_err);
	}
	rocksdb_iter_destroy(it);
	*sum += s;
	return seen;
}

/* ----------------------------------------------------------------- insert */

static int rocks_insert(void *ix, uint64_t key, uint64_t val, char *err,
			size_t errlen)
{
	struct rocks *r = ix;
	if (r->deferred_error[0]) {
		ix_error(err, errlen, "%s", r->deferred_error);
		return -1;
	}
	char k[8];
	rocks_encode_key(key, k);
	rocksdb_writebatch_put(r->pending, k, 8, (const char *)&val, 8);
	if (++r->pending_ops >= r->batch_ops)
		return rocks_write_pending(r, err, errlen);
	return 0;
}

/* ------------------------------------------------------------------- size */

static uint64_t rocks_property(struct rocks *r, const char *name)
{
	uint64_t v = 0;
	if (rocksdb_property_int(r->db, name, &v))
		return 0;
	return v;
}

/* Index and filter blocks held by the table readers. */
static size_t rocks_index_bytes(void *ix)
{
	struct rocks *r = ix;
	return (size_t)rocks_property(r, "rocksdb.estimate-table-readers-mem");
}

/* Every SST on disk plus the memtables (inserts not yet flushed). */
static size_t rocks_total_bytes(void *ix)
{
	struct rocks *r = ix;
	return (size_t)(rocks_property(r, "rocksdb.total-sst-files-size") +
			rocks_property(r, "rocksdb.cur-size-all-mem-tables"));
}

static void rocks_stats(void *ix, struct index_stats *out)
{
	struct rocks *r = ix;
	snprintf(out->notes, sizeof out->notes,
		 "rocksdb table=%s wal=%s%s batch=%zu nocompression",
		 rocks_table_names[r->table],
		 r->wal ? "on" : "off", r->sync ? "+sync" : "", r->batch_ops);
}

/* Block cache filled to the data plus index/filter and memtables. */
static size_t rocks_estimate_bytes(const struct param_set *cfg, size_t n)
{
	(void)cfg;
	return n * 64 + (256u << 20);
}

static const char *rocks_read_error(void *ix)
{
	return ((struct rocks *)ix)->deferred_error;
}

/* The harness's flush: the partial insert batch is written (a write to the
 * memtable and WAL, not a memtable flush to an SST). */
static int rocks_flush(void *ix, char *err, size_t errlen)
{
	return rocks_write_pending(ix, err, errlen);
}

static void rocks_destroy(void *ix)
{
	struct rocks *r = ix;
	if (!r)
		return;
	if (r->db)
		rocksdb_close(r->db);
	if (r->pending)
		rocksdb_writebatch_destroy(r->pending);
	if (r->write_options)
		rocksdb_writeoptions_destroy(r->write_options);
	if (r->read_options)
		rocksdb_readoptions_destroy(r->read_options);
	if (r->options)
		rocksdb_options_destroy(r->options);
	if (r->table_options)
		rocksdb_block_based_options_destroy(r->table_options);
	if (r->block_cache)
		rocksdb_cache_destroy(r->block_cache);
	free(r);
}

const struct index_ops rocksdb_index = {
	.name = "rocksdb",
	.family = "engine",
	.description = "RocksDB LSM tree, C API (O'Neil et al. 1996; Dong et al. TOS 2021)",
	.caps = IX_CAP_ORDERED | IX_CAP_INSERT | IX_CAP_PERSISTENT |
		IX_CAP_CONCURRENT_READ,
	.params = rocks_params,
	.create = rocks_create,
	.bulk_load = rocks_bulk_load,
	.get = rocks_get,
	.scan = rocks_scan,
	.insert = rocks_insert,
	.index_bytes = rocks_index_bytes,
	.total_bytes = rocks_total_bytes,
	.stats = rocks_stats,
	.estimate_bytes = rocks_estimate_bytes,
	.read_error = rocks_read_error,
	.flush = rocks_flush,
	.destroy = rocks_destroy,
};
