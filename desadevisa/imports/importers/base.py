"""The base of every importer: rows, the three steps, and shared lookups."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django.db import connections
from django.db.models import BooleanField, F, Model, Q
from django.db.models.expressions import RawSQL
from django.db.models.fields.tuple_lookups import Tuple, TupleIn
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from desadevisa.accounts.scopes import user_scope
from desadevisa.core.lists import Column
from desadevisa.core.scoping import EVERYTHING, NOTHING
from desadevisa.imports import fields
from desadevisa.imports.fields import CellError
from desadevisa.regions.models import VILLAGE_CODE, Village

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
# Counts and amounts no record of the programme comes near: larger ones are typing mistakes.
MAX_WORKERS = 100_000
MAX_COUNT = 1_000_000_000
MAX_LEAD_DAYS = 3_650
MAX_PRICE = Decimal("9999999999.99")
MAX_QUANTITY = Decimal("99999999999.999")
MAX_VALUE = Decimal("99999999999999.99")
MAX_VALUE_IDR = Decimal("999999999999999999.99")
TEXT_MAX = 10_000

OUT_OF_SCOPE = _("You may not import this row: it is outside the records you may create or change.")


@dataclass
class Row:
    """One data row: its number in the sheet, its values by column name, its errors
    ``(column name, message)``, once resolved, what it does, and once written, the primary
    key of its record."""

    number: int
    values: dict[str, Any]
    present: frozenset[str]
    errors: list[tuple[str, str]] = field(default_factory=list)
    action: str = ""
    instance: Any = None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    pk: Any = None

    def fail(self, column: str, message) -> None:
        self.errors.append((column, str(message)))


class Importer:
    """The base of each kind's importer; subclasses set the class attributes and
    ``parsers``, ``resolve`` and ``write``."""

    kind: ClassVar[str]
    model: ClassVar[type[Model]]
    columns: ClassVar[tuple[Column, ...]]
    key: ClassVar[tuple[str, ...]]
    required: ClassVar[frozenset[str]]
    # Column name -> model attribute compared and written on update.
    compared: ClassVar[dict[str, str]]

    def __init__(
        self,
        *,
        user,
        today: datetime.date | None = None,
        numbers: fields.NumberStyle = fields.ENGLISH,
    ) -> None:
        """``numbers``: how the file writes numbers in text (``engine.file_numbers``)."""
        self.user = user
        self.scope = user_scope(user)
        self.today = today or timezone.localdate()
        self.numbers = numbers
        self.parsers = self.build_parsers()

    def build_parsers(self) -> dict[str, fields.Parser]:
        raise NotImplementedError

    @classmethod
    def parsers_described(cls) -> dict[str, fields.Parser]:
        """The parsers, built without a person or a day: for explaining the columns, numbers
        as the active language writes them."""
        importer = cls.__new__(cls)
        importer.today = timezone.localdate()
        importer.numbers = fields.number_style(translation.get_language() or "en")
        return importer.build_parsers()

    # Step 1 -----------------------------------------------------------------------------------

    def parse(
        self, number: int, cells: dict[str, Any], present: frozenset[str] | None = None
    ) -> Row:
        """``present``, the columns the file has, is ``cells``' keys (given, it is shared)."""
        values: dict[str, Any] = {}
        row = Row(number=number, values=values, present=present or frozenset(cells))
        get = cells.get
        for name, parser in self.parsers.items():
            try:
                values[name] = parser(get(name))
            except CellError as error:
                row.fail(name, error.message)
        if not row.errors:
            self.check(row)
        return row

    def check(self, row: Row) -> None:
        """Rules across the cells of one row."""

    def key_of(self, row: Row) -> tuple:
        return tuple(row.values.get(name) for name in self.key)

    # Step 2 -----------------------------------------------------------------------------------

    def resolve(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def check_references(self, rows: list[Row]) -> None:
        """For rows with cell errors, which ``resolve`` skips: the errors of the references
        their good cells make (an unknown village), so that a row's report names them all."""
        codes = {row.values["village_code"] for row in rows if "village_code" in row.values}
        known = villages_known(codes)
        for row in rows:
            code = row.values.get("village_code")
            if code is not None and code not in known:
                unknown_village(row)

    def compare(self, row: Row, instance: Model) -> None:
        """Set ``row.action`` to UPDATE or UNCHANGED from the columns the file has."""
        row.instance = instance
        for name, attribute in self.compared.items():
            if name not in row.present:
                continue
            old, new = getattr(instance, attribute), row.values[name]
            if old != new:
                row.changes[name] = (old, new)
        row.action = UPDATE if row.changes else UNCHANGED

    def compare_read_only(self, row: Row, instance: Model) -> None:
        """A row about a record the person reads but may not change: as it stands it is left
        unchanged, so a downloaded list imports back as it is; any change is refused."""
        self.compare(row, instance)
        if row.action != UNCHANGED:
            row.action, row.changes = "", {}
            row.fail("village_code", OUT_OF_SCOPE)

    def readable(self, rules: dict, instances: Iterable[Model]) -> set[int]:
        """The pks of ``instances`` the person may read."""
        return self.changeable(rules, "view", instances)

    def changeable(self, rules: dict, action: str, instances: Iterable[Model]) -> set[int]:
        """The pks of ``instances`` the person may take ``action`` on (and read)."""
        pks = sorted({instance.pk for instance in instances})
        condition = rules["view"](self.scope) & rules[action](self.scope)
        if not pks or condition == NOTHING:
            return set()
        if condition == EVERYTHING:
            return set(pks)
        return set(
            self.model._default_manager.filter(condition, pk__in=pks).values_list("pk", flat=True)
        )

    # Step 3 -----------------------------------------------------------------------------------

    def write(self, rows: list[Row], *, now: datetime.datetime) -> None:
        created = [row for row in rows if row.action == CREATE]
        if created:
            self.insert(created)
        updated = [row for row in rows if row.action == UPDATE]
        changed_fields: set[str] = set()
        for row in updated:
            for name in row.changes:
                attribute = self.compared[name]
                setattr(row.instance, attribute, row.values[name])
                changed_fields.add(attribute)
            row.instance.updated_at = now
        if updated:
            self.model._default_manager.bulk_update(
                [row.instance for row in updated],
                sorted((changed_fields - self.related_attributes) | {"updated_at"}),
            )
        self.after_write(rows, now=now)

    related_attributes: ClassVar[frozenset[str]] = frozenset()

    def insert(self, rows: list[Row]) -> None:
        """Write the records of new rows; sets each row's ``instance`` and ``pk``."""
        instances = [self.build(row) for row in rows]
        self.model._default_manager.bulk_create(instances)
        for instance, row in zip(instances, rows, strict=True):
            row.instance, row.pk = instance, instance.pk

    def build(self, row: Row) -> Model:
        raise NotImplementedError

    def after_write(self, rows: list[Row], *, now: datetime.datetime) -> None:
        """Rows of other tables that go with the written ones."""


def village_code_parser() -> fields.Parser:
    return fields.pattern(
        VILLAGE_CODE,
        _("A village code has the form 35.05.10.2001 (province.regency.district.village)."),
    )


# Pairs per query: SQLite writes ``(a, b) IN (...)`` as ORs, and refuses expressions nested
# more than 1,000 deep.
PAIRS_PER_QUERY = 300


def pairs_filter(queryset, first: str, second: str, pairs: Iterable[tuple[Any, Any]]) -> list:
    """The rows of ``queryset`` whose ``(first, second)`` is one of ``pairs``, as a list.

    A row-value ``IN`` (Django's tuple lookup, the one composite primary keys use): two plain
    IN lists would make the database probe every combination of their values, and a Q
    object per pair costs more to build than the query takes to run. On PostgreSQL the pairs
    go as two arrays, one query per chunk: a statement with a parameter per value took
    longer to compile and send than to run.
    """
    wanted = sorted(set(pairs), key=str)
    if not wanted:
        return []
    if connections[queryset.db].vendor == "postgresql":
        arrays = [list(column) for column in zip(*wanted, strict=True)]
        left = ", ".join(_column_sql(queryset.model, name)[0] for name in (first, second))
        right = ", ".join(
            f"%s::{_column_sql(queryset.model, name)[1]}[]" for name in (first, second)
        )
        # Column names and types come from the model; the values go as parameters.
        condition = RawSQL(  # noqa: S611
            f"({left}) IN (SELECT * FROM unnest({right}))",  # noqa: S608
            arrays,
            output_field=BooleanField(),
        )
        return list(queryset.filter(condition))
    columns = Tuple(F(first), F(second))
    found: list = []
    for start in range(0, len(wanted), PAIRS_PER_QUERY):
        found.extend(queryset.filter(TupleIn(columns, wanted[start : start + PAIRS_PER_QUERY])))
    return found


def _column_sql(model: type[Model], name: str) -> tuple[str, str]:
    """The qualified column of field ``name`` (or its attname) and its PostgreSQL type."""
    field = model._meta.get_field(name)
    connection = connections["default"]
    quote = connection.ops.quote_name
    column = f"{quote(model._meta.db_table)}.{quote(field.column)}"
    return column, field.db_type(connection)


def values_in(model: type[Model], name: str, values: Iterable[Any]):
    """A condition on ``model``: field ``name`` is one of ``values``. On PostgreSQL an
    ``= ANY(array)``, one parameter however many values (see ``pairs_filter``)."""
    wanted = sorted(set(values))
    if connections["default"].vendor != "postgresql" or not wanted:
        return Q(**{f"{name}__in": wanted})
    column, db_type = _column_sql(model, name)
    # The column and its type come from the model; the values go as one parameter.
    return RawSQL(  # noqa: S611
        f"{column} = ANY(%s::{db_type}[])", [wanted], output_field=BooleanField()
    )


def villages_known(codes: Iterable[str]) -> set[str]:
    return set(
        Village.objects.filter(values_in(Village, "code", codes)).values_list("code", flat=True)
    )


def copy_insert(model: type[Model], columns: Sequence[str], rows: Sequence[Sequence]) -> list:
    """Write ``rows`` (values of ``columns``, attnames, as the database stores them) as new
    records of ``model`` with PostgreSQL's COPY; returns their primary keys, in order.

    The keys are drawn from the table's sequence first, so that rows of other tables can
    refer to the new ones. Fields not in ``columns`` get their default, and ``auto_now`` /
    ``auto_now_add`` fields the time of writing, as ``bulk_create`` gives them. Constraints
    hold as for INSERT; no signal is sent (as with ``bulk_create``).
    """
    connection = connections["default"]
    quote = connection.ops.quote_name
    opts = model._meta
    now = timezone.now()
    given = set(columns)
    others = []
    for model_field in opts.concrete_fields:
        if model_field.primary_key or model_field.attname in given:
            continue
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            value = now
        elif model_field.has_default() and not callable(model_field.default):
            value = model_field.get_db_prep_save(model_field.get_default(), connection)
        else:
            raise ValueError(f"{opts.label}.{model_field.name} needs a value to be copied.")
        others.append((model_field.column, value))
    names = [opts.pk.column, *(opts.get_field(name).column for name in columns)]
    names += [column for column, _value in others]
    constant = tuple(value for _column, value in others)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, len(rows)],
        )
        pks = sorted(pk for (pk,) in cursor.fetchall())
        statement = f"COPY {quote(opts.db_table)} ({', '.join(map(quote, names))}) FROM STDIN"
        # As Django's own statements, a refusal raises django.db's IntegrityError and kin.
        with connection.wrap_database_errors, cursor.copy(statement) as copy:
            for pk, row in zip(pks, rows, strict=True):
                copy.write_row((pk, *row, *constant))
    return pks


def unknown_village(row: Row) -> None:
    row.fail(
        "village_code",
        _("No village has the code %(code)s.") % {"code": row.values["village_code"]},
    )
