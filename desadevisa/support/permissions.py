"""Who may act on support items (SECURITY §2.1).

Reading is the scope of ``support.selectors``; changing needs the read as well:

| action | who |
|---|---|
| view | as ``support_item_visibility``: national roles, the province's officers, managers |
| change (plan, update, delete, disburse, deliver) | national roles: the programme plans support |

Provincial officers and organisation managers read the plan of their villages; they do not
change it.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q

from desadevisa.accounts.scopes import Rule, UserScope, allowed_by, user_scope
from desadevisa.core.scoping import EVERYTHING, NOTHING
from desadevisa.support.models import SupportItem
from desadevisa.support.selectors import support_item_visibility


class SupportAction(StrEnum):
    VIEW = "view"
    CHANGE = "change"


def _national(scope: UserScope) -> Q:
    return EVERYTHING if scope.is_national else NOTHING


SUPPORT_ITEM_RULES: dict[str, Rule] = {
    SupportAction.VIEW: support_item_visibility,
    SupportAction.CHANGE: _national,
}


def support_item_can(*, user, item: SupportItem, action: str) -> bool:
    """Whether ``user`` may take ``action`` (a SupportAction) on ``item``; ValueError for an
    unknown action."""
    return allowed_by(SUPPORT_ITEM_RULES, item, user=user, action=action)


def support_may_plan(*, user) -> bool:
    """Whether ``user`` plans support for designated villages: national roles."""
    return user_scope(user).is_national
