"""Build a force catalogue on its base: add, replace by declared id, switch off with a reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from framework.findings.codes import Code
from framework.findings.finding import Finding, Level, Location
from framework.findings.suggest import suggest
from framework.loading.catalogue import Catalogue, Located, load_catalogue
from framework.loading.layers import ROOT_FILE, national_root
from framework.model.catalogue_root import CatalogueRoot

KINDS = ("measures", "datasets", "spc_profiles", "forces")
"""The lists of a catalogue whose definitions have ids a force may add to or replace."""


def stack_on_base(own: Catalogue) -> Catalogue:
    """Return the force catalogue ``own`` (already read) built on the base its root file names."""
    root_file = own.roots[0] if own.roots else None
    spec = root_file.model if root_file else CatalogueRoot()
    base_root, finding = _base_folder(own.root, spec, root_file)
    if finding is not None:
        own.findings.append(finding)
    if base_root is None:
        _apply_root(own, spec, root_file, base_ids=set())
        return own
    base = load_catalogue(base_root)
    merged = Catalogue(
        root=own.root,
        display_root=own.display_root,
        layers=[*base.layers, *own.layers],
        roots=own.roots,
        findings=[*base.findings, *own.findings],
        files_read=base.files_read + own.files_read,
        invalid_ids=base.invalid_ids | own.invalid_ids,
    )
    for kind in KINDS:
        setattr(merged, kind, list(_merge(merged, getattr(base, kind), getattr(own, kind), spec)))
    merged.priorities = own.priorities or base.priorities
    base_ids = {item.model.id for kind in KINDS for item in getattr(base, kind)}
    _apply_root(merged, spec, root_file, base_ids)
    return merged


def _base_folder(
    root: Path, spec: CatalogueRoot, root_file: Located[CatalogueRoot] | None
) -> tuple[Path | None, Finding | None]:
    where = root_file.value_location("extends") if root_file else Location(ROOT_FILE)
    if spec.extends == "none":
        return None, None
    if spec.extends == "national":
        try:
            return national_root(), None
        except ModuleNotFoundError:
            return None, Finding(
                where,
                Code.CAT013,
                Level.ERROR,
                "the national catalogue is not installed with the package",
                "Reinstall the package: `pip install police-measures`.",
            )
    folder = (root / spec.extends).resolve()
    if not folder.is_dir() or folder == root.resolve():
        return None, Finding(
            where,
            Code.CAT013,
            Level.ERROR,
            f"the base catalogue {spec.extends!r} is not a folder",
            "Write `extends: national` for the installed national catalogue, a folder relative "
            "to catalogue.yaml, or `extends: none`.",
        )
    return folder, None


def _merge(
    merged: Catalogue, base: list[Located[Any]], own: list[Located[Any]], spec: CatalogueRoot
) -> Iterator[Located[Any]]:
    """Yield the base's definitions, each replaced where declared, then the force's new ones."""
    own_by_id = {item.model.id: item for item in own}
    base_ids = {item.model.id for item in base}
    for item in base:
        mine = own_by_id.get(item.model.id)
        if mine is None:
            yield item
        elif item.model.id in spec.replaces:
            merged.replaced[item.model.id] = f"{item.file} ({item.layer_label})"
            yield mine
        else:
            merged.findings.append(
                Finding(
                    mine.value_location("id"),
                    Code.CAT010,
                    Level.ERROR,
                    f"{item.root_key} {item.model.id!r} is already defined in the base catalogue "
                    f"({item.file}, {item.layer_label}); the base definition is kept",
                    f"Give it an id of its own, or add `{item.model.id}` to `replaces:` in "
                    f"{ROOT_FILE} to replace the base definition on purpose.",
                )
            )
            yield item
    yield from (item for item in own if item.model.id not in base_ids)


def _apply_root(
    catalogue: Catalogue,
    spec: CatalogueRoot,
    root_file: Located[CatalogueRoot] | None,
    base_ids: set[str],
) -> None:
    """Check what the root file names, and switch off the measures it lists."""
    if root_file is None:
        return
    for index, replaced in enumerate(spec.replaces):
        if replaced not in base_ids:
            catalogue.findings.append(
                Finding(
                    root_file.value_location("replaces", index),
                    Code.CAT011,
                    Level.WARNING,
                    f"{replaced!r} is not a definition of the base catalogue, so nothing is "
                    "replaced",
                    suggest(replaced, sorted(base_ids)),
                )
            )
    for index, off in enumerate(spec.switched_off):
        located = catalogue.measure(off.measure)
        if located is None:
            catalogue.findings.append(
                Finding(
                    root_file.value_location("switched_off", index, "measure"),
                    Code.CAT012,
                    Level.ERROR,
                    f"no measure {off.measure!r} to switch off",
                    suggest(off.measure, [m.model.id for m in catalogue.measures]),
                )
            )
            continue
        catalogue.measures.remove(located)
        catalogue.switched_off[off.measure] = (located.model.title, off.reason)
    if spec.force is not None:
        if catalogue.force(spec.force) is None:
            catalogue.findings.append(
                Finding(
                    root_file.value_location("force"),
                    Code.CAT014,
                    Level.ERROR,
                    f"no force profile {spec.force!r} in the catalogue",
                    "Add forces/<id>.yaml with that id, or correct `force:`.",
                )
            )
        else:
            catalogue.default_force = spec.force
