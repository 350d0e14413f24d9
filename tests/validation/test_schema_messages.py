"""The schema stage's messages and hints say what to write, and findings sort safely."""

from __future__ import annotations

from framework.findings.finding import Finding, Level, Location
from framework.loading.located_yaml import load_located
from framework.loading.schema_stage import validate_document

HEAD = """\
measure:
  id: homicide
  title: Homicide
  description: Homicides.
  priority: reduce_homicide
  kind: national
"""


def findings(text: str) -> list[Finding]:
    located, loaded = load_located(text, "f.yaml")
    assert located is not None, loaded
    _, found = validate_document("f.yaml", located)
    return found


def test_unknown_key_suggests_the_nearest() -> None:
    [finding] = findings(HEAD + "  tgas: [x]\n")
    assert finding.code == "SCH001"
    assert finding.hint == "Did you mean 'tags'?"


def test_unknown_key_in_a_list_item_knows_the_item_model() -> None:
    [finding] = findings(HEAD + "  caveats:\n    - text: a\n      applies: 2020-01\n")
    assert finding.hint == "Did you mean 'applies_from'?"
    assert finding.location.dotted == "measure.caveats[0].applies"


def test_unknown_key_without_a_near_match_lists_the_allowed_keys() -> None:
    [finding] = findings(HEAD + "  baseline: {label: x, start: 2019-01, end: 2019-12, zzz: 1}\n")
    assert finding.hint == "Allowed keys here: end, label, start."


def test_bad_tag_points_at_the_tag_and_suggests() -> None:
    [finding] = findings(HEAD + "  window: {kind: rollin, months: 12}\n")
    assert (finding.code, finding.location.dotted) == ("SCH004", "measure.window.kind")
    assert finding.message == "measure.window.kind: 'rollin' is not one of the allowed values"
    assert finding.hint.startswith("Did you mean 'rolling'?")


def test_missing_tag_lists_the_kinds() -> None:
    [finding] = findings(HEAD + "  window: {months: 12}\n")
    assert (finding.code, finding.location.dotted) == ("SCH002", "measure.window.kind")
    assert finding.hint == "Add `kind:` with one of 'rolling', 'period'."


def test_union_of_scalars_gives_one_finding() -> None:
    [finding] = findings(HEAD + "  source:\n    dataset: d1\n    filters: {a: [[1]]}\n")
    assert finding.code == "SCH003"
    assert finding.location.dotted == "measure.source.filters.a[0]"
    assert finding.message.endswith("expected text, a whole number, a number or true or false")


def test_identifier_anywhere_is_sch006() -> None:
    found = findings(HEAD + "  presentation: {spc_profile: Making-Data-Count}\n")
    assert [(f.code, f.location.dotted) for f in found] == [
        ("SCH006", "measure.presentation.spc_profile")
    ]


def test_wrong_type_hint_names_the_type() -> None:
    [finding] = findings(HEAD + "  window: {kind: rolling, months: twelve}\n")
    assert finding.hint == "Write a whole number here (you wrote 'twelve')."


def test_messages_use_dotted_paths_with_indexes() -> None:
    [finding] = findings(HEAD + "  caveats:\n    - text: a\n      applies_from: 2020-13\n")
    assert finding.message.startswith("measure.caveats[0].applies_from: '2020-13'")


def test_findings_without_lines_sort_with_the_others() -> None:
    mixed = [
        Finding(Location("a.yaml", 3, 1, ("x", 0)), "SCH003", Level.ERROR, "m"),
        Finding(Location("a.yaml"), "CAT002", Level.WARNING, "m"),
        Finding(Location("a.yaml", 3, 1, ("x", "y")), "SCH001", Level.ERROR, "m"),
    ]
    ordered = sorted(mixed, key=Finding.sort_key)
    assert [f.code for f in ordered] == ["CAT002", "SCH003", "SCH001"]
