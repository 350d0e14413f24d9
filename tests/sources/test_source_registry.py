"""read_dataset: paths stay inside the catalogue, failures are SourceErrors, every dataset loads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import get_args

import pytest
import yaml

from framework.areas.registry import AreaRegistry
from framework.model.adapters import AdapterOptions, option_kinds
from framework.model.documents import DatasetFile
from framework.sources.adapters import adapter_for, adapter_kinds
from framework.sources.base import SourceError, SourceFrame, sha256_of
from framework.sources.frame import FRAME_COLUMNS
from framework.sources.registry import read_dataset
from tests.sources.helpers import (
    CATALOGUE,
    DEMO,
    assert_books_balance,
    load_dataset,
    make_dataset,
    root_of,
)

ReadRegistered = Callable[[str], SourceFrame]
DATASET_FILES = sorted([*CATALOGUE.glob("datasets/*.yaml"), *DEMO.glob("datasets/*.yaml")])
READABLE = [path for path in DATASET_FILES if path.parents[1] == DEMO or "force_held" not in
            path.read_text(encoding="utf-8")]  # fmt: skip
SCHEMA_LINES = {
    "# yaml-language-server: $schema=../schema/dataset.schema.json",
    "# yaml-language-server: $schema=../../national/schema/dataset.schema.json",
}


def _name(path: Path) -> str:
    return f"{path.parents[1].name}/{path.stem}"


def test_the_registered_datasets() -> None:
    assert {path.stem for path in DATASET_FILES} == {
        "home_office_prc",
        "ons_pfa_p1",
        "ons_pfa_p4_knife",
        "ons_pfa_firearms",
        "ons_pfa_fraud",
        "ons_population",
        "police_uk_street",
        "force_victim_satisfaction",
        "force_ocg_disruptions",
        "force_cyber_victims",
        "force_drug_related_homicides",
    }


@pytest.mark.parametrize("path", DATASET_FILES, ids=_name)
def test_dataset_file_is_one_valid_dataset(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] in SCHEMA_LINES
    data = yaml.safe_load(text)
    assert list(data) == ["dataset"]
    dataset = DatasetFile.model_validate(data).dataset
    assert dataset.id == path.stem
    assert dataset.synthetic == (path.parents[1] == DEMO)
    assert dataset.force_held == dataset.id.startswith("force_")
    assert not Path(dataset.path).is_absolute() and ".." not in Path(dataset.path).parts
    # A force-held table is in each force's folder: the national catalogue has none.
    assert (path.parents[1] / dataset.path).exists() != (
        dataset.force_held and path.parents[1] == CATALOGUE
    )


@pytest.mark.parametrize("path", READABLE, ids=_name)
def test_every_dataset_reads_into_the_canonical_frame(
    read_registered: ReadRegistered, path: Path
) -> None:
    dataset = load_dataset(path.stem)
    source = read_registered(dataset.id)
    assert_books_balance(source)
    frame = source.frame
    assert source.dimensions == tuple(dataset.dimensions)
    expected = [*FRAME_COLUMNS[:3], *dataset.dimensions, *FRAME_COLUMNS[3:]]
    assert list(frame.columns) == expected
    assert str(frame["period"].dtype) == "int64" and str(frame["value"].dtype) == "float64"
    assert frame["area_code"].notna().all() and frame["area"].notna().all()
    for name in ("area_code", "area", "source_file", "missing_reason", *dataset.dimensions):
        assert str(frame[name].dtype) == "category", name
    for digest in source.report.files:
        assert sha256_of(root_of(dataset.id) / digest.path) == digest.sha256
    assert set(frame["source_file"]) <= {digest.path for digest in source.report.files}


@pytest.mark.parametrize("bad", ["../outside.csv", "data/../../outside.csv", "/outside.csv"])
def test_paths_outside_the_catalogue_are_refused(areas: AreaRegistry, bad: str) -> None:
    dataset = load_dataset("force_drug_related_homicides")
    with pytest.raises(SourceError) as caught:
        read_dataset(dataset, DEMO, areas, path_override=bad)
    assert "outside" in caught.value.detail or "absolute" in caught.value.detail
    assert caught.value.hint


def test_a_missing_file_is_a_source_error(areas: AreaRegistry) -> None:
    dataset = load_dataset("home_office_prc")
    with pytest.raises(SourceError) as caught:
        read_dataset(dataset, CATALOGUE, areas, path_override="data/home-office-prc/nope.parquet")
    assert "does not exist" in caught.value.detail
    assert caught.value.path == "data/home-office-prc/nope.parquet"


@pytest.mark.parametrize(
    ("dataset_id", "name"),
    [
        ("home_office_prc", "broken.parquet"),
        ("home_office_prc", "broken.csv"),
        ("force_drug_related_homicides", "broken.csv"),
        ("ons_pfa_p4_knife", "broken.xlsx"),
    ],
)
def test_damaged_files_are_source_errors(
    tmp_path: Path, areas: AreaRegistry, dataset_id: str, name: str
) -> None:
    (tmp_path / name).write_bytes(b"\x00\x01 not what it claims to be \xff\n\x00,\x00\n")
    dataset = load_dataset(dataset_id)
    with pytest.raises(SourceError) as caught:
        read_dataset(dataset, tmp_path, areas, path_override=name)
    assert caught.value.path == name


def test_path_override_reads_the_forces_copy(tmp_path: Path, areas: AreaRegistry) -> None:
    (tmp_path / "own.csv").write_text("period,area,value\n2019-06,Warwickshire,7\n")
    dataset = load_dataset("force_drug_related_homicides")
    source = read_dataset(dataset, tmp_path, areas, path_override="own.csv")
    assert list(source.frame["value"]) == [7.0]
    assert source.report.files[0].path == "own.csv"


def test_every_kind_has_a_reader() -> None:
    for kind in adapter_kinds():
        assert callable(adapter_for(kind).read)
    with pytest.raises(KeyError, match="no reader for adapter kind 'no_such_kind'"):
        adapter_for("no_such_kind")


def test_the_readers_and_the_options_models_name_the_same_kinds() -> None:
    options = get_args(get_args(AdapterOptions)[0])
    assert tuple(model.model_fields["kind"].default for model in options) == adapter_kinds()
    assert option_kinds() == adapter_kinds()


def test_a_built_in_kind_can_be_neither_registered_again_nor_removed() -> None:
    from framework.model.adapters import TidyTableOptions
    from framework.sources.adapters import register_adapter, unregister_adapter
    from framework.sources.adapters.tidy import TidyAdapter

    with pytest.raises(ValueError, match="'tidy' already has a reader"):
        register_adapter(TidyTableOptions, TidyAdapter)
    with pytest.raises(ValueError, match="was not added"):
        unregister_adapter(TidyTableOptions)
    assert option_kinds() == adapter_kinds()


def test_a_dataset_with_a_blank_path(areas: AreaRegistry) -> None:
    dataset = make_dataset({"kind": "tidy"}, " ")
    with pytest.raises(SourceError):
        read_dataset(dataset, CATALOGUE, areas)
