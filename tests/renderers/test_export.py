"""Export: spec, SVG and PNG written via vl-convert, each file replaced atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import vl_convert
from hypothesis import given, settings
from hypothesis import strategies as st

from renderers.vegalite import export_chart, render_chart
from renderers.vegalite.export import atomic_write, vegalite_version
from tests.renderers.samples import all_inputs, kind_of

SAMPLES = all_inputs()
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_export_writes_spec_svg_and_png(tmp_path: Path, name: str) -> None:
    spec = render_chart(kind_of(name), SAMPLES[name])
    paths = export_chart(spec, tmp_path, name, png_scale=1.0)
    assert set(paths) == {"vl.json", "svg", "png"}
    assert json.loads(paths["vl.json"].read_text(encoding="utf-8")) == spec
    assert paths["svg"].read_text(encoding="utf-8").startswith("<svg")
    assert paths["png"].read_bytes().startswith(PNG_MAGIC)
    assert paths["svg"].name == f"{name}.svg"
    assert leftovers(tmp_path) == []


def test_vl_convert_renders_the_chart_text(tmp_path: Path) -> None:
    """The SVG really draws the chart: its title and synthetic notice are in it."""
    spec = render_chart("trend", all_inputs(synthetic=True)["trend"])
    svg = vl_convert.vegalite_to_svg(spec, vl_version=vegalite_version(spec))
    assert svg.startswith("<svg")
    assert "Homicide" in svg
    assert "SYNTHETIC DATA" in svg


def test_a_failed_conversion_leaves_previous_files_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = render_chart("trend", SAMPLES["trend"])
    paths = export_chart(spec, tmp_path, "trend", png_scale=1.0)
    before = {fmt: path.read_bytes() for fmt, path in paths.items()}

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(vl_convert, "vegalite_to_png", broken)
    changed = render_chart("spc", SAMPLES["spc"])
    with pytest.raises(RuntimeError, match="crashed"):
        export_chart(changed, tmp_path, "trend")
    assert {fmt: path.read_bytes() for fmt, path in paths.items()} == before
    assert leftovers(tmp_path) == []


def test_a_failure_mid_write_leaves_the_previous_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "chart.svg"
    target.write_bytes(b"<svg>old</svg>")

    def no_disk(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", no_disk)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, b"<svg>new and longer</svg>")
    assert target.read_bytes() == b"<svg>old</svg>"
    assert leftovers(tmp_path) == []


@settings(max_examples=30, deadline=None)
@given(
    old=st.binary(max_size=200),
    new=st.binary(max_size=200),
    fail_at=st.sampled_from(["none", "write", "fsync", "replace"]),
)
def test_atomic_write_leaves_old_or_new_never_a_mix(
    tmp_path_factory: pytest.TempPathFactory, old: bytes, new: bytes, fail_at: str
) -> None:
    folder = tmp_path_factory.mktemp("atomic")
    target = folder / "chart.vl.json"
    target.write_bytes(old)
    real_write, real_fsync, real_replace = Path.write_bytes, os.fsync, Path.replace

    class BoomError(Exception):
        pass

    def write_bytes(self: Path, data: bytes) -> int:
        if fail_at == "write":
            real_write(self, data[: len(data) // 2])  # part of the data reaches the file
            raise BoomError
        return real_write(self, data)

    def fsync(fd: int) -> None:
        if fail_at == "fsync":
            raise BoomError
        real_fsync(fd)

    def replace(self: Path, other: object) -> Path:
        if fail_at == "replace":
            raise BoomError
        return real_replace(self, other)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "write_bytes", write_bytes)
        patch.setattr(os, "fsync", fsync)
        patch.setattr(Path, "replace", replace)
        if fail_at == "none":
            atomic_write(target, new)
        else:
            with pytest.raises(BoomError):
                atomic_write(target, new)
    assert target.read_bytes() == (new if fail_at == "none" else old)
    assert leftovers(folder) == []


def test_export_refuses_a_name_that_is_a_path(tmp_path: Path) -> None:
    spec = render_chart("trend", SAMPLES["trend"])
    with pytest.raises(ValueError, match="chart name"):
        export_chart(spec, tmp_path, "../escape")


def test_export_can_write_only_some_formats(tmp_path: Path) -> None:
    spec = render_chart("proportion", SAMPLES["proportion"])
    paths = export_chart(spec, tmp_path, "p", formats=["vl.json"])
    assert list(paths) == ["vl.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.vl.json"]


def test_the_spec_names_a_version_vl_convert_bundles() -> None:
    spec = render_chart("trend", SAMPLES["trend"])
    assert vegalite_version(spec) in vl_convert.get_vegalite_versions()
