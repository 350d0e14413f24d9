"""Write a rendered statement and its chart files to a folder, all of them or none."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

from framework.atomic import exchange, public_mode
from renderers.report.html import render_html
from renderers.report.markdown import render_markdown
from renderers.report.pdf import print_to_pdf
from renderers.report.statement import Statement

ReportFormat = Literal["html", "md", "pdf"]
PAGE_NAMES: dict[ReportFormat, str] = {
    "html": "index.html",
    "md": "statement.md",
    "pdf": "statement.pdf",
}


def report_files(statement: Statement, format: ReportFormat = "html") -> dict[str, str | bytes]:
    """Return every file of the report by name: the page, then each chart's spec and SVG.

    ``pdf`` prints the page with headless Chromium and raises
    :class:`~renderers.report.pdf.PdfError` when it cannot.
    """
    page: str | bytes
    if format == "html":
        page = render_html(statement)
    elif format == "md":
        page = render_markdown(statement)
    elif format == "pdf":
        page = print_to_pdf(render_html(statement, for_print=True))
    else:
        raise ValueError(f"unknown report format {format!r}: use 'html', 'md' or 'pdf'")
    files: dict[str, str | bytes] = {PAGE_NAMES[format]: page}
    for chart in statement.charts:
        # Compact, as the page embeds it: an indented dump takes Python's slow encoder, half
        # the time of a statement's writing (`python -m json.tool` indents one to read).
        spec = json.dumps(chart.spec, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        files[f"{chart.stem}.vl.json"] = spec + "\n"
        if chart.svg is not None:
            files[f"{chart.stem}.svg"] = chart.svg
    return files


def _write_file(path: Path, content: str | bytes) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    with path.open("wb") as handle:
        handle.write(data)


FLUSHERS = 8
"""Files flushed to disk at once."""


def _flush_to_disk(paths: list[Path]) -> None:
    """Return once every file is on disk, flushing several at a time.

    Flushed together, the file system commits them in a few journal writes rather than
    one a file (a statement's 28 files: some 10 to 30 ms rather than 100 to 200 ms).
    """

    def flush(path: Path) -> None:
        with path.open("rb+") as handle:
            os.fsync(handle.fileno())

    with ThreadPoolExecutor(min(FLUSHERS, max(1, len(paths))), "report-flush") as pool:
        for _ in pool.map(flush, paths):
            pass  # the first error is raised once every flush has ended


def _swap_into_place(staging: Path, target: Path) -> None:
    if not target.exists():
        staging.rename(target)
        return
    # One atomic exchange where the system has it: a kill at any moment leaves a report.
    if exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # now the previous report
        return
    backup = target.with_name(f".{target.name}.old-{os.getpid()}-{uuid.uuid4().hex[:12]}")
    target.rename(backup)
    try:
        staging.rename(target)
    except BaseException:
        backup.rename(target)
        raise
    shutil.rmtree(backup, ignore_errors=True)


STRAY_AGE = 3600.0
"""Seconds after which a stray folder whose writer cannot be told is taken as abandoned."""


def clean_strays(target: Path) -> list[Path]:
    """Remove the ``.<name>.new-*`` and ``.<name>.old-*`` folders interrupted runs left.

    A folder whose writing process is still alive is another run's work and is kept; one
    named without a process id is removed once it is an hour old.
    """
    removed: list[Path] = []
    if not target.parent.is_dir():
        return removed
    for kind in ("new", "old"):
        for stray in target.parent.glob(f".{target.name}.{kind}-*"):
            if stray.is_symlink() or not stray.is_dir() or _alive(stray, kind):
                continue
            shutil.rmtree(stray, ignore_errors=True)
            removed.append(stray)
    return removed


def _alive(stray: Path, kind: str) -> bool:
    """Say whether the run that made ``stray`` may still be writing it."""
    rest = stray.name.split(f".{kind}-", 1)[1]
    pid_text = rest.split("-", 1)[0]
    if not pid_text.isdigit() or "-" not in rest:
        try:
            return time.time() - stray.stat().st_mtime < STRAY_AGE
        except OSError:
            return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


def write_report(
    statement: Statement, out_dir: Path | str, format: ReportFormat = "html"
) -> list[Path]:
    """Write the report into ``out_dir``, replacing what was there, and return the files.

    The files are built in a new folder beside ``out_dir`` and swapped in by one atomic
    exchange (two renames where the system has none), so a failure at any point leaves the
    previous report as it was; folders an interrupted run left beside it are removed first.
    ``out_dir`` belongs to the report: anything else in it is replaced too.
    """
    target = Path(out_dir)
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{target} exists and is not a folder")
    files = report_files(statement, format)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Beside the target, so the final rename stays on one file system and is atomic.
    clean_strays(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-{os.getpid()}-", dir=target.parent))
    staging.chmod(public_mode(directory=True))  # mkdtemp's 0700 would hide the published report
    try:
        for name, text in files.items():
            _write_file(staging / name, text)
        # Every file is on disk before the folder is swapped in, so a crash leaves either
        # report whole.
        _flush_to_disk([staging / name for name in files])
        _swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [target / name for name in files]
