#!/usr/bin/env bash
# tests/cli/interrupt.sh — a run stopped by a signal leaves no engine
# directory behind (they live in /dev/shm and can be gigabytes).
set -u
. "$(dirname "$0")/lib.sh"

list=$($OB list --indexes)
if ! grep -q "^  lmdb " <<<"$list"; then
	echo "interrupt: lmdb not built in; nothing to test"
	finish
fi
expect 0 "gen" -- $OB gen uspr -n 200000 -o "$T/u_uint64"
mkdir -p "$T/d"
# (a background job ignores SIGINT, and the run keeps an ignored signal
# ignored: env --default-signal undoes a `nohup` the tests may run under)
for sig in TERM HUP; do
	env --default-signal=TERM,HUP $OB run --index lmdb --data "$T/u_uint64" --workload point --reps 64 --ops 1M --dir "$T/d" >"$T/out" 2>&1 &
	pid=$!
	for _ in $(seq 100); do # wait for the engine's directory to exist
		[ -n "$(ls "$T/d")" ] && break
		sleep 0.1
	done
	[ -n "$(ls "$T/d")" ] && ok || bad "no engine directory appeared"
	sleep 0.3
	kill -"$sig" "$pid"
	wait "$pid" 2>/dev/null
	rc=$?
	[ "$rc" -gt 128 ] && ok || bad "SIG$sig: exit $rc, want death by the signal"
	[ -z "$(ls "$T/d")" ] && ok || bad "SIG$sig left $(ls "$T/d")"
done
finish
