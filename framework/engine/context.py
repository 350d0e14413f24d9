"""What a force's statement or charts are set in: its quarter, comparator groups and names.

The commands and the statement builder ask here rather than reaching into the engine's area
list and groups themselves, so the rules (which quarter is "latest", why a comparator is
missing) are written once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from framework.periods import Span

if TYPE_CHECKING:
    from framework.engine.run import Engine, RunResult
    from framework.model.force import Force


@dataclass(frozen=True)
class Comparison:
    """A force and whom it is compared with: its code, region, groups and every force's name."""

    force_code: str
    region_name: str
    groups: dict[str, tuple[str, ...]]
    """Comparator groups as ONS codes: national, region, msg and the profile's named groups."""
    names: dict[str, str]
    """Each force's name by its ONS code."""
    notes: tuple[str, ...]
    """Why the region or the most similar group is not compared, when it is not."""

    @property
    def msg_codes(self) -> tuple[str, ...]:
        """Return the members of the most similar group, if the profile names one."""
        return self.groups.get("msg", ())

    @property
    def region_codes(self) -> tuple[str, ...]:
        """Return the forces of the region, if it has enough to be compared."""
        return self.groups.get("region", ())


def comparison_of(engine: Engine, force: Force) -> Comparison:
    """Return whom ``force`` is compared with, from the engine's area list and the profile."""
    groups = engine.groups(force)
    own = engine.force_code(force)
    region = engine.areas.region_of(own)
    return Comparison(
        force_code=own,
        region_name=region.name if region else force.region,
        groups=groups,
        names={area.code: area.name for area in engine.areas.forces()},
        notes=comparator_notes(engine, force, groups),
    )


def comparator_notes(
    engine: Engine, force: Force, groups: dict[str, tuple[str, ...]]
) -> tuple[str, ...]:
    """Say why the region or the most similar group is not compared, when it is not."""
    notes = []
    region = engine.areas.region_of(engine.force_code(force))
    if "region" not in groups and region is not None:
        members = [area.name for area in engine.areas.members_of_region(region.code)]
        notes.append(
            f"Figures are not compared with the {region.name} region: it has "
            f"{len(members)} police force area{'s' if len(members) != 1 else ''} "
            f"({', '.join(members)}), too few for a regional comparison."
        )
    if "msg" not in groups:
        notes.append(
            "The force profile names no most similar group yet, so figures are not compared "
            "with one."
        )
    return tuple(notes)


Declared = Mapping[str, tuple[int, bool]]
"""For measures whose source could not be read: the end their dataset declares, and whether
it is synthetic."""


def latest_quarter(result: RunResult, declared: Declared | None = None) -> Span:
    """Return the latest quarter that most measures on published (not synthetic) data reach.

    Each measure's data end when its source's do (the Home Office table in June 2023, the
    ONS tables in March 2024): the statement's default quarter is the one the median measure
    reaches (the lower median), so that it is not out of date for most of them, while a
    source that ends early or late does not decide it alone. A measure whose source could
    not be read ends where its dataset declares (``declared``), never left out of the count.
    """
    frame = result.frame
    valued = frame.loc[frame["value"].notna()]
    real = valued.loc[~valued["synthetic"].astype(bool)]
    declared = declared or {}
    declared_real = {measure: end for measure, (end, fake) in declared.items() if not fake}
    use_real = bool(len(real) or declared_real)
    chosen = real if use_real else valued
    ends = list(chosen.groupby("measure")["period"].max().astype(int)) if len(chosen) else []
    ends += (declared_real if use_real else {m: end for m, (end, _) in declared.items()}).values()
    ends.sort()
    last = ends[(len(ends) - 1) // 2] if ends else int(frame["period"].max())
    last -= (last % 3 + 1) % 3  # back to the last month of a quarter (Mar, Jun, Sep, Dec)
    return Span(last - 2, last)


def statement_quarter(
    run: Callable[[int | None], RunResult],
    span: Span | None,
    declared: Callable[[RunResult], Declared] | None = None,
    survey: Callable[[], RunResult] | None = None,
) -> tuple[RunResult, Span | None]:
    """Run for the statement's quarter, or find the latest one when none is given.

    ``run`` evaluates the catalogue up to a month (``None``: all the data). Without a
    quarter the data decide it (:func:`latest_quarter`), with ``declared`` giving the
    declared ends of the measures whose sources could not be read. ``survey``, when given,
    is a light first pass over all the data (:meth:`framework.engine.run.Engine.survey`:
    where each measure's rows end, nothing laid out) that decides it, and the statement is
    then run once; without it the first run is of all the data, repeated cut at the
    quarter's end only when the data go past it. The span is ``None`` when nothing has a
    figure, so there is no quarter to report.
    """
    if span is not None:
        return run(span.last), span
    found = survey() if survey is not None else run(None)
    if found.frame.empty:
        return found, None
    span = latest_quarter(found, declared(found) if declared and found.unavailable else None)
    if span.last < int(found.frame["period"].max()):
        return run(span.last), span
    return (run(None) if survey is not None else found), span
