"""Spreadsheet imports: a file waiting to be checked, checked, or applied, with its report."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from desadevisa.core.uploads import stored_name


class ImportKind(models.TextChoices):
    """What a file holds; the value is the URL and command-line name of the kind."""

    CRAFT_UNITS = "craft-units", _("Craft units")
    MEMBERSHIPS = "memberships", _("Memberships")
    PRODUCTS = "products", _("Products")
    EXPORT_SHIPMENTS = "export-shipments", _("Export shipments")


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", _("Checking the file")
    INVALID = "invalid", _("Has errors")
    READY = "ready", _("Ready to apply")
    APPLYING = "applying", _("Applying")
    DONE = "done", _("Applied")
    FAILED = "failed", _("Failed")


def import_file_path(instance: ImportJob, filename: str) -> str:
    """A random private path: the person's file name is kept only as metadata."""
    return stored_name("imports", instance.file_format or "bin")


class ImportJob(models.Model):
    """One uploaded spreadsheet, checked and then, on confirmation, applied all at once.

    ``errors`` holds the first bad rows (``row``, ``column``, ``message``) up to
    ``imports.engine.ERRORS_KEPT``; ``error_count`` counts all of them. ``sample`` holds the
    first changes the file makes, for the preview.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("created by"),
    )
    file = models.FileField(_("file"), upload_to=import_file_path, max_length=200, blank=True)
    file_format = models.CharField(_("file format"), max_length=4, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    language = models.CharField(_("language"), max_length=10, default="id")
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.VALIDATING
    )
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    to_create = models.PositiveIntegerField(_("rows to create"), default=0)
    to_update = models.PositiveIntegerField(_("rows to update"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    sample = models.JSONField(_("sample of changes"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    validated_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.VALIDATING, ImportStatus.APPLYING)

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
