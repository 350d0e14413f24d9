"""The one did-you-mean helper: which known values it offers for a mistyped one."""

from __future__ import annotations

import difflib

from hypothesis import given
from hypothesis import strategies as st

from framework.findings.suggest import SIMILARITY, close_matches, did_you_mean, suggest

WORDS = st.text(alphabet="abcdefghij_", min_size=1, max_size=12)


def test_a_typo_is_matched_and_a_stranger_is_not() -> None:
    options = ["homicide", "knife_crime", "neighbourhood_crime"]
    assert close_matches("homocide", options) == ["homicide"]
    assert close_matches("zzz", options) == []
    assert did_you_mean("knife_crme", options) == "Did you mean 'knife_crime'?"
    assert did_you_mean("zzz", options) == ""


def test_several_guesses_are_joined_with_or() -> None:
    names = ["Durham", "Dyfed-Powys", "Cumbria"]
    assert did_you_mean("Durhan", names, limit=3) == "Did you mean 'Durham'?"
    assert did_you_mean("Kent", ["Durham", "Durhan"], limit=3) == ""
    assert did_you_mean("Durhamm", ["Durham", "Durhan"], limit=2) == (
        "Did you mean 'Durham' or 'Durhan'?"
    )


def test_suggest_lists_the_known_values_when_nothing_is_close() -> None:
    assert suggest("zzz", ["b", "a"]) == "Known: a, b."
    assert suggest("zzz", []) == "Known: none."
    assert suggest("a_b", ["a_c"]) == "Did you mean 'a_c'?"


@given(WORDS, st.lists(WORDS, max_size=8), st.integers(min_value=1, max_value=4))
def test_matches_are_known_values_alike_enough_closest_first(
    value: str, options: list[str], limit: int
) -> None:
    found = close_matches(value, options, limit)
    assert len(found) <= limit
    assert set(found) <= set(options)
    ratios = [difflib.SequenceMatcher(None, guess, value).ratio() for guess in found]
    assert all(ratio >= SIMILARITY for ratio in ratios)
    assert ratios == sorted(ratios, reverse=True)


@given(WORDS, st.lists(WORDS, max_size=8))
def test_an_exact_value_is_always_offered_first(value: str, others: list[str]) -> None:
    assert close_matches(value, [*others, value])[0] == value


@given(WORDS, st.lists(WORDS, max_size=8))
def test_the_hint_names_exactly_the_matches(value: str, options: list[str]) -> None:
    found = close_matches(value, options, 3)
    hint = did_you_mean(value, options, limit=3)
    assert (hint == "") == (found == [])
    assert all(repr(guess) in hint for guess in found)
