"""Load named SPC rule profiles (``measures/national/spc/*.yaml``) into :class:`SpcProfile` models.

A profile file holds one mapping with the single top-level key ``spc_profile``. Problems
are raised as :class:`ProfileError` carrying findings with the file, line and key path,
never as a bare YAML or pydantic traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Final

import yaml
from pydantic import ValidationError

from framework.findings.finding import Finding, Level, Location
from framework.model.spc import SpcProfile

PROFILE_KEY: Final = "spc_profile"
"""The one top-level key of a profile file."""

DEFAULT_PROFILE: Final = SpcProfile(
    id="making_data_count",
    title="Making Data Count",
    description=(
        "NHS England's Making Data Count XmR rules as NHSRplotthedots applies them: limits at "
        "2.66 mean moving ranges, moving ranges of 3.267 times their mean or more screened "
        "out, shifts and trends of 7 points, two of three points close to a limit."
    ),
)
"""The profile of a measure that names none; ``spc/making_data_count.yaml`` repeats it."""


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
                    "SPC101",
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
                    "SPC101",
                    f"the profile file cannot be read: {error}",
                    "Give a UTF-8 YAML file.",
                )
            ]
        ) from None
    return parse_profile(text, file)


def parse_profile(text: str, file: str = "<profile>") -> SpcProfile:
    """Parse the text of a profile file; raise :class:`ProfileError` when it is not valid."""
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise ProfileError(
            [
                Finding(
                    Location(file, line, column),
                    "SPC102",
                    Level.ERROR,
                    f"the file is not valid YAML: {error.problem or error}",
                    "Check the indentation and quoting on this line and the one above.",
                )
            ]
        ) from None
    except yaml.YAMLError as error:
        raise ProfileError(
            [
                _finding(
                    file,
                    "SPC102",
                    f"the file is not valid YAML: {error}",
                    "Check the file is plain YAML.",
                )
            ]
        ) from None
    if not isinstance(data, dict) or list(data) != [PROFILE_KEY]:
        if data is None:
            found = "nothing"
        elif isinstance(data, dict):
            found = f"the keys {sorted(map(str, data))}"
        else:
            found = f"a {type(data).__name__}"
        raise ProfileError(
            [
                _finding(
                    file,
                    "SPC103",
                    f"a profile file holds one mapping with the single key "
                    f"`{PROFILE_KEY}:`, but this one holds {found}",
                    f"Start the file with `{PROFILE_KEY}:` and indent the profile under it.",
                )
            ]
        )
    try:
        return SpcProfile.model_validate(data[PROFILE_KEY])
    except ValidationError as error:
        raise ProfileError(_validation_findings(error, file, node)) from None


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
                    "SPC105",
                    f"the profile id {profile.id!r} differs from the file name {path.stem!r}",
                    f"Rename the file to {profile.id}.yaml or set `id: {path.stem}`.",
                )
            )
            continue
        profiles[profile.id] = profile
    if findings:
        raise ProfileError(findings)
    return profiles


def _validation_findings(
    error: ValidationError, file: str, root: yaml.Node | None
) -> list[Finding]:
    findings = []
    for problem in error.errors():
        key_path: tuple[str | int, ...] = (PROFILE_KEY, *problem["loc"])
        line, column = _position(root, key_path)
        field = ".".join(str(part) for part in problem["loc"]) or PROFILE_KEY
        hint = (
            f"Remove `{field}`; the profile fields are: {', '.join(SpcProfile.model_fields)}."
            if problem["type"] == "extra_forbidden"
            else _field_hint(str(problem["loc"][0]) if problem["loc"] else "")
        )
        findings.append(
            Finding(
                Location(file, line, column, key_path),
                "SPC104",
                Level.ERROR,
                f"`{field}`: {problem['msg']}",
                hint,
            )
        )
    return findings


def _field_hint(field: str) -> str:
    info = SpcProfile.model_fields.get(field)
    if info is None or not info.description:
        return "See measures/national/schema/spc_profile.schema.json for the profile fields."
    return f"`{field}`: {info.description}"


def _position(
    root: yaml.Node | None, key_path: tuple[str | int, ...]
) -> tuple[int | None, int | None]:
    """Return the 1-based line and column of the deepest node of ``key_path`` found in the tree."""
    node = root
    best: tuple[int | None, int | None] = (None, None)
    if node is not None:
        best = (node.start_mark.line + 1, node.start_mark.column + 1)
    for part in key_path:
        if not isinstance(node, yaml.MappingNode):
            break
        match = next((pair for pair in node.value if pair[0].value == part), None)
        if match is None:
            break
        key, node = match
        best = (key.start_mark.line + 1, key.start_mark.column + 1)
    return best


def _finding(file: str, code: str, message: str, hint: str) -> Finding:
    return Finding(Location(file), code, Level.ERROR, message, hint)
