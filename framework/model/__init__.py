"""The definition language: frozen pydantic models that are the one schema of the catalogue."""
