# tests/cli/lib.sh — helpers for the command-line tests: each `expect`
# counts one assertion; `finish` prints the closing "N passed, N failed".
OB=${OB:-build/test/omenbench}
pass=0 fail=0
T=$(mktemp -d /tmp/omenbench-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT
ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# expect STATUS DESCRIPTION -- command...   (output in $T/out, $T/err)
expect() {
	local want=$1 what=$2; shift 3
	"$@" >"$T/out" 2>"$T/err"
	local rc=$?
	if [ "$rc" = "$want" ]; then ok; else bad "$what: exit $rc, want $want"; sed 's/^/    /' "$T/err" | tail -5 >&2; fi
}
# one_line: stderr is exactly one line naming the problem
one_line() {
	local n; n=$(wc -l <"$T/err")
	if [ "$n" -eq 1 ] && grep -q "$1" "$T/err"; then ok; else bad "$2: stderr was: $(cat "$T/err")"; fi
}
contains() { if grep -q -- "$2" "$1"; then ok; else bad "$3: '$2' not in $1"; fi; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; }
