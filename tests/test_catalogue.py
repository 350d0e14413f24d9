"""The real catalogue in measures/ validates cleanly, as CI requires."""

from __future__ import annotations

import pytest

from tests.cli.helpers import REPO, invoke


def test_measures_catalogue_validates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = invoke("validate", "measures")
    assert result.exit_code == 0, result.output
