"""A new privacy notice replaces the cached public pages that show or link it."""

from django.db.models.signals import post_save

from desadevisa.inquiries.models import PrivacyNotice
from desadevisa.showcase.caching import showcase_changed


def _notice_saved(sender, **kwargs) -> None:
    showcase_changed()


def connect() -> None:
    post_save.connect(
        _notice_saved, sender=PrivacyNotice, dispatch_uid="inquiries.privacy_notice_saved"
    )
