/*
 * common/outfile.h — the one way omenbench writes a file it is told to
 * write: the results CSV (run --csv), a report (report --out), a data set
 * (gen -o, convert).
 *
 * An output path must name a regular file or nothing yet.  A device node
 * (/dev/null, /dev/full), a FIFO, a socket, a directory or a symbolic link
 * is refused with a one-line reason: an output never replaces, nor writes
 * into, something that is not a plain file.  Every write and the final
 * close are checked; a failure is a one-line "PATH: problem".
 *
 * Two ways to write:
 *  - replace: the whole file is written under a temporary name beside it
 *    and renamed over the path at the end, so a failure leaves the old file
 *    (or nothing) under the path, never half a file;
 *  - append: for the CSV, see csvwrite.h.
 */
#ifndef OMENBENCH_OUTFILE_H
#define OMENBENCH_OUTFILE_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#include "common/message.h"

/* 0 when path may be written: a regular file, or nothing yet.  Otherwise -1
 * and "PATH: is a ...; omenbench writes only to regular files" in err. */
int outfile_check(const char *path, char *err, size_t errlen);

/* A file being replaced. */
struct outfile {
	FILE *f;
	char path[PATH_MAX];
	char tmp[PATH_MAX + 8];
};

/* Checks path and opens its temporary file for writing (o->f). */
int outfile_create(struct outfile *o, const char *path, char *err, size_t errlen);
/* Checks that every write went through, closes and renames over the path.
 * On failure the temporary file is removed and the path left as it was. */
int outfile_commit(struct outfile *o, char *err, size_t errlen);
/* Gives up: closes and removes the temporary file. */
void outfile_discard(struct outfile *o);

/* write(2) until all of buf is written (a short write is retried, EINTR
 * too).  0, or -1 with errno set. */
int write_all(int fd, const void *buf, size_t len);

#endif
