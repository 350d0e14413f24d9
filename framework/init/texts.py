"""The files ``measures init`` writes besides the profile: README, CI, pre-commit, templates."""

from __future__ import annotations

from framework import __version__
from framework.init.offices import ForceFacts
from framework.loading.catalogue import Located
from framework.model.adapters import TidyTableOptions
from framework.model.dataset import Dataset

WATCHED = r"^(catalogue\.yaml|definitions/|datasets/|forces/|spc/|commentary/|data/|.*\.csv$)"
"""Files whose change can change what validation finds: definitions, data and commentary."""


def catalogue_yaml(facts: ForceFacts) -> str:
    """Return the root file of the new force catalogue."""
    return f"""\
# yaml-language-server: $schema=schema/catalogue.schema.json
# {facts.name}'s catalogue. It builds on the national catalogue installed with the
# police-measures package: every national and proxy measure, the published Home Office,
# ONS and police.uk tables, the area list and the SPC profiles come from there.
# This folder adds the force's own: its profile (forces/), commentary (commentary/),
# the tables only the force holds (data/), and any measures of its own (definitions/).
catalogue:
  extends: national
  force: {facts.id}
  # To replace a national measure with your own definition, put your file (same id) in
  # definitions/ and list the id here:
  replaces: []
  # To leave out a national measure, say why; the statement's completeness section shows it:
  #   switched_off:
  #     - measure: drug_treatment_referrals
  #       reason: Referral figures are not yet shared with the force.
  switched_off: []
"""


def force_yaml(facts: ForceFacts) -> str:
    """Return the force profile, with the most similar group left for the force to fill in."""
    return f"""\
# yaml-language-server: $schema=../schema/force.schema.json
force:
  id: {facts.id}
  name: {facts.name}
  ons_code: {facts.ons_code}
  # From the national area list; comparisons use the forces of this region.
  region: {facts.region}
  # The name the statement is published under, and who oversees the force: pcc (Police and
  # Crime Commissioner), pfcc (Police, Fire and Crime Commissioner), mayor, or
  # police_authority (City of London). Headings such as "PCC office commentary" follow it.
  pcc_office: {_quoted(facts.office_name)}
  office_kind: {facts.office_kind}
  # Most similar group: HMICFRS draws up each force's group of similar forces. List the
  # other members (names or ONS codes) and the month of the list, for example
  #   members: [Cleveland, Humberside, Northumbria]
  #   as_of: 2024-04
  # Until members are listed, measures are not compared with a most similar group.
  msg:
    members: []
"""


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def template_columns(dataset: Dataset) -> list[str]:
    """Return the columns a force-held table needs, in order."""
    options = dataset.adapter
    if not isinstance(options, TidyTableOptions):
        return []
    renamed = {dimension: source for source, dimension in dataset.columns.items()}
    dimensions = [renamed.get(d, d) for d in _categories(dataset)]
    values = options.value_columns or ([options.value_column] if options.value_column else [])
    return [options.period_column, options.area_column, *dimensions, *values]


def templates_readme(tables: list[tuple[Located[Dataset], list[str]]]) -> str:
    """Return the README of the templates folder: one section per force-held table."""
    lines = [
        "# Tables the force supplies",
        "",
        "No public source holds these tables. Each template here has the columns the national",
        "definition reads; fill one in from the force's systems and save it at the path given,",
        "inside this folder (`data/...`). Until a table is there, its measures show",
        '"No data supplied yet" in the statement; nothing fails.',
        "",
    ]
    for located, measures in tables:
        dataset = located.model
        columns = ", ".join(f"`{c}`" for c in template_columns(dataset))
        grain = (
            "month (`YYYY-MM`)" if dataset.grain == "month" else "financial quarter (`2023/24-Q1`)"
        )
        lines += [
            f"## {dataset.title}",
            "",
            f"- save as: `{dataset.path}` (template: `templates/{template_name(dataset)}`)",
            f"- columns: {columns}",
            f"- one row per: {grain}" + (" and category" if _categories(dataset) else ""),
            f"- measures: {', '.join(f'`{m}`' for m in measures)}",
            f"- defined in: `{_inside(located)}` of the national catalogue",
            "",
            dataset.provenance.notes or "",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def _categories(dataset: Dataset) -> list[str]:
    return [d for d in dataset.dimensions if d != "measure_column"]


def _inside(located: Located[Dataset]) -> str:
    """Name a national file by its path inside the catalogue (``datasets/<id>.yaml``)."""
    if located.path is None or located.layer is None:
        return located.file
    return located.path.relative_to(located.layer.root.absolute()).as_posix()


def template_name(dataset: Dataset) -> str:
    """Return the template's file name: the table's own, always plain CSV."""
    name = dataset.path.rsplit("/", 1)[-1]
    return name.removesuffix(".gz")


def readme(facts: ForceFacts, quarter: str, tables: list[str]) -> str:
    """Return the README of the new force catalogue: what to fill in, and the commands."""
    listed = "\n".join(f"   - `{t}`" for t in tables)
    return f"""\
# {facts.name}: National Crime and Policing Measures

The quarterly statement of {facts.name} ({facts.office_name}) against the National Crime
and Policing Measures, built with the `police-measures` package. The national measures and
the published data come with the package; this folder holds only what is {facts.name}'s.

## Fill in

1. `forces/{facts.id}.yaml`: the most similar group (`msg`), and check the office's name.
2. `data/`: the tables only the force holds, one CSV each, with the columns of the
   templates in `templates/` (see `templates/README.md`):
{listed}
   Until a table is supplied its measures say "No data supplied yet".
3. `commentary/{facts.id}/{quarter}/`: Markdown commentary for the quarter, one file per
   measure: `<measure id>.force.md` (the force) and `<measure id>.pcc.md` (the office), and
   `_introduction.md` to open the statement.

## Commands

```sh
measures validate --data --strict   # check everything: definitions, data and commentary
measures report                      # write the statement into report/
measures list                        # the measures of the catalogue, national and own
measures explain homicide --plan     # what one measure computes, step by step
```

`.pre-commit-config.yaml` runs the check before each commit, and
`.github/workflows/measures.yml` runs it on every push and pull request that changes a
definition, a data file or commentary, and builds the statement.

## Own measures

Add a file to `definitions/` (`measures new --id ... --dataset ... --filter dim=value`
writes one). To replace a national measure, use its id and list it under `replaces:` in
`catalogue.yaml`; to leave one out, list it under `switched_off:` with the reason.
"""


def pre_commit_config() -> str:
    """Return the pre-commit configuration: validation with the data, on every relevant file."""
    return f"""\
# Checks the catalogue before each commit: definitions, the force's data and commentary.
# Install once with `pip install pre-commit && pre-commit install`.
repos:
  - repo: local
    hooks:
      - id: measures-validate
        name: measures validate --data --strict
        entry: measures validate --data --strict
        language: system
        pass_filenames: false
        files: '{WATCHED}'
"""


def workflow() -> str:
    """Return the GitHub Actions workflow: validate on every change, then build the statement."""
    return f"""\
# Validates the catalogue and builds the statement on every change to definitions, data
# (CSV included) or commentary.
name: measures

on:
  push:
    paths: &watched
      - catalogue.yaml
      - "definitions/**"
      - "datasets/**"
      - "forces/**"
      - "spc/**"
      - "commentary/**"
      - "data/**"
      - "**.csv"
      - ".github/workflows/measures.yml"
  pull_request:
    paths: *watched

jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install "police-measures=={__version__}"
      - name: Validate definitions, data and commentary
        run: measures validate --data --strict --format github
      - name: Build the statement
        run: measures report --out report
      - uses: actions/upload-artifact@v4
        with:
          name: statement
          path: report/
"""


GITIGNORE = """\
report/
.cache/
"""

COMMENTARY_README = """\
# Commentary

One folder per force and financial quarter: `<force id>/<yyyy-yy-Qn>/`. In each,
`<measure id>.force.md` is the force's commentary and `<measure id>.pcc.md` the office's;
`_priority.<priority id>.force.md` comments on a whole priority and `_introduction.md`
opens the statement. `measures validate` warns about a file nothing will show.
"""

DATA_README = """\
# Data the force supplies

The tables only the force holds, at the paths `templates/README.md` gives. The published
Home Office, ONS and police.uk tables come with the package: do not copy them here.
"""
