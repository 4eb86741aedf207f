/*
 * harness/main.c — the omenbench command line: the table of commands, and
 * the small ones (gen, list, check) in full.
 *
 *   omenbench gen KIND[:k=v...] -n N [-o PATH] [--seed S] [--width 32|64]
 *   omenbench run --index LIST --data LIST [--workload LIST] [options]
 *   omenbench list [--indexes | --workloads | --generators]
 *   omenbench check DATASET
 *   omenbench report --csv FILE --out FILE
 *   omenbench summary [--csv FILE] [--out FILE]
 *   omenbench convert ...
 *
 * Data flows one way: data set -> index build -> operation stream -> timed
 * run -> checked results -> CSV.  Exit status: 0 all valid, 1 some answer
 * was wrong, 2 bad input or a failure (one line on stderr says which).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/message.h"
#include "common/params.h"
#include "datasets/convert.h"
#include "datasets/dataset.h"
#include "harness/cli.h"
#include "harness/cmd_run.h"
#include "harness/sweep.h"
#include "indexes/index.h"
#include "report/report.h"
#include "report/summary.h"
#include "workloads/workload.h"

/* ---- help ---------------------------------------------------------------- */

static const char usage_gen[] =
	"usage: omenbench gen KIND[:k=v...] -n N [-o PATH] [--seed S] [--width 32|64]\n"
	"  KIND: see `omenbench list --generators`; N accepts 10M, 2^20\n"
	"  default PATH: $OMENBENCH_DATASETS (./datasets)/KIND_N_uint64\n";

static const char usage_list[] =
	"usage: omenbench list [--indexes | --workloads | --generators] [--tsv]\n"
	"  --tsv   for scripts: a header, then one tab-separated line per entry:\n"
	"          kind name family caps params description, where caps are\n"
	"          comma-separated (a workload's: what it needs, then writes and\n"
	"          sequential when it is so), params k=default:k=default, \"-\" if none\n";

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

/* A list of words for --tsv: comma-separated, "-" when there is none. */
static void tsv_words(const char *const *words, int n)
{
	int wrote = 0;
	for (int i = 0; i < n; i++)
		if (words[i])
			printf("%s%s", wrote++ ? "," : "", words[i]);
	if (!wrote)
		fputs("-", stdout);
}

static void tsv_caps(unsigned caps, bool writes, bool sequential)
{
	const char *const words[] = {
		caps & IX_CAP_ORDERED ? "ordered" : NULL,
		caps & IX_CAP_INSERT ? "insert" : NULL,
		caps & IX_CAP_DUPLICATES ? "duplicates" : NULL,
		caps & IX_CAP_PERSISTENT ? "persistent" : NULL,
		caps & IX_CAP_CONCURRENT_READ ? "concurrent-read" : NULL,
		caps & IX_CAP_CONCURRENT_WRITE ? "concurrent-write" : NULL,
		writes ? "writes" : NULL,
		sequential ? "sequential" : NULL,
	};
	tsv_words(words, (int)(sizeof words / sizeof *words));
}

/* One --tsv line; the registries' own strings hold no tabs or newlines. */
static void tsv_line(const char *kind, const char *name, const char *family, unsigned caps,
		     bool writes, bool sequential, const struct param_def *p,
		     const char *description)
{
	printf("%s\t%s\t%s\t", kind, name, family ? family : "-");
	if (family || caps || writes || sequential)
		tsv_caps(caps, writes, sequential);
	else
		fputs("-", stdout);
	putchar('\t');
	for (int i = 0; p && p[i].name; i++)
		printf("%s%s=%s", i ? ":" : "", p[i].name, p[i].def);
	if (!p || !p[0].name)
		fputs("-", stdout);
	printf("\t%s\n", description);
}

/* `list --tsv`: what scripts read instead of the human listing. */
static void list_tsv(int what)
{
	printf("kind\tname\tfamily\tcaps\tparams\tdescription\n");
	for (int i = 0; (what & 1) && index_registry[i]; i++) {
		const struct index_ops *o = index_registry[i];
		tsv_line("index", o->name, o->family, o->caps, false, false, o->params,
			 o->description);
	}
	for (int i = 0; (what & 2) && workload_registry[i]; i++) {
		const struct workload *w = workload_registry[i];
		tsv_line("workload", w->name, NULL, w->needs, w->writes, w->sequential, w->params,
			 w->description);
	}
	for (int i = 0; (what & 4) && generator_registry[i]; i++)
		tsv_line("generator", generator_registry[i]->name, NULL, 0, false, false,
			 generator_registry[i]->params, generator_registry[i]->description);
}

static int cmd_list(int argc, char **argv)
{
	int what = 7, tsv = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--tsv"))
			tsv = 1;
		else if (!strcmp(argv[i], "--indexes"))
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
	if (tsv) {
		list_tsv(what);
		return 0;
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

/* ---- the commands --------------------------------------------------------- */

/* One line each in `omenbench --help`, in this order; each command's own
 * --help says the rest.  A new command is one line here, as a new index is
 * one line in indexes/registry.c. */
static const struct command {
	const char *name;
	const char *help;
	int (*main)(int argc, char **argv); /* argv[0] is the command's name */
} commands[] = {
	{"gen", "write a synthetic data set in SOSD format", cmd_gen},
	{"run", "benchmark indexes on data sets and workloads; check every answer", cmd_run},
	{"list", "indexes, workloads and generators with their parameters", cmd_list},
	{"check", "validate a data set file", cmd_check},
	{"report", "write REPORT.md from a results CSV", report_main},
	{"summary", "per-configuration figures of a results CSV, as TSV for scripts", summary_main},
	{"convert", "convert a downloaded data set (geoip-city) to SOSD format", convert_main},
};
enum { NCOMMANDS = sizeof commands / sizeof *commands };

static void print_usage(void)
{
	printf("usage: omenbench COMMAND [options]   (omenbench COMMAND --help for each)\n");
	for (int i = 0; i < NCOMMANDS; i++)
		printf("  %-8s %s\n", commands[i].name, commands[i].help);
}

/* "gen, run, ... or convert", for the messages that list the commands. */
static void command_names(char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = 0;
	for (int i = 0; i < NCOMMANDS && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 !i ? "" : i == NCOMMANDS - 1 ? " or " : ", ",
					 commands[i].name);
}

static int run_command(int argc, char **argv)
{
	char names[256];
	command_names(names, sizeof names);
	if (argc < 2)
		return die("missing command: %s (see omenbench --help)", names);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		print_usage();
		return 0;
	}
	for (int i = 0; i < NCOMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].main(argc - 1, argv + 1);
	char shown[SHOWN_NAME_LEN];
	return die("unknown command '%s': not %s (see omenbench --help)",
		   shown_name(argv[1], shown, sizeof shown), names);
}

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
