"""Render the charts' SVG fallbacks on worker threads while the statements are being built.

Building a chart's spec is Python work; turning it into SVG (vl-convert) runs outside the
interpreter lock. So a statement asks for each fallback as soon as its spec exists, gets a
ticket in its place, and carries on building while the workers draw; :meth:`resolve` swaps
each ticket for its SVG. Each chart is drawn once, and the first job starts the converter's
runtime (and reads the page's script bundle) while the caller is still evaluating.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from renderers.report.statement import ChartRef, MeasureSection, PrioritySection, Statement

Render = Callable[[Mapping[str, Any]], str]

_TICKET = "\x00svg-fallback-{}\x00"
"""What stands for an SVG until it is drawn: no SVG starts with a NUL character."""


def default_workers() -> int:
    """Return how many charts to draw at once: one per core, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


def svg_of(spec: Mapping[str, Any]) -> str:
    """Return the chart drawn as SVG, offline, by vl-convert."""
    from renderers.vegalite.export import render_bytes

    return render_bytes(spec, "svg").decode("utf-8")


def _warm_up() -> None:
    """Start the converter's runtime and build the page's script bundle, both kept after."""
    from renderers.report import assets

    assets.vega_bundle()


_warming: list[threading.Thread] = []


def start_warm_up() -> threading.Thread:
    """Start, once per process, readying the converter on a thread; return that thread.

    Call it early (before evaluating): the second or so it takes then overlaps other work.
    """
    with _lock:
        if not _warming:
            thread = threading.Thread(target=_warm_up, name="svg-warm-up", daemon=True)
            thread.start()
            _warming.append(thread)
        return _warming[0]


_lock = threading.Lock()


class SvgFallbacks:
    """Draws SVG fallbacks in the background: call it with a spec, then :meth:`resolve`."""

    def __init__(
        self, render: Render = svg_of, workers: int | None = None, *, warm_up: bool = True
    ) -> None:
        self._render = render
        self._pool = ThreadPoolExecutor(workers or default_workers(), "svg-fallback")
        self._jobs: dict[str, Future[str]] = {}
        self._batch: list[str] = []
        # Tickets are issued on the building thread and resolved on a writer's.
        self._guard = threading.Lock()
        self._numbers = itertools.count()
        self._warm = start_warm_up() if warm_up else None

    def __call__(self, spec: Mapping[str, Any]) -> str:
        """Start drawing ``spec`` and return the ticket that stands for its SVG."""
        with self._guard:
            ticket = _TICKET.format(next(self._numbers))
            self._jobs[ticket] = self._pool.submit(self._render, spec)
            self._batch.append(ticket)
        return ticket

    def begin(self) -> None:
        """Start a new statement: :meth:`cancel_pending` drops only what is asked after this."""
        with self._guard:
            self._batch = []

    def resolve(self, statement: Statement) -> Statement:
        """Return ``statement`` with every ticket replaced by its SVG, waiting for the drawing.

        A chart that could not be drawn raises here, as it would have drawn in line.
        """
        if self._warm is not None:
            self._warm.join()
        priorities = tuple(self._priority(p) for p in statement.priorities)
        return replace(statement, priorities=priorities)

    def _priority(self, priority: PrioritySection) -> PrioritySection:
        return replace(priority, measures=tuple(self._measure(m) for m in priority.measures))

    def _measure(self, measure: MeasureSection) -> MeasureSection:
        return replace(measure, charts=tuple(self._chart(c) for c in measure.charts))

    def _chart(self, chart: ChartRef) -> ChartRef:
        with self._guard:
            job = self._jobs.pop(chart.svg, None) if chart.svg is not None else None
        if job is None:
            return chart
        return replace(chart, svg=job.result())

    def cancel_pending(self) -> None:
        """Drop the tickets asked since :meth:`begin`: that statement's build failed."""
        with self._guard:
            for ticket in self._batch:
                job = self._jobs.pop(ticket, None)
                if job is not None:
                    job.cancel()
            self._batch = []

    def close(self) -> None:
        """Stop the workers once their jobs are done."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> SvgFallbacks:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
