"""The chart-kind tables: the model's names and the renderers' rows list the same kinds."""

from __future__ import annotations

import pytest

from framework.model.chart_kinds import CHART_KINDS
from framework.model.measure import Presentation
from renderers.builtin_chart_kinds import BUILT_IN
from renderers.chart_kinds import (
    chart_kind,
    chart_kind_names,
    register_chart_kind,
    unregister_chart_kind,
)
from tests.renderers.samples import all_inputs, kind_of


def test_the_model_and_the_renderers_name_the_same_kinds_in_one_order() -> None:
    assert tuple(CHART_KINDS) == chart_kind_names() == tuple(entry.name for entry in BUILT_IN)


def test_every_kind_has_a_description_and_words_of_its_own() -> None:
    for entry in BUILT_IN:
        assert CHART_KINDS[entry.name].strip()
        assert entry.describe is not None, entry.name


def test_each_kinds_sample_is_of_its_input_class() -> None:
    for name, inputs in all_inputs().items():
        assert isinstance(inputs, chart_kind(kind_of(name)).inputs), name


def test_the_schema_lists_every_kind() -> None:
    items = Presentation.model_json_schema()["properties"]["charts"]["items"]
    assert items == {"enum": list(CHART_KINDS), "type": "string"}


def test_an_unknown_kind_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown chart kind 'pie'; expected one of \('trend'"):
        chart_kind("pie")


def test_a_kind_cannot_be_registered_twice_nor_a_built_in_one_removed() -> None:
    with pytest.raises(ValueError, match="already registered"):
        register_chart_kind(BUILT_IN[0], "a second trend")
    with pytest.raises(ValueError, match="built in"):
        unregister_chart_kind("trend")
    assert tuple(CHART_KINDS) == chart_kind_names()
