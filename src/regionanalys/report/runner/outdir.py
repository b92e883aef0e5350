"""The output folder: write only into an empty folder or one marked as a report folder."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from regionanalys import config
from regionanalys.report.specs import ParameterError

#: a file that says "this folder holds regionanalys reports; the runner may write here"
MARKER_NAME = ".regionanalys-reports"
MARKER_TEXT = (
    "Den här katalogen innehåller rapporter från regionanalys (regionanalys run).\n"
    "Filen visar att körningen får skriva och skriva över filer här; ta inte bort den.\n"
)


class OutDirError(ParameterError):
    """``--out`` points at a folder that is not ours (someone else's files, or not a folder)."""


def _ours_by_manifest(out: Path) -> bool:
    """A report folder from before the marker existed: it has the runner's manifest."""
    from regionanalys.report.runner.cache import MANIFEST_FORMAT, MANIFEST_NAME

    try:
        doc = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(doc, dict) and doc.get("format") == MANIFEST_FORMAT and isinstance(doc.get("reports"), dict)


def check_out_dir(out: Path) -> None:
    """Raise :class:`OutDirError` unless the runner may write into ``out``.

    Allowed: a folder that does not exist yet, an empty folder, a folder with the marker
    file, a folder with the runner's ``manifest.json`` (made before the marker existed),
    and the project's own ``reports/``.
    """
    out = Path(out)
    if not out.exists():
        return
    if not out.is_dir():
        raise OutDirError(f"--out: {out} finns redan men är ingen katalog; ange en katalog för rapporterna")
    if (out / MARKER_NAME).is_file() or out.resolve() == Path(config.REPORTS_DIR).resolve():
        return
    try:
        entries = sorted(p.name for p in out.iterdir())
    except OSError as exc:
        raise OutDirError(f"--out: kan inte läsa katalogen {out}: {exc.strerror or exc}") from None
    if not entries or _ours_by_manifest(out):
        return
    shown = ", ".join(entries[:3]) + (f" och {len(entries) - 3} till" if len(entries) > 3 else "")
    raise OutDirError(
        f"--out: katalogen {out} är inte tom och är inte en rapportkatalog för regionanalys "
        f"(den innehåller {shown} men inte filen {MARKER_NAME}). Rapporterna skrivs bara i en tom "
        f"katalog eller en som redan har rapporter; välj en annan katalog, eller skapa filen "
        f"{out / MARKER_NAME} om katalogen verkligen är till för rapporterna."
    )


def claim_out_dir(out: Path) -> None:
    """Create ``out`` if needed and put the marker in it (after :func:`check_out_dir`)."""
    from regionanalys.data.fileio import atomic_write_text

    out.mkdir(parents=True, exist_ok=True)
    marker = out / MARKER_NAME
    if not marker.is_file():
        atomic_write_text(marker, MARKER_TEXT)


def remove_leftovers(out: Path, tmp_dirname: str) -> list[str]:
    """Remove what a killed run left: its temporary folder and half-written files."""
    removed = []
    tmp = out / tmp_dirname
    if tmp.exists():
        shutil.rmtree(tmp, ignore_errors=True)
        removed.append(tmp_dirname)
    for p in out.glob(".*.tmp"):  # the atomic writer's temporary files (see data.fileio)
        try:
            p.unlink()
            removed.append(p.name)
        except OSError:
            pass
    return removed
