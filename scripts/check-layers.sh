#!/usr/bin/env bash
# scripts/check-layers.sh [ROOT] — checks that every #include "..." in the
# source tree stays within its layer (README.md, Layout):
#
#   common/              common/ only: it depends on nothing
#   datasets/, indexes/  common/ and their own folder
#   workloads/           common/, datasets/, itself, and of indexes/ only the
#                        contract indexes/index.h (never an index's code)
#   report/              common/, itself, the CSV reader and statistics
#                        (harness/csv*.h, harness/stats.h) and the
#                        registries' contracts (indexes/index.h,
#                        workloads/workload.h)
#   harness/, tests/     anything
#
# and that every project header is named by its folder ("common/params.h",
# not "params.h"), the include path being the repository root.  A header
# of another folder (a reference checkout's "pgm/pgm_index.hpp") is not
# ours and is not checked.  Prints one line per include that breaks a rule
# and exits 1; otherwise one summary line and exit 0 (2: ROOT unreadable).
set -u
root=${1:-.}
cd "$root" 2>/dev/null || { echo "check-layers: cannot enter $root" >&2; exit 2; }

# May a file in folder $1 include path $2 (folder-qualified)?
allowed() {
	local from=$1 path=$2 to=${2%%/*}
	case $to in
	common | datasets | indexes | workloads | report | harness | tests | build) ;;
	*) return 0 ;; # not one of our folders
	esac
	[ "$to" = "$from" ] || [ "$to" = common ] && return 0
	case $from in
	workloads) [ "$to" = datasets ] || [ "$path" = indexes/index.h ] ;;
	report)
		case $path in
		harness/csv*.h | harness/stats.h | indexes/index.h | workloads/workload.h) return 0 ;;
		*) return 1 ;;
		esac
		;;
	harness | tests) return 0 ;;
	*) return 1 ;;
	esac
}

rule_of() {
	case $1 in
	common) echo "common/ includes nothing outside common/" ;;
	datasets | indexes) echo "$1/ includes only common/ and $1/" ;;
	workloads) echo "workloads/ includes only common/, datasets/, workloads/ and indexes/index.h" ;;
	report) echo "report/ includes only common/, report/, harness/csv*.h, harness/stats.h, indexes/index.h and workloads/workload.h" ;;
	esac
}

bad=0 checked=0
while IFS= read -r hit; do
	file=${hit%%:*}
	rest=${hit#*:}
	line=${rest%%:*}
	path=${rest#*:}
	path=${path#*\"}
	path=${path%%\"*}
	from=${file%%/*}
	checked=$((checked + 1))
	if [ "${path#*/}" = "$path" ]; then
		echo "$file:$line: #include \"$path\" does not name its folder (e.g. \"common/$path\")"
		bad=$((bad + 1))
	elif ! allowed "$from" "$path"; then
		echo "$file:$line: #include \"$path\": $(rule_of "$from")"
		bad=$((bad + 1))
	fi
done < <(grep -rnE --include='*.c' --include='*.h' --include='*.cc' \
	'^[[:space:]]*#[[:space:]]*include[[:space:]]*"' common datasets indexes workloads report harness tests 2>/dev/null)

if [ "$bad" -ne 0 ]; then
	exit 1
fi
echo "check-layers: $checked includes, every one within its layer"
