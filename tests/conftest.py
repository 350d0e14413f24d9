"""Fixtures and hooks shared by the whole suite: the two test loops, the real statement, snapshots.

``make test`` runs every test with Hypothesis's default example counts. ``make test-fast`` runs
``pytest --fast``: it leaves out the tests marked ``slow`` or ``browser`` (tests/slow.py lists
the slow ones not marked in their module), without importing the modules that have no other,
and loads the ``fast`` Hypothesis profile, which caps every property test at
``FAST_EXAMPLES`` examples, its own ``@settings(max_examples=...)`` included.

``--update-snapshots`` makes the helper write every snapshot and golden file (tests/snapshots.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import Result

from tests.slow import ALL_SLOW, SLOW, naming
from tests.snapshots import OPTION, Snapshot

CATALOGUE = Path(__file__).parents[1] / "measures"
TESTS = Path(__file__).parent

FAST = "--fast"
FAST_MARKS = "not slow and not browser"
FAST_PROFILE = "fast"
# Enough examples to run each property's code and catch a gross error; the full suite, with
# the default profile and each test's own counts, is what searches hard.
FAST_EXAMPLES = 10
settings.register_profile(FAST_PROFILE, max_examples=FAST_EXAMPLES)

# What the run collected, for tests/test_test_loop.py: per module (tests, tests neither slow
# nor browser), and the (module, entry) pairs of tests/slow.py that named a collected test.
COLLECTED = pytest.StashKey[dict[str, tuple[int, int]]]()
NAMED = pytest.StashKey[set[tuple[str, str]]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--fast`` (the everyday loop) and ``--update-snapshots`` (write golden files)."""
    parser.addoption(
        FAST,
        action="store_true",
        default=False,
        help=f"the everyday loop: only tests neither slow nor browser, each property test at "
        f"{FAST_EXAMPLES} examples at most (make test-fast)",
    )
    parser.addoption(
        OPTION,
        action="store_true",
        default=False,
        help="write every snapshot and golden file instead of comparing with it "
        "(then review the diff)",
    )


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Under ``--fast``, select the tests neither slow nor browser and load the fast profile.

    It runs last so that the profile it loads is not replaced by ``--hypothesis-profile``'s.
    """
    if not config.getoption(FAST):
        return
    asked = config.option.markexpr
    config.option.markexpr = f"({asked}) and {FAST_MARKS}" if asked else FAST_MARKS
    settings.load_profile(FAST_PROFILE)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Under ``--fast``, leave unimported the modules tests/slow.py has slow whole."""
    if not config.getoption(FAST) or not collection_path.is_relative_to(TESTS):
        return None
    return True if collection_path.relative_to(TESTS).as_posix() in ALL_SLOW else None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``slow`` the tests and whole modules tests/slow.py lists; cap examples when fast.

    It runs first so that ``-m "not slow"`` sees the markers it adds.
    """
    fast = settings.get_current_profile_name() == FAST_PROFILE
    counts: dict[str, tuple[int, int]] = {}
    used: set[tuple[str, str]] = set()
    for item in items:
        module = item.path.relative_to(TESTS).as_posix() if item.path.is_relative_to(TESTS) else ""
        named = naming(item.nodeid.split("::", 1)[-1], SLOW.get(module, ()))
        used.update((module, entry) for entry in named)
        if named or module in ALL_SLOW:
            item.add_marker(pytest.mark.slow)
        if fast:
            cap_examples(item)
        total, quick = counts.get(module, (0, 0))
        heavy = item.get_closest_marker("slow") or item.get_closest_marker("browser")
        counts[module] = (total + 1, quick + (heavy is None))
    config.stash[COLLECTED] = counts
    config.stash[NAMED] = used


def cap_examples(item: pytest.Item) -> None:
    """Lower a property test's example count to the fast profile's, when it asks for more.

    A test's own ``@settings(max_examples=...)`` overrides any profile, and Hypothesis has no
    public way to lower it, so the cap replaces the settings its ``@given`` wrapper reads at
    each call (``_hypothesis_internal_use_settings``); should that move, this says so rather
    than let the fast loop quietly run every example.
    """
    test = getattr(item, "obj", None)
    test = getattr(test, "__func__", test)
    if not getattr(test, "is_hypothesis_test", False):
        return
    own = getattr(test, "_hypothesis_internal_use_settings", None)
    if not isinstance(own, settings):
        msg = f"{item.nodeid}: Hypothesis keeps a test's settings elsewhere now; update the cap"
        raise pytest.UsageError(msg)
    if own.max_examples > FAST_EXAMPLES:
        test._hypothesis_internal_use_settings = settings(own, max_examples=FAST_EXAMPLES)  # type: ignore[union-attr]


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Snapshot:
    """Return the snapshot helper, writing files when the run has ``--update-snapshots``."""
    return Snapshot(update=bool(request.config.getoption(OPTION)))


@dataclass(frozen=True)
class RealReport:
    """The default force's statement as ``measures report --svg`` writes it: SVG fallbacks too."""

    result: Result
    out: Path

    @property
    def page(self) -> Path:
        """Return the statement's page."""
        return self.out / "index.html"


@pytest.fixture(scope="session")
def real_report(tmp_path_factory: pytest.TempPathFactory) -> RealReport:
    """Build the real statement once for every test that reads it (a few seconds)."""
    from tests.cli.helpers import invoke

    out = tmp_path_factory.mktemp("real-report") / "report"
    result = invoke("report", "--catalogue", str(CATALOGUE), "--out", str(out), "--svg")
    return RealReport(result, out)
