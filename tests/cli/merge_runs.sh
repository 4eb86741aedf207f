#!/usr/bin/env bash
# tests/cli/merge_runs.sh — scripts/merge-runs.py, how the committed run's
# parts become results/bench.csv: a later part replaces an earlier part's
# rows of the same experiment and index, keeps the rest, drops repeats
# within a part; bad input is one line and a non-zero exit.
set -u
. "$(dirname "$0")/lib.sh"
H=dataset,index,params,workload,wparams,mode,threads,ops,build,rep,ns_per_op
{ echo $H
  echo d1,btree,node=16,seq-append,read=0,batch,1,100,1,1,10
  echo d1,btree,node=16,seq-append,read=0,batch,1,100,1,1,11   # a repeat: dropped
  echo d1,tsli,eps=32,seq-append,read=0,batch,1,100,1,1,20
  echo d1,btree,node=16,point,,batch,1,100,1,1,30; } >"$T/p1.csv"
{ echo $H
  echo d1,btree,node=64,seq-append,read=0,batch,1,100,1,1,40; } >"$T/p2.csv"
out=$(scripts/merge-runs.py "$T/m.csv" "$T/p1.csv" "$T/p2.csv" 2>&1)
[ $? -eq 0 ] && ok || bad "merge exits 0: $out"
echo "$out" | grep -q "p1.csv: 4 rows, 1 repeats dropped, 0 earlier rows replaced" && ok || bad "repeat counted: $out"
echo "$out" | grep -q "p2.csv: 1 rows, 0 repeats dropped, 1 earlier rows replaced" && ok || bad "replacement counted: $out"
[ "$(cut -d, -f2,3,4,11 "$T/m.csv" | tail -n +2 | sort | tr '\n' ' ')" = "btree,node=16,point,30 btree,node=64,seq-append,40 tsli,eps=32,seq-append,20 " ] &&
	ok || bad "kept rows: $(cat "$T/m.csv")"
err=$(scripts/merge-runs.py "$T/m.csv" "$T/none.csv" 2>&1)
[ $? -ne 0 ] && [ "$(echo "$err" | wc -l)" -eq 1 ] && ok || bad "missing file: $err"
printf 'a,b\n1,2\n' >"$T/other.csv"
err=$(scripts/merge-runs.py "$T/m.csv" "$T/other.csv" 2>&1)
[ $? -ne 0 ] && echo "$err" | grep -q "not an omenbench CSV" && ok || bad "foreign CSV: $err"
{ echo $H; echo d1,btree; } >"$T/short.csv"
err=$(scripts/merge-runs.py "$T/m.csv" "$T/short.csv" 2>&1)
[ $? -ne 0 ] && echo "$err" | grep -q "short.csv:2: 2 fields" && ok || bad "short row: $err"
finish
