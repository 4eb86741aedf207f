/*
 * tests/test_rocksdb.c — what the shared property tests do not cover for the
 * RocksDB engine: the big-endian key order at the extremes (0, UINT64_MAX),
 * reads seeing a partial insert batch, and failures that must be reported
 * rather than crash: a directory that is a regular file, a missing parent, a
 * corrupt CURRENT file, an SST overwritten with garbage, bad parameters.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "indexes/index.h"
#include "harness/fsutil.h"
#include "tests/props.h"
#include "tests/test.h"

static const char *const table_specs[] = {"rocksdb", "rocksdb:table=plain", NULL};

/* Creates the index in `dir` directly (no props helper: the tests choose
 * odd directories).  Returns NULL with err filled on failure. */
static void *open_in(const char *spec_params, const char *dir, char *err,
		     size_t errlen)
{
	const struct index_ops *ops = index_find("rocksdb");
	struct param_set cfg;
	if (param_set_parse(ops->params, spec_params, &cfg, err, errlen))
		return NULL;
	struct index_env env = {.dir = dir, .threads = 1};
	return ops->create(&cfg, &env, err, errlen);
}

/* Scans over everything and over the extremes return the sorted order. */
static void test_extreme_keys(const char *spec)
{
	test_context = spec;
	static const uint64_t keys[] = {0, 1, 2, 255, 256, 0x7FFFFFFFFFFFFFFFull,
					0x8000000000000000ull, 0x8000000000000001ull,
					0xFFFFFFFFFFFFFF00ull, UINT64_MAX - 1, UINT64_MAX};
	const size_t n = sizeof keys / sizeof *keys;
	uint64_t vals[sizeof keys / sizeof *keys];
	for (size_t i = 0; i < n; i++)
		vals[i] = 1000 + i;
	char err[256] = "";
	struct props_handle h;
	CHECK(!props_open(spec, &h, err, sizeof err));
	if (!h.ix) {
		fprintf(stderr, "%s: %s\n", spec, err);
		return;
	}
	CHECK(!h.ops->bulk_load(h.ix, keys, vals, n, err, sizeof err));
	/* One scan over everything visits every key in ascending order: the
	 * sum of values weighted by rank proves the order, not just the set. */
	for (size_t max = 1; max <= n; max++) {
		uint64_t sum = 0, want = 0;
		for (size_t i = 0; i < max; i++)
			want += vals[i];
		CHECK(h.ops->scan(h.ix, 0, UINT64_MAX, max, &sum) == max);
		CHECK(sum == want);
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t sum = 0, v = 0;
		CHECK(h.ops->scan(h.ix, keys[i], keys[i], 10, &sum) == 1);
		CHECK(sum == vals[i]);
		CHECK(h.ops->scan(h.ix, keys[i], UINT64_MAX, n, &(uint64_t){0}) == n - i);
		CHECK(h.ops->get(h.ix, keys[i], &v) && v == vals[i]);
	}
	uint64_t v;
	CHECK(!h.ops->get(h.ix, 3, &v));
	CHECK(!h.ops->get(h.ix, UINT64_MAX - 2, &v));
	props_close(&h);
}

/* Inserts of the extremes into an empty engine, read back before the
 * batch fills (the partial batch must be written before the read). */
static void test_inserts_visible(const char *spec)
{
	test_context = spec;
	char err[256] = "";
	struct props_handle h;
	CHECK(!props_open(spec, &h, err, sizeof err));
	if (!h.ix)
		return;
	CHECK(!h.ops->bulk_load(h.ix, NULL, NULL, 0, err, sizeof err));
	uint64_t v = 0, sum = 0;
	CHECK(!h.ops->get(h.ix, 0, &v));
	CHECK(!h.ops->insert(h.ix, UINT64_MAX, 7, err, sizeof err));
	CHECK(!h.ops->insert(h.ix, 0, 5, err, sizeof err));
	CHECK(h.ops->get(h.ix, UINT64_MAX, &v) && v == 7);
	CHECK(!h.ops->insert(h.ix, UINT64_MAX, 9, err, sizeof err)); /* upsert */
	CHECK(h.ops->scan(h.ix, 0, UINT64_MAX, 10, &sum) == 2);
	CHECK(sum == 14);
	CHECK(h.ops->get(h.ix, 0, &v) && v == 5);
	CHECK(h.ops->total_bytes(h.ix) > 0);
	struct index_stats st;
	memset(&st, 0, sizeof st);
	h.ops->stats(h.ix, &st);
	CHECK(strstr(st.notes, "wal=off") != NULL);
	props_close(&h);
}

static void expect_failure(const char *what, void *ix, const char *err,
			   const char *must_contain)
{
	test_context = what;
	CHECK(ix == NULL);
	CHECK(!strncmp(err, "rocksdb: ", 9));
	CHECK(strchr(err, '\n') == NULL);
	CHECK(strstr(err, must_contain) != NULL);
	if (ix)
		index_find("rocksdb")->destroy(ix);
	else
		printf("  %s -> %s\n", what, err);
}

static void test_bad_places(const char *tmp)
{
	char path[512], err[256];

	/* env->dir is a regular file. */
	snprintf(path, sizeof path, "%s/plainfile", tmp);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	err[0] = 0;
	expect_failure("dir is a file", open_in("", path, err, sizeof err), err,
		       path);

	/* env->dir's parent does not exist. */
	snprintf(path, sizeof path, "%s/missing/sub", tmp);
	err[0] = 0;
	expect_failure("missing parent", open_in("", path, err, sizeof err), err,
		       path);

	/* A database whose CURRENT file is garbage. */
	char db[600];
	snprintf(path, sizeof path, "%s/corrupt_current", tmp);
	snprintf(db, sizeof db, "%s/db", path);
	CHECK(!mkdir(path, 0700) && !mkdir(db, 0700));
	snprintf(db, sizeof db, "%s/db/CURRENT", path);
	f = fopen(db, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("\x01\x02garbage without newline", f);
		fclose(f);
	}
	err[0] = 0;
	expect_failure("corrupt CURRENT", open_in("", path, err, sizeof err), err,
		       "open(");
}

/* Builds a database, closes it, overwrites its table files with garbage
 * and opens it again: the open (which opens every table, max_open_files=-1)
 * must fail with a message, not crash or return wrong data. */
static void test_corrupt_sst(const char *tmp)
{
	test_context = "corrupt sst";
	char path[512], err[256] = "";
	snprintf(path, sizeof path, "%s/corrupt_sst", tmp);
	CHECK(!mkdir(path, 0700));
	void *ix = open_in("", path, err, sizeof err);
	CHECK(ix != NULL);
	if (!ix)
		return;
	const struct index_ops *ops = index_find("rocksdb");
	enum { N = 5000 };
	static uint64_t keys[N], vals[N];
	for (size_t i = 0; i < N; i++)
		keys[i] = i * 977 + 3, vals[i] = i;
	CHECK(!ops->bulk_load(ix, keys, vals, N, err, sizeof err));
	ops->destroy(ix);

	char db[600];
	snprintf(db, sizeof db, "%s/db", path);
	DIR *d = opendir(db);
	CHECK(d != NULL);
	int corrupted = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 4 || strcmp(e->d_name + len - 4, ".sst"))
			continue;
		char file[1024];
		snprintf(file, sizeof file, "%s/%s", db, e->d_name);
		struct stat st;
		int fd = open(file, O_WRONLY);
		CHECK(fd >= 0 && !fstat(fd, &st));
		if (fd < 0)
			continue;
		char junk[4096];
		memset(junk, 0xA5, sizeof junk);
		for (off_t off = 0; off < st.st_size; off += (off_t)sizeof junk)
			CHECK(pwrite(fd, junk, sizeof junk, off) == (ssize_t)sizeof junk);
		close(fd);
		corrupted++;
	}
	if (d)
		closedir(d);
	CHECK(corrupted > 0);
	err[0] = 0;
	ix = open_in("", path, err, sizeof err);
	expect_failure("corrupt sst", ix, err, "open(");
}

static void test_bad_params(const char *tmp)
{
	char err[256] = "";
	expect_failure("sync without wal", open_in("sync=1", tmp, err, sizeof err),
		       err, "wal=1");
	test_context = "bad table";
	err[0] = 0;
	CHECK(open_in("table=lsm", tmp, err, sizeof err) == NULL && err[0]);
	test_context = "batch=0";
	err[0] = 0;
	CHECK(open_in("batch=0", tmp, err, sizeof err) == NULL && err[0]);
}

int main(void)
{
	for (int i = 0; table_specs[i]; i++) {
		RUN(test_extreme_keys(table_specs[i]));
		RUN(test_inserts_visible(table_specs[i]));
	}
	char tmp[256];
	const char *base = getenv("TMPDIR");
	snprintf(tmp, sizeof tmp, "%s/omenbench-rocksdb-XXXXXX", base ? base : "/tmp");
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_bad_places(tmp));
	RUN(test_corrupt_sst(tmp));
	RUN(test_bad_params(tmp));
	remove_tree(tmp);
	TEST_MAIN_END();
}
