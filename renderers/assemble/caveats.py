"""Work out a measure's caveats from data: its definition's, its dataset's and its figures'.

- The definition's caveats appear once each (the same sentence twice is shown once).
- The small-numbers caveat appears only when the force's latest comparison rests on small
  counts, as the engine flags it; a force with many events does not get it.
- A dataset's dated, area-specific caveats reach a statement when the force's own figures,
  or a comparator the measure shows (England and Wales, the region, the most similar group),
  include one of their areas in a window the statement draws. Those reaching it through a
  comparator are returned apart, to be shown beside the comparisons they qualify.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from framework.model.dataset import DataCaveat
from framework.model.measure import Measure
from framework.periods import Span, parse_period

SYNTHETIC = "SYNTHETIC DATA: the figures were generated for the demo, not published."
SMALL_NUMBERS = (
    "Small numbers: a change of one or two events moves the percentage change a lot; read "
    "the statistical test, not the percentage."
)

#: Comparator group, the result column that carries it, and how the page names it.
GROUP_COLUMNS: tuple[tuple[str, str], ...] = (
    ("national", "national_rate"),
    ("region", "region_rate"),
    ("msg", "msg_average"),
)


@dataclass(frozen=True)
class Groups:
    """The areas behind each comparator of the statement, as ONS codes, and their names."""

    force_code: str
    members: Mapping[str, Sequence[str]]
    """``national``, ``region`` and ``msg`` to the ONS codes of their member forces."""
    labels: Mapping[str, str]
    """``national``, ``region`` and ``msg`` to the words the page uses for them."""
    names: Mapping[str, str]
    """Every force's ONS code to its name."""

    def codes_of(self, areas: Sequence[str]) -> set[str]:
        """Return the ONS codes of areas given by name or code (unknown ones are skipped)."""
        by_name = {name.casefold(): code for code, name in self.names.items()}
        codes = set()
        for area in areas:
            if area in self.names:
                codes.add(area)
            elif area.casefold() in by_name:
                codes.add(by_name[area.casefold()])
        return codes


def _text(text: str) -> str:
    return " ".join(text.split())


def definition_caveats(measure: Measure, period: Span) -> list[str]:
    """Return the definition's caveats that concern the period, each once."""
    texts = [
        _text(c.text)
        for c in measure.caveats
        if c.applies_from is None or parse_period(c.applies_from).first <= period.last
    ]
    return list(dict.fromkeys(texts))


def _own(rows: pd.DataFrame, force_code: str) -> pd.DataFrame:
    own = rows.loc[(rows["area_code"] == force_code) & rows["component"].isna()]
    return own.sort_values("period_end")


def _month(text: str) -> int:
    year, month = (int(part) for part in str(text).split("-")[:2])
    return year * 12 + month - 1


def _overlaps(frame: pd.DataFrame, caveat: DataCaveat) -> bool:
    """Return whether any row's window (``window_start`` to ``period_end``) meets the caveat."""
    if frame.empty or "window_start" not in frame:
        return False
    first, last = parse_period(caveat.from_).first, parse_period(caveat.to).last
    starts = frame["window_start"].map(_month)
    ends = frame["period_end"].map(_month)
    return bool(((starts <= last) & (ends >= first)).any())


def _joined(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def concerns(caveat: DataCaveat, measure: Measure) -> bool:
    """Return whether the measure keeps any of the rows the caveat is about.

    A measure that does not filter on one of the caveat's dimensions keeps its rows; one that
    does is concerned only when it keeps one of the caveat's values.
    """
    kept = measure.source.filters if measure.source else {}
    for dimension, values in caveat.filters.items():
        if dimension in kept and not {str(v) for v in values} & {str(v) for v in kept[dimension]}:
            return False
    return True


def dataset_caveats(
    caveats: Sequence[DataCaveat],
    measure: Measure,
    rows: pd.DataFrame,
    groups: Groups,
) -> tuple[list[str], list[str]]:
    """Return the dataset caveats reaching the force's own figures, and its comparisons."""
    own = _own(rows, groups.force_code)
    drawn = own.loc[own["value"].notna()]
    on_figures: list[str] = []
    on_comparisons: list[str] = []
    for caveat in caveats:
        if not concerns(caveat, measure):
            continue
        codes = groups.codes_of(caveat.areas)
        text = _text(caveat.text)
        if groups.force_code in codes and _overlaps(drawn, caveat):
            on_figures.append(text)
            continue
        reached = []
        for group, column in GROUP_COLUMNS:
            if group not in measure.comparators or column not in own:
                continue
            if not codes & set(groups.members.get(group, ())):
                continue
            if _overlaps(own.loc[own[column].notna()], caveat):
                reached.append(groups.labels[group])
        if reached:
            names = _joined(sorted(groups.names.get(c, c) for c in codes))
            on_comparisons.append(f"{_joined(reached)} (which include {names}): {text}")
    return on_figures, on_comparisons


def small_numbers(rows: pd.DataFrame, force_code: str) -> bool:
    """Return whether the force's latest figure rests on counts too small for a percentage."""
    own = _own(rows, force_code)
    valued = own.loc[own["value"].notna()]
    if valued.empty or "flags" not in valued:
        return False
    flags = str(valued["flags"].iloc[-1] or "")
    return "small_numbers" in flags.split(";")


def synthetic(rows: pd.DataFrame) -> bool:
    """Return whether any row the measure draws comes from synthetic data."""
    if "flags" not in rows:
        return False
    return any("synthetic" in str(f).split(";") for f in rows["flags"].dropna())


def gaps(rows: pd.DataFrame, force_code: str) -> str:
    """Name the windows left empty inside the force's series (not before its data start)."""
    own = _own(rows, force_code)
    valued = own["value"].notna().to_numpy()
    if not valued.any():
        return ""
    first, last = valued.argmax(), len(valued) - valued[::-1].argmax()
    inside = own.iloc[first:last]
    empty = inside.loc[inside["value"].isna(), "window"].astype(str).tolist()
    if not empty:
        return ""
    return empty[0] if len(empty) == 1 else f"{empty[0]} to {empty[-1]}"


def measure_caveats(
    measure: Measure,
    rows: pd.DataFrame,
    period: Span,
    groups: Groups,
    data_caveats: Sequence[DataCaveat] = (),
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the measure's caveats, and those that qualify its comparisons, each once."""
    texts = definition_caveats(measure, period)
    if synthetic(rows):
        texts.append(SYNTHETIC)
    missing = gaps(rows, groups.force_code)
    if missing:
        texts.append(
            f"The source did not report every period: windows covering {missing} are left "
            "empty rather than shortened."
        )
    if small_numbers(rows, groups.force_code):
        texts.append(SMALL_NUMBERS)
    on_figures, on_comparisons = dataset_caveats(data_caveats, measure, rows, groups)
    texts += on_figures
    return tuple(dict.fromkeys(texts)), tuple(dict.fromkeys(on_comparisons))
