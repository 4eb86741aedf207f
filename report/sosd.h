/*
 * report/sosd.h — our results on SOSD's data sets beside SOSD's published
 * leaderboard (results/sosd_published.csv: a CSV of ns per lookup, one row
 * per data set, one column per index, '#' lines naming the source).
 */
#ifndef OMENBENCH_SOSD_H
#define OMENBENCH_SOSD_H

#include <stdio.h>

#include "report/results.h"

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

/* Reads the leaderboard; 0, or -1 with a message on stderr.  p->text owns
 * every string; free it. */
int sosd_published_load(const char *path, struct sosd_published *p);

/* What SOSD ran for each figure (results/sosd_published_configs.csv:
 * dataset,column,spec,sosd_ran; dataset "*" for every set; spec our nearest
 * configuration or empty), so the report can show ours so configured. */
#define SOSD_MAX_CONFIGS 128
#define SOSD_CONFIGS_DEFAULT "results/sosd_published_configs.csv"
struct sosd_configs {
	char *text;
	int n;
	const char *set[SOSD_MAX_CONFIGS], *column[SOSD_MAX_CONFIGS],
		*spec[SOSD_MAX_CONFIGS], *ran[SOSD_MAX_CONFIGS];
};

/* 0, or -1 with a one-line message on stderr.  c->text owns the strings. */
int sosd_configs_load(const char *path, struct sosd_configs *c);

/* The comparison section: per data set both have, our best configuration
 * of each index against SOSD's figure, ranks and their correlation. */
void section_sosd(FILE *f, const struct results *ours, const struct sosd_published *pub,
		  const char *pub_path, const struct sosd_configs *configs);

#endif
