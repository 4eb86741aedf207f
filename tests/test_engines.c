/*
 * tests/test_engines.c — what the shared property tests do not reach for the
 * embedded engines (lmdb, sqlite): the order mapping of keys (0 and
 * UINT64_MAX, values with the top bit set) checked entry by entry through
 * one-entry scans; inserts visible to the very next read inside an open
 * batch, and flush committing it; data surviving destroy and reopen
 * (PERSISTENT); per-thread handles
 * (attach) reading in parallel and seeing inserts made through another
 * handle, across a map resize; and failures that
 * must come back as a clear one-line error without a crash: a directory
 * that is a regular file, a missing parent, a read-only directory, a
 * garbage database file, bad parameters.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "indexes/index.h"
#include "harness/fsutil.h"
#include "tests/test.h"

static const char *const engine_specs[] = {
	"lmdb",
	"lmdb:batch=1",
	"lmdb:snapshot=op:batch=100000",
	"sqlite",
	"sqlite:without_rowid=1",
	"sqlite:batch=100000",
	NULL,
};

/* The file each engine opens inside its directory (for the garbage test). */
static const struct {
	const char *engine, *file;
} engine_files[] = {
	{"lmdb", "data.mdb"},
	{"sqlite", "kv.sqlite"},
};

static uint64_t rng = 0x243F6A8885A308D3ull;
static uint64_t rnd(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}

static void make_temp_dir(char *buf, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(buf, len, "%s/omenbench-engines-XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(buf)) {
		perror("mkdtemp");
		exit(2);
	}
}

/* Creates spec in dir; NULL + err on failure. */
static void *open_engine_threads(const char *spec, const char *dir, int threads,
				 const struct index_ops **ops, char *err, size_t errlen)
{
	char name[64];
	const char *colon = strchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
	snprintf(name, sizeof name, "%.*s", (int)len, spec);
	*ops = index_find(name);
	if (!*ops) {
		snprintf(err, errlen, "no index '%s'", name);
		return NULL;
	}
	struct param_set cfg;
	if (param_set_parse((*ops)->params, colon ? colon + 1 : "", &cfg, err, errlen))
		return NULL;
	struct index_env env = {.dir = dir, .threads = threads};
	return (*ops)->create(&cfg, &env, err, errlen);
}

static void *open_engine(const char *spec, const char *dir,
			 const struct index_ops **ops, char *err, size_t errlen)
{
	return open_engine_threads(spec, dir, 1, ops, err, errlen);
}

/* A one-line error that names the engine. */
static int clear_error(const char *err, const char *engine)
{
	return err[0] && !strchr(err, '\n') && strstr(err, engine) == err;
}

/* Each entry, in order, through scans of one entry starting at its key and
 * just above its predecessor; values with every bit pattern survive. */
static void check_order(const char *spec)
{
	static const uint64_t base[] = {0, 1, 2, 1000, 1ull << 31, 1ull << 32,
					(1ull << 63) - 1, 1ull << 63, (1ull << 63) + 1,
					UINT64_MAX - 2, UINT64_MAX - 1, UINT64_MAX};
	size_t nb = sizeof base / sizeof *base, n = nb + 500;
	uint64_t keys[sizeof base / sizeof *base + 500], vals[sizeof keys / sizeof *keys];
	memcpy(keys, base, sizeof base);
	for (size_t i = nb; i < n; i++)
		keys[i] = rnd();
	/* Insertion sort then dedupe (tiny n). */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && keys[j - 1] > keys[j]; j--) {
			uint64_t t = keys[j];
			keys[j] = keys[j - 1];
			keys[j - 1] = t;
		}
	size_t m = 1;
	for (size_t i = 1; i < n; i++)
		if (keys[i] != keys[m - 1])
			keys[m++] = keys[i];
	n = m;
	for (size_t i = 0; i < n; i++) /* values with the top bit set too */
		vals[i] = (i % 3 == 0) ? UINT64_MAX - i : (i % 3 == 1) ? (1ull << 63) | i : i;

	char dir[256], err[256], ctx[128];
	snprintf(ctx, sizeof ctx, "%s order", spec);
	test_context = ctx;
	make_temp_dir(dir, sizeof dir);
	const struct index_ops *ops;
	void *ix = open_engine(spec, dir, &ops, err, sizeof err);
	CHECK(ix != NULL);
	if (!ix) {
		fprintf(stderr, "  %s: %s\n", spec, err);
		remove_tree(dir);
		return;
	}
	CHECK(ops->bulk_load(ix, keys, vals, n, err, sizeof err) == 0);
	int bad_first = 0, bad_next = 0, bad_get = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t sum = 0, v = 0;
		if (ops->scan(ix, keys[i], UINT64_MAX, 1, &sum) != 1 || sum != vals[i])
			bad_first = 1;
		if (i > 0 && keys[i - 1] + 1 < keys[i]) {
			sum = 0;
			if (ops->scan(ix, keys[i - 1] + 1, keys[i], 5, &sum) != 1 ||
			    sum != vals[i])
				bad_next = 1;
		}
		if (!ops->get(ix, keys[i], &v) || v != vals[i])
			bad_get = 1;
	}
	CHECK(!bad_first);
	CHECK(!bad_next);
	CHECK(!bad_get);
	uint64_t sum = 0, want = 0;
	for (size_t i = 0; i < n; i++)
		want += vals[i];
	CHECK(ops->scan(ix, 0, UINT64_MAX, (size_t)-1, &sum) == n && sum == want);
	sum = 0;
	CHECK(ops->scan(ix, UINT64_MAX, UINT64_MAX, 10, &sum) == 1 && sum == vals[n - 1]);
	sum = 0;
	CHECK(ops->scan(ix, 0, 0, 10, &sum) == 1 && sum == vals[0]);
	sum = 0;
	CHECK(ops->scan(ix, 5, 4, 10, &sum) == 0 && sum == 0); /* lo > hi */

	/* Inserts are seen by the next read even inside an open batch. */
	uint64_t v = 0;
	CHECK(ops->insert(ix, 3, 33, err, sizeof err) == 0);
	CHECK(ops->get(ix, 3, &v) && v == 33);
	CHECK(ops->insert(ix, UINT64_MAX, 44, err, sizeof err) == 0);
	CHECK(ops->get(ix, UINT64_MAX, &v) && v == 44);
	sum = 0;
	CHECK(ops->scan(ix, 3, 3, 10, &sum) == 1 && sum == 33);
	/* flush commits the open batch (the runner checks it before the row);
	 * nothing pending is not an error. */
	CHECK(ops->flush != NULL);
	if (ops->flush) {
		CHECK(ops->flush(ix, err, sizeof err) == 0);
		CHECK(ops->flush(ix, err, sizeof err) == 0);
	}
	CHECK(ops->get(ix, 3, &v) && v == 33);

	/* Sizes and notes. */
	size_t ib = ops->index_bytes(ix), tb = ops->total_bytes(ix);
	CHECK(tb > 0 && tb >= ib);
	struct index_stats st = {.mean_log2_err = -1, .max_err = -1};
	ops->stats(ix, &st);
	CHECK(strstr(st.notes, ops->name) == st.notes);
	CHECK(strstr(st.notes, "sync") || strstr(st.notes, "SYNC"));
	ops->destroy(ix);

	/* Persistent: the data (with the inserts) is there after reopening. */
	ix = open_engine(spec, dir, &ops, err, sizeof err);
	CHECK(ix != NULL);
	if (ix) {
		CHECK(ops->get(ix, 3, &v) && v == 33);
		CHECK(ops->get(ix, 0, &v) && v == vals[0]);
		CHECK(ops->get(ix, UINT64_MAX, &v) && v == 44);
		ops->destroy(ix);
	}
	remove_tree(dir);
	test_context = NULL;
}

/* Bigger data: index_bytes is the inner pages, a small part of the total. */
static void check_sizes(const char *spec)
{
	size_t n = 200000;
	uint64_t *keys = malloc(n * sizeof *keys), *vals = malloc(n * sizeof *vals);
	if (!keys || !vals)
		exit(2);
	for (size_t i = 0; i < n; i++)
		keys[i] = i * 1000 + 7, vals[i] = i;
	char dir[256], err[256];
	test_context = spec;
	make_temp_dir(dir, sizeof dir);
	const struct index_ops *ops;
	void *ix = open_engine(spec, dir, &ops, err, sizeof err);
	CHECK(ix != NULL);
	if (ix) {
		CHECK(ops->bulk_load(ix, keys, vals, n, err, sizeof err) == 0);
		size_t ib = ops->index_bytes(ix), tb = ops->total_bytes(ix);
		CHECK(ib > 0);
		CHECK(ib < tb / 10);
		CHECK(tb >= n * 16); /* at least the payload */
		CHECK(tb < n * 64);  /* and an in-order load packs pages */
		ops->destroy(ix);
	}
	remove_tree(dir);
	free(keys), free(vals);
	test_context = NULL;
}

static void expect_create_fails(const char *spec, const char *engine,
				const char *dir, const char *what)
{
	char err[256] = "", ctx[300];
	snprintf(ctx, sizeof ctx, "%s: %s", spec, what);
	test_context = ctx;
	const struct index_ops *ops;
	void *ix = open_engine(spec, dir, &ops, err, sizeof err);
	CHECK(ix == NULL);
	CHECK(clear_error(err, engine));
	if (ix)
		ops->destroy(ix);
	else
		printf("  %-28s %-34s -> %s\n", spec, what, err);
	test_context = NULL;
}

static void check_failures(const char *engine, const char *file)
{
	char dir[256], path[512];

	/* env->dir is a regular file. */
	make_temp_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/plainfile", dir);
	FILE *f = fopen(path, "w");
	if (f)
		fputs("not a directory\n", f), fclose(f);
	expect_create_fails(engine, engine, path, "directory is a regular file");

	/* A parent that does not exist. */
	snprintf(path, sizeof path, "%s/missing/parent", dir);
	expect_create_fails(engine, engine, path, "missing parent directory");

	/* A garbage file where the database file goes. */
	snprintf(path, sizeof path, "%s/garbage", dir);
	mkdir(path, 0755);
	char file_path[600];
	snprintf(file_path, sizeof file_path, "%s/%s", path, file);
	f = fopen(file_path, "w");
	if (f) {
		for (int i = 0; i < 64 * 1024 / 8; i++) {
			uint64_t x = rnd();
			fwrite(&x, sizeof x, 1, f);
		}
		fclose(f);
	}
	expect_create_fails(engine, engine, path, "garbage database file");

	/* A read-only directory: root ignores the mode, so the engine may
	 * succeed there; it must then work, and otherwise fail clearly. */
	snprintf(path, sizeof path, "%s/readonly", dir);
	mkdir(path, 0755);
	chmod(path, 0555);
	char err[256] = "";
	const struct index_ops *ops;
	test_context = "read-only directory";
	void *ix = open_engine(engine, path, &ops, err, sizeof err);
	if (ix) {
		CHECK(access(path, W_OK) == 0); /* only possible where writable */
		static const uint64_t k[] = {1, 2, 3};
		CHECK(ops->bulk_load(ix, k, k, 3, err, sizeof err) == 0);
		ops->destroy(ix);
	} else {
		CHECK(clear_error(err, engine));
		printf("  %-28s %-34s -> %s\n", engine, "read-only directory", err);
	}
	chmod(path, 0755);
	test_context = NULL;
	remove_tree(dir);
}

/* ---- per-thread handles ---- */

struct reader_job {
	const struct index_ops *ops;
	void *handle;
	const uint64_t *keys;
	size_t n;
	size_t bad;
};

static void *reader_main(void *arg)
{
	struct reader_job *j = arg;
	for (size_t i = 0; i < j->n; i++) {
		uint64_t v = ~0ull, sum = 0;
		if (!j->ops->get(j->handle, j->keys[i], &v) || v != i)
			j->bad++;
		if (i % 97 == 0 &&
		    (j->ops->scan(j->handle, j->keys[i], UINT64_MAX, 3, &sum) !=
			     (j->n - i < 3 ? j->n - i : 3)))
			j->bad++;
	}
	return NULL;
}

static void check_threads(const char *spec)
{
	enum { THREADS = 4 };
	size_t n = 50000;
	uint64_t *keys = malloc(n * sizeof *keys), *vals = malloc(n * sizeof *vals);
	if (!keys || !vals)
		exit(2);
	for (size_t i = 0; i < n; i++)
		keys[i] = (i + 1) * 0x9E3779B97F4Aull, vals[i] = i;
	char dir[256], err[256], ctx[128];
	snprintf(ctx, sizeof ctx, "%s threads", spec);
	test_context = ctx;
	make_temp_dir(dir, sizeof dir);
	const struct index_ops *ops;
	void *ix = open_engine_threads(spec, dir, THREADS, &ops, err, sizeof err);
	CHECK(ix != NULL);
	if (!ix || !(ops->caps & IX_CAP_CONCURRENT_READ) || !ops->attach) {
		if (ix)
			ops->destroy(ix);
		remove_tree(dir);
		free(keys), free(vals);
		return;
	}
	CHECK(ops->bulk_load(ix, keys, vals, n, err, sizeof err) == 0);
	struct reader_job jobs[THREADS];
	pthread_t tids[THREADS];
	for (int t = 0; t < THREADS; t++) {
		jobs[t] = (struct reader_job){ops, ops->attach(ix, err, sizeof err), keys, n, 0};
		CHECK(jobs[t].handle != NULL);
	}
	for (int t = 0; t < THREADS; t++)
		pthread_create(&tids[t], NULL, reader_main, &jobs[t]);
	for (int t = 0; t < THREADS; t++) {
		pthread_join(tids[t], NULL);
		CHECK(jobs[t].bad == 0);
	}
	/* Inserts through handle 0 (enough to grow a small map), seen by
	 * handle 1 whose snapshot predates them, and by the index itself. */
	int bad_insert = 0;
	for (size_t i = 0; i < 20000 && !bad_insert; i++)
		if (ops->insert(jobs[0].handle, keys[n - 1] + 1 + i, 5, err, sizeof err))
			bad_insert = 1;
	CHECK(!bad_insert);
	uint64_t v = 0, sum = 0;
	CHECK(ops->get(jobs[1].handle, keys[n - 1] + 20000, &v) && v == 5);
	CHECK(ops->get(jobs[1].handle, keys[7], &v) && v == 7);
	CHECK(ops->scan(jobs[1].handle, keys[n - 1] + 1, UINT64_MAX, (size_t)-1, &sum) == 20000 &&
	      sum == 100000);
	CHECK(ops->get(ix, keys[n - 1] + 1, &v) && v == 5);
	for (int t = 0; t < THREADS; t++)
		ops->detach(jobs[t].handle);
	CHECK(ops->get(ix, keys[n - 1] + 19999, &v) && v == 5);
	ops->destroy(ix);
	remove_tree(dir);
	free(keys), free(vals);
	test_context = NULL;
}

/* With one thread announced, one attached handle works (the harness always
 * attaches); sqlite refuses a second one rather than share a connection. */
static void check_one_thread_handles(const char *spec)
{
	static const uint64_t k[] = {0, 10, UINT64_MAX};
	char dir[256], err[256] = "";
	test_context = spec;
	make_temp_dir(dir, sizeof dir);
	const struct index_ops *ops;
	void *ix = open_engine(spec, dir, &ops, err, sizeof err);
	CHECK(ix != NULL);
	if (ix) {
		CHECK(ops->bulk_load(ix, k, k, 3, err, sizeof err) == 0);
		void *h = ops->attach(ix, err, sizeof err);
		CHECK(h != NULL);
		if (h) {
			uint64_t v = 0, sum = 0;
			CHECK(ops->insert(h, 5, 55, err, sizeof err) == 0);
			CHECK(ops->get(h, 5, &v) && v == 55);
			CHECK(ops->scan(h, 0, UINT64_MAX, 10, &sum) == 4 && sum == 65 + UINT64_MAX);
			void *h2 = ops->attach(ix, err, sizeof err);
			if (!strcmp(ops->name, "sqlite"))
				CHECK(h2 == NULL && clear_error(err, "sqlite"));
			if (h2)
				ops->detach(h2);
			if (!strcmp(ops->name, "lmdb")) {
				/* Reader slots are sized from threads (+8 spare):
				 * running out fails in attach, clearly. */
				void *many[16];
				int got = 0;
				while (got < 16 && (many[got] = ops->attach(ix, err, sizeof err)))
					got++;
				CHECK(got < 16 && clear_error(err, "lmdb"));
				printf("  lmdb: attach #%d with threads=1 -> %s\n", got + 2, err);
				while (got > 0)
					ops->detach(many[--got]);
			}
			ops->detach(h);
		}
		uint64_t v = 0;
		CHECK(ops->get(ix, 5, &v) && v == 55);
		ops->destroy(ix);
	}
	remove_tree(dir);
	test_context = NULL;
}

/* Bytes of the files in dir (not recursive). */
static size_t dir_bytes(const char *dir)
{
	DIR *d = opendir(dir);
	size_t total = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char path[600];
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (!stat(path, &st) && S_ISREG(st.st_mode))
			total += (size_t)st.st_size;
	}
	if (d)
		closedir(d);
	return total;
}

/* Upserts while another handle sits idle: the idle handle must not pin an
 * old snapshot, or the engine cannot reuse freed pages and the file grows
 * with every batch. */
static void check_idle_handle_space(const char *spec)
{
	size_t n = 20000;
	uint64_t *keys = malloc(n * sizeof *keys);
	if (!keys)
		exit(2);
	for (size_t i = 0; i < n; i++)
		keys[i] = i * 3;
	char dir[256], err[256] = "";
	test_context = "idle handle";
	make_temp_dir(dir, sizeof dir);
	const struct index_ops *ops;
	void *ix = open_engine_threads(spec, dir, 2, &ops, err, sizeof err);
	CHECK(ix != NULL);
	if (ix) {
		CHECK(ops->bulk_load(ix, keys, keys, n, err, sizeof err) == 0);
		void *idle = ops->attach(ix, err, sizeof err), *busy = ops->attach(ix, err, sizeof err);
		CHECK(idle && busy);
		uint64_t v;
		if (idle && busy) {
			CHECK(ops->get(idle, keys[1], &v) && v == keys[1]);
			size_t before = dir_bytes(dir);
			int bad = 0;
			for (size_t r = 0; r < 10 && !bad; r++)
				for (size_t i = 0; i < n && !bad; i++)
					bad = ops->insert(busy, keys[i], r, err, sizeof err) != 0;
			CHECK(!bad);
			size_t after = dir_bytes(dir);
			CHECK(after < 2 * before);
			CHECK(ops->get(idle, keys[5], &v) && v == 9);
		}
		if (idle)
			ops->detach(idle);
		if (busy)
			ops->detach(busy);
		ops->destroy(ix);
	}
	remove_tree(dir);
	free(keys);
	test_context = NULL;
}

static void check_bad_params(void)
{
	static const char *const bad[] = {
		"lmdb:batch=0",  "lmdb:snapshot=never", "lmdb:sync=2",
		"sqlite:page=1000", "sqlite:page=256", "sqlite:batch=0",
		"sqlite:without_rowid=yes", NULL,
	};
	for (int i = 0; bad[i]; i++) {
		char dir[256], err[256] = "";
		make_temp_dir(dir, sizeof dir);
		const struct index_ops *ops;
		test_context = bad[i];
		void *ix = open_engine(bad[i], dir, &ops, err, sizeof err);
		CHECK(ix == NULL);
		CHECK(err[0] && !strchr(err, '\n'));
		if (ix)
			ops->destroy(ix);
		remove_tree(dir);
	}
	test_context = NULL;
}

int main(void)
{
	for (int i = 0; engine_specs[i]; i++)
		RUN(check_order(engine_specs[i]));
	RUN(check_threads("lmdb"));
	RUN(check_threads("lmdb:map=65536:batch=64"));
	RUN(check_threads("lmdb:snapshot=op:batch=1"));
	RUN(check_threads("sqlite"));
	RUN(check_threads("sqlite:without_rowid=1:batch=1"));
	RUN(check_one_thread_handles("lmdb"));
	RUN(check_idle_handle_space("lmdb"));
	RUN(check_idle_handle_space("sqlite"));
	RUN(check_one_thread_handles("sqlite"));
	RUN(check_sizes("lmdb"));
	RUN(check_sizes("sqlite"));
	RUN(check_sizes("sqlite:without_rowid=1"));
	for (size_t i = 0; i < sizeof engine_files / sizeof *engine_files; i++)
		RUN(check_failures(engine_files[i].engine, engine_files[i].file));
	RUN(check_bad_params());
	TEST_MAIN_END();
}
