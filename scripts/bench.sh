#!/usr/bin/env bash
# scripts/bench.sh — `make bench`: generate the data it needs, run every
# registered index on every workload it supports, then plots and REPORT.md.
#
#   N=10M        keys per synthetic data set (QUICK=1: 1M and fewer operations)
#   REPS=5       timed repetitions per configuration
#   DATA="..."   data sets to use instead of the default uspr/logn/ts_bursty (+ipv4geo)
#   CSV=results/bench.csv   where rows go (rewritten)
#   REPORT=, PLOTS=  where the report stage writes: REPORT.md and results/plots
#                for the default CSV, else REPORT.md and plots/ beside the CSV
#                (a partial or large-N run never overwrites the main report)
#   INDEXES=all  which indexes
#   SCALE="1M 10M 100M"  sizes of the ns-per-lookup-against-n curve (uspr)
#   SWEEPS=1     also run every index's parameter sweep (QUICK=1: 0, defaults only)
#   IOPS=        inserts of the insert stage (default: all keys not bulk-loaded)
#   WREPS=       repetitions of every run that writes (each rebuilds the index;
#                default: as REPS, 3 for the engines and the insert sweep)
#   ONLY="..."   run only these stages (point latency range seq scale threads
#                writes report), appending to $CSV instead of rewriting it:
#                a long run (N=200M on 2 cores) can then be done in parts
#
# From N=100M on, the defaults shrink: REPS=3, SWEEPS=0, WREPS=1 (every
# repetition of a write run rebuilds a 200M-key index) and IOPS=10M
# (inserting the other 100M keys of a 200M set into every index, three
# times, would take most of a day).  It still takes hours on 2 cores: ONLY=
# does it in parts.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=${QUICK:-0}
keys_of() { # keys_of 200M -> 200000000 (the suffixes omenbench gen accepts)
	local v=${1%[KkMmGg]}
	case "$1" in
	*[Kk]) echo $((v * 1000)) ;; *[Mm]) echo $((v * 1000000)) ;; *[Gg]) echo $((v * 1000000000)) ;;
	*) echo "$v" ;;
	esac
}
# OPS: lookups per repetition; LOPS: timed one by one; SOPS: scans; WOPS:
# operations of the write mixes; EOPS: operations of the engines (which
# take microseconds each: fewer operations still give a stable median).
if [ "$QUICK" = 1 ]; then
	N=${N:-1M}; OPS=${OPS:-200K}; LOPS=${LOPS:-100K}; SOPS=${SOPS:-20K}; WOPS=${WOPS:-100K}; REPS=${REPS:-3}
	EOPS=${EOPS:-50K}; SWEEPS=${SWEEPS:-0}
else
	N=${N:-10M}; OPS=${OPS:-500K}; LOPS=${LOPS:-200K}; SOPS=${SOPS:-100K}; WOPS=${WOPS:-500K}
	EOPS=${EOPS:-100K}
	if [ "$(keys_of "$N")" -ge 100000000 ]; then
		REPS=${REPS:-3}; SWEEPS=${SWEEPS:-0}; IOPS=${IOPS:-10M}; WREPS=${WREPS:-1}
	fi
	REPS=${REPS:-5}; SWEEPS=${SWEEPS:-1}
fi
IOPS=${IOPS:-}
WREPS=${WREPS:-}
W="" # appended to write runs (the last --reps wins); not $(... && ...): set -e
[ -z "$WREPS" ] || W="--reps $WREPS"
CSV=${CSV:-results/bench.csv}
if [ "$(realpath -m "$CSV")" = "$(realpath -m results/bench.csv)" ]; then # also ./results/bench.csv
	REPORT=${REPORT:-REPORT.md}; PLOTS=${PLOTS:-results/plots}
else
	REPORT=${REPORT:-$(dirname "$CSV")/REPORT.md}; PLOTS=${PLOTS:-$(dirname "$CSV")/plots}
fi
INDEXES=${INDEXES:-all}
OB=./omenbench
start=$(date +%s)
ALL_STAGES="point latency range seq scale threads writes report"
for s in ${ONLY:-}; do
	[[ " $ALL_STAGES " == *" $s "* ]] || { echo "bench: ONLY: no stage '$s' (stages: $ALL_STAGES)" >&2; exit 2; }
done
stage=0
NSTAGES=9
say() { stage=$((stage + 1)); echo; echo "=== [stage $stage/$NSTAGES, $(( $(date +%s) - start ))s] $*"; }
stage_on() { [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]; }
# stage NAME TITLE: announces a stage; false (and says so) when ONLY leaves it out
stage() {
	local name=$1; shift
	say "$*"
	stage_on "$name" || { echo "(skipped: not in ONLY)"; return 1; }
}

echo "bench: N=$N REPS=$REPS WREPS=${WREPS:-default} SWEEPS=$SWEEPS OPS=$OPS WOPS=$WOPS EOPS=$EOPS IOPS=${IOPS:-all} -> $CSV"
say "data sets ($N keys each)"
mkdir -p datasets "$(dirname "$CSV")"
need() { # need KIND -> prints the data set name, generating it if missing
	local name="$1_${N}_uint64"
	[ -f "datasets/$name" ] || $OB gen "$1" -n "$N" >&2
	echo "$name"
}
measures=0 # does any selected stage measure (and so need the data sets)?
for s in ${ALL_STAGES% report}; do stage_on "$s" && measures=1; done
if [ $measures = 0 ]; then
	echo "(skipped: only the report stage)"
	READ_DATA=""; TS_DATA=""; WRITE_DATA=""
elif [ -n "${DATA:-}" ]; then
	READ_DATA=$DATA; TS_DATA=$DATA; WRITE_DATA=$DATA
else
	uspr=$(need uspr); logn=$(need logn); ts=$(need ts_bursty)
	READ_DATA="$uspr,$logn,$ts"
	if [ -f datasets/ipv4geo_3M_uint64 ] || scripts/fetch-data.sh ipv4geo >&2; then
		READ_DATA="$READ_DATA,ipv4geo_3M_uint64"
	else
		echo "bench: ipv4geo not available (npm registry unreachable?); continuing without it" >&2
	fi
	TS_DATA=$ts; WRITE_DATA="$uspr,$logn"
fi
[ -n "${ONLY:-}" ] || rm -f "$CSV"
run() { $OB run --csv "$CSV" --reps "$REPS" "$@"; }
# Engines write at a few microseconds per operation, so their write stages
# run with fewer repetitions: ENGINES is the part of $INDEXES that is an
# engine (empty if none), NON_ENGINE_FAMILIES what to exclude to get it.
INDEX_FAMILIES=$($OB list --indexes | sed -n 's/^  \([a-z0-9_]*\) *family=\([a-z]*\).*/\1 \2/p')
NON_ENGINE_FAMILIES=$(echo "$INDEX_FAMILIES" | awk '$2 != "engine" {print "@" $2}' | sort -u | paste -sd,)
ENGINES=""
for item in $(echo "$INDEXES" | tr ',' ' '); do
	base=${item%%:*}
	case "$base" in
	all | @engine) fam=engine ;;
	@*) fam=${base#@} ;;
	*) fam=$(echo "$INDEX_FAMILIES" | awk -v n="$base" '$1 == n {print $2}') ;;
	esac
	[ "$fam" = engine ] && ENGINES="${ENGINES:+$ENGINES,}$item"
done
run_engines() { # run the engines among $INDEXES, if there are any
	[ -n "$ENGINES" ] || return 0
	run --index "$ENGINES" --exclude "$NON_ENGINE_FAMILIES" "$@"
}

status=0
check() { local rc=$?; [ $rc -eq 0 ] || { echo "bench: a run exited $rc" >&2; status=$rc; }; }

FIRST=$(echo "$READ_DATA" | cut -d, -f1)
if stage point "point lookups, batch timing, every index$([ "$SWEEPS" = 1 ] && echo " and its parameter sweep")"; then
	run --index "$INDEXES" --exclude @engine $([ "$SWEEPS" = 1 ] && echo --sweeps) --data "$READ_DATA" --workload point --ops "$OPS" || check
	run_engines $([ "$SWEEPS" = 1 ] && echo --sweeps) --data "$READ_DATA" --workload point --ops "$EOPS" || check
fi
if stage latency "latency: sampled and dependent point lookups"; then
	run --index "$INDEXES" --data "$FIRST,$TS_DATA" --workload point --mode sampled,dependent --ops "$LOPS" || check
fi
if stage range "range scans of 100 entries, and scan bandwidth (10,000 entries)"; then
	run --index "$INDEXES" --data "$FIRST,$TS_DATA" --workload range:len=100 --ops "$SOPS" || check
	run --index "$INDEXES" --data "$FIRST" --workload range:len=10000 --ops 2000 || check
fi
if stage seq "sequential: time-series lookups and appends"; then
	run --index "$INDEXES" --data "$TS_DATA" --workload seq-lookup,seq-lookup:order=ascending --ops "$OPS" || check
	run --index "$INDEXES" --exclude @engine --data "$TS_DATA" --workload seq-append,seq-ooo --ops "$WOPS" $W || check
	run --index "$INDEXES" --exclude @engine --data "$TS_DATA" --workload seq-append --mode sampled --ops "$WOPS" $W || check
	run_engines --data "$TS_DATA" --workload seq-append,seq-ooo --mode batch,sampled --reps 3 --ops "$EOPS" $W || check
fi
if stage scale "cost against size: uspr at ${SCALE:=$([ "$QUICK" = 1 ] && echo "100K 1M" || echo "1M 10M 100M")} keys"; then
	for n in $SCALE; do
		[ "$n" = "$N" ] && continue # already measured above
		name="uspr_${n}_uint64"
		[ -f "datasets/$name" ] || $OB gen uspr -n "$n" >/dev/null
		run --index "$INDEXES" --exclude @engine --data "$name" --workload point --ops "$OPS" || check
	done
fi
if stage threads "threads and batched lookups"; then
	run --index "$INDEXES" --data "$FIRST" --workload point,point:batch=16 --threads 1,2 --ops "$OPS" || check
fi
if stage writes "writes: random inserts (all remaining keys) and GRE's read/write mixes"; then
	# The first data set also gets every index's sweep: which configuration of
	# each inserts fastest is part of the answer (ALEX's node density, B-tree
	# node size).
	WRITE_FIRST=$(echo "$WRITE_DATA" | cut -d, -f1)
	WRITE_REST=$(echo "$WRITE_DATA" | cut -s -d, -f2-)
	# (3 repetitions there: each inserts 5M keys into every configuration)
	INSERT_OPS=""
	[ -z "$IOPS" ] || INSERT_OPS="--ops $IOPS"
	run --index "$INDEXES" --exclude @engine $([ "$SWEEPS" = 1 ] && echo --sweeps --reps 3) --data "$WRITE_FIRST" --workload insert $INSERT_OPS $W || check
	[ -z "$WRITE_REST" ] || run --index "$INDEXES" --exclude @engine --data "$WRITE_REST" --workload insert $INSERT_OPS $W || check
	# Lookups once the other half has been inserted: what the inserts did to
	# each structure (ALEX's retrained and split nodes, half-full B-tree nodes).
	run --index "$INDEXES" --exclude @engine $([ "$SWEEPS" = 1 ] && echo --sweeps) --data "$WRITE_FIRST" --workload point-grown --ops "$OPS" || check
	run --index "$INDEXES" --exclude @engine --data "$FIRST" --workload mixed:read=0/10/50/90/100 --ops "$WOPS" $W || check
	run --index "$INDEXES" --exclude @engine --data "$FIRST" --workload mixed:read=50 --mode sampled --ops "$WOPS" $W || check
	# Engines get the 50/50 and write-only mixes rather than every mix.
	run_engines --data "$FIRST" --workload mixed:read=0/50 --reps 3 --ops "$EOPS" $W || check
fi
if stage report "plots and REPORT.md"; then
	[ -f "$CSV" ] || { echo "bench: report: no $CSV (ONLY=report needs the rows of an earlier run)" >&2; exit 2; }
	scripts/plots.sh "$CSV" "$PLOTS" || check
	$OB report --csv "$CSV" --out "$REPORT" --plots "$PLOTS" || check
	# The committed comparison with the authors' code (make reference) keeps
	# its section in the regenerated report.
	[ ! -f results/reference.csv ] || README= REPORT="$REPORT" scripts/reference.sh table || check
fi
echo
if [ $status -eq 0 ]; then
	echo "bench: done in $(( $(date +%s) - start ))s: $CSV$(stage_on report && echo ", $PLOTS/, $REPORT")"
else
	echo "bench: finished in $(( $(date +%s) - start ))s with errors (above); rows so far in $CSV"
fi
exit $status
