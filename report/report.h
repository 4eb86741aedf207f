/*
 * report/report.h — `omenbench report`: turns results CSVs into REPORT.md,
 * the go/no-go decision document.  Every number in the report is computed
 * from the CSV rows; nothing is typed by hand.
 *
 *   omenbench report [--csv results/bench.csv] [--out REPORT.md]
 *                    [--plots results/plots]
 *                    [--sosd results/sosd.csv
 *                     --sosd-published results/sosd_published.csv]
 *
 * The verdict rule and its threshold (REPORT_GO_SPEEDUP) are
 * report/verdict.h's; the rows' grouping, medians and best configurations
 * report/results.h's.
 */
#ifndef OMENBENCH_REPORT_H
#define OMENBENCH_REPORT_H

#include "report/verdict.h"

/* argv[0] is the subcommand name ("report").  Returns 0 on success, 2 on a
 * usage error or when the CSV cannot be read or the report not written
 * (omenbench's convention: 2 = bad input). */
int report_main(int argc, char **argv);

#endif
