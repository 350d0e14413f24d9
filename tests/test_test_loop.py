"""The two test loops stay consistent: the slow list names real tests, every area stays fast-tested.

``make test-fast`` leaves out what tests/slow.py lists; a renamed test there would silently
return to the fast loop, and a module with every test listed would silently leave it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import (
    COLLECTED,
    FAST_EXAMPLES,
    FAST_PROFILE,
    NAMED,
    TESTS,
    cap_examples,
    pytest_ignore_collect,
)
from tests.slow import ALL_SLOW, SLOW, matches


def _tests_in(path: Path) -> set[str]:
    """Return the test functions a module defines: ``test`` and ``Class::test``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.update(
                f"{node.name}::{inner.name}"
                for inner in node.body
                if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef)
            )
    return names


def test_every_listed_module_and_test_exists() -> None:
    missing = [module for module in (*SLOW, *ALL_SLOW) if not (TESTS / module).is_file()]
    assert missing == []
    unknown = [
        f"{module}::{name}"
        for module, names in SLOW.items()
        for name in names
        if name.split("[", 1)[0] not in _tests_in(TESTS / module)
    ]
    assert unknown == []


def test_every_entry_names_a_collected_test(request: pytest.FixtureRequest) -> None:
    # Checks each module this run collected whole (all of them under make test and test-fast),
    # so a parameter renamed away is caught too.
    counts, named = request.config.stash[COLLECTED], request.config.stash[NAMED]
    whole = {module for module in counts if f"{module}::" not in " ".join(request.config.args)}
    unused = [
        f"{module}::{entry}"
        for module in sorted(set(SLOW) & whole)
        for entry in SLOW[module]
        if (module, entry) not in named
    ]
    assert unused == []


def test_no_test_is_listed_twice() -> None:
    repeated = [
        f"{module}::{name}"
        for module, names in SLOW.items()
        for index, name in enumerate(names)
        if matches(name, names[:index])
    ]
    assert repeated == []


def test_every_module_keeps_a_fast_test(request: pytest.FixtureRequest) -> None:
    # What this run collected: the whole suite under make test and make test-fast.
    counts = request.config.stash[COLLECTED]
    assert counts[Path(__file__).relative_to(TESTS).as_posix()][1] > 0
    without = {module for module, (_, quick) in counts.items() if quick == 0}
    unexplained = sorted(without - set(ALL_SLOW))
    assert unexplained == [], "give each a fast test, or say why not in tests/slow.py ALL_SLOW"
    assert not set(ALL_SLOW) & set(SLOW), "a module in ALL_SLOW is slow whole: list no test of it"


def test_a_name_matches_the_test_its_class_or_one_parameter() -> None:
    assert matches("test_a[x-1]", ("test_a",))
    assert matches("test_a[x-1]", ("test_a[x-1]",))
    assert not matches("test_a[x-2]", ("test_a[x-1]",))
    assert matches("Case::test_a", ("Case::test_a",))
    assert not matches("test_ab", ("test_a",))
    assert not matches("Case::test_a", ("test_a",))


def test_the_fast_profile_caps_even_a_tests_own_example_count() -> None:
    assert settings.get_profile(FAST_PROFILE).max_examples == FAST_EXAMPLES
    seen: list[int] = []

    @settings(max_examples=FAST_EXAMPLES * 5, database=None)
    @given(st.integers())
    def prop(number: int) -> None:
        seen.append(number)

    class Item:
        nodeid = "prop"
        obj = prop

    prop()
    uncapped = len(seen)
    seen.clear()
    cap_examples(Item())  # type: ignore[arg-type]
    prop()
    assert uncapped > FAST_EXAMPLES >= len(seen) > 0


@pytest.mark.parametrize("fast", [True, False])
def test_only_the_fast_loop_leaves_the_wholly_slow_modules_unimported(fast: bool) -> None:
    class Config:
        def getoption(self, name: str) -> bool:
            assert name == "--fast"
            return fast

    config: pytest.Config = Config()  # type: ignore[assignment]
    whole = TESTS / sorted(ALL_SLOW)[0]
    assert pytest_ignore_collect(whole, config) is (True if fast else None)
    assert pytest_ignore_collect(Path(__file__), config) is None
    assert pytest_ignore_collect(TESTS / "stats", config) is None
