/*
 * harness/runner.c — load -> build -> run -> check -> record (see runner.h).
 *
 * Its neighbours hold the other jobs: the timed loops (timed_loop.c, what
 * `make regress` measures), the engines' directories and their signal
 * cleanup (engine_dir.c), what the machine says about itself (sysinfo.c)
 * and the CSV row (csvrow.c).  Here: building and verifying an index,
 * starting the workers and merging what they measured, the skip rules and
 * the memory guard, and the repetition loop that prints and records.
 */
#define _GNU_SOURCE
#include "harness/runner.h"
#include "harness/csvrow.h"
#include "harness/engine_dir.h"
#include "harness/hist.h"
#include "harness/sysinfo.h"

#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- build, verify ------------------------------------------------------ */

struct built {
	void *ix;
	struct engine_dir dir; /* engines only */
	double build_ns;
};

static int build_index(const struct run_config *cfg, const struct run_target *t,
		       struct built *b, char *err, size_t errlen)
{
	memset(b, 0, sizeof *b);
	b->dir.lock = -1;
	if ((t->ops->caps & IX_CAP_PERSISTENT) &&
	    engine_dir_make(&b->dir, cfg->dir, t->ops->name, cfg->keep, err, errlen))
		return -1;
	struct index_env env = {.dir = b->dir.path[0] ? b->dir.path : NULL, .threads = cfg->threads};
	sys_reset_peak_rss();
	uint64_t t0 = mono_ns();
	b->ix = t->ops->create(t->iparams, &env, err, errlen);
	if (b->ix && t->ops->bulk_load(b->ix, t->stream->load_keys, t->stream->load_vals,
				       t->stream->n_load, err, errlen)) {
		t->ops->destroy(b->ix);
		b->ix = NULL;
	}
	/* The stream's setup inserts are part of the build. */
	for (size_t i = 0; b->ix && i < t->stream->n_setup; i++)
		if (t->ops->insert(b->ix, t->stream->setup_keys[i], t->stream->setup_vals[i],
				   err, errlen)) {
			t->ops->destroy(b->ix);
			b->ix = NULL;
		}
	b->build_ns = (double)(mono_ns() - t0);
	if (!b->ix) {
		engine_dir_release(&b->dir, cfg->keep);
		return -1;
	}
	return 0;
}

static void unbuild(const struct run_config *cfg, const struct run_target *t, struct built *b)
{
	if (b->ix)
		t->ops->destroy(b->ix);
	b->ix = NULL;
	/* Hand freed heap back to the OS: otherwise what one index freed stays
	 * in this process, and the memory guard turns the next one away (at
	 * 200M keys, alex after btree and art). */
	malloc_trim(0);
	engine_dir_release(&b->dir, cfg->keep);
}

/* After a write workload: every key present with its value, and one full
 * scan with the right count and sum.  Returns mismatches. */
static size_t verify_final(const struct run_target *t, void *h, char *msg, size_t len)
{
	const struct op_stream *s = t->stream;
	size_t bad = 0;
	uint64_t sum = 0;
	for (size_t i = 0; i < s->n_final; i++) {
		uint64_t v = 0;
		sum += s->final_vals[i];
		if (!t->ops->get(h, s->final_keys[i], &v) || v != s->final_vals[i]) {
			if (!bad++)
				snprintf(msg, len, "final check: key %llu missing or wrong value",
					 (unsigned long long)s->final_keys[i]);
		}
	}
	if (t->ops->scan && (t->ops->caps & IX_CAP_ORDERED)) {
		uint64_t got = 0;
		size_t c = t->ops->scan(h, 0, UINT64_MAX, (size_t)-1, &got);
		if (c != s->n_final || got != sum) {
			if (!bad++)
				snprintf(msg, len, "final full scan: %zu entries (want %zu), sum %llu (want %llu)",
					 c, s->n_final, (unsigned long long)got, (unsigned long long)sum);
		}
	}
	return bad;
}

/* ---- one timed repetition -------------------------------------------- */

/* Gives worker i its share of the stream and its handle on ix (attach,
 * when the index has one per thread).  -1 with the reason in res->msg,
 * every handle attached so far detached again. */
static int workers_prepare(const struct run_config *cfg, const struct run_target *t, void *ix,
			   enum run_mode mode, struct worker *w, struct hist *hists,
			   pthread_mutex_t *lock, pthread_barrier_t *start,
			   struct rep_result *res)
{
	const struct op_stream *s = t->stream;
	int T = cfg->threads;
	bool serialise = T > 1 && s->n_writes && !(t->ops->caps & IX_CAP_CONCURRENT_WRITE);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	for (int i = 0; i < T; i++) {
		struct worker *x = &w[i];
		x->ops = t->ops;
		x->s = s;
		x->timer = cfg->timer;
		x->mode = mode;
		x->lock = serialise ? lock : NULL;
		x->cpu = ncpu > 0 ? (int)(i % ncpu) : -1;
		x->start = T > 1 ? start : NULL;
		x->rd = &hists[2 * i];
		x->wr = &hists[2 * i + 1];
		if (s->n_slices) {
			x->from = s->slice[i];
			x->to = s->slice[i + 1];
		} else {
			x->from = s->n * (size_t)i / (size_t)T;
			x->to = s->n * (size_t)(i + 1) / (size_t)T;
		}
		x->handle = ix;
		if (t->ops->attach) {
			x->handle = t->ops->attach(ix, res->msg, sizeof res->msg);
			if (!x->handle) {
				for (int j = 0; j < i; j++)
					t->ops->detach(w[j].handle);
				return -1;
			}
		}
	}
	return 0;
}

/* Combines the workers' figures into res: wall time from the first start to
 * the last stop, histograms merged, the first wrong answer described. */
static void workers_merge(const struct run_config *cfg, const struct run_target *t,
			  enum run_mode mode, const struct worker *w, struct rep_result *res)
{
	const struct op_stream *s = t->stream;
	int T = cfg->threads;
	uint64_t t0 = UINT64_MAX, t1 = 0, scanned = 0;
	struct hist rd, wr;
	hist_reset(&rd);
	hist_reset(&wr);
	size_t ops = 0;
	for (int i = 0; i < T; i++) {
		const struct worker *x = &w[i];
		if (x->failed) {
			res->failed = 1;
			snprintf(res->msg, sizeof res->msg, "%s", x->err);
		}
		if (x->bad && !res->bad) {
			size_t j = x->first_bad;
			snprintf(res->msg, sizeof res->msg,
				 "wrong answer at operation %zu (type %d, key %llu): got %u/%llu, want %u/%llu",
				 j, s->type ? s->type[j] : OP_GET, (unsigned long long)s->key[j],
				 x->got_n, (unsigned long long)x->got_val, s->want_n[j],
				 (unsigned long long)s->want[j]);
		}
		res->bad += x->bad;
		t0 = x->t0 < t0 ? x->t0 : t0;
		t1 = x->t1 > t1 ? x->t1 : t1;
		scanned += x->scanned;
		ops += x->to - x->from;
		hist_merge(&rd, x->rd);
		hist_merge(&wr, x->wr);
	}
	double tick = cfg->timer->ns_per_tick;
	double wall_ns = (double)(t1 - t0) * tick;
	if (mode == MODE_SAMPLED && T > 1) {
		/* per-thread busy time summed; throughput from the busiest thread */
		uint64_t busiest = 0;
		for (int i = 0; i < T; i++)
			busiest = w[i].t1 - w[i].t0 > busiest ? w[i].t1 - w[i].t0 : busiest;
		wall_ns = (double)busiest * tick;
	}
	res->ns_per_op = ops ? wall_ns / (double)ops : NAN;
	res->mops = wall_ns > 0 ? (double)ops / wall_ns * 1e3 : NAN;
	res->p50 = res->p90 = res->p99 = res->p999 = res->max_ns = NAN;
	res->read_ns = res->write_ns = res->read_p99 = res->write_p99 = NAN;
	if (mode == MODE_SAMPLED) {
		struct hist all = rd;
		hist_merge(&all, &wr);
		res->p50 = hist_quantile(&all, 0.5) * tick;
		res->p90 = hist_quantile(&all, 0.9) * tick;
		res->p99 = hist_quantile(&all, 0.99) * tick;
		res->p999 = hist_quantile(&all, 0.999) * tick;
		res->max_ns = (double)all.max * tick;
		if (rd.count) {
			res->read_ns = rd.sum / (double)rd.count * tick;
			res->read_p99 = hist_quantile(&rd, 0.99) * tick;
		}
		if (wr.count) {
			res->write_ns = wr.sum / (double)wr.count * tick;
			res->write_p99 = hist_quantile(&wr, 0.99) * tick;
		}
	}
	res->scan_gbps = s->n_scans && wall_ns > 0 ? (double)scanned * 16.0 / wall_ns : NAN;
}


/* One timed repetition of the stream on ix, on cfg->threads workers. */
static int timed_run(const struct run_config *cfg, const struct run_target *t,
		     void *ix, enum run_mode mode, struct rep_result *res)
{
	int T = cfg->threads;
	memset(res, 0, sizeof *res);
	struct worker *w = calloc((size_t)T, sizeof *w);
	struct hist *hists = calloc((size_t)T * 2, sizeof *hists);
	pthread_t *tids = calloc((size_t)T, sizeof *tids);
	if (!w || !hists || !tids) {
		free(w), free(hists), free(tids);
		snprintf(res->msg, sizeof res->msg, "out of memory for %d workers", T);
		res->failed = 1;
		return -1;
	}
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_barrier_t start;
	if (T > 1)
		pthread_barrier_init(&start, NULL, (unsigned)T);
	int rc = workers_prepare(cfg, t, ix, mode, w, hists, &lock, &start, res);
	if (!rc) {
		if (T == 1) {
			worker_main(&w[0]);
		} else {
			for (int i = 0; i < T; i++)
				pthread_create(&tids[i], NULL, worker_main, &w[i]);
			for (int i = 0; i < T; i++)
				pthread_join(tids[i], NULL);
		}
		for (int i = 0; i < T && t->ops->detach; i++)
			t->ops->detach(w[i].handle);
	}
	if (T > 1)
		pthread_barrier_destroy(&start);
	if (rc) {
		res->failed = 1;
		free(w), free(hists), free(tids);
		return -1;
	}
	workers_merge(cfg, t, mode, w, res);
	/* A read that failed answered "absent": say why, not "wrong answer". */
	const char *read_err = t->ops->read_error ? t->ops->read_error(ix) : NULL;
	if (read_err && *read_err && !res->failed) {
		res->failed = 1;
		snprintf(res->msg, sizeof res->msg, "read failed: %s", read_err);
	}
	free(w), free(hists), free(tids);
	return res->failed ? -1 : 0;
}

/* ---- the public entry points ------------------------------------------ */

const char *run_skip_reason(const struct run_target *t, int threads, char *buf,
			    size_t len)
{
	unsigned missing = t->wl->needs & ~t->ops->caps;
	if (missing) {
		snprintf(buf, len, "%s lacks %s%s%sneeded by workload %s", t->ops->name,
			 missing & IX_CAP_ORDERED ? "ordered scans " : "",
			 missing & IX_CAP_INSERT ? "inserts " : "",
			 missing & IX_CAP_DUPLICATES ? "duplicate keys " : "", t->wl->name);
		return buf;
	}
	if (t->stream->load_has_dups && !(t->ops->caps & IX_CAP_DUPLICATES)) {
		snprintf(buf, len, "%s needs unique keys; %s has %zu duplicates", t->ops->name,
			 t->data->name, t->data->n_dups);
		return buf;
	}
	if (threads > 1 && !t->stream->n_writes && !(t->ops->caps & IX_CAP_CONCURRENT_READ)) {
		snprintf(buf, len, "%s is not safe for concurrent reads", t->ops->name);
		return buf;
	}
	size_t keys = t->stream->n_load + t->stream->n_setup + t->stream->n_writes;
	size_t need = t->ops->estimate_bytes ? t->ops->estimate_bytes(t->iparams, keys)
					     : keys * 64;
	size_t avail = sys_mem_available();
	if (avail && need > avail - avail / 10) {
		snprintf(buf, len, "%s would need about %.1f GiB for %zu keys; %.1f GiB available",
			 t->ops->name, (double)need / 1073741824.0, keys, (double)avail / 1073741824.0);
		return buf;
	}
	return NULL;
}

const char *run_mode_name(enum run_mode m)
{
	return m == MODE_SAMPLED ? "sampled" : m == MODE_DEPENDENT ? "dependent" : "batch";
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* What one mode's repetitions add up to, for its line on stdout. */
struct mode_summary {
	double ns[64]; /* ns/op of each repetition */
	int nrep;
	size_t bad_total;
	double build_ns;
	struct rep_result last;
};

/* After a repetition of a write workload: the last commit first (a write
 * that never reached the engine is a failure, not a wrong answer), then
 * every key and one full scan (verify_final), whose mismatches join r's.
 * 0, or 2 with the reason printed. */
static int check_after_writes(const struct run_target *t, void *ix, const char *label,
			      struct rep_result *r)
{
	char err[512];
	if (t->ops->flush && t->ops->flush(ix, err, sizeof err)) {
		fprintf(stderr, "omenbench: %s: %s\n", label, err);
		return 2;
	}
	char msg[256] = "";
	size_t vb = verify_final(t, ix, msg, sizeof msg);
	const char *read_err = t->ops->read_error ? t->ops->read_error(ix) : NULL;
	if (read_err && *read_err) {
		fprintf(stderr, "omenbench: %s: final check: read failed: %s\n", label, read_err);
		return 2;
	}
	if (vb && !r->bad)
		snprintf(r->msg, sizeof r->msg, "%s", msg);
	r->bad += vb;
	return 0;
}

/* The repetitions of one mode, a CSV row each; a write workload builds
 * afresh for each.  0, 1 (some answer wrong), or 2 / RUN_CSV_FAILED with
 * the reason printed and the index already unbuilt. */
static int run_mode_reps(const struct run_config *cfg, const struct run_target *t,
			 struct built *b, enum run_mode m, const char *label, const char *extra,
			 struct mode_summary *sum)
{
	char err[512];
	bool writes = t->wl->writes;
	int outcome = 0;
	for (int rep = 1; rep <= cfg->reps; rep++) {
		struct rep_result r;
		if (writes && build_index(cfg, t, b, err, sizeof err)) {
			fprintf(stderr, "omenbench: %s: build failed: %s\n", label, err);
			return 2;
		}
		timed_run(cfg, t, b->ix, m, &r);
		if (r.failed) {
			fprintf(stderr, "omenbench: %s: %s\n", label, r.msg);
			unbuild(cfg, t, b);
			return 2;
		}
		if (writes && check_after_writes(t, b->ix, label, &r)) {
			unbuild(cfg, t, b);
			return 2;
		}
		if (r.bad) {
			fprintf(stderr, "omenbench: %s on %s/%s: INVALID: %s (%zu wrong)\n", label,
				t->data->name, t->wl->name, r.msg, r.bad);
			outcome = 1;
		}
		sum->bad_total += r.bad;
		struct row row;
		struct row_source rs = {.cfg = cfg, .t = t, .mode = m, .rep = rep, .r = &r,
					.build_ns = b->build_ns, .engine_dir = b->dir.path[0] != 0,
					.ix = b->ix, .extra_note = extra};
		csv_row_fill(&row, &rs);
		if (cfg->csv && csv_row_write(cfg->csv, &row, err, sizeof err)) {
			fprintf(stderr, "omenbench: run: --csv %s\n", err);
			unbuild(cfg, t, b);
			return RUN_CSV_FAILED;
		}
		if (sum->nrep < 64)
			sum->ns[sum->nrep++] = r.ns_per_op;
		sum->build_ns = b->build_ns;
		sum->last = r;
		if (writes && rep < cfg->reps)
			unbuild(cfg, t, b);
	}
	return outcome;
}

/* One line per mode: median ns/op and the range over repetitions. */
static void print_mode_line(const struct run_target *t, void *ix, enum run_mode m,
			    const char *label, struct mode_summary *sum)
{
	double *ns = sum->ns;
	int nrep = sum->nrep;
	qsort(ns, (size_t)nrep, sizeof *ns, cmp_double);
	double med = nrep ? ns[nrep / 2] : NAN;
	if (nrep && nrep % 2 == 0)
		med = (ns[nrep / 2 - 1] + ns[nrep / 2]) / 2;
	printf("  %-34s %-9s %9.1f ns/op [%7.1f .. %7.1f] %8.2f Mops/s",
	       label, run_mode_name(m), med, ns[0], ns[nrep - 1],
	       med > 0 ? 1e3 / med : 0.0); /* ns/op is wall time / all threads' ops */
	if (m == MODE_SAMPLED)
		printf("  p50 %.0f p99 %.0f p99.9 %.0f", sum->last.p50, sum->last.p99,
		       sum->last.p999);
	if (!isnan(sum->last.scan_gbps))
		printf("  %.2f GB/s", sum->last.scan_gbps);
	printf("  build %.0f ms  %.1f MB  %s\n", sum->build_ns / 1e6,
	       (double)t->ops->total_bytes(ix) / 1048576.0, sum->bad_total ? "INVALID" : "ok");
	fflush(stdout);
}

int run_index(const struct run_config *cfg, const struct run_target *t)
{
	char reason[512], err[512];
	if (run_skip_reason(t, cfg->threads, reason, sizeof reason)) {
		printf("  skip %-28s %s\n", t->ops->name, reason);
		return 3;
	}
	char pbuf[256];
	param_set_format(t->iparams, pbuf, sizeof pbuf);
	char label[320];
	snprintf(label, sizeof label, "%s%s%s", t->ops->name, pbuf[0] ? ":" : "", pbuf);
	const char *extra = (cfg->threads > 1 && t->stream->n_writes &&
			     !(t->ops->caps & IX_CAP_CONCURRENT_WRITE))
				    ? "ops serialised by a lock (index not safe for concurrent writes)"
				    : "";
	int outcome = 0;
	struct built b = {.dir.lock = -1};
	bool writes = t->wl->writes;
	if (!writes && build_index(cfg, t, &b, err, sizeof err)) {
		fprintf(stderr, "omenbench: %s: build failed: %s\n", label, err);
		return 2;
	}
	if (!writes) { /* warm-up pass, also a first check of every answer */
		struct rep_result warm;
		timed_run(cfg, t, b.ix, MODE_BATCH, &warm);
		if (warm.failed) {
			fprintf(stderr, "omenbench: %s: %s\n", label, warm.msg);
			unbuild(cfg, t, &b);
			return 2;
		}
	}
	for (unsigned m = MODE_BATCH; m <= MODE_DEPENDENT; m <<= 1) {
		if (!(cfg->modes & m))
			continue;
		if (m == MODE_DEPENDENT && (!t->stream->dependent_ok || writes)) {
			printf("  skip %-28s dependent mode needs a lookup-only stream of present keys\n",
			       label);
			continue;
		}
		struct mode_summary sum = {.nrep = 0};
		int rc = run_mode_reps(cfg, t, &b, (enum run_mode)m, label, extra, &sum);
		if (rc == 2 || rc == RUN_CSV_FAILED)
			return rc;
		if (rc == 1)
			outcome = 1;
		print_mode_line(t, b.ix, (enum run_mode)m, label, &sum);
		if (writes)
			unbuild(cfg, t, &b);
	}
	unbuild(cfg, t, &b);
	return outcome;
}

double runner_floor_ns(const struct run_config *cfg)
{
	return timed_loop_floor_ns(cfg->timer);
}
