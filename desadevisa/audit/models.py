"""The audit trail: who did what to which object, when, from which address, with the change.

Events are append-only. The model, its queryset and database triggers (migration 0002) all
refuse to change or remove a recorded event; the one change the database lets through is the
actor's link becoming NULL when that account is deleted, and ``actor_label`` keeps the name.
Emptying the whole database (the ``flush`` command) is the only way events go.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

APPEND_ONLY_MESSAGE = "Audit events are append-only."


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete a recorded audit event."""


def _refuse_change() -> NoReturn:
    raise AppendOnlyError(APPEND_ONLY_MESSAGE)


class AuditAction(models.TextChoices):
    """What happened to the object.

    A workflow adds its own verbs as members here (past tense, such as ``submitted``), or
    records a move with ``TRANSITIONED`` and the state in ``changes``
    (``{"state": ["draft", "submitted"]}``) and the step's name in the summary. A new member
    only changes the field's choices: its migration rewrites no rows.
    """

    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    DELETED = "deleted", _("Deleted")
    TRANSITIONED = "transitioned", _("Changed state")
    SIGNED_IN = "signed_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGNED_OUT = "signed_out", _("Signed out")
    LOCKED_OUT = "locked_out", _("Locked out")
    ACCESS_DENIED = "access_denied", _("Access refused")
    EXPORTED = "exported", _("Exported")
    IMPORTED = "imported", _("Imported")
    VIEWED = "viewed", _("Viewed")


class AuditEventQuerySet(models.QuerySet):
    """Events can be read and added, never updated or deleted in bulk."""

    def update(self, **kwargs: Any) -> NoReturn:
        _refuse_change()

    def delete(self) -> NoReturn:
        _refuse_change()


@dataclass(frozen=True)
class AuditChange:
    """One changed field of an event, labelled for display."""

    field: str
    label: str
    old: Any
    new: Any


class AuditEvent(models.Model):
    """One recorded action; see ``audit_record`` for how events are written.

    A migration that changes this table must look after the triggers: a new column joins the
    SQLite update trigger, which lists the columns it guards (PostgreSQL compares whole rows),
    and SQLite rebuilds a table to alter a column, dropping its triggers on the way, so they
    are created again. The raw SQL tests fail when the triggers are missing.
    """

    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("actor"),
    )
    # The username when the event happened: history stays readable after the account goes.
    actor_label = models.CharField(_("actor's username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    # PROTECT: an object type referenced by the trail must not vanish with its events. Indexed
    # with object_id in Meta, which serves lookups by type alone as well.
    content_type = models.ForeignKey(
        ContentType,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("object type"),
        db_index=False,
    )
    # Text, because some primary keys are official codes such as "35.05.10.2001".
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    # Snapshots taken when the event is recorded; they decide who may read the event.
    province_code = models.CharField(_("province code"), max_length=2, blank=True)
    organisation_id = models.PositiveBigIntegerField(_("organisation ID"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    changes = models.JSONField(
        _("changes"),
        default=dict,
        blank=True,
        help_text=_("Each changed field with its old and new value."),
    )
    summary = models.TextField(_("summary"), blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        # Indexes declared here rather than with db_index: PostgreSQL would add a second,
        # pattern-matching index to each text column, which no query of the trail needs.
        indexes = [
            models.Index(fields=["occurred_at"], name="audit_event_occurred_at_idx"),
            models.Index(fields=["content_type", "object_id"], name="audit_event_object_idx"),
            models.Index(fields=["province_code"], name="audit_event_province_idx"),
            models.Index(fields=["organisation_id"], name="audit_event_organisation_idx"),
            models.Index(fields=["actor_label"], name="audit_event_actor_label_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.object_repr or '-'} ({self.actor_label or '-'})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse_change()
        # Never an UPDATE, even when a primary key was set by hand.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    save.alters_data = True

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse_change()

    delete.alters_data = True

    @property
    def change_list(self) -> list[AuditChange]:
        """The changed fields, labelled with their model's field names where still known.

        Reads the content type: select it with the event.
        """
        model = self.content_type.model_class() if self.content_type_id else None
        return [
            AuditChange(field=name, label=_field_label(model, name), old=old, new=new)
            for name, (old, new) in self.changes.items()
        ]


def _field_label(model: type[models.Model] | None, name: str) -> str:
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))
