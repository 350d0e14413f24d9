"""The sql adapter's options: one connection, one source, read-only, and no secrets in YAML."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from framework.model.sql_options import SqlTableOptions
from tests.cli.helpers import invoke

BASE: dict[str, object] = {"kind": "sql", "connection": "w", "table": "t", "date_column": "d"}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"connection": "postgres://u:pw@host/db"}, "never a URL or a password in YAML"),
        ({"connection": "reader password=x"}, "never a URL or a password in YAML"),
        ({"connection_env": "postgres://h/db"}, "names an environment variable"),
        ({"connection_env": "WH_URL"}, "exactly one of connection"),
        ({"query": "SELECT 1"}, "exactly one of table or query"),
        ({"table": None, "query": "DELETE FROM t"}, "read-only SELECT"),
        ({"table": None, "query": "SELECT 1; DROP TABLE t"}, "one statement"),
        (
            {"table": None, "query": "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x"},
            "'INSERT'",
        ),
        ({"table": "t; drop"}, "schema.name"),
        ({"period_column": "p"}, "exactly one of date_column or period_column"),
        ({"value_column": "v", "value_columns": ["a"]}, "not both"),
    ],
)
def test_bad_options_are_refused(change: dict[str, object], words: str) -> None:
    values = {**BASE, **change}
    values = {key: value for key, value in values.items() if value is not None}
    with pytest.raises(ValidationError, match=words.replace("(", r"\(")):
        SqlTableOptions.model_validate(values)


def test_good_options() -> None:
    options = SqlTableOptions.model_validate(
        {**BASE, "table": None, "query": "  select * from s.t where x = 1 ;  "}
    )
    assert options.query == "select * from s.t where x = 1"
    assert options.timeout_seconds == 120


def test_a_password_in_a_dataset_is_a_located_finding(tmp_path: Path) -> None:
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "survey.yaml").write_text(
        "dataset:\n"
        "  id: survey\n"
        "  title: Survey\n"
        "  adapter:\n"
        "    kind: sql\n"
        "    connection: postgresql://analyst:Winter2024@db/warehouse\n"
        "    table: survey.responses\n"
        "    date_column: responded_on\n"
        "  path: connections.yaml\n"
        "  grain: month\n"
        "  provenance: {publisher: Force, title: Survey}\n",
        encoding="utf-8",
    )
    result = invoke("validate", str(tmp_path / "datasets" / "survey.yaml"), "--format", "text")
    assert result.exit_code == 1
    assert "survey.yaml:6:" in result.output
    assert "SCH003" in result.output
    assert "never a URL or a password in YAML" in result.output


def test_a_mean_over_a_sql_dataset_is_refused(tmp_path: Path, duckdb_catalogue: Path) -> None:
    import shutil

    import yaml

    from framework.loading.layers import national_root

    root = tmp_path / "c"
    shutil.copytree(duckdb_catalogue, root)
    # The force replaces the national definition with one that takes a mean of the counts.
    national = national_root() / "definitions" / "drug_related_homicide.yaml"
    document = yaml.safe_load(national.read_text(encoding="utf-8"))
    document["measure"]["aggregation"] = {"kind": "mean", "column": "value"}
    (root / "definitions").mkdir()
    file = root / "definitions" / "drug_related_homicide.yaml"
    file.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    spec = yaml.safe_load((root / "catalogue.yaml").read_text(encoding="utf-8"))
    spec["catalogue"]["replaces"].append("drug_related_homicide")
    (root / "catalogue.yaml").write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    result = invoke("validate", str(root))
    assert result.exit_code == 1, result.output
    assert "error SQL001 a mean over 'force_drug_related_homicides' would divide" in result.output
    assert "definitions/drug_related_homicide.yaml:" in result.output
