/*
 * tests/test_report.c — the report's statistics, its go/no-go rule and the
 * CSV reader, on crafted inputs written into a temporary directory.  The
 * summary's rules are tests/test_summary.c's.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/csvread.h"
#include "report/report.h"
#include "report/results.h"
#include "report/verdict.h"
#include "harness/stats.h"
#include "tests/test.h"

static char tmpdir[256];

static void path_in_tmp(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

static void write_file(const char *name, const char *text)
{
	char path[512];
	path_in_tmp(path, sizeof path, name);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

/* The whole file as a malloc'ed string ("" when unreadable). */
static char *read_file(const char *name)
{
	char path[512];
	path_in_tmp(path, sizeof path, name);
	FILE *f = fopen(path, "r");
	char *buf = calloc(1 << 20, 1);
	if (!buf)
		abort();
	if (f) {
		size_t n = fread(buf, 1, (1 << 20) - 1, f);
		buf[n] = 0;
		fclose(f);
	}
	return buf;
}

/* The line of the report that starts with "**Verdict:". */
static void verdict_line(const char *report, char *out, size_t len)
{
	const char *v = strstr(report, "**Verdict:");
	out[0] = 0;
	if (v)
		snprintf(out, len, "%.*s", (int)strcspn(v, "\n"), v);
}

/* The verdict's answer to question q (1 time-series, 2 reads, 3 writes). */
static void question_line(const char *report, int q, char *out, size_t len)
{
	char start[16];
	snprintf(start, sizeof start, "\n%d. **", q);
	const char *v = strstr(report, start);
	out[0] = 0;
	if (v)
		snprintf(out, len, "%.*s", (int)strcspn(v + 1, "\n"), v + 1);
}

/* ----------------------------------------------------------- statistics */

static void test_stats(void)
{
	test_context = "stats";
	double odd[] = {5, 1, 3};
	double even[] = {4, 1, 3, 2};
	CHECK(stats_median(odd, 3) == 3);
	CHECK(stats_median(even, 4) == 2.5);
	CHECK(odd[0] == 5 && odd[1] == 1); /* the input is not reordered */
	CHECK(isnan(stats_median(odd, 0)));
	CHECK(stats_min(even, 4) == 1 && stats_max(even, 4) == 4);
	CHECK(stats_mean(even, 4) == 2.5);
	CHECK(stats_median((double[]){7}, 1) == 7);

	/* Ratio of medians 2.0 with a little noise on both sides. */
	double slow[] = {200, 204, 196, 202, 198, 201, 199};
	double fast[] = {100, 101, 99, 102, 98, 100.5, 99.5};
	struct stats_ci a, b;
	CHECK(!stats_bootstrap_ratio(slow, 7, fast, 7, STATS_BOOTSTRAP_B, 0.95,
				     STATS_BOOTSTRAP_SEED, &a));
	CHECK(a.estimate == 2.0);
	CHECK(a.lo <= 2.0 && 2.0 <= a.hi);
	CHECK(a.lo > 1.9 && a.hi < 2.1);
	CHECK(!stats_bootstrap_ratio(slow, 7, fast, 7, STATS_BOOTSTRAP_B, 0.95,
				     STATS_BOOTSTRAP_SEED, &b));
	CHECK(a.lo == b.lo && a.hi == b.hi); /* deterministic */

	/* Builds that differ: three builds of 15 repetitions each at 100, 200
	 * and 300 ns against a steady 100 ns.  Repetitions alone say "2.0,
	 * tight"; the two-stage bootstrap lets a resample draw one build
	 * several times, so its interval reaches towards 1 and 3. */
	{
		double by_build[45], steady[45];
		long build[45];
		for (int i = 0; i < 45; i++) {
			build[i] = i / 15 + 1;
			by_build[i] = 100.0 * (double)build[i] + (i % 3) - 1;
			steady[i] = 100;
		}
		struct stats_ci flat, nested, again;
		CHECK(!stats_bootstrap_ratio(by_build, 45, steady, 45, STATS_BOOTSTRAP_B,
					     0.95, STATS_BOOTSTRAP_SEED, &flat));
		CHECK(!stats_bootstrap_ratio_nested(by_build, build, 45, steady, build, 45,
						    STATS_BOOTSTRAP_B, 0.95,
						    STATS_BOOTSTRAP_SEED, &nested));
		CHECK(flat.lo > 1.5 && flat.hi < 2.5);
		CHECK(nested.lo < 1.5 && nested.hi > 2.5);
		CHECK(nested.estimate == flat.estimate);
		CHECK(!stats_bootstrap_ratio_nested(by_build, build, 45, steady, build, 45,
						    STATS_BOOTSTRAP_B, 0.95,
						    STATS_BOOTSTRAP_SEED, &again));
		CHECK(again.lo == nested.lo && again.hi == nested.hi); /* deterministic */
		/* Identical builds: nothing between them to widen the interval. */
		for (int i = 0; i < 45; i++)
			by_build[i] = 200;
		CHECK(!stats_bootstrap_ratio_nested(by_build, build, 45, steady, build, 45,
						    STATS_BOOTSTRAP_B, 0.95,
						    STATS_BOOTSTRAP_SEED, &nested));
		CHECK(nested.lo == 2.0 && nested.hi == 2.0);
		CHECK(stats_bootstrap_ratio_nested(by_build, build, 0, steady, build, 45,
						   STATS_BOOTSTRAP_B, 0.95,
						   STATS_BOOTSTRAP_SEED, &nested) == -1);
	}

	/* Wide spread: the interval must widen and still bracket 2. */
	double wide_fast[] = {100, 60, 140, 80, 120};
	double wide_slow[] = {200, 120, 280, 160, 240};
	CHECK(!stats_bootstrap_ratio(wide_slow, 5, wide_fast, 5,
				     STATS_BOOTSTRAP_B, 0.95,
				     STATS_BOOTSTRAP_SEED, &a));
	CHECK(a.lo < 2.0 && a.hi > 2.0 && a.hi - a.lo > 0.5);

	/* Median interval of one sample. */
	CHECK(!stats_bootstrap_median(slow, 7, STATS_BOOTSTRAP_B, 0.95,
				      STATS_BOOTSTRAP_SEED, &a));
	CHECK(a.estimate == 200 && a.lo <= 200 && a.hi >= 200);
	CHECK(a.lo >= 196 && a.hi <= 204);
	CHECK(stats_bootstrap_median(slow, 0, 100, 0.95, 1, &a) == -1);

	/* Spearman: monotone, reversed, with ties. */
	double x[] = {1, 2, 3, 4}, y[] = {10, 20, 35, 100}, z[] = {4, 3, 2, 1};
	CHECK(fabs(stats_spearman(x, y, 4) - 1) < 1e-12);
	CHECK(fabs(stats_spearman(x, z, 4) + 1) < 1e-12);
	CHECK(isnan(stats_spearman(x, (double[]){1, 1, 1, 1}, 4)));
}

/* ----------------------------------------------------------- CSV reader */

static void test_csv_reader(void)
{
	struct csv_table t;
	char err[256];
	static const enum csv_column need[] = {CSV_dataset, CSV_index,
					       CSV_ns_per_op, CSV_NCOLUMNS};

	test_context = "csv: columns by name, NA, interrupted last line";
	/* Columns out of schema order, some absent, one unknown; the last
	 * line was cut off by an interrupted run (no newline). */
	const char *text =
		"index,ns_per_op,dataset,future_column,valid\n"
		"a,12.5,d1,x,1\n"
		"b,NA,d1,x,1\n"
		"\n"
		"c,7,d2,x,0\n"
		"d,3";
	CHECK(!csv_read_text(text, strlen(text), "t.csv", need, &t, NULL, err,
			     sizeof err));
	CHECK(t.nrows == 3);
	CHECK(t.skipped_lines == 1 && t.first_skipped_line == 6);
	CHECK(t.present[CSV_index] && t.present[CSV_valid]);
	CHECK(!t.present[CSV_p99]);
	if (t.nrows == 3) {
		double v;
		uint64_t u;
		CHECK(!strcmp(csv_row_str(&t.rows[0], CSV_index), "a"));
		CHECK(!strcmp(csv_row_str(&t.rows[0], CSV_dataset), "d1"));
		CHECK(!csv_row_double(&t.rows[0], CSV_ns_per_op, &v) && v == 12.5);
		CHECK(csv_row_double(&t.rows[1], CSV_ns_per_op, &v) == -1 && isnan(v));
		CHECK(csv_row_is_na(&t.rows[1], CSV_ns_per_op));
		/* An absent column reads as NA. */
		CHECK(csv_row_double(&t.rows[0], CSV_p99, &v) == -1 && isnan(v));
		CHECK(!strcmp(csv_row_str(&t.rows[0], CSV_p99), "NA"));
		CHECK(!csv_row_u64(&t.rows[2], CSV_valid, &u) && u == 0);
		CHECK(t.rows[2].line == 5);
	}
	csv_table_free(&t);

	test_context = "csv: a complete last line without a newline is kept";
	text = "dataset,index,ns_per_op\nd,a,1\nd,b,2";
	CHECK(!csv_read_text(text, strlen(text), "t.csv", need, &t, NULL, err,
			     sizeof err));
	CHECK(t.nrows == 2 && t.skipped_lines == 0);
	csv_table_free(&t);

	test_context = "csv: missing required columns";
	text = "dataset,mops\nd,1\n";
	CHECK(csv_read_text(text, strlen(text), "old.csv", need, &t, NULL, err,
			    sizeof err) == -1);
	CHECK(strstr(err, "missing required columns") != NULL);
	CHECK(strstr(err, "index") && strstr(err, "ns_per_op"));
	CHECK(strstr(err, "old.csv") != NULL);

	test_context = "csv: duplicated column, empty file, repeated header";
	text = "dataset,index,index,ns_per_op\n";
	CHECK(csv_read_text(text, strlen(text), "dup.csv", need, &t, NULL, err,
			    sizeof err) == -1);
	CHECK(strstr(err, "twice") != NULL);
	CHECK(csv_read_text("", 0, "empty.csv", need, &t, NULL, err,
			    sizeof err) == -1);
	CHECK(strstr(err, "empty") != NULL);
	text = "dataset,index,ns_per_op\r\nd,a,1\r\ndataset,index,ns_per_op\nd,b,x\n";
	CHECK(!csv_read_text(text, strlen(text), "two.csv", need, &t, NULL, err,
			     sizeof err));
	CHECK(t.nrows == 2 && t.skipped_lines == 0);
	if (t.nrows == 2) {
		double v;
		CHECK(!csv_row_double(&t.rows[0], CSV_ns_per_op, &v) && v == 1);
		CHECK(csv_row_double(&t.rows[1], CSV_ns_per_op, &v) == -1);
	}
	csv_table_free(&t);

	test_context = "csv: file reader and missing file";
	write_file("reader.csv", "dataset,index,ns_per_op\nd,a,5\nd,b\n");
	char path[512];
	path_in_tmp(path, sizeof path, "reader.csv");
	CHECK(!csv_read_file(path, need, &t, NULL, err, sizeof err));
	CHECK(t.nrows == 1 && t.skipped_lines == 1);
	csv_table_free(&t);
	path_in_tmp(path, sizeof path, "no-such.csv");
	CHECK(csv_read_file(path, need, &t, NULL, err, sizeof err) == -1);
	CHECK(strstr(err, "no-such.csv") != NULL);

	test_context = "csv: every schema column has a name";
	for (int c = 0; c < CSV_NCOLUMNS; c++)
		CHECK(csv_column_find(csv_column_names[c]) == c);
	CHECK(csv_column_find("nonsense") == -1);
}

/* --------------------------------------------------------------- verdict */

/* Appends batch rows for one configuration, one per repetition. */
static void add_config(char **csv, size_t *len, const char *index,
		       const char *family, const char *params, const char *dataset,
		       const char *workload, const double *ns, int nreps, int valid)
{
	for (int i = 0; i < nreps; i++) {
		char line[512];
		int w = snprintf(line, sizeof line,
				 "%s,1000000,%s,%s,%s,%s,,batch,1,%d,%.3f,%.3f,%d,\n",
				 dataset, index, family, params, workload, i + 1, ns[i],
				 1000 / ns[i], valid);
		*csv = realloc(*csv, *len + (size_t)w + 1);
		if (!*csv)
			abort();
		memcpy(*csv + *len, line, (size_t)w + 1);
		*len += (size_t)w;
	}
}

static void add_reps(char **csv, size_t *len, const char *index,
		     const char *family, const char *dataset,
		     const char *workload, const double *ns, int nreps,
		     int valid)
{
	add_config(csv, len, index, family, "k=1", dataset, workload, ns, nreps, valid);
}

static char *new_csv(size_t *len)
{
	/* An older-style file: fewer columns than the schema, on purpose. */
	const char *header = "dataset,n_keys,index,family,params,workload,wparams,"
			     "mode,threads,rep,ns_per_op,mops,valid,note\n";
	*len = strlen(header);
	char *s = strdup(header);
	if (!s)
		abort();
	return s;
}

/* Writes `csv` as NAME.csv, runs the report, returns REPORT text. */
static char *run_report(const char *name, const char *csv, int *rc)
{
	char csv_name[128], out_name[128], csv_path[512], out_path[512],
		plots[512];
	snprintf(csv_name, sizeof csv_name, "%s.csv", name);
	snprintf(out_name, sizeof out_name, "%s.md", name);
	write_file(csv_name, csv);
	path_in_tmp(csv_path, sizeof csv_path, csv_name);
	path_in_tmp(out_path, sizeof out_path, out_name);
	path_in_tmp(plots, sizeof plots, "plots");
	char *argv[] = {"report", "--csv", csv_path, "--out", out_path,
			"--plots", plots, NULL};
	*rc = report_main(7, argv);
	return read_file(out_name);
}

static void test_verdict(void)
{
	double learned_tight[] = {100, 101, 99, 100, 102};
	double tree_tight[] = {250, 251, 249, 250, 252};
	double bhash[] = {50, 51, 49, 50, 50};
	double learned_wide[] = {100, 60, 140, 80, 120};
	double tree_wide[] = {210, 150, 270, 180, 240};
	double cheat[] = {10, 10, 10, 10, 10};
	char line[1024];
	int rc;
	size_t len;
	char *csv, *report;

	test_context = "verdict: 2.5x with tight repetitions -> GO";
	csv = new_csv(&len);
	add_reps(&csv, &len, "lix", "learned", "uspr_1M_uint64", "point",
		 learned_tight, 5, 1);
	add_reps(&csv, &len, "tix", "tree", "uspr_1M_uint64", "point",
		 tree_tight, 5, 1);
	add_reps(&csv, &len, "hix", "hash", "uspr_1M_uint64", "point",
		 bhash, 5, 1);
	/* A second workload where the learned index loses must not matter. */
	add_reps(&csv, &len, "lix", "learned", "uspr_1M_uint64", "other",
		 tree_tight, 5, 1);
	add_reps(&csv, &len, "tix", "tree", "uspr_1M_uint64", "other",
		 learned_tight, 5, 1);
	report = run_report("go", csv, &rc);
	CHECK(rc == 0);
	verdict_line(report, line, sizeof line);
	CHECK(!strcmp(line, "**Verdict: GO, but not on time-series keys** (no data there)."));
	question_line(report, 2, line, sizeof line);
	CHECK(!strncmp(line, "2. **read-only lookups: GO**", 28));
	CHECK(strstr(line, "within one build)") != NULL); /* no build column */
	CHECK(strstr(line, "`point`") != NULL);
	CHECK(strstr(line, "`uspr_1M_uint64`") != NULL);
	CHECK(strstr(line, "`lix`") && strstr(line, "`tix`"));
	CHECK(strstr(line, "2.50x") != NULL);
	CHECK(strstr(report, "### Learned vs best hash table") != NULL);
	CHECK(strstr(report, "0.50x") != NULL); /* learned vs hash ratio */
	CHECK(strstr(report, "None: every row was valid") != NULL);
	free(report);
	free(csv);

	test_context = "verdict: 2.1x with wide spread -> NO-GO, near-miss named";
	csv = new_csv(&len);
	add_reps(&csv, &len, "lix", "learned", "logn_1M_uint64", "point",
		 learned_wide, 5, 1);
	add_reps(&csv, &len, "tix", "tree", "logn_1M_uint64", "point",
		 tree_wide, 5, 1);
	report = run_report("nogo", csv, &rc);
	CHECK(rc == 0);
	verdict_line(report, line, sizeof line);
	CHECK(!strncmp(line, "**Verdict: NO-GO**", 18));
	question_line(report, 2, line, sizeof line);
	CHECK(strstr(line, "near-miss") != NULL);
	CHECK(strstr(line, "2.10x") != NULL);
	CHECK(strstr(line, "`point`") && strstr(line, "`logn_1M_uint64`"));
	free(report);

	test_context = "verdict: invalid rows excluded and mentioned";
	/* A learned index 25x faster, but its answers were wrong. */
	add_reps(&csv, &len, "cheat", "learned", "logn_1M_uint64", "point",
		 cheat, 5, 0);
	report = run_report("invalid", csv, &rc);
	CHECK(rc == 0);
	verdict_line(report, line, sizeof line);
	CHECK(!strncmp(line, "**Verdict: NO-GO**", 18));
	question_line(report, 2, line, sizeof line);
	CHECK(strstr(line, "2.10x") != NULL);
	CHECK(strstr(line, "cheat") == NULL);
	CHECK(strstr(report, "5 rows with `valid` != 1 excluded") != NULL);
	const char *excluded = strstr(report, "## Excluded rows");
	CHECK(excluded && strstr(excluded, "| `cheat` |") != NULL);
	CHECK(strstr(report, "5 excluded as invalid") != NULL);
	free(report);
	free(csv);

	test_context = "verdict: one repetition cannot give GO (no interval)";
	csv = new_csv(&len);
	add_reps(&csv, &len, "lix", "learned", "uspr_1M_uint64", "point",
		 learned_tight, 1, 1);
	add_reps(&csv, &len, "tix", "tree", "uspr_1M_uint64", "point",
		 tree_tight, 1, 1);
	report = run_report("onerep", csv, &rc);
	verdict_line(report, line, sizeof line);
	CHECK(!strncmp(line, "**Verdict: NO-GO**", 18));
	question_line(report, 2, line, sizeof line);
	CHECK(strstr(line, "NA (<3 reps)") != NULL);
	free(report);
	free(csv);

	test_context = "verdict: no B-tree at all -> NO-GO";
	csv = new_csv(&len);
	add_reps(&csv, &len, "lix", "learned", "uspr_1M_uint64", "point",
		 learned_tight, 5, 1);
	report = run_report("notree", csv, &rc);
	verdict_line(report, line, sizeof line);
	CHECK(!strncmp(line, "**Verdict: NO-GO**", 18));
	free(report);
	free(csv);

	test_context = "verdict: time-series keys are asked first";
	csv = new_csv(&len);
	add_reps(&csv, &len, "lix", "learned", "ts_bursty_1M_uint64", "seq-lookup",
		 learned_tight, 5, 1);
	add_reps(&csv, &len, "tix", "tree", "ts_bursty_1M_uint64", "seq-lookup",
		 tree_tight, 5, 1);
	report = run_report("ts", csv, &rc);
	verdict_line(report, line, sizeof line);
	CHECK(!strcmp(line, "**Verdict: GO** — on time-series keys."));
	question_line(report, 1, line, sizeof line);
	CHECK(!strncmp(line, "1. **time-series / sequential keys: GO**", 40));
	question_line(report, 2, line, sizeof line);
	CHECK(!strncmp(line, "2. **read-only lookups: no data**", 33));
	free(report);
	free(csv);

	test_context = "verdict: every passing row listed, and how many keep key order";
	csv = new_csv(&len);
	add_reps(&csv, &len, "lix", "learned", "ts_bursty_1M_uint64", "seq-lookup",
		 learned_tight, 5, 1);
	add_reps(&csv, &len, "tix", "tree", "ts_bursty_1M_uint64", "seq-lookup",
		 tree_tight, 5, 1);
	add_reps(&csv, &len, "lix", "learned", "ts_bursty_1M_uint64", "point",
		 learned_tight, 5, 1);
	add_reps(&csv, &len, "tix", "tree", "ts_bursty_1M_uint64", "point",
		 tree_tight, 5, 1);
	report = run_report("ts2", csv, &rc);
	question_line(report, 1, line, sizeof line);
	CHECK(strstr(line, " Passing: `point` over `ts_bursty_1M_uint64`") != NULL);
	CHECK(strstr(line, "; `seq-lookup` over `ts_bursty_1M_uint64`") != NULL);
	CHECK(strstr(line, "1 of the 2 run in key order") != NULL);
	free(report);
	free(csv);

	test_context = "verdict: a trie is an ordered opponent too";
	double trie_ns[] = {150, 151, 149, 150, 152};
	csv = new_csv(&len);
	add_reps(&csv, &len, "lix", "learned", "uspr_1M_uint64", "point",
		 learned_tight, 5, 1);
	add_reps(&csv, &len, "tix", "tree", "uspr_1M_uint64", "point",
		 tree_tight, 5, 1);
	add_reps(&csv, &len, "rix", "trie", "uspr_1M_uint64", "point",
		 trie_ns, 5, 1);
	report = run_report("trie", csv, &rc);
	verdict_line(report, line, sizeof line);
	CHECK(!strncmp(line, "**Verdict: NO-GO**", 18));
	question_line(report, 2, line, sizeof line);
	CHECK(strstr(line, "1.50x the speed of `rix`") != NULL);
	free(report);
	free(csv);

	test_context = "verdict: a B-tree that ran defaults only decides nothing";
	double alex_best[] = {100, 101, 99, 100, 102}, alex_other[] = {130, 131, 129, 130, 132};
	double btree_tuned[] = {250, 251, 249, 250, 252}, btree_packed[] = {400, 401, 399, 400, 402};
	char *tuned = new_csv(&len);
	add_config(&tuned, &len, "alex", "learned", "init_density=0.3", "uspr_1M_uint64",
		   "point-grown", alex_best, 5, 1);
	add_config(&tuned, &len, "alex", "learned", "init_density=0.7", "uspr_1M_uint64",
		   "point-grown", alex_other, 5, 1);
	size_t untuned_len = len;
	char *untuned = strdup(tuned);
	if (!untuned)
		abort();
	add_config(&tuned, &len, "btree", "tree", "fill=0.7", "uspr_1M_uint64",
		   "point-grown", btree_tuned, 5, 1);
	add_config(&tuned, &len, "btree", "tree", "fill=1.0", "uspr_1M_uint64",
		   "point-grown", btree_packed, 5, 1);
	add_config(&untuned, &untuned_len, "btree", "tree", "fill=1.0", "uspr_1M_uint64",
		   "point-grown", btree_packed, 5, 1);
	report = run_report("tuned", tuned, &rc);
	question_line(report, 3, line, sizeof line);
	CHECK(!strncmp(line, "3. **writes and lookups after writes: GO**", 42));
	CHECK(strstr(line, "2.50x") != NULL);
	free(report);
	report = run_report("untuned", untuned, &rc);
	question_line(report, 3, line, sizeof line);
	CHECK(!strncmp(line, "3. **writes and lookups after writes: not decided**", 51));
	CHECK(strstr(line, "4.00x") != NULL); /* named, but it does not decide */
	CHECK(strstr(report, "no: a side ran defaults only") != NULL);
	verdict_line(report, line, sizeof line);
	CHECK(!strncmp(line, "**Verdict: not decided**", 24));
	free(report);
	free(tuned);
	free(untuned);

	test_context = "verdict: intervals across builds, and pooled runs flagged";
	{
		static const char header[] = "dataset,index,family,params,workload,wparams,"
					     "mode,threads,rep,ns_per_op,valid,build\n";
		size_t cap = 8192, used = 0;
		char *text = malloc(cap);
		if (!text)
			abort();
		used += (size_t)snprintf(text + used, cap - used, "%s", header);
		for (int b = 1; b <= 3; b++)
			for (int rep = 1; rep <= 2; rep++) {
				used += (size_t)snprintf(text + used, cap - used,
					"uspr_1M_uint64,lix,learned,k=1,point,,batch,1,%d,%d,1,%d\n",
					rep, 100 + b, b);
				used += (size_t)snprintf(text + used, cap - used,
					"uspr_1M_uint64,tix,tree,k=1,point,,batch,1,%d,%d,1,%d\n",
					rep, 250 + b, b);
			}
		report = run_report("builds", text, &rc);
		question_line(report, 2, line, sizeof line);
		CHECK(strstr(line, "across builds)") != NULL);
		CHECK(strstr(line, "pooled") == NULL);
		free(report);
		/* The same rows again, as a second command would append them. */
		size_t body = strlen(header);
		CHECK(used * 2 - body < cap);
		memcpy(text + used, text + body, used - body);
		text[2 * used - body] = 0;
		report = run_report("pooled", text, &rc);
		question_line(report, 2, line, sizeof line);
		CHECK(strstr(line, "across builds, pooled from separate runs)") != NULL);
		free(report);
		free(text);
	}

	test_context = "verdict: sides with different operation counts do not decide";
	{
		char text[4096];
		size_t used = (size_t)snprintf(text, sizeof text, "%s",
			"dataset,index,family,params,workload,wparams,mode,threads,rep,ops,ns_per_op,valid\n");
		for (int rep = 1; rep <= 5; rep++) {
			used += (size_t)snprintf(text + used, sizeof text - used,
				"uspr_1M_uint64,lix,learned,k=1,point,,batch,1,%d,500000,100,1\n", rep);
			used += (size_t)snprintf(text + used, sizeof text - used,
				"uspr_1M_uint64,tix,tree,k=1,point,,batch,1,%d,100000,300,1\n", rep);
		}
		report = run_report("opcounts", text, &rc);
		question_line(report, 2, line, sizeof line);
		CHECK(!strncmp(line, "2. **read-only lookups: not decided**", 37));
		CHECK(strstr(report, "no: operation counts differ") != NULL);
		free(report);
	}

	test_context = "report: interrupted CSV, missing column, plots, usage";
	csv = new_csv(&len);
	add_reps(&csv, &len, "lix", "learned", "uspr_1M_uint64", "point",
		 learned_tight, 5, 1);
	add_reps(&csv, &len, "tix", "tree", "uspr_1M_uint64", "point",
		 tree_tight, 5, 1);
	csv = realloc(csv, len + 64);
	if (!csv)
		abort();
	strcat(csv, "uspr_1M_uint64,1000000,tix,tree"); /* cut off */
	char plots[512], png[600];
	path_in_tmp(plots, sizeof plots, "plots");
	CHECK(!mkdir(plots, 0700));
	snprintf(png, sizeof png, "%s/lookup_x.png", plots);
	FILE *f = fopen(png, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	snprintf(png, sizeof png, "%s/lookup_x.txt", plots);
	f = fopen(png, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("The caption of x.\n", f);
		fclose(f);
	}
	report = run_report("interrupted", csv, &rc);
	CHECK(rc == 0);
	CHECK(strstr(report, "1 malformed or interrupted line") != NULL);
	CHECK(strstr(report, "![lookup_x](plots/lookup_x.png)") != NULL);
	CHECK(strstr(report, "*The caption of x.*") != NULL);
	verdict_line(report, line, sizeof line);
	CHECK(!strncmp(line, "**Verdict: GO, but not", 22));
	free(report);
	free(csv);
	remove(png);
	snprintf(png, sizeof png, "%s/lookup_x.png", plots);
	remove(png);
	rmdir(plots);

	report = run_report("missing", "dataset,index,ns_per_op\nd,a,1\n", &rc);
	CHECK(rc == 2);
	free(report);
	char *help[] = {"report", "--help", NULL};
	CHECK(report_main(2, help) == 0);
	char *bad[] = {"report", "--bogus", NULL};
	CHECK(report_main(2, bad) == 2);
	char *novalue[] = {"report", "--csv", NULL};
	CHECK(report_main(2, novalue) == 2);
}

/* What a workload is comes from the registry: seq-append and seq-ooo write
 * and are sequential (question 1, and the Writes section), ycsb-a writes
 * (question 3), point reads (question 2); the verdict is a struct computed
 * without printing. */
static void test_workload_kinds(void)
{
	double learned[] = {100, 101, 99, 100, 102};
	double tree[] = {150, 151, 149, 150, 152};
	static const char *const workloads[] = {"seq-append", "seq-ooo", "ycsb-a", "point"};
	int rc;
	size_t len;
	test_context = "report: workload kinds from the registry";
	char *csv = new_csv(&len);
	for (size_t w = 0; w < sizeof workloads / sizeof *workloads; w++) {
		add_reps(&csv, &len, "lix", "learned", "uspr_1M_uint64", workloads[w], learned, 5, 1);
		add_reps(&csv, &len, "tix", "tree", "uspr_1M_uint64", workloads[w], tree, 5, 1);
	}
	write_file("kinds.csv", csv);
	char path[512], err[256];
	path_in_tmp(path, sizeof path, "kinds.csv");
	struct results r;
	struct verdict v;
	CHECK(results_load(path, &r, NULL, err, sizeof err) == 0);
	CHECK(verdict_compute(&r, &v, err, sizeof err) == 0);
	CHECK(v.ndecisions[Q_TIME_SERIES] == 2 && v.ndecisions[Q_WRITES] == 1 &&
	      v.ndecisions[Q_READS] == 1);
	CHECK(v.ndecisions[Q_WRITES] && !strcmp(v.decisions[Q_WRITES][0].learned->workload, "ycsb-a"));
	CHECK(v.kind == VERDICT_NO_GO); /* 1.5x everywhere */
	CHECK(workload_is_point("ycsb-a") && !workload_is_point("range") &&
	      !workload_is_point("no-such-workload"));
	verdict_free(&v);
	results_free(&r);
	char *report = run_report("kinds", csv, &rc);
	const char *writes = strstr(report, "## Writes");
	const char *end = writes ? strstr(writes, "## Thresholds") : NULL;
	CHECK(writes && end);
	for (int w = 0; writes && end && w < 3; w++) {
		char want[64];
		snprintf(want, sizeof want, ", `%s`, threads 1**", workloads[w]);
		const char *at = strstr(writes, want);
		CHECK(at && at < end);
	}
	CHECK(!writes || !end || !strstr(writes, ", `point`, threads 1**") ||
	      strstr(writes, ", `point`, threads 1**") > end);
	free(report);
	free(csv);
}

/* ------------------------------------------------------------------ SOSD */

/* B18: a row that says valid=1 with a negative, infinite or non-numeric
 * timing is excluded and counted, never averaged into the tables. */
static void test_impossible_figures(void)
{
	double learned[] = {100, 101, 99, 100, 102};
	double tree[] = {250, 251, 249, 250, 252};
	double negative[] = {-5, -5, -5, -5, -5};
	int rc;
	size_t len;
	test_context = "report: impossible figures in valid rows";
	char *csv = new_csv(&len);
	add_reps(&csv, &len, "lix", "learned", "uspr_1M_uint64", "point", learned, 5, 1);
	add_reps(&csv, &len, "tix", "tree", "uspr_1M_uint64", "point", tree, 5, 1);
	add_reps(&csv, &len, "neg", "learned", "uspr_1M_uint64", "point", negative, 5, 1);
	const char *odd = "uspr_1M_uint64,1000000,inf,learned,k=1,point,,batch,1,1,inf,0,1,\n"
			  "uspr_1M_uint64,1000000,nan,learned,k=1,point,,batch,1,1,3,nan,1,\n";
	csv = realloc(csv, len + strlen(odd) + 1);
	if (!csv)
		abort();
	strcpy(csv + len, odd);
	char *report = run_report("impossible", csv, &rc);
	CHECK(rc == 0);
	CHECK(strstr(report, "7 excluded for impossible figures") != NULL);
	CHECK(strstr(report, "7 rows with `valid` = 1 excluded for impossible figures") != NULL);
	CHECK(strstr(report, "`ns_per_op` = `-5.000`") != NULL);
	CHECK(strstr(report, "-5.00 [") == NULL); /* no table shows it */
	CHECK(strstr(report, "`neg`") == NULL && strstr(report, "`inf`") == NULL &&
	      strstr(report, "`nan`") == NULL);
	CHECK(strstr(report, "`lix`") != NULL);
	free(report);
	free(csv);
}

/* B19: a garbage file gives its one error, and many skipped lines one
 * warning line, not one each. */
static void test_reader_warnings(void)
{
	static const enum csv_column need[] = {CSV_dataset, CSV_index, CSV_NCOLUMNS};
	struct csv_table t;
	char err[256], line[512];
	test_context = "csv: one warning line for many skipped lines";
	const char *text = "dataset,index\nd,a\nx\ny,z,w\nd,b\nq\n";
	FILE *warn = tmpfile();
	CHECK(warn != NULL);
	if (!warn)
		return;
	CHECK(!csv_read_text(text, strlen(text), "w.csv", need, &t, warn, err, sizeof err));
	CHECK(t.nrows == 2 && t.skipped_lines == 3);
	csv_table_free(&t);
	rewind(warn);
	int lines = 0;
	while (fgets(line, sizeof line, warn))
		lines++;
	CHECK(lines == 1);
	rewind(warn);
	CHECK(fgets(line, sizeof line, warn) && strstr(line, "3 malformed or interrupted lines skipped") &&
	      strstr(line, "line 3"));

	test_context = "csv: a garbage file: its error only";
	char garbage[4096];
	for (size_t i = 0; i < sizeof garbage; i++)
		garbage[i] = (char)("a,\n;x"[i % 6] + (i % 7 == 0));
	FILE *warn2 = tmpfile();
	CHECK(warn2 != NULL);
	if (warn2) {
		CHECK(csv_read_text(garbage, sizeof garbage, "g.csv", need, &t, warn2, err,
				    sizeof err) == -1);
		CHECK(strstr(err, "missing required columns") != NULL);
		CHECK(ftell(warn2) == 0);
		fclose(warn2);
	}
	fclose(warn);
}

static void test_sosd(void)
{
	test_context = "sosd comparison";
	write_file("published.csv",
		   "# a source line\n"
		   "dataset,ART,BTree,BS,RMI,RS\n"
		   "face64,391,592,784,334,461\n"
		   "amzn32,NA,529,773,264,275\n");
	size_t len;
	char *csv = new_csv(&len);
	double bs[] = {800, 800, 800}, bt[] = {600, 600, 600},
	       rmi[] = {200, 200, 200}, rs[] = {250, 250, 250}, refrs[] = {420, 420, 420},
	       art[] = {150, 150, 150};
	add_reps(&csv, &len, "binsearch", "baseline", "fb_200M_uint64", "point", bs, 3, 1);
	add_reps(&csv, &len, "btree", "tree", "fb_200M_uint64", "point", bt, 3, 1);
	add_reps(&csv, &len, "rmi", "learned", "fb_200M_uint64", "point", rmi, 3, 1);
	add_reps(&csv, &len, "rs", "learned", "fb_200M_uint64", "point", rs, 3, 1);
	add_reps(&csv, &len, "art", "trie", "fb_200M_uint64", "point", art, 3, 1);
	/* the authors' RadixSpline, measured beside ours (make sosd REF=1) */
	add_reps(&csv, &len, "refrs", "learned", "fb_200M_uint64", "point", refrs, 3, 1);
	add_reps(&csv, &len, "rmi", "learned", "books_200M_uint32", "point", rmi, 3, 1);
	/* rmi as SOSD configured it: slower than our best, the factor closed */
	double rmi_sosd[] = {340, 340, 340};
	add_config(&csv, &len, "rmi", "learned", "k=2:top=linear", "fb_200M_uint64", "point",
		   rmi_sosd, 3, 1);
	write_file("sosd.csv", csv);
	write_file("configs.csv",
		   "# what SOSD ran\n"
		   "dataset,column,spec,sosd_ran\n"
		   "*,RMI,rmi:top=linear,\"a linear, \"\"quoted\"\" model\"\n"
		   "face64,BTree,,STX\n"
		   "*,RS,,a spline\n"
		   "*,BTree,btree:k=9,never shown: face64's own line wins\n");
	free(csv);
	char main_csv[512], sosd[512], pub[512], out[512], plots[512], cfg[512];
	path_in_tmp(main_csv, sizeof main_csv, "go.csv"); /* from test_verdict */
	path_in_tmp(sosd, sizeof sosd, "sosd.csv");
	path_in_tmp(pub, sizeof pub, "published.csv");
	path_in_tmp(out, sizeof out, "sosd.md");
	path_in_tmp(plots, sizeof plots, "plots");
	path_in_tmp(cfg, sizeof cfg, "configs.csv");
	char *argv[] = {"report", "--csv", main_csv, "--out", out,
			"--plots", plots, "--sosd", sosd,
			"--sosd-published", pub, "--sosd-configs", cfg, NULL};
	CHECK(report_main(13, argv) == 0);
	char *report = read_file("sosd.md");
	CHECK(strstr(report, "## Comparison with SOSD") != NULL);
	CHECK(strstr(report, "> a source line") != NULL);
	CHECK(strstr(report, "vs SOSD `face64`") != NULL);
	CHECK(strstr(report, "vs SOSD `amzn32`") != NULL);
	/* ours 200/800 = 0.25x BS, SOSD's 334/784 = 0.43x: factor 0.59, flagged */
	CHECK(strstr(report, "| `rmi` (k=1) | RMI | 200 | 0.25x | 334 | 0.43x | 0.59x ⚠ | 2 | 1 |") != NULL);
	/* btree 0.75x vs 592/784 = 0.76x: within 25%, not flagged */
	CHECK(strstr(report, "| 600 | 0.75x | 592 | 0.76x | 0.99x | 4 | 4 |") != NULL);
	/* the authors' code beside ours: 420/800 = 0.53x BS, 0.89x of SOSD's */
	CHECK(strstr(report, "SOSD ran a spline; authors' code here (`refrs` k=1): 0.53x BS, factor 0.89x; "
			     "ours/theirs 0.60x") != NULL);
	CHECK(strstr(report, "`refrs` (k=1) | RS") == NULL); /* never a row of its own */
	/* face64's btree (within), rmi (beyond, but 340/800 = 0.425x BS at
	 * SOSD's configuration against SOSD's 0.43x: closed), rs (beyond, the
	 * authors' RadixSpline within: ours against theirs), art (beyond, no
	 * measurement); amzn32 has no binary search to divide by */
	CHECK(strstr(report, "1 of 4 factors (binary search's own left out) within 1.25 "
			     "either way. Of the 3 beyond: 1 come within it") != NULL);
	CHECK(strstr(report, "; 0 are shared by the authors' code") != NULL);
	CHECK(strstr(report, "; 1 are ours against the authors' code, whose factor is within "
			     "1.25: `rs` on face64 (ours/theirs 0.60x); 1 have no such "
			     "measurement (no authors' code here, or theirs off the other way): "
			     "`art` on face64.") != NULL);
	CHECK(strstr(report, "SOSD ran a linear, \"quoted\" model; ours so (`rmi:top=linear`): "
			     "0.42x BS, factor 1.00x") != NULL);
	CHECK(strstr(report, "| SOSD ran STX |") != NULL);
	CHECK(strstr(report, "never shown") == NULL);
	free(report);
	/* a malformed configurations file: one line, exit 2, no report */
	write_file("configs.csv", "dataset,column,spec,sosd_ran\n*,RMI,\"unclosed\n");
	CHECK(report_main(13, argv) == 2);
	write_file("configs.csv", "dataset,column,spec,sosd_ran\n*,RMI,rmi\n");
	CHECK(report_main(13, argv) == 2);
	report = read_file("sosd.md"); /* the earlier one, untouched */
	CHECK(strstr(report, "SOSD ran STX") != NULL);
	/* Ranks on face64 swap art and rmi only: rho = 1 - 6 * 2 / (5 * 24). */
	CHECK(strstr(report, "over 5 indexes: 0.9\n") != NULL);
	free(report);
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/omenbench-test-report-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_stats());
	RUN(test_csv_reader());
	RUN(test_verdict());
	RUN(test_sosd());
	RUN(test_impossible_figures());
	RUN(test_reader_warnings());
	RUN(test_workload_kinds());
	/* Tidy up only what this test wrote. */
	static const char *const names[] = {
		"reader.csv", "go.csv", "go.md", "nogo.csv", "nogo.md",
		"invalid.csv", "invalid.md", "onerep.csv", "onerep.md",
		"notree.csv", "notree.md", "interrupted.csv", "interrupted.md",
		"missing.csv", "missing.md", "published.csv", "sosd.csv",
		"sosd.md", "ts.csv", "ts.md", "trie.csv", "trie.md", "tuned.csv",
		"tuned.md", "untuned.csv", "untuned.md", "builds.csv", "builds.md",
		"pooled.csv", "pooled.md", "opcounts.csv", "opcounts.md",
		"impossible.csv", "impossible.md", "kinds.csv", "kinds.md",
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char path[512];
		path_in_tmp(path, sizeof path, names[i]);
		remove(path);
	}
	if (rmdir(tmpdir))
		fprintf(stderr, "note: %s not empty, left in place\n", tmpdir);
	TEST_MAIN_END();
}
