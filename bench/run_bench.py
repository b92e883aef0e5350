"""Benchmark of data loading and the report runner (issue 15). Run with ``make bench`` or

    .venv/bin/python bench/run_bench.py [--runs 3] [--runs-21 N] [--quick] [--sets 3,21] [--scales 1,10,100,M]

One invocation measures every row of the table below on this machine, prints the table
and writes it into bench/README.md (between the markers). Nothing is written to data/ or
reports/: data and reports go to a temporary directory; the library and the notebooks
are snapshotted at the start, so edits made while the bench runs do not leak in.

* **load()** at 1×, 10×, 100× today's rows and at 1,5 million rows (bench/bench_load.py's
  fixed recipe), each in a new process with the parsed-file cache off: wall and CPU
  seconds, peak RSS, and the least-squares µs per row.
* **The runner** for 3 regions (17, 18, 24) and for all 21 (the 18 without real data get
  generated example data, fixed seed): naive (papermill + nbconvert CLIs per report,
  one after the other), cold (``run --force`` with an empty parsed-file cache), warm
  (``run`` with nothing changed), one region's data file changed (``run``), the
  comparison report alone (``run -n jamforelse --force``), and the floor (bench/floor.py:
  as many warm processes as the runner has workers, the notebooks' code in-process with
  papermill's parameters and the runner's nbconvert exporter). Wall and CPU seconds
  (``getrusage`` of the process tree), peak RSS per worker (psutil, the worker plus any
  process it started, sampled every 0.1 s), the largest report.

Timed rows are medians of ``--runs`` runs, taken in rounds (one of each row per round) so
that slow phases of a shared machine spread over all rows; every ratio is between medians
of this one invocation. Targets of issue 15 are printed beside the figures (✓/✗); they are
not asserted. Raw numbers go to bench/results/<time>.json (not committed).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
README = HERE / "README.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
sys.path.insert(0, str(HERE))
import bench_load  # noqa: E402 - the data engineer's load benchmark, reused for the scale axis

# Approximate population (thousands, 2023) for the example data of regions without real data.
POPULATION = {
    "01": 2454, "03": 399, "04": 301, "05": 472, "06": 370, "07": 203, "08": 246, "09": 61, "10": 157,
    "12": 1414, "13": 344, "14": 1744, "17": 283, "18": 310, "19": 280, "20": 288, "21": 288,
    "22": 244, "23": 132, "24": 278, "25": 249,
}
REAL = ("17", "18", "24")
SEED = 20240521
CHANGED_REGION = "17"
COMPARISON = "jamforelse"

# Targets of issue 15 (on the 2-core machine); checked, never asserted.
T_LOAD_100 = 2.0
T_LOAD_M = 10.0
T_LOAD_M_RSS_MB = 1024
T_COLD_21 = 20.0
T_COLD_FLOOR_CPU = 1.2
T_NAIVE_COLD = 15.0
T_WARM = 0.3
T_CHANGED_21 = 6.0
T_COMPARISON_21 = 4.0
T_RSS_WORKER_MB = 400
T_REPORT_BYTES = 1.5e6


def log(msg: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


# --- data and suite ---------------------------------------------------------------------


def example_rows(code: str, rng) -> list[list[str]]:
    """Plausible annual finance and savings rows for one region (marked example)."""
    pop = POPULATION[code] * 1000
    src = f"Exempeldata, genererade av bench/run_bench.py (seed {SEED}), inte verkliga siffror"
    rows = []

    def row(series, category, period, kind, value, unit="mnkr", org="region"):
        rows.append([code, org, series, category, str(period), kind, f"{value:.1f}".replace(".", ","), unit, src, "", "true"])

    per_cap_cost = rng.normal(40_500, 1_500)
    per_cap_tax = per_cap_cost * rng.normal(0.995, 0.01)
    growth_cost = {2022: 1.0, 2023: rng.normal(1.085, 0.015), 2024: rng.normal(1.05, 0.01)}
    growth_tax = {2022: 1.0, 2023: rng.normal(1.05, 0.01), 2024: rng.normal(1.045, 0.01)}
    cost_level, tax_level = 1.0, 1.0
    for year in (2021, 2022, 2023, 2024):
        cost_level *= growth_cost.get(year, 0.96)
        tax_level *= growth_tax.get(year, 0.97)
        netto = per_cap_cost * cost_level * pop / 1e6
        skatt = per_cap_tax * tax_level * pop / 1e6
        kind = "utfall" if year <= 2023 else "budget"
        row("nettokostnader", "", year, kind, netto)
        row("skatt_statsbidrag", "", year, kind, skatt)
        row("verksamhetens_resultat", "", year, kind, skatt - netto)
        row("arets_resultat", "", year, kind, skatt - netto + rng.normal(0.004, 0.003) * skatt)
        row("befolkning", "", year, "utfall" if year <= 2023 else "prognos", pop * (1 + 0.004 * (year - 2023)), "personer")
        if year == 2023:
            row("nettokostnader", "", year, "budgetavvikelse", netto * rng.normal(0.03, 0.015))
            row("skatt_statsbidrag", "", year, "budgetavvikelse", skatt * rng.normal(0.005, 0.005))
            row("verksamhetens_resultat", "", year, "budgetavvikelse", -netto * rng.normal(0.025, 0.01))
    demand = per_cap_cost * cost_level * pop / 1e6 * rng.uniform(0.02, 0.04)
    row("besparing", "", 2024, "krav", demand)
    for year, share in ((2024, 0.45), (2025, 0.75), (2026, 1.0)):
        row("besparing", "personalkostnadsreduceringar", year, "plan", demand * share * 0.6 * rng.normal(1, 0.05))
        row("besparing", "ovriga_kostnadsreduceringar", year, "plan", demand * share * 0.3 * rng.normal(1, 0.05))
    return rows


def staffing_csv(code: str, rng) -> str | None:
    """Monthly staffing rows from the project's own generator, with a profile scaled from 17."""
    try:
        from regionanalys.data import example_data
        from regionanalys.data.importing import observation_csv

        base = example_data.PROFILES["17"]
        k = POPULATION[code] / POPULATION["17"]
        example_data.PROFILES.setdefault(code, {
            "own": base["own"] * k, "employees": base["employees"] * k,
            "rental": {g: v * k * rng.uniform(0.6, 1.4) for g, v in base["rental"].items()},
            "sick": base["sick"] + rng.normal(0, 0.5), "areas": base["areas"],
        })
        return observation_csv(example_data.generate_region(code, rng))
    except Exception as exc:  # noqa: BLE001 - the bench still runs without monthly data
        log(f"  (inga månadsdata för {code}: {type(exc).__name__}: {exc})")
        return None


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def snapshot(work: Path) -> dict:
    """Copy the library and the notebooks as they are now; every run uses the copies.

    The working tree may be edited while the bench runs; a notebook and the library it
    calls must come from the same moment, and the warm runs must not see the library
    hash change. Subprocesses get the copy first on PYTHONPATH (before the editable
    install's path), the naive runs' kernels inherit it.
    """
    from regionanalys import config

    src = work / "snapshot" / "src"
    shutil.copytree(ROOT / "src" / "regionanalys", src / "regionanalys", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    # Byte-compiled as an installed package is: with PYTHONDONTWRITEBYTECODE set (this
    # machine sets it) every worker and naive process would compile the library
    # from source again (~0.2 CPU-s each), which no user's installation does.
    import compileall

    compileall.compile_dir(src / "regionanalys", quiet=1)
    notebooks = work / "snapshot" / "notebooks"
    shutil.copytree(config.NOTEBOOKS_DIR, notebooks, ignore=shutil.ignore_patterns(".*"))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
           "NO_COLOR": "1", "PYTHONHASHSEED": "0"}
    env.pop("REGIONANALYS_CACHE", None)
    dirty = _git("status", "--porcelain", "--", "src", "notebooks")
    return {"src": src, "notebooks": notebooks, "env": env,
            "commit": _git("rev-parse", "--short", "HEAD") + ("+uncommitted changes" if dirty else "")}


def prepare_set(name: str, regions: list[str], work: Path, snap: dict) -> dict:
    """The tracked data/ files (plus example data for regions without real data) and the notebooks."""
    import numpy as np

    root = work / f"set-{name}"
    data = root / "data"
    for rel in _git("ls-files", "data").split("\n"):
        if rel and not rel.endswith(".md"):
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, root / rel)
    rng = np.random.default_rng(SEED)
    header = ["region", "org", "series", "category", "period", "kind", "value", "unit", "source", "note", "example"]
    for code in regions:
        if code in REAL:
            continue
        (data / "example").mkdir(exist_ok=True)
        lines = [";".join(header)] + [";".join(r) for r in example_rows(code, rng)]
        (data / "example" / f"{code}_exempel_ekonomi.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        text = staffing_csv(code, rng)
        if text:
            (data / "example" / f"{code}_exempel_bemanning.csv").write_text(text, encoding="utf-8")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    spec = tomllib.loads((snap["notebooks"] / "reports.toml").read_text(encoding="utf-8"))
    for table in spec.values():
        shutil.copy2(snap["notebooks"] / table["notebook"], notebooks / table["notebook"])
        table["regions"] = list(regions)
    lines = []
    for sid, table in spec.items():
        lines.append(f"[{sid}]")
        lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in table.items()]
        lines.append("")
    (notebooks / "reports.toml").write_text("\n".join(lines), encoding="utf-8")
    # the plan (report ids, titles, parameters) as the snapshot's runner makes it; validates the data too
    code = (
        "import json, sys; from regionanalys.data import loading; from regionanalys.report import runner; "
        "bad = [str(p) for p in loading.validate(sys.argv[2]) if getattr(p, 'is_error', True)]; "
        "bad and sys.exit('exempeldata ogiltiga:\\n' + '\\n'.join(bad[:20])); "
        "p = runner.plan_run(notebooks_dir=sys.argv[1], data_dir=sys.argv[2], out_dir=sys.argv[3]); "
        "print(json.dumps([{'id': j.id, 'title': j.title, 'notebook': str(j.notebook_path), 'parameters': j.parameters} for j in p.jobs]))"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(notebooks), str(data), str(root / "plan-only")],
                          capture_output=True, text=True, env=snap["env"])
    if proc.returncode != 0:
        raise SystemExit(f"planeringen misslyckades:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    jobs = json.loads(proc.stdout.strip().splitlines()[-1])
    (root / "plan.json").write_text(json.dumps(jobs, ensure_ascii=False), encoding="utf-8")
    changed = next(p for p in sorted(data.rglob(f"{CHANGED_REGION}_*.csv")) if "seeds" in p.parts)
    return {"name": name, "regions": regions, "root": root, "data": data, "notebooks": notebooks, "jobs": jobs,
            "env": snap["env"], "changed_file": changed, "changed_original": changed.read_text(encoding="utf-8")}


def change_region_file(s: dict, i: int) -> None:
    """A new content for one region's data file: the note of its first row (a valid, visible change)."""
    text = s["changed_original"]
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    note = [h.strip().lower() for h in rows[0]].index("note")
    rows[1] += [""] * (note + 1 - len(rows[1]))
    rows[1][note] = f"bench-ändring {i + 1}"
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows)
    s["changed_file"].write_text(buf.getvalue(), encoding="utf-8")


# --- processes: wall, CPU, peak RSS ---------------------------------------------------------


class TreeSampler:
    """Peak resident memory of a process tree, sampled with psutil every ``interval`` s.

    ``groups``: per worker (a direct child of the root: a floor worker, a spawned runner
    worker; or a child of the runner's fork server, which forks the workers on Linux) the
    largest sum of its and its descendants' RSS at one moment; ``tree``: the largest sum
    over the whole tree (the fork server included).
    """

    def __init__(self, pid: int, interval: float = 0.1):
        import psutil

        self.root = psutil.Process(pid)
        self.interval = interval
        self.groups: dict[int, float] = {}
        self.tree = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    @staticmethod
    def _rss(p) -> float:
        try:
            return p.memory_info().rss / 2**20
        except Exception:  # noqa: BLE001 - gone between listing and reading
            return 0.0

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                kids = self.root.children()
            except Exception:  # noqa: BLE001 - the root has ended
                return
            total = self._rss(self.root)
            workers = []
            for k in kids:
                if self._is_fork_server(k):
                    total += self._rss(k)
                    try:
                        workers.extend(k.children())
                    except Exception:  # noqa: BLE001
                        pass
                else:
                    workers.append(k)
            for k in workers:
                try:
                    sub = k.children(recursive=True)
                except Exception:  # noqa: BLE001
                    sub = []
                mb = self._rss(k) + sum(self._rss(p) for p in sub)
                total += mb
                self.groups[k.pid] = max(self.groups.get(k.pid, 0.0), mb)
            self.tree = max(self.tree, total)
            self._stop.wait(self.interval)

    @staticmethod
    def _is_fork_server(p) -> bool:
        try:
            return any("multiprocessing.forkserver" in part for part in p.cmdline())
        except Exception:  # noqa: BLE001
            return False

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_proc(cmd: list[str], env: dict, what: str, check: bool = True) -> dict:
    """Run ``cmd``; wall seconds, CPU seconds of its whole (reaped) tree, peak RSS, stdout."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(proc.pid)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    sampler.stop()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0 and check:
        raise SystemExit(f"{what} misslyckades ({proc.returncode}): {' '.join(cmd)}\n{out[-2000:]}\n{err[-3000:]}")
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return {"wall": wall, "cpu": cpu, "groups_mb": max(sampler.groups.values(), default=0.0), "tree_mb": sampler.tree,
            "stdout": out, "stderr": err, "returncode": proc.returncode}


def with_cache(env: dict, cache: Path) -> dict:
    return {**env, "REGIONANALYS_CACHE_DIR": str(cache)}


def cli_run(s: dict, out: Path, cache: Path, *extra: str, check: bool = True) -> dict:
    cmd = [str(BIN / "regionanalys"), "run", "--notebooks-dir", str(s["notebooks"]), "--data-dir", str(s["data"]),
           "--out", str(out), "--quiet", *extra]
    return run_proc(cmd, with_cache(s["env"], cache), "regionanalys run", check=check)


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]


def executed_since(out: Path, before: dict) -> list[str]:
    return sorted(rid for rid, e in manifest(out).items() if e.get("started") != before.get(rid, {}).get("started"))


def naive(s: dict, out: Path, cache: Path) -> dict:
    """papermill CLI + nbconvert CLI per report, one after the other; the largest process tree."""
    out.mkdir(parents=True)
    wall = cpu = tree = 0.0
    env = with_cache(s["env"], cache)
    for job in s["jobs"]:
        executed = out / f"{job['id']}.ipynb"
        a = run_proc([str(BIN / "papermill"), job["notebook"], str(executed), "-k", "regionanalys",
                      "-y", json.dumps(job["parameters"]), "--cwd", str(s["notebooks"]), "--no-progress-bar"], env, "papermill")
        b = run_proc([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)], env, "nbconvert")
        wall += a["wall"] + b["wall"]
        cpu += a["cpu"] + b["cpu"]
        tree = max(tree, a["tree_mb"], b["tree_mb"])
    return {"wall": wall, "cpu": cpu, "tree_mb": tree}


def floor(s: dict, out: Path, cache: Path, jobs: int, durations: Path) -> dict:
    res = run_proc([sys.executable, str(HERE / "floor.py"), str(s["root"] / "plan.json"), str(out), str(jobs), str(durations)],
                   with_cache(s["env"], cache), "golvet")
    fl = json.loads(res["stdout"].strip().splitlines()[-1])
    fl["rss_worker_mb"] = max(res["groups_mb"], max(w["peak_rss_mb"] for w in fl["workers"]))
    fl["html_bytes"] = max((p.stat().st_size for p in out.glob("*.html")), default=0)
    return fl


def html_sizes(out: Path) -> dict[str, int]:
    return {p.stem: p.stat().st_size for p in out.glob("*.html") if p.name != "index.html"}


def chart_counts(out: Path) -> dict[str, int]:
    """Charts embedded in the reports of ``out`` and how many of them are distinct pictures
    (a chart drawn twice in one run, e.g. by the comparison and a region report, counts once)."""
    import hashlib
    import re

    found = [hashlib.sha256(m.group(1).encode()).hexdigest()
             for p in out.glob("*.html") if p.name != "index.html"
             for m in re.finditer(r"data:image/png;base64,([A-Za-z0-9+/=]+)", p.read_text(encoding="utf-8"))]
    return {"charts": len(found), "distinct": len(set(found))}


def measure_set(s: dict, args, runs: int, naive_runs: int) -> dict:
    """Every runner row for one region set, in rounds."""
    name, work = s["name"], s["root"]
    jobs = args.jobs
    jobs_opt = ["--jobs", str(jobs)]
    t = {k: [] for k in ("naive", "cold", "warm", "changed", "comparison", "floor")}
    cpu = {k: [] for k in ("naive", "cold", "floor")}
    extra: dict = {"changed_reports": [], "comparison_report_s": [], "rss_worker_mb": [], "floor_rss_worker_mb": [],
                   "naive_tree_mb": [], "floor_startup_s": [], "warm_executed": []}
    out = work / "out"
    durations = work / "durations.json"
    for i in range(max(runs, naive_runs)):
        tag = f"{name} regioner, omgång {i + 1}/{max(runs, naive_runs)}"
        if i < runs:
            cache = work / f"cache-cold-{i}"  # cold: an empty parsed-file cache, every report executed
            log(f"{tag}: kall körning")
            r = cli_run(s, out, cache, "--force", *jobs_opt)
            t["cold"].append(r["wall"]); cpu["cold"].append(r["cpu"]); extra["rss_worker_mb"].append(r["groups_mb"])
            if i == 0:
                extra["html_bytes"] = html_sizes(out)
                extra["charts"] = chart_counts(out)
            durations.write_text(json.dumps({rid: e.get("duration_s", 0) for rid, e in manifest(out).items()}), encoding="utf-8")
            log(f"{tag}: varm körning")
            before = manifest(out)
            r = cli_run(s, out, cache, *jobs_opt)
            t["warm"].append(r["wall"]); extra["warm_executed"].append(len(executed_since(out, before)))
            log(f"{tag}: en regions datafil ändrad ({s['changed_file'].name})")
            change_region_file(s, i)
            before = manifest(out)
            r = cli_run(s, out, cache, *jobs_opt)
            t["changed"].append(r["wall"]); extra["changed_reports"].append(executed_since(out, before))
            log(f"{tag}: jämförelserapporten ensam")
            r = cli_run(s, out, cache, "--notebook", COMPARISON, "--force", *jobs_opt)
            t["comparison"].append(r["wall"])
            comp = [e.get("duration_s", 0.0) for rid, e in manifest(out).items() if rid.startswith(COMPARISON)]
            extra["comparison_report_s"].append(max(comp, default=0.0))
            s["changed_file"].write_text(s["changed_original"], encoding="utf-8")
            if "floor" not in args.skip:
                log(f"{tag}: golvet, {jobs} processer")
                fl = floor(s, work / f"floor-{i}", work / f"cache-floor-{i}", jobs, durations)
                t["floor"].append(fl["wall"]); cpu["floor"].append(fl["cpu"])
                extra["floor_rss_worker_mb"].append(fl["rss_worker_mb"]); extra["floor_startup_s"].append(fl["startup"])
                extra["floor_html_bytes"] = fl["html_bytes"]
                shutil.rmtree(work / f"floor-{i}", ignore_errors=True)
        if i < naive_runs and "naive" not in args.skip:
            log(f"{tag}: naiv körning ({len(s['jobs'])} rapporter)")
            r = naive(s, work / f"naive-{i}", work / f"cache-naive-{i}")
            t["naive"].append(r["wall"]); cpu["naive"].append(r["cpu"]); extra["naive_tree_mb"].append(r["tree_mb"])
            shutil.rmtree(work / f"naive-{i}", ignore_errors=True)
    return {"set": name, "regions": len(s["regions"]), "reports": len(s["jobs"]), "runs": runs, "naive_runs": naive_runs,
            "times": t, "cpu": cpu, **extra}


def measure_rss_scaled(s3: dict, args, work: Path, copies: int) -> dict:
    """One cold run of the 3-region suite on ``copies`` × today's rows: peak RSS per worker."""
    header, files, meta = bench_load.base_rows()
    data = work / f"data-{copies}x"
    rows = bench_load.generate(data, copies, header, files, meta)
    log(f"kall körning med {copies}× dagens rader ({rows} rader), 3 regioner")
    s = {**s3, "data": data}
    out = work / f"out-{copies}x"
    # a longer cell time-out than the default 120 s: the point is the memory, a slow report is noted
    r = cli_run(s, out, work / f"cache-{copies}x", "--force", "--jobs", str(args.jobs), "--timeout", "600", check=False)
    shutil.rmtree(data, ignore_errors=True)
    entries = manifest(out) if (out / "manifest.json").exists() else {}
    failed = sorted(rid for rid, e in entries.items() if e.get("status") != "ok")
    slowest = max(entries.items(), key=lambda kv: kv[1].get("duration_s") or 0, default=(None, {}))
    return {"copies": copies, "rows": rows, "wall": r["wall"], "cpu": r["cpu"], "rss_worker_mb": r["groups_mb"],
            "reports": len(entries), "failed": failed, "slowest": [slowest[0], slowest[1].get("duration_s")]}


def measure_load(args, snap: dict, work: Path) -> dict:
    """load() at each scale in a new process (cache off); median of ``--runs``."""
    header, files, meta = bench_load.base_rows()
    today = sum(len(r) for r in files.values())
    out = {"today": today, "rows": []}
    for scale in args.scales:
        copies = bench_load.TARGET_ROWS / today if scale.upper() == "M" else float(scale)
        data = work / f"load-{scale}"
        data.mkdir()
        rows = bench_load.generate(data, copies, header, files, meta)
        log(f"load(): {scale} ({rows} rader), {args.runs} körningar")
        runs = [bench_load.measure(data, "off", work / "load-cache", snap["src"]) for _ in range(args.runs)]
        assert all(r["rows"] == rows for r in runs), (rows, runs)
        out["rows"].append({"scale": scale, "rows": rows, "wall": [r["wall"] for r in runs], "cpu": [r["cpu"] for r in runs],
                            "peak_rss_mb": max(r["peak_rss"] for r in runs) / 2**20})
        shutil.rmtree(data, ignore_errors=True)
    return out


# --- the table ------------------------------------------------------------------------------


def med(xs: list[float]) -> float | None:
    return statistics.median(xs) if xs else None


def sec(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:.2f} s" if x < 10 else f"{x:.1f} s"


def num(x: int) -> str:
    """1 500 000 (thin spaces would be nicer; a plain space survives every viewer)."""
    return f"{x:,}".replace(",", " ")


def mark(ok: bool | None) -> str:
    return "" if ok is None else " ✓" if ok else " ✗"


def target(x: float | None, limit: float, text: str, at_least: bool = False) -> str:
    """``text ✓`` or ``text ✗`` (nothing measured: ``text``)."""
    if x is None:
        return text
    return text + mark(x >= limit if at_least else x <= limit)


def fit(points: list[tuple[int, float]]) -> tuple[float, float, float]:
    """Least-squares slope (µs per row), intercept (s) and R² of seconds against rows."""
    n = len(points)
    mx, my = sum(r for r, _ in points) / n, sum(t for _, t in points) / n
    sxx = sum((r - mx) ** 2 for r, _ in points)
    if n < 2 or not sxx:
        return points[0][1] / points[0][0] * 1e6, 0.0, 1.0
    slope = sum((r - mx) * (t - my) for r, t in points) / sxx
    icpt = my - slope * mx
    ss = sum((t - my) ** 2 for _, t in points)
    res = sum((t - icpt - slope * r) ** 2 for r, t in points)
    return slope * 1e6, icpt, 1 - res / ss if ss else 1.0


def load_table(load: dict) -> list[str]:
    lines = [
        f"**`load()`** (today = {num(load['today'])} rows; bench/bench_load.py's recipe; new process per run, parsed-file cache off)",
        "",
        "| Data | Rows | Wall | CPU | µs per row (wall) | Peak RSS | Target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    pts = []
    for r in load["rows"]:
        w, c = med(r["wall"]), med(r["cpu"])
        pts.append((r["rows"], w))
        if r["scale"].upper() == "M":
            goal = (target(w, T_LOAD_M, f"≤ {T_LOAD_M:g} s") + ", "
                    + target(r["peak_rss_mb"], T_LOAD_M_RSS_MB, "peak RSS ≤ 1 GB"))
            label = "1,5 M"
        else:
            goal = target(w, T_LOAD_100, f"≤ {T_LOAD_100:g} s") if r["scale"] == "100" else ""
            label = f"{r['scale']}×"
        lines.append(f"| {label} | {num(r['rows'])} | {sec(w)} | {sec(c)} | {w / r['rows'] * 1e6:.2f} | {r['peak_rss_mb']:.0f} MB | {goal} |")
    if len(pts) >= 2:
        slope, icpt, r2 = fit(pts)
        last = pts[-1][1] / pts[-1][0] * 1e6
        linear = r2 >= 0.99
        lines += ["", f"Fitted over the scales: **{slope:.2f} µs per row** + {icpt:.2f} s, R² = {r2:.3f} "
                  f"(target: linear{mark(linear)}; at the largest scale {last:.2f} µs per row)."]
    return lines


def runner_table(sets: list[dict], jobs: int) -> list[str]:
    def col(r: dict) -> str:
        return f"{r['regions']} regions ({r['reports']} reports)"

    head = "| Row | " + " | ".join(col(r) for r in sets) + " | Target (21 regions) |"
    lines = [
        f"**Runner** (`--jobs {jobs}`; medians, runs per set in the header line below)",
        "",
        head,
        "|---|" + "---:|" * len(sets) + "---|",
    ]

    def row(label: str, cell, goal=lambda r: "") -> None:
        big = next((r for r in sets if r["regions"] == 21), None)
        lines.append(f"| {label} | " + " | ".join(cell(r) for r in sets) + f" | {goal(big) if big else ''} |")

    def m(r, k, d="times"):
        return med(r[d].get(k, []))

    def wc(r, k):
        w, c = m(r, k), m(r, k, "cpu")
        return sec(w) + (f" (CPU {sec(c)})" if c is not None else "")

    row("Naive: papermill + nbconvert CLIs per report", lambda r: wc(r, "naive"))
    row("**Cold** `run --force` (empty parsed-file cache)", lambda r: wc(r, "cold"),
        lambda r: target(m(r, "cold"), T_COLD_21, f"≤ {T_COLD_21:g} s"))
    row(f"Floor: {jobs} warm processes, no kernel", lambda r: wc(r, "floor"))
    row("**Warm** `run`, nothing changed", lambda r: sec(m(r, "warm")) + ("" if not any(r["warm_executed"]) else " (re-ran!)"),
        lambda r: target(m(r, "warm"), T_WARM, f"≤ {T_WARM:g} s"))
    row(f"One region's data file changed (`{CHANGED_REGION}`, seeds)",
        lambda r: sec(m(r, "changed")) + f" ({statistics.median(len(x) for x in r['changed_reports']):.0f} reports)" if r["changed_reports"] else "–",
        lambda r: target(m(r, "changed"), T_CHANGED_21, f"≤ {T_CHANGED_21:g} s"))
    row("Comparison report alone: the report (the command)",
        lambda r: f"{sec(med(r['comparison_report_s']))} ({sec(m(r, 'comparison'))})",
        lambda r: target(med(r["comparison_report_s"]), T_COMPARISON_21, f"≤ {T_COMPARISON_21:g} s"))

    def ratio(a, b):
        return None if not a or not b else a / b

    def rtxt(x):
        return "–" if x is None else f"{x:.2f}×"

    row("naive / cold (wall)", lambda r: rtxt(ratio(m(r, "naive"), m(r, "cold"))),
        lambda r: target(ratio(m(r, "naive"), m(r, "cold")), T_NAIVE_COLD, f"≥ {T_NAIVE_COLD:g}×", at_least=True))
    row("cold / floor, **CPU** (wall)",
        lambda r: f"{rtxt(ratio(m(r, 'cold', 'cpu'), m(r, 'floor', 'cpu')))} ({rtxt(ratio(m(r, 'cold'), m(r, 'floor')))})",
        lambda r: target(ratio(m(r, "cold", "cpu"), m(r, "floor", "cpu")), T_COLD_FLOOR_CPU, f"≤ {T_COLD_FLOOR_CPU:g}× CPU"))
    row("Peak RSS per worker, cold", lambda r: f"{max(r['rss_worker_mb']):.0f} MB",
        lambda r: target(max(r["rss_worker_mb"]), T_RSS_WORKER_MB, f"< {T_RSS_WORKER_MB} MB"))
    row("Peak RSS per floor process", lambda r: f"{max(r['floor_rss_worker_mb']):.0f} MB" if r["floor_rss_worker_mb"] else "–")
    row("Peak RSS of a naive papermill (+ kernel)", lambda r: f"{max(r['naive_tree_mb']):.0f} MB" if r["naive_tree_mb"] else "–")

    def biggest(r):
        sizes = r.get("html_bytes") or {}
        if not sizes:
            return "–"
        rid = max(sizes, key=sizes.get)
        return f"{sizes[rid] / 1e6:.2f} MB (`{rid}`)"

    def charts(r):
        c = r.get("charts")
        return "–" if not c else f"{c['charts']} ({c['distinct']} distinct)"

    row("Charts drawn in a cold run (distinct pictures)", charts,
        lambda r: "each drawn once ✓" if r.get("charts") and r["charts"]["charts"] == r["charts"]["distinct"] else "")
    row("Largest report (HTML bytes)", biggest,
        lambda r: target(max((r.get("html_bytes") or {0: None}).values()) if r.get("html_bytes") else None,
                         T_REPORT_BYTES, "≤ 1,5 MB"))
    return lines


def table(load: dict | None, sets: list[dict], scaled: dict | None, meta: dict) -> str:
    lines = [
        f"Measured {meta['date']} on {meta['machine']} ({meta['cores']} cores, load average {meta['loadavg']} at the start), "
        f"Python {meta['python']}, library at {meta['commit']}. One invocation: `{meta['command']}`.",
        "",
    ]
    if load:
        lines += load_table(load) + [""]
    sets = sorted(sets, key=lambda r: r["regions"])
    if sets:
        runs = "; ".join(f"{r['regions']} regions: {r['runs']} runs, naive {r['naive_runs']}" for r in sets)
        lines += runner_table(sets, meta["jobs"]) + ["", f"Runs (median): {runs}. Targets from issue 15, not asserted.", ""]
    if scaled:
        lines += [f"**At {scaled['copies']}× today's data** ({num(scaled['rows'])} rows, 3 regions, one cold run, {scaled['reports']} reports, "
                  f"{sec(scaled['wall'])}): peak RSS per worker **{scaled['rss_worker_mb']:.0f} MB** "
                  f"(target < {T_RSS_WORKER_MB} MB{mark(scaled['rss_worker_mb'] < T_RSS_WORKER_MB)}); "
                  f"slowest report `{scaled['slowest'][0]}` {sec(scaled['slowest'][1])}"
                  + (f"; **failed**: {', '.join(scaled['failed'])}" if scaled["failed"] else "") + ".", ""]
    if sets:
        lines += ["Single runs (seconds):", ""]
        for r in sets:
            parts = [f"{k} " + ", ".join(f"{x:.2f}" for x in v) for k, v in r["times"].items() if v]
            parts += [f"{k} CPU " + ", ".join(f"{x:.1f}" for x in v) for k, v in r["cpu"].items() if v]
            lines.append(f"* {r['regions']} regions: " + "; ".join(parts))
            if r["changed_reports"]:
                lines.append(f"  * changed `{CHANGED_REGION}` re-ran: " + ", ".join(r["changed_reports"][0]))
            if r["floor_startup_s"]:
                lines.append(f"  * floor start-up (imports, template; not in the floor): {max(r['floor_startup_s']):.1f} s per process;"
                             f" largest floor HTML {r.get('floor_html_bytes', 0) / 1e6:.2f} MB")
    if load:
        lines.append("* load(): " + "; ".join(f"{r['scale']} " + ", ".join(f"{x:.2f}" for x in r["wall"]) for r in load["rows"]))
    return "\n".join(lines)


def write_readme(text: str) -> None:
    body = README.read_text(encoding="utf-8") if README.exists() else f"# Benchmark\n\n{BEGIN}\n{END}\n"
    if BEGIN not in body:
        body += f"\n{BEGIN}\n{END}\n"
    head, rest = body.split(BEGIN, 1)
    tail = rest.split(END, 1)[1] if END in rest else ""
    README.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="runs per timed row (median; default 3)")
    ap.add_argument("--runs-21", type=int, default=None, help="runs of the 21-region rows (default: --runs)")
    ap.add_argument("--naive-runs", type=int, default=None, help="runs of the naive baseline (default: the set's runs)")
    ap.add_argument("--naive-runs-21", type=int, default=None, help="runs of the naive baseline at 21 regions (~7 minutes each; default: --naive-runs)")
    ap.add_argument("--quick", action="store_true", help="smoke run: 1 run, load at 1× and 10×, 3 regions only")
    ap.add_argument("--sets", default=None, help="region sets: 3 (17, 18, 24) and/or 21 (all regions); 'none' for no runner rows")
    ap.add_argument("--scales", default=None, help="load() scales: multiples of today's rows, M = 1,5 million; 'none' to skip")
    ap.add_argument("--jobs", type=int, default=None, help="runner workers and floor processes (default: one per core)")
    ap.add_argument("--rss-scale", type=int, default=None, help="one cold 3-region run on this many × today's rows for peak RSS (default 30; 0: none)")
    ap.add_argument("--skip", default="", help="comma list of: naive, floor")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--no-readme", action="store_true", help="do not update bench/README.md")
    ap.add_argument("--render", type=Path, help="only print (and write into README) the table of a results JSON of an earlier invocation")
    args = ap.parse_args(argv)
    if args.render:
        saved = json.loads(args.render.read_text(encoding="utf-8"))
        text = table(saved.get("load"), saved.get("sets") or [], saved.get("scaled"), saved["meta"])
        print(text)
        if not args.no_readme:
            write_readme(text)
        return 0
    if args.quick:
        args.runs = 1
    args.sets = args.sets or ("3" if args.quick else "3,21")
    args.scales = args.scales or ("1,10" if args.quick else "1,10,100,M")
    args.sets = [] if args.sets == "none" else [x.strip() for x in args.sets.split(",") if x.strip()]
    args.scales = [] if args.scales == "none" else [x.strip() for x in args.scales.split(",") if x.strip()]
    args.rss_scale = (0 if args.quick else 30) if args.rss_scale is None else args.rss_scale
    args.skip = {x.strip() for x in args.skip.split(",") if x.strip()}

    from regionanalys.data.regions import all_regions
    from regionanalys.report.runner import default_jobs

    args.jobs = args.jobs or default_jobs()
    meta = {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": platform.node() or platform.machine(),
        "cores": os.cpu_count(),
        "loadavg": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "jobs": args.jobs,
        "command": "bench/run_bench.py " + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    work = Path(tempfile.mkdtemp(prefix="regionanalys-bench-"))
    log(f"arbetskatalog {work}")
    load, sets, scaled, s3 = None, [], None, None
    partial = HERE / "results" / "partial.json"  # survives a bench that is killed half-way
    partial.parent.mkdir(exist_ok=True)
    try:
        snap = snapshot(work)
        meta["commit"] = snap["commit"]
        if args.scales:
            load = measure_load(args, snap, work)
            partial.write_text(json.dumps({"meta": meta, "load": load}, indent=1), encoding="utf-8")
        for name in args.sets:
            regions = list(REAL) if name == "3" else [r.code for r in all_regions()]
            s = prepare_set(name, regions, work, snap)
            runs = (args.runs_21 or args.runs) if len(regions) == 21 else args.runs
            naive_runs = args.naive_runs_21 if len(regions) == 21 and args.naive_runs_21 is not None else args.naive_runs
            naive_runs = runs if naive_runs is None else naive_runs
            log(f"mängd {name}: {len(regions)} regioner, {len(s['jobs'])} rapporter, {runs} körningar")
            sets.append(measure_set(s, args, runs, naive_runs))
            s3 = s if name == "3" else s3
            partial.write_text(json.dumps({"meta": meta, "load": load, "sets": sets}, indent=1), encoding="utf-8")
        if s3 is not None and args.rss_scale:  # last: the slowest single run (kill it and --render partial.json)
            scaled = measure_rss_scaled(s3, args, work, args.rss_scale)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    text = table(load, sets, scaled, meta)
    print(text)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (HERE / "results" / f"{stamp}.json").write_text(json.dumps({"meta": meta, "load": load, "sets": sets, "scaled": scaled}, indent=1), encoding="utf-8")
    if not args.no_readme:
        write_readme(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
