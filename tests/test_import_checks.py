"""Importer cases from issue 16 (nothing dropped or misread silently) and aggregation:
columns without a mapping, Excel percent cells, year-total rows, messages in the export's
own unit, several columns or accounts summed into one series."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from regionanalys.data import importing as im
from regionanalys.data.validation import DataError

M = lambda text: pd.Period(text, freq="M")  # noqa: E731

HOURS = {"layout": "wide", "region": "24", "unit": "timmar", "period": "Månad", "columns": {"Sjuk": "sjukfranvaro_timmar", "Schema": "ordinarie_arbetstid_timmar"}}
HYR = {
    "layout": "wide", "region": "24", "unit": "tkr", "period": "Månad",
    "columns": {"Läkare": {"series": "hyrpersonal_kostnad", "category": "lakare"}, "Övriga": {"series": "hyrpersonal_kostnad", "category": "ovriga"}},
}


def csv_file(tmp_path: Path, text: str, name="x.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def problems(path, mapping) -> list:
    with pytest.raises(DataError) as info:
        im.import_file(path, mapping)
    return info.value.problems


def workbook(tmp_path: Path, rows, name="x.xlsx", merge=None, formats=None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(list(r))
    if merge:
        ws.merge_cells(merge)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    wb.save(tmp_path / name)
    return tmp_path / name


# --- every column with values is mapped or listed ------------------------------------------


def test_a_column_with_numbers_but_no_header_is_an_error(tmp_path):
    path = csv_file(tmp_path, "Månad;Sjuk;Schema;\njan 2023;10;100;7\nfeb 2023;11;100;8\n")
    (p,) = problems(path, HOURS)
    assert (p.line, p.column) == (1, "kolumn 4")
    assert "har värden men ingen rubrik" in p.message and "7" in p.message
    assert "ignore = [4]" in p.expected


def test_a_headerless_column_can_be_ignored_by_number_and_is_listed(tmp_path):
    path = csv_file(tmp_path, "Månad;Sjuk;Schema;\njan 2023;10;100;7\n")
    result = im.import_file(path, {**HOURS, "ignore": [4]})
    assert len(result) == 2
    (s,) = result.skipped
    assert s.column == "kolumn 4" and "hoppades över" in s.message and "1 ifyllda" in s.message


def test_a_headerless_column_with_text_only_is_listed_not_an_error(tmp_path):
    path = csv_file(tmp_path, "Månad;Sjuk;Schema;\njan 2023;10;100;kontrollerad\n")
    result = im.import_file(path, HOURS)
    (s,) = result.skipped
    assert s.column == "kolumn 4" and "bara text" in s.message


def test_rows_longer_than_the_header(tmp_path):
    path = csv_file(tmp_path, "Månad;Sjuk;Schema\njan 2023;10;100\nfeb 2023;11;100;12\n")
    (p,) = problems(path, HOURS)
    assert p.column == "kolumn 4" and "längre än rubrikraden" in p.message and "12" in p.message


def test_a_merged_header_over_two_columns(tmp_path):
    path = workbook(tmp_path, [("Månad", "Sjuk", None, "Schema"), ("jan 2023", 10, 2, 100)], merge="B1:C1")
    (p,) = problems(path, HOURS)
    assert (p.line, p.column) == (1, "C")
    assert "sammanfogad över kolumnerna B–C" in p.message


def test_an_unmapped_named_column_is_an_error_unless_ignored(tmp_path):
    path = csv_file(tmp_path, "Månad;Sjuk;Schema;Kommentar\njan 2023;10;100;ok\n")
    (p,) = problems(path, HOURS)
    assert p.column == "Kommentar"
    result = im.import_file(path, {**HOURS, "ignore": ["Kommentar"]})
    assert [s.column for s in result.skipped] == ["Kommentar"]


# --- Excel percent cells ----------------------------------------------------------------------


def test_a_percent_formatted_cell_imports_as_shown(tmp_path):
    path = workbook(tmp_path, [("År", "Ökning"), (2023, 0.046), (2024, 0.1)], formats={"B2": "0.0%", "B3": "0%"})
    mapping = {"layout": "wide", "region": "17", "unit": "procent", "period": "År", "columns": {"Ökning": "lonekostnadsokningstakt"}}
    f = im.import_file(path, mapping).frame.set_index("period")["value"]
    assert f[pd.Period("2023", "Y")] == 4.6  # 0,046 shown as 4,6 %: exactly 4.6, not 4.6000000000000005
    assert f[pd.Period("2024", "Y")] == 10


def test_a_percent_cell_is_a_plain_fraction_without_the_format(tmp_path):
    path = workbook(tmp_path, [("År", "Ökning"), (2023, 0.046)])
    mapping = {"layout": "wide", "region": "17", "unit": "procent", "period": "År", "columns": {"Ökning": "lonekostnadsokningstakt"}}
    assert im.import_file(path, mapping).frame["value"].iloc[0] == 0.046


def test_a_percent_cell_mapped_to_money_is_an_error(tmp_path):
    path = workbook(tmp_path, [("Månad", "Läkare", "Övriga"), ("jan 2023", 0.25, 3)], formats={"B2": "0%"})
    (p,) = problems(path, HYR)
    assert p.column == "B (Läkare)" and "visas som procent i Excel (25 %)" in p.message and "tkr" in p.message


# --- year-total rows between monthly rows ------------------------------------------------------


def test_a_year_total_row_between_months_is_checked_and_skipped(tmp_path):
    rows = "".join(f"2023-{m:02d};{m};10\n" for m in range(1, 13))
    path = csv_file(tmp_path, "Månad;Läkare;Övriga\n" + rows + "2023;78;120\n2024-01;5;10\n")
    result = im.import_file(path, HYR)
    f = result.frame
    assert len(f) == 26 and all(p.freqstr.startswith("M") for p in f["period"])
    (note,) = result.skipped
    assert note.line == 14 and "summaraden '2023' hoppades över" in note.message and "jan 2023–dec 2023" in note.message


@pytest.mark.parametrize("label", ["Summa 2023", "Totalt 2023", "Helår 2023", "2023 totalt"])
def test_labelled_year_totals(tmp_path, label):
    path = csv_file(tmp_path, f"Månad;Läkare;Övriga\njan 2023;1;2\nfeb 2023;3;4\n{label};4;6\nmar 2024;1;1\n")
    result = im.import_file(path, HYR)
    assert len(result) == 6 and [p.line for p in result.skipped] == [4]


def test_a_year_total_that_does_not_match_shows_the_file_unit(tmp_path):
    path = csv_file(tmp_path, "Månad;Läkare;Övriga\njan 2023;1 000,5;2\nfeb 2023;3 000;4\n2023;4 100,5;6\n")
    (p,) = problems(path, HYR)
    assert (p.line, p.column) == (4, "Läkare")
    assert p.message == "summaraden '2023' har 4 100,5 tkr men månaderna jan 2023–feb 2023 (rader 2–3) summerar till 4 000,5 tkr, skillnad 100,0 tkr"


def test_a_year_row_without_its_months_is_an_error(tmp_path):
    path = csv_file(tmp_path, "Månad;Läkare;Övriga\njan 2024;1;2\n2023;4;6\n")
    errs = problems(path, HYR)
    assert {p.line for p in errs} == {3} and "inga månaderna i 2023" in errs[0].message


def test_year_rows_alone_are_annual_values_not_totals(tmp_path):
    path = csv_file(tmp_path, "År;Läkare;Övriga\n2022;1;2\n2023;3;4\n")
    f = im.import_file(path, {**HYR, "period": "År"}).frame
    assert len(f) == 4 and set(f["period"]) == {pd.Period("2022", "Y"), pd.Period("2023", "Y")}


def test_a_summa_row_without_year_sums_the_block_above(tmp_path):
    path = csv_file(tmp_path, "Månad;Läkare;Övriga\njan 2023;1;2\nfeb 2023;3;4\nSumma;4;6\nmar 2023;5;5\napr 2023;5;5\nSumma;10;13\n")
    (p,) = problems(path, HYR)
    assert p.line == 7 and p.column == "Övriga" and "mar 2023–apr 2023" in p.message


def test_contract_check_messages_show_kr_not_mnkr(tmp_path):
    # a stated total (category "") that is not the sum of its parts, in kr
    mapping = {**HYR, "unit": "kr", "columns": {**HYR["columns"], "Totalt": {"series": "hyrpersonal_kostnad", "category": ""}}}
    path = csv_file(tmp_path, "Månad;Läkare;Övriga;Totalt\njan 2023;1 200 000;300 000;1 600 000\n")
    (p,) = problems(path, mapping)
    assert p.line == 2 and "1 600 000 kr" in p.message and "1 500 000 kr" in p.message and "mnkr" not in p.message


# --- aggregation ------------------------------------------------------------------------------


def test_two_columns_for_one_series_need_aggregate_sum(tmp_path):
    mapping = {**HYR, "columns": {**HYR["columns"], "Läkare jour": {"series": "hyrpersonal_kostnad", "category": "lakare"}}}
    path = csv_file(tmp_path, "Månad;Läkare;Läkare jour;Övriga\njan 2023;100;20,5;7\n")
    errs = problems(path, mapping)
    assert {p.column for p in errs} == {"Läkare", "Läkare jour"}
    assert all('aggregate = "sum"' in p.expected for p in errs)
    f = im.import_file(path, {**mapping, "aggregate": "sum"}).frame.set_index("category")
    assert f.loc["lakare", "value"] == 120.5
    assert f.loc["lakare", "source"] == "x.csv, summa av kolumnerna 'Läkare', 'Läkare jour' (rad 2)"


LEDGER = {
    "layout": "long", "region": "24", "unit": "kr", "period": "Period", "value": "Belopp", "aggregate": "sum",
    "rows": [
        {"where": {"Konto": ["4631", "4634"]}, "series": "hyrpersonal_kostnad", "category": "lakare"},
        {"where": {"Konto": "50*"}, "series": "egen_personalkostnad"},
    ],
}


def test_rows_that_match_no_group_are_an_error_by_default(tmp_path):
    path = csv_file(tmp_path, "Konto;Period;Belopp\n4631;202301;10\n6110;202301;99\n")
    (p,) = problems(path, LEDGER)
    assert (p.line, p.column) == (3, "Konto") and "'6110'" in p.message and 'unmatched = "skip"' in p.expected


def test_a_row_matching_two_groups_is_an_error(tmp_path):
    mapping = {**LEDGER, "rows": [*LEDGER["rows"], {"where": {"Konto": "46*"}, "series": "hyrpersonal_kostnad", "category": "ovriga"}]}
    path = csv_file(tmp_path, "Konto;Period;Belopp\n4631;202301;10\n")
    (p,) = problems(path, mapping)
    assert "matchar flera [[rows]]" in p.message and "rows[1]" in p.message and "rows[3]" in p.message


def test_prefix_keys_in_values_longest_wins(tmp_path):
    mapping = {
        "layout": "long", "region": "24", "unit": "kr", "period": "Period", "value": "Belopp", "series": "hyrpersonal_kostnad", "aggregate": "sum",
        "category": {"column": "Konto", "values": {"46*": "ovriga", "4631": "lakare", "4632*": "sjukskoterskor_barnmorskor"}},
    }
    path = csv_file(tmp_path, "Konto;Period;Belopp\n4631;202301;1\n46321;202301;2\n4699;202301;3\n4633;202301;4\n")
    f = im.import_file(path, mapping).frame.set_index("category")["value"]
    assert f.to_dict() == {"lakare": 1, "sjukskoterskor_barnmorskor": 2, "ovriga": 7}


def test_mapping_keys_for_groups_are_checked():
    with pytest.raises(im.MappingError, match="where saknas"):
        im.Mapping.from_dict({**LEDGER, "rows": [{"series": "hyrpersonal_kostnad"}]})
    with pytest.raises(im.MappingError, match="okänd serie"):
        im.Mapping.from_dict({**LEDGER, "rows": [{"where": {"Konto": "1"}, "series": "hyr"}]})
    with pytest.raises(im.MappingError, match="aggregate"):
        im.Mapping.from_dict({**LEDGER, "aggregate": "mean"})
    with pytest.raises(im.MappingError, match="series saknas"):
        im.Mapping.from_dict({**LEDGER, "rows": [{"where": {"Konto": "1"}}]})


# --- validate's hint for spreadsheets in data/ --------------------------------------------------


def test_import_hint_names_the_command():
    hint = im.import_hint("data/hyr 2023.xlsx", "data")
    assert 'regionanalys import "data/hyr 2023.xlsx" --mapping MAPPNING.toml --out data/imports/hyr_2023.csv' in hint
    assert "docs/importing.md" in hint
    old = im.import_hint("data/Hyr.xls")
    assert "spara den som .xlsx" in old and "regionanalys import data/Hyr.xlsx" in old


def test_names_from_the_export_are_normalized_and_formulas_rejected(tmp_path):
    mapping = {**HYR, "org": {"column": "Område"}}
    nfd = "Omra\u030ade  norr"  # decomposed å and a double space
    path = csv_file(tmp_path, f"Månad;Område;Läkare;Övriga\njan 2023;Område norr;1;2\nfeb 2023;{nfd};1;2\n")
    assert set(im.import_file(path, mapping).frame["org"]) == {"Område norr"}
    path = csv_file(tmp_path, "Månad;Område;Läkare;Övriga\njan 2023;@SUM(A1);1;2\n", name="y.csv")
    errs = problems(path, mapping)
    assert {(p.line, p.column) for p in errs} == {(2, "Område")} and "formel" in errs[0].message


def test_percent_written_as_text(tmp_path):
    mapping = {"layout": "wide", "region": "17", "unit": "procent", "period": "År", "columns": {"Ökning": "lonekostnadsokningstakt"}}
    path = csv_file(tmp_path, "År;Ökning\n2023;4,6 %\n2024;3,1%\n")
    assert im.import_file(path, mapping).frame["value"].tolist() == [4.6, 3.1]
    path = csv_file(tmp_path, "Månad;Läkare;Övriga\njan 2023;4,6 %;1\n", name="y.csv")
    (p,) = problems(path, HYR)
    assert p.column == "Läkare" and "står i procent (4,6 %)" in p.message


def test_import_hint_shows_paths_as_typed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    hint = im.import_hint(tmp_path / "data" / "sub" / "Hyr.xlsx", tmp_path / "data")
    assert "regionanalys import data/sub/Hyr.xlsx --mapping MAPPNING.toml --out data/imports/hyr.csv" in hint
