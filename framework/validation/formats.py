"""Turn findings into text for people, JSON for tools, or GitHub Actions annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from framework.findings.finding import Finding, Level


def summary_line(findings: Sequence[Finding], files: int) -> str:
    """Say how many files were read and how many errors and warnings were found."""
    errors = sum(f.level is Level.ERROR for f in findings)
    warnings = len(findings) - errors
    if not findings:
        return f"{files} file{'s' * (files != 1)} checked: no findings."
    return (
        f"{files} file{'s' * (files != 1)} checked: {errors} error{'s' * (errors != 1)}, "
        f"{warnings} warning{'s' * (warnings != 1)}."
    )


def as_text(findings: Sequence[Finding], files: int) -> str:
    """Format findings as lines a person reads: location, code, message, then key and hint."""
    lines: list[str] = []
    for finding in findings:
        lines.append(f"{finding.location}: {finding.level.value} {finding.code} {finding.message}")
        if finding.location.key_path:
            lines.append(f"    at {finding.location.dotted}")
        if finding.hint:
            lines.append(f"    hint: {finding.hint}")
    lines.append(summary_line(findings, files))
    return "\n".join(lines)


def as_json(findings: Sequence[Finding], files: int) -> str:
    """Format findings as one JSON object with a summary and a list of findings."""
    errors = sum(f.level is Level.ERROR for f in findings)
    payload = {
        "files": files,
        "errors": errors,
        "warnings": len(findings) - errors,
        "findings": [finding.as_dict() for finding in findings],
    }
    return json.dumps(payload, indent=2)


def as_github(findings: Sequence[Finding], files: int) -> str:
    """Format findings as GitHub Actions workflow commands, one annotation each."""
    lines = []
    for finding in findings:
        place = f"file={_escape_property(finding.location.file)}"
        if finding.location.line is not None:
            place += f",line={finding.location.line}"
        if finding.location.column is not None:
            place += f",col={finding.location.column}"
        text = finding.message + (f" — {finding.hint}" if finding.hint else "")
        level = "error" if finding.level is Level.ERROR else "warning"
        lines.append(f"::{level} {place},title={finding.code}::{_escape_data(text)}")
    lines.append(summary_line(findings, files))
    return "\n".join(lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


FORMATTERS = {"text": as_text, "json": as_json, "github": as_github}
"""Output format name → formatter."""
