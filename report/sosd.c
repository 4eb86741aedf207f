/*
 * report/sosd.c — the report's comparison with SOSD's published leaderboard
 * (sosd.h): our results on SOSD's data sets, ranked beside theirs.
 */
#include "report/sosd.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/markdown.h"
#include "report/verdict.h"

int sosd_published_load(const char *path, struct sosd_published *p)
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
		p->text = NULL;
		return -1;
	}
	return 0;
}

/* Splits one CSV line in place into fields ("..." quoting, "" for a quote
 * inside): the number of fields (more than `max` are counted, not kept), or
 * -1 for a stray quote.  Writing lags reading, so the line is reused. */
static int split_csv_line(char *line, char **field, int max)
{
	int n = 0;
	char *r = line, *w = line;
	for (;;) {
		if (n < max)
			field[n] = w;
		n++;
		if (*r == '"') {
			for (r++; *r != '"' || r[1] == '"'; r++) {
				if (!*r)
					return -1;
				if (*r == '"')
					r++; /* "" -> " */
				*w++ = *r;
			}
			r++;
		}
		while (*r && *r != ',') {
			if (*r == '"')
				return -1;
			*w++ = *r++;
		}
		if (!*r) {
			*w = 0;
			return n;
		}
		*w++ = 0, r++;
	}
}

int sosd_configs_load(const char *path, struct sosd_configs *c)
{
	memset(c, 0, sizeof *c);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "omenbench report: %s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t cap = 1 << 16;
	c->text = malloc(cap);
	if (!c->text) {
		fclose(f);
		fprintf(stderr, "omenbench report: out of memory\n");
		return -1;
	}
	size_t len = fread(c->text, 1, cap - 1, f);
	fclose(f);
	c->text[len] = 0;
	int lineno = 0, header = 0;
	for (char *line = c->text; line && *line; lineno++) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		line[strcspn(line, "\r")] = 0;
		char *fld[4];
		if (line[0] != '#' && *line && header++) {
			int nf = split_csv_line(line, fld, 4);
			if (nf != 4 || c->n == SOSD_MAX_CONFIGS) {
				fprintf(stderr, "omenbench report: %s:%d: %s\n", path, lineno + 1,
					nf < 0    ? "unclosed or stray quote"
					: nf != 4 ? "want 4 fields: dataset,column,spec,sosd_ran"
						  : "too many lines");
				free(c->text);
				c->text = NULL;
				return -1;
			}
			c->set[c->n] = fld[0], c->column[c->n] = fld[1];
			c->spec[c->n] = fld[2], c->ran[c->n] = fld[3];
			c->n++;
		}
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

/* Our index name -> SOSD's column name, or NULL. */
static const char *sosd_index_name(const char *ours)
{
	static const char *const map[][2] = {
		{"art", "ART"}, {"btree", "BTree"}, {"stree", "FAST"},
		{"binsearch", "BS"}, {"isearch", "IS"}, {"rbs", "RBS"},
		{"rmi", "RMI"}, {"rs", "RS"},
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

/* Our best configuration of each index SOSD reports, beside SOSD's figure
 * for it on one leaderboard row. */
struct sosd_pairs {
	const struct config *mine[SOSD_MAX_COLS];
	const char *label[SOSD_MAX_COLS];
	double x[SOSD_MAX_COLS], y[SOSD_MAX_COLS]; /* our ns, SOSD's ns */
	size_t n;
};

static void sosd_pair_up(const struct results *ours, const struct group *g,
			 const struct sosd_published *pub, int prow, struct sosd_pairs *p)
{
	p->n = 0;
	for (size_t i = g->first; i < g->first + g->count; i++) {
		const struct config *c = &ours->configs[i];
		const char *sname = sosd_index_name(c->index);
		if (!sname || results_best(ours, g, NULL, c->index) != c)
			continue;
		for (int k = 0; k < pub->ncols && p->n < SOSD_MAX_COLS; k++) {
			if (strcmp(pub->col[k], sname) || isnan(pub->ns[prow][k]))
				continue;
			p->mine[p->n] = c;
			p->label[p->n] = sname;
			p->x[p->n] = c->median_ns;
			p->y[p->n] = pub->ns[prow][k];
			p->n++;
		}
	}
}

/* A factor between our ratio to binary search and SOSD's counts as
 * reproduced within this band (issue #22: at most 25% off). */
#define SOSD_AGREE 1.25

/* Our index -> the authors' code for it that build/reference/omenbench
 * carries, measured in the same run when the CSV has it. */
static const char *sosd_authors_index(const char *ours)
{
	static const char *const map[][2] = {
		{"rs", "refrs"}, {"rmi", "refrmi"}, {"btree", "reftlx"}, {"pgm", "refpgm"},
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (!strcmp(map[i][0], ours))
			return map[i][1];
	return NULL;
}

/* Whether every k=v item of `want` (':'-separated) is an item of `have`. */
static int params_include(const char *have, const char *want)
{
	size_t hl = strlen(have);
	while (*want) {
		size_t wl = strcspn(want, ":");
		int found = 0;
		for (const char *h = have; h < have + hl && !found; h += strcspn(h, ":") + 1)
			found = strcspn(h, ":") == wl && !strncmp(h, want, wl);
		if (!found)
			return 0;
		want += wl + (want[wl] == ':');
	}
	return 1;
}

/* The configuration in g that `spec` (NAME[:k=v...]) names, or NULL. */
static const struct config *find_spec(const struct results *ours, const struct group *g,
				      const char *spec)
{
	size_t nl = strcspn(spec, ":");
	const char *want = spec[nl] ? spec + nl + 1 : "";
	for (size_t i = g->first; i < g->first + g->count; i++) {
		const struct config *c = &ours->configs[i];
		if (strlen(c->index) == nl && !strncmp(c->index, spec, nl) &&
		    !isnan(c->median_ns) && params_include(c->params, want))
			return c;
	}
	return NULL;
}

/* What SOSD ran for one figure, and ours configured the nearest way; 1 if
 * anything was written. */
static int put_sosd_ran(FILE *f, const struct results *ours, const struct group *g,
			 const struct sosd_configs *cfg, const char *board, const char *column,
			 double bs_ns, double their_ratio, double *so_factor)
{
	int hit = -1;
	for (int i = 0; cfg && i < cfg->n; i++)
		if (!strcmp(cfg->column[i], column) &&
		    (!strcmp(cfg->set[i], board) || (hit < 0 && !strcmp(cfg->set[i], "*"))))
			hit = i;
	if (hit < 0)
		return 0;
	fprintf(f, "SOSD ran %s", cfg->ran[hit]);
	if (!*cfg->spec[hit])
		return 1;
	const struct config *so = find_spec(ours, g, cfg->spec[hit]);
	double r = so ? so->median_ns / bs_ns : NAN;
	*so_factor = r / their_ratio;
	if (so)
		fprintf(f, "; ours so (`%s`): %s BS, factor %s", cfg->spec[hit], RATIO(r),
			RATIO(r / their_ratio));
	else
		fprintf(f, "; ours so (`%s`): not run", cfg->spec[hit]);
	return 1;
}

/* The measurements beside a factor: the authors' code's ratio to our
 * binary search on the same data in the same run (when measured), and the
 * model's mean log2 last-mile window (learned indexes).  The authors' ratio
 * says whether a gap to SOSD's figure is ours or the machine's and data's:
 * their code against SOSD's number shows the same gap when it is not ours. */
static void put_sosd_note(FILE *f, const struct results *ours, const struct group *g,
			  const struct config *mine, double bs_ns, double their_ratio,
			  const char *sep, double *authors_factor, double *ours_over_theirs)
{
	const char *ref = sosd_authors_index(mine->index);
	const struct config *theirs = ref ? results_best(ours, g, NULL, ref) : NULL;
	if (theirs && !isnan(bs_ns)) {
		double r = theirs->median_ns / bs_ns;
		*authors_factor = r / their_ratio;
		*ours_over_theirs = mine->median_ns / theirs->median_ns;
		fprintf(f, "%sauthors' code here (`%s`%s%s): %s BS, factor %s; ours/theirs %s", sep, ref,
			*theirs->params && strcmp(theirs->params, "NA") ? " " : "",
			strcmp(theirs->params, "NA") ? theirs->params : "", RATIO(r),
			RATIO(r / their_ratio), RATIO(mine->median_ns / theirs->median_ns));
		sep = "; ";
	}
	double err = config_median(mine, CSV_mean_log2_err);
	if (!isnan(err)) {
		fprintf(f, "%smean log2 error %s", sep, NUM(err));
		sep = "; ";
	}
	double bytes = config_median(mine, CSV_index_bytes);
	if (!isnan(bytes) && !strcmp(mine->family, "learned"))
		fprintf(f, "%sindex %s MB", sep, NUM(bytes / 1e6));
}

/* How the factors (binary search's own left out) stand: within the band;
 * beyond it but within it at SOSD's own configuration (closed); beyond it
 * with the authors' code beyond it the same way on this machine (shared:
 * the machine or the data); beyond it with the authors' code within it
 * (ours against theirs, named in `impl` with ours/theirs); or with no
 * measurement that says which: no authors' code, or theirs beyond the
 * band the other way (named in `open`, with ours/theirs where measured). */
struct sosd_agreement {
	size_t rows, within, closed, shared, nimpl, nopen;
	char impl[2048], open[2048];
};

static int sosd_within(double factor)
{
	return factor <= SOSD_AGREE && factor >= 1 / SOSD_AGREE;
}

static void sosd_name(char *list, size_t cap, size_t *n, const char *index, const char *board,
		      double ours_over_theirs)
{
	size_t used = strlen(list);
	if (isnan(ours_over_theirs))
		snprintf(list + used, cap - used, "%s`%s` on %s", (*n)++ ? ", " : "", index, board);
	else
		snprintf(list + used, cap - used, "%s`%s` on %s (ours/theirs %s)", (*n)++ ? ", " : "",
			 index, board, RATIO(ours_over_theirs));
}

static void sosd_count(struct sosd_agreement *a, double factor, double so, double authors,
		       double ours_over_theirs, const char *index, const char *board)
{
	a->rows++;
	if (sosd_within(factor))
		a->within++;
	else if (sosd_within(so))
		a->closed++;
	else if (!isnan(authors) && !sosd_within(authors) && (authors > 1) == (factor > 1))
		a->shared++;
	else if (sosd_within(authors))
		sosd_name(a->impl, sizeof a->impl, &a->nimpl, index, board, ours_over_theirs);
	else /* no authors' code, or theirs off the other way */
		sosd_name(a->open, sizeof a->open, &a->nopen, index, board, ours_over_theirs);
}

/* One data set's table: ns, ratio to binary search, the factor between our
 * ratio and SOSD's, ranks on each side and the measurements beside it. */
static void put_sosd_table(FILE *f, const struct results *ours, const struct group *g,
			   const struct sosd_published *pub, int prow, const char *name,
			   const struct sosd_pairs *p, const struct sosd_configs *cfg,
			   struct sosd_agreement *agree)
{
	const struct config *first = &ours->configs[g->first];
	const struct config *our_bs = results_best(ours, g, NULL, "binsearch");
	double bs_ns = our_bs ? our_bs->median_ns : NAN;
	int bs_col = -1;
	for (int c = 0; c < pub->ncols; c++)
		if (!strcmp(pub->col[c], "BS"))
			bs_col = c;
	fprintf(f, "**");
	put_code(f, first->dataset);
	fprintf(f, " (%s keys) vs SOSD `%s`, workload ",
		csv_row_str(first->rows[0], CSV_n_keys), name);
	put_workload(f, first);
	fprintf(f, "**\n\n| index | SOSD name | our ns | our ns / BS ns | SOSD ns | SOSD ns / BS ns "
		   "| factor | our rank | SOSD rank | measured beside it |\n"
		   "|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
	for (size_t i = 0; i < p->n; i++) {
		int our_rank = 1, their_rank = 1;
		for (size_t k = 0; k < p->n; k++) {
			our_rank += p->x[k] < p->x[i];
			their_rank += p->y[k] < p->y[i];
		}
		double our_ratio = p->mine[i]->median_ns / bs_ns;
		double their_ratio = bs_col >= 0 ? p->y[i] / pub->ns[prow][bs_col] : NAN;
		double factor = our_ratio / their_ratio;
		int within = sosd_within(factor);
		fprintf(f, "| ");
		put_index(f, p->mine[i]);
		fprintf(f, " | %s | %s | %s | %s | %s | %s%s | %d | %d | ", p->label[i],
			NUM(p->mine[i]->median_ns), RATIO(our_ratio), NUM(p->y[i]),
			RATIO(their_ratio), RATIO(factor), isnan(factor) || within ? "" : " ⚠",
			our_rank, their_rank);
		double so = NAN, authors = NAN, ours_over_theirs = NAN;
		int ran = put_sosd_ran(f, ours, g, cfg, name, p->label[i], bs_ns, their_ratio, &so);
		put_sosd_note(f, ours, g, p->mine[i], bs_ns, their_ratio, ran ? "; " : "",
			      &authors, &ours_over_theirs);
		fprintf(f, " |\n");
		if (!isnan(factor) && strcmp(p->label[i], "BS"))
			sosd_count(agree, factor, so, authors, ours_over_theirs,
				   p->mine[i]->index, name);
	}
	double rho = stats_spearman(p->x, p->y, p->n);
	fprintf(f, "\nSpearman rank correlation of our ns and SOSD's over %zu indexes: %s\n\n",
		p->n, isnan(rho) ? "NA" : NUM(rho));
}

void section_sosd(FILE *f, const struct results *ours,
		  const struct sosd_published *pub, const char *pub_path,
		  const struct sosd_configs *configs)
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
		   "nanoseconds. The factor is our ratio over SOSD's (below 1: "
		   "ours gains more on binary search than SOSD's did); ⚠ marks "
		   "a factor beyond %.2f either way. Beside it: where the CSV has "
		   "the authors' code for the index (`make sosd REF=1`), its "
		   "ratio to the same binary search in the same run and its "
		   "factor to SOSD's, so a gap that their code shows too is the "
		   "machine's or the data's, not our implementation's; and the "
		   "model's mean log2 last-mile window.\n\n", SOSD_AGREE);
	size_t tables = 0;
	struct sosd_agreement agree = {0};
	for (size_t gi = 0; gi < ours->ngroups; gi++) {
		const struct group *g = &ours->groups[gi];
		const struct config *first = &ours->configs[g->first];
		char name[64];
		if (!config_is_batch(first) || first->threads != 1 ||
		    sosd_dataset_name(first->dataset, name, sizeof name))
			continue;
		int prow = -1;
		for (int i = 0; i < pub->nrows; i++)
			if (!strcmp(pub->dataset[i], name))
				prow = i;
		if (prow < 0)
			continue;
		struct sosd_pairs p;
		sosd_pair_up(ours, g, pub, prow, &p);
		if (!p.n)
			continue;
		tables++;
		put_sosd_table(f, ours, g, pub, prow, name, &p, configs, &agree);
	}
	if (!tables)
		fprintf(f, "No batch, 1-thread experiment in the SOSD CSV on a data set "
			   "and index that SOSD's leaderboard also reports.\n\n");
	else
		fprintf(f, "%zu of %zu factors (binary search's own left out) within %.2f "
			   "either way. Of the %zu beyond: %zu come within it with ours at "
			   "SOSD's own configuration; %zu are shared by the authors' code on "
			   "this machine (their factor beyond %.2f the same way: the machine "
			   "or the data, not our code); %zu are ours against the authors' "
			   "code, whose factor is within %.2f%s%s; %zu have no such "
			   "measurement (no authors' code here, or theirs off the other "
			   "way)%s%s.\n\n",
			agree.within, agree.rows, SOSD_AGREE, agree.rows - agree.within,
			agree.closed, agree.shared, SOSD_AGREE, agree.nimpl, SOSD_AGREE,
			agree.nimpl ? ": " : "", agree.impl, agree.nopen,
			agree.nopen ? ": " : "", agree.open);
}
