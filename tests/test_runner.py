"""The report runner: planning and validation, the cache, failures, time-outs, the HTML.

The report-running tests use the tiny fixture suite in tests/runner_fixtures (notebooks,
reports.toml and data), copied to a temporary directory; nothing is written to reports/
or data/. The fixture region notebook asserts that a reused worker starts it clean.
"""
from __future__ import annotations

import json
import re
import shutil
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from regionanalys import config
from regionanalys.report import htmlexport
from regionanalys.data import loading
from regionanalys.report import runner
from regionanalys.report.specs import ParameterError, SpecError, load_specs, parse_assignments

FIXTURES = Path(__file__).parent / "runner_fixtures"


def _copy_suite(root: Path) -> dict[str, Path]:
    shutil.copytree(FIXTURES / "notebooks", root / "notebooks")
    shutil.copytree(FIXTURES / "data", root / "data")
    return {"notebooks_dir": root / "notebooks", "data_dir": root / "data", "out_dir": root / "out"}


def _run(paths, **kw):
    plan_keys = ("notebooks", "regions", "year", "parameters")
    plan_kw = {k: kw.pop(k) for k in plan_keys if k in kw}
    kw.setdefault("jobs", 2)
    kw.setdefault("timeout", 60)
    return runner.run(**plan_kw, **paths, **kw)


def _executed(summary) -> set[str]:
    return {r.job.id for r in summary.executed}


ALL = {"region_17_2023", "region_18_2023", "region_24_2023", "jamforelse_2023"}


# --- one suite, run through a life cycle once (module scope keeps the test fast) -------


@pytest.fixture(scope="module")
def lifecycle(tmp_path_factory):
    # the library's own hash is tested below; here it is pinned so that an edit elsewhere
    # in the working tree during the test does not make every report stale
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(runner.execution, "library_hash", lambda: "fest")
        yield _lifecycle(tmp_path_factory)


def _lifecycle(tmp_path_factory):
    paths = _copy_suite(tmp_path_factory.mktemp("suite"))
    out = paths["out_dir"]
    steps = {}
    steps["cold"] = _run(paths)
    steps["cold_html"] = (out / "region_17_2023.html").read_text(encoding="utf-8")
    steps["cold_manifest"] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    steps["warm"] = _run(paths)
    steps["warm_seconds"] = time.perf_counter() - t0
    # a change to Örebro's file re-runs exactly the reports that read it
    with open(paths["data_dir"] / "seeds" / "18_orebro.csv", "a", encoding="utf-8") as fh:
        fh.write("18;region;nettokostnader;;2021;utfall;10 000;mnkr;testkälla 18;;\n")
    steps["changed"] = _run(paths)
    # metadata counts only for the reports that read it: events.csv only for the comparison
    with open(paths["data_dir"] / "meta" / "events.csv", "a", encoding="utf-8") as fh:
        fh.write("18;region;2023-02-01;;stopp;Anställningsstopp;testkälla\n")
    steps["events"] = _run(paths)
    # a failing report: the others go on, the last good HTML stays
    steps["failed"] = _run(paths, notebooks=["region"], parameters={"fail": "17"})
    steps["failed_index"] = (out / "index.html").read_text(encoding="utf-8")
    steps["failed_manifest"] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    steps["failed_html"] = (out / "region_17_2023.html").read_text(encoding="utf-8")
    steps["failed_nb_exists"] = (out / "region_17_2023.failed.ipynb").exists()
    # fixed again
    steps["fixed"] = _run(paths, notebooks=["region"], regions=["17"])
    steps["paths"] = paths
    return steps


@pytest.mark.slow
def test_cold_run_makes_every_report_in_two_workers(lifecycle):
    s = lifecycle["cold"]
    assert s.exit_code == 0, [r.error_text for r in s.failed]
    assert _executed(s) == ALL
    assert s.workers == 2
    out = lifecycle["paths"]["out_dir"]
    for rid in ALL:
        assert (out / f"{rid}.html").is_file() and (out / f"{rid}.ipynb").is_file()
    assert not (out / runner.TMP_DIRNAME).exists()
    # papermill's record: the executed notebook with the injected parameters
    nb = json.loads((out / "region_18_2023.ipynb").read_text(encoding="utf-8"))
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert injected and "region = \"18\"" in "".join(injected[0]["source"])
    assert nb["metadata"]["papermill"]["parameters"]["region"] == "18"


@pytest.mark.slow
def test_spawned_workers_boot_themselves_where_there_is_no_fork_server(tmp_path, monkeypatch):
    """macOS and Windows: each worker is spawned and boots on its own; the reports are the same."""
    from regionanalys.report.runner import pool

    monkeypatch.setattr(pool, "_fork_server_usable", lambda: False)
    paths = _copy_suite(tmp_path)
    s = _run(paths, notebooks=["region"], regions=["17", "18"])
    assert s.exit_code == 0, [r.error_text for r in s.failed]
    assert s.workers == 2 and {r.job.id for r in s.executed} == {"region_17_2023", "region_18_2023"}


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork server is used on Linux")
def test_workers_are_forked_from_a_booted_server_that_ends_with_the_run(tmp_path):
    from multiprocessing import forkserver

    paths = _copy_suite(tmp_path)
    seen = []
    s = _run(paths, notebooks=["region"], on_event=lambda kind, job, res: seen.append(forkserver._forkserver._forkserver_pid))
    assert s.exit_code == 0
    server = {pid for pid in seen if pid}
    assert len(server) == 1, seen  # one server for the run, booted once
    assert forkserver._forkserver._forkserver_pid is None  # stopped: the next run may have another library
    assert "zygote.log" not in {p.name for p in paths["out_dir"].rglob("*")}  # the run's temporary folder is gone


@pytest.mark.slow
def test_warm_run_executes_nothing_and_is_fast(lifecycle):
    s = lifecycle["warm"]
    assert s.exit_code == 0
    assert _executed(s) == set(), [(r.job.id, r.reason) for r in s.results]
    assert all(r.cached and r.reason == "oförändrad" for r in s.results)
    assert s.workers == 0
    assert lifecycle["warm_seconds"] < 1.0


@pytest.mark.slow
def test_changed_data_file_reruns_exactly_the_reports_that_read_it(lifecycle):
    s = lifecycle["changed"]
    assert _executed(s) == {"region_18_2023", "jamforelse_2023"}
    assert all("18_orebro.csv" in r.reason for r in s.executed)
    entry = lifecycle["cold_manifest"]["reports"]["region_17_2023"]
    assert entry["inputs"]["data_scope"] == ["17"]
    assert set(entry["inputs"]["data"]) == {"seeds/17_varmland.csv", "seeds/befolkning.csv"}
    comparison = lifecycle["cold_manifest"]["reports"]["jamforelse_2023"]["inputs"]
    assert comparison["data_scope"] == "all" and "meta/events.csv" in comparison["data"]


@pytest.mark.slow
def test_changed_metadata_reruns_only_the_reports_that_read_it(lifecycle):
    s = lifecycle["events"]
    assert _executed(s) == {"jamforelse_2023"}, [(r.job.id, r.reason) for r in s.executed]
    assert "events.csv" in s.executed[0].reason


@pytest.mark.slow
def test_summary_names_the_critical_path(lifecycle):
    s = lifecycle["cold"]
    assert s.critical_path and set(s.critical_path) <= ALL
    assert s.critical_path_text.startswith("Kritisk väg: " + s.critical_path[0])
    # the cache key holds the versions of the packages that shape a report
    packages = lifecycle["cold_manifest"]["reports"]["region_17_2023"]["inputs"]["packages"]
    assert {"pandas", "matplotlib", "nbconvert", "regionanalys"} <= set(packages)


@pytest.mark.slow
def test_failed_report_keeps_last_good_html_and_is_marked_in_the_index(lifecycle):
    s = lifecycle["failed"]
    assert s.exit_code == 1
    by_id = {r.job.id: r for r in s.results}
    assert not by_id["region_17_2023"].ok
    assert by_id["region_18_2023"].ok and by_id["region_24_2023"].ok, [r.error_text for r in s.results]  # the others went on
    err = by_id["region_17_2023"].error
    assert err["ename"] == "ValueError" and "avsiktligt fel" in err["evalue"]
    assert err["cell_first_line"].startswith("if str(fail) == region")
    assert lifecycle["failed_html"] == lifecycle["cold_html"]  # the last good report stays
    assert lifecycle["failed_nb_exists"]
    entry = lifecycle["failed_manifest"]["reports"]["region_17_2023"]
    assert entry["status"] == "failed" and entry["html"] == "region_17_2023.html" and entry["last_ok"]
    index = lifecycle["failed_index"]
    row = re.search(r'<tr id="region_17_2023" class="fel">(.*?)</tr>', index, re.S)
    assert row, "ingen felmarkerad rad för region 17"
    assert "Misslyckades" in row[1] and "senaste lyckade versionen" in row[1]
    # the reader's row says what happened; the cause is in the analysts' part
    detail = re.search(r'<tr id="analys-region_17_2023" class="fel">(.*?)</tr>', index, re.S)
    assert detail, "ingen felrad för region 17 under För analytiker"
    assert "avsiktligt fel i testnotebooken" in detail[1]
    assert "if str(fail) == region" in detail[1] and 'href="region_17_2023.failed.ipynb"' in detail[1]


@pytest.mark.slow
def test_fixed_report_runs_again_and_drops_the_failed_notebook(lifecycle):
    s = lifecycle["fixed"]
    assert s.exit_code == 0 and _executed(s) == {"region_17_2023"}
    out = lifecycle["paths"]["out_dir"]
    assert not (out / "region_17_2023.failed.ipynb").exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["reports"]["region_17_2023"]
    for key in ("parameters", "inputs", "library_version", "started", "duration_s", "status"):
        assert key in entry
    assert entry["status"] == "ok" and entry["error"] is None


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)


@pytest.mark.slow
def test_report_html_is_self_contained_swedish_and_shows_no_code(lifecycle):
    out = lifecycle["paths"]["out_dir"]
    specs = load_specs(lifecycle["paths"]["notebooks_dir"] / "reports.toml")
    for rid in ALL:
        html = (out / f"{rid}.html").read_text(encoding="utf-8")
        assert '<html lang="sv">' in html
        parser = _Refs()
        parser.feed(html)
        assert not [u for u in parser.urls if re.match(r"\s*(https?:)?//", u, re.I)], rid
        assert "from regionanalys import" not in html and "import matplotlib" not in html
        assert "jp-InputArea-editor" not in html and "In&nbsp;[" not in html and "Out[" not in html
        assert "anchor-link" not in html
        assert "require.js" not in html and "MathJax" not in html
    html = (out / "region_17_2023.html").read_text(encoding="utf-8")
    title = specs["region"].title.format(region_name="Region Värmland", year=2023)
    assert f"<title>{title}</title>" in html
    imgs = re.findall(r'<img[^>]+src="([^"]+)"', html)
    assert imgs and all(src.startswith("data:image/png;base64,") for src in imgs)
    assert "SCB (https://www.scb.se/)" in html  # the markdown link became readable text
    assert "@media print" in html


@pytest.mark.slow
def test_index_lists_every_report_and_marks_example_data(lifecycle):
    index = (lifecycle["paths"]["out_dir"] / "index.html").read_text(encoding="utf-8")
    assert '<html lang="sv"' in index  # the template may add a class
    for rid in ALL:
        assert f'<tr id="{rid}"' in index and f'href="{rid}.html"' in index
    row24 = re.search(r'<tr id="region_24_2023"[^>]*>(.*?)</tr>', index, re.S)[1]
    row17 = re.search(r'<tr id="region_17_2023"[^>]*>(.*?)</tr>', index, re.S)[1]
    assert "Exempeldata" in row24 and "Exempeldata" not in row17
    assert not re.search(r'(src|href)="\s*(https?:)?//', index)


# --- time-out and recovery (one worker: a new worker takes over after the time-out) -------


@pytest.mark.slow
def test_hanging_report_is_stopped_and_a_new_worker_goes_on(tmp_path):
    paths = _copy_suite(tmp_path)
    t0 = time.perf_counter()
    s = _run(paths, notebooks=["region"], regions=["17", "18"], parameters={"hang": "17"}, jobs=1, timeout=2)
    assert time.perf_counter() - t0 < 30
    by_id = {r.job.id: r for r in s.results}
    assert by_id["region_18_2023"].ok, by_id["region_18_2023"].error_text
    bad = by_id["region_17_2023"]
    assert not bad.ok and bad.error["ename"] == "Tidsgräns" and "2 s" in bad.error["evalue"]
    assert (paths["out_dir"] / "region_17_2023.failed.ipynb").exists()
    assert s.exit_code == 1


# --- planning and validation (nothing executed) -------------------------------------------------


@pytest.fixture
def suite(tmp_path):
    return _copy_suite(tmp_path)


def _plan(suite, *args, **kw):
    return runner.plan_run(*args, **suite, **kw)


def test_plan_defaults_follow_the_spec(suite):
    plan = _plan(suite)
    assert [j.id for j in plan.jobs] == ["region_17_2023", "region_18_2023", "region_24_2023", "jamforelse_2023"]
    job = plan.jobs[0]
    assert job.parameters == {"region": "17", "year": 2023, "data_dir": str(suite["data_dir"].resolve())}
    assert job.title == "Testrapport Region Värmland 2023"
    assert plan.jobs[-1].parameters["regions"] == ["17", "18", "24"]


def test_regions_by_name_and_year(suite):
    plan = _plan(suite, ["region", "02_jamforelse.ipynb"], ["Värmland", "0018"], 2022)
    assert [j.id for j in plan.jobs] == ["region_17_2022", "region_18_2022", "jamforelse_17-18_2022"]
    assert plan.jobs[-1].parameters["regions"] == ["17", "18"]


@pytest.mark.parametrize("region", ["Atlantis", "../", "../../etc", "99", "riket"])
def test_unknown_region_is_an_error_naming_the_choices(suite, region):
    with pytest.raises(ParameterError) as exc:
        _plan(suite, regions=[region])
    assert "17 (Värmland)" in str(exc.value) and "01 (Stockholm)" in str(exc.value)


@pytest.mark.parametrize("name", ["../x", "../01_region.ipynb", "/etc/passwd", "00_utforska", "regi"])
def test_unknown_notebook_is_an_error_naming_the_choices(suite, name):
    with pytest.raises(ParameterError) as exc:
        _plan(suite, [name])
    assert "region (01_region.ipynb)" in str(exc.value) and "jamforelse (02_jamforelse.ipynb)" in str(exc.value)


def test_unknown_parameter_is_an_error_naming_the_notebooks_parameters(suite):
    with pytest.raises(ParameterError) as exc:
        _plan(suite, ["region"], parameters={"nope": 1})
    assert "'nope'" in str(exc.value) and "fail" in str(exc.value) and "hang" in str(exc.value)
    with pytest.raises(ParameterError, match="--notebook"):  # only the region notebook has `fail`
        _plan(suite, parameters={"fail": "17"})


@pytest.mark.parametrize("name", ["region", "regions", "year", "data_dir"])
def test_reserved_parameters_are_set_with_options(suite, name):
    with pytest.raises(ParameterError, match="sätts med --"):
        _plan(suite, ["region"], parameters={name: "17"})


def test_bad_year_and_lonely_comparison(suite):
    with pytest.raises(ParameterError, match="ogiltigt år"):
        _plan(suite, year=1066)
    with pytest.raises(ParameterError, match="minst två"):
        _plan(suite, ["jamforelse"], ["17"])
    plan = _plan(suite, regions=["17"])  # not asked for by name: skipped with a note
    assert [j.id for j in plan.jobs] == ["region_17_2023"] and "jamforelse" in plan.notes[0]


def test_job_ids_are_safe_file_names(suite):
    for job in _plan(suite, regions=["Jämtland Härjedalen", "Örebro län"]).jobs:
        assert re.fullmatch(r"[a-z0-9_-]+", job.id)


def test_parse_assignments():
    assert parse_assignments(["a=1", "b=True", "c=Hej", "d='17'", "e=[1, 2]"]) == {"a": 1, "b": True, "c": "Hej", "d": "17", "e": [1, 2]}
    for bad in ["a", "=1", "1a=2", "../x=1"]:
        with pytest.raises(ParameterError):
            parse_assignments([bad])


@pytest.mark.parametrize(
    "toml, match",
    [
        ('[x]\nnotebook = "../01_region.ipynb"\ntitle = "t"\nper_region = true\nregions = ["17"]\n', "filnamn"),
        ('["../x"]\nnotebook = "01_region.ipynb"\ntitle = "t"\nper_region = true\nregions = ["17"]\n', "rapport-id"),
        ('[x]\nnotebook = "01_region.ipynb"\ntitle = "{oops}"\nper_region = true\nregions = ["17"]\n', "okänt fält"),
        ('[x]\nnotebook = "01_region.ipynb"\ntitle = "t"\nper_region = true\nregions = ["Atlantis"]\n', "okänd region"),
        ('[x]\nnotebook = "saknas.ipynb"\ntitle = "t"\nper_region = true\nregions = ["17"]\n', "finns inte"),
        ('[x]\nnotebook = "01_region.ipynb"\ntitle = "t"\nper_region = true\nregions = ["17"]\nextra = 1\n', "okänd nyckel"),
    ],
)
def test_bad_spec_is_an_error(suite, toml, match):
    spec = suite["notebooks_dir"] / "bad.toml"
    spec.write_text(toml, encoding="utf-8")
    with pytest.raises(SpecError, match=match):
        load_specs(spec, suite["notebooks_dir"])


def test_notebook_without_required_parameter_is_a_spec_error(suite):
    spec = suite["notebooks_dir"] / "reports.toml"
    spec.write_text('[x]\nnotebook = "00_utforska.ipynb"\ntitle = "t"\nper_region = true\nregions = ["17"]\n', encoding="utf-8")
    with pytest.raises(SpecError, match="saknar parametern year, data_dir"):
        _plan(suite)


# --- inputs and cache helpers ---------------------------------------------------------


def test_data_listing_agrees_with_the_loader(suite, tmp_path):
    for root in (suite["data_dir"], config.DATA_DIR):
        files = runner.DataFiles(root)
        expected = [p.relative_to(Path(root).resolve()).as_posix() for p in loading.observation_files(root)]
        assert files.observations == expected
        assert runner.file_region("18_orebro.csv") == loading.file_region(Path("18_orebro.csv"))


def test_read_log_env_matches_the_loader():
    assert loading.READ_LOG_ENV == "REGIONANALYS_READ_LOG"


def test_scope_of_reads(suite):
    data = runner.DataFiles(suite["data_dir"])
    assert runner.scope_of(["seeds/17_varmland.csv", "seeds/befolkning.csv"], ["17"], data) == ["17"]
    assert runner.scope_of(list(data.observations), ["17", "18"], data) == "all"
    assert runner.scope_of([], ["17"], data) == "all"  # nothing logged: depends on everything
    assert runner.scope_of(["seeds/befolkning.csv"], ["01"], data) == ["01"]


def test_library_hash_ignores_caches(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "__pycache__").mkdir(parents=True)
    (pkg / "a.py").write_text("x = 1\n")
    h1 = runner.library_hash(pkg)
    (pkg / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"junk")
    assert runner.library_hash(pkg) == h1
    (pkg / "a.py").write_text("x = 2\n")
    assert runner.library_hash(pkg) != h1


def test_index_escapes_everything(tmp_path):
    manifest = {"reports": {"x_17_2023": {
        "report": "x", "title": "<script>alert(1)</script>", "region_label": "Värmland", "regions": ["17"],
        "year": 2023, "status": "failed", "duration_s": 1.5, "started": "2024-01-01T03:00:00+00:00",
        "html": None, "error": {"cell": 2, "cell_first_line": "<b>x</b>", "ename": "ValueError", "evalue": "<img src=x onerror=alert(1)>"},
    }}}
    html = runner.write_index(tmp_path, manifest).read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "Ingen tidigare lyckad version" in html and "cell 3" in html


def test_lock_stops_a_second_run(tmp_path):
    with runner._Lock(tmp_path / runner.LOCK_NAME):
        with pytest.raises(runner.RunError, match="en annan körning"):
            with runner._Lock(tmp_path / runner.LOCK_NAME):
                pass


# --- HTML export helpers ----------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        '<img src="https://cdn.example/x.png">',
        '<script src="//cdn.example/require.js"></script>',
        '<link rel="stylesheet" href="http://x/y.css">',
        '<div style="background: url(https://x/y.png)">',
        "<style>@import url('https://fonts.example/css');</style>",
        '<img srcset="a.png 1x, https://x/b.png 2x">',
    ],
)
def test_external_references_are_found(html):
    assert htmlexport.external_references(html)


def test_inline_content_is_not_external():
    html = '<img src="data:image/png;base64,AAAA"><a href="#x">x</a><a href="region_17_2023.html">r</a><style>a{color:red}</style>'
    assert htmlexport.external_references(html) == []


def test_external_anchors_become_text():
    html = '<p><a href="https://www.scb.se/x">SCB</a> och <a href="https://a.se">https://a.se</a></p>'
    out = htmlexport.unlink_external_anchors(html)
    assert "href" not in out and "SCB (https://www.scb.se/x)" in out and out.count("https://a.se") == 1


def test_chromium_missing_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(htmlexport.CHROMIUM_ENV, "/nonexistent/chromium")
    monkeypatch.setattr(htmlexport, "CHROMIUM_CANDIDATES", ("/nonexistent/chrome",))
    with pytest.raises(htmlexport.ChromiumMissing, match="apt-get install chromium"):
        htmlexport.find_chromium()


def test_pdf_without_chromium_stops_before_running(suite, monkeypatch):
    monkeypatch.delenv(htmlexport.CHROMIUM_ENV, raising=False)
    monkeypatch.setattr(htmlexport, "CHROMIUM_CANDIDATES", ("/nonexistent/chrome",))
    plan = _plan(suite)
    with pytest.raises(runner.RunError, match="Chromium"):
        runner.execute(plan, pdf=True)
    assert not (suite["out_dir"] / "manifest.json").exists()


@pytest.mark.browser
def test_pdf_of_a_report(lifecycle, tmp_path):
    try:
        chromium = htmlexport.find_chromium()
    except htmlexport.ChromiumMissing:
        pytest.skip("Chromium saknas")
    src = lifecycle["paths"]["out_dir"] / "region_18_2023.html"
    pdf = tmp_path / "r.pdf"
    htmlexport.print_pdf(src, pdf, chromium)
    assert pdf.read_bytes()[:4] == b"%PDF" and pdf.stat().st_size > 1000
    # through the runner: cached reports are printed without running anything
    # (region 17 was last run by the "fixed" step, with these very parameters)
    s = _run(lifecycle["paths"], notebooks=["region"], regions=["17"], pdf=True)
    assert s.exit_code == 0 and not s.executed
    assert (lifecycle["paths"]["out_dir"] / "region_17_2023.pdf").read_bytes()[:4] == b"%PDF"
    index = (lifecycle["paths"]["out_dir"] / "index.html").read_text(encoding="utf-8")
    assert 'href="region_17_2023.pdf"' in index


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid"), reason="POSIX file modes")
def test_every_file_a_run_writes_respects_the_umask(lifecycle):
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    out = lifecycle["paths"]["out_dir"]
    for name in ("index.html", "manifest.json", ".regionanalys-reports", "region_17_2023.html", "region_17_2023.ipynb"):
        assert (out / name).stat().st_mode & 0o777 == 0o666 & ~mask, name


def test_boot_skips_only_the_property_lists_of_artist_docstrings():
    """The worker imports matplotlib without kwdoc's property lists; set() works the same and
    kwdoc is matplotlib's own again afterwards."""
    import matplotlib.artist as artist
    from matplotlib.lines import Line2D

    from regionanalys.report.runner import worker

    original = artist.kwdoc
    with worker._no_setter_docs():
        class Quiet(Line2D):
            pass
    assert artist.kwdoc is original

    class Documented(Line2D):
        pass

    assert "linewidth" not in (Quiet.set.__doc__ or "") and "linewidth" in Documented.set.__doc__
    line = Quiet([0, 1], [0, 1])
    line.set(linewidth=3, color="red")
    assert line.get_linewidth() == 3 and line.get_color() == "red"
