"""Headless Chromium: where to find it and the one list of flags it runs with.

The PDF (:mod:`renderers.report.pdf`), the browser tests and the README's screenshot run
Chromium with these flags, so a page behaves the same in each.
"""

from __future__ import annotations

import os
import shutil

INSTALL_HINT = (
    "install Chromium (Debian: `apt-get install chromium fonts-liberation fonts-dejavu-core`, "
    "or `make system`), or name a Chromium or Chrome binary in the CHROMIUM environment "
    "variable; `--format html` writes a page that prints to the same PDF from a browser"
)

FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--mute-audio",
    "--run-all-compositor-stages-before-draw",
)
"""Headless, and nothing that reaches the network or keeps state between runs."""

PRINT_FLAGS: tuple[str, ...] = ("--no-pdf-header-footer", "--generate-pdf-document-outline")
"""Added to print a PDF: no page header or footer, and the headings as the PDF's outline."""


def view_flags(budget_ms: int) -> tuple[str, ...]:
    """Return the flags added to look at a page: no scroll bars, ``budget_ms`` to run its script.

    Chromium dumps the page or takes the screenshot once the virtual time budget is spent, so
    it must cover the charts' drawing.
    """
    return ("--hide-scrollbars", f"--virtual-time-budget={budget_ms}")


def find_chromium() -> str | None:
    """Return the Chromium to run: ``$CHROMIUM``, else the first one on the PATH."""
    named = os.environ.get("CHROMIUM", "")
    for name in (named, "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name) if name else None
        if found:
            return found
    return None
