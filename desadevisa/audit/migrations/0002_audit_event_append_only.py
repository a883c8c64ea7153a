"""Triggers that make the audit table append-only, whatever writes to it: the ORM, bulk
operations or raw SQL.

UPDATE and DELETE are refused, with one exception: the actor's link may become NULL when the
actor's account is deleted (on_delete=SET_NULL); actor_label keeps the username. PostgreSQL
compares whole rows; SQLite lists the columns it guards, so a column added later must be
added to its trigger too, and SQLite drops the triggers when it rebuilds the table to alter
it, so such a migration creates them again.
"""

from django.db import migrations

MESSAGE = "Audit events are append-only."

POSTGRESQL_CREATE = [
    f"""
    CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE'
            AND OLD.actor_id IS NOT NULL
            AND NEW.actor_id IS NULL
            AND to_jsonb(NEW) - 'actor_id' = to_jsonb(OLD) - 'actor_id'
        THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_event_refuse_change()",
]

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER audit_event_refuse_update
    BEFORE UPDATE OF
        id, occurred_at, actor_label, action, content_type_id, object_id, object_repr,
        province_code, organisation_id, ip_address, changes, summary
    ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER audit_event_refuse_actor_change
    BEFORE UPDATE OF actor_id ON audit_auditevent
    WHEN OLD.actor_id IS NULL OR NEW.actor_id IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER audit_event_refuse_delete
    BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_refuse_update",
    "DROP TRIGGER IF EXISTS audit_event_refuse_actor_change",
    "DROP TRIGGER IF EXISTS audit_event_refuse_delete",
]

STATEMENTS = {
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
}


def create_triggers(apps, schema_editor):
    create, _drop = STATEMENTS[schema_editor.connection.vendor]
    for statement in create:
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    _create, drop = STATEMENTS[schema_editor.connection.vendor]
    for statement in drop:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
