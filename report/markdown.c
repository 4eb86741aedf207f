/*
 * report/markdown.c — how the report writes cells, numbers, labels and
 * intervals (markdown.h).
 */
#include "report/markdown.h"

#include <math.h>
#include <string.h>

#include "indexes/index.h"
#include "workloads/workload.h"

/* Markdown table cells must not contain '|' or newlines. */
void put_cell(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '|' || *s == '\n' ? '/' : *s, f);
}

/* `name`, or "-" for an empty field. */
void put_code(FILE *f, const char *s)
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
const char *fmt_num(char *buf, size_t len, double v)
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

/* Speed-up ratios always with two decimals, so columns line up. */
const char *fmt_ratio(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "NA");
	else if (v >= 0.01)
		snprintf(buf, len, "%.2fx", v);
	else
		snprintf(buf, len, "%.2gx", v);
	return buf;
}

/* The k=v items of `params` whose value differs from the registry's
 * default, between `open` and `close` when there is any: full default
 * strings would bury what distinguishes one configuration from another. */
static void put_non_default(FILE *f, const char *params, const struct param_def *defs,
			    const char *open, const char *close)
{
	char shown[1024];
	params_non_default(params, defs, shown, sizeof shown);
	if (!shown[0])
		return;
	fputs(open, f);
	put_cell(f, shown);
	fputs(close, f);
}

void put_workload(FILE *f, const struct config *c)
{
	const struct workload *w = workload_find(c->workload);
	fputc('`', f);
	put_cell(f, c->workload);
	put_non_default(f, c->wparams, w ? w->params : NULL, ":", "");
	fputc('`', f);
}

void put_index(FILE *f, const struct config *c)
{
	const struct index_ops *ops = index_find(c->index);
	put_code(f, c->index);
	put_non_default(f, c->params, ops ? ops->params : NULL, " (", ")");
}

void put_range_ns(FILE *f, const struct config *c)
{
	double buf[c->nrows];
	size_t n = config_values(c, CSV_ns_per_op, buf);
	fprintf(f, "%s [%s-%s]", NUM(c->median_ns), NUM(stats_min(buf, n)),
		NUM(stats_max(buf, n)));
}

void put_ci(FILE *f, const struct stats_ci *ci)
{
	if (isnan(ci->lo))
		fprintf(f, "NA (<%d reps)", RESULTS_CI_MIN_REPS);
	else
		fprintf(f, "[%.2f, %.2f]", ci->lo, ci->hi);
}

/* An interval with what it covers: across builds, or within one only. */
void put_comparison_ci(FILE *f, const struct comparison *c)
{
	put_ci(f, &c->ci);
	if (isnan(c->ci.lo))
		return;
	fputs(c->within_build ? " within one build" : " across builds", f);
	if (c->pooled)
		fputs(", pooled from separate runs", f);
}
