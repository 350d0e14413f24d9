"""A force profile: everything another force writes to reuse the catalogue with its own data."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from framework.model.base import Definition, PeriodText, Slug


class MostSimilarGroup(Definition):
    """The force's Most Similar Group of forces, as dated by whoever supplied it."""

    members: list[str] = Field(default_factory=list)
    """Force names or ONS codes of the other members (the force itself is added); while the
    list is empty, measures are not compared with the group."""
    as_of: PeriodText | None = None
    """When the group was drawn up (``YYYY-MM``)."""
    illustrative: bool = False
    """True when the group is not an official list; charts and reports then say so."""
    source: str = "HMICFRS most similar groups"


class ComparatorGroup(Definition):
    """A named group of forces a measure may compare with."""

    id: Slug
    title: str
    members: list[str] = Field(min_length=1)


class Commentary(Definition):
    """Where the force's and the PCC office's commentary is kept."""

    folder: str = "commentary"
    """Folder in the catalogue of ``<force id>/<period>/<measure>.force.md`` and ``.pcc.md``."""


class Force(Definition):
    """A police force as the statement's subject: name, code, region, comparators, data."""

    id: Slug
    name: str
    """The force name as the Home Office tables spell it."""
    ons_code: str = Field(pattern=r"^(E23|W15)[0-9]{6}$")
    region: str
    pcc_office: str
    """The name the statement is published under."""
    office_kind: Literal["pcc", "pfcc", "mayor", "police_authority"] = "pcc"
    """Who oversees the force: a Police and Crime Commissioner (``pcc``), a Police, Fire and
    Crime Commissioner (``pfcc``), a mayor (``mayor``) or, in the City of London, the police
    authority (``police_authority``); the statement's commentary headings follow it."""
    msg: MostSimilarGroup
    groups: list[ComparatorGroup] = Field(default_factory=list)
    population: Slug = "ons_population"
    """Id of the population dataset."""
    datasets: dict[Slug, str] = Field(default_factory=dict)
    """Override a dataset's path with the force's own copy: ``{dataset id: path}``."""
    default: bool = False
    """True for the force that commands use when none is named (one per catalogue)."""
    reporting_period: PeriodText | None = None
    """The statement's default quarter (``2021/22-Q4``); the latest with data when omitted."""
    commentary: Commentary = Field(default_factory=Commentary)
