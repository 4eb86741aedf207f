/*
 * harness/cmd_run.c — `omenbench run`: options and lists into a checked
 * plan (plan_make: nothing runs until every option, index and workload
 * configuration, mode, thread count and the directory are valid), then the
 * plan run data set by data set, workload by workload, thread count by
 * thread count, each index once per round of --builds (runner.c runs one).
 */
#define _GNU_SOURCE
#include "harness/cmd_run.h"
#include "common/message.h"
#include "common/outfile.h"
#include "common/params.h"
#include "common/rng.h"
#include "datasets/dataset.h"
#include "harness/cli.h"
#include "harness/csvwrite.h"
#include "harness/engine_dir.h"
#include "harness/runner.h"
#include "harness/sweep.h"
#include "harness/sysinfo.h"
#include "harness/timer.h"
#include "indexes/index.h"
#include "workloads/workload.h"

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* ---- list items ---------------------------------------------------------- */

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

/* ---- the plan: every option and list, checked before anything runs ---- */

struct index_cfg {
	const struct index_ops *ops;
	struct param_set ps;
};
struct workload_cfg {
	const struct workload *wl;
	struct param_set ps;
};

/* What `run` was asked to do.  The options as given, then what they
 * resolve to; one allocation (the configurations are large), freed by
 * plan_free whatever path the command leaves by. */
struct run_plan {
	const char *index_arg, *data_arg, *wl_arg, *mode_arg, *threads_arg;
	const char *csv_path, *dir, *exclude_arg;
	uint64_t reps, ops, seed, builds;
	bool keep, sweeps, dry_run;
	struct spec_list ispecs, wspecs, dspecs;
	struct index_cfg icfg[MAX_SPECS];
	struct workload_cfg wcfg[MAX_SPECS];
	unsigned modes;
	int threads[16], nthreads;
	char dir_buf[PATH_MAX - 64]; /* room for the engine directory's name */
};

/* The plan_* steps return GO_ON, or the exit status to stop with (0 after
 * --help, 2 after one line on stderr). */
enum { GO_ON = -1 };

static int plan_options(struct run_plan *p, int argc, char **argv)
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
	p->wl_arg = "point";
	p->mode_arg = "batch";
	p->threads_arg = "1";
	p->reps = 5;
	p->seed = 42;
	p->builds = 1;
	int c;
	char shown[SHOWN_NAME_LEN];
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'S': p->sweeps = true; break;
		case 'n': p->dry_run = true; break;
		case 'x': p->exclude_arg = optarg; break;
		case 'i': p->index_arg = optarg; break;
		case 'd': p->data_arg = optarg; break;
		case 'w': p->wl_arg = optarg; break;
		case 'm': p->mode_arg = optarg; break;
		case 't': p->threads_arg = optarg; break;
		case 'c': p->csv_path = optarg; break;
		case 'D': p->dir = optarg; break;
		case 'k': p->keep = true; break;
		case 'r':
			if (parse_u64(optarg, &p->reps) || p->reps < 1 || p->reps > 64)
				return die("run: --reps must be 1..64");
			break;
		case 'b':
			if (parse_u64(optarg, &p->builds) || p->builds < 1 || p->builds > 64)
				return die("run: --builds must be 1..64");
			break;
		case 'o':
			if (parse_u64(optarg, &p->ops) || p->ops < 1 || p->ops > (1ull << 34))
				return die("run: --ops must be a count from 1 to 2^34");
			break;
		case 's':
			if (parse_u64(optarg, &p->seed))
				return die("run: --seed must be a non-negative integer");
			break;
		case 'h': fputs(usage_run, stdout); return 0;
		default: return bad_option("run", c, argv);
		}
	}
	if (optind != argc)
		return die("run: unexpected argument '%s' (see omenbench run --help)",
			   shown_name(argv[optind], shown, sizeof shown));
	if (!p->index_arg || !p->data_arg)
		return die("run: --index and --data are required (see omenbench run --help)");
	return GO_ON;
}

/* Each index configuration: a registered index and parameters it accepts,
 * created once (engines aside) so that a bad value fails now, not mid-run. */
static int plan_indexes(struct run_plan *p)
{
	char err[1200], shown[SHOWN_NAME_LEN];
	for (int i = 0; i < p->ispecs.n; i++) {
		struct index_cfg *ic = &p->icfg[i];
		char name[64];
		const char *ps;
		split_name(p->ispecs.item[i], name, sizeof name, &ps);
		ic->ops = index_find(name);
		if (!ic->ops)
			return die("run: unknown index '%s' (see omenbench list --indexes)",
				   shown_name(name, shown, sizeof shown));
		if (param_set_parse(ic->ops->params, ps, &ic->ps, err, sizeof err))
			return die("run: index %s: %s", name, err);
		struct index_env env = {.dir = NULL, .threads = 1};
		if (!(ic->ops->caps & IX_CAP_PERSISTENT)) {
			void *ix = ic->ops->create(&ic->ps, &env, err, sizeof err);
			if (!ix)
				return die("run: index %s: %s",
					   shown_name(p->ispecs.item[i], shown, sizeof shown), err);
			ic->ops->destroy(ix);
		}
	}
	return GO_ON;
}

static int plan_workloads(struct run_plan *p)
{
	char err[1200], shown[SHOWN_NAME_LEN];
	for (int i = 0; i < p->wspecs.n; i++) {
		struct workload_cfg *wc = &p->wcfg[i];
		char name[64];
		const char *ps;
		split_name(p->wspecs.item[i], name, sizeof name, &ps);
		wc->wl = workload_find(name);
		if (!wc->wl)
			return die("run: unknown workload '%s' (see omenbench list --workloads)",
				   shown_name(name, shown, sizeof shown));
		if (param_set_parse(wc->wl->params, ps, &wc->ps, err, sizeof err))
			return die("run: workload %s: %s", name, err);
	}
	return GO_ON;
}

/* --mode and --threads. */
static int plan_modes_threads(struct run_plan *p)
{
	char err[1200];
	struct thread_list tl = {p->threads, 0};
	int items = for_each_item(p->mode_arg, add_mode, &p->modes, err, sizeof err);
	if (items)
		return bad_items("--mode", items, p->mode_arg, err, "not batch, sampled or dependent");
	items = for_each_item(p->threads_arg, add_threads, &tl, err, sizeof err);
	if (items) {
		char want[64];
		snprintf(want, sizeof want, "not a thread count from 1 to %d (at most 16 of them)",
			 WL_MAX_THREADS);
		return bad_items("--threads", items, p->threads_arg, err, want);
	}
	p->nthreads = tl.n;
	return GO_ON;
}

/* --dir, or /dev/shm when writable, else $TMPDIR, else /tmp. */
static int plan_dir(struct run_plan *p)
{
	char shown[SHOWN_NAME_LEN];
	const char *dir = p->dir;
	if (!dir) {
		struct stat st;
		const char *tmp = getenv("TMPDIR");
		dir = (!stat("/dev/shm", &st) && S_ISDIR(st.st_mode) && !access("/dev/shm", W_OK))
			      ? "/dev/shm" : (tmp && *tmp ? tmp : "/tmp");
	}
	if (strlen(dir) >= sizeof p->dir_buf)
		return die("run: --dir: path too long (%zu characters; at most %zu)", strlen(dir),
			   sizeof p->dir_buf - 1);
	snprintf(p->dir_buf, sizeof p->dir_buf, "%s", dir);
	struct stat st;
	if (stat(p->dir_buf, &st) || !S_ISDIR(st.st_mode))
		return die("run: --dir %s is not a directory",
			   shown_name(p->dir_buf, shown, sizeof shown));
	return GO_ON;
}

/* Validates everything before running anything. */
static int plan_make(struct run_plan *p, int argc, char **argv)
{
	char err[1200];
	int rc = plan_options(p, argc, argv);
	if (rc != GO_ON)
		return rc;
	if (expand_index_list(p->index_arg, p->exclude_arg, p->sweeps, &p->ispecs, err, sizeof err))
		return die("run: --index: %s", err);
	if (parse_list(p->wl_arg, &p->wspecs, err, sizeof err))
		return die("run: --workload: %s", err);
	if (parse_list(p->data_arg, &p->dspecs, err, sizeof err))
		return die("run: --data: %s", err);
	if ((rc = plan_indexes(p)) != GO_ON || (rc = plan_workloads(p)) != GO_ON ||
	    (rc = plan_modes_threads(p)) != GO_ON)
		return rc;
	return plan_dir(p);
}

static void plan_free(struct run_plan *p)
{
	if (!p)
		return;
	spec_list_free(&p->ispecs);
	spec_list_free(&p->wspecs);
	spec_list_free(&p->dspecs);
	free(p);
}

/* ---- running the plan --------------------------------------------------- */

/* Where the run stands: its exit status so far and its progress line. */
struct progress {
	int status;
	bool csv_failed; /* the CSV cannot take more rows: stop */
	size_t done, total;
	uint64_t t_start;
};

/* Every index on one stream, --builds rounds, each in a new order. */
static void run_stream(const struct run_plan *p, struct run_config *cfg,
		       const struct dataset *data, const struct workload_cfg *wc,
		       const struct op_stream *stream, struct progress *pr)
{
	int order[MAX_SPECS];
	for (int b = 1; b <= (int)p->builds && !pr->csv_failed; b++) {
		cfg->build = b;
		interleave_order(order, p->ispecs.n, p->builds > 1 ? p->seed + (uint64_t)b : 0);
		for (int oi = 0; oi < p->ispecs.n && !pr->csv_failed; oi++) {
			int i = order[oi];
			pr->done++;
			printf("[%zu/%zu %.0fs] %s\n", pr->done, pr->total,
			       (double)(mono_ns() - pr->t_start) / 1e9, p->ispecs.item[i]);
			fflush(stdout);
			struct run_target t = {.data = data, .ops = p->icfg[i].ops,
					       .iparams = &p->icfg[i].ps, .wl = wc->wl,
					       .wparams = &wc->ps, .stream = stream};
			int rc = run_index(cfg, &t);
			if (rc == 1 && pr->status == 0)
				pr->status = 1;
			if (rc == 2 || rc == RUN_CSV_FAILED)
				pr->status = 2;
			pr->csv_failed = rc == RUN_CSV_FAILED;
		}
	}
}

/* Every workload and thread count on one data set: one stream each. */
static void run_data_set(const struct run_plan *p, struct run_config *cfg,
			 const struct dataset *data, struct progress *pr)
{
	char err[1200];
	for (int w = 0; w < p->wspecs.n && !pr->csv_failed; w++) {
		const struct workload_cfg *wc = &p->wcfg[w];
		for (int ti = 0; ti < p->nthreads && !pr->csv_failed; ti++) {
			struct op_stream stream = {0};
			struct workload_input in = {.data = data, .ops = (size_t)p->ops,
						    .seed = p->seed, .threads = p->threads[ti]};
			if (wc->wl->generate(&wc->ps, &in, &stream, err, sizeof err)) {
				fprintf(stderr, "omenbench: workload %s on %s: %s\n", p->wspecs.item[w],
					data->name, err);
				pr->status = 2;
				pr->done += (size_t)p->ispecs.n * (size_t)p->builds;
				continue;
			}
			char wparams[256];
			param_set_format(&wc->ps, wparams, sizeof wparams);
			printf("workload %s:%s  threads %d  %zu ops (%zu reads, %zu writes), load %zu keys\n",
			       wc->wl->name, wparams, p->threads[ti], stream.n, stream.n_reads,
			       stream.n_writes, stream.n_load);
			cfg->threads = p->threads[ti];
			run_stream(p, cfg, data, wc, &stream, pr);
			op_stream_free(&stream);
		}
	}
}

/* Opens the CSV, calibrates the timer, prints the floor, runs every data
 * set; the exit status. */
static int plan_run(const struct run_plan *p)
{
	char err[1200];
	bool engines = false;
	for (int i = 0; i < p->ispecs.n; i++)
		engines |= (p->icfg[i].ops->caps & IX_CAP_PERSISTENT) != 0;
	if (engines)
		engine_dir_remove_stale(p->dir_buf);

	struct csv_out csv_file, *csv = NULL;
	if (p->csv_path) {
		if (csv_open_append(&csv_file, p->csv_path, err, sizeof err))
			return die("run: --csv %s", err);
		csv = &csv_file;
	}

	struct timer_info timer;
	timer_init(&timer, false);
	struct machine_info machine;
	sys_machine_probe(&machine);
	struct run_config cfg = {.timer = &timer, .modes = p->modes, .reps = (int)p->reps,
				 .dir = p->dir_buf, .keep = p->keep, .csv = csv, .machine = &machine};
	double floor_ns = runner_floor_ns(&cfg);
	if (timer.use_tsc)
		printf("timer: TSC at %.3f GHz (invariant); empty timer %.1f ns; harness floor %.2f ns/op (null index)\n",
		       timer.tsc_hz / 1e9, timer.empty_ticks * timer.ns_per_tick, floor_ns);
	else
		printf("timer: clock_gettime (no invariant TSC); empty timer %.1f ns; harness floor %.2f ns/op\n",
		       timer.empty_ticks, floor_ns);

	size_t per_data = (size_t)p->wspecs.n * (size_t)p->nthreads * (size_t)p->ispecs.n *
			  (size_t)p->builds;
	struct progress pr = {.total = (size_t)p->dspecs.n * per_data, .t_start = mono_ns()};
	for (int d = 0; d < p->dspecs.n && !pr.csv_failed; d++) {
		struct dataset data;
		if (dataset_open(p->dspecs.item[d], &data, err, sizeof err)) {
			fprintf(stderr, "omenbench: %s\n", err);
			pr.status = 2;
			pr.done += per_data;
			continue;
		}
		printf("data %s: %zu keys, %d-bit, %zu duplicates\n", data.name, data.n, data.width,
		       data.n_dups);
		run_data_set(p, &cfg, &data, &pr);
		dataset_close(&data);
	}
	if (csv && csv_close(csv, err, sizeof err)) {
		fprintf(stderr, "omenbench: run: --csv %s\n", err);
		pr.status = 2;
	}
	if (pr.status == 1)
		fprintf(stderr, "omenbench: some answers were wrong: those rows have valid=0\n");
	return pr.status;
}

/* --dry-run: the CSV is checked, not opened. */
static int plan_dry_run(const struct run_plan *p)
{
	char err[1200];
	if (p->csv_path && outfile_check(p->csv_path, err, sizeof err))
		return die("run: --csv %s", err);
	printf("dry run: %d index configurations, %d workloads, %d data sets, %d thread "
	       "counts: every option valid; nothing run\n", p->ispecs.n, p->wspecs.n,
	       p->dspecs.n, p->nthreads);
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_plan *p = calloc(1, sizeof *p);
	if (!p)
		return die("run: out of memory");
	int rc = plan_make(p, argc, argv);
	if (rc == GO_ON)
		rc = p->dry_run ? plan_dry_run(p) : plan_run(p);
	plan_free(p);
	return rc;
}
