"""The workbook of ``measures run --format xlsx`` and formula neutralisation in CSV and xlsx."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from framework.engine.output import write_results
from framework.engine.spreadsheet import FORMULA_LEADS, neutralise, neutralise_frame, sheet_names
from tests.cli.helpers import invoke

HOSTILE = '=HYPERLINK("http://example.invalid","click")'


def results() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "measure": ["homicide", "homicide", "a" * 40, "a" * 40],
            "area_code": ["E23000017"] * 4,
            "area": ["Warwickshire"] * 4,
            "component": [None, HOSTILE, None, "@SUM(A1)"],
            "period_end": ["2023-03-31", "2023-06-30", "2023-03-31", "2023-06-30"],
            "window": ["12 months to March 2023"] * 4,
            "value": [4.0, 5.0, 76.25, 81.5],
            "unit": ["offences", "offences", "%", "%"],
            "change": [-3.0, 1.0, -0.5, 2.25],
            "change_p_value": [0.5, 0.04, None, None],
            "period": [24278, 24281, 24278, 24281],
            "definition_file": ["measures/definitions/homicide.yaml"] * 2 + ["x.yaml"] * 2,
            "definition_sha256": ["ab" * 32] * 4,
            "dataset": ["home_office_prc"] * 4,
            "source_files": ["data/x.parquet"] * 4,
            "source_sha256": ["cd" * 32] * 4,
        }
    )


@given(st.text())
def test_neutralised_text_never_starts_a_formula_and_keeps_its_content(text: str) -> None:
    safe = neutralise(text)
    assert not safe.startswith(FORMULA_LEADS)
    assert safe == text or safe == "'" + text


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.none(), st.booleans()))
def test_numbers_are_left_alone(value: object) -> None:
    assert neutralise(value) == value


cells = st.one_of(
    st.sampled_from(["=1+1", "+44", "-3", "@SUM(A1)", "\tx", "\rx", "plain", "'=quoted", ""]),
    st.text(max_size=6),
    st.none(),
    st.just(float("nan")),
    st.integers(-5, 5),
    st.booleans(),
)


@given(st.lists(st.tuples(cells, cells), min_size=0, max_size=30), st.booleans())
def test_a_frame_is_neutralised_as_each_of_its_cells(
    rows: list[tuple[object, object]], as_string: bool
) -> None:
    frame = pd.DataFrame(rows, columns=["mixed", "text"], dtype=object)
    frame["number"] = range(len(frame))
    if as_string:  # a text column of pandas' string dtype, as the engine's rows have
        frame["text"] = frame["text"].map(lambda v: v if isinstance(v, str) else None)
        frame["text"] = frame["text"].astype("string")
    safe = neutralise_frame(frame)
    expected = frame.copy()
    for column in ("mixed", "text"):
        cells = [neutralise(v) for v in frame[column].tolist()]
        assert [repr(v) for v in safe[column].tolist()] == [repr(v) for v in cells]
        expected[column] = pd.Series(cells, dtype=object)
    assert safe["number"].tolist() == list(range(len(frame)))
    assert safe.to_csv(index=False) == expected.to_csv(index=False)


@given(st.lists(st.text(min_size=1, max_size=50), min_size=1, max_size=20, unique=True))
def test_sheet_names_are_valid_and_unique(measures: list[str]) -> None:
    names = sheet_names(measures)
    assert len({n.casefold() for n in names.values()} | {"provenance"}) == len(measures) + 1
    for name in names.values():
        assert 1 <= len(name) <= 31
        assert not set(name) & set("[]:*?/\\")


def test_the_workbook_has_a_sheet_per_measure_and_provenance(tmp_path: Path) -> None:
    out = tmp_path / "figures.xlsx"
    write_results(results(), "xlsx", out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["homicide", "a" * 31, "Provenance"]
    sheet = book["homicide"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["measure", "area_code", "area"] and "period" not in header
    row = {h: c for h, c in zip(header, sheet[3], strict=True)}
    assert row["value"].value == 5 and row["value"].number_format == "#,##0"
    assert row["change_p_value"].number_format == "0.0000"
    # Formula-like text is text, not a formula.
    assert row["component"].data_type == "s"
    assert row["component"].value == "'" + HOSTILE
    percent = {h: c for h, c in zip(header, book["a" * 31][2], strict=True)}
    assert percent["value"].value == 76.25 and percent["value"].number_format == "#,##0.0##"
    assert book["a" * 31]["D3"].value == "'@SUM(A1)"
    provenance = book["Provenance"]
    assert [c.value for c in provenance[1]][:3] == [
        "measure",
        "definition_file",
        "definition_sha256",
    ]
    assert [c.value for c in provenance[2]][:2] == [
        "homicide",
        "measures/definitions/homicide.yaml",
    ]
    assert provenance.max_row == 3


def test_csv_text_is_neutralised_and_numbers_kept(tmp_path: Path) -> None:
    out = tmp_path / "figures.csv"
    write_results(results(), "csv", out)
    frame = pd.read_csv(io.StringIO(out.read_text(encoding="utf-8")))
    assert frame["component"].iloc[1] == "'" + HOSTILE
    assert frame["change"].iloc[0] == -3.0  # a negative number is a number, not a formula


def test_xlsx_needs_an_output_file() -> None:
    result = invoke("run", "--format", "xlsx")
    assert result.exit_code == 2
    assert "--format xlsx needs --out FILE" in result.stderr
