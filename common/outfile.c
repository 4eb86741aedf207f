/* common/outfile.c — writing output files safely (see outfile.h). */
#define _GNU_SOURCE
#include "common/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_of(mode_t mode)
{
	return S_ISDIR(mode) ? "a directory"
	     : S_ISCHR(mode) ? "a character device"
	     : S_ISBLK(mode) ? "a block device"
	     : S_ISFIFO(mode) ? "a FIFO"
	     : S_ISSOCK(mode) ? "a socket"
	     : S_ISLNK(mode) ? "a symbolic link"
			     : "not a regular file";
}

int outfile_check(const char *path, char *err, size_t errlen)
{
	char shown[SHOWN_NAME_LEN];
	struct stat st;
	if (strlen(path) >= PATH_MAX) {
		snprintf(err, errlen, "%s: path too long (at most %d characters)",
			 shown_name(path, shown, sizeof shown), PATH_MAX - 1);
		return -1;
	}
	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0; /* a new file: open() says whether it can be made */
		snprintf(err, errlen, "%s: %s", shown_name(path, shown, sizeof shown),
			 strerror(errno));
		return -1;
	}
	if (S_ISREG(st.st_mode))
		return 0;
	snprintf(err, errlen, "%s: is %s; omenbench writes only to regular files",
		 shown_name(path, shown, sizeof shown), kind_of(st.st_mode));
	return -1;
}

int outfile_create(struct outfile *o, const char *path, char *err, size_t errlen)
{
	char shown[SHOWN_NAME_LEN];
	memset(o, 0, sizeof *o);
	if (outfile_check(path, err, errlen))
		return -1;
	snprintf(o->path, sizeof o->path, "%s", path);
	snprintf(o->tmp, sizeof o->tmp, "%s.XXXXXX", path);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", shown_name(path, shown, sizeof shown),
			 strerror(errno));
		o->tmp[0] = 0;
		return -1;
	}
	/* mkstemp makes 0600; an output file gets the usual mode (or keeps the
	 * mode of the file it replaces). */
	struct stat st;
	mode_t mask = umask(0);
	umask(mask);
	(void)fchmod(fd, !stat(path, &st) ? st.st_mode & 07777 : 0666 & ~mask);
	o->f = fdopen(fd, "w");
	if (!o->f) {
		snprintf(err, errlen, "%s: %s", shown_name(path, shown, sizeof shown), strerror(errno));
		close(fd);
		unlink(o->tmp);
		o->tmp[0] = 0;
		return -1;
	}
	return 0;
}

int outfile_commit(struct outfile *o, char *err, size_t errlen)
{
	char shown[SHOWN_NAME_LEN];
	errno = 0;
	int failed = fflush(o->f) || ferror(o->f);
	int saved = errno;
	if (fclose(o->f) && !failed) {
		failed = 1;
		saved = errno;
	}
	o->f = NULL;
	if (failed) {
		snprintf(err, errlen, "%s: write failed: %s", shown_name(o->path, shown, sizeof shown),
			 saved ? strerror(saved) : "I/O error");
		outfile_discard(o);
		return -1;
	}
	/* The path may have changed since it was checked; check again. */
	if (outfile_check(o->path, err, errlen)) {
		outfile_discard(o);
		return -1;
	}
	if (rename(o->tmp, o->path)) {
		snprintf(err, errlen, "%s: cannot replace: %s", shown_name(o->path, shown, sizeof shown),
			 strerror(errno));
		outfile_discard(o);
		return -1;
	}
	o->tmp[0] = 0;
	return 0;
}

void outfile_discard(struct outfile *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp[0])
		unlink(o->tmp);
	o->tmp[0] = 0;
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) { /* no progress and no reason: call it a full disk */
			errno = ENOSPC;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}
