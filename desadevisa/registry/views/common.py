"""The edit and delete pages of the registry's records: one piece for every kind.

Village profiles, organisations, craft units and memberships each describe their two pages
once, as ``RecordPages``; their views fetch the record through its scoped selector (404 outside
the scope) and hand it to ``update_page`` or ``delete_page``, which ask the permission (403)
and draw or save the page through ``core.pages``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise

from desadevisa.core.pages import delete_page, form_page, posted, require
from desadevisa.registry.permissions import RegistryAction


@dataclass(frozen=True)
class RecordPages:
    """How one kind of record is edited and deleted.

    ``can(user, record, action)`` is the kind's permission; ``update(record, data=,
    seen_version=, actor=)`` and ``delete(record, actor=)`` its services; ``return_url(record)``
    where its pages lead back to, and ``deleted_url(record)`` where a deletion goes.
    """

    can: Callable[[Any, Any, str], bool]
    form: type[forms.ModelForm]
    update: Callable[..., Any]
    delete: Callable[..., None]
    return_url: Callable[[Any], str]
    deleted_url: Callable[[Any], str]
    edit_title: Promise
    saved_message: Promise
    deleted_message: Promise

    def update_page(self, request: HttpRequest, record: Any) -> HttpResponse:
        """The edit form of ``record``, saved over the version it was drawn from or refused."""
        require(self.can(request.user, record, RegistryAction.CHANGE))
        return form_page(
            request,
            form=self.form(posted(request), instance=record),
            save=lambda form: self.update(
                record,
                data=form.cleaned_data,
                seen_version=form.cleaned_data["seen_version"],
                actor=request.user,
            ),
            template="core/record_form.html",
            context={
                "title": self.edit_title % {"record": record},
                "cancel_url": self.return_url(record),
            },
            success_message=self.saved_message,
            success_url=self.return_url,
        )

    def delete_page(self, request: HttpRequest, record: Any) -> HttpResponse:
        """Ask to confirm the deletion of ``record``, then delete it."""
        require(self.can(request.user, record, RegistryAction.DELETE))
        return delete_page(
            request,
            record=record,
            delete=lambda: self.delete(record, actor=request.user),
            context={"cancel_url": self.return_url(record)},
            success_message=self.deleted_message,
            success_url=self.deleted_url(record),
        )
