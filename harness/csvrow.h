/*
 * harness/csvrow.h — one CSV row per timed repetition: what the run was
 * (data, index, parameters, workload, mode, threads), where (host, CPU,
 * cache, compiler, commit), and what it measured.  The columns and their
 * meaning are declared in csv.h; this builds a row and appends it with one
 * checked write (csvwrite.h), so the file holds whole rows only.
 */
#ifndef OMENBENCH_CSVROW_H
#define OMENBENCH_CSVROW_H

#include <stdbool.h>
#include <stddef.h>

#include "harness/csv.h"
#include "harness/csvwrite.h"
#include "harness/runner.h"

/* What one timed repetition measured (ns; NAN where it does not apply). */
struct rep_result {
	double ns_per_op, mops, p50, p90, p99, p999, max_ns;
	double read_ns, write_ns, read_p99, write_p99, scan_gbps;
	size_t bad;
	char msg[512];
	int failed;
};

/* A row's fields, each already free of commas, quotes and newlines. */
struct row {
	char f[CSV_NCOLUMNS][256];
};

/* Everything a row records about one repetition. */
struct row_source {
	const struct run_config *cfg;
	const struct run_target *t;
	enum run_mode mode;
	int rep;                   /* from 1 */
	const struct rep_result *r;
	double build_ns;
	bool engine_dir;           /* the index ran in an engine directory */
	void *ix;                  /* the built index, asked for its size and stats */
	const char *extra_note;    /* "" or words for the note column */
};

void csv_row_fill(struct row *row, const struct row_source *src);

/* One row, one write (csvwrite.h): whole or not at all.  -1 with the
 * reason in err. */
int csv_row_write(struct csv_out *csv, const struct row *r, char *err, size_t errlen);

#endif
