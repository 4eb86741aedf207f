/*
 * harness/report.h — `omenbench report`: turns results CSVs into REPORT.md,
 * the go/no-go decision document.  Every number in the report is computed
 * from the CSV rows; nothing is typed by hand.
 *
 *   omenbench report [--csv results/bench.csv] [--out REPORT.md]
 *                    [--plots results/plots]
 *                    [--sosd results/sosd.csv
 *                     --sosd-published results/sosd_published.csv]
 *
 * The verdict rule: GO if some learned index is at least 2.0x faster than the
 * best B-tree on some workload (batch mode, ratio of median ns per operation)
 * with the 95% bootstrap confidence interval's lower end at or above 2.0;
 * NO-GO otherwise.
 */
#ifndef OMENBENCH_REPORT_H
#define OMENBENCH_REPORT_H

#define REPORT_GO_SPEEDUP 2.0

/* argv[0] is the subcommand name ("report").  Returns 0 on success, 2 on a
 * usage error or when the CSV cannot be read or the report not written
 * (omenbench's convention: 2 = bad input). */
int report_main(int argc, char **argv);

#endif
