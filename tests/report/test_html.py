"""The HTML page: safe whatever the commentary says, self-contained, complete and accessible."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import replace
from datetime import date

import pytest

from renderers.report import (
    ChartRef,
    Completeness,
    render_html,
)
from renderers.report.assets import PAGE_SCRIPT, script_hash, stylesheet, vega_bundle
from renderers.report.html import spec_json
from tests.report.builders import (
    HOSTILE,
    SMALL_SVG,
    Scan,
    homicide,
    knife_crime,
    line_spec,
    sample_statement,
    scan,
    with_measure,
)


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(sample_statement())


@pytest.fixture(scope="module")
def parsed(page: str) -> Scan:
    return scan(page)


def _hostile_statement() -> str:
    measure = replace(homicide(), force_commentary=HOSTILE, pcc_commentary=HOSTILE)
    statement = with_measure(sample_statement(introduction=HOSTILE), measure)
    return render_html(statement)


def test_hostile_commentary_never_becomes_live_markup() -> None:
    page = _hostile_statement()
    parsed = scan(page)
    # Our scripts carry data-report-script (code) or data-report-spec (inert JSON); no other.
    for attrs, _ in parsed.scripts:
        assert "data-report-script" in attrs or (
            attrs.get("type") == "application/json" and "data-report-spec" in attrs
        ), attrs
    assert [a["data-report-script"] for a, _ in parsed.scripts if "data-report-script" in a] == [
        "page",
        "vega-bundle",
    ]
    for tag, attrs in parsed.tags:
        for name, value in attrs.items():
            assert not name.lower().startswith("on"), (tag, name)
            if name in ("href", "src", "action", "formaction"):
                assert value is not None
                assert not re.match(r"\s*(javascript|vbscript|data:text)", value, re.I), value
    assert not any(tag == "img" and attrs.get("src") == "x" for tag, attrs in parsed.tags)
    text = "".join(parsed.text)
    # Shown to the reader as text, in each of the three places it was put.
    assert text.count("<script>alert('xss')</script>") == 3
    assert text.count("<img src=x onerror=alert(1)>") == 3
    assert text.count("[click](javascript:alert(1))") == 3
    hrefs = [a.get("href") or "" for t, a in parsed.tags if t == "a"]
    fine = [href for href in hrefs if href.startswith("http")]
    assert fine == ["https://example.org/report"] * 3


def test_page_loads_nothing_from_elsewhere(parsed: Scan) -> None:
    for tag, attrs in parsed.tags:
        for name in ("src", "href", "srcset", "poster", "data", "action"):
            value = attrs.get(name)
            if value is None or (name == "href" and tag == "a"):
                continue
            assert value.startswith(("data:", "#")), (tag, name, value)
        assert tag not in ("link", "iframe", "object", "embed", "base")
    # The stylesheet pulls in nothing either: no @import, no url() fonts or backgrounds.
    assert "url(" not in stylesheet() and "@import" not in stylesheet()
    # Plain links are allowed only as commentary links, which a reader must click.
    for tag, attrs in parsed.tags:
        if tag == "a" and not attrs["href"].startswith("#"):  # type: ignore[union-attr]
            assert attrs["href"].startswith(("https://", "http://", "mailto:"))  # type: ignore[union-attr]
            assert attrs.get("rel") == "nofollow noopener noreferrer"


def test_csp_forbids_external_loads_and_allows_only_our_scripts(parsed: Scan) -> None:
    metas = [a for t, a in parsed.tags if t == "meta" and a.get("http-equiv")]
    assert len(metas) == 1
    policy = metas[0]["content"] or ""
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["img-src"] == "data:"
    assert "unsafe-eval" not in policy and "'unsafe-inline'" not in directives["script-src"]
    code = [text for attrs, text in parsed.scripts if "data-report-script" in attrs]
    assert code == [PAGE_SCRIPT, vega_bundle()]
    assert directives["script-src"].split() == [script_hash(s) for s in code]


def test_one_chart_container_per_chart_and_specs_round_trip(parsed: Scan) -> None:
    charts = sample_statement().charts
    figures = [a for t, a in parsed.tags if t == "figure" and "data-chart" in a]
    assert [f["data-chart"] for f in figures] == [c.stem for c in charts]
    views = [a for t, a in parsed.tags if t == "div" and "data-chart-view" in a]
    assert len(views) == len(charts)
    assert all(v.get("role") == "img" and v.get("aria-label") for v in views)
    specs = {a["data-report-spec"]: text for a, text in parsed.scripts if "data-report-spec" in a}
    assert {stem: json.loads(text) for stem, text in specs.items()} == {
        c.stem: c.spec for c in charts
    }


def test_a_spec_cannot_close_its_script_element() -> None:
    nasty = line_spec("</script><script>alert(1)</script><!--<script>", [("2022-03", 1)], 1)
    text = spec_json(nasty)
    assert "</" not in text and "<!--" not in text and "<script" not in text.lower()
    assert json.loads(text) == nasty
    chart = ChartRef("trend", "</script>", nasty, "nasty")
    page = render_html(with_measure(sample_statement(), replace(homicide(), charts=(chart,))))
    parsed = scan(page)
    specs = {a["data-report-spec"]: t for a, t in parsed.scripts if "data-report-spec" in a}
    assert list(specs) == ["nasty", "knife_crime-comparator"]
    assert json.loads(specs["nasty"]) == nasty
    assert sum("data-report-script" in a for a, _ in parsed.scripts) == 2


def test_svg_fallback_is_an_inert_image() -> None:
    svg = SMALL_SVG.replace("<rect", '<script>alert(1)</script><rect onclick="alert(1)"')
    chart = replace(homicide().charts[0], svg=svg)
    page = render_html(with_measure(sample_statement(), replace(homicide(), charts=(chart,))))
    parsed = scan(page)
    images = [a for t, a in parsed.tags if t == "img"]
    assert len(images) == 1
    assert (images[0]["src"] or "").startswith("data:image/svg+xml;base64,")
    assert images[0]["alt"] == chart.alt
    assert "onclick" not in page


def test_chart_without_svg_says_where_its_data_are(parsed: Scan) -> None:
    # Without script, the chart's own table of figures (below it) stands in for the chart.
    text = " ".join("".join(parsed.text).split())
    assert "its figures are in the table below and in knife_crime-comparator.vl.json" in text


def test_stale_data_is_said_plainly(parsed: Scan) -> None:
    text = " ".join("".join(parsed.text).split())
    assert (
        "Out of date. The data behind this figure end in December 2019, before this "
        "statement's period (2021/22 Q4, January to March 2022)" in text
    )
    assert text.count("Out of date") == 2  # the headline and the summary table


def test_no_stale_note_when_data_reach_the_period() -> None:
    knife = knife_crime()
    assert knife.headline is not None
    fresh = replace(knife.headline, data_to=date(2022, 1, 1), stale_note=None)
    parsed = scan(render_html(with_measure(sample_statement(), replace(knife, headline=fresh))))
    assert "Out of date" not in "".join(parsed.text)


def test_completeness_lists_the_uncovered_priorities(parsed: Scan) -> None:
    text = " ".join("".join(parsed.text).split())
    assert "Not every priority is covered." in text
    assert "Disrupt drugs supply and county lines: The statement has no section" in text
    assert "Tackle cyber crime: The national measures come from surveys" in text


def test_completeness_when_all_covered() -> None:
    page = render_html(sample_statement(completeness=Completeness()))
    assert "Every priority in this statement is covered" in page


def test_national_measure_availability_and_missing_commentary(parsed: Scan) -> None:
    text = " ".join("".join(parsed.text).split())
    assert (
        "is held by NHS Digital — not available to the police: hospital episode data are not "
        "shared with forces at force level; this proxy stands in for it." in text
    )
    assert text.count("No commentary supplied for this period.") == 4
    assert "Force commentary" in text and "PCC office commentary" in text


def test_header_notices_and_summary(parsed: Scan) -> None:
    text = " ".join("".join(parsed.text).split())
    assert "Office of the Police and Crime Commissioner for Warwickshire" in text
    assert "2021/22 Q4 (January to March 2022)" in text
    assert "Synthetic dataThis statement contains SYNTHETIC data" in text
    assert "Illustrative comparisonThe most similar group of forces is illustrative." in text
    links = [a["href"] for t, a in parsed.tags if t == "a" and "#measure-" in (a["href"] or "")]
    assert links == [f"#measure-{m.id}" for m in sample_statement().measures]
    assert "✖Worsening" in text and "=No significant change" in text


def test_headings_are_in_order_and_tables_have_scoped_headers() -> None:
    parsed = scan(_hostile_statement())
    levels = [int(t[1]) for t, _ in parsed.tags if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    # Every header cell of the page's own tables says what it heads.
    own = [a for t, a in parsed.tags if t == "th"]
    assert own and all(a.get("scope") in ("col", "row", "rowgroup") for a in own)
    html_tag = next(a for t, a in parsed.tags if t == "html")
    assert html_tag["lang"] == "en-GB"
