/*
 * report/results.c — a results CSV cut into configurations and experiments
 * (layout and rules in results.h).  Pure computation after the read.
 */
#define _GNU_SOURCE /* strverscmp: uspr_1M < uspr_10M < uspr_100M, read=25 < read=100 */
#include "report/results.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/stats.h"

static const enum csv_column required_columns[] = {
	CSV_dataset, CSV_index, CSV_family, CSV_workload,
	CSV_mode,    CSV_threads, CSV_ns_per_op, CSV_valid, CSV_NCOLUMNS,
};

const char *row_text(const struct csv_row *row, enum csv_column col)
{
	return csv_row_is_na(row, col) ? "" : row->field[col];
}

long row_threads(const struct csv_row *row)
{
	uint64_t t;
	return csv_row_u64(row, CSV_threads, &t) ? 1 : (long)t;
}

static int compare_rows(const void *pa, const void *pb)
{
	const struct csv_row *a = *(const struct csv_row *const *)pa;
	const struct csv_row *b = *(const struct csv_row *const *)pb;
	static const enum csv_column text_keys[] = {
		CSV_dataset, CSV_workload, CSV_wparams, CSV_mode,
	};
	for (size_t i = 0; i < sizeof text_keys / sizeof *text_keys; i++) {
		int c = strverscmp(row_text(a, text_keys[i]), row_text(b, text_keys[i]));
		if (c)
			return c;
	}
	long ta = row_threads(a), tb = row_threads(b);
	if (ta != tb)
		return ta < tb ? -1 : 1;
	int c = strcmp(row_text(a, CSV_index), row_text(b, CSV_index));
	if (!c)
		c = strcmp(row_text(a, CSV_params), row_text(b, CSV_params));
	if (!c)
		c = (a->line > b->line) - (a->line < b->line);
	return c;
}

static int same_experiment(const struct csv_row *a, const struct csv_row *b)
{
	return !strcmp(row_text(a, CSV_dataset), row_text(b, CSV_dataset)) &&
	       !strcmp(row_text(a, CSV_workload), row_text(b, CSV_workload)) &&
	       !strcmp(row_text(a, CSV_wparams), row_text(b, CSV_wparams)) &&
	       !strcmp(row_text(a, CSV_mode), row_text(b, CSV_mode)) &&
	       row_threads(a) == row_threads(b);
}

int rows_same_config(const struct csv_row *a, const struct csv_row *b)
{
	return same_experiment(a, b) &&
	       !strcmp(row_text(a, CSV_index), row_text(b, CSV_index)) &&
	       !strcmp(row_text(a, CSV_params), row_text(b, CSV_params));
}

size_t config_values(const struct config *c, enum csv_column col, double *out)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nrows; i++) {
		double v;
		if (!csv_row_double(c->rows[i], col, &v))
			out[n++] = v;
	}
	return n;
}

double config_median(const struct config *c, enum csv_column col)
{
	double buf[c->nrows ? c->nrows : 1];
	size_t n = config_values(c, col, buf);
	return n ? stats_median(buf, n) : NAN;
}

static int valid_flag(const struct csv_row *row)
{
	uint64_t v;
	return !csv_row_u64(row, CSV_valid, &v) && v == 1;
}

/* The figures a measurement has: finite and not negative (NA where they do
 * not apply).  omenbench run never writes anything else, so a row that
 * does (-5 ns, inf Mops/s) was edited or corrupted: it is excluded and
 * counted, never averaged in. */
static const enum csv_column measured_columns[] = {
	CSV_ns_per_op, CSV_mops,     CSV_p50,      CSV_p90,       CSV_p99,
	CSV_p999,      CSV_max_ns,   CSV_read_ns,  CSV_write_ns,  CSV_read_p99,
	CSV_write_p99, CSV_scan_gbps, CSV_build_ns, CSV_NCOLUMNS,
};

/* The first column holding an impossible figure, or CSV_NCOLUMNS. */
static enum csv_column impossible_figure(const struct csv_row *row)
{
	for (const enum csv_column *c = measured_columns; *c != CSV_NCOLUMNS; c++) {
		double v;
		if (csv_row_is_na(row, *c))
			continue;
		if (csv_row_double(row, *c, &v) || !isfinite(v) || v < 0)
			return *c;
	}
	return CSV_NCOLUMNS;
}

void results_free(struct results *r)
{
	free(r->valid_rows);
	free(r->invalid_rows);
	free(r->configs);
	free(r->groups);
	csv_table_free(&r->table);
	memset(r, 0, sizeof *r);
}

/* Sorts every row into valid, invalid or impossible. */
static void classify_rows(struct results *r)
{
	for (size_t i = 0; i < r->table.nrows; i++) {
		const struct csv_row *row = &r->table.rows[i];
		enum csv_column bad;
		if (!valid_flag(row)) {
			r->invalid_rows[r->ninvalid++] = row;
		} else if ((bad = impossible_figure(row)) != CSV_NCOLUMNS) {
			if (!r->nimpossible++) {
				r->first_impossible = row;
				r->impossible_column = bad;
			}
		} else {
			r->valid_rows[r->nvalid++] = row;
		}
	}
	qsort(r->valid_rows, r->nvalid, sizeof *r->valid_rows, compare_rows);
	qsort(r->invalid_rows, r->ninvalid, sizeof *r->invalid_rows, compare_rows);
}

/* Cuts the sorted valid rows into configurations, then those into groups. */
static void cut_configs(struct results *r)
{
	for (size_t i = 0; i < r->nvalid;) {
		size_t j = i + 1;
		while (j < r->nvalid && rows_same_config(r->valid_rows[i], r->valid_rows[j]))
			j++;
		const struct csv_row *row = r->valid_rows[i];
		struct config *c = &r->configs[r->nconfigs++];
		c->dataset = row_text(row, CSV_dataset);
		c->workload = row_text(row, CSV_workload);
		c->wparams = row_text(row, CSV_wparams);
		c->mode = row_text(row, CSV_mode);
		c->index = row_text(row, CSV_index);
		c->family = row_text(row, CSV_family);
		c->params = row_text(row, CSV_params);
		c->threads = row_threads(row);
		c->rows = &r->valid_rows[i];
		c->nrows = j - i;
		double buf[c->nrows];
		c->n_ns = config_values(c, CSV_ns_per_op, buf);
		c->median_ns = c->n_ns ? stats_median(buf, c->n_ns) : NAN;
		i = j;
	}
	for (size_t i = 0; i < r->nconfigs;) {
		size_t j = i + 1;
		while (j < r->nconfigs &&
		       same_experiment(r->configs[i].rows[0], r->configs[j].rows[0]))
			j++;
		r->groups[r->ngroups++] = (struct group){i, j - i};
		i = j;
	}
}

int results_load(const char *path, struct results *r, FILE *warn, char *err,
		 size_t errlen)
{
	memset(r, 0, sizeof *r);
	if (csv_read_file(path, required_columns, &r->table, warn, err, errlen))
		return -1;
	size_t n = r->table.nrows ? r->table.nrows : 1;
	r->valid_rows = malloc(n * sizeof *r->valid_rows);
	r->invalid_rows = malloc(n * sizeof *r->invalid_rows);
	r->configs = malloc(n * sizeof *r->configs);
	r->groups = malloc(n * sizeof *r->groups);
	if (!r->valid_rows || !r->invalid_rows || !r->configs || !r->groups) {
		snprintf(err, errlen, "out of memory for %zu rows", n);
		results_free(r);
		return -1;
	}
	classify_rows(r);
	cut_configs(r);
	return 0;
}

const struct config *results_best(const struct results *r, const struct group *g,
				  const char *family, const char *index)
{
	const struct config *best = NULL;
	for (size_t i = g->first; i < g->first + g->count; i++) {
		const struct config *c = &r->configs[i];
		if (family && strcmp(c->family, family))
			continue;
		if (index && strcmp(c->index, index))
			continue;
		if (isnan(c->median_ns))
			continue;
		if (!best || c->median_ns < best->median_ns)
			best = c;
	}
	return best;
}

/* Is the item "key=value" (len bytes) the declared default? */
static int is_default_item(const char *item, size_t len, const struct param_def *defs)
{
	const char *eq = memchr(item, '=', len);
	if (!eq)
		return 0;
	size_t klen = (size_t)(eq - item), vlen = len - klen - 1;
	for (const struct param_def *d = defs; d && d->name; d++)
		if (strlen(d->name) == klen && !strncmp(d->name, item, klen))
			return strlen(d->def) == vlen && !strncmp(d->def, eq + 1, vlen);
	return 0;
}

void params_non_default(const char *params, const struct param_def *defs, char *out,
			size_t len)
{
	size_t used = 0;
	if (len)
		out[0] = 0;
	for (const char *p = params; *p;) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (!is_default_item(p, n, defs)) {
			int w = snprintf(out + used, len - used, "%s%.*s", used ? ":" : "", (int)n, p);
			if (w < 0 || (size_t)w >= len - used)
				return; /* cut short: the caller's buffer bounds a label */
			used += (size_t)w;
		}
		p += n + (end != NULL);
	}
}
