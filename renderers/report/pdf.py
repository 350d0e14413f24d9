"""Print the statement to a tagged A4 PDF with headless Chromium.

Chromium lays out the same HTML and print stylesheet a reader's browser prints, and writes a
tagged PDF (headings, lists, tables and figures with their alternative text in the structure
tree) with the page's title and language. The page printed runs no script and loads nothing:
each chart is its SVG, drawn as vector graphics. See docs/publishing.md for why Chromium.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from renderers.report.chromium import FLAGS, INSTALL_HINT, PRINT_FLAGS, find_chromium

TIMEOUT_SECONDS = 300

# Chromium names the header cells of tagged tables by DOM node number, which depends on what
# else the browser created first; renumbered in order of appearance, runs match byte for byte.
# The replacement keeps each name's width, so the file's cross-reference offsets stay right.
_NODE_ID = re.compile(rb"\(node(\d{8})\)")


class PdfError(Exception):
    """The PDF could not be made; the message says why and how to fix it."""


def stable_ids(pdf: bytes) -> bytes:
    """Return ``pdf`` with Chromium's node names renumbered in order of first appearance."""
    numbers: dict[bytes, bytes] = {}

    def renumber(match: re.Match[bytes]) -> bytes:
        new = numbers.setdefault(match.group(1), b"%08d" % (len(numbers) + 1))
        return b"(node" + new + b")"

    return _NODE_ID.sub(renumber, pdf)


def print_to_pdf(
    html: str, *, chromium: str | None = None, extra_flags: Sequence[str] = ()
) -> bytes:
    """Return the PDF that headless Chromium prints from the page ``html``.

    Raises :class:`PdfError` when there is no Chromium or it fails to print.
    """
    binary = chromium or find_chromium()
    if binary is None:
        raise PdfError(
            f"the PDF is printed by headless Chromium, which was not found: {INSTALL_HINT}"
        )
    with tempfile.TemporaryDirectory(prefix="measures-pdf-") as tmp:
        folder = Path(tmp)
        page = folder / "statement.html"
        page.write_text(html, encoding="utf-8")
        out = folder / "statement.pdf"
        command = [
            binary,
            *FLAGS,
            *PRINT_FLAGS,
            *extra_flags,
            f"--user-data-dir={folder / 'profile'}",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PdfError(f"Chromium ({binary}) could not print the statement: {error}") from None
        if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            tail = done.stderr.strip().splitlines()[-3:]
            raise PdfError(
                f"Chromium ({binary}) exited {done.returncode} without writing the PDF"
                + (": " + " / ".join(tail) if tail else "")
            )
        return stable_ids(out.read_bytes())
