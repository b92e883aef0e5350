"""Table downloads: the files are what pandas' own CSV and Excel writers made from the table,
cell by cell, for every kind of column a report table holds."""
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from regionanalys.report import downloads


def _reference_export_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The first implementation of export_frame (Series.map per column): the oracle."""
    out = df.reset_index(drop=True).copy()
    out.columns = [str(downloads.neutralize(str(c))) for c in out.columns]
    for col in out.columns:
        series = out[col]
        if isinstance(series.dtype, pd.PeriodDtype) or series.map(lambda v: isinstance(v, pd.Period)).any():
            out[col] = series.astype(str)
        elif not pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            out[col] = series.map(downloads.neutralize).astype(object)
    return out


def _reference_xlsx(df: pd.DataFrame, caption: str, sources: list[str]) -> bytes:
    """The workbook as pandas' ExcelWriter writes it (the first implementation of xlsx_bytes)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        _reference_export_frame(df).to_excel(writer, sheet_name="Tabell", index=False)
        about = [["Tabell", downloads.neutralize(caption)]] + [["Källa", downloads.neutralize(s)] for s in sources]
        pd.DataFrame(about, columns=["", " "]).to_excel(writer, sheet_name="Om tabellen", index=False)
    return buf.getvalue()


def _cells(data: bytes) -> list:
    """Every sheet's name and size and every cell's value, type, number format and header style."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [
        (ws.title, ws.dimensions, [
            [(c.coordinate, c.value, type(c.value).__name__, c.data_type, c.number_format, c.font.b,
              c.border.left.style, c.border.bottom.style, c.alignment.horizontal, c.alignment.vertical) for c in row]
            for row in ws.iter_rows()
        ])
        for ws in book.worksheets
    ]


TABLES = {
    "report table": pd.DataFrame({
        "område": ["Hälso- och sjukvård", "=HYPERLINK(\"http://x\")", "-3+cmd", None],
        "år": [2023, 2023, 2024, 2024],
        "mnkr": [1234.56, -0.5, np.nan, 1e16],
        "källa": ["Årsredovisning 2023, s. 4", "Handlingsplan | Budget", "", "@SUM(A1)"],
    }, index=[10, 11, 12, 13]),
    "str dtype with missing": pd.DataFrame({"text": pd.array(["a", None, "+1+2", "\tx"], dtype="str"), "n": [1, 2, 3, 4]}),
    "object mixed": pd.DataFrame({"blandat": pd.Series([1, 2.5, None, "=1+1", True, 7], dtype=object),
                                  "heltal": pd.Series([1, 2, 3, 4, 5, 6], dtype=object)}),
    "object floats with None": pd.DataFrame({"x": pd.Series([1.5, None, 2.0], dtype=object)}),
    "periods": pd.DataFrame({"månad": pd.period_range("2023-01", periods=3, freq="M"),
                             "år": pd.Series([pd.Period("2023", "Y"), pd.Period("2024", "Y"), None], dtype=object),
                             "värde": [1.0, 2.0, 3.0]}),
    "flags, ints, floats": pd.DataFrame({"exempel": [True, False], "rad": np.array([1, 2], dtype="int32"),
                                         "andel": np.array([0.25, np.inf], dtype="float32")}),
    "dates": pd.DataFrame({"beslut": pd.to_datetime(["2023-06-01 00:00", "2024-01-15 13:45"]),
                           "som text": pd.Series([pd.Timestamp("2023-06-01"), None], dtype=object)}),
    "category": pd.DataFrame({"grupp": pd.Categorical(["Läkare", "=x", "Läkare"]), "v": [1, 2, 3]}),
    "formula and number column names": pd.DataFrame({"=A1": ["a"], 2023: [1.0], "-x": ["b"]}),
    "empty": pd.DataFrame({"a": pd.Series([], dtype="str"), "b": pd.Series([], dtype=float)}),
}


@pytest.mark.parametrize("name", list(TABLES))
def test_export_frame_and_csv_are_as_before(name):
    df = TABLES[name]
    before = df.copy()
    got, want = downloads.export_frame(df), _reference_export_frame(df)
    pd.testing.assert_frame_equal(got, want)
    assert [[type(v) for v in got[c].tolist()] for c in got] == [[type(v) for v in want[c].tolist()] for c in want]
    text = want.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    assert downloads.csv_bytes(df) == ("\ufeff" + text).encode("utf-8")
    pd.testing.assert_frame_equal(df, before)  # the report's table is not changed


@pytest.mark.parametrize("name", list(TABLES))
def test_workbook_cells_are_pandas_excel_writers(name):
    df, caption, sources = TABLES[name], "Sparplan (mnkr)", ["Handlingsplan, s. 4", "=HYPERLINK(\"http://x\")"]
    assert _cells(downloads.xlsx_bytes(df, caption, sources)) == _cells(_reference_xlsx(df, caption, sources))
