# ruff: noqa: E501  (the case tables read best one case a line)
"""The hostile-input corpus: each case breaks the small catalogue in one way.

A case is a name, a kind (definition, data, path or fault) and a list of steps applied to a
fresh copy of :mod:`tests.hostile.template`. The tables below hold the issue's examples and
their neighbours; the corpus test runs every case through ``validate``, ``run`` and ``report``.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Step = Callable[[Path, Path], None]
"""Change the catalogue at ``root``; ``outside`` is a folder beside it with a secret."""

SECRET = "SECRET-OUTSIDE-THE-CATALOGUE"
FIREARMS = "data/firearms.csv"
POPULATION = "data/population.csv"
FORCE = "forces/warwickshire.yaml"
COUNT = "definitions/firearm_discharges.yaml"
RATE = "definitions/firearm_rate.yaml"
DATASET = "datasets/firearms.yaml"
POPULATION_SET = "datasets/population.yaml"
PRIORITIES = "priorities.yaml"
COMMENTARY = "commentary/warwickshire/2021-22-Q4"


@dataclass(frozen=True)
class Case:
    """One way to break the catalogue."""

    name: str
    kind: str
    steps: tuple[Step, ...]


def replace(name: str, old: str, new: str, count: int = 1) -> Step:
    """Replace ``old`` by ``new`` in a file (``count`` times; -1 for every one)."""

    def step(root: Path, outside: Path) -> None:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {name}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return step


def write(name: str, data: str | bytes) -> Step:
    """Write a file (text as UTF-8), replacing what was there."""

    def step(root: Path, outside: Path) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or path.is_file():
            path.unlink()
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    return step


def append(name: str, text: str) -> Step:
    """Add text at the end of a file."""

    def step(root: Path, outside: Path) -> None:
        with (root / name).open("a", encoding="utf-8") as stream:
            stream.write(text)

    return step


def transform(name: str, change: Callable[[str], str]) -> Step:
    """Rewrite a file's text through ``change``."""

    def step(root: Path, outside: Path) -> None:
        path = root / name
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return step


def link(name: str, target: Callable[[Path, Path], Path]) -> Step:
    """Make ``name`` a symbolic link to ``target(root, outside)``."""

    def step(root: Path, outside: Path) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or path.is_file():
            path.unlink()
        path.symlink_to(target(root, outside))

    return step


def fifo(name: str) -> Step:
    """Make ``name`` a named pipe (reading it would block forever)."""

    def step(root: Path, outside: Path) -> None:
        path = root / name
        if path.is_symlink() or path.is_file():
            path.unlink()
        os.mkfifo(path)

    return step


def remove(name: str) -> Step:
    """Delete a file."""
    return lambda root, outside: (root / name).unlink()


def _cell_step(force: str, month: str, value: str) -> Step:
    def step(root: Path, outside: Path) -> None:
        path = root / FIREARMS
        lines = path.read_text(encoding="utf-8").splitlines()
        prefix = f"{month},{force},"
        hits = [i for i, line in enumerate(lines) if line.startswith(prefix)]
        assert hits, prefix
        lines[hits[0]] = prefix + value
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    return step


def every_count(value: str) -> Step:
    """Set every firearms count to ``value``."""

    def change(text: str) -> str:
        lines = text.splitlines()
        return "\n".join([lines[0], *(line.rsplit(",", 1)[0] + "," + value for line in lines[1:])])

    return transform(FIREARMS, change)


def population_of(code: str, value: str) -> Step:
    """Set the mid-2018 population of one area."""

    def change(text: str) -> str:
        out = []
        for line in text.splitlines():
            parts = line.split(",")
            if parts[0] == code:
                parts[2] = value
            out.append(",".join(parts))
        return "\n".join(out) + "\n"

    return transform(POPULATION, change)


WARWICKSHIRE = "E23000017"
BAD_NUMBERS = [
    "inf", "-inf", "Infinity", "1e309", "-1e309", "NaN", "nan", "abc", "", "-5", "-0",
    "1e300", "1e18", "0x10", '"1,000"', " 3 ", "9" * 400, "3.5", "１２", "1e-300", "True",
]  # fmt: skip
"""Values that are not plain counts, each put in a count column and a population column."""


def data_cases() -> list[Case]:
    """Broken values and broken files of the two data tables."""
    cases = [
        Case(
            f"count-{i:02d}-{value[:12]!r}", "data", (_cell_step("Warwickshire", "2021-06", value),)
        )
        for i, value in enumerate(BAD_NUMBERS)
    ]
    cases += [
        Case(f"population-{i:02d}-{value[:12]!r}", "data", (population_of(WARWICKSHIRE, value),))
        for i, value in enumerate(BAD_NUMBERS)
    ]
    cases += [
        Case("counts-all-1e300", "data", (every_count("1e300"),)),
        Case("counts-all-inf", "data", (every_count("inf"),)),
        Case("counts-all-negative", "data", (every_count("-3"),)),
        Case("counts-all-text", "data", (every_count("x"),)),
        Case("counts-all-zero", "data", (every_count("0"),)),
        Case("counts-all-1e15", "data", (every_count("1e15"),)),
        Case("population-all-inf", "data", (transform(POPULATION, _all_population("inf")),)),
        Case("population-all-zero", "data", (transform(POPULATION, _all_population("0")),)),
        Case("population-all-negative", "data", (transform(POPULATION, _all_population("-1")),)),
        Case("population-all-1e300", "data", (transform(POPULATION, _all_population("1e300")),)),
        Case("population-tiny", "data", (population_of(WARWICKSHIRE, "1"),)),
        Case("population-zero", "data", (population_of(WARWICKSHIRE, "0"),)),
        Case("population-header-only", "data", (write(POPULATION, "code,name,MYE2018,SNHP2017\n"),)),
        Case("population-empty", "data", (write(POPULATION, ""),)),
        Case(
            "population-conflicting-rows",
            "data",
            (append(POPULATION, f"{WARWICKSHIRE},Warwickshire,700,300\n"),),
        ),
        Case(
            "population-same-row-twice",
            "data",
            (append(POPULATION, f"{WARWICKSHIRE},Warwickshire,571000,238900\n"),),
        ),
        Case("population-missing-force", "data", (transform(POPULATION, _drop(WARWICKSHIRE)),)),
        Case("population-missing-column", "data", (transform(POPULATION, _cut_column(2)),)),
        Case("counts-header-only", "data", (write(FIREARMS, "period,area,value\n"),)),
        Case("counts-empty", "data", (write(FIREARMS, ""),)),
        Case("counts-binary", "data", (write(FIREARMS, bytes(range(256)) * 8),)),
        Case("counts-nul-bytes", "data", (write(FIREARMS, "period,area,value\n2021-06,War\0wick,1\n"),)),
        Case("counts-latin1", "data", (write(FIREARMS, "period,area,value\n2021-06,Warwick\xe9,1\n".encode("latin-1")),)),
        Case("counts-utf16", "data", (write(FIREARMS, "period,area,value\n2021-06,Warwickshire,1\n".encode("utf-16")),)),
        Case("counts-bom", "data", (transform(FIREARMS, lambda t: "\ufeff" + t),)),
        Case("counts-crlf", "data", (transform(FIREARMS, lambda t: t.replace("\n", "\r\n")),)),
        Case("counts-cr-only", "data", (transform(FIREARMS, lambda t: t.replace("\n", "\r")),)),
        Case("counts-missing-column", "data", (transform(FIREARMS, _cut_column(2)),)),
        Case("counts-extra-column", "data", (transform(FIREARMS, _add_column),)),
        Case("counts-ragged-row", "data", (append(FIREARMS, "2021-07,Warwickshire,1,2,3\n"),)),
        Case("counts-short-row", "data", (append(FIREARMS, "2021-07\n"),)),
        Case("counts-unterminated-quote", "data", (append(FIREARMS, '2021-07,"Warwickshire,1\n'),)),
        Case("counts-quoted-newline", "data", (append(FIREARMS, '2021-07,"Warwick\nshire",1\n'),)),
        Case("counts-duplicate-row", "data", (append(FIREARMS, "2021-06,Warwickshire,5\n"),)),
        Case("counts-unknown-area", "data", (append(FIREARMS, "2021-06,Atlantis,5\n"),)),
        Case("counts-period-month-13", "data", (append(FIREARMS, "2019-13,Warwickshire,1\n"),)),
        Case("counts-period-text", "data", (append(FIREARMS, "yesterday,Warwickshire,1\n"),)),
        Case("counts-period-quarter-5", "data", (append(FIREARMS, "2019/20-Q5,Warwickshire,1\n"),)),
        Case("counts-period-year-0", "data", (append(FIREARMS, "0000-01,Warwickshire,1\n"),)),
        Case("counts-period-year-9999", "data", (append(FIREARMS, "9999-12,Warwickshire,1\n"),)),
        Case("counts-period-1900", "data", (append(FIREARMS, "1900-01,Warwickshire,1\n"),)),
        Case("counts-long-line", "data", (append(FIREARMS, "2021-07,Warwickshire," + "1" * 200_000 + "\n"),)),
        Case("counts-one-row", "data", (write(FIREARMS, "period,area,value\n2021-06,Warwickshire,3\n"),)),
        Case("counts-only-other-forces", "data", (transform(FIREARMS, _drop("Warwickshire", 1)),)),
        Case("counts-gz-not-gzip", "data", (remove(FIREARMS), write(FIREARMS + ".gz", b"not gzip"), replace(DATASET, "data/firearms.csv", "data/firearms.csv.gz"))),
        Case("counts-gz-bomb", "data", (write("data/bomb.csv.gz", gzip.compress(b"period,area,value\n" + b"0" * 5_000_000)), replace(DATASET, "data/firearms.csv", "data/bomb.csv.gz"))),
        Case("counts-a-folder", "data", (replace(DATASET, "path: data/firearms.csv", "path: data"),)),
        Case("population-is-crime", "data", (append(FORCE, "  population: firearms\n"),)),
        Case("population-names-nothing", "definition", (append(FORCE, "  population: no_such_set\n"),)),
    ]  # fmt: skip
    return cases


def _all_population(value: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        lines = text.splitlines()
        body = []
        for line in lines[1:]:
            parts = line.split(",")
            parts[2] = value
            body.append(",".join(parts))
        return "\n".join([lines[0], *body]) + "\n"

    return change


def _drop(value: str, column: int = 0) -> Callable[[str], str]:
    def change(text: str) -> str:
        lines = text.splitlines()
        kept = [lines[0], *(x for x in lines[1:] if x.split(",")[column] != value)]
        return "\n".join(kept) + "\n"

    return change


def _cut_column(index: int) -> Callable[[str], str]:
    def change(text: str) -> str:
        rows = [line.split(",") for line in text.splitlines()]
        return "\n".join(",".join(r[:index] + r[index + 1 :]) for r in rows) + "\n"

    return change


def _add_column(text: str) -> str:
    lines = text.splitlines()
    return "\n".join([lines[0] + ",extra", *(line + ",x" for line in lines[1:])]) + "\n"


def definition_cases() -> list[Case]:
    """Definitions whose values cannot be right, and files that are not definitions."""
    target = "presentation: {charts: [trend], unit: offences}"
    rate_pres = 'presentation: {charts: [trend, spc], unit: "offences per 100,000"}'
    spc = "spc.yaml"
    cases = [
        Case(
            f"target-{name}",
            "definition",
            (replace(COUNT, target, target[:-1] + f", target: {value}}}"),),
        )
        for name, value in [
            ("nan", ".nan"),
            ("inf", ".inf"),
            ("-inf", "-.inf"),
            ("huge", "1e400"),
            ("text", "lots"),
            ("negative", "-1"),
        ]
    ]
    cases += [
        Case(
            f"limit-factor-{name}",
            "definition",
            (replace(spc, "spc_profile:\n", f"spc_profile:\n  limit_factor: {value}\n"),),
        )
        for name, value in [
            ("nan", ".nan"),
            ("inf", ".inf"),
            ("zero", "0"),
            ("negative", "-2.66"),
            ("huge", "1e308"),
        ]
    ]
    cases += [
        Case(f"per-{value}", "definition", (replace(RATE, "per: 100000", f"per: {value}"),))
        for value in ["0", "-1", "1", "1000001", "10000000000", "1e400", ".inf", "1.5", "x"]
    ]
    baseline = "baseline: {label: 12 months to June 2019, start: 2018-07, end: 2019-06}"
    cases += [
        Case(f"baseline-{name}", "definition", (replace(COUNT, baseline, f"baseline: {{label: B, start: {start}, end: {end}}}"),))
        for name, start, end in [
            ("1990", "1990-07", "1991-06"), ("future", "2040-07", "2041-06"),
            ("reversed", "2019-07", "2018-06"), ("year-0", "0000-01", "0000-12"),
            ("1999", "1999-01", "1999-12"), ("month-13", "2018-13", "2019-12"),
            ("after-data", "2030-01", "2030-12"),
        ]
    ]  # fmt: skip
    cases += [
        Case(
            f"rebase-{name}",
            "definition",
            (
                replace(
                    RATE,
                    rate_pres,
                    rate_pres[:-1] + f", spc_rebases: [{{at: '{at}', reason: A change}}]}}",
                ),
            ),
        )
        for name, at in [
            ("1990", "1990-01"),
            ("future", "2040-01"),
            ("inside", "2020-04"),
            ("garbage", "soon"),
        ]
    ]
    window = "window: {kind: rolling, months: 12}"
    cases += [
        Case(
            f"window-{value}",
            "definition",
            (replace(COUNT, window, f"window: {{kind: rolling, months: {value}}}"),),
        )
        for value in ["0", "-12", "1", "10000", "1e9", ".nan"]
    ]
    cases += [
        Case("two-default-forces", "definition", (write("forces/other.yaml", (Path(__file__).parent / "template.py").read_text().split('"forces/warwickshire.yaml": """\\\n')[1].split('""",')[0].replace("id: warwickshire", "id: other")),)),
        Case("duplicate-priority-order", "definition", (append(PRIORITIES, "    - id: disrupt_drugs_supply\n      order: 1\n      title: Drugs\n      national_measures: []\n      not_applicable: Not in this catalogue.\n"),)),
        Case("reporting-period-garbage", "definition", (replace(FORCE, "reporting_period: 2021/22-Q4", "reporting_period: 2021/22-Q9"),)),
        Case("reporting-period-future", "definition", (replace(FORCE, "reporting_period: 2021/22-Q4", "reporting_period: 2039/40-Q4"),)),
        Case("reporting-period-1990", "definition", (replace(FORCE, "reporting_period: 2021/22-Q4", "reporting_period: 1990/91-Q1"),)),
        Case("yaml-empty", "definition", (write(COUNT, ""),)),
        Case("yaml-list", "definition", (write(COUNT, "- a\n- b\n"),)),
        Case("yaml-scalar", "definition", (write(COUNT, "hello\n"),)),
        Case("yaml-binary", "definition", (write(COUNT, bytes(range(256))),)),
        Case("yaml-utf16", "definition", (write(COUNT, (Path(__file__).parent / "template.py").read_text().encode("utf-16")),)),
        Case("yaml-nul", "definition", (write(COUNT, "measure:\n  id: a\0b\n"),)),
        Case("yaml-tabs", "definition", (write(COUNT, "measure:\n\tid: x\n"),)),
        Case("yaml-duplicate-key", "definition", (replace(COUNT, "  kind: national\n", "  kind: national\n  kind: proxy\n"),)),
        Case("yaml-python-tag", "definition", (write(COUNT, "measure: !!python/object/apply:os.system ['echo pwned']\n"),)),
        Case("yaml-alias-bomb", "definition", (write(COUNT, "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"),)),
        Case("yaml-deep-nesting", "definition", (write(COUNT, "measure: " + "[" * 5000 + "]" * 5000 + "\n"),)),
        Case("yaml-huge-int", "definition", (replace(COUNT, "months: 12", "months: " + "9" * 5000),)),
        Case("yaml-unclosed-flow", "definition", (replace(COUNT, "aggregation: {kind: count}", "aggregation: {kind: count"),)),
        Case("yaml-long-string", "definition", (replace(COUNT, "title: Offences", "title: " + "x" * 1_000_000 + " Offences"),)),
        Case("id-with-slash", "definition", (replace(COUNT, "id: firearm_discharges", "id: ../../etc"),)),
        Case("id-duplicate", "definition", (replace(RATE, "id: firearm_rate", "id: firearm_discharges"),)),
        Case("dataset-unknown", "definition", (replace(COUNT, "dataset: firearms", "dataset: nothing"),)),
        Case("dataset-kind-unknown", "definition", (replace(DATASET, "kind: tidy", "kind: shell"),)),
        Case("priorities-missing", "definition", (remove(PRIORITIES),)),
        Case("priorities-empty", "definition", (write(PRIORITIES, "priorities: {items: []}\n"),)),
        Case("force-ons-code-wrong", "definition", (replace(FORCE, "ons_code: E23000017", "ons_code: E23999999"),)),
        Case("force-missing", "definition", (remove(FORCE),)),
        Case("dataset-grain-garbage", "definition", (replace(DATASET, "grain: month", "grain: fortnight"),)),
        Case("measure-markdown-script", "definition", (replace(COUNT, "title: Offences", "title: <script>alert(1)</script> Offences"),)),
        Case("commentary-script", "definition", (write(f"{COMMENTARY}/firearm_discharges.force.md", "<script>alert(1)</script>\n[x](javascript:alert(1))\n"),)),
        Case("commentary-binary", "definition", (write(f"{COMMENTARY}/firearm_discharges.force.md", bytes(range(256))),)),
        Case("commentary-huge", "definition", (write(f"{COMMENTARY}/firearm_discharges.force.md", "word " * 400_000),)),
    ]  # fmt: skip
    return cases


def path_cases() -> list[Case]:
    """Paths that lead out of the catalogue, loop or hold a NUL byte."""
    outside = lambda root, out: out  # noqa: E731
    secret_file = lambda root, out: out / "secret.csv"  # noqa: E731
    cases = [
        Case(f"path-{name}", "path", (replace(DATASET, "path: data/firearms.csv", f"path: {value}"),))
        for name, value in [
            ("dotdot", "../outside/secret.csv"), ("deep-dotdot", "../../../../../../etc/passwd"),
            ("absolute", "/etc/passwd"), ("nul", '"data/fire\\0arms.csv"'), ("empty", '""'),
            ("space", '" "'), ("dot", "."), ("dotdot-inside", "data/../data/firearms.csv"),
            ("backslash", '"..\\\\outside\\\\secret.csv"'), ("drive", '"C:/secret.csv"'),
            ("proc", "/proc/self/environ"), ("dev", "/dev/zero"), ("home", "~/secret.csv"),
            ("missing", "data/none.csv"),
        ]
    ]  # fmt: skip
    cases += [
        Case(f"override-{name}", "path", (append(FORCE, f"  datasets: {{firearms: {value}}}\n"),))
        for name, value in [("dotdot", "../outside/secret.csv"), ("absolute", "/etc/passwd"), ("nul", '"a\\0b"'), ("empty", '""')]
    ]  # fmt: skip
    cases += [
        Case(f"commentary-folder-{name}", "path", (replace(FORCE, "folder: commentary", f"folder: {value}"),))
        for name, value in [("dotdot", "../outside"), ("absolute", "/etc"), ("nul", '"c\\0d"'), ("empty", '""'), ("root", "/")]
    ]  # fmt: skip
    cases += [
        Case("link-data-file-out", "path", (link(FIREARMS, secret_file),)),
        Case("link-data-folder-out", "path", (link("data/linked", outside), replace(DATASET, "path: data/firearms.csv", "path: data/linked/secret.csv"))),
        Case("link-data-loop", "path", (link("data/a", lambda r, o: r / "data/b"), link("data/b", lambda r, o: r / "data/a"), replace(DATASET, "path: data/firearms.csv", "path: data/a"))),
        Case("link-self-loop", "path", (link("data/self", lambda r, o: r / "data/self"), replace(DATASET, "path: data/firearms.csv", "path: data/self"))),
        Case("link-dangling", "path", (link("data/gone.csv", lambda r, o: r / "data/nowhere.csv"), replace(DATASET, "path: data/firearms.csv", "path: data/gone.csv"))),
        Case("link-population-out", "path", (link(POPULATION, secret_file),)),
        Case("link-commentary-passwd", "path", (link(f"{COMMENTARY}/firearm_rate.force.md", lambda r, o: Path("/etc/passwd")),)),
        Case("link-commentary-out", "path", (link(f"{COMMENTARY}/firearm_rate.force.md", secret_file),)),
        Case("link-commentary-quarter", "path", (link("commentary/warwickshire/2021-22-Q3", outside),)),
        Case("link-commentary-force", "path", (link("commentary/other", outside),)),
        Case("link-introduction", "path", (link(f"{COMMENTARY}/_introduction.md", secret_file),)),
        Case("link-definition-out", "path", (link("definitions/secret.yaml", lambda r, o: o / "secret.yaml"),)),
        Case("link-definitions-folder", "path", (link("definitions/more", outside),)),
        Case("link-definition-loop", "path", (link("definitions/x.yaml", lambda r, o: r / "definitions/x.yaml"),)),
        Case("link-reference-out", "path", (link("data/reference/areas.csv", secret_file),)),
        Case("link-inside-ok", "path", (link("data/alias.csv", lambda r, o: r / FIREARMS), replace(DATASET, "path: data/firearms.csv", "path: data/alias.csv"))),
    ]  # fmt: skip
    return cases


def fault_cases() -> list[Case]:
    """Files that are not files, caches that were damaged."""
    return [
        Case("fifo-data", "fault", (fifo(FIREARMS),)),
        Case("fifo-population", "fault", (fifo(POPULATION),)),
        Case("fifo-definition", "fault", (fifo("definitions/pipe.yaml"),)),
        Case("fifo-commentary", "fault", (fifo(f"{COMMENTARY}/firearm_rate.force.md"),)),
        Case("device-data", "fault", (link(FIREARMS, lambda r, o: Path("/dev/zero")),)),
        Case("cache-garbage", "fault", (write("../.cache/measures/garbage.parquet", b"garbage"),)),
        Case("reference-missing", "fault", (remove("data/reference/areas.csv"),)),
        Case("reference-garbage", "fault", (write("data/reference/areas.csv", "a,b\n1\n"),)),
        Case("data-folder-missing", "fault", (remove(FIREARMS), remove(POPULATION))),
    ]


def _as_workbook(change: str | None) -> Step:
    """Turn the firearms table into an .xlsx workbook, broken as ``change`` names (if any)."""

    def step(root: Path, outside: Path) -> None:
        from tests.hostile.spreadsheets import hostile_workbook, workbook

        lines = (root / FIREARMS).read_text(encoding="utf-8").splitlines()
        cells = [line.split(",") for line in lines]
        rows: list[list[object]] = [list(cells[0]), *([a, b, int(c)] for a, b, c in cells[1:])]
        data = workbook(rows) if change is None else hostile_workbook(rows, change)
        (root / "data" / "firearms.xlsx").write_bytes(data)

    return step


def spreadsheet_and_key_cases() -> list[Case]:
    """Workbooks past a bound, and rows that repeat a key or hold impossible values."""
    from tests.hostile.spreadsheets import HOSTILE

    to_excel = (
        replace(DATASET, "format: csv", "format: excel"),
        replace(DATASET, "path: data/firearms.csv", "path: data/firearms.xlsx"),
    )
    cases = [
        Case(f"xlsx-{name}", "data", (_as_workbook(name), *to_excel)) for name in sorted(HOSTILE)
    ]
    cases += [
        Case("xlsx-plain", "data", (_as_workbook(None), *to_excel)),
        Case("xlsx-not-a-zip", "data", (write("data/firearms.xlsx", b"PK\x03\x04garbage"), *to_excel)),
        Case("counts-repeated-key-other-value", "data", (append(FIREARMS, "2021-06,Warwickshire,99\n"),)),
        Case("counts-repeated-key-summed", "data", (append(FIREARMS, "2021-06,Warwickshire,99\n"), append(DATASET, "  duplicates: sum\n"))),
        Case("counts-repeated-key-allowed", "data", (append(FIREARMS, "2021-06,Warwickshire,99\n"), append(DATASET, "  max_excluded_rows: 1\n"))),
        Case("counts-key-names-nothing", "data", (append(DATASET, "  key: [offence]\n"),)),
        Case("counts-key-garbage", "definition", (append(DATASET, "  key: 7\n"),)),
        Case("counts-duplicates-garbage", "definition", (append(DATASET, "  duplicates: average\n"),)),
        Case("counts-negative-kept", "data", (_cell_step("Warwickshire", "2021-06", "-5"), append(DATASET, "  negative_values: keep\n"))),
        Case("counts-negative-many", "data", (every_count("-1"), append(DATASET, "  max_excluded_rows: 100000\n"))),
        Case("population-force-30-million", "data", (population_of(WARWICKSHIRE, "30000000"),)),
        Case("population-relabelled-row", "data", (transform(POPULATION, lambda t: t.replace("E23000016,", f"{WARWICKSHIRE},", 1)),)),
        Case("baseline-before-data", "definition", (replace(COUNT, "start: 2018-07, end: 2019-06", "start: 2016-01, end: 2016-12"),)),
        Case("baseline-past-the-data", "definition", (replace(COUNT, "start: 2018-07, end: 2019-06", "start: 2024-01, end: 2024-12"),)),
        Case("rebase-before-data", "definition", (replace(RATE, 'unit: "offences per 100,000"}', "unit: \"offences per 100,000\", spc_rebases: [{at: '2017-01', reason: A change}]}"),)),
        Case("report-source-missing-no-period", "data", (remove(FIREARMS), replace(FORCE, "  reporting_period: 2021/22-Q4\n", ""))),
    ]  # fmt: skip
    return cases


def all_cases() -> list[Case]:
    """Every case of the corpus."""
    return [
        *definition_cases(),
        *data_cases(),
        *path_cases(),
        *fault_cases(),
        *spreadsheet_and_key_cases(),
    ]
