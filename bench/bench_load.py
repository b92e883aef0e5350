"""Benchmark of :func:`regionanalys.load` as the data grows (issue 15).

Generates data at 1×, 10×, 100× today's rows (the ``data/`` tracked in git, about 2 400
rows) and at 1,5 million rows, with a fixed recipe: copy ``k`` of every row gets the org
``"<org> k"`` (copy 0 is the original), so keys stay unique, and every rule across rows
(totals, month gaps, bounds, duplicates) has ``k`` times the groups to check. Rows go into
files of at most 50 000 rows that keep their region prefix. Each measurement runs
``load()`` in a new Python process (imports are not timed) and records wall seconds and
the process's peak RSS.

    .venv/bin/python bench/bench_load.py                 # 1×, 10×, 100×, 1,5 M; parsed-file cache off
    .venv/bin/python bench/bench_load.py --scales 1,10 --runs 3 --cache both

``--cache off`` times a cold load (cache disabled); ``warm`` loads once to fill a fresh
cache, then times loads that hit it; ``both`` reports the two. The figures move by 2× when
other work shares the cores: run on a quiet machine, and compare rows of one run only.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_ROWS = 1_500_000
ROWS_PER_FILE = 50_000

_CHILD = r"""
import json, os, resource, sys, time
import regionanalys as ra
import regionanalys.data.loading  # imports (pandas, pandera) are not timed
t0, c0 = time.perf_counter(), time.process_time()
df = ra.load(sys.argv[1])
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"rows": len(df), "wall": wall, "cpu": cpu, "peak_rss": peak}))
"""


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def base_rows(rev: str | None = None) -> tuple[dict[str, list[str]], dict[str, list[list[str]]], dict[str, str]]:
    """Header and rows of every observation file of the committed data (at ``rev``, else
    as tracked in the working tree), and the meta files."""
    listing = (_git("ls-tree", "-r", "--name-only", rev, "data") if rev else _git("ls-files", "data")).split()
    header: dict[str, list[str]] = {}
    files: dict[str, list[list[str]]] = {}
    meta: dict[str, str] = {}
    for rel in listing:
        if not rel.endswith(".csv"):
            continue
        text = _git("show", f"{rev}:{rel}") if rev else (ROOT / rel).read_text(encoding="utf-8")
        text = text.removeprefix("\ufeff")
        if rel.startswith("data/meta/"):
            meta[rel[len("data/"):]] = text
            continue
        rows = list(csv.reader(text.splitlines(), delimiter=";"))
        header[rel[len("data/"):]] = [h.strip().lower() for h in rows[0]]
        files[rel[len("data/"):]] = [r for r in rows[1:] if any(c.strip() for c in r)]
    return header, files, meta


def generate(target: Path, copies: int | float, header, files, meta) -> int:
    """Write ``copies`` × today's rows (a fraction of the last copy for 1,5 M) under ``target``."""
    total = sum(len(r) for r in files.values())
    want = int(round(copies * total))
    written = 0
    for rel, text in meta.items():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_text(text, encoding="utf-8")
    for rel, rows in sorted(files.items()):
        org = header[rel].index("org")
        share = round(want * len(rows) / total)
        out: list[list[str]] = []
        k = 0
        while len(out) < share:
            take = rows[: share - len(out)]
            out.extend([*r[:org], r[org] if k == 0 else f"{r[org]} {k}", *r[org + 1:]] for r in take)
            k += 1
        stem = Path(rel).with_suffix("")
        for i in range(0, len(out), ROWS_PER_FILE):
            path = target / f"{stem}_{i // ROWS_PER_FILE:03d}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh, delimiter=";")
                w.writerow(header[rel])
                w.writerows(out[i: i + ROWS_PER_FILE])
        written += len(out)
    return written


def measure(data: Path, cache: str, cache_dir: Path, src: Path | None = None) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    if src is not None:  # another checkout's library, for a before/after comparison
        env["PYTHONPATH"] = str(src) + os.pathsep + env.get("PYTHONPATH", "")
    if cache == "off":
        env["REGIONANALYS_CACHE"] = "off"
    else:
        env["REGIONANALYS_CACHE_DIR"] = str(cache_dir)
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(data)], capture_output=True, text=True, env=env, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fit_us_per_row(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of wall seconds against rows, in µs per row."""
    n = len(points)
    if n < 2:
        return points[0][1] / points[0][0] * 1e6
    mx = sum(r for r, _ in points) / n
    my = sum(t for _, t in points) / n
    sxx = sum((r - mx) ** 2 for r, _ in points)
    return sum((r - mx) * (t - my) for r, t in points) / sxx * 1e6


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", default="1,10,100,M", help="comma-separated multiples of today's rows; M = 1,5 million rows")
    ap.add_argument("--runs", type=int, default=1, help="runs per scale (median)")
    ap.add_argument("--cache", choices=["off", "warm", "both"], default="off")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--data-rev", help="generate from data/ as of this commit (default: the tracked files as they are)")
    ap.add_argument("--src", type=Path, help="time the library in this src/ folder instead (e.g. a `git worktree` of an older commit)")
    args = ap.parse_args(argv)
    header, files, meta = base_rows(args.data_rev)
    today = sum(len(r) for r in files.values())
    modes = ["off", "warm"] if args.cache == "both" else [args.cache]
    results = []
    print(f"today's rows: {today}")
    print(f"{'scale':>8} {'rows':>10} {'cache':>6} {'wall s':>8} {'CPU s':>8} {'µs/row':>8} {'peak RSS MB':>12}")
    with tempfile.TemporaryDirectory(prefix="bench_load_") as tmp:
        for scale in args.scales.split(","):
            copies = TARGET_ROWS / today if scale.strip().upper() == "M" else float(scale)
            data = Path(tmp) / f"data_{scale}"
            data.mkdir()
            rows = generate(data, copies, header, files, meta)
            for mode in modes:
                cache_dir = Path(tmp) / f"cache_{scale}"
                if mode == "warm":
                    measure(data, mode, cache_dir, args.src)  # fill the cache
                runs = [measure(data, mode, cache_dir, args.src) for _ in range(args.runs)]
                wall = statistics.median(r["wall"] for r in runs)
                cpu = statistics.median(r["cpu"] for r in runs)
                peak = max(r["peak_rss"] for r in runs)
                assert all(r["rows"] == rows for r in runs), (rows, runs)
                results.append({"scale": scale, "rows": rows, "cache": mode, "wall": wall, "cpu": cpu, "peak_rss": peak})
                print(f"{scale:>8} {rows:>10} {mode:>6} {wall:>8.2f} {cpu:>8.2f} {wall / rows * 1e6:>8.1f} {peak / 1e6:>12.0f}", flush=True)
    for mode in modes:
        pts = [(r["rows"], r["wall"]) for r in results if r["cache"] == mode]
        cpts = [(r["rows"], r["cpu"]) for r in results if r["cache"] == mode]
        print(f"fitted ({mode}): {fit_us_per_row(pts):.1f} µs per row wall, {fit_us_per_row(cpts):.1f} µs per row CPU")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
