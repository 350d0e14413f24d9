"""Assemble the engine's results and the catalogue into chart specs and a statement."""
