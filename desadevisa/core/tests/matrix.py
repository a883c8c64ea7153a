"""Who may reach a URL pattern: the classes of the permission matrix
(``config/tests/test_permission_matrix.py``).

Each app that adds pages lists them in its ``tests/access.py`` as ``PATTERNS``, a dict from
the pattern's full name to one of these classes; the matrix gathers every app's list and fails
for any pattern nobody classified.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = (
    "administrator",
    "programme_officer",
    "verifier",
    "provincial_officer",
    "organisation_manager",
)
NATIONAL_ROLES = frozenset({"administrator", "programme_officer"})
NATIONAL_READERS = NATIONAL_ROLES | {"verifier"}
SIGNED_IN = (*ROLES, "nobody")
UNSAFE_METHODS = ("post", "put", "patch", "delete")


# Classes of pages -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Public:
    """Anyone, signed in or not; the anonymous get ``status``."""

    status: int = 200
    kwargs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SignInStep:
    """A step of signing in that needs the password step done: the anonymous go to sign in."""


@dataclass(frozen=True)
class SignedIn:
    """Any signed-in person with a finished sign-in gets ``status``; what they see there is
    their scope's. ``refused`` (persons of the matrix, such as ``"verifier"``) may not take
    the page's action and get 403. The anonymous go to sign in."""

    status: int = 200
    method: str = "get"
    refused: frozenset[str] = frozenset()


@dataclass(frozen=True)
class NationalOnly:
    """Administrators and programme officers only; every other signed-in person gets 404."""


@dataclass(frozen=True)
class ObjectScoped:
    """A page about one object.

    ``kwargs(two_provinces, province_records)`` gives the URL's arguments for that province's
    object. ``readers`` read the Jawa Timur object, which is in every role fixture's scope
    unless the matrix keeps it from their role; ``readers_everywhere`` read Jawa Tengah's too.
    ``refused`` (Jawa Timur) and ``refused_everywhere`` (Jawa Tengah) see the object but may not
    take the page's action: they get 403 (SECURITY AC-6). Everyone else gets 404, whatever the
    method.
    """

    kwargs: Callable[..., dict[str, object]]
    readers: frozenset[str]
    readers_everywhere: frozenset[str]
    method: str = "get"
    status: int = 200
    refused: frozenset[str] = frozenset()
    refused_everywhere: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AdminOnly:
    """Django's admin: administrators in a confirmed session; everyone else is sent to the admin
    sign-in, which forwards them to the site's own."""


Access = Public | SignInStep | SignedIn | NationalOnly | ObjectScoped | AdminOnly
