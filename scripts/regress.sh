#!/usr/bin/env bash
# scripts/regress.sh — deterministic performance regression tracking.
#
# Runs a fixed small suite (uspr, REGRESS_N keys; every registered index;
# point, range and insert workloads) under valgrind's callgrind with its
# cache simulator, counting only inside the runner's timed loop
# (--toggle-collect=worker_main), and reports per measured operation:
# instructions (Ir), simulated D1 misses and last-level misses.  Instruction
# counts do not depend on what else the machine is doing, so CI can hold
# them to a tight tolerance on a noisy 2-core VM.  Engines run background
# threads (compaction, page cache), so only their instruction counts are
# gated; their cache figures are listed but never fail the check.
#
# The simulated caches are pinned (CACHES below), never taken from the host:
# valgrind otherwise reads the host CPU's geometry, and a baseline recorded on
# one processor would fail on another for no change of code.  The baseline's
# first line records the geometry it was measured with; a comparison between
# files of different geometries is refused (exit 2), never made.
#
#   scripts/regress.sh check    measure, compare with the baseline; exit 1
#                               when a figure rises more than TOL percent
#   scripts/regress.sh update   measure and rewrite the baseline
#   scripts/regress.sh compare BASE.csv NEW.csv   compare two files only
set -uo pipefail
cd "$(dirname "$0")/.."

BIN=${REGRESS_BIN:-build/regress/omenbench}
N=${REGRESS_N:-100K}
OPS=${REGRESS_OPS:-20000}
TOL=${REGRESS_TOLERANCE:-3}
BASE=${REGRESS_BASELINE:-results/baseline/regress.csv}
WORKLOADS=${REGRESS_WORKLOADS:-point range:len=10 insert}
WORK=${REGRESS_WORK:-build/regress/work}
# I1 and D1: 32 KiB, 8-way, 64-byte lines; LL: 8 MiB, 16-way (a common
# x86-64 server shape).  REGRESS_CACHES overrides it only for tests of the gate.
CACHES=${REGRESS_CACHES:---I1=32768,8,64 --D1=32768,8,64 --LL=8388608,16,64}

simulated_caches() { # simulated_caches CALLGRIND_OUT: the geometry valgrind used, as options
	awk '/^desc: (I1|D1|LL) cache:/ {
		name = $2; size = $4; line = $6
		assoc = $8 == "direct-mapped" ? 1 : $8; sub(/-way.*/, "", assoc)
		g[name] = "--" name "=" size "," assoc "," line
	}
	END { print g["I1"], g["D1"], g["LL"] }' "$1"
}

geometry_of() { # the "# caches: ..." line of a regress CSV, or nothing
	sed -n '1s/^# caches: //p' "$1"
}

same_geometry() { # same_geometry BASE NEW: refuse files measured differently
	local b n
	b=$(geometry_of "$1"); n=$(geometry_of "$2")
	if [ -z "$b" ]; then
		echo "regress: $1 records no simulated cache geometry (an old baseline measured with the host's caches); run 'make regress-update' and commit it" >&2
		return 2
	fi
	if [ "$b" != "$n" ]; then
		echo "regress: $1 was measured with caches '$b' but $2 with '$n'; refusing to compare" >&2
		return 2
	fi
}

compare() { # compare BASE NEW -> table, exit 1 on a rise > TOL%, 2 if not comparable
	same_geometry "$1" "$2" || return 2
	awk -F, -v tol="$TOL" '
	/^#/ || /^index,/ { next }
	NR == FNR { for (c = 3; c <= 5; c++) base[$1 "," $2, c] = $c; seen[$1 "," $2] = 1; gate[$1 "," $2] = $6; next }
	{
		key = $1 "," $2
		if (!(key in seen)) { printf "  new       %-36s (no baseline)\n", key; next }
		for (c = 3; c <= 5; c++) {
			b = base[key, c]; v = $c
			# misses: differences under 0.05 per operation are address
			# layout, not code (ASLR moves buffers between cache sets)
			if (c > 3 && v - b < 0.05 && b - v < 0.05) continue
			if (b == 0 && v == 0) continue
			pct = b == 0 ? 100 : (v - b) / b * 100
			name = c == 3 ? "instr/op" : (c == 4 ? "D1miss/op" : "LLmiss/op")
			# engines run background threads: only their instruction counts
			# are repeatable enough to gate on (gate=instr)
			if (pct > tol && (c == 3 || gate[key] != "instr")) { printf "  WORSE     %-36s %-10s %12.2f -> %12.2f (%+.1f%%)\n", key, name, b, v, pct; worse++ }
			else if (pct > tol) { printf "  (noisy)   %-36s %-10s %12.2f -> %12.2f (%+.1f%%), not gated\n", key, name, b, v, pct }
			else if (pct < -tol) { printf "  better    %-36s %-10s %12.2f -> %12.2f (%+.1f%%)\n", key, name, b, v, pct }
		}
		checked++
	}
	END {
		printf "regress: %d configurations compared, %d figures rose more than %s%%\n", checked, worse, tol
		exit worse > 0
	}' "$1" "$2"
}

measure() { # measure OUT.csv
	local out=$1
	command -v valgrind >/dev/null || { echo "regress: valgrind is missing (scripts/deps.sh installs it)" >&2; return 2; }
	mkdir -p "$WORK"
	local data="$WORK/uspr_${N}_uint64"
	[ -f "$data" ] || $BIN gen uspr -n "$N" -o "$data" >/dev/null || return 2
	local indexes index_list workload_list
	# read once: `grep -q` on a pipe exits early and, with pipefail, fails the pipe
	index_list=$($BIN list --indexes)
	workload_list=$($BIN list --workloads)
	indexes=${REGRESS_INDEXES:-$(awk '/^  [a-z]/ { print $1 }' <<<"$index_list")}
	{
		echo "# caches: $CACHES"
		echo "index,workload,instr_per_op,d1_miss_per_op,ll_miss_per_op,gate"
	} >"$out"
	for idx in $indexes; do
		for wl in $WORKLOADS; do
			local cg="$WORK/callgrind.out" log="$WORK/run.log" csv="$WORK/run.csv"
			rm -f "$cg" "$csv"
			# OMENBENCH_NO_TSC: valgrind's synthetic CPUID offers RDTSCP even
			# where the host lacks it, then dies on the instruction (SIGILL);
			# the clock is read only around the timed loop, so counts stay put.
			# shellcheck disable=SC2086 # CACHES is a list of options
			OMENBENCH_NO_TSC=1 valgrind --tool=callgrind --toggle-collect=worker_main --cache-sim=yes $CACHES \
				--callgrind-out-file="$cg" \
				$BIN run --index "$idx" --data "$data" --workload "$wl" --reps 1 \
				--ops "$OPS" --csv "$csv" >"$log" 2>&1
			local rc=$?
			if grep -q "  skip " "$log"; then continue; fi
			if [ $rc -ne 0 ] || [ ! -s "$csv" ]; then
				echo "regress: $idx $wl failed (exit $rc):" >&2; tail -3 "$log" >&2; return 2
			fi
			# what valgrind says it simulated, so the host's caches cannot creep in
			local used
			used=$(simulated_caches "$cg")
			if [ "$used" != "$CACHES" ]; then
				echo "regress: valgrind simulated '$used', not the pinned '$CACHES'" >&2; return 2
			fi
			# ops timed: the CSV's ops; read-only runs add one warm-up pass.
			local ops passes
			ops=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "ops") c = i } NR == 2 { print $c }' "$csv")
			passes=$(awk -v w="${wl%%:*}" '$1 == w { getline; print (/writes/ ? 1 : 2); exit }' <<<"$workload_list")
			local gate=all
			grep -q "^  $idx  *family=engine" <<<"$index_list" && gate=instr
			awk -v idx="$idx" -v wl="$wl" -v ops="$ops" -v passes="$passes" -v gate="$gate" '
				/^events:/ { for (i = 2; i <= NF; i++) col[$i] = i - 1 }
				/^(summary|totals):/ { for (i = 2; i <= NF; i++) tot[i - 1] = $i }
				END {
					n = ops * passes
					printf "%s,%s,%.2f,%.3f,%.3f,%s\n", idx, wl, tot[col["Ir"]] / n,
						(tot[col["D1mr"]] + tot[col["D1mw"]]) / n,
						(tot[col["DLmr"]] + tot[col["DLmw"]]) / n, gate
				}' "$cg" >>"$out"
			tail -1 "$out"
		done
	done
}

case "${1:-}" in
check)
	[ -f "$BASE" ] || { echo "regress: no baseline $BASE; run 'make regress-update' and commit it" >&2; exit 2; }
	measure "$WORK/current.csv" || exit 2
	compare "$BASE" "$WORK/current.csv"
	;;
update)
	measure "$WORK/current.csv" || exit 2
	mkdir -p "$(dirname "$BASE")"
	cp "$WORK/current.csv" "$BASE"
	echo "regress: baseline written to $BASE (commit it; its diff shows the change's cost)"
	;;
compare)
	[ $# -eq 3 ] || { echo "usage: scripts/regress.sh compare BASE.csv NEW.csv" >&2; exit 2; }
	compare "$2" "$3"
	;;
*)
	echo "usage: scripts/regress.sh check|update|compare BASE NEW" >&2
	exit 2
	;;
esac
