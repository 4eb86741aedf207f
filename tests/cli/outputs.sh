#!/usr/bin/env bash
# tests/cli/outputs.sh — files omenbench writes (run --csv, report --out,
# gen -o) are regular files or new ones: a device node, a FIFO, a directory
# or a symlink is refused with one line and left as it was; and two runs
# appending to one new CSV write its header once.
set -u
. "$(dirname "$0")/lib.sh"

$OB gen uspr -n 20K -o "$T/u_uint64" >/dev/null
$OB run --index binsearch --data "$T/u_uint64" --reps 1 --ops 1000 --csv "$T/rows.csv" >/dev/null
echo original >"$T/target"
ln -s "$T/target" "$T/link"
mkfifo "$T/fifo"
mkdir "$T/dir"
# A device node of our own (mknod needs root); /dev/full is only appended
# to, which cannot harm it.
dev=""
if mknod -m 666 "$T/fakenull" c 1 3 2>/dev/null; then dev=$T/fakenull; fi

# kind PATH: what the path is now, to see it was left alone
kind() { stat -c %F "$1"; }

# B3: --csv a device or another non-file: one line, exit 2, nothing run
expect 2 "--csv /dev/full" -- $OB run --index binsearch --data "$T/u_uint64" --reps 1 --ops 1000 --csv /dev/full
one_line "/dev/full: is a character device" "--csv names the device"
expect 2 "--csv a FIFO" -- timeout 20 $OB run --index binsearch --data "$T/u_uint64" --reps 1 --ops 1000 --csv "$T/fifo"
one_line "fifo: is a FIFO" "--csv names the FIFO"
expect 2 "--csv a symlink" -- $OB run --index binsearch --data "$T/u_uint64" --reps 1 --ops 1000 --csv "$T/link"
one_line "link: is a symbolic link" "--csv refuses the symlink"
[ "$(cat "$T/target")" = original ] && ok || bad "--csv wrote through the symlink"

# B4: report --out and gen -o never rename over a device, FIFO or symlink
for target in "$T/link" "$T/fifo" $dev; do
	before=$(kind "$target")
	expect 2 "report --out $(basename "$target")" -- $OB report --csv "$T/rows.csv" --out "$target" --plots "$T/none"
	one_line "$(basename "$target"): is a" "report --out says what the path is"
	[ "$(kind "$target")" = "$before" ] && ok || bad "report --out replaced $target ($before)"
	expect 2 "gen -o $(basename "$target")" -- timeout 20 $OB gen uspr -n 10 -o "$target"
	one_line "$(basename "$target"): is a" "gen -o says what the path is"
	[ "$(kind "$target")" = "$before" ] && ok || bad "gen -o replaced $target ($before)"
done
[ "$(cat "$T/target")" = original ] && ok || bad "the symlink's target was changed"
[ -z "$dev" ] && echo "outputs: mknod not permitted; the device-node case is covered by /dev/full above"
expect 2 "report --out a directory" -- $OB report --csv "$T/rows.csv" --out "$T/dir" --plots "$T/none"
one_line "dir: is a directory" "report --out names the directory"
[ -z "$(ls "$T/dir")" ] && ok || bad "report left files in the directory"
# a regular file is replaced, and nothing temporary is left beside it
expect 0 "report --out a regular file" -- $OB report --csv "$T/rows.csv" --out "$T/target" --plots "$T/none"
grep -q "go/no-go report" "$T/target" && ok || bad "the report was not written"
[ "$(ls "$T" | grep -c '^target')" -eq 1 ] && ok || bad "a temporary file left: $(ls "$T")"

# B17: the header is checked and written under a lock.  Another writer
# holds the lock on the new, empty CSV and writes the header itself a
# moment later: the run must wait for it, then append rows only.
head -1 "$T/rows.csv" >"$T/header"
: >"$T/race.csv"
flock "$T/race.csv" -c "sleep 1; cat '$T/header' >>'$T/race.csv'" &
locker=$!
sleep 0.3
expect 0 "append while another writer holds the CSV" -- $OB run --index binsearch --data "$T/u_uint64" --reps 2 --ops 1000 --csv "$T/race.csv"
wait $locker
[ "$(grep -c '^timestamp,' "$T/race.csv")" -eq 1 ] && ok || bad "the header written twice"
[ "$(wc -l <"$T/race.csv")" -eq 3 ] && ok || bad "header and two rows expected"
# ...and two runs started together on a new CSV: one header, every row
for trial in 1 2 3; do
	for k in 1 2; do
		$OB run --index binsearch --data "$T/u_uint64" --reps 8 --ops 200 --csv "$T/both$trial.csv" >/dev/null &
	done
	wait
done
expect 0 "two runs at once: one header, 16 rows (3 trials)" -- true
for trial in 1 2 3; do
	[ "$(grep -c '^timestamp,' "$T/both$trial.csv")" -eq 1 ] && [ "$(wc -l <"$T/both$trial.csv")" -eq 17 ] &&
		ok || bad "trial $trial: $(grep -c '^timestamp,' "$T/both$trial.csv") headers, $(wc -l <"$T/both$trial.csv") lines"
done
finish
