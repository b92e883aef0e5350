"""The report markup lives in Jinja templates and the styles in one stylesheet.

present renders its fragments with Jinja's autoescaping (no hand-written escaping in
Python); the reports, the report index and notebooks all take their styles from
``templates/nbconvert/rapport/rapport.css``.
"""
from __future__ import annotations

import ast
import inspect
import re

import jinja2
import pytest

from regionanalys import config
from regionanalys.report import htmlexport, present

STYLESHEET = config.TEMPLATES_DIR / "nbconvert" / "rapport" / "rapport.css"


def test_markup_and_css_are_not_built_in_python_strings():
    """No ``html.escape``, no ``<style>`` and no tags in string literals of present or htmlexport's
    fragments: they belong in templates/fragments, escaped by Jinja."""
    for module in (present, htmlexport):
        tree = ast.parse(inspect.getsource(module))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == "html" for alias in node.names}
        assert "escape" not in imported, f"{module.__name__} escapar för hand"
        assert not any(isinstance(n, ast.Import) and any(a.name == "html" for a in n.names) for n in ast.walk(tree)), module.__name__
    literals = [n.value for n in ast.walk(ast.parse(inspect.getsource(present))) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    # a tag with an attribute or a closing tag: markup being built (a docstring may name ``<figure>``)
    assert not [s for s in literals if re.search(r"<\w+\s+[\w-]+=|</\w+>", s)]


def test_fragments_render_with_autoescape():
    env = present._env()
    assert env.autoescape is True
    fragments = sorted(p.name for p in (config.TEMPLATES_DIR / "fragments").glob("*.html.j2"))
    assert {"heading.html.j2", "paragraph.html.j2", "figure.html.j2", "table.html.j2", "sources.html.j2"} <= set(fragments)
    out = present._render("paragraph", kind="note", text="<b>")
    assert out == '<p class="ra-note">&lt;b&gt;</p>'


def test_a_missing_fragment_value_is_an_error_not_an_empty_string():
    with pytest.raises(jinja2.UndefinedError):
        present._render("paragraph", kind="note")


def test_page_style_shows_the_components_of_the_one_stylesheet(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(present, "_show", shown.append)
    present.page_style()
    (markup,) = shown
    css = STYLESHEET.read_text(encoding="utf-8")
    assert markup.startswith("<style>") and markup.rstrip().endswith("</style>")
    body = markup.removeprefix("<style>").removesuffix("</style>").strip()
    assert body in css, "the notebook's styles are a piece of the stylesheet, not a copy"
    for rule in (".ra-reading", ".ra-banner", "table.ra-table", "figure.ra-figure", ".ra-sources"):
        assert rule in body
    # page rules would restyle JupyterLab itself
    assert "body {" not in body and "@page" not in body and ".register" not in body


def test_report_template_and_index_inline_the_same_stylesheet():
    css = STYLESHEET.read_text(encoding="utf-8")
    report = (config.TEMPLATES_DIR / "nbconvert" / "rapport" / "index.html.j2").read_text(encoding="utf-8")
    assert "{% include 'rapport.css' %}" in report
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(config.TEMPLATES_DIR)), autoescape=True)
    index = env.get_template("index.html.j2").render(rows=[], n_ok=0, n_failed=0, n_example=0, generated="2026-01-01 00:00", version="0")
    assert css.strip() in index
    assert '<html lang="sv" class="register">' in index, "the index's own rules are scoped to .register"
    assert [p.name for p in config.TEMPLATES_DIR.rglob("*.css")] == ["rapport.css"], "one stylesheet"


def test_a_stylesheet_without_component_markers_is_a_clear_error(tmp_path, monkeypatch):
    sheet = tmp_path / "rapport.css"
    sheet.write_text(".ra-note { color: #555; }\n", encoding="utf-8")
    monkeypatch.setattr(present, "STYLESHEET", sheet)
    present._component_css.cache_clear()
    try:
        with pytest.raises(ValueError, match="components: begin"):
            present._component_css()
    finally:
        present._component_css.cache_clear()
