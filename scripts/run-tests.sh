#!/usr/bin/env bash
# scripts/run-tests.sh — runs each test program, then the CLI tests, and
# prints one closing "N passed, N failed" line that adds up their test cases
# (tests/test.h, tests/cli/lib.sh), after the assertion totals.
set -u
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
passed=0 failed=0 asserted=0 assert_failed=0
run_one() {
	local name=$1; shift
	local log
	log=$(mktemp)
	local start=$SECONDS
	"$@" >"$log" 2>&1
	local rc=$?
	local line p f
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -n "$line" ]; then
		p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
	else
		p=0; f=1
	fi
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi  # a crash counts as a failure
	passed=$((passed + p)); failed=$((failed + f))
	local a=0 af=0
	line=$(grep -E '^assertions: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -n "$line" ]; then line=${line#assertions: }; a=${line%% passed*}; af=${line#*, }; af=${af%% failed*}; fi
	asserted=$((asserted + a)); assert_failed=$((assert_failed + af))
	printf '%-28s %4d cases passed %3d failed %10d assertions  (%ds)\n' "$name" "$p" "$f" "$a" $((SECONDS - start))
	if [ "$f" -ne 0 ]; then sed 's/^/    /' "$log" | tail -n 40; fi
	rm -f "$log"
}
for t in "$@"; do
	name=$(basename "$t")
	case $t in # a test also built for another instruction set says which
	build/test-*/*) dir=${t%/*}; name="$name ${dir#build/test-}" ;;
	esac
	run_one "$name" "$t"
done
for t in tests/cli/*.sh; do
	[ -f "$t" ] && [ "$(basename "$t")" != lib.sh ] && run_one "cli/$(basename "$t" .sh)" bash "$t"
done
echo "assertions: $asserted passed, $assert_failed failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
