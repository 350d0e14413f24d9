"""Connections come from a named entry or an environment variable, and never show a secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from framework.model.sql_options import SqlTableOptions
from framework.sources.base import SourceError
from framework.sources.sql_connections import connection_for


def _options(**values: object) -> SqlTableOptions:
    base: dict[str, object] = {"kind": "sql", "table": "t", "date_column": "d"}
    base.update(values)
    return SqlTableOptions.model_validate(base)


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "connections.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_named_entry_reads_its_password_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _file(
        tmp_path,
        "connections:\n  warehouse:\n    backend: postgresql\n    host: db.example\n"
        "    port: 5433\n    database: crime\n    user: reader\n    password_env: WH_PASS\n",
    )
    monkeypatch.setenv("WH_PASS", "s3cret-word")
    connection = connection_for(_options(connection="warehouse"), path, tmp_path)
    assert connection.backend == "postgres"
    assert connection.settings == {
        "host": "db.example",
        "port": 5433,
        "database": "crime",
        "user": "reader",
    }
    assert connection.password == "s3cret-word"
    assert connection.label == "warehouse (postgres: db.example)"
    assert "s3cret" not in repr(connection)


def test_password_written_in_the_file_is_refused(tmp_path: Path) -> None:
    path = _file(tmp_path, "connections:\n  w:\n    backend: postgres\n    password: hunter2\n")
    with pytest.raises(SourceError) as caught:
        connection_for(_options(connection="w"), path, tmp_path)
    assert "has a password written in the file" in caught.value.detail
    assert "password_env" in caught.value.hint
    assert "hunter2" not in str(caught.value) + caught.value.hint


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("connections:\n  other: {backend: duckdb}\n", "no connection named 'w'"),
        ("connections:\n  w: {backend: postgres, passwd_env: X}\n", "unknown key(s): passwd_env"),
        ("connections:\n  w: {host: h}\n", "does not say its backend"),
        ("connections: [w]\n", "no `connections:` mapping"),
        ("connections:\n  w: {backend: postgres, password_env: UNSET_VAR_X}\n", "not set"),
    ],
)
def test_bad_entries_say_what_is_wrong(tmp_path: Path, text: str, words: str) -> None:
    path = _file(tmp_path, text)
    with pytest.raises(SourceError) as caught:
        connection_for(_options(connection="w"), path, tmp_path)
    assert words in caught.value.detail


def test_missing_file_says_how_to_write_it(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        connection_for(_options(connection="w"), tmp_path / "connections.yaml", tmp_path)
    assert "no connections file" in caught.value.detail
    assert "ignored by git" in caught.value.hint


def test_environment_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WH_URL", "postgresql://reader:p%40ss@db.example:5433/crime?sslmode=require")
    connection = connection_for(_options(connection_env="WH_URL"), tmp_path / "x", tmp_path)
    assert connection.backend == "postgres"
    assert connection.password == "p@ss"
    assert connection.settings == {
        "host": "db.example",
        "port": 5433,
        "user": "reader",
        "database": "crime",
        "sslmode": "require",
    }
    assert "p@ss" not in connection.label


def test_environment_url_for_an_embedded_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMBEDDED", "duckdb://data/force.duckdb")
    connection = connection_for(_options(connection_env="EMBEDDED"), tmp_path / "x", tmp_path)
    assert connection.settings["database"] == str(tmp_path / "data/force.duckdb")
    assert connection.label == "EMBEDDED (duckdb: force.duckdb)"


def test_unset_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WH_URL", raising=False)
    with pytest.raises(SourceError, match="WH_URL is not set"):
        connection_for(_options(connection_env="WH_URL"), tmp_path / "x", tmp_path)
