#!/usr/bin/env bash
# tests/cli/function_length.sh — scripts/check-function-length.sh: this tree
# keeps every function in harness/, report/ and common/ within 80 lines,
# and a made-up tree with one 81-line function is caught, named and placed.
set -u
. "$(dirname "$0")/lib.sh"
CHECK=scripts/check-function-length.sh

expect 0 "this tree's functions are short" -- $CHECK .
contains "$T/out" "every one at most 80 lines" "a summary line"

# A made-up tree: one short function, then one of 81 lines (signature,
# braces, 77 statements and a return).
mkdir -p "$T/long/report"
{
	printf 'static int short_one(void)\n{\n\treturn 0;\n}\n\n'
	printf 'int long_one(int a)\n{\n'
	for i in $(seq 1 77); do printf '\ta += %d;\n' "$i"; done
	printf '\treturn a;\n}\n'
} >"$T/long/report/x.c"
expect 1 "an 81-line function" -- $CHECK "$T/long"
contains "$T/out" "^report/x.c:6: long_one is 81 lines (at most 80)" "named with its file and line"
if grep -q short_one "$T/out"; then bad "the short function was reported"; else ok; fi

expect 0 "a higher limit lets it pass" -- $CHECK "$T/long" 90
expect 2 "an unreadable root" -- $CHECK "$T/absent"
finish
