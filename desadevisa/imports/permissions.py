"""Which kinds of file a person may import: the kinds whose records they may create or change
somewhere. Each row is then checked against the pages' rules for its own record (importers)."""

from __future__ import annotations

from desadevisa.accounts.models import Role
from desadevisa.accounts.scopes import user_scope
from desadevisa.imports.models import ImportKind


def import_kinds_allowed(*, user) -> list[str]:
    """The kinds ``user`` may import, in the order of ImportKind.

    National roles: all. Provincial officers: craft units and memberships (they read products
    and shipments only). Organisation managers: all four, within their organisations.
    Verifiers and people without a role: none.
    """
    scope = user_scope(user)
    if scope.is_national or scope.has_role(Role.ORGANISATION_MANAGER):
        return list(ImportKind.values)
    if scope.has_role(Role.PROVINCIAL_OFFICER):
        return [ImportKind.CRAFT_UNITS, ImportKind.MEMBERSHIPS]
    return []


def import_kind_allowed(*, user, kind: str) -> bool:
    return kind in import_kinds_allowed(user=user)
