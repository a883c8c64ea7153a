"""Running an importer over a whole file, chunk by chunk: the check (preview) and the apply.

``import_run`` reads the file once. Memory stays bounded: one chunk of rows at a time, the
first ERRORS_KEPT errors and SAMPLE_SIZE changes, and an 8-byte digest per natural key to
find keys a file repeats. With ``write=True`` each chunk is written as soon as it is
resolved, as long as no row so far had an error; the caller runs the whole in one
transaction and rolls it back when the report has errors (services.import_job_apply).
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from desadevisa.imports.fields import NumberStyle, is_empty, number_style
from desadevisa.imports.importers import CREATE, IMPORTERS, UNCHANGED, UPDATE, Importer, Row
from desadevisa.imports.reading import ImportFileError, table_open

CHUNK_SIZE = 1_000
ERRORS_KEPT = 1_000
SAMPLE_SIZE = 20
SAMPLE_TEXT = 120
SPACES = re.compile(r"\s+")
NO_DATA = _("The file has no data rows.")


@dataclass
class Report:
    """What a file does, or would do: counts, the first errors and a sample of changes."""

    estimated_rows: int = 0
    rows: int = 0
    to_create: int = 0
    to_update: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    sample: list[dict[str, Any]] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return self.to_create + self.to_update


Progress = Callable[[Report], None]


def column_labels(importer: Importer) -> dict[str, str]:
    """Each column's header in the active language."""
    return {column.name: str(column.label) for column in importer.columns}


def _normalised(header: str) -> str:
    return SPACES.sub(" ", str(header)).strip().casefold()


def header_mapping(importer: Importer, header: list[str]) -> dict[int, str]:
    """Which column each header cell is: its English or Indonesian header or its name, in
    any case. ImportFileError names missing, unknown and repeated columns."""
    aliases: dict[str, str] = {}
    for column in importer.columns:
        aliases[_normalised(column.name)] = column.name
        for language in ("en", "id"):
            with translation.override(language):
                aliases[_normalised(str(column.label))] = column.name
    labels = column_labels(importer)
    mapping: dict[int, str] = {}
    unknown, repeated = [], []
    for index, cell in enumerate(header):
        if not cell:
            continue
        name = aliases.get(_normalised(cell))
        if name is None:
            unknown.append(cell[:60])
        elif name in mapping.values():
            repeated.append(labels[name])
        else:
            mapping[index] = name
    missing = [
        labels[column.name]
        for column in importer.columns
        if column.name in importer.required and column.name not in mapping.values()
    ]
    problems = []
    if missing:
        problems.append(gettext("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        problems.append(
            gettext("Unknown columns: %(columns)s. Use the headers of the template.")
            % {"columns": ", ".join(f"“{name}”" for name in unknown)}
        )
    if repeated:
        problems.append(
            gettext("Columns given twice: %(columns)s.") % {"columns": ", ".join(repeated)}
        )
    if problems:
        raise ImportFileError(" ".join(problems))
    return mapping


def file_numbers(importer: type[Importer], header: list[str], language: str) -> NumberStyle:
    """How the file writes numbers: as the language of its headers when they are all of one
    language (a template's or a list's download), else as ``language``, the person's."""
    labels = {code: _labels_in(importer, code) for code in ("en", "id")}
    # A column's name (``name``, ``village_code``) is of no language, even when it reads as
    # an English header.
    names = frozenset(_normalised(column.name) for column in importer.columns)
    languages = set()
    for cell in map(_normalised, header):
        if cell in names:
            continue
        found = {code for code, texts in labels.items() if cell in texts}
        if len(found) == 1:
            languages |= found
    return number_style(languages.pop() if len(languages) == 1 else language)


def _labels_in(importer: type[Importer], language: str) -> frozenset[str]:
    with translation.override(language):
        return frozenset(_normalised(str(column.label)) for column in importer.columns)


def header_check(*, kind: str, path, language: str) -> None:
    """Raise ImportFileError when the file cannot be read, its header does not fit ``kind``
    or no row follows it."""
    with translation.override(language), table_open(path) as table:
        header_mapping(IMPORTERS[kind], table.header)
        if not any(not _blank(cells) for _number, cells in table.rows):
            raise ImportFileError(NO_DATA)


def _blank(cells: list) -> bool:
    return all(is_empty(cell) for cell in cells)


def import_run(
    *,
    kind: str,
    path,
    user,
    language: str,
    write: bool = False,
    progress: Progress | None = None,
    today: datetime.date | None = None,
) -> Report:
    """Check the file at ``path`` as ``user`` would import it; with ``write``, also write it.

    Raises ImportFileError when the file as a whole cannot be read, is too long or has no
    data rows.
    """
    importer_class = IMPORTERS[kind]
    now = timezone.now()
    with translation.override(language), table_open(path) as table:
        mapping = header_mapping(importer_class, table.header)
        importer = importer_class(
            user=user, today=today, numbers=file_numbers(importer_class, table.header, language)
        )
        labels = column_labels(importer)
        report = Report(estimated_rows=table.estimated_rows)
        columns = list(mapping.items())
        present = frozenset(mapping.values())
        seen: dict[bytes, int] = {}
        for chunk in _chunks(table.rows, CHUNK_SIZE):
            rows = []
            for number, cells in chunk:
                if _blank(cells):
                    continue
                report.rows += 1
                width = len(cells)
                row = importer.parse(
                    number,
                    {name: cells[index] if index < width else None for index, name in columns},
                    present,
                )
                if not row.errors:
                    _check_repeated(importer, row, seen, labels)
                rows.append(row)
            good = [row for row in rows if not row.errors]
            bad = [row for row in rows if row.errors]
            if good:
                importer.resolve(good)
            if bad:
                importer.check_references(bad)
            for row in rows:
                _tally(report, row, importer, labels)
            if write and report.error_count == 0:
                importer.write([row for row in rows if row.action in (CREATE, UPDATE)], now=now)
            if progress is not None:
                progress(report)
        if not report.rows:
            raise ImportFileError(NO_DATA)
    return report


def _chunks(rows: Iterator, size: int) -> Iterator[list]:
    while chunk := list(itertools.islice(rows, size)):
        yield chunk


def _check_repeated(importer: Importer, row: Row, seen: dict[bytes, int], labels) -> None:
    digest = hashlib.blake2b(repr(importer.key_of(row)).encode(), digest_size=8).digest()
    first = seen.setdefault(digest, row.number)
    if first != row.number:
        row.fail(
            importer.key[0],
            _("Repeats row %(row)s: the same %(columns)s.")
            % {"row": first, "columns": ", ".join(labels[name] for name in importer.key)},
        )


def _tally(report: Report, row: Row, importer: Importer, labels: dict[str, str]) -> None:
    if row.errors:
        for column, message in row.errors:
            report.error_count += 1
            if len(report.errors) < ERRORS_KEPT:
                report.errors.append(
                    {"row": row.number, "column": labels.get(column, ""), "message": message}
                )
        return
    if row.action == CREATE:
        report.to_create += 1
    elif row.action == UPDATE:
        report.to_update += 1
    elif row.action == UNCHANGED:
        report.unchanged += 1
        return
    if len(report.sample) < SAMPLE_SIZE:
        report.sample.append(
            {
                "row": row.number,
                "action": row.action,
                "key": " · ".join(_shown(row.values.get(name)) for name in importer.key),
                "changes": [
                    [labels[name], _shown(old), _shown(new)]
                    for name, (old, new) in row.changes.items()
                ],
            }
        )


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, tuple):
        value = "; ".join(value)
    if isinstance(value, datetime.date):
        value = value.isoformat()
    text = str(value)
    return text if len(text) <= SAMPLE_TEXT else text[: SAMPLE_TEXT - 1] + "…"
