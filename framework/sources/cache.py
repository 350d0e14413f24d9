"""A Parquet cache of what a reader took from a source file, found by the file's SHA-256.

Parsing is the slow part of reading a folder of CSVs; this keeps the parsed (or counted)
form of each source file as one Parquet file, so a second read of unchanged files skips the
parse and a new month parses only that month. An entry is named by the SHA-256 of the source
file's bytes and by a *form*: a short text saying what the reader kept (which columns, rows or
counts, and a format version), so different readers and options never share an entry. The
content hash, not the path or modification time, is the key: a renamed or touched file is
still found and an edited one never is.

The cache is never required. A missing, unreadable, damaged or mismatched entry is a miss
(the reader parses the file again and says so), a folder that cannot be written is skipped,
and entries are written to a temporary name and renamed, so a run that stops half-way leaves
no half-written one. Each entry records its row count and the SHA-256 of its content when it
is written, and both are checked before it is used: an entry changed since is a miss. Entries
are not synced to disk: a national year is ~500 entries and an
fsync each would cost seconds on a slow disk, for a file whose loss is only a miss (pages
carry checksums, so an entry torn by a crash is caught on reading). Delete the folder at any
time.

The folder is ``$MEASURES_CACHE_DIR`` when set, else ``.cache/measures`` in the folder that
holds the catalogue (``.cache/`` is ignored by git). The national catalogue installed with the
package is the exception: its entries go to the user's cache folder
(``$XDG_CACHE_HOME/police-measures/parse``, by default ``~/.cache/police-measures/parse``),
since nothing should write inside an installed package.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

CACHE_ENV = "MEASURES_CACHE_DIR"
INSTALLED = frozenset({"site-packages", "dist-packages"})
"""Folders that hold installed packages: a catalogue inside one is not written beside."""
"""Environment variable naming the cache folder."""
DEFAULT_FOLDER = Path(".cache") / "measures"
"""The cache folder, relative to the folder holding the catalogue, when the variable is unset."""
SHA_KEY = b"measures.source_sha256"
FORM_KEY = b"measures.form"
SMALL_ROWS = 50_000
"""Entries of at most this many rows are stored uncompressed."""
MAGIC = b"measures-parse-cache 2\n"
"""How an entry begins; then its row count (8 bytes) and the SHA-256 of the Parquet bytes."""
_HEADER = len(MAGIC) + 8 + 32


def cache_folder(root: Path) -> Path:
    """Return the cache folder for the catalogue at ``root``."""
    configured = os.environ.get(CACHE_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    resolved = root.resolve()
    if any(part in INSTALLED for part in resolved.parts):
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "police-measures" / "parse"
    return resolved.parent / DEFAULT_FOLDER


@dataclass(frozen=True)
class Lookup:
    """The cached table of a source file, or why there is none."""

    table: pa.Table | None
    problem: str | None = None
    """Why an entry that exists could not be used (None when it was used or absent)."""


class ParquetCache:
    """Tables stored by source-file SHA-256 and form, one Parquet file each."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made = False  # whether the folder is known to exist

    def entry(self, sha256: str, form: str) -> Path:
        """Return the path of the entry for a source file's hash and a form."""
        tag = hashlib.sha256(form.encode()).hexdigest()[:16]
        return self.folder / f"{sha256}.{tag}.parquet"

    def get(self, sha256: str, form: str, schema: pa.Schema) -> Lookup:
        """Return the cached table, if an entry exists and holds ``schema`` for this file."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = self.entry(sha256, form)
        if not path.is_file():
            return Lookup(None)
        try:
            data = path.read_bytes()
        except OSError as error:
            return Lookup(None, f"unreadable ({error.strerror or error})")
        # The content is checked against what was recorded when it was written: an entry
        # edited since (even into another well-formed table) is a miss, never a figure.
        if len(data) < _HEADER or not data.startswith(MAGIC):
            return Lookup(None, "not an entry of this cache's format")
        rows = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 8], "big")
        body = memoryview(data)[_HEADER:]
        if hashlib.sha256(body).digest() != data[len(MAGIC) + 8 : _HEADER]:
            return Lookup(None, "its content does not match the hash recorded when it was written")
        # A damaged entry may fail in any way Arrow or the OS can; each is only a miss.
        try:
            # ParquetFile skips the dataset machinery of read_table: 4x faster on small files.
            parquet = pq.ParquetFile(pa.BufferReader(body), page_checksum_verification=True)
            table = parquet.read(use_threads=False)
        except Exception as error:
            return Lookup(None, f"unreadable ({type(error).__name__}: {error})")
        if table.num_rows != rows:
            return Lookup(None, f"holds {table.num_rows:,} rows, not the {rows:,} written")
        metadata = table.schema.metadata or {}
        if metadata.get(SHA_KEY) != sha256.encode() or metadata.get(FORM_KEY) != form.encode():
            return Lookup(None, "made for another file or form")
        if not table.schema.equals(schema, check_metadata=False):
            return Lookup(None, "holds other columns than the reader expects")
        return Lookup(table.replace_schema_metadata(None))

    def put(self, sha256: str, form: str, table: pa.Table) -> str | None:
        """Store ``table`` for a source file; return why it could not be written, or None."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        from framework.atomic import write_bytes_atomic

        path = self.entry(sha256, form)
        stamped = table.replace_schema_metadata({SHA_KEY: sha256.encode(), FORM_KEY: form.encode()})
        # Encoded in memory and written in one go: Arrow's file set-up costs more than the
        # write for entries of a few kilobytes, and so does compressing them.
        buffer = pa.BufferOutputStream()
        compression = "zstd" if table.num_rows > SMALL_ROWS else "none"
        pq.write_table(
            stamped,
            buffer,
            compression=compression,
            write_statistics=False,
            write_page_checksum=True,
        )
        body = buffer.getvalue().to_pybytes()
        header = MAGIC + table.num_rows.to_bytes(8, "big") + hashlib.sha256(body).digest()
        try:
            if not self._made:
                self.folder.mkdir(parents=True, exist_ok=True)
                self._made = True
            write_bytes_atomic(path, header + body, sync=False)
        except OSError as error:
            return f"{type(error).__name__}: {error.strerror or error}"
        return None
