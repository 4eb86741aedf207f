#!/usr/bin/env bash
# scripts/plots.sh — the benchmark's plots, from the results CSV.
#
#   scripts/plots.sh results/bench.csv results/plots
#
# Writes NAME.png (pngcairo) and NAME.svg for every plot whose data is in the
# CSV, plus NAME.txt holding a one-line caption that `omenbench report` puts
# under the image.  A plot whose data is absent is skipped with a note.
#
# The figures come from `omenbench summary` (report/summary.h): one line
# per configuration (index + params) with its median, min and max over the
# repetitions, from valid rows only, by the rules the report uses.  This
# script selects and draws; "best configuration" of an index is the one with
# the lowest ns per operation (highest Mops/s for throughput plots).
# OMENBENCH names the binary (default: the repository's ./omenbench).
#
#   lookup_DATASET    ns per lookup per index (workload point, batch=1, batch
#                     timing, 1 thread: batch=16 rows, a workload of their own
#                     in the report, never enter a point plot)
#   pareto_DATASET    index size vs lookup ns, one line per index through its
#                     configurations (SOSD's main figure)
#   latency_DATASET   p50 / p99 / p99.9 per index (sampled mode, point)
#   writes_DATASET    Mops/s vs read fraction (workload mixed, read=R)
#   nkeys_KIND        ns per lookup vs number of keys (same data set kind,
#                     e.g. uspr_1M_uint64 and uspr_10M_uint64 -> uspr_uint64)
#   build_DATASET     build time of each index's best lookup configuration
#   decide_WL_DATASET ns per operation per index on each of the verdict's
#                     other experiments: every workload label but point
#                     (point-grown, insert, mixed:read=0, seq-append:read=0...)
#   threads_DATASET   Mops/s vs threads per index (workload point, batch)
set -euo pipefail

if [ $# -ne 2 ] || [ "$1" = --help ] || [ "$1" = -h ]; then
	echo "usage: scripts/plots.sh RESULTS.csv PLOT_DIR" >&2
	[ $# -eq 1 ] && { [ "$1" = --help ] || [ "$1" = -h ]; } && exit 0
	exit 1
fi
csv=$1 out=$2
[ -r "$csv" ] || { echo "plots.sh: cannot read $csv" >&2; exit 1; }
command -v gnuplot >/dev/null || { echo "plots.sh: gnuplot not installed (scripts/deps.sh)" >&2; exit 1; }
omenbench=${OMENBENCH:-$(dirname "$0")/../omenbench}
[ -x "$omenbench" ] || { echo "plots.sh: $omenbench not built (make omenbench)" >&2; exit 1; }
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- 1. the summary -> one line per configuration, fixed columns ----------
# configs.tsv: dataset n_keys index family params workload wparams mode threads
#              ns_med ns_min ns_max mops_med p50 p99 p999 build index_bytes
#              total_bytes reps wlabel best
# wlabel is the workload with only its non-default parameters ("point" is
# uniform lookups of present keys, one at a time), from the registry.
# The summary says on stderr what it left out (invalid rows, cut lines).
"$omenbench" summary --csv "$csv" >"$tmp/summary.tsv" || exit 1
awk -F'\t' -v OFS='\t' '
NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
function get(name) { return $(col[name]) }
get("ns_median") == "NA" && get("p99") == "NA" && get("mops") == "NA" { next }
{
	print get("dataset"), get("n_keys"), get("index"), get("family"), get("params"),
	      get("workload"), get("wparams"), get("mode"), get("threads"),
	      get("ns_median"), get("ns_min"), get("ns_max"), get("mops"), get("p50"),
	      get("p99"), get("p999"), get("build_ns"), get("index_bytes"),
	      get("total_bytes"), get("rows"), get("wlabel"), get("best")
}' "$tmp/summary.tsv" >"$tmp/configs.tsv"

if [ ! -s "$tmp/configs.tsv" ]; then
	echo "plots.sh: no valid rows in $csv; no plots" >&2
	exit 0
fi

note() { echo "plots.sh: $*" >&2; }
safe() { printf '%s' "$1" | tr -c 'A-Za-z0-9._-' '_'; }

# Common gnuplot preamble; $1 = output base path (no extension), $2 = title.
preamble() {
	cat <<EOF
set termoption noenhanced
set title "$2"
set key outside right top box
set grid ytics xtics lc rgb "#dddddd"
set border 3
set tics nomirror
EOF
}

# Runs a gnuplot body once for PNG and once for SVG; $1 = base name,
# $2 = caption, stdin = the gnuplot commands after the terminal.
render() {
	local name=$1 caption=$2 body
	body=$(cat)
	if gnuplot <<EOF 2>"$tmp/gnuplot.err"
set terminal pngcairo size 1100,650 font "sans,11"
set output "$out/$name.png"
$body
set terminal svg size 1100,650 font "sans,11" dynamic
set output "$out/$name.svg"
replot
EOF
	then
		printf '%s\n' "$caption" >"$out/$name.txt"
	else
		note "gnuplot failed on $name:"; sed 's/^/    /' "$tmp/gnuplot.err" >&2
		rm -f "$out/$name.png" "$out/$name.svg"
	fi
}

datasets=$(cut -f1 "$tmp/configs.tsv" | sort -V -u)

# Family order and colours, the same in every plot.
fam_color() {
	case $1 in
	baseline) echo '#7f7f7f' ;; tree) echo '#1f77b4' ;; learned) echo '#d62728' ;;
	hash) echo '#2ca02c' ;; trie) echo '#9467bd' ;; engine) echo '#ff7f0e' ;;
	*) echo '#17becf' ;;
	esac
}
families="baseline tree learned hash trie engine"

# best_per_index FILTER-AWK-CONDITION: each index's best configuration
# (best=1 in the summary) among configs.tsv lines matching the condition,
# which must select one experiment, in family then name order.  Output:
# x index family params ns_med ns_min ns_max p50 p99 p999 build reps mops
best_per_index() {
	awk -F'\t' -v OFS='\t' -v fams="$families" "
	BEGIN { n = split(fams, f, \" \"); for (i = 1; i <= n; i++) rank[f[i]] = i }
	($1) && \$22 == 1 {
		print ((\$4 in rank) ? rank[\$4] : 9), \$3, \$3 OFS \$4 OFS \$5 OFS \$10 OFS \$11 OFS \$12 OFS \$14 OFS \$15 OFS \$16 OFS \$17 OFS \$20 OFS \$13
	}" "$tmp/configs.tsv" | sort -t$'\t' -k1,1n -k2,2 | cut -f3- | awk -F'\t' -v OFS='\t' '{ print NR, $0 }'
}

# bars NAME WLABEL DATASET TITLE CAPTION: ns per operation of each index's
# best configuration on one experiment (workload label WLABEL, batch
# timing, 1 thread), median with min-max bars, log scale, family colours.
bars() {
	local name=$1 wl=$2 ds=$3 title=$4 caption=$5
	best_per_index "\$1 == \"$ds\" && \$21 == \"$wl\" && \$8 == \"batch\" && \$9 == 1" >"$tmp/bars.dat"
	[ -s "$tmp/bars.dat" ] || return 1
	local plot="" sep="" fam n
	for fam in $families other; do
		awk -F'\t' -v f="$fam" -v fams="$families" '
			BEGIN { known = " " fams " " }
			(f == "other" && index(known, " " $3 " ") == 0) || $3 == f' \
			"$tmp/bars.dat" >"$tmp/bars_$fam.dat"
		[ -s "$tmp/bars_$fam.dat" ] || continue
		plot+="$sep'$tmp/bars_$fam.dat' using 1:5:6:7:xtic(2) with yerrorbars pt 7 ps 1.5 lw 2 lc rgb '$(fam_color $fam)' title '$fam'"
		plot+=", '' using 1:5:(sprintf('%.0f', \$5)) with labels offset 0,1.2 notitle"
		sep=", "
	done
	n=$(wc -l <"$tmp/bars.dat")
	{ preamble "$out/$name" "$title"
	  cat <<EOF
set ylabel "ns per operation (median over repetitions, bars: min-max; log scale)"
set logscale y
set xrange [0.5:$n + 0.5]
set xtics rotate by -30
set bmargin 6
plot $plot
EOF
	} | render "$name" "$caption"
}

# The experiments the verdict's questions rest on besides plain lookups:
# every other workload label the data set ran in batch mode on 1 thread
# (lookups after inserts, inserts, mixes, the time-series workloads, each
# parameter variant such as seq-append:read=0), as the decision tables list
# them.
decide_workloads() {
	awk -F'\t' -v ds="$1" '$1 == ds && $8 == "batch" && $9 == 1 && $21 != "point" { print $21 }' \
		"$tmp/configs.tsv" | sort -u
}

for ds in $datasets; do
	sds=$(safe "$ds")
	# ---- lookup ns per index --------------------------------------------
	bars "lookup_$sds" point "$ds" "$ds: ns per lookup (point workload, batch=1, 1 thread)" \
		"$ds: ns per lookup of each index's best configuration (workload point with batch=1: one lookup at a time, batch timing, 1 thread); point = median over repetitions, bars = min-max, log scale." ||
		note "lookup_$sds skipped: no valid point/batch/1-thread rows for $ds"
	cp "$tmp/bars.dat" "$tmp/lookup.dat" # the build plot reads the same configurations
	for wl in $(decide_workloads "$ds"); do
		bars "decide_$(safe "$wl")_$sds" "$wl" "$ds" "$ds: ns per operation, $wl (batch, 1 thread)" \
			"$ds: ns per operation of each index's best configuration on \`$wl\` (parameters not named are the workload's defaults; batch timing, 1 thread), an experiment the verdict reads; point = median over repetitions, bars = min-max, log scale." || true
	done

	# ---- Pareto: size vs ns, one line per index --------------------------
	awk -F'\t' -v OFS='\t' -v ds="$ds" '
		$1 == ds && $21 == "point" && $8 == "batch" && $9 == 1 && $10 != "NA" {
			size = ($18 != "NA" && $18 > 0) ? $18 : "NA"
			print $3, $4, $5, size, $10
		}' "$tmp/configs.tsv" | sort -t$'\t' -k1,1 -k4,4g >"$tmp/pareto.all"
	if [ -s "$tmp/pareto.all" ] && awk -F'\t' '$4 != "NA" { ok = 1 } END { exit !ok }' "$tmp/pareto.all"; then
		plot="" sep="" i=0
		for ix in $(cut -f1 "$tmp/pareto.all" | sort -u); do
			i=$((i + 1))
			fam=$(awk -F'\t' -v x="$ix" '$1 == x { print $2; exit }' "$tmp/pareto.all")
			awk -F'\t' -v x="$ix" '$1 == x && $4 != "NA"' "$tmp/pareto.all" >"$tmp/pareto_$i.dat"
			if [ -s "$tmp/pareto_$i.dat" ]; then
				plot+="$sep'$tmp/pareto_$i.dat' using 4:5 with linespoints lw 2 pt $(( (i % 12) + 1 )) ps 1.3 lc rgb '$(fam_color "$fam")' dt $(( (i % 5) + 1 )) title '$ix ($fam)'"
			else
				# No size: a structure-free baseline; a horizontal line.
				ns=$(awk -F'\t' -v x="$ix" '$1 == x { print $5; exit }' "$tmp/pareto.all")
				plot+="$sep$ns with lines lw 2 dt 2 lc rgb '$(fam_color "$fam")' title '$ix (no index bytes)'"
			fi
			sep=", "
		done
		{ preamble "$out/pareto_$sds" "$ds: index size vs lookup time (every configuration)"
		  cat <<EOF
set xlabel "index size, bytes (index_bytes, log scale)"
set ylabel "ns per lookup (median; log scale)"
set logscale xy
set format x "%.0s%cB"
plot $plot
EOF
		} | render "pareto_$sds" "$ds: size of the index structure (index_bytes, log) against median ns per lookup, one line per index through its configurations (workload point with batch=1, batch timing, 1 thread); lower-left is better."
	else
		note "pareto_$sds skipped: no point/batch rows with index_bytes for $ds"
	fi

	# ---- latency percentiles (sampled) -----------------------------------
	awk -F'\t' -v OFS='\t' -v ds="$ds" '
		$1 == ds && $21 == "point" && ($8 == "sampled" || $8 == "dependent") && $9 == 1 && $15 != "NA" {
			if (!($3 in best) || $15 + 0 < best[$3]) { best[$3] = $15 + 0; line[$3] = $3 OFS $14 OFS $15 OFS $16 }
		}
		END { for (ix in line) print line[ix] }' "$tmp/configs.tsv" | sort >"$tmp/latency.dat"
	if [ -s "$tmp/latency.dat" ]; then
		{ preamble "$out/latency_$sds" "$ds: latency percentiles (point workload, sampled operations, 1 thread)"
		  cat <<EOF
set ylabel "ns per operation (median over repetitions; log scale)"
set logscale y
set yrange [1:*]
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set xtics rotate by -30
set bmargin 6
plot '$tmp/latency.dat' using 2:xtic(1) title 'p50' lc rgb '#9ecae1', \
     '' using 3 title 'p99' lc rgb '#3182bd', \
     '' using 4 title 'p99.9' lc rgb '#08519c'
EOF
		} | render "latency_$sds" "$ds: p50, p99 and p99.9 latency of single lookups per index (sampled mode, workload point, 1 thread; each index's configuration with the lowest p99; median over repetitions; log scale)."
	else
		note "latency_$sds skipped: no sampled point rows for $ds"
	fi

	# ---- writes: Mops vs read fraction -----------------------------------
	awk -F'\t' -v OFS='\t' -v ds="$ds" '
		$1 == ds && $6 == "mixed" && $8 == "batch" && $9 == 1 && $13 != "NA" {
			r = "NA"
			n = split($7, kv, ":")
			for (i = 1; i <= n; i++) if (kv[i] ~ /^read=/) r = substr(kv[i], 6)
			if (r == "NA") next
			k = $3 OFS r
			if (!(k in best) || $13 + 0 > best[k]) { best[k] = $13 + 0; fam[k] = $4 }
		}
		END { for (k in best) print k, best[k], fam[k] }' "$tmp/configs.tsv" | sort -t$'\t' -k1,1 -k2,2g >"$tmp/writes.all"
	if [ -s "$tmp/writes.all" ]; then
		plot="" sep="" i=0
		for ix in $(cut -f1 "$tmp/writes.all" | sort -u); do
			i=$((i + 1))
			awk -F'\t' -v x="$ix" '$1 == x' "$tmp/writes.all" >"$tmp/writes_$i.dat"
			fam=$(cut -f4 "$tmp/writes_$i.dat" | head -n1)
			plot+="$sep'$tmp/writes_$i.dat' using 2:3 with linespoints lw 2 pt $(( (i % 12) + 1 )) ps 1.3 lc rgb '$(fam_color "$fam")' dt $(( (i % 5) + 1 )) title '$ix ($fam)'"
			sep=", "
		done
		{ preamble "$out/writes_$sds" "$ds: throughput vs read fraction (workload mixed, batch, 1 thread)"
		  cat <<EOF
set xlabel "reads, % of operations (rest are inserts)"
set ylabel "Mops/s (median over repetitions; log scale)"
set logscale y
set xrange [-5:105]
plot $plot
EOF
		} | render "writes_$sds" "$ds: million operations per second against the share of reads in workload mixed (read=R), each index's best configuration per point (batch mode, 1 thread, median over repetitions, log scale)."
	else
		note "writes_$sds skipped: no mixed-workload rows with read=R for $ds"
	fi

	# ---- build time ----------------------------------------------------
	awk -F'\t' -v OFS='\t' '$11 != "NA" { print $1, $2, $3, $11 / 1e9 }' "$tmp/lookup.dat" >"$tmp/build.dat" 2>/dev/null || true
	if [ -s "$tmp/build.dat" ]; then
		{ preamble "$out/build_$sds" "$ds: build time (bulk load) per index"
		  cat <<EOF
set ylabel "seconds to create and bulk-load (median; log scale)"
unset key
set logscale y
set style fill solid 0.8 border -1
set boxwidth 0.7
set xtics rotate by -30
set bmargin 6
set yrange [*:*]
plot '$tmp/build.dat' using 1:4:xtic(2) with boxes lc rgb '#3182bd' notitle, \
     '' using 1:4:(sprintf('%.3g', \$4)) with labels offset 0,0.8 notitle
EOF
		} | render "build_$sds" "$ds: seconds to create and bulk-load each index, for the configuration shown in the lookup plot (median over repetitions, log scale)."
	else
		note "build_$sds skipped: no build_ns for $ds"
	fi

	# ---- threads scaling -------------------------------------------------
	awk -F'\t' -v OFS='\t' -v ds="$ds" '
		$1 == ds && $21 == "point" && $8 == "batch" && $13 != "NA" {
			k = $3 OFS $9
			if (!(k in best) || $13 + 0 > best[k]) { best[k] = $13 + 0; fam[k] = $4 }
			th[$9] = 1
		}
		END { for (t in th) nth++; if (nth < 2) exit; for (k in best) print k, best[k], fam[k] }' \
		"$tmp/configs.tsv" | sort -t$'\t' -k1,1 -k2,2n >"$tmp/threads.all"
	if [ -s "$tmp/threads.all" ]; then
		plot="" sep="" i=0
		for ix in $(cut -f1 "$tmp/threads.all" | sort -u); do
			i=$((i + 1))
			awk -F'\t' -v x="$ix" '$1 == x' "$tmp/threads.all" >"$tmp/threads_$i.dat"
			fam=$(cut -f4 "$tmp/threads_$i.dat" | head -n1)
			plot+="$sep'$tmp/threads_$i.dat' using 2:3 with linespoints lw 2 pt $(( (i % 12) + 1 )) ps 1.3 lc rgb '$(fam_color "$fam")' dt $(( (i % 5) + 1 )) title '$ix ($fam)'"
			sep=", "
		done
		{ preamble "$out/threads_$sds" "$ds: throughput vs threads (point workload, batch)"
		  cat <<EOF
set xlabel "threads"
set ylabel "Mops/s, all threads (median; log scale)"
set logscale y
set xtics 1
set xrange [0.5:*]
plot $plot
EOF
		} | render "threads_$sds" "$ds: million lookups per second over all threads against the number of threads, each index's best configuration (workload point, batch mode, median over repetitions, log scale)."
	else
		note "threads_$sds skipped: fewer than two thread counts for $ds"
	fi
done

# ---- ns per lookup vs n_keys, per data set kind ---------------------------
# The kind is the name without its size token: uspr_10M_uint64 -> uspr_uint64.
awk -F'\t' -v OFS='\t' '
	$21 == "point" && $8 == "batch" && $9 == 1 && $10 != "NA" && $2 != "NA" {
		n = split($1, part, "_"); kind = ""
		for (i = 1; i <= n; i++) if (part[i] !~ /^[0-9]+[KMGB]?$/) kind = kind (kind == "" ? "" : "_") part[i]
		k = kind OFS $3 OFS $2
		if (!(k in best) || $10 + 0 < best[k]) { best[k] = $10 + 0; fam[k] = $4 }
		sizes[kind, $2] = 1
	}
	END {
		for (s in sizes) { split(s, ks, SUBSEP); count[ks[1]]++ }
		for (k in best) { split(k, p, OFS); if (count[p[1]] >= 2) print k, best[k], fam[k] }
	}' "$tmp/configs.tsv" | sort -t$'\t' -k1,1 -k2,2 -k3,3g >"$tmp/nkeys.all"
if [ -s "$tmp/nkeys.all" ]; then
	for kind in $(cut -f1 "$tmp/nkeys.all" | sort -u); do
		plot="" sep="" i=0
		for ix in $(awk -F'\t' -v k="$kind" '$1 == k { print $2 }' "$tmp/nkeys.all" | sort -u); do
			i=$((i + 1))
			awk -F'\t' -v k="$kind" -v x="$ix" '$1 == k && $2 == x' "$tmp/nkeys.all" >"$tmp/nkeys_$i.dat"
			fam=$(cut -f5 "$tmp/nkeys_$i.dat" | head -n1)
			plot+="$sep'$tmp/nkeys_$i.dat' using 3:4 with linespoints lw 2 pt $(( (i % 12) + 1 )) ps 1.3 lc rgb '$(fam_color "$fam")' dt $(( (i % 5) + 1 )) title '$ix ($fam)'"
			sep=", "
		done
		skind=$(safe "$kind")
		{ preamble "$out/nkeys_$skind" "$kind: ns per lookup vs number of keys (point workload, batch, 1 thread)"
		  cat <<EOF
set xlabel "keys in the data set (log scale)"
set ylabel "ns per lookup (median; log scale)"
set logscale xy
set format x "%.0s%c"
plot $plot
EOF
		} | render "nkeys_$skind" "Data sets of kind $kind at different sizes: median ns per lookup of each index's best configuration against the number of keys (workload point, batch mode, 1 thread, log-log)."
	done
else
	note "nkeys plots skipped: no data set kind was run at two or more sizes"
fi

# render runs in pipelines (subshells), so count what is on disk.
echo "plots.sh: $(ls "$out"/*.png 2>/dev/null | wc -l) PNG plot(s) in $out"
