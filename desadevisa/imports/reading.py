"""Reading an uploaded spreadsheet: CSV or XLSX, told apart by content, never by name.

``table_open(path)`` gives a ``Table``: its header and its rows, streamed one at a time, so a
large file never sits in memory. A file that cannot be read raises ``ImportFileError`` with a
message for the person who sent it.

- CSV: UTF-8 with or without a byte-order mark; the delimiter is a comma or a semicolon,
  whichever the header line uses more.
- XLSX: the first sheet, read in openpyxl's read-only (streaming) mode, cell values as stored
  (dates stay dates, numbers numbers).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# The most columns a file may have; the widest kind has 18.
MAX_COLUMNS = 50
# The longest text a cell may hold; longer cells are reported as errors and not kept.
CELL_MAX_CHARS = 10_000
SNIFF_BYTES = 64 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, for its sender."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class TooLong:
    """A cell longer than CELL_MAX_CHARS: only its length is kept."""

    length: int


@dataclass
class Table:
    """A file's header (the cells of its first row) and its data rows as ``(number, cells)``;
    ``number`` is the row's number in a spreadsheet program (the header is row 1).
    ``estimated_rows`` is for progress bars only."""

    file_format: str
    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    estimated_rows: int


def file_format_of(path) -> str:
    """``"csv"`` or ``"xlsx"`` from the file's content; ImportFileError for anything else."""
    with open(path, "rb") as stream:
        start = stream.read(SNIFF_BYTES)
    if not start.strip(b"\xef\xbb\xbf \t\r\n"):
        raise ImportFileError(_("The file is empty."))
    if start.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError) as error:
            raise ImportFileError(_("The file is damaged: it cannot be opened.")) from error
        if "xl/workbook.xml" not in names:
            raise ImportFileError(
                _(
                    "The file is not an XLSX workbook (perhaps another document renamed). "
                    "Save the sheet as XLSX or CSV and try again."
                )
            )
        return "xlsx"
    if start.startswith(b"%PDF"):
        raise ImportFileError(
            _("The file is a PDF document, not a spreadsheet. Send a CSV or XLSX file.")
        )
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("The file is in the old Excel format (XLS). Save it as XLSX or CSV and try again.")
        )
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(start, final=False)
    except UnicodeDecodeError as error:
        raise ImportFileError(_not_text()) from error
    if "\x00" in text:
        raise ImportFileError(_not_text())
    return "csv"


def _not_text():
    return _(
        "The file is neither a CSV text file in UTF-8 nor an XLSX workbook. Save the sheet "
        "as CSV UTF-8 or XLSX and try again."
    )


@contextmanager
def table_open(path) -> Iterator[Table]:
    """The table in the file at ``path``; ImportFileError when it cannot be read, now or
    while its rows are read."""
    file_format = file_format_of(path)
    if file_format == "xlsx":
        with _xlsx_table(path) as table:
            yield table
    else:
        with _csv_table(path) as table:
            yield table


# CSV ------------------------------------------------------------------------------------------


@contextmanager
def _csv_table(path) -> Iterator[Table]:
    # A field may be as long as the file: a 10 MB name is reported as an error, not a crash.
    csv.field_size_limit(max(csv.field_size_limit(), settings.IMPORT_MAX_BYTES + 1))
    estimated = _count_lines(path)
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        try:
            first_line = text.readline()
            text.seek(0)
        except UnicodeDecodeError as error:
            raise ImportFileError(_not_text()) from error
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.reader(text, delimiter=delimiter)
        try:
            header = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as error:
            raise ImportFileError(_not_text()) from error
        if not header or not any(cell.strip() for cell in header):
            raise ImportFileError(_("The file is empty."))
        _check_width(header)
        yield Table(
            file_format="csv",
            header=[cell.strip() for cell in header],
            rows=_csv_rows(reader, len(header)),
            estimated_rows=max(estimated - 1, 0),
        )


def _csv_rows(reader, width: int) -> Iterator[tuple[int, list[Any]]]:
    number = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _("Row %(row)s is not UTF-8 text. Save the sheet as CSV UTF-8 and try again.")
                % {"row": number + 1}
            ) from error
        except csv.Error as error:
            raise ImportFileError(
                _("Row %(row)s cannot be read as CSV.") % {"row": number + 1}
            ) from error
        number += 1
        cells = cells[:width]
        if any(len(cell) > CELL_MAX_CHARS for cell in cells):
            cells = [_capped(cell) for cell in cells]
        yield number, cells


def _count_lines(path) -> int:
    lines = 0
    with open(path, "rb") as stream:
        while chunk := stream.read(1024 * 1024):
            lines += chunk.count(b"\n")
    return lines + 1


# XLSX -----------------------------------------------------------------------------------------


@contextmanager
def _xlsx_table(path) -> Iterator[Table]:
    from openpyxl import load_workbook

    # A file object, not a path: openpyxl judges a path by its extension, we by content.
    stream = open(path, "rb")  # noqa: SIM115 - closed below
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        stream.close()
        raise ImportFileError(
            _("The XLSX workbook is damaged or cannot be read. Save it again and retry.")
        ) from error
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The file is empty."))
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
        try:
            header = list(next(rows, None) or ())
        except Exception as error:
            raise ImportFileError(
                _("The XLSX workbook is damaged or cannot be read. Save it again and retry.")
            ) from error
        while header and (header[-1] is None or str(header[-1]).strip() == ""):
            header.pop()
        if not header:
            raise ImportFileError(_("The file is empty."))
        _check_width(header)
        estimated = (sheet.max_row or 1) - 1
        yield Table(
            file_format="xlsx",
            header=["" if cell is None else str(cell).strip() for cell in header],
            rows=_xlsx_rows(rows, len(header)),
            estimated_rows=max(estimated, 0),
        )
    finally:
        workbook.close()
        stream.close()


def _xlsx_rows(rows, width: int) -> Iterator[tuple[int, list[Any]]]:
    number = 1
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except Exception as error:
            raise ImportFileError(
                _("Row %(row)s of the XLSX workbook cannot be read.") % {"row": number + 1}
            ) from error
        number += 1
        yield number, [_capped(cell) for cell in cells[:width]]


# Both -----------------------------------------------------------------------------------------


def _check_width(header: list) -> None:
    if len(header) > MAX_COLUMNS:
        raise ImportFileError(
            _("The file has more than %(count)s columns.") % {"count": MAX_COLUMNS}
        )


def _capped(cell: Any) -> Any:
    if isinstance(cell, str) and len(cell) > CELL_MAX_CHARS:
        return TooLong(len(cell))
    return cell
