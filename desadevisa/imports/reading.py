"""Reading an uploaded spreadsheet: CSV or XLSX, told apart by content, never by name.

``table_open(path)`` gives a ``Table``: its header and its rows, streamed one at a time, so a
large file never sits in memory. A file that cannot be read raises ``ImportFileError`` with a
message for the person who sent it.

- CSV: UTF-8 with or without a byte-order mark; the delimiter is a comma or a semicolon,
  whichever the header line uses more.
- XLSX: the first sheet, read in openpyxl's read-only (streaming) mode, cell values as stored
  (dates stay dates, numbers numbers).

The work a file causes is bounded before it is read, not only its size: a workbook is
refused when its parts (listed by the zip's directory, whose sizes zipfile enforces while
inflating) are too many or inflate beyond IMPORT_MAX_INFLATED_BYTES, when a part is encrypted
or itself an archive, when a text in its XML is far beyond CELL_MAX_CHARS, or when its first
sheet declares more rows than a file may have or more than Excel's limits. While reading, a
row numbered beyond the row cap (blank rows count: they cost work too) ends the reading.
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
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# The most columns a file may have; the widest kind has 18.
MAX_COLUMNS = 50
# The longest text a cell may hold; longer cells are reported as errors and not kept.
CELL_MAX_CHARS = 10_000
SNIFF_BYTES = 64 * 1024
# Excel's own limits: a sheet declaring more is damaged or made to harm.
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
# The parts of a workbook: a sheet saved by a spreadsheet program has a dozen or two.
XLSX_MAX_MEMBERS = 1_000
# A part other than a sheet (shared strings, styles) is read into memory whole.
XLSX_PART_MAX_BYTES = 64 * 1024 * 1024
# XML text between two tags: a cell of CELL_MAX_CHARS characters takes at most 6 bytes a
# character (``&quot;``), and its tag some more.
XML_RUN_MAX_BYTES = 6 * CELL_MAX_CHARS + 4096
ARCHIVE_SIGNATURES = (b"PK\x03\x04", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BZh", b"\xfd7zXZ")


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
    try:
        with open(path, "rb") as stream:
            start = stream.read(SNIFF_BYTES)
    except OSError as error:
        raise ImportFileError(_("The file cannot be read.")) from error
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


def _too_many_rows(max_rows: int):
    return _("The file has more than %(count)s rows; split it.") % {"count": f"{max_rows:,}"}


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
    last = settings.IMPORT_MAX_ROWS + 1
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
        if number > last:
            raise ImportFileError(_too_many_rows(settings.IMPORT_MAX_ROWS))
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

    xlsx_inspect(path)
    # A file object, not a path: openpyxl judges a path by its extension, we by content.
    stream = open(path, "rb")  # noqa: SIM115 - closed below
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        stream.close()
        raise _damaged() from error
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The file is empty."))
        sheet = workbook.worksheets[0]
        _dimension_check(sheet)
        rows = _xlsx_rows(sheet)
        try:
            first = next(rows, None)
        except ImportFileError:
            raise
        except Exception as error:
            raise _damaged() from error
        header = list(first[1]) if first is not None and first[0] == 1 else []
        while header and (header[-1] is None or str(header[-1]).strip() == ""):
            header.pop()
        if not header:
            raise ImportFileError(_("The file is empty."))
        _check_width(header)
        estimated = (sheet.max_row or 1) - 1
        yield Table(
            file_format="xlsx",
            header=["" if cell is None else str(cell).strip() for cell in header],
            rows=_xlsx_data_rows(rows, len(header)),
            estimated_rows=max(estimated, 0),
        )
    finally:
        workbook.close()
        stream.close()


def xlsx_inspect(path) -> None:
    """Refuse a workbook whose parts would cost more to read than any real sheet: too many,
    too large once inflated, encrypted, archives themselves, or holding an immense text."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > XLSX_MAX_MEMBERS:
                raise ImportFileError(
                    _("The workbook has more than %(count)s parts; save the sheet alone again.")
                    % {"count": f"{XLSX_MAX_MEMBERS:,}"}
                )
            if any(member.flag_bits & 0x1 for member in members):
                raise ImportFileError(
                    _("The workbook is encrypted. Remove its password, save it and try again.")
                )
            inflated = sum(member.file_size for member in members)
            limit = settings.IMPORT_MAX_INFLATED_BYTES
            if inflated > limit:
                raise ImportFileError(_inflates_beyond(limit))
            for member in members:
                _member_check(archive, member)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise _damaged() from error


def _member_check(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    name = member.filename
    is_sheet = name.startswith("xl/worksheets/")
    if not is_sheet and member.file_size > XLSX_PART_MAX_BYTES:
        raise ImportFileError(_inflates_beyond(XLSX_PART_MAX_BYTES))
    with archive.open(member) as content:
        start = content.read(8)
        if start.startswith(ARCHIVE_SIGNATURES):
            raise ImportFileError(
                _(
                    "The workbook holds another archive (%(name)s). Save the sheet without "
                    "embedded files and try again."
                )
                % {"name": name[:100]}
            )
        if name.endswith((".xml", ".rels")) and _longest_text(start, content) > XML_RUN_MAX_BYTES:
            raise ImportFileError(
                _("A cell of the workbook holds more than %(count)s characters.")
                % {"count": f"{CELL_MAX_CHARS:,}"}
            )


def _longest_text(start: bytes, content) -> int:
    """The longest run of bytes without a ``<`` in the XML: a text, or an attribute with its
    tag. Counted chunk by chunk, without keeping the text."""
    longest = run = 0
    chunk = start
    while chunk:
        pieces = chunk.split(b"<")
        run += len(pieces[0])
        if len(pieces) > 1:
            longest = max(longest, run, max(map(len, pieces[1:-1]), default=0))
            run = len(pieces[-1])
        if run > XML_RUN_MAX_BYTES:
            return run
        chunk = content.read(1024 * 1024)
    return max(longest, run)


def _inflates_beyond(limit: int):
    return _("Unpacked, the workbook takes more than %(size)s. Split it into smaller files.") % {
        "size": filesizeformat(limit)
    }


def _damaged() -> ImportFileError:
    return ImportFileError(
        _("The XLSX workbook is damaged or cannot be read. Save it again and retry.")
    )


def _dimension_check(sheet) -> None:
    """Refuse a sheet whose declared size is beyond Excel's or beyond the row cap."""
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > EXCEL_ROWS or columns > EXCEL_COLUMNS:
        raise ImportFileError(_beyond_excel())
    max_rows = settings.IMPORT_MAX_ROWS
    if rows > max_rows + 1:
        raise ImportFileError(_too_many_rows(max_rows))


def _beyond_excel():
    return _(
        "The sheet goes beyond the %(rows)s rows and %(columns)s columns a spreadsheet can "
        "have: the file is damaged."
    ) % {"rows": f"{EXCEL_ROWS:,}", "columns": f"{EXCEL_COLUMNS:,}"}


def _xlsx_rows(sheet) -> Iterator[tuple[int, list[Any]]]:
    """``(number, cells)`` of the rows the sheet holds, numbered as in the sheet.

    openpyxl's parser, not ``iter_rows``: that one makes up every missing row, so a sheet
    whose one row is numbered 20,000,000 cost minutes of empty rows. The parser's
    attributes are openpyxl's (pinned), as ``ReadOnlyWorksheet._cells_by_row`` sets them.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = sheet.parent
    last = settings.IMPORT_MAX_ROWS + 1
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, cells in parser.parse():
            # Formatted rows are remembered by the parser; nothing here needs them.
            parser.row_dimensions.clear()
            if number > EXCEL_ROWS:
                raise ImportFileError(_beyond_excel())
            if number > last:
                raise ImportFileError(_too_many_rows(settings.IMPORT_MAX_ROWS))
            # One column more than a file may have, for the header's width check.
            values: list[Any] = [None] * (MAX_COLUMNS + 1)
            for cell in cells:
                column = cell["column"]
                if column > MAX_COLUMNS + 1:
                    if column > EXCEL_COLUMNS:
                        raise ImportFileError(_beyond_excel())
                    continue
                values[column - 1] = cell["value"]
            yield number, values


def _xlsx_data_rows(rows, width: int) -> Iterator[tuple[int, list[Any]]]:
    number = 1
    while True:
        try:
            number, cells = next(rows)
        except StopIteration:
            return
        except ImportFileError:
            raise
        except Exception as error:
            raise ImportFileError(
                _("Row %(row)s of the XLSX workbook cannot be read.") % {"row": number + 1}
            ) from error
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
