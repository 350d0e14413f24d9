"""Read YAML safely into plain data, keeping the line and column of every key and value.

PyYAML's composer gives a node tree with marks; this module builds the Python data from
that tree itself, so it can refuse what a measure file never needs (language-specific
tags, runaway alias expansion, duplicate keys) as findings rather than crash or hang.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import yaml

from framework.validation.findings import Finding, Level, Location

KeyPath = tuple[str | int, ...]

MAX_FILE_BYTES: Final = 256 * 1024
"""Larger files are refused: a measure definition is a few kilobytes."""
MAX_NODES: Final = 20_000
"""Nodes visited while building a document, aliases counted each time they are expanded."""

_PLAIN_TAGS: Final = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass(frozen=True)
class LocatedData:
    """A YAML document as plain data, with the (line, column) of each key path, 1-based."""

    data: Any
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def location(self, file: str, path: KeyPath) -> Location:
        """Return the location of ``path``, or of its nearest located parent."""
        probe = path
        while probe and probe not in self.positions:
            probe = probe[:-1]
        line, column = self.positions.get(probe, (1, 1))
        return Location(file, line, column, path)


class _Budget:
    """Counts nodes so an alias bomb stops early instead of exhausting memory."""

    def __init__(self) -> None:
        self.left = MAX_NODES

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise _TooLarge


class _TooLarge(Exception):
    pass


class _Refused(Exception):
    def __init__(self, finding: Finding) -> None:
        self.finding = finding


def load_located(text: str, file: str) -> tuple[LocatedData | None, list[Finding]]:
    """Parse one YAML document; return its located data, or None and the findings why not."""
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        return None, [
            Finding(
                Location(file, 1, 1),
                "YAML002",
                Level.ERROR,
                f"the file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                "Split it: one measure, dataset or force per file.",
            )
        ]
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_finding(file, error)]
    except yaml.YAMLError as error:
        return None, [Finding(Location(file, 1, 1), "YAML001", Level.ERROR, str(error))]
    finally:
        loader.dispose()
    if node is None:
        return None, [
            Finding(
                Location(file, 1, 1),
                "YAML006",
                Level.ERROR,
                "the file is empty",
                "Start it with a top-level key such as `measure:`.",
            )
        ]
    positions: dict[KeyPath, tuple[int, int]] = {}
    findings: list[Finding] = []
    try:
        data = _build(node, (), positions, findings, file, _Budget(), yaml.SafeLoader(""))
    except _TooLarge:
        return None, [
            Finding(
                Location(file, node.start_mark.line + 1, node.start_mark.column + 1),
                "YAML005",
                Level.ERROR,
                f"the document expands to more than {MAX_NODES:,} nodes (an alias bomb?)",
                "Write the values out instead of nesting anchors and aliases.",
            )
        ]
    except _Refused as refused:
        return None, [refused.finding]
    return LocatedData(data, positions), findings


def _syntax_finding(file: str, error: yaml.MarkedYAMLError) -> Finding:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = error.problem or "invalid YAML"
    context = f" ({error.context})" if error.context else ""
    code, hint = "YAML001", "Check the indentation and quoting on this line and the one above."
    if "expected a single document" in str(error):
        code, hint = "YAML007", "Keep one document per file; remove the extra `---`."
    return Finding(Location(file, line, column), code, Level.ERROR, f"{problem}{context}", hint)


def _build(
    node: yaml.Node,
    path: KeyPath,
    positions: dict[KeyPath, tuple[int, int]],
    findings: list[Finding],
    file: str,
    budget: _Budget,
    scalar_loader: yaml.SafeLoader,
) -> Any:
    budget.spend()
    positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if node.tag not in _PLAIN_TAGS:
        raise _Refused(
            Finding(
                Location(file, node.start_mark.line + 1, node.start_mark.column + 1, path),
                "YAML003",
                Level.ERROR,
                f"the tag {node.tag!r} is not allowed",
                "Measure files hold plain values only; remove the tag.",
            )
        )
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            budget.spend()
            key = str(scalar_loader.construct_scalar(key_node))  # type: ignore[arg-type]
            key_path = (*path, key)
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in result:
                findings.append(
                    Finding(
                        Location(file, *where, key_path),
                        "YAML004",
                        Level.ERROR,
                        f"the key {key!r} appears twice in this mapping",
                        f"Keep one {key!r}; the first is at line {positions[key_path][0]}.",
                    )
                )
                continue
            positions[key_path] = where
            result[key] = _build(
                value_node, key_path, positions, findings, file, budget, scalar_loader
            )
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, (*path, index), positions, findings, file, budget, scalar_loader)
            for index, item in enumerate(node.value)
        ]
    return _scalar(node, scalar_loader)


def _scalar(node: yaml.Node, loader: yaml.SafeLoader) -> Any:
    raw = loader.construct_scalar(node)  # type: ignore[arg-type]
    tag = node.tag.rsplit(":", 1)[-1]
    if tag in {"int", "float", "bool", "null"}:
        return loader.yaml_constructors[node.tag](loader, node)  # type: ignore[index]
    # Timestamps stay as written: periods and dates are parsed by the models, not by YAML.
    return raw
