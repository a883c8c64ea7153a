"""Reads of import jobs: a job is its creator's alone (its file may hold anything they sent)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from desadevisa.accounts.scopes import user_scope
from desadevisa.imports.models import ImportJob


def import_job_scope(*, user) -> QuerySet[ImportJob]:
    """The jobs ``user`` may see: those they created, while they hold a role."""
    scope = user_scope(user)
    if not scope.is_staff_member:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(created_by_id=scope.user_id)


def import_job_get(*, user, pk) -> ImportJob:
    """One of ``user``'s jobs; 404 for anyone else's, or an unknown id."""
    return get_object_or_404(import_job_scope(user=user), pk=pk)


def import_job_list(*, user, limit: int = 10) -> list[ImportJob]:
    """``user``'s latest jobs, newest first."""
    return list(import_job_scope(user=user).order_by("-created_at")[:limit])
