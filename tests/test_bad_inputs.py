"""The bad-input corpus: every malformed file gives exactly the problems in
``tests/bad_inputs/expected.csv`` (file, line, column, severity and message), in Swedish
and with what was expected; odd but valid files load to the values in
``good_expected.csv``.

Decisions recorded in the table (column ``why``) and in :mod:`regionanalys.data.validation`:
an unknown column is an error; a total that differs from its parts is an error unless
the total's note starts with "Känd avvikelse:" (then a warning); a month missing inside
a monthly series is a warning. Warnings are listed by ``validate`` and do not stop
``load``.
"""
from __future__ import annotations

import csv
import importlib.util
import os
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

import regionanalys as ra
from regionanalys import config
from regionanalys.data.validation import FEL, VARNING, errors

HERE = Path(__file__).parent / "bad_inputs"
CASES = HERE / "cases"
GOOD = HERE / "good"


def _table(name: str) -> list[dict]:
    with (HERE / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


EXPECTED = _table("expected.csv")
BY_CASE: dict[str, list[dict]] = defaultdict(list)
for _row in EXPECTED:
    BY_CASE[_row["case"]].append(_row)
GOOD_EXPECTED = _table("good_expected.csv")
#: Limits some cases need: case -> config.MAX_FILE_BYTES.
MAX_BYTES = {"too_large.csv": 200}

_spec = importlib.util.spec_from_file_location("make_corpus", HERE / "make_corpus.py")
make_corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_corpus)
#: Cases built at test time (a FIFO, links, permissions), see make_corpus.SPECIAL.
SPECIAL = set(make_corpus.SPECIAL)


def _install(case: str, target: Path) -> Path:
    """Copy one case (a file or a directory) into ``target`` as a data directory."""
    if case in SPECIAL:
        if case == "special_unreadable_file" and os.geteuid() == 0:
            pytest.skip("root kan läsa alla filer")
        return make_corpus.build_special(case, target)
    src = CASES / case
    if src.is_dir():
        shutil.copytree(src, target, dirs_exist_ok=True)
    else:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, target / case)
    return target


def _matches(problem: ra.Problem, row: dict) -> bool:
    return (
        problem.file == row["file"]
        and problem.line == int(row["line"])
        and problem.column == row["column"]
        and problem.severity == row["severity"]
        and row["message"] in problem.message
    )


def test_corpus_is_complete_and_documented():
    on_disk = {p.name for p in CASES.iterdir()}
    assert on_disk | SPECIAL == set(BY_CASE), "every file in cases/ has a row in expected.csv and back"
    assert not on_disk & SPECIAL
    assert len(BY_CASE) >= 90
    assert {r["severity"] for r in EXPECTED} <= {FEL, VARNING}
    assert all(r["message"].strip() for r in EXPECTED)
    assert all(BY_CASE[c][0]["why"].strip() for c in BY_CASE), "the first row of each case says why"


@pytest.mark.parametrize("case", sorted(BY_CASE))
def test_bad_input_gives_exactly_the_expected_problems(case, tmp_path, monkeypatch):
    if case in MAX_BYTES:
        monkeypatch.setattr(config, "MAX_FILE_BYTES", MAX_BYTES[case])
    data = _install(case, tmp_path / "data")
    expected = BY_CASE[case]
    problems = ra.validate(data)

    unmatched = [r for r in expected if not any(_matches(p, r) for p in problems)]
    assert not unmatched, "saknade problem:\n" + "\n".join(map(str, unmatched)) + "\nfick:\n" + "\n".join(map(str, problems))
    extra = [p for p in problems if not any(_matches(p, r) for r in expected)]
    assert not extra, "oväntade problem:\n" + "\n".join(map(str, extra))
    for p in problems:
        assert p.expected.strip(), f"säger inte vad som förväntades: {p}"

    errors = [p for p in problems if p.severity == FEL]
    if errors:
        if any(p.file.startswith(config.META_SUBDIR + "/") for p in errors):
            with pytest.raises(ra.DataError):
                ra.load_events(data) if any(p.file.endswith("events.csv") for p in errors) else ra.load_orgs(data)
        else:
            with pytest.raises(ra.DataError) as info:
                ra.load(data)
            assert info.value.problems == sorted(errors), "load() stops on exactly the errors validate() lists"
    else:
        df = ra.load(data)  # warnings only: the data loads
        assert not df.empty


def test_validate_lists_every_problem_of_every_file_in_one_pass(tmp_path):
    """All single-directory cases together: nothing found alone is lost in a crowd."""
    data = tmp_path / "data"
    for case in BY_CASE:
        if case not in MAX_BYTES and case not in SPECIAL and not (CASES / case).is_dir():
            _install(case, data)
    problems = ra.validate(data)
    for case, rows in BY_CASE.items():
        if case in MAX_BYTES or case in SPECIAL or (CASES / case).is_dir():
            continue
        for row in rows:
            assert any(_matches(p, row) for p in problems), f"{case}: {row['message']!r} saknas i samlad validering"
    with pytest.raises(ra.DataError) as info:
        ra.load(data)
    assert len(info.value.problems) == sum(p.severity == FEL for p in problems)
    assert "problem i data" in str(info.value)


_ENGLISH = re.compile(r"\b(expected|error|invalid|missing|not a|line|column|row|must|should|unknown|duplicate)\b", re.I)


@pytest.mark.parametrize("case", sorted(BY_CASE))
def test_messages_are_swedish_and_located(case, tmp_path, monkeypatch):
    if case in MAX_BYTES:
        monkeypatch.setattr(config, "MAX_FILE_BYTES", MAX_BYTES[case])
    for p in ra.validate(_install(case, tmp_path / "data")):
        assert p.file and p.line >= 0
        # Column names (value, unit, …) are the file's own words; the rest is Swedish.
        prose = re.sub(r"'[^']*'|\b(value|unit|source|note|region|org|series|category|period|kind|example)\b", "", f"{p.message} {p.expected}")
        assert not _ENGLISH.search(prose), f"engelska i meddelandet: {p}"
        text = str(p)
        assert text.startswith(p.file) and (f"rad {p.line}" in text or p.line == 0)
        if p.column:
            assert f"kolumn '{p.column}'" in text
        assert "förväntat:" in text


@pytest.mark.parametrize("name", sorted({r["file"] for r in GOOD_EXPECTED}))
def test_odd_but_valid_files_load_to_the_right_values(name, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(GOOD / name, data / name)
    assert errors(ra.validate(data)) == []
    df = ra.load(data)
    rows = [r for r in GOOD_EXPECTED if r["file"] == name]
    assert len(df) >= len(rows)
    for r in rows:
        hit = df[
            (df["region"] == r["region"]) & (df["org"] == r["org"]) & (df["series"] == r["series"])
            & (df["category"] == r["category"]) & (df["period"].astype(str) == r["period"]) & (df["kind"] == r["kind"])
        ]
        assert len(hit) == 1, f"{name}: raden {r} saknas i\n{df[['region', 'org', 'series', 'period', 'value']]}"
        assert hit["value"].item() == pytest.approx(float(r["value"]), abs=1e-9), r["why"]
        assert hit["source_file"].item() == name


def test_every_good_file_is_in_the_table():
    assert {p.name for p in GOOD.iterdir()} == {r["file"] for r in GOOD_EXPECTED}


def test_corpus_generator_is_in_sync(tmp_path, monkeypatch):
    """The committed files are what make_corpus.py writes (edit the script, then rerun it)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_corpus", HERE / "make_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    monkeypatch.setattr(mod, "CASES", tmp_path / "cases")
    monkeypatch.setattr(mod, "GOOD", tmp_path / "good")
    mod.main()
    for folder in ("cases", "good"):
        made = {p.relative_to(tmp_path / folder): p.read_bytes() for p in (tmp_path / folder).rglob("*") if p.is_file()}
        kept = {p.relative_to(HERE / folder): p.read_bytes() for p in (HERE / folder).rglob("*") if p.is_file()}
        assert made.keys() == kept.keys()
        differ = [str(k) for k in made if made[k] != kept[k] and not str(k).endswith("xlsx_renamed.csv")]
        assert not differ, f"kör python tests/bad_inputs/make_corpus.py: {differ}"


def test_cli_validate_fails_on_errors_only(tmp_path):
    from typer.testing import CliRunner

    from regionanalys.cli import app

    warned = _install("month_gap.csv", tmp_path / "warned")
    result = CliRunner().invoke(app, ["validate", str(warned)])
    assert "varning:" in result.output
    assert result.exit_code == 0, result.output
    broken = _install("text_in_number.csv", tmp_path / "broken")
    result = CliRunner().invoke(app, ["validate", str(broken)])
    assert result.exit_code == 1 and "'ca 76' är inte ett tal" in result.output
