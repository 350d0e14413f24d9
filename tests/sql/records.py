"""The synthetic force-held tables as a force's systems hold them: one row per record.

The bundled CSVs give counts per month (or quarter); a records-management system holds one
row per event with its date. Each count here becomes that many records, dated inside its
period, so that a database must truncate dates and count to give back the same figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from framework.periods import parse_period, year_month

SYNTHETIC = Path("data") / "synthetic"
"""Where the demo force keeps its synthetic force-held tables, inside its catalogue folder."""


@dataclass(frozen=True)
class RecordTable:
    """A record-level table, and the sql adapter options that read it like its CSV dataset."""

    dataset: str
    table: str
    frame: pd.DataFrame
    options: dict[str, object]


def _first_day(period: str) -> dt.date:
    year, month = year_month(parse_period(period).first)
    return dt.date(year, month, 1)


def _dates(periods: pd.Series, offsets: np.ndarray) -> pd.Series:
    firsts = {p: _first_day(p) for p in periods.unique()}
    days = [firsts[p] + dt.timedelta(days=int(k)) for p, k in zip(periods, offsets, strict=True)]
    return pd.Series(pd.to_datetime(days).date, index=periods.index)


def _expand(frame: pd.DataFrame, counts: pd.Series) -> pd.DataFrame:
    """Repeat each row its count of times; ``k`` numbers the copies of one row from 0."""
    repeated = frame.loc[frame.index.repeat(counts.to_numpy())].copy()
    repeated["k"] = repeated.groupby(level=0).cumcount().to_numpy()
    return repeated.reset_index(drop=True)


def record_tables(catalogue: Path) -> list[RecordTable]:
    """Return every synthetic force-held table of a force's catalogue at record level."""
    folder = catalogue / SYNTHETIC
    tables = []

    survey = pd.read_csv(folder / "victim_satisfaction.csv.gz", dtype=str)
    offsets = np.arange(len(survey)) % 28
    tables.append(
        RecordTable(
            "force_victim_satisfaction",
            "survey_responses",
            pd.DataFrame(
                {
                    "responded_on": _dates(survey["period"], offsets),
                    "force_name": survey["area"],
                    "victim_type": survey["victim_type"],
                    "satisfied": survey["satisfied"],
                }
            ),
            {
                "table": "survey.responses",
                "date_column": "responded_on",
                "area_column": "force_name",
            },
        )
    )

    counts = pd.read_csv(folder / "drug_related_homicides.csv", dtype={"value": int, "period": str})
    homicides = _expand(counts, counts["value"])
    tables.append(
        RecordTable(
            "force_drug_related_homicides",
            "drug_related_homicides",
            pd.DataFrame(
                {
                    "recorded_on": _dates(homicides["period"], homicides["k"].to_numpy() % 28),
                    "force_name": homicides["area"],
                }
            ),
            {
                "table": "crime.drug_related_homicides",
                "date_column": "recorded_on",
                "area_column": "force_name",
            },
        )
    )

    cyber = pd.read_csv(folder / "cyber_dependent_victims.csv", dtype={"period": str})
    victims = _expand(cyber, cyber["victims"])
    tables.append(
        RecordTable(
            "force_cyber_victims",
            "cyber_victims",
            pd.DataFrame(
                {
                    "referred_on": _dates(victims["period"], victims["k"].to_numpy() % 28),
                    "force_name": victims["area"],
                    "victims": np.ones(len(victims), dtype=np.int64),
                    "advised": (victims["k"] < victims["advised"]).astype(np.int64),
                }
            ),
            {
                "table": "crime.cyber_victims",
                "date_column": "referred_on",
                "area_column": "force_name",
                "value_columns": ["victims", "advised"],
            },
        )
    )

    ocg = pd.read_csv(folder / "ocg_disruptions.csv", dtype={"value": int, "period": str})
    disruptions = _expand(ocg, ocg["value"])
    tables.append(
        RecordTable(
            "force_ocg_disruptions",
            "ocg_disruptions",
            pd.DataFrame(
                {
                    "disrupted_on": _dates(disruptions["period"], disruptions["k"].to_numpy() % 89),
                    "force_name": disruptions["area"],
                    "category": disruptions["category"],
                }
            ),
            {
                "table": "crime.ocg_disruptions",
                "date_column": "disrupted_on",
                "area_column": "force_name",
            },
        )
    )
    return tables


def load_duckdb(path: Path, tables: list[RecordTable]) -> None:
    """Write the tables into a DuckDB file, each in the schema its options name."""
    import duckdb

    con = duckdb.connect(str(path))
    try:
        for table in tables:
            qualified = str(table.options["table"])
            schema = qualified.split(".")[0]
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            con.register("frame", table.frame)
            con.execute(f"CREATE OR REPLACE TABLE {qualified} AS SELECT * FROM frame")
            con.unregister("frame")
    finally:
        con.close()


def load_postgres(settings: dict[str, object], tables: list[RecordTable]) -> None:
    """Write the tables into PostgreSQL with COPY, each in the schema its options name."""
    import psycopg

    types = {"object": "text", "int64": "bigint"}
    with psycopg.connect(**settings, autocommit=True) as con:  # type: ignore[arg-type]
        for table in tables:
            qualified = str(table.options["table"])
            schema = qualified.split(".")[0]
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            con.execute(f"DROP TABLE IF EXISTS {qualified}")
            columns = []
            for name, dtype in table.frame.dtypes.items():
                sql_type = types.get(str(dtype), "text")
                if name == table.options["date_column"]:
                    sql_type = "date"
                columns.append(f"{name} {sql_type}")
            con.execute(f"CREATE TABLE {qualified} ({', '.join(columns)})")
            names = ", ".join(map(str, table.frame.columns))
            text = table.frame.to_csv(index=False, header=False)
            with con.cursor().copy(f"COPY {qualified} ({names}) FROM STDIN (FORMAT csv)") as copy:
                copy.write(text.encode("utf-8"))
