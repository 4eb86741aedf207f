/*
 * harness/main.c — the omenbench command line.
 *
 *   omenbench gen KIND[:k=v...] -n N [-o PATH] [--seed S] [--width 32|64]
 *   omenbench run --index LIST --data LIST [--workload LIST] [options]
 *   omenbench list [--indexes | --workloads | --generators]
 *   omenbench check DATASET
 *
 * Data flows one way: data set -> index build -> operation stream -> timed
 * run -> checked results -> CSV.  Exit status: 0 all valid, 1 some answer
 * was wrong, 2 bad input or a failure (one line on stderr says which).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvwrite.h"
#include "dataset.h"
#include "engine_dir.h"
#include "outfile.h"
#include "index.h"
#include "params.h"
#include "rng.h"
#include "runner.h"
#include "timer.h"
#include "workload.h"

#define MAX_SPECS 512

static int die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("omenbench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 2;
}

/* getopt's complaint (opterr = 0, ':' first in the option string) as one
 * line of ours, with where to look instead of the whole usage. */
static int bad_option(const char *cmd, int c, char **argv)
{
	char shown[SHOWN_NAME_LEN];
	const char *opt = shown_name(argv[optind - 1], shown, sizeof shown);
	if (c == ':')
		return die("%s: option %s needs a value (see omenbench %s --help)", cmd, opt, cmd);
	if (optopt)
		return die("%s: unknown option '-%c' (see omenbench %s --help)", cmd, optopt, cmd);
	return die("%s: unknown option '%s' (see omenbench %s --help)", cmd, opt, cmd);
}

/* ---- spec lists and sweeps ------------------------------------------- */

struct spec_list {
	int n;
	char *item[MAX_SPECS];
};

static void spec_list_free(struct spec_list *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->item[i]);
	l->n = 0;
}

static int spec_push(struct spec_list *l, const char *s)
{
	if (l->n >= MAX_SPECS)
		return -1;
	l->item[l->n] = strdup(s);
	return l->item[l->n++] ? 0 : -1;
}

/* Expands "name:a=1..8:b=x/y" into every combination: a=1,2,4,8 (doubling
 * ranges) and b=x,y (slash lists). */
static int expand_sweeps(const char *spec, struct spec_list *out, char *err, size_t errlen)
{
	const char *colon = strchr(spec, ':');
	if (!colon)
		return spec_push(out, spec) ? (snprintf(err, errlen, "too many configurations"), -1) : 0;
	/* find the first parameter with a sweep */
	char head[1024], tail[1024];
	const char *p = colon + 1;
	while (*p) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char item[256];
		if (len >= sizeof item) {
			char shown[SHOWN_NAME_LEN];
			snprintf(err, errlen, "parameter too long (%zu characters; at most %zu) in '%s'",
				 len, sizeof item - 1, shown_name(spec, shown, sizeof shown));
			return -1;
		}
		memcpy(item, p, len);
		item[len] = 0;
		char *eq = strchr(item, '=');
		char *dots = eq ? strstr(eq, "..") : NULL;
		char *slash = eq ? strchr(eq, '/') : NULL;
		if (eq && (dots || slash)) {
			snprintf(head, sizeof head, "%.*s", (int)(p - spec), spec);
			snprintf(tail, sizeof tail, "%s", end ? end : "");
			*eq = 0;
			const char *name = item, *vals = eq + 1;
			char one[4096];
			if (dots) {
				uint64_t a, b;
				*dots = 0;
				if (parse_u64(vals, &a) || parse_u64(dots + 2, &b) || a == 0 || b < a) {
					snprintf(err, errlen, "bad sweep '%s=%s..%s' (want LO..HI, 0 < LO <= HI; doubles)",
						 name, vals, dots + 2);
					return -1;
				}
				for (uint64_t v = a; v <= b; v *= 2) {
					snprintf(one, sizeof one, "%s%s=%llu%s", head, name,
						 (unsigned long long)v, tail);
					if (expand_sweeps(one, out, err, errlen))
						return -1;
					if (v > UINT64_MAX / 2)
						break;
				}
			} else {
				char copy[256];
				snprintf(copy, sizeof copy, "%s", vals);
				char *save = NULL;
				for (char *v = strtok_r(copy, "/", &save); v; v = strtok_r(NULL, "/", &save)) {
					snprintf(one, sizeof one, "%s%s=%s%s", head, name, v, tail);
					if (expand_sweeps(one, out, err, errlen))
						return -1;
				}
			}
			return 0;
		}
		p = end ? end + 1 : p + len;
	}
	if (spec_push(out, spec)) {
		snprintf(err, errlen, "too many configurations (at most %d)", MAX_SPECS);
		return -1;
	}
	return 0;
}

/* Comma-separated list, each item expanded. */
static int parse_list(const char *arg, struct spec_list *out, char *err, size_t errlen)
{
	char *copy = strdup(arg), *save = NULL;
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save))
		rc = expand_sweeps(tok, out, err, errlen);
	free(copy);
	if (!rc && out->n == 0) {
		char shown[SHOWN_NAME_LEN];
		snprintf(err, errlen, "empty list '%s'", shown_name(arg, shown, sizeof shown));
		rc = -1;
	}
	return rc;
}

static void split_name(const char *spec, char *name, size_t len, const char **params)
{
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
	snprintf(name, len, "%.*s", (int)n, spec);
	*params = colon ? colon + 1 : "";
}

/* Does list item `sel` ("all", "@family" or a name) select index o? */
static bool selects(const char *sel, const struct index_ops *o)
{
	if (!strcmp(sel, "all"))
		return true;
	if (sel[0] == '@')
		return !strcmp(sel + 1, o->family);
	return !strcmp(sel, o->name);
}

static bool is_selector(const char *item)
{
	return !strcmp(item, "all") || item[0] == '@' || index_find(item);
}

/* Turns --index (names, "all", "@family", specs with parameters) into the
 * list of configurations: --exclude drops names or families, --sweeps adds
 * each selected index's declared sweep. */
static int expand_index_list(const char *index_arg, const char *exclude_arg, bool sweeps,
			     struct spec_list *out, char *err, size_t errlen)
{
	struct spec_list names = {0}, excl = {0};
	char expanded[16384] = "";
	size_t used = 0;
	int rc = parse_list(index_arg, &names, err, errlen);
	if (!rc && exclude_arg)
		rc = parse_list(exclude_arg, &excl, err, errlen);
	for (int i = 0; !rc && i < excl.n; i++)
		if (!is_selector(excl.item[i])) {
			char shown[SHOWN_NAME_LEN];
			snprintf(err, errlen, "--exclude: no index or family '%s'",
				 shown_name(excl.item[i], shown, sizeof shown));
			rc = -1;
		}
	for (int i = 0; !rc && i < names.n; i++) {
		const char *item = names.item[i];
		char shown[SHOWN_NAME_LEN];
		const char *colon = strchr(item, ':');
		if ((item[0] == '@' || !strncmp(item, "all:", 4)) && colon) {
			snprintf(err, errlen, "'%s': parameters go with one index name, not with all or "
				 "a @family", shown_name(item, shown, sizeof shown));
			rc = -1;
			break;
		}
		if (item[0] == '@' || !strcmp(item, "all")) {
			bool any = false;
			for (int r = 0; index_registry[r]; r++)
				any |= selects(item, index_registry[r]);
			if (!any) {
				snprintf(err, errlen, "no index of family '%s'",
					 shown_name(item + 1, shown, sizeof shown));
				rc = -1;
				break;
			}
		}
		for (int r = 0; index_registry[r] && used < sizeof expanded; r++) {
			const struct index_ops *o = index_registry[r];
			char base[64];
			const char *params;
			split_name(item, base, sizeof base, &params);
			/* "pgm:" is pgm with no parameters, as "pgm::eps=16" is
			 * pgm:eps=16 */
			bool chosen = colon ? !strcmp(base, o->name) : selects(item, o);
			bool dropped = false;
			for (int e = 0; e < excl.n; e++)
				dropped |= selects(excl.item[e], o);
			if (!chosen || dropped)
				continue;
			used += (size_t)snprintf(expanded + used, sizeof expanded - used, "%s%s",
						 used ? "," : "", *params ? item : o->name);
			/* A sweep is one or more space-separated parameter sets. */
			for (const char *sw = sweeps && !*params ? o->sweep : NULL;
			     sw && *sw && used < sizeof expanded;) {
				size_t len = strcspn(sw, " ");
				if (len)
					used += (size_t)snprintf(expanded + used, sizeof expanded - used,
								 ",%s:%.*s", o->name, (int)len, sw);
				sw += len + (sw[len] == ' ');
			}
		}
		char base[64];
		const char *params;
		split_name(item, base, sizeof base, &params);
		if (!is_selector(base) && used < sizeof expanded) /* reported below */
			used += (size_t)snprintf(expanded + used, sizeof expanded - used, "%s%s",
						 used ? "," : "", item);
	}
	if (!rc && used >= sizeof expanded) {
		snprintf(err, errlen, "list too long");
		rc = -1;
	}
	if (!rc && !used) {
		snprintf(err, errlen, "--exclude left no index to run");
		rc = -1;
	}
	if (!rc)
		rc = parse_list(expanded, out, err, errlen);
	spec_list_free(&names);
	spec_list_free(&excl);
	return rc;
}

/* ---- help ---------------------------------------------------------------- */

static const char usage_main[] =
	"usage: omenbench COMMAND [options]   (omenbench COMMAND --help for each)\n"
	"  gen      write a synthetic data set in SOSD format\n"
	"  run      benchmark indexes on data sets and workloads; check every answer\n"
	"  list     indexes, workloads and generators with their parameters\n"
	"  check    validate a data set file\n"
	"  report   write REPORT.md from a results CSV\n"
	"  convert  convert a downloaded data set (geoip-city) to SOSD format\n";

static const char usage_gen[] =
	"usage: omenbench gen KIND[:k=v...] -n N [-o PATH] [--seed S] [--width 32|64]\n"
	"  KIND: see `omenbench list --generators`; N accepts 10M, 2^20\n"
	"  default PATH: $OMENBENCH_DATASETS (./datasets)/KIND_N_uint64\n";

static const char usage_run[] =
	"usage: omenbench run --index LIST --data LIST [options]\n"
	"  --index LIST      comma-separated index specs NAME[:k=v...]; sweeps: k=16..4096\n"
	"                    (doubling) or k=a/b/c; `all` = every registered index,\n"
	"                    `@FAMILY` = every index of a family (e.g. @learned, @engine)\n"
	"  --exclude LIST    index names or @families to leave out of --index\n"
	"  --data LIST       data set names (found under ./datasets) or paths\n"
	"  --workload LIST   workload specs NAME[:k=v...] (default point)\n"
	"  --mode LIST       batch, sampled, dependent (default batch)\n"
	"  --reps R          timed repetitions after one warm-up (default 5)\n"
	"  --builds K        K rounds, each building every index afresh and running\n"
	"                    its repetitions, the indexes in a new shuffled order\n"
	"                    each round (default 1: registry order)\n"
	"  --ops N           operations per repetition (default: the workload's)\n"
	"  --threads LIST    thread counts, e.g. 1,2 (default 1)\n"
	"  --seed S          seed of the operation streams (default 42)\n"
	"  --csv FILE        append one row per repetition (header written once)\n"
	"  --dir DIR         where engines make their directories (default /dev/shm or $TMPDIR)\n"
	"  --keep            keep the engines' directories\n"
	"  --sweeps          also run each named index's declared parameter sweep\n"
	"  --dry-run         check every option and list, then stop: nothing is opened,\n"
	"                    run or written (data sets are not looked for)\n";

static const char usage_list[] =
	"usage: omenbench list [--indexes | --workloads | --generators]\n";

static void print_params(const struct param_def *p)
{
	for (int i = 0; p && p[i].name; i++)
		printf("      %-12s = %-12s %s\n", p[i].name, p[i].def, p[i].help);
}

static void caps_string(unsigned caps, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s%s", caps & IX_CAP_ORDERED ? "ordered " : "",
		 caps & IX_CAP_INSERT ? "insert " : "", caps & IX_CAP_DUPLICATES ? "duplicates " : "",
		 caps & IX_CAP_PERSISTENT ? "persistent " : "",
		 caps & IX_CAP_CONCURRENT_READ ? "concurrent-read " : "",
		 caps & IX_CAP_CONCURRENT_WRITE ? "concurrent-write " : "");
	if (!buf[0])
		snprintf(buf, len, "point lookups only");
}

static int cmd_list(int argc, char **argv)
{
	int what = 7;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--indexes"))
			what = 1;
		else if (!strcmp(argv[i], "--workloads"))
			what = 2;
		else if (!strcmp(argv[i], "--generators"))
			what = 4;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage_list, stdout);
			return 0;
		} else {
			char shown[SHOWN_NAME_LEN];
			return die("list: unknown option '%s' (see omenbench list --help)",
				   shown_name(argv[i], shown, sizeof shown));
		}
	}
	if (what & 1) {
		printf("Indexes (NAME:k=v...):\n");
		for (int i = 0; index_registry[i]; i++) {
			const struct index_ops *o = index_registry[i];
			char caps[128];
			caps_string(o->caps, caps, sizeof caps);
			printf("  %-12s family=%-8s caps: %s\n      %s\n", o->name, o->family, caps,
			       o->description);
			print_params(o->params);
		}
	}
	if (what & 2) {
		printf("%sWorkloads (NAME:k=v...):\n", what == 7 ? "\n" : "");
		for (int i = 0; workload_registry[i]; i++) {
			const struct workload *w = workload_registry[i];
			char caps[128];
			caps_string(w->needs, caps, sizeof caps);
			printf("  %-12s %s\n      needs: %s%s\n", w->name, w->description,
			       w->needs ? caps : "nothing", w->writes ? " (writes: rebuilt per repetition)" : "");
			print_params(w->params);
		}
	}
	if (what & 4) {
		printf("%sGenerators (omenbench gen KIND[:k=v...]):\n", what == 7 ? "\n" : "");
		for (int i = 0; generator_registry[i]; i++) {
			printf("  %-12s %s\n", generator_registry[i]->name, generator_registry[i]->description);
			print_params(generator_registry[i]->params);
		}
	}
	return 0;
}

/* ---- gen, check ---------------------------------------------------------- */

static int cmd_gen(int argc, char **argv)
{
	static const struct option opts[] = {
		{"n", required_argument, NULL, 'n'}, {"out", required_argument, NULL, 'o'},
		{"seed", required_argument, NULL, 's'}, {"width", required_argument, NULL, 'w'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	uint64_t n = 0, seed = 42, width = 64;
	const char *out = NULL;
	int have_n = 0, c;
	char shown[SHOWN_NAME_LEN];
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":n:o:s:w:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_u64(optarg, &n))
				return die("gen: -n %s is not a count (e.g. 1000000, 10M, 2^20)",
					   shown_name(optarg, shown, sizeof shown));
			have_n = 1;
			break;
		case 'o': out = optarg; break;
		case 's':
			if (parse_u64(optarg, &seed))
				return die("gen: --seed %s is not a non-negative integer", optarg);
			break;
		case 'w':
			if (parse_u64(optarg, &width) || (width != 32 && width != 64))
				return die("gen: --width must be 32 or 64");
			break;
		case 'h': fputs(usage_gen, stdout); return 0;
		default: return bad_option("gen", c, argv);
		}
	}
	if (optind != argc - 1 || !have_n)
		return die("gen: need one KIND and -n N (see omenbench gen --help)");
	char name[64];
	const char *pspec;
	split_name(argv[optind], name, sizeof name, &pspec);
	const struct generator *g = generator_find(name);
	if (!g)
		return die("gen: unknown generator '%s' (see omenbench list --generators)",
			   shown_name(name, shown, sizeof shown));
	char err[512];
	struct param_set ps;
	if (param_set_parse(g->params, pspec, &ps, err, sizeof err))
		return die("gen %s: %s", name, err);
	if (n > (1ull << 36))
		return die("gen: -n %llu is more than this tool generates (2^36)", (unsigned long long)n);
	char path[PATH_MAX], count[32];
	format_count(n, count, sizeof count);
	if (out) {
		if (strlen(out) >= sizeof path)
			return die("gen: -o: path too long (%zu characters; at most %zu)", strlen(out),
				   sizeof path - 1);
		snprintf(path, sizeof path, "%s", out);
	} else {
		mkdir(dataset_dir(), 0755);
		if ((size_t)snprintf(path, sizeof path, "%s/%s_%s_uint%llu", dataset_dir(), name, count,
				     (unsigned long long)width) >= sizeof path)
			return die("gen: $OMENBENCH_DATASETS: path too long");
	}
	uint64_t *keys = malloc((n ? n : 1) * sizeof *keys);
	if (!keys)
		return die("gen: out of memory for %llu keys", (unsigned long long)n);
	if (g->generate(&ps, keys, (size_t)n, (int)width, seed, err, sizeof err) ||
	    dataset_write(path, keys, (size_t)n, (int)width, err, sizeof err)) {
		free(keys);
		return die("gen: %s", err);
	}
	free(keys);
	printf("wrote %s (%llu keys, %s, seed %llu)\n", path, (unsigned long long)n,
	       g->name, (unsigned long long)seed);
	return 0;
}

static int cmd_check(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs("usage: omenbench check DATASET\n", stdout);
		return 0;
	}
	if (argc != 2)
		return die("check: need one DATASET (usage: omenbench check DATASET)");
	struct dataset d;
	char err[1200];
	if (dataset_open(argv[1], &d, err, sizeof err))
		return die("%s", err);
	printf("%s: %zu keys, %d-bit, sorted, %zu duplicates, min %llu, max %llu\n", d.path, d.n,
	       d.width, d.n_dups, d.n ? (unsigned long long)d.keys[0] : 0ull,
	       d.n ? (unsigned long long)d.keys[d.n - 1] : 0ull);
	dataset_close(&d);
	return 0;
}

/* ---- run ------------------------------------------------------------------ */

struct index_cfg {
	const struct index_ops *ops;
	struct param_set ps;
};
struct workload_cfg {
	const struct workload *wl;
	struct param_set ps;
};

static int cmd_run_lists(int argc, char **argv, struct spec_list *ispecs,
			 struct spec_list *wspecs, struct spec_list *dspecs);

/* The order the indexes run in within one round of --builds: as listed
 * when seed is 0, else a Fisher-Yates shuffle driven by the seed, so that no
 * index always runs first (a fresh cache, a cool CPU) or after the same
 * neighbour, and a rerun repeats the order. */
static void interleave_order(int *order, int n, uint64_t seed)
{
	for (int i = 0; i < n; i++)
		order[i] = i;
	struct rng r;
	rng_seed(&r, seed);
	for (int i = n - 1; seed && i > 0; i--) {
		int j = (int)rng_below(&r, (uint64_t)(i + 1));
		int t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
}

/* Calls item(text) for each comma-separated item of arg, the whole of it
 * (no fixed-size copy to cut it short).  0 when every item was taken;
 * ITEMS_EMPTY when there was none (an error, as for --index); ITEMS_BAD
 * with the refused item (shortened) in bad. */
enum { ITEMS_EMPTY = 1, ITEMS_BAD = 2, ITEMS_NO_MEMORY = 3 };
static int for_each_item(const char *arg, int (*item)(const char *text, void *ctx), void *ctx,
			 char *bad, size_t badlen)
{
	char *copy = strdup(arg), *save = NULL;
	if (!copy)
		return ITEMS_NO_MEMORY;
	int n = 0, rc = 0;
	for (char *t = strtok_r(copy, ",", &save); t && !rc; t = strtok_r(NULL, ",", &save), n++)
		if (item(t, ctx)) {
			char shown[SHOWN_NAME_LEN];
			snprintf(bad, badlen, "%s", shown_name(t, shown, sizeof shown));
			rc = ITEMS_BAD;
		}
	free(copy);
	return rc ? rc : n ? 0 : ITEMS_EMPTY;
}

static int add_mode(const char *m, void *ctx)
{
	unsigned *modes = ctx;
	if (!strcmp(m, "batch"))
		*modes |= MODE_BATCH;
	else if (!strcmp(m, "sampled"))
		*modes |= MODE_SAMPLED;
	else if (!strcmp(m, "dependent"))
		*modes |= MODE_DEPENDENT;
	else
		return -1;
	return 0;
}

struct thread_list {
	int *counts, n;
};

static int add_threads(const char *t, void *ctx)
{
	struct thread_list *l = ctx;
	uint64_t v;
	if (parse_u64(t, &v) || v < 1 || v > WL_MAX_THREADS || l->n >= 16)
		return -1;
	l->counts[l->n++] = (int)v;
	return 0;
}

/* One line for a bad --mode or --threads list; 2. */
static int bad_items(const char *option, int rc, const char *arg, const char *bad,
		     const char *want)
{
	char shown[SHOWN_NAME_LEN];
	if (rc == ITEMS_EMPTY)
		return die("run: %s: empty list '%s'", option, shown_name(arg, shown, sizeof shown));
	if (rc == ITEMS_NO_MEMORY)
		return die("run: %s: out of memory", option);
	return die("run: %s '%s': %s", option, bad, want);
}

static int cmd_run(int argc, char **argv)
{
	/* The lists are freed here whatever path cmd_run_lists returns by. */
	struct spec_list ispecs = {0}, wspecs = {0}, dspecs = {0};
	int rc = cmd_run_lists(argc, argv, &ispecs, &wspecs, &dspecs);
	spec_list_free(&ispecs);
	spec_list_free(&wspecs);
	spec_list_free(&dspecs);
	return rc;
}

static int cmd_run_lists(int argc, char **argv, struct spec_list *ip,
			 struct spec_list *wp, struct spec_list *dp)
{
	static const struct option opts[] = {
		{"index", required_argument, NULL, 'i'}, {"data", required_argument, NULL, 'd'},
		{"workload", required_argument, NULL, 'w'}, {"mode", required_argument, NULL, 'm'},
		{"reps", required_argument, NULL, 'r'}, {"ops", required_argument, NULL, 'o'},
		{"threads", required_argument, NULL, 't'}, {"seed", required_argument, NULL, 's'},
		{"csv", required_argument, NULL, 'c'}, {"dir", required_argument, NULL, 'D'},
		{"keep", no_argument, NULL, 'k'}, {"help", no_argument, NULL, 'h'},
		{"sweeps", no_argument, NULL, 'S'}, {"exclude", required_argument, NULL, 'x'},
		{"builds", required_argument, NULL, 'b'},
		{"dry-run", no_argument, NULL, 'n'},
		{NULL, 0, NULL, 0}};
	const char *index_arg = NULL, *data_arg = NULL, *wl_arg = "point", *mode_arg = "batch";
	const char *threads_arg = "1", *csv_path = NULL, *dir = NULL, *exclude_arg = NULL;
	uint64_t reps = 5, ops = 0, seed = 42, builds = 1;
	bool keep = false, sweeps = false, dry_run = false;
	int c;
	char shown[SHOWN_NAME_LEN];
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'S': sweeps = true; break;
		case 'n': dry_run = true; break;
		case 'x': exclude_arg = optarg; break;
		case 'i': index_arg = optarg; break;
		case 'd': data_arg = optarg; break;
		case 'w': wl_arg = optarg; break;
		case 'm': mode_arg = optarg; break;
		case 't': threads_arg = optarg; break;
		case 'c': csv_path = optarg; break;
		case 'D': dir = optarg; break;
		case 'k': keep = true; break;
		case 'r':
			if (parse_u64(optarg, &reps) || reps < 1 || reps > 64)
				return die("run: --reps must be 1..64");
			break;
		case 'b':
			if (parse_u64(optarg, &builds) || builds < 1 || builds > 64)
				return die("run: --builds must be 1..64");
			break;
		case 'o':
			if (parse_u64(optarg, &ops) || ops < 1 || ops > (1ull << 34))
				return die("run: --ops must be a count from 1 to 2^34");
			break;
		case 's':
			if (parse_u64(optarg, &seed))
				return die("run: --seed must be a non-negative integer");
			break;
		case 'h': fputs(usage_run, stdout); return 0;
		default: return bad_option("run", c, argv);
		}
	}
	if (optind != argc)
		return die("run: unexpected argument '%s' (see omenbench run --help)",
			   shown_name(argv[optind], shown, sizeof shown));
	if (!index_arg || !data_arg)
		return die("run: --index and --data are required (see omenbench run --help)");
	char err[1200];
	/* Validate everything before running anything. */
	if (expand_index_list(index_arg, exclude_arg, sweeps, ip, err, sizeof err))
		return die("run: --index: %s", err);
	if (parse_list(wl_arg, wp, err, sizeof err))
		return die("run: --workload: %s", err);
	if (parse_list(data_arg, dp, err, sizeof err))
		return die("run: --data: %s", err);
	static struct index_cfg icfg[MAX_SPECS];
	static struct workload_cfg wcfg[MAX_SPECS];
	for (int i = 0; i < ip->n; i++) {
		char name[64];
		const char *ps;
		split_name(ip->item[i], name, sizeof name, &ps);
		icfg[i].ops = index_find(name);
		if (!icfg[i].ops)
			return die("run: unknown index '%s' (see omenbench list --indexes)",
				   shown_name(name, shown, sizeof shown));
		if (param_set_parse(icfg[i].ops->params, ps, &icfg[i].ps, err, sizeof err))
			return die("run: index %s: %s", name, err);
		/* Create once to validate parameter values now, not mid-run. */
		struct index_env env = {.dir = NULL, .threads = 1};
		if (!(icfg[i].ops->caps & IX_CAP_PERSISTENT)) {
			void *ix = icfg[i].ops->create(&icfg[i].ps, &env, err, sizeof err);
			if (!ix)
				return die("run: index %s: %s", shown_name(ip->item[i], shown, sizeof shown),
					   err);
			icfg[i].ops->destroy(ix);
		}
	}
	for (int i = 0; i < wp->n; i++) {
		char name[64];
		const char *ps;
		split_name(wp->item[i], name, sizeof name, &ps);
		wcfg[i].wl = workload_find(name);
		if (!wcfg[i].wl)
			return die("run: unknown workload '%s' (see omenbench list --workloads)",
				   shown_name(name, shown, sizeof shown));
		if (param_set_parse(wcfg[i].wl->params, ps, &wcfg[i].ps, err, sizeof err))
			return die("run: workload %s: %s", name, err);
	}
	unsigned modes = 0;
	int threads[16];
	struct thread_list tl = {threads, 0};
	int items = for_each_item(mode_arg, add_mode, &modes, err, sizeof err);
	if (items)
		return bad_items("--mode", items, mode_arg, err, "not batch, sampled or dependent");
	items = for_each_item(threads_arg, add_threads, &tl, err, sizeof err);
	if (items) {
		char want[64];
		snprintf(want, sizeof want, "not a thread count from 1 to %d (at most 16 of them)",
			 WL_MAX_THREADS);
		return bad_items("--threads", items, threads_arg, err, want);
	}
	int nthreads = tl.n;
	char dirbuf[PATH_MAX - 64]; /* room for the engine directory's name */
	if (!dir) {
		struct stat st;
		const char *tmp = getenv("TMPDIR");
		dir = (!stat("/dev/shm", &st) && S_ISDIR(st.st_mode) && !access("/dev/shm", W_OK))
			      ? "/dev/shm" : (tmp && *tmp ? tmp : "/tmp");
	}
	if (strlen(dir) >= sizeof dirbuf)
		return die("run: --dir: path too long (%zu characters; at most %zu)", strlen(dir),
			   sizeof dirbuf - 1);
	snprintf(dirbuf, sizeof dirbuf, "%s", dir);
	struct stat st;
	if (stat(dirbuf, &st) || !S_ISDIR(st.st_mode))
		return die("run: --dir %s is not a directory", shown_name(dirbuf, shown, sizeof shown));
	if (dry_run) {
		if (csv_path && outfile_check(csv_path, err, sizeof err))
			return die("run: --csv %s", err);
		printf("dry run: %d index configurations, %d workloads, %d data sets, %d thread "
		       "counts: every option valid; nothing run\n", ip->n, wp->n, dp->n, nthreads);
		return 0;
	}
	bool engines = false;
	for (int i = 0; i < ip->n; i++)
		engines |= (icfg[i].ops->caps & IX_CAP_PERSISTENT) != 0;
	if (engines)
		engine_dir_remove_stale(dirbuf);

	struct csv_out csv_file, *csv = NULL;
	if (csv_path) {
		if (csv_open_append(&csv_file, csv_path, err, sizeof err))
			return die("run: --csv %s", err);
		csv = &csv_file;
	}

	struct timer_info timer;
	timer_init(&timer, false);
	struct run_config cfg = {.timer = &timer, .modes = modes, .reps = (int)reps,
				 .dir = dirbuf, .keep = keep, .csv = csv};
	double floor_ns = runner_floor_ns(&cfg);
	if (timer.use_tsc)
		printf("timer: TSC at %.3f GHz (invariant); empty timer %.1f ns; harness floor %.2f ns/op (null index)\n",
		       timer.tsc_hz / 1e9, timer.empty_ticks * timer.ns_per_tick, floor_ns);
	else
		printf("timer: clock_gettime (no invariant TSC); empty timer %.1f ns; harness floor %.2f ns/op\n",
		       timer.empty_ticks, floor_ns);

	int status = 0;
	bool csv_failed = false;
	size_t total = (size_t)dp->n * (size_t)wp->n * (size_t)nthreads * (size_t)ip->n *
		       (size_t)builds, done = 0;
	uint64_t t_start = mono_ns();
	for (int d = 0; d < dp->n && !csv_failed; d++) {
		struct dataset data;
		if (dataset_open(dp->item[d], &data, err, sizeof err)) {
			fprintf(stderr, "omenbench: %s\n", err);
			status = 2;
			done += (size_t)wp->n * (size_t)nthreads * (size_t)ip->n * (size_t)builds;
			continue;
		}
		printf("data %s: %zu keys, %d-bit, %zu duplicates\n", data.name, data.n, data.width,
		       data.n_dups);
		for (int w = 0; w < wp->n && !csv_failed; w++) {
			for (int ti = 0; ti < nthreads && !csv_failed; ti++) {
				struct op_stream stream = {0};
				struct workload_input in = {.data = &data, .ops = (size_t)ops,
							    .seed = seed, .threads = threads[ti]};
				if (wcfg[w].wl->generate(&wcfg[w].ps, &in, &stream, err, sizeof err)) {
					fprintf(stderr, "omenbench: workload %s on %s: %s\n", wp->item[w],
						data.name, err);
					status = 2;
					done += (size_t)ip->n * (size_t)builds;
					continue;
				}
				char wp[256];
				param_set_format(&wcfg[w].ps, wp, sizeof wp);
				printf("workload %s:%s  threads %d  %zu ops (%zu reads, %zu writes), load %zu keys\n",
				       wcfg[w].wl->name, wp, threads[ti], stream.n, stream.n_reads,
				       stream.n_writes, stream.n_load);
				cfg.threads = threads[ti];
				int order[MAX_SPECS];
				for (int b = 1; b <= (int)builds && !csv_failed; b++) {
				cfg.build = b;
				interleave_order(order, ip->n, builds > 1 ? seed + (uint64_t)b : 0);
				for (int oi = 0; oi < ip->n && !csv_failed; oi++) {
					int i = order[oi];
					done++;
					printf("[%zu/%zu %.0fs] %s\n", done, total,
					       (double)(mono_ns() - t_start) / 1e9, ip->item[i]);
					fflush(stdout);
					struct run_target t = {.data = &data, .ops = icfg[i].ops,
							       .iparams = &icfg[i].ps, .wl = wcfg[w].wl,
							       .wparams = &wcfg[w].ps, .stream = &stream};
					int rc = run_index(&cfg, &t);
					if (rc == 1 && status == 0)
						status = 1;
					if (rc == 2 || rc == RUN_CSV_FAILED)
						status = 2;
					csv_failed = rc == RUN_CSV_FAILED;
				}
				}
				op_stream_free(&stream);
			}
		}
		dataset_close(&data);
	}
	if (csv && csv_close(csv, err, sizeof err)) {
		fprintf(stderr, "omenbench: run: --csv %s\n", err);
		status = 2;
	}
	if (status == 1)
		fprintf(stderr, "omenbench: some answers were wrong: those rows have valid=0\n");
	return status;
}

#include "convert.h"
#include "report.h"

static int run_command(int argc, char **argv);

/* What a command printed must have reached standard output too (a full
 * disk, a closed pipe whose SIGPIPE is ignored): otherwise exit 2. */
int main(int argc, char **argv)
{
	int rc = run_command(argc, argv);
	if (fflush(stdout) || ferror(stdout)) {
		int saved = errno;
		die("cannot write to standard output: %s", saved ? strerror(saved) : "I/O error");
		return 2;
	}
	return rc;
}

static int run_command(int argc, char **argv)
{
	if (argc < 2)
		return die("missing command: gen, run, list, check, report or convert "
			   "(see omenbench --help)");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(usage_main, stdout);
		return 0;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "gen"))
		return cmd_gen(argc - 1, argv + 1);
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(cmd, "check"))
		return cmd_check(argc - 1, argv + 1);
	if (!strcmp(cmd, "report"))
		return report_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "convert"))
		return convert_main(argc - 1, argv + 1);
	char shown[SHOWN_NAME_LEN];
	return die("unknown command '%s': not gen, run, list, check, report or convert "
		   "(see omenbench --help)", shown_name(cmd, shown, sizeof shown));
}
