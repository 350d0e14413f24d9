"""Render every chart of every bundled force's statement and check no two labels overlap.

Each chart's SVG (as ``measures report`` writes it) is read for its text marks: the labels of
reference lines, values beside bars and the like. Their boxes are estimated from position,
font size and length (Arial's average advance is about 0.56 em), and no two may intersect.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from framework.loading.catalogue import load_catalogue
from tests.cli.helpers import invoke

pytestmark = pytest.mark.slow

CATALOGUE = Path(__file__).parents[2] / "measures"
SVG = "{http://www.w3.org/2000/svg}"
_TRANSLATE = re.compile(r"translate\(([-\d.e]+)[ ,]+([-\d.e]+)\)")
ADVANCE = 0.56


@dataclass(frozen=True)
class Box:
    text: str
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )


def _offset(element: ET.Element) -> tuple[float, float]:
    match = _TRANSLATE.search(element.get("transform", ""))
    return (float(match.group(1)), float(match.group(2))) if match else (0.0, 0.0)


def label_boxes(svg: str) -> list[Box]:
    """Return the boxes of every text mark of the chart, in the SVG's own coordinates."""
    boxes: list[Box] = []

    def walk(element: ET.Element, x: float, y: float, in_text_mark: bool) -> None:
        dx, dy = _offset(element)
        x, y = x + dx, y + dy
        classes = element.get("class", "").split()
        # Text marks drawn from data (not axes, legends or titles, which Vega lays out itself).
        in_text_mark = in_text_mark or ("mark-text" in classes and "role-mark" in classes)
        if element.tag == f"{SVG}text" and in_text_mark and (element.text or "").strip():
            size = float(element.get("font-size", "11px").rstrip("px"))
            width = ADVANCE * size * len(element.text or "")
            anchor = element.get("text-anchor", "start")
            left = x - (width if anchor == "end" else width / 2 if anchor == "middle" else 0)
            boxes.append(
                Box(element.text or "", left, y - 0.8 * size, left + width, y + 0.2 * size)
            )
        for child in element:
            walk(child, x, y, in_text_mark)

    walk(ET.fromstring(svg), 0.0, 0.0, False)
    return boxes


def overlapping(svg: str) -> list[tuple[str, str]]:
    return [
        (a.text, b.text) for a, b in itertools.combinations(label_boxes(svg), 2) if a.overlaps(b)
    ]


def test_overlap_is_detected_on_a_made_up_chart() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg"><g class="mark-text role-mark">'
        '<text transform="translate(644,100)" font-size="11px">Average 4</text>'
        '<text transform="translate(644,104)" font-size="11px">Trend</text>'
        '<text transform="translate(644,130)" font-size="11px">Baseline 2</text></g></svg>'
    )
    assert overlapping(svg) == [("Average 4", "Trend")]


FORCES = [item.model.name for item in load_catalogue(CATALOGUE).forces]


@pytest.mark.parametrize("force", FORCES)
def test_no_labels_overlap_in_any_chart_of_the_bundled_forces(force: str, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = invoke(
        "report", "--catalogue", str(CATALOGUE), "--force", force, "--format", "md",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    charts = sorted(out.glob("*.svg"))
    assert len(charts) >= 8, charts
    found = {
        path.name: clash
        for path in charts
        if (clash := overlapping(path.read_text(encoding="utf-8")))
    }
    assert found == {}
