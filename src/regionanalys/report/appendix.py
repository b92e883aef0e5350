"""What a report collects while it runs, for its appendix ("Bilaga") at the end.

One :class:`Appendix` per report (a process makes one report at a time, so :mod:`present` keeps one at module
level and :func:`present.begin` starts a new one): the sources cited by footnotes, numbered in
the order they are first cited; the queued sum checks; the queued method paragraphs; and the
text the report has shown, from which the glossary entries it needs are chosen. The method
and glossary texts are in ``templates/appendix.toml``, written once in plain Swedish.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from regionanalys import config

TEXTS = config.TEMPLATES_DIR / "appendix.toml"


@dataclass(frozen=True)
class Text:
    """A method paragraph or a glossary entry."""

    key: str
    title: str
    text: str
    words: tuple[str, ...] = ()


@cache
def texts() -> dict[str, dict[str, Text]]:
    """``{"method": {key: Text}, "glossary": {key: Text}}`` from ``appendix.toml``."""
    raw = tomllib.loads(TEXTS.read_text(encoding="utf-8"))
    out: dict[str, dict[str, Text]] = {"method": {}, "glossary": {}}
    for key, entry in raw.get("method", {}).items():
        out["method"][key] = Text(key, entry["title"], entry["text"])
    for key, entry in raw.get("glossary", {}).items():
        out["glossary"][key] = Text(key, entry["term"], entry["text"], tuple(entry.get("words", ())))
    return out


def method_text(key: str) -> Text:
    """The method paragraph ``key``; an unknown key is an error listing the known ones."""
    known = texts()["method"]
    if key not in known:
        raise KeyError(f"okänd metodtext '{key}' (finns i {TEXTS.name}: {', '.join(sorted(known))})")
    return known[key]


@dataclass
class Check:
    """A queued sum check: the table (stated, sum of parts, difference, explanation) and caption."""

    table: pd.DataFrame
    caption: str


@dataclass
class Appendix:
    """The appendix of one report, filled while the report runs."""

    sources: dict[str, int] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    shown_text: list[str] = field(default_factory=list)

    def cite(self, source: str) -> int:
        """The footnote number of ``source`` (a new number the first time it is cited)."""
        if source not in self.sources:
            self.sources[source] = len(self.sources) + 1
        return self.sources[source]

    def method(self, key: str) -> None:
        method_text(key)  # fail at the call, not at the end of the report
        if key not in self.methods:
            self.methods.append(key)

    def saw(self, *text: object) -> None:
        """Remember text the reader sees, for the glossary."""
        self.shown_text.extend(str(t) for t in text if t)

    def glossary(self) -> list[Text]:
        """The glossary entries whose words occur in the text shown, sorted by term."""
        shown = "\n".join(self.shown_text).lower()
        used = []
        for entry in texts()["glossary"].values():
            if any(re.search(rf"(?<!\w){re.escape(w.lower())}", shown) for w in entry.words):
                used.append(entry)
        return sorted(used, key=lambda e: e.title.lower())

    def method_texts(self) -> list[Text]:
        return [method_text(k) for k in self.methods]
