/* harness/csv.c — appending to the results CSV (see csvwrite.h). */
#define _GNU_SOURCE
#include "harness/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/csvwrite.h"
#include "common/outfile.h"

/* csv_column_names is defined once, in harness/csvread.c. */

void csv_header(char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = 0;
	for (int c = 0; c < CSV_NCOLUMNS && used < len; c++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", c ? "," : "",
					 csv_column_names[c]);
}

/* flock, waiting through signals.  A file system without locks still gets
 * its rows: the lock only orders concurrent runs. */
static void lock_file(int fd)
{
	while (flock(fd, LOCK_EX) && errno == EINTR)
		;
}

static void unlock_file(int fd)
{
	flock(fd, LOCK_UN);
}

/* Under the lock: a new file gets the header; an existing one must have
 * ours, and a half line an interrupted run left is ended. */
static int prepare_locked(struct csv_out *out, char *err, size_t errlen)
{
	char header[2048], shown[SHOWN_NAME_LEN];
	const char *name = shown_name(out->path, shown, sizeof shown);
	csv_header(header, sizeof header);
	struct stat st;
	if (fstat(out->fd, &st)) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		return -1;
	}
	if (st.st_size == 0) {
		size_t len = strlen(header);
		header[len++] = '\n';
		if (write_all(out->fd, header, len)) {
			snprintf(err, errlen, "%s: write failed: %s", name, strerror(errno));
			(void)ftruncate(out->fd, 0);
			return -1;
		}
		return 0;
	}
	/* An existing file must have our header, or rows would be misread. */
	char first[2048];
	ssize_t got = pread(out->fd, first, sizeof first - 1, 0);
	if (got < 0) {
		snprintf(err, errlen, "%s: cannot read: %s", name, strerror(errno));
		return -1;
	}
	first[got] = 0;
	first[strcspn(first, "\r\n")] = 0;
	if (strcmp(first, header)) {
		snprintf(err, errlen, "%s: has a different header (another omenbench version?); "
			 "write to a new file", name);
		return -1;
	}
	/* An interrupted run may have left half a line: end it so our rows
	 * start on a line of their own (the reader skips the fragment). */
	char last = '\n';
	if (pread(out->fd, &last, 1, st.st_size - 1) == 1 && last != '\n' &&
	    write_all(out->fd, "\n", 1)) {
		snprintf(err, errlen, "%s: write failed: %s", name, strerror(errno));
		return -1;
	}
	return 0;
}

int csv_open_append(struct csv_out *out, const char *path, char *err, size_t errlen)
{
	char shown[SHOWN_NAME_LEN];
	out->fd = -1;
	out->path = path;
	if (outfile_check(path, err, errlen))
		return -1;
	/* O_NOFOLLOW and O_NONBLOCK: a symlink or FIFO put there since the
	 * check is refused, not followed or waited on.  O_EXCL first, to know
	 * whether the file is ours to remove if not even the header fits. */
	int flags = O_RDWR | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
	int fd = open(path, flags | O_CREAT | O_EXCL, 0666);
	bool created = fd >= 0;
	if (fd < 0 && errno == EEXIST)
		fd = open(path, flags);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open for appending: %s",
			 shown_name(path, shown, sizeof shown), strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file; omenbench writes only to regular files",
			 shown_name(path, shown, sizeof shown));
		close(fd);
		return -1;
	}
	out->fd = fd;
	lock_file(fd);
	int rc = prepare_locked(out, err, errlen);
	unlock_file(fd);
	if (rc) {
		close(fd);
		out->fd = -1;
		if (created)
			unlink(path);
	}
	return rc;
}

int csv_append_line(struct csv_out *out, const char *line, size_t len, char *err,
		    size_t errlen)
{
	char shown[SHOWN_NAME_LEN];
	lock_file(out->fd);
	struct stat st;
	int rc = fstat(out->fd, &st);
	if (!rc && write_all(out->fd, line, len)) {
		int saved = errno;
		/* No half row: cut the file back to where the row began. */
		(void)ftruncate(out->fd, st.st_size);
		errno = saved;
		rc = -1;
	}
	if (rc)
		snprintf(err, errlen, "%s: write failed: %s",
			 shown_name(out->path, shown, sizeof shown), strerror(errno));
	unlock_file(out->fd);
	return rc;
}

int csv_close(struct csv_out *out, char *err, size_t errlen)
{
	char shown[SHOWN_NAME_LEN];
	if (out->fd < 0)
		return 0;
	int rc = close(out->fd);
	out->fd = -1;
	if (rc)
		snprintf(err, errlen, "%s: close failed: %s",
			 shown_name(out->path, shown, sizeof shown), strerror(errno));
	return rc ? -1 : 0;
}
