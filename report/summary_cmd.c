/*
 * report/summary_cmd.c — `omenbench summary`: reads a results CSV, computes
 * the summary (summary.c) and writes it as TSV to standard output or, with
 * --out, to a file replaced whole (outfile.h).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/message.h"
#include "common/outfile.h"
#include "report/summary.h"

/* A text field: "-" when empty, tabs and newlines made spaces so that a
 * line stays one line of the right number of fields. */
static void put_text(FILE *f, const char *s)
{
	if (!*s)
		s = "-";
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

/* A figure: NA for no value; %.15g keeps every digit the CSV had. */
static void put_num(FILE *f, double v)
{
	if (isnan(v))
		fputs("NA", f);
	else
		fprintf(f, "%.15g", v);
}

static void put_line(FILE *f, const struct summary_line *l)
{
	const struct config *c = l->config;
	const char *text[] = {c->dataset, csv_row_str(c->rows[0], CSV_n_keys), c->workload,
			      c->wparams, l->wlabel, c->mode};
	for (size_t i = 0; i < sizeof text / sizeof *text; i++) {
		put_text(f, text[i]);
		fputc('\t', f);
	}
	fprintf(f, "%ld\t", c->threads);
	const char *ix[] = {c->index, c->family, c->params, l->label};
	for (size_t i = 0; i < sizeof ix / sizeof *ix; i++) {
		put_text(f, ix[i]);
		fputc('\t', f);
	}
	fprintf(f, "%zu\t%zu", c->nrows, l->ns_reps);
	const double num[] = {l->ns_median, l->ns_min, l->ns_max, l->ns_ci_lo, l->ns_ci_hi,
			      l->mops, l->p50, l->p99, l->p999, l->build_ns,
			      l->index_bytes, l->total_bytes};
	for (size_t i = 0; i < sizeof num / sizeof *num; i++) {
		fputc('\t', f);
		put_num(f, num[i]);
	}
	fprintf(f, "\t%d\n", l->best);
}

int summary_write_tsv(FILE *f, const struct summary *s)
{
	for (int c = 0; c < SUMMARY_NCOLUMNS; c++)
		fprintf(f, "%s%s", c ? "\t" : "", summary_column_names[c]);
	fputc('\n', f);
	for (size_t i = 0; i < s->nlines; i++)
		put_line(f, &s->lines[i]);
	return ferror(f) ? -1 : 0;
}

static const char usage_summary[] =
	"usage: omenbench summary [--csv FILE] [--out FILE]\n"
	"  --csv FILE   results to read (default results/bench.csv)\n"
	"  --out FILE   where to write the TSV (default standard output)\n"
	"One tab-separated line per index configuration per experiment (data set,\n"
	"workload, mode, threads): median, min and max ns over the repetitions, the\n"
	"median's 95% bootstrap interval, short labels with only non-default\n"
	"parameters, and best=1 on each index's fastest configuration.  Columns:\n"
	"report/summary.h.  Rows with valid != 1 are left out and counted on stderr.\n";

/* Where the excluded rows went, on stderr: the counts a reader of the
 * summary cannot see in it. */
static void warn_excluded(const char *path, const struct results *r)
{
	char buf[SHOWN_NAME_LEN];
	const char *shown = shown_name(path, buf, sizeof buf);
	if (r->ninvalid)
		fprintf(stderr, "omenbench summary: %s: %zu row%s with valid != 1 left out\n",
			shown, r->ninvalid, r->ninvalid == 1 ? "" : "s");
	if (r->nimpossible)
		fprintf(stderr, "omenbench summary: %s: %zu row%s with valid=1 left out for "
				"impossible figures (the first, line %ld: %s=%s)\n",
			shown, r->nimpossible, r->nimpossible == 1 ? "" : "s",
			r->first_impossible->line, csv_column_names[r->impossible_column],
			csv_row_str(r->first_impossible, r->impossible_column));
}

/* Writes the summary to `out_path`, or stdout when NULL; 0 or 2. */
static int write_summary(const struct summary *s, const char *out_path)
{
	char err[1024];
	if (!out_path) {
		if (summary_write_tsv(stdout, s) || fflush(stdout)) {
			fprintf(stderr, "omenbench summary: cannot write to standard output: %s\n",
				strerror(errno ? errno : EIO));
			return 2;
		}
		return 0;
	}
	struct outfile o;
	if (outfile_create(&o, out_path, err, sizeof err)) {
		fprintf(stderr, "omenbench summary: --out %s\n", err);
		return 2;
	}
	summary_write_tsv(o.f, s); /* outfile_commit checks every write */
	if (outfile_commit(&o, err, sizeof err)) {
		fprintf(stderr, "omenbench summary: --out %s\n", err);
		return 2;
	}
	return 0;
}

int summary_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"csv", required_argument, NULL, 'c'}, {"out", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	const char *csv_path = "results/bench.csv", *out_path = NULL;
	char shown[SHOWN_NAME_LEN];
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': csv_path = optarg; break;
		case 'o': out_path = optarg; break;
		case 'h': fputs(usage_summary, stdout); return 0;
		case ':':
			fprintf(stderr, "omenbench summary: %s needs a value\n", argv[optind - 1]);
			return 2;
		default:
			fprintf(stderr, "omenbench summary: unknown argument '%s' (see omenbench "
					"summary --help)\n",
				shown_name(argv[optind - 1], shown, sizeof shown));
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "omenbench summary: unexpected argument '%s' (see omenbench "
				"summary --help)\n",
			shown_name(argv[optind], shown, sizeof shown));
		return 2;
	}
	struct results r;
	struct summary s;
	char err[1024];
	/* A bad --out is said before the CSV is read, and alone. */
	if (out_path && outfile_check(out_path, err, sizeof err)) {
		fprintf(stderr, "omenbench summary: --out %s\n", err);
		return 2;
	}
	if (results_load(csv_path, &r, stderr, err, sizeof err)) {
		fprintf(stderr, "omenbench summary: %s\n", err);
		return 2;
	}
	warn_excluded(csv_path, &r);
	int rc = 2;
	if (summary_compute(&r, &s, err, sizeof err))
		fprintf(stderr, "omenbench summary: %s\n", err);
	else {
		rc = write_summary(&s, out_path);
		summary_free(&s);
	}
	results_free(&r);
	return rc;
}
