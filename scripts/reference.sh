#!/usr/bin/env bash
# scripts/reference.sh — our learned indexes against the authors' own code,
# in one run of one harness: `pgm` next to the authors' PGM-index (`refpgm`)
# and `rs` next to the authors' RadixSpline (`refrs`), at the issue's
# configurations and at our best ones, on 10M uspr and logn keys, with
# binsearch in the same run for the ratios.  Every answer is checked.
#
#   REF_PGM=dir REF_RS=dir scripts/reference.sh   measure: results/reference.csv,
#                                                 results/reference-sources.txt,
#                                                 then the README block
#   scripts/reference.sh table                    only the README block, from the CSV
#
# REF_PGM and REF_RS are checkouts of https://github.com/gvinciguerra/PGM-index
# and https://github.com/learnedsystems/RadixSpline (not fetched here: this
# project's machines reach only Debian and npm).  results/reference-sources.txt
# lists the sha1 of every header the committed run compiled, to check a
# checkout against.
set -euo pipefail
cd "$(dirname "$0")/.."
CSV=results/reference.csv
SOURCES=results/reference-sources.txt
README=README.md
N=${N:-10M}
INDEXES="binsearch,pgm:eps=16/64,refpgm:eps=16/64,pgm:eps=8:eps_rec=7:search=linear,refpgm:eps=8,rs,refrs,rs:err=8:radix_bits=20:search=linear,refrs:err=8:radix_bits=20"

measure() {
	local pgm=${REF_PGM:-../PGM-index} rs=${REF_RS:-../RadixSpline}
	[ -f "$pgm/include/pgm/pgm_index.hpp" ] && [ -f "$rs/include/rs/radix_spline.h" ] || {
		echo "reference: set REF_PGM and REF_RS to checkouts of gvinciguerra/PGM-index and learnedsystems/RadixSpline (now $pgm and $rs)" >&2
		exit 2
	}
	make -s build/reference/omenbench REF_PGM="$pgm" REF_RS="$rs" omenbench
	local ob=build/reference/omenbench
	for set in uspr logn; do
		[ -f "datasets/${set}_${N}_uint64" ] || ./omenbench gen "$set" -n "$N" >/dev/null
	done
	{
		echo "# headers build/reference/omenbench compiled for results/reference.csv (sha1, path under the checkout)"
		(cd "$pgm" && sha1sum include/pgm/*.hpp | sed 's|  |  PGM-index/|')
		(cd "$rs" && sha1sum include/rs/*.h | sed 's|  |  RadixSpline/|')
	} >"$SOURCES"
	rm -f "$CSV"
	$ob run --index "$INDEXES" --data "uspr_${N}_uint64,logn_${N}_uint64" --workload point \
		--ops 500K --reps 5 --csv "$CSV"
}

# The README block: per data set, each configuration's median ns/lookup over
# the repetitions [min .. max], its ratio to binsearch's median, and its
# median build time.
table() {
	[ -f "$CSV" ] || { echo "reference: $CSV not found (run with REF_PGM and REF_RS set)" >&2; exit 2; }
	local block
	block=$(mktemp)
	awk -F, -v order="$INDEXES" '
	function median(list,   n, a, i, j, t) {
		n = split(list, a, " ")
		for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{
		d = $col["dataset"]; ix = $col["index"] " `" $col["params"] "`"
		if (!(d in seen_d)) { seen_d[d] = 1; ds[++nd] = d }
		if (!((d, ix) in seen)) { seen[d, ix] = 1; rows[d, ++nr[d]] = ix }
		ns[d, ix] = ns[d, ix] " " $col["ns_per_op"]
		bt[d, ix] = bt[d, ix] " " $col["build_ns"]
		if (!((d, ix) in lo) || $col["ns_per_op"] + 0 < lo[d, ix]) lo[d, ix] = $col["ns_per_op"] + 0
		if ($col["ns_per_op"] + 0 > hi[d, ix]) hi[d, ix] = $col["ns_per_op"] + 0
		if ($col["valid"] != 1) bad[d, ix] = 1
		if ($col["index"] == "binsearch") base[d] = base[d] " " $col["ns_per_op"]
		commit = $col["commit"]; cpu = $col["cpu"]
	}
	END {
		printf "From `scripts/reference.sh` (commit %s, %s, 2-core VM):\n\n", commit, cpu
		for (k = 1; k <= nd; k++) {
			d = ds[k]; b = median(base[d])
			printf "`%s`:\n\n| index | ns/lookup [min .. max] | ratio to binsearch | build ms |\n|---|---:|---:|---:|\n", d
			for (r = 1; r <= nr[d]; r++) {
				ix = rows[d, r]; m = median(ns[d, ix])
				printf "| %s%s | %.1f [%.1f .. %.1f] | %.2f | %.0f |\n", ix, ((d, ix) in bad ? " (WRONG ANSWERS)" : ""), m, lo[d, ix], hi[d, ix], m / b, median(bt[d, ix]) / 1e6
			}
			printf "\n"
		}
	}' "$CSV" >"$block"
	awk -v blockfile="$block" '
		/<!-- reference:begin -->/ { print; while ((getline line < blockfile) > 0) print line; skip = 1; next }
		/<!-- reference:end -->/ { skip = 0 }
		!skip { print }' "$README" >"$README.tmp" && mv "$README.tmp" "$README"
	rm -f "$block"
	grep -q '<!-- reference:begin -->' "$README" || echo "reference: no <!-- reference:begin --> marker in $README; table not written" >&2
}

case ${1:-run} in
run) measure; table ;;
table) table ;;
*) echo "usage: [REF_PGM=dir REF_RS=dir] scripts/reference.sh [run|table]" >&2; exit 2 ;;
esac
