"""Staff list pages: search, filters, sort and pagination from the query string, and the CSV and
XLSX export of exactly what the filter shows.

A list page describes itself once with a ``ListDefinition``; the view hands it the scoped
queryset from its selector (SECURITY §2.1: exports start from the same scope as the page):

    definition = ListDefinition(
        search=craft_unit_search,
        filters=(Filter("active", _("Active"), lambda: YES_NO, lambda rows, value: ...),),
        sorts=(Sort("name", _("Name"), ("name", "pk")), ...),
        columns=(Column("name", _("Name"), "name"), ...),
        export_name="craft-units",
    )

    def craft_unit_list_view(request):
        listing = list_page(request, craft_unit_scope(user=request.user), definition)
        if listing.export_format:
            return list_export(request, listing, definition)
        return render(request, "registry/craft_unit_list.html", {"listing": listing})

Unknown filter values, sorts and page numbers are ignored rather than refused: a shared link
that has gone stale still opens the list.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.functional import Promise
from django.utils.translation import gettext

EXPORT_FORMATS = ("csv", "xlsx")
# An XLSX sheet holds 1,048,576 rows, the header included.
XLSX_MAX_ROWS = 1_048_575
# Rows fetched from the database at a time while an export streams.
EXPORT_CHUNK_SIZE = 2_000
# A cell starting with one of these is a formula to a spreadsheet program (SECURITY IN-5).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
SEARCH_MAX_LENGTH = 100

YES, NO = "yes", "no"


def yes_no_choices() -> list[tuple[str, str]]:
    return [(YES, gettext("Yes")), (NO, gettext("No"))]


@dataclass(frozen=True)
class Filter:
    """A filter chosen from a list: ``?<name>=<value>``.

    ``choices`` returns the options, ``(value, label)``, when the page is drawn; ``apply``
    narrows the queryset to one of those values (others never reach it).
    """

    name: str
    label: str | Promise
    choices: Callable[[], Sequence[tuple[str, str]]]
    apply: Callable[[QuerySet, str], QuerySet]


@dataclass(frozen=True)
class Sort:
    """An order the list can be read in: ``?sort=<name>``, or ``?sort=-<name>`` reversed.

    ``ordering`` ends with a unique field so pages never overlap.
    """

    name: str
    label: str | Promise
    ordering: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    """One column of the export: a stable ``name``, a translated header ``label``, and the
    ``value`` of a row, as a dotted attribute path or a function of the row.

    Values are written as they are: numbers and dates stay numbers and dates in XLSX; None is
    an empty cell; booleans are written as "yes"/"no" in the reader's language.
    """

    name: str
    label: str | Promise
    value: str | Callable[[Any], Any]

    def value_of(self, row: Any) -> Any:
        if callable(self.value):
            return self.value(row)
        value = row
        for part in self.value.split("."):
            value = getattr(value, part)
            if value is None:
                return None
        return value


@dataclass(frozen=True)
class ListDefinition:
    """What a list page offers: search, filters, sorts (the first is the default), export
    columns and the export's file name (without extension)."""

    sorts: tuple[Sort, ...]
    columns: tuple[Column, ...]
    export_name: str
    search: Callable[[QuerySet, str], QuerySet] | None = None
    filters: tuple[Filter, ...] = ()
    per_page: int = 25

    def sort_named(self, name: str) -> Sort | None:
        return next((sort for sort in self.sorts if sort.name == name), None)


@dataclass
class FilterState:
    filter: Filter
    value: str
    options: Sequence[tuple[str, str]]

    @property
    def name(self) -> str:
        return self.filter.name

    @property
    def label(self) -> str | Promise:
        return self.filter.label


@dataclass
class Listing:
    """A list page as the query string asked for it.

    - ``page``: the Paginator page (rows of this page only); ``rows``: the whole filtered and
      sorted queryset, for the export.
    - ``query``: the search text; ``filters``: each filter with its chosen value ("" when
      none) and options; ``sort``: the chosen sort name, "-" first when reversed.
    - ``querystring``: the search, filters and sort, for links to other pages and exports;
      ``sort_links``: for each sort, the query string that selects it (reversing it when it
      is the current one).
    - ``export_format``: "csv" or "xlsx" when the request asked for an export, else "".
    """

    page: Page
    rows: QuerySet
    query: str
    filters: list[FilterState]
    sort: str
    querystring: str
    sort_links: dict[str, str]
    export_format: str = ""
    is_filtered: bool = field(default=False)

    @property
    def shows_demo_data(self) -> bool:
        return any(getattr(row, "is_demo", False) for row in self.page.object_list)

    def page_querystring(self, number: int) -> str:
        return _join(self.querystring, urlencode({"page": number}))

    @property
    def previous_querystring(self) -> str:
        return self.page_querystring(self.page.previous_page_number())

    @property
    def next_querystring(self) -> str:
        return self.page_querystring(self.page.next_page_number())

    def export_querystring(self, file_format: str) -> str:
        return _join(self.querystring, urlencode({"export": file_format}))

    @property
    def csv_querystring(self) -> str:
        return self.export_querystring("csv")

    @property
    def xlsx_querystring(self) -> str:
        return self.export_querystring("xlsx")


def list_page(request: HttpRequest, queryset: QuerySet, definition: ListDefinition) -> Listing:
    """The page of ``queryset`` (already scoped) that the request's query string asks for.

    ``?q=`` searches (up to 100 characters), each filter's parameter narrows, ``?sort=``
    orders, ``?page=`` picks the page, ``?export=csv|xlsx`` marks an export. Two queries for a
    page (count and rows), plus whatever the queryset prefetches.
    """
    params = request.GET
    # NUL cannot reach PostgreSQL in a query; nobody searches for it.
    query = params.get("q", "").replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]
    rows = queryset
    if query and definition.search is not None:
        rows = definition.search(rows, query)

    states = []
    for list_filter in definition.filters:
        options = list_filter.choices()
        value = params.get(list_filter.name, "")
        if value not in {option for option, _label in options}:
            value = ""
        if value:
            rows = list_filter.apply(rows, value)
        states.append(FilterState(list_filter, value, options))

    requested = params.get("sort", "")
    sort = definition.sort_named(requested.removeprefix("-"))
    if sort is None:
        sort, requested = definition.sorts[0], definition.sorts[0].name
    descending = requested.startswith("-")
    ordering = sort.ordering
    if descending:
        ordering = tuple(_reverse(name) for name in ordering)
    rows = rows.order_by(*ordering)

    kept: dict[str, str] = {}
    if query:
        kept["q"] = query
    kept.update({state.name: state.value for state in states if state.value})
    base = dict(kept)
    if requested != definition.sorts[0].name:
        kept["sort"] = requested
    sort_links = {}
    for candidate in definition.sorts:
        chosen = f"-{candidate.name}" if candidate is sort and not descending else candidate.name
        sort_links[candidate.name] = urlencode({**base, "sort": chosen})

    export_format = params.get("export", "")
    if export_format not in EXPORT_FORMATS:
        export_format = ""
    page = Paginator(rows, definition.per_page).get_page(params.get("page"))
    return Listing(
        page=page,
        rows=rows,
        query=query,
        filters=states,
        sort=requested,
        querystring=urlencode(kept),
        sort_links=sort_links,
        export_format=export_format,
        is_filtered=bool(query or any(state.value for state in states)),
    )


def list_export(listing: Listing, definition: ListDefinition) -> HttpResponse:
    """The listing's rows, all pages, as the CSV or XLSX file the request asked for.

    CSV streams in chunks; XLSX is written row by row to a temporary file (bounded memory)
    and refused past the sheet's row limit. Cells that a spreadsheet would run as a formula
    are written as text (SECURITY IN-5). Record the export in the audit log in the view.
    """
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"{definition.export_name}-{stamp}.{listing.export_format}"
    rows = listing.rows.iterator(chunk_size=EXPORT_CHUNK_SIZE)
    if listing.export_format == "csv":
        response = StreamingHttpResponse(
            csv_lines(definition.columns, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        count = listing.page.paginator.count
        if count > XLSX_MAX_ROWS:
            return HttpResponse(
                gettext(
                    "%(count)s rows are more than a spreadsheet holds; narrow the list or "
                    "export CSV."
                )
                % {"count": count},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        response = FileResponse(
            xlsx_file(definition.columns, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def header_row(columns: Iterable[Column]) -> list[str]:
    return [str(column.label) for column in columns]


def cell_value(value: Any) -> Any:
    """A value as a spreadsheet cell: text that looks like a formula is made plain text."""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_lines(columns: Sequence[Column], rows: Iterable[Any]) -> Iterator[str]:
    """CSV text, header first, one line at a time; a byte-order mark so spreadsheet programs
    read UTF-8."""
    echo = _Echo()
    writer = csv.writer(echo)
    yield "\ufeff" + writer.writerow(header_row(columns))
    for row in rows:
        yield writer.writerow([_csv_text(cell_value(column.value_of(row))) for column in columns])


def xlsx_file(columns: Sequence[Column], rows: Iterable[Any]):
    """An open temporary file holding the XLSX workbook, positioned at its start."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header_row(columns))
    for row in rows:
        sheet.append([_xlsx_cell(cell_value(column.value_of(row))) for column in columns])
    output = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    workbook.save(output)
    output.seek(0)
    return output


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, decimal.Decimal):
        return _decimal_text(value)
    return value


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, decimal.Decimal):
        # Exact as a float up to 15 significant digits; larger amounts stay text.
        return float(value) if abs(value) < 10**12 else _decimal_text(value)
    return value


def _decimal_text(value: decimal.Decimal) -> str:
    """A decimal with the active language's decimal mark and no grouping: ``1250,50`` in
    Indonesian, as spreadsheet programs there read it and the import reads such files."""
    return format(value, "f").replace(".", get_format("DECIMAL_SEPARATOR"))


def _reverse(name: str) -> str:
    return name[1:] if name.startswith("-") else f"-{name}"


def _join(first: str, second: str) -> str:
    return f"{first}&{second}" if first else second
