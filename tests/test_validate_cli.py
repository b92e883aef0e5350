"""``regionanalys validate``: a folder, or one file (checked against the rest of the data
directory when it lies inside it), and spreadsheets in data/ reported with the command
that imports them."""
from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from regionanalys.cli import app

HEADER = "region;org;series;category;period;kind;value;unit;source;note\n"
ROW = "17;region;nettokostnader;;2023;utfall;11 776;mnkr;Dok, sid 1;\n"


def run(*args: str):
    return CliRunner().invoke(app, ["validate", *args])


@pytest.fixture
def data(tmp_path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    (d / "a.csv").write_text(HEADER + ROW, encoding="utf-8")
    return d


def test_a_file_inside_the_data_dir_is_checked_against_the_other_files(data):
    (data / "b.csv").write_text(HEADER + ROW.replace("11 776", "11 000"), encoding="utf-8")
    result = run(str(data / "b.csv"), "--data-dir", str(data))
    assert result.exit_code == 1, result.output
    assert "tillsammans med övriga filer i datakatalogen" in result.output
    assert "b.csv, rad 2: motstridig dubblett" in result.output and "a.csv rad 2" in result.output
    # only the file's own problems: a.csv's side of the duplicate is not listed
    assert "\na.csv, rad 2" not in result.output


def test_a_file_outside_the_data_dir_is_checked_alone(data, tmp_path):
    alone = tmp_path / "b.csv"
    alone.write_text(HEADER + ROW.replace("11 776", "11 000"), encoding="utf-8")
    result = run(str(alone), "--data-dir", str(data))
    assert result.exit_code == 0, result.output
    assert "ensam" in result.output and "kontrolleras inte" in result.output
    assert "rad 2" not in result.output and "Inga fel" in result.output


def test_a_file_with_errors_exits_1_and_names_line_and_column(data, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + ROW.replace("11 776", "ca 76"), encoding="utf-8")
    result = run(str(bad), "--data-dir", str(data))
    assert result.exit_code == 1
    assert "bad.csv, rad 2, kolumn 'value': 'ca 76' är inte ett tal" in result.output


def test_a_missing_file_is_an_error(data):
    result = run(str(data / "saknas.csv"), "--data-dir", str(data))
    assert result.exit_code == 1 and "filen finns inte" in result.output


@pytest.mark.parametrize("name", ["Heroma timmar.xlsx", "export.xlsm", "gammal.xls"])
def test_a_workbook_in_data_is_reported_with_the_import_command(data, name):
    (data / name).write_bytes(b"PK\x03\x04 en arbetsbok")
    result = run(str(data))
    assert result.exit_code == 0, result.output  # a warning: a.csv still loads
    line = next(ln for ln in result.output.splitlines() if ln.startswith(name))
    assert "varning: Excel-filen" in line and "regionanalys import" in line and "--mapping MAPPNING.toml" in line
    assert "förväntat: en observationsfil (.csv) skriven av regionanalys import" in line
    # the same hint when the workbook itself is named
    single = run(str(data / name), "--data-dir", str(data))
    assert single.exit_code == 0 and "regionanalys import" in single.output


def test_validate_a_folder_still_works(data):
    result = run(str(data))
    assert result.exit_code == 0 and "Inga fel" in result.output
