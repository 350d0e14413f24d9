"""Source adapters: each reads one published format into the canonical tidy frame.

The entry point is :func:`framework.sources.registry.read_dataset`; the frame and its report
are described in :mod:`framework.sources.base`. One module per adapter kind:
:mod:`~framework.sources.home_office`, :mod:`~framework.sources.ons_pfa`,
:mod:`~framework.sources.police_uk`, :mod:`~framework.sources.tidy` and
:mod:`~framework.sources.population` (with :mod:`~framework.sources.population_choice`).
"""
