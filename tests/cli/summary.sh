#!/usr/bin/env bash
# tests/cli/summary.sh — `omenbench summary` and `omenbench list --tsv` as
# scripts call them: the TSV's header and columns, the excluded rows
# counted on stderr, --out replacing a file whole, and bad input refused
# with one line and exit 2.  The rules themselves are tests/test_summary.c's.
set -u
. "$(dirname "$0")/lib.sh"

cat >"$T/r.csv" <<'EOF'
dataset,n_keys,index,family,params,workload,wparams,mode,threads,rep,ns_per_op,mops,valid
d_1M,1000000,btree,tree,node=16:fill=1.0:prefetch=0:append=1,point,batch=1,batch,1,1,40,25,1
d_1M,1000000,btree,tree,node=16:fill=1.0:prefetch=0:append=1,point,batch=1,batch,1,2,42,24,1
d_1M,1000000,btree,tree,node=32:fill=1.0:prefetch=0:append=1,point,batch=1,batch,1,1,30,33,1
d_1M,1000000,btree,tree,node=32:fill=1.0:prefetch=0:append=1,point,batch=1,batch,1,2,1,999,0
EOF

expect 0 "summary of a small CSV" -- $OB summary --csv "$T/r.csv"
head -1 "$T/out" | grep -q "^dataset	n_keys	workload	wparams	wlabel	" && ok || bad "TSV header"
[ "$(wc -l <"$T/out")" = 3 ] && ok || bad "one line per configuration: $(cat "$T/out")"
awk -F'\t' 'NR == 1 { n = NF } NF != n { exit 1 }' "$T/out" && ok || bad "every line as many fields as the header"
# columns by name, as the scripts read them
col() { awk -F'\t' -v c="$1" -v l="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i } $0 ~ l { print $k }' "$T/out"; }
[ "$(col label node=32)" = "btree:node=32" ] && ok || bad "label keeps only the non-default node=32"
[ "$(col label 'node=16')" = "btree" ] && ok || bad "label of all-default btree"
[ "$(col ns_median node=16)" = 41 ] && ok || bad "median of 40 and 42"
[ "$(col best node=32)" = 1 ] && ok || bad "node=32 best once its 1 ns invalid row is left out"
contains "$T/err" "1 row with valid != 1 left out" "the invalid row is counted on stderr"

expect 0 "summary --out" -- $OB summary --csv "$T/r.csv" --out "$T/s.tsv"
[ -s "$T/s.tsv" ] && [ ! -s "$T/out" ] && ok || bad "--out writes the file, not stdout"

expect 2 "summary of a missing CSV" -- $OB summary --csv "$T/none.csv"
one_line "none.csv" "names the missing file"
expect 2 "summary with an unknown option" -- $OB summary --bogus
one_line "unknown argument '--bogus'" "names the option"
expect 2 "summary --csv without a value" -- $OB summary --csv
one_line "needs a value" "says the value is missing"
echo "dataset,index,ns_per_op" >"$T/old.csv"
expect 2 "summary of a CSV without the needed columns" -- $OB summary --csv "$T/old.csv"
one_line "missing required columns" "names the missing columns"
expect 2 "summary --out a directory" -- $OB summary --csv "$T/r.csv" --out "$T"
one_line "is a directory" "refuses a directory"

# list --tsv: one line per index, workload and generator, with its parameters
# and defaults, and a workload's kind (writes, sequential) from the registry
expect 0 "list --tsv" -- $OB list --tsv
head -1 "$T/out" | grep -q "^kind	name	family	caps	params	description$" && ok || bad "list --tsv header"
grep -q "^index	btree	tree	ordered,insert,duplicates,concurrent-read	node=16:fill=1.0:prefetch=0:append=1	cache-conscious" "$T/out" &&
	ok || bad "btree's line: $(grep btree "$T/out")"
grep -q "^workload	point	-	-	dist=uniform:" "$T/out" && ok || bad "point's line"
grep -q "^workload	seq-append	-	ordered,insert,writes,sequential	" "$T/out" && ok || bad "a workload's kind from the registry"
grep -q "^generator	uspr	" "$T/out" && ok || bad "a generator line"
awk -F'\t' 'NF != 6 { exit 1 }' "$T/out" && ok || bad "six fields on every line"
expect 0 "list --indexes --tsv" -- $OB list --indexes --tsv
awk -F'\t' 'NR > 1 && $1 != "index" { exit 1 }' "$T/out" && ok || bad "--indexes --tsv lists indexes only"

finish
