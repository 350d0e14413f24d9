"""The numpy array types the statistics modules share, and a helper to make arrays read-only."""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
"""One float per point."""
BoolArray = npt.NDArray[np.bool_]
"""One flag per point."""
IntArray = npt.NDArray[np.int64]
"""One integer (a segment index, a run length) per point."""
DirectionArray = npt.NDArray[np.int8]
"""One direction per point: +1 high, -1 low, 0 neither."""

_ArrayT = TypeVar("_ArrayT", bound="np.ndarray[Any, Any]")


def frozen(array: _ArrayT) -> _ArrayT:
    """Mark an array read-only, so a frozen result cannot be changed through it, and return it."""
    array.setflags(write=False)
    return array
