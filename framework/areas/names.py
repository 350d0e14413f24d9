"""Normalise area names and table headers so that spellings from different publishers meet.

Publishers write the same force several ways ("London, City of", "City of London Police",
"Devon & Cornwall") and glue footnote markers to names and headers ("Northumbria7",
"ENGLAND AND WALES7,8,9,10", "Total recorded crime (excluding fraud3)"). These helpers
turn such text into comparable keys; they never guess between two different areas.
"""

from __future__ import annotations

import re

# Footnote markers are small numbers, alone or in comma lists, glued to a lower-case word or a
# closing bracket ("fraud3)", "(mid-2018)3", "burglary5,6"); "Table P1" keeps its number.
_GLUED_FOOTNOTE = re.compile(r"(?<=[a-z)])\d{1,2}(?:,\s?\d{1,2})*(?=$|[\s),.;:])")
# ... or set off by a space at the very end ("Stalking and harassment 4", "North West 7,8").
# Capped at two digits so that "rounded to 100" keeps its number.
_TRAILING_FOOTNOTE = re.compile(r"(?<=[A-Za-z)])\s+\d{1,2}(?:,\s?\d{1,2})*$")
_SPACES = re.compile(r"\s+")
_NOTE_MARKER = re.compile(r"\[\s*notes?\b[^\]]*\]", re.I)
"""Footnote markers of the newer ONS layout: "[note 15]", "[note 2, 3]"."""
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_AREA_FOOTNOTES = re.compile(r"^(?P<name>.*?[A-Za-z)])\s*(?P<notes>\d{1,2}(?:,\s?\d{1,2})*)$")
AREA_CODE = re.compile(r"^[A-Z]\d{8}$")
"""An ONS GSS code: one capital letter and eight digits (``E23000017``)."""

# Words police.uk and force websites add to the area's name; stripped only as a second try.
_FORCE_SUFFIXES = ("police service", "constabulary", "police force", "police")


def clean_text(text: object) -> str:
    """Return header or title text with footnote markers removed and whitespace collapsed."""
    value = _SPACES.sub(" ", _NOTE_MARKER.sub(" ", str(text))).strip()
    value = _TRAILING_FOOTNOTE.sub("", value)
    value = _GLUED_FOOTNOTE.sub("", value)
    return _SPACES.sub(" ", value).strip()


def split_area_footnotes(name: str) -> tuple[str, tuple[int, ...]]:
    """Split an area name from the footnote numbers glued to it (``"Greater Manchester8,9"``).

    Area names never end in a digit, so every trailing number is a footnote marker.
    """
    text = _SPACES.sub(" ", name).strip()
    match = _AREA_FOOTNOTES.match(text)
    if match is None:
        return text, ()
    notes = tuple(int(part) for part in match["notes"].replace(" ", "").split(","))
    return match["name"].strip(), notes


def name_key(name: str) -> str:
    """Return the comparison key of an area name: footnotes gone, case and punctuation ignored."""
    text, _ = split_area_footnotes(name)
    text = text.casefold().replace("&", " and ")
    return _NON_ALNUM.sub(" ", text).strip()


def short_key(key: str) -> str:
    """Return a name key without a trailing "Police", "Constabulary" or "Police Service"."""
    for suffix in _FORCE_SUFFIXES:
        if key.endswith(" " + suffix):
            return key[: -len(suffix) - 1].strip()
    return key


def is_area_code(text: str) -> bool:
    """Return True when the text has the form of an ONS area code."""
    return bool(AREA_CODE.match(text.strip().upper()))
