"""The spreadsheet import of craft units, against writing the same rows with no validation.

The import runs as an operator would run it (``desadevisa import-spreadsheet``, a process of its
own, so its peak memory is its own), checking then applying a CSV file of new units over the
villages of the generated data; the rows are removed afterwards. The floor reads the same file
and writes the same rows with PostgreSQL's COPY or SQLite's executemany, in a transaction that
is rolled back.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from desadevisa.accounts.models import Role, RoleAssignment, User
from desadevisa.core.models import DataOrigin
from desadevisa.registry.models import CraftUnit, VillageProfile
from desadevisa.registry.spreadsheets import CRAFT_UNIT_COLUMNS

BENCH_USERNAME = "bench-importer"
UNIT_PREFIX = "Bench unit"
HEADER = [column.name for column in CRAFT_UNIT_COLUMNS]
FLOOR_COLUMNS = (
    "name",
    "owner_name",
    "village_id",
    "workers_women",
    "workers_men",
    "monthly_capacity",
    "capacity_unit",
    "business_id",
    "is_active",
    "origin",
    "created_at",
    "updated_at",
)


@dataclass(frozen=True)
class ImportFigures:
    rows: int
    seconds: float
    peak_rss_mb: float
    floor_seconds: float


def craft_units_file(directory: Path, rows: int) -> Path:
    """A CSV file of ``rows`` new craft units spread over the generated villages."""
    villages = list(
        VillageProfile.objects.filter(origin=DataOrigin.GENERATED)
        .order_by("village_id")
        .values_list("village_id", flat=True)[:1000]
    )
    if not villages:
        raise RuntimeError("No generated villages: generate a scale first.")
    path = directory / "craft-units.csv"
    with path.open("w", newline="", encoding="utf-8") as output:
        writer = csv.writer(output)
        writer.writerow(HEADER)
        for index in range(rows):
            writer.writerow(
                [
                    villages[index % len(villages)],
                    f"{UNIT_PREFIX} {index + 1}",
                    f"Pemilik {index + 1}",
                    index % 13,
                    index % 7,
                    100 + index % 900,
                    "piece",
                    f"{index:013d}" if index % 3 == 0 else "",
                    "yes",
                ]
            )
    return path


def import_measure(rows: int) -> ImportFigures:
    """Time and peak memory of importing ``rows`` new craft units, and the floor's time."""
    with tempfile.TemporaryDirectory() as directory, _bench_user():
        path = craft_units_file(Path(directory), rows)
        # Rows an interrupted run left behind would collide with the floor's.
        _imported_delete()
        floor_seconds = _floor_seconds(path)
        _imported_delete()
        connection.close()
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 - our own command line
            [
                sys.executable,
                "-m",
                "desadevisa.cli",
                "import-spreadsheet",
                "craft-units",
                str(path),
                "--user",
                BENCH_USERNAME,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        errors = process.stderr.read().decode() if process.stderr else ""
        try:
            if process.returncode != 0:
                raise RuntimeError(f"The import failed: {errors}")
            imported = _imported().count()
            if imported != rows:
                raise RuntimeError(f"The import wrote {imported} of {rows} rows.")
        finally:
            _imported_delete()
    return ImportFigures(
        rows=rows,
        seconds=seconds,
        # Linux reports the peak resident set in kilobytes.
        peak_rss_mb=usage.ru_maxrss / 1024,
        floor_seconds=floor_seconds,
    )


def _imported():
    return CraftUnit.objects.filter(name__startswith=UNIT_PREFIX, origin=DataOrigin.REAL)


# Units deleted per statement: the deletion also clears their links to products, one
# parameter per unit, and PostgreSQL takes at most 65,535 parameters a statement.
DELETE_BATCH = 10_000


def _imported_delete() -> None:
    while pks := list(_imported().order_by("pk").values_list("pk", flat=True)[:DELETE_BATCH]):
        CraftUnit.objects.filter(pk__in=pks).delete()


@contextmanager
def _bench_user() -> Iterator[User]:
    """A national account for the import's run only."""
    User.objects.filter(username=BENCH_USERNAME).delete()
    user = User.objects.create(username=BENCH_USERNAME)
    RoleAssignment.objects.create(user=user, role=Role.ADMINISTRATOR)
    try:
        yield user
    finally:
        User.objects.filter(username=BENCH_USERNAME).delete()


def _floor_rows(path: Path) -> Iterator[tuple]:
    now = timezone.now()
    with path.open(newline="", encoding="utf-8") as source:
        reader = csv.reader(source)
        next(reader)
        for village, name, owner, women, men, capacity, unit, business_id, _active in reader:
            yield (
                name,
                owner,
                village,
                int(women),
                int(men),
                int(capacity),
                unit,
                business_id,
                True,
                DataOrigin.REAL,
                now,
                now,
            )


def _floor_seconds(path: Path) -> float:
    """Seconds to read the file and write its rows with no validation; rolled back."""
    table = connection.ops.quote_name(CraftUnit._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in FLOOR_COLUMNS)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in _floor_rows(path):
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(FLOOR_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                _floor_rows(path),
            )
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds
