"""Time catalogue validation against a plain load, and fail when it is too slow.

Generates a catalogue of N measures (with datasets, priorities, a force and an SPC
profile) in a temporary folder, then times

* ``validate_catalogue`` in this process (the located loader, schema stage and rules),
* the ``measures validate`` command in a fresh interpreter (start-up and imports included),
* a plain baseline: ``yaml.safe_load`` of the same files and ``model_validate`` without
  locations or rules,

and prints the times and the ratio to the baseline. It exits 1 when the real catalogue
takes over 1 s or the generated one over 2 s in process.

    python bench/validate_bench.py [--measures 500] [--no-subprocess] [--catalogue measures]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # run as a script from a checkout, installed or not

from framework.model.documents import DOCUMENT_KINDS  # noqa: E402
from framework.validation.pipeline import validate_catalogue  # noqa: E402

REAL_LIMIT_S = 1.0
GENERATED_LIMIT_S = 2.0
DATASETS = 5
PRIORITIES = 6
ENTRY = "from framework.cli.app import main; main()"


def _measure(index: int) -> dict[str, object]:
    national = index % 3 != 2
    measure: dict[str, object] = {
        "id": f"measure_{index:04d}",
        "title": f"Generated measure {index}",
        "description": "A generated measure: recorded offences over the last 12 months.",
        "priority": f"priority_{index % PRIORITIES}",
        "kind": "national" if national else "proxy",
        "source": {
            "dataset": f"dataset_{index % DATASETS}",
            "filters": {"offence": [f"Offence {index % 7}", f"Offence {index % 11}"]},
        },
        "aggregation": {"kind": "count"},
        "grain": "quarter",
        "window": {"kind": "rolling", "months": 12},
        "baseline": {"label": "12 months to June 2019", "start": "2018-07", "end": "2019-06"},
        "breakdown": ["offence"],
        "comparators": ["national", "region", "msg"],
        "improvement": "lower_is_better",
        "presentation": {"charts": ["trend", "spc"], "spc_profile": "bench_profile"},
        "caveats": [{"text": "Generated for the benchmark.", "applies_from": "2019-04"}],
        "tags": ["bench"],
    }
    if national:
        measure["national_measure"] = {"name": f"National measure {index}", "available": True}
    else:
        measure["proxy_for"] = f"measure_{index - 2:04d}"
    return {"measure": measure}


AREAS_CSV = """code,name,kind,parent_code,aliases
K04000001,England and Wales,national,,
E92000001,England,country,K04000001,
E12000004,Midlands,region,E92000001,
E23000099,Benchshire,force,E12000004,
E23000098,Northshire,force,E12000004,
E23000097,Southshire,force,E12000004,
"""


def generate_catalogue(root: Path, measures: int) -> Path:
    """Write a valid catalogue of ``measures`` measures under ``root``; return its folder."""
    catalogue = root / "catalogue"
    for folder in ("definitions", "datasets", "forces", "spc"):
        (catalogue / folder).mkdir(parents=True, exist_ok=True)
    for index in range(measures):
        _write(catalogue / "definitions" / f"measure_{index:04d}.yaml", _measure(index))
    for index in range(DATASETS):
        _write(
            catalogue / "datasets" / f"dataset_{index}.yaml",
            {
                "dataset": {
                    "id": f"dataset_{index}",
                    "title": f"Generated dataset {index}",
                    "adapter": {"kind": "home_office_prc"},
                    "path": f"data/dataset_{index}.csv",
                    "grain": "quarter",
                    "dimensions": ["offence"],
                    "provenance": {"publisher": "Benchmark", "title": "Generated"},
                }
            },
        )
    national: dict[int, list[str]] = {p: [] for p in range(PRIORITIES)}
    for index in range(measures):
        if index % 3 != 2:
            national[index % PRIORITIES].append(f"measure_{index:04d}")
    items = [
        {"id": f"priority_{p}", "title": f"Priority {p}", "order": p + 1, "national_measures": ids}
        if ids
        else {"id": f"priority_{p}", "title": f"Priority {p}", "order": p + 1,
              "not_applicable": "No generated measure."}
        for p, ids in national.items()
    ]  # fmt: skip
    _write(catalogue / "priorities.yaml", {"priorities": {"items": items}})
    _write(
        catalogue / "forces" / "benchshire.yaml",
        {
            "force": {
                "id": "benchshire",
                "name": "Benchshire",
                "ons_code": "E23000099",
                "region": "Midlands",
                "pcc_office": "Office of the Police and Crime Commissioner for Benchshire",
                "msg": {"members": ["Northshire", "Southshire"], "as_of": "2021-04"},
            }
        },
    )
    _write(
        catalogue / "spc" / "bench_profile.yaml",
        {"spc_profile": {"id": "bench_profile", "title": "Benchmark profile"}},
    )
    # The reference list of areas the force profile is checked against.
    reference = catalogue / "data" / "reference"
    reference.mkdir(parents=True)
    (reference / "areas.csv").write_text(AREAS_CSV, encoding="utf-8")
    return catalogue


def _write(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def baseline(root: Path, loader: type[yaml.CSafeLoader] | None = None) -> None:
    """Load every file the plain way: ``yaml.safe_load`` and ``model_validate``, nothing else.

    With ``loader`` (libyaml's ``CSafeLoader``) the YAML is read by C, as our loader does
    when libyaml is there; without it, by PyYAML's pure-Python ``safe_load``.
    """
    for path in sorted(root.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text) if loader is None else yaml.load(text, Loader=loader)
        [kind] = data
        DOCUMENT_KINDS[kind].model_validate(data)


def timed(action: Callable[[], object], repeat: int) -> float:
    """Return the median wall time of ``repeat`` runs of ``action``, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def command_time(catalogue: Path) -> tuple[float, int]:
    """Time ``measures validate`` in a fresh interpreter; return seconds and exit code."""
    script = Path(sys.executable).with_name("measures")
    command = [str(script)] if script.exists() else [sys.executable, "-c", ENTRY]
    started = time.perf_counter()
    done = subprocess.run(
        [*command, "validate", str(catalogue)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    return time.perf_counter() - started, done.returncode


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 1 when a time limit is exceeded or validation fails."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--measures", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--catalogue", type=Path, default=REPO / "measures")
    parser.add_argument("--no-subprocess", action="store_true")
    options = parser.parse_args(argv)
    failures: list[str] = []

    with tempfile.TemporaryDirectory(prefix="validate-bench-") as folder:
        generated = generate_catalogue(Path(folder), options.measures)
        result = validate_catalogue(generated)
        if not result.ok:
            failures.append(f"the generated catalogue has {len(result.findings)} findings")
        ours = timed(lambda: validate_catalogue(generated), options.repeat)
        plain = timed(lambda: baseline(generated), options.repeat)
        files = result.catalogue.files_read
        print(f"generated catalogue: {options.measures} measures, {files} files")
        print(f"  validate_catalogue   {ours:7.3f} s   ({ours / files * 1000:.2f} ms a file)")
        print(f"  plain baseline       {plain:7.3f} s   (safe_load + model_validate)")
        print(f"  ratio                {ours / plain:7.2f} x the baseline")
        fast_loader = getattr(yaml, "CSafeLoader", None)
        if fast_loader is not None:
            fast = timed(lambda: baseline(generated, fast_loader), options.repeat)
            print(f"  libyaml baseline     {fast:7.3f} s   (CSafeLoader + model_validate)")
            print(f"  ratio                {ours / fast:7.2f} x the libyaml baseline")
        if not options.no_subprocess:
            seconds, code = command_time(generated)
            print(f"  measures validate    {seconds:7.3f} s   (new interpreter, exit {code})")
            if code != 0:
                failures.append(f"`measures validate` exited {code} on the generated catalogue")
        shutil.rmtree(generated, ignore_errors=True)
    if ours > GENERATED_LIMIT_S:
        failures.append(f"the generated catalogue took {ours:.3f} s (limit {GENERATED_LIMIT_S} s)")

    if options.catalogue.is_dir():
        real = timed(lambda: validate_catalogue(options.catalogue), options.repeat)
        print(f"real catalogue ({options.catalogue.name}): validate_catalogue {real:.3f} s")
        if real > REAL_LIMIT_S:
            failures.append(f"the real catalogue took {real:.3f} s (limit {REAL_LIMIT_S} s)")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
