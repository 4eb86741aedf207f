/*
 * tests/shim/faultfs.c — a full disk for the tests, without root or mount.
 *
 * Loaded with LD_PRELOAD, it wraps the write calls an engine or the harness
 * makes (write, pwrite, writev, pwritev and their 64-bit names) and makes
 * the directory FAULTFS_DIR a file system of FAULTFS_SPACE bytes: a write
 * that would make the files under it hold more is cut short at the limit,
 * and the next fails with ENOSPC, as on a full tmpfs.  What the files hold
 * is read from the directory at each write, so every process (a script's
 * runs one after another) sees the same disk.  Rewriting bytes a file
 * already has costs nothing; writing into a hole or past the end costs what
 * it writes.  Files elsewhere and processes without both variables are
 * untouched.
 *
 * Built without sanitizers (build/test/faultfs.so); under an ASan binary
 * run it with ASAN_OPTIONS=verify_asan_link_order=0.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static pthread_mutex_t space_lock = PTHREAD_MUTEX_INITIALIZER;

/* The directory the limit covers and the limit, or NULL when off. */
static const char *limited_dir(uint64_t *space)
{
	const char *dir = getenv("FAULTFS_DIR"), *s = getenv("FAULTFS_SPACE");
	if (!dir || !*dir || !s || !*s)
		return NULL;
	*space = strtoull(s, NULL, 10);
	return dir;
}

/* The file's path when it lies under the limited directory, else 0. */
static int fd_is_limited(int fd, uint64_t *space, char *path, size_t len)
{
	const char *dir = limited_dir(space);
	if (!dir)
		return 0;
	char link[64];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, len - 1);
	if (n < 0)
		return 0;
	path[n] = 0;
	size_t dl = strlen(dir);
	return !strncmp(path, dir, dl) && (path[dl] == '/' || !path[dl]);
}

/* Bytes of [from, to) the file has no blocks for yet (holes, or past its
 * end): what writing there allocates.  A file stretched by ftruncate (SQLite
 * does that) is a hole until written, as on tmpfs.  A descriptor of its own,
 * so the caller's file position stays where it was. */
static uint64_t unallocated_bytes(const char *path, uint64_t from, uint64_t to)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return to - from;
	uint64_t missing = 0;
	for (uint64_t pos = from; pos < to;) {
		off_t data = lseek(fd, (off_t)pos, SEEK_DATA);
		if (data < 0 || (uint64_t)data >= to) { /* a hole to the end */
			missing += to - pos;
			break;
		}
		missing += (uint64_t)data - pos;
		off_t hole = lseek(fd, data, SEEK_HOLE);
		pos = hole < 0 ? to : (uint64_t)hole;
	}
	close(fd);
	return missing;
}

/* Bytes the files under dir hold: their allocated blocks, but no more than
 * their size (a 10-byte file holds 10, not a 4 KiB block). */
static uint64_t bytes_held(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	uint64_t total = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char path[PATH_MAX];
		struct stat st;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path ||
		    lstat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode) && depth < 8) {
			total += bytes_held(path, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			uint64_t blocks = (uint64_t)st.st_blocks * 512;
			total += blocks < (uint64_t)st.st_size ? blocks : (uint64_t)st.st_size;
		}
	}
	closedir(d);
	return total;
}

/* How many of `len` bytes at `offset` (-1: the file position, or the end
 * with O_APPEND) may be written; sets errno to ENOSPC when none.  The
 * space left is what the directory's files do not hold now. */
static size_t allowed_bytes(int fd, off_t offset, size_t len)
{
	uint64_t space;
	char path[PATH_MAX];
	if (!len || !fd_is_limited(fd, &space, path, sizeof path))
		return len;
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return len;
	int flags = fcntl(fd, F_GETFL);
	if (flags >= 0 && (flags & O_APPEND))
		offset = st.st_size;
	else if (offset < 0)
		offset = lseek(fd, 0, SEEK_CUR);
	if (offset < 0)
		return len;
	pthread_mutex_lock(&space_lock); /* one writer at a time measures */
	uint64_t grow = unallocated_bytes(path, (uint64_t)offset, (uint64_t)offset + len);
	uint64_t used = bytes_held(limited_dir(&space), 0);
	uint64_t left = space > used ? space - used : 0;
	size_t ok = len;
	if (grow > left)
		ok = len - (size_t)(grow - left);
	pthread_mutex_unlock(&space_lock);
	if (!ok)
		errno = ENOSPC;
	return ok;
}

/* libc's own function of that name (the next in the search order). */
static void *next_symbol(const char *name)
{
	return dlsym(RTLD_NEXT, name);
}

ssize_t write(int fd, const void *buf, size_t len)
{
	static ssize_t (*real_write)(int, const void *, size_t);
	if (!real_write)
		real_write = next_symbol("write");
	size_t ok = allowed_bytes(fd, -1, len);
	if (!ok && len)
		return -1;
	return real_write(fd, buf, ok);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t offset)
{
	static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
	if (!real_pwrite)
		real_pwrite = next_symbol("pwrite");
	size_t ok = allowed_bytes(fd, offset, len);
	if (!ok && len)
		return -1;
	return real_pwrite(fd, buf, ok, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t len, off_t offset)
{
	static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
	if (!real_pwrite64)
		real_pwrite64 = next_symbol("pwrite64");
	size_t ok = allowed_bytes(fd, offset, len);
	if (!ok && len)
		return -1;
	return real_pwrite64(fd, buf, ok, offset);
}

/* The vector calls: all or nothing, enough for a short write to fail. */
static size_t iov_bytes(const struct iovec *iov, int n)
{
	size_t total = 0;
	for (int i = 0; i < n; i++)
		total += iov[i].iov_len;
	return total;
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	static ssize_t (*real_writev)(int, const struct iovec *, int);
	if (!real_writev)
		real_writev = next_symbol("writev");
	size_t len = iov_bytes(iov, n);
	if (allowed_bytes(fd, -1, len) < len) {
		errno = ENOSPC;
		return -1;
	}
	return real_writev(fd, iov, n);
}

ssize_t pwritev(int fd, const struct iovec *iov, int n, off_t offset)
{
	static ssize_t (*real_pwritev)(int, const struct iovec *, int, off_t);
	if (!real_pwritev)
		real_pwritev = next_symbol("pwritev");
	size_t len = iov_bytes(iov, n);
	if (allowed_bytes(fd, offset, len) < len) {
		errno = ENOSPC;
		return -1;
	}
	return real_pwritev(fd, iov, n, offset);
}

ssize_t pwritev64(int fd, const struct iovec *iov, int n, off_t offset)
{
	static ssize_t (*real_pwritev64)(int, const struct iovec *, int, off_t);
	if (!real_pwritev64)
		real_pwritev64 = next_symbol("pwritev64");
	size_t len = iov_bytes(iov, n);
	if (allowed_bytes(fd, offset, len) < len) {
		errno = ENOSPC;
		return -1;
	}
	return real_pwritev64(fd, iov, n, offset);
}
