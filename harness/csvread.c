/*
 * harness/csvread.c — the results-CSV reader (see csvread.h).
 *
 * The whole file is read into one buffer; lines and fields are cut in place
 * (newlines and commas become NULs), so a row is just CSV_NCOLUMNS pointers
 * into that buffer.  The header decides which file position holds which
 * column; positions the reader does not know are dropped.
 */
#include "harness/csvread.h"
#include "common/message.h"

#include <errno.h>
#include <math.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

/* The one list of column names, shared with the writer. */
const char *const csv_column_names[CSV_NCOLUMNS] = {
#define CSV_NAME(name, help) #name,
	CSV_COLUMNS(CSV_NAME)
#undef CSV_NAME
};

int csv_column_find(const char *name)
{
	for (int c = 0; c < CSV_NCOLUMNS; c++)
		if (!strcmp(csv_column_names[c], name))
			return c;
	return -1;
}

static size_t count_fields(const char *line)
{
	size_t n = 1;
	for (; *line; line++)
		n += *line == ',';
	return n;
}

/* Cuts `line` at its commas, storing up to max field starts in fields[]. */
static size_t split_fields(char *line, char **fields, size_t max)
{
	size_t n = 0;
	fields[n++] = line;
	for (char *p = line; *p; p++) {
		if (*p == ',') {
			*p = 0;
			if (n < max)
				fields[n] = p + 1;
			n++;
		}
	}
	return n;
}

void csv_table_free(struct csv_table *t)
{
	free(t->rows);
	free(t->text);
	memset(t, 0, sizeof *t);
}

/* What the reader keeps between lines: the header's layout and the first
 * malformed line, for the one warning. */
struct csv_parse {
	const char *name;
	int *column_at;       /* file position -> column id or -1 */
	char **fields;        /* scratch for one line's field starts */
	size_t header_fields;
	char *header_copy;    /* the header text, to spot a repeated header */
	size_t first_bad_fields;
	int first_bad_terminated;
};

static void csv_parse_free(struct csv_parse *ps)
{
	free(ps->column_at);
	free(ps->fields);
	free(ps->header_copy);
}

/* Maps the header's positions to columns; -1 with err on a repeated column
 * or no memory. */
static int read_header(struct csv_parse *ps, char *line, long line_no,
		       struct csv_table *out, char *err, size_t errlen)
{
	ps->header_fields = count_fields(line);
	ps->header_copy = strdup(line);
	ps->column_at = malloc(ps->header_fields * sizeof *ps->column_at);
	ps->fields = malloc(ps->header_fields * sizeof *ps->fields);
	if (!ps->header_copy || !ps->column_at || !ps->fields) {
		snprintf(err, errlen, "%s: out of memory", ps->name);
		return -1;
	}
	split_fields(line, ps->fields, ps->header_fields);
	for (size_t i = 0; i < ps->header_fields; i++) {
		int c = csv_column_find(ps->fields[i]);
		ps->column_at[i] = c;
		if (c < 0)
			continue;
		if (out->present[c]) {
			snprintf(err, errlen, "%s:%ld: column '%s' appears twice in the header",
				 ps->name, line_no, ps->fields[i]);
			return -1;
		}
		out->present[c] = 1;
	}
	return 0;
}

/* One data line: a row, or counted as skipped when its field count is off. */
static void read_row(struct csv_parse *ps, char *line, long line_no, int terminated,
		     struct csv_table *out)
{
	if (!strcmp(line, ps->header_copy))
		return; /* a second file's header */
	size_t n = count_fields(line);
	if (n != ps->header_fields) {
		if (!out->skipped_lines) {
			out->first_skipped_line = line_no;
			ps->first_bad_fields = n;
			ps->first_bad_terminated = terminated;
		}
		out->skipped_lines++;
		return;
	}
	split_fields(line, ps->fields, ps->header_fields);
	struct csv_row *row = &out->rows[out->nrows++];
	row->line = line_no;
	for (size_t i = 0; i < ps->header_fields; i++)
		if (ps->column_at[i] >= 0)
			row->field[ps->column_at[i]] = ps->fields[i];
}

/* -1 with every missing required column named in err. */
static int check_required(const struct csv_table *out, const enum csv_column *required,
			  const char *name, char *err, size_t errlen)
{
	char missing[512] = "";
	size_t used = 0;
	int nmissing = 0;
	for (const enum csv_column *r = required; r && *r != CSV_NCOLUMNS; r++) {
		if (out->present[*r])
			continue;
		nmissing++;
		int w = snprintf(missing + used, sizeof missing - used, "%s%s",
				 used ? " " : "", csv_column_names[*r]);
		if (w > 0 && (size_t)w < sizeof missing - used)
			used += (size_t)w;
	}
	if (!nmissing)
		return 0;
	snprintf(err, errlen, "%s: missing required column%s: %s", name,
		 nmissing > 1 ? "s" : "", missing);
	return -1;
}

/* One warning for all the skipped lines: a garbage file must not bury the
 * outcome under a line per line. */
static void warn_skipped(const struct csv_parse *ps, const struct csv_table *out, FILE *warn)
{
	if (!warn || !out->skipped_lines)
		return;
	if (out->skipped_lines == 1)
		fprintf(warn, "%s:%ld: warning: %s (%zu fields, header has %zu); line skipped\n",
			ps->name, out->first_skipped_line,
			ps->first_bad_terminated ? "malformed line" : "interrupted last line",
			ps->first_bad_fields, ps->header_fields);
	else
		fprintf(warn, "%s: warning: %zu malformed or interrupted lines skipped (the first, "
			"line %ld, has %zu fields; the header has %zu)\n",
			ps->name, out->skipped_lines, out->first_skipped_line,
			ps->first_bad_fields, ps->header_fields);
}

int csv_read_text(const char *src, size_t len, const char *name,
		  const enum csv_column *required, struct csv_table *out,
		  FILE *warn, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	struct csv_parse ps = { .name = name, .first_bad_terminated = 1 };
	char *text = malloc(len + 1);
	if (!text)
		goto no_memory;
	memcpy(text, src, len);
	text[len] = 0;
	out->text = text;

	/* Upper bound on rows: the number of newlines plus one. */
	size_t max_rows = 1;
	for (size_t i = 0; i < len; i++)
		max_rows += text[i] == '\n';
	out->rows = calloc(max_rows, sizeof *out->rows);
	if (!out->rows)
		goto no_memory;

	long line_no = 0;
	for (char *p = text, *end = text + len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *line = p;
		if (nl)
			*nl = 0;
		p = nl ? nl + 1 : end;
		line_no++;
		size_t ll = strlen(line);
		if (ll && line[ll - 1] == '\r')
			line[--ll] = 0;
		if (ll == 0)
			continue;
		if (!ps.column_at) {
			if (read_header(&ps, line, line_no, out, err, errlen) < 0)
				goto fail;
		} else {
			read_row(&ps, line, line_no, nl != NULL, out);
		}
	}
	if (!ps.column_at) {
		snprintf(err, errlen, "%s: empty file (no header line)", name);
		goto fail;
	}
	if (check_required(out, required, name, err, errlen) < 0)
		goto fail;
	warn_skipped(&ps, out, warn);
	csv_parse_free(&ps);
	return 0;
no_memory:
	snprintf(err, errlen, "%s: out of memory", name);
fail:
	csv_parse_free(&ps);
	csv_table_free(out);
	return -1;
}

int csv_read_file(const char *path, const enum csv_column *required,
		  struct csv_table *out, FILE *warn, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	char shown[SHOWN_NAME_LEN];
	const char *name = shown_name(path, shown, sizeof shown);
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", name);
		fclose(f);
		return -1;
	}
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	if (!buf) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	for (;;) {
		if (len == cap) {
			char *bigger = realloc(buf, cap * 2);
			if (!bigger) {
				free(buf);
				fclose(f);
				snprintf(err, errlen, "%s: out of memory", name);
				return -1;
			}
			buf = bigger;
			cap *= 2;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	int read_error = ferror(f);
	fclose(f);
	if (read_error) {
		free(buf);
		snprintf(err, errlen, "%s: read error", name);
		return -1;
	}
	int rc = csv_read_text(buf, len, name, required, out, warn, err, errlen);
	free(buf);
	return rc;
}

const char *csv_row_str(const struct csv_row *row, enum csv_column col)
{
	const char *s = row->field[col];
	return s ? s : "NA";
}

int csv_row_is_na(const struct csv_row *row, enum csv_column col)
{
	const char *s = row->field[col];
	return !s || !*s || !strcmp(s, "NA");
}

int csv_row_double(const struct csv_row *row, enum csv_column col, double *out)
{
	*out = NAN;
	if (csv_row_is_na(row, col))
		return -1;
	const char *s = row->field[col];
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || *end || errno == ERANGE || isnan(v))
		return -1;
	*out = v;
	return 0;
}

int csv_row_u64(const struct csv_row *row, enum csv_column col, uint64_t *out)
{
	*out = 0;
	if (csv_row_is_na(row, col))
		return -1;
	const char *s = row->field[col];
	if (*s < '0' || *s > '9')
		return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || errno == ERANGE)
		return -1;
	*out = v;
	return 0;
}
