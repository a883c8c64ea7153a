"""Migrations must be safe while the previous release still runs beside them (a second server).

Every migration of the project's apps not in the first release's baseline is walked operation
by operation; an unsafe operation fails the test unless the migration is listed in REVIEWED with
the reason it is safe (see docs/deployment.md, "Upgrades and migrations").
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.db import migrations
from django.db.migrations.loader import MigrationLoader
from django.db.models import NOT_PROVIDED

BASELINE = {
    line.strip()
    for line in (Path(__file__).with_name("migrations_baseline.txt")).read_text().splitlines()
    if line.strip() and not line.startswith("#")
}
# "app_label.migration_name": why its unsafe operations are safe for a running server.
REVIEWED: dict[str, str] = {
    "nominations.0006_cycle_date_override": (
        "its AlterFields change only the help texts of the cycle's dates, which were NOT NULL "
        "already and are not in the database; the new table is read by the new code only"
    ),
    "notifications.0003_notification_kinds_screened_visit_scheduled": (
        "its AlterField adds two choices to the kind, a column NOT NULL already; choices are not "
        "in the database, and the running code never reads the new kinds"
    ),
}


def unsafe_reason(operation) -> str | None:
    """Why ``operation`` would break the code of the release still running, or None."""
    if isinstance(operation, migrations.AddField):
        field = operation.field
        if (
            not field.null
            and field.default is NOT_PROVIDED
            and getattr(field, "db_default", NOT_PROVIDED) is NOT_PROVIDED
            and not field.many_to_many
        ):
            return "adds a NOT NULL column without a default: the running code's inserts fail"
    if isinstance(operation, migrations.AlterField) and not operation.field.null:
        return "may make a column NOT NULL: the running code may still write NULL"
    if isinstance(operation, migrations.RemoveField | migrations.DeleteModel):
        return "removes a column or table the running code still reads"
    if isinstance(operation, migrations.RenameField | migrations.RenameModel):
        return "renames a column or table the running code still reads"
    if isinstance(operation, migrations.AlterModelTable):
        return "renames a table the running code still reads"
    if isinstance(operation, migrations.AddIndex) and type(operation).__name__ != (
        "AddIndexConcurrently"
    ):
        return "creates an index without CONCURRENTLY: PostgreSQL locks the table's writes"
    if isinstance(operation, migrations.RunSQL | migrations.RunPython) and not operation.reversible:
        return "runs code that cannot be reversed"
    return None


def new_migrations():
    project = {
        config.label for config in apps.get_app_configs() if config.name.startswith("desadevisa")
    }
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(
        (f"{app}.{name}", migration)
        for (app, name), migration in loader.disk_migrations.items()
        if app in project and f"{app}.{name}" not in BASELINE
    )


@pytest.mark.parametrize(("name", "migration"), new_migrations() or [("none", None)])
def test_new_migrations_are_safe_while_the_previous_release_runs(name, migration):
    if migration is None or name in REVIEWED:
        return

    unsafe = [
        f"{type(operation).__name__}: {reason}"
        for operation in migration.operations
        if (reason := unsafe_reason(operation))
    ]

    assert unsafe == [], f"{name} is unsafe for a running second server; review it"


def test_every_reviewed_migration_gives_its_reason():
    assert all(reason.strip() for reason in REVIEWED.values())


def test_the_check_refuses_a_not_null_column_without_a_default():
    from django.db import models

    operation = migrations.AddField("cooperative", "grade", models.IntegerField())

    assert unsafe_reason(operation) == (
        "adds a NOT NULL column without a default: the running code's inserts fail"
    )


def test_the_check_accepts_a_nullable_column_and_a_concurrent_index():
    from django.contrib.postgres.operations import AddIndexConcurrently
    from django.db import models

    nullable = migrations.AddField("cooperative", "grade", models.IntegerField(null=True))
    concurrent = AddIndexConcurrently(
        "cooperative", models.Index(fields=["name"], name="coop_name")
    )

    assert (unsafe_reason(nullable), unsafe_reason(concurrent)) == (None, None)
