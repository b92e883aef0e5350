"""The runner's order and cache key: longest report first, the critical path, package
versions and the Python in the cache key, and the worker's frozen pre-imports."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from regionanalys.report import runner
from regionanalys.report.runner import cache, execution
from regionanalys.report.runner.cache import _Current, _why_stale

FIXTURES = Path(__file__).parent / "runner_fixtures"


@pytest.fixture
def suite(tmp_path):
    shutil.copytree(FIXTURES / "notebooks", tmp_path / "notebooks")
    shutil.copytree(FIXTURES / "data", tmp_path / "data")
    return {"notebooks_dir": tmp_path / "notebooks", "data_dir": tmp_path / "data", "out_dir": tmp_path / "out"}


def test_longest_report_goes_first_by_its_last_duration(suite):
    jobs = runner.plan_run(**suite).jobs  # region 17, 18, 24, jamforelse
    entries = {"region_17_2023": {"duration_s": 2.0}, "region_18_2023": {"duration_s": 9.0},
               "jamforelse_2023": {"duration_s": 4.0}}
    order = [j.id for j in execution._longest_first(jobs, entries)]
    assert order[0] == "region_18_2023" and order.index("jamforelse_2023") < order.index("region_17_2023")
    # a report without a record (region 24) is guessed from its size: after the long ones
    assert order.index("region_24_2023") > order.index("jamforelse_2023")


def test_critical_path_is_the_chain_of_the_worker_that_finished_last():
    chains = {(0, 0): [(1.0, "a"), (5.0, "b")], (0, 1): [(3.0, "c"), (7.5, "d"), (8.0, "e")]}
    assert execution.critical_path(chains) == ["c", "d", "e"]
    assert execution.critical_path({}) == []


def _fresh_entry(job, cur: _Current, out: Path) -> dict:
    (out / f"{job.id}.html").write_text("x", encoding="utf-8")
    (out / f"{job.id}.ipynb").write_text("{}", encoding="utf-8")
    return {
        "status": "ok", "html": f"{job.id}.html", "ipynb": f"{job.id}.ipynb",
        "inputs": {
            "notebook": cur.info.hash(job.notebook_path), "library": cur.library,
            "parameters": cache._canonical(job.parameters), "python": cur.python,
            "packages": dict(cur.packages), "data_scope": ["17"], "data": cur.data.inputs(["17"]),
        },
    }


def test_a_package_upgrade_makes_the_report_again(suite, tmp_path):
    plan = runner.plan_run(["region"], ["17"], **suite)
    out = tmp_path / "o"
    out.mkdir()
    cur = _Current("lib", "regionanalys", runner.DataFiles(plan.data_dir), plan.info)
    entry = _fresh_entry(plan.jobs[0], cur, out)
    assert _why_stale(entry, plan.jobs[0], cur, out) is None
    cur.packages = {**cur.packages, "pandas": "99.0"}
    reason = _why_stale(entry, plan.jobs[0], cur, out)
    assert reason and "pandas" in reason and "99.0" in reason
    old = dict(entry, inputs={k: v for k, v in entry["inputs"].items() if k != "packages"})
    assert _why_stale(old, plan.jobs[0], _Current("lib", "regionanalys", cur.data, plan.info), out)  # older manifests


def test_package_versions_match_the_installed_metadata():
    from importlib.metadata import version

    found = cache.package_versions(("pandas", "matplotlib", "nbconvert", "jinja2", "no-such-package-x"))
    assert found["pandas"] == version("pandas") and found["nbconvert"] == version("nbconvert")
    assert found["jinja2"] == version("jinja2") and found["no-such-package-x"] == "-"


def test_metadata_files_are_inputs_only_when_read(suite):
    data = runner.DataFiles(suite["data_dir"])
    assert "meta/events.csv" not in data.inputs(["17"])
    assert "meta/events.csv" in data.inputs(["17"], ["meta/events.csv"])


_BOOT = """
import gc, json, os, sys
from pathlib import Path
from regionanalys.report.runner.worker import WorkerConfig, _Worker, log_path
tmp = Path(sys.argv[1])
cfg = WorkerConfig(60, ("pandas", "regionanalys.ingen_sadan_modul"), tmp, True, "X", os.getpid())
worker = _Worker(cfg)
worker.start()
print("till loggen", flush=True)  # the process's own output goes to its log, not to the run's terminal
(tmp / "found.json").write_text(json.dumps({
    "pandas": "pandas" in sys.modules, "failed": worker.booted.failed_imports, "frozen": gc.get_freeze_count(),
    "log": log_path(tmp, os.getpid()).read_text(encoding="utf-8")}))
"""


def test_worker_freezes_its_pre_imports_and_logs_its_own_output(tmp_path):
    proc = subprocess.run([sys.executable, "-c", _BOOT, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout == ""
    found = json.loads((tmp_path / "found.json").read_text(encoding="utf-8"))
    assert found["pandas"] and found["failed"] == ["regionanalys.ingen_sadan_modul"]
    assert found["frozen"] > 10000
    assert "till loggen" in found["log"]


def test_another_python_makes_the_report_again(suite, tmp_path):
    plan = runner.plan_run(["region"], ["17"], **suite)
    out = tmp_path / "o"
    out.mkdir()
    cur = _Current("lib", cache.python_identity(), runner.DataFiles(plan.data_dir), plan.info)
    entry = _fresh_entry(plan.jobs[0], cur, out)
    assert _why_stale(entry, plan.jobs[0], cur, out) is None
    assert _why_stale(entry, plan.jobs[0], _Current("lib", "cpython 3.99.0", cur.data, plan.info), out) == "annan Python"
    old = dict(entry, inputs={k: v for k, v in entry["inputs"].items() if k != "python"})  # made with kernels
    assert _why_stale(old, plan.jobs[0], cur, out) == "gjord av en äldre version av körningen"


# --- the regions a run covers: reports.toml and every region that has data ------------------


def _add_region_25(data_dir: Path) -> None:
    text = (data_dir / "seeds" / "24_vasterbotten.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    body = [line.replace("24;", "25;", 1) for line in lines[1:] if line.startswith("24;")]
    (data_dir / "seeds" / "25_norrbotten.csv").write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")


def test_a_fourth_region_with_data_gets_its_reports_and_joins_the_comparison(suite):
    _add_region_25(suite["data_dir"])
    plan = runner.plan_run(**suite)
    ids = [j.id for j in plan.jobs]
    assert "region_25_2023" in ids and plan.region_set == ("17", "18", "24", "25")
    comparison = next(j for j in plan.jobs if j.spec_id == "jamforelse")
    assert comparison.id == "jamforelse_2023" and comparison.parameters["regions"] == ["17", "18", "24", "25"]
    # chosen regions still win
    assert [j.id for j in runner.plan_run(["region"], ["17"], **suite).jobs] == ["region_17_2023"]


def test_report_for_a_region_no_longer_in_the_run_is_marked_stale(suite, tmp_path):
    plan = runner.plan_run(**suite)
    entries = {
        "region_25_2023": {"regions": ["25"], "status": "ok", "title": "Norrbotten", "html": "region_25_2023.html"},
        "region_17_2023": {"regions": ["17"], "status": "ok", "stale": "gammal markering"},
    }
    execution._mark_stale_regions(entries, plan)
    assert "25" in entries["region_25_2023"]["stale"] and "inaktuell" in entries["region_25_2023"]["stale"]
    assert "stale" not in entries["region_17_2023"]  # back in the run: current again
    html = runner.write_index(tmp_path, {"reports": entries}).read_text(encoding="utf-8")
    assert 'id="region_25_2023"' in html
