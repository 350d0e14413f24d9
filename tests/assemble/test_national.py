"""Every force's statement and the national overview, from one engine: reuse and failures."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from framework.engine.run import Engine
from framework.loading.catalogue import Catalogue, load_catalogue
from framework.model.force import Force
from framework.periods import financial_quarter_label, parse_period
from renderers.assemble import national
from renderers.assemble.national import build_all_statements, force_id, force_profiles
from renderers.assemble.statement import build_statement
from tests.cli.helpers import invoke
from tests.renderers.helpers import schema_errors

pytestmark = pytest.mark.slow

CATALOGUE = Path(__file__).parents[2] / "measures"
SPAN = parse_period("2023/24-Q1")
LABEL = financial_quarter_label(SPAN.last)
TODAY = date(2024, 1, 2)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(CATALOGUE)


@pytest.fixture(scope="module")
def engine(catalogue: Catalogue) -> Engine:
    return Engine(catalogue)


@pytest.fixture(scope="module")
def profiles(catalogue: Catalogue, engine: Engine) -> list[Force]:
    return force_profiles(catalogue, engine, SPAN)


def chosen(profiles: list[Force], *names: str) -> list[Force]:
    by_name = {p.name: p for p in profiles}
    return [by_name[name] for name in names]


def test_a_profile_for_each_of_the_43_forces(
    catalogue: Catalogue, engine: Engine, profiles: list[Force]
) -> None:
    assert [p.ons_code for p in profiles] == [a.code for a in engine.areas.forces()]
    assert len({p.id for p in profiles}) == 43
    own = {f.model.name: f.model for f in catalogue.forces}
    assert chosen(profiles, "Warwickshire", "Cleveland") == [own["Warwickshire"], own["Cleveland"]]
    (dyfed,) = chosen(profiles, "Dyfed-Powys")
    assert dyfed.id == "dyfed_powys"
    assert dyfed.region == "Wales"
    assert sorted(dyfed.msg.members) == ["Gwent", "North Wales", "South Wales"]
    assert dyfed.msg.illustrative


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Devon & Cornwall", "devon_cornwall"), ("Avon and Somerset", "avon_and_somerset")],
)
def test_force_id(name: str, expected: str) -> None:
    assert force_id(name) == expected


@pytest.fixture(scope="module")
def three(
    tmp_path_factory: pytest.TempPathFactory,
    catalogue: Catalogue,
    engine: Engine,
    profiles: list[Force],
) -> tuple[national.NationalResult, Path]:
    out = tmp_path_factory.mktemp("national") / "all"
    forces = chosen(profiles, "Warwickshire", "Cleveland", "Dyfed-Powys")
    result = build_all_statements(
        engine, catalogue, SPAN, LABEL, out, svg=False, generated_on=TODAY, profiles=forces
    )
    return result, out


def test_one_folder_per_force_and_the_overview(three: tuple[national.NationalResult, Path]) -> None:
    result, out = three
    assert result.failures == {}
    assert result.forces == 3
    assert sorted(p.name for p in out.iterdir() if not p.name.endswith("-funnel.vl.json")) == [
        "cleveland",
        "dyfed_powys",
        "index.html",
        "warwickshire",
    ]
    overview = (out / "index.html").read_text(encoding="utf-8")
    # Each measure with rates for enough forces has its funnel plot, its spec beside the page.
    funnels = re.findall(r'<figure class="chart chart-funnel" data-chart="([^"]+)"', overview)
    assert "homicide-funnel" in funnels and "knife_crime-funnel" in funnels
    assert sorted(p.name for p in out.glob("*-funnel.vl.json")) == sorted(
        f"{stem}.vl.json" for stem in funnels
    )
    spec = json.loads((out / "homicide-funnel.vl.json").read_text(encoding="utf-8"))
    assert schema_errors(spec) == []
    assert len(spec["datasets"][spec["layer"][2]["data"]["name"]]) == 43
    links = re.findall(r'<th scope="row" data-sort="([^"]+)"><a href="([^"]+)">', overview)
    assert links == [
        ("Warwickshire", "warwickshire/index.html"),
        ("Cleveland", "cleveland/index.html"),
        ("Dyfed-Powys", "dyfed_powys/index.html"),
    ]
    for _, link in links:
        assert (out / link).is_file()
    assert "Homicide" in overview
    assert "3 of 3 forces" in overview


def test_a_statement_equals_the_one_report_writes_alone(
    three: tuple[national.NationalResult, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The evaluation reused across forces gives each force the statement it gets on its own.
    _, out = three
    monkeypatch.setattr(national, "date", type("Fixed", (), {"today": staticmethod(lambda: TODAY)}))
    from framework.cli import report_command

    monkeypatch.setattr(
        report_command, "date", type("Fixed", (), {"today": staticmethod(lambda: TODAY)})
    )
    alone = tmp_path / "cleveland"
    result = invoke(
        "report", "--catalogue", str(CATALOGUE), "--force", "Cleveland", "--period", "2023/24-Q1",
        "--no-svg", "--out", str(alone),
    )  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    written = {p.name: p.read_bytes() for p in (out / "cleveland").iterdir()}
    assert written == {p.name: p.read_bytes() for p in alone.iterdir()}


def test_a_failed_statement_is_reported_and_the_others_complete(
    tmp_path: Path,
    catalogue: Catalogue,
    engine: Engine,
    profiles: list[Force],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = build_statement

    def fail_for_cleveland(context, *args, **kwargs):  # type: ignore[no-untyped-def]
        if context.force.name == "Cleveland":
            raise ValueError("the chart could not be drawn\nsecond line")
        return real(context, *args, **kwargs)

    monkeypatch.setattr(national, "build_statement", fail_for_cleveland)
    forces = chosen(profiles, "Warwickshire", "Cleveland", "Dyfed-Powys")
    out = tmp_path / "all"
    result = build_all_statements(
        engine, catalogue, SPAN, LABEL, out, svg=False, generated_on=TODAY, profiles=forces
    )
    assert result.failures == {"Cleveland": "the chart could not be drawn"}
    assert sorted(result.statements) == ["Dyfed-Powys", "Warwickshire"]
    assert not (out / "cleveland").exists()
    overview = (out / "index.html").read_text(encoding="utf-8")
    assert "The statement could not be built: the chart could not be drawn" in overview
    assert "2 of 3 forces" in overview


def test_the_command_names_the_forces_that_failed(
    tmp_path: Path, profiles: list[Force], monkeypatch: pytest.MonkeyPatch
) -> None:
    forces = chosen(profiles, "Warwickshire", "Gwent")
    monkeypatch.setattr(national, "force_profiles", lambda *args: forces)
    real = build_statement

    def fail_for_gwent(context, *args, **kwargs):  # type: ignore[no-untyped-def]
        if context.force.name == "Gwent":
            raise RuntimeError("disk on fire")
        return real(context, *args, **kwargs)

    monkeypatch.setattr(national, "build_statement", fail_for_gwent)
    out = tmp_path / "all"
    result = invoke(
        "report", "--catalogue", str(CATALOGUE), "--all-forces", "--period", "2023/24-Q1",
        "--no-svg", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert f"1 of 2 statements for 2023/24-Q1 in {out}" in result.stderr
    assert "error: 1 statements failed:\n  Gwent: disk on fire\n" in result.stderr
    assert "Traceback" not in result.output
    assert (out / "warwickshire" / "index.html").is_file()


def test_every_force_gets_a_statement(tmp_path: Path) -> None:
    out = tmp_path / "all"
    result = invoke(
        "report", "--catalogue", str(CATALOGUE), "--all-forces", "--no-svg", "--out", str(out)
    )
    assert result.exit_code in (0, 1), result.output
    assert "43 of 43 statements for 2023/24-Q1" in result.stderr
    folders = [p for p in out.iterdir() if p.is_dir()]
    assert len(folders) == 43
    assert all((p / "index.html").is_file() for p in folders)
    overview = (out / "index.html").read_text(encoding="utf-8")
    table, _, funnels = overview.partition('<section class="funnels"')
    assert table.count('<th scope="row"') == 43
    assert "could not be built" not in overview
    # Each funnel plot's table lists the 43 forces too.
    assert funnels.count('<figure class="chart chart-funnel"') >= 5


def test_worker_processes_write_what_this_process_writes(
    three: tuple[national.NationalResult, Path],
    tmp_path: Path,
    catalogue: Catalogue,
    engine: Engine,
    profiles: list[Force],
) -> None:
    _, out = three
    forces = chosen(profiles, "Warwickshire", "Cleveland", "Dyfed-Powys")
    alone = tmp_path / "alone"
    result = build_all_statements(
        engine, catalogue, SPAN, LABEL, alone, generated_on=TODAY, profiles=forces, processes=1
    )
    assert result.failures == {}
    assert sorted(result.statements) == ["Cleveland", "Dyfed-Powys", "Warwickshire"]

    def files(folder: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()
        }

    assert files(alone) == files(out)
