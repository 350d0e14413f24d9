"""Fixtures shared by the whole suite: the real statement, built once per test session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import Result

CATALOGUE = Path(__file__).parents[1] / "measures"


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
