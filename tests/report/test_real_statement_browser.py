"""Open the real Warwickshire statement in headless Chromium: every chart draws, offline.

The statement is built once per session (tests/conftest.py), as ``measures report`` writes
it (SVG fallbacks included), from the bundled catalogue. Like tests/report/test_browser.py
this needs Debian's ``chromium`` and fails saying so without it, unless
REPORT_BROWSER_TESTS=0, which skips it.
KEEP_SCREENSHOT=path keeps a copy of the screenshot of the page.
"""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import RealReport
from tests.report.test_browser import chromium, drawn_without_errors, run_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def statement(real_report: RealReport) -> Path:
    """Return the page of the real statement the session built."""
    chromium()  # skip (or fail with the install hint) before the build, not after it
    assert real_report.result.exit_code == 0, real_report.result.output
    return real_report.page


@pytest.fixture(scope="module")
def stems(statement: Path) -> list[str]:
    """Return the chart stems of the page, in page order."""
    html = statement.read_text(encoding="utf-8")
    found = re.findall(r'<figure class="chart[^"]*" data-chart="([^"]+)"', html)
    assert len(found) >= 11, found
    return found


def test_the_page_carries_an_svg_fallback_per_chart(statement: Path, stems: list[str]) -> None:
    html = statement.read_text(encoding="utf-8")
    assert html.count('src="data:image/svg+xml;base64,') == len(stems)
    assert sorted(p.name for p in statement.parent.glob("*.svg")) == sorted(
        f"{stem}.svg" for stem in stems
    )


def test_every_chart_of_the_real_statement_draws(
    statement: Path, stems: list[str], tmp_path: Path
) -> None:
    dom = drawn_without_errors(statement, tmp_path / "profile")
    assert list(dom.charts) == stems
    undrawn = {
        stem: chart
        for stem, chart in dom.charts.items()
        if chart["state"] != "rendered" or not set(chart["drawn"]) & {"svg", "canvas"}
    }
    assert undrawn == {}


def test_screenshot_of_the_real_statement(statement: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    result = run_chromium(
        statement, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2400"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2400)
    # A blank page compresses to a few kilobytes; text, tables and a chart make it far larger.
    assert len(data) > 100_000, len(data)
    keep = os.environ.get("KEEP_SCREENSHOT")
    if keep:
        Path(keep).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, keep)


def _count(value: list[str] | int) -> int:
    """Return a count kept beside the alternative texts (which are a list)."""
    assert isinstance(value, int)
    return value


class ChartParts(HTMLParser):
    """Collects, per chart figure, its alternative texts and the rows of its values table."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.charts: dict[str, dict[str, list[str] | int]] = {}
        self._stem: str | None = None
        self._in_details = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "figure" and found.get("data-chart"):
            self._stem = found["data-chart"] or ""
            self.charts[self._stem] = {"alts": [], "tables": 0, "rows": 0}
        if self._stem is None:
            return
        chart = self.charts[self._stem]
        alts = chart["alts"]
        assert isinstance(alts, list)
        if tag == "img" and found.get("alt"):
            alts.append(found["alt"] or "")
        if found.get("role") == "img" and found.get("aria-label"):
            alts.append(found["aria-label"] or "")
        if tag == "details" and "chart-data" in (found.get("class") or ""):
            self._in_details = True
        if self._in_details and tag == "table":
            chart["tables"] = _count(chart["tables"]) + 1
        if self._in_details and tag == "tr":
            chart["rows"] = _count(chart["rows"]) + 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "details":
            self._in_details = False
        if tag == "figure":
            self._stem = None


def test_every_chart_has_alternative_text_from_its_data_and_a_table(
    statement: Path, stems: list[str]
) -> None:
    parts = ChartParts()
    parts.feed(statement.read_text(encoding="utf-8"))
    assert list(parts.charts) == stems
    for stem, chart in parts.charts.items():
        alts = chart["alts"]
        assert isinstance(alts, list) and len(alts) == 2 and alts[0] == alts[1], (stem, alts)
        # Told from the data: it names the force and carries figures, not a generic sentence.
        assert "Warwickshire" in alts[0] and re.search(r"\d", alts[0]), (stem, alts[0])
        assert chart["tables"] == 1, stem
        assert _count(chart["rows"]) >= 3, stem


def test_axe_finds_no_wcag_violation_in_the_real_statement(statement: Path, tmp_path: Path) -> None:
    from tests.report.axe_check import axe_results

    found = axe_results(statement, tmp_path / "profile")
    assert "error" not in found, found
    assert found["violations"] == [], found["violations"]
