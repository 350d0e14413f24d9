"""Print the statement to PDF with headless Chromium: tagged, titled, in English, A4, stable.

Needs Chromium (see tests/report/test_browser.py) and poppler's ``pdfinfo`` and ``pdftotext``
(Debian: ``poppler-utils``; ``make system`` installs both).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from renderers.report import Statement, write_report
from renderers.report.pdf import stable_ids
from tests.report.builders import sample_statement
from tests.report.test_browser import chromium

pytestmark = pytest.mark.browser

_DATES = re.compile(rb"/(CreationDate|ModDate) \(D:[0-9+\-Z']+\)")


def poppler(tool: str) -> str:
    """Return the poppler tool, failing with how to install it."""
    found = shutil.which(tool)
    if found is None:
        pytest.fail(f"{tool} is needed to check the PDF: `apt-get install poppler-utils`")
    return found


def pdf_of(statement: Statement, folder: Path) -> Path:
    chromium()  # skip or fail with the install hint first
    write_report(statement, folder, "pdf")
    return folder / "statement.pdf"


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pdf_of(sample_statement(), tmp_path_factory.mktemp("pdf") / "report")


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(
        [poppler("pdfinfo"), str(path)], capture_output=True, text=True, check=True
    ).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def pages_text(path: Path) -> list[str]:
    out = subprocess.run(
        [poppler("pdftotext"), "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [page for page in out.split("\f") if page.strip()]


def test_the_pdf_is_tagged_titled_and_a4(printed: Path) -> None:
    info = pdfinfo(printed)
    assert info["Tagged"] == "yes"
    assert (
        info["Title"]
        == "Warwickshire: National Crime and Policing Measures: quarterly statement, 2021/22 Q4"
    )
    assert "(A4)" in info["Page size"]
    assert int(info["Pages"]) >= 3


def test_the_pdf_says_its_language_and_gives_every_chart_its_text(printed: Path) -> None:
    statement = sample_statement()
    with pikepdf.open(printed) as pdf:
        assert str(pdf.Root.Lang) == "en-GB"
        assert bool(pdf.Root.MarkInfo.Marked)
        alts = []
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
            elif isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure" and "/Alt" in node:
                    alts.append(str(node.Alt))
                if "/K" in node:
                    stack.append(node.K)
    charts_with_svg = [c for c in statement.charts if c.svg is not None]
    for chart in charts_with_svg:
        assert chart.alt in alts, (chart.alt, alts)


def test_every_page_has_its_number_and_the_notices(printed: Path) -> None:
    pages = pages_text(printed)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text, text[-400:]
        assert "SYNTHETIC DATA" in text
        assert "Illustrative comparison" in text


def test_every_chart_table_is_open_in_the_pdf(printed: Path) -> None:
    text = "\n".join(pages_text(printed))
    for chart in sample_statement().charts:
        assert chart.table is not None
        assert chart.table.caption in " ".join(text.split())
        for row in chart.table.rows:
            assert row[0] in text


def test_each_priority_starts_a_page(printed: Path) -> None:
    pages = pages_text(printed)
    for priority in sample_statement().priorities:
        heading = f"{priority.order}. {priority.title.split(',')[0]}"
        starts = [p for p in pages if heading in " ".join(p.split())[:400]]
        assert starts, heading


def test_the_pdf_is_the_same_byte_for_byte_but_for_its_dates(printed: Path, tmp_path: Path) -> None:
    again = pdf_of(sample_statement(), tmp_path / "again")
    first, second = printed.read_bytes(), again.read_bytes()
    assert _DATES.sub(b"", first) == _DATES.sub(b"", second)


def test_node_names_are_renumbered_in_order_without_moving_a_byte() -> None:
    raw = b"/ID (node00000417)>> /Headers [(node00000399) (node00000417)] (node00000399)"
    stable = stable_ids(raw)
    assert stable == b"/ID (node00000001)>> /Headers [(node00000002) (node00000001)] (node00000002)"
    assert len(stable) == len(raw)
