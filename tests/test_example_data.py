"""The generated example data: reproducible byte for byte, marked as example, calibrated
to Västerbotten's stated rental-staff figures, and consistent with the data contract."""
import pandas as pd
import pytest

import regionanalys as ra
from regionanalys import config
from regionanalys.data import example_data as ex
from regionanalys.analysis import staffing as st
from regionanalys.data.formatting import fmt_mnkr, fmt_pct, plain
from regionanalys.data.validation import KEY

EXAMPLE_FILES = sorted((config.DATA_DIR / ex.EXAMPLE_DIR).glob("*.csv"))


def test_committed_files_are_identical_to_a_fresh_regeneration():
    assert [p.name for p in EXAMPLE_FILES] == [ex.file_name(r) for r in ex.REGIONS]
    assert ex.check() == [], "kör: python -m regionanalys.data.example_data"


def test_writing_to_another_data_dir_gives_the_same_bytes(tmp_path):
    paths = ex.write(tmp_path)
    for path in paths:
        assert path.read_bytes() == (config.DATA_DIR / ex.EXAMPLE_DIR / path.name).read_bytes()
    assert ex.main(["--data-dir", str(tmp_path), "--check"]) == 0
    paths[0].write_text("ändrad", encoding="utf-8")
    assert ex.main(["--data-dir", str(tmp_path), "--check"]) == 1


@pytest.fixture(scope="module")
def example_df(seed_df):
    return seed_df[seed_df["source_file"].str.startswith(f"{ex.EXAMPLE_DIR}/")]


def test_every_row_is_marked_and_names_the_generator(example_df):
    assert example_df["example"].all()
    base = example_df["source"].str.replace(r" \[omräknat.*\]$", "", regex=True)
    assert (base == ex.SOURCE).all()
    assert "regionanalys.data.example_data" in ex.SOURCE and str(ex.SEED) in ex.SOURCE


def test_size_period_and_regions(example_df):
    counts = example_df.groupby("region").size()
    assert dict(counts) == {"17": 720, "18": 719, "24": 720}  # 60 months × 12 series rows; 18 lacks one month on purpose
    assert (counts <= 3000).all()
    assert example_df["period"].min() == pd.Period("2020-01", freq="M")
    assert example_df["period"].max() == ex.END == pd.Period("2024-12", freq="M")
    assert set(example_df["series"]) == set(st.STAFFING_SERIES)


def test_no_key_collides_with_real_rows(seed_df, example_df):
    real = seed_df[~seed_df["example"]]
    keys = lambda d: set(map(tuple, d[list(KEY)].astype(str).to_numpy()))  # noqa: E731
    assert not keys(real) & keys(example_df)


def test_vasterbotten_reproduces_the_stated_change_jan_may_2023(seed_df):
    """004_7558975c560e3342.txt: läkare + 8 mkr (ökning 9 %), ssk/barnmorskor + 3,9 mkr (ökning 14 %)."""
    t = st.same_period_table(seed_df, "24", "2023-05").set_index("indikator")
    lak, ssk = t.loc["Hyrpersonal, läkare"], t.loc["Hyrpersonal, sjuksköterskor/barnmorskor"]
    assert plain(fmt_mnkr(lak["forandring"], 0)) == "8 mnkr"
    assert plain(fmt_pct(lak["forandring_pct"], 0)) == "9 %"
    assert plain(fmt_mnkr(ssk["forandring"], 1)) == "3,9 mnkr"
    assert plain(fmt_pct(ssk["forandring_pct"], 0)) == "14 %"
    # And against the seed rows themselves, which the report shows beside them.
    stated = seed_df[(seed_df["region"] == "24") & (seed_df["series"] == st.SEED_CHANGE)].set_index("category")["value"]
    assert round(lak["forandring"], 0) == stated["lakare"]
    assert round(ssk["forandring"], 1) == stated["sjukskoterskor_barnmorskor"]


def test_areas_add_up_to_the_region_and_hours_are_consistent(example_df):
    rental = example_df[example_df["series"] == "hyrpersonal_kostnad"]
    for region, g in rental.groupby("region"):
        parts = g[g["org"] == "region"].groupby("period")["value"].sum()
        areas = g[g["org"] != "region"].groupby("period")["value"].sum()
        assert set(g.loc[g["org"] != "region", "org"]) == set(ex.AREAS)
        assert (parts - areas).abs().max() < 1e-9, region
    hours = example_df.pivot_table(index=["region", "period"], columns=["series", "category"], values="value")
    assert (hours[("sjukfranvaro_timmar", "")].dropna() < hours[("ordinarie_arbetstid_timmar", "")].reindex(hours[("sjukfranvaro_timmar", "")].dropna().index)).all()
    assert (hours[("narvarotid_timmar", "egen_personal")] < hours[("ordinarie_arbetstid_timmar", "")]).all()


def test_plausible_levels(seed_df):
    t = st.comparison_table(seed_df, ex.REGIONS, "2023-12").set_index("Region")
    assert t["SKR-mått R12"].between(2, 7).all()
    assert t["Sjukfrånvaro R12"].between(5, 8).all()
    assert t["Närvarotid R12 utan hyrpersonal"].between(7_000, 11_000).all()


def test_the_deliberate_gap_is_a_listed_warning_not_an_error():
    problems = [p for p in ra.validate() if p.file.startswith(f"{ex.EXAMPLE_DIR}/")]
    assert len(problems) == 1 and not problems[0].is_error
    assert "2022-07" in problems[0].message and "sjukfranvaro_timmar" in problems[0].message
