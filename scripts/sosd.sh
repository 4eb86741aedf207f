#!/usr/bin/env bash
# scripts/sosd.sh — `make sosd`: SOSD's protocol (Marcus et al., VLDB 2020):
# 10M lookups of keys drawn from the data, timed as one batch, for the index
# kinds SOSD measured (ART, B-tree, BS, FAST ~ stree, IS, RBS, RMI, RS; PGM
# too) in their default configurations, or tuned with SWEEPS=1 (best
# configuration reported): on the synthetic sets over SOSD's own grids
# (scripts/sosd-grid.txt), on the real sets over each index's declared sweep.  Uses SOSD's real data sets where present in datasets/
# (scripts/fetch-data.sh sosd), else SOSD's synthetic sets at N keys
# (default 200M; N=10M for small machines; WIDTHS="64 32" adds the 32-bit
# variants; REF=1 adds, after ours on each set, the authors' code at
# SOSD's configurations (RadixSpline, analysis-rmi's RMI, tlx's B-tree,
# PGM-index: the ref* lines of scripts/sosd-grid.txt, run by
# build/reference/omenbench), REF=only runs theirs alone;
# KINDS="uden logn" runs only those sets, so a long reproduction
# can run in parts, each into its own SOSD_CSV, joined by
# scripts/merge-runs.py; docs/large-runs.md).  Writes results/sosd.csv and
# regenerates REPORT.md with the comparison against SOSD's published
# leaderboard (results/sosd_published.csv).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-200M}
LOOKUPS=${LOOKUPS:-10M}
REPS=${REPS:-3}
CSV=${SOSD_CSV:-results/sosd.csv}
OB=./omenbench
start=$SECONDS
REF_OB=${REF_OB:-build/reference/omenbench} # `make sosd REF=1` builds it (the authors' code)
case ${REF:-} in
'' | 1 | only) ;;
*) echo "sosd: REF: '$REF' is not 1 (ours, then the authors' code) or only (the authors' code alone)" >&2; exit 2 ;;
esac

data="" synthetic=""
for f in books_200M_uint32 fb_200M_uint64 osm_cellids_200M_uint64 wiki_ts_200M_uint64; do
	[ -f "datasets/$f" ] && data="$data${data:+,}$f"
done
if [ -n "${REF:-}" ]; then
	[ -n "${SWEEPS:-}" ] && [ -z "$data" ] ||
		{ echo "sosd: REF needs SWEEPS=1 on the synthetic sets (the authors' configurations are in scripts/sosd-grid.txt)" >&2; exit 2; }
	[ -x "$REF_OB" ] || { echo "sosd: REF: $REF_OB is not built (make sosd REF=1 builds it)" >&2; exit 2; }
fi
if [ -z "$data" ]; then
	echo "sosd: SOSD's real data sets are not in datasets/ (scripts/fetch-data.sh sosd); using synthetic sets of $N keys"
	for kind in ${KINDS:-uden uspr norm logn}; do
		case $kind in uden | uspr | norm | logn) ;;
		*) echo "sosd: KINDS: no synthetic set '$kind' (uden uspr norm logn)" >&2; exit 2 ;;
		esac
		for w in ${WIDTHS:-64}; do
			case $w in 64 | 32) ;;
			*) echo "sosd: WIDTHS: no key width '$w' (64 32)" >&2; exit 2 ;;
			esac
			name="${kind}_${N}_uint$w"
			[ -f "datasets/$name" ] || $OB gen "$kind" -n "$N" --width "$w" -o "datasets/$name"
			data="$data${data:+,}$name"
			synthetic="$synthetic $name:$kind$w"
		done
	done
fi
want="binsearch btree stree art rbs isearch rmi rs pgm"
registered=$($OB list --indexes) # read once: grep -q on a pipe races with pipefail
have=""
for i in $want; do
	grep -q "^  $i " <<<"$registered" && have="$have${have:+,}$i"
done
rm -f "$CSV" "${CSV%.csv}-run.txt"
lookups() { # BINARY INDEXES DATA [--sweeps]: SOSD's protocol, appended to $CSV
	"$1" run --index "$2" ${4:-} --data "$3" --workload point --mode batch \
		--ops "$LOOKUPS" --reps "$REPS" --csv "$CSV" || echo "sosd: some runs failed (see above)" >&2
}
if [ -n "${SWEEPS:-}" ] && [ -n "$synthetic" ]; then
	for pair in $synthetic; do # one run per set: each set has its own grid
		board=${pair#*:}
		grid=$(awk -v s="$board" '!/^#/ && ($1 == "*" || $1 == s) { printf "%s%s", sep, $2; sep = "," }' \
			scripts/sosd-grid.txt | tr , '\n')
		[ "${REF:-}" = only ] || lookups "$OB" "$(grep -v '^ref' <<<"$grid" | paste -sd,)" "${pair%%:*}"
		[ -z "${REF:-}" ] || lookups "$REF_OB" "$(grep '^ref' <<<"$grid" | paste -sd,)" "${pair%%:*}"
	done
else
	lookups "$OB" "$have" "$data" ${SWEEPS:+--sweeps}
fi
if [ -f results/bench.csv ]; then
	$OB report --csv results/bench.csv --sosd "$CSV" --sosd-published results/sosd_published.csv \
		--out REPORT.md --plots results/plots
	# the authors'-code section, as `make report` and bench.sh keep it
	[ ! -f results/reference.csv ] || README= scripts/reference.sh table
else
	$OB report --csv "$CSV" --sosd "$CSV" --sosd-published results/sosd_published.csv \
		--out REPORT.md --plots results/plots
fi
# The run's record beside its CSV, as bench.sh leaves one: what the README
# and docs/large-runs.md quote of it.
printf 'commit %s; %s; %s cores; last-level cache %s; N=%s LOOKUPS=%s REPS=%s SWEEPS=%s REF=%s KINDS=%s WIDTHS=%s; done in %ss\n' \
	"$(git describe --always --dirty 2>/dev/null || echo unknown)" \
	"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" "$(nproc)" \
	"$(cat /sys/devices/system/cpu/cpu0/cache/index3/size 2>/dev/null || echo unknown)" \
	"$N" "$LOOKUPS" "$REPS" "${SWEEPS:-}" "${REF:-}" "${KINDS:-uden uspr norm logn}" "${WIDTHS:-64}" \
	$((SECONDS - start)) >"${CSV%.csv}-run.txt"
echo "sosd: $CSV (record in ${CSV%.csv}-run.txt) and the SOSD section of REPORT.md"
