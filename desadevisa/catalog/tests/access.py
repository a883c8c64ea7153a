"""Who may reach the catalog's staff pages, for the permission matrix.

Pages that change a product or a photo answer 403 to those who read it but may not change it
(AC-6): verifiers and provincial officers. The photo actions take only POST; every reader gets
405 for a GET once the scope let them through.
"""

from desadevisa.core.tests.matrix import (
    NATIONAL_READERS,
    NATIONAL_ROLES,
    ROLES,
    Access,
    ObjectScoped,
    SignedIn,
)

ALL_ROLES = frozenset(ROLES)
# National roles, and the manager of the organisation whose member unit makes the product.
WRITERS = NATIONAL_ROLES | {"organisation_manager"}
READ_ONLY = frozenset({"verifier", "provincial_officer"})


def product(world, records) -> dict[str, object]:
    return {"pk": records.product.pk}


def photo(world, records) -> dict[str, object]:
    return {"pk": records.photo.pk}


def photo_file(world, records) -> dict[str, object]:
    return {"pk": records.photo.pk, "rendition": "thumbnail"}


def readers(kwargs, **options) -> ObjectScoped:
    return ObjectScoped(
        kwargs=kwargs, readers=ALL_ROLES, readers_everywhere=NATIONAL_READERS, **options
    )


def writers(kwargs) -> ObjectScoped:
    return ObjectScoped(
        kwargs=kwargs,
        readers=WRITERS,
        readers_everywhere=NATIONAL_ROLES,
        refused=READ_ONLY,
        refused_everywhere=frozenset({"verifier"}),
    )


PATTERNS: dict[str, Access] = {
    "catalog:product-list": SignedIn(),
    # The role fixtures' manager has no member unit making anything yet: nothing to create.
    "catalog:product-create": SignedIn(refused=READ_ONLY | {"nobody", "organisation_manager"}),
    "catalog:hs-code-search": SignedIn(),
    "catalog:product-detail": readers(product),
    "catalog:product-update": writers(product),
    "catalog:product-delete": writers(product),
    "catalog:product-photos": writers(product),
    "catalog:product-photo-caption": readers(photo, status=405),
    "catalog:product-photo-move": readers(photo, status=405),
    "catalog:product-photo-cover": readers(photo, status=405),
    "catalog:product-photo-delete": readers(photo, status=405),
    "catalog:product-photo-file": readers(photo_file),
}
