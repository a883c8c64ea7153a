"""Read regions: look one up by its code, or search villages for an autocomplete."""

import re

from django.db.models import Case, Expression, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from desadevisa.regions.lookups import KeyContains, KeyMatch, KeyStartsWith
from desadevisa.regions.models import (
    DISTRICT_CODE,
    PROVINCE_CODE,
    REGENCY_CODE,
    VILLAGE_CODE,
    District,
    Province,
    Regency,
    Village,
    search_key,
)

Region = Province | Regency | District | Village

VILLAGE_SEARCH_MIN_LENGTH = 2
# Matching inside names starts at three characters: shorter parts match thousands of villages
# and, on PostgreSQL, are below the trigram index's reach.
VILLAGE_SEARCH_INFIX_MIN_LENGTH = 3
VILLAGE_SEARCH_MAX_LENGTH = 100
CODE_QUERY = re.compile(r"[\d.]+")
# Segment widths of an undotted code, e.g. 3505102001 for 35.05.10.2001.
CODE_SEGMENTS = (2, 2, 2, 4)


def region_get(*, code: str) -> Region:
    """Return the province, regency, district or village with this official code.

    The level follows from the form of the code (``35``, ``35.05``, ``35.05.10``,
    ``35.05.10.2001``); the regions above it are selected along. Raises Http404 when the code
    has none of these forms or names no region.
    """
    if VILLAGE_CODE.fullmatch(code):
        return get_object_or_404(village_list(), code=code)
    if DISTRICT_CODE.fullmatch(code):
        return get_object_or_404(District.objects.select_related("regency__province"), code=code)
    if REGENCY_CODE.fullmatch(code):
        return get_object_or_404(Regency.objects.select_related("province"), code=code)
    if PROVINCE_CODE.fullmatch(code):
        return get_object_or_404(Province, code=code)
    raise Http404(_("“%(code)s” is not a region code.") % {"code": code})


def village_list() -> QuerySet[Village]:
    """All villages, with what ``Village.path`` reads selected along."""
    return Village.objects.select_related("district__regency", "province")


def village_search(*, query: str, limit: int = 20) -> QuerySet[Village]:
    """Return up to ``limit`` villages matching ``query``, best first, for an autocomplete.

    A query of digits and dots is a code prefix (``35.05.10``; undotted ``350510`` works too),
    answered in code order. Any other query matches names whatever their case, accents, spaces
    and punctuation: names that start with it first, then names that contain it (from three
    characters on), each group in the order of the folded names, namesakes by code. A query
    shorter than two characters matches nothing. One database query, with what
    ``Village.path`` reads selected along.
    """
    compact = "".join(query.split())
    if CODE_QUERY.fullmatch(compact):
        prefix = _code_prefix(compact)
        if len(prefix) < VILLAGE_SEARCH_MIN_LENGTH:
            return Village.objects.none()
        # The province follows from the prefix; naming it steers PostgreSQL to the province
        # index, where it would otherwise walk the primary key in code order to fill the limit.
        return _villages_best(
            Q(province_id=prefix[:2]), KeyStartsWith(F("code"), prefix), order=["code"], limit=limit
        )
    key = search_key(query)
    if not VILLAGE_SEARCH_MIN_LENGTH <= len(key) <= VILLAGE_SEARCH_MAX_LENGTH:
        return Village.objects.none()
    if len(key) < VILLAGE_SEARCH_INFIX_MIN_LENGTH:
        return _villages_best(
            KeyStartsWith(F("search_name"), key), order=["search_name", "code"], limit=limit
        )
    starts_first = Case(
        When(KeyStartsWith(F("search_name"), key), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return _villages_best(
        KeyContains(F("search_name"), key), order=[starts_first, "search_name", "code"], limit=limit
    )


def _villages_best(
    *conditions: Q | KeyMatch, order: list[str | Expression], limit: int
) -> QuerySet[Village]:
    # The best codes are chosen on the village table alone and only they are joined to their
    # district, regency and province: joining every match first costs more than the search.
    best = Village.objects.filter(*conditions).order_by(*order).values("code")[:limit]
    return village_list().filter(code__in=best).order_by(*order)


def _code_prefix(query: str) -> str:
    if "." in query:
        return query
    segments = []
    for width in CODE_SEGMENTS:
        if query:
            segments.append(query[:width])
            query = query[width:]
    # Digits beyond a full village code stay, so that such a query matches nothing.
    return ".".join(segments) + query
