"""Name the line of a CSV file that a parser refused, so that its author can find it.

The fast parser (Arrow) says what it expected and shows the row, not where the row is. When
it refuses a file, the file is read again line by line here to find the first row that does
not fit: one with another number of cells than the header, or a quote left open.
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path
from typing import IO

from framework.sources.base import SourceError

HINT = "Quote cells that hold commas or line breaks; give every row the header's columns."


def _text(path: Path | None, data: bytes | None, gzipped: bool) -> IO[str]:
    """Open the file (or bytes) as text, replacing bytes that are not UTF-8."""
    binary: IO[bytes]
    if data is not None:
        binary = io.BytesIO(data)
    elif path is not None:
        binary = path.open("rb")
    else:
        raise ValueError("give a path or the data")
    if gzipped:
        return io.TextIOWrapper(
            gzip.GzipFile(fileobj=binary), "utf-8-sig", errors="replace", newline=""
        )
    return io.TextIOWrapper(binary, "utf-8-sig", errors="replace", newline="")


def first_bad_line(
    path: Path | None = None, data: bytes | None = None, gzipped: bool = False
) -> tuple[int, str] | None:
    """Return the first line whose row does not fit the header, and what is wrong with it."""
    gzipped = gzipped or (path is not None and path.name.lower().endswith(".gz"))
    try:
        with _text(path, data, gzipped) as handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if header is None:
                return None
            start = reader.line_num + 1
            try:
                for row in reader:
                    if row and len(row) != len(header):
                        return start, f"{len(row)} cell(s) where the header has {len(header)}"
                    start = reader.line_num + 1
            except csv.Error as error:
                return start, f"the row does not parse ({error})"
    except (OSError, EOFError, UnicodeError, csv.Error, ValueError):
        return None
    return None


def refused_csv(
    name: str, error: Exception, path: Path | None = None, data: bytes | None = None
) -> SourceError:
    """Return the error for a CSV file the parser refused, naming the line when it is found."""
    found = first_bad_line(path, data, gzipped=name.lower().endswith(".gz"))
    if found is None:
        return SourceError(name, f"not a well-formed CSV: {error}", HINT)
    line, what = found
    return SourceError(name, f"not a well-formed CSV: {name} line {line}: {what}", HINT)
