"""Renderers that turn evaluated measures into charts; they know nothing of YAML or sources."""
