/*
 * harness/report.c — `omenbench report`: REPORT.md from the results CSV.
 *
 * Data layout: the CSV is read into rows of strings (csvread.h).  Rows that
 * were checked and right (valid=1) are sorted by
 * (dataset, workload, wparams, mode, threads, index, params) and cut into
 * CONFIGURATIONS — one index configuration on one experiment, holding its
 * repetitions — and GROUPS — the run of configurations that share
 * (dataset, workload, wparams, mode, threads), i.e. one experiment every
 * index ran.  All tables are built from those two arrays.
 *
 * Statistics: a configuration's figure is the median over its repetitions;
 * "best" for an index or a family is the configuration with the lowest
 * median ns per operation (highest median Mops/s for throughput tables).
 * Speed-up intervals are percentile-bootstrap intervals of the ratio of
 * medians (stats.h), B = 10000 resamples with a fixed seed, so the report
 * is deterministic.
 */
#define _GNU_SOURCE /* strverscmp: uspr_1M < uspr_10M < uspr_100M, read=25 < read=100 */
#include "harness/report.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/csvread.h"
#include "indexes/index.h"
#include "common/message.h"
#include "common/outfile.h"
#include "harness/stats.h"
#include "workloads/workload.h"

#define CI_LEVEL 0.95
#define CI_MIN_REPS 3 /* below this a bootstrap interval means nothing */

/* Minimum-viable and competitive thresholds for the thresholds table. */
#define VIABLE_MOPS 0.1
#define COMPETITIVE_MOPS 1.0
#define VIABLE_P99_NS 10e6
#define COMPETITIVE_P99_NS 1e6
#define VIABLE_SCAN_GBPS 1.0
#define COMPETITIVE_SCAN_GBPS 10.0

struct report_options {
	const char *csv_path;
	const char *out_path;
	const char *plots_dir;
	const char *sosd_path;
	const char *sosd_published_path;
};

/* ---------------------------------------------------------------- layout */

/* One index configuration on one experiment, with its valid repetitions. */
struct config {
	const char *dataset, *workload, *wparams, *mode, *index, *family,
		*params;
	long threads;
	const struct csv_row **rows;
	size_t nrows;
	double median_ns; /* NaN when no repetition has a number */
	size_t n_ns;      /* repetitions with a number */
};

/* The configurations [first, first + count) share one experiment. */
struct group {
	size_t first, count;
};

struct results {
	struct csv_table table;
	const struct csv_row **valid_rows; /* sorted; configs point into it */
	size_t nvalid;
	const struct csv_row **invalid_rows;
	size_t ninvalid;
	size_t nimpossible; /* valid=1 rows with an impossible figure */
	const struct csv_row *first_impossible;
	enum csv_column impossible_column; /* the first's bad column */
	struct config *configs;
	size_t nconfigs;
	struct group *groups;
	size_t ngroups;
};

static const enum csv_column required_columns[] = {
	CSV_dataset, CSV_index, CSV_family, CSV_workload,
	CSV_mode,    CSV_threads, CSV_ns_per_op, CSV_valid, CSV_NCOLUMNS,
};

/* Text of a field with "NA" and absence read as "": wparams and params are
 * often empty and must compare equal whichever way they were written. */
static const char *text_of(const struct csv_row *row, enum csv_column col)
{
	return csv_row_is_na(row, col) ? "" : row->field[col];
}

static long threads_of(const struct csv_row *row)
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
		int c = strverscmp(text_of(a, text_keys[i]),
				   text_of(b, text_keys[i]));
		if (c)
			return c;
	}
	long ta = threads_of(a), tb = threads_of(b);
	if (ta != tb)
		return ta < tb ? -1 : 1;
	int c = strcmp(text_of(a, CSV_index), text_of(b, CSV_index));
	if (!c)
		c = strcmp(text_of(a, CSV_params), text_of(b, CSV_params));
	if (!c)
		c = (a->line > b->line) - (a->line < b->line);
	return c;
}

static int same_experiment(const struct csv_row *a, const struct csv_row *b)
{
	return !strcmp(text_of(a, CSV_dataset), text_of(b, CSV_dataset)) &&
	       !strcmp(text_of(a, CSV_workload), text_of(b, CSV_workload)) &&
	       !strcmp(text_of(a, CSV_wparams), text_of(b, CSV_wparams)) &&
	       !strcmp(text_of(a, CSV_mode), text_of(b, CSV_mode)) &&
	       threads_of(a) == threads_of(b);
}

static int same_config(const struct csv_row *a, const struct csv_row *b)
{
	return same_experiment(a, b) &&
	       !strcmp(text_of(a, CSV_index), text_of(b, CSV_index)) &&
	       !strcmp(text_of(a, CSV_params), text_of(b, CSV_params));
}

/* The non-NA values of one column over a configuration's repetitions;
 * `out` must hold c->nrows doubles.  Returns how many. */
static size_t config_values(const struct config *c, enum csv_column col,
			    double *out)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nrows; i++) {
		double v;
		if (!csv_row_double(c->rows[i], col, &v))
			out[n++] = v;
	}
	return n;
}

/* Median over repetitions of one column; NaN when none has a number. */
static double config_median(const struct config *c, enum csv_column col)
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

static void results_free(struct results *r)
{
	free(r->valid_rows);
	free(r->invalid_rows);
	free(r->configs);
	free(r->groups);
	csv_table_free(&r->table);
}

/* Reads and organises one CSV.  0, or -1 with a message on stderr. */
static int results_load(const char *path, struct results *r)
{
	char err[512];
	memset(r, 0, sizeof *r);
	if (csv_read_file(path, required_columns, &r->table, stderr, err,
			  sizeof err)) {
		fprintf(stderr, "omenbench report: %s\n", err);
		return -1;
	}
	size_t n = r->table.nrows;
	r->valid_rows = malloc((n ? n : 1) * sizeof *r->valid_rows);
	r->invalid_rows = malloc((n ? n : 1) * sizeof *r->invalid_rows);
	r->configs = malloc((n ? n : 1) * sizeof *r->configs);
	r->groups = malloc((n ? n : 1) * sizeof *r->groups);
	if (!r->valid_rows || !r->invalid_rows || !r->configs || !r->groups) {
		fprintf(stderr, "omenbench report: out of memory\n");
		results_free(r);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
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
	if (r->nimpossible) {
		char shown[SHOWN_NAME_LEN];
		fprintf(stderr, "omenbench report: %s: warning: %zu row%s with valid=1 excluded for "
				"impossible figures (the first, line %ld: %s=%s)\n",
			shown_name(path, shown, sizeof shown), r->nimpossible,
			r->nimpossible == 1 ? "" : "s", r->first_impossible->line,
			csv_column_names[r->impossible_column],
			csv_row_str(r->first_impossible, r->impossible_column));
	}
	qsort(r->valid_rows, r->nvalid, sizeof *r->valid_rows, compare_rows);
	qsort(r->invalid_rows, r->ninvalid, sizeof *r->invalid_rows,
	      compare_rows);

	for (size_t i = 0; i < r->nvalid;) {
		size_t j = i + 1;
		while (j < r->nvalid &&
		       same_config(r->valid_rows[i], r->valid_rows[j]))
			j++;
		const struct csv_row *row = r->valid_rows[i];
		struct config *c = &r->configs[r->nconfigs++];
		c->dataset = text_of(row, CSV_dataset);
		c->workload = text_of(row, CSV_workload);
		c->wparams = text_of(row, CSV_wparams);
		c->mode = text_of(row, CSV_mode);
		c->index = text_of(row, CSV_index);
		c->family = text_of(row, CSV_family);
		c->params = text_of(row, CSV_params);
		c->threads = threads_of(row);
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
		       same_experiment(r->configs[i].rows[0],
				       r->configs[j].rows[0]))
			j++;
		r->groups[r->ngroups++] = (struct group){i, j - i};
		i = j;
	}
	return 0;
}

/* ------------------------------------------------------------ formatting */

/* Markdown table cells must not contain '|' or newlines. */
static void put_cell(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '|' || *s == '\n' ? '/' : *s, f);
}

/* `name`, or "-" for an empty field. */
static void put_code(FILE *f, const char *s)
{
	if (!*s) {
		fputs("-", f);
		return;
	}
	fputc('`', f);
	put_cell(f, s);
	fputc('`', f);
}

/* Numbers with about three significant digits; "NA" for NaN. */
static const char *fmt_num(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "NA");
	else if (fabs(v) >= 1e6)
		snprintf(buf, len, "%.3g", v);
	else if (fabs(v) >= 100)
		snprintf(buf, len, "%.0f", v);
	else if (fabs(v) >= 10)
		snprintf(buf, len, "%.1f", v);
	else if (fabs(v) >= 1)
		snprintf(buf, len, "%.2f", v);
	else
		snprintf(buf, len, "%.3g", v);
	return buf;
}

#define NUM(v) fmt_num((char[32]){0}, 32, (v))

/* Speed-up ratios always with two decimals, so columns line up. */
static const char *fmt_ratio(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "NA");
	else if (v >= 0.01)
		snprintf(buf, len, "%.2fx", v);
	else
		snprintf(buf, len, "%.2gx", v);
	return buf;
}

#define RATIO(v) fmt_ratio((char[32]){0}, 32, (v))

/* The k=v items of `params` whose value differs from the registry's
 * default (all of them when `defs` is NULL), ':'-separated, between `open`
 * and `close` when there is any: full default strings would bury what
 * distinguishes one configuration from another. */
static void put_non_default(FILE *f, const char *params, const struct param_def *defs,
			    const char *open, const char *close)
{
	int wrote = 0;
	for (const char *p = params; *p;) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		int is_default = 0;
		for (const struct param_def *d = defs; eq && d && d->name; d++) {
			size_t klen = (size_t)(eq - p), vlen = len - klen - 1;
			is_default |= strlen(d->name) == klen && !strncmp(d->name, p, klen) &&
				      strlen(d->def) == vlen && !strncmp(d->def, eq + 1, vlen);
		}
		if (!is_default) {
			fputs(wrote ? ":" : open, f);
			for (size_t i = 0; i < len; i++)
				fputc(p[i] == '|' || p[i] == '\n' ? '/' : p[i], f);
			wrote = 1;
		}
		p += len + (end != NULL);
	}
	if (wrote)
		fputs(close, f);
}

static void put_workload(FILE *f, const struct config *c)
{
	const struct workload *w = workload_find(c->workload);
	fputc('`', f);
	put_cell(f, c->workload);
	put_non_default(f, c->wparams, w ? w->params : NULL, ":", "");
	fputc('`', f);
}

static void put_index(FILE *f, const struct config *c)
{
	const struct index_ops *ops = index_find(c->index);
	put_code(f, c->index);
	put_non_default(f, c->params, ops ? ops->params : NULL, " (", ")");
}

/* ------------------------------------------------------------ selection */

/* The configuration of `family` (or of `index` when index != NULL) with the
 * lowest median ns in a group; NULL when none has a number. */
static const struct config *best_of(const struct results *r,
				    const struct group *g, const char *family,
				    const char *index)
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

static int is_batch(const struct config *c)
{
	return !strcmp(c->mode, "batch");
}

static int is_latency_mode(const struct config *c)
{
	return !strcmp(c->mode, "sampled") || !strcmp(c->mode, "dependent");
}

/* Workloads a hash table is compared on: no scans. */
static int is_point_workload(const char *w)
{
	return !strstr(w, "range") && !strstr(w, "scan");
}

/* Time-series data by the naming rule of datasets/: the generators' ts_*
 * sets, and real ones named NAME_ts_SIZE (SOSD's wiki_ts, flights_ts). */
static int is_time_series_data(const char *dataset)
{
	return !strncmp(dataset, "ts_", 3) || strstr(dataset, "_ts_") != NULL;
}

/* What a workload is comes from its registry entry, never from its name. */
static int is_sequential(const struct config *c)
{
	const struct workload *w = workload_find(c->workload);
	return (w && w->sequential) || is_time_series_data(c->dataset);
}

/* Writes, or lookups on an index grown by inserts (point-grown). */
static int is_write_workload(const char *name)
{
	const struct workload *w = workload_find(name);
	return w && (w->writes || (w->needs & IX_CAP_INSERT));
}

/* A speed-up of `fast` over `slow`: median(slow ns) / median(fast ns). */
struct comparison {
	const struct config *fast, *slow;
	double ratio;
	struct stats_ci ci; /* NaN bounds when either side has < CI_MIN_REPS */
	int within_build;   /* a side ran on one build: the interval covers
			     * repetitions only, not rebuilding the index */
	int pooled;         /* a side's rows come from separate runs */
};

/* The build a row ran on (the `build` column); 1 in CSVs without it. */
static long build_of(const struct csv_row *row)
{
	uint64_t b;
	return csv_row_u64(row, CSV_build, &b) ? 1 : (long)b;
}

/* ns values and their builds, as config_values. */
static size_t config_values_by_build(const struct config *c, double *out, long *build)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nrows; i++) {
		double v;
		if (!csv_row_double(c->rows[i], CSV_ns_per_op, &v)) {
			build[n] = build_of(c->rows[i]);
			out[n++] = v;
		}
	}
	return n;
}

static size_t distinct_builds(const long *build, size_t n)
{
	size_t d = 0;
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < i && build[j] != build[i])
			j++;
		d += j == i;
	}
	return d;
}

/* Rows of one configuration from separate runs (two stages, two commands)
 * repeat a (build, rep) pair: pooling them treats them as one sample. */
static int config_pooled(const struct config *c)
{
	for (size_t i = 0; i < c->nrows; i++)
		for (size_t j = 0; j < i; j++)
			if (build_of(c->rows[i]) == build_of(c->rows[j]) &&
			    !strcmp(text_of(c->rows[i], CSV_rep), text_of(c->rows[j], CSV_rep)))
				return 1;
	return 0;
}

static void compare(const struct config *fast, const struct config *slow,
		    struct comparison *out)
{
	out->fast = fast;
	out->slow = slow;
	out->ratio = slow->median_ns / fast->median_ns;
	out->ci.estimate = out->ratio;
	out->ci.lo = out->ci.hi = NAN;
	out->pooled = config_pooled(fast) || config_pooled(slow);
	double a[slow->nrows], b[fast->nrows];
	long ga[slow->nrows], gb[fast->nrows];
	size_t na = config_values_by_build(slow, a, ga);
	size_t nb = config_values_by_build(fast, b, gb);
	out->within_build = distinct_builds(ga, na) < 2 || distinct_builds(gb, nb) < 2;
	if (na < CI_MIN_REPS || nb < CI_MIN_REPS)
		return;
	int failed = out->within_build
		? stats_bootstrap_ratio(a, na, b, nb, STATS_BOOTSTRAP_B, CI_LEVEL,
					STATS_BOOTSTRAP_SEED, &out->ci)
		: stats_bootstrap_ratio_nested(a, ga, na, b, gb, nb, STATS_BOOTSTRAP_B,
					       CI_LEVEL, STATS_BOOTSTRAP_SEED, &out->ci);
	if (failed) {
		out->ci.lo = out->ci.hi = NAN;
		out->ci.estimate = out->ratio;
	}
}

static void put_range_ns(FILE *f, const struct config *c)
{
	double buf[c->nrows];
	size_t n = config_values(c, CSV_ns_per_op, buf);
	fprintf(f, "%s [%s-%s]", NUM(c->median_ns), NUM(stats_min(buf, n)),
		NUM(stats_max(buf, n)));
}

static void put_ci(FILE *f, const struct stats_ci *ci)
{
	if (isnan(ci->lo))
		fprintf(f, "NA (<%d reps)", CI_MIN_REPS);
	else
		fprintf(f, "[%.2f, %.2f]", ci->lo, ci->hi);
}

/* An interval with what it covers: across builds, or within one only. */
static void put_comparison_ci(FILE *f, const struct comparison *c)
{
	put_ci(f, &c->ci);
	if (isnan(c->ci.lo))
		return;
	fputs(c->within_build ? " within one build" : " across builds", f);
	if (c->pooled)
		fputs(", pooled from separate runs", f);
}

/* ---------------------------------------------------------------- sections */

/* Distinct values of one column over all rows, with counts. */
static void put_distinct(FILE *f, const struct results *r, enum csv_column col,
			 const char *label)
{
	const char *seen[16];
	size_t count[16], nseen = 0, more = 0;
	for (size_t i = 0; i < r->table.nrows; i++) {
		const char *v = csv_row_str(&r->table.rows[i], col);
		size_t k = 0;
		while (k < nseen && strcmp(seen[k], v))
			k++;
		if (k < nseen) {
			count[k]++;
		} else if (nseen < 16) {
			seen[nseen] = v;
			count[nseen++] = 1;
		} else {
			more++;
		}
	}
	fprintf(f, "- %s: ", label);
	for (size_t k = 0; k < nseen; k++) {
		fprintf(f, "%s", k ? "; " : "");
		put_code(f, seen[k]);
		if (nseen > 1)
			fprintf(f, " (%zu rows)", count[k]);
	}
	if (more)
		fprintf(f, "; and %zu rows with other values", more);
	if (nseen > 1)
		fprintf(f, " — **rows come from more than one %s**", label);
	fputc('\n', f);
}

static void section_machine(FILE *f, const struct results *r)
{
	fprintf(f, "## Machine\n\n");
	put_distinct(f, r, CSV_cpu, "cpu");
	put_distinct(f, r, CSV_host, "host");
	put_distinct(f, r, CSV_compiler, "compiler");
	put_distinct(f, r, CSV_cflags, "cflags");
	put_distinct(f, r, CSV_tsc_hz, "tsc_hz");
	put_distinct(f, r, CSV_llc, "last-level cache");
	put_distinct(f, r, CSV_commit, "commit");
	const char *first = NULL, *last = NULL;
	for (size_t i = 0; i < r->table.nrows; i++) {
		const struct csv_row *row = &r->table.rows[i];
		if (csv_row_is_na(row, CSV_timestamp))
			continue;
		const char *t = row->field[CSV_timestamp];
		if (!first || strcmp(t, first) < 0)
			first = t;
		if (!last || strcmp(t, last) > 0)
			last = t;
	}
	fprintf(f, "- rows written: %s to %s\n\n", first ? first : "NA",
		last ? last : "NA");
}

/* Parses sysfs's "32768K" / "8M"; 0 when unknown. */
static double cache_bytes(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || v <= 0)
		return 0;
	return v * (*end == 'K' ? 1024.0 : *end == 'M' ? 1048576.0 : *end == 'G' ? 1073741824.0 : 1.0);
}

/* What limits the figures: one machine, data against its cache, library
 * builds, operation counts. */
static void section_caveats(FILE *f, const struct results *r)
{
	fprintf(f, "## Caveats\n\n");
	fprintf(f, "- **One machine.** Every figure comes from the machine in the "
		   "*Machine* section below; ratios are measured within one run, "
		   "absolute nanoseconds do not transfer to another processor.\n");
	/* Each data set's keys and values (16 bytes a key) against the
	 * largest last-level cache any row reports. */
	double llc = 0;
	for (size_t i = 0; i < r->nvalid; i++) {
		double b = cache_bytes(text_of(r->valid_rows[i], CSV_llc));
		llc = b > llc ? b : llc;
	}
	fprintf(f, "- **Data against the cache.** ");
	if (!llc)
		fprintf(f, "The rows do not record the last-level cache (a CSV "
			   "older than the `llc` column): compare each data set's "
			   "size with `lscpu` on the machine that ran it.");
	else
		fprintf(f, "Last-level cache %.0f MiB.", llc / 1048576.0);
	const char *seen[64];
	size_t nseen = 0;
	for (size_t i = 0; i < r->nvalid && nseen < 64; i++) {
		const char *d = text_of(r->valid_rows[i], CSV_dataset);
		size_t k = 0;
		while (k < nseen && strcmp(seen[k], d))
			k++;
		if (k < nseen)
			continue;
		seen[nseen++] = d;
		uint64_t n;
		if (csv_row_u64(r->valid_rows[i], CSV_n_keys, &n))
			continue;
		double bytes = (double)n * 16;
		fprintf(f, " `%s`: %.0f MiB of keys and values", d, bytes / 1048576.0);
		if (llc)
			fprintf(f, " (%.1fx the cache%s)", bytes / llc,
				bytes < 4 * llc ? ": largely cache-resident" : "");
		fputc(';', f);
	}
	fprintf(f, "\n");
	int rocksdb = 0;
	for (size_t i = 0; i < r->nvalid && !rocksdb; i++)
		rocksdb = !strcmp(text_of(r->valid_rows[i], CSV_index), "rocksdb");
	if (rocksdb)
		fprintf(f, "- **RocksDB** is Debian's shared library, built with "
			   "assertions (`nm -D /usr/lib/x86_64-linux-gnu/librocksdb.so | "
			   "grep __assert_fail`), not a release build tuned for speed.\n");
	fprintf(f, "- **Operation counts.** Engines run fewer operations than "
		   "in-memory indexes in the same experiment (microseconds each); "
		   "decision rows whose two sides ran different counts do not "
		   "decide, and the engine and hash tables mark such rows.\n");
	fprintf(f, "- **Selection.** The best of several configurations is "
		   "taken for each side; the intervals do not correct for that "
		   "choice, and both sides must have run their sweeps for a row "
		   "to decide.\n\n");
}

static void section_method(FILE *f, const struct results *r)
{
	size_t min_reps = SIZE_MAX, max_reps = 0;
	for (size_t i = 0; i < r->nconfigs; i++) {
		size_t n = r->configs[i].n_ns;
		if (!n)
			continue;
		min_reps = n < min_reps ? n : min_reps;
		max_reps = n > max_reps ? n : max_reps;
	}
	fprintf(f, "## Method\n\n");
	fprintf(f,
		"- **Batch mode**: a repetition times the whole batch of operations; "
		"`ns_per_op` = wall time of the batch / operations (all threads). "
		"**Sampled/dependent modes** time single operations and give the "
		"percentiles p50/p99/p99.9.\n");
	if (max_reps)
		fprintf(f,
			"- **Repetitions**: %zu to %zu per configuration. Every figure "
			"is the **median** over repetitions; `[a-b]` is the min-max "
			"range over repetitions.\n",
			min_reps, max_reps);
	else
		fprintf(f, "- **Repetitions**: none with a measurement.\n");
	fprintf(f,
		"- **Best configuration**: each index may run with several parameter "
		"settings; the best is the one with the lowest median ns per "
		"operation (highest median Mops/s in throughput tables). Choosing "
		"the best of several settings favours indexes with more settings "
		"tried; the intervals below do not correct for that selection.\n");
	fprintf(f,
		"- **Speed-up** = median ns of the slower side / median ns of the "
		"faster side. **95%% CI**: percentile bootstrap of that ratio of "
		"medians, each side resampled independently, B = %d resamples, "
		"fixed seed (deterministic); NA when a side has fewer than %d "
		"repetitions. Where both sides ran on several builds (`run "
		"--builds`, the indexes interleaved in a new order each round; "
		"write workloads rebuild every repetition) the bootstrap is "
		"two-stage, builds then repetitions within a drawn build, so the "
		"interval covers rebuilding the index and the moment it ran; "
		"*within one build* marks an interval that covers back-to-back "
		"repetitions of one build only, which understates the spread "
		"between runs. *pooled from separate runs* marks a configuration "
		"whose rows come from more than one command or stage.\n",
		STATS_BOOTSTRAP_B, CI_MIN_REPS);
	fprintf(f,
		"- **Valid**: a row counts only when `valid` = 1, i.e. every answer "
		"of the repetition was checked against the expected result and "
		"was right. Other rows are excluded and listed under *Excluded "
		"rows*.\n");
	fprintf(f,
		"- **Families**: `learned` (learned indexes), `tree` (B-tree family), "
		"`hash`, `engine` (embedded storage engines), `baseline` (binary "
		"search on the sorted array), `trie`.\n\n");
}

static void section_datasets(FILE *f, const struct results *r)
{
	fprintf(f, "## Data sets\n\n| data set | n_keys | valid rows |\n|---|---:|---:|\n");
	for (size_t i = 0; i < r->nvalid;) {
		const char *d = text_of(r->valid_rows[i], CSV_dataset);
		const char *n = csv_row_str(r->valid_rows[i], CSV_n_keys);
		size_t j = i;
		while (j < r->nvalid &&
		       !strcmp(text_of(r->valid_rows[j], CSV_dataset), d))
			j++;
		fprintf(f, "| ");
		put_code(f, d);
		fprintf(f, " | %s | %zu |\n", n, j - i);
		i = j;
	}
	fputc('\n', f);
}

/* One table: best learned vs best of `other_family` per batch experiment.
 * Fills *best (largest CI lower end, then ratio) when verdict is wanted. */
/* The three questions of the rule, in the order it asks them. */
enum question { Q_TIME_SERIES, Q_READS, Q_WRITES, NQUESTIONS };

static const char *const question_title[NQUESTIONS] = {
	"time-series / sequential keys",
	"read-only lookups",
	"writes and lookups after writes",
};

static enum question question_of(const struct config *c)
{
	if (is_sequential(c))
		return Q_TIME_SERIES;
	return is_write_workload(c->workload) ? Q_WRITES : Q_READS;
}

/* The opponent: ordered structures that learn nothing (B-trees, tries,
 * binary and interpolation search), the learned indexes' real rivals. */
static int is_ordered_non_learned(const char *family)
{
	return !strcmp(family, "tree") || !strcmp(family, "trie") ||
	       !strcmp(family, "baseline");
}

/* The best configuration among the families `want` accepts. */
static const struct config *best_where(const struct results *r,
				       const struct group *g,
				       int (*want)(const char *family))
{
	const struct config *best = NULL;
	for (size_t i = g->first; i < g->first + g->count; i++) {
		const struct config *c = &r->configs[i];
		if (!want(c->family) || isnan(c->median_ns))
			continue;
		if (!best || c->median_ns < best->median_ns)
			best = c;
	}
	return best;
}

/* Was `c`'s index tuned in this experiment?  Yes when the index has no
 * parameter sweep (nothing to tune) or more than one of its configurations
 * ran; no when only one ran although a sweep exists. */
static int was_tuned(const struct results *r, const struct group *g,
		     const struct config *c)
{
	const struct index_ops *ops = index_find(c->index);
	if (!ops || !ops->sweep)
		return 1;
	size_t configs = 0;
	for (size_t i = g->first; i < g->first + g->count; i++)
		configs += !strcmp(r->configs[i].index, c->index);
	return configs > 1;
}

/* One experiment's decision: the best learned configuration against the
 * best ordered non-learned one, the best hash table beside. */
struct decision {
	const struct config *learned, *ordered, *hash;
	struct comparison cmp; /* learned over ordered */
	const char *undecided; /* why the row cannot decide, or NULL */
	int decides;           /* both sides tuned, equal operation counts */
	int pass;              /* decides, and ratio and CI low end >= threshold */
	/* True latency (dependent mode) of each side's best configuration in
	 * the same experiment, when it was run; NaN otherwise. */
	double dependent_learned_ns, dependent_ordered_ns;
};

/* The same experiment in another mode (dependent for a batch row). */
static const struct group *group_in_mode(const struct results *r, const struct config *c,
					 const char *mode)
{
	for (size_t gi = 0; gi < r->ngroups; gi++) {
		const struct config *o = &r->configs[r->groups[gi].first];
		if (!strcmp(o->mode, mode) && !strcmp(o->dataset, c->dataset) &&
		    !strcmp(o->workload, c->workload) && !strcmp(o->wparams, c->wparams) &&
		    o->threads == c->threads)
			return &r->groups[gi];
	}
	return NULL;
}

static int family_is_learned(const char *family) { return !strcmp(family, "learned"); }
static int family_is_hash(const char *family) { return !strcmp(family, "hash"); }

/* Fills `out` (room for r->ngroups) with the batch-mode experiments of
 * question q that have both sides; returns how many. */
static size_t decisions_of(const struct results *r, enum question q,
			   struct decision *out)
{
	size_t n = 0;
	for (size_t gi = 0; gi < r->ngroups; gi++) {
		const struct group *g = &r->groups[gi];
		const struct config *first = &r->configs[g->first];
		if (!is_batch(first) || question_of(first) != q)
			continue;
		struct decision d = {0};
		d.learned = best_where(r, g, family_is_learned);
		d.ordered = best_where(r, g, is_ordered_non_learned);
		d.hash = is_point_workload(first->workload) ? best_where(r, g, family_is_hash) : NULL;
		if (!d.learned || !d.ordered)
			continue;
		compare(d.learned, d.ordered, &d.cmp);
		if (!was_tuned(r, g, d.learned) || !was_tuned(r, g, d.ordered))
			d.undecided = "a side ran defaults only";
		else if (strcmp(text_of(d.learned->rows[0], CSV_ops),
				text_of(d.ordered->rows[0], CSV_ops)))
			d.undecided = "operation counts differ";
		d.decides = !d.undecided;
		d.dependent_learned_ns = d.dependent_ordered_ns = NAN;
		const struct group *dep = group_in_mode(r, first, "dependent");
		if (dep) {
			const struct config *l = best_where(r, dep, family_is_learned);
			const struct config *o = best_where(r, dep, is_ordered_non_learned);
			d.dependent_learned_ns = l ? l->median_ns : NAN;
			d.dependent_ordered_ns = o ? o->median_ns : NAN;
		}
		d.pass = d.decides && d.cmp.ratio >= REPORT_GO_SPEEDUP &&
			 !isnan(d.cmp.ci.lo) && d.cmp.ci.lo >= REPORT_GO_SPEEDUP;
		out[n++] = d;
	}
	return n;
}

/* How a decision ranks: by the interval's lower end; without an interval
 * the ratio alone (which cannot pass) ranks below every interval. */
static double decision_rank(const struct decision *d)
{
	return isnan(d->cmp.ci.lo) ? -1 / d->cmp.ratio : d->cmp.ci.lo;
}

/* One question's answer. */
struct answer {
	enum { ANSWER_NO_DATA, ANSWER_UNDECIDED, ANSWER_NO_GO, ANSWER_GO } kind;
	struct decision best; /* the passing row, or the best deciding near-miss,
			       * or (undecided) the best row that could not decide */
	size_t passing, deciding, rows;
};

static struct answer answer_question(const struct results *r, enum question q)
{
	struct answer a = {0};
	struct decision *d = malloc((r->ngroups ? r->ngroups : 1) * sizeof *d);
	if (!d) {
		fprintf(stderr, "omenbench report: out of memory\n");
		exit(2);
	}
	a.rows = decisions_of(r, q, d);
	int have = 0;
	for (int want_deciding = 1; want_deciding >= 0 && !have; want_deciding--) {
		for (size_t i = 0; i < a.rows; i++) {
			if (want_deciding && !d[i].decides)
				continue;
			if (!have || decision_rank(&d[i]) > decision_rank(&a.best))
				a.best = d[i];
			have = 1;
		}
	}
	for (size_t i = 0; i < a.rows; i++) {
		a.passing += d[i].pass;
		a.deciding += d[i].decides;
	}
	free(d);
	a.kind = !a.rows ? ANSWER_NO_DATA
		 : a.passing ? ANSWER_GO
		 : a.deciding ? ANSWER_NO_GO
			     : ANSWER_UNDECIDED;
	return a;
}

static const char *answer_word(const struct answer *a)
{
	static const char *const words[] = {"no data", "not decided", "NO-GO", "GO"};
	return words[a->kind];
}

static void decision_table(FILE *f, const struct results *r, enum question q)
{
	struct decision *d = malloc((r->ngroups ? r->ngroups : 1) * sizeof *d);
	if (!d) {
		fprintf(stderr, "omenbench report: out of memory\n");
		exit(2);
	}
	size_t n = decisions_of(r, q, d);
	if (!n) {
		fprintf(f, "No batch-mode experiment of this kind has both a learned and an ordered non-learned result.\n\n");
		free(d);
		return;
	}
	fprintf(f, "| data set | workload | threads | best learned | ns [min-max] | best ordered non-learned | ns [min-max] | speed-up | 95%% CI | decides | >= %.1fx | best hash ns | dependent ns, learned / ordered |\n"
		   "|---|---|---:|---|---:|---|---:|---:|---|---|:---:|---:|---:|\n",
		REPORT_GO_SPEEDUP);
	for (size_t i = 0; i < n; i++) {
		const struct config *first = d[i].learned;
		fprintf(f, "| ");
		put_code(f, first->dataset);
		fprintf(f, " | ");
		put_workload(f, first);
		fprintf(f, " | %ld | ", first->threads);
		put_index(f, d[i].learned);
		fprintf(f, " | ");
		put_range_ns(f, d[i].learned);
		fprintf(f, " | ");
		put_index(f, d[i].ordered);
		fprintf(f, " | ");
		put_range_ns(f, d[i].ordered);
		fprintf(f, " | %s | ", RATIO(d[i].cmp.ratio));
		put_comparison_ci(f, &d[i].cmp);
		fprintf(f, " | %s%s | %s | %s | ", d[i].decides ? "yes" : "no: ",
			d[i].decides ? "" : d[i].undecided, d[i].pass ? "yes" : "no",
			d[i].hash ? NUM(d[i].hash->median_ns) : "-");
		if (isnan(d[i].dependent_learned_ns) && isnan(d[i].dependent_ordered_ns))
			fprintf(f, "- |\n");
		else
			fprintf(f, "%s / %s |\n", NUM(d[i].dependent_learned_ns),
				NUM(d[i].dependent_ordered_ns));
	}
	fputc('\n', f);
	free(d);
}

static void put_decision_sentence(FILE *f, const struct decision *d)
{
	fprintf(f, "learned ");
	put_index(f, d->learned);
	fprintf(f, " is %.2fx the speed of ", d->cmp.ratio);
	put_index(f, d->ordered);
	fprintf(f, " on ");
	put_workload(f, d->learned);
	fprintf(f, " over ");
	put_code(f, d->learned->dataset);
	fprintf(f, " (threads %ld; median %s ns vs %s ns; 95%% CI ",
		d->learned->threads, NUM(d->learned->median_ns),
		NUM(d->ordered->median_ns));
	put_comparison_ci(f, &d->cmp);
	fprintf(f, ")");
	if (d->hash)
		fprintf(f, "; the best hash table, unordered, takes %s ns",
			NUM(d->hash->median_ns));
}

/* Writes the verdict: one line per question, time-series first; returns 1
 * when some question's answer is GO, -1 when nothing decides, else 0. */
static int section_verdict(FILE *f, const struct results *r)
{
	struct answer a[NQUESTIONS];
	for (int q = 0; q < NQUESTIONS; q++)
		a[q] = answer_question(r, (enum question)q);
	int any_go = 0, any_decided = 0, any_undecided = 0;
	for (int q = 0; q < NQUESTIONS; q++) {
		any_go |= a[q].kind == ANSWER_GO;
		any_decided |= a[q].kind == ANSWER_NO_GO;
		any_undecided |= a[q].kind == ANSWER_UNDECIDED;
	}

	fprintf(f, "## Verdict\n\n");
	fprintf(f,
		"Rule: GO if some learned index is at least %.1fx faster than the "
		"best ordered non-learned index (B-trees, tries, binary and "
		"interpolation search) on some workload, with the 95%% confidence "
		"interval's lower end at or above %.1f too; time-series keys are asked "
		"about first.  A row decides only when both sides ran their parameter "
		"sweeps (or have none); hash tables are shown beside as the unordered "
		"bound.\n\n",
		REPORT_GO_SPEEDUP, REPORT_GO_SPEEDUP);
	if (a[Q_TIME_SERIES].kind == ANSWER_GO)
		fprintf(f, "**Verdict: GO** — on time-series keys.\n\n");
	else if (any_go)
		fprintf(f, "**Verdict: GO, but not on time-series keys** (%s there).\n\n",
			answer_word(&a[Q_TIME_SERIES]));
	else if (!any_decided && any_undecided)
		fprintf(f, "**Verdict: not decided** — no experiment had both sides "
			   "tuned (run with sweeps).\n\n");
	else
		fprintf(f, "**Verdict: NO-GO** — no experiment passes the rule.\n\n");
	for (int q = 0; q < NQUESTIONS; q++) {
		fprintf(f, "%d. **%s: %s**", q + 1, question_title[q], answer_word(&a[q]));
		if (a[q].kind == ANSWER_NO_DATA) {
			fprintf(f, " — no batch-mode experiment has both a learned and an ordered non-learned result.\n");
			continue;
		}
		fprintf(f, " — %zu of %zu experiments decide, %zu pass. %s: ",
			a[q].deciding, a[q].rows, a[q].passing,
			a[q].kind == ANSWER_GO ? "Strongest"
			: a[q].kind == ANSWER_NO_GO ? "Best near-miss"
						     : "Best undecided row");
		put_decision_sentence(f, &a[q].best);
		fprintf(f, ".\n");
	}
	fputc('\n', f);
	/* The same rows side by side, with what each costs. */
	fprintf(f, "| question | answer | best learned | ns | best ordered non-learned | ns | speed-up | 95%% CI | dependent ns, learned / ordered | best hash ns | MB, learned / ordered | build ms, learned / ordered |\n"
		   "|---|---|---|---:|---|---:|---:|---|---:|---:|---:|---:|\n");
	for (int q = 0; q < NQUESTIONS; q++) {
		const struct decision *d = &a[q].best;
		fprintf(f, "| %s | %s | ", question_title[q], answer_word(&a[q]));
		if (a[q].kind == ANSWER_NO_DATA) {
			fprintf(f, "- | - | - | - | - | - | - | - | - | - |\n");
			continue;
		}
		put_index(f, d->learned);
		fprintf(f, " | %s | ", NUM(d->learned->median_ns));
		put_index(f, d->ordered);
		fprintf(f, " | %s | %s | ", NUM(d->ordered->median_ns), RATIO(d->cmp.ratio));
		put_comparison_ci(f, &d->cmp);
		fprintf(f, " | %s / %s | %s | %s / %s | %s / %s |\n",
			NUM(d->dependent_learned_ns), NUM(d->dependent_ordered_ns),
			d->hash ? NUM(d->hash->median_ns) : "-",
			NUM(config_median(d->learned, CSV_index_bytes) / 1e6),
			NUM(config_median(d->ordered, CSV_index_bytes) / 1e6),
			NUM(config_median(d->learned, CSV_build_ns) / 1e6),
			NUM(config_median(d->ordered, CSV_build_ns) / 1e6));
	}
	fputc('\n', f);
	return any_go ? 1 : !any_decided && any_undecided ? -1 : 0;
}

/* The old engine and hash tables: learned against one family. */
static void family_table(FILE *f, const struct results *r, const char *family,
			 int point_only)
{
	size_t rows = 0;
	for (size_t gi = 0; gi < r->ngroups; gi++) {
		const struct group *g = &r->groups[gi];
		const struct config *first = &r->configs[g->first];
		if (!is_batch(first))
			continue;
		if (point_only && !is_point_workload(first->workload))
			continue;
		const struct config *learned = best_of(r, g, "learned", NULL);
		const struct config *other = best_of(r, g, family, NULL);
		if (!learned || !other)
			continue;
		if (!rows++)
			fprintf(f,
				"| data set | workload | threads | best learned | ns [min-max] | best %s | ns [min-max] | speed-up | 95%% CI | same ops |\n"
				"|---|---|---:|---|---:|---|---:|---:|---|---|\n",
				family);
		struct comparison cmp;
		compare(learned, other, &cmp);
		fprintf(f, "| ");
		put_code(f, first->dataset);
		fprintf(f, " | ");
		put_workload(f, first);
		fprintf(f, " | %ld | ", first->threads);
		put_index(f, learned);
		fprintf(f, " | ");
		put_range_ns(f, learned);
		fprintf(f, " | ");
		put_index(f, other);
		fprintf(f, " | ");
		put_range_ns(f, other);
		fprintf(f, " | %s | ", RATIO(cmp.ratio));
		put_comparison_ci(f, &cmp);
		fprintf(f, " | %s |\n", strcmp(text_of(learned->rows[0], CSV_ops),
					      text_of(other->rows[0], CSV_ops)) ? "no" : "yes");
	}
	if (!rows)
		fprintf(f, "No batch-mode experiment has both a learned and a `%s` result.\n", family);
	fputc('\n', f);
}

static void section_decision(FILE *f, const struct results *r)
{
	fprintf(f, "## Decision tables (batch mode)\n\n");
	for (int q = 0; q < NQUESTIONS; q++) {
		fprintf(f, "### %d. %s: learned vs best ordered non-learned\n\n",
			q + 1, question_title[q]);
		decision_table(f, r, (enum question)q);
	}
	fprintf(f, "### Learned vs best engine\n\n");
	family_table(f, r, "engine", 0);
	fprintf(f, "### Learned vs best hash table (workloads without scans)\n\n");
	family_table(f, r, "hash", 1);
}

/* Every index's best configuration in each experiment selected by `want`. */
static void per_index_tables(FILE *f, const struct results *r,
			     int (*want)(const struct config *))
{
	size_t tables = 0;
	for (size_t gi = 0; gi < r->ngroups; gi++) {
		const struct group *g = &r->groups[gi];
		const struct config *first = &r->configs[g->first];
		if (!want(first))
			continue;
		tables++;
		const struct config *tree = best_of(r, g, "tree", NULL);
		const struct config *base = best_of(r, g, "baseline", NULL);
		fprintf(f, "**");
		put_code(f, first->dataset);
		fprintf(f, ", ");
		put_workload(f, first);
		fprintf(f, ", %s, threads %ld**\n\n", first->mode, first->threads);
		fprintf(f, "| index | family | best params | reps | ns [min-max] | Mops/s | speed-up vs best tree | speed-up vs baseline |\n"
			   "|---|---|---|---:|---:|---:|---:|---:|\n");
		for (size_t i = g->first; i < g->first + g->count; i++) {
			const struct config *c = &r->configs[i];
			if (best_of(r, g, NULL, c->index) != c)
				continue; /* not this index's best */
			fprintf(f, "| ");
			put_code(f, c->index);
			fprintf(f, " | %s | ", c->family);
			put_code(f, c->params);
			fprintf(f, " | %zu | ", c->n_ns);
			put_range_ns(f, c);
			fprintf(f, " | %s | %s | %s |\n",
				NUM(config_median(c, CSV_mops)),
				tree ? RATIO(tree->median_ns / c->median_ns) : "NA",
				base ? RATIO(base->median_ns / c->median_ns) : "NA");
		}
		fputc('\n', f);
	}
	if (!tables)
		fprintf(f, "No such experiments in the CSV.\n\n");
}

static int want_sequential_batch(const struct config *c)
{
	return is_batch(c) && is_sequential(c);
}

static int want_batch(const struct config *c)
{
	return is_batch(c);
}

static void section_sequential(FILE *f, const struct results *r)
{
	fprintf(f, "## Sequential workloads\n\n");
	fprintf(f, "Sequential workloads (the registry marks them: seq-lookup, "
		   "seq-append, seq-ooo) and every workload on time-series data "
		   "(`ts_*`, `wiki_ts`, `flights_ts`): where learned models and cache-friendly "
		   "trees both profit from locality.  The decision rows are those of "
		   "question 1 above.\n\n");
	per_index_tables(f, r, want_sequential_batch);
}

static void section_latency(FILE *f, const struct results *r)
{
	fprintf(f, "## Latency (sampled operations)\n\n");
	size_t tables = 0;
	for (size_t gi = 0; gi < r->ngroups; gi++) {
		const struct group *g = &r->groups[gi];
		const struct config *first = &r->configs[g->first];
		if (!is_latency_mode(first))
			continue;
		if (!tables++)
			fprintf(f, "Per index, the configuration with the lowest median p99; "
				   "each figure is the median over repetitions, in ns.\n\n");
		fprintf(f, "**");
		put_code(f, first->dataset);
		fprintf(f, ", ");
		put_workload(f, first);
		fprintf(f, ", %s, threads %ld**\n\n", first->mode, first->threads);
		fprintf(f, "| index | family | params | reps | p50 | p90 | p99 | p99.9 | max |\n"
			   "|---|---|---|---:|---:|---:|---:|---:|---:|\n");
		for (size_t i = g->first; i < g->first + g->count;) {
			size_t j = i;
			const struct config *best = NULL;
			double best_p99 = INFINITY;
			while (j < g->first + g->count &&
			       !strcmp(r->configs[j].index, r->configs[i].index)) {
				double p = config_median(&r->configs[j], CSV_p99);
				if (!best || (!isnan(p) && p < best_p99)) {
					best = &r->configs[j];
					best_p99 = isnan(p) ? INFINITY : p;
				}
				j++;
			}
			fprintf(f, "| ");
			put_code(f, best->index);
			fprintf(f, " | %s | ", best->family);
			put_code(f, best->params);
			fprintf(f, " | %zu | %s | %s | %s | %s | %s |\n", best->nrows,
				NUM(config_median(best, CSV_p50)),
				NUM(config_median(best, CSV_p90)),
				NUM(config_median(best, CSV_p99)),
				NUM(config_median(best, CSV_p999)),
				NUM(config_median(best, CSV_max_ns)));
			i = j;
		}
		fputc('\n', f);
	}
	if (!tables)
		fprintf(f, "No sampled-mode rows in the CSV.\n\n");
}

/* The R of "read=R" in k=v:k=v parameters; NaN when absent. */
static double read_fraction(const char *wparams)
{
	for (const char *p = wparams; p && *p;) {
		if (!strncmp(p, "read=", 5)) {
			char *end;
			double v = strtod(p + 5, &end);
			if (end != p + 5 && (*end == 0 || *end == ':'))
				return v;
		}
		p = strchr(p, ':');
		if (p)
			p++;
	}
	return NAN;
}

static void section_writes(FILE *f, const struct results *r)
{
	fprintf(f, "## Writes (mixed and insert workloads)\n\n");
	size_t tables = 0;
	/* Groups are sorted by dataset, workload, wparams, mode, threads: the
	 * experiments of one (dataset, workload) lie in one run of groups. */
	for (size_t gi = 0; gi < r->ngroups;) {
		const struct config *first = &r->configs[r->groups[gi].first];
		size_t gj = gi;
		while (gj < r->ngroups) {
			const struct config *c = &r->configs[r->groups[gj].first];
			if (strcmp(c->dataset, first->dataset) ||
			    strcmp(c->workload, first->workload))
				break;
			gj++;
		}
		if (!is_write_workload(first->workload)) {
			gi = gj;
			continue;
		}
		/* One table per thread count in batch mode. */
		long thread_counts[64];
		size_t nthreads = 0;
		for (size_t k = gi; k < gj; k++) {
			const struct config *c = &r->configs[r->groups[k].first];
			if (!is_batch(c))
				continue;
			size_t t = 0;
			while (t < nthreads && thread_counts[t] != c->threads)
				t++;
			if (t == nthreads && nthreads < 64)
				thread_counts[nthreads++] = c->threads;
		}
		for (size_t t = 0; t < nthreads; t++) {
			/* Columns: the experiments, ordered by read fraction. */
			size_t cols[64], ncols = 0;
			for (size_t k = gi; k < gj && ncols < 64; k++) {
				const struct config *c = &r->configs[r->groups[k].first];
				if (is_batch(c) && c->threads == thread_counts[t])
					cols[ncols++] = k;
			}
			for (size_t a = 1; a < ncols; a++) { /* by read fraction */
				size_t v = cols[a], b = a;
				double rv = read_fraction(r->configs[r->groups[v].first].wparams);
				while (b > 0) {
					double rb = read_fraction(
						r->configs[r->groups[cols[b - 1]].first].wparams);
					if (!(rb > rv))
						break;
					cols[b] = cols[b - 1];
					b--;
				}
				cols[b] = v;
			}
			tables++;
			fprintf(f, "**");
			put_code(f, first->dataset);
			fprintf(f, ", `%s`, threads %ld** — median Mops/s of each index's best configuration\n\n",
				first->workload, thread_counts[t]);
			fprintf(f, "| index | family |");
			for (size_t k = 0; k < ncols; k++) {
				const char *wp = r->configs[r->groups[cols[k]].first].wparams;
				fprintf(f, " ");
				put_cell(f, *wp ? wp : "-");
				fprintf(f, " |");
			}
			fprintf(f, "\n|---|---|");
			for (size_t k = 0; k < ncols; k++)
				fprintf(f, "---:|");
			fputc('\n', f);
			/* Rows: every index seen in these experiments, in the
			 * order of the first experiment that has it. */
			const char *done[256];
			size_t ndone = 0;
			for (size_t k = 0; k < ncols; k++) {
				const struct group *g = &r->groups[cols[k]];
				for (size_t i = g->first; i < g->first + g->count; i++) {
					const char *ix = r->configs[i].index;
					size_t d = 0;
					while (d < ndone && strcmp(done[d], ix))
						d++;
					if (d < ndone || ndone == 256)
						continue;
					done[ndone++] = ix;
					fprintf(f, "| ");
					put_code(f, ix);
					fprintf(f, " | %s |", r->configs[i].family);
					for (size_t m = 0; m < ncols; m++) {
						const struct group *h = &r->groups[cols[m]];
						double best = NAN;
						for (size_t q = h->first; q < h->first + h->count; q++) {
							if (strcmp(r->configs[q].index, ix))
								continue;
							double v = config_median(&r->configs[q], CSV_mops);
							if (!isnan(v) && (isnan(best) || v > best))
								best = v;
						}
						fprintf(f, " %s |", NUM(best));
					}
					fputc('\n', f);
				}
			}
			fputc('\n', f);
		}
		gi = gj;
	}
	if (!tables)
		fprintf(f, "No mixed or insert workloads in the CSV.\n\n");
}

static const char *mark(double v, int higher_is_better, double threshold)
{
	if (isnan(v))
		return "NA";
	int ok = higher_is_better ? v >= threshold : v < threshold;
	return ok ? "pass" : "FAIL";
}

static void section_thresholds(FILE *f, const struct results *r)
{
	fprintf(f, "## Thresholds\n\n");
	fprintf(f,
		"Minimum viable: >= %.1f Mops/s (100K QPS), p99 < %.0f ms, scans >= %.0f GB/s. "
		"Competitive: >= %.0f Mops/s, p99 < %.0f ms, scans >= %.0f GB/s. "
		"Mops/s: the best median over experiments at the largest thread count "
		"the index ran; p99: the **worst** over sampled experiments (writes "
		"included) of the index's best configuration there, so a write stall "
		"shows; max: the largest single operation in that configuration "
		"(median over repetitions), judged by no threshold; "
		"scan GB/s: the best median of any experiment with scans.\n\n",
		VIABLE_MOPS, VIABLE_P99_NS / 1e6, VIABLE_SCAN_GBPS, COMPETITIVE_MOPS,
		COMPETITIVE_P99_NS / 1e6, COMPETITIVE_SCAN_GBPS);
	fprintf(f, "| index | family | threads | Mops/s | viable | competitive | worst p99 ns | viable | competitive | max ns | scan GB/s | viable | competitive |\n"
		   "|---|---|---:|---:|:---:|:---:|---:|:---:|:---:|---:|---:|:---:|:---:|\n");
	/* Indexes in name order: configs are sorted by experiment first, so
	 * collect distinct names, then sort them. */
	size_t nnames = 0;
	const char **names = malloc((r->nconfigs ? r->nconfigs : 1) * sizeof *names);
	if (!names) {
		fprintf(f, "(out of memory)\n\n");
		return;
	}
	for (size_t i = 0; i < r->nconfigs; i++) {
		size_t k = 0;
		while (k < nnames && strcmp(names[k], r->configs[i].index))
			k++;
		if (k == nnames)
			names[nnames++] = r->configs[i].index;
	}
	for (size_t a = 1; a < nnames; a++) {
		const char *v = names[a];
		size_t b = a;
		for (; b > 0 && strcmp(names[b - 1], v) > 0; b--)
			names[b] = names[b - 1];
		names[b] = v;
	}
	for (size_t k = 0; k < nnames; k++) {
		long max_threads = 0;
		const char *family = "";
		for (size_t i = 0; i < r->nconfigs; i++) {
			const struct config *c = &r->configs[i];
			if (strcmp(c->index, names[k]))
				continue;
			family = c->family;
			if (is_batch(c) && !isnan(config_median(c, CSV_mops)) &&
			    c->threads > max_threads)
				max_threads = c->threads;
		}
		double mops = NAN, p99 = NAN, max_ns = NAN, scan = NAN;
		for (size_t i = 0; i < r->nconfigs; i++) {
			const struct config *c = &r->configs[i];
			if (strcmp(c->index, names[k]))
				continue;
			if (is_batch(c) && c->threads == max_threads) {
				double v = config_median(c, CSV_mops);
				if (!isnan(v) && (isnan(mops) || v > mops))
					mops = v;
			}
			double v = config_median(c, CSV_scan_gbps);
			if (!isnan(v) && (isnan(scan) || v > scan))
				scan = v;
		}
		/* Latency: the index's best configuration in each sampled
		 * experiment, then the worst experiment. */
		for (size_t gi = 0; gi < r->ngroups; gi++) {
			const struct group *g = &r->groups[gi];
			const struct config *best = NULL;
			double best_p99 = NAN;
			for (size_t i = g->first; i < g->first + g->count; i++) {
				const struct config *c = &r->configs[i];
				if (strcmp(c->index, names[k]) || !is_latency_mode(c))
					continue;
				double v = config_median(c, CSV_p99);
				if (!isnan(v) && (!best || v < best_p99)) {
					best = c;
					best_p99 = v;
				}
			}
			if (!best)
				continue;
			if (isnan(p99) || best_p99 > p99)
				p99 = best_p99;
			double m = config_median(best, CSV_max_ns);
			if (!isnan(m) && (isnan(max_ns) || m > max_ns))
				max_ns = m;
		}
		fprintf(f, "| ");
		put_code(f, names[k]);
		char threads[24] = "NA";
		if (max_threads)
			snprintf(threads, sizeof threads, "%ld", max_threads);
		fprintf(f, " | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			family, threads,
			NUM(mops), mark(mops, 1, VIABLE_MOPS),
			mark(mops, 1, COMPETITIVE_MOPS), NUM(p99),
			mark(p99, 0, VIABLE_P99_NS), mark(p99, 0, COMPETITIVE_P99_NS),
			NUM(max_ns), NUM(scan), mark(scan, 1, VIABLE_SCAN_GBPS),
			mark(scan, 1, COMPETITIVE_SCAN_GBPS));
	}
	free(names);
	fputc('\n', f);
}

static void section_excluded(FILE *f, const struct results *r)
{
	fprintf(f, "## Excluded rows\n\n");
	if (r->nimpossible)
		fprintf(f, "- %zu row%s with `valid` = 1 excluded for impossible figures (negative, "
			   "infinite or not a number where a measurement goes; the first at line %ld, "
			   "`%s` = `%s`).\n",
			r->nimpossible, r->nimpossible == 1 ? "" : "s", r->first_impossible->line,
			csv_column_names[r->impossible_column],
			csv_row_str(r->first_impossible, r->impossible_column));
	if (r->table.skipped_lines)
		fprintf(f, "- %zu malformed or interrupted line%s of the CSV skipped (first at line %ld).\n",
			r->table.skipped_lines,
			r->table.skipped_lines == 1 ? "" : "s",
			r->table.first_skipped_line);
	if (r->ninvalid) {
		fprintf(f, "- %zu row%s with `valid` != 1 excluded (answers wrong or unchecked):\n\n",
			r->ninvalid, r->ninvalid == 1 ? "" : "s");
		fprintf(f, "| index | params | data set | workload | mode | threads | rows | note |\n"
			   "|---|---|---|---|---|---:|---:|---|\n");
		for (size_t i = 0; i < r->ninvalid;) {
			size_t j = i + 1;
			while (j < r->ninvalid &&
			       same_config(r->invalid_rows[i], r->invalid_rows[j]))
				j++;
			const struct csv_row *row = r->invalid_rows[i];
			fprintf(f, "| ");
			put_code(f, text_of(row, CSV_index));
			fprintf(f, " | ");
			put_code(f, text_of(row, CSV_params));
			fprintf(f, " | ");
			put_code(f, text_of(row, CSV_dataset));
			fprintf(f, " | ");
			put_code(f, text_of(row, CSV_workload));
			if (*text_of(row, CSV_wparams)) {
				fprintf(f, " ");
				put_code(f, text_of(row, CSV_wparams));
			}
			fprintf(f, " | %s | %ld | %zu | ", text_of(row, CSV_mode),
				threads_of(row), j - i);
			put_cell(f, text_of(row, CSV_note));
			fprintf(f, " |\n");
			i = j;
		}
		fputc('\n', f);
	}
	size_t unmeasured = 0;
	for (size_t i = 0; i < r->nconfigs; i++) {
		const struct config *c = &r->configs[i];
		for (size_t k = 0; k < c->nrows; k++) {
			if (!csv_row_is_na(c->rows[k], CSV_ns_per_op))
				continue;
			if (!unmeasured++)
				fprintf(f, "- Valid rows without a measurement (`ns_per_op` = NA):\n\n"
					   "| index | params | data set | workload | mode | threads | note |\n"
					   "|---|---|---|---|---|---:|---|\n");
			fprintf(f, "| ");
			put_code(f, c->index);
			fprintf(f, " | ");
			put_code(f, c->params);
			fprintf(f, " | ");
			put_code(f, c->dataset);
			fprintf(f, " | ");
			put_workload(f, c);
			fprintf(f, " | %s | %ld | ", c->mode, c->threads);
			put_cell(f, text_of(c->rows[k], CSV_note));
			fprintf(f, " |\n");
		}
	}
	if (unmeasured)
		fputc('\n', f);
	if (!r->table.skipped_lines && !r->ninvalid && !r->nimpossible && !unmeasured)
		fprintf(f, "None: every row was valid and measured.\n\n");
}

/* ------------------------------------------------------------------ plots */

/* Path of `to` relative to directory `from` (both existing), for image
 * links that work wherever the report and the plots live. */
static int relative_path(const char *from, const char *to, char *out, size_t len)
{
	char a[PATH_MAX], b[PATH_MAX];
	if (!realpath(from, a) || !realpath(to, b))
		return -1;
	size_t common = 0, i = 0;
	for (; a[i] && a[i] == b[i]; i++)
		if (a[i] == '/')
			common = i;
	if (!a[i] && (b[i] == '/' || !b[i]))
		common = i;
	else if (!b[i] && a[i] == '/')
		common = i;
	out[0] = 0;
	size_t used = 0;
	for (const char *p = a + common; *p; p++) {
		if (*p == '/') {
			int w = snprintf(out + used, len - used, "../");
			if (w < 0 || (size_t)w >= len - used)
				return -1;
			used += (size_t)w;
		}
	}
	const char *rest = b + common;
	if (*rest == '/')
		rest++;
	int w = snprintf(out + used, len - used, "%s", *rest ? rest : ".");
	if (w < 0 || (size_t)w >= len - used)
		return -1;
	return 0;
}

/* Plots in reading order: the headline lookup plots first, then the
 * trade-offs, then the rest; by name within a kind. */
static int plot_rank(const char *name)
{
	static const char *const order[] = {
		"lookup_", "pareto_", "latency_", "writes_", "nkeys_",
		"threads_", "build_",
	};
	for (size_t i = 0; i < sizeof order / sizeof *order; i++)
		if (!strncmp(name, order[i], strlen(order[i])))
			return (int)i;
	return (int)(sizeof order / sizeof *order);
}

static int compare_plot_names(const void *pa, const void *pb)
{
	const char *a = *(char *const *)pa, *b = *(char *const *)pb;
	int ra = plot_rank(a), rb = plot_rank(b);
	return ra != rb ? ra - rb : strverscmp(a, b);
}

static void section_plots(FILE *f, const char *plots_dir, const char *out_path)
{
	fprintf(f, "## Plots\n\n");
	DIR *dir = plots_dir ? opendir(plots_dir) : NULL;
	if (!dir) {
		fprintf(f, "No plots directory (%s); run `scripts/plots.sh`.\n\n",
			plots_dir ? plots_dir : "none given");
		return;
	}
	char *names[512];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(dir)) && n < 512) {
		size_t l = strlen(e->d_name);
		if (l > 4 && !strcmp(e->d_name + l - 4, ".png")) {
			names[n] = strdup(e->d_name);
			if (names[n])
				n++;
		}
	}
	closedir(dir);
	qsort(names, n, sizeof *names, compare_plot_names);

	/* Links relative to the report's directory. */
	char out_dir[PATH_MAX], link_dir[PATH_MAX];
	snprintf(out_dir, sizeof out_dir, "%s", out_path);
	char *slash = strrchr(out_dir, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(out_dir, sizeof out_dir, ".");
	if (relative_path(out_dir, plots_dir, link_dir, sizeof link_dir))
		snprintf(link_dir, sizeof link_dir, "%s", plots_dir);

	if (!n)
		fprintf(f, "No PNG files in `%s`.\n\n", plots_dir);
	for (size_t i = 0; i < n; i++) {
		/* scripts/plots.sh writes NAME.txt with a one-line caption. */
		char caption[512] = "", path[PATH_MAX];
		char base[256];
		snprintf(base, sizeof base, "%.*s", (int)(strlen(names[i]) - 4), names[i]);
		snprintf(path, sizeof path, "%s/%s.txt", plots_dir, base);
		FILE *cf = fopen(path, "r");
		if (cf) {
			if (fgets(caption, sizeof caption, cf))
				caption[strcspn(caption, "\r\n")] = 0;
			fclose(cf);
		}
		if (!*caption)
			snprintf(caption, sizeof caption, "%s", base);
		fprintf(f, "![%s](%s/%s)\n\n*%s*\n\n", base, link_dir, names[i], caption);
		free(names[i]);
	}
}

/* ------------------------------------------------------------------ SOSD */

#define SOSD_MAX_COLS 16
#define SOSD_MAX_ROWS 64

struct sosd_published {
	char *text;
	int ncols; /* index columns after "dataset" */
	const char *col[SOSD_MAX_COLS];
	int nrows;
	const char *dataset[SOSD_MAX_ROWS];
	double ns[SOSD_MAX_ROWS][SOSD_MAX_COLS]; /* NaN for NA */
	const char *source[8];                   /* the comment lines */
	int nsource;
};

static int sosd_published_load(const char *path, struct sosd_published *p)
{
	memset(p, 0, sizeof *p);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "omenbench report: %s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t cap = 1 << 16;
	p->text = malloc(cap);
	if (!p->text) {
		fclose(f);
		fprintf(stderr, "omenbench report: out of memory\n");
		return -1;
	}
	size_t len = fread(p->text, 1, cap - 1, f);
	fclose(f);
	p->text[len] = 0;
	int have_header = 0;
	for (char *line = p->text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		line[strcspn(line, "\r")] = 0;
		if (line[0] == '#') {
			if (p->nsource < 8)
				p->source[p->nsource++] = line;
		} else if (*line) {
			char *fields[SOSD_MAX_COLS + 1];
			int nf = 0;
			for (char *s = line; nf <= SOSD_MAX_COLS;) {
				fields[nf++] = s;
				s = strchr(s, ',');
				if (!s)
					break;
				*s++ = 0;
			}
			if (!have_header) {
				have_header = 1;
				p->ncols = nf - 1;
				for (int i = 1; i < nf; i++)
					p->col[i - 1] = fields[i];
			} else if (p->nrows < SOSD_MAX_ROWS) {
				int row = p->nrows++;
				p->dataset[row] = fields[0];
				for (int i = 0; i < p->ncols; i++) {
					char *end;
					double v = i + 1 < nf ? strtod(fields[i + 1], &end) : NAN;
					if (i + 1 >= nf || end == fields[i + 1] || *end)
						v = NAN;
					p->ns[row][i] = v;
				}
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	if (!have_header || !p->nrows) {
		fprintf(stderr, "omenbench report: %s: no leaderboard rows\n", path);
		free(p->text);
		return -1;
	}
	return 0;
}

/* Our index name -> SOSD's column name, or NULL. */
static const char *sosd_index_name(const char *ours)
{
	static const char *const map[][2] = {
		{"art", "ART"}, {"btree", "BTree"}, {"stree", "FAST"},
		{"binsearch", "BS"}, {"isearch", "IS"}, {"rbs", "RBS"},
		{"rmi", "RMI"}, {"rs", "RS"}, {"tip", "TIP"},
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (!strcmp(map[i][0], ours))
			return map[i][1];
	return NULL;
}

/* Our data set name (books_200M_uint32, osm_cellids_800M_uint64, ...) ->
 * SOSD's leaderboard name (amzn32, osmc64); 0 ok, -1 no mapping. */
static int sosd_dataset_name(const char *ours, char *out, size_t len)
{
	static const char *const map[][2] = {
		{"books", "amzn"}, {"amzn", "amzn"}, {"fb", "face"},
		{"face", "face"}, {"osm_cellids", "osmc"}, {"osmc", "osmc"},
		{"wiki_ts", "wiki"}, {"wiki", "wiki"}, {"lognormal", "logn"},
		{"logn", "logn"}, {"normal", "norm"}, {"norm", "norm"},
		{"uniform_dense", "uden"}, {"uden", "uden"},
		{"uniform_sparse", "uspr"}, {"uspr", "uspr"},
	};
	char base[128];
	snprintf(base, sizeof base, "%s", ours);
	size_t l = strlen(base);
	const char *width;
	if (l > 7 && !strcmp(base + l - 7, "_uint64"))
		width = "64";
	else if (l > 7 && !strcmp(base + l - 7, "_uint32"))
		width = "32";
	else
		return -1;
	base[l - 7] = 0;
	/* Drop a trailing size token such as _200M. */
	char *us = strrchr(base, '_');
	if (us && isdigit((unsigned char)us[1]))
		*us = 0;
	for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
		if (!strcmp(map[i][0], base)) {
			snprintf(out, len, "%s%s", map[i][1], width);
			return 0;
		}
	}
	return -1;
}

static void section_sosd(FILE *f, const struct results *ours,
			 const struct sosd_published *pub, const char *pub_path)
{
	fprintf(f, "## Comparison with SOSD's published leaderboard\n\n");
	fprintf(f, "Published figures from `%s`:\n\n", pub_path);
	for (int i = 0; i < pub->nsource; i++)
		fprintf(f, "> %s\n", pub->source[i] + 1 + (pub->source[i][1] == ' '));
	fprintf(f, "\nOur figures: batch mode, 1 thread, each index's best "
		   "configuration, median ns per lookup. Ratios are to binary "
		   "search (`binsearch` / SOSD's BS) on the same machine; ranks "
		   "are among the indexes both sides report. SOSD used 200M keys "
		   "and a different machine: compare ratios and ranks, not "
		   "nanoseconds.\n\n");
	size_t tables = 0;
	for (size_t gi = 0; gi < ours->ngroups; gi++) {
		const struct group *g = &ours->groups[gi];
		const struct config *first = &ours->configs[g->first];
		if (!is_batch(first) || first->threads != 1)
			continue;
		char name[64];
		if (sosd_dataset_name(first->dataset, name, sizeof name))
			continue;
		int prow = -1;
		for (int i = 0; i < pub->nrows; i++)
			if (!strcmp(pub->dataset[i], name))
				prow = i;
		if (prow < 0)
			continue;
		int bs_col = -1;
		for (int c = 0; c < pub->ncols; c++)
			if (!strcmp(pub->col[c], "BS"))
				bs_col = c;
		const struct config *our_bs = best_of(ours, g, NULL, "binsearch");

		/* Pairs (ours, theirs) of every index both report. */
		const struct config *mine[SOSD_MAX_COLS];
		double their[SOSD_MAX_COLS], x[SOSD_MAX_COLS], y[SOSD_MAX_COLS];
		const char *label[SOSD_MAX_COLS];
		size_t npairs = 0;
		for (size_t i = g->first; i < g->first + g->count; i++) {
			const struct config *c = &ours->configs[i];
			const char *sname = sosd_index_name(c->index);
			if (!sname || best_of(ours, g, NULL, c->index) != c)
				continue;
			for (int k = 0; k < pub->ncols && npairs < SOSD_MAX_COLS; k++) {
				if (strcmp(pub->col[k], sname) || isnan(pub->ns[prow][k]))
					continue;
				mine[npairs] = c;
				their[npairs] = pub->ns[prow][k];
				label[npairs] = sname;
				x[npairs] = c->median_ns;
				y[npairs] = their[npairs];
				npairs++;
			}
		}
		if (!npairs)
			continue;
		tables++;
		fprintf(f, "**");
		put_code(f, first->dataset);
		fprintf(f, " (%s keys) vs SOSD `%s`, workload ",
			csv_row_str(first->rows[0], CSV_n_keys), name);
		put_workload(f, first);
		fprintf(f, "**\n\n| index | SOSD name | our ns | our ns / BS ns | our rank | SOSD ns | SOSD ns / BS ns | SOSD rank |\n"
			   "|---|---|---:|---:|---:|---:|---:|---:|\n");
		for (size_t i = 0; i < npairs; i++) {
			int our_rank = 1, their_rank = 1;
			for (size_t k = 0; k < npairs; k++) {
				our_rank += x[k] < x[i];
				their_rank += y[k] < y[i];
			}
			double our_ratio = our_bs ? mine[i]->median_ns / our_bs->median_ns : NAN;
			double their_ratio = bs_col >= 0 ? their[i] / pub->ns[prow][bs_col] : NAN;
			fprintf(f, "| ");
			put_index(f, mine[i]);
			fprintf(f, " | %s | %s | %s | %d | %s | %s | %d |\n", label[i],
				NUM(mine[i]->median_ns), RATIO(our_ratio), our_rank,
				NUM(their[i]), RATIO(their_ratio), their_rank);
		}
		double rho = stats_spearman(x, y, npairs);
		fprintf(f, "\nSpearman rank correlation of our ns and SOSD's over %zu indexes: %s\n\n",
			npairs, isnan(rho) ? "NA" : NUM(rho));
	}
	if (!tables)
		fprintf(f, "No batch, 1-thread experiment in the SOSD CSV on a data set "
			   "and index that SOSD's leaderboard also reports.\n\n");
}

/* ------------------------------------------------------------------ main */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: omenbench report [--csv FILE] [--out FILE] [--plots DIR]\n"
		"                        [--sosd FILE [--sosd-published FILE]]\n"
		"  --csv FILE             results to read (default results/bench.csv)\n"
		"  --out FILE             report to write (default REPORT.md)\n"
		"  --plots DIR            PNG plots to show inline (default results/plots)\n"
		"  --sosd FILE            our results on SOSD's data sets, to compare with\n"
		"  --sosd-published FILE  SOSD's leaderboard (default results/sosd_published.csv)\n"
		"The verdict: GO if some learned index is >= %.1fx faster than the best\n"
		"ordered non-learned index (tree, trie, binary/interpolation search) on\n"
		"some workload with the 95%% CI's lower end >= %.1f, both sides tuned;\n"
		"answered for time-series keys first, then reads, then writes.\n",
		REPORT_GO_SPEEDUP, REPORT_GO_SPEEDUP);
}

static int write_report(const struct report_options *o)
{
	struct results r;
	if (results_load(o->csv_path, &r))
		return 2;
	struct results sosd;
	struct sosd_published pub;
	int have_sosd = 0;
	if (o->sosd_path) {
		if (results_load(o->sosd_path, &sosd)) {
			results_free(&r);
			return 2;
		}
		if (sosd_published_load(o->sosd_published_path, &pub)) {
			results_free(&sosd);
			results_free(&r);
			return 2;
		}
		have_sosd = 1;
	}

	/* Written to a temporary name and renamed (outfile.h): a failed run
	 * never leaves half a report behind under the real name. */
	struct outfile out;
	char err[1024];
	int rc = 2, go = 0;
	if (outfile_create(&out, o->out_path, err, sizeof err)) {
		fprintf(stderr, "omenbench report: --out %s\n", err);
		goto out;
	}
	FILE *f = out.f;
	fprintf(f, "# omenbench: go/no-go report\n\n");
	fprintf(f, "Generated by `omenbench report` from `%s` (%zu rows: %zu valid, "
		   "%zu excluded as invalid, %zu excluded for impossible figures, %zu "
		   "malformed lines skipped). Every number below is computed from those "
		   "rows.\n\n",
		o->csv_path, r.table.nrows, r.nvalid, r.ninvalid, r.nimpossible,
		r.table.skipped_lines);
	go = section_verdict(f, &r);
	section_caveats(f, &r);
	section_machine(f, &r);
	section_method(f, &r);
	section_datasets(f, &r);
	section_decision(f, &r);
	section_sequential(f, &r);
	section_latency(f, &r);
	section_writes(f, &r);
	section_thresholds(f, &r);
	section_excluded(f, &r);
	section_plots(f, o->plots_dir, o->out_path);
	if (have_sosd)
		section_sosd(f, &sosd, &pub, o->sosd_published_path);
	fprintf(f, "## All batch results\n\n");
	per_index_tables(f, &r, want_batch);
	if (outfile_commit(&out, err, sizeof err)) {
		fprintf(stderr, "omenbench report: --out %s\n", err);
		goto out;
	}
	printf("omenbench report: wrote %s — %s\n", o->out_path,
	       go > 0 ? "GO" : go < 0 ? "not decided" : "NO-GO");
	rc = 0;
out:
	if (have_sosd) {
		free(pub.text);
		results_free(&sosd);
	}
	results_free(&r);
	return rc;
}

int report_main(int argc, char **argv)
{
	struct report_options o = {
		.csv_path = "results/bench.csv",
		.out_path = "REPORT.md",
		.plots_dir = "results/plots",
		.sosd_path = NULL,
		.sosd_published_path = "results/sosd_published.csv",
	};
	static const struct {
		const char *flag;
		size_t offset;
	} flags[] = {
		{"--csv", offsetof(struct report_options, csv_path)},
		{"--out", offsetof(struct report_options, out_path)},
		{"--plots", offsetof(struct report_options, plots_dir)},
		{"--sosd", offsetof(struct report_options, sosd_path)},
		{"--sosd-published", offsetof(struct report_options, sosd_published_path)},
	};
	int published_given = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
		size_t k = 0;
		for (; k < sizeof flags / sizeof *flags; k++)
			if (!strcmp(argv[i], flags[k].flag))
				break;
		if (k == sizeof flags / sizeof *flags) {
			char shown[SHOWN_NAME_LEN];
			fprintf(stderr, "omenbench report: unknown argument '%s' "
					"(see omenbench report --help)\n",
				shown_name(argv[i], shown, sizeof shown));
			return 2;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "omenbench report: %s needs a value\n", argv[i]);
			return 2;
		}
		*(const char **)((char *)&o + flags[k].offset) = argv[++i];
		if (!strcmp(flags[k].flag, "--sosd-published"))
			published_given = 1;
	}
	if (published_given && !o.sosd_path)
		fprintf(stderr, "omenbench report: warning: --sosd-published without "
				"--sosd; no SOSD comparison\n");
	return write_report(&o);
}
