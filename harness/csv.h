/*
 * harness/csv.h — the results CSV: one schema, written by `omenbench run`,
 * read by `omenbench report` and `omenbench summary` (report/results.h);
 * scripts take their medians from the summary, never compute them.
 *
 * One row per (index, parameters, dataset, workload, mode, threads,
 * repetition).  `NA` marks a figure that does not apply.  The header is
 * written once when the file is new or empty; rows are appended one by one,
 * each with one checked write (csvwrite.h), so an interrupted or failed run
 * still leaves a well-formed file.  Text
 * fields never contain commas or quotes (the writer replaces them), so the
 * file is plain comma-separated values with no quoting.
 */
#ifndef OMENBENCH_CSV_H
#define OMENBENCH_CSV_H

#include <stddef.h>
#include <stdio.h>

/* X(column name, meaning) — the order is the column order. */
#define CSV_COLUMNS(X)                                                        \
	X(timestamp, "ISO-8601 UTC time the row was written")                 \
	X(commit, "git commit of the binary (with -dirty)")                   \
	X(host, "host name")                                                  \
	X(cpu, "CPU model")                                                   \
	X(compiler, "compiler version")                                       \
	X(cflags, "compiler flags of the benchmark build")                    \
	X(tsc_hz, "calibrated TSC frequency, or NA when clock_gettime is used") \
	X(dataset, "data set name (file base name)")                          \
	X(n_keys, "keys in the data set")                                     \
	X(index, "index name")                                                \
	X(family, "index family: baseline tree learned hash trie engine")     \
	X(params, "index parameters, k=v:k=v (re-runnable as index:params)")  \
	X(workload, "workload name")                                          \
	X(wparams, "workload parameters, k=v:k=v")                            \
	X(ops, "operations timed in this repetition (all threads)")          \
	X(mode, "batch, sampled or dependent")                                \
	X(threads, "threads that ran the operations")                         \
	X(rep, "repetition number, from 1")                                   \
	X(ns_per_op, "wall ns per operation (batch: whole batch / ops)")      \
	X(mops, "throughput, million operations per second, all threads")    \
	X(p50, "median ns per operation (sampled/dependent modes)")           \
	X(p90, "90th percentile ns")                                          \
	X(p99, "99th percentile ns")                                          \
	X(p999, "99.9th percentile ns")                                       \
	X(max_ns, "largest single-operation ns")                              \
	X(read_ns, "mean ns of read operations (get, scan) where separable")  \
	X(write_ns, "mean ns of write operations (insert, update)")           \
	X(read_p99, "99th percentile ns of reads")                            \
	X(write_p99, "99th percentile ns of writes")                          \
	X(scan_gbps, "GB/s of key+value bytes delivered by scans")           \
	X(build_ns, "ns to create and bulk-load the index")                   \
	X(index_bytes, "bytes of the structure itself (after the run)")       \
	X(total_bytes, "bytes of everything it holds (after the run)")        \
	X(mean_log2_err, "learned: mean log2 of the last-mile window")        \
	X(max_err, "learned: largest position error")                         \
	X(models, "learned: segments / leaves / knots")                       \
	X(peak_rss, "peak resident set of the process, bytes")                \
	X(valid, "1 if every answer was checked and right, else 0")           \
	X(note, "free text: durability settings, skip reasons")              \
	X(build, "which build of the index the repetition ran on: run --builds round for read-only workloads; write workloads rebuild for every repetition") \
	X(llc, "size of the CPU's last-level cache as sysfs gives it (e.g. 32768K), NA if unknown")

enum csv_column {
#define CSV_ENUM(name, help) CSV_##name,
	CSV_COLUMNS(CSV_ENUM)
#undef CSV_ENUM
	CSV_NCOLUMNS
};

extern const char *const csv_column_names[CSV_NCOLUMNS];

#endif
