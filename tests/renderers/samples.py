"""Small fixed inputs of every chart kind, shared by the renderer tests and their snapshots."""

from __future__ import annotations

import pandas as pd

from renderers.vegalite import (
    CategoriesInputs,
    ChartContext,
    ChartInputs,
    ComparatorInputs,
    FunnelInputs,
    ProportionInputs,
    SpcInputs,
    TrendInputs,
)

FORCE = "Warwickshire"


def context(
    *, synthetic: bool = False, illustrative_msg: bool = False, **changes: object
) -> ChartContext:
    """Return a chart context for a count measure, with any field overridden."""
    fields: dict[str, object] = {
        "title": "Homicide",
        "subtitle": "Rolling 12-month count",
        "unit": "offences",
        "area": FORCE,
        "decimals": 0,
        "improvement": "lower_is_better",
        "synthetic": synthetic,
        "illustrative_msg": illustrative_msg,
        "data_period": "Data to December 2019",
        "baseline_label": "12 months to June 2019",
        "baseline_value": 10.0,
    }
    fields.update(changes)
    return ChartContext(**fields)  # type: ignore[arg-type]


def months(first: str, count: int) -> list[str]:
    """Return ``count`` consecutive month-end dates from ``first`` as ISO strings."""
    return [d.strftime("%Y-%m-%d") for d in pd.date_range(first, periods=count, freq="ME")]


def trend_series() -> pd.DataFrame:
    """Return six months of a rolling count with October missing (a gap) and a flag."""
    dates = months("2019-07-31", 6)
    frame = pd.DataFrame(
        {
            "period_end": dates,
            "value": [10.0, 12.0, 11.0, 9.0, 8.0, 9.0],
            "rate_per_100k": [1.7, 2.1, 1.9, 1.6, 1.4, 1.6],
            "flags": ["", "", "", "", "provisional", ""],
        }
    )
    return frame.drop(index=3).reset_index(drop=True)


def trend_inputs(*, synthetic: bool = False, comparators: bool = False) -> TrendInputs:
    """Return trend inputs; with ``comparators``, national and regional rates too."""
    others = None
    if comparators:
        dates = months("2019-07-31", 6)
        others = pd.DataFrame(
            {
                "period_end": dates * 2,
                "group": ["England and Wales"] * 6 + ["West Midlands"] * 6,
                "rate_per_100k": [1.2, 1.2, 1.3, 1.3, 1.2, 1.1, 2.0, 2.1, 2.2, 2.0, 1.9, 1.8],
            }
        )
    return TrendInputs(
        context=context(synthetic=synthetic, illustrative_msg=comparators),
        series=trend_series(),
        comparators=others,
        baseline_rate=1.8 if comparators else None,
    )


def spc_points() -> pd.DataFrame:
    """Return fourteen points whose limits are recalculated after the seventh."""
    values = [20.0, 22, 19, 21, 23, 20, 22, 15, 14, 13, 15, 14, 13, 12]
    mean = [21.0] * 7 + [14.0] * 7
    return pd.DataFrame(
        {
            "period_end": months("2018-07-31", 14),
            "value": values,
            "mean": mean,
            "upper_limit": [m + 6 for m in mean],
            "lower_limit": [m - 6 for m in mean],
            "near_upper": [m + 4 for m in mean],
            "near_lower": [m - 4 for m in mean],
            "rule": [""] * 7 + ["shift"] * 6 + ["outside_limits"],
            "variation": ["common_cause"] * 7 + ["improvement"] * 6 + ["concern"],
        }
    )


def spc_inputs(*, synthetic: bool = False) -> SpcInputs:
    """Return XmR chart inputs with icons and a target."""
    return SpcInputs(
        context=context(synthetic=synthetic, title="Knife crime"),
        points=spc_points(),
        variation_icon="improvement_low",
        assurance_icon="hit_or_miss",
        target=15.0,
    )


def msg_frame() -> pd.DataFrame:
    """Return five forces' rates per 100,000, the force among them."""
    return pd.DataFrame(
        {
            "area": [FORCE, "Force B", "Force C", "Force D", "Force E"],
            "rate": [40.0, 55.0, 30.0, 48.0, 62.0],
            "is_force": [True, False, False, False, False],
        }
    )


def comparator_inputs(*, synthetic: bool = False, illustrative: bool = True) -> ComparatorInputs:
    """Return comparator inputs: an MSG of five and the region and England and Wales."""
    return ComparatorInputs(
        context=context(
            synthetic=synthetic,
            illustrative_msg=illustrative,
            title="Knife crime per 100,000",
            rate_decimals=1,
        ),
        msg=msg_frame(),
        benchmarks=pd.DataFrame(
            {
                "area": [FORCE, "West Midlands", "England and Wales"],
                "rate": [40.0, 52.5, 47.1],
                "is_force": [True, False, False],
            }
        ),
    )


def categories_inputs(*, synthetic: bool = False) -> CategoriesInputs:
    """Return three categories over four quarters, the third quarter missing."""
    quarters = ["2023-06-30", "2023-09-30", "2024-03-31"]
    rows = [
        {"period_end": q, "category": c, "value": float(i + j + 1)}
        for i, q in enumerate(quarters)
        for j, c in enumerate(["Major", "Moderate", "Minor"])
    ]
    return CategoriesInputs(
        context=context(
            synthetic=synthetic,
            title="OCG disruptions",
            unit="disruptions",
            improvement="higher_is_better",
            baseline_value=None,
        ),
        data=pd.DataFrame(rows),
        categories=("Major", "Moderate", "Minor"),
    )


def proportion_inputs(*, synthetic: bool = False) -> ProportionInputs:
    """Return six months of a satisfaction percentage with its sample sizes."""
    numerator = [70.0, 72, 75, 71, 74, 76]
    denominator = [100.0, 100, 100, 95, 98, 100]
    return ProportionInputs(
        context=context(
            synthetic=synthetic,
            title="Domestic abuse victim satisfaction",
            unit="% satisfied",
            decimals=1,
            improvement="higher_is_better",
            baseline_value=73.0,
        ),
        series=pd.DataFrame(
            {
                "period_end": months("2023-01-31", 6),
                "value": [100 * n / d for n, d in zip(numerator, denominator, strict=True)],
                "numerator": numerator,
                "denominator": denominator,
            }
        ),
    )


def funnel_inputs(*, synthetic: bool = False) -> FunnelInputs:
    """Return six forces' rates against their populations, the force and two MSG members marked."""
    populations = [500_000, 1_000_000, 2_000_000, 750_000, 3_000_000, 600_000]
    counts = [5_000, 9_800, 21_000, 8_000, 29_000, 5_500]
    roles = ["This force", "Most similar group", "Most similar group", "Other forces",
             "Other forces", "Other forces"]  # fmt: skip
    forces = pd.DataFrame(
        {
            "area": [FORCE, "Force B", "Force C", "Force D", "Force E", "Force F"],
            "count": counts,
            "population": populations,
            "rate": [c / p * 100_000 for c, p in zip(counts, populations, strict=True)],
            "role": roles,
        }
    )
    return FunnelInputs(context(synthetic=synthetic), forces, 1000.0, 1_003.3)


def all_inputs(*, synthetic: bool = False) -> dict[str, ChartInputs]:
    """Return one sample input per chart kind (the trend with comparators as a sixth, named)."""
    return {
        "trend": trend_inputs(synthetic=synthetic),
        "trend_comparators": trend_inputs(synthetic=synthetic, comparators=True),
        "spc": spc_inputs(synthetic=synthetic),
        "comparator": comparator_inputs(synthetic=synthetic),
        "categories": categories_inputs(synthetic=synthetic),
        "proportion": proportion_inputs(synthetic=synthetic),
        "funnel": funnel_inputs(synthetic=synthetic),
    }


def kind_of(name: str) -> str:
    """Return the chart kind of a sample name: ``trend_comparators`` is a ``trend``."""
    return name.split("_", 1)[0]
