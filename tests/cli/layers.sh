#!/usr/bin/env bash
# tests/cli/layers.sh — the include rules between folders (README.md,
# Layout), checked by scripts/check-layers.sh: on this tree, then on small
# made-up trees that break each rule once, so that the check is seen to
# catch what it is for.
set -u
. "$(dirname "$0")/lib.sh"
CHECK=scripts/check-layers.sh

expect 0 "this tree keeps its layers" -- $CHECK .
contains "$T/out" "every one within its layer" "a summary line"

# tree NAME: an empty tree with every folder, under $T/NAME
tree() {
	rm -rf "${T:?}/$1"
	mkdir -p "$T/$1"/{common,datasets,indexes,workloads,report,harness,tests}
}
# breaks NAME FILE INCLUDE RULE: a tree whose FILE includes INCLUDE must fail,
# one line naming the file and RULE
breaks() {
	tree "$1"
	printf '#include "%s"\n' "$3" >"$T/$1/$2"
	expect 1 "$1" -- $CHECK "$T/$1"
	if [ "$(wc -l <"$T/out")" -eq 1 ] && grep -q -- "^$2:1: " "$T/out" && grep -q -- "$4" "$T/out"; then
		ok
	else
		bad "$1: output was: $(cat "$T/out")"
	fi
}

breaks index-sees-harness indexes/x.c harness/runner.h "indexes/ includes only common/ and indexes/"
breaks index-sees-workload indexes/x.h workloads/workload.h "indexes/ includes only common/ and indexes/"
breaks index-sees-dataset indexes/x.c datasets/dataset.h "indexes/ includes only common/ and indexes/"
breaks workload-sees-an-index workloads/x.c indexes/btree.c "workloads/ includes only common/, datasets/, workloads/ and indexes/index.h"
breaks workload-sees-lastmile workloads/x.h indexes/lastmile.h "indexes/index.h"
breaks workload-sees-harness workloads/x.c harness/timer.h "workloads/ includes only"
breaks dataset-sees-harness datasets/x.c harness/outfile.h "datasets/ includes only common/ and datasets/"
breaks common-sees-harness common/x.c harness/hist.h "common/ includes nothing outside common/"
breaks report-sees-runner report/x.c harness/runner.h "report/ includes only"
breaks report-sees-an-index report/x.c indexes/btree.c "report/ includes only"
breaks unqualified indexes/x.c params.h "does not name its folder"

# what the rules allow
tree allowed
printf '#include "common/params.h"\n#include "indexes/lastmile.h"\n' >"$T/allowed/indexes/x.c"
printf '#include "indexes/index.h"\n#include "datasets/dataset.h"\n#include "common/rng.h"\n' >"$T/allowed/workloads/x.c"
printf '#include "indexes/btree.c"\n#include "workloads/read.c"\n' >"$T/allowed/tests/x.c"
printf '#include "pgm/pgm_index.hpp"\n' >"$T/allowed/indexes/ref.cc"
printf '#include "harness/csvread.h"\n#include "harness/stats.h"\n#include "workloads/workload.h"\n' >"$T/allowed/report/x.c"
printf '  #  include "harness/runner.h"\n' >"$T/allowed/harness/x.c"
expect 0 "what the rules allow" -- $CHECK "$T/allowed"

expect 2 "a root that is not there" -- $CHECK "$T/nowhere"
one_line "cannot enter" "one line on stderr"

finish
