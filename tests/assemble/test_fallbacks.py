"""SVG fallbacks drawn on worker threads: each chart once, each ticket replaced by its SVG."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pytest

from renderers.assemble.fallbacks import SvgFallbacks
from renderers.report.statement import Statement
from tests.report.builders import sample_statement


def with_tickets(statement: Statement, fallbacks: SvgFallbacks) -> Statement:
    """Return the statement as build_statement makes it: each chart's SVG asked of ``fallbacks``."""
    priorities = tuple(
        replace(
            p,
            measures=tuple(
                replace(m, charts=tuple(replace(c, svg=fallbacks(c.spec)) for c in m.charts))
                for m in p.measures
            ),
        )
        for p in statement.priorities
    )
    return replace(statement, priorities=priorities)


def test_every_ticket_becomes_its_charts_svg_drawn_once() -> None:
    drawn: list[str] = []
    lock = threading.Lock()

    def render(spec: Mapping[str, Any]) -> str:
        with lock:
            drawn.append(str(spec["title"]))
        return f"<svg>{spec['title']}</svg>"

    statement = sample_statement()
    with SvgFallbacks(render, workers=2, warm_up=False) as fallbacks:
        ticketed = with_tickets(statement, fallbacks)
        assert all(c.svg and c.svg.startswith("\x00") for c in ticketed.charts)
        resolved = fallbacks.resolve(ticketed)
    titles = [str(c.spec["title"]) for c in statement.charts]
    assert sorted(drawn) == sorted(titles)  # each chart once
    assert [c.svg for c in resolved.charts] == [f"<svg>{t}</svg>" for t in titles]
    assert [replace(c, svg=None) for c in resolved.charts] == [
        replace(c, svg=None) for c in statement.charts
    ]


def test_a_chart_that_cannot_be_drawn_raises_on_resolve() -> None:
    def render(spec: Mapping[str, Any]) -> str:
        raise ValueError("unsupported mark")

    with SvgFallbacks(render, workers=1, warm_up=False) as fallbacks:
        ticketed = with_tickets(sample_statement(), fallbacks)
        with pytest.raises(ValueError, match="unsupported mark"):
            fallbacks.resolve(ticketed)
        fallbacks.cancel_pending()


def test_a_chart_without_a_ticket_is_left_as_it_is() -> None:
    statement = sample_statement()
    with SvgFallbacks(lambda spec: "<svg/>", workers=1, warm_up=False) as fallbacks:
        assert fallbacks.resolve(statement) == statement


@pytest.mark.slow
def test_the_default_renderer_draws_the_chart_as_vl_convert_does() -> None:
    from renderers.assemble.fallbacks import svg_of
    from renderers.vegalite.export import render_bytes

    spec = sample_statement().charts[0].spec
    assert svg_of(spec) == render_bytes(spec, "svg").decode("utf-8")


def test_cancelling_a_failed_statement_leaves_the_one_before_it() -> None:
    release = threading.Event()

    def render(spec: Mapping[str, Any]) -> str:
        release.wait(10)
        return "<svg/>"

    with SvgFallbacks(render, workers=1, warm_up=False) as fallbacks:
        fallbacks.begin()
        first = with_tickets(sample_statement(), fallbacks)
        fallbacks.begin()
        with_tickets(sample_statement(), fallbacks)  # its build fails after asking
        fallbacks.cancel_pending()
        release.set()
        resolved = fallbacks.resolve(first)
    assert [c.svg for c in resolved.charts] == ["<svg/>"] * len(first.charts)
