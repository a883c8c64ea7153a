"""Template context every page of the site needs; cheap by rule: no queries."""

from django.http import HttpRequest
from django.utils.translation import get_language

from desadevisa.core.i18n import language_home_url, language_links


def site(request: HttpRequest) -> dict[str, object]:
    """The home page of the active language and the current page in every language."""
    return {
        "home_url": language_home_url(get_language()),
        "language_links": language_links(request),
    }
