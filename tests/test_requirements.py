"""Savings requirements are counted by decision: alternates and parts never count twice."""
from __future__ import annotations

import pandas as pd
import pytest

import regionanalys as ra
from regionanalys.analysis.requirements import comparable, decision_table, decisions
from regionanalys.data.documents import load_decisions, load_statements
from regionanalys.data.validation import DataError


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return ra.load()


def test_one_decision_per_requirement(df):
    by_region = {}
    for d in decisions(df):
        by_region.setdefault(d.region, []).append(d)
    # Örebro: 628 and 629 are one requirement; Västerbotten: 100 = 58 + 32 + 8 is one.
    assert len([d for d in by_region["18"] if d.unit == "mnkr"]) == 1
    assert len([d for d in by_region["24"] if d.unit == "mnkr"]) == 1
    orebro = by_region["18"][0]
    assert orebro.value == 628
    text = orebro.amount_text().replace("\xa0", " ")
    assert text == "628 mnkr (629 i handlingsplanen; 610 enligt regionens webbplats 2023-09-13)"
    vb = by_region["24"][0]
    assert sorted(p["value"] for p in vb.parts) == [8, 32, 58]
    assert all(d.linked for d in decisions(df))


def test_scopes_keep_requirements_apart(df):
    groups = comparable(decisions(df))
    assert {d.region for d in groups["hela_regionen"]} == {"17", "18"}
    assert {d.region for d in groups["administration"]} == {"17", "24"}


def test_table_lists_parts_under_their_total(df):
    table = decision_table(decisions(df, region="24"))
    assert table["beslut"].iloc[0].startswith("Regionfullmäktige")
    assert table["varav"].iloc[1:].str.startswith("varav").all()
    assert table["värde"].iloc[0] == 100


def test_missing_observation_is_an_error_naming_the_line(df):
    meta = load_decisions()
    broken = df[~((df["region"] == "18") & (df["category"] == "kostnadsreduceringar"))]
    with pytest.raises(ValueError, match=r"decisions.csv, rad \d+: beslutet 'orebro_kostnadsreduceringar_2024'"):
        decisions(broken, meta=meta)


def test_bad_decisions_file_names_file_row_and_column(tmp_path):
    meta = tmp_path / "meta"
    meta.mkdir()
    (meta / "decisions.csv").write_text(
        "region;decision;role;org;series;category;period;kind;scope;label;source\n"
        "17;a;huvud;region;besparing;;2024;krav;hela_regionen;x;y\n"
        "17;a;huvud;region;besparing;;2025;krav;kommunen;x;y\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_decisions(tmp_path)
    text = str(exc.value)
    assert "meta/decisions.csv, rad 3" in text and "scope" in text


def test_statements_are_quoted_with_sources():
    st = load_statements()
    assert set(st["region"]) == {"17", "18", "24"}
    assert st["quote"].str.contains("anställningsstoppet bör kvarstå").any()
    assert st["source"].str.contains(r"rad \d", regex=True).all()


def test_decisions_come_from_the_data_directory_the_table_was_loaded_from(tmp_path):
    """A run with --data-dir elsewhere uses that folder's decisions.csv, not the project's;
    a changed file is read again (the in-process cache is per version of the file)."""
    import shutil

    import regionanalys as ra
    from regionanalys import config
    from regionanalys.analysis import requirements

    data = tmp_path / "data"
    shutil.copytree(config.data_dir(None), data)
    path = data / "meta" / "decisions.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("effektivisera administrationen med 80 mnkr", "effektivisera administrationen (annan mapp)"), encoding="utf-8")
    df = ra.load(data)
    assert df.attrs["data_dir"] == str(data.resolve())
    labels = {d.label for d in requirements.decisions(df, region="17")}
    assert any("(annan mapp)" in x for x in labels), labels
    default = {d.label for d in requirements.decisions(ra.load(), region="17")}
    assert not any("(annan mapp)" in x for x in default)
    path.write_text(text.replace("effektivisera administrationen med 80 mnkr", "effektivisera administrationen (ändrad)"), encoding="utf-8")
    assert any("(ändrad)" in d.label for d in requirements.decisions(df, region="17"))
