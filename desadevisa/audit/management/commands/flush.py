"""Django's flush, able to empty the append-only audit table on SQLite as well.

Emptying the whole database is the one deliberate way to remove audit events (test runs
do it after every transactional test). PostgreSQL empties tables with TRUNCATE, which the
row triggers do not see; SQLite deletes row by row, so its triggers are set aside for the
flush and restored in the same transaction.
"""

from typing import Any

from django.core.management.commands import flush
from django.db import connections, transaction

from desadevisa.audit.models import AuditEvent


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            super().handle(**options)
            return
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [AuditEvent._meta.db_table],
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
            super().handle(**options)
            for _name, sql in triggers:
                cursor.execute(sql)
