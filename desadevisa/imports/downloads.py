"""The empty files people fill in: each kind's header row in the chosen language, as CSV, or
as XLSX with a second sheet explaining every column."""

from __future__ import annotations

import tempfile

from django.http import FileResponse, HttpResponse
from django.utils import translation
from django.utils.translation import gettext

from desadevisa.core.lists import header_row
from desadevisa.imports.importers import IMPORTERS

TEMPLATE_FORMATS = ("csv", "xlsx")
TEMPLATE_LANGUAGES = ("id", "en")


def template_response(*, kind: str, file_format: str, language: str) -> HttpResponse:
    """The template of ``kind`` as an attachment; the headers in ``language``."""
    importer_class = IMPORTERS[kind]
    filename = f"{kind}-template-{language}.{file_format}"
    with translation.override(language):
        if file_format == "csv":
            response = HttpResponse(
                _csv_header(importer_class.columns), content_type="text/csv; charset=utf-8"
            )
        else:
            response = FileResponse(
                _xlsx_template(importer_class),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _csv_header(columns) -> str:
    import csv
    import io

    output = io.StringIO()
    csv.writer(output).writerow(header_row(columns))
    return "\ufeff" + output.getvalue()


def _xlsx_template(importer_class):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Data")
    sheet.append(header_row(importer_class.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    help_sheet = workbook.create_sheet(gettext("Columns"))
    help_sheet.append(
        [gettext("Column"), gettext("Also accepted as"), gettext("Required"), gettext("Values")]
    )
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    parsers = importer_class.parsers_described()
    for column in importer_class.columns:
        explain = getattr(parsers.get(column.name), "help", None)
        help_sheet.append(
            [
                str(column.label),
                column.name,
                gettext("yes") if column.name in importer_class.required else gettext("no"),
                explain() if explain else "",
            ]
        )
    help_sheet.append([])
    help_sheet.append(
        [
            gettext(
                "Rows are matched by their key columns (%(key)s): an existing record is "
                "updated, a new one created. Leave the first sheet's header as it is; headers "
                "in English or Indonesian are both accepted."
            )
            % {
                "key": ", ".join(
                    str(c.label) for c in importer_class.columns if c.name in importer_class.key
                )
            }
        ]
    )
    for letter, width in zip("ABCD", (32, 24, 10, 80), strict=True):
        help_sheet.column_dimensions[letter].width = width
    output = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    workbook.save(output)
    output.seek(0)
    return output
