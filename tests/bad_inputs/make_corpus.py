"""Write the bad-input corpus: ``cases/`` (files that must be rejected or warned about)
and ``good/`` (odd but valid files that must load to the right values).

The files are committed; this script is how they were made and how to remake them
(``python tests/bad_inputs/make_corpus.py``). Several must be exact bytes (a BOM,
cp1252, UTF-16, a PDF or zip renamed .csv), which is why they are generated rather than
typed. After changing a case, update ``expected.csv`` (line numbers!) or
``good_expected.csv``.
"""
from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
GOOD = HERE / "good"

H = "region;org;series;category;period;kind;value;unit;source;note"
SRC = "Testdokument, sid 1"


def row(region="17", org="region", series="nettokostnader", category="", period="2023", kind="utfall",
        value="11 776", unit="mnkr", source=SRC, note="") -> str:
    return ";".join([region, org, series, category, period, kind, value, unit, source, note])


def lines(*rows: str, header: str = H) -> str:
    return "\n".join([header, *rows]) + "\n"


OK = row()  # one valid row


#: Cases that are one valid row with some fields changed: file name -> the changed fields.
ONE_ROW: dict[str, dict[str, str]] = {
    "excel_formula.csv": dict(value="=SUM(A1:A3)"),
    "formula_in_region.csv": dict(region="=A2"),
    "unknown_region_code.csv": dict(region="99"),
    "unknown_region_name.csv": dict(region="Region Narnia"),
    "unknown_series.csv": dict(series="nettokostnad"),
    "unknown_unit.csv": dict(unit="miljarder"),
    "unit_does_not_fit.csv": dict(unit="procent"),
    "unknown_kind.csv": dict(kind="utfal"),
    "empty_org.csv": dict(org=""),
    "period_month_13.csv": dict(period="2023-13"),
    "period_q5.csv": dict(period="Q5"),
    "period_out_of_range.csv": dict(period="1899"),
    "negative_hours.csv": dict(series="sjukfranvaro_timmar", period="2024-01", value="−12", unit="timmar"),
    "17_region_prefix_mismatch.csv": dict(region="18"),
    "missing_source.csv": dict(source=""),
    # Issue 16: silent misreads, one class at a time.
    # Names that look the same.
    "name_zero_width_space.csv": dict(org="Område\u200bIT"),
    "name_soft_hyphen.csv": dict(org="Hälso\u00ad- och sjukvård"),
    "name_bidi_override.csv": dict(org="Område \u202eTI"),
    "name_control_character.csv": dict(org="Område\x07IT"),
    "name_invisible_in_source.csv": dict(source="Dok\u200b, sid 1"),
    # Categories: the registry's list per series.
    "category_typo.csv": dict(region="24", series="hyrpersonal_kostnad", category="lakre", period="2023-01", value="1,2"),
    "category_display_label.csv": dict(region="24", series="hyrpersonal_kostnad", category="Läkare", period="2023-01", value="1,2"),
    "category_on_series_without_parts.csv": dict(category="vården"),
    # Formulas (CSV injection): every prefix a spreadsheet executes.
    "formula_at_in_org.csv": dict(org="@SUM(A1:A2)"),
    "formula_plus_in_category.csv": dict(series="kostnader", category="+A1"),
    "formula_dde_in_org.csv": dict(org="-2+3+cmd|' /C calc'!A0"),
    "formula_tab_prefix_in_org.csv": dict(org='"\t=1+1"'),
    "formula_in_source.csv": dict(source='=HYPERLINK("http://x.test")'),
    "formula_at_in_note.csv": dict(note="@cmd"),
    "formula_minus_text_in_value.csv": dict(value="-A1"),
    "formula_plus_in_value.csv": dict(value="+SUM(A1:A3)"),
    # Non-finite arithmetic: no value can overflow a sum.
    "value_too_large.csv": dict(value="1" + "0" * 400),
    "value_infinity_text.csv": dict(value="Infinity"),
}


def monthly(series: str, months: list[str], values: list[str], unit: str = "mnkr", org: str = "region", region: str = "24") -> list[str]:
    return [row(region=region, org=org, series=series, period=m, value=v, unit=unit) for m, v in zip(months, values)]


def text_cases() -> dict[str, str]:
    """name -> content (UTF-8)."""
    c: dict[str, str] = {}
    c["missing_column.csv"] = lines("17;region;nettokostnader;;2023;utfall;11 776;Dok;", header="region;org;series;category;period;kind;value;source;note")
    c["unknown_column.csv"] = lines(OK + ";x", header=H + ";kommentar")
    c["misspelt_note.csv"] = lines(OK, header=H.replace("note", "notes"))
    c["sep_line_unknown_column.csv"] = "sep=;\n" + lines(OK + ";x", header=H + ";Kommentar")
    c["duplicate_column.csv"] = lines(OK + ";1", header=H + ";value")
    c["empty.csv"] = ""
    c["blank_lines_only.csv"] = "\n \n\t\n"
    c["header_only.csv"] = H + "\n"
    c["text_in_number.csv"] = lines(OK.replace("nettokostnader;;2023", "nettokostnader;;2022"), row(value="ca 76"))
    c.update({name: lines(row(**changed)) for name, changed in ONE_ROW.items()})
    c["duplicate_key.csv"] = lines(OK, row(source="Testdokument, sid 2"))
    c["sick_leave_above_scheduled.csv"] = lines(
        row(region="24", series="sjukfranvaro_timmar", period="2024-01", value="1 500", unit="timmar"),
        row(region="24", series="ordinarie_arbetstid_timmar", period="2024-01", value="1 200", unit="timmar"),
    )
    months = [f"2023-{m:02d}" for m in range(1, 13) if m != 4]
    c["month_gap.csv"] = lines(*monthly("hyrpersonal_kostnad", months, [f"{10 + i},{i}" for i in range(len(months))]))
    c["bad_example_flag.csv"] = lines(OK + ";kanske", header=H + ";example")
    c["too_many_fields.csv"] = (
        H.replace(";", ",") + "\n" + ",".join(["17", "region", "skatt_statsbidrag_utveckling", "", "2023", "utfall", "4,6", "procent", "Dok", ""]) + "\n"
    )
    c["too_few_fields.csv"] = lines("17;region;nettokostnader;;2023;utfall;11 776;mnkr")
    c["unterminated_quote.csv"] = lines(row(source='"Dok A, sid 3'), row(period="2022", value="10 478"))
    # OCR lost the decimal comma of a total: 23945 for 2 394,5. The table's part proves it.
    c["18_ocr_lost_decimal_total.csv"] = lines(
        row(region="18", org="Servicenämnden", series="intakter", category="ovriga_intakter", period="2023", kind="prognos", value="2 394,5"),
        row(region="18", org="Servicenämnden", series="intakter", category="", period="2023", kind="prognos", value="23945"),
    )
    # ... and of a part: 12842 for 1 284,2 in a cost statement whose total is right.
    parts = [("personalkostnader", "688,2"), ("ovriga_kostnader", "12842"), ("avskrivningar_inventarier", "63,2"), ("avskrivningar_fastigheter", "240,5")]
    c["18_ocr_lost_decimal_part.csv"] = lines(
        *[row(region="18", org="Servicenämnden", series="kostnader", category=k, period="2023", kind="prognos", value=v) for k, v in parts],
        row(region="18", org="Servicenämnden", series="kostnader", category="", period="2023", kind="prognos", value="2 276,1"),
    )
    # The Örebro handlingsplan's real, documented difference: marked, so a warning.
    c["18_documented_difference.csv"] = lines(
        row(region="18", org="Servicenämnden", series="besparing", category="intakter", period="2024", kind="plan", value="3 914", unit="tkr"),
        row(region="18", org="Servicenämnden", series="besparing", category="personalkostnadsreduceringar", period="2024", kind="plan", value="27 039", unit="tkr"),
        row(region="18", org="Servicenämnden", series="besparing", category="ovriga_kostnadsreduceringar", period="2024", kind="plan", value="56 396", unit="tkr"),
        row(region="18", org="Servicenämnden", series="besparing", category="", period="2024", kind="plan", value="84 754", unit="tkr",
            note="Känd avvikelse: summeringen är lägre än delarna efter politisk justering (rad 1081–1083)."),
    )
    # The same difference without the marker is an error.
    # (Another year, so that the two cases can share a data directory without duplicate keys.)
    c["18_undocumented_difference.csv"] = c["18_documented_difference.csv"].replace("Känd avvikelse: s", "S").replace(";2024;", ";2025;")
    c["html_export.csv"] = "<!DOCTYPE html>\n<html><body><table><tr><td>region</td></tr></table></body></html>\n"
    c["many_problems.csv"] = lines(
        OK,
        row(period="2022", value="ca 10 000"),
        row(period="2021", region="Narnia"),
        row(period="2020", series="nettokostnad"),
        row(period="2019", unit="procent"),
        row(period="20x8"),
    )
    c.update(trust_cases())
    return c


def trust_cases() -> dict[str, str]:
    """Issue 16: silent misreads, one class at a time (UTF-8 text)."""
    c: dict[str, str] = {}
    # Signs: parentheses alone are negative (accounting); two signs are never guessed.
    for name, value in [
        ("sign_double_ascii_minus", "--478"), ("sign_unicode_and_ascii_minus", "\u2212-478"),
        ("sign_en_dash_and_unicode_minus", "\u2013\u2212478"), ("sign_parentheses_and_minus", "(\u2212878)"),
        ("sign_minus_before_parentheses", "-(878)"), ("sign_plus_and_minus", "+-5"),
        ("sign_minus_space_minus", "\u2212 \u2212478"), ("sign_trailing_minus", "478-"),
        ("sign_unbalanced_parenthesis", "(478"),
    ]:
        c[f"{name}.csv"] = lines(row(series="verksamhetens_resultat", value=value))
    # Periods: only the unambiguous.
    for name, period in [
        ("period_31_february", "2023-02-31"), ("period_day_99", "2023-01-99"), ("period_fiscal_year_span", "2011/12"),
        ("period_fiscal_year_span_two_digits", "2022/23"), ("period_excel_number_month", "2023.1"),
        ("period_two_digit_year_ambiguous", "jan 95"), ("period_misspelt_month", "janx 2023"),
        ("period_month_name_cut_short", "septembe 2023"), ("period_month_zero", "2023-00"),
    ]:
        c[f"{name}.csv"] = lines(row(region="24", series="hyrpersonal_kostnad_forandring_ack", period=period, value="1,5"))
    # Names that look the same.
    c["name_differs_only_in_case.csv"] = lines(row(org="Område IT", period="2022"), row(org="område IT"))
    c["name_nfd_same_key.csv"] = lines(row(org="Område IT"), row(org="Omra\u030ade IT", source="Annat dokument"))
    c["name_inner_spaces_same_key.csv"] = lines(row(org="Område IT"), row(org="Område  IT ", source="Annat dokument"))
    c["name_no_break_space_same_key.csv"] = lines(row(org="Område IT"), row(org="Område\u00a0IT", source="Annat dokument"))
    # Categories: the registry's list per series.
    c["category_totalt_row.csv"] = lines(
        row(region="24", series="hyrpersonal_kostnad", category="lakare", period="2023-01", value="1,2"),
        row(region="24", series="hyrpersonal_kostnad", category="Totalt", period="2023-01", value="1,2"),
    )
    # Non-finite arithmetic: no value can overflow a sum.
    big = "9" * 320
    c["totals_overflow_parts.csv"] = lines(
        row(region="18", org="Servicenämnden", series="kostnader", category="personalkostnader", value=big),
        row(region="18", org="Servicenämnden", series="kostnader", category="ovriga_kostnader", value=big),
        row(region="18", org="Servicenämnden", series="kostnader", category="", value="2 276,1"),
    )
    return c


def binary_cases() -> dict[str, bytes]:
    c: dict[str, bytes] = {}
    c["pdf_renamed.csv"] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        # A fixed time stamp, so that remaking the corpus gives the same bytes.
        entry = zipfile.ZipInfo("xl/workbook.xml", date_time=(2026, 11, 22, 17, 48, 2))
        entry.external_attr = 0o600 << 16
        z.writestr(entry, "<workbook/>")
    c["xlsx_renamed.csv"] = buf.getvalue()
    c["binary.csv"] = b"region;org\x00\x00\x01\x02\xff" * 4
    # Encodings: strict; a file is one encoding or it is an error naming the line.
    utf8 = lines(row(org="Område IT", period="2022")).encode()
    c["encoding_mixed_utf8_cp1252.csv"] = utf8 + (row(org="Område IT") + "\n").encode("cp1252")
    c["encoding_stray_byte_in_utf8.csv"] = utf8 + (row(org="region", period="2021") + "\n").encode() + (row(source="Dok\xff") + "\n").encode("latin-1")
    c["encoding_bom_then_cp1252.csv"] = "\ufeff".encode() + lines(row(org="Område IT")).encode("cp1252")
    c["encoding_cp1252_undefined_byte.csv"] = lines(row(org="Område IT")).encode("cp1252").replace(b"IT", b"I\x81")
    c["encoding_utf16_lone_surrogate.csv"] = "\ufeff".encode("utf-16-le") + lines(row()).encode("utf-16-le") + b"\x00\xd8A\x00\n\x00"
    c["encoding_utf16_without_bom.csv"] = lines(row()).encode("utf-16-le")
    # A NUL deep in a file (past the first 4 KB the binary sniff looks at): named by its line.
    rows = [row(period=str(1991 + i)) for i in range(60)]
    c["name_nul_deep_in_file.csv"] = lines(*rows).encode() + (row(org="Område\x00IT", period="2051") + "\n").encode()
    return c


def directory_cases() -> dict[str, dict[str, str]]:
    """name -> {relative path: content}: cases that need several files."""
    return {
        "conflict_two_files": {
            "a.csv": lines(row()),
            "b.csv": lines(row(period="2022", value="10 478"), row(value="11 767", source="Annat dokument, sid 9")),
        },
        "bad_meta": {
            "ok.csv": lines(row()),
            "meta/events.csv": "region;org;start;end;event;label;source\n"
            "17;region;2023-13-01;;stopp;Anställningsstopp;Dok\n"
            "17;region;2024-02-01;2024-01-01;plan;Plan;Dok\n"
            "Narnia;region;2024-01-01;;plan;Plan;Dok\n",
            "meta/orgs.csv": "region;org;parent;source\n"
            "18;Område IT;Servicenämnden;Dok\n"
            "18;Område IT;Servicenämnden;Dok\n"
            "99;Område X;region;Dok\n",
        },
        # Files that used to be skipped without a word.
        "upper_case_extension": {"ok.csv": lines(row(period="2022")), "EXPORT.CSV": lines(row(region="99"))},
        "meta_folder_below_the_top": {"ok.csv": lines(row(period="2022")), "seeds/meta/x.csv": lines(row(region="99"))},
        "empty_data_dir": {"README.md": "Här ska data ligga.\n", "meta/orgs.csv": "region;org;parent;source\n"},
        "excel_lock_file": {"ok.csv": lines(row()), "~$ok.csv": "\x00\x01 Excel-låsfil\n"},
        "workbook_not_read": {"ok.csv": lines(row()), "export.xlsx": "PK (en arbetsbok)\n"},
        "old_workbook_not_read": {"ok.csv": lines(row()), "gammal.xls": "en gammal arbetsbok\n"},
        # Real rows replace the example rows of the same region and series (no duplicate key).
        "example_superseded_by_real_data": {
            "ok.csv": lines(row(value="11 776")),
            "exempel.csv": lines(row(value="11 000") + ";true", row(series="skatt_statsbidrag", value="500") + ";true", header=H + ";example"),
        },
        "directory_named_csv": {"ok.csv": lines(row()), "x.csv/inner.csv": lines(row(period="2022"))},
        "meta_formula_and_invisible": {
            "ok.csv": lines(row()),
            "meta/orgs.csv": "region;org;parent;source\n18;@Område IT;Servicenämnden;Dok\n18;Område\u200bX;region;Dok\n",
        },
    }


def _special_fifo(data: Path) -> None:
    os.mkfifo(data / "fifo.csv")


def _special_dev_zero(data: Path) -> None:
    (data / "zero.csv").symlink_to("/dev/zero")


def _special_broken_link(data: Path) -> None:
    (data / "broken.csv").symlink_to(data / "gone.csv")


def _special_link_out(data: Path) -> None:
    outside = data.parent / "outside.csv"
    outside.write_text(lines(row(period="2020")), encoding="utf-8")
    (data / "outside.csv").symlink_to(outside)


def _special_unreadable(data: Path) -> None:
    p = data / "unreadable.csv"
    p.write_text(lines(row(period="2019")), encoding="utf-8")
    p.chmod(0)


#: Cases that cannot be committed as files (a FIFO, links, permissions): name -> a function
#: that adds the odd entry to a data directory which already holds one valid ``ok.csv``.
SPECIAL = {
    "special_fifo": _special_fifo,
    "special_link_to_dev_zero": _special_dev_zero,
    "special_broken_link": _special_broken_link,
    "special_link_out_of_data": _special_link_out,
    "special_unreadable_file": _special_unreadable,
}


def build_special(name: str, data: Path) -> Path:
    """Make the data directory of a :data:`SPECIAL` case under ``data`` (created)."""
    data.mkdir(parents=True, exist_ok=True)
    (data / "ok.csv").write_text(lines(row()), encoding="utf-8")
    SPECIAL[name](data)
    return data


def good_files() -> dict[str, bytes]:
    """Odd but valid files: name -> exact bytes."""
    g: dict[str, bytes] = {}
    g["bom.csv"] = "\ufeff".encode() + lines(row(value="11 776")).encode("utf-8")
    # Excel on Swedish Windows: cp1252, ; separator, CRLF, no-break space in thousands.
    g["18_cp1252_excel.csv"] = lines(
        row(region="Region Örebro län", org="Område försörjning", series="driftbudget", category="omsattning", kind="budget", value="2\u00a0394,5"),
        row(region="Örebro län", org="Servicenämnden", series="arets_resultat", kind="prognos", value="-38,4", note="Höjd på grund av ökade kostnader"),
    ).replace("\n", "\r\n").encode("cp1252")
    g["comma_separated.csv"] = (
        H.replace(";", ",") + "\n"
        + ",".join(["17", "region", "skatt_statsbidrag_utveckling", "", "2023", "utfall", '"4,6"', "procent", '"Dok, bild 3"', ""]) + "\n"
        + ",".join(["17", "region", "nettokostnader", "", "2021", "utfall", "9876.5", "mnkr", "Dok", ""]) + "\n"
    ).encode()
    g["tab_separated.csv"] = lines(row(value="10 478", period="2022"), header=H).replace(";", "\t").encode()
    g["swedish_numbers.csv"] = lines(
        row(series="verksamhetens_resultat", value="−478"),
        row(series="verksamhetens_resultat", kind="budgetavvikelse", value="–613"),
        row(series="balanserat_resultat", value="(878)"),
        row(series="skatt_statsbidrag", value="11\u202f298"),
        row(series="nettokostnader", value="1 234 567,8", period="2021"),
        row(series="nettokostnader", value="4.5", period="2020"),
        row(series="befolkning", value="10 551 707", region="00", unit="invånare"),
    ).encode()
    g["utf16_excel_unicode_text.csv"] = lines(row(value="11 776", org="Hälso- och sjukvårdsnämnden", region="24")).replace(";", "\t").encode("utf-16")
    g["sep_line_and_trailing_columns.csv"] = ("sep=;\n" + H + ";;;\n" + row(value="11 776") + ";;;\n\n" + row(period="2022", value="10 478") + ";;\n").encode()
    g["regions_by_name.csv"] = lines(
        row(region="Region Värmland", series="befolkning", value="283 548", unit="personer"),
        row(region="0018", series="befolkning", value="308 116", unit="personer"),
        row(region="Västerbotten", series="befolkning", value="278 729", unit="personer"),
        row(region="1", series="befolkning", value="2 454 821", unit="personer"),
    ).encode()
    g["months_and_units.csv"] = lines(
        row(region="24", series="hyrpersonal_kostnad", period="jan 2023", value="1 250", unit="tkr"),
        row(region="24", series="hyrpersonal_kostnad", period="202302", value="1,3", unit="Mkr"),
        row(region="24", series="hyrpersonal_kostnad", period="2023-03-01 00:00:00", value="1 400 000", unit="kr"),
        row(region="24", series="hyrpersonal_kostnad", period="april 2023", value="1,45", unit="mnkr"),
    ).encode()
    g["header_case_and_quoted_note.csv"] = (
        " Region ; ORG ;Series;Category;Period;Kind;Value;Unit;Source;Note\n"
        + row(value="11 776", note='"Rad ett\nrad två; med semikolon"') + "\n"
    ).encode()
    g["18_documented_difference_loads.csv"] = text_cases()["18_documented_difference.csv"].encode()
    g["month_gap_loads.csv"] = text_cases()["month_gap.csv"].encode()
    g["totals_within_rounding.csv"] = lines(
        *[row(region="18", org="Servicenämnden", series="kostnader", category=k, kind="budget", value=v, period="2024")
          for k, v in [("personalkostnader", "665"), ("ovriga_kostnader", "1 230"), ("avskrivningar_inventarier", "62"), ("avskrivningar_fastigheter", "242")]],
        row(region="18", org="Servicenämnden", series="kostnader", kind="budget", value="2 200", period="2024"),
    ).encode()
    g["signs_accepted.csv"] = lines(
        row(series="verksamhetens_resultat", value="( 1 234,5 )"),
        row(series="balanserat_resultat", value="+12"),
        row(series="arets_resultat", value="\u2212 0,5"),
    ).encode()
    g["periods_accepted.csv"] = lines(
        *[row(region="24", series="hyrpersonal_kostnad_forandring_ack", period=p, value=v)
          for p, v in [("2023.10", "1"), ("jan-23", "2"), ("2024-02-29", "3"), ("2023/02", "4"), ("mars 2023", "5")]],
    ).encode()
    g["names_normalized.csv"] = lines(
        row(region="18", org="Omra\u030ade\u00a0 IT ", series="nettokostnader", period="2022"),
        row(region="18", org="Område IT", series="nettokostnader", period="2023", value="12 000"),
    ).encode()
    return g


def main() -> None:
    for d in (CASES, GOOD):
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
    for name, text in text_cases().items():
        (CASES / name).write_text(text, encoding="utf-8")
    for name, data in binary_cases().items():
        (CASES / name).write_bytes(data)
    for name, files in directory_cases().items():
        for rel, text in files.items():
            path = CASES / name / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for name, data in good_files().items():
        (GOOD / name).write_bytes(data)
    # too_large.csv is valid content; the test lowers config.MAX_FILE_BYTES below its size.
    (CASES / "too_large.csv").write_text(lines(*[row(period=str(2000 + i)) for i in range(20)]), encoding="utf-8")


if __name__ == "__main__":
    main()
