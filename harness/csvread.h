/*
 * harness/csvread.h — reads a results CSV (schema in harness/csv.h) into rows
 * of strings, for `omenbench report` and the tests.
 *
 * Columns are mapped by header NAME, not position, so a file written by an
 * older binary with fewer columns still loads; a column the reader does not
 * know is ignored.  The caller names the columns it cannot do without and
 * gets a clear error when one is missing.  `NA` (and an absent column) reads
 * as "no value": csv_row_double() returns -1 and leaves NaN in *out.
 *
 * A line with the wrong number of fields is skipped and counted, with one
 * warning line for all of them: this is what an interrupted run leaves as
 * its last line (no trailing newline, fewer fields).  A repeated header line
 * (two files concatenated) is skipped silently.
 */
#ifndef OMENBENCH_CSVREAD_H
#define OMENBENCH_CSVREAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "harness/csv.h"

struct csv_row {
	/* NULL where the file has no such column; otherwise points into the
	 * table's text buffer (never NULL for a present column, may be ""). */
	const char *field[CSV_NCOLUMNS];
	long line; /* 1-based line number in the file, for messages */
};

struct csv_table {
	struct csv_row *rows;
	size_t nrows;
	unsigned char present[CSV_NCOLUMNS]; /* 1 if the header had the column */
	size_t skipped_lines;                /* malformed / interrupted lines */
	long first_skipped_line;             /* line number of the first, or 0 */
	char *text;                          /* owns every field string */
};

/* Reads `path`.  `required` lists the columns that must be present, ended by
 * CSV_NCOLUMNS (NULL = none).  0 on success; -1 with a one-line message in err
 * (unreadable file, empty file, missing or duplicated column, out of memory).
 * One warning line (the skipped lines, counted) goes to `warn` when it is
 * not NULL and the read succeeds. */
int csv_read_file(const char *path, const enum csv_column *required,
		  struct csv_table *out, FILE *warn, char *err, size_t errlen);

/* Same, from a string in memory; `name` is used in messages. */
int csv_read_text(const char *text, size_t len, const char *name,
		  const enum csv_column *required, struct csv_table *out,
		  FILE *warn, char *err, size_t errlen);

void csv_table_free(struct csv_table *t);

/* The field's text, or "NA" when the column is absent from the file. */
const char *csv_row_str(const struct csv_row *row, enum csv_column col);
/* 1 when the field is absent, empty or NA. */
int csv_row_is_na(const struct csv_row *row, enum csv_column col);
/* 0 and the number in *out; -1 (and NaN in *out) when absent, NA, empty or
 * not a number. */
int csv_row_double(const struct csv_row *row, enum csv_column col, double *out);
/* 0 and the value; -1 (and *out = 0) when absent, NA or not a whole number. */
int csv_row_u64(const struct csv_row *row, enum csv_column col, uint64_t *out);

/* The column with this header name, or -1. */
int csv_column_find(const char *name);

#endif
