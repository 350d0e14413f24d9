"""Did-you-mean: the known values closest to a mistyped one, for the hints of findings and errors.

Every suggestion the framework makes goes through :func:`close_matches`, so a typo is
recognised the same way in a definition, a force's name on the command line and a column of
the data.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Final

SIMILARITY: Final = 0.6
"""How alike (difflib's ratio, 0 to 1) a known value must be to a mistyped one to be offered."""


def close_matches(value: str, options: Iterable[str], limit: int = 1) -> list[str]:
    """Return up to ``limit`` options most like ``value``, the closest first."""
    return difflib.get_close_matches(value, list(options), n=limit, cutoff=SIMILARITY)


def did_you_mean(value: str, options: Iterable[str], limit: int = 1) -> str:
    """Return ``Did you mean 'a'?`` (``'a' or 'b'`` with a higher ``limit``), else ""."""
    guesses = close_matches(value, options, limit)
    if not guesses:
        return ""
    return f"Did you mean {' or '.join(repr(guess) for guess in guesses)}?"


def suggest(value: str, options: Iterable[str]) -> str:
    """Return a did-you-mean hint for ``value``, or the known options when none is close."""
    known = list(options)
    return did_you_mean(value, known) or f"Known: {', '.join(sorted(known)) or 'none'}."
