"""The region report's points (issues 11 and 12), read from the generated HTML.

Runs the region notebook through the CLI once per session (the three regions for 2023,
Västerbotten for 2019) and checks what the reader sees.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest



def _run(out: Path, *args: str) -> None:
    cli = Path(sys.executable).with_name("regionanalys")
    proc = subprocess.run([str(cli), "run", "--force", "--notebook", "region", "--out", str(out), *args],
                          capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def _text(path: Path) -> str:
    """The report's visible text, with no-break spaces and Unicode minus made plain."""
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'src="data:[^"]*"|href="data:[^"]*"', "", html)
    text = re.sub(r"<[^>]+>", " ", html)
    for a, b in (("&nbsp;", " "), ("\u00a0", " "), ("\u202f", " "), ("\u2212", "-"), ("&amp;", "&"), ("&#39;", "'"), ("&quot;", '"')):
        text = text.replace(a, b)
    return re.sub(r"\s+", " ", text)


# --------------------------------------------------------------------------- library (fast)

from regionanalys.analysis import region_story as story  # noqa: E402


def test_gap_closing_plan_orebro(all_df):
    t = story.gap_closing_plan(all_df, "18", 2023)
    by = {r["del"]: r for _, r in t.iterrows()}
    prog = t[(t["typ"] == "underskott") & t["del"].str.contains("prognos")].iloc[0]
    assert prog["belopp"] == -1000 and "2023-10-19" in prog["del"]
    assert t[t["del"].str.startswith("Balanskravsresultat")]["belopp"].tolist() == [-909]
    acts = t[t["typ"] == "åtgärd"]
    assert sorted(acts["belopp"]) == [76, 569, 628] and (acts["år"] == 2024).all()
    assert "629 i handlingsplanen" in by["Kostnadsreduceringar"]["förklaring"] and "610" in by["Kostnadsreduceringar"]["förklaring"]
    assert by["varav Servicenämnden"]["belopp"] == 75.8
    total = t[t["typ"] == "summa"].iloc[0]
    assert total["belopp"] == 569 + 76 + 628 and "inte en prognos" in total["förklaring"]
    assert "inte en prognos" in story.gap_closing_reading(t, "18", 2023)
    # Värmland has a savings requirement but no decided revenue measures: no gap-closing plan.
    assert story.gap_closing_plan(all_df, "17", 2023).empty


def test_plan_against_areas_shows_the_political_adjustment(all_df):
    import regionanalys as ra
    from regionanalys.analysis import savings

    t = story.plan_against_areas(all_df, "18", "Servicenämnden", 2024, ra.load_orgs())
    areas = t[t["typ"] == "område"]["belopp"].sum()
    adj = t[t["typ"] == "justering"].iloc[0]
    adopted = t[t["typ"] == "antagen"]["belopp"].iloc[0]
    assert round(adopted, 1) == 84.8 and round(areas, 1) == 87.3 and round(adj["belopp"], 1) == -2.6
    assert adj["del"] == "Politisk justering"
    assert areas + adj["belopp"] == pytest.approx(adopted)
    # The same figure as the savings report (one library function behind both).
    assert adopted == savings.adopted_plan_total(all_df, "18", 2024, "Servicenämnden", ra.load_orgs())


def test_plan_pivot_is_one_row_per_area(all_df):
    t = story.plan_pivot(all_df, "18")
    assert len(t) == 7 and t["område"].is_unique
    assert [c for c in t.columns if c[:1].isdigit()] == ["2024", "2025", "2026"]
    assert "årsarbetare 2024" in t.columns
    assert t.loc[t["område"] == "Område försörjning", "årsarbetare 2024"].iloc[0] == 30.5


def test_results_history_labels_measure_and_kind(all_df):
    t = story.results_history(all_df, "18")
    assert not t.duplicated(["år", "mått", "typ"]).any()
    row = t[(t["år"] == 2023) & (t["typ"] == "prognos")].iloc[0]
    assert row["belopp"] == -1000 and row["etikett"] == "Årets resultat, prognos"
    vb = story.results_history(all_df, "24").iloc[0]
    assert (vb["år"], vb["belopp"], vb["mot budget"]) == (2021, 1398, 1241)
    assert "+1 241 mnkr mot budget" in story.history_reading(story.results_history(all_df, "24"), "24").replace("\u2009", " ").replace("\xa0", " ")


def test_report_scope_keeps_no_later_outcome(all_df):
    t = story.report_scope(all_df, 2019)
    assert t["year"].max() <= 2020
    assert not ((t["year"] == 2020) & (t["kind"] == "utfall")).any()
    assert story.economy_gap_text(t, "24", 2019) != "" and story.economy_gap_text(all_df, "17", 2023) == ""


def test_balance_note_is_never_invented(all_df):
    # Örebro's −909 is stated, but no source in the data says it must be restored.
    assert story.balance_requirement_note(all_df, "18", 2023) == ""
    rows = all_df[(all_df["series"] == "balanskravsresultat") & (all_df["year"] == 2023) & (all_df["freq"] == "Y")].copy()
    rows["note"] = "Underskottet ska återställas inom tre år."
    assert "återställas inom tre år" in story.balance_requirement_note(rows, "18", 2023)


def test_plan_phases_varmland(all_df):
    t = story.plan_phases(all_df, "17")
    assert list(t["typ"]) == ["fördelat", "ej specificerat", "krav"]
    assert list(t["belopp"]) == [100, 400, 500]
    assert "fördelat" in t["förklaring"].iloc[0] and "130 tjänster" in t["förklaring"].iloc[0]
    assert story.plan_phases(all_df, "18").empty  # a nämnd's share is not a phase


# --------------------------------------------------------------------------- the HTML (slow)

@pytest.fixture(scope="session")
def region_reports(tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("region")
    _run(out)
    return {code: _text(out / f"region_{code}_2023.html") for code in ("17", "18", "24")}


@pytest.fixture(scope="session")
def report_2019(tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("region2019")
    _run(out, "--region", "24", "--region", "17", "--year", "2019")
    return {code: _text(out / f"region_{code}_2019.html") for code in ("17", "24")}


def _body(text: str) -> str:
    """The report before its appendix (the last "Bilaga": the first is in the contents)."""
    return text[: text.rfind(" Bilaga ")]


def _cells(text: str, label: str) -> str:
    """The text that follows a row label, up to the next 60 characters."""
    i = text.find(label)
    assert i >= 0, f"{label!r} saknas"
    return text[i + len(label): i + len(label) + 60]


@pytest.mark.slow
def test_varmland_deviation_seen_from_the_result(region_reports):
    t = region_reports["17"]
    assert "-948" in _cells(t, "Verksamhetens nettokostnader 11 776")
    assert "+343" in _cells(t, "Skatteintäkter och generella statsbidrag 11 298")
    assert "varav ej förklarat" in t and "-8" in _cells(t, "varav ej förklarat")
    assert "budget (utfall - avvikelse)" not in t and "utfall − avvikelse" not in t


@pytest.mark.slow
def test_varmland_balanserat_resultat_timeline_and_plan(region_reports):
    t = region_reports["17"]
    assert "Balanserat resultat" in t and "Resultat efter finansiella poster, utan orealiserade vinster" not in t
    assert "Beslut och tidslinje" in t
    assert "21 november 2022" in t and "19 december 2023" in t
    assert "Tidigare sparbeslut har inte gett tillräcklig effekt" in t
    assert "fördelat" in t and "identifierat" not in t
    assert "-937" in t and "-878" in t


@pytest.mark.slow
def test_orebro_region_bridge_and_servicenamnden(region_reports):
    t = region_reports["18"]
    for figure in ("569", "76", "628", "-1 000", "-909", "75,8"):
        assert figure in t, figure
    assert "inte en prognos" in t
    # The nämnd's statement keeps the document's signs: 181 positive, costs negative.
    row = _cells(t, "Verksamhetens nettokostnader")
    assert re.match(r"\s*181,0 118,4 103,0", row), row
    assert "84,8" in t and "87,3" in t and "-2,6" in t
    assert "Servicenämndens resultatbudget" in t and "Servicenämndens handlingsplan per område och år" in t
    assert "koncern" not in t.lower().split("källor")[0]


@pytest.mark.slow
def test_vasterbotten_assessments_and_history(region_reports):
    t = region_reports["24"]
    assert "utmaningar att under 2023 uppnå kravet fullt ut" in t
    assert "anställningsstoppet bör kvarstå" in t
    assert "+1 398" in t and "100 mnkr" in t and "70 tjänster" in t


@pytest.mark.slow
def test_a_year_without_data_says_so_and_shows_no_later_year(report_2019):
    t = report_2019["24"]
    assert "Underlaget innehåller inga uppgifter för Region Västerbotten 2019" in t
    body = _body(t)
    for later in ("2021", "2022", "2023", "2024"):
        assert later not in body, later


@pytest.mark.slow
def test_a_year_with_some_data_shows_only_that_year(report_2019):
    t = report_2019["17"]
    body = _body(t)
    assert "+97 mnkr" in body  # SCB's verksamhetens resultat 2019
    for later in ("2021", "2022", "2023", "-878", "11 776"):
        assert later not in body, later


def test_assessments_quoted_next_to_the_requirements():
    from regionanalys.data.documents import load_statements

    text = story.assessments_reading(story.region_statements(load_statements(), "24"))
    assert text.startswith("Dokumentens egna bedömningar: ”Förvaltningen har utmaningar att under 2023 uppnå kravet fullt ut")
    assert "anställningsstoppet bör kvarstå" in text and "(Hälso- och sjukvårdsnämnden, mitten av 2023)" in text
    assert story.assessments_reading(story.region_statements(load_statements(), "18").iloc[0:0]) == ""


def test_each_namnd_gets_its_own_areas(all_df):
    """A region with two nämnder: each nämnd's section shows its own områden, and the plans
    against the områden are computed once for all nämnder (the same tables as one by one)."""
    import pandas as pd

    import regionanalys as ra

    orgs = ra.load_orgs()
    assert story.plan_pivot(all_df, "18", parent="Servicenämnden", orgs=orgs).equals(story.plan_pivot(all_df, "18"))
    other = orgs.copy()
    moved = other.index[(other["region"] == "18") & (other["org"] == "Område försörjning")]
    other.loc[moved, "parent"] = "Annan nämnd"
    mine = story.plan_pivot(all_df, "18", parent="Servicenämnden", orgs=other)
    theirs = story.plan_pivot(all_df, "18", parent="Annan nämnd", orgs=other)
    assert len(mine) == 6 and "Område försörjning" not in set(mine["område"])
    assert list(theirs["område"]) == ["Område försörjning"]
    every = story.plans_against_areas(all_df, "18", 2024, orgs)
    assert list(every) == ["Servicenämnden"]
    pd.testing.assert_frame_equal(every["Servicenämnden"], story.plan_against_areas(all_df, "18", "Servicenämnden", 2024, orgs))
    assert story.plan_against_areas(all_df, "18", "Ingen nämnd", 2024, orgs).empty
