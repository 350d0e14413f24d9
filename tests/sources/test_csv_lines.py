"""A CSV file the parser refuses is named with the line that does not fit."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.areas.registry import AreaRegistry
from framework.sources.base import SourceError
from framework.sources.csv_lines import first_bad_line
from framework.sources.registry import read_dataset
from tests.sources.helpers import load_dataset, make_dataset

GOOD = "period,area,value\n2021-05,Warwickshire,2\n2021-06,Norfolk,3\n"


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ("2021-07,Warwickshire,1,2,3\n", "line 4: 5 cell(s) where the header has 3"),
        ("2021-07\n", "line 4: 1 cell(s) where the header has 3"),
        ('2021-07,"Warwickshire,1\n', "line 4: the row does not parse"),
    ],
)
def test_a_tidy_csv_names_the_line(
    tmp_path: Path, areas: AreaRegistry, bad: str, says: str
) -> None:
    (tmp_path / "counts.csv").write_text(GOOD + bad, encoding="utf-8")
    dataset = make_dataset({"kind": "tidy", "value_column": "value"}, "counts.csv")
    with pytest.raises(SourceError) as caught:
        read_dataset(dataset, tmp_path, areas)
    assert f"counts.csv {says}" in caught.value.detail
    assert caught.value.path == "counts.csv" and caught.value.hint


def test_a_gzipped_csv_names_the_line_inside(tmp_path: Path) -> None:
    path = tmp_path / "counts.csv.gz"
    path.write_bytes(gzip.compress((GOOD + "a,b\n").encode()))
    assert first_bad_line(path) == (4, "2 cell(s) where the header has 3")


def test_a_population_csv_names_the_line(tmp_path: Path, areas: AreaRegistry) -> None:
    text = "code,name,MYE2018\nE23000017,Warwickshire,571000\nE23000016,West Mercia,1,2\n"
    (tmp_path / "population.csv").write_text(text, encoding="utf-8")
    dataset = make_dataset({"kind": "population", "estimates": {"MYE2018": 2018}}, "population.csv")
    with pytest.raises(SourceError, match=r"population.csv line 3: 4 cell\(s\)"):
        read_dataset(dataset, tmp_path, areas)


def test_a_home_office_csv_names_the_line(tmp_path: Path, areas: AreaRegistry) -> None:
    header = (
        "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
        "Offence Subgroup,Offence Code,Number of Offences\n"
    )
    row = "2019/20,1,Warwickshire,Robbery,Robbery,Robbery,34A,12\n"
    (tmp_path / "prc.csv").write_text(header + row + row[:-1] + ",9,9\n", encoding="utf-8")
    dataset = load_dataset("home_office_prc").model_copy(update={"path": "prc.csv"})
    with pytest.raises(SourceError, match=r"prc.csv line 3: 10 cell\(s\)"):
        read_dataset(dataset, tmp_path, areas)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(1, 3), min_size=1, max_size=20),
    st.integers(0, 19),
    st.sampled_from([1, 2, 4, 5]),
)
def test_the_first_row_of_another_width_is_the_one_named(
    widths: list[int], where: int, bad: int
) -> None:
    rows = ["a,b,c"] + [",".join(["1"] * 3) for _ in widths]
    position = min(where, len(widths) - 1) + 1
    rows[position] = ",".join(["1"] * bad)
    data = ("\n".join(rows) + "\n").encode()
    assert first_bad_line(data=data) == (position + 1, f"{bad} cell(s) where the header has 3")
