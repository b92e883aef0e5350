"""The seed figures in data/ match the documents (spot checks of each document)."""
import pytest

from regionanalys.analysis import deficits
from regionanalys.analysis.indicators import select, value_at


def test_every_row_names_its_source_document(seed_df):
    seeds = seed_df[seed_df["source_file"].str.startswith("seeds/")]
    docs = ("000_", "001_", "003_", "004_", "SCB")
    assert seeds["source"].map(lambda s: s.startswith(docs)).all()
    assert not seeds["example"].any()


@pytest.mark.parametrize(
    "series, year, kind, value",
    [("nettokostnader", 2023, "utfall", 11776), ("nettokostnader", 2022, "utfall", 10478),
     ("skatt_statsbidrag", 2023, "utfall", 11298), ("skatt_statsbidrag", 2022, "utfall", 10798),
     ("verksamhetens_resultat", 2023, "utfall", -478), ("verksamhetens_resultat", 2022, "utfall", 319),
     ("verksamhetens_resultat", 2023, "budgetavvikelse", -613), ("finansiella_kostnader", 2023, "utfall", 400),
     ("balanserat_resultat", 2023, "utfall", -878), ("balanserat_resultat", 2023, "prognos", -937)],
)
def test_varmland_result_2023(seed_df, series, year, kind, value):
    assert value_at(seed_df, series, "17", year, kind=kind) == value


def test_orebro_ocr_decimals_corrected_with_reason(seed_df):
    rows = select(seed_df, region="18", org="Servicenämnden", series="intakter", kind="prognos", year=2023)
    assert set(rows["value"]) == {2394.5}
    assert rows["source"].str.contains("OCR '23945'").all()
    assert rows["note"].str.contains("OCR-korrigerat").all()


def test_orebro_handlingsplan_converted_from_tkr_with_provenance(seed_df):
    total = select(seed_df, region="18", org="Servicenämnden", series="besparing", kind="plan", category="", year=2024)
    assert total["value"].item() == pytest.approx(84.754)
    assert "omräknat från tkr till mnkr" in total["source"].item()


def test_orebro_requirement_628_and_629_both_kept(seed_df):
    rows = select(seed_df, region="18", org="region", series="besparing", kind="krav")
    assert sorted(rows["value"]) == [628, 629]
    assert rows["source"].nunique() == 2


def test_vasterbotten_rental_staff_and_admin_cut(seed_df):
    rows = select(seed_df, region="24", series="hyrpersonal_kostnad_forandring_ack")
    assert dict(zip(rows["category"], rows["value"])) == {"lakare": 8, "sjukskoterskor_barnmorskor": 3.9}
    cut = select(seed_df, region="24", series="besparing", kind="krav")
    assert dict(zip(cut["org"], cut["value"])) == {
        "region": 100, "Hälso- och sjukvårdsnämnden": 58, "Regionstyrelsen": 32, "Regionala utvecklingsnämnden": 8}


def test_population_from_scb(seed_df):
    assert value_at(seed_df, "befolkning", "24", 2024) == 281138
    assert value_at(seed_df, "befolkning", "00", 2023) == 10551707


def test_cost_revenue_growth_matches_the_slide(seed_df):
    table = deficits.cost_revenue_table(seed_df, "17")
    last = table.iloc[-1]
    assert round(last["kostnadsökning_pct"]) == 12
    assert round(last["intäktsökning_pct"], 1) == 4.6
