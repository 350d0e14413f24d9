"""Shared paths and helpers for the statistics tests."""

from __future__ import annotations

from pathlib import Path

from framework.model.spc import DEFAULT_PROFILE, SpcProfile

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "measures" / "national" / "spc"
FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"


def profile(**changes: object) -> SpcProfile:
    """Return the default profile with some fields changed (and validated)."""
    return SpcProfile.model_validate({**DEFAULT_PROFILE.model_dump(), **changes})
