#!/usr/bin/env bash
# tests/cli/fetch_data.sh — the fetch script without the network: usage
# errors, idempotence on a present and valid data set, conversion through
# `omenbench convert`, and a clear error for a bad file.
set -u
. "$(dirname "$0")/lib.sh"
OB=./omenbench
expect 2 "no argument" -- scripts/fetch-data.sh
expect 2 "unknown argument" -- scripts/fetch-data.sh frobnicate
mkdir -p "$T/ds"
$OB gen uden -n 1000 -o "$T/ds/ipv4geo_3M_uint64" >/dev/null
OMENBENCH_DATASETS="$T/ds" expect 0 "already present" -- scripts/fetch-data.sh ipv4geo
contains "$T/out" "already present and valid" "idempotent"
OMENBENCH_DATASETS="$T/ds" expect 0 "list" -- scripts/fetch-data.sh list
contains "$T/out" "ipv4geo_3M_uint64: 1000 keys" "list shows it"
printf 'abc' >"$T/city.dat"
expect 2 "convert truncated" -- $OB convert geoip-city "$T/city.dat" "$T/out_uint64"
one_line "truncated record" "one-line error"
expect 2 "convert usage" -- $OB convert nosuch a b
expect 0 "every4" -- $OB convert every4 "$T/ds/ipv4geo_3M_uint64" "$T/small_uint64"
contains "$T/out" "250 keys" "downsampled to a quarter"
# flights: a file that is not the recorded one is fetched again; offline
# (an npm that cannot reach the registry) that is one line and exit 1
mkdir -p "$T/bin"
printf '#!/bin/sh\necho "npm error network" >&2\nexit 1\n' >"$T/bin/npm"
chmod +x "$T/bin/npm"
$OB gen ts_regular -n 1000 -o "$T/ds/flights_ts_3M_uint64" >/dev/null
PATH="$T/bin:$PATH" OMENBENCH_DATASETS="$T/ds" expect 1 "flights offline" -- scripts/fetch-data.sh flights
one_line "could not fetch vega-datasets" "offline: one line"
if command -v node >/dev/null; then
	expect 2 "parquet-to-sosd usage" -- node scripts/parquet-to-sosd.mjs
	one_line "usage: parquet-to-sosd.mjs" "usage: one line"
fi
finish
