"""Build the real statement and save a screenshot of its top for the README.

Usage (from the repository root)::

    .venv/bin/python scripts/screenshot_report.py [--out docs/images/report.png]
        [--force warwickshire] [--period 2023/24-Q1] [--size 1280,2400]

The statement is built with ``measures report`` (SVG fallbacks included) into a temporary
folder, opened in headless Chromium with the flags of :mod:`renderers.report.chromium`
(the browser tests use them too), and captured at the
window size given. Needs Debian's ``chromium`` (``scripts/install-system-packages.sh``), or
another Chromium named by the ``CHROMIUM`` environment variable. Only the page's own files
are read: the page works offline.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from renderers.report.chromium import FLAGS, INSTALL_HINT, find_chromium, view_flags

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "docs" / "images" / "report.png"
VIEW_BUDGET_MS = 20_000
"""Longer than the browser tests' budget, since the page is the full statement."""


def chromium() -> str:
    """Return the Chromium to run, or exit saying how to install it."""
    found = find_chromium()
    if found is None:
        sys.exit(f"error: no Chromium found; {INSTALL_HINT}")
    return found


def build_report(folder: Path, force: str | None, period: str | None) -> Path:
    """Write the statement into ``folder`` with ``measures report`` and return its page."""
    command = [sys.executable, "-c", "from framework.cli.app import main; main()", "report"]
    command += ["--catalogue", str(REPO / "measures"), "--out", str(folder)]
    command += ["--force", force] if force else []
    command += ["--period", period] if period else []
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"error: measures report failed ({done.returncode}):\n{done.stderr}")
    return folder / "index.html"


def screenshot(page: Path, out: Path, size: str) -> None:
    """Capture the top ``size`` (``WIDTH,HEIGHT``) of ``page`` as a PNG at ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        command = [
            chromium(),
            *FLAGS,
            *view_flags(VIEW_BUDGET_MS),
            f"--user-data-dir={profile}",
            f"--window-size={size}",
            f"--screenshot={out}",
            page.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0 or not out.is_file():
        sys.exit(f"error: Chromium failed ({done.returncode}):\n{done.stderr[-2000:]}")


def main(argv: list[str] | None = None) -> None:
    """Build the statement, take the screenshot and say where it is."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="PNG to write")
    parser.add_argument("--force", help="force profile (default: the catalogue's default)")
    parser.add_argument("--period", help="financial quarter, e.g. 2021/22-Q4 (default: latest)")
    parser.add_argument("--size", default="1280,2400", help="window WIDTH,HEIGHT in pixels")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="statement-") as folder:
        page = build_report(Path(folder) / "report", args.force, args.period)
        screenshot(page, args.out.absolute(), args.size)
    shown = args.out.absolute()
    name = shown.relative_to(REPO) if shown.is_relative_to(REPO) else shown
    print(f"wrote {name} ({shown.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
