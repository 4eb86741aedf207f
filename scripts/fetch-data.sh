#!/usr/bin/env bash
# scripts/fetch-data.sh — real data sets, fetched and converted to SOSD format.
#
#   scripts/fetch-data.sh ipv4geo   geoip-lite's IPv4 blocks (npm registry) ->
#                                   datasets/ipv4geo_3M_uint64
#   scripts/fetch-data.sh flights   vega-datasets' 3M US flights of 2001 (npm
#                                   registry): their departure times as
#                                   time-series keys -> datasets/flights_ts_3M_uint64
#   scripts/fetch-data.sh sosd      SOSD's books, fb, osm, wiki (200M keys) from
#                                   their published sources, md5-checked
#   scripts/fetch-data.sh list      what is in datasets/
#
# Idempotent: a data set already present and valid is left alone.  Nothing
# fetched is committed (.gitignore).  $OMENBENCH_DATASETS moves datasets/.
set -uo pipefail
cd "$(dirname "$0")/.."
DIR=${OMENBENCH_DATASETS:-datasets}
CACHE=$DIR/cache
OB=${OB:-./omenbench}

die() { echo "fetch-data: $*" >&2; exit 1; }
need_ob() { [ -x "$OB" ] || make -s omenbench >/dev/null || die "cannot build ./omenbench"; }

# valid FILE: the count header matches the size and the keys are sorted
valid() { [ -f "$1" ] && "$OB" check "$1" >/dev/null 2>&1; }

ipv4geo() {
	need_ob
	local out=$DIR/ipv4geo_3M_uint64
	if valid "$out"; then
		echo "fetch-data: already present and valid: $("$OB" check "$out")"
		return 0
	fi
	command -v npm >/dev/null || die "npm is missing (apt-get install npm); it fetches geoip-lite from the npm registry"
	mkdir -p "$CACHE"
	local tgz
	tgz=$(cd "$CACHE" && timeout 300 npm pack geoip-lite --silent 2>/dev/null | tail -n 1)
	[ -n "$tgz" ] && [ -f "$CACHE/$tgz" ] || die "could not fetch geoip-lite from the npm registry (offline?)"
	echo "fetch-data: fetched $tgz"
	tar -xzf "$CACHE/$tgz" -C "$CACHE" package/data/geoip-city.dat || die "$tgz has no data/geoip-city.dat"
	"$OB" convert geoip-city "$CACHE/package/data/geoip-city.dat" "$out" || die "conversion failed"
	valid "$out" || die "$out does not check out after conversion"
	"$OB" check "$out"
}

md5_of() { md5sum "$1" | cut -d' ' -f1; }

# Real timestamps: the scheduled departure of each of 3,000,000 US domestic
# flights, January to June 2001 (BTS on-time data as packaged by the Vega
# project, BSD-3-Clause), in microseconds since 1970.  Minute resolution, so
# most keys repeat (14 flights per minute on average): a dense, bursty
# (daily and weekly cycles) series with duplicates.  Pinned versions and the
# md5 of the result make the keys the same on every machine.
FLIGHTS_PKG=vega-datasets@3.2.1
FLIGHTS_TOOLS="hyparquet@1.33.0 hyparquet-compressors@1.1.2"
FLIGHTS_MD5=cb7c478ba0099946aff1c23e08035bc0
flights() {
	need_ob
	local out=$DIR/flights_ts_3M_uint64
	if [ -f "$out" ] && [ "$(md5_of "$out")" = "$FLIGHTS_MD5" ]; then
		echo "fetch-data: already present, md5 ok: $("$OB" check "$out")"
		return 0
	fi
	command -v npm >/dev/null && command -v node >/dev/null ||
		die "npm and node are needed (apt-get install npm): they fetch and read vega-datasets' Parquet file"
	mkdir -p "$CACHE/flights"
	local tgz
	tgz=$(cd "$CACHE/flights" && timeout 300 npm pack "$FLIGHTS_PKG" --silent 2>/dev/null | tail -n 1)
	[ -n "$tgz" ] && [ -f "$CACHE/flights/$tgz" ] || die "could not fetch $FLIGHTS_PKG from the npm registry (offline?)"
	tar -xzf "$CACHE/flights/$tgz" -C "$CACHE/flights" package/data/flights-3m.parquet ||
		die "$tgz has no data/flights-3m.parquet"
	# The Parquet reader (pure JavaScript, no native code), into the cache only
	[ -d "$CACHE/flights/node_modules/hyparquet-compressors" ] ||
		(cd "$CACHE/flights" && timeout 300 npm install --no-save --no-audit --no-fund --silent $FLIGHTS_TOOLS >/dev/null 2>&1) ||
		die "could not install $FLIGHTS_TOOLS from the npm registry"
	node scripts/parquet-to-sosd.mjs "$CACHE/flights/node_modules" "$CACHE/flights/package/data/flights-3m.parquet" \
		date "$out.tmp" >/dev/null || { rm -f "$out.tmp"; die "conversion of flights-3m.parquet failed"; }
	local got
	got=$(md5_of "$out.tmp")
	[ "$got" = "$FLIGHTS_MD5" ] || { rm -f "$out.tmp"; die "flights_ts_3M_uint64: md5 $got is not the recorded $FLIGHTS_MD5"; }
	mv "$out.tmp" "$out"
	"$OB" check "$out"
}

sosd() {
	need_ob
	command -v curl >/dev/null || die "curl is missing (apt-get install curl)"
	command -v zstd >/dev/null || die "zstd is missing (apt-get install zstd)"
	mkdir -p "$DIR"
	local table=results/sosd_datasets.csv
	# Reachability first: without network say so once and stop.
	curl -s -o /dev/null --connect-timeout 10 --max-time 20 -I https://dataverse.harvard.edu/ ||
		die "cannot reach dataverse.harvard.edu (no network here?); SOSD's data sets were not downloaded"
	grep -v '^#' "$table" | tail -n +2 | while IFS=, read -r file md5 url; do
		local path=$DIR/$file
		if [ -f "$path" ] && [ "$(md5_of "$path")" = "$md5" ]; then
			echo "fetch-data: $file present, md5 ok"; continue
		fi
		echo "fetch-data: downloading $file"
		curl -fsSL --connect-timeout 10 "$url" | zstd -dq >"$path.tmp" || { rm -f "$path.tmp"; die "download of $file failed"; }
		[ "$(md5_of "$path.tmp")" = "$md5" ] || { rm -f "$path.tmp"; die "$file: md5 mismatch"; }
		mv "$path.tmp" "$path"
	done || exit 1
	# SOSD's 200M books and osm are every 4th key of the 800M files.
	for big in books_800M_uint64 osm_cellids_800M_uint64; do
		local small=${big/800M/200M}
		[ -f "$DIR/$big" ] && ! valid "$DIR/$small" && "$OB" convert every4 "$DIR/$big" "$DIR/$small"
	done
	echo "fetch-data: SOSD data sets ready in $DIR"
}

list() {
	local any=0
	for f in "$DIR"/*_uint64 "$DIR"/*_uint32; do
		[ -f "$f" ] || continue
		any=1
		if [ -x "$OB" ]; then "$OB" check "$f" 2>&1; else ls -l "$f"; fi
	done
	[ $any = 1 ] || echo "fetch-data: no data sets in $DIR (omenbench gen, or fetch-data.sh ipv4geo)"
}

case "${1:-}" in
ipv4geo) ipv4geo ;;
flights) flights ;;
sosd) sosd ;;
list) list ;;
*) echo "usage: scripts/fetch-data.sh ipv4geo|flights|sosd|list" >&2; exit 2 ;;
esac
