"""Find the parts of an ONS Police Force Area table sheet by their text, not their position.

A sheet has a title ("Table P1: ... year ending June 2019"), a heading row that begins
"Area Code(s)", "Area Name" (with a row of column-group headings above it in Table P4, and the
"Total recorded crime" heading above it in Table P1), one row per area, then a "Source:" line
and numbered footnotes. Names and headings carry footnote markers ("Northumbria7",
"Homicide5,6"), and editions move columns about, so everything is matched by cleaned text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from framework.areas.names import clean_text
from framework.periods import MONTH_NAMES, month_index

Row = tuple[object, ...]

_MONTHS = {name.casefold(): number for number, name in enumerate(MONTH_NAMES, start=1)}
_MONTHS.update({name[:3].casefold(): number for name, number in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_YEAR_ENDING = re.compile(r"year\s+ending\s+(?P<month>[A-Za-z]+)\.?\s+(?P<digits>\d+)", re.I)
_FOOTNOTE = re.compile(r"^\s*(?P<number>\d{1,2})\s*\.\s*(?P<text>\S.*)$", re.S)
_MARKER = re.compile(
    r"['‘’](?P<marker>[^'‘’]{1,4})['‘’]\s+indicates\s+(?:that\s+)?(?P<meaning>.+)", re.I | re.S
)


def text_of(cell: object) -> str:
    """Return a cell's text, stripped ('' for an empty cell)."""
    return "" if cell is None else str(cell).strip()


def sheet_key(name: str) -> str:
    """Return a sheet name with every space removed and case folded ("Table P4  " → "tablep4")."""
    return re.sub(r"\s+", "", name).casefold()


def edition_month(text: str) -> int | None:
    """Return the month index of "year ending <Month> <Year>" in a title, or ``None``.

    Footnote markers are glued to the year ("June 20191,2", "March 181,2,3"): a year starting
    "20" with at least four digits is a four-digit year, otherwise the first two digits are.
    """
    match = _YEAR_ENDING.search(text)
    if match is None:
        return None
    month = _MONTHS.get(match["month"].casefold())
    digits = match["digits"]
    if month is None or len(digits) < 2:
        return None
    year = (
        int(digits[:4]) if len(digits) >= 4 and digits.startswith("20") else 2000 + int(digits[:2])
    )
    return month_index(year, month)


@dataclass(frozen=True)
class Column:
    """One column's headings: its group (carried across merged cells) and its own heading."""

    index: int
    group: str
    """The heading above, carried right across the group's columns (Table P4's offences)."""
    own_group: str
    """The heading directly above this column only (Table P1's "Total recorded crime")."""
    heading: str

    @property
    def label(self) -> str:
        """Return the column's own heading, or the one above it when it has none."""
        return self.heading or self.own_group


@dataclass(frozen=True)
class SheetLayout:
    """Where a sheet's title, headings, areas and footnotes are."""

    title: str
    subtitle: str
    header_row: int
    """0-based index of the "Area Code" row."""
    code_column: int
    name_column: int
    columns: tuple[Column, ...]
    data_rows: tuple[int, ...]
    """0-based indexes of the rows naming an area."""
    footnotes: dict[int, tuple[str, ...]] = field(default_factory=dict)
    """Footnote texts by number (some sheets number two notes alike)."""

    def marker_meanings(self) -> dict[str, str]:
        """Return what each cell marker means, from footnotes such as "'..' indicates ..."."""
        meanings: dict[str, str] = {}
        for texts in self.footnotes.values():
            for text in texts:
                match = _MARKER.search(text)
                if match:
                    meanings[match["marker"].strip()] = match["meaning"].strip().rstrip(".")
        return meanings


def layout(rows: Sequence[Row]) -> SheetLayout | None:
    """Locate the parts of a table sheet; ``None`` when no row begins "Area Code"."""
    header = next(
        (
            i
            for i, row in enumerate(rows)
            if any(text_of(cell).casefold() in ("area code", "area codes") for cell in row)
        ),
        None,
    )
    if header is None:
        return None
    cells = [text_of(cell) for cell in rows[header]]
    code_column = next(
        i for i, text in enumerate(cells) if text.casefold() in ("area code", "area codes")
    )
    name_column = next(
        (i for i, text in enumerate(cells) if text.casefold() == "area name"), code_column + 1
    )
    above = [text_of(cell) for cell in rows[header - 1]] if header > 0 else []
    if not any(text for index, text in enumerate(above) if index > name_column):
        # A line of text in the first column ("Source: Home Office ...") is a note above
        # the table, not a row of column-group headings.
        above = []
    columns = []
    carried = ""
    for index in range(max(len(cells), len(above))):
        own = clean_text(above[index]) if index < len(above) and above[index] else ""
        carried = own or carried
        heading = clean_text(cells[index]) if index < len(cells) and cells[index] else ""
        if index not in (code_column, name_column):
            columns.append(Column(index, carried, own, heading))
    data_rows: list[int] = []
    footnotes: dict[int, list[str]] = {}
    in_notes = False
    for index in range(header + 1, len(rows)):
        row = rows[index]
        first = text_of(row[code_column]) if len(row) > code_column else ""
        name = text_of(row[name_column]) if len(row) > name_column else ""
        if first.casefold().startswith("source"):
            in_notes = True
            continue
        if in_notes:
            match = _FOOTNOTE.match(first)
            if match:
                footnotes.setdefault(int(match["number"]), []).append(
                    " ".join(match["text"].split())
                )
            continue
        if name:
            data_rows.append(index)
    title = next((text_of(cell) for row in rows[:header] for cell in row if text_of(cell)), "")
    subtitle = next(
        (text_of(row[0]) for row in rows[1 : header - 1] if row and text_of(row[0])), ""
    )
    return SheetLayout(
        title=title,
        subtitle=subtitle,
        header_row=header,
        code_column=code_column,
        name_column=name_column,
        columns=tuple(columns),
        data_rows=tuple(data_rows),
        footnotes={number: tuple(texts) for number, texts in footnotes.items()},
    )


def find_column(columns: Sequence[Column], header: str, offence: str | None) -> Column | str:
    """Return the column a header (and, for Table P4, an offence group) names, or why none does.

    Matching is on cleaned, case-folded text; an exact match wins, else a unique heading that
    starts with the header ("Population figures" finds "Population figures (mid-2018) ..."),
    else a unique heading that ends with it.
    """
    wanted = clean_text(header).casefold()
    group = clean_text(offence).casefold() if offence else None
    if group is not None:
        pool = [column for column in columns if column.group.casefold() == group]
        if not pool:
            groups = sorted({column.group for column in columns if column.group})
            return f"no column group {offence!r}; the groups are: {'; '.join(groups)}"
        texts = [(column, column.heading.casefold()) for column in pool]
    else:
        pool = list(columns)
        texts = [(column, column.label.casefold()) for column in pool]
    exact = [column for column, text in texts if text == wanted]
    if len(exact) == 1:
        return exact[0]
    prefixed = [
        column
        for column, text in texts
        if text.startswith(wanted) and text[len(wanted) : len(wanted) + 1] in (" ", "(")
    ]
    if not exact and len(prefixed) == 1:
        return prefixed[0]
    # One edition repeats the group's name before the heading ("Total recorded crime Total
    # recorded crime (excluding fraud)"): a unique heading that ends with the header is it.
    suffixed = [column for column, text in texts if text.endswith(" " + wanted)]
    if not exact and not prefixed and len(suffixed) == 1:
        return suffixed[0]
    headings = sorted({column.heading if group else column.label for column in pool} - {""})
    if len(exact) > 1 or len(prefixed) > 1:
        hint = " (give the offence group)" if group is None else ""
        return (
            f"header {header!r} matches several columns{hint}; "
            f"the headers are: {'; '.join(headings)}"
        )
    return f"no column headed {header!r}; the headers are: {'; '.join(headings)}"
