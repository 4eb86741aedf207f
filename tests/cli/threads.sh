#!/usr/bin/env bash
# tests/cli/threads.sh — 4 threads on a small data set under
# ThreadSanitizer: the read-only path for every index that allows concurrent
# reads, and the write path (locked where an index is not safe for
# concurrent writes), every answer checked.
set -u
. "$(dirname "$0")/lib.sh"
TSAN=build/tsan/omenbench
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
expect 0 "gen" -- build/test/omenbench gen uspr -n 20000 -o "$T/u_uint64"
expect 0 "4 threads, reads" -- $TSAN run --index all --data "$T/u_uint64" --workload point,range:len=10 --threads 4 --reps 1 --ops 20000 --csv "$T/r.csv"
col=$(head -1 "$T/r.csv" | tr ',' '\n' | grep -n '^valid$' | cut -d: -f1)
[ -z "$(tail -n +2 "$T/r.csv" | cut -d, -f"$col" | grep -v '^1$')" ] && ok || bad "invalid rows"
grep -q ',4,1,' "$T/r.csv" && ok || bad "rows record 4 threads"
expect 0 "4 threads, writes" -- $TSAN run --index all --data "$T/u_uint64" --workload mixed:read=50,ycsb-a --threads 4 --reps 1 --ops 20000 --csv "$T/w.csv"
[ -z "$(tail -n +2 "$T/w.csv" | cut -d, -f"$col" | grep -v '^1$')" ] && ok || bad "invalid write rows"
expect 2 "scans refuse concurrent writes" -- $TSAN run --index all --data "$T/u_uint64" --workload ycsb-e --threads 2 --reps 1 --ops 2000
one_line "no deterministic answer" "a reason is given"
finish
