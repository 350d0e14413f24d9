"""Caveats as data: the definition's once, small numbers only when small, dated area caveats."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from framework.engine.run import Engine
from framework.loading.catalogue import load_catalogue
from framework.model.dataset import DataCaveat
from framework.model.measure import Measure
from framework.periods import parse_period
from renderers.assemble.caveats import (
    SMALL_NUMBERS,
    Groups,
    concerns,
    dataset_caveats,
    definition_caveats,
    measure_caveats,
    small_numbers,
)

CATALOGUE = Path(__file__).parents[2] / "measures"
DURHAM, SOUTH_YORKS, CLEVELAND, WARWICKS = "E23000008", "E23000011", "E23000013", "E23000017"
NAMES = {
    DURHAM: "Durham",
    SOUTH_YORKS: "South Yorkshire",
    CLEVELAND: "Cleveland",
    WARWICKS: "Warwickshire",
}
HILLSBOROUGH = DataCaveat.model_validate(
    {
        "areas": ["South Yorkshire"],
        "from": "2016-04",
        "to": "2017-03",
        "text": "South Yorkshire's 2016/17 homicides include the 96 Hillsborough victims.",
        "filters": {"offence_subgroup": ["Homicide"]},
    }
)


def measure(**changes: object) -> Measure:
    data: dict[str, object] = {
        "id": "homicide",
        "title": "Homicide",
        "description": "Homicides recorded by the police over 12 months.",
        "priority": "reduce_homicide",
        "kind": "national",
        "source": {"dataset": "home_office_prc", "filters": {"offence_subgroup": ["Homicide"]}},
        "aggregation": {"kind": "count"},
        "grain": "quarter",
        "window": {"kind": "rolling", "months": 12},
        "comparators": ["national", "region", "msg"],
        "presentation": {"unit": "offences"},
        "caveats": [
            {"text": "Homicides are often re-classified later."},
            {"text": "Homicides are often\n  re-classified later."},
        ],
    }
    data.update(changes)
    return Measure.model_validate(data)


def groups(force: str = DURHAM, msg: tuple[str, ...] = (DURHAM, SOUTH_YORKS)) -> Groups:
    return Groups(
        force_code=force,
        members={"national": tuple(NAMES), "region": (DURHAM, CLEVELAND), "msg": msg},
        labels={"national": "England and Wales", "region": "North East", "msg": "the MSG average"},
        names=NAMES,
    )


def rows(force: str, ends: list[str], flags: list[str] | None = None) -> pd.DataFrame:
    """Return the force's rolling 12-month rows ending in ``ends`` (``YYYY-MM``)."""
    starts = []
    for end in ends:
        year, month = (int(p) for p in end.split("-"))
        index = year * 12 + month - 1 - 11
        starts.append(f"{index // 12:04d}-{index % 12 + 1:02d}-01")
    return pd.DataFrame(
        {
            "area_code": force,
            "component": pd.Series([pd.NA] * len(ends), dtype="string"),
            "period_end": [f"{e}-28" for e in ends],
            "window_start": starts,
            "window": [f"12 months to {e}" for e in ends],
            "value": 4.0,
            "national_rate": 1.0,
            "region_rate": 1.2,
            "msg_average": 0.9,
            "flags": flags or [""] * len(ends),
        }
    )


def test_a_definition_caveat_written_twice_appears_once() -> None:
    period = parse_period("2023/24-Q1")
    assert definition_caveats(measure(), period) == ["Homicides are often re-classified later."]


def test_hillsborough_reaches_durham_through_its_msg_and_england_and_wales() -> None:
    own, notes = dataset_caveats([HILLSBOROUGH], measure(), rows(DURHAM, ["2017-03"]), groups())
    assert own == []
    assert notes == [
        "England and Wales and the MSG average (which include South Yorkshire): "
        + HILLSBOROUGH.text
    ]


def test_it_reaches_south_yorkshire_through_its_own_figures() -> None:
    own, notes = dataset_caveats(
        [HILLSBOROUGH], measure(), rows(SOUTH_YORKS, ["2017-03"]), groups(SOUTH_YORKS)
    )
    assert own == [HILLSBOROUGH.text]
    assert notes == []


def test_it_does_not_reach_windows_that_miss_it_or_groups_without_the_area() -> None:
    later = rows(DURHAM, ["2018-06", "2023-06"])
    assert dataset_caveats([HILLSBOROUGH], measure(), later, groups()) == ([], [])
    only_msg = measure(comparators=["msg"])
    outside = groups(msg=(DURHAM, CLEVELAND))
    assert dataset_caveats([HILLSBOROUGH], only_msg, rows(DURHAM, ["2017-03"]), outside) == (
        [],
        [],
    )


def test_it_does_not_reach_a_measure_of_other_offences() -> None:
    violence = measure(
        source={"dataset": "home_office_prc", "filters": {"offence_subgroup": ["Robbery"]}}
    )
    assert not concerns(HILLSBOROUGH, violence)
    assert concerns(HILLSBOROUGH, measure(source={"dataset": "home_office_prc"}))


def test_small_numbers_only_when_the_latest_figure_is_flagged() -> None:
    flagged = rows(DURHAM, ["2023-03", "2023-06"], ["", "small_numbers"])
    earlier = rows(DURHAM, ["2023-03", "2023-06"], ["small_numbers", ""])
    assert small_numbers(flagged, DURHAM)
    assert not small_numbers(earlier, DURHAM)
    caveats, _ = measure_caveats(measure(), earlier, parse_period("2023/24-Q1"), groups())
    assert SMALL_NUMBERS not in caveats


def months(first: int, last: int) -> set[int]:
    return set(range(first, last + 1))


@given(
    st.lists(st.integers(24_000, 24_300), min_size=1, max_size=6),
    st.integers(24_000, 24_300),
    st.integers(0, 40),
)
def test_a_caveat_reaches_exactly_the_windows_that_share_a_month_with_it(
    ends: list[int], first: int, length: int
) -> None:
    last = first + length
    caveat = HILLSBOROUGH.model_copy(
        update={
            "from_": f"{first // 12:04d}-{first % 12 + 1:02d}",
            "to": f"{last // 12:04d}-{last % 12 + 1:02d}",
        }
    )
    frame = rows(SOUTH_YORKS, [f"{e // 12:04d}-{e % 12 + 1:02d}" for e in ends])
    own, _ = dataset_caveats([caveat], measure(), frame, groups(SOUTH_YORKS))
    expected = any(months(e - 11, e) & months(first, last) for e in ends)
    assert bool(own) == expected


@pytest.fixture(scope="module")
def homicide_run() -> tuple[Engine, pd.DataFrame]:
    catalogue = load_catalogue(CATALOGUE)
    engine = Engine(catalogue)
    located = catalogue.measure("homicide")
    assert located is not None
    warwickshire = catalogue.force("Warwickshire")
    assert warwickshire is not None
    result = engine.run(warwickshire.model, [located], None, all_forces=True)
    return engine, result.frame


@pytest.mark.slow
def test_the_met_has_no_small_numbers_caveat(homicide_run: tuple[Engine, pd.DataFrame]) -> None:
    _, frame = homicide_run
    latest = frame.loc[(frame["area_code"] == "E23000001") & frame["value"].notna()]
    assert latest["value"].iloc[-1] > 50  # the Met records around a hundred a year
    assert not small_numbers(frame, "E23000001")
    small = frame.loc[frame["flags"].fillna("").str.contains("small_numbers")]
    assert len(small)  # other forces' rows carry the flag: it must not leak across
