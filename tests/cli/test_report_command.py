"""``measures report`` on the real catalogue: the files, the period, commentary and failures.

Each report run takes several seconds (every chart spec is built), so the runs are shared:
the default statement is the session's (tests/conftest.py), the others module-scoped, and
SVG fallbacks are left out where they are not the point.
"""

from __future__ import annotations

import errno
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import Result

from framework.loading.catalogue import load_catalogue
from tests.cli.helpers import copy_measures, invoke
from tests.conftest import RealReport

pytestmark = pytest.mark.slow

CATALOGUE = Path(__file__).parents[2] / "measures"
COMMENTARY = CATALOGUE / "warwickshire" / "commentary" / "warwickshire" / "2021-22-Q4"


def report(*args: str, catalogue: Path = CATALOGUE) -> Result:
    """Run ``measures report`` in this process on a catalogue."""
    return invoke("report", "--catalogue", str(catalogue), *args)


class PageText(HTMLParser):
    """The text a reader sees (no scripts or styles), entities decoded, spaces collapsed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        """Return the visible text of ``html``."""
        parser = cls()
        parser.feed(html)
        parser.close()
        return re.sub(r"\s+", " ", " ".join(parser.parts))


def article(html: str, measure: str) -> str:
    """Return the visible text of one measure's section."""
    match = re.search(
        rf'<article class="measure" id="measure-{measure}".*?</article>', html, flags=re.S
    )
    assert match, f"no section for {measure}"
    return PageText.of(match.group(0))


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Return every file of a folder by name, with its bytes."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def one_line(path: Path) -> str:
    """Return a Markdown file's first paragraph with its line breaks as spaces."""
    return re.sub(r"\s+", " ", path.read_text(encoding="utf-8").split("\n\n")[0]).strip()


@pytest.fixture(scope="module")
def default_report(real_report: RealReport) -> tuple[Result, Path]:
    """Return the statement for the default force and period, as the session built it."""
    return real_report.result, real_report.out


@pytest.fixture(scope="module")
def default_html(default_report: tuple[Result, Path]) -> str:
    result, out = default_report
    assert result.exit_code == 0, result.output
    return (out / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def q4_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    """Build the statement for 2021/22 Q4, the quarter the bundled commentary is for."""
    out = tmp_path_factory.mktemp("q4") / "report"
    return report("--out", str(out), "--period", "2021/22-Q4"), out


@pytest.fixture(scope="module")
def q4_html(q4_report: tuple[Result, Path]) -> str:
    result, out = q4_report
    assert result.exit_code == 0, result.output
    return (out / "index.html").read_text(encoding="utf-8")


# -- the files ------------------------------------------------------------------------------


def test_writes_the_page_and_one_spec_per_chart(
    default_report: tuple[Result, Path], default_html: str
) -> None:
    result, out = default_report
    charts = re.findall(r'<figure class="chart[^"]*" data-chart="([^"]+)"', default_html)
    assert len(charts) >= 11, charts  # at least one chart per computed measure
    assert len(set(charts)) == len(charts)
    # The accessibility test of the same session adds its checked copy (axe-index.html).
    names = {path.name for path in out.iterdir() if not path.name.startswith("axe-")}
    specs = {f"{stem}.vl.json" for stem in charts}
    assert names == {"index.html", *specs, *(f"{stem}.svg" for stem in charts)}
    for stem in charts:
        spec = json.loads((out / f"{stem}.vl.json").read_text(encoding="utf-8"))
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert {"homicide-trend", "homicide-spc", "homicide-comparator"} <= set(charts)
    assert f"open {out / 'index.html'}" in result.stderr


def test_the_period_defaults_to_the_latest_bundled_quarter(
    default_report: tuple[Result, Path], default_html: str
) -> None:
    result, _ = default_report
    assert "Statement for Warwickshire, 2023/24-Q1" in result.stderr
    text = PageText.of(default_html)
    assert "2023/24 Q1 (April to June 2023)" in text
    # The Home Office table ends in June 2023: homicide's latest window is the quarter's.
    assert "12 months to June 2023" in article(default_html, "homicide")


def test_every_priority_appears_in_order(default_html: str) -> None:
    catalogue = load_catalogue(CATALOGUE)
    priorities = sorted(
        (p for file in catalogue.priorities for p in file.model.items), key=lambda p: p.order
    )
    assert len(priorities) == 6
    headings = re.findall(r'<h2 id="priority-\d+-title">([^<]+)</h2>', default_html)
    assert headings == [f"{p.order}. {p.title}" for p in priorities]


def test_the_synthetic_notice_appears(default_html: str) -> None:
    notice = re.search(r'<div class="notice notice-synthetic"[^>]*>(.*?)</div>', default_html)
    assert notice, "no synthetic notice"
    assert "SYNTHETIC data generated for this demonstration" in PageText.of(notice.group(1))
    assert "SYNTHETIC DATA" in article(default_html, "victim_satisfaction")
    assert "SYNTHETIC DATA" not in article(default_html, "homicide")


def test_no_measure_on_published_data_is_out_of_date(default_html: str) -> None:
    # The latest bundled quarter is one every published table reaches: the ONS knife,
    # firearms and Action Fraud tables (to March 2024) as well as the Home Office table.
    for measure in ("knife_crime", "firearm_offences", "fraud_computer_misuse", "homicide"):
        text = article(default_html, measure)
        assert "Out of date." not in text, measure
        assert "12 months to June 2023" in text, measure
    knife = article(default_html, "knife_crime")
    assert "Edition of the latest figure: year ending June 2023" in knife
    assert "(mid-2021 population estimate)" in knife
    assert "Out of date." not in article(default_html, "homicide")


def test_a_page_draws_no_svg_unless_asked_its_tables_stand_in(
    q4_report: tuple[Result, Path], q4_html: str
) -> None:
    charts = q4_html.count('<figure class="chart')
    assert q4_html.count("This chart needs JavaScript to show; its figures are in the table") == (
        q4_html.count('<details class="chart-data')
    )
    assert q4_html.count("This chart needs JavaScript to show") == charts
    assert "data:image/svg+xml" not in q4_html
    assert not list(q4_report[1].glob("*.svg"))


# -- a chosen period and its commentary -----------------------------------------------------


def test_a_chosen_quarter_uses_its_commentary(q4_report: tuple[Result, Path], q4_html: str) -> None:
    result, _ = q4_report
    assert "Statement for Warwickshire, 2021/22-Q4" in result.stderr
    text = PageText.of(q4_html)
    assert "2021/22 Q4 (January to March 2022)" in text
    homicide = article(q4_html, "homicide")
    for name in ("homicide.force.md", "homicide.pcc.md"):
        assert one_line(COMMENTARY / name) in homicide, name
    introduction = one_line(COMMENTARY / "_introduction.md")
    assert introduction in text
    assert "Warwickshire's contribution to the national priorities" in introduction
    assert "12 months to March 2022" in homicide


def test_commentary_markdown_is_rendered_and_escaped_once(q4_html: str) -> None:
    violence = re.search(
        r'<article class="measure" id="measure-serious_violence".*?</article>', q4_html, re.S
    )
    assert violence
    section = violence.group(0)
    # Markdown emphasis becomes markup, never literal asterisks.
    assert "<strong>average line</strong>" in section
    assert "**" not in section
    # Text is escaped exactly once: no entity is escaped again.
    assert not re.search(r"&amp;(#x?[0-9a-f]+|[a-z]+);", q4_html, flags=re.I)
    assert "Home Office's baseline of the year to June 2019" in PageText.of(q4_html)


def test_commentary_of_another_quarter_is_not_used(q4_html: str, default_html: str) -> None:
    q4_only = one_line(COMMENTARY / "knife_crime.force.md")
    assert q4_only in article(q4_html, "knife_crime")
    assert q4_only not in PageText.of(default_html)


def test_markdown_replaces_the_previous_report(
    default_report: tuple[Result, Path], tmp_path: Path
) -> None:
    _, html_out = default_report
    out = tmp_path / "report"
    shutil.copytree(html_out, out)
    (out / "notes.txt").write_text("left over\n", encoding="utf-8")
    result = report("--out", str(out), "--format", "md", "--period", "2021/22-Q4")
    assert result.exit_code == 0, result.output
    names = {path.name for path in out.iterdir()}
    assert "statement.md" in names
    assert "index.html" not in names  # the folder is the report's: replaced as a whole
    assert "notes.txt" not in names
    markdown = (out / "statement.md").read_text(encoding="utf-8")
    links = set(re.findall(r"\(<([^>]+\.vl\.json)>\)", markdown))
    assert links and links == {name for name in names if name.endswith(".vl.json")}
    assert "## 1. Reduce murder and other homicide" in markdown
    assert "**SYNTHETIC DATA:**" in markdown
    assert "Out of date" not in markdown
    knife = markdown[markdown.index("### Offences involving a knife") :]
    assert "**413 offences** — 12 months to March 2022" in knife
    assert "Edition of the latest figure: year ending March 2024" in knife
    neighbourhood = markdown[markdown.index("### Neighbourhood crime") :]
    assert "| Baseline rate per 100,000 residents | 1,516.5 (mid-2019 population estimate) |" in (
        neighbourhood
    )
    assert "### Firearm offences (excluding air weapons)" in markdown
    assert re.sub(r"\s+", " ", markdown).count(one_line(COMMENTARY / "homicide.pcc.md")) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["report"]  # no staging folder left


# -- failures ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "says"),
    [
        ("2021/22-Q5", "is not a period"),
        ("2019-05", "is not a quarter"),  # a month stands for a quarter only if it ends one
        ("2021/23-Q1", "should be written 2021/22"),
    ],
)
def test_a_bad_period_exits_2(period: str, says: str, tmp_path: Path) -> None:
    result = report("--out", str(tmp_path / "report"), "--period", period)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert says in result.stderr
    assert not (tmp_path / "report").exists()


def test_a_failed_write_leaves_the_previous_report_as_it_was(
    default_report: tuple[Result, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from renderers.report import write

    _, previous = default_report
    out = tmp_path / "report"
    shutil.copytree(previous, out)
    before = folder_bytes(out)
    written: list[str] = []
    real_write_file = write._write_file

    def fail_on_the_third(path: Path, text: str) -> None:
        if len(written) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real_write_file(path, text)
        written.append(path.name)

    monkeypatch.setattr(write, "_write_file", fail_on_the_third)
    result = report("--out", str(out), "--period", "2021/22-Q4", "--no-svg")
    assert len(written) == 2  # it did fail mid-way, after writing some files
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert f"could not write {out}: No space left on device" in result.stderr
    assert "is as it was" in result.stderr
    assert "Traceback" not in result.output
    assert folder_bytes(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["report"]  # the staging folder is gone


def test_no_figures_at_all_exits_1_with_the_finding(tmp_path: Path) -> None:
    root = copy_measures(tmp_path)
    shutil.rmtree(root / "national" / "data" / "ons-pfa-tables")
    out = tmp_path / "report"
    result = report("--out", str(out), "--no-svg", catalogue=root)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "data/ons-pfa-tables: error RUN001" in result.stderr
    assert "no statement to write" in result.stderr
    assert not out.exists()


def test_a_quarter_before_the_data_exits_1(tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = report("--out", str(out), "--period", "2000/01-Q1", "--no-svg")
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "no statement to write" in result.stderr
    assert not out.exists()


def test_pdf_without_chromium_exits_2_saying_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no browser on this PATH
    result = report("--out", str(tmp_path / "report"), "--format", "pdf")
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert "--format pdf prints the statement with headless Chromium" in result.stderr
    assert "apt-get install chromium" in result.stderr
    assert not (tmp_path / "report").exists()


def test_a_failed_print_leaves_the_previous_report_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("CHROMIUM", str(broken))
    out = tmp_path / "report"
    out.mkdir()
    (out / "statement.pdf").write_bytes(b"%PDF-old")
    result = report("--out", str(out), "--format", "pdf", "--no-svg", "--period", "2021/22-Q4")
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "exited 3 without writing the PDF: cannot open display" in result.stderr
    assert (out / "statement.pdf").read_bytes() == b"%PDF-old"


def test_durham_shows_the_hillsborough_caveat_beside_its_msg_comparison(tmp_path: Path) -> None:
    out = tmp_path / "durham"
    result = report("--force", "Durham", "--out", str(out), "--no-svg")
    assert result.exit_code in (0, 1), result.output
    html = (out / "index.html").read_text(encoding="utf-8")
    homicide = html[html.index('id="measure-homicide"') :]
    homicide = homicide[: homicide.index("</article>")]
    headline_end = homicide.index('<p class="figure">')
    notes = homicide.index('<aside class="comparison-notes"')
    charts = homicide.index("<figure")
    assert headline_end < notes < charts  # beside the headline's comparisons, before the charts
    aside = homicide[notes : homicide.index("</aside>", notes)]
    assert "the most similar group average" in aside
    assert "South Yorkshire" in aside and "Hillsborough" in aside
    # Measures of other offences from the same dataset are not touched by it.
    violence = html[html.index('id="measure-serious_violence"') :]
    assert "Hillsborough" not in violence[: violence.index("</article>")]


def test_homicide_caveats_appear_once_each(default_html: str) -> None:
    homicide = default_html[default_html.index('id="measure-homicide"') :]
    homicide = homicide[: homicide.index("</article>")]
    caveats = re.findall(r"<li>([^<]*)</li>", homicide[homicide.index('class="caveats"') :])
    assert len(caveats) == len(set(caveats))
    assert not any("Counts are small" in c for c in caveats)
