"""Who may act on cycles, quotas, nominations and designations (SECURITY §2.1, AC-11).

Reading is the scope of ``nominations.selectors``; every action needs the read as well. The
state a nomination is in decides which moves exist (the workflow); this module decides who may
make them:

| action | who |
|---|---|
| change, submit, withdraw a nomination | provincial officers of the village's province |
| screen, decide | national roles |
| verify | national roles and verifiers who read it (through their assigned visits) |
| change a cycle, a quota or a designation | national roles |

Segregation of duties: whoever submitted a nomination may not screen, verify or decide it,
whatever other roles they hold.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q

from desadevisa.accounts.models import Role
from desadevisa.accounts.scopes import Rule, UserScope, allowed_by, user_scope
from desadevisa.core.scoping import EVERYTHING, NOTHING
from desadevisa.nominations.models import Designation, Nomination, ProgrammeCycle, ProvinceQuota
from desadevisa.nominations.selectors import (
    designation_visibility,
    nomination_visibility,
    programme_cycle_visibility,
    province_quota_visibility,
)


class NominationAction(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    SCREEN = "screen"
    VERIFY = "verify"
    DECIDE = "decide"


class ProgrammeAction(StrEnum):
    """Actions on cycles, quotas and designations."""

    VIEW = "view"
    CHANGE = "change"


# The steps a submitter may not take on their own nomination.
SEGREGATED_ACTIONS = frozenset(
    {NominationAction.SCREEN, NominationAction.VERIFY, NominationAction.DECIDE}
)


def _national(scope: UserScope) -> Q:
    return EVERYTHING if scope.is_national else NOTHING


def _provincial_officers(scope: UserScope) -> Q:
    # Nominating is the province's act: national roles read and decide, they do not nominate.
    if scope.has_role(Role.PROVINCIAL_OFFICER) and scope.province_codes:
        return Q(village__province_id__in=sorted(scope.province_codes))
    return NOTHING


def _verifiers(scope: UserScope) -> Q:
    # Which nominations a verifier reaches is the read rule's (their assigned visits).
    return EVERYTHING if scope.is_national or scope.has_role(Role.VERIFIER) else NOTHING


NOMINATION_RULES: dict[str, Rule] = {
    NominationAction.VIEW: nomination_visibility,
    NominationAction.CHANGE: _provincial_officers,
    NominationAction.SUBMIT: _provincial_officers,
    NominationAction.WITHDRAW: _provincial_officers,
    NominationAction.SCREEN: _national,
    NominationAction.VERIFY: _verifiers,
    NominationAction.DECIDE: _national,
}
PROGRAMME_CYCLE_RULES: dict[str, Rule] = {
    ProgrammeAction.VIEW: programme_cycle_visibility,
    ProgrammeAction.CHANGE: _national,
}
PROVINCE_QUOTA_RULES: dict[str, Rule] = {
    ProgrammeAction.VIEW: province_quota_visibility,
    ProgrammeAction.CHANGE: _national,
}
DESIGNATION_RULES: dict[str, Rule] = {
    ProgrammeAction.VIEW: designation_visibility,
    ProgrammeAction.CHANGE: _national,
}


def nomination_can(*, user, nomination: Nomination, action: str) -> bool:
    """Whether ``user`` may take ``action`` (a NominationAction) on ``nomination``.

    Refuses screen, verify and decide to the user who submitted it. ValueError for an unknown
    action.
    """
    submitter = nomination.submitted_by_id
    if (
        action in SEGREGATED_ACTIONS
        and submitter is not None
        and submitter == user_scope(user).user_id
    ):
        return False
    return allowed_by(NOMINATION_RULES, nomination, user=user, action=action)


def programme_cycle_can(*, user, cycle: ProgrammeCycle, action: str) -> bool:
    """Whether ``user`` may ``action`` (a ProgrammeAction) ``cycle``."""
    return allowed_by(PROGRAMME_CYCLE_RULES, cycle, user=user, action=action)


def province_quota_can(*, user, quota: ProvinceQuota, action: str) -> bool:
    """Whether ``user`` may ``action`` (a ProgrammeAction) ``quota``."""
    return allowed_by(PROVINCE_QUOTA_RULES, quota, user=user, action=action)


def designation_can(*, user, designation: Designation, action: str) -> bool:
    """Whether ``user`` may ``action`` (a ProgrammeAction) ``designation``."""
    return allowed_by(DESIGNATION_RULES, designation, user=user, action=action)


def nomination_villages(scope: UserScope) -> Q:
    """The villages ``scope`` may nominate, as a condition on Village: those of a provincial
    officer's provinces."""
    if scope.has_role(Role.PROVINCIAL_OFFICER) and scope.province_codes:
        return Q(province_id__in=sorted(scope.province_codes))
    return NOTHING


def nomination_may_create(*, user, village=None) -> bool:
    """Whether ``user`` may start nominations at all or, given ``village``, of that village."""
    scope = user_scope(user)
    if village is None:
        return bool(scope.has_role(Role.PROVINCIAL_OFFICER) and scope.province_codes)
    return village.province_id in scope.province_codes and scope.has_role(Role.PROVINCIAL_OFFICER)


def programme_may_change(*, user) -> bool:
    """Whether ``user`` sets up cycles and quotas: national roles."""
    return user_scope(user).is_national
