"""Which forces a dataset reports for, and why a comparator over its members has no figure.

A comparator is computed only from data that cover every one of its members: a force's own
extract, which holds that force alone, must not give "England and Wales" as the force's own
rate, nor count the other 42 forces as zero. The rules (docs/results.md, "Comparators"):

- the dataset's ``covers`` declares the forces it holds (``force_only``: the running force;
  ``all_forces``: the 43; or a list); without a declaration, the forces with any row;
- a group with a member the dataset does not cover is empty for every window;
- a group with a covered member that has no figure for a window is empty for that window.

Nothing is ever pooled or averaged from fewer members than the group has.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framework.findings.codes import Code
from framework.model.dataset import Dataset
from framework.sources.frame import area_codes_in

SHOWN_NAMES = 3
"""How many missing members a reason names before it says "and N more"."""


@dataclass(frozen=True)
class Coverage:
    """The forces a dataset reports for, and how that was decided (for messages)."""

    forces: frozenset[str]
    declared: str
    """``force_only``, ``all_forces``, ``list`` or ``rows`` (found in the rows, undeclared)."""


def coverage_of(
    dataset: Dataset,
    frame: pd.DataFrame,
    force_codes: Sequence[str],
    own_code: str,
    resolve: Callable[[str], str | None],
) -> Coverage:
    """Return the forces ``dataset`` covers; ``resolve`` turns a name or code into a force code.

    Raises :class:`EvaluationError` (``RUN004``) when a listed area is not a force.
    """
    from framework.engine.evaluate import EvaluationError, derived

    covers = dataset.covers
    if covers == "force_only":
        return Coverage(frozenset({own_code}), "force_only")
    if covers == "all_forces":
        return Coverage(frozenset(force_codes), "all_forces")
    if isinstance(covers, list):
        codes: set[str] = set()
        for index, entry in enumerate(covers):
            code = resolve(entry)
            if code is None or code not in force_codes:
                raise EvaluationError(
                    f"the dataset {dataset.id!r} declares covers[{index}] = {entry!r}, "
                    "which is not a police force area",
                    "List force names or ONS codes (E23...); `measures validate --data` "
                    "checks the list against the rows.",
                    code=Code.RUN004,
                )
            codes.add(code)
        return Coverage(frozenset(codes), "list")
    # Every measure of a table asks again: its areas are found once a frame.
    present = derived(frame, "area codes", lambda: area_codes_in(frame))
    return Coverage(present & frozenset(force_codes), "rows")


def members_phrase(group: str, count: int) -> str:
    """Name a group's members in a reason: ``forces of England and Wales``, ``MSG members``."""
    noun = {
        "national": "forces of England and Wales",
        "region": "forces of the region",
        "msg": "most similar group members",
    }.get(group, f"members of the group {group}")
    return noun if count != 1 else noun.replace("forces", "force").replace("members", "member")


def _listed(codes: Sequence[str], names: Mapping[str, str]) -> str:
    shown = [names.get(code, code) for code in codes[:SHOWN_NAMES]]
    more = len(codes) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def uncovered_reason(
    group: str, members: Sequence[str], coverage: Coverage, names: Mapping[str, str]
) -> str | None:
    """Say why the dataset cannot give the group at all, or None when it covers every member."""
    outside = [code for code in members if code not in coverage.forces]
    if not outside:
        return None
    if len(coverage.forces) == 1:
        (only,) = coverage.forces
        return f"the dataset holds only {names.get(only, only)}"
    if not coverage.forces:
        return "the dataset holds no police force area"
    return (
        f"the dataset does not hold {len(outside)} of the {len(members)} "
        f"{members_phrase(group, len(members))} ({_listed(outside, names)})"
    )


def window_reasons(group: str, has_data: pd.DataFrame, names: Mapping[str, str]) -> pd.Series:
    """Return, per window, why the group is empty (members without a figure), else None.

    ``has_data`` is windows × members, True where the member has a figure for the window.
    """
    size = len(has_data.columns)
    codes = [str(code) for code in has_data.columns]
    cells = has_data.to_numpy(dtype=bool)
    reasons: list[str | None] = [None] * len(cells)
    for position in np.flatnonzero(~cells.all(axis=1)):
        lacking = [code for code, ok in zip(codes, cells[position], strict=True) if not ok]
        verb = "has" if len(lacking) == 1 else "have"
        reasons[position] = (
            f"{len(lacking)} of {size} {members_phrase(group, size)} {verb} no figure "
            f"for this window ({_listed(lacking, names)})"
        )
    return pd.Series(reasons, index=has_data.index, dtype="object")
