"""Curating exhibitions (programme officers and administrators) and counting QR scans.

Staff services follow the house pattern: they own their transaction, check the record with
``full_clean`` (the model's constraints give the messages) and leave an audit event. Saving or
deleting exhibitions, venues and items makes the cached public pages stale (``showcase.signals``);
a reorder, written in bulk without signals, says so itself.

A scan is counted in ``ScanTally``, one row per display item and day, incremented in the
database (``F("count") + 1``) so that concurrent scans never lose a count. Nothing about the
visitor is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import (
    audit_changes,
    audit_record,
    audit_snapshot,
    audited_create,
    audited_update,
)
from desadevisa.catalog.models import Product
from desadevisa.showcase.caching import showcase_changed
from desadevisa.showcase.models import DisplayItem, Exhibition, ExhibitionVenue, ScanTally

EXHIBITION_FIELDS = (
    "name_id",
    "name_en",
    "slug",
    "starts_on",
    "ends_on",
    "description_id",
    "description_en",
)
VENUE_FIELDS = ("name", "city", "held_on")
DISPLAY_ITEM_FIELDS = ("note_id", "note_en")

UP, DOWN = "up", "down"
DIRECTIONS = (UP, DOWN)

NOT_PUBLIC_MESSAGE = _(
    "Only products shown on the public showcase can be displayed: “%(product)s” is not public."
)


def _changed_on_commit() -> None:
    transaction.on_commit(showcase_changed)


def _delete(obj, *, actor) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.DELETED,
        obj=obj,
        changes=audit_changes(audit_snapshot(obj), {}),
    )
    obj.delete()


# Exhibitions ---------------------------------------------------------------------------------


@transaction.atomic
def exhibition_create(*, data: Mapping[str, Any], actor) -> Exhibition:
    """A new exhibition; ValidationError when it ends before it starts or its slug is taken."""
    exhibition = Exhibition(**{name: data[name] for name in EXHIBITION_FIELDS if name in data})
    return audited_create(exhibition, actor=actor)


@transaction.atomic
def exhibition_update(
    *, exhibition: Exhibition, data: Mapping[str, Any], seen_version: str, actor
) -> Exhibition:
    """Change the exhibition's names, slug, dates or descriptions; EditConflict when it was
    saved after ``seen_version``."""
    return audited_update(
        Exhibition,
        exhibition,
        data=data,
        fields=EXHIBITION_FIELDS,
        seen_version=seen_version,
        actor=actor,
    )


# Venues --------------------------------------------------------------------------------------


@transaction.atomic
def exhibition_venue_add(
    *, exhibition: Exhibition, data: Mapping[str, Any], actor
) -> ExhibitionVenue:
    """A new venue of ``exhibition``; ValidationError when it already has one of that name."""
    venue = ExhibitionVenue(
        exhibition=exhibition, **{name: data[name] for name in VENUE_FIELDS if name in data}
    )
    return audited_create(venue, actor=actor)


@transaction.atomic
def exhibition_venue_remove(*, venue: ExhibitionVenue, actor) -> None:
    """Remove the venue from its exhibition."""
    _delete(venue, actor=actor)


# Display items -------------------------------------------------------------------------------


@transaction.atomic
def display_item_add(
    *, exhibition: Exhibition, product: Product, actor, note_id: str = "", note_en: str = ""
) -> DisplayItem:
    """Display ``product`` at ``exhibition``, last in order. ValidationError when the product
    is not public or is displayed there already."""
    if not product.is_public:
        raise ValidationError({"product": NOT_PUBLIC_MESSAGE % {"product": product}})
    # Lock the exhibition: two curators adding at once get distinct positions.
    Exhibition.objects.select_for_update().filter(pk=exhibition.pk).first()
    last = exhibition.display_items.order_by("-position").values_list("position", flat=True)
    position = (last.first() or 0) + 1
    item = DisplayItem(
        exhibition=exhibition,
        product=product,
        note_id=note_id,
        note_en=note_en,
        position=position,
    )
    return audited_create(item, actor=actor)


@transaction.atomic
def display_item_update(
    *, item: DisplayItem, data: Mapping[str, Any], seen_version: str, actor
) -> DisplayItem:
    """Change the item's notes; EditConflict when it was saved after ``seen_version``."""
    return audited_update(
        DisplayItem,
        item,
        data=data,
        fields=DISPLAY_ITEM_FIELDS,
        seen_version=seen_version,
        actor=actor,
    )


@transaction.atomic
def display_item_move(*, item: DisplayItem, direction: str, actor) -> bool:
    """Move ``item`` one place up or down among its exhibition's items; False when it is
    already first (up) or last (down). Positions are renumbered 1, 2, 3… as a side effect."""
    if direction not in DIRECTIONS:
        raise ValueError(f"Unknown direction {direction!r}")
    Exhibition.objects.select_for_update().filter(pk=item.exhibition_id).first()
    ordered = list(
        DisplayItem.objects.filter(exhibition_id=item.exhibition_id).order_by("position", "pk")
    )
    index = next(i for i, row in enumerate(ordered) if row.pk == item.pk)
    other = index - 1 if direction == UP else index + 1
    if not 0 <= other < len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    now = timezone.now()
    moved = []
    for position, row in enumerate(ordered, start=1):
        if row.position != position:
            row.position, row.updated_at = position, now
            moved.append(row)
    DisplayItem.objects.bulk_update(moved, ["position", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGED,
        obj=item,
        changes={"position": [index + 1, other + 1]},
        summary=f"moved {direction}",
    )
    _changed_on_commit()
    return True


@transaction.atomic
def display_item_remove(*, item: DisplayItem, actor) -> None:
    """Stop displaying the item (its scan counts go with it)."""
    _delete(item, actor=actor)


# Scans ---------------------------------------------------------------------------------------


def scan_record(*, item: DisplayItem) -> None:
    """Count one scan of ``item`` today: the day's row is incremented in the database, or
    created by the first scan of the day. Safe when scans arrive at the same moment."""
    day = timezone.localdate()
    with transaction.atomic():
        if _tally_increment(item, day):
            return
        try:
            _tally_first(item, day)
        except IntegrityError:
            # Another scan created the day's row in the meantime: count on it.
            _tally_increment(item, day)


def _tally_increment(item: DisplayItem, day) -> int:
    return ScanTally.objects.filter(display_item=item, day=day).update(count=F("count") + 1)


def _tally_first(item: DisplayItem, day) -> None:
    with transaction.atomic():
        ScanTally.objects.create(display_item=item, day=day, count=1)
