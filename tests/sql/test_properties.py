"""The database's groups add up to the records, whatever the records are."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import duckdb
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from framework.areas.registry import AreaRegistry
from framework.model.dataset import Dataset
from framework.periods import month_index
from framework.sources.adapters.sql import SqlAdapter
from framework.sources.area_list import default_registry
from tests.sql.catalogues import CATALOGUE

AREAS: AreaRegistry = default_registry(CATALOGUE)
NAMES = ["Warwickshire", "West Mercia", "warwickshire", "E23000017", "Atlantis", None]

records = st.lists(
    st.tuples(
        st.dates(dt.date(2019, 1, 1), dt.date(2021, 12, 31)) | st.none(),
        st.sampled_from(NAMES),
        st.sampled_from(["yes", "no", None]),
        st.integers(0, 50) | st.none(),
    ),
    max_size=60,
)


def _dataset(grain: str, filters: dict[str, list[object]]) -> Dataset:
    return Dataset.model_validate(
        {
            "id": "responses",
            "title": "Responses",
            "adapter": {
                "kind": "sql",
                "connection": "db",
                "table": "responses",
                "date_column": "on_day",
                "area_column": "force",
                "value_column": "n",
                "filters": filters,
            },
            "path": "connections.yaml",
            "grain": grain,
            "dimensions": ["answer"],
            "provenance": {"publisher": "test", "title": "test"},
        }
    )


def _code(name: str) -> str | None:
    area = AREAS.resolve(name)
    return area.code if area else None


def _as_dict(series: pd.Series) -> dict[tuple[int, str, str], float]:
    keys: list[tuple[int, str, str]] = series.index.to_list()
    return {(int(p), str(a), str(d)): float(v) for (p, a, d), v in zip(keys, series, strict=True)}


def _expected(frame: pd.DataFrame, grain: str, filters: dict[str, list[object]]) -> pd.Series:
    kept = frame
    for column, values in filters.items():
        kept = kept.loc[kept[column].isin(values)]
    kept = kept.dropna(subset=["on_day", "n"])
    codes = kept["force"].map(lambda name: _code(name) if name else None)
    kept = kept.assign(area_code=codes).dropna(subset=["area_code"])
    step = 3 if grain == "quarter" else 1

    def period(day: dt.date) -> int:
        month = month_index(day.year, day.month)
        return month - month % 3 + 2 if step == 3 else month  # quarters from Jan/Apr/Jul/Oct

    kept = kept.assign(period=kept["on_day"].map(period), answer=kept["answer"].fillna("?"))
    return kept.groupby(["period", "area_code", "answer"])["n"].sum().astype(float)


@settings(max_examples=25, deadline=None)
@given(
    rows=records,
    grain=st.sampled_from(["month", "quarter"]),
    only_yes=st.booleans(),
)
def test_groups_add_up_to_the_records(
    rows: list[tuple[dt.date | None, str | None, str | None, int | None]],
    grain: str,
    only_yes: bool,
) -> None:
    frame = pd.DataFrame(rows, columns=["on_day", "force", "answer", "n"], dtype=object)
    filters: dict[str, list[object]] = {"answer": ["yes"]} if only_yes else {}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        con = duckdb.connect(str(root / "db.duckdb"))
        con.execute("CREATE TABLE responses (on_day DATE, force TEXT, answer TEXT, n BIGINT)")
        if rows:
            con.executemany("INSERT INTO responses VALUES (?, ?, ?, ?)", rows)
        con.close()
        (root / "connections.yaml").write_text(
            "connections:\n  db: {backend: duckdb, database: db.duckdb}\n", encoding="utf-8"
        )
        dataset = _dataset(grain, filters)
        read = SqlAdapter().read(dataset, root / "connections.yaml", root, AREAS)
    answered = read.frame.assign(answer=read.frame["answer"].astype(object).fillna("?"))
    got = answered.groupby(["period", "area_code", "answer"], observed=True)["value"].sum()
    want = _expected(frame, grain, filters)
    assert _as_dict(got) == _as_dict(want)
    kept = frame if not only_yes else frame.loc[frame["answer"].isin(["yes"])]
    report = read.report
    # Every record the filters kept is read, and each is used or excluded with a reason.
    assert report.rows_read == len(kept)
    assert report.rows_used + report.rows_excluded == report.rows_read
    usable = kept.dropna(subset=["on_day", "n"])
    known = usable["force"].map(lambda name: bool(name) and AREAS.resolve(name) is not None)
    assert report.rows_used == int(known.sum())
