"""The generated reference documents every model and field, with readable types."""

from __future__ import annotations

from typing import Annotated, Literal

from framework.loading.model_paths import models_at
from framework.model.base import PeriodText, Slug
from framework.model.documents import DOCUMENT_KINDS
from framework.model.measure import Caveat, PeriodWindow, RollingWindow
from framework.schema.json_schema import document_schema
from framework.schema.reference import reference_text, type_markdown


def test_types_read_like_python() -> None:
    assert type_markdown(list[str]) == "`list[str]`"
    assert type_markdown(Literal["rolling", "period"]) == '`"rolling" \\| "period"`'
    assert type_markdown(RollingWindow | PeriodWindow) == (
        "[RollingWindow](#rollingwindow) \\| [PeriodWindow](#periodwindow)"
    )
    assert type_markdown(list[Caveat]) == "list\\[[Caveat](#caveat)\\]"
    assert type_markdown(str | None) == "`str`"
    assert type_markdown(Annotated[str, "x"]) == "`str`"
    assert type_markdown(Slug) == "`slug`"
    assert type_markdown(PeriodText | None) == "`period`"
    assert type_markdown(dict[str, int]) == "`dict[str, int]`"


def test_every_model_and_field_is_documented() -> None:
    text = reference_text()
    for kind, file_model in DOCUMENT_KINDS.items():
        assert f"| `{kind}:` |" in text
        for model in models_at(file_model, (kind,)):
            assert f"### {model.__name__}\n" in text
            for name in model.model_fields:
                assert f"| `{name}` |" in text
        for name in document_schema(kind).get("$defs", {}):
            assert f"### {name}\n" in text, f"{name} has no section"


def test_meanings_come_from_attribute_docstrings() -> None:
    text = reference_text()
    assert "| `months` | `int` | required | At least 1. At most 60. |" in text
    assert "Id of one of the six national priorities (`priorities.yaml`)." in text
    assert (
        "| `window` | [RollingWindow](#rollingwindow) \\| [PeriodWindow](#periodwindow) | " in text
    )
    assert '`{"kind": "rolling", "months": 12}`' in text


def test_reference_ends_with_one_newline() -> None:
    text = reference_text()
    assert text.endswith("|\n") and not text.endswith("\n\n")
