"""Police performance measures as code: the engine that loads, validates and evaluates measures."""

from __future__ import annotations

__version__ = "0.2.0"
