"""Generate the SYNTHETIC demo tables in ``measures/warwickshire/data/synthetic/``.

These tables stand in for data only forces hold (victim satisfaction surveys, organised crime
group disruptions, firearm discharges, cyber-dependent crime referrals, drug-related
homicides). Every number is drawn at random; none is real. They exist so the framework can be
shown end to end on all 43 forces.

Usage (from the repository root)::

    .venv/bin/python scripts/generate_synthetic.py [--out measures/warwickshire/data/synthetic]

The draws use ``numpy.random.default_rng(SEED)`` and the forces in the bundled ONS mid-2018
population table's order, so the output is the same on every run. Counts are Poisson with a
mean proportional to each force's real mid-2018 population (times a fixed, randomly drawn
force factor), so large forces have more events than small ones, as they would.
Months run from April 2018 to June 2023, the last years of the Home Office table.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
POPULATION = REPO / "measures" / "national" / "data" / "ons-population" / "population_data.csv"
SEED = 20190630
FIRST = (2018, 4)
LAST = (2023, 6)
URBAN = {"E23000001", "E23000005", "E23000014", "E23000004", "E23000010", "E23000011", "E23000007"}
"""Metropolitan forces: the Met, Greater Manchester, West Midlands, Merseyside, West and South
Yorkshire, Northumbria. Gun crime and drug homicides concentrate there, so their means are
doubled."""


@dataclass(frozen=True)
class Force:
    """A force as the generator needs it: name, code, real mid-2018 population."""

    code: str
    name: str
    population: int


def forces() -> list[Force]:
    """Return the 43 forces of the bundled population table, in its order."""
    with POPULATION.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found = [
        Force(row["code"], row["name"], int(row["MYE2018"]))
        for row in rows
        if row["code"][:3] in ("E23", "W15")
    ]
    if len(found) != 43:
        raise SystemExit(f"expected 43 forces in {POPULATION.name}, found {len(found)}")
    return found


def months() -> list[tuple[int, int]]:
    """Return every (year, month) from FIRST to LAST inclusive."""
    year, month = FIRST
    out = []
    while (year, month) <= LAST:
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def quarter_label(year: int, month: int) -> str:
    """Name the financial quarter ending in a quarter-end month (``2019/20-Q1`` for June 2019)."""
    start = year if month >= 4 else year - 1
    quarter = ((month - 4) % 12) // 3 + 1
    return f"{start}/{(start + 1) % 100:02d}-Q{quarter}"


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    """Write a plain CSV (LF line ends, header row, no comments); gzip it for a .gz name.

    The gzip header's timestamp is fixed at zero so that re-running gives identical bytes.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    if path.name.endswith(".gz"):
        data = gzip.compress(data, compresslevel=9, mtime=0)
    path.write_bytes(data)


def victim_satisfaction(rng: np.random.Generator, force_list: list[Force]) -> list[list[object]]:
    """Survey responses, one row each: ~50-150 a month per force, 75-85% satisfied."""
    logs = np.log([force.population for force in force_list])
    size = 50 + 100 * (logs - logs.min()) / (logs.max() - logs.min())
    baseline = rng.uniform(0.75, 0.85, len(force_list))
    abuse_share = rng.uniform(0.15, 0.30, len(force_list))
    rows: list[list[object]] = []
    for index, force in enumerate(force_list):
        for step, (year, month) in enumerate(months()):
            responses = int(rng.poisson(size[index]))
            # A slow drift and month-to-month noise, so the SPC charts have something to show.
            rate = np.clip(baseline[index] - 0.0004 * step + rng.normal(0, 0.015), 0.5, 0.97)
            abuse = rng.random(responses) < abuse_share[index]
            satisfied = rng.random(responses) < np.where(abuse, rate - 0.03, rate)
            period = f"{year:04d}-{month:02d}"
            rows.extend(
                [
                    period,
                    force.name,
                    "domestic abuse" if is_abuse else "other",
                    "yes" if is_satisfied else "no",
                ]
                for is_abuse, is_satisfied in zip(abuse, satisfied, strict=True)
            )
    return rows


def monthly_counts(
    rng: np.random.Generator, force_list: list[Force], per_million: float, urban_factor: float
) -> list[list[object]]:
    """Poisson counts per force and month with mean proportional to population."""
    factor = rng.lognormal(0.0, 0.3, len(force_list))
    rows: list[list[object]] = []
    for index, force in enumerate(force_list):
        mean = per_million * force.population / 1e6 * factor[index]
        mean *= urban_factor if force.code in URBAN else 1.0
        for year, month in months():
            rows.append([f"{year:04d}-{month:02d}", force.name, int(rng.poisson(mean))])
    return rows


def ocg_disruptions(rng: np.random.Generator, force_list: list[Force]) -> list[list[object]]:
    """Disruptions of organised crime groups per financial quarter and category."""
    means = {"Major": 0.6, "Moderate": 2.0, "Minor": 5.0}  # per million residents per quarter
    factor = rng.lognormal(0.0, 0.35, len(force_list))
    quarters = [quarter_label(year, month) for year, month in months() if month % 3 == 0]
    rows: list[list[object]] = []
    for index, force in enumerate(force_list):
        scale = force.population / 1e6 * factor[index]
        for quarter in quarters:
            for category, mean in means.items():
                rows.append([quarter, force.name, category, int(rng.poisson(mean * scale))])
    return rows


def cyber_victims(rng: np.random.Generator, force_list: list[Force]) -> list[list[object]]:
    """Victims of cyber-dependent crime referred by NFIB, and how many were given advice."""
    factor = rng.lognormal(0.0, 0.25, len(force_list))
    coverage = rng.uniform(0.95, 1.0, len(force_list))
    rows: list[list[object]] = []
    for index, force in enumerate(force_list):
        mean = 20.0 * force.population / 1e6 * factor[index]
        for year, month in months():
            victims = int(rng.poisson(mean))
            # Most forces advise every victim; some months a few are missed.
            advised = victims if rng.random() < 0.6 else int(rng.binomial(victims, coverage[index]))
            rows.append([f"{year:04d}-{month:02d}", force.name, victims, advised])
    return rows


README = """# SYNTHETIC DATA — GENERATED, NOT REAL

**Every number in this folder is made up.** The files are drawn at random by
`scripts/generate_synthetic.py` (numpy `default_rng({seed})`, fixed seed, so re-running gives
the same files). They stand in for data that only police forces hold, so that the framework
can be shown end to end for all 43 forces. Do not quote them, compare forces on them or read
anything into their trends. Every dataset that reads them is registered with
`synthetic: true`, and every output that uses them is labelled synthetic.

What is real: the force names and the scaling. Counts are Poisson draws whose mean is
proportional to each force's real ONS mid-2018 population (from
`../ons-population/population_data.csv`) times a fixed random force factor, with the
metropolitan forces' means doubled for firearm discharges and drug-related homicides.
Months run from {first} to {last} (the last years of the Home Office table).

{table}

Rows: {sizes}.
"""


TABLE = (
    ("file", "grain", "columns", "how it is drawn"),
    (
        "`victim_satisfaction.csv.gz` (gzipped CSV)",
        "one row per survey response",
        "period (YYYY-MM), area, victim_type (`domestic abuse` / `other`), "
        "satisfied (`yes` / `no`)",
        "50-150 responses a month per force (more for larger forces), 15-30% domestic abuse "
        "victims, 75-85% satisfied with a slow drift and monthly noise",
    ),
    (
        "`ocg_disruptions.csv`",
        "financial quarter",
        "period (YYYY/YY-Qn), area, category (`Major` / `Moderate` / `Minor`), value",
        "Poisson: 0.6 / 2 / 5 per million residents a quarter; zero rows are written",
    ),
    (
        "`firearm_discharges.csv`",
        "month",
        "period, area, value",
        "Poisson, 0.5 per million residents a month (doubled for metropolitan forces); "
        "zeros written",
    ),
    (
        "`cyber_dependent_victims.csv`",
        "month",
        "period, area, victims, advised",
        "victims Poisson, 20 per million a month; advised = victims in most months, "
        "else a binomial 95-100% of them",
    ),
    (
        "`drug_related_homicides.csv`",
        "month",
        "period, area, value",
        "Poisson, 0.25 per million a month (doubled for metropolitan forces); zeros written",
    ),
)
"""The README's table of files: what each holds and how it is drawn."""


def markdown_table(rows: tuple[tuple[str, ...], ...]) -> str:
    """Format rows as a Markdown table, the first row as its header."""
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "| " + " | ".join("---" for _ in rows[0]) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Write every synthetic table and the README; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", default=None, help="output folder (default: measures/warwickshire/data/synthetic)"
    )
    args = parser.parse_args(argv)
    out = Path(args.out) if args.out else REPO / "measures" / "warwickshire" / "data" / "synthetic"
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    force_list = forces()
    tables = {
        # Record level (one row per response): ~270,000 rows, 10 MB as text, 0.2 MB gzipped.
        "victim_satisfaction.csv.gz": (
            ["period", "area", "victim_type", "satisfied"],
            victim_satisfaction(rng, force_list),
        ),
        "ocg_disruptions.csv": (
            ["period", "area", "category", "value"],
            ocg_disruptions(rng, force_list),
        ),
        "firearm_discharges.csv": (
            ["period", "area", "value"],
            monthly_counts(rng, force_list, 0.5, 2.0),
        ),
        "cyber_dependent_victims.csv": (
            ["period", "area", "victims", "advised"],
            cyber_victims(rng, force_list),
        ),
        "drug_related_homicides.csv": (
            ["period", "area", "value"],
            monthly_counts(rng, force_list, 0.25, 2.0),
        ),
    }
    for name, (header, rows) in tables.items():
        write_csv(out / name, header, rows)
    sizes = "; ".join(f"`{name}` {len(rows):,}" for name, (_, rows) in tables.items())
    (out / "README.md").write_text(
        README.format(
            seed=SEED,
            first=f"{FIRST[0]}-{FIRST[1]:02d}",
            last=f"{LAST[0]}-{LAST[1]:02d}",
            sizes=sizes,
            table=markdown_table(TABLE),
        ),
        encoding="utf-8",
    )
    print(f"wrote {len(tables)} synthetic tables to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
