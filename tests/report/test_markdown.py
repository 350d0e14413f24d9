"""The Markdown statement: a fixed snapshot, stale data, completeness and hostile commentary."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from renderers.report import render_markdown
from tests.report.builders import HOSTILE, homicide, sample_statement, with_measure
from tests.report.test_markdown_clean import assert_safe_markdown
from tests.snapshots import Snapshot

SNAPSHOT = Path(__file__).parent / "snapshots" / "statement.md"


def test_markdown_matches_the_snapshot(snapshot: Snapshot) -> None:
    snapshot.assert_match(render_markdown(sample_statement()), SNAPSHOT)


def test_charts_are_images_beside_the_file_or_links_to_their_spec() -> None:
    rendered = render_markdown(sample_statement())
    assert "](<homicide-trend.svg>)" in rendered
    # Every chart links to its spec, beside its image when it has one.
    assert "[Vega-Lite spec](<homicide-trend.vl.json>)" in rendered
    assert "[Vega-Lite spec](<knife_crime-comparator.vl.json>)" in rendered


def test_stale_data_note_in_markdown() -> None:
    rendered = render_markdown(sample_statement())
    assert "> **Out of date.** The data behind this figure end in December 2019" in rendered
    assert "**out of date**" in rendered


def test_completeness_lists_the_uncovered_priority() -> None:
    rendered = render_markdown(sample_statement())
    assert "- **Reduce neighbourhood crime**: The statement has no section" in rendered


def test_hostile_commentary_stays_inert_in_markdown() -> None:
    measure = replace(homicide(), force_commentary=HOSTILE, pcc_commentary="```\nunclosed")
    rendered = render_markdown(with_measure(sample_statement(introduction=HOSTILE), measure))
    local = frozenset(
        {"homicide-trend.svg", "homicide-trend.vl.json", "knife_crime-comparator.vl.json"}
    )
    assert_safe_markdown(rendered, local)
    # The unclosed fence is closed, so the statement's next headings are still headings.
    assert "\n## 2. Reduce serious violence\n" in rendered
