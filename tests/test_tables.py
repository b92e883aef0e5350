"""The reader's tables (present.table) read back as a browser and an analyst would.

The table is accessible (caption, ``scope`` on header cells, numbers right-aligned in
Swedish format), technical columns are left out of the view, each row's source is a
footnote number pointing to an entry of the report's source list, and the embedded CSV and
Excel downloads open in pandas with the same values as the DataFrame (full precision,
every column, spreadsheet formulas neutralized).
"""
from __future__ import annotations

import base64
import io

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from regionanalys.report import downloads, present, tables


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    out: list[str] = []
    monkeypatch.setattr(present, "_show", out.append)
    monkeypatch.setattr(present, "_report", present.Appendix())
    return out


TABLE = pd.DataFrame({
    "område": ["Hälso- och sjukvård", "Regionservice", "Kultur"],
    "2024": [12.3456789, -2.5, 1234.0],
    "andel": [4.56, 12.0, None],
    "kontrolltyp": ["summa", "del", "del"],
    "källa": ["Handlingsplan, s. 4", "Handlingsplan, s. 5 [omräknat från tkr]", "Handlingsplan, s. 4"],
})


def _soup(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "html.parser")


def _decode(href: str) -> bytes:
    head, data = href.split(",", 1)
    assert head.endswith(";base64")
    return base64.b64decode(data)


def test_table_is_accessible_and_numbers_are_swedish_and_right_aligned(shown):
    present.table(TABLE, "Sparplan per område (mnkr)", units={"2024": "mnkr", "andel": "procent"},
                  hide=("kontrolltyp",), row_header="område", sign_columns=["2024"])
    table = _soup(shown[0]).find("table")
    assert table.caption.get_text(strip=True) == "Sparplan per område (mnkr)"
    heads = table.thead.find_all("th")
    assert [th.get("scope") for th in heads] == ["col"] * len(heads)
    assert [th.get_text() for th in heads] == ["område", "2024", "andel", "Källa"], "unit in the caption is not repeated; hidden and source columns are out"
    rows = table.tbody.find_all("tr")
    assert [r.find("th", scope="row").get_text() for r in rows] == list(TABLE["område"])
    first = rows[0].find_all("td")
    assert "num" in first[0]["class"] and "num" in first[1]["class"]
    assert [td.get_text() for td in first[:2]] == ["+12,3", "4,6\u00a0%"]
    assert rows[1].find_all("td")[0].get_text() == "\u22122,5", "Unicode minus, one decimal per column"
    assert rows[2].find_all("td")[0].get_text() == "+1\u00a0234,0", "thousands with a no-break space"
    assert rows[2].find_all("td")[1].get_text() == "–", "missing is a dash, never 0"
    assert "summa" not in table.get_text(), "technical column hidden"


def test_unit_goes_into_the_heading_when_the_caption_does_not_say_it(shown):
    present.table(TABLE[["område", "2024"]], "Sparplan per område", units="mnkr", source_column=None)
    heads = [th.get_text() for th in _soup(shown[0]).find("thead").find_all("th")]
    assert heads == ["område", "2024 (mnkr)"]


def test_footnotes_point_to_existing_entries_and_only_cited_sources_are_listed(shown):
    present.table(TABLE, "Sparplan", units="mnkr")
    present.table(pd.DataFrame({"post": ["x"], "värde": [1.0], "källa": ["Årsredovisning 2023, s. 9"]}), "Annan", units="mnkr")
    frame = pd.DataFrame({"source": ["Handlingsplan, s. 4", "Ett dokument som ingen tabell citerar"],
                          "source_file": ["seeds/a.csv", "seeds/b.csv"], "example": [False, False]})
    present.appendix(frame)
    page = _soup("".join(shown))
    refs = [a["href"] for a in page.select("a.ra-fnref")]
    assert refs == ["#kalla-1", "#kalla-2", "#kalla-1", "#kalla-3"], "the same source keeps its number"
    entries = {li["id"]: li.get_text() for li in page.select(".ra-cited li")}
    assert set(entries) == {"kalla-1", "kalla-2", "kalla-3"}
    for ref in refs:
        assert ref[1:] in entries, f"fotnoten {ref} pekar inte på någon källa"
    assert entries["kalla-2"] == "Handlingsplan, s. 5", "the loader's conversion note is not part of the source"
    assert "Ett dokument som ingen tabell citerar" not in page.get_text(), "only cited sources are listed"
    details = page.select_one("details.ra-cited")
    assert details is not None and not details.has_attr("open"), "sources are collapsed on screen"


def test_csv_and_excel_downloads_hold_the_full_table(shown):
    present.table(TABLE, "Sparplan per område", units={"2024": "mnkr", "andel": "procent"}, hide=("kontrolltyp",))
    links = {a["data-download"]: a for a in _soup(shown[0]).select("a[download]")}
    assert set(links) == {"csv", "xlsx"}
    assert links["csv"]["download"] == "sparplan-per-omrade.csv"
    raw = _decode(links["csv"]["href"])
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so Excel reads å, ä, ö"
    csv = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig")
    xlsx = pd.read_excel(io.BytesIO(_decode(links["xlsx"]["href"])), sheet_name="Tabell")
    for got in (csv, xlsx):
        assert list(got.columns) == list(TABLE.columns), "every column, hidden and sources included"
        pd.testing.assert_series_equal(got["2024"], TABLE["2024"], check_names=False)  # full precision
        pd.testing.assert_series_equal(got["andel"], TABLE["andel"], check_names=False)
        assert list(got["källa"]) == list(TABLE["källa"]) and list(got["område"]) == list(TABLE["område"])
    about = pd.read_excel(io.BytesIO(_decode(links["xlsx"]["href"])), sheet_name="Om tabellen", header=None)
    assert "Handlingsplan, s. 4" in about.to_string(), "the workbook names the sources"


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+2", "-3+cmd", "@SUM(A1)", "\tx"])
def test_formula_prefixes_are_neutralized_in_csv_and_excel(cell, shown):
    df = pd.DataFrame({"text": [cell, "vanlig"], "värde": [-1.5, 2.0]})
    raw = downloads.csv_bytes(df)
    got = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig", keep_default_na=False)
    assert got["text"][0] == "'" + cell
    assert got["värde"].tolist() == [-1.5, 2.0], "negative numbers stay numbers"
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(downloads.xlsx_bytes(df)))
    value = book["Tabell"]["A2"].value
    assert value.startswith("'") and book["Tabell"]["A2"].data_type == "s", "text, not a formula"


def test_long_tables_are_marked_so_print_may_break_them(shown):
    long = pd.DataFrame({"rad": [f"r{i}" for i in range(40)], "värde": range(40)})
    present.table(long, "Lång", source_column=None, download=False)
    present.table(long.head(3), "Kort", source_column=None, download=False)
    wraps = [_soup(m).find("div") for m in shown]
    assert "ra-long" in wraps[0]["class"] and "ra-long" not in wraps[1]["class"]
    assert not _soup(shown[1]).select("a[download]"), "download=False embeds nothing"


def test_year_columns_are_not_formatted_as_amounts():
    view = tables.reader_table(pd.DataFrame({"år": [2023, 2024], "belopp": [1500, 2000]}), "x", lambda s: 0, units="mnkr",
                               source_column=None)
    assert [[c.text for c in r] for r in view.rows] == [["2023", "1\u00a0500"], ["2024", "2\u00a0000"]]
    assert view.head == [("år", False), ("belopp (mnkr)", True)]
    assert view.rows[0][0].nowrap and not view.rows[0][1].nowrap, "a year is never broken across lines"


def test_an_unknown_row_header_is_a_clear_error():
    with pytest.raises(KeyError, match="row_header 'namn'"):
        tables.reader_table(TABLE, "x", lambda s: 0, row_header="namn")


def test_empty_table_shows_the_missing_sentence(shown):
    present.table(TABLE.iloc[0:0], "Tom", empty="Underlaget saknar sparplan.")
    assert _soup(shown[0]).get_text() == "Underlaget saknar sparplan."


def test_kronor_per_invanare_in_whole_kronor_and_arsarbetare_written_out(shown):
    view = tables.reader_table(pd.DataFrame({"kr per invånare": [246.04, 1763.4]}), "x", lambda s: 0, units="kr_per_inv")
    assert [r[0].text for r in view.rows] == ["246", "1\u00a0763"]
    assert view.head == [("kr per invånare", True)], "the unit is already in the heading"
    old = present.table_html(pd.DataFrame({"antal": [12.5]}), units={"antal": "arsarbetare"})
    assert "12,5\u00a0årsarbetare" in old and "åa" not in old
