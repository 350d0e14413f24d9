"""Source adapters: each reads one published format into the canonical tidy frame.

The entry point is :func:`framework.sources.registry.read_dataset`; the frame and its report
are described in :mod:`framework.sources.base`. The adapters are in
:mod:`framework.sources.adapters`, one module per adapter kind, with the table of them by
kind; the modules beside them are what the readers share (files, ledger, frame) or lean on
(:mod:`~framework.sources.population_choice`, the ONS sheets, the SQL connections).
"""
