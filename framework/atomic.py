"""Write files atomically: a run that fails half-way leaves the previous file intact."""

from __future__ import annotations

import ctypes
import errno
import os
import sys
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


def write_atomic(path: Path, write: Callable[[Path], object], sync: bool = True) -> None:
    """Call ``write`` on a temporary file beside ``path``, then move it into place.

    The temporary file is in the same folder, so the final rename stays on one file system
    and readers see the old file or the new one, never a part; on any failure it is removed
    and ``path`` is untouched. ``sync=False`` skips the flush to disk, for files whose loss
    in a crash costs only their rewriting (cache entries).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        if sync:
            with temporary.open("rb+") as stream:
                os.fsync(stream.fileno())
        temporary.chmod(public_mode())
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: Path, data: bytes, sync: bool = True) -> None:
    """Write bytes to ``path`` atomically."""
    write_atomic(path, lambda temporary: temporary.write_bytes(data), sync)


def write_text_atomic(path: Path, text: str) -> None:
    """Write text to ``path`` atomically, as UTF-8."""
    write_atomic(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2``); ``False`` where unsupported.

    Readers see one folder or the other, never neither: a kill at any moment leaves both
    in place. Raises :class:`OSError` for a real failure (a missing path, say).
    """
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # the kernel or the file system cannot exchange
    raise OSError(error, os.strerror(error), str(first))
