"""Property-based tests (Hypothesis) of the data layer's parsers and whole files.

Whatever the input, the parsers either return a value or raise the project's own error
(:class:`CellError` for a cell, :class:`UnknownRegionError` for a region, a located
:class:`Problem` list / :class:`DataError` for a file); every number and period the
project writes reads back unchanged. Profiles: ``ci`` (default, small) and ``nightly``
(``pytest --hypothesis-profile=nightly tests/test_properties.py``), registered in conftest.
"""
from __future__ import annotations

import csv
import io
import math
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import regionanalys as ra
from regionanalys.data.formatting import fmt_number, month_abbr, month_name
from regionanalys.data.parsing import (
    MAX_ABS,
    CellError,
    normalize_name,
    parse_number,
    parse_period,
)
from regionanalys.data.regions import REGIONS, UnknownRegionError, resolve_region
from regionanalys.data.validation import DataError, Problem

#: Text built from the characters that matter to the parsers, plus anything at all.
_ALPHABET = st.sampled_from(list("0123456789 ,.-+()=@\t\u2212\u2013\u00a0\u202f\u200b/ejanmåäöQMx%\x00\n\r\""))
cell_text = st.one_of(st.text(_ALPHABET, max_size=20), st.text(max_size=20))


#: Each cell parser, and what a value it returns must be.
_PARSERS = {
    "parse_number": (parse_number, lambda v: isinstance(v, float) and math.isfinite(v) and abs(v) < MAX_ABS),
    "parse_period": (parse_period, lambda p: isinstance(p, pd.Period) and 1990 <= p.year <= 2100),
}


@pytest.mark.parametrize("parser", sorted(_PARSERS))
@given(text=cell_text)
def test_cell_parsers_return_a_valid_value_or_a_cell_error(parser, text):
    parse, valid = _PARSERS[parser]
    try:
        value = parse(text)
    except CellError as e:
        assert e.message and e.expected
    else:
        assert valid(value), repr(value)


@given(st.integers(min_value=-(10**14), max_value=10**14), st.integers(min_value=0, max_value=3), st.booleans())
def test_numbers_round_trip_through_the_swedish_formatter(n, decimals, sign):
    value = n / 10**decimals
    text = fmt_number(value, decimals, sign=sign)
    assert parse_number(text) == value, text


@given(st.integers(min_value=1990, max_value=2100), st.integers(min_value=1, max_value=12), st.integers(0, 4))
def test_periods_round_trip_in_every_form_the_project_writes(year, month, form):
    period = pd.Period(year=year, month=month, freq="M")
    text = [str(period), f"{month_name(month)} {year}", f"{month_abbr(month)} {year}",
            f"{year}{month:02d}", f"{year}-{month:02d}-01"][form]
    assert parse_period(text) == period
    assert parse_period(str(pd.Period(year=year, freq="Y"))) == pd.Period(year=year, freq="Y")


@given(cell_text)
def test_resolve_region_returns_a_code_or_its_own_error(text):
    try:
        code = resolve_region(text)
    except UnknownRegionError:
        pass
    else:
        assert code in REGIONS


@given(st.sampled_from(sorted(REGIONS)), st.integers(0, 3), st.booleans())
def test_every_region_name_resolves_to_its_code(code, which, upper):
    r = REGIONS[code]
    text = [r.code, r.name, r.short, r.kolada_id][which]
    assert resolve_region(text.upper() if upper else text) == code


@given(cell_text)
def test_names_normalize_idempotently_or_raise_a_cell_error(text):
    try:
        name = normalize_name(text)
    except CellError as e:
        assert "osynligt tecken" in e.message
    else:
        assert normalize_name(name) == name
        assert unicodedata.is_normalized("NFC", name)
        assert "  " not in name and name == name.strip()


# --- whole files -----------------------------------------------------------------------

_HEADER = ["region", "org", "series", "category", "period", "kind", "value", "unit", "source", "note"]
_ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252"]
_SETTINGS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)


def _validate_bytes(tmp_path: Path, raw: bytes) -> list[Problem]:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "x.csv").write_bytes(raw)
    problems = ra.validate(data)
    assert all(isinstance(p, Problem) and p.file and p.expected for p in problems)
    try:
        ra.load(data)
    except DataError as e:
        assert e.problems and all(p.is_error for p in e.problems)
    return problems


@_SETTINGS
@given(raw=st.binary(max_size=400))
def test_random_bytes_give_located_problems_never_a_traceback(tmp_path, raw):
    _validate_bytes(tmp_path, raw)


@_SETTINGS
@given(lines=st.lists(st.lists(cell_text, min_size=0, max_size=12), max_size=5), sep=st.sampled_from([";", ",", "\t"]),
       encoding=st.sampled_from(_ENCODINGS))
def test_random_rows_give_located_problems_never_a_traceback(tmp_path, lines, sep, encoding):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep)
    writer.writerow(_HEADER)
    writer.writerows(lines)
    try:
        raw = buf.getvalue().encode(encoding)
    except UnicodeEncodeError:
        raw = buf.getvalue().encode("utf-8")
    _validate_bytes(tmp_path, raw)


_ORGS = ["region", "Område IT", "Hälso- och sjukvårdsnämnden", "Servicenämnden"]


@_SETTINGS
@given(
    values=st.lists(st.tuples(st.integers(-(10**12), 10**12), st.integers(0, 2)), min_size=1, max_size=8),
    region=st.sampled_from(["17", "18", "24", "Region Värmland", "Örebro län", "0024"]),
    org=st.sampled_from(_ORGS), sep=st.sampled_from([";", ",", "\t"]), encoding=st.sampled_from(_ENCODINGS),
    crlf=st.booleans(),
)
def test_generated_files_load_to_the_values_written(tmp_path, values, region, org, sep, encoding, crlf):
    """Swedish-formatted numbers in any accepted encoding and separator read back exactly."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(_HEADER)
    expected = {}
    for i, (n, d) in enumerate(values):
        year = 2000 + i
        value = n / 10**d
        text = fmt_number(value, d)
        if encoding == "cp1252":
            text = text.replace("\u2212", "-")  # cp1252 has no Unicode minus
        writer.writerow([region, org, "verksamhetens_resultat", "", str(year), "utfall", text, "mnkr", "Dok, sid 1", ""])
        expected[str(year)] = value
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "x.csv").write_bytes(buf.getvalue().encode(encoding))
    df = ra.load(data)
    assert dict(zip(df["period"].astype(str), df["value"])) == expected
    assert set(df["org"]) == {org} and set(df["region"]) == {resolve_region(region)}


@pytest.mark.parametrize("profile", ["ci", "nightly"])
def test_profiles_are_registered(profile):
    assert settings.get_profile(profile).max_examples > 0
    assert settings.get_profile("nightly").max_examples > settings.get_profile("ci").max_examples
