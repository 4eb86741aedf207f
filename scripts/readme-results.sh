#!/usr/bin/env bash
# scripts/readme-results.sh — regenerates the generated parts of README.md
# (the index table from `omenbench list --tsv`, the QUICK run's record) and
# the results tables of results/tables.md from a results CSV, so that no
# figure is typed by hand.  Results live in results/ and REPORT.md, not in
# the README.
#
#   scripts/readme-results.sh [results/bench.csv] [README.md] [results/tables.md]
set -euo pipefail
cd "$(dirname "$0")/.."
CSV=${1:-results/bench.csv}
README=${2:-README.md}
TABLES=${3:-results/tables.md}
[ -f "$CSV" ] || { echo "readme-results: $CSV not found (run make bench)" >&2; exit 2; }

block=$(mktemp)
summary=$(mktemp)
indexes=$(mktemp)
trap 'rm -f "$block" "$summary" "$indexes"' EXIT
# Medians and each index's best configuration come from omenbench summary
# (report/summary.h), the rules the report uses; this script only lays out
# tables.  The CSV itself is read for the machine line alone.
./omenbench summary --csv "$CSV" >"$summary" || exit 2  # it says why
machine=$(awk -F, '
# Seconds since 1970 of an ISO-8601 UTC timestamp (2026-11-24T19:15:27Z).
function epoch(ts,   y, mo, d, h, mi, se, days) {
	y = substr(ts, 1, 4) + 0; mo = substr(ts, 6, 2) + 0; d = substr(ts, 9, 2) + 0
	h = substr(ts, 12, 2) + 0; mi = substr(ts, 15, 2) + 0; se = substr(ts, 18, 2) + 0
	if (mo <= 2) { y--; mo += 12 }
	days = 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (mo - 3) + 2) / 5) + d
	return ((days * 24 + h) * 60 + mi) * 60 + se
}
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
$c["valid"] != 1 { invalid++; next }
{
	host = $c["host"]; cpu = $c["cpu"]; commit = $c["commit"]; cc = $c["compiler"] " " $c["cflags"]
	if (first_ts == "") first_ts = $c["timestamp"]
	last_ts = $c["timestamp"]
}
END {
	printf "Machine: %s, host `%s`, %s, commit %s.  Every figure is the median over the repetitions of the best configuration of each index; ratio = ns / binsearch ns in the same run.  The CSV'"'"'s rows span %.1f minutes (first to last row).\t%d\n", cpu, host, cc, commit, (epoch(last_ts) - epoch(first_ts)) / 60, invalid
}' "$CSV")
awk -F'\t' -v machine="${machine%$'\t'*}" -v invalid="${machine##*$'\t'}" '
function sort_names(arr, n,   i, j, t) {
	for (i = 2; i <= n; i++) { t = arr[i]; for (j = i - 1; j >= 1 && arr[j] > t; j--) arr[j + 1] = arr[j]; arr[j + 1] = t }
}
# A table: rows = indexes, columns = the workloads (labels without default
# parameters) matching wre on data set d (mode m, threads t); cells = the
# best configuration'"'"'s median ns/op (metric "ns") or Mops/s ("mops").
function pivot(title, d, wre, m, t, metric, mincols,   g, k, nw, ws, ni, is, a, b, cell, v, bs, seen_w, seen_i) {
	nw = 0; ni = 0
	for (g in best) {
		split(g, k, SUBSEP)
		if (k[1] != d || k[2] !~ wre || k[3] != m || k[4] != t) continue
		if (!(k[2] in seen_w)) { seen_w[k[2]] = 1; ws[++nw] = k[2] }
		if (!(k[5] in seen_i)) { seen_i[k[5]] = 1; is[++ni] = k[5] }
	}
	if (!nw || nw < mincols) return
	sort_names(ws, nw); sort_names(is, ni)
	printf "%s — `%s`, %s, %d thread%s (%s):\n\n| index |", title, d, m, t, (t > 1 ? "s" : ""), (metric == "ns" ? "median ns/op" : "median Mops/s")
	for (a = 1; a <= nw; a++) printf " %s |", ws[a]
	printf "\n|---|"; for (a = 1; a <= nw; a++) printf "---:|"; printf "\n"
	for (b = 1; b <= ni; b++) {
		printf "| %s |", is[b]
		for (a = 1; a <= nw; a++) {
			cell = d SUBSEP ws[a] SUBSEP m SUBSEP t SUBSEP is[b]
			if (!(cell in best)) { printf " — |"; continue }
			v = metric == "ns" ? best[cell] : bestmops[cell]
			fmt = v >= 100 ? " %.0f |" : " %.3g |"
			printf fmt, v
		}
		printf "\n"
	}
	printf "\n"
}
# One line per index: the configuration that was best on workload w.
function bestpars(title, d, w, m, t,   g, k, n, is, b) {
	n = 0
	for (g in best) {
		split(g, k, SUBSEP)
		if (k[1] == d && k[2] == w && k[3] == m && k[4] == t) is[++n] = k[5]
	}
	if (!n) return
	sort_names(is, n)
	printf "%s — `%s`:\n\n| index | best params |\n|---|---|\n", title, d
	for (b = 1; b <= n; b++) printf "| %s | %s |\n", is[b], shown(bestpar[d SUBSEP w SUBSEP m SUBSEP t SUBSEP is[b]])
	printf "\n"
}
# Non-default parameters in code font; "defaults" when there are none.
function shown(p) { return p == "" ? "defaults" : "`" p "`" }
# arr[key], or 0 when absent (reading arr[key] would create the entry, and
# every table iterates over the entries).
function lookup(arr, key) { return (key in arr) ? arr[key] : 0 }
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
$c["best"] == 1 {
	ix = $c["index"]
	g = $c["dataset"] SUBSEP $c["wlabel"] SUBSEP $c["mode"] SUBSEP $c["threads"] SUBSEP ix
	best[g] = $c["ns_median"] + 0; bestmops[g] = $c["mops"] + 0; bestbytes[g] = $c["total_bytes"] + 0
	p = $c["label"]; bestpar[g] = p == ix ? "" : substr(p, length(ix) + 2)
	fam[ix] = $c["family"]; ds[$c["dataset"]] = 1
}
END {
	printf "%s\n\n", machine
	n = 0
	for (d in ds) names[++n] = d
	sort_names(names, n)
	printf "### Point lookups (batch)\n\n"
	for (i = 1; i <= n; i++) {
		d = names[i]
		bs = lookup(best, d SUBSEP "point" SUBSEP "batch" SUBSEP 1 SUBSEP "binsearch")
		if (!bs) continue
		printf "`%s`:\n\n| index | family | best params | ns/lookup | ratio to binsearch | size MB |\n|---|---|---|---:|---:|---:|\n", d
		m = 0
		delete rows
		for (g in best) { split(g, k, SUBSEP); if (k[1] == d && k[2] == "point" && k[3] == "batch" && k[4] == 1) rows[++m] = g }
		for (a = 2; a <= m; a++) { t = rows[a]; for (b = a - 1; b >= 1 && best[rows[b]] > best[t]; b--) rows[b + 1] = rows[b]; rows[b + 1] = t }
		for (a = 1; a <= m; a++) {
			split(rows[a], k, SUBSEP)
			printf "| %s | %s | %s | %.1f | %.2f | %.1f |\n", k[5], fam[k[5]], shown(bestpar[rows[a]]), best[rows[a]], best[rows[a]] / bs, bestbytes[rows[a]] / 1048576
		}
		printf "\n"
	}
	# The performance targets of the issues against what this CSV measured.
	split("rmi 0.20 rs 0.26 pgm 0.43 alex 0.25", tg, " ")
	header = 0
	for (i = 1; i <= n; i++) {
		d = names[i]
		if (d !~ /^(uspr|logn)_10M/) continue
		bs = lookup(best, d SUBSEP "point" SUBSEP "batch" SUBSEP 1 SUBSEP "binsearch")
		if (!bs) continue
		if (!header++) printf "### The issues'"'"' targets\n\n| data set | target | measured | met |\n|---|---|---:|---|\n"
		for (j = 1; j < 8; j += 2) {
			v = lookup(best, d SUBSEP "point" SUBSEP "batch" SUBSEP 1 SUBSEP tg[j])
			if (v) printf "| `%s` | %s lookups <= %s x binsearch | %.2f | %s |\n", d, tg[j], tg[j + 1], v / bs, (v / bs <= tg[j + 1] + 0 ? "yes" : "no")
		}
		a = lookup(bestmops, d SUBSEP "insert" SUBSEP "batch" SUBSEP 1 SUBSEP "alex")
		b = lookup(bestmops, d SUBSEP "insert" SUBSEP "batch" SUBSEP 1 SUBSEP "btree")
		if (a && b) printf "| `%s` | alex random inserts >= 2 x btree (Mops/s) | %.2f | %s |\n", d, a / b, (a / b >= 2 ? "yes" : "no")
		a = lookup(best, d SUBSEP "point-grown" SUBSEP "batch" SUBSEP 1 SUBSEP "alex")
		b = lookup(best, d SUBSEP "point-grown" SUBSEP "batch" SUBSEP 1 SUBSEP "btree")
		if (a && b) printf "| `%s` | alex lookups after the inserts < btree'"'"'s (ns ratio) | %.2f | %s |\n", d, a / b, (a < b ? "yes" : "no")
	}
	if (header) printf "\nBest configuration against best configuration, from the tables below.\n\n"
	printf "### Writes, scans, sequential keys, batching and threads\n\n"
	# Lookups one at a time or batch=16, any key distribution, no absent keys.
	onepoint = "^point(:(dist|theta|hot|hot_ops)=[^:]*)*(:batch=16)?$"
	for (i = 1; i <= n; i++) {
		d = names[i]
		pivot("Inserts and GRE mixes", d, "^(insert|mixed)", "batch", 1, "mops")
		bestpars("Best configuration for random inserts", d, "insert", "batch", 1)
		pivot("Lookups after the inserts (point-grown: half bulk-loaded, half inserted) and after a bulk load of everything (point)", d, "^point(-grown)?$", "batch", 1, "ns", 2)
		pivot("Range scans (ns per scan)", d, "^range", "batch", 1, "ns")
		pivot("Sequential workloads", d, "^seq", "batch", 1, "ns")
		pivot("Latency under writes (sampled)", d, "^(seq-append|seq-ooo|mixed)", "sampled", 1, "ns")
		pivot("Batched lookups (batch=16) against one at a time", d, onepoint, "batch", 1, "ns", 2)
		pivot("Two threads", d, onepoint, "batch", 2, "mops")
	}
	if (invalid) printf "%d rows with wrong answers were excluded.\n", invalid
}' "$summary" >"$block"

# The index table comes from the registry itself (list --tsv).
{
	echo "## Indexes"
	echo
	echo "| name | family | capabilities | what it is |"
	echo "|---|---|---|---|"
	./omenbench list --indexes --tsv | awk -F'\t' 'NR > 1 { caps = $4; gsub(/,/, " ", caps); printf "| `%s` | %s | %s | %s |\n", $2, $3, caps, $6 }'
} >"$indexes"

# The QUICK run's own record (scripts/bench.sh writes it beside its CSV).
QUICK_RECORD=results/quick/bench-run.txt

python3 - "$README" "$block" "$CSV" "$indexes" "$QUICK_RECORD" "$TABLES" <<'PY'
import os, sys
readme, block, csv, indexes = sys.argv[1], open(sys.argv[2]).read(), sys.argv[3], open(sys.argv[4]).read()
quick_record = sys.argv[5]
text = open(readme).read()
def replace(text, name, body, note):
    begin, end = "<!-- %s:begin -->" % name, "<!-- %s:end -->" % name
    if begin not in text or end not in text:
        sys.exit("readme-results: %s markers missing in %s" % (name, readme))
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return head + begin + "\n" + note + body + end + tail
tables = sys.argv[6]
with open(tables + ".tmp", "w") as f:
    f.write("# Results tables\n\n<!-- generated by scripts/readme-results.sh from %s; do not edit by hand -->\n" % csv + block)
os.replace(tables + ".tmp", tables)
text = replace(text, "indexes", indexes, "<!-- generated by scripts/readme-results.sh from ./omenbench list -->\n")
if os.path.exists(quick_record):
    text = replace(text, "quick-run", "`make bench QUICK=1`: %s\n" % open(quick_record).read().strip(),
                   "<!-- generated by scripts/readme-results.sh from %s -->\n" % quick_record)
open(readme, "w").write(text)
PY
echo "readme-results: updated $README and $TABLES from $CSV"
