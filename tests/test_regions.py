import pytest

from regionanalys.data.regions import REGIONS, RIKET, UnknownRegionError, all_regions, region, resolve_region


def test_registry_has_the_21_regions_and_riket():
    assert len(all_regions()) == 21
    assert RIKET in REGIONS and len(all_regions(include_riket=True)) == 22
    assert all(len(code) == 2 and code.isdigit() for code in REGIONS)


@pytest.mark.parametrize(
    "given, code",
    [
        ("17", "17"), (17, "17"), ("0017", "17"), ("Region Värmland", "17"), ("värmland", "17"),
        ("Varmland", "17"), ("Region Örebro län", "18"), ("Orebro lan", "18"), ("Örebro län", "18"),
        ("Västerbotten", "24"), ("0024", "24"), ("Västra Götalandsregionen", "14"), ("1", "01"),
        ("Riket", "00"), ("0000", "00"), ("Jämtland Härjedalen", "23"), ("Värmlands län", "17"),
    ],
)
def test_resolve_region_accepts_codes_kolada_ids_and_names(given, code):
    assert resolve_region(given) == code


@pytest.mark.parametrize("bad", ["99", "Region Atlantis", "", "../17", "17; drop"])
def test_unknown_region_is_a_clear_error(bad):
    with pytest.raises(UnknownRegionError, match="okänd region"):
        resolve_region(bad)


def test_kolada_id_is_00_plus_county_code():
    assert region("Värmland").kolada_id == "0017"
    assert region("riket").kolada_id == "0000"
