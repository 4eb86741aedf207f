# tests/cli/lib.sh — helpers for the command-line tests.  A test case is a
# scenario: each `expect` (one command as a user types it) opens one, and the
# checks after it (`one_line`, `contains`, `ok`/`bad`) belong to it; a
# scenario fails when any of its checks does.  `finish` prints the assertion
# totals, then the closing "N passed, N failed" line counting scenarios.
OB=${OB:-build/test/omenbench}
pass=0 fail=0                  # assertions
cases_pass=0 cases_fail=0      # scenarios
case_open=0 case_bad=0
T=$(mktemp -d /tmp/omenbench-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT
close_case() {
	[ "$case_open" = 1 ] || return 0
	if [ "$case_bad" = 1 ]; then cases_fail=$((cases_fail + 1)); else cases_pass=$((cases_pass + 1)); fi
	case_open=0
}
open_case() { close_case; case_open=1; case_bad=0; }
ok()   { pass=$((pass + 1)); [ "$case_open" = 1 ] || open_case; }
bad()  { fail=$((fail + 1)); [ "$case_open" = 1 ] || open_case; case_bad=1; echo "FAIL: $*" >&2; }
# expect STATUS DESCRIPTION -- command...   (output in $T/out, $T/err)
expect() {
	local want=$1 what=$2; shift 3
	open_case
	"$@" >"$T/out" 2>"$T/err"
	local rc=$?
	if [ "$rc" = "$want" ]; then ok; else bad "$what: exit $rc, want $want"; sed 's/^/    /' "$T/err" | tail -5 >&2; fi
}
# one_line: stderr is exactly one line naming the problem
one_line() {
	local n; n=$(wc -l <"$T/err")
	if [ "$n" -eq 1 ] && grep -q -- "$1" "$T/err"; then ok; else bad "$2: stderr was: $(cat "$T/err")"; fi
}
contains() { if grep -q -- "$2" "$1"; then ok; else bad "$3: '$2' not in $1"; fi; }
finish() {
	close_case
	echo "assertions: $pass passed, $fail failed"
	echo "$cases_pass passed, $cases_fail failed"
	[ "$fail" -eq 0 ]
}
