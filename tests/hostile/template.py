"""Build a small, valid catalogue in a temporary folder for the hostile-input corpus to break."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).parents[2]
NATIONAL = REPO / "measures" / "national"

FORCES = frozenset(
    {"Warwickshire", "Gloucestershire", "Norfolk", "Suffolk", "West Mercia", "Wiltshire"}
)
"""The forces the small catalogue has data for: the force and its most similar group."""

FILES: dict[str, str] = {
    "priorities.yaml": """\
priorities:
  items:
    - id: reduce_serious_violence
      order: 1
      title: Reduce serious violence
      national_measures: [firearm_discharges]
""",
    "datasets/firearms.yaml": """\
dataset:
  id: firearms
  title: Firearm discharges
  adapter: {kind: tidy, format: csv, period_column: period, area_column: area, value_column: value}
  path: data/firearms.csv
  grain: month
  complete: true
  synthetic: true
  provenance: {publisher: Test, title: Firearm discharges}
""",
    "datasets/population.yaml": """\
dataset:
  id: ons_population
  title: Population
  adapter: {kind: population, code_column: code, name_column: name, estimates: {MYE2018: 2018}}
  path: data/population.csv
  grain: month
  provenance: {publisher: Office for National Statistics, title: Population}
""",
    "definitions/firearm_discharges.yaml": """\
measure:
  id: firearm_discharges
  title: Offences involving the discharge of a firearm
  description: Recorded offences in which a firearm was discharged, over 12 months.
  priority: reduce_serious_violence
  kind: national
  national_measure: {name: Firearm discharges, available: true, supplier: Home Office}
  source: {dataset: firearms}
  aggregation: {kind: count}
  grain: month
  window: {kind: rolling, months: 12}
  baseline: {label: 12 months to June 2019, start: 2018-07, end: 2019-06}
  comparators: [national, region, msg]
  improvement: lower_is_better
  presentation: {charts: [trend], unit: offences}
""",
    "definitions/firearm_rate.yaml": """\
measure:
  id: firearm_rate
  title: Firearm discharges per 100,000 people
  description: Firearm discharges per 100,000 residents, over 12 months.
  priority: reduce_serious_violence
  kind: proxy
  proxy_for: firearm_discharges
  source: {dataset: firearms}
  aggregation: {kind: rate, per: 100000}
  grain: month
  window: {kind: rolling, months: 12}
  baseline: {label: 12 months to June 2019, start: 2018-07, end: 2019-06}
  comparators: [national, msg]
  improvement: lower_is_better
  presentation: {charts: [trend, spc], unit: "offences per 100,000"}
""",
    "forces/warwickshire.yaml": """\
force:
  id: warwickshire
  name: Warwickshire
  ons_code: E23000017
  region: West Midlands
  pcc_office: Office of the Police and Crime Commissioner for Warwickshire
  msg:
    members: [Gloucestershire, Norfolk, Suffolk, West Mercia, Wiltshire]
    as_of: 2021-04
    illustrative: true
  default: true
  reporting_period: 2021/22-Q4
  commentary: {folder: commentary}
""",
    "commentary/warwickshire/2021-22-Q4/firearm_discharges.force.md": "Firearm discharges fell.\n",
}


def build(root: Path) -> Path:
    """Write the small catalogue under ``root`` (created) and return it."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "data" / "reference").mkdir(parents=True, exist_ok=True)
    shutil.copy(NATIONAL / "data" / "reference" / "areas.csv", root / "data" / "reference")
    shutil.copy(NATIONAL / "spc" / "making_data_count.yaml", root / "spc.yaml")
    population = NATIONAL / "data" / "ons-population" / "population_data.csv"
    shutil.copy(population, root / "data" / "population.csv")
    (root / "data" / "firearms.csv").write_text(_counts(), encoding="utf-8")
    return root


def _counts() -> str:
    """Return small synthetic monthly counts, April 2018 to June 2023, for the forces."""
    lines = ["period,area,value"]
    for index, force in enumerate(sorted(FORCES)):
        for month in range(63):
            year, rest = divmod(2018 * 12 + 3 + month, 12)
            # A fixed pattern, not random: every run breaks the same catalogue.
            lines.append(f"{year}-{rest + 1:02d},{force},{(month * 7 + index * 3) % 5}")
    return "\n".join(lines) + "\n"
