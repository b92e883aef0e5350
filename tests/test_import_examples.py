"""The three worked examples of docs/importing.md: each export is imported with its mapping,
the values are checked, and the committed files are what make_examples.py writes."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

import regionanalys as ra
from regionanalys.cli import app
from regionanalys.data import importing as im
from regionanalys.data.validation import DataError

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
M = lambda text: pd.Period(text, freq="M")  # noqa: E731


def _make_examples():
    spec = importlib.util.spec_from_file_location("make_examples", FIXTURES / "make_examples.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _cells(path: Path) -> list:
    wb = openpyxl.load_workbook(path)
    return [[(c.value, c.number_format) for c in row] for ws in wb.worksheets for row in ws.iter_rows()] + [wb.sheetnames]


def test_committed_examples_are_what_the_script_writes(tmp_path):
    for new in _make_examples().write_all(tmp_path):
        old = FIXTURES / new.name
        if new.suffix == ".xlsx":
            assert _cells(new) == _cells(old), new.name
        else:
            assert new.read_bytes() == old.read_bytes(), new.name


# --- (a) HR hours, .xlsx, year and Swedish month names in two columns ---------------------


def test_hr_hours_export():
    result = im.import_file(FIXTURES / "hr_timmar_2023.xlsx", FIXTURES / "hr_timmar.toml")
    f = result.frame
    assert len(f) == 2 * 2 * 12
    assert set(f["org"]) == {"Hälso- och sjukvårdsförvaltningen", "Regionservice"}
    assert sorted(f["period"].unique()) == [M(f"2023-{m:02d}") for m in range(1, 13)]
    v = f.set_index(["org", "series", "period"])["value"]
    assert v[("Hälso- och sjukvårdsförvaltningen", "sjukfranvaro_timmar", M("2023-01"))] == 91305  # "januari"
    assert v[("Hälso- och sjukvårdsförvaltningen", "sjukfranvaro_timmar", M("2023-07"))] == 38840  # "juli"
    assert v[("Regionservice", "ordinarie_arbetstid_timmar", M("2023-12"))] == 135120  # "december"
    assert (f["unit"] == "timmar").all() and (f["region"] == "24").all()
    # the percent column is not data here: listed as skipped, not dropped silently
    (col,) = [p for p in result.skipped if "Sjukfrånvaro %" in p.column]
    assert "24 ifyllda" in col.message


# --- (b) finance ledger, ;-separated cp1252, kr, several accounts per series --------------


def test_finance_ledger_sums_accounts_and_keeps_what_was_summed():
    result = im.import_file(FIXTURES / "huvudbok_2023.csv", FIXTURES / "huvudbok.toml")
    f = result.frame
    assert len(f) == 3 * 4  # three months × (three staff groups + own staff)
    v = f.set_index(["series", "category", "period"])
    lak_jan = v.loc[("hyrpersonal_kostnad", "lakare", M("2023-01"))]
    assert lak_jan["value"] == 1_284_512.50 + 402_118.00 + 96_400.00  # two ansvar on 4631, and 4634
    assert "summa av Konto 4631, 4634 (rader 4–6)" in lak_jan["source"]
    assert v.loc[("hyrpersonal_kostnad", "lakare", M("2023-02")), "value"] == 1_190_004 - 25_000 + 88_120  # a correction row
    egen = v.loc[("egen_personalkostnad", "", M("2023-01"))]
    assert egen["value"] == pytest.approx(310_455_210 + 42_118_900 + 97_542_113.40 + 31_004_500)
    assert "Konto 5011, 5611, 5711" in egen["source"]
    single = v.loc[("hyrpersonal_kostnad", "sjukskoterskor_barnmorskor", M("2023-01"))]
    assert single["source"].endswith("(huvudbok_2023.csv, rad 7, Konto 4632, kolumn 'Belopp')")
    # accounts no [[rows]] names are listed with their rows, not summed in silently
    unmatched = [p.message for p in result.skipped if "[[rows]]" in p.message]
    assert unmatched == [
        "2 rader (Konto '4010'; rader 13, 25) hör inte till någon [[rows]] och hoppades över (unmatched = \"skip\")",
        "2 rader (Konto '6110'; rader 14, 33) hör inte till någon [[rows]] och hoppades över (unmatched = \"skip\")",
    ]


def test_finance_ledger_loads_in_mnkr(tmp_path):
    written = im.import_and_write(FIXTURES / "huvudbok_2023.csv", FIXTURES / "huvudbok.toml", tmp_path / "imports" / "24_huvudbok.csv", data_dir=tmp_path)
    df = ra.load(tmp_path).set_index(["series", "category", "period"])
    assert df.loc[("hyrpersonal_kostnad", "lakare", M("2023-01")), "value"] == pytest.approx(1.7830305)
    assert df.loc[("egen_personalkostnad", "", M("2023-03")), "value"] == pytest.approx(494.05503)
    assert (df["unit"] == "mnkr").all()
    assert written.path == tmp_path / "imports" / "24_huvudbok.csv"


# --- (c) wide sheet with a title row and a Summa row ---------------------------------------


def test_wide_sheet_summa_row_is_checked_and_skipped():
    result = im.import_file(FIXTURES / "hyrpersonal_2023.xlsx", FIXTURES / "hyrpersonal_2023.toml")
    f = result.frame
    assert len(f) == 12 * 4
    assert not (f["period"].map(lambda p: p.freqstr) != "M").any(), "no annual value from the Summa row"
    v = f.set_index(["category", "period"])["value"]
    assert v[("lakare", M("2023-01"))] == 18912.4
    assert v[("", M("2023-12"))] == pytest.approx(16588.1 + 5402.4 + 1120.6)
    (note,) = [p for p in result.skipped if p.line == 15]
    assert "summaraden 'Summa' hoppades över" in note.message and "jan 2023–dec 2023" in note.message
    assert "235 490,6 tkr" in note.message  # in the sheet's own unit


def test_wide_sheet_summa_row_that_does_not_match_is_an_error_in_tkr(tmp_path):
    wb = openpyxl.load_workbook(FIXTURES / "hyrpersonal_2023.xlsx")
    ws = wb["Hyrpersonal 2023"]
    assert ws["A15"].value == "Summa"
    ws["B15"] = ws["B15"].value + 100  # a month missing from the sum, say
    wb.save(tmp_path / "fel.xlsx")
    with pytest.raises(DataError) as info:
        im.import_file(tmp_path / "fel.xlsx", FIXTURES / "hyrpersonal_2023.toml")
    (p,) = info.value.problems
    assert (p.line, p.column) == (15, "B (Läkare)")
    assert "235 590,6 tkr" in p.message and "235 490,6 tkr" in p.message and "skillnad 100,0 tkr" in p.message
    assert "mnkr" not in p.message


def test_wide_sheet_loads_in_mnkr_with_totals_checked(tmp_path):
    im.import_and_write(FIXTURES / "hyrpersonal_2023.xlsx", FIXTURES / "hyrpersonal_2023.toml", tmp_path / "17_hyr.csv", data_dir=tmp_path)
    df = ra.load(tmp_path).set_index(["category", "period"])
    assert df.loc[("lakare", M("2023-01")), "value"] == pytest.approx(18.9124)
    assert df.loc[("lakare", M("2023-01")), "source"].endswith("[omräknat från tkr till mnkr, × 0,001]")


# --- the command ---------------------------------------------------------------------------


runner = CliRunner()


def test_cli_help_shows_a_mapping_example():
    res = runner.invoke(app, ["import", "--help"])
    assert res.exit_code == 0
    for text in ("[[rows]]", 'aggregate = "sum"', "--mapping", "docs/importing.md"):
        assert text in res.output


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_cli_imports_each_example_and_respects_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        for export, mapping in [("hr_timmar_2023.xlsx", "hr_timmar.toml"), ("huvudbok_2023.csv", "huvudbok.toml"), ("hyrpersonal_2023.xlsx", "hyrpersonal_2023.toml")]:
            res = runner.invoke(app, ["import", str(FIXTURES / export), "--mapping", str(FIXTURES / mapping), "--data-dir", str(tmp_path)])
            assert res.exit_code == 0, res.output
            assert "värden från" in res.output
    finally:
        os.umask(old)
    files = sorted(p.name for p in (tmp_path / "imports").iterdir())
    assert files == ["17_hyrpersonal_2023.csv", "24_hr_timmar_2023.csv", "24_huvudbok_2023.csv"]
    for p in (tmp_path / "imports").iterdir():
        assert p.stat().st_mode & 0o777 == mode, p.name
    assert len(ra.load(tmp_path)) == 48 + 12 + 48


def test_cli_prints_located_problems_and_writes_nothing(tmp_path):
    bad = tmp_path / "export.csv"
    bad.write_text("Månad;Läkare;Sjuksköterskor;Övriga;Totalt\njan 2023;1;2;ca 3;6\n", encoding="utf-8")
    res = runner.invoke(app, ["import", str(bad), "--mapping", str(FIXTURES / "hyrpersonal_2023.toml"), "--data-dir", str(tmp_path)])
    assert res.exit_code == 1
    assert "export.csv, rad 2, kolumn 'Övriga': 'ca 3' är inte ett tal" in res.output
    assert not (tmp_path / "imports").exists()
    res = runner.invoke(app, ["import", str(bad), "--mapping", str(FIXTURES / "huvudbok_2023.csv")])
    assert res.exit_code == 2 and "mappningen" in res.output


def test_cli_rolls_back_a_file_that_conflicts_with_the_data_directory(tmp_path):
    args = [str(FIXTURES / "huvudbok_2023.csv"), "--mapping", str(FIXTURES / "huvudbok.toml"), "--data-dir", str(tmp_path)]
    assert runner.invoke(app, ["import", *args]).exit_code == 0
    # the same rows again under another name: duplicate keys across files
    res = runner.invoke(app, ["import", *args, "--out", str(tmp_path / "imports" / "24_igen.csv")])
    assert res.exit_code == 1
    assert "imports/24_igen.csv" in res.output and "samma nyckel" in res.output
    assert not (tmp_path / "imports" / "24_igen.csv").exists()
    assert len(ra.load(tmp_path)) == 12
    # an existing output is not replaced without --overwrite
    res = runner.invoke(app, ["import", *args])
    assert res.exit_code == 1 and "--overwrite" in res.output


def test_the_mappings_in_the_docs_are_the_fixtures():
    import re
    import tomllib

    docs = (Path(__file__).parents[1] / "docs" / "importing.md").read_text(encoding="utf-8")
    blocks = [tomllib.loads(b) for b in re.findall(r"```toml\n(.*?)```", docs, re.S)]
    for name in ("hr_timmar.toml", "huvudbok.toml", "hyrpersonal_2023.toml"):
        fixture = tomllib.loads((FIXTURES / name).read_text(encoding="utf-8"))
        assert fixture in blocks, f"docs/importing.md visar inte {name} som den är"


def test_a_replaced_file_comes_back_byte_for_byte_when_the_new_one_conflicts(tmp_path):
    (tmp_path / "imports").mkdir()
    old = tmp_path / "imports" / "24_huvudbok_2023.csv"
    im.import_and_write(FIXTURES / "huvudbok_2023.csv", FIXTURES / "huvudbok.toml", old, data_dir=tmp_path)
    before = old.read_bytes()
    # a second file gets the same rows, and the first is edited by hand (any bytes):
    # re-importing into the first now conflicts with the second, so the edit must come back
    im.import_and_write(FIXTURES / "huvudbok_2023.csv", FIXTURES / "huvudbok.toml", tmp_path / "kopia.csv", data_dir=tmp_path / "annan")
    (tmp_path / "kopia.csv").rename(tmp_path / "imports" / "24_kopia.csv")
    old.write_bytes(b"region;org;series;category;period;kind;value;unit;source\n24;region;befolkning;;2023;utfall;1;personer;k\n")
    kept = old.read_bytes()
    with pytest.raises(DataError):
        im.import_and_write(FIXTURES / "huvudbok_2023.csv", FIXTURES / "huvudbok.toml", old, data_dir=tmp_path, overwrite=True)
    assert old.read_bytes() == kept != before
    assert sorted(p.name for p in (tmp_path / "imports").iterdir()) == ["24_huvudbok_2023.csv", "24_kopia.csv"]
