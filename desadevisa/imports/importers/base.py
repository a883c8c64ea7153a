"""The base of every importer: rows, the three steps, and shared lookups."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django.db.models import F, Model
from django.db.models.fields.tuple_lookups import Tuple, TupleIn
from django.utils import timezone
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
    ``(column name, message)``, and, once resolved, what it does."""

    number: int
    values: dict[str, Any]
    present: frozenset[str]
    errors: list[tuple[str, str]] = field(default_factory=list)
    action: str = ""
    instance: Any = None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

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

    def __init__(self, *, user, today: datetime.date | None = None) -> None:
        self.user = user
        self.scope = user_scope(user)
        self.today = today or timezone.localdate()
        self.parsers = self.build_parsers()

    def build_parsers(self) -> dict[str, fields.Parser]:
        raise NotImplementedError

    @classmethod
    def parsers_described(cls) -> dict[str, fields.Parser]:
        """The parsers, built without a person or a day: for explaining the columns."""
        importer = cls.__new__(cls)
        importer.today = timezone.localdate()
        return importer.build_parsers()

    # Step 1 -----------------------------------------------------------------------------------

    def parse(self, number: int, cells: dict[str, Any]) -> Row:
        row = Row(number=number, values={}, present=frozenset(cells))
        for name, parser in self.parsers.items():
            try:
                row.values[name] = parser(cells.get(name))
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
        created = [self.build(row) for row in rows if row.action == CREATE]
        if created:
            self.model._default_manager.bulk_create(created)
            for instance, row in zip(created, (r for r in rows if r.action == CREATE), strict=True):
                row.instance = instance
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
    object per pair costs more to build than the query takes to run.
    """
    wanted = sorted(set(pairs), key=str)
    columns = Tuple(F(first), F(second))
    found: list = []
    for start in range(0, len(wanted), PAIRS_PER_QUERY):
        found.extend(queryset.filter(TupleIn(columns, wanted[start : start + PAIRS_PER_QUERY])))
    return found


def villages_known(codes: Iterable[str]) -> set[str]:
    return set(Village.objects.filter(code__in=sorted(set(codes))).values_list("code", flat=True))


def unknown_village(row: Row) -> None:
    row.fail(
        "village_code",
        _("No village has the code %(code)s.") % {"code": row.values["village_code"]},
    )
