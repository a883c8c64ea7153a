"""Drop the cached public pages whenever a record they may show is saved or deleted.

The showcase's pages are cached whole (``showcase.caching``); any change to a product, a
village profile, their photos, an organisation, a designation or an exhibition makes every
cached page stale at once, so no page outlives what it shows. Figures derived from craft units
and shipments follow within ``SHOWCASE_CACHE_SECONDS``.
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from desadevisa.showcase.caching import showcase_changed

WATCHED_MODELS = (
    "catalog.Product",
    "catalog.ProductPhoto",
    "registry.VillageProfile",
    "registry.VillageProfilePhoto",
    "registry.Organisation",
    "nominations.Designation",
    "showcase.Exhibition",
    "showcase.ExhibitionVenue",
    "showcase.DisplayItem",
)


def public_record_changed(sender, **kwargs) -> None:
    """Receiver of post_save and post_delete of the watched models."""
    showcase_changed()


def connect() -> None:
    """Connect the receiver to every watched model (once: the dispatch uid guards it)."""
    for label in WATCHED_MODELS:
        model = apps.get_model(label)
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(
                public_record_changed, sender=model, dispatch_uid=f"showcase:{name}:{label}"
            )
