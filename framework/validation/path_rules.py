"""Rules that keep every path a definition names inside the catalogue, links followed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from framework.findings.codes import Code
from framework.findings.finding import Finding, Location
from framework.loading.catalogue import Catalogue, display_name
from framework.loading.containment import (
    catalogue_roots,
    escaping_entries,
    path_problem,
    safe_resolve,
)
from framework.validation.rules import Rule

HINT = "Keep the files inside the catalogue folder and write the path relative to it."


def path_findings(
    rule: Rule, text: str, roots: Sequence[Path], location: Location, base: Path | None = None
) -> Iterator[Finding]:
    """Yield a finding when ``text`` (from ``base``) leaves the catalogue, or a link below does."""
    problem = path_problem(text, roots, base)
    shown = text.replace("\x00", "\\0")
    if problem is not None:
        yield rule.finding(location, f"the path {shown!r} is refused: {problem}", HINT)
        return
    target = (base or roots[0]) / text
    resolved = safe_resolve(target)
    inside_root = resolved is not None and resolved.is_relative_to(roots[0].resolve())
    if resolved is not None and resolved.is_dir() and not inside_root:
        # Folders in the catalogue's own tree are walked once, by DefinitionFilesInside.
        yield from link_findings(rule, resolved, roots, roots[0])


def link_findings(rule: Rule, folder: Path, roots: Sequence[Path], root: Path) -> Iterator[Finding]:
    """Yield a finding for each link below ``folder`` that leaves the catalogue or loops."""
    for entry, reason in escaping_entries(folder, roots):
        yield rule.finding(
            Location(display_name(entry, root)),
            f"{reason}, so the file is refused",
            "Copy the file into the catalogue instead of linking to it.",
        )


class ForcePathsInside(Rule):
    """A force profile's dataset overrides and commentary folder stay inside the catalogue."""

    code = Code.RUL013

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding per override or commentary folder that leads out of the catalogue."""
        roots = catalogue_roots(catalogue)
        for item in catalogue.forces:
            for dataset_id, path in item.model.datasets.items():
                yield from path_findings(
                    self, path, roots, item.value_location("datasets", dataset_id)
                )
            folder = item.model.commentary.folder
            yield from path_findings(
                self, folder, roots, item.value_location("commentary", "folder")
            )


class DefinitionFilesInside(Rule):
    """The definition files of a catalogue are its own, not links to files elsewhere."""

    code = Code.RUL014

    def check(self, catalogue: Catalogue) -> Iterator[Finding]:
        """Yield a finding per link among the definition folders that leaves or loops."""
        roots = catalogue_roots(catalogue)
        if not catalogue.root.is_dir():
            return
        for entry, reason in escaping_entries(catalogue.root, roots):
            yield self.finding(
                Location(display_name(entry, catalogue.root)),
                f"{reason}, so it is not read",
                "Copy the file into the catalogue instead of linking to it.",
            )
