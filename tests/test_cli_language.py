"""The command speaks Swedish throughout: our texts and Typer's own (usage, sections, errors)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).with_name("regionanalys"))
ENGLISH = re.compile(r"\b(Usage|Options|Commands|Show this message|Error|Try '|No such|Invalid value|Missing)\b")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"], ["validate", "--help"], ["import", "--help"],
                                  ["list", "--help"], ["fetch", "kolada", "--help"]])
def test_help_is_swedish(args):
    out = _run(*args)
    assert out.returncode == 0, out.stderr
    assert "Användning:" in out.stdout and "Flaggor" in out.stdout
    assert not ENGLISH.search(out.stdout), ENGLISH.search(out.stdout)


@pytest.mark.parametrize("args, swedish", [
    (["run", "--bogus"], "Flaggan finns inte: --bogus"),
    (["run", "--jobs", "0"], "värdet ska vara minst 1"),
    (["nosuchcommand"], "Kommandot 'nosuchcommand' finns inte."),
])
def test_usage_errors_are_swedish(args, swedish):
    out = _run(*args)
    assert out.returncode == 2
    assert swedish in out.stderr and "Fel: " in out.stderr
    assert not ENGLISH.search(out.stderr), out.stderr
