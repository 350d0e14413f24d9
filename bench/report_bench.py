"""Time the statement: one force cold, every force with the overview, and the CLI's start-up.

Each measurement runs in a fresh interpreter (start-up and imports included) and reports its
wall time, its CPU time (user and system, every thread) and its peak memory:

* ``report``: ``measures report`` for the default force against the baseline of the same
  statement built the way it was before: every area's rows laid out and given a status,
  and every spec checked against the Vega-Lite schema (``--svg``: both draw the SVG
  fallbacks, the baseline each in line, one after another);
* ``all forces``: ``measures report --all-forces`` (``--forces N`` builds the first N
  forces' statements and the overview instead, for a quick check), with the memory of
  its worker processes added to its own;
* ``--help`` and ``validate``: the command line's start-up, beside a bare interpreter.

The framework's modules are compiled to bytecode first, as installing a wheel does, so no
run pays for compiling them (an interpreter that may not write bytecode would otherwise
compile every module on every start).

Wall times move with whatever else the machine runs; the CPU times and the ratio of the two
statement builds, measured side by side, move less. It exits 1 when a target is missed
(``--no-target`` checks only that everything ran and that both builds wrote the same files).

    python bench/report_bench.py [--repeat 3] [--forces 43] [--svg] [--no-target]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CATALOGUE = REPO / "measures"
TARGETS = {"report": 3.0, "all forces": 60.0, "--help": 0.25, "validate": 0.5}
MEMORY_LIMIT_MB = 2048.0

CLI = "import sys; from framework.cli.app import main; sys.argv[0] = 'measures'; main()"

BASELINE = """
import sys
from datetime import date
from pathlib import Path

from framework.cli.common import choose_force, load_valid_catalogue
from framework.engine.context import latest_quarter
from framework.engine.run import Engine
from framework.periods import financial_quarter_label
from renderers.assemble.national import statement_context
from renderers.assemble.statement import build_statement
from renderers.report.write import write_report
from renderers.vegalite.export import render_bytes

catalogue = load_valid_catalogue(Path(sys.argv[1]))
force = choose_force(catalogue, None).model
engine = Engine(catalogue)
run = engine.run(force, catalogue.measures, None, all_forces=True)
span = latest_quarter(run)
run = engine.run(force, catalogue.measures, span.last, all_forces=True)  # every status
label = financial_quarter_label(span.last)
context = statement_context(engine, catalogue, force, span, label, validate_specs=True)
svg = (lambda spec: render_bytes(spec, "svg").decode("utf-8")) if sys.argv[3] == "svg" else None
statement = build_statement(context, run.frame, date.today(), svg=svg)
write_report(statement, Path(sys.argv[2]), "html")
"""

ALL_FORCES = """
import json
import resource
import sys
from pathlib import Path

from framework.cli.common import choose_force, load_valid_catalogue
from framework.engine.context import latest_quarter
from framework.engine.run import Engine
from framework.periods import financial_quarter_label
from renderers.assemble.national import build_all_statements, default_processes, force_profiles

catalogue = load_valid_catalogue(Path(sys.argv[1]))
engine = Engine(catalogue)
force = choose_force(catalogue, None).model
span = latest_quarter(engine.run(force, catalogue.measures, None, all_forces=True, judge=()))
profiles = force_profiles(catalogue, engine, span)[: int(sys.argv[3])]
result = build_all_statements(
    engine, catalogue, span, financial_quarter_label(span.last), Path(sys.argv[2]),
    svg=sys.argv[4] == "svg", profiles=profiles,
)
# Linux reports the largest worker's peak, not their sum: each worker is counted at it.
usage = {
    "own_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "workers": 1 if sys.argv[4] == "svg" else min(default_processes(), len(profiles)),
}
Path(sys.argv[5]).write_text(json.dumps(usage), encoding="utf-8")
sys.exit(1 if result.failures else 0)
"""


@dataclass(frozen=True)
class Measured:
    """One run in a fresh interpreter."""

    wall: float
    cpu: float
    peak_mb: float


def run_fresh(code: str, *args: str) -> Measured:
    """Run ``code`` in a new interpreter; return its wall and CPU time and peak memory."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        # wait4 gives this child's own usage (RUSAGE_CHILDREN would mix in the earlier ones).
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode not in (0, 1):  # 1: the run had findings, and still wrote
            errors.seek(0)
            text = errors.read().decode("utf-8", "replace")
            raise RuntimeError(f"exit {child.returncode}: {text[-2000:]}")
    return Measured(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def median(runs: list[Measured]) -> Measured:
    """Return the median of each figure over the runs."""
    return Measured(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        max(r.peak_mb for r in runs),
    )


def files_of(folder: Path) -> dict[str, bytes]:
    """Return a report folder's files by name."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def row(name: str, measured: Measured) -> str:
    """Format one line of the table."""
    return (
        f"  {name:34s} {measured.wall:8.3f} s {measured.cpu:8.3f} s cpu {measured.peak_mb:8.0f} MB"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 1 when a target is missed or the two builds differ."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--forces", type=int, default=43, help="statements to build (1-43)")
    parser.add_argument("--svg", action="store_true", help="draw the SVG fallbacks too")
    parser.add_argument("--no-target", action="store_true", help="check the runs only")
    parser.add_argument("--catalogue", type=Path, default=CATALOGUE)
    options = parser.parse_args(argv)
    svg = "svg" if options.svg else "no-svg"
    catalogue = str(options.catalogue)
    problems: list[str] = []
    for package in ("framework", "renderers"):
        compileall.compile_dir(REPO / package, quiet=1)
    work = Path(tempfile.mkdtemp(prefix="report-bench-"))
    try:
        load = os.getloadavg()
        print(f"{os.cpu_count()} cores; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
        ours_runs, base_runs, ratios = [], [], []
        for n in range(options.repeat):
            # Side by side, so both see the same load: the ratio is the steadier figure.
            ours = run_fresh(
                CLI, "report", "--catalogue", catalogue, "--out", str(work / f"ours{n}"),
                *(["--svg"] if options.svg else []),
            )  # fmt: skip
            base = run_fresh(BASELINE, catalogue, str(work / f"base{n}"), svg)
            ours_runs.append(ours)
            base_runs.append(base)
            ratios.append(ours.wall / base.wall)
        if files_of(work / "ours0") != files_of(work / "base0"):
            problems.append("the report and the baseline build wrote different files")
        ours, base = median(ours_runs), median(base_runs)
        used = work / "memory.json"
        everyone = run_fresh(
            ALL_FORCES, catalogue, str(work / "all"), str(options.forces), svg, str(used)
        )
        memory = json.loads(used.read_text(encoding="utf-8"))
        workers = memory["workers"] if memory["workers"] > 1 else 0
        total_mb = memory["own_mb"] + workers * memory["worker_mb"]
        statements = sum(1 for p in (work / "all").iterdir() if p.is_dir())
        if statements != options.forces:
            problems.append(f"{statements} statements written, not {options.forces}")
        bare = median([run_fresh("pass") for _ in range(options.repeat)])
        help_ = median([run_fresh(CLI, "--help") for _ in range(options.repeat)])
        validate = median([run_fresh(CLI, "validate", catalogue) for _ in range(options.repeat)])
        print(f"{'':36s} {'wall':>10s} {'':>12s} {'peak':>11s}")
        print(row("report, one force (cold)", ours))
        print(row("baseline: validated, SVG in line", base))
        print(f"  ratio report / baseline            {statistics.median(ratios):8.2f}")
        print(row(f"all forces: {options.forces} statements + overview", everyone))
        print(f"  per statement                      {everyone.wall / options.forces:8.3f} s")
        print(
            f"  memory: {memory['own_mb']:.0f} MB and {workers} workers of at most "
            f"{memory['worker_mb']:.0f} MB: {total_mb:.0f} MB in all"
        )
        print(row("python -c pass", bare))
        print(row("measures --help", help_))
        print(row("measures validate (real catalogue)", validate))
        print(json.dumps({"load": load[0], "svg": svg == "svg"}))
        if not options.no_target:
            checks = {
                "report": ours.wall,
                "--help": help_.wall,
                "validate": validate.wall,
            }
            if options.forces == 43:
                checks["all forces"] = everyone.wall
                if total_mb > MEMORY_LIMIT_MB:
                    problems.append(f"all forces peaked at {total_mb:.0f} MB")
            problems += [
                f"{name} took {value:.3f} s (target {TARGETS[name]} s)"
                for name, value in checks.items()
                if value > TARGETS[name]
            ]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
