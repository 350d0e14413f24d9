"""The ``measures`` command line: a thin face over the framework and the renderers."""
