"""The ledger lists left-out rows with file, line and cell, and tells expected ones apart."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from framework.areas.registry import NOT_A_FORCE
from framework.sources.base import LISTED, FileDigest
from framework.sources.ledger import EXAMPLES, Ledger


def _ledger() -> Ledger:
    ledger = Ledger("test")
    ledger.files.append(FileDigest("data/table.csv", "0" * 64))
    return ledger


@given(st.lists(st.booleans(), max_size=60), st.booleans())
def test_masked_rows_are_listed_in_order_with_their_cells(mask: list[bool], expected: bool) -> None:
    ledger = _ledger()
    rows = np.arange(2, len(mask) + 2, dtype=np.int64)
    cells = np.array([f"cell {line}" for line in rows], dtype=object)
    chosen = np.asarray(mask, dtype=bool)
    ledger.rows_read = len(mask)
    ledger.exclude_mask("bad", chosen, rows, values=cells, expected=expected)
    report = ledger.report(len(mask) - int(chosen.sum()))
    if not chosen.any():
        assert report.exclusions == ()
        return
    (item,) = report.exclusions
    limit = EXAMPLES if expected else LISTED
    wanted = rows[chosen][:limit].tolist()
    assert [row.line for row in item.listed] == wanted
    assert [row.value for row in item.listed] == [f"cell {line}" for line in wanted]
    assert {row.file for row in item.listed} == {"data/table.csv"}
    assert item.expected is expected and item.rows == int(chosen.sum())
    assert report.rows_unexpected == (0 if expected else item.rows)


def test_rows_of_non_force_bodies_are_expected_and_others_are_not() -> None:
    ledger = _ledger()
    ledger.rows_read = 3
    ledger.exclude(f"{NOT_A_FORCE} (British Transport Police)", 2, [2, 3], values="BTP")
    ledger.exclude("area 'Warwickshre' is not in the area registry", 1, [4], values="Warwickshre")
    report = ledger.report(0)
    btp, unknown = report.exclusions
    assert btp.expected and not unknown.expected
    assert report.rows_unexpected == 1
    assert unknown.listed[0].value == "Warwickshre" and unknown.listed[0].line == 4


def test_an_unexpected_reason_lists_no_more_than_its_limit() -> None:
    ledger = _ledger()
    count = LISTED + 10
    ledger.rows_read = count
    ledger.exclude_mask("bad", np.ones(count, dtype=bool), np.arange(2, count + 2))
    (item,) = ledger.report(0).exclusions
    assert len(item.listed) == LISTED and item.rows == count
