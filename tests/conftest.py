"""Fixtures shared by the whole suite: the real statement, built once, and the snapshot helper.

``--update-snapshots`` makes the helper write every snapshot and golden file (tests/snapshots.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import Result

from tests.snapshots import OPTION, Snapshot

CATALOGUE = Path(__file__).parents[1] / "measures"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--update-snapshots``: write snapshot and golden files instead of comparing."""
    parser.addoption(
        OPTION,
        action="store_true",
        default=False,
        help="write every snapshot and golden file instead of comparing with it "
        "(then review the diff)",
    )


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
