/*
 * tests/test_summary.c — the summary's rules, each once, on a crafted CSV:
 * medians of odd and even counts, min and max, labels stripped of the
 * registries' defaults, the best configuration per index, invalid rows left
 * out, and batched lookups (batch=16) kept apart from one-at-a-time ones.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/results.h"
#include "report/summary.h"
#include "tests/test.h"

#define HEADER "dataset,n_keys,index,family,params,workload,wparams,mode,threads,rep,ns_per_op,mops,valid\n"
#define POINT "dist=uniform:theta=0.99:hot=0.2:hot_ops=0.8:neg=0:batch=1"
#define POINT16 "dist=uniform:theta=0.99:hot=0.2:hot_ops=0.8:neg=0:batch=16"
#define PGM_DEF "eps=64:eps_rec=4:search=binary"
#define PGM_16 "eps=16:eps_rec=4:search=binary"

static const char csv_text[] =
	HEADER
	/* pgm eps=64 (defaults): 3 reps, median 20 */
	"d_1M,1000000,pgm,learned," PGM_DEF ",point," POINT ",batch,1,1,30,1,1\n"
	"d_1M,1000000,pgm,learned," PGM_DEF ",point," POINT ",batch,1,2,10,1,1\n"
	"d_1M,1000000,pgm,learned," PGM_DEF ",point," POINT ",batch,1,3,20,1,1\n"
	/* pgm eps=16: 4 reps, median (12 + 14) / 2 = 13; best of pgm */
	"d_1M,1000000,pgm,learned," PGM_16 ",point," POINT ",batch,1,1,16,1,1\n"
	"d_1M,1000000,pgm,learned," PGM_16 ",point," POINT ",batch,1,2,12,1,1\n"
	"d_1M,1000000,pgm,learned," PGM_16 ",point," POINT ",batch,1,3,14,1,1\n"
	"d_1M,1000000,pgm,learned," PGM_16 ",point," POINT ",batch,1,4,11,1,1\n"
	/* a wrong answer at 1 ns must not count, nor make pgm eps=16 best */
	"d_1M,1000000,pgm,learned," PGM_16 ",point," POINT ",batch,1,5,1,1,0\n"
	/* an index this binary does not know keeps every parameter */
	"d_1M,1000000,mystery,learned,k=1,point," POINT ",batch,1,1,50,1,1\n"
	/* batched lookups: faster, but an experiment of their own */
	"d_1M,1000000,pgm,learned," PGM_DEF ",point," POINT16 ",batch,1,1,5,1,1\n"
	"d_1M,1000000,pgm,learned," PGM_DEF ",point," POINT16 ",batch,1,2,7,1,1\n";

static char tmpdir[64];

/* Loads the crafted CSV and summarises it. */
static int load(struct results *r, struct summary *s)
{
	char path[128], err[512];
	snprintf(path, sizeof path, "%s/bench.csv", tmpdir);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return -1;
	fputs(csv_text, f);
	fclose(f);
	int rc = results_load(path, r, NULL, err, sizeof err);
	CHECK(rc == 0);
	if (rc)
		return -1;
	rc = summary_compute(r, s, err, sizeof err);
	CHECK(rc == 0);
	if (rc)
		results_free(r);
	return rc;
}

/* The line of `label` on workload label `wlabel`, or NULL. */
static const struct summary_line *find(const struct summary *s, const char *wlabel,
				       const char *label)
{
	for (size_t i = 0; i < s->nlines; i++)
		if (!strcmp(s->lines[i].wlabel, wlabel) && !strcmp(s->lines[i].label, label))
			return &s->lines[i];
	return NULL;
}

static void test_medians_and_range(void)
{
	struct results r;
	struct summary s;
	if (load(&r, &s))
		return;
	const struct summary_line *odd = find(&s, "point", "pgm");
	const struct summary_line *even = find(&s, "point", "pgm:eps=16");
	CHECK(odd && odd->ns_median == 20 && odd->ns_min == 10 && odd->ns_max == 30);
	CHECK(odd && odd->config->nrows == 3 && odd->ns_reps == 3);
	CHECK(even && even->ns_median == 13 && even->ns_min == 11 && even->ns_max == 16);
	/* the interval brackets the median and lies within the range */
	CHECK(odd && odd->ns_ci_lo <= 20 && odd->ns_ci_hi >= 20 && odd->ns_ci_lo >= 10);
	summary_free(&s);
	results_free(&r);
}

static void test_labels(void)
{
	struct results r;
	struct summary s;
	if (load(&r, &s))
		return;
	CHECK(find(&s, "point", "pgm") != NULL);             /* every default dropped */
	CHECK(find(&s, "point", "pgm:eps=16") != NULL);      /* only the one that differs */
	CHECK(find(&s, "point:batch=16", "pgm") != NULL);    /* workload defaults too */
	CHECK(find(&s, "point", "mystery:k=1") != NULL);     /* unknown: nothing dropped */
	char label[64];
	summary_label("x", "", NULL, label, sizeof label);
	CHECK(!strcmp(label, "x"));
	summary_free(&s);
	results_free(&r);
}

static void test_best_and_exclusions(void)
{
	struct results r;
	struct summary s;
	if (load(&r, &s))
		return;
	CHECK(r.ninvalid == 1);
	const struct summary_line *def = find(&s, "point", "pgm");
	const struct summary_line *e16 = find(&s, "point", "pgm:eps=16");
	const struct summary_line *batched = find(&s, "point:batch=16", "pgm");
	const struct summary_line *mystery = find(&s, "point", "mystery:k=1");
	CHECK(e16 && e16->best == 1 && e16->config->nrows == 4); /* valid=0 row left out */
	CHECK(def && def->best == 0);
	CHECK(mystery && mystery->best == 1); /* best of its own index */
	/* batch=16 is its own experiment: its 6 ns neither joins pgm's batch=1
	 * medians nor takes their best flag */
	CHECK(batched && batched->best == 1 && batched->ns_median == 6 &&
	      batched->config->nrows == 2);
	CHECK(isnan(batched ? batched->ns_ci_lo : 0)); /* 2 repetitions: no interval */
	CHECK(s.nlines == 4);
	summary_free(&s);
	results_free(&r);
}

/* The TSV: a header of every column, and as many fields on every line. */
static void test_tsv(void)
{
	struct results r;
	struct summary s;
	if (load(&r, &s))
		return;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	CHECK(f && summary_write_tsv(f, &s) == 0);
	if (f)
		fclose(f);
	CHECK(buf && !strncmp(buf, "dataset\tn_keys\tworkload\t", 24));
	size_t lines = 0;
	for (char *line = buf, *end; line && *line; line = end + 1) {
		end = strchr(line, '\n');
		if (!end)
			break;
		size_t tabs = 0;
		for (char *p = line; p < end; p++)
			tabs += *p == '\t';
		CHECK(tabs == SUMMARY_NCOLUMNS - 1);
		lines++;
	}
	CHECK(lines == s.nlines + 1);
	/* an empty params field prints "-", a missing figure NA */
	CHECK(buf && strstr(buf, "\tpgm:eps=16\t4\t4\t13\t11\t16\t") != NULL);
	CHECK(buf && strstr(buf, "\tNA\tNA\t") != NULL);
	free(buf);
	summary_free(&s);
	results_free(&r);
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/omenbench-summary-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_medians_and_range());
	RUN(test_labels());
	RUN(test_best_and_exclusions());
	RUN(test_tsv());
	char path[128];
	snprintf(path, sizeof path, "%s/bench.csv", tmpdir);
	unlink(path);
	rmdir(tmpdir);
	TEST_MAIN_END();
}
