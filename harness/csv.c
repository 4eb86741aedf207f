/* harness/csv.c — opening the results CSV for appending (see csv.h). */
#include "csv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "csvwrite.h"

/* csv_column_names is defined once, in harness/csvread.c. */

void csv_header(char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = 0;
	for (int c = 0; c < CSV_NCOLUMNS && used < len; c++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", c ? "," : "",
					 csv_column_names[c]);
}

FILE *csv_open_append(const char *path, char *err, size_t errlen)
{
	char header[2048];
	csv_header(header, sizeof header);
	FILE *f = fopen(path, "a+");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open for appending: %s", path, strerror(errno));
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	if (size <= 0) {
		fprintf(f, "%s\n", header);
		fflush(f);
		return f;
	}
	/* An existing file must have our header, or rows would be misread. */
	char first[2048] = "";
	rewind(f);
	if (!fgets(first, sizeof first, f))
		first[0] = 0;
	first[strcspn(first, "\r\n")] = 0;
	if (strcmp(first, header)) {
		snprintf(err, errlen, "%s: has a different header (another omenbench version?); "
			 "write to a new file", path);
		fclose(f);
		return NULL;
	}
	/* An interrupted run may have left half a line: end it so our rows
	 * start on a line of their own (the reader skips the fragment). */
	fseek(f, -1, SEEK_END);
	int last = fgetc(f);
	fseek(f, 0, SEEK_END);
	if (last != '\n')
		fputc('\n', f);
	fflush(f);
	return f;
}
