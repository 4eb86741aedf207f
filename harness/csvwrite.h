/* harness/csvwrite.h — appending to the results CSV (schema in csv.h). */
#ifndef OMENBENCH_CSVWRITE_H
#define OMENBENCH_CSVWRITE_H

#include <stddef.h>
#include <stdio.h>

/* Opens path for appending rows; writes the header when the file is new or
 * empty; refuses a file whose header differs.  NULL + err on failure. */
FILE *csv_open_append(const char *path, char *err, size_t errlen);
/* The header line (column names joined by commas, no newline). */
void csv_header(char *buf, size_t len);

#endif
