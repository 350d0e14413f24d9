"""Pack a result frame into few, small arrays for a worker to send back, and unpack it.

A measure's rows repeat a handful of words in many columns (its provenance, the status
words, the comparators' sources): pickled as they are, a whole catalogue's rows for every
force come to some 60 MB (Arrow-backed text keeps every copy of a word). Each text column
is sent as the codes of its distinct values instead, and unpacked to the same values with
the same dtype, missing values included; every other column is sent as it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api.types import infer_dtype


@dataclass(frozen=True)
class _Coded:
    """A text column as codes into its distinct values (-1 where the value is missing)."""

    codes: npt.NDArray[np.signedinteger[Any]]
    uniques: Any
    """The distinct values: an extension array of the column's dtype, or an object array."""
    null: Any
    """For an object column, the one missing value it holds (None or NaN)."""
    text: bool
    """Whether the column has a text dtype (else it is an object column)."""


@dataclass(frozen=True)
class CompactFrame:
    """A frame as its index, its column labels and, column by column, its values or codes."""

    index: pd.Index
    labels: pd.Index
    columns: list[Any]
    """Each column's values (an array), or its :class:`_Coded` codes."""

    def expand(self) -> pd.DataFrame:
        """Return the frame that was packed: the same columns, values, dtypes and index."""
        rows = pd.RangeIndex(len(self.index))
        # Each column as a Series of its own dtype (an object column is not read as text).
        series = {
            i: _decode(c) if isinstance(c, _Coded) else pd.Series(c, dtype=c.dtype, copy=False)
            for i, c in enumerate(self.columns)
        }
        frame = pd.DataFrame(series, index=rows, copy=False)
        frame.columns = self.labels
        frame.index = self.index
        return frame


def compact(frame: pd.DataFrame) -> CompactFrame:
    """Pack ``frame`` for sending to another process: each text column as codes."""
    columns: list[Any] = []
    for position in range(frame.shape[1]):
        series = frame.iloc[:, position]
        coded = _encode(series)
        columns.append(series.array if coded is None else coded)
    return CompactFrame(frame.index, frame.columns, columns)


def _encode(series: pd.Series) -> _Coded | None:
    """Return a text column's codes, or None for a column sent as it is."""
    if isinstance(series.dtype, pd.StringDtype):
        codes, uniques = series.array.factorize()
        return _Coded(_narrow(codes, len(uniques)), uniques, None, text=True)
    if series.dtype != object:
        return None
    plain = series.to_numpy(dtype=object)
    # Only words: factorising other objects would merge 1, 1.0 and True.
    if infer_dtype(plain, skipna=True) != "string":
        return None
    missing = pd.isna(plain)
    null: Any = None
    if missing.any():
        nulls = plain[missing]
        if all(type(v) is float and math.isnan(v) for v in nulls):
            null = math.nan
        elif not all(v is None for v in nulls):
            return None  # several kinds of missing value: kept as they are
    codes, uniques = pd.factorize(plain)
    return _Coded(_narrow(codes, len(uniques)), uniques, null, text=False)


def _narrow(codes: npt.NDArray[np.integer[Any]], count: int) -> npt.NDArray[np.signedinteger[Any]]:
    """Return the codes in the smallest signed integers that hold them (and -1)."""
    dtype = np.min_scalar_type(-max(count, 1))
    return np.asarray(codes).astype(dtype, copy=False)


def _decode(coded: _Coded) -> pd.Series:
    """Return the column's values from its codes."""
    if coded.text:
        return pd.Series(coded.uniques.take(coded.codes, allow_fill=True), copy=False)
    out = np.empty(len(coded.codes), dtype=object)
    known = coded.codes >= 0
    out[known] = np.asarray(coded.uniques, dtype=object)[coded.codes[known]]
    out[~known] = coded.null
    return pd.Series(out, dtype=object, copy=False)
