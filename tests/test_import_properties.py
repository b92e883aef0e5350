"""Property-based tests of the importer: whatever bytes or cells an export holds, the
importer returns rows or raises the project's own located errors, and the numbers it
accepts are the numbers in the export (profiles in conftest: "ci" small, "nightly" large)."""
from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
from hypothesis import given, strategies as st

from regionanalys.data import importing as im
from regionanalys.data.validation import DataError

HYR = {
    "layout": "wide", "region": "24", "unit": "tkr", "period": "Månad", "aggregate": "sum",
    "columns": {"Läkare": {"series": "hyrpersonal_kostnad", "category": "lakare"}, "Övriga": {"series": "hyrpersonal_kostnad", "category": "ovriga"}},
}


@given(st.binary(max_size=400), st.sampled_from([b"", b"M\xc3\xa5nad;L\xc3\xa4kare;\xc3\x96vriga\n", b"M\xe5nad;L\xe4kare;\xd6vriga\r\n"]))
def test_any_bytes_give_rows_or_located_problems(raw, head):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        path.write_bytes(head + raw)
        try:
            result = im.import_file(path, HYR)
        except DataError as exc:
            assert exc.problems and all(p.file and p.message for p in exc.problems)
        else:
            assert len(result.frame) > 0


cell = st.one_of(
    st.none(), st.integers(-10**9, 10**9), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.sampled_from(["Summa", "2023", "jan 2023", "Totalt 2023", "=A1", "4,6 %", "(12)"]),
)


@given(st.lists(st.lists(cell, min_size=1, max_size=5), max_size=8))
def test_any_excel_cells_give_rows_or_located_problems(rows):
    with tempfile.TemporaryDirectory() as tmp:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["Månad", "Läkare", "Övriga"])
        for r in rows:
            ws.append([None if isinstance(c, str) and any(ord(ch) < 32 for ch in c) else c for c in r])
        path = Path(tmp) / "export.xlsx"
        wb.save(path)
        try:
            im.import_file(path, HYR)
        except DataError as exc:
            assert exc.problems and all(p.file and p.message for p in exc.problems)


@given(st.lists(st.decimals(min_value=-10**7, max_value=10**7, places=1, allow_nan=False), min_size=12, max_size=12))
def test_accepted_months_are_the_export_numbers_and_a_true_sum_row_passes(values):
    text = "Månad;Läkare;Övriga\n" + "".join(f"2023-{i:02d};{str(v).replace('.', ',')};0\n" for i, v in enumerate(values, start=1))
    text += f"Summa 2023;{str(sum(values)).replace('.', ',')};0\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.csv"
        path.write_text(text, encoding="utf-8")
        result = im.import_file(path, HYR)
    lak = result.frame[result.frame["category"] == "lakare"]["value"].tolist()
    assert lak == [float(v) for v in values]
    assert any("summaraden 'Summa 2023' hoppades över" in p.message for p in result.skipped)
