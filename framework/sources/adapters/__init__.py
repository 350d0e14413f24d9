"""Source adapters, one module per published format, and the one table of them by ``kind``.

Each module reads one format into the canonical tidy frame (:mod:`framework.sources.base`):
:mod:`~framework.sources.adapters.home_office`, :mod:`~framework.sources.adapters.ons_pfa`,
:mod:`~framework.sources.adapters.police_uk`, :mod:`~framework.sources.adapters.tidy`,
:mod:`~framework.sources.adapters.population` and :mod:`~framework.sources.adapters.sql`.
:data:`ADAPTERS` is the only place a kind is tied to its reader; each kind's options are a
model in :mod:`framework.model.adapters`. A format this package does not ship is added, options
and reader together, with :func:`register_adapter`.
"""

from __future__ import annotations

from collections.abc import Callable

from framework.model.adapters import add_adapter_options, remove_adapter_options
from framework.model.base import Definition
from framework.sources.adapters.home_office import HomeOfficeAdapter
from framework.sources.adapters.ons_pfa import OnsPfaAdapter
from framework.sources.adapters.police_uk import PoliceUkStreetAdapter
from framework.sources.adapters.population import PopulationAdapter
from framework.sources.adapters.sql import SqlAdapter
from framework.sources.adapters.tidy import TidyAdapter
from framework.sources.base import SourceAdapter

ReaderFactory = Callable[[], SourceAdapter]
"""Makes a reader: an adapter class taking no arguments."""

ADAPTERS: dict[str, ReaderFactory] = {
    "home_office_prc": HomeOfficeAdapter,
    "ons_pfa_table": OnsPfaAdapter,
    "police_uk_street": PoliceUkStreetAdapter,
    "tidy": TidyAdapter,
    "population": PopulationAdapter,
    "sql": SqlAdapter,
}
"""The reader of each adapter ``kind``; the same kinds as the options models of
:mod:`framework.model.adapters`."""


def register_adapter(options: type[Definition], reader: ReaderFactory) -> None:
    """Add an adapter kind: its options model (whose ``kind`` names it) and its reader.

    Datasets may then name the kind in ``adapter:``; a kind that already exists is refused.
    """
    kind = options.model_fields["kind"].default if "kind" in options.model_fields else None
    if kind in ADAPTERS:
        raise ValueError(f"adapter kind {kind!r} already has a reader")
    add_adapter_options(options)
    ADAPTERS[str(kind)] = reader


def unregister_adapter(options: type[Definition]) -> None:
    """Remove an adapter kind added by :func:`register_adapter`."""
    remove_adapter_options(options)
    del ADAPTERS[str(options.model_fields["kind"].default)]


def adapter_kinds() -> tuple[str, ...]:
    """Return every adapter kind with a reader, in the order of the table."""
    return tuple(ADAPTERS)


def adapter_for(kind: str) -> SourceAdapter:
    """Return the reader of an adapter kind; raise :class:`KeyError` for an unknown kind."""
    if kind not in ADAPTERS:
        known = ", ".join(ADAPTERS)
        raise KeyError(f"no reader for adapter kind {kind!r}; known: {known}")
    return ADAPTERS[kind]()
