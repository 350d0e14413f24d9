"""The chart kinds a measure may ask for, each with what it draws: the one table of their names.

The model checks ``presentation.charts`` against this table and the JSON Schema lists it; the
renderers hold each kind's builder (:mod:`renderers.chart_kinds`), and a test checks that the
two name the same kinds. A kind is added in both at once with
:func:`renderers.chart_kinds.register_chart_kind`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

CHART_KINDS: dict[str, str] = {
    "trend": "the rolling figure over time against its baseline, with its trend line and, "
    "for rates, the comparators' rates",
    "spc": "an XmR chart of each period on its own, with its mean, process limits and signals",
    "comparator": "the force's latest rate per 100,000 ranked within its most similar group, "
    "beside its region and England and Wales",
    "categories": "stacked bars of each period's figure split by the measure's breakdown",
    "proportion": "the rolling percentage against its baseline, with its numerators and "
    "denominators",
    "funnel": "every force's latest rate against its population, inside limits around the "
    "national rate",
}
"""What each chart kind draws, by its name, in the order the schema lists them."""


def add_chart_kind(name: str, description: str) -> None:
    """Add a chart kind's name and description; refuse a name already in the table."""
    if name in CHART_KINDS:
        raise ValueError(f"chart kind {name!r} is already declared")
    CHART_KINDS[name] = description


def remove_chart_kind(name: str) -> None:
    """Remove a chart kind added by :func:`add_chart_kind`."""
    del CHART_KINDS[name]


def _expected() -> str:
    # Worded as pydantic words a Literal's choices, so a finding reads as it always has.
    quoted = [repr(name) for name in CHART_KINDS]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _chart_kind(value: Any) -> str:
    if isinstance(value, str) and value in CHART_KINDS:
        return value
    expected = {"expected": _expected()}
    raise PydanticCustomError("literal_error", "Input should be {expected}", expected)


class _ChartKindSchema:
    """Validate a chart kind against the table as it stands when a definition is read."""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(_chart_kind)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"enum": list(CHART_KINDS), "type": "string"}


ChartKind = Annotated[str, _ChartKindSchema]
"""The name of a chart kind in :data:`CHART_KINDS`."""
