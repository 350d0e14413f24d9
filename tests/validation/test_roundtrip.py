"""Any valid model survives the trip to YAML and back through the loader and schema stage."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framework.loading.located_yaml import load_located
from framework.loading.schema_stage import validate_document
from framework.model.documents import DOCUMENT_KINDS
from tests.validation.model_strategies import periods, slugs, strategy_for

KIND_MODELS = {
    kind: file_model.model_fields[kind].annotation for kind, file_model in DOCUMENT_KINDS.items()
}

documents = st.sampled_from(sorted(KIND_MODELS)).flatmap(
    lambda kind: st.tuples(st.just(kind), strategy_for(KIND_MODELS[kind]))  # type: ignore[arg-type]
)


def round_trip(kind: str, model: Any) -> Any:
    text = yaml.safe_dump(
        {kind: model.model_dump(mode="json", by_alias=True, exclude_defaults=False)},
        sort_keys=False,
        allow_unicode=True,
    )
    located, findings = load_located(text, "generated.yaml")
    assert findings == [] and located is not None, text
    document, findings = validate_document("generated.yaml", located)
    assert findings == [] and document is not None, (text, findings)
    return getattr(document.model, kind)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_every_kind_round_trips(document: tuple[str, Any]) -> None:
    kind, model = document
    assert round_trip(kind, model) == model


@given(slugs)
def test_slugs_are_valid_ids(slug: str) -> None:
    from pydantic import TypeAdapter

    from framework.model.base import Slug

    assert TypeAdapter(Slug).validate_python(slug) == slug


@given(periods)
def test_periods_parse(period: str) -> None:
    from framework.periods import parse_period

    assert parse_period(period).months in {1, 3}
