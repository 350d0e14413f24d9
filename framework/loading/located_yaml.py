"""Read YAML safely into plain data, keeping the line and column of every key and value.

PyYAML's composer gives a node tree with marks; this module builds the Python data from
that tree itself, so it can refuse what a measure file never needs (language-specific
tags, runaway alias expansion, deep nesting, duplicate keys) as findings rather than
crash or hang.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import yaml

from framework.findings.codes import Code
from framework.findings.finding import Finding, Level, Location

KeyPath = tuple[str | int, ...]

MAX_FILE_BYTES: Final = 256 * 1024
"""Larger files are refused: a measure definition is a few kilobytes."""
MAX_NODES: Final = 20_000
"""Nodes visited while building a document, aliases counted each time they are expanded."""
MAX_DEPTH: Final = 64
"""Deepest nesting of mappings and lists; a definition needs fewer than ten levels."""

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
_MERGE_TAG: Final = "tag:yaml.org,2002:merge"
_WORDS: Final = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "null": "nothing",
}
_CONSTRUCTED: Final = frozenset(_WORDS)


@dataclass(frozen=True)
class LocatedData:
    """A YAML document as plain data, with the (line, column) of each key path, 1-based.

    ``positions`` holds where each key is written (for a list item, where the item
    starts); ``values`` where each value starts, which for ``months: twelve`` is the
    word after the colon.
    """

    data: Any
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    values: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def location(self, file: str, path: KeyPath) -> Location:
        """Return the location of the key at ``path``, or of its nearest located parent."""
        probe = path
        while probe and probe not in self.positions:
            probe = probe[:-1]
        line, column = self.positions.get(probe, (1, 1))
        return Location(file, line, column, path)

    def value_location(self, file: str, path: KeyPath) -> Location:
        """Return the location of the value at ``path``; of its key when it has no value."""
        if path in self.values:
            return Location(file, *self.values[path], path)
        return self.location(file, path)


class _TooLargeError(Exception):
    """Raised when the document expands past the node budget or the depth limit."""

    def __init__(self, message: str, hint: str, where: tuple[int, int] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.where = where


_FAST_LOADER: Final[type[yaml.CSafeLoader] | None] = getattr(yaml, "CSafeLoader", None)
"""libyaml's safe loader, when PyYAML was built with it."""
_ALIAS_HINT: Final = "Write the values out instead of nesting anchors and aliases."
_DEPTH_HINT: Final = "Flatten the structure: a definition needs only a few levels."


class _GuardedLoader(yaml.SafeLoader):
    """A safe loader that stops at deep flow nesting, which PyYAML scans in quadratic time."""

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:  # noqa: N803 (PyYAML's name)
        """Refuse a ``[`` or ``{`` past the depth limit, then scan it as usual."""
        if self.flow_level >= MAX_DEPTH:
            mark = self.get_mark()
            raise _TooLargeError(
                f"the document nests more than {MAX_DEPTH} levels deep",
                _DEPTH_HINT,
                (mark.line + 1, mark.column + 1),
            )
        super().fetch_flow_collection_start(TokenClass)


class _RefusedError(Exception):
    """Raised to stop building at the first node a definition may not contain."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


@dataclass
class _Builder:
    """Turns a node tree into plain data, recording positions and spending a node budget."""

    file: str
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    values: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    left: int = MAX_NODES
    open: set[int] = field(default_factory=set)
    """Ids of the collection nodes being built, to catch an alias that contains itself."""
    scalars: yaml.SafeLoader = field(default_factory=lambda: yaml.SafeLoader(""))

    def build(self, node: yaml.Node, path: KeyPath, depth: int = 0) -> Any:
        """Return the plain value of ``node``, found at ``path``."""
        self._spend(depth)
        self.positions.setdefault(path, _position(node))
        self.values.setdefault(path, _position(node))
        self._check_tag(node, path)
        if not isinstance(node, yaml.CollectionNode):
            return self._scalar(node, path)
        if id(node) in self.open:
            raise _TooLargeError("an alias refers to a value that contains it", _ALIAS_HINT)
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path, depth)
            return [
                self.build(item, (*path, index), depth + 1) for index, item in enumerate(node.value)
            ]
        finally:
            self.open.discard(id(node))

    def _spend(self, depth: int) -> None:
        self.left -= 1
        if self.left < 0:
            raise _TooLargeError(
                f"the document expands to more than {MAX_NODES:,} values (an alias bomb?)",
                _ALIAS_HINT,
            )
        if depth > MAX_DEPTH:
            raise _TooLargeError(
                f"the document nests more than {MAX_DEPTH} levels deep", _DEPTH_HINT
            )

    def _mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            self._spend(depth)
            key = self._key(key_node, path)
            key_path = (*path, key)
            where = _position(key_node)
            if key in result:
                # Kept as a finding, not refused, so the rest of the file is still checked.
                self.findings.append(
                    Finding(
                        Location(self.file, *where, key_path),
                        Code.YAML004,
                        Level.ERROR,
                        f"the key {key!r} appears twice in this mapping",
                        f"Keep one {key!r}; the first is at line {self.positions[key_path][0]}.",
                    )
                )
                continue
            self.positions[key_path] = where
            result[key] = self.build(value_node, key_path, depth + 1)
        return result

    def _key(self, node: yaml.Node, path: KeyPath) -> str:
        if node.tag == _MERGE_TAG:
            raise _RefusedError(
                self._refusal(
                    node,
                    path,
                    Code.YAML003,
                    "merge keys (`<<`) are not allowed",
                    "Write the keys out in full instead of merging an anchor.",
                )
            )
        self._check_tag(node, path)
        if not isinstance(node, yaml.ScalarNode):
            raise _RefusedError(
                self._refusal(
                    node,
                    path,
                    Code.YAML001,
                    "a key must be plain text, not a list or mapping",
                    "Write each key as a word followed by a colon.",
                )
            )
        return str(node.value)

    def _check_tag(self, node: yaml.Node, path: KeyPath) -> None:
        if node.tag not in _PLAIN_TAGS:
            raise _RefusedError(
                self._refusal(
                    node,
                    path,
                    Code.YAML003,
                    f"the tag `{_written_tag(node.tag)}` is not allowed",
                    "Measure files hold plain values only; remove the tag.",
                )
            )

    def _scalar(self, node: yaml.Node, path: KeyPath) -> Any:
        tag = node.tag.rsplit(":", 1)[-1]
        if tag not in _CONSTRUCTED:
            # Timestamps stay as written: periods and dates are parsed by the models, not YAML.
            return self.scalars.construct_scalar(node)  # type: ignore[arg-type]
        try:
            return self.scalars.yaml_constructors[node.tag](self.scalars, node)
        except (ValueError, yaml.YAMLError) as error:
            # Python refuses integers of more than 4,300 digits; say so rather than crash.
            reason = str(error).split(";", 1)[0]
            raise _RefusedError(
                self._refusal(
                    node,
                    path,
                    Code.YAML001,
                    f"the value cannot be read as {_WORDS[tag]}: {reason}",
                    "Quote the value to keep it as text.",
                )
            ) from error

    def _refusal(
        self, node: yaml.Node, path: KeyPath, code: str, message: str, hint: str
    ) -> Finding:
        return Finding(
            Location(self.file, *_position(node), path), code, Level.ERROR, message, hint
        )


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _written_tag(tag: str) -> str:
    """Spell a resolved tag the way it is written in the file (``!!python/...``)."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


def load_located(text: str, file: str) -> tuple[LocatedData | None, list[Finding]]:
    """Parse one YAML document; return its located data, or None and the findings why not."""
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_FILE_BYTES:
        return None, [
            Finding(
                Location(file, 1, 1),
                Code.YAML002,
                Level.ERROR,
                f"the file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                "Split it: one measure, dataset or force per file.",
            )
        ]
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_finding(file, error)]
    except yaml.YAMLError as error:
        return None, [_unmarked_finding(file, text, error)]
    except _TooLargeError as error:
        return None, [_too_large(file, error.where or (1, 1), error)]
    except RecursionError:
        # Block nesting deep enough to exhaust the composer's recursion; flow nesting stops above.
        deep = _TooLargeError(f"the document nests more than {MAX_DEPTH} levels deep", _DEPTH_HINT)
        return None, [_too_large(file, (1, 1), deep)]
    if node is None:
        return None, [
            Finding(
                Location(file, 1, 1),
                Code.YAML006,
                Level.ERROR,
                "the file is empty",
                "Start it with a top-level key such as `measure:`.",
            )
        ]
    builder = _Builder(file)
    try:
        data = builder.build(node, ())
    except _TooLargeError as error:
        return None, [_too_large(file, _position(node), error)]
    except _RefusedError as refused:
        return None, [refused.finding]
    return LocatedData(data, builder.positions, builder.values), builder.findings


def _compose(text: str) -> yaml.Node | None:
    """Compose the node tree, with libyaml when it is there (several times faster).

    libyaml caps nesting itself. Whenever it refuses a file, the file is composed again by
    the pure-Python loader, so a finding's wording and position never depend on whether
    libyaml is installed.
    """
    if _FAST_LOADER is not None:
        try:
            fast = _FAST_LOADER(text)
            try:
                node: yaml.Node | None = fast.get_single_node()
                return node
            finally:
                fast.dispose()
        except (yaml.YAMLError, UnicodeError):
            pass  # composed again below, for the finding
    # The loader is made inside the caller's try: its reader already rejects some characters.
    loader = _GuardedLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _too_large(file: str, where: tuple[int, int], error: _TooLargeError) -> Finding:
    return Finding(Location(file, *where), Code.YAML005, Level.ERROR, error.message, error.hint)


def _syntax_finding(file: str, error: yaml.MarkedYAMLError) -> Finding:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if error.context and "expected a single document" in error.context:
        return Finding(
            Location(file, line, column),
            Code.YAML007,
            Level.ERROR,
            "the file holds more than one YAML document",
            "Keep one document per file; remove the extra `---`.",
        )
    problem = error.problem or "invalid YAML"
    context = ""
    if error.context:
        # The parser notices a missing bracket or quote lines later; say where it began.
        started = error.context_mark
        at = f" at line {started.line + 1}" if started and started.line + 1 != line else ""
        context = f" ({error.context}{at})"
    return Finding(
        Location(file, line, column),
        Code.YAML001,
        Level.ERROR,
        f"{problem}{context}",
        "Check the indentation and quoting on this line and the one above.",
    )


def _unmarked_finding(file: str, text: str, error: yaml.YAMLError) -> Finding:
    # A reader error (a control character, say) carries a character offset, not a mark.
    line, column = 1, 1
    message = str(error).split("\n", 1)[0]
    if isinstance(error, yaml.reader.ReaderError) and isinstance(error.position, int):
        before = text[: error.position]
        line = before.count("\n") + 1
        column = error.position - (before.rfind("\n") + 1) + 1
        message = f"the character #x{error.character:04x} is not allowed in YAML"
    return Finding(
        Location(file, line, column),
        Code.YAML001,
        Level.ERROR,
        message,
        "Remove control characters; save the file as plain UTF-8 text.",
    )
