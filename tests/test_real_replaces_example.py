"""Real data replaces example data: once a region has real rows of a series, the example
rows of that region and series are not loaded (no duplicate key, no manual deletion), and
``validate`` says which example series were superseded."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import regionanalys as ra
from regionanalys import config
from regionanalys.data.loading import still_example
from regionanalys.data.validation import VARNING, errors

HEADER = "region;org;series;category;period;kind;value;unit;source;note;example\n"
CATEGORIES = ("lakare", "sjukskoterskor_barnmorskor", "ovriga")


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the shipped data/ with a real monthly hired-staff export for Värmland."""
    target = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, target, ignore=shutil.ignore_patterns("imports", ".*"))
    rows = []
    for month in range(1, 13):
        parts = [1000 + 10 * month, 400 + month, 200]
        for category, value in zip(CATEGORIES, parts):
            rows.append(f"17;region;hyrpersonal_kostnad;{category};2023-{month:02d};utfall;{value};tkr;Heroma-export 2023;;false\n")
        rows.append(f"17;region;hyrpersonal_kostnad;;2023-{month:02d};utfall;{sum(parts)};tkr;Heroma-export 2023;;false\n")
    (target / "imports").mkdir()
    (target / "imports" / "17_hyrpersonal_2023.csv").write_text(HEADER + "".join(rows), encoding="utf-8")
    return target


def test_the_real_file_overlaps_example_keys(data):
    """The test is meaningful: the example file has rows with the very keys of the import."""
    example = (data / "example" / "17_exempel_bemanning.csv").read_text(encoding="utf-8")
    assert "17;region;hyrpersonal_kostnad;lakare;2023-01;utfall;" in example


def test_load_drops_superseded_example_rows_and_keeps_the_others(data):
    df = ra.load(data)  # no duplicate-key error
    hired = df[(df["region"] == "17") & (df["series"] == "hyrpersonal_kostnad")]
    assert len(hired) == 48 and not hired["example"].any()
    assert set(hired["source_file"]) == {"imports/17_hyrpersonal_2023.csv"}
    # other series of the same region and the same series of other regions stay example data
    assert df[(df["region"] == "17") & (df["series"] == "egen_personalkostnad")]["example"].all()
    assert not df[(df["region"] == "17") & (df["series"] == "egen_personalkostnad")].empty
    assert df[(df["region"] == "18") & (df["series"] == "hyrpersonal_kostnad")]["example"].all()
    assert not df[(df["region"] == "18") & (df["series"] == "hyrpersonal_kostnad")].empty
    still = df.attrs["example_series"]
    assert ("17", "hyrpersonal_kostnad") not in still
    assert ("17", "egen_personalkostnad") in still and ("24", "hyrpersonal_kostnad") in still
    assert still_example(df) == still


def test_validate_names_the_superseded_example_series(data):
    problems = ra.validate(data)
    assert errors(problems) == [], "\n".join(map(str, errors(problems)))
    notes = [p for p in problems if "exempeldata" in p.message]
    assert len(notes) == 1
    note = notes[0]
    assert note.severity == VARNING and note.file == "example/17_exempel_bemanning.csv"
    assert "region 17, serien hyrpersonal_kostnad" in note.message
    assert "imports/17_hyrpersonal_2023.csv" in note.message


def test_example_rows_stay_when_there_is_no_real_data(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "24_exempel.csv").write_text(HEADER + "24;region;egen_personalkostnad;;2023-01;utfall;2;mnkr;exempel;;true\n", encoding="utf-8")
    (d / "24_annan.csv").write_text(HEADER + "24;region;hyrpersonal_kostnad;;2023-01;utfall;1;mnkr;källa;;false\n", encoding="utf-8")
    df = ra.load(d)
    assert len(df) == 2 and df["example"].sum() == 1
    assert df.attrs["example_series"] == [("24", "egen_personalkostnad")]
    assert not [p for p in ra.validate(d) if "exempeldata" in p.message]


def test_a_duplicate_among_real_rows_is_still_an_error(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    row = "24;region;egen_personalkostnad;;2023-01;utfall;1;mnkr;källa;;false\n"
    (d / "a.csv").write_text(HEADER + row, encoding="utf-8")
    (d / "b.csv").write_text(HEADER + row + row.replace(";false", ";true").replace("2023-01", "2023-02"), encoding="utf-8")
    with pytest.raises(ra.DataError, match="dubblett"):
        ra.load(d)
