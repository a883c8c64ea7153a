"""Who may act on registry records (SECURITY §2.1), one action map per model.

Reading is the scope of ``registry.selectors``; every other action needs the read as well.
Pages fetch the record through the scoped selector first (404 outside the scope) and then ask
here (403 when the answer is no), so a record's existence is revealed only to its readers.

| action | national roles | verifier | provincial officer | organisation manager |
|---|---|---|---|---|
| view | all | all | their provinces | their organisations' records |
| change, delete: village profile | all | no | their provinces | no |
| change: organisation | all | no | their provinces | their own |
| delete: organisation | all | no | their provinces | no |
| change: craft unit | all | no | their provinces | units that are members now |
| delete: craft unit | all | no | their provinces | no |
| change, delete: membership | all | no | units in their provinces | their organisations' |
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q

from desadevisa.accounts.scopes import Rule, UserScope, allowed_by, user_scope
from desadevisa.core.scoping import EVERYTHING, NOTHING, any_of, rows_match
from desadevisa.regions.models import Village
from desadevisa.registry.models import CraftUnit, Membership, Organisation, VillageProfile
from desadevisa.registry.selectors import (
    craft_unit_visibility,
    membership_visibility,
    organisation_memberships,
    organisation_visibility,
    village_profile_visibility,
)


class RegistryAction(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    DELETE = "delete"


def _writers(province_field: str, managers: Rule | None = None) -> Rule:
    """National roles; provincial officers where ``province_field`` is one of their provinces;
    organisation managers where ``managers`` says so, if given."""

    def rule(scope: UserScope) -> Q:
        if scope.is_national:
            return EVERYTHING
        conditions = []
        if scope.province_codes:
            conditions.append(Q(**{f"{province_field}__in": sorted(scope.province_codes)}))
        if managers is not None and scope.organisation_ids:
            conditions.append(managers(scope))
        return any_of(*conditions)

    return rule


def _own_organisations(scope: UserScope) -> Q:
    return Q(pk__in=sorted(scope.organisation_ids))


def _running_members(scope: UserScope) -> Q:
    # A unit that has left the organisation stays readable to its managers, as history, but
    # is no longer theirs to change.
    running = organisation_memberships(organisation_ids=scope.organisation_ids).current()
    return Q(pk__in=running.values("craft_unit_id"))


def _own_memberships(scope: UserScope) -> Q:
    return Q(organisation_id__in=sorted(scope.organisation_ids))


VILLAGE_PROFILE_RULES: dict[str, Rule] = {
    RegistryAction.VIEW: village_profile_visibility,
    RegistryAction.CHANGE: _writers("village__province_id"),
    RegistryAction.DELETE: _writers("village__province_id"),
}
ORGANISATION_RULES: dict[str, Rule] = {
    RegistryAction.VIEW: organisation_visibility,
    RegistryAction.CHANGE: _writers("village__province_id", _own_organisations),
    RegistryAction.DELETE: _writers("village__province_id"),
}
CRAFT_UNIT_RULES: dict[str, Rule] = {
    RegistryAction.VIEW: craft_unit_visibility,
    RegistryAction.CHANGE: _writers("village__province_id", _running_members),
    RegistryAction.DELETE: _writers("village__province_id"),
}
MEMBERSHIP_RULES: dict[str, Rule] = {
    RegistryAction.VIEW: membership_visibility,
    RegistryAction.CHANGE: _writers("craft_unit__village__province_id", _own_memberships),
    RegistryAction.DELETE: _writers("craft_unit__village__province_id", _own_memberships),
}


def village_profile_can(*, user, profile: VillageProfile, action: str) -> bool:
    """Whether ``user`` may ``action`` (a RegistryAction) ``profile``; ValueError for an
    unknown action."""
    return allowed_by(VILLAGE_PROFILE_RULES, profile, user=user, action=action)


def organisation_can(*, user, organisation: Organisation, action: str) -> bool:
    """Whether ``user`` may ``action`` (a RegistryAction) ``organisation``."""
    return allowed_by(ORGANISATION_RULES, organisation, user=user, action=action)


def craft_unit_can(*, user, craft_unit: CraftUnit, action: str) -> bool:
    """Whether ``user`` may ``action`` (a RegistryAction) ``craft_unit``."""
    return allowed_by(CRAFT_UNIT_RULES, craft_unit, user=user, action=action)


def membership_can(*, user, membership: Membership, action: str) -> bool:
    """Whether ``user`` may ``action`` (a RegistryAction) ``membership``."""
    return allowed_by(MEMBERSHIP_RULES, membership, user=user, action=action)


# Creating ------------------------------------------------------------------------------------
#
# A new record has no row to test a rule on yet, so the creation rules are conditions on the
# village it will belong to (a membership: on the craft unit it will bring in).
#
# | create | national roles | verifier | provincial officer | organisation manager |
# |---|---|---|---|---|
# | village profile, organisation | anywhere | no | villages of their provinces | no |
# | craft unit | anywhere | no | villages of their provinces | villages of their organisations |
# | membership | anywhere | no | units in their provinces | their organisations' villages |


def _provincial_villages(scope: UserScope, managers: Rule | None = None) -> Q:
    if scope.is_national:
        return EVERYTHING
    conditions = []
    if scope.province_codes:
        conditions.append(Q(province_id__in=sorted(scope.province_codes)))
    if managers is not None and scope.organisation_ids:
        conditions.append(managers(scope))
    return any_of(*conditions)


def _organisation_villages(scope: UserScope) -> Q:
    organisations = Organisation.objects.filter(pk__in=sorted(scope.organisation_ids))
    return Q(pk__in=organisations.values("village_id"))


def village_profile_creatable_villages(scope: UserScope) -> Q:
    """The villages ``scope`` may give a profile, as a condition on Village."""
    return _provincial_villages(scope)


def organisation_creatable_villages(scope: UserScope) -> Q:
    """The villages ``scope`` may register an organisation in, as a condition on Village."""
    return _provincial_villages(scope)


def craft_unit_creatable_villages(scope: UserScope) -> Q:
    """The villages ``scope`` may register a craft unit in, as a condition on Village."""
    return _provincial_villages(scope, _organisation_villages)


def _may_create_somewhere(rule: Rule, user) -> bool:
    return rule(user_scope(user)) != NOTHING


def _may_create_in(rule: Rule, user, village: Village) -> bool:
    return rows_match(village, rule(user_scope(user)))


def village_profile_may_create(*, user) -> bool:
    """Whether ``user`` may give a profile to some village (no query)."""
    return _may_create_somewhere(village_profile_creatable_villages, user)


def village_profile_can_create(*, user, village: Village) -> bool:
    """Whether ``user`` may give ``village`` a profile. One query at most."""
    return _may_create_in(village_profile_creatable_villages, user, village)


def organisation_may_create(*, user) -> bool:
    """Whether ``user`` may register an organisation somewhere (no query)."""
    return _may_create_somewhere(organisation_creatable_villages, user)


def organisation_can_create(*, user, village: Village) -> bool:
    """Whether ``user`` may register an organisation in ``village``. One query at most."""
    return _may_create_in(organisation_creatable_villages, user, village)


def craft_unit_may_create(*, user) -> bool:
    """Whether ``user`` may register a craft unit somewhere (no query)."""
    return _may_create_somewhere(craft_unit_creatable_villages, user)


def craft_unit_can_create(*, user, village: Village) -> bool:
    """Whether ``user`` may register a craft unit in ``village``. One query at most."""
    return _may_create_in(craft_unit_creatable_villages, user, village)


def craft_unit_creator_organisations(*, user, village: Village | None = None):
    """The organisations whose manager ``user`` is, in ``village`` if given: a unit an
    organisation manager registers starts a running membership of one of them."""
    organisations = Organisation.objects.filter(
        pk__in=sorted(user_scope(user).organisation_ids)
    ).order_by("legal_name", "pk")
    if village is not None:
        organisations = organisations.filter(village=village)
    return organisations


def membership_creatable_units(scope: UserScope, organisation: Organisation) -> Q:
    """The craft units ``scope`` may make members of ``organisation``, as a condition on
    CraftUnit: units of the organisation's village, for national roles, the officers of its
    province and its own managers; NOTHING for anyone else."""
    if (
        scope.is_national
        or organisation.village.province_id in scope.province_codes
        or organisation.pk in scope.organisation_ids
    ):
        return Q(village_id=organisation.village_id)
    return NOTHING


def membership_can_create(*, user, organisation: Organisation) -> bool:
    """Whether ``user`` may add members to ``organisation`` (no query); which units, see
    ``membership_creatable_units``."""
    return membership_creatable_units(user_scope(user), organisation) != NOTHING


def membership_changes_any(*, user) -> bool:
    """Whether ``user`` may change some membership, for the list's edit links: a verifier
    reads every membership and changes none."""
    return MEMBERSHIP_RULES[RegistryAction.CHANGE](user_scope(user)) != NOTHING
