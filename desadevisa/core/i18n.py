"""Language helpers: the same page in each language, and bilingual fields in the active one."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix
from django.utils.translation import get_language, get_language_from_path, get_language_info

from desadevisa.core.site import absolute_url


@dataclass(frozen=True)
class LanguageLink:
    """A link to the current page in one of the site's languages."""

    code: str
    name_local: str
    url: str
    absolute_url: str
    is_current: bool


@dataclass(frozen=True)
class LocalizedText:
    """A bilingual field's text and the language it is actually written in."""

    text: str
    lang: str


def language_links(request: HttpRequest) -> list[LanguageLink]:
    """Links to the requested page in every site language, in the order of ``LANGUAGES``.

    A path under a language prefix keeps everything after the prefix, query included; any other
    path (an unknown address, say) links to the home page of each language.
    """
    current = get_language()
    rest = _path_after_language_prefix(request.path_info)
    query = request.META.get("QUERY_STRING", "")
    links = []
    for code, _name in settings.LANGUAGES:
        if rest is not None:
            url = f"{get_script_prefix()}{code}/{rest}"
            if query:
                url = f"{url}?{query}"
        else:
            url = language_home_url(code)
        links.append(
            LanguageLink(
                code=code,
                name_local=get_language_info(code)["name_local"],
                url=url,
                absolute_url=absolute_url(url),
                is_current=code == current,
            )
        )
    return links


def language_home_url(code: str) -> str:
    """The home page in a language: the root of its prefix in ``i18n_patterns``."""
    return f"{get_script_prefix()}{code}/"


def _path_after_language_prefix(path: str) -> str | None:
    """The part of ``path`` after its language prefix, or None when it has none."""
    code = get_language_from_path(path)
    if code is None:
        return None
    prefix = f"/{code}/"
    return path[len(prefix) :] if path.startswith(prefix) else None


def localized_text(obj: object, field: str) -> LocalizedText:
    """The text of ``<field>_<language>`` in the active language, else the first one filled in.

    A profile written only in Indonesian still shows on the English page, marked as Indonesian.
    """
    active = get_language() or settings.LANGUAGE_CODE
    codes = [active] + [code for code, _name in settings.LANGUAGES if code != active]
    for code in codes:
        text = getattr(obj, f"{field}_{code.replace('-', '_')}", "")
        if text:
            return LocalizedText(text=text, lang=code)
    return LocalizedText(text="", lang=active)
