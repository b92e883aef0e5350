"""The shipped Kolada KPI catalogue, the client's KPI map checked against it, `list kpis`.

The catalogue (src/regionanalys/kolada/kpi_catalogue.csv) is Kolada's own text; these
tests read the client's assumptions (titles, units, signs, population dates) against it.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from regionanalys.cli import app
from regionanalys.data.registry import get_series
from regionanalys.kolada import client as K
from regionanalys.kolada.catalogue import (
    CATALOGUE_FILE, build_catalogue, kpi_catalogue, population_date_of, search_kpis, unit_of,
)

SHARED = Path("/work/shared/kolada/region_kpis.csv")
CAT = kpi_catalogue()

# catalogue unit (read from Kolada's title) -> the registry units a series may have
UNITS = {
    "kr/inv": {"kr_per_inv"},
    "(%)": {"procent"}, "andel (%)": {"procent"}, "årlig förändring (%)": {"procent"},
    "andel (%) av skatter och generella statsbidrag": {"procent"}, "andel (%) av skatter och statsbidrag": {"procent"},
    "antal": {"personer", "arsarbetare"},
}


def test_the_catalogue_ships_with_the_library_and_is_small():
    assert CATALOGUE_FILE.is_file() and CATALOGUE_FILE.stat().st_size < 1_000_000
    assert len(CAT) == 1319 and all(k.title and k.description for k in CAT.values())
    assert CAT["N01951"].title == "Invånare totalt, antal" and CAT["N01951"].is_divided_by_gender


@pytest.mark.skipif(not SHARED.is_file(), reason="the shared rKolada export is not on this machine")
def test_the_shipped_catalogue_is_what_build_catalogue_makes_of_the_shared_export(tmp_path):
    target = tmp_path / "cat.csv"
    assert build_catalogue(SHARED, target) == 1319
    assert target.read_bytes() == CATALOGUE_FILE.read_bytes()


@pytest.mark.parametrize("kpi", list(K.KPIS))
def test_every_kpi_of_the_client_is_in_the_catalogue_with_kolada_s_title(kpi):
    spec = K.KPIS[kpi]
    assert kpi in CAT, f"{kpi} finns inte i Koladas katalog"
    assert spec.title == CAT[kpi].title


@pytest.mark.parametrize("kpi", list(K.KPIS))
def test_the_series_unit_fits_the_unit_in_kolada_s_title(kpi):
    unit = CAT[kpi].unit
    assert unit in UNITS, f"{kpi}: okänd enhet {unit!r} i katalogen"
    assert get_series(K.KPIS[kpi].series).unit in UNITS[unit]


def test_only_n63012_is_negative_by_definition_and_only_it_is_flipped():
    negative = {k for k, c in CAT.items() if "blir negativ" in c.description}
    assert "N63012" in negative
    assert {k for k, s in K.KPIS.items() if s.sign < 0} == negative & set(K.KPIS) == {"N63012"}


def test_derived_mnkr_use_only_kr_per_inv_kpis_divided_by_the_31_december_population():
    used = {k for d in K.DERIVED for k in d.kpis}
    assert used == {"N63012", "N63010", "N63011", "N63019", "N63132", "N63000"}
    for k in used:
        assert CAT[k].unit == "kr/inv" and CAT[k].population_date == "31/12", k
    assert CAT[K.POPULATION_KPI].population_date == "31/12"
    # these divide by the population of 1 November: never multiplied by N01951
    for k in ("N63145", "N63148", "N63149"):
        assert CAT[k].population_date == "1 nov", k
        assert k not in used


def test_the_default_comparison_set_is_fetched():
    wanted = {"N60008", "N63012", "N63148", "N63009", "N63019", "N63016", "N63132", "N63147", "N63142",
              "N63000", "N63001", "N60030", "N60065", "N01951"}
    assert wanted <= set(K.KPIS)
    assert CAT["N63147"].title.startswith("Balanskravsresultat, andel (%)")
    assert CAT["N63142"].title.startswith("Verksamhetens resultat")
    # split by gender in Kolada: the client keeps T (tested with recorded responses in test_kolada.py)
    assert {k for k in K.KPIS if CAT[k].is_divided_by_gender} == {"N60030", "N60065", "N01951"}


def test_kolada_has_no_hired_staff_or_presence_time_measure():
    text = {k: (c.title + " " + c.description).casefold() for k, c in CAT.items()}
    for word in ("hyrpersonal", "inhyrd personal", "bemanningsföretag", "närvarotid"):
        assert not [k for k, t in text.items() if word in t], word
    hired = {k for k, t in text.items() if "inhyrd" in t}
    assert hired >= {"U60002", "U60808", "U60810"}
    assert all("lokal" in text[k] or "fastighet" in text[k] for k in hired)  # premises only
    assert "hyrpersonal" in K.NOT_IN_KOLADA and "närvarotid" in K.NOT_IN_KOLADA


#: What the catalogue reads from Kolada's own texts: the unit from a title, the population
#: date from a description.
@pytest.mark.parametrize("read, text, expected", [
    (unit_of, "Årets resultat region, kr/inv", "kr/inv"),
    (unit_of, "Årets resultat som andel av skatt & generella statsbidrag region, (%)", "(%)"),
    (unit_of, "Regionens köp av tandvård från privata utförare, andel (%) (-2024)", "andel (%)"),
    (unit_of, "Medarbetarengagemang (HME) totalt regionen - Totalindex", ""),
    (population_date_of, "Årets resultat region, mnkr dividerat med Antal invånare totalt 31/12 år T. Källa: SCB.", "31/12"),
    (population_date_of, "Finansiella intäkter minus finansiella kostnader dividerat med antalet invånare 1 nov. Kopplad", "1 nov"),
    (population_date_of, "Förändring av nettokostnad per invånare. Antalet invånare avser 1 nov. Källa: SKR", "1 nov"),
    (population_date_of, "Verksamhetens resultat dividerat med skatter och statsbidrag.", ""),
])
def test_unit_and_population_date_read_from_kolada_texts(read, text, expected):
    assert read(text) == expected


def test_build_catalogue_names_the_bad_row(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(
        "id,title,description,municipality_type,operating_area,is_divided_by_gender,publ_period,publication_date,has_ou_data\n"
        "N63019,\"Årets resultat region, kr/inv\",Årets resultat.\\n,L,Ekonomi,False,2025.0,2026-05-05,False\n"
        "N6301,Fel,x,L,Ekonomi,False,,,False\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"rad 3, kolumn id: 'N6301'"):
        build_catalogue(src, tmp_path / "out.csv")
    src.write_text(src.read_text(encoding="utf-8").splitlines()[0] + "\n" + src.read_text(encoding="utf-8").splitlines()[1] + "\n", encoding="utf-8")
    assert build_catalogue(src, tmp_path / "out.csv") == 1
    out = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert out[1] == "N63019,\"Årets resultat region, kr/inv\",kr/inv,,false,Ekonomi,2025,2026-05-05,Årets resultat."


def test_search_is_case_insensitive_keeps_swedish_letters_and_needs_every_word():
    ids = lambda q, **kw: [k.id for k in search_kpis(q, **kw)]  # noqa: E731
    assert "N60030" in ids("SJUKFRÅNVARO totalt") == ids("sjukfrånvaro TOTALT")
    assert ids(unicodedata.normalize("NFD", "Årets resultat region, kr")) == ["N63019"] == ids("årets resultat region, kr")
    assert ids("arets resultat region") == []  # å is its own letter
    assert ids("n63147") == ["N63147"]
    assert len(ids(None)) == len(CAT)
    assert set(ids("hyrpersonal", in_description=True)) == set()
    assert "N63016" in ids("extraordinära poster", in_description=True) and "N63016" not in ids("extraordinära poster")


def test_cli_list_kpis_works_offline(monkeypatch):
    monkeypatch.setenv(K.BASE_URL_ENV, "http://127.0.0.1:9/v3")  # nothing listens: must not be asked
    res = CliRunner().invoke(app, ["list", "kpis", "--search", "Finansnetto"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0].startswith("* N63000  Finansnetto regionen, kr/inv  [kr/inv; senast 2025]")
    assert "  N63145  Finansnetto, kr/inv" in res.output and "antalet invånare 1 nov" in res.output
    assert lines[-1].startswith("4 nyckeltal som matchar 'Finansnetto'")
    res = CliRunner().invoke(app, ["list", "kpis", "-s", "närvarotid", "--descriptions"])
    assert res.exit_code == 0 and "0 nyckeltal" in res.output and K.NOT_IN_KOLADA in res.output
    res = CliRunner().invoke(app, ["list", "kpis"])
    assert res.exit_code == 0 and res.output.count("\n") == 2 * len(CAT) + 1
