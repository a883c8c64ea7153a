"""Who may reach the exhibitions' pages, for the permission matrix.

Exhibitions and their venues belong to no province: every staff member reads them and only
those without a role get 404. Their pages are ``SharedObject``s, which the matrix does not
walk; ``test_exhibition_access`` tests them over every role. Display items are read by those
who read their product: their pages are ``ObjectScoped``. Curating (changing an exhibition,
its venues or items) is for national roles: other readers get 403. The matrix's products are
not public, so their display cards answer 409.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from desadevisa.core.tests.matrix import (
    NATIONAL_READERS,
    NATIONAL_ROLES,
    ROLES,
    SIGNED_IN,
    Access,
    ObjectScoped,
    Public,
    SignedIn,
)

EVERYONE = frozenset(ROLES)
NATIONAL = frozenset(NATIONAL_ROLES)
NOT_CURATORS = EVERYONE - NATIONAL


@dataclass(frozen=True)
class SharedObject:
    """A page about a record every staff member reads, whatever their province (an exhibition,
    its venue). Signed-in people without a role get 404; ``refused`` read the record but may
    not take the page's action and get 403; the other roles get ``status``. The anonymous go
    to sign in."""

    kwargs: Callable[..., dict[str, object]]
    method: str = "get"
    status: int = 200
    refused: frozenset[str] = frozenset()


def _exhibition(world, records) -> dict[str, object]:
    return {"pk": world.exhibition.pk}


def _venue(world, records) -> dict[str, object]:
    from desadevisa.showcase.models import ExhibitionVenue

    venue, _created = ExhibitionVenue.objects.get_or_create(
        exhibition=world.exhibition, name="Jakarta Convention Center", city="Jakarta"
    )
    return {"pk": venue.pk}


def _item(world, records) -> dict[str, object]:
    return {"pk": records.display_item.pk}


def _item_move(world, records) -> dict[str, object]:
    return {"pk": records.display_item.pk, "direction": "down"}


def _read_item(**options) -> ObjectScoped:
    return ObjectScoped(
        kwargs=_item, readers=EVERYONE, readers_everywhere=NATIONAL_READERS, **options
    )


def _curate_item(kwargs=_item, **options) -> ObjectScoped:
    return ObjectScoped(
        kwargs=kwargs,
        readers=EVERYONE,
        readers_everywhere=NATIONAL_READERS,
        refused=NOT_CURATORS,
        refused_everywhere=NATIONAL_READERS - NATIONAL,
        **options,
    )


PATTERNS: dict[str, Access | SharedObject] = {
    # Staff pages
    "exhibitions:list": SignedIn(),
    "exhibitions:create": SignedIn(refused=frozenset(SIGNED_IN) - NATIONAL),
    "exhibitions:detail": SharedObject(kwargs=_exhibition),
    "exhibitions:update": SharedObject(kwargs=_exhibition, refused=NOT_CURATORS),
    "exhibitions:venue-add": SharedObject(kwargs=_exhibition, refused=NOT_CURATORS),
    "exhibitions:venue-delete": SharedObject(kwargs=_venue, refused=NOT_CURATORS),
    "exhibitions:item-add": SharedObject(kwargs=_exhibition, refused=NOT_CURATORS),
    "exhibitions:cards": SharedObject(kwargs=_exhibition, status=409),
    "exhibitions:item-update": _curate_item(),
    "exhibitions:item-delete": _curate_item(),
    "exhibitions:item-move": _curate_item(_item_move, method="post", status=302),
    "exhibitions:item-qr": _read_item(),
    "exhibitions:item-card": _read_item(status=409),
    # Public pages: an unknown exhibition or code answers the not-found page.
    "showcase:exhibition": Public(status=404, kwargs={"slug": "no-such-exhibition"}),
    "showcase:kiosk": Public(status=404, kwargs={"slug": "no-such-exhibition"}),
    "showcase:kiosk-feed": Public(status=404, kwargs={"slug": "no-such-exhibition"}),
    "showcase-root:scan": Public(status=404, kwargs={"code": "ZZZZZZZZ"}),
}
