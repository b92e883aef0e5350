"""Loading: the shipped data is valid; a bad file never damages what is loaded; every
value keeps its provenance; warnings are listed but do not stop loading."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import regionanalys as ra
from regionanalys import config
from regionanalys.data.loading import COLUMNS, READ_LOG_ENV, observation_files
from regionanalys.data.validation import FEL, VARNING, DataError, Problem, errors

GOOD_ROW = "17;region;nettokostnader;;2023;utfall;11 776;mnkr;Dok, sid 1;"
HEADER = "region;org;series;category;period;kind;value;unit;source;note"


def write(path: Path, *rows: str, header: str = HEADER) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    """A private copy of the shipped data/ to break."""
    target = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, target)
    return target


def replace_in(path: Path, old: str, new: str) -> int:
    """Replace ``old`` (which must occur once) in a file; returns its 1-based line."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


# --- the shipped data -------------------------------------------------------------------


def test_shipped_data_has_no_errors():
    problems = ra.validate()
    assert errors(problems) == [], "\n".join(map(str, problems))


def test_shipped_data_loads_with_the_contract_columns(seed_df):
    assert list(seed_df.columns) == COLUMNS
    assert not seed_df.empty
    assert seed_df["value"].dtype == float
    assert seed_df["example"].dtype == bool
    assert set(seed_df["freq"]) <= {"Y", "M"}
    assert (seed_df["source"].str.len() > 0).all()
    assert (seed_df["source_line"] >= 2).all()
    assert not seed_df.duplicated(["region", "org", "series", "category", "period", "kind"]).any()


def test_orebro_documented_total_difference_does_not_break_loading(seed_df):
    """Handlingsplan 2024: Servicenämnden's 84 754 tkr is less than its områden's 87 349 tkr
    (politicians adjusted it). That is reconciliation's finding, never a load error."""
    total = seed_df[(seed_df["org"] == "Servicenämnden") & (seed_df["series"] == "besparing") & (seed_df["kind"] == "plan")
                    & (seed_df["category"] == "") & (seed_df["year"] == 2024)]
    assert total["value"].item() == pytest.approx(84.754)


def test_meta_files_load():
    orgs = ra.load_orgs()
    events = ra.load_events()
    assert list(orgs.columns) == ["region", "org", "parent", "source"] and not orgs.empty
    assert list(events.columns) == ["region", "org", "start", "end", "event", "label", "source", "start_precision"] and not events.empty
    assert pd.api.types.is_datetime64_any_dtype(events["start"])


def test_meta_files_are_optional(tmp_path):
    write(tmp_path / "x.csv", GOOD_ROW)
    assert ra.load_orgs(tmp_path).empty
    assert ra.load_events(tmp_path).empty
    assert ra.validate(tmp_path) == []


# --- a bad file never damages what is loaded ---------------------------------------------


def test_one_bad_file_stops_load_and_nothing_partial_is_returned(seed_copy):
    before = ra.load(seed_copy)
    write(seed_copy / "seeds" / "zz_bad.csv", GOOD_ROW.replace("2023", "2019"), GOOD_ROW.replace("11 776", "ca 11 776").replace("2023", "2018"))
    with pytest.raises(DataError) as info:
        ra.load(seed_copy)
    assert [(p.file, p.line, p.column) for p in info.value.problems] == [("seeds/zz_bad.csv", 3, "value")]
    # validate names the same problem, and the good files are untouched on disk
    assert [str(p) for p in errors(ra.validate(seed_copy))] == [str(p) for p in info.value.problems]
    (seed_copy / "seeds" / "zz_bad.csv").unlink()
    pd.testing.assert_frame_equal(ra.load(seed_copy), before)


def test_a_bad_file_of_one_region_does_not_stop_another_regions_report(seed_copy):
    """Files named NN_… are read only for region NN, so Örebro's broken file does not
    stop Värmland's report; loading Örebro (or everything) still fails."""
    orebro = seed_copy / "seeds" / "18_orebro.csv"
    line = replace_in(orebro, ";2 394,5;mnkr;003_d46f54dcbd8270a5.txt, Servicenämndens verksamhetsplan 2024 (2023-10-19), avsnitt 6.3 Resultatbudget servicenämnd, rad 607",
                      ";ca 2 394,5;mnkr;003_d46f54dcbd8270a5.txt, Servicenämndens verksamhetsplan 2024 (2023-10-19), avsnitt 6.3 Resultatbudget servicenämnd, rad 607")
    varmland = ra.load(seed_copy, regions=["17"])
    assert "17" in set(varmland["region"])  # shared files (SCB tables, riket) may hold other regions
    assert not varmland["source_file"].str.startswith("seeds/18_").any()
    for regions in (["18"], None):
        with pytest.raises(DataError) as info:
            ra.load(seed_copy, regions=regions)
        assert [(p.file, p.line, p.column) for p in info.value.problems] == [("seeds/18_orebro.csv", line, "value")]


def test_the_real_ocr_damage_is_caught_by_the_total_check(seed_copy):
    """Put back what OCR read ("23945" for 2 394,5) in the real file: the total check
    catches it, on the right line, naming the parts' sum."""
    orebro = seed_copy / "seeds" / "18_orebro.csv"
    old = "18;Servicenämnden;intakter;;2023;prognos;2 394,5;"
    line = replace_in(orebro, old, old.replace("2 394,5", "23945"))
    problems = ra.validate(seed_copy)
    mine = [p for p in problems if p.file == "seeds/18_orebro.csv" and p.line == line]
    assert len(mine) == 1, problems
    assert mine[0].column == "value" and mine[0].severity == FEL
    assert "summan 23 945 mnkr stämmer inte med summan av delarna 2 394,5 mnkr" in mine[0].message
    with pytest.raises(DataError):
        ra.load(seed_copy)


def test_a_documented_difference_is_a_warning_that_loads(tmp_path):
    write(
        tmp_path / "18_plan.csv",
        "18;Servicenämnden;besparing;intakter;2024;plan;3 914;tkr;Dok;",
        "18;Servicenämnden;besparing;ovriga_kostnadsreduceringar;2024;plan;83 435;tkr;Dok;",
        "18;Servicenämnden;besparing;;2024;plan;84 754;tkr;Dok;  känd avvikelse: justerad av politiken",
    )
    problems = ra.validate(tmp_path)
    assert [(p.line, p.severity) for p in problems] == [(4, VARNING)]
    assert "varning: summan 84 754 tkr" in str(problems[0])
    assert ra.load(tmp_path)["value"].sum() == pytest.approx(3.914 + 83.435 + 84.754)


def test_data_error_lists_every_problem_and_caps_the_message():
    problems = [Problem(f"f{i:03}.csv", i + 2, "value", "'x' är inte ett tal", "ett tal") for i in range(60)]
    err = DataError(list(reversed(problems)))
    assert err.problems == sorted(problems)
    text = str(err)
    assert text.startswith("60 problem i data:")
    assert "f000.csv, rad 2, kolumn 'value': 'x' är inte ett tal (förväntat: ett tal)" in text
    assert "… och 10 till" in text


def test_problem_keeps_its_positional_api():
    p = Problem("a.csv", 3, "period", "'Q5' är ingen period", "ett år")
    assert (p.file, p.line, p.column, p.message, p.expected, p.severity) == ("a.csv", 3, "period", "'Q5' är ingen period", "ett år", FEL)
    assert p.is_error
    assert str(Problem("a.csv", 0, "", "filen är tom")) == "a.csv: filen är tom"


# --- what is read and from where ----------------------------------------------------------


def test_observation_files_skip_meta_and_hidden_files_and_filter_by_region(tmp_path):
    for name in ("17_a.csv", "18_b.csv", "shared.csv", ".~lock.x.csv", "meta/orgs.csv", "sub/24_c.csv",
                 "UP.CSV", "sub/meta/d.csv", "~$shared.csv", ".cache/x.csv"):
        write(tmp_path / name, GOOD_ROW)
    names = [p.relative_to(tmp_path).as_posix() for p in observation_files(tmp_path)]
    # Only the top-level meta/ is metadata; the extension is matched without case.
    assert names == ["17_a.csv", "18_b.csv", "UP.CSV", "shared.csv", "sub/24_c.csv", "sub/meta/d.csv"]
    names = [p.name for p in observation_files(tmp_path, regions=["Värmland"])]
    assert names == ["17_a.csv", "UP.CSV", "shared.csv", "d.csv"]
    with pytest.raises(FileNotFoundError):
        observation_files(tmp_path / "nope")


def test_runner_lists_the_same_files_as_the_loader(tmp_path):
    """report.runner's DataFiles follows the loader's rule (one shared walk): .csv in any
    case, only the top-level meta/ is metadata, no lock files, hidden files or folders."""
    import subprocess
    import sys

    from regionanalys.report.runner.cache import DataFiles

    for name in ("17_a.csv", "shared.csv", "UP.CSV", "x.Csv", "sub/meta/d.csv", "sub/24_c.csv", "meta/orgs.csv",
                 "meta/.hidden.csv", "~$shared.csv", "sub/~$lock.CSV", ".cache/x.csv", "sub/.git/y.csv", ".dot.csv",
                 "notes.txt", "export.xlsx", "dir.csv/inner.csv"):
        write(tmp_path / name, GOOD_ROW)
    files = DataFiles(tmp_path)
    expected = [p.relative_to(tmp_path.resolve()).as_posix() for p in observation_files(tmp_path)]
    assert files.observations == expected
    assert set(expected) == {"17_a.csv", "shared.csv", "UP.CSV", "x.Csv", "sub/meta/d.csv", "sub/24_c.csv", "dir.csv/inner.csv"}
    assert files.meta == ["meta/orgs.csv"]
    # listing the data files does not import pandas (a run with nothing to do stays fast)
    code = "import sys; from regionanalys.report.runner.cache import DataFiles; DataFiles(sys.argv[1]); assert 'pandas' not in sys.modules"
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True)


def test_read_log_records_the_files_a_load_read(tmp_path, monkeypatch):
    write(tmp_path / "data" / "17_a.csv", GOOD_ROW)
    write(tmp_path / "data" / "18_b.csv", GOOD_ROW.replace("17;", "18;", 1))
    log = tmp_path / "read.log"
    monkeypatch.setenv(READ_LOG_ENV, str(log))
    ra.load(tmp_path / "data", regions=["17"])
    assert [Path(p).name for p in log.read_text(encoding="utf-8").split()] == ["17_a.csv"]


def test_provenance_of_converted_values_and_multiline_rows(tmp_path):
    write(
        tmp_path / "x.csv",
        '17;region;nettokostnader;;2022;utfall;10 478;mnkr;Dok;"en anteckning\növer två rader"',
        "18;Servicenämnden;besparing;;2024;plan;84 754;tkr;Handlingsplan, rad 1110;",
    )
    df = ra.load(tmp_path).set_index("series")
    assert df.loc["besparing", "value"] == pytest.approx(84.754)
    assert df.loc["besparing", "unit"] == "mnkr"
    assert df.loc["besparing", "source"] == "Handlingsplan, rad 1110 [omräknat från tkr till mnkr, × 0,001]"
    assert df.loc["besparing", "source_line"] == 4  # the row after a two-line note starts on line 4
    assert df.loc["nettokostnader", "note"] == "en anteckning\növer två rader"


def test_month_gap_warning_names_the_missing_months(tmp_path):
    months = ["2023-01", "2023-02", "2023-06", "2023-07"]
    write(tmp_path / "24_h.csv", *[f"24;region;sjukfranvaro_timmar;;{m};utfall;100;timmar;Dok;" for m in months])
    (p,) = ra.validate(tmp_path)
    assert (p.line, p.column, p.severity) == (4, "period", VARNING)
    assert "3 månader saknas" in p.message and "2023-03–2023-05" in p.message
    assert len(ra.load(tmp_path)) == 4


def test_an_unreadable_row_gives_one_problem_not_a_chain(tmp_path):
    """A part that cannot be read is not also reported as a total that does not add up,
    and an unreadable month is not also a gap; other rules still run in the same pass."""
    write(
        tmp_path / "x.csv",
        "18;S;kostnader;personalkostnader;2023;prognos;688,2;mnkr;D;",
        "18;S;kostnader;ovriga_kostnader;2023;prognos;ca 1 284,2;mnkr;D;",
        "18;S;kostnader;;2023;prognos;972,4;mnkr;D;",
        "24;region;sjukfranvaro_timmar;;2023-01;utfall;5;timmar;D;",
        "24;region;sjukfranvaro_timmar;;2023-02;utfall;x;timmar;D;",
        "24;region;sjukfranvaro_timmar;;2023-03;utfall;500;timmar;D;",
        "24;region;ordinarie_arbetstid_timmar;;2023-03;utfall;400;timmar;D;",
    )
    problems = ra.validate(tmp_path)
    assert [(p.line, p.column) for p in problems] == [(3, "value"), (6, "value"), (7, "value")]
    assert "är större än ordinarie arbetstid" in problems[2].message


# --- the one-pass reader and the parsed-file cache ------------------------------------------


def _row_by_row(monkeypatch) -> None:
    """Make every file go through the row-by-row reader (the reference for the fast path)."""
    from regionanalys.data import loading

    monkeypatch.setattr(loading, "_fast_table", lambda text: None)


@pytest.mark.parametrize("quoted", [False, True])
def test_one_pass_reader_gives_what_the_row_reader_gives(tmp_path, monkeypatch, quoted):
    monkeypatch.setenv("REGIONANALYS_CACHE", "off")
    rows = [GOOD_ROW.replace("2023", str(y)).replace("11 776", f"{y},5") for y in range(2000, 2020)]
    rows += ["24;Område IT;hyrpersonal_kostnad;lakare;2023-0%d;utfall;1 250;tkr;Dok;" % m for m in range(1, 10)]
    rows += ["17;region;nettokostnader;;2021;utfall;(12);mnkr;Dok;", "17;region;nettokostnader;;1999;utfall;ca 5;mnkr;Dok;"]
    if quoted:
        rows = [r.replace(";Dok", ';"Dok; sid ""3"""') for r in rows]
    write(tmp_path / "data" / "x.csv", *rows)
    problems_fast = ra.validate(tmp_path / "data")
    with pytest.raises(DataError):
        ra.load(tmp_path / "data")
    (tmp_path / "data" / "x.csv").write_text((tmp_path / "data" / "x.csv").read_text(encoding="utf-8").replace("ca 5", "5"), encoding="utf-8")
    df_fast = ra.load(tmp_path / "data")
    _row_by_row(monkeypatch)
    assert ra.load(tmp_path / "data").equals(df_fast)
    (tmp_path / "data" / "x.csv").write_text((tmp_path / "data" / "x.csv").read_text(encoding="utf-8").replace(";5;", ";ca 5;"), encoding="utf-8")
    assert ra.validate(tmp_path / "data") == problems_fast
    assert any("'ca 5' är inte ett tal" in p.message for p in problems_fast)
    assert df_fast.loc[df_fast["series"] == "hyrpersonal_kostnad", "value"].tolist() == [1.25] * 9


def test_parsed_files_are_cached_by_content_and_never_stale(tmp_path, monkeypatch):
    from regionanalys.data import loading, parsecache

    monkeypatch.setenv(parsecache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(parsecache.CACHE_ENV, raising=False)
    data = tmp_path / "data"
    write(data / "x.csv", GOOD_ROW)
    first = ra.load(data)
    assert list((tmp_path / "cache").rglob("*.pkl")), "the parse was stored"
    calls = []
    real = loading._parse_bytes
    monkeypatch.setattr(loading, "_parse_bytes", lambda *a: calls.append(a) or real(*a))
    assert ra.load(data).equals(first) and calls == [], "an unchanged file is not parsed again"
    write(data / "x.csv", GOOD_ROW.replace("11 776", "11 777"))
    assert ra.load(data)["value"].tolist() == [11777.0] and len(calls) == 1, "changed bytes are parsed again"
    # A damaged entry is a miss, never an error.
    for p in (tmp_path / "cache").rglob("*.pkl"):
        p.write_bytes(b"not a pickle")
    assert ra.load(data)["value"].tolist() == [11777.0]
    # Off means off.
    monkeypatch.setenv(parsecache.CACHE_ENV, "off")
    calls.clear()
    ra.load(data)
    assert len(calls) == 1


def test_the_checked_table_is_cached_by_its_files(tmp_path, monkeypatch):
    """The checks across rows run once per set of file contents: the three reports of a region
    load the same files. Another file, a changed file or a new problem makes a new key."""
    from regionanalys.data import loading, parsecache

    monkeypatch.setenv(parsecache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(parsecache.CACHE_ENV, raising=False)
    data = tmp_path / "data"
    write(data / "x.csv", GOOD_ROW)
    first = ra.load(data)
    checks = []
    real = loading.check_table
    monkeypatch.setattr(loading, "check_table", lambda *a, **k: checks.append(a) or real(*a, **k))
    assert ra.load(data).equals(first) and checks == [], "unchanged files: the checked table is read back"
    write(data / "y.csv", GOOD_ROW)  # the same key in a second file: a duplicate across files
    problems = ra.validate(data)
    assert len(checks) == 1 and any("dubblett" in p.message.lower() or "finns redan" in p.message.lower() for p in problems), problems
    assert ra.validate(data) == problems and len(checks) == 1
    (data / "y.csv").unlink()
    assert ra.load(data).equals(first) and len(checks) == 1, "back to the first set of files: its entry again"


def test_cache_key_covers_path_limit_and_code(monkeypatch):
    from regionanalys.data import parsecache

    k = parsecache.key(b"a;b\n", "17_x.csv", 100)
    assert k != parsecache.key(b"a;b\n", "18_x.csv", 100)  # a region prefix changes the rules
    assert k != parsecache.key(b"a;b\n", "17_x.csv", 200)
    assert k != parsecache.key(b"a;c\n", "17_x.csv", 100)
    monkeypatch.setattr(parsecache, "fingerprint", lambda: "other code")
    assert k != parsecache.key(b"a;b\n", "17_x.csv", 100)


def test_totals_check_fails_on_non_finite_parts():
    from regionanalys.data.validation import check_totals

    df = pd.DataFrame({
        "region": "18", "org": "x", "series": "kostnader", "category": ["personalkostnader", "ovriga_kostnader", ""],
        "period": pd.Period("2023", "Y"), "kind": "utfall", "value": [float("inf"), float("-inf"), 5.0],
        "unit": "mnkr", "note": "", "_file": "a.csv", "_line": [2, 3, 4], "_resolution": 1.0,
    })
    assert [p.line for p in check_totals(df)] == [4]
    df["value"] = [1e308, 1e308, float("inf")]  # the parts overflow to the "right" total
    assert [p.line for p in check_totals(df)] == [4]


# --- formulas: every CSV the project writes is neutralized, and the loader reads it back ----

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from regionanalys.data.csvout import safe_cell, unquote_cell  # noqa: E402
from regionanalys.data.parsing import formula_prefix  # noqa: E402

FORMULA_TEXTS = ["=HYPERLINK(\"http://x\")", "@SUM(A1)", "+1+2", "-3+cmd", "-A1", "\tflik", "\rvagnretur", " =mellanslag",
                 "'=redan citerad", "''@två", "'vanlig med apostrof", "vanlig", "-478", "(5)", "− text"]


@pytest.mark.parametrize("text", FORMULA_TEXTS)
def test_safe_cell_neutralizes_and_reads_back(text):
    written = safe_cell(text)
    assert formula_prefix(written) is None, "no spreadsheet executes what the project writes"
    assert unquote_cell(written) == text
    assert (written == text) == (text in ("'vanlig med apostrof", "vanlig", "-478", "(5)")), "only formula-like text is changed"


@given(st.text(alphabet=st.sampled_from("'=@+-−\t\r 0123456789,.()aZå"), max_size=8))
def test_safe_cell_round_trips_any_text(text):
    written = safe_cell(text)
    assert formula_prefix(written) is None
    assert unquote_cell(written) == text


def test_writers_neutralize_formulas_and_load_reads_them_back(tmp_path):
    """The importer's writer (also the example data's) and the Kolada cache writer: no cell
    starts like a formula, and load() returns the texts that were written."""
    from regionanalys.data.importing import observation_csv
    from regionanalys.kolada.client import to_csv

    texts = {"org": "=Område IT", "source": "@Rapport, sid 1", "note": "-minskning enligt källan"}
    frame = pd.DataFrame([{"region": "17", "org": texts["org"], "series": "nettokostnader", "category": "",
                           "period": pd.Period("2023", "Y"), "kind": "utfall", "value": -478.5, "unit": "mnkr",
                           "source": texts["source"], "note": texts["note"], "example": False}])
    kolada_rows = [{"region": "18", "org": "+Område", "series": "nettokostnader", "category": "", "period": 2023,
                    "kind": "utfall", "value": 12.5, "unit": "mnkr", "source": "=Kolada N00001", "note": "\tflik", "example": False}]
    data = tmp_path / "data"
    data.mkdir()
    (data / "17_import.csv").write_text(observation_csv(frame), encoding="utf-8")
    (data / "18_kolada.csv").write_text(to_csv(kolada_rows), encoding="utf-8")
    for path in data.iterdir():
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            assert all(formula_prefix(cell) is None for cell in line.split(";")), line
    assert "'=Område IT" in (data / "17_import.csv").read_text(encoding="utf-8")
    assert ra.validate(data) == []
    df = ra.load(data).set_index("region")
    assert df.loc["17", "org"] == texts["org"] and df.loc["17", "source"] == texts["source"]
    assert df.loc["17", "note"] == texts["note"] and df.loc["17", "value"] == -478.5
    assert df.loc["18", "org"] == "+Område" and df.loc["18", "source"] == "=Kolada N00001"
    # the loader strips free text, so a leading tab does not survive (it never comes from load())
    assert df.loc["18", "note"] == "flik"


def test_a_formula_is_still_rejected_unless_quoted(tmp_path):
    write(tmp_path / "a.csv", GOOD_ROW.replace("Dok, sid 1", "=Dok"), GOOD_ROW.replace("2023", "2022").replace("Dok, sid 1", "'=Dok"))
    problems = ra.validate(tmp_path)
    assert [(p.line, p.column) for p in problems] == [(2, "source")] and "Excel-formel" in problems[0].message


def test_an_event_dated_by_month_keeps_its_precision(tmp_path):
    """A source that names only the month ("Juni 2023") is written 2023-06: no day is
    invented, and reports show "juni 2023"."""
    from regionanalys.data.formatting import fmt_date

    (tmp_path / "meta").mkdir()
    (tmp_path / "meta" / "events.csv").write_text(
        "region;org;start;end;event;label;source\n"
        "17;region;2023-06;;a;Sparbeslut;slide\n"
        "17;region;2023-06-13;;b;Beslut;slide\n"
        "17;region;2023-6;;c;Fel;slide\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        ra.load_events(tmp_path)
    assert [(p.line, p.column) for p in info.value.problems] == [(4, "start")]
    (tmp_path / "meta" / "events.csv").write_text(
        "region;org;start;end;event;label;source\n"
        "17;region;2023-06;;a;Sparbeslut;slide\n"
        "17;region;2023-06-13;;b;Beslut;slide\n", encoding="utf-8")
    events = ra.load_events(tmp_path)
    assert list(events["start_precision"]) == ["månad", "dag"]
    assert fmt_date(events["start"][0], "månad") == "juni 2023"
    assert fmt_date(events["start"][1], "dag") == "13 juni 2023"
    assert fmt_date(events["start"][0], "månad", short=True) == "jun 2023"


def test_load_region_is_what_every_per_region_report_starts_from():
    data = ra.load_region("Värmland")
    assert (data.code, data.name) == ("17", "Region Värmland")
    assert set(data.own["region"]) == {"17"} and len(data.own) < len(data.df)
    pd.testing.assert_frame_equal(data.df, ra.load(regions=["17"]))
