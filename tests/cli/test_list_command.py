"""``measures list``: the catalogue's measures as a table or JSON, in statement order."""

from __future__ import annotations

import json

from tests.cli.helpers import CATALOGUE_BAD, CATALOGUE_OK, invoke


def test_json_rows() -> None:
    result = invoke("list", str(CATALOGUE_OK), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [row["id"] for row in rows] == [
        "homicide",
        "victim_satisfaction",
        "victim_satisfaction_csew",
    ]
    homicide, proxy, unavailable = rows
    assert homicide["national_available"] is True
    assert homicide["source_dataset"] == "recorded_crime"
    assert (proxy["kind"], proxy["proxy_for"]) == ("proxy", "victim_satisfaction_csew")
    assert proxy["national_available"] is None
    assert (unavailable["national_available"], unavailable["source_dataset"]) == (False, None)


def test_table_has_every_column_and_id() -> None:
    result = invoke("list", str(CATALOGUE_OK))
    assert result.exit_code == 0
    for text in (
        "id",
        "priority",
        "kind",
        "national available",
        "source dataset",
        "victim_satisfaction_csew",
        "recorded_crime",
        "3 measures",
    ):
        assert text in result.stdout


def test_broken_files_are_reported_and_exit_1() -> None:
    result = invoke("list", str(CATALOGUE_BAD), "--format", "json")
    assert result.exit_code == 1
    assert [row["id"] for row in json.loads(result.stdout)] == ["knife_crime", "satisfaction_csew"]
    assert "measures validate" in result.stderr
