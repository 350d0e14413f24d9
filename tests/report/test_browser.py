"""Open a written report in headless Chromium: every chart draws, offline, with no error.

Needs Debian's ``chromium`` package (``apt-get install -y chromium fonts-liberation
fonts-dejavu-core``). Without it these tests fail and say so, unless REPORT_BROWSER_TESTS=0,
which skips them. KEEP_SCREENSHOT=path keeps a copy of the screenshot of the page.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from altair.vegalite.v6.schema import SCHEMA_VERSION, load_schema

from renderers.report import ChartRef, Statement, write_report
from renderers.report.chromium import FLAGS, find_chromium, view_flags
from tests.report.builders import HOSTILE, homicide, sample_statement, with_measure

pytestmark = pytest.mark.browser

INSTALL_HINT = (
    "headless Chromium is needed to test the report page: install it with "
    "`apt-get install -y chromium fonts-liberation fonts-dejavu-core` (Debian), or set "
    "REPORT_BROWSER_TESTS=0 to skip these tests"
)

# A line chart as a force analyst would write it: Vega-Lite v6, as altair 6 targets.
LINE_CHART: dict[str, Any] = {
    "$schema": "https://vega.github.io/schema/vega-lite/v6.4.1.json",
    "title": {"text": "Neighbourhood crime", "subtitle": "Rolling 12 months, Warwickshire"},
    "width": 560,
    "height": 240,
    "data": {
        "values": [
            {"month": "2021-10", "offences": 5120},
            {"month": "2021-11", "offences": 5088},
            {"month": "2021-12", "offences": 5010},
            {"month": "2022-01", "offences": 4987},
            {"month": "2022-02", "offences": 5042},
            {"month": "2022-03", "offences": 5101},
        ]
    },
    "mark": {"type": "line", "point": True, "color": "#0072B2"},
    "encoding": {
        "x": {
            "field": "month",
            "type": "temporal",
            "timeUnit": "yearmonth",
            "title": "12 months ending",
            "axis": {"format": "%b %Y", "labelAngle": 0},
        },
        "y": {
            "field": "offences",
            "type": "quantitative",
            "title": "Offences",
            "scale": {"zero": False},
        },
        "tooltip": [
            {"field": "month", "type": "temporal", "format": "%B %Y"},
            {"field": "offences", "type": "quantitative", "format": ","},
        ],
    },
}

VIEW_BUDGET_MS = 10_000
"""The time Chromium gives the page's script (drawing the charts) before it dumps the DOM."""


def chromium() -> str:
    """Return the Chromium to run, failing with how to install it, or skipping when told to."""
    if os.environ.get("REPORT_BROWSER_TESTS") == "0":
        pytest.skip("REPORT_BROWSER_TESTS=0: the headless browser tests are switched off")
    found = find_chromium()
    if found is None:
        pytest.fail(INSTALL_HINT)
    return found


def run_chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium on ``page`` with the test flags and ``args``."""
    flags = [*FLAGS, *view_flags(VIEW_BUDGET_MS)]
    command = [chromium(), *flags, f"--user-data-dir={profile}", *args, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


class RenderedDom(HTMLParser):
    """Reads Chromium's --dump-dom: body attributes and what each chart view came to hold."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.body: dict[str, str | None] = {}
        self.charts: dict[str, dict[str, Any]] = {}
        self._figure: str | None = None
        self._view_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "body":
            self.body = found
        if tag == "figure" and "data-chart" in found:
            self._figure = found["data-chart"] or ""
            self.charts[self._figure] = {"state": found.get("data-chart-state"), "drawn": []}
        if self._view_depth:
            self._view_depth += 1
            if tag in ("svg", "canvas") and self._figure is not None:
                self.charts[self._figure]["drawn"].append(tag)
        elif tag == "div" and "data-chart-view" in found:
            self._view_depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self._view_depth:
            self._view_depth -= 1
        if tag == "figure":
            self._figure = None


def drawn_without_errors(page: Path, profile: Path) -> RenderedDom:
    """Open ``page`` in headless Chromium; assert its charts finished with no error recorded."""
    result = run_chromium(page, profile, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    dom = RenderedDom()
    dom.feed(result.stdout)
    assert dom.body.get("data-render-status") == "done", (dom.body, result.stderr[-2000:])
    assert dom.body.get("data-render-errors") == "", dom.body.get("data-render-errors")
    return dom


def browser_statement() -> Statement:
    """Return the test statement with hostile commentary and a second chart for homicide."""
    line = ChartRef(
        kind="trend",
        title="Neighbourhood crime, rolling 12 months",
        spec=LINE_CHART,
        stem="neighbourhood-trend",
        description="Line chart: offences in the 12 months to each month, 4,987 to 5,120.",
    )
    measure = replace(
        homicide(),
        charts=(*homicide().charts, line),
        force_commentary=HOSTILE + "\n\n" + (homicide().force_commentary or ""),
    )
    return with_measure(sample_statement(), measure)


def test_the_hand_written_chart_is_valid_vega_lite_v6() -> None:
    # altair ships the Vega-Lite schema it targets, so this needs no network.
    jsonschema.validate(LINE_CHART, load_schema())
    assert LINE_CHART["$schema"].endswith(f"/{SCHEMA_VERSION}.json")


def test_every_chart_draws_offline_without_errors(tmp_path: Path) -> None:
    statement = browser_statement()
    out = tmp_path / "report"
    write_report(statement, out)
    dom = drawn_without_errors(out / "index.html", tmp_path / "profile")
    stems = [chart.stem for chart in statement.charts]
    assert list(dom.charts) == stems
    for stem, chart in dom.charts.items():
        assert chart["state"] == "rendered", (stem, chart)
        assert chart["drawn"] and chart["drawn"][0] in ("svg", "canvas"), (stem, chart)
    # Hostile commentary stayed text in the live page too: nothing it carried ran.
    assert "alert(" not in "".join(value or "" for value in (dom.body or {}).values())


def test_chart_failures_are_recorded_on_the_body(tmp_path: Path) -> None:
    broken = ChartRef("trend", "Broken", {**LINE_CHART, "mark": "no-such-mark"}, "broken")
    # Nothing listens on port 9 of the loopback; the page's policy must stop the load anyway.
    remote = ChartRef(
        "trend", "Remote", {**LINE_CHART, "data": {"url": "http://127.0.0.1:9/x.csv"}}, "remote"
    )
    statement = with_measure(sample_statement(), replace(homicide(), charts=(broken, remote)))
    out = tmp_path / "report"
    write_report(statement, out)
    result = run_chromium(out / "index.html", tmp_path / "profile", "--dump-dom")
    dom = RenderedDom()
    dom.feed(result.stdout)
    errors = dom.body.get("data-render-errors") or ""
    assert dom.body.get("data-render-status") == "done"
    assert "broken:" in errors, errors
    assert "connect-src" in errors, errors
    assert "remote:" in errors, errors
    assert dom.charts["broken"]["state"] == "failed"
    assert dom.charts["remote"]["state"] == "failed"
    assert dom.charts["knife_crime-comparator"]["state"] == "rendered"


def test_screenshot_of_the_page(tmp_path: Path) -> None:
    out = tmp_path / "report"
    write_report(browser_statement(), out)
    shot = tmp_path / "report.png"
    result = run_chromium(
        out / "index.html", tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,4000"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    # A blank page compresses to a few kilobytes; text and charts make it far larger.
    assert len(data) > 100_000, len(data)
    keep = os.environ.get("KEEP_SCREENSHOT")
    if keep:
        Path(keep).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, keep)


def test_axe_finds_no_wcag_violation_with_the_tables_open(tmp_path: Path) -> None:
    from tests.report.axe_check import axe_results

    out = tmp_path / "report"
    write_report(browser_statement(), out)
    found = axe_results(out / "index.html", tmp_path / "profile")
    assert "error" not in found, found
    assert found["violations"] == [], json.dumps(found["violations"], indent=2)
    assert found["passes"] > 10


def test_axe_finds_no_wcag_violation_in_the_printed_page(tmp_path: Path) -> None:
    from renderers.report import render_html
    from tests.report.axe_check import axe_results

    page = tmp_path / "print.html"
    page.write_text(render_html(browser_statement(), for_print=True), encoding="utf-8")
    found = axe_results(page, tmp_path / "profile")
    assert found["violations"] == [], json.dumps(found["violations"], indent=2)


def overview_page(folder: Path) -> Path:
    """Write the sample overview with a funnel plot of every force, highlighting none."""
    from renderers.chart_kinds import chart_text, render_chart
    from renderers.report.overview import render_overview_html
    from renderers.vegalite.funnel import AREA_ROLE
    from tests.renderers.samples import funnel_inputs
    from tests.report.test_overview import sample_overview

    sample = funnel_inputs()
    inputs = replace(sample, forces=sample.forces.assign(role=AREA_ROLE), msg_average=None)
    spec = render_chart("funnel", inputs)
    description, table = chart_text("funnel", inputs, "Knife crime: funnel plot, every force", spec)
    chart = ChartRef(
        "funnel", "Knife crime: funnel plot, every force", spec, "knife_crime-funnel", None,
        description, table,
    )  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / "index.html"
    overview = replace(sample_overview(), charts=(chart,))
    page.write_text(render_overview_html(overview), encoding="utf-8")
    return page


def test_the_overview_draws_its_funnel_plots_and_sorts(tmp_path: Path) -> None:
    page = overview_page(tmp_path / "overview")
    dom = drawn_without_errors(page, tmp_path / "profile")
    assert dom.body.get("data-sortable") == "ready"
    assert dom.charts["knife_crime-funnel"]["state"] == "rendered", dom.charts


def test_axe_finds_no_wcag_violation_in_the_overview(tmp_path: Path) -> None:
    from tests.report.axe_check import axe_results

    page = overview_page(tmp_path / "overview")
    found = axe_results(page, tmp_path / "profile")
    assert "error" not in found, found
    assert found["violations"] == [], json.dumps(found["violations"], indent=2)
    assert found["passes"] > 10
