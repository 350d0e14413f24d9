"""``measures schema``: writes the generated documents; ``--check`` names those that drift."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import invoke


def test_write_then_check(tmp_path: Path) -> None:
    out, reference = tmp_path / "schema", tmp_path / "reference.md"
    options = ["--out", str(out), "--reference", str(reference), "--codes", str(tmp_path / "c.md")]
    missing = invoke("schema", *options, "--check")
    assert missing.exit_code == 1
    assert "measure.schema.json: missing" in missing.stdout
    written = invoke("schema", *options)
    assert written.exit_code == 0, written.output
    assert sorted(p.name for p in out.iterdir()) == [
        "catalogue.schema.json",
        "dataset.schema.json",
        "force.schema.json",
        "measure.schema.json",
        "priorities.schema.json",
        "spc_profile.schema.json",
    ]
    assert reference.read_text(encoding="utf-8").startswith("# Definition language reference")
    assert invoke("schema", *options, "--check").exit_code == 0
    assert "0 changed" in invoke("schema", *options).stdout


def test_check_names_changed_and_stale_files(tmp_path: Path) -> None:
    out, reference = tmp_path / "schema", tmp_path / "reference.md"
    options = ["--out", str(out), "--reference", str(reference), "--codes", str(tmp_path / "c.md")]
    assert invoke("schema", *options).exit_code == 0
    (out / "force.schema.json").write_text("{}\n", encoding="utf-8")
    (out / "old_kind.schema.json").write_text("{}\n", encoding="utf-8")
    result = invoke("schema", *options, "--check")
    assert result.exit_code == 1
    assert "force.schema.json: differs from the models" in result.stdout
    assert "old_kind.schema.json: is no longer generated" in result.stdout
    assert "measure.schema.json" not in result.stdout
