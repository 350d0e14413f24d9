"""The page's script bundle is built once and kept: read back whole, rebuilt when damaged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from renderers.report import assets

BUILT = "window.vegaEmbed = function () {};\n"


@pytest.fixture
def builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Count the bundle's builds, with the kept copy in a fresh folder."""
    made: list[str] = []

    def build(snippet: str) -> str:
        made.append(snippet)
        return BUILT

    monkeypatch.setenv(assets.BUNDLE_CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr("renderers.report.assets.vl_convert.javascript_bundle", build)
    assets.vega_bundle.cache_clear()
    yield made
    assets.vega_bundle.cache_clear()


def test_the_bundle_is_built_once_and_read_back(builds: list[str], tmp_path: Path) -> None:
    assert assets.vega_bundle() == BUILT
    kept = list((tmp_path / "cache").glob("vega-bundle-*.js"))
    assert len(kept) == 1
    assets.vega_bundle.cache_clear()  # a new run
    assert assets.vega_bundle() == BUILT
    assert len(builds) == 1


def test_a_damaged_copy_is_built_again(builds: list[str], tmp_path: Path) -> None:
    assets.vega_bundle()
    (kept,) = (tmp_path / "cache").glob("vega-bundle-*.js")
    kept.write_text(kept.read_text(encoding="utf-8") + "alert(1);", encoding="utf-8")
    assets.vega_bundle.cache_clear()
    assert assets.vega_bundle() == BUILT
    assert len(builds) == 2


def test_an_unwritable_folder_is_skipped(
    builds: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(assets.BUNDLE_CACHE_ENV, str(blocker / "cache"))
    assert assets.vega_bundle() == BUILT
