"""environment.yml lists what pyproject.toml lists, and the package states what it runs on."""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: PyPI name -> conda-forge name, where they differ.
CONDA_NAMES: dict[str, str] = {}


def _name(spec: str) -> str:
    return re.split(r"[<>=!~\[; ]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _environment_names() -> set[str]:
    names, in_pip = set(), False
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    for line in text.split("dependencies:", 1)[1].splitlines():
        stripped = line.strip()
        if stripped.startswith("- pip:"):
            in_pip = True
            continue
        if stripped.startswith("- ") and not in_pip:
            names.add(_name(stripped[2:]))
    return names - {"python", "pip"}


def test_environment_matches_pyproject():
    project = _pyproject()["project"]
    wanted = {_name(d) for d in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        wanted |= {_name(d) for d in extra}
    wanted = {CONDA_NAMES.get(n, n) for n in wanted}
    have = _environment_names()
    assert wanted - have == set(), f"saknas i environment.yml: {sorted(wanted - have)}"
    assert have - wanted == set(), f"finns bara i environment.yml: {sorted(have - wanted)}"


def test_python_versions_stated_and_met():
    spec = _pyproject()["project"]["requires-python"]
    low = tuple(int(x) for x in re.search(r">=\s*(\d+)\.(\d+)", spec).groups())
    assert low >= (3, 11), "tomllib (used by the registry and the importer) needs Python 3.11"
    assert sys.version_info[:2] >= low
    env = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert f"python>={low[0]}.{low[1]}" in env


def test_license_is_an_spdx_string_with_its_file():
    project = _pyproject()["project"]
    assert isinstance(project["license"], str)
    for name in project.get("license-files", []):
        assert (ROOT / name).is_file()
