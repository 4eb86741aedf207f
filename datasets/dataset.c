/*
 * datasets/dataset.c — loading, validating and writing SOSD-format files.
 * Every problem with a file becomes one line "PATH: problem"; nothing here
 * crashes or returns a data set that is not exactly what the file says.
 */
#define _GNU_SOURCE
#include "datasets/dataset.h"
#include "common/outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void derr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void derr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

const char *dataset_dir(void)
{
	const char *d = getenv("OMENBENCH_DATASETS");
	return d && *d ? d : "datasets";
}

static int width_from_name(const char *path)
{
	size_t len = strlen(path);
	if (len >= 7 && !strcmp(path + len - 7, "_uint32"))
		return 32;
	return 64;
}

static int is_regular(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* Depth-first search for a file called `want` under dir. */
static int find_under(const char *dir, const char *want, char *out,
		      size_t outlen, int depth)
{
	if (depth > 4)
		return 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	int found = 0;
	while (!found && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[PATH_MAX];
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path)
			continue; /* never a cut path: it would name another file */
		if (!strcmp(e->d_name, want) && is_regular(path)) {
			snprintf(out, outlen, "%s", path);
			found = 1;
		} else {
			struct stat st;
			if (!stat(path, &st) && S_ISDIR(st.st_mode))
				found = find_under(path, want, out, outlen, depth + 1);
		}
	}
	closedir(d);
	return found;
}

/* 1 found, 0 not found, -1 a path too long to use (never cut: the cut
 * path would name another file). */
static int resolve(const char *name, char *out, size_t outlen)
{
	if (strchr(name, '/') || is_regular(name)) {
		if (strlen(name) >= outlen)
			return -1;
		snprintf(out, outlen, "%s", name);
		return 1;
	}
	static const char *const suffixes[] = {"", "_uint64", "_uint32"};
	for (int i = 0; i < 3; i++) {
		char want[NAME_MAX + 1];
		if ((size_t)snprintf(want, sizeof want, "%s%s", name, suffixes[i]) >= sizeof want)
			continue; /* longer than any file name can be */
		if (find_under(dataset_dir(), want, out, outlen, 0))
			return 1;
	}
	return 0;
}

/* Anonymous memory advised for transparent huge pages: the keys and values
 * every index searches live here, so no index pays 4 KiB-page TLB misses on
 * them that another avoids (huge pages take 20% off binary search at 10M
 * keys on our VM). */
static uint64_t *huge_alloc(size_t n)
{
	void *p = mmap(NULL, n ? n * sizeof(uint64_t) : 1, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	if (n)
		madvise(p, n * sizeof(uint64_t), MADV_HUGEPAGE);
#endif
	return p;
}

static void huge_free(uint64_t *p, size_t n)
{
	if (p)
		munmap(p, n ? n * sizeof(uint64_t) : 1);
}

void dataset_close(struct dataset *d)
{
	if (d->map)
		munmap(d->map, d->map_len);
	huge_free(d->owned_keys, d->n);
	huge_free(d->vals, d->n);
	memset(d, 0, sizeof *d);
}

int dataset_open(const char *name_or_path, struct dataset *d, char *err,
		 size_t errlen)
{
	memset(d, 0, sizeof *d);
	char shown[SHOWN_NAME_LEN];
	int found = resolve(name_or_path, d->path, sizeof d->path);
	if (found < 0) {
		derr(err, errlen, "%s: path too long (%zu characters; at most %zu)",
		     shown_name(name_or_path, shown, sizeof shown), strlen(name_or_path),
		     sizeof d->path - 1);
		return -1;
	}
	if (!found) {
		derr(err, errlen, "%s: no such data set (looked for a file of that name, "
		     "and under %s/; `omenbench gen` or scripts/fetch-data.sh make them)",
		     shown_name(name_or_path, shown, sizeof shown), dataset_dir());
		return -1;
	}
	const char *base = strrchr(d->path, '/');
	snprintf(d->name, sizeof d->name, "%.127s", base ? base + 1 : d->path);
	d->width = width_from_name(d->path);
	const char *path = shown_name(d->path, shown, sizeof shown); /* for messages */

	/* O_NONBLOCK: a FIFO is refused below instead of waiting for a writer
	 * (no effect on a regular file). */
	int fd = open(d->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		derr(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		derr(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	size_t size = (size_t)st.st_size;
	if (size < 8) {
		derr(err, errlen, "%s: truncated: %zu bytes, too short for the 8-byte count header",
		     path, size);
		close(fd);
		return -1;
	}
	void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		derr(err, errlen, "%s: mmap failed: %s", path, strerror(errno));
		return -1;
	}
	d->map = map;
	d->map_len = size;
	uint64_t n;
	memcpy(&n, map, 8);
	size_t w = (size_t)d->width / 8;
	if (n > (size - 8) / w || (size - 8) % w || 8 + n * w != size) {
		derr(err, errlen,
		     "%s: header says %llu keys of %zu bytes (%llu bytes with header) but the file has %zu bytes%s",
		     path, (unsigned long long)n, w,
		     n > (UINT64_MAX - 8) / w ? (unsigned long long)UINT64_MAX
					      : (unsigned long long)(8 + n * w),
		     size, 8 + n * w > size ? " (truncated?)" : " (wrong header or key width?)");
		dataset_close(d);
		return -1;
	}
	d->n = (size_t)n;
	madvise(map, size, MADV_SEQUENTIAL);
	/* Read once into huge-page memory shared by every index of the run. */
	d->owned_keys = huge_alloc(d->n);
	if (!d->owned_keys) {
		derr(err, errlen, "%s: out of memory for %zu keys", path, d->n);
		dataset_close(d);
		return -1;
	}
	if (d->width == 64) {
		memcpy(d->owned_keys, (const char *)map + 8, d->n * sizeof(uint64_t));
	} else {
		const unsigned char *p = (const unsigned char *)map + 8;
		for (size_t i = 0; i < d->n; i++) {
			uint32_t k;
			memcpy(&k, p + 4 * i, 4);
			d->owned_keys[i] = k;
		}
	}
	d->keys = d->owned_keys;
	munmap(map, size);
	d->map = NULL;
	d->map_len = 0;
	for (size_t i = 1; i < d->n; i++) {
		if (d->keys[i] < d->keys[i - 1]) {
			derr(err, errlen, "%s: not sorted: key %zu (%llu) is smaller than key %zu (%llu)",
			     path, i, (unsigned long long)d->keys[i], i - 1,
			     (unsigned long long)d->keys[i - 1]);
			dataset_close(d);
			return -1;
		}
		d->n_dups += d->keys[i] == d->keys[i - 1];
	}
	d->vals = huge_alloc(d->n);
	if (!d->vals) {
		derr(err, errlen, "%s: out of memory for %zu values", path, d->n);
		dataset_close(d);
		return -1;
	}
	for (size_t i = 0; i < d->n; i++)
		d->vals[i] = i;
	return 0;
}

int dataset_write(const char *path, const uint64_t *keys, size_t n, int width,
		  char *err, size_t errlen)
{
	char shown[SHOWN_NAME_LEN];
	if (width != 32 && width != 64) {
		derr(err, errlen, "%s: key width must be 32 or 64", shown_name(path, shown, sizeof shown));
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (i && keys[i] < keys[i - 1]) {
			derr(err, errlen, "%s: refusing to write unsorted keys (at %zu)",
			     shown_name(path, shown, sizeof shown), i);
			return -1;
		}
		if (width == 32 && keys[i] > UINT32_MAX) {
			derr(err, errlen, "%s: key %zu does not fit in 32 bits",
			     shown_name(path, shown, sizeof shown), i);
			return -1;
		}
	}
	struct outfile out;
	if (outfile_create(&out, path, err, errlen))
		return -1;
	FILE *f = out.f;
	uint64_t count = n;
	fwrite(&count, 8, 1, f);
	if (width == 64) {
		fwrite(keys, 8, n, f);
	} else {
		enum { CHUNK = 4096 };
		uint32_t buf[CHUNK];
		for (size_t i = 0; i < n && !ferror(f); i += CHUNK) {
			size_t k = n - i < CHUNK ? n - i : CHUNK;
			for (size_t j = 0; j < k; j++)
				buf[j] = (uint32_t)keys[i + j];
			fwrite(buf, 4, k, f);
		}
	}
	/* every write is checked here, with the close */
	return outfile_commit(&out, err, errlen);
}

void format_count(uint64_t n, char *buf, size_t len)
{
	if (n && n % 1000000000ull == 0)
		snprintf(buf, len, "%lluG", (unsigned long long)(n / 1000000000ull));
	else if (n && n % 1000000ull == 0)
		snprintf(buf, len, "%lluM", (unsigned long long)(n / 1000000ull));
	else if (n && n % 1000ull == 0)
		snprintf(buf, len, "%lluK", (unsigned long long)(n / 1000ull));
	else
		snprintf(buf, len, "%llu", (unsigned long long)n);
}
