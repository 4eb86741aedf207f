#!/usr/bin/env bash
# scripts/check-function-length.sh [ROOT] [MAX] — no function in harness/,
# report/ or common/ is longer than MAX lines (80 by default), so that each
# does one job a reader can hold in view.  A function is counted from its
# definition's first line (a line starting with a name and holding "(",
# not ending in ";") to the closing brace in column 0, the kernel style
# every file here follows.  Prints one line per long function and exits 1;
# otherwise one summary line and exit 0 (2: ROOT unreadable).
set -u
root=${1:-.}
max=${2:-80}
cd "$root" 2>/dev/null || { echo "check-function-length: cannot enter $root" >&2; exit 2; }
files=$(ls harness/*.c report/*.c common/*.c 2>/dev/null)
[ -n "$files" ] || { echo "check-function-length: no C files under harness/, report/ or common/"; exit 0; }
# shellcheck disable=SC2086
awk -v max="$max" '
	FNR == 1 { start = 0 }
	/^[A-Za-z_].*\(/ && !/;[ \t]*$/ { name = $0; start = FNR; file = FILENAME }
	/^}/ && start {
		n++
		if (FNR - start + 1 > max) {
			long++
			sub(/\(.*/, "", name); sub(/.*[ *]/, "", name)
			printf "%s:%d: %s is %d lines (at most %d)\n", file, start, name, FNR - start + 1, max
		}
		start = 0
	}
	END {
		if (long) exit 1
		printf "check-function-length: %d functions, every one at most %d lines\n", n, max
	}' $files
