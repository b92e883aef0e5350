""""Det viktigaste": key figures come from real rows only and say what they are."""
from __future__ import annotations

import pandas as pd
import pytest

import regionanalys as ra
from regionanalys.analysis.keyfigures import data_through, key_figures, key_points


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return ra.load()


def _text(points: list[str]) -> str:
    return " ".join(points).replace("\xa0", " ")


def test_varmland_operating_and_bottom_line(df):
    kf = key_figures(df, "17", 2023)
    assert kf.operating.value == -478 and kf.operating_previous.value == 319
    assert kf.result.series == "balanserat_resultat" and kf.result.value == -878
    text = _text(key_points(kf))
    assert "Prognosen var −937 mnkr; utfallet blev −878 mnkr." in text
    assert "ökade med 12 % " in text  # the source's precision, not 12,4 %
    assert "400 mnkr ännu inte specificerat" in text
    assert 3 <= len(key_points(kf)) <= 5


def test_orebro_requirement_counted_once_and_forecast_dated(df):
    text = _text(key_points(key_figures(df, "18", 2023)))
    assert text.count("628 mnkr") == 1 and "629 i handlingsplanen" in text
    assert "Prognosen per 2023-10-19" in text
    assert "återställas inom tre år" in text


def test_no_amount_from_example_data(df):
    fake = df.copy()
    # An example row that would be the "best" result if example data were used.
    row = fake[(fake["region"] == "24")].iloc[0].copy()
    row[["series", "org", "category", "kind", "unit", "value", "example"]] = [
        "arets_resultat", "region", "", "utfall", "mnkr", 12345.0, True]
    row["period"], row["year"], row["freq"] = pd.Period("2023", "Y"), 2023, "Y"
    fake = pd.concat([fake, row.to_frame().T], ignore_index=True)
    kf = key_figures(fake, "24", 2023)
    assert kf.result is None
    assert "12 345" not in _text(key_points(kf))


def test_data_through_per_source_kind(df):
    through = data_through(df, "17")
    assert through["dokumenten"] == "2023"
    assert "exempeldata" in through
