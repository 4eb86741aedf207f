#!/usr/bin/env bash
# tests/cli/regress.sh — the regression check's comparison rule (a 4% rise
# fails, 2% passes, improvements are listed) and, end to end under valgrind,
# that a deliberate slowdown fails: the baseline is measured on 20K keys and
# the check on 400K keys, where every lookup does more work.  The simulated
# caches are pinned: files measured with another geometry, or with none
# recorded, are refused rather than compared, and the same binary measured
# twice gives identical figures.
set -u
. "$(dirname "$0")/lib.sh"

g="# caches: --I1=32768,8,64 --D1=32768,8,64 --LL=8388608,16,64"
h="$g
index,workload,instr_per_op,d1_miss_per_op,ll_miss_per_op,gate"
printf '%s\nbtree,point,100,2,1,all\npgm,point,50,1,0,all\n' "$h" >"$T/base.csv"
printf '%s\nbtree,point,104,2,1,all\npgm,point,50,1,0,all\n' "$h" >"$T/up4.csv"
printf '%s\nbtree,point,102,2,1,all\npgm,point,40,1,0,all\n' "$h" >"$T/up2.csv"
expect 1 "4% rise fails" -- scripts/regress.sh compare "$T/base.csv" "$T/up4.csv"
contains "$T/out" "WORSE.*btree,point.*+4.0%" "the rise is named"
expect 0 "2% rise passes" -- scripts/regress.sh compare "$T/base.csv" "$T/up2.csv"
contains "$T/out" "better.*pgm,point" "improvements are listed"
printf '%s\nrocksdb,point,100,2,1,instr\n' "$h" >"$T/eng_base.csv"
printf '%s\nrocksdb,point,101,3,1,instr\n' "$h" >"$T/eng_noisy.csv"
expect 0 "engines gate on instructions only" -- scripts/regress.sh compare "$T/eng_base.csv" "$T/eng_noisy.csv"
contains "$T/out" "not gated" "noisy cache figures are listed"
expect 2 "usage" -- scripts/regress.sh
sed '1s/D1=32768,8,64/D1=49152,12,64/' "$T/up2.csv" >"$T/other.csv"
expect 2 "another geometry is refused" -- scripts/regress.sh compare "$T/base.csv" "$T/other.csv"
one_line "refusing to compare" "one line naming both geometries"
sed 1d "$T/base.csv" >"$T/old.csv"
expect 2 "a baseline without geometry is refused" -- scripts/regress.sh compare "$T/old.csv" "$T/up2.csv"
one_line "records no simulated cache geometry" "one line saying how to renew it"

if command -v valgrind >/dev/null && [ -x build/regress/omenbench ]; then
	export REGRESS_INDEXES=binsearch REGRESS_WORKLOADS=point REGRESS_OPS=5000
	export REGRESS_BASELINE="$T/baseline.csv" REGRESS_WORK="$T/work"
	REGRESS_N=20K expect 0 "baseline" -- scripts/regress.sh update
	REGRESS_N=20K expect 0 "unchanged passes" -- scripts/regress.sh check
	cp "$T/work/current.csv" "$T/first.csv"
	REGRESS_N=20K expect 0 "measured again" -- scripts/regress.sh check
	if cmp -s "$T/first.csv" "$T/work/current.csv"; then ok; else bad "two measurements of one binary differ"; fi
	REGRESS_N=20K REGRESS_CACHES="--I1=32768,8,64 --D1=16384,4,64 --LL=8388608,16,64" \
		expect 2 "a check under another pinned geometry is refused" -- scripts/regress.sh check
	one_line "refusing to compare" "the refusal names the geometries"
	if grep -q "D1=16384,4,64" "$T/work/current.csv" && ! cmp -s "$T/first.csv" "$T/work/current.csv"; then ok
	else bad "the other geometry was not simulated, or changed nothing"; fi
	REGRESS_N=400K expect 1 "slowdown fails" -- scripts/regress.sh check
	contains "$T/out" "WORSE" "slowdown reported"
fi
finish
