"""The bundled SPC profiles and the profile loader's findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.loading.profiles import (
    PROFILE_KEY,
    ProfileError,
    load_profile,
    load_profiles,
    parse_profile,
)
from framework.model.spc import DEFAULT_PROFILE

from ._helpers import PROFILES

HEADER = "# yaml-language-server: $schema=../schema/spc_profile.schema.json"


def test_the_three_profiles_load_under_their_file_names() -> None:
    profiles = load_profiles(PROFILES)
    assert {"making_data_count", "making_data_count_excel", "six_point_runs"} <= set(profiles)


@pytest.mark.parametrize("path", sorted(PROFILES.glob("*.yaml")), ids=lambda path: path.stem)
def test_each_profile_file_starts_with_the_schema_line(path: Path) -> None:
    assert path.read_text(encoding="utf-8").splitlines()[0] == HEADER


def test_the_default_file_is_the_built_in_default() -> None:
    assert load_profile(PROFILES / "making_data_count.yaml") == DEFAULT_PROFILE
    assert DEFAULT_PROFILE.screen_outliers
    assert (DEFAULT_PROFILE.limit_factor, DEFAULT_PROFILE.screen_factor) == (2.66, 3.267)
    assert (DEFAULT_PROFILE.shift_points, DEFAULT_PROFILE.trend_points) == (7, 7)


def test_the_excel_profile_differs_only_in_screening() -> None:
    excel = load_profile(PROFILES / "making_data_count_excel.yaml")
    assert not excel.screen_outliers
    same = {"id", "title", "description", "screen_outliers"}
    assert excel.model_dump(exclude=same) == DEFAULT_PROFILE.model_dump(exclude=same)


def test_the_six_point_profile_differs_only_in_run_lengths() -> None:
    six = load_profile(PROFILES / "six_point_runs.yaml")
    assert (six.shift_points, six.trend_points) == (6, 6)
    changed = {"id", "title", "description", "shift_points", "trend_points"}
    assert six.model_dump(exclude=changed) == DEFAULT_PROFILE.model_dump(exclude=changed)


def _findings(text: str) -> list[tuple[str, int | None, str]]:
    with pytest.raises(ProfileError) as caught:
        parse_profile(text, "p.yaml")
    return [(f.code, f.location.line, f.message) for f in caught.value.findings]


def test_an_unknown_field_is_located() -> None:
    text = f"{PROFILE_KEY}:\n  id: strict\n  title: Strict\n  shift_points: 8\n  shfit: 3\n"
    assert _findings(text) == [("SCH001", 5, "unknown key 'shfit' in spc_profile")]


def test_a_bad_value_is_located_like_any_definition_s() -> None:
    text = f"{PROFILE_KEY}:\n  id: strict\n  title: Strict\n  trend_points: 1\n"
    with pytest.raises(ProfileError) as caught:
        parse_profile(text, "p.yaml")
    (finding,) = caught.value.findings
    assert (finding.code, finding.location.line, finding.location.dotted) == (
        "SCH003",
        4,
        "spc_profile.trend_points",
    )
    assert finding.message == "spc_profile.trend_points: Input should be greater than or equal to 2"
    assert finding.hint == "Check the value against docs/reference.md."


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("id: strict\ntitle: Strict\n", "YAML008"),
        (f"{PROFILE_KEY}:\n  id: a\n  title: x\nother: 1\n", "YAML008"),
        ("- 1\n- 2\n", "YAML006"),
        ("", "YAML006"),
        (f"{PROFILE_KEY}:\n  id: [unclosed\n", "YAML001"),
        ("priorities:\n  - id: a\n", "SCH003"),
    ],
)
def test_malformed_files(text: str, code: str) -> None:
    assert [c for c, _, _ in _findings(text)] == [code]


def test_a_valid_definition_of_another_kind_is_not_a_profile() -> None:
    priorities = PROFILES.parent / "priorities.yaml"
    text = priorities.read_text(encoding="utf-8")
    line = text.splitlines().index("priorities:") + 1
    assert _findings(text) == [
        (
            "SPC103",
            line,
            "a profile file holds one mapping with the single key `spc_profile:`, "
            "but this one holds a priorities",
        )
    ]


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile(tmp_path / "nope.yaml")
    assert caught.value.findings[0].code == "SPC101"


def test_an_id_that_differs_from_the_file_name(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(f"{PROFILE_KEY}:\n  id: theirs\n  title: T\n")
    with pytest.raises(ProfileError) as caught:
        load_profiles(tmp_path)
    assert [f.code for f in caught.value.findings] == ["SPC105"]
