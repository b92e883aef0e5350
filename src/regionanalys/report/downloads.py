"""A report table as a file the reader can download: CSV and Excel, embedded as data URIs.

The file holds the FULL table (every column, sources included, numbers at full precision),
so the analyst who receives a report can reuse the figures without asking. Text cells that a
spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return first)
get a leading apostrophe, the usual neutralization (OWASP "CSV injection").
"""
from __future__ import annotations

import base64
import io
import re
import unicodedata

import pandas as pd

from regionanalys.data.csvout import safe_cell

CSV_MIME = "text/csv;charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralize(value: object) -> object:
    """A text cell starting like a formula gets a leading ``'``; other values are unchanged
    (the rule of every CSV the project writes: :func:`regionanalys.data.csvout.safe_cell`)."""
    return safe_cell(value)


def export_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The table as it goes into a file: plain column names, periods as text, formulas neutralized."""
    out = df.reset_index(drop=True)  # a new frame (copy on write): df itself is never changed
    out.columns = [str(neutralize(str(c))) for c in out.columns]
    for col in out.columns:
        series = out[col]
        if isinstance(series.dtype, pd.PeriodDtype):
            out[col] = series.astype(str)
        elif pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue  # numbers and flags as they are (a numeric column cannot hold a Period)
        elif any(isinstance(v, pd.Period) for v in series.tolist()):  # a plain loop: Series.map costs more
            out[col] = series.astype(str)
        else:
            out[col] = series.map(neutralize).astype(object)
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, ``;`` between fields and decimal comma: what Swedish Excel opens directly."""
    text = export_frame(df).to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def xlsx_bytes(df: pd.DataFrame, caption: str = "", sources: list[str] | None = None) -> bytes:
    """An Excel workbook: sheet "Tabell" with the table, sheet "Om tabellen" with caption and sources."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        export_frame(df).to_excel(writer, sheet_name="Tabell", index=False)
        about = [["Tabell", neutralize(caption)]] + [["Källa", neutralize(s)] for s in (sources or [])]
        pd.DataFrame(about, columns=["", " "]).to_excel(writer, sheet_name="Om tabellen", index=False)
    return buf.getvalue()


def data_uri(data: bytes, mime: str) -> str:
    """``data:MIME;base64,…`` (base64 digits only, safe in an attribute)."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def file_stem(caption: str, fallback: str = "tabell") -> str:
    """A portable file name from a caption: ``Utfall 2023 (mnkr)`` -> ``utfall-2023-mnkr``."""
    text = unicodedata.normalize("NFKD", caption.lower()).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-")
    return stem or fallback
