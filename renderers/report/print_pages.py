"""The printed page's running parts: page numbers, the statement's name and its notices.

They go in the page margins through CSS ``@page`` margin boxes, so every printed page carries
them, whether the page is printed from a browser or to PDF by ``measures report``.
"""

from __future__ import annotations

from renderers.report import wording
from renderers.report.statement import Statement


def css_string(text: str) -> str:
    """Return ``text`` as a CSS string literal, escaped so it cannot end the rule or the element."""
    out = []
    for char in text:
        if char.isalnum() or char in " ,.:;()–—-/'&!?%+":
            out.append(char)
        else:
            out.append(f"\\{ord(char):06x}")
    return '"' + "".join(out) + '"'


def banner(statement: Statement) -> str:
    """Return the notice line repeated at the top of every page, or ``""`` when none applies."""
    labels = [wording.notice_label(n.kind) for n in statement.notices if n.kind != "information"]
    if not labels:
        return ""
    parts = []
    for label in dict.fromkeys(labels):
        if label == wording.notice_label("synthetic"):
            parts.append("SYNTHETIC DATA: some figures are generated for the demo")
        else:
            parts.append(f"{label}: not an official HMICFRS list")
    return " · ".join(parts)


def page_rules(statement: Statement) -> str:
    """Return the ``@page`` rules of this statement: notices on top, name and number below."""
    name = f"{statement.force}: {statement.title}, {statement.period.label}"
    rules = [
        "@page {",
        f"  @bottom-left {{ content: {css_string(name)}; font: 8pt Arial, sans-serif;"
        " color: #505a5f; }",
        '  @bottom-right { content: "Page " counter(page) " of " counter(pages);'
        " font: 8pt Arial, sans-serif; color: #505a5f; }",
    ]
    top = banner(statement)
    if top:
        rules.append(
            f"  @top-center {{ content: {css_string(top)}; font: bold 8.5pt Arial, sans-serif;"
            " color: #a64500; }"
        )
    rules.append("}")
    return "\n".join(rules)
