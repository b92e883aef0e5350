"""Typer's own texts in Swedish, so that the whole ``regionanalys`` command speaks one language.

Typer (0.2x) ships its own copy of Click whose help and error texts are English literals,
with no message catalogue to translate; :func:`install` therefore sets the few places where
they are made: the usage prefix (the help formatter), the ``--help`` option's text, the
section titles (Typer's gettext calls) and the error lines (translated where they are
printed). A text not covered here stays as Typer writes it.
"""
from __future__ import annotations

import re

USAGE = "Användning: "
HELP_TEXT = "Visa den här hjälpen och avsluta."
SECTIONS = {"Options": "Flaggor", "Commands": "Kommandon", "Arguments": "Argument"}
USAGE_WORDS = {"[OPTIONS]": "[FLAGGOR]", "COMMAND": "KOMMANDO", "[ARGS]": "[ARGUMENT]"}

#: English fragments of Typer's error output and their Swedish, applied in order (multi-line,
#: so that ``^`` matches at the start of every line of a message).
ERROR_TEXTS: list[tuple[re.Pattern[str], str]] = [(re.compile(english, re.M), swedish) for english, swedish in {
    r"^Usage: ": USAGE,
    r"Try '(.+?)' for help\.": r"Skriv '\1' för hjälp.",
    r"^Error: ": "Fel: ",
    r"No such option: ": "Flaggan finns inte: ",
    r"No such option '(.+?)'\.": r"Flaggan '\1' finns inte.",
    r"\(Possible options: (.*)\)": r"(möjliga flaggor: \1)",
    r"No such command '(.+?)'\.": r"Kommandot '\1' finns inte.",
    r"Invalid value for (.+?): ": r"Ogiltigt värde för \1: ",
    r"Invalid value: ": "Ogiltigt värde: ",
    r"Missing option": "Flagga saknas",
    r"Missing argument": "Argument saknas",
    r"Missing parameter": "Parameter saknas",
    r"Missing command\.": "Kommando saknas.",
    r"Got unexpected extra arguments? \((.*)\)": r"Oväntat extra argument (\1)",
    r"Option '(.+?)' requires an argument\.": r"Flaggan '\1' kräver ett värde.",
    r"Input should be greater than or equal to (\S+)": r"värdet ska vara minst \1",
    r"Input should be less than or equal to (\S+)": r"värdet ska vara högst \1",
    r"'(.+?)' is not a valid integer\.": r"'\1' är inget heltal.",
    r"is not one of": "är inte någon av",
    r"does not exist\.": "finns inte.",
}.items()]


def translate(text: str) -> str:
    """Swedish for a line of Typer's output (unchanged where nothing matches)."""
    for pattern, swedish in ERROR_TEXTS:
        text = pattern.sub(swedish, text)
    return text


def install() -> None:
    """Make Typer's help and error texts Swedish (idempotent)."""
    import typer.core as tcore
    from typer._click import core, decorators, exceptions, formatting

    class SwedishHelpFormatter(formatting.HelpFormatter):
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            for english, swedish in USAGE_WORDS.items():
                args = args.replace(english, swedish)
            super().write_usage(prog, args, USAGE if prefix is None else prefix)

    core.Context.formatter_class = SwedishHelpFormatter
    tcore._ = lambda message: SECTIONS.get(message, message)

    if not getattr(decorators.help_option, "_regionanalys", False):
        original_help_option = decorators.help_option

        def help_option(*args, **kwargs):
            option = original_help_option(*args, **kwargs)

            def apply(f):
                result = option(f)
                param = getattr(result, "_help_option", None) or (result.params[-1] if getattr(result, "params", None) else None)
                if param is not None and getattr(param, "help", None) == "Show this message and exit.":
                    param.help = HELP_TEXT
                return result
            return apply

        help_option._regionanalys = True
        decorators.help_option = help_option

    if not getattr(exceptions.echo, "_regionanalys", False):
        original_echo = exceptions.echo

        def echo(message=None, *args, **kwargs):
            return original_echo(translate(message) if isinstance(message, str) else message, *args, **kwargs)

        echo._regionanalys = True
        exceptions.echo = echo
