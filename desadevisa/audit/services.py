"""Recording audit events. Every service that changes domain data calls ``audit_record``."""

from __future__ import annotations

import datetime
import logging
import math
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils.duration import duration_iso_string

from desadevisa.audit.middleware import current_client_address
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.core.editing import record_lock_for_edit

logger = logging.getLogger(__name__)

# Fields whose values never enter the trail, whatever the model.
SECRET_FIELD_NAMES = frozenset({"password"})
# Control characters, Unicode line breaks and the backslash, escaped in log lines so one event
# is always one line and an escape sequence cannot be forged.
LOG_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\\]")


def audit_record(
    *,
    actor,
    action: str,
    obj=None,
    changes: dict | None = None,
    summary: str = "",
    province_code: str | None = None,
    organisation_id: int | None = None,
) -> AuditEvent:
    """Record that ``actor`` did ``action`` to ``obj``, and return the saved event.

    Runs in the caller's transaction, so the event commits or rolls back with the change it
    records; the log line is written once that transaction commits.

    - ``actor``: a user, or None (or the anonymous user) for the system or a visitor who is
      not signed in. The username is kept in ``actor_label``.
    - ``action``: an ``AuditAction`` value; anything else raises ValueError.
    - ``obj``: a saved model instance, or None. Record a deletion before deleting: the instance
      loses its primary key. An unsaved instance raises ValueError.
    - ``changes``: ``{field: [old, new]}`` as ``audit_changes()`` gives it; values are made
      JSON-safe. ``summary`` is stored as given.
    - ``province_code`` and ``organisation_id`` decide who may read the event. Each one not
      given is taken from ``obj``: from its ``audit_scope()`` method, which returns
      ``(province_code, organisation_id)``, when it has one; otherwise the province is
      ``obj.province_id``, or else ``obj.village.province_id`` (a query when the village is
      not loaded yet), and the organisation ``obj.organisation_id``.
    - The IP address is the current request's, bound by ``AuditContextMiddleware``; None
      outside a request.
    """
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}: add it to AuditAction first.")
    if obj is not None and obj.pk is None:
        raise ValueError("Only a saved object can be audited: record a deletion before deleting.")
    user = actor if getattr(actor, "is_authenticated", False) else None
    derived_province, derived_organisation = _object_scope(obj)
    event = AuditEvent(
        actor=user,
        actor_label=user.get_username() if user else "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        province_code=province_code or derived_province or "",
        organisation_id=organisation_id if organisation_id is not None else derived_organisation,
        ip_address=current_client_address(),
        changes={
            name: [_json_safe(old), _json_safe(new)] for name, (old, new) in (changes or {}).items()
        },
        summary=str(summary),
    )
    event.save()
    transaction.on_commit(partial(_log_event, event))
    return event


def audit_snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The values of ``obj``'s fields, JSON-safe, to compare before and after a change.

    Without ``fields``: every editable concrete field but the primary key. Foreign keys give the
    related primary key; dates, times and decimals give text (decimals at the field's scale, so
    "1.5" and "1.50" compare equal); files give their name. A field named ``password`` is never
    included, even when asked for.
    """
    options = obj._meta
    if fields is None:
        selected = [f for f in options.concrete_fields if f.editable and not f.primary_key]
    else:
        selected = [options.get_field(name) for name in fields]
    return {
        field.name: _json_safe(_field_value(field, obj))
        for field in selected
        if field.name not in SECRET_FIELD_NAMES
    }


def audit_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose values differ between two snapshots, each as ``[old, new]``.

    A field found in only one snapshot is None in the other.
    """
    names = [*before, *(name for name in after if name not in before)]
    return {
        name: [before.get(name), after.get(name)]
        for name in names
        if before.get(name) != after.get(name)
    }


def audited_create(obj: models.Model, *, actor) -> Any:
    """Check and save the new ``obj``, and record its creation with every field's value.
    ValidationError when it is not valid; the caller holds the transaction."""
    obj.full_clean()
    obj.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATED,
        obj=obj,
        changes=audit_changes({}, audit_snapshot(obj)),
    )
    return obj


def audited_update(
    model: type[models.Model],
    obj: models.Model,
    *,
    data: Mapping[str, Any],
    fields: Iterable[str],
    seen_version: str,
    actor,
) -> Any:
    """Lock ``obj``, refuse a stale ``seen_version`` (EditConflict), apply ``data`` to
    ``fields``, check and save what changed, and record it. The caller holds the
    transaction."""
    current = record_lock_for_edit(model, pk=obj.pk, seen_version=seen_version)
    fields = [name for name in fields if name in data]
    before = audit_snapshot(current, fields)
    for name in fields:
        setattr(current, name, data[name])
    changes = audit_changes(before, audit_snapshot(current, fields))
    if not changes:
        return current
    current.full_clean()
    current.save(update_fields=[*changes, "updated_at"])
    audit_record(actor=actor, action=AuditAction.CHANGED, obj=current, changes=changes)
    return current


def _object_scope(obj) -> tuple[str | None, int | None]:
    if obj is None:
        return None, None
    audit_scope = getattr(obj, "audit_scope", None)
    if callable(audit_scope):
        return audit_scope()
    province = getattr(obj, "province_id", None)
    if province is None and getattr(obj, "village_id", None) is not None:
        province = getattr(obj.village, "province_id", None)
    return province, getattr(obj, "organisation_id", None)


def _field_value(field: models.Field, obj: models.Model) -> Any:
    value = field.value_from_object(obj)
    if isinstance(field, models.DecimalField) and value is not None:
        value = field.to_python(value).quantize(Decimal(1).scaleb(-field.decimal_places))
    return value


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, models.Model):
        return _json_safe(value.pk)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    # Decimals, UUIDs, lazy translations and anything else: as text.
    return str(value)


def _log_safe(text: str) -> str:
    return LOG_UNSAFE.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


def _log_event(event: AuditEvent) -> None:
    content_type = event.content_type
    target = (
        f"{content_type.app_label}.{content_type.model}:{event.object_id}" if content_type else "-"
    )
    logger.info(
        "Audit event %s: action=%s actor=%s object=%s ip=%s summary=%s",
        event.pk,
        event.action,
        _log_safe(event.actor_label) or "-",
        _log_safe(target),
        event.ip_address or "-",
        _log_safe(event.summary),
    )
