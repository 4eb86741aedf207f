#!/usr/bin/env bash
# scripts/deps.sh — make sure the Debian packages omenbench builds and plots
# with are present.  As root it installs what is missing with apt-get;
# otherwise it prints the one command to run and fails.
set -euo pipefail

missing=()
have_header() { [ -f "/usr/include/$1" ]; }
have_header sqlite3.h     || missing+=(libsqlite3-dev)
have_header lmdb.h        || missing+=(liblmdb-dev)
have_header rocksdb/c.h   || missing+=(librocksdb-dev)
have_header xxhash.h      || missing+=(libxxhash-dev)
command -v gnuplot >/dev/null 2>&1 || missing+=(gnuplot-nox)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
command -v valgrind >/dev/null 2>&1 || missing+=(valgrind)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "omenbench: missing packages; run: sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "omenbench: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q "${missing[@]}" >/tmp/omenbench-apt.log 2>&1; then
	apt-get update -q >>/tmp/omenbench-apt.log 2>&1 || true
	apt-get install -y -q "${missing[@]}" >>/tmp/omenbench-apt.log 2>&1 || {
		echo "omenbench: apt-get install ${missing[*]} failed; see /tmp/omenbench-apt.log" >&2
		exit 1
	}
fi
