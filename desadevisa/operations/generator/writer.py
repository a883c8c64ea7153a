"""Stream generated rows into tables: COPY on PostgreSQL, batched inserts elsewhere.

Rows are tuples in the order of the columns named, produced lazily, so memory stays bounded
whatever the table size. Decimals and dates may be given as their text form: PostgreSQL's COPY
reads them, and SQLite stores them as Django's own adapters would.

Rows that later rows refer to (craft units, organisations, products) get explicit ids from a
range reserved above the table's highest id, so that references can be computed while
generating instead of read back; the PostgreSQL sequence is moved past the range afterwards.
On PostgreSQL the table is locked while its range is reserved and written; on SQLite, which has
one writer at a time, each batch is its own short transaction and the command must not run
beside other writers to the same tables.

SQL is put together only from table and column names of the models, quoted by the database
backend, never from input: hence the exemptions from the SQL injection check (S608).
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models, transaction

BATCH_SIZE = 10_000

# A table's label, the rows written so far, and the total when it is known.
Progress = Callable[[str, int, int | None], None]


def table_name(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column_names(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    return [connection.ops.quote_name(model._meta.get_field(name).column) for name in fields]


def highest_id(model: type[models.Model]) -> int:
    """The table's highest id, or 0 when it is empty."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table_name(model)}")  # noqa: S608
        return int(cursor.fetchone()[0])


def sequence_reset(model: type[models.Model]) -> None:
    """Move PostgreSQL's id sequence past the highest id, so later inserts do not collide."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        highest = f"SELECT COALESCE(MAX(id), 1) FROM {table_name(model)}"  # noqa: S608
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), ({highest}))",
            [model._meta.db_table],
        )


def table_lock(model: type[models.Model]) -> None:
    """Keep other writers out of the table until the transaction ends (PostgreSQL only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table_name(model)} IN SHARE ROW EXCLUSIVE MODE")


def rows_write(
    *,
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    label: str,
    total: int | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the rows into the model's table and return how many there were."""
    columns = ", ".join(column_names(model, fields))
    if connection.vendor == "postgresql":
        return _copy(model, columns, rows, label, total, progress)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table_name(model)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    written = 0
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_SIZE:
            written += _insert(sql, batch)
            batch = []
            if progress:
                progress(label, written, total)
    written += _insert(sql, batch)
    if progress:
        progress(label, written, written)
    return written


def _insert(sql: str, batch: list[Sequence[Any]]) -> int:
    if batch:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, batch)
    return len(batch)


def _copy(
    model: type[models.Model],
    columns: str,
    rows: Iterable[Sequence[Any]],
    label: str,
    total: int | None,
    progress: Progress | None,
) -> int:
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.connection
        sql = f"COPY {table_name(model)} ({columns}) FROM STDIN"
        with raw.cursor() as copy_cursor, copy_cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
                if progress and written % BATCH_SIZE == 0:
                    progress(label, written, total)
    if progress:
        progress(label, written, written)
    return written


@contextmanager
def ids_reserved(model: type[models.Model]) -> Iterator[int]:
    """Give the first free id of the table; rows written inside may use it and those above.

    On PostgreSQL the table stays locked and the rows are written in one transaction, after
    which the id sequence is moved past them.
    """
    if connection.vendor != "postgresql":
        yield highest_id(model) + 1
        return
    with transaction.atomic():
        table_lock(model)
        yield highest_id(model) + 1
        sequence_reset(model)
