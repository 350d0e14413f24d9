"""validate --data names both lines of a repeated key, and how to fix it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli.helpers import invoke
from tests.hostile.template import build


def test_a_repeated_row_is_dat012_naming_both_lines(tmp_path: Path) -> None:
    root = build(tmp_path / "catalogue")
    counts = root / "data" / "firearms.csv"
    lines = counts.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("2021-06,Warwickshire,"))
    counts.write_text("\n".join([*lines, "2021-06,Warwickshire,99"]) + "\n", encoding="utf-8")
    result = invoke("validate", str(root), "--data")
    assert result.exit_code == 1, result.output
    pattern = (
        rf"data/firearms\.csv:{len(lines) + 1}: error DAT012 row left out of 'firearms': a "
        rf"second row .*\(same key as data/firearms\.csv:{first + 1}\)"
    )
    assert re.search(pattern, result.output), result.output
    assert "declare `duplicates: sum`" in result.output
    dataset = root / "datasets" / "firearms.yaml"
    dataset.write_text(dataset.read_text(encoding="utf-8") + "  duplicates: sum\n", "utf-8")
    assert invoke("validate", str(root), "--data").exit_code == 0
