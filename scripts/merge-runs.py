#!/usr/bin/env python3
"""Merge the CSVs of a run done in parts into one, as results/bench.csv is.

usage: scripts/merge-runs.py OUT PART.csv [LATER.csv ...]

A later part replaces every row of an earlier one with the same experiment
and index (dataset, index, workload, wparams, mode): it re-ran that
experiment for that index, so both sides of a comparison come from one
command.  Within a part, a row repeating an earlier one's configuration,
build and repetition is dropped (binaries before afbd4a3 ran a sweep's
default configuration twice).  Prints what it dropped, so the merge can be
stated beside the results.
"""
import csv
import sys

EXPERIMENT = ('dataset', 'index', 'workload', 'wparams', 'mode')
CONFIG = EXPERIMENT + ('params', 'threads', 'ops', 'build', 'rep')


def read(path):
    try:
        with open(path, newline='') as f:
            rows = list(csv.reader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        sys.exit(f"merge-runs: {path}: {e}")
    if not rows:
        sys.exit(f"merge-runs: {path} is empty")
    missing = [c for c in CONFIG if c not in rows[0]]
    if missing:
        sys.exit(f"merge-runs: {path} is not an omenbench CSV (no column {missing[0]})")
    width = len(rows[0])
    for n, r in enumerate(rows[1:], 2):
        if len(r) != width:
            sys.exit(f"merge-runs: {path}:{n}: {len(r)} fields, the header has {width}")
    return rows[0], rows[1:]


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: scripts/merge-runs.py OUT PART.csv [LATER.csv ...]")
    out, parts = sys.argv[1], sys.argv[2:]
    head, kept = None, []
    for path in parts:
        h, body = read(path)
        if head is None:
            head = h
        elif h != head:
            sys.exit(f"merge-runs: {path} has other columns than {parts[0]}")
        col = {k: j for j, k in enumerate(head)}
        key = lambda r, names: tuple(r[col[c]] for c in names)
        seen, fresh = set(), []
        for r in body:
            k = key(r, CONFIG)
            if k not in seen:
                seen.add(k)
                fresh.append(r)
        redone = {key(r, EXPERIMENT) for r in fresh}
        before = len(kept)
        kept = [r for r in kept if key(r, EXPERIMENT) not in redone]
        print(f"{path}: {len(body)} rows, {len(body) - len(fresh)} repeats "
              f"dropped, {before - len(kept)} earlier rows replaced")
        kept += fresh
    try:
        with open(out, 'w', newline='') as f:
            w = csv.writer(f, lineterminator='\n')
            w.writerow(head)
            w.writerows(kept)
    except OSError as e:
        sys.exit(f"merge-runs: {out}: {e}")
    print(f"{out}: {len(kept)} rows")


if __name__ == '__main__':
    main()
