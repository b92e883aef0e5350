"""What the comparison can rest on (analysis/comparison.py) and what the comparison report says.

The unit tests build small observation tables (or read the shipped data where the point is
a figure in it, such as Västerbotten's hired-staff slide); the tests marked ``slow`` run the
comparison notebook through the CLI on the shipped data (no Kolada cache) and read its HTML.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from regionanalys import load
from regionanalys.analysis import comparison as C
from regionanalys.analysis.requirements import Decision

R = ["17", "18", "24"]


def obs(region, series, period, kind, value, *, org="region", category="", unit="mnkr", note="", example=False,
        source_file="seeds/x.csv", source="källa"):
    period = pd.Period(period)
    return {"region": region, "org": org, "series": series, "category": category, "period": period, "kind": kind,
            "value": float(value), "unit": unit, "source": source, "note": note, "example": example,
            "year": period.year, "freq": period.freqstr[0], "source_file": source_file, "source_line": 1}


def frame(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


# --------------------------------------------------------------------------- the matrix


def test_availability_takes_the_best_kind_and_tells_example_from_missing():
    df = frame(
        obs("17", "arets_resultat", "2023", "prognos", -900),
        obs("17", "arets_resultat", "2023", "utfall", -878),
        obs("18", "arets_resultat", "2023", "prognos", -1000),
        obs("24", "sjukfranvaro_timmar", "2023-01", "utfall", 5, unit="timmar", example=True),
        # A Kolada row is not the regions' own figure: it does not fill the matrix.
        obs("24", "arets_resultat", "2023", "utfall", 10, source_file="kolada/kolada.csv"),
    )
    a = C.availability(df, R, [2023]).set_index(["region", "measure"])["status"]
    assert a[("17", "resultat")] == "utfall"
    assert a[("18", "resultat")] == "prognos"
    assert a[("24", "resultat")] == "saknas"
    assert a[("24", "sjukfranvaro")] == "exempel"
    assert a[("17", "sjukfranvaro")] == "saknas"


def test_matrix_leaves_out_measures_that_are_only_example_data_and_the_reading_names_them():
    df = frame(*[obs(r, "narvarotid_timmar", "2023-01", "utfall", 1, unit="timmar", example=True) for r in R],
               obs("17", "hyrpersonal_kostnad", "2023-01", "utfall", 1, example=True),
               obs("24", "hyrpersonal_kostnad_forandring_ack", "2023-05", "utfall", 8))
    avail = C.availability(df, R, [2022, 2023])
    table = C.matrix(avail)
    assert "Närvarotid" not in set(table["mått"])
    hyr = table[table["mått"] == "Hyrpersonal"].set_index("region")
    assert hyr.loc["Region Västerbotten", "2023"] == "utfall"
    assert hyr.loc["Region Värmland", "2023"] == "exempel"
    assert hyr.loc["Region Örebro län", "2022"] == "–"
    assert "närvarotid" in C.matrix_reading(avail)
    assert "Närvarotid" in set(C.matrix(avail, drop_example_only=False)["mått"])


def test_missing_text_is_computed_from_the_data():
    only_example = frame(*[obs(r, "sjukfranvaro_timmar", "2023-01", "utfall", 1, unit="timmar", example=True) for r in R])
    text = C.missing_text(C.availability(only_example, R, [2023]), ["sjukfranvaro"], R, "sjukfrånvaro")
    assert text.startswith("Underlaget har bara exempeldata för Region Värmland, Region Örebro län och Region Västerbotten")
    one_real = frame(obs("18", "sjukfranvaro_procent", "2023", "utfall", 6.3, unit="procent"))
    text = C.missing_text(C.availability(one_real, R, [2023]), ["sjukfranvaro"], R, "sjukfrånvaro")
    assert text.startswith("Verkliga uppgifter om sjukfrånvaro finns bara för Region Örebro län")


# --------------------------------------------------------------------------- results


def test_results_history_keeps_one_measure_per_region_and_dates_a_prognosis():
    df = frame(
        obs("17", "verksamhetens_resultat", "2022", "utfall", 319),
        obs("17", "verksamhetens_resultat", "2023", "utfall", -478),
        obs("17", "balanserat_resultat", "2023", "utfall", -878),
        obs("18", "arets_resultat", "2020", "utfall", 560, org="koncern"),
        obs("18", "arets_resultat", "2020", "utfall", 530),
        obs("18", "balanskravsresultat", "2024", "prognos", -600, note="Prognos per periodrapport januari–mars 2024."),
        obs("24", "arets_resultat", "2021", "utfall", 1398, example=True),
    )
    h = C.results_history(df, R, list(range(2016, 2025))).set_index(["region", "year"])
    assert h.loc[("17", 2023), "value"] == -478  # Värmland's bars are all verksamhetens resultat
    assert h.loc[("18", 2020), "value"] == 530  # the region, not the koncern
    assert h.loc[("18", 2024), "kind"] == "prognos"
    label = C.bar_label(h.loc[("18", 2024)].to_dict() | {"preliminary": False})
    assert "−600" in label and "balanskravs-\nresultat" in label and "prognos per" in label and "2024" in label
    assert "24" not in set(h.index.get_level_values(0))  # example data never becomes a result


# --------------------------------------------------------------------------- requirements


def _decision(region, scope, value):
    return Decision(region=region, decision=f"{region}_{scope}", label="krav", scope=scope, year=2024, kind="krav",
                    value=value, unit="mnkr", source="s")


def test_requirements_per_invanare_use_one_population_date_and_stay_within_their_scope():
    pops = [obs(r, "befolkning", str(y), "utfall", 300000 + i, unit="personer")
            for i, r in enumerate(R) for y in (2022, 2023)]
    pops.append(obs("24", "befolkning", "2024", "utfall", 281138, unit="personer"))
    df = frame(*pops)
    year = C.population_year(df, R, 2024)
    assert year == 2023  # Västerbotten's 2024 figure alone does not move the date
    items = [_decision("18", "hela_regionen", 628), _decision("17", "hela_regionen", 500),
             _decision("24", "administration", 100)]
    table = C.requirements_per_capita(df, items, R, year)
    assert table.set_index("code").loc["24", "invånare"] == 300002  # 31 December 2023, not 2024
    reading = C.requirements_reading(table, year)
    whole, admin = reading.split("hela regionen:")[1], reading.split("administrationen:")[1].split(";")[0]
    assert "Region Västerbotten" in admin and "Region Örebro län" not in admin
    whole = whole.split(";")[0]
    assert "Region Örebro län" in whole and "Region Värmland" in whole and "Region Västerbotten" not in whole


# --------------------------------------------------------------------------- hired staff on the shipped data


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return load(None, regions=R)


def test_vasterbottens_hired_staff_figures_are_real_with_the_sources_precision(shipped):
    staff = C.staffing_real(shipped, R).set_index(["region", "grupp"])
    doctors = staff.loc[("Region Västerbotten", "Läkare")]
    assert (doctors["mnkr"], doctors["procent"], doctors["period"]) == (8.0, 9.0, "januari–maj 2023")
    nurses = staff.loc[("Region Västerbotten", "Sjuksköterskor/barnmorskor")]
    assert (nurses["mnkr"], nurses["procent"]) == (3.9, 14.0)
    reading = C.staffing_reading(C.staffing_real(shipped, R), R)
    assert "+8 mnkr / +9 %" in reading and "+3,9 mnkr / +14 %" in reading
    assert "12,0" not in reading and "högst" not in reading


# --------------------------------------------------------------------------- the report (HTML)


@pytest.fixture(scope="module")
def html(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("jamforelse")
    cli = Path(sys.executable).with_name("regionanalys")
    proc = subprocess.run([str(cli), "run", "--out", str(out), "--force", "--notebook", "02_jamforelse", "-j", "1"],
                          capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return next(out.glob("jamforelse_*.html")).read_text(encoding="utf-8")


def _text(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))


@pytest.mark.slow
def test_without_a_cache_the_report_opens_with_the_matrix(html):
    body = html[html.index("Det viktigaste"):]
    sections = re.findall(r"<h2[^>]*>(.*?)</h2>", body)
    assert sections[0].strip() == "Vad kan jämföras?"
    matrix = body[body.index("Vad underlaget innehåller per region"):]
    matrix = matrix[:matrix.index("</table>")]
    assert matrix.count("<tr") >= 10 and "utfall" in matrix and "prognos" in matrix and "exempel" in matrix


@pytest.mark.slow
def test_no_page_of_empty_bars(html):
    text = _text(html)
    assert "uppgift saknas" not in text.lower()
    # Sections without real figures are one line each, and draw no chart.
    collapsed = re.findall(r'<p class="ra-collapsed"><strong>(.*?):</strong>', html)
    assert "Sjukfrånvaro och närvarotid" in collapsed and "Har sparbesluten gett effekt?" in collapsed
    assert "bara exempeldata för Region Värmland, Region Örebro län och Region Västerbotten" in text
    assert html.count("<img") <= 3  # results, requirements per invånare (and nothing hatched)


@pytest.mark.slow
def test_vasterbottens_real_staffing_figures_and_no_ranking_from_example_data(html):
    text = _text(html)
    assert "Region Västerbotten januari–maj 2023, läkare: +8 mnkr / +9 %" in text
    assert "+3,9 mnkr / +14 %" in text
    assert "Hyrpersonal enligt regionernas dokument och offentliga källor (utfall)" in text
    assert "+12,0 %" not in text
    assert "högst andel hyrpersonal" not in text.lower()


@pytest.mark.slow
def test_requirements_are_never_ranked_across_scopes(html):
    text = _text(html)
    assert "Största sparkravet per invånare" not in text
    assert "jämförda bara inom samma omfattning" in text
    assert "folkmängden den 31 december 2023 för alla regioner" in text
    assert "BE0101N1" in text
    # 628 and 629 are one requirement: one row, the alternate in brackets.
    table = text[text.index("Sparkrav per beslut"):]
    table = table[:table.index("Ladda ned")]
    assert table.count("628 mnkr (629 i handlingsplanen") == 1 and "629 mnkr" not in table
    assert "administrationen" in table and "hela regionen" in table


@pytest.mark.slow
def test_results_for_all_three_regions_with_measure_and_kind(html):
    text = _text(html)
    table = text[text.index("Resultaten i diagrammet med mått, typ och källa"):]
    for row in ("Region Västerbotten 2021 årets resultat utfall 1 398", "Region Örebro län 2023 balanskravsresultat utfall −909",
                "Region Värmland 2023 verksamhetens resultat utfall −478",
                "Region Örebro län 2024 balanskravsresultat prognos per periodrapport januari–mars 2024 −600"):
        assert row in table, row


@pytest.mark.slow
def test_the_report_says_kolada_has_no_hired_staff_or_presence_measure(html):
    from regionanalys.kolada.client import NOT_IN_KOLADA

    assert NOT_IN_KOLADA in html
