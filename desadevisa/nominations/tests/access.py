"""Who may reach the programme's pages, for the permission matrix.

Cycles and quotas are set up nationally: their edit pages answer 404 to everyone else. A
nomination is read by the national roles, the officers of its province and the managers whose
organisations make its flagship product; the steps and the edit page answer 403 to readers
whose role may not take them. The matrix's nominations are designated, so the officer who may
change or withdraw them meets the workflow's 409.
"""

from __future__ import annotations

from desadevisa.core.tests.matrix import (
    NATIONAL_ROLES,
    SIGNED_IN,
    Access,
    NationalOnly,
    ObjectScoped,
    Public,
    SignedIn,
)

NATIONAL = frozenset(NATIONAL_ROLES)
NOMINATION_READERS = NATIONAL | {"provincial_officer", "organisation_manager"}
NOT_OFFICERS = NOMINATION_READERS - {"provincial_officer"}


def _cycle(world, records) -> dict[str, object]:
    return {"pk": world.cycle.pk}


def _nomination(world, records) -> dict[str, object]:
    return {"pk": records.nomination.pk}


def _withdraw(world, records) -> dict[str, object]:
    return {"pk": records.nomination.pk, "step": "withdraw"}


PATTERNS: dict[str, Access] = {
    "nominations:cycle-list": SignedIn(),
    "nominations:cycle-create": NationalOnly(),
    "nominations:cycle-update": ObjectScoped(
        kwargs=_cycle, readers=NATIONAL, readers_everywhere=NATIONAL
    ),
    "nominations:cycle-quotas": ObjectScoped(
        kwargs=_cycle, readers=NATIONAL, readers_everywhere=NATIONAL
    ),
    "nominations:cycle-override": ObjectScoped(
        kwargs=_cycle, readers=NATIONAL, readers_everywhere=NATIONAL
    ),
    "nominations:nomination-list": SignedIn(),
    "nominations:nomination-create": SignedIn(
        refused=frozenset(SIGNED_IN) - {"provincial_officer"}
    ),
    "nominations:nomination-detail": ObjectScoped(
        kwargs=_nomination, readers=NOMINATION_READERS, readers_everywhere=NATIONAL
    ),
    "nominations:nomination-update": ObjectScoped(
        kwargs=_nomination,
        readers=NOMINATION_READERS,
        readers_everywhere=NATIONAL,
        refused=NOT_OFFICERS,
        refused_everywhere=NATIONAL,
        status=409,
    ),
    "nominations:waiting-list": SignedIn(),
    "nominations:quota-request-create": SignedIn(
        refused=frozenset(SIGNED_IN) - {"provincial_officer"}
    ),
    "nominations:quota-request-answer": ObjectScoped(
        kwargs=lambda world, records: {"pk": records.quota_request.pk},
        readers=NATIONAL | {"provincial_officer"},
        readers_everywhere=NATIONAL,
        refused=frozenset({"provincial_officer"}),
    ),
    # The matrix's nominations are designated, not waiting: the page sends the officer back
    # to the waiting list with the reason.
    "nominations:waiting-list-move": ObjectScoped(
        kwargs=lambda world, records: {"pk": records.nomination.pk, "direction": "up"},
        readers=NOMINATION_READERS,
        readers_everywhere=NATIONAL,
        refused=NOT_OFFICERS,
        refused_everywhere=NATIONAL,
        method="post",
        status=302,
    ),
    "nominations:nomination-transition": ObjectScoped(
        kwargs=_withdraw,
        readers=NOMINATION_READERS,
        readers_everywhere=NATIONAL,
        refused=NOT_OFFICERS,
        refused_everywhere=NATIONAL,
        method="post",
        status=409,
    ),
}


# Decision, designations and certificates; the public verification pages. Readers who are not
# national may open a designation but not decide or change its status (403); the matrix's
# nomination is already designated, so the decision page tells its deciders so (409).
NOT_NATIONAL_READERS = NOMINATION_READERS - NATIONAL


def _designation(world, records) -> dict[str, object]:
    return {"pk": records.designation.pk}


PATTERNS.update(
    {
        "nominations:nomination-decide": ObjectScoped(
            kwargs=_nomination,
            readers=NOMINATION_READERS,
            readers_everywhere=NATIONAL,
            refused=NOT_NATIONAL_READERS,
            status=409,
        ),
        # The matrix's nomination is designated: its uniqueness is no longer reviewed (409).
        "nominations:nomination-uniqueness": ObjectScoped(
            kwargs=_nomination,
            readers=NOMINATION_READERS,
            readers_everywhere=NATIONAL,
            refused=NOT_NATIONAL_READERS,
            method="post",
            status=409,
        ),
        "nominations:designation-detail": ObjectScoped(
            kwargs=_designation, readers=NOMINATION_READERS, readers_everywhere=NATIONAL
        ),
        "nominations:designation-status": ObjectScoped(
            kwargs=_designation,
            readers=NOMINATION_READERS,
            readers_everywhere=NATIONAL,
            refused=NOT_NATIONAL_READERS,
        ),
        "nominations:designation-certificate": ObjectScoped(
            kwargs=_designation, readers=NOMINATION_READERS, readers_everywhere=NATIONAL
        ),
        "verify:lookup": Public(),
        # A code no certificate has: the page says so, with status 404.
        "verify:certificate": Public(status=404, kwargs={"code": "ABCD2345EFGH"}),
    }
)
