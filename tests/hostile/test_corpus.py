"""Run every case of the hostile-input corpus through validate, run and report.

A case passes when each command ends with exit 0, 1 or 2, without a traceback, within
30 seconds, and nothing from outside the catalogue reaches its output or the statement. The
cases run in a bounded pool of worker processes, each command in-process under an alarm; a
worker the alarm cannot stop is killed with the pool and its case fails.
"""

from __future__ import annotations

import os
import signal
import tempfile
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import pytest

from tests.cli.helpers import invoke
from tests.hostile.cases import SECRET, Case, all_cases
from tests.hostile.template import build

CASES = all_cases()
LIMIT = 30
"""Seconds one command may take on one case."""
WORKERS = 8
"""At most this many cases run at once (one per core up to it)."""


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


def check(outcome: Outcome) -> None:
    """Fail on a traceback, an exit code other than 0, 1 or 2, a leak or a slow run."""
    what = outcome.what
    assert outcome.elapsed < LIMIT, f"{what} took {outcome.elapsed:.0f} s"
    assert outcome.exception is None, f"{what} raised {outcome.exception}"
    assert outcome.exit_code in (0, 1, 2), f"{what} exited {outcome.exit_code}: {outcome.output}"
    assert "Traceback" not in outcome.output, outcome.output
    assert SECRET not in outcome.output, f"{what} printed what lies outside the catalogue"


def test_the_corpus_is_large_and_covers_every_kind() -> None:
    kinds = {case.kind for case in CASES}
    assert len(CASES) >= 150
    assert kinds == {"definition", "data", "path", "fault"}
    assert len({case.name for case in CASES}) == len(CASES)


@dataclass(frozen=True)
class Outcome:
    """What one command did on one case."""

    what: str
    exit_code: int
    output: str
    elapsed: float
    exception: str | None
    """The exception the command raised, if not a clean exit."""


@dataclass(frozen=True)
class CaseResult:
    """The three commands' outcomes on one case, and whether the statement leaked."""

    outcomes: tuple[Outcome, ...]
    leaked: bool
    error: str | None = None
    """A failure of the harness itself (a hang that the alarm could not break)."""


def run_case(case: Case, folder: Path) -> CaseResult:
    """Break a fresh catalogue as the case says and run validate, run and report on it."""
    outside = folder / "outside"
    (outside / "warwickshire" / "2021-22-Q4").mkdir(parents=True)
    for name in ("secret.csv", "secret.yaml", "warwickshire/2021-22-Q4/firearm_rate.force.md"):
        (outside / name).write_text(f"{SECRET}\n", encoding="utf-8")
    root = build(folder / "catalogue")
    for step in case.steps:
        step(root, outside)
    out = folder / "report"
    commands = {
        "validate": ("validate", str(root)),
        "run": ("run", "--catalogue", str(root), "--format", "csv"),
        "report": ("report", "--catalogue", str(root), "--out", str(out), "--format", "md"),
    }
    outcomes = []
    for what, args in commands.items():
        started = time.monotonic()
        try:
            with deadline(LIMIT):
                result = invoke(*args)
        except HangError as error:
            outcomes.append(Outcome(what, -1, "", time.monotonic() - started, repr(error)))
            continue
        raised = result.exception
        shown = None if raised is None or isinstance(raised, SystemExit) else repr(raised)
        if shown is not None:
            shown += "\n" + "".join(traceback.format_exception(raised))
        outcomes.append(
            Outcome(what, result.exit_code, result.output, time.monotonic() - started, shown)
        )
    published = "".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in out.rglob("*")
        if path.is_file()
    )
    return CaseResult(tuple(outcomes), SECRET in published)


def _worker(index: int) -> tuple[str, CaseResult]:
    case = CASES[index]
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        return case.name, run_case(case, Path(folder))


PRELOAD = ["framework.cli.app", "tests.hostile.test_corpus", "pandas", "pyarrow", "altair"]
"""Modules the worker processes start with, imported once by the server they fork from."""


@pytest.fixture(scope="module")
def results() -> dict[str, CaseResult]:
    """Run the whole corpus once, in a bounded pool of worker processes.

    The workers fork from a fresh server process that has only imported the modules (a
    process that has run threads, as the test session has, is not safe to fork).
    """
    import multiprocessing

    workers = max(1, min(os.cpu_count() or 1, WORKERS))
    found: dict[str, CaseResult] = {}
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    with context.Pool(workers) as pool:
        pending = {pool.apply_async(_worker, (i,)): CASES[i].name for i in range(len(CASES))}
        for handle, name in pending.items():
            try:
                # A worker the alarm cannot stop is killed with the pool: the case fails.
                key, result = handle.get(timeout=LIMIT * 3 + 60)
            except multiprocessing.TimeoutError:
                found[name] = CaseResult((), False, f"{name}: the worker hung past every limit")
                pool.terminate()
                break
            found[key] = result
    return found


@pytest.mark.slow  # the whole corpus takes minutes on two cores: `make test` runs it
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case_never_crashes_hangs_or_leaks(case: Case, results: dict[str, CaseResult]) -> None:
    result = results.get(case.name)
    assert result is not None, "the case did not run (an earlier case hung the pool)"
    assert result.error is None, result.error
    assert len(result.outcomes) == 3
    for outcome in result.outcomes:
        check(outcome)
    assert not result.leaked, "the statement holds what lies outside the catalogue"
