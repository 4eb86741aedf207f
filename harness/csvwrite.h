/*
 * harness/csvwrite.h — appending rows to the results CSV (schema in csv.h).
 *
 * The file must be a regular file or new (outfile.h).  The header is
 * written when the file is empty, and each row is appended with one
 * write(2), both under an exclusive flock(2): two runs appending to one
 * file at once cannot both write the header, nor mix their rows.  A row
 * that cannot be written whole (a full disk) is cut off again, so the file
 * keeps whole rows only, and the caller stops with the error.
 */
#ifndef OMENBENCH_CSVWRITE_H
#define OMENBENCH_CSVWRITE_H

#include <stddef.h>

struct csv_out {
	int fd;
	const char *path;
};

/* Opens path for appending rows; writes the header when the file is new or
 * empty; refuses a file whose header differs.  0, or -1 + err. */
int csv_open_append(struct csv_out *out, const char *path, char *err, size_t errlen);
/* Appends one line (its newline included).  0, or -1 + err ("PATH: write
 * failed: reason"); the file is left without any part of the line. */
int csv_append_line(struct csv_out *out, const char *line, size_t len, char *err,
		    size_t errlen);
/* Closes the file, checking the close.  0, or -1 + err. */
int csv_close(struct csv_out *out, char *err, size_t errlen);
/* The header line (column names joined by commas, no newline). */
void csv_header(char *buf, size_t len);

#endif
