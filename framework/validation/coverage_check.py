"""Part of stage (c): check a dataset's ``covers`` declaration against the forces in its rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from framework.findings.codes import Code
from framework.findings.finding import Finding, Level
from framework.sources.frame import area_codes_in

if TYPE_CHECKING:
    import pandas as pd

    from framework.areas.registry import AreaRegistry
    from framework.loading.catalogue import Located
    from framework.model.dataset import Dataset

CODE = Code.DAT010
SHOWN = 5
"""How many forces a finding names before it says "and N more"."""


def _names(codes: list[str], areas: AreaRegistry) -> str:
    found = [areas.get(code) for code in codes]
    names = [area.name if area else code for area, code in zip(found, codes, strict=True)]
    shown = ", ".join(names[:SHOWN])
    return shown + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")


def check_coverage(
    dataset: Located[Dataset], frame: pd.DataFrame, areas: AreaRegistry
) -> Iterator[Finding]:
    """Yield a finding for each way the rows disagree with the dataset's ``covers``."""
    covers = dataset.model.covers
    if covers is None:
        return
    forces = [area.code for area in areas.forces()]
    present = area_codes_in(frame)
    held = [code for code in forces if code in present]
    name = dataset.model.id
    if covers == "force_only":
        if len(held) != 1:
            what = f"{len(held)} forces ({_names(held, areas)})" if held else "no force"
            yield Finding(
                dataset.location("covers"),
                CODE,
                Level.ERROR,
                f"the dataset {name!r} declares covers: force_only, but its rows hold {what}",
                "A force's own extract holds that force alone: remove the other forces' rows, "
                "or declare the forces the data hold (a list, or all_forces).",
            )
        return
    if covers == "all_forces":
        absent = [code for code in forces if code not in present]
        if absent:
            yield Finding(
                dataset.location("covers"),
                CODE,
                Level.ERROR,
                f"the dataset {name!r} declares covers: all_forces, but no row holds "
                f"{len(absent)} of the {len(forces)} forces ({_names(absent, areas)})",
                "Add the missing forces' rows, or list the forces the data hold; England and "
                "Wales would otherwise be pooled from fewer forces than it has.",
            )
        return
    listed: set[str] = set()
    for index, entry in enumerate(covers):
        area = areas.resolve(entry)
        if area is None or not area.is_force:
            yield Finding(
                dataset.location("covers", index),
                CODE,
                Level.ERROR,
                f"covers[{index}] = {entry!r} is not a police force area",
                "List force names or ONS codes (E23...) as the area list spells them.",
            )
            continue
        listed.add(area.code)
        if area.code not in present:
            yield Finding(
                dataset.location("covers", index),
                CODE,
                Level.ERROR,
                f"the dataset {name!r} lists {area.name} in covers, but no row holds it",
                "Remove it from the list, or add its rows.",
            )
    unlisted = [code for code in held if code not in listed]
    if unlisted:
        yield Finding(
            dataset.location("covers"),
            CODE,
            Level.ERROR,
            f"the rows of {name!r} hold {len(unlisted)} force(s) that covers does not list "
            f"({_names(unlisted, areas)})",
            "Add them to the list, so the comparators can use them, or remove their rows.",
        )
