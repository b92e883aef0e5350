"""Importing monthly exports (CSV and Excel, wide and long) with a mapping, and writing
them as observation files that the loader reads."""
import datetime as dt
import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import regionanalys as ra
from regionanalys.data import importing as im
from regionanalys.data.validation import DataError

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
M = lambda text: pd.Period(text, freq="M")  # noqa: E731

WIDE_MAPPING = {
    "layout": "wide",
    "source": "Ekonomisystemet, export",
    "region": "24",
    "unit": "tkr",
    "period": "Månad",
    "sheet": "Hyrpersonal",
    "columns": {
        "Hyrläkare": {"series": "hyrpersonal_kostnad", "category": "lakare"},
        "Hyrsjuksköterskor": {"series": "hyrpersonal_kostnad", "category": "sjukskoterskor_barnmorskor"},
    },
}


def excel_export(path: Path, rows, header=("Månad", "Hyrläkare", "Hyrsjuksköterskor"), sheet="Hyrpersonal", title=True) -> Path:
    """An Excel export as analysts save them: a title row, Swedish number formats, a date column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Info"
    ws["A1"] = "Första bladet är inte data"
    ws = wb.create_sheet(sheet)
    if title:
        ws.append(["Region Västerbotten, kostnad för hyrpersonal (tkr)"])
        ws.append([])
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    for row in ws.iter_rows(min_row=4 if title else 2):
        if isinstance(row[0].value, dt.datetime):
            row[0].number_format = "mmm yyyy"
        for c in row[1:]:
            if isinstance(c.value, (int, float)):
                c.number_format = "# ##0,0"
    wb.save(path)
    return path


def problems_of(excinfo) -> list:
    return excinfo.value.problems


# --- the fixtures in tests/fixtures/imports ---------------------------------------------------


def test_wide_cp1252_csv_with_title_rows_and_a_sum_row():
    result = im.import_file(FIXTURES / "hyrpersonal_bred_cp1252.csv", FIXTURES / "hyrpersonal_bred.toml")
    f = result.frame
    assert list(f.columns) == im.CONTRACT_COLUMNS
    assert len(f) == 15  # five months × three groups; the Totalt row is skipped, listed
    rows = [p for p in result.skipped if p.line == 10]
    assert len(rows) == 1 and "Totalt" in rows[0].message
    # the ignored comment column is listed too, not dropped silently
    assert [p.column for p in result.skipped if p.line != 10] == ["Kommentar"]
    assert list(f["period"].unique()) == [M("2023-01"), M("2023-02"), M("2023-03"), M("2023-04"), M("2023-05")]
    lak = f[f["category"] == "lakare"].set_index("period")["value"]
    assert lak[M("2023-01")] == 18912.4  # "18 912,4"
    ovr = f[f["category"] == "ovriga"].set_index("period")["value"]
    assert ovr[M("2023-03")] == -12.5  # "–12,5": an en dash as Excel writes a minus in cp1252
    first = f.iloc[0]
    assert first["source"] == "Ekonomisystemet, rapport Hyrpersonal per personalgrupp, utskriven 2023-06-02 (hyrpersonal_bred_cp1252.csv, rad 5, kolumn 'Hyrläkare')"
    assert (f["unit"] == "tkr").all() and not f["example"].any()


def test_long_csv_with_columns_for_org_and_category_and_unicode_minus():
    f = im.import_file(FIXTURES / "hyrpersonal_omrade_lang.csv", FIXTURES / "hyrpersonal_omrade_lang.toml").frame
    assert set(f["org"]) == {"Område norr", "Område syd"}
    assert set(f["category"]) == {"lakare", "sjukskoterskor_barnmorskor"}
    assert set(f["region"]) == {"24"}  # "Region Västerbotten" resolved to the county code
    v = f.set_index(["org", "category", "period"])["value"]
    assert v[("Område syd", "sjukskoterskor_barnmorskor", M("2023-01"))] == -15.5  # "−15,5" (U+2212)
    assert v[("Område norr", "lakare", M("2023-01"))] == 7912.4  # no-break thousands space


def test_long_tab_separated_hours_with_year_and_month_columns():
    f = im.import_file(FIXTURES / "timmar_lang.txt", FIXTURES / "timmar_lang.toml").frame
    assert len(f) == 8
    keys = set(zip(f["series"], f["category"]))
    assert keys == {("sjukfranvaro_timmar", ""), ("ordinarie_arbetstid_timmar", ""), ("narvarotid_timmar", "egen_personal"), ("narvarotid_timmar", "hyrpersonal")}
    sick = f[f["series"] == "sjukfranvaro_timmar"].set_index("period")["value"]
    assert sick[M("2023-02")] == 91305


def test_imported_rows_are_written_and_loaded_in_mnkr(tmp_path):
    result = im.import_file(FIXTURES / "hyrpersonal_bred_cp1252.csv", FIXTURES / "hyrpersonal_bred.toml")
    out = im.write_observations(result, tmp_path / "import" / "24_hyrpersonal.csv")
    assert out.read_text(encoding="utf-8").splitlines()[0] == "region;org;series;category;period;kind;value;unit;source;note;example"
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")], "no temporary file is left behind"
    df = ra.load(tmp_path)
    lak = df[(df["category"] == "lakare")].set_index("period")
    assert lak.loc[M("2023-01"), "value"] == pytest.approx(18.9124)
    assert lak.loc[M("2023-01"), "unit"] == "mnkr"
    assert "[omräknat från tkr till mnkr" in lak.loc[M("2023-01"), "source"]
    assert "hyrpersonal_bred_cp1252.csv, rad 5, kolumn 'Hyrläkare'" in lak.loc[M("2023-01"), "source"]
    assert lak["source_file"].iloc[0] == "import/24_hyrpersonal.csv"


# --- Excel --------------------------------------------------------------------------------


def test_excel_export_with_swedish_formats(tmp_path):
    path = excel_export(tmp_path / "hyr.xlsx", [
        (dt.datetime(2023, 1, 1), 18912.4, "5 780"),  # a date cell; a text cell with a thousands space
        (dt.datetime(2023, 2, 28), "19\u00a0104,5", 5911.25),  # month-end date; no-break space and decimal comma
        ("mars 2023", 20033, "\u2212120,5"),  # a month as text; Unicode minus
        (202304, 19377, 6255.8),  # 202304 as an Excel number
        ("januari 2024", 1, 2),
    ])
    result = im.import_file(path, WIDE_MAPPING)
    f = result.frame
    assert len(f) == 10
    v = f.set_index(["category", "period"])["value"]
    assert v[("lakare", M("2023-02"))] == 19104.5
    assert v[("sjukskoterskor_barnmorskor", M("2023-01"))] == 5780
    assert v[("sjukskoterskor_barnmorskor", M("2023-03"))] == -120.5
    assert v[("lakare", M("2023-04"))] == 19377
    assert v[("lakare", M("2024-01"))] == 1
    assert f.iloc[0]["source"] == "Ekonomisystemet, export (hyr.xlsx, blad 'Hyrpersonal', rad 4, kolumn 'Hyrläkare')"
    assert result.file == "hyr.xlsx [blad Hyrpersonal]"


def test_excel_problems_are_located_and_all_collected(tmp_path):
    path = excel_export(tmp_path / "fel.xlsx", [
        (dt.datetime(2023, 1, 1), "ca 76", 10),
        ("13/2023", 5, 10),
        (dt.datetime(2023, 3, 1), None, 10),
        (dt.datetime(2023, 4, 1), "=SUM(B4:B6)", 10),
    ])
    with pytest.raises(DataError) as info:
        im.import_file(path, WIDE_MAPPING)
    probs = problems_of(info)
    places = {(p.file, p.line, p.column) for p in probs}
    assert ("fel.xlsx [blad Hyrpersonal]", 4, "B (Hyrläkare)") in places  # "ca 76"
    assert ("fel.xlsx [blad Hyrpersonal]", 5, "A (Månad)") in places  # "13/2023"
    assert ("fel.xlsx [blad Hyrpersonal]", 6, "B (Hyrläkare)") in places  # empty cell
    assert ("fel.xlsx [blad Hyrpersonal]", 7, "B (Hyrläkare)") in places  # a formula stored as text
    by_line = {p.line: p for p in probs}
    assert "ett tal" in by_line[4].expected
    assert "jan 2023" in by_line[5].expected
    assert "tom cell" in by_line[6].message and 'empty = "skip"' in by_line[6].expected
    assert "formel" in by_line[7].message.lower()
    assert len(probs) == 4


def test_excel_formula_without_a_saved_value(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Hyrpersonal"
    ws.append(["Månad", "Hyrläkare", "Hyrsjuksköterskor"])
    ws.append(["jan 2023", 1, 2])
    ws.append(["feb 2023", "=B2*2", 2])  # openpyxl saves formulas without a cached value
    wb.save(tmp_path / "formel.xlsx")
    with pytest.raises(DataError) as info:
        im.import_file(tmp_path / "formel.xlsx", WIDE_MAPPING)
    (p,) = problems_of(info)
    assert (p.line, p.column) == (3, "B (Hyrläkare)")
    assert "=B2*2" in p.message and "sparat värde" in p.message


def test_empty_cells_can_be_skipped_but_are_listed(tmp_path):
    path = excel_export(tmp_path / "tom.xlsx", [(dt.datetime(2023, 1, 1), 1, None), (dt.datetime(2023, 2, 1), 2, 3)])
    result = im.import_file(path, {**WIDE_MAPPING, "empty": "skip"})
    assert len(result.frame) == 3
    assert [(p.line, p.column) for p in result.skipped] == [(4, "C (Hyrsjuksköterskor)")]


def test_missing_sheet_and_old_excel_format(tmp_path):
    path = excel_export(tmp_path / "blad.xlsx", [(dt.datetime(2023, 1, 1), 1, 2)], sheet="Annat")
    with pytest.raises(DataError) as info:
        im.import_file(path, WIDE_MAPPING)
    assert "bladet 'Hyrpersonal' finns inte" in problems_of(info)[0].message
    (tmp_path / "gammal.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(DataError) as info:
        im.import_file(tmp_path / "gammal.xls", WIDE_MAPPING)
    assert ".xlsx" in problems_of(info)[0].expected


# --- contract checks on imported rows ---------------------------------------------------------


def write_csv(path: Path, text: str, encoding="utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_a_column_not_in_the_mapping_is_an_error_not_dropped(tmp_path):
    path = write_csv(tmp_path / "x.csv", "Månad;Hyrläkare;Hyrsjuksköterskor;Hyrtandläkare\n2023-01;1;2;3\n")
    with pytest.raises(DataError) as info:
        im.import_file(path, {**WIDE_MAPPING, "sheet": None})
    (p,) = problems_of(info)
    assert (p.line, p.column) == (1, "Hyrtandläkare") and "ignore" in p.expected


@pytest.mark.parametrize("text, named", [
    pytest.param("Månad;Hyrläkare\n2023-01;1\n", "Hyrsjuksköterskor", id="a mapped column missing from the export"),
    pytest.param("Period;Hyrläkare\n2023-01;1\n", "rubrikrad", id="no header row found"),
])
def test_what_the_export_lacks_is_named(tmp_path, text, named):
    path = write_csv(tmp_path / "x.csv", text)
    with pytest.raises(DataError) as info:
        im.import_file(path, {**WIDE_MAPPING, "sheet": None})
    assert named in problems_of(info)[0].message


def test_duplicate_months_negative_hours_and_wrong_unit_are_located(tmp_path):
    path = write_csv(tmp_path / "x.csv", "Månad;Sjuk;Schema\njan 2023;10;100\n2023-01;11;100\nfeb 2023;\u22125;100\n")
    mapping = {"layout": "wide", "region": "24", "unit": "timmar", "period": "Månad", "columns": {"Sjuk": "sjukfranvaro_timmar", "Schema": "ordinarie_arbetstid_timmar"}}
    with pytest.raises(DataError) as info:
        im.import_file(path, mapping)
    msgs = [(p.line, p.column, p.message) for p in problems_of(info)]
    assert any(line == 4 and col == "Sjuk" and "minsta" in msg for line, col, msg in msgs), msgs
    dup = [m for m in msgs if "samma nyckel" in m[2] or "dubblett" in m[2]]
    assert {m[0] for m in dup} == {2, 3}
    assert all(p.file == "x.csv" for p in problems_of(info))
    wrong_unit = {**mapping, "unit": "tkr"}
    path2 = write_csv(tmp_path / "y.csv", "Månad;Sjuk;Schema\njan 2023;10;100\n")
    with pytest.raises(DataError) as info:
        im.import_file(path2, wrong_unit)
    assert {p.column for p in problems_of(info)} == {"unit (mappningen)"}


def test_sick_hours_above_scheduled_hours_are_an_error(tmp_path):
    path = write_csv(tmp_path / "x.csv", "Månad;Sjuk;Schema\njan 2023;120;100\n")
    mapping = {"layout": "wide", "region": "24", "unit": "timmar", "period": "Månad", "columns": {"Sjuk": "sjukfranvaro_timmar", "Schema": "ordinarie_arbetstid_timmar"}}
    with pytest.raises(DataError) as info:
        im.import_file(path, mapping)
    (p,) = problems_of(info)
    assert (p.file, p.line, p.column) == ("x.csv", 2, "Sjuk")


def test_an_unmapped_category_value_is_an_error(tmp_path):
    path = write_csv(tmp_path / "x.csv", "Månad;Område;Personalgrupp;Kostnad (tkr)\njan 2023;Norr;Tandläkare;5\n")
    with pytest.raises(DataError) as info:
        im.import_file(path, FIXTURES / "hyrpersonal_omrade_lang.toml")
    (p,) = problems_of(info)
    assert (p.line, p.column) == (2, "Personalgrupp") and "Tandläkare" in p.message


def test_mapping_errors_fail_before_reading():
    with pytest.raises(im.MappingError, match="okänd serie"):
        im.Mapping.from_dict({**WIDE_MAPPING, "columns": {"A": {"series": "hyr_kostnad"}}})
    with pytest.raises(im.MappingError, match="unit saknas"):
        im.Mapping.from_dict({k: v for k, v in WIDE_MAPPING.items() if k != "unit"})
    with pytest.raises(im.MappingError, match="okänd enhet"):
        im.Mapping.from_dict({**WIDE_MAPPING, "unit": "kkr"})
    with pytest.raises(im.MappingError, match="okänd region"):
        im.Mapping.from_dict({**WIDE_MAPPING, "region": "Atlantis"})
    with pytest.raises(im.MappingError, match="layout"):
        im.Mapping.from_dict({**WIDE_MAPPING, "layout": "pivot"})
    with pytest.raises(im.MappingError, match="value saknas"):
        im.Mapping.from_dict({"layout": "long", "region": "24", "unit": "tkr", "period": "Månad", "series": "hyrpersonal_kostnad"})
    with pytest.raises(im.MappingError, match="okända nycklar"):
        im.Mapping.from_dict({**WIDE_MAPPING, "colums": {}})


# --- the writer ------------------------------------------------------------------------------


def test_writer_refuses_other_regions_existing_files_and_keeps_values_exact(tmp_path):
    result = im.import_file(FIXTURES / "timmar_lang.txt", FIXTURES / "timmar_lang.toml")
    with pytest.raises(DataError, match="reserverad för region 17"):
        im.write_observations(result, tmp_path / "17_timmar.csv")
    out = im.write_observations(result, tmp_path / "24_timmar.csv")
    with pytest.raises(FileExistsError):
        im.write_observations(result, out)
    im.write_observations(result, out, overwrite=True)
    with pytest.raises(ValueError):
        im.write_observations(result, tmp_path / "24_timmar.txt")
    assert im.format_value(0.1 + 0.2) == "0,30000000000000004"
    assert im.format_value(1234.5) == "1234,5" and im.format_value(-3.0) == "-3" and im.format_value(1e-7) == "0,0000001"
    loaded = ra.load(tmp_path)
    assert len(loaded) == 8 and (loaded["unit"] == "timmar").all()


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "24_x.csv"
    target.write_text("gammalt", encoding="utf-8")

    def boom(src, dst):
        raise OSError("disken är full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        im.atomic_write_text(target, "nytt")
    assert target.read_text(encoding="utf-8") == "gammalt"
    assert [p.name for p in tmp_path.iterdir()] == ["24_x.csv"]


def test_command_line(tmp_path, capsys):
    out = tmp_path / "24_hyr.csv"
    code = im.main([str(FIXTURES / "hyrpersonal_bred_cp1252.csv"), "--mapping", str(FIXTURES / "hyrpersonal_bred.toml"), "--out", str(out)])
    assert code == 0 and out.exists()
    assert "15 värden" in capsys.readouterr().out
    assert im.main([str(FIXTURES / "hyrpersonal_bred_cp1252.csv"), "--mapping", str(FIXTURES / "timmar_lang.toml"), "--out", str(tmp_path / "24_b.csv")]) == 1
    assert "problem" in capsys.readouterr().err
