"""Template tags of the public site: photos of public records, served by the showcase."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext

from desadevisa.catalog.models import ProductPhoto
from desadevisa.core.i18n import localized_text
from desadevisa.core.models import Photo
from desadevisa.core.site import absolute_url
from desadevisa.registry.models import VillageProfilePhoto

register = template.Library()


def photo_url(photo: Photo, rendition: str) -> str:
    """The public address of a rendition of a product's or village profile's photo."""
    kind = "product" if isinstance(photo, ProductPhoto) else "village"
    return reverse(
        "showcase-root:photo", kwargs={"kind": kind, "pk": photo.pk, "rendition": rendition}
    )


def photo_alt(photo: Photo) -> str:
    """The photo's caption, else the name of what it shows when already loaded (a template
    must not query), else a plain word."""
    if photo.caption:
        return photo.caption
    if isinstance(photo, ProductPhoto) and ProductPhoto.product.is_cached(photo):
        return localized_text(photo.product, "name").text
    if isinstance(photo, VillageProfilePhoto) and VillageProfilePhoto.profile.is_cached(photo):
        profile = photo.profile
        if type(profile).village.is_cached(profile):
            return profile.village.name
    return gettext("Photo")


@register.simple_tag
def public_photo(photo: Photo, rendition: str = "card", css_class: str = "") -> str:
    """``{% public_photo photo "card" %}``: the ``<img>`` of a rendition with its size, alt
    text and lazy loading. Only for photos of public records: the address answers 404 for
    any other."""
    width, height = photo.rendition_size(rendition)
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}"{} loading="lazy" decoding="async">',
        photo_url(photo, rendition),
        width,
        height,
        photo_alt(photo),
        format_html(' class="{}"', css_class) if css_class else "",
    )


@register.simple_tag(takes_context=True)
def public_photo_absolute_url(context, photo: Photo, rendition: str = "card") -> str:
    """The absolute address of a photo rendition, for OpenGraph's ``og:image``."""
    return absolute_url(photo_url(photo, rendition))


@register.filter
def rendition_size(photo: Photo, rendition: str) -> tuple[int, int]:
    """``photo|rendition_size:"full"``: the rendition's width and height."""
    return photo.rendition_size(rendition)
