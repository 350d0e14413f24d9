"""The national overview page: what each cell says, the table, its policy and its script."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renderers.report.assets import script_hash
from renderers.report.overview import (
    SORT_SCRIPT,
    Overview,
    OverviewColumn,
    OverviewRow,
    number_of,
    overview_cell,
    render_overview_html,
)
from renderers.report.statement import MeasureSection, Period
from tests.report.builders import homicide, knife_crime
from tests.report.test_browser import RenderedDom, chromium, run_chromium

PERIOD = Period("2021/22 Q4", (date(2022, 1, 1), date(2022, 2, 1), date(2022, 3, 1)))


def sample_overview() -> Overview:
    no_data = MeasureSection(
        id="homicide", title="Homicide", kind="national", provenance=homicide().provenance
    )
    return Overview(
        period=PERIOD,
        generated_on=date(2022, 4, 20),
        framework_version="0.1.0",
        columns=(OverviewColumn("homicide", "Homicide"), OverviewColumn("knife_crime", "Knife")),
        rows=(
            OverviewRow(
                "Warwickshire",
                "warwickshire/index.html",
                {
                    "homicide": overview_cell(homicide()),
                    "knife_crime": overview_cell(knife_crime()),
                },
            ),
            OverviewRow("Gwent", "gwent/index.html", {"homicide": overview_cell(no_data)}),
            OverviewRow("Devon & Cornwall", None, {}, failed="no data <at all>"),
        ),
        notes=("Illustrative groups for forces without a profile.",),
    )


def test_the_cell_says_figure_rate_change_and_status() -> None:
    cell = overview_cell(homicide())
    assert cell.lines == ("7 offences", "1.2 per 100,000", "Change: -2 (-22.2%)")
    assert cell.status == "no significant change"
    assert cell.sort_key == 1.2  # forces of every size compare by rate


def test_a_cell_without_a_rate_sorts_by_its_figure() -> None:
    measure = homicide()
    assert measure.headline is not None
    plain = replace(measure, headline=replace(measure.headline, rate_per_100k=None, value="1,234"))
    cell = overview_cell(plain)
    assert cell.lines[0] == "1,234 offences"
    assert cell.sort_key == 1234.0


def test_a_measure_without_a_figure_says_no_data() -> None:
    cell = overview_cell(replace(homicide(), headline=None))
    assert cell.lines == ("No data",)
    assert cell.status == "no data"
    assert cell.sort_key is None


@given(st.floats(-1e9, 1e9, allow_nan=False), st.integers(0, 3))
def test_number_of_reads_back_a_formatted_figure(value: float, decimals: int) -> None:
    text = f"{value:,.{decimals}f}"
    assert number_of(text) == pytest.approx(float(text.replace(",", "")))


@pytest.mark.parametrize("text", ["", "–", "n/a", None])
def test_number_of_is_none_for_no_number(text: str | None) -> None:
    assert number_of(text) is None


def test_the_page_links_every_statement_and_says_which_failed() -> None:
    page = render_overview_html(sample_overview())
    rows = re.findall(r"<tr><th scope=\"row\"[^>]*>(.*?)</th>", page)
    assert rows == [
        '<a href="warwickshire/index.html">Warwickshire</a>',
        '<a href="gwent/index.html">Gwent</a>',
        "Devon &amp; Cornwall",
    ]
    assert "The statement could not be built: no data &lt;at all&gt;" in page
    assert 'data-sort="1.2"' in page
    assert "Not in this statement" in page  # Gwent has no knife crime column
    assert "2 of 3 forces" in page
    assert page.count('<th scope="col"') == 3


def test_the_page_loads_nothing_and_runs_only_its_own_script() -> None:
    page = render_overview_html(sample_overview())
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert meta
    policy = unescape(meta.group(1))
    assert policy.startswith("default-src 'none'; ")
    assert f"script-src {script_hash(SORT_SCRIPT)};" in policy
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S)
    assert scripts == [SORT_SCRIPT]
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)


@pytest.mark.browser
def test_the_table_becomes_sortable_offline(tmp_path: Path) -> None:
    chromium()
    page = tmp_path / "index.html"
    page.write_text(render_overview_html(sample_overview()), encoding="utf-8")
    result = run_chromium(page, tmp_path / "profile", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    dom = RenderedDom()
    dom.feed(result.stdout)
    assert dom.body.get("data-render-status") == "done", result.stderr[-2000:]
    assert dom.body.get("data-sortable") == "ready"
    assert "blocked by" not in result.stdout
    # The script shows each column's button (hidden without it).
    buttons = re.findall(r"<button[^>]*data-sort-button[^>]*>", result.stdout)
    assert len(buttons) == 3
    assert not [b for b in buttons if "hidden" in b]
