"""Staffing indicators: the R12 engine, year to date, the SKR measure, sick leave and
närvarotid, checked against hand-computed cases; readings, comparison and charts."""
import math
import re

import pandas as pd
import pytest
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

import regionanalys as ra
from regionanalys.analysis import staffing as st
from regionanalys.report.charts import staffing as charts
from regionanalys.data.formatting import plain
from test_r12 import M, months, series  # noqa: F401  (one set of month helpers for the staffing tests)


def tidy(rows) -> pd.DataFrame:
    """A tidy table as load() returns it, from (region, org, series, category, month, value)."""
    records = []
    for region, org, sid, cat, month, value in rows:
        p = M(month)
        records.append({
            "region": region, "org": org, "series": sid, "category": cat, "period": p, "kind": "utfall",
            "value": float(value), "unit": ra.get_series(sid).unit, "source": "test", "note": "", "example": False,
            "year": p.year, "freq": "M", "source_file": "test.csv", "source_line": 2,
        })
    return pd.DataFrame(records)


# --- measures on a tidy table --------------------------------------------------------------


def _region_rows(region="24", start="2022-01", n=24, rental=(10, 4, 1), own=500, sick=60, scheduled=1000, own_h=1700 * 100 / 12, rental_h=1700 * 5 / 12, drop=()):
    rows = []
    for m in months(start, n):
        key = str(m)
        for cat, v in zip(st.STAFF_GROUPS, rental):
            if (key, "hyrpersonal_kostnad", cat) not in drop:
                rows.append((region, "region", "hyrpersonal_kostnad", cat, key, v))
        rows.append((region, "Område A", "hyrpersonal_kostnad", "", key, sum(rental) * 0.6))
        rows.append((region, "Område B", "hyrpersonal_kostnad", "", key, sum(rental) * 0.4))
        if (key, "egen_personalkostnad", "") not in drop:
            rows.append((region, "region", "egen_personalkostnad", "", key, own))
        if (key, "sjukfranvaro_timmar", "") not in drop:
            rows.append((region, "region", "sjukfranvaro_timmar", "", key, sick))
        rows.append((region, "region", "ordinarie_arbetstid_timmar", "", key, scheduled))
        rows.append((region, "region", "narvarotid_timmar", "egen_personal", key, own_h))
        rows.append((region, "region", "narvarotid_timmar", "hyrpersonal", key, rental_h))
    return rows


def test_measures_hand_computed():
    df = tidy(_region_rows())
    ms = st.measures(df, "24", orgs=True)
    dec = M("2023-12")
    assert ms["hyr_lakare"].r12_at(dec) == pytest.approx(120)
    assert ms["hyr_totalt"].r12_at(dec) == pytest.approx(180)  # (10 + 4 + 1) × 12
    assert ms["egen_personalkostnad"].r12_at(dec) == pytest.approx(6000)
    assert ms["skr"].r12_at(dec) == pytest.approx(3.0)  # 180 / 6 000
    assert ms["sjukfranvaro"].r12_at(dec) == pytest.approx(6.0)
    assert ms["narvarotid_utan_hyr"].r12_at(dec) == pytest.approx(100)
    assert ms["narvarotid_med_hyr"].r12_at(dec) == pytest.approx(105)
    assert ms["hyr_org:Område A"].r12_at(dec) == pytest.approx(108)
    skr = st.skr_r12(df, "24")
    assert skr.loc[dec, "andel_pct"] == pytest.approx(3.0)
    presence = st.presence_r12(df, "24")
    assert presence.loc[dec, "hyr_andel_pct"] == pytest.approx(5 / 105 * 100)


def test_a_missing_staff_group_month_removes_the_total_not_just_the_group():
    df = tidy(_region_rows(drop={("2023-03", "hyrpersonal_kostnad", "ovriga")}))
    table = st.rental_r12(df, "24")
    assert table.loc[M("2023-12"), "Läkare"] == pytest.approx(120)
    assert math.isnan(table.loc[M("2023-12"), "Övriga"])
    assert math.isnan(table.loc[M("2023-12"), "Totalt"])  # never the sum of what happens to be there
    gaps = st.r12_gap_table(df, "24")
    assert set(gaps["Indikator"]) == {"Hyrpersonal, övriga", "Hyrpersonal, totalt", "Hyrpersonal / egen personal (SKR-mått)"}
    assert gaps["Orsak"].str.contains("saknas för mars 2023").all()


def test_same_period_table_hand_computed():
    rows = _region_rows(n=17)  # Jan 2022 – May 2023
    df = tidy(rows).copy()
    # Make 2023 higher: läkare 12 instead of 10 per month in Jan–May 2023.
    mask = (df["series"] == "hyrpersonal_kostnad") & (df["category"] == "lakare") & (df["year"] == 2023)
    df.loc[mask, "value"] = 12.0
    t = st.same_period_table(df, "24", "2023-05").set_index("indikator")
    row = t.loc["Hyrpersonal, läkare"]
    assert (row["ack"], row["ack_fg"], row["forandring"]) == (60, 50, 10)
    assert row["forandring_pct"] == pytest.approx(20.0)
    skr = t.loc["Hyrpersonal / egen personal (SKR-mått)"]
    assert skr["ack"] == pytest.approx((12 + 4 + 1) * 5 / 2500 * 100)
    assert skr["forandring"] == pytest.approx(3.4 - 3.0)
    assert math.isnan(skr["forandring_pct"])  # a rate changes in procentenheter, not percent
    view = st.same_period_view(df, "24", "2023-05")
    assert list(view.columns[:3]) == ["Indikator", "Ack januari–maj 2023", "Ack januari–maj 2022"]
    assert plain(view.set_index("Indikator").loc["Hyrpersonal, läkare", "Förändring"]) == "+10,0 mnkr"
    assert plain(view.set_index("Indikator").loc["Sjukfrånvaro", "Förändring"]) == "0,0 procentenheter"


def test_same_period_names_the_missing_month():
    df = tidy(_region_rows(n=17, drop={("2022-02", "sjukfranvaro_timmar", "")}))
    t = st.same_period_table(df, "24", "2023-05").set_index("indikator")
    assert math.isnan(t.loc["Sjukfrånvaro", "ack_fg"])
    assert "februari 2022" in t.loc["Sjukfrånvaro", "saknas"]
    assert "Anmärkning" in st.same_period_view(df, "24", "2023-05").columns


def test_report_month_and_notes():
    df = tidy(_region_rows(n=17))
    assert st.report_month(df, "24", 2023) == M("2023-05")
    assert st.report_month(df, "24", 2022) == M("2022-12")
    assert st.report_month(df, "24", 2021) is None
    assert st.report_month(df, "17", 2023) is None
    assert "maj 2023" in st.month_note(df, "24", 2023, M("2023-05"))
    assert "inga månadsuppgifter för 2025" in st.month_note(df, "24", 2025, M("2023-05"))
    assert "1 700" in plain(st.method_note())
    assert "2 000" in plain(st.method_note(2000))


def test_readings_are_computed_sentences():
    df = tidy(_region_rows())
    dec = M("2023-12")
    r = plain(st.rental_reading(st.rental_r12(df, "24"), "24", dec))
    assert r == ("Kostnaden för hyrpersonal i Region Västerbotten var 180 mnkr under de tolv månaderna till och med "
                 "december 2023, ungefär lika mycket som under de tolv månaderna året innan; läkare stod för 67 %.")
    assert "3,0 %" in plain(st.skr_reading(st.skr_r12(df, "24"), "24", dec))
    assert "över målvärdet" in st.skr_reading(st.skr_r12(df, "24"), "24", dec)
    assert "6,0 %" in plain(st.sick_leave_reading(st.sick_leave_r12(df, "24"), "24", dec))
    assert "105 årsarbetare med hyrpersonal och 100 årsarbetare utan" in plain(st.presence_reading(st.presence_r12(df, "24"), "24", dec))
    assert "Område A" in st.area_reading(st.rental_r12(df, "24", by="org"), "24", dec)
    # The first R12 month has no comparison a year earlier, and says so.
    assert "jämförelsen saknas" in st.sick_leave_reading(st.sick_leave_r12(df, "24"), "24", M("2022-12"))
    # A month without R12 says it cannot be computed.
    assert "kan inte beräknas" in st.skr_reading(st.skr_r12(df, "24"), "24", M("2022-06"))
    assert "inga månadsuppgifter" in st.rental_reading(st.rental_r12(df, "17"), "17", dec)
    view = st.same_period_view(df, "24", dec)
    assert set(view["källa"]) == {"test"}  # the export is cited as each row's source
    assert "100 årsarbetare" in set(view.iloc[:, 1].map(plain))


def test_comparison_table_side_by_side():
    rows = _region_rows("24") + _region_rows("17", rental=(20, 8, 2), own=1000) + _region_rows("18", drop={("2023-06", "sjukfranvaro_timmar", "")})
    df = tidy(rows)
    t = st.comparison_table(df, ["17", "18", "24"], "2023-12").set_index("Region")
    assert list(t.index) == ["Region Värmland", "Region Örebro län", "Region Västerbotten"]
    assert t.loc["Region Värmland", "Hyrpersonal R12"] == pytest.approx(360)
    assert t.loc["Region Värmland", "SKR-mått R12"] == pytest.approx(3.0)
    assert math.isnan(t.loc["Region Örebro län", "Sjukfrånvaro R12"])
    assert "juni 2023" in t.loc["Region Örebro län", "Anmärkning"]
    assert t.loc["Region Västerbotten", "Närvarotid R12 med hyrpersonal"] == pytest.approx(105)
    assert t.loc["Region Västerbotten", "Hyrpersonal, förändring på ett år"] == pytest.approx(0.0)
    assert set(st.COMPARISON_UNITS) <= set(t.columns)
    text = st.comparison_reading(t.reset_index())
    assert "december 2023" in text and "ingen region är inom målet" in text
    assert st.comparison_month(df, ["17", "18", "24"]) == M("2023-12")
    # On example data the reading ranks no region and states no level.
    example = st.comparison_table(df.assign(example=True), ["17", "18", "24"], "2023-12")
    text = st.comparison_reading(example)
    assert text.startswith("Exempeldata:") and "högst" not in text and "%" not in text


def test_seed_comparison_uses_the_stated_period():
    rows = _region_rows(n=17)
    df = tidy(rows)
    stated = tidy([("24", "region", "hyrpersonal_kostnad_forandring_ack", "lakare", "2023-05", 8)])
    stated["source"] = "004_7558975c560e3342.txt, bild …"
    both = pd.concat([df, stated], ignore_index=True)
    out = st.seed_comparison(both, "24")
    assert len(out) == 1
    assert out.loc[0, "Enligt källan"] == 8
    assert out.loc[0, "Beräknat ur månadsuppgifterna"] == pytest.approx(0.0)  # flat test data: no change
    assert out.loc[0, "Skillnad"] == pytest.approx(-8.0)
    assert "januari–maj 2023 mot samma period 2022" in out.loc[0, "Uppgift"]
    assert out.loc[0, "källa"].startswith("004_7558975c560e3342.txt")
    assert st.seed_comparison(df, "17").empty
    # Example monthly data is never set beside a document's figure: it would read as a confirmation.
    example = both.copy()
    example.loc[example["series"] == "hyrpersonal_kostnad", "example"] = True
    assert st.seed_comparison(example, "24").empty


def test_stated_figures_keep_the_source_precision_and_skip_example_rows():
    rows = [("24", "region", "hyrpersonal_kostnad_forandring_ack", "lakare", "2023-05", 8),
            ("24", "region", "hyrpersonal_kostnad_forandring_ack_procent", "lakare", "2023-05", 9),
            ("24", "region", "hyrpersonal_kostnad_forandring_ack", "sjukskoterskor_barnmorskor", "2023-05", 3.9),
            ("24", "region", "hyrpersonal_kostnad_forandring_ack_procent", "sjukskoterskor_barnmorskor", "2023-05", 14),
            ("24", "Hälso- och sjukvården", "hyrpersonal_kostnad_forandring_ack", "", "2024-12", -79),
            ("24", "region", "hyrpersonal_kostnad_ack", "lakare", "2020-06", 74.3)]
    df = tidy(rows)
    fake = tidy([("24", "region", "hyrpersonal_kostnad_forandring_ack", "ovriga", "2023-05", 5)]).assign(example=True)
    t = st.stated_figures(pd.concat([df, fake], ignore_index=True), "24")
    assert len(t) == 4  # the example row is not a stated figure
    change = dict(zip(t["Personalgrupp"] + " " + t["Period"], t["Förändring mot samma period året före"].map(plain)))
    assert change["Läkare januari–maj 2023"] == "+8 mnkr (+9 %)"
    assert change["Sjuksköterskor/barnmorskor januari–maj 2023"] == "+3,9 mnkr (+14 %)"
    assert change["Alla personalgrupper helåret 2024"] == "-79 mnkr"
    assert plain(t.loc[t["Period"] == "januari–juni 2020", "Kostnad"].iloc[0]) == "74,3 mnkr"
    assert t.loc[t["Period"] == "helåret 2024", "Verksamhet"].iloc[0] == "Hälso- och sjukvården"
    assert list(t["Period"]) == ["januari–juni 2020", "januari–maj 2023", "januari–maj 2023", "helåret 2024"]
    assert "Kostnad" not in st.stated_hidden(t)  # one row states a cost
    changes_only = st.stated_figures(df[df["series"] != "hyrpersonal_kostnad_ack"], "24")
    assert set(st.stated_hidden(changes_only)) == {*st.STATED_HIDDEN, "Kostnad"}
    text = plain(st.stated_reading(t, "24"))
    assert "+8 mnkr (+9 %)" in text and "Verkliga uppgifter" in text
    assert "inga belopp" in st.stated_reading(st.stated_figures(df, "17"), "17")


def test_example_text_is_computed_from_the_data():
    real = tidy(_region_rows())
    assert st.example_text(real, "24") == ""  # a region's own data: no claim of example data
    assert not st.chart_example(real, "24", "hyrpersonal")
    example = real.assign(example=True)
    assert "bygger på exempeldata" in st.example_text(example, "24")
    mixed = real.copy()
    mixed.loc[mixed["series"] == "sjukfranvaro_timmar", "example"] = True
    text = st.example_text(mixed, "24")
    assert "Exempeldata, inte verkliga siffror för Region Västerbotten: sjukfrånvaro;" in text
    assert "Verkliga månadsuppgifter: hyrpersonal per personalgrupp" in text
    assert st.chart_status(mixed, "24", "sjukfranvaro") == "blandad"
    assert st.chart_status(mixed, "24", "skr") == "verklig"
    assert st.chart_status(real, "17", "skr") == "saknas"


def test_readings_of_example_charts_state_no_amount_level_or_ranking():
    df = tidy(_region_rows())
    dec = M("2023-12")
    readings = [
        st.rental_reading(st.rental_r12(df, "24"), "24", dec, example=True),
        st.area_reading(st.rental_r12(df, "24", by="org"), "24", dec, example=True),
        st.skr_reading(st.skr_r12(df, "24"), "24", dec, example=True),
        st.sick_leave_reading(st.sick_leave_r12(df, "24"), "24", dec, example=True),
        st.presence_reading(st.presence_r12(df, "24"), "24", dec, example=True),
    ]
    for text in readings:
        assert text.startswith("Exempeldata:"), text
        # No number other than the years of the months named.
        assert not re.search(r"\d", re.sub(r"\b20\d\d\b|R12", "", text)), text
        for word in ("mnkr", "%", "störst", "högst", "större än", "över målvärdet", "ökade", "minskade", "mer än"):
            assert word not in text, (word, text)
    # The same chart from real data states the level.
    assert "180 mnkr" in plain(st.rental_reading(st.rental_r12(df, "24"), "24", dec))


# --- charts ------------------------------------------------------------------------------


def test_charts_draw_and_return_none_without_data():
    df = tidy(_region_rows(drop={("2023-03", "sjukfranvaro_timmar", "")}))
    events = pd.DataFrame([{"region": "24", "org": "region", "start": pd.Timestamp("2023-02-01"), "end": pd.Timestamp("2023-08-31"), "event": "stopp", "label": "Anställningsstopp", "source": "test"}])
    figs = [
        charts.rental_chart(st.rental_r12(df, "24"), "24", events),
        charts.area_chart(st.rental_r12(df, "24", by="org"), "24", events),
        charts.skr_chart(st.skr_r12(df, "24"), "24", events),
        charts.sick_leave_chart(st.sick_leave_r12(df, "24"), "24", events),
        charts.presence_chart(st.presence_r12(df, "24"), "24", events),
    ]
    assert all(isinstance(f, Figure) for f in figs)
    legend_texts = [t.get_text() for t in figs[0].legends[0].get_texts()]
    assert "(1) 1 feb 2023: Anställningsstopp" in legend_texts
    skr_ax = figs[2].axes[0]
    assert any(abs(line.get_ydata()[0] - 2.0) < 1e-9 for line in skr_ax.get_lines() if len(line.get_ydata()) == 2)
    assert any("R12 saknas" in t.get_text() for t in figs[3].axes[0].texts)  # the gap is labelled
    empty = tidy(_region_rows("17"))
    assert charts.rental_chart(st.rental_r12(empty, "24"), "24") is None
    assert charts.skr_chart(st.skr_r12(empty, "24"), "24") is None
    assert charts.sick_leave_chart(st.sick_leave_r12(empty, "24"), "24") is None
    assert charts.presence_chart(st.presence_r12(empty, "24"), "24") is None
    for f in figs:
        plt.close(f)


# --- on the shipped example data -----------------------------------------------------------


def test_shipped_example_data_gives_r12_for_all_three_regions(seed_df):
    t = st.comparison_table(seed_df, ["17", "18", "24"], "2023-12")
    assert t[["Hyrpersonal R12", "SKR-mått R12", "Sjukfrånvaro R12", "Närvarotid R12 med hyrpersonal"]].notna().all().all()
    assert st.is_example(seed_df, ["17", "18", "24"])
    # Örebro's example sick leave lacks July 2022 on purpose: R12 is missing for a year, with the reason.
    gaps = st.r12_gap_table(seed_df, "18")
    assert list(gaps["R12 saknas för"]) == ["juli 2022–juni 2023"]
    assert "juli 2022" in gaps.loc[0, "Orsak"]


@pytest.mark.slow
def test_notebook_runs_for_the_region_with_a_gap(tmp_path):
    """03_bemanning end to end for Örebro (whose example sick leave has a gap)."""
    import papermill

    from regionanalys import config

    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(config.NOTEBOOKS_DIR / "03_bemanning.ipynb"), str(out), parameters={"region": "18", "year": 2023}, kernel_name=config.KERNEL_NAME, progress_bar=False)
    text = out.read_text(encoding="utf-8")
    assert "data-exempeldata" in text  # the banner
    assert text.count("data:image/png;base64,") == 5
    assert "juli 2022–juni 2023" in text  # the gap is explained on the page


def test_comparison_caption_names_the_month():
    df = tidy(_region_rows("24"))
    t = st.comparison_table(df, ["24"])
    assert st.comparison_caption(t) == "Bemanning i jämförelse, rullande tolv månader till och med december 2023"
    none = st.comparison_table(df, ["17"])
    assert "inga jämförbara" in st.comparison_caption(none)
    assert none["Anmärkning"].iloc[0] == "inga månadsuppgifter om bemanning"


def test_a_decision_for_the_coming_year_is_marked_at_the_right_edge():
    """Västerbotten's HSN budget 2024 (from 1 January 2024) on a chart that ends in December 2023."""
    df = tidy(_region_rows())
    events = pd.DataFrame([
        {"region": "24", "org": "Hälso- och sjukvårdsnämnden", "start": pd.Timestamp("2024-01-01"), "end": pd.NaT,
         "event": "budget", "label": "HSN:s budget 2024 reduceras", "source": "test"},
        {"region": "24", "org": "region", "start": pd.Timestamp("2024-02-01"), "end": pd.NaT,
         "event": "later", "label": "Senare beslut", "source": "test"},
        {"region": "17", "org": "region", "start": pd.Timestamp("2023-06-01"), "end": pd.NaT,
         "event": "other", "label": "Annan region", "source": "test"},
    ])
    fig = charts.rental_chart(st.rental_r12(df, "24", until="2023-12"), "24", events)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "(1) 1 jan 2024: HSN:s budget 2024 reduceras" in labels
    assert not any("Senare beslut" in t or "Annan region" in t for t in labels)
    plt.close(fig)
