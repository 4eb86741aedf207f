#!/usr/bin/env bash
# tests/cli/basic.sh — the foundation's "done when", as a new user types it.
set -u
. "$(dirname "$0")/lib.sh"

expect 0 "gen" -- $OB gen logn -n 20000 -o "$T/logn_20K_uint64"
expect 0 "gen again" -- $OB gen logn -n 20000 -o "$T/again_uint64"
if cmp -s "$T/logn_20K_uint64" "$T/again_uint64"; then ok; else bad "gen is not deterministic"; fi
expect 0 "gen ts_bursty" -- $OB gen ts_bursty -n 20000 -o "$T/ts_uint64"

idx=binsearch
for i in btree hash; do $OB list --indexes | grep -q "^  $i " && idx="$idx,$i"; done
expect 0 "run point" -- $OB run --index "$idx" --data "$T/logn_20K_uint64" --workload point --reps 2 --ops 5000 --csv "$T/r.csv"
rows=$(($(wc -l <"$T/r.csv") - 1))
n_idx=$(echo "$idx" | tr ',' '\n' | wc -l)
[ "$rows" -eq $((2 * n_idx)) ] && ok || bad "expected $((2 * n_idx)) rows, got $rows"
col=$(head -1 "$T/r.csv" | tr ',' '\n' | grep -n '^valid$' | cut -d: -f1)
[ -n "$col" ] && [ -z "$(tail -n +2 "$T/r.csv" | cut -d, -f"$col" | grep -v '^1$')" ] && ok || bad "rows not all valid"
contains "$T/out" "ns/op" "a readable table"
# the header is written once when appending
expect 0 "append" -- $OB run --index binsearch --data "$T/logn_20K_uint64" --reps 1 --ops 1000 --csv "$T/r.csv"
[ "$(grep -c '^timestamp,' "$T/r.csv")" -eq 1 ] && ok || bad "header repeated"

if echo "$idx" | grep -q hash; then
	expect 0 "range skips hash" -- $OB run --index "$idx" --data "$T/logn_20K_uint64" --workload range --reps 1 --ops 1000
	contains "$T/out" "skip hash" "hash skipped with a reason"
fi
# lookups after inserts: indexes without inserts are skipped with the reason
expect 0 "point-grown" -- $OB run --index "$idx" --data "$T/logn_20K_uint64" --workload point-grown --reps 2 --ops 3000
contains "$T/out" "skip binsearch" "binsearch skipped for point-grown"
expect 0 "sampled+dependent" -- $OB run --index binsearch --data "$T/ts_uint64" --workload seq-lookup,point:neg=0.5 --mode batch,sampled,dependent --reps 1 --ops 2000
contains "$T/out" "p99" "percentiles printed"

# bad files: one line naming the problem, exit 2
head -c 1000 "$T/logn_20K_uint64" >"$T/trunc_uint64"
expect 2 "truncated file" -- $OB run --index binsearch --data "$T/trunc_uint64"
one_line "truncated" "truncated file"
expect 2 "check truncated" -- $OB check "$T/trunc_uint64"
one_line "trunc_uint64" "check names the file"
{ printf '\x07\x00\x00\x00\x00\x00\x00\x00'; tail -c +9 "$T/logn_20K_uint64"; } >"$T/hdr_uint64"
expect 2 "wrong header" -- $OB run --index binsearch --data "$T/hdr_uint64"
one_line "header says 7 keys" "wrong header"
printf "\x03\0\0\0\0\0\0\0\x05\0\0\0\0\0\0\0\x03\0\0\0\0\0\0\0\x09\0\0\0\0\0\0\0" >"$T/unsorted_uint64"
expect 2 "unsorted" -- $OB run --index binsearch --data "$T/unsorted_uint64"
one_line "not sorted" "unsorted"
expect 2 "missing data" -- $OB run --index binsearch --data "$T/nope"
one_line "nope.*No such file" "missing data set"
: >"$T/empty_file_uint64"
expect 2 "zero-byte file" -- $OB check "$T/empty_file_uint64"

# bad arguments
expect 2 "unknown index" -- $OB run --index nosuch --data "$T/logn_20K_uint64"
one_line "unknown index" "unknown index"
expect 2 "unknown param" -- $OB run --index binsearch:bogus=1 --data "$T/logn_20K_uint64"
one_line "unknown parameter 'bogus'" "unknown parameter"
expect 2 "bad value" -- $OB run --index binsearch:search=sideways --data "$T/logn_20K_uint64"
one_line "not one of" "bad choice"
expect 2 "unknown workload" -- $OB run --index binsearch --data "$T/logn_20K_uint64" --workload warp
expect 2 "bad reps" -- $OB run --index binsearch --data "$T/logn_20K_uint64" --reps 0
expect 2 "bad gen" -- $OB gen nosuch -n 10
expect 2 "bad n" -- $OB gen logn -n ten
expect 2 "no command" -- $OB
expect 2 "unknown command" -- $OB frobnicate
expect 0 "help" -- $OB run --help
contains "$T/out" "--index" "run --help lists options"
expect 0 "list" -- $OB list
contains "$T/out" "binsearch" "list shows indexes"
contains "$T/out" "family=" "list shows families"
contains "$T/out" "mixed" "list shows workloads"
expect 0 "list --workloads" -- $OB list --workloads
# sweeps: one row per configuration
expect 0 "sweep" -- $OB run --index "binsearch:search=binary/branchless" --data "$T/logn_20K_uint64" --reps 1 --ops 1000 --csv "$T/s.csv"
[ "$(($(wc -l <"$T/s.csv") - 1))" -eq 2 ] && ok || bad "sweep rows"
# --builds: K rounds, each building every index afresh, in a shuffled order
expect 0 "builds" -- $OB run --index binsearch,btree,hash --data "$T/logn_20K_uint64" --builds 3 --reps 2 --ops 1000 --csv "$T/builds.csv"
bcol=$(head -1 "$T/builds.csv" | tr ',' '\n' | grep -n '^build$' | cut -d: -f1)
[ -n "$bcol" ] && [ "$(tail -n +2 "$T/builds.csv" | cut -d, -f"$bcol" | sort | uniq -c | awk '{print $1 "x" $2}' | paste -sd' ')" = "6x1 6x2 6x3" ] && ok ||
	bad "builds: 3 builds of 3 indexes x 2 reps each"
[ "$(grep -o '^\[[0-9]*/9 [0-9]*s\] [a-z]*' "$T/out" | awk '{print $3}' | paste -sd' ')" != "binsearch btree hash binsearch btree hash binsearch btree hash" ] && ok ||
	bad "builds: the order is shuffled between rounds"
expect 2 "builds 0" -- $OB run --index binsearch --data "$T/logn_20K_uint64" --builds 0
one_line "builds must be" "--builds range"
# make bench's stage selector names a wrong stage before doing anything
expect 2 "bench ONLY=bogus" -- env ONLY=bogus scripts/bench.sh
one_line "no stage 'bogus'" "bench ONLY names the bad stage"
# ...and a report with no rows to report on
expect 2 "bench ONLY=report, no CSV" -- env ONLY=report CSV="$T/none/b.csv" scripts/bench.sh
one_line "report: no $T/none/b.csv" "bench report names the missing CSV"
# ...and runs the write stages end to end on a small set (they once died
# under set -e on an empty optional setting)
# ...and, for a CSV elsewhere, writes its report and plots beside that CSV,
# leaving the repository's REPORT.md alone
report_before=$(cksum <REPORT.md)
mkdir -p "$T/run"
expect 0 "bench ONLY=seq writes report" -- env N=20K DATA="$T/logn_20K_uint64" ONLY="seq writes report" \
	INDEXES=btree,hash CSV="$T/run/b.csv" SWEEPS=0 BUILDS=1 REPS=1 OPS=2K WOPS=2K EOPS=1K scripts/bench.sh
contains "$T/out" "bench: done" "bench ONLY finishes"
[ "$(cut -d, -f13 "$T/run/b.csv" | sort -u | grep -c -e insert -e mixed -e seq-append)" -eq 3 ] && ok ||
	bad "bench ONLY: insert, mixed and seq-append rows"
[ -s "$T/run/REPORT.md" ] && [ -d "$T/run/plots" ] && ok || bad "bench: report and plots beside the CSV"
[ "$(cksum <REPORT.md)" = "$report_before" ] && ok || bad "bench: the repository's REPORT.md untouched"
[ -s "$T/run/b-run.txt" ] && grep -q "N=20K BUILDS=1 REPS=1 ONLY=seq writes report; done in" "$T/run/b-run.txt" && ok ||
	bad "bench: a one-line record of the run beside its CSV"
# QUICK=1 says how its time compares with its budget
mkdir -p "$T/quick"
expect 0 "bench QUICK=1 budget" -- env QUICK=1 N=20K DATA="$T/logn_20K_uint64" ONLY="point" \
	INDEXES=binsearch CSV="$T/quick/b.csv" OPS=1K scripts/bench.sh
contains "$T/out" "bench: done in [0-9]*s (QUICK budget 180s: within)" "elapsed time against the budget"
expect 0 "bench QUICK=1 over budget" -- env QUICK=1 QUICK_BUDGET=-1 N=20K DATA="$T/logn_20K_uint64" ONLY="point" \
	INDEXES=binsearch CSV="$T/quick/b.csv" OPS=1K scripts/bench.sh
contains "$T/out" "QUICK budget -1s: OVER by" "a run over budget says so"
finish
