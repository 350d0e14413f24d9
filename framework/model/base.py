"""The shared base of every definition model: frozen, strict about unknown keys, documented."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", min_length=2, max_length=64),
]
"""An identifier: lower case letters, digits and underscores, starting with a letter."""

PeriodText = Annotated[str, StringConstraints(min_length=4, max_length=16)]
"""A period string; its form is checked by :func:`framework.periods.parse_period`."""


class Definition(BaseModel):
    """Base of every model in the catalogue: immutable, and unknown keys are an error."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        use_attribute_docstrings=True,
        str_strip_whitespace=True,
    )
