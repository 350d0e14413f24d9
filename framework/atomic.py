"""Write files atomically: a run that fails half-way leaves the previous file intact."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def _process_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


# Read once, at import: reading the umask means setting it, which is not safe to do
# while other threads create files.
_UMASK = _process_umask()


def public_mode(directory: bool = False) -> int:
    """Return the mode a plain ``open`` would give under the process's umask.

    Temporary files start private (0600, folders 0700); published charts and reports must
    be readable by whoever serves them, as if written directly.
    """
    return (0o777 if directory else 0o666) & ~_UMASK


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write`` on a temporary file beside ``path``, then move it into place.

    The temporary file is in the same folder, so the final rename stays on one file system
    and readers see the old file or the new one, never a part; on any failure it is removed
    and ``path`` is untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        with temporary.open("rb+") as stream:
            os.fsync(stream.fileno())
        temporary.chmod(public_mode())
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write bytes to ``path`` atomically."""
    write_atomic(path, lambda temporary: temporary.write_bytes(data))


def write_text_atomic(path: Path, text: str) -> None:
    """Write text to ``path`` atomically, as UTF-8."""
    write_atomic(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))
