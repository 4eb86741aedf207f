/*
 * report/verdict.c — the go/no-go rule as data (verdict.h): decision rows,
 * answers and the verdict, from the configurations of report/results.h.
 */
#include "report/verdict.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexes/index.h"
#include "workloads/workload.h"

const char *const question_title[NQUESTIONS] = {
	"time-series / sequential keys",
	"read-only lookups",
	"writes and lookups after writes",
};

int config_is_batch(const struct config *c)
{
	return !strcmp(c->mode, "batch");
}

int config_is_latency(const struct config *c)
{
	return !strcmp(c->mode, "sampled") || !strcmp(c->mode, "dependent");
}

/* Workloads a hash table is compared on: those that need no order (no
 * scans), as the registry declares them. */
int workload_is_point(const char *name)
{
	const struct workload *w = workload_find(name);
	return w && !(w->needs & IX_CAP_ORDERED);
}

/* Time-series data by the naming rule of datasets/: the generators' ts_*
 * sets, and real ones named NAME_ts_SIZE (SOSD's wiki_ts, flights_ts). */
int dataset_is_time_series(const char *dataset)
{
	return !strncmp(dataset, "ts_", 3) || strstr(dataset, "_ts_") != NULL;
}

/* What a workload is comes from its registry entry, never from its name. */
int config_is_sequential(const struct config *c)
{
	const struct workload *w = workload_find(c->workload);
	return (w && w->sequential) || dataset_is_time_series(c->dataset);
}

/* Keys in time order (appends, time-series replay), by the registry. */
int workload_is_in_key_order(const char *name)
{
	const struct workload *w = workload_find(name);
	return w && w->sequential;
}

/* Writes, or lookups on an index grown by inserts (point-grown). */
int workload_is_write(const char *name)
{
	const struct workload *w = workload_find(name);
	return w && (w->writes || (w->needs & IX_CAP_INSERT));
}

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
			    !strcmp(row_text(c->rows[i], CSV_rep), row_text(c->rows[j], CSV_rep)))
				return 1;
	return 0;
}

void verdict_compare(const struct config *fast, const struct config *slow,
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
	if (na < RESULTS_CI_MIN_REPS || nb < RESULTS_CI_MIN_REPS)
		return;
	int failed = out->within_build
		? stats_bootstrap_ratio(a, na, b, nb, STATS_BOOTSTRAP_B, RESULTS_CI_LEVEL,
					STATS_BOOTSTRAP_SEED, &out->ci)
		: stats_bootstrap_ratio_nested(a, ga, na, b, gb, nb, STATS_BOOTSTRAP_B,
					       RESULTS_CI_LEVEL, STATS_BOOTSTRAP_SEED, &out->ci);
	if (failed) {
		out->ci.lo = out->ci.hi = NAN;
		out->ci.estimate = out->ratio;
	}
}

static enum question question_of(const struct config *c)
{
	if (config_is_sequential(c))
		return Q_TIME_SERIES;
	return workload_is_write(c->workload) ? Q_WRITES : Q_READS;
}

/* The opponent: ordered structures that learn nothing (B-trees, tries,
 * binary and interpolation search), the learned indexes' real rivals. */
int family_is_ordered_non_learned(const char *family)
{
	return !strcmp(family, "tree") || !strcmp(family, "trie") ||
	       !strcmp(family, "baseline");
}

/* The best configuration among the families `want` accepts. */
const struct config *results_best_where(const struct results *r,
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
static int config_was_tuned(const struct results *r, const struct group *g,
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

/* The same experiment in another mode (dependent for a batch row). */
const struct group *results_group_in_mode(const struct results *r, const struct config *c,
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
static size_t verdict_decisions(const struct results *r, enum question q,
			   struct decision *out)
{
	size_t n = 0;
	for (size_t gi = 0; gi < r->ngroups; gi++) {
		const struct group *g = &r->groups[gi];
		const struct config *first = &r->configs[g->first];
		if (!config_is_batch(first) || question_of(first) != q)
			continue;
		struct decision d = {0};
		d.learned = results_best_where(r, g, family_is_learned);
		d.ordered = results_best_where(r, g, family_is_ordered_non_learned);
		d.hash = workload_is_point(first->workload) ? results_best_where(r, g, family_is_hash) : NULL;
		if (!d.learned || !d.ordered)
			continue;
		verdict_compare(d.learned, d.ordered, &d.cmp);
		if (!config_was_tuned(r, g, d.learned) || !config_was_tuned(r, g, d.ordered))
			d.undecided = "a side ran defaults only";
		else if (strcmp(row_text(d.learned->rows[0], CSV_ops),
				row_text(d.ordered->rows[0], CSV_ops)))
			d.undecided = "operation counts differ";
		d.decides = !d.undecided;
		d.dependent_learned_ns = d.dependent_ordered_ns = NAN;
		const struct group *dep = results_group_in_mode(r, first, "dependent");
		if (dep) {
			const struct config *l = results_best_where(r, dep, family_is_learned);
			const struct config *o = results_best_where(r, dep, family_is_ordered_non_learned);
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

/* A question's answer from its decision rows: GO when one passes; the row
 * shown is the passing or best deciding one, else the best undecided. */
static struct answer answer_of(const struct decision *d, size_t n)
{
	struct answer a = {0};
	a.rows = n;
	int have = 0;
	for (int want_deciding = 1; want_deciding >= 0 && !have; want_deciding--) {
		for (size_t i = 0; i < n; i++) {
			if (want_deciding && !d[i].decides)
				continue;
			if (!have || decision_rank(&d[i]) > decision_rank(&a.best))
				a.best = d[i];
			have = 1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		a.passing += d[i].pass;
		a.deciding += d[i].decides;
	}
	a.kind = !n ? ANSWER_NO_DATA
		 : a.passing ? ANSWER_GO
		 : a.deciding ? ANSWER_NO_GO
			     : ANSWER_UNDECIDED;
	return a;
}

void verdict_free(struct verdict *v)
{
	for (int q = 0; q < NQUESTIONS; q++) {
		free(v->decisions[q]);
		v->decisions[q] = NULL;
		v->ndecisions[q] = 0;
	}
}

int verdict_compute(const struct results *r, struct verdict *v, char *err, size_t errlen)
{
	memset(v, 0, sizeof *v);
	for (int q = 0; q < NQUESTIONS; q++) {
		v->decisions[q] = malloc((r->ngroups ? r->ngroups : 1) * sizeof *v->decisions[q]);
		if (!v->decisions[q]) {
			snprintf(err, errlen, "out of memory for %zu experiments", r->ngroups);
			verdict_free(v);
			return -1;
		}
		v->ndecisions[q] = verdict_decisions(r, (enum question)q, v->decisions[q]);
		v->answer[q] = answer_of(v->decisions[q], v->ndecisions[q]);
	}
	int any_go = 0, any_decided = 0, any_undecided = 0;
	for (int q = 0; q < NQUESTIONS; q++) {
		any_go |= v->answer[q].kind == ANSWER_GO;
		any_decided |= v->answer[q].kind == ANSWER_NO_GO;
		any_undecided |= v->answer[q].kind == ANSWER_UNDECIDED;
	}
	v->kind = v->answer[Q_TIME_SERIES].kind == ANSWER_GO ? VERDICT_GO_TIME_SERIES
		  : any_go ? VERDICT_GO_ELSEWHERE
		  : !any_decided && any_undecided ? VERDICT_UNDECIDED
						 : VERDICT_NO_GO;
	return 0;
}

const char *answer_word(const struct answer *a)
{
	static const char *const words[] = {"no data", "not decided", "NO-GO", "GO"};
	return words[a->kind];
}