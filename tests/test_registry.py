import tomllib

import pytest

from regionanalys import config
from regionanalys.data.registry import (
    KINDS, UNITS, RegistryError, get_series, resolve_unit, series_registry,
)


def test_every_series_has_label_unit_definition_and_ascii_id():
    reg = series_registry()
    assert len(reg) >= 20
    for sid, s in reg.items():
        assert sid.isascii() and sid == sid.lower()
        assert s.label and s.definition
        assert s.unit in UNITS


def test_series_ids_are_defined_once_across_domain_files():
    seen = {}
    for path in config.REGISTRY_DIR.glob("*.toml"):
        for sid in tomllib.loads(path.read_text(encoding="utf-8")):
            assert sid not in seen, f"{sid} i både {seen.get(sid)} och {path.name}"
            seen[sid] = path.name


def test_duplicate_series_across_files_is_refused(tmp_path, monkeypatch):
    (tmp_path / "a.toml").write_text('[x]\nlabel="X"\nunit="mnkr"\ndefinition="d"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('[x]\nlabel="X"\nunit="mnkr"\ndefinition="d"\n', encoding="utf-8")
    monkeypatch.setattr(config, "REGISTRY_DIR", tmp_path)
    series_registry.cache_clear()
    try:
        with pytest.raises(RegistryError, match="redan definierad"):
            series_registry()
    finally:
        monkeypatch.undo()
        series_registry.cache_clear()


def test_unknown_series_names_the_known_ones():
    with pytest.raises(KeyError, match="nettokostnader"):
        get_series("nettokostnad")


@pytest.mark.parametrize("text, unit", [("Mkr", "mnkr"), ("tkr", "tkr"), ("%", "procent"), ("kr/inv", "kr_per_inv"), ("årsarbetare", "arsarbetare")])
def test_unit_aliases(text, unit):
    assert resolve_unit(text) == unit


def test_money_units_convert_to_mnkr():
    assert UNITS["tkr"].factor / UNITS["mnkr"].factor == pytest.approx(0.001)
    assert UNITS["kr"].family == UNITS["mnkr"].family == "pengar"


def test_kinds_cover_outcome_budget_forecast_plan_and_savings_statuses():
    assert {"utfall", "budget", "prognos", "plan", "krav", "beslut", "budgetavvikelse"} <= set(KINDS)
