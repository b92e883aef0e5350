"""Benchmark of the report runner (GitHub issue 5). Run with ``make bench`` or

    .venv/bin/python bench/run_bench.py [--runs 3] [--sets 3,21] [--jobs N] [--skip naive,fresh]

For each region set (the three regions with real data, and all 21 regions where the 18
without real data get generated example data) it times, in one invocation on this
machine:

1. **naive**: per report the ``papermill`` CLI, then ``jupyter nbconvert --to html
   --no-input``, one report after the other (what one would write in a Makefile);
2. **cold**: ``regionanalys run --force`` (worker processes with warm kernels);
3. **warm**: ``regionanalys run`` again with nothing changed (every report cached);
4. **floor**: the same notebook code for every report in one already warm Python
   process, no kernel, no notebook files, no HTML export (bench/floor.py): IPython runs
   each code cell with the injected parameters and the displayed HTML and figures are
   written to files. A runner cannot be faster than this on one core.
5. **fresh** (the "before" of kernel reuse): ``regionanalys run --force --fresh-kernels``,
   i.e. the same pool with a new kernel per report, as papermill's API does by default.

Every time is the median of ``--runs`` runs (default 3). Peak RSS per worker is the
largest worker-plus-its-kernel peak the runner recorded in manifest.json; the largest
single process is from ``getrusage(RUSAGE_CHILDREN)``. Results go to
bench/results/<timestamp>.json and the table to bench/README.md (between the markers).

Nothing is written to data/ or reports/: every run uses a temporary directory.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
README = HERE / "README.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

# Approximate population (thousands, 2023) for the example data of regions without real data.
POPULATION = {
    "01": 2454, "03": 399, "04": 301, "05": 472, "06": 370, "07": 203, "08": 246, "09": 61, "10": 157,
    "12": 1414, "13": 344, "14": 1744, "17": 283, "18": 310, "19": 280, "20": 288, "21": 288,
    "22": 244, "23": 132, "24": 278, "25": 249,
}
REAL = ("17", "18", "24")
SEED = 20240521


def log(msg: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {msg}", flush=True)


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


def snapshot(work: Path) -> dict:
    """Copy the library and the notebooks as they are now; every run uses the copies.

    The working tree may be edited while the bench runs (it takes a while); a notebook
    and the library it calls must come from the same moment, and the warm runs must
    not see the library hash change. Subprocesses get the copy first on PYTHONPATH
    (before the editable install's path), kernels inherit it.
    """
    from regionanalys import config

    src = work / "snapshot" / "src"
    shutil.copytree(ROOT / "src" / "regionanalys", src / "regionanalys", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    notebooks = work / "snapshot" / "notebooks"
    shutil.copytree(config.NOTEBOOKS_DIR, notebooks, ignore=shutil.ignore_patterns(".*"))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep), "NO_COLOR": "1"}
    return {"src": src, "notebooks": notebooks, "env": env}


def prepare_set(name: str, regions: list[str], work: Path, snap: dict) -> dict:
    """A copy of data/ (plus example data for regions without real data) and of the notebooks."""
    import numpy as np

    from regionanalys import config
    from regionanalys.data import loading

    root = work / f"set-{name}"
    data = root / "data"
    shutil.copytree(config.DATA_DIR, data, ignore=shutil.ignore_patterns(".*"))
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
    problems = [p for p in loading.validate(data) if getattr(p, "is_error", True)]
    if problems:
        raise SystemExit("exempeldata ogiltiga:\n" + "\n".join(map(str, problems[:20])))
    notebooks = root / "notebooks"
    notebooks.mkdir()
    spec_text = (snap["notebooks"] / "reports.toml").read_text(encoding="utf-8")
    import tomllib

    spec = tomllib.loads(spec_text)
    for table in spec.values():
        shutil.copy2(snap["notebooks"] / table["notebook"], notebooks / table["notebook"])
        table["regions"] = list(regions)
    lines = []
    for sid, table in spec.items():
        lines.append(f"[{sid}]")
        for key, value in table.items():
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
        lines.append("")
    (notebooks / "reports.toml").write_text("\n".join(lines), encoding="utf-8")
    # the plan (report ids and parameters) as the snapshot's runner makes it
    code = (
        "import json, sys; from regionanalys import runner; "
        "p = runner.plan_run(notebooks_dir=sys.argv[1], data_dir=sys.argv[2], out_dir=sys.argv[3]); "
        "print(json.dumps([{'id': j.id, 'notebook': str(j.notebook_path), 'parameters': j.parameters} for j in p.jobs]))"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(notebooks), str(data), str(root / "plan-only")],
                          capture_output=True, text=True, env=snap["env"], check=True)
    jobs = json.loads(proc.stdout)
    (root / "plan.json").write_text(json.dumps(jobs, ensure_ascii=False), encoding="utf-8")
    return {"root": root, "data": data, "notebooks": notebooks, "jobs": jobs, "env": snap["env"]}


# --- the measurements ---------------------------------------------------------------------


def timed(cmd: list[str], env: dict, **kw) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, **kw)
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"misslyckades ({proc.returncode}): {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return dt


def naive(s: dict, out: Path) -> float:
    """papermill CLI + nbconvert CLI per report, sequentially."""
    out.mkdir(parents=True)
    t0 = time.perf_counter()
    for job in s["jobs"]:
        executed = out / f"{job['id']}.ipynb"
        timed([str(BIN / "papermill"), job["notebook"], str(executed), "-k", "regionanalys",
               "-y", json.dumps(job["parameters"]), "--cwd", str(s["notebooks"]), "--no-progress-bar"], s["env"])
        timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)], s["env"])
    return time.perf_counter() - t0


def cli_run(s: dict, out: Path, *extra: str) -> float:
    return timed([str(BIN / "regionanalys"), "run", "--notebooks-dir", str(s["notebooks"]), "--data-dir", str(s["data"]),
                  "--out", str(out), "--quiet", *extra], s["env"])


def worker_peak(out: Path) -> float:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    peaks = [e.get("peak_rss_mb") or {} for e in manifest["reports"].values()]
    return max((p.get("worker", 0) + p.get("kernel", 0) for p in peaks), default=0.0)


def started(out: Path) -> dict:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {rid: e.get("started") for rid, e in manifest["reports"].items()}


def floor(s: dict, out: Path, runs: int) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([sys.executable, str(HERE / "floor.py"), str(s["root"] / "plan.json"), str(out), str(runs)],
                          capture_output=True, text=True, env=s["env"])
    if proc.returncode != 0:
        raise SystemExit(f"golvet misslyckades:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def median(xs: list[float]) -> float | None:
    return statistics.median(xs) if xs else None


def measure(name: str, s: dict, args) -> dict:
    runs = args.runs
    res: dict = {"set": name, "reports": len(s["jobs"]), "regions": name, "times": {}}
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    if "naive" not in args.skip:
        res["times"]["naive"] = []
        for i in range(args.naive_runs):
            log(f"{name}: naiv körning {i + 1}/{args.naive_runs} ({len(s['jobs'])} rapporter)")
            res["times"]["naive"].append(naive(s, s["root"] / f"naive-{i}"))
            shutil.rmtree(s["root"] / f"naive-{i}")
    if "fresh" not in args.skip:
        res["times"]["fresh"] = []
        for i in range(runs):
            log(f"{name}: kall körning med ny kärna per rapport {i + 1}/{runs}")
            res["times"]["fresh"].append(cli_run(s, s["root"] / "out-fresh", "--force", "--fresh-kernels", *jobs))
    res["times"]["cold"], res["times"]["warm"], peaks = [], [], []
    out = s["root"] / "out"
    for i in range(runs):
        log(f"{name}: kall körning {i + 1}/{runs}")
        res["times"]["cold"].append(cli_run(s, out, "--force", *jobs))
        peaks.append(worker_peak(out))
    tries = 0
    while len(res["times"]["warm"]) < runs and tries < runs + 5:
        tries += 1
        log(f"{name}: varm körning {len(res['times']['warm']) + 1}/{runs}")
        before = started(out)
        dt = cli_run(s, out, *jobs)
        if started(out) == before:
            res["times"]["warm"].append(dt)
        else:  # something changed under us (the library is edited while the bench runs): not a warm run
            log(f"  rapporter kördes om ({dt:.1f} s), t.ex. för att biblioteket ändrades; mäter igen")
    res["rss_worker_mb"] = max(peaks)
    if "floor" not in args.skip:
        log(f"{name}: golvet, {runs} körningar i en process")
        fl = floor(s, s["root"] / "floor", runs)
        res["times"]["floor"] = fl["runs"]
        res["floor_imports_s"] = fl["imports"]
    res["median"] = {k: median(v) for k, v in res["times"].items()}
    return res


# --- report -----------------------------------------------------------------------------


def fmt(x: float | None, unit: str = " s") -> str:
    return "–" if x is None else f"{x:.2f}{unit}" if x < 10 else f"{x:.1f}{unit}"


def ratio(a: float | None, b: float | None) -> str:
    return "–" if not a or not b else f"{a / b:.1f}×"


def table(results: list[dict], meta: dict) -> str:
    lines = [
        f"Measured {meta['date']} on {meta['machine']} ({meta['cores']} cores), Python {meta['python']}, "
        f"{meta['runs']} runs per figure (median), jobs = {meta['jobs']}; naive baseline {meta['naive_runs']} runs.",
        "",
        "| Regions | Reports | Naive (papermill + nbconvert CLI) | Fresh kernel per report | **Cold** `run --force` | **Warm** `run` | Floor (1 process, no kernel) | naive / cold | cold / floor | Peak RSS per worker |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        m = r["median"]
        lines.append(
            f"| {r['set']} | {r['reports']} | {fmt(m.get('naive'))} | {fmt(m.get('fresh'))} | **{fmt(m.get('cold'))}** | "
            f"**{fmt(m.get('warm'))}** | {fmt(m.get('floor'))} | {ratio(m.get('naive'), m.get('cold'))} | "
            f"{ratio(m.get('cold'), m.get('floor'))} | {r['rss_worker_mb']:.0f} MB |"
        )
    lines += ["", "Targets: cold ≥ 5× faster than naive, cold ≤ 1.5× floor, warm < 1 s, RSS < 500 MB per worker.", ""]
    lines.append("Single runs (seconds):")
    lines.append("")
    for r in results:
        parts = [f"{k} " + ", ".join(f"{x:.2f}" for x in v) for k, v in r["times"].items()]
        lines.append(f"* {r['set']}: " + "; ".join(parts))
    lines.append(f"* largest single process (getrusage of children): {meta['max_child_rss_mb']:.0f} MB")
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
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement (median; default 3)")
    ap.add_argument("--naive-runs", type=int, default=None, help="runs of the naive baseline (default: --runs)")
    ap.add_argument("--sets", default="3,21", help="region sets: 3 (17, 18, 24) and/or 21 (all regions)")
    ap.add_argument("--jobs", type=int, default=None, help="--jobs for regionanalys run (default: one per core)")
    ap.add_argument("--skip", default="", help="comma list of: naive, fresh, floor")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--no-readme", action="store_true", help="do not update bench/README.md")
    args = ap.parse_args(argv)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    args.naive_runs = args.naive_runs or args.runs

    from regionanalys.data.regions import all_regions
    from regionanalys.report.runner import default_jobs

    work = Path(tempfile.mkdtemp(prefix="regionanalys-bench-"))
    log(f"arbetskatalog {work}")
    results = []
    try:
        snap = snapshot(work)
        for name in [s.strip() for s in args.sets.split(",") if s.strip()]:
            regions = list(REAL) if name == "3" else [r.code for r in all_regions()]
            s = prepare_set(name, regions, work, snap)
            log(f"mängd {name}: {len(regions)} regioner, {len(s['jobs'])} rapporter")
            results.append(measure(name, s, args))
            partial = HERE / "results" / "partial.json"  # survives a bench that is killed half-way
            partial.parent.mkdir(exist_ok=True)
            partial.write_text(json.dumps(results, indent=1), encoding="utf-8")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    meta = {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": platform.node() or platform.machine(),
        "cores": default_jobs(),
        "python": platform.python_version(),
        "runs": args.runs,
        "naive_runs": args.naive_runs,
        "jobs": args.jobs or default_jobs(),
        "max_child_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    text = table(results, meta)
    print(text)
    (HERE / "results").mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (HERE / "results" / f"{stamp}.json").write_text(json.dumps({"meta": meta, "results": results}, indent=1), encoding="utf-8")
    if not args.no_readme:
        write_readme(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
