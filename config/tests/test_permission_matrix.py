"""Every URL pattern of the site is classified by who may reach it, and answers accordingly.

SECURITY §2.1 and AC-1..AC-6: a pattern missing from PATTERNS fails the classification test
with its name, so no page can be added without saying who may see it. Each class is then
tested over every role fixture, a signed-in person without a role and the anonymous.
Object pages are asked for an object in the role fixtures' scope (Jawa Timur, the manager's
organisation) and for one outside it (Jawa Tengah): outside the scope they answer 404 to every
method, never 403, 405 or 200, and change nothing.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone, translation

from desadevisa.accounts.services.tokens import token_create
from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.core.tests.matrix import (
    NATIONAL_ROLES,
    SIGNED_IN,
    UNSAFE_METHODS,
    Access,
    AdminOnly,
    NationalOnly,
    ObjectScoped,
    Public,
    SignedIn,
    SignInStep,
)

HOUR = datetime.timedelta(hours=1)


def app_patterns() -> dict[str, Access]:
    """The patterns each app classifies in its own ``tests/access.py``."""
    found: dict[str, Access] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("desadevisa."):
            continue
        try:
            module = import_module(f"{config.name}.tests.access")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tests.access":
                raise
            continue
        overlap = set(found) & set(module.PATTERNS)
        assert not overlap, f"Classified twice: {sorted(overlap)}"
        found.update(module.PATTERNS)
    return found


def token_of(user):
    """A personal access token of ``user``."""
    token, _raw = token_create(user=user, name="Matrix", expires_at=timezone.now() + HOUR)
    return token


# Every named pattern, by its full name. Namespaces listed in NAMESPACES are classified whole.
PATTERNS: dict[str, Access] = {
    **app_patterns(),
    "core:healthz": Public(),
    # No task worker runs in the suite, so readiness fails on its heartbeat.
    "core:readyz": Public(status=503),
    "core:ping": Public(),
    "regions:village-search": Public(),
    "accounts:login": Public(),
    # Django's LogoutView takes only POST.
    "accounts:logout": Public(status=405),
    "accounts:password-reset": Public(),
    "accounts:password-reset-done": Public(),
    "accounts:password-reset-confirm": Public(kwargs={"uidb64": "MQ", "token": "set-password"}),
    "accounts:password-reset-complete": Public(),
    # An unknown token answers the page that says the link is not valid.
    "accounts:invitation-accept": Public(status=404, kwargs={"token": "not-a-token"}),
    "accounts:otp-verify": SignInStep(),
    "accounts:otp-setup": SignInStep(),
    "accounts:profile": SignedIn(),
    "accounts:reauthenticate": SignedIn(),
    "accounts:password-change": SignedIn(),
    # A token form without its fields answers itself again, with the errors.
    "accounts:token-create": SignedIn(method="post", status=400),
    "accounts:token-revoke": ObjectScoped(
        kwargs=lambda world, records: {"pk": token_of(records.officer).pk},
        # Only the token's owner: each province's officer owns that province's token.
        readers=frozenset({"provincial_officer"}),
        readers_everywhere=frozenset(),
        method="post",
        status=302,
    ),
    "accounts:invitation-create": NationalOnly(),
    "audit:event-list": NationalOnly(),
}
NAMESPACES: dict[str, Access] = {"admin": AdminOnly()}


# Walking the URL configuration ----------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None
    route: str
    pattern: URLPattern


def routes(patterns=None, prefix: str = "", namespaces: tuple[str, ...] = ()) -> Iterator[Route]:
    """Every pattern under ``patterns`` (the root URLconf by default), with its full name."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            name = ":".join((*namespaces, entry.name)) if entry.name else None
            yield Route(name=name, route=prefix + str(entry.pattern), pattern=entry)


def classification(route: Route) -> Access | None:
    namespace = route.name.split(":")[0] if route.name else None
    if namespace in NAMESPACES:
        return NAMESPACES[namespace]
    # A pattern without a name cannot be classified, except inside a namespace classified whole.
    if route.name is None:
        inside = next((ns for ns in NAMESPACES if route.route.startswith(f"{ns}/")), None)
        return NAMESPACES[inside] if inside else None
    return PATTERNS.get(route.name)


def url(name: str, **kwargs: object) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def view_name(location: str) -> str:
    return resolve(urlsplit(location).path).view_name


def entries(kind: type) -> list[tuple[str, Access]]:
    return [(name, access) for name, access in PATTERNS.items() if isinstance(access, kind)]


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


# Classification -------------------------------------------------------------------------------


def test_every_named_url_pattern_is_classified():
    unclassified = sorted(
        route.name or f"(unnamed) {route.route}"
        for route in routes()
        if classification(route) is None
    )

    assert unclassified == [], (
        "Classify these URL patterns in PATTERNS of config/tests/test_permission_matrix.py: "
        + ", ".join(unclassified)
    )


def test_every_classified_pattern_exists():
    names = {route.name for route in routes()}

    assert sorted(set(PATTERNS) - names) == []


# Public pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "access"), entries(Public))
@pytest.mark.django_db
def test_a_public_page_answers_the_anonymous(client, name, access):
    response = client.get(url(name, **access.kwargs))

    assert response.status_code == access.status


# Pages for signed-in people -------------------------------------------------------------------


def anonymous_is_sent_to_sign_in(client, path: str, method: str = "get") -> None:
    response = getattr(client, method)(path)

    assert response.status_code == 302, f"{method.upper()} {path}"
    assert view_name(response["Location"]) == "accounts:login"


SIGNED_IN_PAGES = [
    name for name, _ in (*entries(SignInStep), *entries(SignedIn), *entries(NationalOnly))
]


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
@pytest.mark.django_db
def test_the_anonymous_are_sent_to_sign_in(client, name):
    anonymous_is_sent_to_sign_in(client, url(name))


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
@pytest.mark.parametrize("method", UNSAFE_METHODS)
@pytest.mark.django_db
def test_the_anonymous_get_no_success_and_no_error_from_any_method(client, name, method):
    before = row_counts()

    response = getattr(client, method)(url(name))

    assert response.status_code in (302, 401, 403, 404, 405)
    assert row_counts() == before


@pytest.mark.parametrize(("name", "access"), entries(SignedIn))
@pytest.mark.parametrize("person", SIGNED_IN)
def test_a_page_for_signed_in_people_answers_everyone_signed_in(
    client, request, name, access, person
):
    sign_in_verified(client, request.getfixturevalue(person))

    response = getattr(client, access.method)(url(name))

    assert response.status_code == (403 if person in access.refused else access.status)


@pytest.mark.parametrize(("name", "access"), entries(NationalOnly))
@pytest.mark.parametrize("person", SIGNED_IN)
def test_a_national_page_answers_404_to_everyone_but_national_roles(
    client, request, name, access, person
):
    sign_in_verified(client, request.getfixturevalue(person))

    response = client.get(url(name))

    assert response.status_code == (200 if person in NATIONAL_ROLES else 404)


# Object pages ---------------------------------------------------------------------------------


def object_url(name: str, access: ObjectScoped, world, records) -> str:
    return url(name, **access.kwargs(world, records))


@pytest.mark.parametrize(("name", "access"), entries(ObjectScoped))
@pytest.mark.parametrize("person", SIGNED_IN)
def test_an_object_page_answers_its_readers_and_404_to_everyone_else(
    client, request, two_provinces, name, access, person
):
    sign_in_verified(client, request.getfixturevalue(person))
    path = object_url(name, access, two_provinces, two_provinces.jawa_timur)

    response = getattr(client, access.method)(path)

    expected = access.status if person in access.readers else 404
    if person in access.refused:
        expected = 403
    assert response.status_code == expected


@pytest.mark.parametrize(("name", "access"), entries(ObjectScoped))
@pytest.mark.parametrize("person", SIGNED_IN)
def test_an_object_page_of_another_province_answers_404_outside_the_scope(
    client, request, two_provinces, name, access, person
):
    sign_in_verified(client, request.getfixturevalue(person))
    path = object_url(name, access, two_provinces, two_provinces.jawa_tengah)

    response = getattr(client, access.method)(path)

    expected = access.status if person in access.readers_everywhere else 404
    if person in access.refused_everywhere:
        expected = 403
    assert response.status_code == expected


def any_method_cases() -> list:
    return [
        pytest.param(name, access, method)
        for name, access in entries(ObjectScoped)
        for method in ("get", *UNSAFE_METHODS)
    ]


@pytest.mark.parametrize(("name", "access", "method"), any_method_cases())
@pytest.mark.parametrize("person", ["provincial_officer", "organisation_manager", "nobody"])
def test_any_method_on_an_object_outside_the_scope_answers_404_and_changes_nothing(
    client, request, two_provinces, name, access, person, method
):
    sign_in_verified(client, request.getfixturevalue(person))
    path = object_url(name, access, two_provinces, two_provinces.jawa_tengah)
    before = row_counts()

    response = getattr(client, method)(path)

    assert response.status_code == 404
    after = row_counts()
    # The refusal itself is recorded (one access_denied event); nothing else changes.
    assert after.pop("audit.AuditEvent") == before.pop("audit.AuditEvent") + 1
    assert after == before
    assert AuditEvent.objects.latest("pk").action == AuditAction.ACCESS_DENIED


def refused_cases() -> list:
    return [
        pytest.param(name, access, person)
        for name, access in entries(ObjectScoped)
        for person in sorted(access.refused)
    ]


@pytest.mark.parametrize(("name", "access", "person"), refused_cases())
def test_a_reader_who_may_not_act_gets_403_for_a_post_and_nothing_changes(
    client, request, two_provinces, name, access, person
):
    sign_in_verified(client, request.getfixturevalue(person))
    path = object_url(name, access, two_provinces, two_provinces.jawa_timur)
    before = row_counts()

    response = client.post(path)

    assert response.status_code == 403
    after = row_counts()
    assert after.pop("audit.AuditEvent") == before.pop("audit.AuditEvent") + 1
    assert after == before


@pytest.mark.parametrize(("name", "access"), entries(ObjectScoped))
@pytest.mark.parametrize("method", ["get", *UNSAFE_METHODS])
def test_the_anonymous_are_sent_to_sign_in_from_an_object_page(
    client, two_provinces, name, access, method
):
    path = object_url(name, access, two_provinces, two_provinces.jawa_timur)
    before = row_counts()

    anonymous_is_sent_to_sign_in(client, path, method)

    assert row_counts() == before


# Admin ----------------------------------------------------------------------------------------

ADMIN_ARGUMENTS = {
    "object_id": "1",
    "id": "1",
    "pk": "1",
    "app_label": "registry",
    "content_type_id": 1,
}


def admin_urls() -> list[str]:
    """A URL of every named admin pattern, with placeholder arguments."""
    found = []
    for route in routes():
        if route.name is None or not route.name.startswith("admin:"):
            continue
        pattern = route.pattern.pattern
        arguments = getattr(pattern, "converters", None) or pattern.regex.groupindex
        unknown = set(arguments) - set(ADMIN_ARGUMENTS)
        assert not unknown, f"{route.name}: add placeholders for {sorted(unknown)}"
        found.append(reverse(route.name, kwargs={key: ADMIN_ARGUMENTS[key] for key in arguments}))
    return found


@pytest.mark.parametrize("person", ["anonymous", *(p for p in SIGNED_IN if p != "administrator")])
def test_the_admin_sends_everyone_but_administrators_to_its_sign_in(db, client, request, person):
    if person != "anonymous":
        sign_in_verified(client, request.getfixturevalue(person))
    sign_in_page, sign_out = reverse("admin:login"), reverse("admin:logout")

    for path in admin_urls():
        response = client.get(path)

        assert response.status_code == 302, path
        if path == sign_out:
            assert response["Location"] == reverse("admin:index")
        elif path == sign_in_page:
            assert view_name(response["Location"]) == "accounts:login", path
        else:
            assert view_name(response["Location"]) == "admin:login", path


def test_the_admin_answers_an_administrator_with_a_confirmed_session(client, administrator):
    administrator.is_staff = True
    administrator.save(update_fields=["is_staff"])
    sign_in_verified(client, administrator)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200


def test_the_admin_sends_a_staff_flagged_non_administrator_to_its_sign_in(
    client, programme_officer
):
    programme_officer.is_staff = True
    programme_officer.save(update_fields=["is_staff"])
    sign_in_verified(client, programme_officer)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert view_name(response["Location"]) == "admin:login"


# Canary (AC-5) --------------------------------------------------------------------------------

# The query is a prefix of the canary: the page may repeat the query, never the canary itself.
CANARY = "CANARY-33-3f9c1a"


@pytest.mark.parametrize("person", ["provincial_officer", "organisation_manager"])
@pytest.mark.parametrize("query", ["", "CANARY", "canary-33"])
def test_a_jawa_tengah_canary_never_reaches_a_jawa_timur_persons_list(
    client, request, two_provinces, person, query
):
    profile = two_provinces.jawa_tengah.profile
    profile.village.name = CANARY
    profile.village.save(update_fields=["name"])
    profile.story_en = profile.story_id = profile.flagship_commodity = CANARY
    profile.save(update_fields=["story_en", "story_id", "flagship_commodity"])
    sign_in_verified(client, request.getfixturevalue(person))

    response = client.get(url("registry:village-profile-list"), {"q": query})

    assert response.status_code == 200
    assert CANARY.lower() not in response.text.lower()
    assert CANARY.lower() not in str(response.headers).lower()
    assert response.context["page"].paginator.count == (0 if query else 1)


# The buyer's contact details stay with the inquiry's handlers -------------------------------

BUYER_CANARIES = {
    "name": "Canary Buyer 7d2e",
    "company": "Canary Import 7d2e B.V.",
    "email": "canary-7d2e@example.net",
    "phone": "+31 20 7277 7277",
    "message": "Canary message 7d2e: quote 500 drums.",
}


@pytest.mark.parametrize("export", ["", "csv", "xlsx"])
def test_a_buyers_contact_details_never_reach_the_provincial_officer(
    client, two_provinces, provincial_officer, export
):
    from openpyxl import load_workbook

    from desadevisa.inquiries.tests.factories import InquiryFactory

    inquiry = InquiryFactory(product=two_provinces.jawa_timur.product, **BUYER_CANARIES)
    sign_in_verified(client, provincial_officer)

    listing = client.get(url("inquiries:list"), {"export": export} if export else {})
    detail = client.get(url("inquiries:detail", pk=inquiry.pk))

    if export == "xlsx":
        sheet = load_workbook(io.BytesIO(b"".join(listing.streaming_content))).active
        body = repr(list(sheet.values))
    elif export:
        body = b"".join(listing.streaming_content).decode()
    else:
        body = listing.text
    assert listing.status_code == 200
    assert detail.status_code == 404
    for canary in BUYER_CANARIES.values():
        assert canary.lower() not in body.lower()
        assert canary.lower() not in detail.text.lower()
    if not export:
        assert two_provinces.jawa_timur.product.name_id in body
