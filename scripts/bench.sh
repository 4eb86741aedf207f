#!/usr/bin/env bash
# scripts/bench.sh — `make bench`: generate the data it needs, run every
# registered index on every workload it supports, then plots and REPORT.md.
#
#   QUICK=1      a short end-to-end run within QUICK_BUDGET=180 seconds on a
#                2-core VM: 1M keys, uspr and ts_bursty only, sweeps only for
#                seq-append/seq-ooo and point-grown (so its report decides),
#                fewer operations, engines in the point and write stages
#                only; its rows go to results/quick/ (never over the
#                committed full run), and it prints its time against the budget
#   N=10M        keys per synthetic data set
#   BUILDS=3     builds of every index for read-only workloads, each a round
#                running the indexes in a new shuffled order (run --builds):
#                the report's intervals then cover rebuilding, not only
#                back-to-back repetitions
#   REPS=2       timed repetitions per build (QUICK=1 and from N=100M on: 1)
#   DATA="..."   data sets to use instead of the default uspr/logn/ts_bursty (+ipv4geo)
#   CSV=results/bench.csv   where rows go: written to $CSV.partial, which
#                replaces $CSV only when every run has succeeded
#   REPORT=, PLOTS=  where the report stage writes: REPORT.md and results/plots
#                for the default CSV, else REPORT.md and plots/ beside the CSV
#                (a partial or large-N run never overwrites the main report)
#   INDEXES=all  which indexes
#   SCALE="1M 10M 100M"  sizes of the ns-per-lookup-against-n curve (uspr)
#   SWEEPS=1     also run every index's parameter sweep (QUICK=1: 0, defaults only)
#   IOPS=        inserts of the insert stage (default: all keys not bulk-loaded)
#   WREPS=       repetitions of every run that writes (each rebuilds the index,
#                so each is a build of its own; default 5, QUICK=1: 3, and 3
#                for the engines and the insert and mixed sweeps)
#   ONLY="..."   run only these stages (point latency range seq scale threads
#                writes report), appending to $CSV instead of rewriting it:
#                a long run (N=200M on 2 cores) can then be done in parts
#
# From N=100M on, the defaults shrink: REPS=1, SWEEPS=0, WREPS=1 (every
# repetition of a write run rebuilds a 200M-key index) and IOPS=10M
# (inserting the other 100M keys of a 200M set into every index, three
# times, would take most of a day).  It still takes hours on 2 cores: ONLY=
# does it in parts.
set -euo pipefail
cd "$(dirname "$0")/.."

# Every setting is checked before anything is generated, run or removed:
# a bad one is one line and exit 2.
fail() { echo "bench: $*" >&2; exit 2; }
is_count() { [[ $1 =~ ^[1-9][0-9]*[KMG]?$ ]]; } # what keys_of and omenbench both read
# an output path: a regular file (not a link) or nothing yet
is_output() { [ -n "$1" ] && { [ ! -e "$1" ] && [ ! -L "$1" ] || { [ -f "$1" ] && [ ! -L "$1" ]; }; }; }
[ -z "${N:-}" ] || is_count "$N" || fail "N=$N is not a count (e.g. 1M, 10M, 500K)"
QUICK=${QUICK:-0}
[[ $QUICK == [01] ]] || fail "QUICK=$QUICK must be 0 or 1"
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
QUICK_BUDGET=${QUICK_BUDGET:-180}
if [ "$QUICK" = 1 ]; then
	N=${N:-1M}; OPS=${OPS:-100K}; LOPS=${LOPS:-50K}; SOPS=${SOPS:-10K}; WOPS=${WOPS:-50K}; REPS=${REPS:-1}
	DEFAULT_WREPS=3
	EOPS=${EOPS:-10K}; SWEEPS=${SWEEPS:-0}; IOPS=${IOPS:-200K}; SCALE=${SCALE:-100K}
	MIXES=${MIXES:-0/50/100}
	CSV=${CSV:-results/quick/bench.csv}
	# Engines take seconds per 1M-key build: QUICK runs them in the point
	# and write-mix stages only.
	QUICK_NO_ENGINES="--exclude @engine"
else
	N=${N:-10M}; OPS=${OPS:-500K}; LOPS=${LOPS:-200K}; SOPS=${SOPS:-100K}; WOPS=${WOPS:-500K}
	EOPS=${EOPS:-100K}
	if [ "$(keys_of "$N")" -ge 100000000 ]; then
		REPS=${REPS:-1}; SWEEPS=${SWEEPS:-0}; IOPS=${IOPS:-10M}; WREPS=${WREPS:-1}
	fi
	REPS=${REPS:-2}; SWEEPS=${SWEEPS:-1}
fi
IOPS=${IOPS:-}
QUICK_NO_ENGINES=${QUICK_NO_ENGINES:-}
MIXES=${MIXES:-0/10/50/90/100}
WREPS=${WREPS:-}
BUILDS=${BUILDS:-3}
for v in OPS LOPS SOPS WOPS EOPS ${IOPS:+IOPS}; do
	is_count "${!v}" || fail "$v=${!v} is not a count (e.g. 500K, 10M)"
done
for v in REPS BUILDS ${WREPS:+WREPS}; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] && [ "${!v}" -le 64 ] || fail "$v=${!v} is not a repetition count from 1 to 64"
done
[[ $SWEEPS == [01] ]] || fail "SWEEPS=$SWEEPS must be 0 or 1"
[[ $QUICK_BUDGET =~ ^-?[0-9]+$ ]] || fail "QUICK_BUDGET=$QUICK_BUDGET is not a number of seconds"
for r in ${MIXES//\// }; do
	[[ $MIXES =~ ^[0-9]+(/[0-9]+)*$ ]] && [ "$r" -le 100 ] ||
		fail "MIXES=$MIXES is not a list of read percentages (e.g. 0/50/100)"
done
for n in ${SCALE:-}; do is_count "$n" || fail "SCALE: $n is not a count (SCALE is a space-separated list, e.g. \"1M 10M\")"; done
# Appended to write runs (the last --builds and --reps win): every repetition
# of a write run rebuilds the index, so one round; EW for the engines and
# the insert sweep, which take 3 repetitions unless WREPS says otherwise.
W="--builds 1 --reps ${WREPS:-${DEFAULT_WREPS:-5}}"
EW="--builds 1 --reps ${WREPS:-3}"
CSV=${CSV:-results/bench.csv}
if [ "$(realpath -m "$CSV")" = "$(realpath -m results/bench.csv)" ]; then # also ./results/bench.csv
	REPORT=${REPORT:-REPORT.md}; PLOTS=${PLOTS:-results/plots}
else
	REPORT=${REPORT:-$(dirname "$CSV")/REPORT.md}; PLOTS=${PLOTS:-$(dirname "$CSV")/plots}
fi
INDEXES=${INDEXES:-all}
OB=./omenbench
is_output "$CSV" || fail "CSV=$CSV is not a regular file (nor a new one)"
[ -n "${ONLY:-}" ] || is_output "$CSV.partial" || fail "$CSV.partial is not a regular file; this run's rows go there"
is_output "$REPORT" || fail "REPORT=$REPORT is not a regular file (nor a new one)"
[ ! -e "$PLOTS" ] && [ ! -L "$PLOTS" ] || { [ -d "$PLOTS" ] && [ ! -L "$PLOTS" ]; } ||
	fail "PLOTS=$PLOTS is not a directory"
# The index list and the counts, as omenbench itself reads them.
$OB run --dry-run --index "$INDEXES" --data none --builds "$BUILDS" --reps "$REPS" --ops "$OPS" \
	>/dev/null || exit 2
data_list=${DATA:-}
for d in ${data_list//,/ }; do $OB check "$d" >/dev/null || exit 2; done
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

echo "bench: N=$N BUILDS=$BUILDS REPS=$REPS WREPS=${WREPS:-default} SWEEPS=$SWEEPS OPS=$OPS WOPS=$WOPS EOPS=$EOPS IOPS=${IOPS:-all} -> $CSV"
say "data sets ($N keys each)"
mkdir -p datasets "$(dirname "$CSV")"
need() { # need KIND -> prints the data set name, generating it if missing
	local name="$1_${N}_uint64"
	# (|| return: set -e does not reach into the $(need ...) that calls this)
	[ -f "datasets/$name" ] || $OB gen "$1" -n "$N" >&2 || return
	echo "$name"
}
measures=0 # does any selected stage measure (and so need the data sets)?
for s in ${ALL_STAGES% report}; do stage_on "$s" && measures=1; done
if [ $measures = 0 ]; then
	echo "(skipped: only the report stage)"
	READ_DATA=""; TS_DATA=""; TS_MAIN=""; SWEPT_DATA=""; GROWN_DATA=""; WRITE_REST=""
elif [ -n "${DATA:-}" ]; then
	READ_DATA=$DATA; TS_DATA=$DATA; TS_MAIN=$(echo "$DATA" | cut -d, -f1)
	SWEPT_DATA=$(echo "$DATA" | cut -d, -f1-2); GROWN_DATA=$SWEPT_DATA
	WRITE_REST=$(echo "$DATA" | cut -s -d, -f3-)
else
	uspr=$(need uspr); ts=$(need ts_bursty)
	if [ "$QUICK" = 1 ]; then # the smallest set that still reaches a verdict
		logn=""; READ_DATA="$uspr,$ts"
	else
		logn=$(need logn); READ_DATA="$uspr,$logn,$ts"
	fi
	if [ "$QUICK" = 1 ]; then
		:
	elif [ -f datasets/ipv4geo_3M_uint64 ] || scripts/fetch-data.sh ipv4geo >&2; then
		READ_DATA="$READ_DATA,ipv4geo_3M_uint64"
	else
		echo "bench: ipv4geo not available (npm registry unreachable?); continuing without it" >&2
	fi
	# Time-series keys are the rule's first question: every write workload
	# and seq-lookup runs on every time-series set (ts_regular, ts_bursty,
	# ts_dups and the real flights_ts when it can be fetched), both sides
	# swept on each, since each decides; logn gets the writes at defaults.
	TS_MAIN=$ts; TS_DATA=$ts
	if [ "$QUICK" = 1 ]; then
		SWEPT_DATA=$uspr; GROWN_DATA=$uspr; WRITE_REST=""
	else
		TS_DATA="$ts,$(need ts_regular),$(need ts_dups)"
		if [ -f datasets/flights_ts_3M_uint64 ] || scripts/fetch-data.sh flights >&2; then
			TS_DATA="$TS_DATA,flights_ts_3M_uint64"
		else
			echo "bench: flights_ts not available (npm registry unreachable?); continuing without it" >&2
		fi
		SWEPT_DATA="$uspr,$TS_DATA"; GROWN_DATA="$uspr,$TS_DATA"
		WRITE_REST="$logn"
	fi
fi
# A full run writes its rows to $CSV.partial (ours: removed when a new run
# starts) and puts them in place of $CSV only once every run succeeded, so
# results are never lost to a bad setting, a failed run or Ctrl-C.  ONLY=
# appends to $CSV itself, as it always has.
OUT=$CSV
if [ -z "${ONLY:-}" ]; then
	OUT=$CSV.partial
	rm -f -- "$OUT"
fi
run() { $OB run --csv "$OUT" --builds "$BUILDS" --reps "$REPS" "$@"; }
# Every experiment that decides runs each side's sweep (the B+tree's node
# size and fill against ALEX's densities): a row where one side ran its
# defaults only never decides in REPORT.md.
SW=""
[ "$SWEEPS" != 1 ] || SW="--sweeps"
# QUICK=1 runs no sweeps but these, cheap at 1M keys, so that its report
# still decides: seq-append and seq-ooo on the time-series set, point-grown
# on uspr (and writes only there).
PSW=$SW
[ "$QUICK" != 1 ] || PSW="--sweeps"
# Engines write at a few microseconds per operation, so their write stages
# run with fewer repetitions: ENGINES is the part of $INDEXES that is an
# engine (empty if none), NON_ENGINE_FAMILIES what to exclude to get it.
INDEX_FAMILIES=$($OB list --indexes --tsv | awk -F'\t' 'NR > 1 {print $2, $3}')
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
	run --index "$INDEXES" --exclude @engine $SW --data "$READ_DATA" --workload point --ops "$OPS" || check
	run_engines $([ "$SWEEPS" = 1 ] && echo --sweeps) --data "$READ_DATA" --workload point --ops "$EOPS" || check
fi
if stage latency "latency: sampled and dependent point lookups"; then
	run --index "$INDEXES" $QUICK_NO_ENGINES --data "$FIRST,$TS_MAIN" --workload point --mode sampled,dependent --ops "$LOPS" || check
fi
if stage range "range scans of 100 entries, and scan bandwidth (10,000 entries)"; then
	run --index "$INDEXES" $QUICK_NO_ENGINES --data "$FIRST,$TS_MAIN" --workload range:len=100 --ops "$SOPS" || check
	run --index "$INDEXES" $QUICK_NO_ENGINES --data "$FIRST" --workload range:len=10000 --ops 2000 || check
fi
if stage seq "sequential: time-series lookups and appends"; then
	# Every time-series set, then on the main one: replayed in time order,
	# recent keys (dist=latest), and half of the lookups for a timestamp
	# between two events.  Engines on the main set only (seconds per build).
	# Swept, as every experiment of the time-series verdict is.
	run --index "$INDEXES" --exclude @engine $SW --data "$TS_DATA" --workload seq-lookup --ops "$OPS" || check
	run --index "$INDEXES" --exclude @engine $SW --data "$TS_MAIN" \
		--workload seq-lookup:order=ascending,seq-lookup:neg=0.5,point:dist=latest --ops "$OPS" || check
	[ -n "$QUICK_NO_ENGINES" ] || run_engines --data "$TS_MAIN" --workload seq-lookup --ops "$EOPS" || check
	# read=0: appends alone, the rule's "appends" target; the default mix is
	# dominated by 1000-key window scans that every ordered index does at
	# memory speed.
	run --index "$INDEXES" --exclude @engine $PSW --data "$TS_DATA" --workload seq-append,seq-append:read=0,seq-ooo --ops "$WOPS" $W || check
	run --index "$INDEXES" --exclude @engine --data "$TS_DATA" --workload seq-append --mode sampled --ops "$WOPS" $W || check
	[ -n "$QUICK_NO_ENGINES" ] || run_engines --data "$TS_MAIN" --workload seq-append,seq-ooo --mode batch,sampled --ops "$EOPS" $EW || check
fi
if stage scale "cost against size: uspr at ${SCALE:=1M 10M 100M} keys"; then
	for n in $SCALE; do
		[ "$n" = "$N" ] && continue # already measured above
		name="uspr_${n}_uint64"
		[ -f "datasets/$name" ] || $OB gen uspr -n "$n" >/dev/null
		run --index "$INDEXES" --exclude @engine --data "$name" --workload point --ops "$OPS" || check
	done
fi
if stage threads "threads and batched lookups"; then
	run --index "$INDEXES" $QUICK_NO_ENGINES --data "$FIRST" --workload point,point:batch=16 --threads 1,2 --ops "$OPS" || check
fi
if stage writes "writes: random inserts (all remaining keys) and GRE's read/write mixes"; then
	# uspr and the time-series set get every index's sweep: which
	# configuration of each inserts fastest is part of the answer (ALEX's
	# node density, B-tree node size and fill); 3 repetitions there, each
	# inserting 5M keys into every configuration.
	INSERT_OPS=""
	[ -z "$IOPS" ] || INSERT_OPS="--ops $IOPS"
	run --index "$INDEXES" --exclude @engine $SW --data "$SWEPT_DATA" --workload insert $INSERT_OPS $([ "$SWEEPS" = 1 ] && echo "$EW" || echo "$W") || check
	[ -z "$WRITE_REST" ] || run --index "$INDEXES" --exclude @engine --data "$WRITE_REST" --workload insert $INSERT_OPS $W || check
	# Lookups once the other half has been inserted: what the inserts did to
	# each structure (ALEX's retrained and split nodes, half-full B-tree nodes).
	run --index "$INDEXES" --exclude @engine $PSW --data "$GROWN_DATA" --workload point-grown --ops "$OPS" || check
	[ -z "$WRITE_REST" ] || run --index "$INDEXES" --exclude @engine --data "$WRITE_REST" --workload point-grown --ops "$OPS" || check
	run --index "$INDEXES" --exclude @engine $SW --data "$SWEPT_DATA" --workload mixed:read=$MIXES --ops "$WOPS" $([ "$SWEEPS" = 1 ] && echo "$EW" || echo "$W") || check
	[ -z "$WRITE_REST" ] || run --index "$INDEXES" --exclude @engine --data "$WRITE_REST" --workload mixed:read=$MIXES --ops "$WOPS" $W || check
	run --index "$INDEXES" --exclude @engine --data "$FIRST" --workload mixed:read=50 --mode sampled --ops "$WOPS" $W || check
	# Engines get the 50/50 and write-only mixes rather than every mix.
	run_engines --data "$FIRST" --workload mixed:read=0/50 --ops "$EOPS" $EW || check
fi
installed=1
if [ "$OUT" != "$CSV" ]; then
	if [ $status -eq 0 ]; then
		mv -f -- "$OUT" "$CSV"
	else
		installed=0
		echo "bench: a run failed (above): $CSV is left as it was; this run's rows are in $OUT" >&2
	fi
fi
if stage report "plots and REPORT.md"; then
	[ $installed = 1 ] || { echo "(skipped: the report would describe the old $CSV)"; exit $status; }
	[ -f "$CSV" ] || { echo "bench: report: no $CSV (ONLY=report needs the rows of an earlier run)" >&2; exit 2; }
	scripts/plots.sh "$CSV" "$PLOTS" || check
	# SOSD's comparison section, from the last `make sosd` when there is one
	SOSD_CSV=${SOSD_CSV:-results/sosd.csv}
	SOSD_ARGS=""
	[ ! -f "$SOSD_CSV" ] || SOSD_ARGS="--sosd $SOSD_CSV"
	$OB report --csv "$CSV" --out "$REPORT" --plots "$PLOTS" $SOSD_ARGS || check
	# The committed comparison with the authors' code (make reference) keeps
	# its section in the regenerated report.
	[ ! -f results/reference.csv ] || README= REPORT="$REPORT" scripts/reference.sh table || check
fi
echo
elapsed=$(( $(date +%s) - start ))
budget=""
if [ "$QUICK" = 1 ]; then
	if [ "$elapsed" -le "$QUICK_BUDGET" ]; then budget=" (QUICK budget ${QUICK_BUDGET}s: within)"
	else budget=" (QUICK budget ${QUICK_BUDGET}s: OVER by $((elapsed - QUICK_BUDGET))s)"; fi
fi
# The run's own record beside its CSV: what the README quotes of it.  A
# part (ONLY=) adds its line to the record, as it adds its rows to $CSV.
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
llc=$(cat /sys/devices/system/cpu/cpu0/cache/index3/size 2>/dev/null || echo unknown)
record() {
	printf 'commit %s; %s; %s cores; last-level cache %s; N=%s BUILDS=%s REPS=%s; %s in %ss%s\n' \
		"$(git describe --always --dirty 2>/dev/null || echo unknown)" "${cpu:-unknown CPU}" "$(nproc)" "$llc" \
		"$N" "$BUILDS" "$REPS${ONLY:+ ONLY=$ONLY}" "$([ $status -eq 0 ] && echo done || echo failed)" "$elapsed" "$budget"
}
if [ -n "${ONLY:-}" ]; then record >>"${CSV%.csv}-run.txt"; else record >"${CSV%.csv}-run.txt"; fi
if [ $status -eq 0 ]; then
	echo "bench: done in ${elapsed}s$budget: $CSV$(stage_on report && echo ", $PLOTS/, $REPORT")"
else
	echo "bench: finished in ${elapsed}s$budget with errors (above); this run's rows in $OUT"
fi
exit $status
