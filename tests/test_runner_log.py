"""``regionanalys run --log-file``: a line per report and a JSON summary for schedulers."""
from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from regionanalys import cli
from regionanalys.report.runner import execution
from regionanalys.report.runner.results import ReportResult, RunSummary
from regionanalys.report.runner.runlog import RunLog
from regionanalys.report.specs import Job

FIXTURES = Path(__file__).parent / "runner_fixtures"
LINE = re.compile(r"^(\S+) (\S+) (ok|cachad|fel) (\d+\.\d)(?: (.*))?$")


def _job(job_id: str) -> Job:
    return Job(id=job_id, spec_id="region", notebook="01_region.ipynb", notebook_path=Path("01_region.ipynb"),
               title="t", regions=("17",), year=2023, parameters={}, code_cells=3, order=10)


def _result(job_id: str, ok: bool, cached: bool = False, error: dict | None = None) -> ReportResult:
    return ReportResult(_job(job_id), "ok" if ok else "failed", cached, 1.25, "oförändrad" if cached else "ny rapport",
                        error)


def test_log_lines_cause_once_and_json_summary(tmp_path):
    path = tmp_path / "logs" / "run.log"
    path.parent.mkdir()
    path.write_text("en tidigare natt\n", encoding="utf-8")
    crash = {"ename": "DataError", "evalue": "data/seeds/x.csv rad 3: [okänt] värde"}
    results = [_result("a", True), _result("b", True, cached=True), _result("c", False, error=crash),
               _result("d", False, error=crash), _result("e", False, error={"ename": "Tidsgräns", "evalue": "120 s"})]
    log = RunLog(path)
    for r in results:
        log.on_event("cached" if r.cached else "finished", r.job, r)
    summary = RunSummary(results, tmp_path, tmp_path / "index.html", tmp_path / "manifest.json", 7.5, 2,
                         critical_path=["a", "c"])
    log.summary(summary, summary.exit_code)
    log.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "en tidigare natt"  # appended, not overwritten
    report_lines = [LINE.match(line) for line in lines[1:6]]
    assert all(report_lines), lines
    for m in report_lines:
        assert datetime.fromisoformat(m[1]).tzinfo is not None
    assert [(m[2], m[3], m[4]) for m in report_lines] == [
        ("a", "ok", "1.2"), ("b", "cachad", "1.2"), ("c", "fel", "1.2"), ("d", "fel", "1.2"), ("e", "fel", "1.2")]
    assert report_lines[2][5] == "orsak 1: DataError: data/seeds/x.csv rad 3: [okänt] värde"
    assert report_lines[3][5] == "orsak 1"  # the same cause is not repeated
    assert report_lines[4][5].startswith("orsak 2: Tidsgräns")
    doc = json.loads(lines[-1])
    assert doc["summary"] is True and doc["exit_code"] == 1
    assert (doc["reports"], doc["ok"], doc["failed"], doc["cached"], doc["executed"]) == (5, 2, 3, 1, 4)
    assert doc["failed_reports"] == ["c", "d", "e"] and doc["causes"] == 2
    assert doc["critical_path"] == ["a", "c"]


@pytest.fixture
def suite(tmp_path):
    shutil.copytree(FIXTURES / "notebooks", tmp_path / "notebooks")
    shutil.copytree(FIXTURES / "data", tmp_path / "data")
    return {"notebooks_dir": tmp_path / "notebooks", "data_dir": tmp_path / "data", "out_dir": tmp_path / "out"}


def _args(suite) -> list[str]:
    return ["--notebooks-dir", str(suite["notebooks_dir"]), "--data-dir", str(suite["data_dir"]), "--out", str(suite["out_dir"])]


def test_a_run_that_cannot_start_still_ends_the_log_with_its_exit_code(suite, tmp_path):
    log = tmp_path / "run.log"
    result = CliRunner().invoke(cli.app, ["run", "--region", "Atlantis", "--log-file", str(log), *_args(suite)])
    assert result.exit_code == 2
    lines = log.read_text(encoding="utf-8").splitlines()
    assert "Atlantis" in lines[-2]
    doc = json.loads(lines[-1])
    assert doc["exit_code"] == 2 and doc["reports"] == 0 and "Atlantis" in doc["errors"][0]


def test_unwritable_log_file_is_a_usage_error(suite, tmp_path):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["run", "--log-file", str(tmp_path / "a-file" / "run.log"), *_args(suite)])
    assert result.exit_code == 2 and "loggfilen" in result.output and "Traceback" not in result.output


@pytest.mark.slow
def test_log_file_of_a_real_run(suite, tmp_path, monkeypatch):
    monkeypatch.setattr(execution, "library_hash", lambda: "fest")
    log = tmp_path / "run.log"
    args = ["run", "--notebook", "region", "--region", "17", "--region", "18", "--jobs", "1", "-p", "fail=17",
            "--log-file", str(log), *_args(suite)]
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 1, result.output
    lines = log.read_text(encoding="utf-8").splitlines()
    by_report = {m[2]: m for m in map(LINE.match, lines) if m}
    assert by_report["region_18_2023"][3] == "ok" and by_report["region_17_2023"][3] == "fel"
    assert "avsiktligt fel i testnotebooken" in by_report["region_17_2023"][5]
    doc = json.loads(lines[-1])
    assert doc["exit_code"] == 1 and doc["failed_reports"] == ["region_17_2023"] and doc["ok"] == 1
