"""Load named SPC rule profiles (``measures/national/spc/*.yaml``) into :class:`SpcProfile` models.

A profile file is a definition like any other: it is parsed by the located loader and checked
by the schema stage, so its problems carry the same codes, lines and key paths as a measure's.
They are raised as :class:`ProfileError`, never as a bare YAML or pydantic traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Final

from framework.findings.codes import Code
from framework.findings.finding import Finding, Level, Location
from framework.loading.located_yaml import load_located
from framework.loading.schema_stage import validate_document
from framework.model.spc import SpcProfile

PROFILE_KEY: Final = "spc_profile"
"""The one top-level key of a profile file."""


class ProfileError(Exception):
    """A profile file that cannot be read or does not describe a valid profile."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__("; ".join(f"{f.location}: {f.message}" for f in self.findings))


def load_profile(path: Path) -> SpcProfile:
    """Read one profile file; raise :class:`ProfileError` with findings when it is not valid."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProfileError(
            [
                _finding(
                    file,
                    Code.SPC101,
                    "the profile file does not exist",
                    "Check the path; the bundled profiles are in measures/national/spc/.",
                )
            ]
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ProfileError(
            [
                _finding(
                    file,
                    Code.SPC101,
                    f"the profile file cannot be read: {error}",
                    "Give a UTF-8 YAML file.",
                )
            ]
        ) from None
    return parse_profile(text, file)


def parse_profile(text: str, file: str = "<profile>") -> SpcProfile:
    """Parse the text of a profile file; raise :class:`ProfileError` when it is not valid."""
    located, findings = load_located(text, file)
    if located is None:
        raise ProfileError(findings)
    document, checked = validate_document(file, located)
    findings = [*findings, *checked]
    if document is None or findings:
        raise ProfileError(findings)
    if document.kind != PROFILE_KEY:
        raise ProfileError(
            [
                Finding(
                    located.location(file, (document.kind,)),
                    Code.SPC103,
                    Level.ERROR,
                    f"a profile file holds one mapping with the single key `{PROFILE_KEY}:`, "
                    f"but this one holds a {document.kind}",
                    f"Give the path of a file that starts with `{PROFILE_KEY}:`.",
                )
            ]
        )
    profile = getattr(document.model, PROFILE_KEY)
    assert isinstance(profile, SpcProfile)  # the kind picked the model
    return profile


def load_profiles(directory: Path) -> dict[str, SpcProfile]:
    """Read every ``*.yaml`` profile in a folder, keyed by id; each id must match its file name."""
    profiles: dict[str, SpcProfile] = {}
    findings: list[Finding] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            profile = load_profile(path)
        except ProfileError as error:
            findings.extend(error.findings)
            continue
        if profile.id != path.stem:
            findings.append(
                _finding(
                    str(path),
                    Code.SPC105,
                    f"the profile id {profile.id!r} differs from the file name {path.stem!r}",
                    f"Rename the file to {profile.id}.yaml or set `id: {path.stem}`.",
                )
            )
            continue
        profiles[profile.id] = profile
    if findings:
        raise ProfileError(findings)
    return profiles


def _finding(file: str, code: str, message: str, hint: str) -> Finding:
    return Finding(Location(file), code, Level.ERROR, message, hint)
