"""Changes to products and their photos. Each service runs in one transaction and records an
audit event with it; photo files are removed from storage only once the deletion commits."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import audit_changes, audit_record, audit_snapshot
from desadevisa.catalog.models import Product, ProductPhoto
from desadevisa.catalog.permissions import product_maker_choices, product_makers_allowed
from desadevisa.core.editing import record_lock_for_edit
from desadevisa.core.uploads import ProcessedImage
from desadevisa.registry.models import CraftUnit

# The fields a product form sets; the village is set once, at creation.
PRODUCT_EDITABLE_FIELDS = (
    "name_id",
    "name_en",
    "description_id",
    "description_en",
    "hs_code",
    "materials",
    "uniqueness_statement",
    "origin_statement",
    "price_min",
    "price_max",
    "currency",
    "minimum_order",
    "order_unit",
    "lead_time_days",
    "monthly_capacity",
    "is_public",
)
SLUG_MAX_LENGTH = 200
# Saves tried when other products take the chosen slug at the same moment.
SLUG_ATTEMPTS = 3


class CatalogError(Exception):
    """A change the catalog refuses; ``str()`` is the message for the person."""

    message = _("This change cannot be made.")

    def __init__(self, message=None) -> None:
        super().__init__()
        if message is not None:
            self.message = message

    def __str__(self) -> str:
        return str(self.message)


class ProductInUse(CatalogError):
    message = _(
        "This product cannot be deleted: export shipments or other records refer to it. "
        "Delete or change those first."
    )


class ProductNameTaken(CatalogError):
    message = _("This village already has a product with this name.")


class ProductSlugBusy(CatalogError):
    message = _("Products with this English name are being saved at this moment; save again.")


class ProductMakersRequired(CatalogError):
    message = _("Choose at least one craft unit of your organisation that makes this product.")


# Products ------------------------------------------------------------------------------------


def product_slug(name_en: str, *, exclude_pk: int | None = None) -> str:
    """A slug from the English name, unique among products: ``djembe-drum``, ``djembe-drum-2``."""
    base = slugify(name_en)[:SLUG_MAX_LENGTH].strip("-") or "product"
    taken = Product.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    slugs = set(taken.values_list("slug", flat=True))
    slug, number = base, 1
    while slug in slugs:
        number += 1
        suffix = f"-{number}"
        slug = f"{base[: SLUG_MAX_LENGTH - len(suffix)]}{suffix}"
    return slug


def product_create(*, actor, village, craft_units: Iterable[CraftUnit], fields: dict) -> Product:
    """Create a product in ``village`` made by ``craft_units``, with ``fields`` (the names in
    PRODUCT_EDITABLE_FIELDS); the slug comes from the English name.

    Raises PermissionDenied when ``actor`` may not name these makers (an organisation manager
    must name one of their running member units), ProductNameTaken when the village already
    has a product of that Indonesian name.
    """
    units = list(craft_units)
    if not product_makers_allowed(user=actor, craft_units=units):
        raise ProductMakersRequired
    if not _units_allowed(actor, units):
        raise PermissionDenied
    product = Product(village=village, **_editable(fields))
    for _attempt in range(SLUG_ATTEMPTS):
        product.slug = product_slug(product.name_en)
        try:
            with transaction.atomic():
                product.save()
                product.craft_units.set(units)
                audit_record(
                    actor=actor,
                    action=AuditAction.CREATED,
                    obj=product,
                    changes=audit_changes(
                        {}, {**audit_snapshot(product), "craft_units": _unit_ids(units)}
                    ),
                )
        except IntegrityError:
            product.pk = None
            if Product.objects.filter(village=village, name_id=product.name_id).exists():
                raise ProductNameTaken from None
            if not Product.objects.filter(slug=product.slug).exists():
                raise
            # Another product took the slug between the choice and the save: choose again.
            continue
        return product
    raise ProductSlugBusy


def product_update(
    *, product: Product, actor, craft_units: Iterable[CraftUnit], fields: dict, seen_version: str
) -> Product:
    """Save the form's ``fields`` and makers over ``product``, unless someone saved it since
    ``seen_version`` (EditConflict, nothing written).

    Of the makers, only the units ``actor`` may name are replaced: units recorded by others
    that ``actor`` may not name stay. An organisation manager keeps at least one of their own
    running member units (ProductMakersRequired).
    """
    chosen = list(craft_units)
    if not _units_allowed(actor, chosen):
        raise PermissionDenied
    try:
        with transaction.atomic():
            current = record_lock_for_edit(Product, pk=product.pk, seen_version=seen_version)
            nameable = set(product_maker_choices(user=actor).values_list("pk", flat=True))
            kept = [unit for unit in current.craft_units.all() if unit.pk not in nameable]
            if not product_makers_allowed(user=actor, craft_units=chosen):
                raise ProductMakersRequired
            before = {
                **audit_snapshot(current),
                "craft_units": _unit_ids(current.craft_units.all()),
            }
            for name, value in _editable(fields).items():
                setattr(current, name, value)
            current.save()
            units = [*kept, *chosen]
            current.craft_units.set(units)
            changes = audit_changes(
                before, {**audit_snapshot(current), "craft_units": _unit_ids(units)}
            )
            audit_record(actor=actor, action=AuditAction.CHANGED, obj=current, changes=changes)
    except IntegrityError:
        if (
            Product.objects.filter(village_id=product.village_id, name_id=fields.get("name_id"))
            .exclude(pk=product.pk)
            .exists()
        ):
            raise ProductNameTaken from None
        raise
    return current


def product_delete(*, product: Product, actor) -> None:
    """Delete ``product`` with its photos (files removed once the deletion commits).

    Raises ProductInUse, deleting nothing, while export shipments or other records protect it.
    """
    try:
        with transaction.atomic():
            files = [name for photo in product.photos.all() for name in photo.stored_files()]
            audit_record(actor=actor, action=AuditAction.DELETED, obj=product)
            product.delete()
            transaction.on_commit(partial(_delete_files, files))
    except ProtectedError:
        raise ProductInUse from None


# Photos --------------------------------------------------------------------------------------


def product_photos_add(
    *, product: Product, actor, images: Iterable[ProcessedImage], caption: str = ""
) -> list[ProductPhoto]:
    """Add photos to ``product``, after those it has; the first photo of a product without a
    cover becomes its cover. Files stored for an upload that does not commit are removed."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = Product.objects.select_for_update().get(pk=product.pk)
            last = locked.photos.aggregate(last=Max("position"))["last"]
            position = -1 if last is None else last
            needs_cover = not locked.photos.filter(is_cover=True).exists()
            photos = []
            for image in images:
                position += 1
                photo = ProductPhoto(
                    product=locked, caption=caption, position=position, is_cover=needs_cover
                )
                needs_cover = False
                photo.set_image(image)
                stored.extend(photo.stored_files())
                photo.save()
                audit_record(
                    actor=actor,
                    action=AuditAction.CREATED,
                    obj=photo,
                    province_code=locked.village.province_id,
                    summary=f"{locked}: photo added",
                )
                photos.append(photo)
    except BaseException:
        _delete_files(stored)
        raise
    return photos


def product_photo_caption_set(*, photo: ProductPhoto, actor, caption: str) -> ProductPhoto:
    """Change the caption of ``photo``."""
    with transaction.atomic():
        before = audit_snapshot(photo, ["caption"])
        photo.caption = caption
        photo.save(update_fields=["caption", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.CHANGED,
            obj=photo,
            province_code=photo.product.village.province_id,
            changes=audit_changes(before, audit_snapshot(photo, ["caption"])),
        )
    return photo


def product_photo_move(*, photo: ProductPhoto, actor, direction: str) -> None:
    """Move ``photo`` one place ``up`` or ``down`` among its product's photos; nothing at the
    ends. Positions are renumbered 0, 1, 2... in the new order."""
    with transaction.atomic():
        Product.objects.select_for_update().filter(pk=photo.product_id).get()
        photos = list(
            ProductPhoto.objects.filter(product_id=photo.product_id).order_by("position", "pk")
        )
        index = next(i for i, other in enumerate(photos) if other.pk == photo.pk)
        target = index - 1 if direction == "up" else index + 1
        if not 0 <= target < len(photos):
            return
        photos[index], photos[target] = photos[target], photos[index]
        changed = []
        for position, other in enumerate(photos):
            if other.position != position:
                other.position = position
                changed.append(other)
        ProductPhoto.objects.bulk_update(changed, ["position"])
        audit_record(
            actor=actor,
            action=AuditAction.CHANGED,
            obj=photo,
            province_code=photo.product.village.province_id,
            changes={"position": [index, target]},
        )


def product_photo_cover_set(*, photo: ProductPhoto, actor) -> None:
    """Make ``photo`` its product's only cover. The former cover loses the mark first, in the
    same transaction, so the one-cover rule holds at every statement."""
    with transaction.atomic():
        Product.objects.select_for_update().filter(pk=photo.product_id).get()
        previous = ProductPhoto.objects.filter(product_id=photo.product_id, is_cover=True)
        former = list(previous.exclude(pk=photo.pk).values_list("pk", flat=True))
        previous.exclude(pk=photo.pk).update(is_cover=False)
        ProductPhoto.objects.filter(pk=photo.pk).update(is_cover=True)
        photo.is_cover = True
        audit_record(
            actor=actor,
            action=AuditAction.CHANGED,
            obj=photo,
            province_code=photo.product.village.province_id,
            changes={
                "is_cover": [False, True],
                "former_cover": [former[0] if former else None, None],
            },
        )


def product_photo_delete(*, photo: ProductPhoto, actor) -> None:
    """Delete ``photo``; its files go once the deletion commits. When it was the cover, the
    next photo in order becomes the cover."""
    with transaction.atomic():
        Product.objects.select_for_update().filter(pk=photo.product_id).get()
        files = photo.stored_files()
        was_cover = ProductPhoto.objects.filter(pk=photo.pk, is_cover=True).exists()
        audit_record(
            actor=actor,
            action=AuditAction.DELETED,
            obj=photo,
            province_code=photo.product.village.province_id,
        )
        photo.delete()
        if was_cover:
            successor = (
                ProductPhoto.objects.filter(product_id=photo.product_id)
                .order_by("position", "pk")
                .first()
            )
            if successor is not None:
                ProductPhoto.objects.filter(pk=successor.pk).update(is_cover=True)
        transaction.on_commit(partial(_delete_files, files))


# Helpers -------------------------------------------------------------------------------------


def _editable(fields: dict) -> dict:
    return {name: fields[name] for name in PRODUCT_EDITABLE_FIELDS if name in fields}


def _unit_ids(units: Iterable[CraftUnit]) -> list[int]:
    return sorted(unit.pk for unit in units)


def _units_allowed(actor, units: list[CraftUnit]) -> bool:
    """Whether every unit of ``units`` is one ``actor`` may name as a maker."""
    if not units:
        return True
    ids = _unit_ids(units)
    return product_maker_choices(user=actor).filter(pk__in=ids).count() == len(set(ids))


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)
