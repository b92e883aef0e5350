"""The `regionanalys` command line: help, exit codes, validation before anything runs,
quiet output when not on a terminal."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from regionanalys.cli import app

FIXTURES = Path(__file__).parent / "runner_fixtures"
cli = CliRunner()


@pytest.fixture
def suite(tmp_path):
    shutil.copytree(FIXTURES / "notebooks", tmp_path / "notebooks")
    shutil.copytree(FIXTURES / "data", tmp_path / "data")
    return tmp_path


def _args(suite: Path) -> list[str]:
    return ["--notebooks-dir", str(suite / "notebooks"), "--data-dir", str(suite / "data"), "--out", str(suite / "out")]


@pytest.mark.parametrize("command", [[], ["run"], ["validate"], ["list"], ["fetch"]])
def test_help_for_every_command(command):
    result = cli.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Användning" in result.output


def test_version():
    result = cli.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("regionanalys ")


def test_fetch_is_a_group():
    result = cli.invoke(app, ["fetch", "--help"])
    assert "Hämta data" in result.output


def test_validate_ok_bad_and_missing(suite):
    ok = cli.invoke(app, ["validate", str(suite / "data")])
    assert ok.exit_code == 0 and "Inga fel" in ok.output
    (suite / "data" / "seeds" / "17_varmland.csv").write_text(
        "region;org;series;category;period;kind;value;unit;source\n"
        "17;region;nettokostnader;;2023;utfall;mycket;mnkr;källa\n"
        "18;region;okand_serie;;2023;utfall;1;mnkr;källa\n",
        encoding="utf-8",
    )
    bad = cli.invoke(app, ["validate", str(suite / "data")])
    assert bad.exit_code == 1
    lines = [line for line in bad.stdout.splitlines() if "17_varmland.csv" in line]
    assert any("rad 2" in line and "'value'" in line for line in lines), bad.output
    assert any("rad 3" in line for line in lines), bad.output
    missing = cli.invoke(app, ["validate", str(suite / "saknas")])
    assert missing.exit_code == 2


def test_list_shows_regions_series_reports_and_parameters(suite):
    result = cli.invoke(app, ["list", "--notebooks-dir", str(suite / "notebooks")])
    assert result.exit_code == 0, result.output
    out = result.output
    for text in ("Region Värmland", "nettokostnader", "01_region.ipynb", "00_utforska.ipynb", "ingen rapport", "fail", "hang", "regions"):
        assert text in out, text


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--region", "Atlantis"], "17 (Värmland)"),
        (["--region", "../"], "okänd region"),
        (["--region", "../../etc/passwd"], "okänd region"),
        (["--notebook", "../x"], "region (01_region.ipynb)"),
        (["--notebook", "00_utforska.ipynb"], "okänd rapport"),
        (["--notebook", "region", "-p", "nope=1"], "notebookens parametrar"),
        (["-p", "region=17"], "--region"),
        (["-p", "ingen_likhet"], "NAMN=VÄRDE"),
        (["--year", "3000"], "ogiltigt år"),
    ],
)
def test_run_rejects_bad_choices_before_anything_runs(suite, extra, message):
    result = cli.invoke(app, ["run", *_args(suite), *extra])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (suite / "out").exists()


def test_run_without_data_dir_is_a_usage_error(suite):
    result = cli.invoke(app, ["run", "--notebooks-dir", str(suite / "notebooks"), "--data-dir", str(suite / "nix"), "--out", str(suite / "out")])
    assert result.exit_code == 2 and "finns inte" in result.output


@pytest.mark.slow
def test_run_is_quiet_off_a_terminal_and_exit_code_says_what_happened(suite):
    ok = cli.invoke(app, ["run", *_args(suite), "--notebook", "region", "--region", "18"])
    assert ok.exit_code == 0, ok.output
    assert ok.stdout == ""
    assert (suite / "out" / "region_18_2023.html").exists() and (suite / "out" / "index.html").exists()
    failed = cli.invoke(app, ["run", *_args(suite), "--notebook", "region", "--region", "18", "-p", "fail=18"])
    assert failed.exit_code == 1
    assert "MISSLYCKADES region_18_2023" in failed.stderr and "avsiktligt fel" in failed.stderr
    cached = cli.invoke(app, ["run", *_args(suite), "--notebook", "region", "--region", "18", "--verbose"])
    assert cached.exit_code == 0  # the failed run is run again with the old parameters
    assert "region_18_2023: ok" in cached.stdout
