/*
 * report/markdown.h — how the report writes a table cell, a number, a ratio,
 * a configuration's label and an interval, so that every section writes
 * them alike.
 */
#ifndef OMENBENCH_MARKDOWN_H
#define OMENBENCH_MARKDOWN_H

#include <stddef.h>
#include <stdio.h>

#include "report/results.h"
#include "report/verdict.h"

/* The text with '|' and newlines made '/': a cell stays one cell. */
void put_cell(FILE *f, const char *s);
/* `text` in code font, or "-" when empty. */
void put_code(FILE *f, const char *s);
/* About three significant digits; "NA" for NaN.  Returns buf. */
const char *fmt_num(char *buf, size_t len, double v);
/* A speed-up with two decimals and an x, so columns line up. */
const char *fmt_ratio(char *buf, size_t len, double v);

/* A formatted number in a temporary buffer, for use inside one printf. */
#define NUM(v) fmt_num((char[32]){0}, 32, (v))
#define RATIO(v) fmt_ratio((char[32]){0}, 32, (v))

/* `workload:non-default-params` and `index` (non-default params). */
void put_workload(FILE *f, const struct config *c);
void put_index(FILE *f, const struct config *c);
/* median ns [min-max] over the repetitions. */
void put_range_ns(FILE *f, const struct config *c);
/* [lo, hi], or NA with the reason. */
void put_ci(FILE *f, const struct stats_ci *ci);
/* The interval and what it covers: across builds, or within one only. */
void put_comparison_ci(FILE *f, const struct comparison *c);

#endif
