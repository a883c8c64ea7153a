"""Load the Harmonized System nomenclature (HS 2022) shipped with the catalog app."""

import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from desadevisa.catalog.models import HSCode, HSLevel
from desadevisa.regions.services import (
    InvalidRow,
    Progress,
    ReferenceFileError,
    TableLoad,
    reference_file_rows,
    reference_table_sync,
)

HS_DATA_FILE = Path(__file__).resolve().parent / "data" / "hs2022.csv.gz"
HS_HEADER = ("code", "parent_code", "level", "description")
HS_CODE_FORMATS = {
    HSLevel.SECTION: re.compile(r"X{0,3}(IX|IV|V?I{0,3})"),
    HSLevel.CHAPTER: re.compile(r"\d{2}"),
    HSLevel.HEADING: re.compile(r"\d{4}"),
    HSLevel.SUBHEADING: re.compile(r"\d{6}"),
}
HS_PARENT_LEVELS = {
    HSLevel.CHAPTER: HSLevel.SECTION,
    HSLevel.HEADING: HSLevel.CHAPTER,
    HSLevel.SUBHEADING: HSLevel.HEADING,
}


@dataclass(frozen=True, slots=True)
class HSCodeRow:
    code: str
    parent_code: str
    level: HSLevel
    description: str


def hs_codes_parse(*, path: Path = HS_DATA_FILE) -> list[HSCodeRow]:
    """Read and check an HS nomenclature file, writing nothing.

    The file is CSV, gzip-compressed if its name ends in ``.gz``, with the header
    ``code,parent_code,level,description``. Sections are Roman numerals without a parent;
    a chapter's parent is a section, and a heading's or subheading's parent is the code's own
    prefix one level up. Raises ReferenceFileError on the first bad line.
    """
    rows: dict[str, HSCodeRow] = {}
    lines: dict[str, int] = {}
    for line, fields in reference_file_rows(path=path, header=HS_HEADER):
        try:
            row = _hs_code_row(*fields, seen=rows)
        except InvalidRow as error:
            raise ReferenceFileError(path=path, line=line, problem=str(error)) from None
        rows[row.code] = row
        lines[row.code] = line
    # Parents are checked once the whole file is read: a file need not list them first.
    for row in rows.values():
        parent = rows.get(row.parent_code)
        if row.parent_code and (parent is None or parent.level != HS_PARENT_LEVELS[row.level]):
            raise ReferenceFileError(
                path=path,
                line=lines[row.code],
                problem=_("the parent code “%(parent)s” is not in the level above")
                % {"parent": row.parent_code},
            )
    return list(rows.values())


@transaction.atomic
def hs_codes_load(*, rows: list[HSCodeRow], progress: Progress | None = None) -> TableLoad:
    """Store a parsed HS nomenclature, writing only the codes that differ from those stored."""
    levels = list(HSLevel)
    # Parents before children, so every foreign key points to a row already written.
    ordered = sorted(rows, key=lambda row: levels.index(row.level))
    return reference_table_sync(
        model=HSCode,
        fields=("code", "parent_id", "level", "description"),
        rows=[
            (row.code, row.parent_code or None, row.level.value, row.description) for row in ordered
        ],
        progress=progress,
    )


def _hs_code_row(
    code: str, parent_code: str, level: str, description: str, *, seen: dict[str, HSCodeRow]
) -> HSCodeRow:
    if level not in HSLevel.values:
        raise InvalidRow(
            _("the level must be one of %(levels)s") % {"levels": ", ".join(HSLevel.values)}
        )
    hs_level = HSLevel(level)
    if not code or not HS_CODE_FORMATS[hs_level].fullmatch(code):
        raise InvalidRow(_("“%(code)s” is not a code of this level") % {"code": code})
    if code in seen:
        raise InvalidRow(_("the code “%(code)s” appears twice") % {"code": code})
    if hs_level == HSLevel.SECTION:
        if parent_code:
            raise InvalidRow(_("a section has no parent code"))
    elif hs_level == HSLevel.CHAPTER:
        if not parent_code:
            raise InvalidRow(_("a chapter needs the numeral of its section as parent code"))
    elif parent_code != code[:-2]:
        raise InvalidRow(
            _("the parent code of “%(code)s” must be “%(parent)s”")
            % {"code": code, "parent": code[:-2]}
        )
    description = description.strip()
    if not description:
        raise InvalidRow(_("the description is empty"))
    return HSCodeRow(code, parent_code, hs_level, description)
