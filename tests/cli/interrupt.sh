#!/usr/bin/env bash
# tests/cli/interrupt.sh — a run stopped by a signal leaves no engine
# directory behind (they live in /dev/shm and can be gigabytes), and one
# killed beyond catching is cleaned up by the next run.
set -u
. "$(dirname "$0")/lib.sh"

list=$($OB list --indexes)
if ! grep -q "^  lmdb " <<<"$list"; then
	echo "interrupt: lmdb not built in; nothing to test"
	finish
	exit
fi
expect 0 "gen" -- $OB gen uspr -n 200000 -o "$T/u_uint64"
mkdir -p "$T/d"
# (a background job ignores SIGINT, and the run keeps an ignored signal
# ignored: env --default-signal undoes a `nohup` the tests may run under)
# start_run DIR: an lmdb run in the background ($pid) once its engine
# directory exists
start_run() {
	env --default-signal=TERM,HUP,PIPE $OB run --index lmdb --data "$T/u_uint64" --workload point \
		--reps 64 --ops 1M --dir "$1" >"$T/bg.out" 2>"$T/bg.err" &
	pid=$!
	for _ in $(seq 100); do # wait for its engine directory to exist
		ls "$1" | grep -q -- "-pid$pid-" && break
		sleep 0.1
	done
}
# B11, B12: SIGPIPE, SIGBUS and SIGABRT (a library's abort) clean up as
# SIGTERM and SIGHUP do.  Each is a scenario of its own.
for sig in TERM HUP PIPE BUS ABRT; do
	expect 0 "SIG$sig removes the engine directory" -- true
	start_run "$T/d"
	ls "$T/d" | grep -q -- "-pid$pid-" && ok || bad "no engine directory appeared"
	sleep 0.3
	kill -"$sig" "$pid"
	wait "$pid" 2>/dev/null
	rc=$?
	[ "$rc" -gt 128 ] && ok || bad "SIG$sig: exit $rc, want death by the signal"
	[ -z "$(ls "$T/d")" ] && ok || bad "SIG$sig left $(ls "$T/d")"
	case $sig in BUS | ABRT)
		[ "$(grep -c . "$T/bg.err")" -eq 1 ] && grep -q "SIG$sig.*directory was removed" "$T/bg.err" && ok ||
			bad "SIG$sig: want one line saying what happened: $(cat "$T/bg.err")" ;;
	esac
done
# B12: a reader that stops early (`| head -1`) kills the run with SIGPIPE
mkdir -p "$T/p"
expect 0 "run | head -1" -- true
env --default-signal=PIPE $OB run --index lmdb,lmdb:batch=1 --data "$T/u_uint64" --workload insert --ops 20K \
	--reps 3 --dir "$T/p" 2>/dev/null | head -1 >/dev/null
rc=${PIPESTATUS[0]}
[ "$rc" -eq 141 ] && ok || bad "run | head: exit $rc, want 141 (SIGPIPE)"
[ -z "$(ls "$T/p")" ] && ok || bad "SIGPIPE left $(ls "$T/p")"

# SIGKILL cannot be caught: the next run into the same --dir removes what
# was left, but never a live run's directory nor a --keep one.
mkdir -p "$T/k"
$OB run --index lmdb --data "$T/u_uint64" --reps 1 --ops 1000 --dir "$T/k" --keep >/dev/null
kept=$(ls "$T/k")
start_run "$T/k"
live_pid=$pid
live=$(ls "$T/k" | grep -- "-pid$pid-")
start_run "$T/k"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
[ "$(ls "$T/k" | wc -l)" -eq 3 ] || echo "interrupt: before the clean-up: $(ls "$T/k")"
expect 0 "the next run removes a killed run's directory" -- \
	$OB run --index lmdb --data "$T/u_uint64" --reps 1 --ops 1000 --dir "$T/k"
contains "$T/out" "removed .*-pid$pid-.*left by a run that is gone" "it says so"
left=$(ls "$T/k" | sort | paste -sd' ')
want=$(printf '%s\n' "$kept" "$live" | sort | paste -sd' ')
[ "$left" = "$want" ] && ok || bad "left: $left; want the --keep and the live run's: $want"
kill -TERM "$live_pid"
wait "$live_pid" 2>/dev/null
finish
