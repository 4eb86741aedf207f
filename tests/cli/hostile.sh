#!/usr/bin/env bash
# tests/cli/hostile.sh — hostile input from the reliability review (B7-B10,
# B13-B16, B19, B20): never a crash, hang, silent cut or silent default;
# one line on stderr that names the problem, and exit 2.
set -u
. "$(dirname "$0")/lib.sh"

$OB gen uspr -n 20K -o "$T/u_uint64" >/dev/null
python3 -c "import struct; open('$T/empty_uint64','wb').write(struct.pack('<Q', 0))"
python3 -c "import struct; open('$T/one_uint64','wb').write(struct.pack('<QQ', 1, 7))"
python3 -c "import struct; open('$T/same_uint64','wb').write(struct.pack('<Q', 1000) + struct.pack('<Q', 7) * 1000)"
U=$T/u_uint64
run() { $OB run --index btree --data "$U" --reps 1 --ops 1000 "$@"; }

# B7: seq-ooo where a thread's share is empty read before its buffer
expect 0 "seq-ooo, 2 threads on 1 key" -- $OB run --index btree --data "$T/one_uint64" \
	--workload seq-ooo:scan=0:load=0:ooo=1 --threads 2 --reps 1
expect 2 "seq-ooo on an empty data set" -- $OB run --index btree --data "$T/empty_uint64" --workload seq-ooo --reps 1
one_line "empty data set" "seq-ooo refuses the empty set"

# B8: N^E: 0^E is 0 (no division by zero), 1^E is 1 at once (no loop)
expect 2 "--ops 0^5 is 0, out of range" -- run --ops 0^5
one_line "--ops must be a count" "0^5 read as 0"
expect 0 "--reps 1^99999999999 is 1, at once" -- timeout 20 $OB run --index btree --data "$U" --ops 1000 --reps 1^99999999999
expect 2 "gen -n 0^2 on, -n 2^99999999999 off" -- timeout 20 $OB gen uspr -n 2^99999999999 -o "$T/big_uint64"
one_line "is not a count" "2^99999999999 refused"
expect 2 "rmi:branch=0^3" -- run --index rmi:branch=0^3
one_line "branch=0^3 is out of range" "0^3 is 0 for a parameter too"
expect 0 "pgm:eps=1^99999999999" -- timeout 20 $OB run --index pgm:eps=1^99999999999 --data "$U" --reps 1 --ops 1000

# B9: a FIFO is refused at once, not waited on
mkfifo "$T/f_uint64"
expect 2 "check a FIFO" -- timeout 20 $OB check "$T/f_uint64"
one_line "f_uint64: not a regular file" "check names the FIFO"
expect 2 "run on a FIFO" -- timeout 20 $OB run --index binsearch --data "$T/f_uint64"
one_line "f_uint64: not a regular file" "run names the FIFO"

# B10: --mode and --threads: no empty list, nothing past 127 characters dropped
expect 2 "--mode ," -- run --mode ,
one_line "--mode: empty list" "--mode empty"
expect 2 "--threads ''" -- run --threads ''
one_line "--threads: empty list" "--threads empty"
expect 2 "--mode, bad item past 127 characters" -- run --mode "$(printf 'batch,%.0s' $(seq 21)),bogus"
one_line "--mode 'bogus'" "the item past 127 characters read"
expect 2 "--threads, bad count past 127 characters" -- run --threads "$(printf '0%.0s' $(seq 125))1,,0"
one_line "--threads '0'" "the count past 127 characters read"

# B13: a parameter given twice
expect 2 "pgm:eps=16:eps=32" -- run --index pgm:eps=16:eps=32
one_line "'eps' given twice" "repeated parameter"

# B14: a path longer than the system takes is refused, never cut to another
long=$(python3 -c "print('./' * 499 + '$U')")
expect 2 "a 1000-character path to a file that does not exist" -- $OB check "${long}_DOES_NOT_EXIST"
one_line "No such file" "not cut to the existing file"
longer=$(python3 -c "print('./' * 2100 + '$U')")
expect 2 "a path past PATH_MAX" -- $OB check "$longer"
one_line "path too long" "too long, said so"
expect 2 "--dir past PATH_MAX" -- run --index lmdb --dir "$longer"
one_line "path too long" "--dir too long"
expect 2 "gen -o past PATH_MAX" -- $OB gen uspr -n 10 -o "$longer"
one_line "path too long" "gen -o too long"

# B15: a 100 KB name: the line still says what is wrong with it
huge=$(python3 -c "print('a' * 100000)")
expect 2 "100 KB --data" -- run --data "$huge"
one_line "characters): no such data set" "--data: the problem stated"
expect 2 "100 KB --csv" -- run --csv "$T/$huge"
one_line "characters)" "--csv: the name shortened"
expect 2 "100 KB check" -- $OB check "$huge"
one_line "no such data set" "check: the problem stated"
expect 2 "100 KB report --csv" -- $OB report --csv "$huge"
one_line "characters): File name too long" "report --csv: the problem stated"
expect 2 "100 KB parameter value" -- run --index "pgm:search=$huge"
one_line "too long" "a long parameter: the problem stated"
[ "$(wc -c <"$T/err")" -lt 600 ] && ok || bad "a 100 KB name printed whole: $(wc -c <"$T/err") bytes"

# B16: "pgm:" is pgm with its defaults; parameters on all/@family are refused
expect 0 "pgm:" -- run --index pgm:
contains "$T/out" "pgm:eps=" "pgm: ran with its defaults"
expect 2 "all:eps=16" -- run --index all:eps=16
one_line "parameters go with one index name" "parameters on all"
expect 2 "--exclude everything" -- run --index btree --exclude btree
one_line "--exclude left no index" "the exclusion named"

# B19: one line each, the problem first, with where to look
expect 2 "no command" -- $OB
one_line "missing command" "no command"
expect 2 "unknown command" -- $OB frobnicate
one_line "unknown command 'frobnicate'.*--help" "unknown command"
expect 2 "list --bogus" -- $OB list --bogus
one_line "list: unknown option '--bogus'" "list option"
expect 2 "run --bogus" -- $OB run --bogus
one_line "run: unknown option '--bogus'" "run option"
expect 2 "run --index without a value" -- $OB run --index
one_line "option --index needs a value" "missing value"
expect 2 "run without --data" -- $OB run --index btree
one_line "--index and --data are required" "required options"
expect 2 "gen without -n" -- $OB gen uspr
one_line "gen: need one KIND and -n N" "gen usage"
expect 2 "check without a file" -- $OB check
one_line "check: need one DATASET" "check usage"
expect 2 "convert without arguments" -- $OB convert
one_line "convert: need" "convert usage"
head -c 20000 /dev/urandom | tr '\n' ',' | fold -w 300 >"$T/garbage.csv"
expect 2 "report on garbage" -- $OB report --csv "$T/garbage.csv" --out "$T/g.md"
one_line "missing required columns" "report: the error only"

# B20: write workloads on nothing to write refuse as the read ones do
for w in insert mixed seq-append ycsb-e; do
	expect 2 "$w on an empty data set" -- $OB run --index btree --data "$T/empty_uint64" --workload $w --reps 1 --csv "$T/e.csv"
	one_line "empty data set" "$w refuses the empty set"
done
[ ! -s "$T/e.csv" ] || [ "$(wc -l <"$T/e.csv")" -eq 1 ] && ok || bad "rows written for an empty data set"
expect 2 "insert with every key loaded" -- $OB run --index btree --data "$T/same_uint64" --workload insert --reps 1
one_line "no operations to run" "insert on 1 distinct key"
finish
