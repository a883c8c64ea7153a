"""Who may act on verification visits (SECURITY §2.1).

Reading is the scope of ``verification.selectors``; every action needs the read as well.

| action | who |
|---|---|
| schedule a visit | national roles, not the nomination's submitter (``visit_may_schedule``) |
| fill in and submit a visit | the verifiers assigned to it, while it is planned |
| read a visit and its report | national roles, its verifiers, the officers of its province |

A programme officer reads every visit but fills in none unless assigned to it.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q

from desadevisa.accounts.models import Role
from desadevisa.accounts.scopes import Rule, UserScope, allowed_by
from desadevisa.core.scoping import NOTHING
from desadevisa.nominations.models import Nomination
from desadevisa.nominations.permissions import NominationAction, nomination_can
from desadevisa.verification.models import Visit
from desadevisa.verification.selectors import assigned_visit_ids, visit_visibility


class VisitAction(StrEnum):
    VIEW = "view"
    FILL = "fill"


def _assigned_verifiers(scope: UserScope) -> Q:
    if scope.has_role(Role.VERIFIER) and scope.user_id is not None:
        return Q(pk__in=assigned_visit_ids(scope.user_id))
    return NOTHING


VISIT_RULES: dict[str, Rule] = {
    VisitAction.VIEW: visit_visibility,
    VisitAction.FILL: _assigned_verifiers,
}


def visit_can(*, user, visit: Visit, action: str) -> bool:
    """Whether ``user`` may ``action`` (a VisitAction) ``visit``, whatever its state: the
    services refuse changes to a submitted visit. ValueError for an unknown action."""
    return allowed_by(VISIT_RULES, visit, user=user, action=action)


def visit_may_schedule(*, user, nomination: Nomination) -> bool:
    """Whether ``user`` may schedule visits of ``nomination``: the national roles that may
    screen it (its submitter may not)."""
    return nomination_can(user=user, nomination=nomination, action=NominationAction.SCREEN)
