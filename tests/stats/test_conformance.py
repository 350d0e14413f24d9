"""Conformance with Making Data Count and NHSRplotthedots: hand-worked cases in fixtures/*.yaml.

Each fixture gives a series, a profile, an improvement direction and what the method
says: the limits of each segment (to the fixture's decimals), the rule labelling each
point, each point's variation and the icons. The working is in each file's comments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from framework.loading.profiles import load_profile
from framework.model.spc import SpcProfile
from framework.stats.rules import RULES
from framework.stats.spc import analyse_series
from framework.stats.xmr import Rebase

from ._helpers import FIXTURES, PROFILES, profile

CASES = sorted(FIXTURES.glob("*.yaml"))
SEGMENT_NUMBERS = (
    "mean",
    "upper_limit",
    "lower_limit",
    "near_upper",
    "near_lower",
    "mean_moving_range",
)


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _profile(case: dict[str, Any]) -> SpcProfile:
    base = (
        load_profile(PROFILES / f"{case['profile_file']}.yaml") if "profile_file" in case else None
    )
    changes = case.get("profile", {})
    if base is None:
        return profile(**changes)
    return SpcProfile.model_validate({**base.model_dump(), **changes})


def test_there_are_conformance_cases() -> None:
    assert len(CASES) >= 12
    names = {path.stem for path in CASES}
    assert {"vignette_screened", "vignette_excel", "precedence", "rebase", "fixed_limits"} <= names


@pytest.mark.parametrize("path", CASES, ids=lambda path: path.stem)
def test_conformance(path: Path) -> None:
    case = _load(path)
    expected = case["expected"]
    tolerance = 0.5 * 10 ** -case["decimals"] + 1e-12
    rebases = [Rebase(item["at"], item["reason"]) for item in case.get("rebases", [])]
    result = analyse_series(
        case["values"],
        _profile(case),
        improvement=case["improvement"],
        target=case.get("target"),
        rebases=rebases,
    )
    n = len(case["values"])

    segments = result.limits.segments
    assert len(segments) == len(expected["segments"])
    for segment, want in zip(segments, expected["segments"], strict=True):
        for name in SEGMENT_NUMBERS:
            assert getattr(segment, name) == pytest.approx(want[name], abs=tolerance), name
        assert segment.points_used == want["points_used"]
        assert list(segment.screened) == want["screened"]
        assert segment.trial is want["trial"]

    rules = expected["rules"]
    assert list(result.rules.rule) == [rules.get(i) for i in range(n)]
    for rule, positions in expected.get("meets", {}).items():
        assert rule in RULES
        assert [i for i in range(n) if getattr(result.rules, rule)[i]] == positions, rule
    variation = expected["variation"]
    assert list(result.variation) == [variation.get(i, "common_cause") for i in range(n)]
    assert result.variation_icon == expected["variation_icon"]
    assert result.assurance_icon == expected["assurance_icon"]
    assert result.trial_limits is expected["trial_limits"]
