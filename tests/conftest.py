import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import tempfile

import pytest
from hypothesis import settings as hypothesis_settings

ROOT = Path(__file__).resolve().parents[1]


def _shipped_data() -> Path:
    """A copy of the data the project ships (the files git tracks under data/), so that
    `make test` stays green when an analyst's own files sit in data/ (imports, exports):
    the tests' expectations are about the shipped data, not the analyst's."""
    try:
        listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "data"], capture_output=True, check=True)
        files = [f for f in listed.stdout.decode("utf-8").split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        files = []
    if not files:  # not a git checkout: everything but the analyst's import folder
        files = [p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*")
                 if p.is_file() and "imports" not in p.relative_to(ROOT / "data").parts]
    target = Path(tempfile.mkdtemp(prefix="regionanalys-data-")) / "data"
    for name in files:
        dest = target / Path(name).relative_to("data")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, dest)
    return target


if "REGIONANALYS_DATA_DIR" not in os.environ:
    # Set before the library is imported: config reads it once, and CLI subprocesses inherit it.
    os.environ["REGIONANALYS_DATA_DIR"] = str(_shipped_data())

import regionanalys as ra  # noqa: E402

# Hypothesis profiles (tests/test_properties.py): "ci" by default, small enough for
# `make test`; "nightly" with `pytest --hypothesis-profile=nightly`.
hypothesis_settings.register_profile("ci", max_examples=40, deadline=None)
hypothesis_settings.register_profile("nightly", max_examples=2000, deadline=None)
hypothesis_settings.load_profile("ci")
from regionanalys import config


@pytest.fixture(scope="session")
def all_df():
    """All the shipped data (seeds, public figures, example data), loaded once."""
    return ra.load()


@pytest.fixture(scope="session")
def seed_df(all_df):
    """The seed documents' figures and the example data: what the unit tests' expectations
    were written for (public figures in data/public/ are tested on their own)."""
    return all_df[~all_df["source_file"].astype(str).str.startswith("public/")]


@pytest.fixture(scope="session")
def report_suite(tmp_path_factory) -> Path:
    """The whole report suite on the shipped data, as `make reports` builds it
    (`regionanalys run --out TMP --force`), once per session."""
    out = tmp_path_factory.mktemp("rapporter")
    cli = Path(sys.executable).with_name("regionanalys")
    proc = subprocess.run([str(cli), "run", "--out", str(out), "--force"], capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"}, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out


#: Payloads that must show up as text in a report, never run.
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory):
    """Region Örebro's report built by the real CLI on the shipped data plus a file whose
    org name, sources and note carry ``SCRIPT`` and ``IMG`` (and an orgs.csv row
    for the org). Built once per session; used by test_safe_html and test_browser."""
    from typer.testing import CliRunner

    from regionanalys.cli import app

    tmp = tmp_path_factory.mktemp("xss")
    data = tmp / "data"
    shutil.copytree(config.DATA_DIR, data)
    org = f"Område $\\frac{{a}}{{0}}$ {SCRIPT}"  # "$...$" must not reach matplotlib as mathtext
    rows = [
        ["18", org, "kostnader", "personalkostnader", "2024", "budget", "10", "mnkr", f"Dok {IMG}", f"Not {SCRIPT}"],
        ["18", org, "kostnader", "", "2024", "budget", "10", "mnkr", f"Dok {SCRIPT}", ""],
        ["18", org, "intakter", "", "2024", "budget", "4", "mnkr", "Dok", ""],
        ["18", org, "nettokostnader", "", "2024", "budget", "6", "mnkr", "Dok", ""],
        # Categories are a closed list per series (an unknown one is an error), so hostile
        # text reaches a report through org names, sources and notes only.
        ["18", org, "besparing", "personalkostnadsreduceringar", "2024", "plan", "1 000", "tkr", f"Dok {IMG}", IMG],
        ["18", org, "besparing", "", "2024", "plan", "1 000", "tkr", "Dok", ""],
    ]
    with (data / "seeds" / "18_xss.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["region", "org", "series", "category", "period", "kind", "value", "unit", "source", "note"])
        w.writerows(rows)
    with (data / "meta" / "orgs.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerow(["18", org, "Servicenämnden", f"Dok {IMG}"])
    assert [p for p in ra.validate(data) if p.is_error] == []
    out = tmp / "rapporter"
    result = CliRunner().invoke(app, ["run", "--notebook", "region", "--region", "18", "--year", "2024",
                                      "--data-dir", str(data), "--out", str(out), "--force", "--quiet"])
    assert result.exit_code == 0, result.output
    return SimpleNamespace(out=out, org=org, script=SCRIPT, img=IMG)
