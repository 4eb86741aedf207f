#!/usr/bin/env bash
# scripts/reference.sh — every learned index and the B+tree against the
# authors' own code, in one harness, on data larger than the cache (issue
# #20): pgm / refpgm (PGM-index), rs / refrs (RadixSpline), rmi / refrmi
# (analysis-rmi's RmiLAbs), alex / refalex (ALEX) and btree / reftlx
# (tlx::btree_map), at the same configurations and over a small grid each
# for "each side's best", on uspr, logn and ts_bursty, at 10M keys and at a
# size far past the last-level cache (100M: 800 MB of keys).  Lookups after
# bulk load for all; `insert` and `point-grown` for alex and the B+trees.
# Every answer is checked by the harness.
#
# Each round is a separate run of build/reference/omenbench (a fresh build of
# every index) with the indexes in a different order, so a ratio is never
# the accident of one build or one moment; the table gives, per pair, the
# median over rounds of (ours median / theirs median) and its min and max.
#
#   make reference                  build, measure, write the tables
#   SIZES="10M" make reference      one size only (default "10M 100M")
#   QUICK=1 make reference          a short check: 1M keys, 2 rounds, fewer ops
#   scripts/reference.sh table      only the tables, from results/reference.csv
#
# Knobs: SIZES, DATA (default "uspr logn ts_bursty"), ROUNDS (3; 2 at sizes
# of LARGE=50M keys or more), OPS (lookups per repetition: 500K; 200K large),
# REPS (5; 3 for writes and large sizes).  At large sizes the write workloads
# run on the first data set only, one round, pairs only (a 100M point-grown
# build inserts 50M keys per index).  APPEND=1 adds the rows to
# results/reference.csv instead of starting it afresh (another size, later).
#
# Writes results/reference.csv (the harness's columns plus `round`),
# results/reference-sources.txt (the machine, its LLC, the load average, and
# the commit and sha1 of every reference header compiled, from the compiler's
# dependency files), results/reference.md (the short table REPORT.md shows),
# and the full table between the reference:begin/end markers of
# docs/reference.md (README=, named so for history).  With README= empty
# (as bench.sh runs `table`) only REPORT's section is written.
#
# REF_PGM, REF_RS, REF_RMI, REF_ALEX, REF_TLX name checkouts of
# gvinciguerra/PGM-index, learnedsystems/RadixSpline,
# BigDataAnalyticsGroup/analysis-rmi, microsoft/ALEX and tlx/tlx (default
# ../NAME); none of their code is in this repository.
set -euo pipefail
cd "$(dirname "$0")/.."
CSV=results/reference.csv
SOURCES=results/reference-sources.txt
SUMMARY=results/reference.md
README=${README-docs/reference.md}
REPORT=${REPORT:-REPORT.md}
OB=build/reference/omenbench

# The pairs the criterion reads: group|ours|theirs, each spelled in full
# (every parameter, as the CSV records it) so the table matches rows exactly.
PAIRS_READ="pgm|pgm:eps=16:eps_rec=4:search=binary|refpgm:eps=16
pgm|pgm:eps=64:eps_rec=4:search=binary|refpgm:eps=64
rs|rs:err=32:radix_bits=18:search=binary|refrs:err=32:radix_bits=18
rmi|rmi:top=linear_spline:branch=2^16:budget=4M:search=binary|refrmi:top=linear_spline:branch=2^16:leaf=linear
rmi|rmi:top=linear_spline:branch=2^20:budget=4M:search=binary|refrmi:top=linear_spline:branch=2^20:leaf=linear
alex|alex:max_density=0.8:min_density=0.6:init_density=0.7:max_node_bytes=16M:insert_frac=1:search=exponential|refalex:insert_frac=1:max_node_bytes=16M:approx_model=1:approx_cost=0
btree|btree:node=16:fill=1.0:prefetch=0:append=1|reftlx:node=16"
PAIRS_WRITE="alex|alex:max_density=0.8:min_density=0.6:init_density=0.7:max_node_bytes=16M:insert_frac=1:search=exponential|refalex:insert_frac=1:max_node_bytes=16M:approx_model=1:approx_cost=0
btree|btree:node=16:fill=1.0:prefetch=0:append=1|reftlx:node=16"
# More configurations per side, for "each side's best" (the best of a side
# is its fastest configuration in the run, pairs included).
BEST_READ="pgm:eps=8:eps_rec=7:search=linear refpgm:eps=8 refpgm:eps=32
rs:err=8:radix_bits=20:search=linear rs:err=16:radix_bits=20:search=binary refrs:err=8:radix_bits=20 refrs:err=16:radix_bits=20
rmi:top=radix:branch=2^20:budget=4M:search=binary rmi:top=cubic:branch=2^20:budget=4M:search=binary refrmi:top=radix:branch=2^20:leaf=linear refrmi:top=cubic:branch=2^20:leaf=linear
btree:node=32:fill=1.0:prefetch=0:append=1 reftlx:node=32 reftlx:node=64"
# Small sizes only (each ALEX build of 100M keys takes most of a minute).
BEST_READ_SMALL="alex:max_density=0.8:min_density=0.6:init_density=0.7:max_node_bytes=16M:insert_frac=0:search=exponential refalex:insert_frac=0:max_node_bytes=16M:approx_model=1:approx_cost=0
btree:node=64:fill=1.0:prefetch=0:append=1"
BEST_WRITE="btree:node=32:fill=0.7:prefetch=0:append=1 reftlx:node=32"

if [ -n "${QUICK:-}" ]; then
	SIZES=${SIZES:-1M} ROUNDS=${ROUNDS:-2} OPS=${OPS:-100K} REPS=${REPS:-3}
fi
SIZES=${SIZES:-10M 100M}
DATA=${DATA:-uspr logn ts_bursty}
LARGE=${LARGE:-50000000}

# "10M" -> 10000000, "2^20" -> 1048576 (the harness's own number syntax).
keys_of() {
	case $1 in
	*K) echo $(( ${1%K} * 1000 )) ;;
	*M) echo $(( ${1%M} * 1000000 )) ;;
	*G) echo $(( ${1%G} * 1000000000 )) ;;
	2^*) echo $(( 1 << ${1#2^} )) ;;
	*) echo "$1" ;;
	esac
}

# The last-level cache in bytes, from sysfs (the highest cache level of cpu0),
# else lscpu's L3 line; 0 when neither says.
llc_bytes() {
	local best=0 lvl size d
	for d in /sys/devices/system/cpu/cpu0/cache/index*; do
		[ -r "$d/level" ] && [ -r "$d/size" ] || continue
		lvl=$(cat "$d/level") size=$(cat "$d/size")
		case $size in *K) size=$(( ${size%K} * 1024 )) ;; *M) size=$(( ${size%M} * 1048576 )) ;; esac
		[ "$lvl" -ge 3 ] && [ "$size" -gt "$best" ] && best=$size
	done
	if [ "$best" = 0 ] && command -v lscpu >/dev/null; then
		best=$(lscpu -B 2>/dev/null | awk -F: '/^L3 cache/ { gsub(/[^0-9]/, "", $2); print $2 + 0; exit }')
	fi
	echo "${best:-0}"
}

# The index list in a round-dependent order (a seeded shuffle; round 1 keeps
# the written order), one comma-separated --index argument.
order() {
	local round=$1
	shift
	printf '%s\n' "$@" | awk -v r="$round" '
		BEGIN { srand(r * 7919) }
		{ line[NR] = $0; key[NR] = r == 1 ? NR : rand() }
		END {
			for (i = 2; i <= NR; i++) {
				t = key[i]; l = line[i]
				for (j = i - 1; j >= 1 && key[j] > t; j--) { key[j + 1] = key[j]; line[j + 1] = line[j] }
				key[j + 1] = t; line[j + 1] = l
			}
			for (i = 1; i <= NR; i++) printf "%s%s", line[i], i < NR ? "," : "\n"
		}'
}

# One run of the harness, its rows appended to $CSV with the round number.
run_round() {
	local round=$1 data=$2 workloads=$3 ops=$4 reps=$5 indexes=$6 tmp
	tmp=$(mktemp)
	echo "== round $round: $data, $workloads"
	"$OB" run --index "$indexes" --data "$data" --workload "$workloads" \
		--ops "$ops" --reps "$reps" --csv "$tmp" | grep -v '^\[' || true
	[ -s "$tmp" ] || { echo "reference: no rows from round $round on $data" >&2; rm -f "$tmp"; exit 1; }
	[ -f "$CSV" ] || head -1 "$tmp" | sed 's/$/,round/' >"$CSV"
	tail -n +2 "$tmp" | sed "s/\$/,$round/" >>"$CSV"
	rm -f "$tmp"
}

record_sources() {
	local llc=$1 name dir dep
	if [ -n "${APPEND:-}" ]; then
		{ echo "# appended run: sizes $SIZES; data $DATA"
		  echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"; } >>"$SOURCES"
		return 0
	fi
	{
		echo "# results/reference.csv: machine, load and the reference code compiled into build/reference/omenbench"
		echo "cpu: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) cores"
		echo "llc: $llc bytes ($(( llc / 1048576 )) MiB, highest cache level of cpu0 in sysfs)"
		echo "memory: $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
		echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min; 2 cores shared with other work)"
		echo "sizes: $SIZES; data: $DATA"
		echo "compiler: $(g++ --version | head -1)"
		echo "#"
		echo "# checkout commits (git rev-parse HEAD; 'not a git checkout' otherwise)"
		for name in PGM-index:$REF_PGM RadixSpline:$REF_RS analysis-rmi:$REF_RMI ALEX:$REF_ALEX tlx:$REF_TLX; do
			dir=${name#*:}
			echo "${name%%:*}  $(git -C "$dir" rev-parse HEAD 2>/dev/null || echo 'not a git checkout')"
		done
		echo "#"
		echo "# sha1 of every reference header the wrappers compiled (from g++ -MD), path under its checkout"
		for name in refpgm:PGM-index:$REF_PGM refrs:RadixSpline:$REF_RS refrmi:analysis-rmi:$REF_RMI \
			refalex:ALEX:$REF_ALEX reftlx:tlx:$REF_TLX; do
			dep=build/reference/indexes/reference/${name%%:*}.d
			dir=${name#*:*:}
			name=${name#*:}
			name=${name%%:*}
			tr ' \\' '\n\n' <"$dep" | sed 's/:$//' | grep -F "$dir/" | sort -u | while read -r f; do
				(cd "$dir" && sha1sum "${f#"$dir"/}") | sed "s|  |  $name/|"
			done
		done
	} >"$SOURCES"
}

measure() {
	export REF_PGM=${REF_PGM:-../PGM-index} REF_RS=${REF_RS:-../RadixSpline} \
		REF_RMI=${REF_RMI:-../analysis-rmi} REF_ALEX=${REF_ALEX:-../ALEX} REF_TLX=${REF_TLX:-../tlx}
	make -s "$OB" omenbench REF_PGM="$REF_PGM" REF_RS="$REF_RS" REF_RMI="$REF_RMI" \
		REF_ALEX="$REF_ALEX" REF_TLX="$REF_TLX"
	local llc start size n large set data round rounds ops reps lookups writes first
	llc=$(llc_bytes)
	start=$(date +%s)
	echo "reference: last-level cache $(( llc / 1048576 )) MiB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
	record_sources "$llc"
	[ -n "${APPEND:-}" ] || rm -f "$CSV"
	for size in $SIZES; do
		n=$(keys_of "$size")
		large=$(( n >= LARGE ))
		rounds=${ROUNDS:-$(( large ? 2 : 3 ))}
		ops=${OPS:-$( ((large)) && echo 200K || echo 500K)}
		reps=${REPS:-$( ((large)) && echo 3 || echo 5)}
		echo "reference: $size keys: $(( n * 8 / 1000000 )) MB of keys (+ as much in values) =" \
			"$(awk -v a=$(( n * 8 )) -v b="$llc" 'BEGIN { printf "%.0fx", b ? a / b : 0 }') the LLC;" \
			"$rounds rounds, $ops lookups x $reps reps"
		lookups=(binsearch:search=branchless)
		while IFS='|' read -r _ ours theirs; do lookups+=("$ours" "$theirs"); done <<<"$PAIRS_READ"
		lookups+=($BEST_READ)
		((large)) || lookups+=($BEST_READ_SMALL)
		writes=()
		while IFS='|' read -r _ ours theirs; do writes+=("$ours" "$theirs"); done <<<"$PAIRS_WRITE"
		((large)) || writes+=($BEST_WRITE)
		first=1
		for set in $DATA; do
			data=${set}_${size}_uint64
			[ -f "datasets/$data" ] || ./omenbench gen "$set" -n "$size" >/dev/null
			for round in $(seq 1 "$rounds"); do
				run_round "$round" "$data" point "$ops" "$reps" "$(order "$round" "${lookups[@]}")"
				if ((!large)) || { ((first)) && [ "$round" = 1 ]; }; then
					run_round "$round" "$data" insert,point-grown "$ops" \
						"$( ((large)) && echo 2 || echo 3)" "$(order "$round" "${writes[@]}")"
				fi
			done
			first=0
		done
	done
	echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg); $(( $(date +%s) - start )) s" >>"$SOURCES"
	echo "reference: measured in $(( $(date +%s) - start )) s"
}

# The tables, from $CSV alone: results/reference.md (short, for REPORT.md)
# and the README block (every pair and every configuration).
table() {
	[ -f "$CSV" ] || { echo "reference: $CSV not found (run make reference)" >&2; exit 2; }
	# The reference binary knows the ref* indexes' defaults (short labels);
	# without it, ./omenbench labels them with every parameter.
	local ob=$OB
	[ -x "$ob" ] || ob=./omenbench
	python3 - "$CSV" "$SOURCES" "$SUMMARY" "$README" "$REPORT" "$PAIRS_READ" "$PAIRS_WRITE" "$ob" <<'PY'
import csv, os, statistics, subprocess, sys, tempfile
from collections import defaultdict

csv_path, sources, summary_path, readme, report, pairs_read, pairs_write, ob = sys.argv[1:]
rows = list(csv.DictReader(open(csv_path)))

def spec(r):
    return r["index"] + ("" if r["params"] in ("NA", "-") else ":" + r["params"])

def summarise(path):
    """omenbench summary's lines (report/summary.h), keyed as the tables look
    them up: the figures over repetitions are computed there, not here."""
    out = subprocess.run([ob, "summary", "--csv", path], check=True, capture_output=True, text=True).stdout
    return {(int(l["n_keys"]), l["dataset"], l["workload"], spec(l)): l
            for l in csv.DictReader(out.splitlines(), delimiter="\t")}

def summarise_rounds():
    """One summary per round: each round is a separate run of the harness."""
    header = open(csv_path).readline()
    if not header.rstrip("\n").endswith(",round"):
        sys.exit("reference: %s: the last column is not round" % csv_path)
    by_round = defaultdict(list)
    with open(csv_path) as f:
        next(f)
        for line in f:
            if line.strip():
                by_round[line.rstrip("\n").rsplit(",", 1)[1]].append(line)
    result = {}
    with tempfile.TemporaryDirectory() as tmp:
        for rnd, lines in by_round.items():
            path = os.path.join(tmp, "round.csv")
            with open(path, "w") as f:
                f.write(header)
                f.writelines(lines)
            result[rnd] = summarise(path)
    return result

def pairs(text):
    return [tuple(l.split("|")) for l in text.strip().splitlines()]

llc = 0
machine = ""
load = []
for line in open(sources):
    if line.startswith("llc: "):
        llc = int(line.split()[1])
    if line.startswith("cpu: "):
        machine = line[5:].strip()
    if line.startswith("load at start: "):
        load.append(line[len("load at start: "):].split(" (")[0].strip())

bad = [r for r in rows if r["valid"] != "1"]
# Every configuration over all rounds, and in each round apart.
ns = summarise(csv_path)
per_round = summarise_rounds()

def fig(k, column):
    return float(ns[k][column])

def overall(k):
    return fig(k, "ns_median")

def ratio(a, b):
    """Per round: ours / theirs of the summary's figures; the middle, min and
    max of those ratios over the rounds (2 or 3)."""
    rs = [float(s[a]["ns_median"]) / float(s[b]["ns_median"])
          for s in per_round.values() if a in s and b in s]
    return (statistics.median(rs), min(rs), max(rs), len(rs)) if rs else None

def best(n, d, w, index):
    """The summary's best configuration of the index (best=1)."""
    cands = [k for k in ns if k[:3] == (n, d, w) and k[3].split(":")[0] == index and ns[k]["best"] == "1"]
    return cands[0] if cands else None

def short(s):
    # The summary's label: only the parameters that differ from the registry's defaults.
    for k, l in ns.items():
        if k[3] == s:
            return l["label"]
    return s

def fmt(x):
    return "%.3g" % x if x < 100 else "%.0f" % x

def label(n):
    return "%dM" % (n // 1000000) if n % 1000000 == 0 else str(n)

sizes = sorted({k[0] for k in ns})
wl_pairs = [("point", pairs(pairs_read)), ("insert", pairs(pairs_write)), ("point-grown", pairs(pairs_write))]
commit = sorted({r["commit"] for r in rows})
head = ("Machine: %s, last-level cache %d MiB; data %s (each key has an 8-byte value beside it: %s in all); "
        "commit %s; load average at the start of each run %s (2 cores, shared). ns are per operation, batch mode; "
        "ours/theirs is the median over rounds (separate runs, a fresh build each, indexes in a "
        "different order) of the ratio of the two medians, [min .. max] over rounds.%s"
        % (machine, llc // 1048576,
           ", ".join("%s keys = %.0f MB of keys, %.1fx the LLC" % (label(n), n * 8 / 1e6, n * 8 / llc if llc else 0) for n in sizes),
           ", ".join("%s: %.0f MB" % (label(n), n * 16 / 1e6) for n in sizes),
           ", ".join(commit), "; ".join(load),
           " **%d rows had wrong answers.**" % len(bad) if bad else " Every answer was checked and right."))

def pair_rows(n, d, w, plist, full):
    out = []
    for group, ours, theirs in plist:
        a, b = (n, d, w, ours), (n, d, w, theirs)
        if a not in ns or b not in ns:
            continue
        rt = ratio(a, b)
        out.append((group, "same config", short(ours), short(theirs), overall(a), overall(b), rt,
                    fig(a, "build_ns") / 1e6, fig(b, "build_ns") / 1e6, fig(a, "total_bytes") / 1e6, fig(b, "total_bytes") / 1e6))
    groups = []
    for group, ours, theirs in plist:
        if group not in groups:
            groups.append(group)
    for group in groups:
        ours_ix = [o for g, o, t in plist if g == group][0].split(":")[0]
        theirs_ix = [t for g, o, t in plist if g == group][0].split(":")[0]
        a, b = best(n, d, w, ours_ix), best(n, d, w, theirs_ix)
        if a and b:
            out.append((group, "best vs best", short(a[3]), short(b[3]), overall(a), overall(b), ratio(a, b),
                        fig(a, "build_ns") / 1e6, fig(b, "build_ns") / 1e6, fig(a, "total_bytes") / 1e6, fig(b, "total_bytes") / 1e6))
    return out

def verdict(rt):
    return "yes" if rt[0] <= 1.05 else "**no**"

# README: every pair, per size, data set and workload.
lines = [head, ""]
for n in sizes:
    for d in sorted({k[1] for k in ns if k[0] == n}):
        for w, plist in wl_pairs:
            pr = pair_rows(n, d, w, plist, True)
            if not pr:
                continue
            lines += ["`%s`, %s:" % (d, w), "",
                      "| | ours | theirs | ours ns | theirs ns | ours/theirs [min .. max] | <= 1.05 | build ms ours / theirs | MB ours / theirs |",
                      "|---|---|---|---:|---:|---:|---|---:|---:|"]
            for g, kind, o, t, on, tn, rt, ob, tb, om, tm in pr:
                lines.append("| %s, %s | `%s` | `%s` | %s | %s | %.2f [%.2f .. %.2f] | %s | %s / %s | %s / %s |"
                             % (g, kind, o, t, fmt(on), fmt(tn), rt[0], rt[1], rt[2], verdict(rt),
                                fmt(ob), fmt(tb), fmt(om), fmt(tm)))
            lines.append("")
readme_block = "\n".join(lines)

# REPORT.md: per size and pair, the ratio on each data set (lookups; writes
# for alex and btree), best vs best beside.
short_lines = ["From `make reference` (`scripts/reference.sh`, rows in `results/reference.csv`, not `results/bench.csv`): "
               "ours against the authors' code in one process.  " + head, "",
               "| size | workload | pair | " + " | ".join("`%s`" % s for s in sorted({k[1].split("_" )[0] if not k[1].startswith("ts_") else "ts_bursty" for k in ns})) + " |"]
dsets = sorted({k[1].rsplit("_", 2)[0] for k in ns})
short_lines[-1] = "| size | workload | ours vs theirs | " + " | ".join(dsets) + " |"
short_lines.append("|---|---|---|" + "---:|" * len(dsets))
for n in sizes:
    for w, plist in wl_pairs:
        keyed = defaultdict(dict)
        order = []
        for d in dsets:
            dn = "%s_%s_uint64" % (d, label(n))
            for g, kind, o, t, on, tn, rt, *_ in pair_rows(n, dn, w, plist, False):
                name = "%s vs %s" % (o, t) if kind == "same config" else "%s: best vs best" % g
                if name not in order:
                    order.append(name)
                keyed[name][d] = rt
        for name in order:
            cells = []
            for d in dsets:
                rt = keyed[name].get(d)
                cells.append("—" if not rt else ("%.2f [%.2f..%.2f]" % rt[:3]) + ("" if rt[0] <= 1.05 else " **>1.05**"))
            short_lines.append("| %s | %s | `%s` | %s |" % (label(n), w, name, " | ".join(cells)))
short_lines += ["", "Ratios are ours/theirs ns per operation (below 1: ours faster). Full table with ns, build time "
                "and bytes: docs/reference.md; rows: `results/reference.csv`; reference "
                "commits and header sha1s: `results/reference-sources.txt`.", ""]
summary = "\n".join(short_lines)
# README= (bench.sh refreshing a new REPORT.md's section) writes only the
# report: the committed results/reference.md is left as the full run wrote it.
if readme:
    open(summary_path, "w").write(summary)

def splice(path, block):
    try:
        text = open(path).read()
    except FileNotFoundError:
        return
    b, e = "<!-- reference:begin -->", "<!-- reference:end -->"
    if b not in text and path == report and "\n## Machine" in text:
        # omenbench report writes no such section: it goes after the verdict.
        text = text.replace("\n## Machine", "\n## Against the authors' code\n\n%s\n%s\n\n## Machine" % (b, e), 1)
    if b not in text or e not in text:
        print("reference: no %s marker in %s; table not written there" % (b, path), file=sys.stderr)
        return
    pre, rest = text.split(b, 1)
    _, post = rest.split(e, 1)
    gen = "<!-- generated by scripts/reference.sh from %s; do not edit by hand -->\n" % csv_path
    open(path, "w").write(pre + b + "\n" + gen + block + "\n" + e + post)

if readme:
    splice(readme, readme_block)
splice(report, summary)
print("reference: wrote %s" % ("%s and the tables in %s and %s" % (summary_path, readme, report) if readme
                                 else "the table in %s" % report))
PY
}

case ${1:-run} in
run) measure; table ;;
table) table ;;
*) echo "usage: [QUICK=1] [SIZES=...] [REF_PGM=dir ...] scripts/reference.sh [run|table]" >&2; exit 2 ;;
esac
