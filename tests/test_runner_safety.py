"""The runner fails safe: a file changed mid-run, a killed run, someone else's folder,
file modes, a full disk or read-only folder, and error texts that look like markup.

The report-running tests (``slow``) use the fixture suite in tests/runner_fixtures.
"""
from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from typer.testing import CliRunner

from regionanalys import cli
from regionanalys.data import fileio
from regionanalys.report import runner
from regionanalys.report.runner import execution, lock, outdir, record

FIXTURES = Path(__file__).parent / "runner_fixtures"


def _copy_suite(root: Path) -> dict[str, Path]:
    shutil.copytree(FIXTURES / "notebooks", root / "notebooks")
    shutil.copytree(FIXTURES / "data", root / "data")
    return {"notebooks_dir": root / "notebooks", "data_dir": root / "data", "out_dir": root / "out"}


def _cli_args(paths: dict[str, Path]) -> list[str]:
    return ["--notebooks-dir", str(paths["notebooks_dir"]), "--data-dir", str(paths["data_dir"]),
            "--out", str(paths["out_dir"])]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- a data file changed while a report runs ----------------------------------------------


@pytest.mark.slow
def test_file_changed_mid_run_is_made_again_with_the_new_data(tmp_path, monkeypatch):
    # other work in the same tree may change the library between the two runs
    monkeypatch.setattr(execution, "library_hash", lambda: "fest")
    paths = _copy_suite(tmp_path)
    data_file = paths["data_dir"] / "seeds" / "17_varmland.csv"
    # the notebook changes 10 478 to 10 479 in the file right after it has read it
    s = runner.run(notebooks=["region"], regions=["17"], parameters={"touch": str(data_file)},
                   jobs=1, timeout=60, **paths)
    res = s.results[0]
    assert res.ok, res.error_text
    assert "ändrades under körningen" in res.reason and "17_varmland.csv" in res.reason
    manifest = json.loads((paths["out_dir"] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reports"]["region_17_2023"]["inputs"]["data"]["seeds/17_varmland.csv"] == _sha(data_file)
    html = (paths["out_dir"] / "region_17_2023.html").read_text(encoding="utf-8")
    shown = float(re.search(r"Summa ([0-9.]+)", html)[1])
    # the report shows the file as it is now (10 479), not as it was read first (10 478)
    from regionanalys.data.loading import load

    assert "10 479" in data_file.read_text(encoding="utf-8")
    assert shown == round(float(load(paths["data_dir"], regions=["17"])["value"].sum()), 1)
    again = runner.run(notebooks=["region"], regions=["17"], parameters={"touch": str(data_file)},
                       jobs=1, timeout=60, **paths)
    assert not again.executed, [r.reason for r in again.executed]


def test_snapshot_records_hashes_from_before_the_run(tmp_path):
    (tmp_path / "seeds").mkdir()
    f = tmp_path / "seeds" / "17_x.csv"
    f.write_text("a\n", encoding="utf-8")
    data = runner.DataFiles(tmp_path)
    data.snapshot()
    before = data.inputs(["17"])
    f.write_text("b\n", encoding="utf-8")  # changed after the snapshot, e.g. while a report runs
    assert data.inputs(["17"]) == before  # the record keeps what was there when the run began
    assert data.changed(before) == ["seeds/17_x.csv"]


# --- a killed run: its workers die with it, the next run cleans up ----------------------------

_KILLED_RUN = """
import sys
from regionanalys.report import runner
runner.run(notebooks=["region"], regions=["17"], parameters={"hang": "17"}, jobs=1, timeout=300,
           notebooks_dir=sys.argv[1], data_dir=sys.argv[2], out_dir=sys.argv[3])
"""


@pytest.mark.slow
def test_killed_run_leaves_no_workers_and_the_next_run_cleans_up(tmp_path):
    paths = _copy_suite(tmp_path)
    out = paths["out_dir"]
    main = subprocess.Popen([sys.executable, "-c", _KILLED_RUN, str(paths["notebooks_dir"]),
                             str(paths["data_dir"]), str(out)])
    try:
        pids_file = out / lock.PIDS_NAME
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # wait for the worker (the report hangs)
            try:
                if len(json.loads(pids_file.read_text(encoding="utf-8"))["children"]) >= 1:
                    break
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.5)
        else:
            pytest.fail("ingen arbetsprocess startade")
        time.sleep(2)  # the report is running (it hangs)
        descendants = psutil.Process(main.pid).children(recursive=True)
        assert len(descendants) >= 1
        psutil.Process(main.pid).kill()
        main.wait(10)
        gone, alive = psutil.wait_procs(descendants, timeout=30)
        assert not [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE], alive
    finally:
        if main.poll() is None:
            main.kill()
    assert (out / runner.TMP_DIRNAME).exists()  # left by the killed run
    s = runner.run(notebooks=["region"], regions=["18"], jobs=1, timeout=60, **paths)
    assert s.exit_code == 0
    assert any("avbruten körning" in n for n in s.notes), s.notes
    assert not (out / runner.TMP_DIRNAME).exists() and not (out / lock.PIDS_NAME).exists()


def test_new_run_stops_what_a_killed_run_recorded_and_removes_its_files(tmp_path):
    out = tmp_path / "out"
    outdir.claim_out_dir(out)
    (out / runner.TMP_DIRNAME).mkdir()
    (out / runner.TMP_DIRNAME / "region_17_2023.html").write_text("halv", encoding="utf-8")
    (out / ".index.html.abc123.tmp").write_text("halv", encoding="utf-8")
    orphan = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        created = psutil.Process(orphan.pid).create_time()
        record_ = {"pid": 999999, "created": 0, "children": {
            str(orphan.pid): created,
            str(other.pid): psutil.Process(other.pid).create_time() + 1000,  # same pid, another process
        }}
        (out / lock.PIDS_NAME).write_text(json.dumps(record_), encoding="utf-8")
        with runner._Lock(out / runner.LOCK_NAME) as held:
            notes = execution._clean_after_previous_run(out, held)
        assert orphan.wait(10) is not None
        assert other.poll() is None  # not the recorded process: left alone
        assert not (out / runner.TMP_DIRNAME).exists() and not (out / ".index.html.abc123.tmp").exists()
        assert any("stoppade 1 processer" in n for n in notes) and any("tillfälliga filer" in n for n in notes)
    finally:
        for p in (orphan, other):
            if p.poll() is None:
                p.kill()
                p.wait()


def test_worker_watchdog_ends_the_process_when_its_parent_is_gone(tmp_path):
    # a grandchild watches its parent (the middle process), which is then killed
    code = (
        "import subprocess, sys, time\n"
        "p = subprocess.Popen([sys.executable, '-c', "
        "'from regionanalys.report.runner.orphans import die_with_parent; import time; "
        "die_with_parent(interval=0.2); time.sleep(120)'])\n"
        f"open({str(tmp_path / 'pid')!r}, 'w').write(str(p.pid))\n"
        "time.sleep(120)\n"
    )
    middle = subprocess.Popen([sys.executable, "-c", code])
    try:
        pid_file = tmp_path / "pid"
        for _ in range(100):
            if pid_file.exists() and pid_file.read_text():
                break
            time.sleep(0.1)
        child = psutil.Process(int(pid_file.read_text()))
        time.sleep(1.0)  # the child has imported psutil and started its watchdog
        psutil.Process(middle.pid).kill()
        middle.wait(10)
        gone, alive = psutil.wait_procs([child], timeout=20)
        assert not alive
    finally:
        if middle.poll() is None:
            middle.kill()


# --- --out: only an empty folder or a report folder --------------------------------------


@pytest.fixture
def suite(tmp_path):
    return _copy_suite(tmp_path)


def test_out_with_someone_elses_files_is_refused_with_exit_code_2(suite):
    theirs = suite["out_dir"]
    theirs.mkdir()
    (theirs / "index.html").write_text("<p>min egen sida</p>", encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["run", *_cli_args(suite)])
    assert result.exit_code == 2, result.output
    assert "inte en rapportkatalog" in result.output and ".regionanalys-reports" in result.output
    assert "Traceback" not in result.output
    assert (theirs / "index.html").read_text(encoding="utf-8") == "<p>min egen sida</p>"
    assert sorted(p.name for p in theirs.iterdir()) == ["index.html"]


@pytest.mark.parametrize("where", ["root", "file"])
def test_out_at_the_root_or_a_file_is_refused(suite, where):
    target = Path(Path.cwd().anchor) if where == "root" else suite["data_dir"] / "seeds" / "17_varmland.csv"
    with pytest.raises(runner.OutDirError, match="--out"):
        runner.plan_run(notebooks_dir=suite["notebooks_dir"], data_dir=suite["data_dir"], out_dir=target)


def test_out_allowed_when_empty_marked_or_an_older_report_folder(suite, tmp_path):
    ok = {"missing": tmp_path / "new", "empty": tmp_path / "empty", "marked": tmp_path / "marked", "old": tmp_path / "old"}
    ok["empty"].mkdir()
    ok["marked"].mkdir()
    (ok["marked"] / outdir.MARKER_NAME).write_text("", encoding="utf-8")
    (ok["marked"] / "index.html").write_text("x", encoding="utf-8")
    ok["old"].mkdir()
    (ok["old"] / "manifest.json").write_text(json.dumps({"format": runner.MANIFEST_FORMAT, "reports": {}}), encoding="utf-8")
    (ok["old"] / "index.html").write_text("x", encoding="utf-8")
    for folder in ok.values():
        runner.check_out_dir(folder)
    other = tmp_path / "other"
    other.mkdir()
    (other / "manifest.json").write_text(json.dumps({"name": "något annat"}), encoding="utf-8")
    with pytest.raises(runner.OutDirError):
        runner.check_out_dir(other)


def test_repo_reports_folder_is_marked():
    from regionanalys import config

    assert (config.REPORTS_DIR / outdir.MARKER_NAME).is_file()


# --- file modes ------------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_atomic_writes_respect_the_umask(tmp_path, mask):
    old = os.umask(mask)
    try:
        one = fileio.atomic_write_text(tmp_path / "a.txt", "x")
        two, three = fileio.atomic_write_texts({tmp_path / "b.json": "{}", tmp_path / "c.html": "<p>"})
        index = runner.write_index(tmp_path, {"reports": {}})
    finally:
        os.umask(old)
    for path in (one, two, three, index):
        assert path.stat().st_mode & 0o777 == 0o666 & ~mask, path


def test_writes_that_belong_together_change_together_or_not_at_all(tmp_path, monkeypatch):
    a, b = tmp_path / "manifest.json", tmp_path / "index.html"
    a.write_text("gammal", encoding="utf-8")
    b.write_text("gammal", encoding="utf-8")
    real = fileio._write_tmp

    def second_fails(path, text):
        if path.name == "index.html":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, text)

    monkeypatch.setattr(fileio, "_write_tmp", second_fails)
    with pytest.raises(OSError):
        fileio.atomic_write_texts({a: "ny", b: "ny"})
    assert a.read_text(encoding="utf-8") == "gammal" and b.read_text(encoding="utf-8") == "gammal"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", "manifest.json"]


# --- clear messages instead of tracebacks ------------------------------------------------------


def test_read_only_output_folder_is_a_clear_message_and_exit_code_3(suite, monkeypatch):
    out = suite["out_dir"]
    out.mkdir()
    if os.name == "posix" and os.geteuid() != 0:
        out.chmod(0o555)
    else:  # root writes anywhere: make the folder refuse writes as a read-only mount would
        import tempfile

        real = tempfile.mkstemp

        def read_only(*a, **kw):
            if Path(kw.get("dir") or "").resolve() == out.resolve():
                raise OSError(errno.EROFS, "Read-only file system", str(out))
            return real(*a, **kw)

        monkeypatch.setattr(tempfile, "mkstemp", read_only)
    try:
        result = CliRunner().invoke(cli.app, ["run", *_cli_args(suite)])
    finally:
        out.chmod(0o755)
    assert result.exit_code == 3, result.output
    assert "kan inte skriva i rapportkatalogen" in result.output
    assert "skrivskydd" in result.output or "skrivrättighet" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_full_disk_fails_one_report_then_the_books_and_says_so(suite, monkeypatch, tmp_path):
    out = suite["out_dir"]

    def full_for_17(src, dst):
        if Path(dst).name == "region_17_2023.html":
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        os.replace(src, dst)

    monkeypatch.setattr(record, "_move", full_for_17)
    s = runner.run(notebooks=["region"], regions=["17", "18"], jobs=2, timeout=60, **suite)
    by_id = {r.job.id: r for r in s.results}
    assert by_id["region_18_2023"].ok  # one failure does not stop the others
    bad = by_id["region_17_2023"]
    assert not bad.ok and bad.error["ename"] == "Skrivfel" and "disken är full" in bad.error["evalue"]
    assert s.exit_code == 1
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    index = (out / "index.html").read_text(encoding="utf-8")
    assert manifest["reports"]["region_17_2023"]["status"] == "failed"
    assert re.search(r'<tr id="region_17_2023" class="fel">.*?disken är full', index, re.S)
    # now the manifest and the index cannot be written either: a message, exit 1, the old
    # manifest and index stay (and agree with each other)
    before = {p: (out / p).read_bytes() for p in ("manifest.json", "index.html")}

    def full(path, text):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(fileio, "_write_tmp", full)
    result = CliRunner().invoke(cli.app, ["run", "--notebook", "region", "--region", "18", "--force", "--jobs", "1",
                                          *_cli_args(suite)])
    assert result.exit_code == 1, result.output
    assert "disken är full" in result.output and "Traceback" not in result.output
    assert {p: (out / p).read_bytes() for p in before} == before


def test_error_text_with_square_brackets_is_printed_as_written():
    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=200)
    text = "KeyError: ['17'] [/red] [bold]x[/bold] [link=https://x]"
    console.print(cli._failure_text("MISSLYCKADES", f" region_17_2023: {text}"), highlight=False)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", buf.getvalue())
    assert text in plain


def test_a_failing_progress_callback_does_not_stop_the_run():
    calls = []

    def on_event(kind, job, res):
        calls.append(job)
        raise ValueError("[/red] går inte att skriva ut")

    emit = execution._safe_emit(on_event)
    emit("cached", "a", None)
    emit("cached", "b", None)  # the display is given up on; the run goes on
    assert calls == ["a"] and "går inte att skriva ut" in emit.broken[0]


def test_os_error_texts_are_swedish():
    assert runner.os_error_text(OSError(errno.ENOSPC, "No space left", "/x/index.html")) == "disken är full (/x/index.html)"
    assert "skrivskyddat" in runner.os_error_text(OSError(errno.EROFS, "Read-only file system"))


# --- default cell timeout ------------------------------------------------------------------


def test_cli_default_timeout_is_the_runners():
    import inspect

    default = inspect.signature(cli.run).parameters["timeout"].default
    assert default == runner.DEFAULT_TIMEOUT == 120


def test_books_are_saved_at_most_every_interval_and_marked_unsaved_between(tmp_path, monkeypatch):
    """While reports finish the manifest and index are written at most every
    SAVE_INTERVAL seconds; a skipped write is remembered (the run saves it at the end)."""
    writes = []
    monkeypatch.setattr(execution, "render_index", lambda manifest, specs: "<html></html>")
    books = execution._Books(tmp_path, {"reports": {}}, {})
    real_save = books.save

    def save():
        writes.append(time.monotonic())
        return real_save()

    books.save = save
    books.save_soon()
    books.save_soon()
    assert len(writes) == 1 and books.unsaved
    monkeypatch.setattr(execution, "SAVE_INTERVAL", 0.0)
    books.save_soon()
    assert len(writes) == 2 and not books.unsaved
    assert json.loads((tmp_path / runner.MANIFEST_NAME).read_text(encoding="utf-8"))["reports"] == {}

