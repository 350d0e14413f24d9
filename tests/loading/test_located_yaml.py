"""The safe loader: positions of keys and values, and refusals as findings, never crashes."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from framework.loading.catalogue import load_catalogue
from framework.loading.located_yaml import MAX_DEPTH, MAX_FILE_BYTES, load_located

BILLION_LAUGHS = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def codes(text: str) -> list[tuple[str, int | None, int | None]]:
    _, findings = load_located(text, "f.yaml")
    return [(f.code, f.location.line, f.location.column) for f in findings]


def test_positions_of_keys_and_values() -> None:
    located, findings = load_located("a:\n  b: [x, y]\n  c: {d: 1}\n", "f.yaml")
    assert not findings and located is not None
    assert located.data == {"a": {"b": ["x", "y"], "c": {"d": 1}}}
    assert located.positions[("a", "b")] == (2, 3)
    assert located.values[("a", "b")] == (2, 6)
    assert located.positions[("a", "b", 1)] == (2, 10)
    assert located.values[("a", "c", "d")] == (3, 10)


def test_location_falls_back_to_the_nearest_parent() -> None:
    located, _ = load_located("a:\n  b: 1\n", "f.yaml")
    assert located is not None
    where = located.location("f.yaml", ("a", "missing"))
    assert (where.line, where.column, where.dotted) == (1, 1, "a.missing")


def test_timestamps_stay_as_written() -> None:
    located, _ = load_located("start: 2019-06-30\nend: 2019-06\n", "f.yaml")
    assert located is not None
    assert located.data == {"start": "2019-06-30", "end": "2019-06"}


def test_python_tag_is_refused_and_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f'!!python/object/apply:os.system ["touch {marker}"]\n'
    assert codes(text) == [("YAML003", 1, 1)]
    assert codes('!!python/object/apply:os.system ["echo hi"]\n') == [("YAML003", 1, 1)]
    assert not marker.exists()


def test_python_tag_on_a_key_is_refused() -> None:
    assert codes("!!python/name:os.system : 1\n") == [("YAML003", 1, 1)]


def test_python_tag_message_shows_the_tag_as_written() -> None:
    _, findings = load_located("a: !!python/object/apply:os.system [x]\n", "f.yaml")
    assert "`!!python/object/apply:os.system`" in findings[0].message


def test_billion_laughs_stops_quickly() -> None:
    started = time.perf_counter()
    assert codes(BILLION_LAUGHS) == [("YAML005", 1, 1)]
    assert time.perf_counter() - started < 1.0


def test_deep_flow_nesting_stops_quickly() -> None:
    depth = 100_000  # 200 KB of brackets: PyYAML would scan these in quadratic time
    started = time.perf_counter()
    found = codes("a: " + "[" * depth + "]" * depth + "\n")
    assert found == [("YAML005", 1, 4 + MAX_DEPTH)]
    assert time.perf_counter() - started < 1.0


def test_deep_block_nesting_is_refused() -> None:
    text = "a:\n" + "".join(" " * i + "- \n" for i in range(1, 600))
    assert [code for code, _, _ in codes(text)] == ["YAML005"]


def test_self_referencing_alias_is_refused() -> None:
    assert codes("a: &x [*x]\n") == [("YAML005", 1, 1)]


def test_list_document_is_loaded_then_refused_by_the_schema_stage(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- measure: {id: homicide}\n", encoding="utf-8")
    assert [(f.code, f.location.line) for f in load_catalogue(path).findings] == [("YAML006", 1)]


def test_a_300_kb_file_is_refused_before_parsing() -> None:
    text = "measure:\n  description: " + "x" * 300 * 1024 + "\n"
    assert len(text.encode()) > MAX_FILE_BYTES
    started = time.perf_counter()
    assert codes(text) == [("YAML002", 1, 1)]
    assert time.perf_counter() - started < 0.1


def test_empty_file() -> None:
    assert codes("") == [("YAML006", 1, 1)]


def test_duplicate_key_is_a_finding_and_keeps_the_first() -> None:
    located, findings = load_located("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert located is not None and located.data == {"a": 1, "b": 2}
    assert [(f.code, f.location.line, f.location.column) for f in findings] == [("YAML004", 3, 1)]
    assert "line 1" in findings[0].hint


def test_several_documents() -> None:
    assert codes("a: 1\n---\nb: 2\n") == [("YAML007", 2, 1)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: [1, 2\nb: 3\n", ("YAML001", 2, 2)),
        ("a: 1\n  b: 2\n", ("YAML001", 2, 4)),
        ('a: "open\n', ("YAML001", 2, 1)),
        ("a: *nowhere\n", ("YAML001", 1, 4)),
        ("a: 1\nb: x\x07y\n", ("YAML001", 2, 5)),
        ("? [a, b]\n: 1\n", ("YAML001", 1, 3)),
        ("a: " + "1" * 5000 + "\n", ("YAML001", 1, 4)),
    ],
    ids=["unclosed", "indent", "quote", "alias", "control", "complex-key", "huge-int"],
)
def test_syntax_and_unreadable_values(text: str, expected: tuple[str, int, int]) -> None:
    assert codes(text) == [expected]


def test_syntax_message_says_where_the_bracket_opened() -> None:
    _, findings = load_located("a: [1, 2\nb: 3\n", "f.yaml")
    assert "at line 1" in findings[0].message


def test_merge_keys_are_refused() -> None:
    assert codes("a: &x {b: 1}\nc:\n  <<: *x\n") == [("YAML003", 3, 3)]


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("measure:\n  title: Caf\xe9\n".encode("latin-1"))
    findings = load_catalogue(path).findings
    assert [(f.code, f.location.line, f.location.column) for f in findings] == [("YAML001", 1, 1)]


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "folder.yaml"
    path.mkdir()
    catalogue = load_catalogue(tmp_path)
    assert [f.code for f in catalogue.findings] == ["YAML001"]


def test_no_shell_was_spawned_by_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(command: str) -> int:
        raise AssertionError(f"os.system was called with {command!r}")

    monkeypatch.setattr(os, "system", refuse)
    assert codes('measure: !!python/object/apply:os.system ["echo hi"]\n')[0][0] == "YAML003"


def test_findings_do_not_depend_on_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    from framework.loading import located_yaml

    broken = sorted((Path(__file__).parents[1] / "fixtures" / "broken").rglob("*.yaml"))
    texts = [path.read_text(encoding="utf-8") for path in broken]
    fast = [load_located(text, "f.yaml") for text in texts]
    monkeypatch.setattr(located_yaml, "_FAST_LOADER", None)
    pure = [load_located(text, "f.yaml") for text in texts]
    assert fast == pure
