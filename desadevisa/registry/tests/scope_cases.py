"""Expected results of scope and permission tests over the ``two_provinces`` setup.

Records are named as ``TwoProvinces.names()`` names them: ``"35.member_unit"`` is the member
unit of Jawa Timur, ``"33.product"`` the product of Jawa Tengah.
"""

from django.contrib.auth.models import AnonymousUser

from desadevisa.accounts.models import User

# Everyone a scope test asks about: the role fixtures, and three who must reach nothing.
ROLES = [
    "administrator",
    "programme_officer",
    "verifier",
    "provincial_officer",
    "organisation_manager",
]
NO_ONE = ["nobody", "deactivated", "anonymous"]


def both(*names: str) -> set[str]:
    """The named records of both provinces."""
    return {f"{code}.{name}" for code in ("35", "33") for name in names}


def jawa_timur(*names: str) -> set[str]:
    """The named records of Jawa Timur, the role fixtures' province."""
    return {f"35.{name}" for name in names}


def scope_cases(
    *, national: set[str], verifier: set[str], officer: set[str], manager: set[str]
) -> list[tuple[str, set[str]]]:
    """(person, the records their scope returns) for everyone in ROLES and NO_ONE."""
    return [
        ("administrator", national),
        ("programme_officer", national),
        ("verifier", verifier),
        ("provincial_officer", officer),
        ("organisation_manager", manager),
        *[(name, set()) for name in NO_ONE],
    ]


def permission_cases(
    allowed: dict[str, dict[str, set[str]]],
) -> list[tuple[str, str, set[str]]]:
    """(action, person, the records they may act on) for every action of a table giving, per
    action and role, those records; roles not listed may act on none, nor may anyone in
    NO_ONE."""
    return [
        (action, name, by_role.get(name, set()))
        for action, by_role in allowed.items()
        for name in ROLES + NO_ONE
    ]


def permitted(two_provinces, can, keyword: str, *, user, action: str, among: list[str]) -> set[str]:
    """The records ``among`` the named ones on which ``can`` lets ``user`` take ``action``."""
    return {
        name
        for name in among
        if can(user=user, action=action, **{keyword: record(two_provinces, name)})
    }


def person(request, name: str):
    """The user a test names: a role fixture, or someone in NO_ONE."""
    if name == "anonymous":
        return AnonymousUser()
    if name == "deactivated":
        officer = request.getfixturevalue("provincial_officer")
        User.objects.filter(pk=officer.pk).update(is_active=False)
        return User.objects.get(pk=officer.pk)
    return request.getfixturevalue(name)


def record(two_provinces, name: str):
    """The record ``name`` (``"35.member_unit"``) of the setup."""
    code, field = name.split(".")
    return getattr(two_provinces.jawa_timur if code == "35" else two_provinces.jawa_tengah, field)
