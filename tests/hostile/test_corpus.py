"""Run every case of the hostile-input corpus through validate, run and report.

A case passes when each command ends with exit 0, 1 or 2, without a traceback, within
30 seconds, and nothing from outside the catalogue reaches its output or the statement.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest
from typer.testing import Result

from tests.cli.helpers import invoke
from tests.hostile.cases import SECRET, Case, all_cases
from tests.hostile.template import build

CASES = all_cases()
LIMIT = 30
"""Seconds one command may take on one case."""


class HangError(Exception):
    """A command ran past the limit."""


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Raise :class:`HangError` in the test's thread when the block runs past ``seconds``."""

    def alarm(signum: int, frame: FrameType | None) -> None:
        raise HangError(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def check(result: Result, what: str, elapsed: float) -> None:
    """Fail on a traceback, an exit code other than 0, 1 or 2, a leak or a slow run."""
    assert elapsed < LIMIT, f"{what} took {elapsed:.0f} s"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{what} raised {result.exception!r}") from result.exception
    assert result.exit_code in (0, 1, 2), f"{what} exited {result.exit_code}: {result.output}"
    assert "Traceback" not in result.output, result.output
    assert SECRET not in result.output, f"{what} printed what lies outside the catalogue"


def test_the_corpus_is_large_and_covers_every_kind() -> None:
    kinds = {case.kind for case in CASES}
    assert len(CASES) >= 150
    assert kinds == {"definition", "data", "path", "fault"}
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case_never_crashes_hangs_or_leaks(case: Case, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "warwickshire" / "2021-22-Q4").mkdir(parents=True)
    for name in ("secret.csv", "secret.yaml", "warwickshire/2021-22-Q4/firearm_rate.force.md"):
        (outside / name).write_text(f"{SECRET}\n", encoding="utf-8")
    root = build(tmp_path / "catalogue")
    for step in case.steps:
        step(root, outside)
    out = tmp_path / "report"
    commands = {
        "validate": ("validate", str(root)),
        "run": ("run", "--catalogue", str(root), "--format", "csv"),
        "report": ("report", "--catalogue", str(root), "--out", str(out), "--format", "md"),
    }
    for what, args in commands.items():
        started = time.monotonic()
        with deadline(LIMIT):
            result = invoke(*args)
        check(result, what, time.monotonic() - started)
    published = "".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in out.rglob("*")
        if path.is_file()
    )
    assert SECRET not in published, "the statement holds what lies outside the catalogue"
