/*
 * report/report.c — `omenbench report`: REPORT.md from the results CSV.
 *
 * The rows are organised by results.h (configurations, experiments, the
 * median and best-configuration rules) and the verdict is computed by
 * verdict.h; this file lays out the Markdown sections, in the order a
 * reader asks: the answer, its caveats, how it was measured, the tables
 * behind it.  Cells and numbers are written by markdown.h, the plots
 * section by plotlist.h, the SOSD comparison by sosd.h.
 */
#include "report/report.h"

#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/csvread.h"
#include "indexes/index.h"
#include "report/markdown.h"
#include "common/message.h"
#include "common/outfile.h"
#include "report/plotlist.h"
#include "report/results.h"
#include "report/sosd.h"
#include "harness/stats.h"
#include "report/verdict.h"
#include "workloads/workload.h"

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
	const char *sosd_configs_path; /* NULL: the default, skipped when absent */
};

/* Reads one CSV for the report; 0, or -1 with a message on stderr. */
static int load_csv(const char *path, struct results *r)
{
	char err[512];
	if (results_load(path, r, stderr, err, sizeof err)) {
		fprintf(stderr, "omenbench report: %s\n", err);
		return -1;
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
	return 0;
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
		double b = cache_bytes(row_text(r->valid_rows[i], CSV_llc));
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
		const char *d = row_text(r->valid_rows[i], CSV_dataset);
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
		rocksdb = !strcmp(row_text(r->valid_rows[i], CSV_index), "rocksdb");
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
		STATS_BOOTSTRAP_B, RESULTS_CI_MIN_REPS);
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
		const char *d = row_text(r->valid_rows[i], CSV_dataset);
		const char *n = csv_row_str(r->valid_rows[i], CSV_n_keys);
		size_t j = i;
		while (j < r->nvalid &&
		       !strcmp(row_text(r->valid_rows[j], CSV_dataset), d))
			j++;
		fprintf(f, "| ");
		put_code(f, d);
		fprintf(f, " | %s | %zu |\n", n, j - i);
		i = j;
	}
	fputc('\n', f);
}

static void decision_table(FILE *f, const struct verdict *v, enum question q)
{
	const struct decision *d = v->decisions[q];
	size_t n = v->ndecisions[q];
	if (!n) {
		fprintf(f, "No batch-mode experiment of this kind has both a learned and an ordered non-learned result.\n\n");
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

/* Every passing row of a question in one sentence, so a GO shows what it
 * rests on (which workloads, which data) without the appendix. */
static void put_passing_rows(FILE *f, const struct decision *d, size_t n,
			     int time_series)
{
	fprintf(f, " Passing:");
	const char *sep = " ";
	size_t in_order = 0, passing = 0;
	for (size_t i = 0; i < n; i++) {
		if (!d[i].pass)
			continue;
		fputs(sep, f);
		put_workload(f, d[i].learned);
		fprintf(f, " over ");
		put_code(f, d[i].learned->dataset);
		fprintf(f, " (`%s` %.2fx `%s`)", d[i].learned->index, d[i].cmp.ratio,
			d[i].ordered->index);
		sep = "; ";
		passing++;
		in_order += workload_is_in_key_order(d[i].learned->workload);
	}
	fputc('.', f);
	/* A time-series key set written in random order is not a time-series
	 * workload: say how many passing rows keep the keys' order. */
	if (time_series)
		fprintf(f, " %zu of the %zu run in key order (a workload the registry "
			   "declares sequential)%s.", in_order, passing,
			in_order < passing ? "; the others insert or look up "
					     "time-series keys in random order" : "");
}

/* Writes the verdict: one line per question, time-series first; returns 1
 * when some question's answer is GO, -1 when nothing decides, else 0. */
/* The verdict's rows side by side, with what each costs. */
static void put_verdict_table(FILE *f, const struct verdict *v)
{
	const struct answer *a = v->answer;
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
}

static void section_verdict(FILE *f, const struct verdict *v)
{
	const struct answer *a = v->answer;
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
	if (v->kind == VERDICT_GO_TIME_SERIES)
		fprintf(f, "**Verdict: GO** — on time-series keys.\n\n");
	else if (v->kind == VERDICT_GO_ELSEWHERE)
		fprintf(f, "**Verdict: GO, but not on time-series keys** (%s there).\n\n",
			answer_word(&a[Q_TIME_SERIES]));
	else if (v->kind == VERDICT_UNDECIDED)
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
		fprintf(f, ".");
		if (a[q].passing > 1)
			put_passing_rows(f, v->decisions[q], v->ndecisions[q],
					 q == Q_TIME_SERIES);
		fputc('\n', f);
	}
	fputc('\n', f);
	put_verdict_table(f, v);

}

/* The old engine and hash tables: learned against one family. */
static void family_table(FILE *f, const struct results *r, const char *family,
			 int point_only)
{
	size_t rows = 0;
	for (size_t gi = 0; gi < r->ngroups; gi++) {
		const struct group *g = &r->groups[gi];
		const struct config *first = &r->configs[g->first];
		if (!config_is_batch(first))
			continue;
		if (point_only && !workload_is_point(first->workload))
			continue;
		const struct config *learned = results_best(r, g, "learned", NULL);
		const struct config *other = results_best(r, g, family, NULL);
		if (!learned || !other)
			continue;
		if (!rows++)
			fprintf(f,
				"| data set | workload | threads | best learned | ns [min-max] | best %s | ns [min-max] | speed-up | 95%% CI | same ops |\n"
				"|---|---|---:|---|---:|---|---:|---:|---|---|\n",
				family);
		struct comparison cmp;
		verdict_compare(learned, other, &cmp);
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
		fprintf(f, " | %s |\n", strcmp(row_text(learned->rows[0], CSV_ops),
					      row_text(other->rows[0], CSV_ops)) ? "no" : "yes");
	}
	if (!rows)
		fprintf(f, "No batch-mode experiment has both a learned and a `%s` result.\n", family);
	fputc('\n', f);
}

static void section_decision(FILE *f, const struct results *r, const struct verdict *v)
{
	fprintf(f, "## Decision tables (batch mode)\n\n");
	for (int q = 0; q < NQUESTIONS; q++) {
		fprintf(f, "### %d. %s: learned vs best ordered non-learned\n\n",
			q + 1, question_title[q]);
		decision_table(f, v, (enum question)q);
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
		const struct config *tree = results_best(r, g, "tree", NULL);
		const struct config *base = results_best(r, g, "baseline", NULL);
		fprintf(f, "**");
		put_code(f, first->dataset);
		fprintf(f, ", ");
		put_workload(f, first);
		fprintf(f, ", %s, threads %ld**\n\n", first->mode, first->threads);
		fprintf(f, "| index | family | best params | reps | ns [min-max] | Mops/s | speed-up vs best tree | speed-up vs baseline |\n"
			   "|---|---|---|---:|---:|---:|---:|---:|\n");
		for (size_t i = g->first; i < g->first + g->count; i++) {
			const struct config *c = &r->configs[i];
			if (results_best(r, g, NULL, c->index) != c)
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
	return config_is_batch(c) && config_is_sequential(c);
}

static int want_batch(const struct config *c)
{
	return config_is_batch(c);
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
		if (!config_is_latency(first))
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

/* The thread counts of batch experiments among groups [gi, gj), in order
 * of appearance; returns how many (at most max). */
static size_t batch_thread_counts(const struct results *r, size_t gi, size_t gj, long *out,
				  size_t max)
{
	size_t n = 0;
	for (size_t k = gi; k < gj; k++) {
		const struct config *c = &r->configs[r->groups[k].first];
		if (!config_is_batch(c))
			continue;
		size_t t = 0;
		while (t < n && out[t] != c->threads)
			t++;
		if (t == n && n < max)
			out[n++] = c->threads;
	}
	return n;
}

/* The batch experiments among groups [gi, gj) run on `threads` threads, by
 * read fraction (an insertion sort: a handful of mixes); returns how many. */
static size_t writes_columns(const struct results *r, size_t gi, size_t gj, long threads,
			     size_t *cols, size_t max)
{
	size_t n = 0;
	for (size_t k = gi; k < gj && n < max; k++) {
		const struct config *c = &r->configs[r->groups[k].first];
		if (config_is_batch(c) && c->threads == threads)
			cols[n++] = k;
	}
	for (size_t a = 1; a < n; a++) {
		size_t v = cols[a], b = a;
		double rv = read_fraction(r->configs[r->groups[v].first].wparams);
		while (b > 0) {
			double rb = read_fraction(r->configs[r->groups[cols[b - 1]].first].wparams);
			if (!(rb > rv))
				break;
			cols[b] = cols[b - 1];
			b--;
		}
		cols[b] = v;
	}
	return n;
}

/* The highest median Mops/s of any configuration of index `ix` in g. */
static double best_mops(const struct results *r, const struct group *g, const char *ix)
{
	double best = NAN;
	for (size_t q = g->first; q < g->first + g->count; q++) {
		if (strcmp(r->configs[q].index, ix))
			continue;
		double v = config_median(&r->configs[q], CSV_mops);
		if (!isnan(v) && (isnan(best) || v > best))
			best = v;
	}
	return best;
}

/* One Writes table: a row per index (in the order of the first column that
 * has it), a column per experiment. */
static void put_writes_table(FILE *f, const struct results *r, const struct config *first,
			     long threads, const size_t *cols, size_t ncols)
{
	fprintf(f, "**");
	put_code(f, first->dataset);
	fprintf(f, ", `%s`, threads %ld** — median Mops/s of each index's best configuration\n\n",
		first->workload, threads);
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
			for (size_t m = 0; m < ncols; m++)
				fprintf(f, " %s |", NUM(best_mops(r, &r->groups[cols[m]], ix)));
			fputc('\n', f);
		}
	}
	fputc('\n', f);
}

/* Every workload the registry says writes (or grows the index by inserts):
 * one table per data set, workload and thread count. */
static void section_writes(FILE *f, const struct results *r)
{
	fprintf(f, "## Writes (mixed and insert workloads)\n\n");
	size_t tables = 0;
	/* Groups are sorted by dataset, workload, wparams, mode, threads: the
	 * experiments of one (dataset, workload) lie in one run of groups. */
	for (size_t gi = 0, gj; gi < r->ngroups; gi = gj) {
		const struct config *first = &r->configs[r->groups[gi].first];
		for (gj = gi; gj < r->ngroups; gj++) {
			const struct config *c = &r->configs[r->groups[gj].first];
			if (strcmp(c->dataset, first->dataset) || strcmp(c->workload, first->workload))
				break;
		}
		if (!workload_is_write(first->workload))
			continue;
		long threads[64];
		size_t nthreads = batch_thread_counts(r, gi, gj, threads, 64);
		for (size_t t = 0; t < nthreads; t++) {
			size_t cols[64];
			size_t ncols = writes_columns(r, gi, gj, threads[t], cols, 64);
			put_writes_table(f, r, first, threads[t], cols, ncols);
			tables++;
		}
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

/* What the thresholds table says of one index. */
struct threshold_figures {
	const char *family;
	long max_threads;            /* largest thread count of a batch run */
	double mops, p99, max_ns, scan;
};

/* The worst p99 over the latency experiments of the index's best
 * configuration in each, and that configuration's largest operation. */
static void latency_figures(const struct results *r, const char *name,
			    struct threshold_figures *t)
{
	for (size_t gi = 0; gi < r->ngroups; gi++) {
		const struct group *g = &r->groups[gi];
		const struct config *best = NULL;
		double best_p99 = NAN;
		for (size_t i = g->first; i < g->first + g->count; i++) {
			const struct config *c = &r->configs[i];
			if (strcmp(c->index, name) || !config_is_latency(c))
				continue;
			double v = config_median(c, CSV_p99);
			if (!isnan(v) && (!best || v < best_p99)) {
				best = c;
				best_p99 = v;
			}
		}
		if (!best)
			continue;
		if (isnan(t->p99) || best_p99 > t->p99)
			t->p99 = best_p99;
		double m = config_median(best, CSV_max_ns);
		if (!isnan(m) && (isnan(t->max_ns) || m > t->max_ns))
			t->max_ns = m;
	}
}

/* Mops/s: the best median at the largest thread count the index ran in
 * batch mode; scans: the best median GB/s of any experiment. */
static struct threshold_figures threshold_figures(const struct results *r, const char *name)
{
	struct threshold_figures t = {"", 0, NAN, NAN, NAN, NAN};
	for (size_t i = 0; i < r->nconfigs; i++) {
		const struct config *c = &r->configs[i];
		if (strcmp(c->index, name))
			continue;
		t.family = c->family;
		if (config_is_batch(c) && !isnan(config_median(c, CSV_mops)) &&
		    c->threads > t.max_threads)
			t.max_threads = c->threads;
	}
	for (size_t i = 0; i < r->nconfigs; i++) {
		const struct config *c = &r->configs[i];
		if (strcmp(c->index, name))
			continue;
		if (config_is_batch(c) && c->threads == t.max_threads) {
			double v = config_median(c, CSV_mops);
			if (!isnan(v) && (isnan(t.mops) || v > t.mops))
				t.mops = v;
		}
		double v = config_median(c, CSV_scan_gbps);
		if (!isnan(v) && (isnan(t.scan) || v > t.scan))
			t.scan = v;
	}
	latency_figures(r, name, &t);
	return t;
}

/* The distinct index names, sorted (configs are sorted by experiment
 * first); NULL when out of memory. */
static const char **sorted_index_names(const struct results *r, size_t *n)
{
	const char **names = malloc((r->nconfigs ? r->nconfigs : 1) * sizeof *names);
	*n = 0;
	if (!names)
		return NULL;
	for (size_t i = 0; i < r->nconfigs; i++) {
		size_t k = 0;
		while (k < *n && strcmp(names[k], r->configs[i].index))
			k++;
		if (k == *n)
			names[(*n)++] = r->configs[i].index;
	}
	for (size_t a = 1; a < *n; a++) {
		const char *v = names[a];
		size_t b = a;
		for (; b > 0 && strcmp(names[b - 1], v) > 0; b--)
			names[b] = names[b - 1];
		names[b] = v;
	}
	return names;
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
	size_t nnames;
	const char **names = sorted_index_names(r, &nnames);
	if (!names) {
		fprintf(f, "(out of memory)\n\n");
		return;
	}
	for (size_t k = 0; k < nnames; k++) {
		struct threshold_figures t = threshold_figures(r, names[k]);
		fprintf(f, "| ");
		put_code(f, names[k]);
		char threads[24] = "NA";
		if (t.max_threads)
			snprintf(threads, sizeof threads, "%ld", t.max_threads);
		fprintf(f, " | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			t.family, threads,
			NUM(t.mops), mark(t.mops, 1, VIABLE_MOPS),
			mark(t.mops, 1, COMPETITIVE_MOPS), NUM(t.p99),
			mark(t.p99, 0, VIABLE_P99_NS), mark(t.p99, 0, COMPETITIVE_P99_NS),
			NUM(t.max_ns), NUM(t.scan), mark(t.scan, 1, VIABLE_SCAN_GBPS),
			mark(t.scan, 1, COMPETITIVE_SCAN_GBPS));
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
			       rows_same_config(r->invalid_rows[i], r->invalid_rows[j]))
				j++;
			const struct csv_row *row = r->invalid_rows[i];
			fprintf(f, "| ");
			put_code(f, row_text(row, CSV_index));
			fprintf(f, " | ");
			put_code(f, row_text(row, CSV_params));
			fprintf(f, " | ");
			put_code(f, row_text(row, CSV_dataset));
			fprintf(f, " | ");
			put_code(f, row_text(row, CSV_workload));
			if (*row_text(row, CSV_wparams)) {
				fprintf(f, " ");
				put_code(f, row_text(row, CSV_wparams));
			}
			fprintf(f, " | %s | %ld | %zu | ", row_text(row, CSV_mode),
				row_threads(row), j - i);
			put_cell(f, row_text(row, CSV_note));
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
			put_cell(f, row_text(c->rows[k], CSV_note));
			fprintf(f, " |\n");
		}
	}
	if (unmeasured)
		fputc('\n', f);
	if (!r->table.skipped_lines && !r->ninvalid && !r->nimpossible && !unmeasured)
		fprintf(f, "None: every row was valid and measured.\n\n");
}

/* ------------------------------------------------------------------ main */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: omenbench report [--csv FILE] [--out FILE] [--plots DIR]\n"
		"                        [--sosd FILE [--sosd-published FILE] [--sosd-configs FILE]]\n"
		"  --csv FILE             results to read (default results/bench.csv)\n"
		"  --out FILE             report to write (default REPORT.md)\n"
		"  --plots DIR            PNG plots to show inline (default results/plots)\n"
		"  --sosd FILE            our results on SOSD's data sets, to compare with\n"
		"  --sosd-published FILE  SOSD's leaderboard (default results/sosd_published.csv)\n"
		"  --sosd-configs FILE    what SOSD ran for each figure (default\n"
		"                         results/sosd_published_configs.csv, when present)\n"
		"The verdict: GO if some learned index is >= %.1fx faster than the best\n"
		"ordered non-learned index (tree, trie, binary/interpolation search) on\n"
		"some workload with the 95%% CI's lower end >= %.1f, both sides tuned;\n"
		"answered for time-series keys first, then reads, then writes.\n",
		REPORT_GO_SPEEDUP, REPORT_GO_SPEEDUP);
}

/* The report's sections, the answer first. */
static void put_report(FILE *f, const struct report_options *o, const struct results *r,
		       const struct verdict *v, const struct results *sosd,
		       const struct sosd_published *pub, const struct sosd_configs *configs)
{
	fprintf(f, "# omenbench: go/no-go report\n\n");
	fprintf(f, "Generated by `omenbench report` from `%s` (%zu rows: %zu valid, "
		   "%zu excluded as invalid, %zu excluded for impossible figures, %zu "
		   "malformed lines skipped). Every number below is computed from those "
		   "rows.\n\n",
		o->csv_path, r->table.nrows, r->nvalid, r->ninvalid, r->nimpossible,
		r->table.skipped_lines);
	section_verdict(f, v);
	section_caveats(f, r);
	section_machine(f, r);
	section_method(f, r);
	section_datasets(f, r);
	section_decision(f, r, v);
	section_sequential(f, r);
	section_latency(f, r);
	section_writes(f, r);
	section_thresholds(f, r);
	section_excluded(f, r);
	section_plots(f, o->plots_dir, o->out_path);
	if (sosd)
		section_sosd(f, sosd, pub, o->sosd_published_path, configs->text ? configs : NULL);
	fprintf(f, "## All batch results\n\n");
	per_index_tables(f, r, want_batch);
}

/* Reads the inputs, computes the verdict, writes the report.  0 or 2. */
static int write_report(const struct report_options *o)
{
	struct results r, sosd;
	struct sosd_published pub = {0};
	struct sosd_configs configs = {0};
	struct verdict v = {0};
	struct outfile out;
	char err[1024];
	int rc = 2, have_sosd = 0;
	if (load_csv(o->csv_path, &r))
		return 2;
	if (o->sosd_path) {
		if (load_csv(o->sosd_path, &sosd))
			goto out;
		have_sosd = 1;
		if (sosd_published_load(o->sosd_published_path, &pub))
			goto out;
		const char *cp = o->sosd_configs_path ? o->sosd_configs_path
						      : SOSD_CONFIGS_DEFAULT;
		if ((o->sosd_configs_path || access(cp, F_OK) == 0) &&
		    sosd_configs_load(cp, &configs))
			goto out;
	}
	if (verdict_compute(&r, &v, err, sizeof err)) {
		fprintf(stderr, "omenbench report: %s\n", err);
		goto out;
	}
	/* Written to a temporary name and renamed (outfile.h): a failed run
	 * never leaves half a report behind under the real name. */
	if (outfile_create(&out, o->out_path, err, sizeof err)) {
		fprintf(stderr, "omenbench report: --out %s\n", err);
		goto out;
	}
	put_report(out.f, o, &r, &v, have_sosd ? &sosd : NULL, &pub, &configs);
	if (outfile_commit(&out, err, sizeof err)) {
		fprintf(stderr, "omenbench report: --out %s\n", err);
		goto out;
	}
	printf("omenbench report: wrote %s — %s\n", o->out_path,
	       v.kind == VERDICT_GO_TIME_SERIES || v.kind == VERDICT_GO_ELSEWHERE ? "GO"
	       : v.kind == VERDICT_UNDECIDED ? "not decided" : "NO-GO");
	rc = 0;
out:
	verdict_free(&v);
	if (have_sosd) {
		free(pub.text);
		free(configs.text);
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
	static const struct option opts[] = {
		{"csv", required_argument, NULL, 'c'}, {"out", required_argument, NULL, 'o'},
		{"plots", required_argument, NULL, 'p'}, {"sosd", required_argument, NULL, 's'},
		{"sosd-published", required_argument, NULL, 'P'},
		{"sosd-configs", required_argument, NULL, 'C'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	char shown[SHOWN_NAME_LEN];
	int published_given = 0, c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': o.csv_path = optarg; break;
		case 'o': o.out_path = optarg; break;
		case 'p': o.plots_dir = optarg; break;
		case 's': o.sosd_path = optarg; break;
		case 'P': o.sosd_published_path = optarg; published_given = 1; break;
		case 'C': o.sosd_configs_path = optarg; published_given = 1; break;
		case 'h': usage(stdout); return 0;
		case ':':
			fprintf(stderr, "omenbench report: %s needs a value\n", argv[optind - 1]);
			return 2;
		default:
			fprintf(stderr, "omenbench report: unknown argument '%s' "
					"(see omenbench report --help)\n",
				shown_name(argv[optind - 1], shown, sizeof shown));
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "omenbench report: unknown argument '%s' "
				"(see omenbench report --help)\n",
			shown_name(argv[optind], shown, sizeof shown));
		return 2;
	}
	if (published_given && !o.sosd_path)
		fprintf(stderr, "omenbench report: warning: --sosd-published or --sosd-configs without "
				"--sosd; no SOSD comparison\n");
	return write_report(&o);
}
