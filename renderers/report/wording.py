"""The statement's sentences and labels, shared so the HTML and Markdown pages say the same."""

from __future__ import annotations

from renderers.report.statement import (
    Headline,
    MeasureSection,
    NoticeKind,
    OfficeKind,
    Statement,
    Status,
    month_label,
    span_label,
)

NO_COMMENTARY = "No commentary supplied for this period."
FORCE_COMMENTARY = "Force commentary"
PCC_COMMENTARY = "PCC office commentary"
_OFFICE_COMMENTARY: dict[OfficeKind, str] = {
    "pcc": PCC_COMMENTARY,
    "pfcc": "PFCC office commentary",
    "mayor": "Mayor's office commentary",
    "police_authority": "Police authority commentary",
}

# A symbol beside every status word, so that neither colour nor the symbol alone carries it.
_STATUS_ICON: dict[Status, str] = {
    "improving": "✔",
    "worsening": "✖",
    "no significant change": "=",
    "not comparable": "≠",
    "no data": "–",
}

_NOTICE_LABEL: dict[NoticeKind, str] = {
    "synthetic": "Synthetic data",
    "illustrative": "Illustrative comparison",
    "information": "Note",
}


SWITCHED_OFF = "Measures this force does not report, by its own choice:"


def office_commentary(statement: Statement) -> str:
    """Return the heading of the oversight office's commentary, e.g. ``PCC office commentary``."""
    return _OFFICE_COMMENTARY[statement.office_kind]


def status_label(status: Status) -> str:
    """Return the status as a reader sees it, e.g. ``No significant change``."""
    return status[0].upper() + status[1:]


def status_icon(status: Status) -> str:
    """Return the symbol shown beside the status word."""
    return _STATUS_ICON[status]


def notice_label(kind: NoticeKind) -> str:
    """Return the bold lead-in of a notice, e.g. ``Synthetic data``."""
    return _NOTICE_LABEL[kind]


def kind_label(measure: MeasureSection) -> str:
    """Return ``National measure`` or ``Proxy measure``."""
    return "National measure" if measure.kind == "national" else "Proxy measure"


def national_sentence(measure: MeasureSection) -> str | None:
    """Return what the section says about the national measure, or None for a plain one."""
    national = measure.national
    if national is None:
        return "A proxy measure chosen by the force." if measure.kind == "proxy" else None
    holder = national.supplier or "another body"
    # Reasons are written as sentences; the sentence here carries on after them.
    reason = (national.reason or "no reason was given").rstrip(" .")
    if measure.kind == "proxy":
        if national.available:
            held = f" (data held by {national.supplier})" if national.supplier else ""
            return (
                f"A proxy for the national measure “{national.name}”{held}, "
                "which is reported as well."
            )
        return (
            f"The national measure “{national.name}” is held by {holder} — "
            f"not available to the police: {reason}; this proxy stands in for it."
        )
    if national.available:
        return f"Data supplier: {national.supplier}." if national.supplier else None
    return f"National measure held by {holder} — not available to the police: {reason}."


def data_span(headline: Headline) -> str | None:
    """Return the months the data cover, e.g. ``Data cover April 2021 to March 2022``."""
    if headline.data_from and headline.data_to:
        return f"Data cover {span_label(headline.data_from, headline.data_to)}"
    if headline.data_to:
        return f"Data to {month_label(headline.data_to)}"
    return None


def headline_facts(headline: Headline) -> list[tuple[str, str]]:
    """Return the label and value pairs shown under the headline figure, in order."""
    facts: list[tuple[str, str]] = []
    if headline.baseline_value is not None:
        label = f"Baseline ({headline.baseline_label})" if headline.baseline_label else "Baseline"
        facts.append((label, headline.baseline_value))
    change = change_text(headline)
    if change:
        facts.append(("Change from baseline", change))
    if headline.rate_per_100k is not None:
        facts.append(("Rate per 100,000 residents", headline.rate_per_100k))
    if headline.baseline_rate_per_100k is not None:
        facts.append(("Baseline rate per 100,000 residents", headline.baseline_rate_per_100k))
    facts.extend((c.label, c.value) for c in headline.comparators)
    return facts


def change_text(headline: Headline) -> str | None:
    """Return the change from the baseline as ``-304 (-19.8%)``, or what of it is known."""
    if headline.change and headline.change_pct:
        return f"{headline.change} ({headline.change_pct})"
    return headline.change or headline.change_pct


def figure_text(headline: Headline) -> str:
    """Return the figure with its unit, e.g. ``1,234 offences`` or ``75%``."""
    if headline.unit in ("%", "per cent"):
        return f"{headline.value}%"
    return f"{headline.value} {headline.unit}".strip()


def unit_for(value: str, unit: str) -> str:
    """Return the unit as the figure reads it: ``1 offence``, ``2 offences``.

    Units are written plural in definitions; a figure of exactly one drops the plural ``s``.
    """
    return unit[:-1] if value == "1" and unit.endswith("s") and len(unit) > 1 else unit
