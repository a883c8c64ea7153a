"""Template context every page of the site needs; cheap by rule: no queries."""

from django.http import HttpRequest
from django.utils.translation import get_language

from desadevisa.core.i18n import language_home_url, language_links
from desadevisa.core.site import absolute_url


def site(request: HttpRequest) -> dict[str, object]:
    """The home page of the active language, the current page in every language and its
    absolute address on the site's public address."""
    return {
        "page_absolute_url": absolute_url(request.get_full_path()),
        "home_url": language_home_url(get_language()),
        "language_links": language_links(request),
    }
