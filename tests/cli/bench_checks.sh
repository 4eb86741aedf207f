#!/usr/bin/env bash
# tests/cli/bench_checks.sh — `make bench` (scripts/bench.sh) checks every
# setting before it generates, runs or removes anything (B5, B6): a bad one
# is one line and exit 2, and the old results stay; a full run replaces
# $CSV only when every run succeeded.  Runs ./omenbench, as make bench does.
set -u
. "$(dirname "$0")/lib.sh"

[ -x ./omenbench ] || { echo "bench_checks: ./omenbench not built (make omenbench)"; finish; exit; }
./omenbench gen uspr -n 20K -o "$T/u_uint64" >/dev/null
echo "old results" >"$T/keep.csv"
datasets_before=$(ls datasets)
# bench VAR=VALUE...: the script with these settings, on a CSV of ours
bench() { env CSV="$T/keep.csv" "$@" scripts/bench.sh; }
untouched() {
	[ "$(cat "$T/keep.csv")" = "old results" ] && ok || bad "$1: the old CSV was changed or removed"
	[ "$(ls datasets)" = "$datasets_before" ] && ok || bad "$1: data sets were generated"
}

# B6: a bad N, REPS... is refused before the CSV is touched or data made
for setting in N=abc REPS=abc REPS=0 WREPS=x OPS=12q QUICK=2 SWEEPS=yes "SCALE=1M,10M" IOPS=-1; do
	expect 2 "bench $setting" -- bench "$setting"
	one_line "bench: ${setting%%=*}" "$setting named in one line"
	untouched "$setting"
done
expect 2 "bench INDEXES=bogus" -- bench INDEXES=bogus
one_line "unknown index 'bogus'" "INDEXES checked by omenbench itself"
untouched INDEXES=bogus
expect 2 "bench DATA=missing" -- bench DATA="$T/missing"
one_line "missing: cannot open" "DATA checked"
untouched DATA=missing

# B5: CSV= a device, a FIFO or a symlink is refused and left as it was
mkfifo "$T/fifo"
ln -s "$T/keep.csv" "$T/link.csv"
targets="$T/fifo $T/link.csv"
if mknod -m 666 "$T/fakenull" c 1 3 2>/dev/null; then targets="$targets $T/fakenull"; fi
for target in $targets; do
	before=$(stat -c %F "$target")
	expect 2 "bench CSV=$(basename "$target")" -- env CSV="$target" scripts/bench.sh
	one_line "CSV=.* is not a regular file" "CSV=$(basename "$target") refused"
	[ "$(stat -c %F "$target")" = "$before" ] && ok || bad "CSV=$target is no longer a $before"
done
untouched "CSV=link"
expect 2 "bench REPORT=/dev/null" -- bench REPORT=/dev/null
one_line "REPORT=/dev/null is not a regular file" "REPORT refused"

# A full (tiny) run: its rows replace the old CSV at the end, nothing left
# beside it; a run that fails (its CSV's disk full) leaves the old CSV.
tiny="N=20K DATA=$T/u_uint64 SCALE=20K INDEXES=binsearch SWEEPS=0 REPS=1 OPS=2K LOPS=2K SOPS=2K WOPS=2K EOPS=1K"
mkdir -p "$T/ok" "$T/full"
echo "old results" >"$T/ok/b.csv"
expect 0 "a tiny full run" -- env $tiny CSV="$T/ok/b.csv" ONLY= scripts/bench.sh
[ "$(head -c 9 "$T/ok/b.csv")" = timestamp ] && [ "$(wc -l <"$T/ok/b.csv")" -gt 5 ] && ok || bad "the new rows did not replace the CSV"
[ ! -e "$T/ok/b.csv.partial" ] && ok || bad "b.csv.partial left behind"
echo "old results" >"$T/full/b.csv"
if [ -f build/test/faultfs.so ]; then
	expect 2 "a run whose CSV's disk fills" -- env LD_PRELOAD="$PWD/build/test/faultfs.so" \
		FAULTFS_DIR="$T/full" FAULTFS_SPACE=3000 $tiny CSV="$T/full/b.csv" ONLY= scripts/bench.sh
	contains "$T/err" "b.csv is left as it was" "says the old CSV is kept"
	[ "$(cat "$T/full/b.csv")" = "old results" ] && ok || bad "a failed run replaced the old CSV"
	[ -s "$T/full/b.csv.partial" ] && ok || bad "the failed run's rows are gone"
fi
finish
