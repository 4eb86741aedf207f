/*
 * report/summary.c — each configuration's figures (summary.h): medians,
 * range and interval over its repetitions, short labels from the
 * registries' defaults, and the best-configuration flag.  Computation only;
 * summary_cmd.c writes it out.
 */
#include "report/summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "indexes/index.h"
#include "harness/stats.h"
#include "workloads/workload.h"

const char *const summary_column_names[SUMMARY_NCOLUMNS] = {
#define SUMMARY_NAME(name, help) #name,
	SUMMARY_COLUMNS(SUMMARY_NAME)
#undef SUMMARY_NAME
};

void summary_label(const char *name, const char *params, const struct param_def *defs,
		   char *out, size_t len)
{
	char shown[SUMMARY_LABEL_LEN];
	params_non_default(params, defs, shown, sizeof shown);
	snprintf(out, len, "%s%s%s", name, shown[0] ? ":" : "", shown);
}

/* ns figures of one configuration: median, range, bootstrap interval. */
static void ns_figures(const struct config *c, struct summary_line *l)
{
	double ns[c->nrows ? c->nrows : 1];
	size_t n = config_values(c, CSV_ns_per_op, ns);
	l->ns_reps = n;
	l->ns_median = c->median_ns;
	l->ns_min = n ? stats_min(ns, n) : NAN;
	l->ns_max = n ? stats_max(ns, n) : NAN;
	l->ns_ci_lo = l->ns_ci_hi = NAN;
	struct stats_ci ci;
	if (n >= RESULTS_CI_MIN_REPS &&
	    !stats_bootstrap_median(ns, n, STATS_BOOTSTRAP_B, RESULTS_CI_LEVEL,
				    STATS_BOOTSTRAP_SEED, &ci)) {
		l->ns_ci_lo = ci.lo;
		l->ns_ci_hi = ci.hi;
	}
}

static void fill_line(const struct config *c, struct summary_line *l)
{
	const struct workload *w = workload_find(c->workload);
	const struct index_ops *ops = index_find(c->index);
	memset(l, 0, sizeof *l);
	l->config = c;
	summary_label(c->workload, c->wparams, w ? w->params : NULL, l->wlabel,
		      sizeof l->wlabel);
	summary_label(c->index, c->params, ops ? ops->params : NULL, l->label,
		      sizeof l->label);
	ns_figures(c, l);
	l->mops = config_median(c, CSV_mops);
	l->p50 = config_median(c, CSV_p50);
	l->p99 = config_median(c, CSV_p99);
	l->p999 = config_median(c, CSV_p999);
	l->build_ns = config_median(c, CSV_build_ns);
	l->index_bytes = config_median(c, CSV_index_bytes);
	l->total_bytes = config_median(c, CSV_total_bytes);
}

int summary_compute(const struct results *r, struct summary *out, char *err,
		    size_t errlen)
{
	out->nlines = 0;
	out->lines = malloc((r->nconfigs ? r->nconfigs : 1) * sizeof *out->lines);
	if (!out->lines) {
		snprintf(err, errlen, "out of memory for %zu configurations", r->nconfigs);
		return -1;
	}
	for (size_t i = 0; i < r->nconfigs; i++)
		fill_line(&r->configs[i], &out->lines[i]);
	out->nlines = r->nconfigs;
	/* Each index's best configuration in each experiment, by the rule the
	 * report uses (results_best). */
	for (size_t gi = 0; gi < r->ngroups; gi++) {
		const struct group *g = &r->groups[gi];
		for (size_t i = g->first; i < g->first + g->count; i++) {
			const struct config *c = &r->configs[i];
			out->lines[i].best = results_best(r, g, NULL, c->index) == c;
		}
	}
	return 0;
}

void summary_free(struct summary *s)
{
	free(s->lines);
	s->lines = NULL;
	s->nlines = 0;
}
