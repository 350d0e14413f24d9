"""A small, fixed, realistic statement for the report tests, and helpers to vary it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from typing import Any

from renderers.assemble.completeness import completeness_of
from renderers.report import (
    ChartRef,
    ChartTable,
    Comparator,
    Headline,
    MeasureSection,
    NationalMeasure,
    Notice,
    Period,
    PrioritySection,
    Provenance,
    SourceFile,
    Statement,
)

# The schema altair 6 writes: Vega-Lite v6.
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"

HOSTILE = (
    "<script>alert('xss')</script>\n\n"
    "<img src=x onerror=alert(1)>\n\n"
    "[click](javascript:alert(1)) [CLICK](JAVASCRIPT:alert(1)) "
    "[colon](javascript&#58;alert(1)) <javascript:alert(1)> "
    '<a href="javascript:alert(1)" onclick="alert(1)">a</a> '
    "[fine](https://example.org/report)"
)

PRIORITY_TITLES = (
    "Reduce murder and other homicide",
    "Reduce serious violence",
    "Disrupt drugs supply and county lines",
    "Reduce neighbourhood crime",
    "Tackle cyber crime",
    "Improve satisfaction among victims, with a particular focus on victims of domestic abuse",
)

PERIOD = Period("2021/22 Q4", (date(2022, 1, 1), date(2022, 2, 1), date(2022, 3, 1)))


def line_spec(title: str, values: list[tuple[str, float]], baseline: float) -> dict[str, Any]:
    """Return a hand-written Vega-Lite v6 line chart with a dashed baseline rule."""
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": title,
        "width": 560,
        "height": 220,
        "data": {"values": [{"month": m, "value": v} for m, v in values]},
        "layer": [
            {
                "mark": {"type": "line", "point": True, "color": "#0072B2"},
                "encoding": {
                    "x": {
                        "field": "month",
                        "type": "temporal",
                        "timeUnit": "yearmonth",
                        "title": "12 months ending",
                        "axis": {"format": "%b %Y", "labelAngle": 0},
                    },
                    "y": {"field": "value", "type": "quantitative", "title": "Offences"},
                    "tooltip": [
                        {"field": "month", "type": "temporal"},
                        {"field": "value", "type": "quantitative"},
                    ],
                },
            },
            {
                "data": {"values": [{"baseline": baseline}]},
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#555555"},
                "encoding": {"y": {"field": "baseline", "type": "quantitative"}},
            },
        ],
    }


def bar_spec(title: str, values: list[tuple[str, float]]) -> dict[str, Any]:
    """Return a hand-written Vega-Lite v6 ranked bar chart of areas."""
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": title,
        "width": 560,
        "data": {"values": [{"area": a, "rate": r} for a, r in values]},
        "mark": "bar",
        "encoding": {
            "y": {"field": "area", "type": "nominal", "sort": "-x", "title": None},
            "x": {"field": "rate", "type": "quantitative", "title": "Offences per 100,000"},
            "color": {
                "condition": {"test": "datum.area === 'Warwickshire'", "value": "#0072B2"},
                "value": "#9E9E9E",
            },
        },
    }


SMALL_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
    '<rect width="120" height="40" fill="#f3f2f1"/>'
    '<polyline points="5,30 35,22 65,26 95,12 115,15" fill="none" stroke="#0072B2"/></svg>'
)

_MONTHS = ["2021-04", "2021-06", "2021-08", "2021-10", "2021-12", "2022-02", "2022-03"]


def _provenance(measure: str, dataset: str, rows: int) -> Provenance:
    return Provenance(
        definition=f"measures/definitions/{measure}.yaml",
        dataset=dataset,
        sources=(SourceFile(f"data/{dataset}.csv", "9f1c" + "0" * 56 + "beef"),),
        rows=rows,
    )


def homicide() -> MeasureSection:
    """Return the homicide measure: national, current, with both commentaries."""
    return MeasureSection(
        id="homicide",
        title="Homicide",
        kind="national",
        national=NationalMeasure("Homicide", available=True, supplier="Home Office"),
        headline=Headline(
            value="7",
            unit="offences",
            window="12 months to March 2022",
            status="no significant change",
            data_from=date(2021, 4, 1),
            data_to=date(2022, 3, 1),
            baseline_label="12 months to June 2019",
            baseline_value="9",
            change="-2",
            change_pct="-22.2%",
            rate_per_100k="1.2",
            comparators=(
                Comparator("England and Wales", "1.2 per 100,000"),
                Comparator("West Midlands region", "1.6 per 100,000"),
                Comparator("Most similar group average", "1.0 per 100,000"),
                Comparator("Rank in most similar group", "5th of 8 (1st is lowest)"),
            ),
            status_detail="Within the usual range of variation",
        ),
        charts=(
            ChartRef(
                kind="trend",
                title="Homicide, rolling 12 months",
                spec=line_spec(
                    "Homicide, rolling 12 months",
                    [(m, v) for m, v in zip(_MONTHS, [8, 9, 7, 6, 8, 7, 7], strict=True)],
                    9,
                ),
                stem="homicide-trend",
                svg=SMALL_SVG,
                description="Line chart: homicides in the 12 months to each month, "
                "between 6 and 9, against a baseline of 9.",
                table=ChartTable(
                    "Values drawn in the chart: Homicide, Warwickshire",
                    ("Period", "Warwickshire (offences)"),
                    tuple((m, str(v)) for m, v in zip(_MONTHS, [8, 9, 7, 6, 8, 7, 7], strict=True)),
                    ("Baseline (12 months to June 2019): 9",),
                ),
            ),
        ),
        caveats=("Offences may be reclassified as investigations conclude.",),
        force_commentary=(
            "Fortunately Warwickshire records few homicides: **1** in the last 3 months.\n\n"
            "- Baseline year had a single homicide\n- Six 2021 offences are under review"
        ),
        pcc_commentary="Discussed at the *Performance Accountability Meeting* in March 2022.",
        provenance=_provenance("homicide", "home_office_homicide", 1248),
    )


def knife_crime() -> MeasureSection:
    """Return the knife crime proxy: its bundled data end in December 2019, so it is stale."""
    return MeasureSection(
        id="knife_crime",
        title="Offences involving a knife or sharp instrument",
        kind="proxy",
        national=NationalMeasure(
            "Hospital admissions of under 25s for assault with a sharp object",
            available=False,
            supplier="NHS Digital",
            reason="hospital episode data are not shared with forces at force level",
        ),
        headline=Headline(
            value="279",
            unit="offences",
            window="12 months to December 2019",
            status="worsening",
            data_from=date(2019, 1, 1),
            data_to=date(2019, 12, 1),
            baseline_label="12 months to June 2019",
            baseline_value="262",
            change="+17",
            change_pct="+6.5%",
            rate_per_100k="49",
            comparators=(
                Comparator("England and Wales", "77 per 100,000"),
                Comparator("West Midlands region", "99 per 100,000"),
            ),
            stale_note=(
                "The data behind this figure end in December 2019, before this statement's "
                "period (2021/22 Q4, January to March 2022), so it does not describe the "
                "current period."
            ),
        ),
        charts=(
            ChartRef(
                kind="comparator",
                title="Knife crime per 100,000 residents, most similar group",
                spec=bar_spec(
                    "Knife crime per 100,000 residents",
                    [
                        ("Warwickshire", 49.0),
                        ("Norfolk", 41.0),
                        ("Suffolk", 45.0),
                        ("West Mercia", 52.0),
                        ("Wiltshire", 38.0),
                    ],
                ),
                stem="knife_crime-comparator",
                description="Knife crime per 100,000 residents: Warwickshire 49.0, ranked 4 of "
                "5 in its most similar group, best first.",
                table=ChartTable(
                    "Values drawn in the chart: knife crime, Warwickshire and comparators",
                    ("Area", "Rank", "Rate per 100,000"),
                    (
                        ("Wiltshire", "1", "38.0"),
                        ("Norfolk", "2", "41.0"),
                        ("Suffolk", "3", "45.0"),
                        ("Warwickshire", "4", "49.0"),
                        ("West Mercia", "5", "52.0"),
                    ),
                ),
            ),
        ),
        caveats=("The bundled ONS editions end with the 12 months to December 2019.",),
        synthetic=True,
        provenance=_provenance("knife_crime", "ons_pfa_p4_knife", 3360),
    )


def satisfaction() -> MeasureSection:
    """Return domestic abuse satisfaction: a proxy in per cent, without charts or commentary."""
    return MeasureSection(
        id="domestic_abuse_satisfaction",
        title="Satisfaction of victims of domestic abuse",
        kind="proxy",
        national=NationalMeasure(
            "Satisfaction with the police among victims of domestic abuse",
            available=False,
            supplier="Office for National Statistics",
            reason="the Crime Survey has published no force-level figures since 2020",
        ),
        headline=Headline(
            value="75",
            unit="%",
            window="6 months to March 2022",
            status="worsening",
            data_from=date(2021, 10, 1),
            data_to=date(2022, 3, 1),
            baseline_label="6 months to June 2019",
            baseline_value="82%",
            change="-7 points",
        ),
        provenance=_provenance("domestic_abuse_satisfaction", "force_user_survey", 412),
    )


def sample_statement(**changes: Any) -> Statement:
    """Return the fixed test statement; keyword arguments replace its fields."""
    priorities = (
        PrioritySection("Reduce murder and other homicide", 1, (homicide(),)),
        PrioritySection("Reduce serious violence", 2, (knife_crime(),)),
        PrioritySection(
            "Tackle cyber crime",
            5,
            not_applicable="The national measures come from surveys not broken down by force.",
        ),
        PrioritySection(
            PRIORITY_TITLES[5],
            6,
            (satisfaction(),),
            pcc_commentary="The PCC raised satisfaction at the Governance and Performance Board.",
        ),
    )
    statement = Statement(
        force="Warwickshire",
        pcc_office="Office of the Police and Crime Commissioner for Warwickshire",
        period=PERIOD,
        generated_on=date(2022, 4, 29),
        framework_version="0.1.0",
        priorities=priorities,
        completeness=completeness_of(priorities, PRIORITY_TITLES),
        notices=(
            Notice("synthetic", "This statement contains SYNTHETIC data, made up for testing."),
            Notice("illustrative", "The most similar group of forces is illustrative."),
        ),
        introduction="The Police and Crime Plan 2022–2025 was published on 31 March 2022.",
    )
    return replace(statement, **changes) if changes else statement


def with_measure(statement: Statement, measure: MeasureSection) -> Statement:
    """Return the statement with the measure of the same id swapped for ``measure``.

    A measure of a new id takes the place of the first priority's measures.
    """
    if measure.id not in {m.id for m in statement.measures}:
        first = replace(statement.priorities[0], measures=(measure,))
        return replace(statement, priorities=(first, *statement.priorities[1:]))
    priorities = tuple(
        replace(p, measures=tuple(measure if m.id == measure.id else m for m in p.measures))
        for p in statement.priorities
    )
    return replace(statement, priorities=priorities)


class Scan(HTMLParser):
    """Collects every start tag with its attributes, and each script's attributes and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self._script: dict[str, str | None] | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self._script_text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._script_text)))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)
        else:
            self.text.append(data)


def scan(page: str) -> Scan:
    """Return the parse of ``page``."""
    parser = Scan()
    parser.feed(page)
    parser.close()
    return parser
