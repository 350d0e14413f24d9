"""Validation: every check of a catalogue, returning findings as values."""
