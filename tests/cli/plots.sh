#!/usr/bin/env bash
# tests/cli/plots.sh — scripts/plots.sh on a small crafted CSV: the plots
# whose data is present are drawn (PNG, SVG, caption), absent ones are
# skipped with a note, invalid rows are left out, bad input is refused.
# The figures come from `omenbench summary`, here the sanitizer build.
set -u
export OMENBENCH=${OB:-build/test/omenbench}
passed=0 failed=0
check() { # check "what" command...
	if "${@:2}"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1"; fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

{
	echo "dataset,n_keys,index,family,params,workload,wparams,mode,threads,rep,ns_per_op,mops,p50,p99,p999,build_ns,index_bytes,total_bytes,valid,note"
	for ds in uspr_1M_uint64 uspr_10M_uint64; do
		n=${ds#uspr_}; n=${n%M_uint64}000000
		for rep in 1 2 3; do
			echo "$ds,$n,binsearch,baseline,,point,,batch,1,$rep,70$rep,1.4,NA,NA,NA,1000,0,8000000,1,"
			echo "$ds,$n,btree,tree,node=16,point,,batch,1,$rep,40$rep,2.5,NA,NA,NA,2000,400000,8400000,1,"
			echo "$ds,$n,pgm,learned,eps=16,point,,batch,1,$rep,20$rep,5.0,NA,NA,NA,3000,8000,8008000,1,"
			echo "$ds,$n,pgm,learned,eps=64,point,,batch,1,$rep,25$rep,4.0,NA,NA,NA,3000,2000,8002000,1,"
			echo "$ds,$n,pgm,learned,eps=16,point,,sampled,1,$rep,210,4.8,200,600,1500,3000,8000,8008000,1,"
			echo "$ds,$n,pgm,learned,eps=16,point,,batch,2,$rep,11$rep,9.0,NA,NA,NA,3000,8000,8008000,1,"
			echo "$ds,$n,cheat,learned,,point,,batch,1,$rep,1,1000,NA,NA,NA,1,1,1,0,"
			# a parameter variant of a decision experiment gets its own plot
			echo "$ds,$n,btree,tree,node=16,seq-append,load=0.5:read=0:scan=0.1:window=1000,batch,1,$rep,3$rep,30,NA,NA,NA,2000,400000,8400000,1,"
			echo "$ds,$n,tsli,learned,eps=32,seq-append,load=0.5:read=0:scan=0.1:window=1000,batch,1,$rep,1$rep,90,NA,NA,NA,2000,40000,8040000,1,"
		done
	done
	printf 'uspr_10M_uint64,1000000,btree'  # an interrupted last line
} >"$tmp/bench.csv"

scripts/plots.sh "$tmp/bench.csv" "$tmp/plots" >"$tmp/out" 2>&1
rc=$?
check "plots.sh exits 0" test $rc -eq 0
for p in lookup_uspr_10M_uint64 pareto_uspr_10M_uint64 latency_uspr_1M_uint64 \
	threads_uspr_10M_uint64 build_uspr_1M_uint64 nkeys_uspr_uint64; do
	check "$p.png drawn" test -s "$tmp/plots/$p.png"
	check "$p.svg drawn" test -s "$tmp/plots/$p.svg"
	check "$p.txt caption" test -s "$tmp/plots/$p.txt"
done
check "decide plot per workload variant" test -s "$tmp/plots/decide_seq-append_read_0_uspr_1M_uint64.png"
check "its caption names the variant" grep -q '`seq-append:read=0`' "$tmp/plots/decide_seq-append_read_0_uspr_1M_uint64.txt"
check "no decide plot for plain point" bash -c "! ls '$tmp/plots' | grep -q '^decide_point_'"
check "PNG signature" bash -c "head -c 4 '$tmp/plots/lookup_uspr_1M_uint64.png' | grep -q PNG"
check "absent writes data skipped with a note" grep -q "writes_uspr_1M_uint64 skipped" "$tmp/out"
check "no writes plot" test ! -e "$tmp/plots/writes_uspr_1M_uint64.png"
check "invalid rows counted" grep -q "6 rows with valid != 1 left out" "$tmp/out"
check "interrupted line counted" grep -q "interrupted last line.*line skipped" "$tmp/out"
check "invalid index not plotted" bash -c "! grep -q cheat '$tmp/plots/lookup_uspr_1M_uint64.svg'"

echo "dataset,index,ns_per_op" >"$tmp/old.csv"
scripts/plots.sh "$tmp/old.csv" "$tmp/plots2" >"$tmp/out2" 2>&1
check "missing columns refused" test $? -ne 0
check "missing columns named" grep -q "missing required columns: family" "$tmp/out2"
scripts/plots.sh >/dev/null 2>&1
check "usage error without arguments" test $? -ne 0

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
