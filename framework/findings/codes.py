"""The table of every finding code: its stage, what it means, and how to fix it in general.

Every module that emits a finding names its code from :class:`Code`, so a code exists once,
here. Codes are stable: add new ones, never renumber. ``docs/codes.md`` is generated from
this table (``measures schema``) and a test fails when it is stale.
"""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """When a finding is made: the stage of validation or the command that makes it."""

    PARSE = "parse"
    SCHEMA = "schema"
    REFERENCE = "reference"
    RULE = "rule"
    CATALOGUE = "catalogue"
    FORCE = "force profile"
    SQL = "sql"
    DATA = "data"
    RUN = "run"
    SPC = "spc"


PREFIXES: dict[str, str] = {
    "YAML": "parsing a definition file (`validate`)",
    "SCH": "a definition against its schema (`validate`)",
    "REF": "references across files (`validate`)",
    "RUL": "rules of a measure or dataset (`validate`)",
    "CAT": "the catalogue as a whole and its layers (`validate`)",
    "FOR": "force profiles against the area list (`validate`)",
    "SQL": "definitions over a database (`validate`)",
    "DAT": "the data behind the definitions (`validate --data`)",
    "RUN": "evaluation (`run`, `report`, `render`, `trace`)",
    "SPC": "the stand-alone SPC chart of a CSV series (`spc`)",
}
"""What each code prefix covers, in the order the stages run."""


class Code(StrEnum):
    """A finding code; the member is the code itself, so it prints and compares as one."""

    stage: Stage
    summary: str
    hint: str

    def __new__(cls, code: str, stage: Stage, summary: str, hint: str) -> Code:
        """Make the member whose value is ``code``, carrying its stage, summary and hint."""
        member = str.__new__(cls, code)
        member._value_ = code
        member.stage = stage
        member.summary = summary
        member.hint = hint
        return member

    # Each code on one table row: its code and stage together, then its summary and hint.
    # fmt: off
    YAML001 = (
        "YAML001", Stage.PARSE,
        "a definition file cannot be read, or is not a regular file or not valid YAML",
        "Save the file as UTF-8 YAML text; check the indentation and quoting where it points.",
    )
    YAML002 = (
        "YAML002", Stage.PARSE,
        "a definition file is over the size limit",
        "Split it: one measure, dataset or force per file.",
    )
    YAML003 = (
        "YAML003", Stage.PARSE,
        "a YAML feature the definitions refuse: merge keys or tags",
        "Write the keys and values out in full.",
    )
    YAML004 = (
        "YAML004", Stage.PARSE,
        "a key appears twice in one mapping",
        "Keep one of the two keys.",
    )
    YAML005 = (
        "YAML005", Stage.PARSE,
        "a document too large to read safely: nested too deeply or with too many nodes",
        "Flatten the document; definitions are a few levels deep.",
    )
    YAML006 = (
        "YAML006", Stage.PARSE,
        "a file is empty or is not a mapping with one top-level key",
        "Start the file with one top-level key such as `measure:`.",
    )
    YAML007 = (
        "YAML007", Stage.PARSE,
        "a file holds more than one YAML document",
        "Keep one document per file; remove the extra `---`.",
    )
    YAML008 = (
        "YAML008", Stage.PARSE,
        "a file's top-level key is unknown, or there is more than one",
        "Use one of the document kinds: measure, dataset, force, priorities, spc_profile, "
        "catalogue.",
    )
    SCH001 = (
        "SCH001", Stage.SCHEMA,
        "a key the schema does not know",
        "Correct the spelling or remove the key; docs/reference.md lists the fields.",
    )
    SCH002 = (
        "SCH002", Stage.SCHEMA,
        "a required key is missing",
        "Add the key; docs/reference.md says what it holds.",
    )
    SCH003 = (
        "SCH003", Stage.SCHEMA,
        "a value of the wrong type or out of range",
        "Check the value against docs/reference.md.",
    )
    SCH004 = (
        "SCH004", Stage.SCHEMA,
        "a value that is not one of the allowed choices",
        "Use one of the values the finding lists.",
    )
    SCH005 = (
        "SCH005", Stage.SCHEMA,
        "a period that cannot be read",
        "Write YYYY-MM (a month), YYYY/YY-Qn (a financial quarter) or YYYY-Qn (a calendar "
        "quarter).",
    )
    SCH006 = (
        "SCH006", Stage.SCHEMA,
        "an id that is not an identifier",
        "Use lower case letters, digits and underscores, starting with a letter.",
    )
    REF001 = (
        "REF001", Stage.REFERENCE,
        "ids are unique within each kind",
        "Give each definition an id of its own.",
    )
    REF002 = (
        "REF002", Stage.REFERENCE,
        "every measure's source names a registered dataset",
        "Name a dataset of the catalogue, or add its definition under datasets/.",
    )
    REF003 = (
        "REF003", Stage.REFERENCE,
        "comparators are national, region, msg or a named group of a force profile",
        "Use a built-in comparator or add the group to the force profile.",
    )
    REF004 = (
        "REF004", Stage.REFERENCE,
        "proxy_for names a national measure of the catalogue",
        "Name the id of a national measure.",
    )
    REF005 = (
        "REF005", Stage.REFERENCE,
        "measures and priorities name each other consistently",
        "Make the measure's priorities and the priority's measures agree.",
    )
    RUL001 = (
        "RUL001", Stage.RULE,
        "baselines start and end on period boundaries, start before end",
        "Start a baseline on the first month of a period and end it on the last.",
    )
    RUL002 = (
        "RUL002", Stage.RULE,
        "rolling windows are whole numbers of periods",
        "Make the window a multiple of the grain (3, 6, 12 months for quarters).",
    )
    RUL003 = (
        "RUL003", Stage.RULE,
        "proportions name their denominator",
        "Add a denominator to the aggregation.",
    )
    RUL004 = (
        "RUL004", Stage.RULE,
        "national measures carry national_measure; proxies carry proxy_for",
        "Add the field the measure's kind needs.",
    )
    RUL005 = (
        "RUL005", Stage.RULE,
        "priorities with no measure give a reason",
        "List the priority's measures, or say why it has none.",
    )
    RUL006 = (
        "RUL006", Stage.RULE,
        "unavailable national measures give a reason and are covered by a proxy",
        "Give the reason and add a proxy measure with proxy_for.",
    )
    RUL007 = (
        "RUL007", Stage.RULE,
        "proxies and available national measures have a source",
        "Add a source naming a dataset.",
    )
    RUL008 = (
        "RUL008", Stage.RULE,
        "grain and window fit the dataset",
        "Use a grain and window the dataset's periods can supply.",
    )
    RUL009 = (
        "RUL009", Stage.RULE,
        "filters and breakdowns name declared dimensions",
        "Declare the dimension on the dataset, or correct its name.",
    )
    RUL010 = (
        "RUL010", Stage.RULE,
        "dataset paths and file patterns are relative and stay inside the catalogue",
        "Give a path relative to the catalogue folder, without `..`.",
    )
    RUL011 = (
        "RUL011", Stage.RULE,
        "spc_profile names a profile of the catalogue",
        "Name a profile under spc/, or add one.",
    )
    RUL012 = (
        "RUL012", Stage.RULE,
        "a baseline label that names a month names its last month",
        "Make the label agree with the baseline's end.",
    )
    RUL013 = (
        "RUL013", Stage.RULE,
        "a force's dataset paths and commentary folder stay inside the catalogue",
        "Give paths inside the force's folder.",
    )
    RUL014 = (
        "RUL014", Stage.RULE,
        "definition files do not link outside the catalogue",
        "Replace the link with the file itself.",
    )
    RUL015 = (
        "RUL015", Stage.RULE,
        "targets and limit factors are finite; per is at most 1,000,000",
        "Give a finite number in range.",
    )
    RUL016 = (
        "RUL016", Stage.RULE,
        "baselines and rebases are between 2000 and today",
        "Correct the year.",
    )
    RUL017 = (
        "RUL017", Stage.RULE,
        "priority orders are unique",
        "Give each priority an order of its own.",
    )
    RUL018 = (
        "RUL018", Stage.RULE,
        "force.population names a dataset of kind population",
        "Name a population dataset of the catalogue.",
    )
    CAT001 = (
        "CAT001", Stage.CATALOGUE,
        "the catalogue folder does not exist",
        "Give the path of a catalogue folder (the one holding measures and datasets).",
    )
    CAT002 = (
        "CAT002", Stage.CATALOGUE,
        "a catalogue holds exactly one priorities file",
        "Keep one priorities.yaml in the catalogue.",
    )
    CAT003 = (
        "CAT003", Stage.CATALOGUE,
        "commentary files are named after what they comment on",
        "Name each commentary file after a measure, a priority or the introduction.",
    )
    CAT010 = (
        "CAT010", Stage.CATALOGUE,
        "a force's definition reuses an id of the base catalogue without replacing it",
        "Give it an id of its own, or list the id under `replaces:` in catalogue.yaml.",
    )
    CAT011 = (
        "CAT011", Stage.CATALOGUE,
        "`replaces:` names a definition the base catalogue does not have",
        "Remove it from `replaces:`, or correct the id.",
    )
    CAT012 = (
        "CAT012", Stage.CATALOGUE,
        "`switched_off:` names a measure the catalogue does not have",
        "Name a measure of the catalogue.",
    )
    CAT013 = (
        "CAT013", Stage.CATALOGUE,
        "the base catalogue a force's catalogue extends cannot be found",
        "Reinstall the package, or name a catalogue folder in `extends:`.",
    )
    CAT014 = (
        "CAT014", Stage.CATALOGUE,
        "catalogue.yaml names a force profile the catalogue does not have",
        "Add forces/<id>.yaml with that id, or correct `force:`.",
    )
    CAT015 = (
        "CAT015", Stage.CATALOGUE,
        "the folder holds no definition files",
        "Start a force's catalogue with `measures init DIR --force NAME`.",
    )
    FOR001 = (
        "FOR001", Stage.FORCE,
        "force codes, names and comparator members are police force areas",
        "Name a force of the area list by its name or ONS code.",
    )
    FOR002 = (
        "FOR002", Stage.FORCE,
        "reporting_period is a quarter",
        "Write a financial quarter such as 2021/22-Q4.",
    )
    FOR003 = (
        "FOR003", Stage.FORCE,
        "dataset caveats name police force areas and end after they start",
        "Name forces of the area list and put the start before the end.",
    )
    FOR004 = (
        "FOR004", Stage.FORCE,
        "a profile's region agrees with the area list",
        "Correct the region, or remove it: the area list gives it.",
    )
    FOR005 = (
        "FOR005", Stage.FORCE,
        "at most one force profile says default: true",
        "Keep `default: true` on one profile.",
    )
    SQL001 = (
        "SQL001", Stage.SQL,
        "no mean aggregation over a sql dataset",
        "Aggregate a sql dataset by sum or count.",
    )
    DAT001 = (
        "DAT001", Stage.DATA,
        "a dataset's files or table cannot be read",
        "Check the dataset's path or connection, or run the bundling script.",
    )
    DAT002 = (
        "DAT002", Stage.DATA,
        "the data has no column a measure filters or breaks down by",
        "Correct the dimension's column, or the measure's filter.",
    )
    DAT003 = (
        "DAT003", Stage.DATA,
        "no row of the data has a value a measure filters on",
        "Correct the filter value; the finding names the nearest values in the data.",
    )
    DAT010 = (
        "DAT010", Stage.DATA,
        "the rows disagree with the forces the dataset says it covers",
        "Correct the dataset's `covers:`, or the data.",
    )
    DAT011 = (
        "DAT011", Stage.DATA,
        "the reader left out more unexpected rows than max_excluded_rows allows",
        "Correct the rows in the source file, or raise max_excluded_rows if they are unusable.",
    )
    DAT012 = (
        "DAT012", Stage.DATA,
        "a row the reader left out, at its file and line",
        "Correct the row in the source file.",
    )
    DAT013 = (
        "DAT013", Stage.DATA,
        "a period column holds values in another form than declared",
        "Declare the period form the column holds, or rewrite the column.",
    )
    DAT014 = (
        "DAT014", Stage.DATA,
        "a baseline or SPC rebase lies outside the span the measure's data cover",
        "Choose a baseline or rebase inside the data, or extend the data.",
    )
    DAT015 = (
        "DAT015", Stage.DATA,
        "a dataset's declared latest_period is not where its rows end",
        "Set latest_period to the month (or quarter) of the latest row.",
    )
    RUN001 = (
        "RUN001", Stage.RUN,
        "a dataset cannot be read",
        "Check the dataset's path in the registry, or its database connection.",
    )
    RUN002 = (
        "RUN002", Stage.RUN,
        "a measure cannot be evaluated",
        "Read the message; it names the step of the plan that failed.",
    )
    RUN003 = (
        "RUN003", Stage.RUN,
        "a measure's filters match no row of its dataset",
        "Correct the filter values (`validate --data` names the nearest ones).",
    )
    RUN004 = (
        "RUN004", Stage.RUN,
        "part of a dataset cannot be read, or `covers:` lists an area that is not a force",
        "Check the named file or area; the rest of the dataset was read.",
    )
    RUN011 = (
        "RUN011", Stage.RUN,
        "the reader left out more unexpected rows than max_excluded_rows allows",
        "Correct the rows in the source file, or raise max_excluded_rows if they are unusable.",
    )
    SPC001 = (
        "SPC001", Stage.SPC,
        "the CSV file does not exist",
        "Check the path, relative to the folder the command runs in.",
    )
    SPC002 = (
        "SPC002", Stage.SPC,
        "the CSV file cannot be read or has no header row",
        "Give a UTF-8 CSV file with a header row.",
    )
    SPC003 = (
        "SPC003", Stage.SPC,
        "a column named on the command line is not in the header",
        "Name a column of the header.",
    )
    SPC004 = (
        "SPC004", Stage.SPC,
        "the value column holds something that is not a number",
        "Write plain numbers such as 1234 or 12.5.",
    )
    SPC005 = (
        "SPC005", Stage.SPC,
        "the value column is empty on some rows",
        "Fill the gap or drop the row: an XmR chart needs a value for every period.",
    )
    SPC006 = (
        "SPC006", Stage.SPC,
        "the period column is empty, repeats a period, or holds one that cannot be ordered",
        "Write every period in one form, once.",
    )
    SPC007 = (
        "SPC007", Stage.SPC,
        "the series has fewer than two values",
        "Give a series of values, one row per period.",
    )
    SPC101 = (
        "SPC101", Stage.SPC,
        "the SPC profile file does not exist or cannot be read",
        "Check the path; the bundled profiles are in measures/national/spc/.",
    )
    SPC103 = (
        "SPC103", Stage.SPC,
        "the SPC profile file holds a definition of another kind",
        "Give the path of a file that starts with `spc_profile:`.",
    )
    SPC105 = (
        "SPC105", Stage.SPC,
        "an SPC profile's id differs from its file name",
        "Rename the file after the id, or the id after the file.",
    )
    # fmt: on


RETIRED: dict[str, str] = {
    "SPC102": "an SPC profile that is not valid YAML; it is now a YAML* finding like any "
    "definition's",
    "SPC104": "an SPC profile field the schema refuses; it is now an SCH* finding like any "
    "definition's",
}
"""Codes no longer emitted, with what replaced them: never given to a new problem."""


def prefix_of(code: Code) -> str:
    """Return the letters of a code: ``RUL`` for ``RUL001``."""
    return code.value.rstrip("0123456789")
