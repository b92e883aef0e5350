"""Option values without pydantic (cli._plain_values_without_pydantic): the same values as
Typer's own pydantic path for every option of every command, and its errors for the rest."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer.core as tcore
from typer import _coercion
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer.main import get_command

from regionanalys import cli

SAMPLES = ["", "0", "1", "2", "17", "+3", "-2", "007", "2.5", "1e3", " 4", "abc", "Värmland", "data/x.csv",
           "2015-2024", "-"]


def _commands(command, ctx=None):
    ctx = Context(command, parent=ctx, info_name=command.name)
    yield command, ctx
    for sub in getattr(command, "commands", {}).values():
        yield from _commands(sub, ctx)


def _params():
    for command, ctx in _commands(get_command(cli.app)):
        for param in command.params:
            if isinstance(param, tcore._TyperParameter) and param.type_descriptor.annotation is not bool:
                yield pytest.param(param, ctx, id=f"{command.name}:{param.name}")


def _outcome(runtime, value, param, ctx):
    try:
        return "ok", runtime.coerce(value, param=param, ctx=ctx)
    except BadParameter as exc:
        return "error", exc.format_message()


@pytest.mark.parametrize("param, ctx", list(_params()))
def test_same_values_and_errors_as_typers_pydantic_path(param, ctx):
    ours = tcore.build_runtime_param(param.type_descriptor)
    typers = _coercion.build_runtime_param(param.type_descriptor)
    is_list = getattr(param.type_descriptor.annotation, "__origin__", None) is list
    values = [(v,) if is_list else v for v in SAMPLES] + ([("17", "Värmland"), ()] if is_list else [None, 120, 2.5])
    for value in values:
        expected = _outcome(typers, value, param, ctx)
        got = _outcome(ours, value, param, ctx)
        assert got == expected, (value, got, expected)
        assert type(got[1]) is type(expected[1]), value


def test_run_parses_its_options_without_pydantic():
    code = ("import sys; from regionanalys import cli; from typer.main import get_command;"
            "run = get_command(cli.app).commands['run'];"
            "run.make_context('run', ['-j', '2', '--timeout', '30', '-r', '17', '-r', 'Örebro', '-n', 'region',"
            " '-y', '2023', '--out', 'x', '--data-dir', 'd', '-p', 'a=1', '--force']);"
            "print('pydantic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
