#!/usr/bin/env bash
# tests/cli/faults.sh — a disk that fills up is an error (exit 2, one line,
# nothing left behind), never a wrong answer nor a row that claims success.
# The full disk is build/test/faultfs.so (tests/shim/faultfs.c): no root,
# no mount; only the SIGBUS case needs a real tmpfs, and is skipped (with a
# note) where mount is not permitted.
set -u
. "$(dirname "$0")/lib.sh"

SHIM=build/test/faultfs.so
if [ ! -f "$SHIM" ]; then
	echo "faults: $SHIM not built (make build/test/faultfs.so); nothing to test"
	finish
	exit
fi
# The shim goes after the sanitizer runtime in the preload order.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
# full_disk BYTES DIR command...: the files under DIR can hold BYTES in all
full_disk() {
	local bytes=$1 dir=$2; shift 2
	LD_PRELOAD=$PWD/$SHIM FAULTFS_DIR=$dir FAULTFS_SPACE=$bytes "$@"
}

$OB gen uspr -n 100K -o "$T/u_uint64" >/dev/null
list=$($OB list --indexes)

# B1, B2: the last, partial batch of inserts (500 < batch=1000) is committed
# after the timed loop.  The disk holds the bulk load and 64 KiB more, far
# less than that commit writes: it must fail as an I/O error.
for ix in lmdb sqlite; do
	grep -q "^  $ix " <<<"$list" || { echo "faults: $ix not built in"; continue; }
	mkdir -p "$T/$ix-size" "$T/$ix"
	# what the bulk load (and one insert) occupies
	$OB run --index $ix --data "$T/u_uint64" --workload insert --ops 1 --reps 1 \
		--dir "$T/$ix-size" --keep >/dev/null 2>&1
	space=$(($(du -sB1 "$T/$ix-size" | cut -f1) + 65536))
	expect 2 "$ix: the last commit on a full disk" -- full_disk $space "$T/$ix" \
		$OB run --index $ix --data "$T/u_uint64" --workload insert --ops 500 --reps 1 \
		--dir "$T/$ix" --csv "$T/$ix.csv"
	one_line "$ix: .*\(No space left\|disk is full\)" "$ix: one line naming the failed commit"
	[ "$(wc -l <"$T/$ix.csv")" -eq 1 ] && ok || bad "$ix: a row was written for a failed run"
	[ -z "$(ls "$T/$ix")" ] && ok || bad "$ix: left $(ls "$T/$ix")"
done

# B12: lmdb:writemap=1 writes through a shared mapping, so a full disk is a
# SIGBUS, not an error a write call returns (the shim cannot stand in):
# a real 2 MB tmpfs when this user may mount one.
mkdir -p "$T/mnt"
if mount -t tmpfs -o size=2m tmpfs "$T/mnt" 2>/dev/null; then
	trap 'umount "$T/mnt" 2>/dev/null; rm -rf "$T"' EXIT
	expect 135 "lmdb:writemap=1 on a full tmpfs: SIGBUS" -- \
		$OB run --index lmdb:writemap=1 --data "$T/u_uint64" --reps 1 --dir "$T/mnt"
	one_line "SIGBUS.*directory was removed" "one line says what happened"
	[ -z "$(ls "$T/mnt")" ] && ok || bad "SIGBUS left $(ls "$T/mnt")"
	umount "$T/mnt"
else
	echo "faults: cannot mount a tmpfs here (not root?); the SIGBUS case is left to tests/cli/interrupt.sh's kill -BUS"
fi

# B3: the CSV's disk fills up after two rows.  The run stops with one line
# naming the CSV, and the file keeps whole rows only (no half row).
mkdir -p "$T/small"
header_bytes=$(($($OB run --index binsearch --data "$T/u_uint64" --reps 1 --ops 1000 --csv "$T/one.csv" \
	>/dev/null 2>&1; head -1 "$T/one.csv" | wc -c)))
row_bytes=$(($(tail -1 "$T/one.csv" | wc -c)))
expect 2 "CSV on a full disk" -- full_disk $((header_bytes + 2 * row_bytes + row_bytes / 2)) "$T/small" \
	$OB run --index binsearch --data "$T/u_uint64" --reps 5 --ops 1000 --csv "$T/small/r.csv"
one_line "r.csv: write failed: No space left on device" "the CSV and the reason named"
[ "$(wc -l <"$T/small/r.csv")" -eq 3 ] && ok || bad "header and two rows expected: $(wc -l <"$T/small/r.csv") lines"
[ "$(tail -c 1 "$T/small/r.csv" | od -An -c | tr -d ' ')" = '\n' ] && ok || bad "the CSV ends in a half row"
[ "$(awk -F, '{print NF}' "$T/small/r.csv" | sort -u | wc -l)" -eq 1 ] && ok || bad "a row of the wrong width"
# ...and a disk already full before the header: nothing is left half-written
expect 2 "CSV header on a full disk" -- full_disk 100 "$T/small" \
	$OB run --index binsearch --data "$T/u_uint64" --reps 1 --ops 1000 --csv "$T/small/new.csv"
one_line "new.csv: write failed" "the header's failure named"
[ ! -e "$T/small/new.csv" ] && ok || bad "the new CSV left behind"
finish
