"""A throwaway PostgreSQL server for the tests: its own cluster on a Unix socket in a temp dir.

The server binaries come from the distribution's packages (``.ci/run`` installs them when
absent). ``initdb`` refuses to run as root, so under root the cluster belongs to the
``postgres`` account the packages create. Nothing listens on TCP.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

SERVICE_ACCOUNT = "postgres"


def server_binaries() -> Path | None:
    """Return the folder holding ``initdb`` and ``pg_ctl``, or None when they are absent."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return candidates[0].parent if candidates else None


def _as_owner(command: list[str], owner: str | None) -> list[str]:
    if owner is None:
        return command
    return ["runuser", "-u", owner, "--", *command]


@contextlib.contextmanager
def running_server(binaries: Path) -> Iterator[dict[str, object]]:
    """Start a cluster, yield psycopg connection settings, and stop and delete it afterwards."""
    owner = SERVICE_ACCOUNT if os.geteuid() == 0 else None
    base = Path(tempfile.mkdtemp(prefix="measures-pg-"))
    data, socket = base / "data", base / "socket"
    socket.mkdir()
    if owner is not None:
        shutil.chown(base, owner)
        shutil.chown(socket, owner)
    user = "measures"
    log = base / "server.log"
    run = {"check": True, "capture_output": True, "text": True, "timeout": 120}
    started = False
    try:
        subprocess.run(
            _as_owner(
                [
                    str(binaries / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    user,
                    "--auth=trust",
                    "--no-sync",
                    "-E",
                    "UTF8",
                    "--locale=C",
                ],
                owner,
            ),
            **run,  # type: ignore[call-overload]
        )
        options = f"-k {socket} -c listen_addresses='' -F -c max_connections=20"
        subprocess.run(
            _as_owner(
                [
                    str(binaries / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                ],
                owner,
            ),
            **run,  # type: ignore[call-overload]
        )
        started = True
        settings: dict[str, object] = {"host": str(socket), "user": user, "dbname": "postgres"}
        yield settings
    finally:
        if started:
            subprocess.run(
                _as_owner(
                    [str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], owner
                ),
                check=False,
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(base, ignore_errors=True)


def who() -> str:
    """Name the account the tests run as, for messages."""
    return getpass.getuser()
