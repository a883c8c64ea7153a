"""Who may act on exhibitions and display items (SECURITY §2.1).

Curating exhibitions is the programme officers' work: national roles change exhibitions and
display items; everyone else only reads what ``showcase.selectors`` lets them.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q

from desadevisa.accounts.scopes import Rule, UserScope, allowed_by, user_scope
from desadevisa.core.scoping import EVERYTHING, NOTHING
from desadevisa.showcase.models import DisplayItem, Exhibition
from desadevisa.showcase.selectors import display_item_visibility, exhibition_visibility


class ShowcaseAction(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    DELETE = "delete"


def _curators(scope: UserScope) -> Q:
    return EVERYTHING if scope.is_national else NOTHING


EXHIBITION_RULES: dict[str, Rule] = {
    ShowcaseAction.VIEW: exhibition_visibility,
    ShowcaseAction.CHANGE: _curators,
    ShowcaseAction.DELETE: _curators,
}
DISPLAY_ITEM_RULES: dict[str, Rule] = {
    ShowcaseAction.VIEW: display_item_visibility,
    ShowcaseAction.CHANGE: _curators,
    ShowcaseAction.DELETE: _curators,
}


def exhibition_can(*, user, exhibition: Exhibition, action: str) -> bool:
    """Whether ``user`` may ``action`` (a ShowcaseAction) ``exhibition``; ValueError for an
    unknown action."""
    return allowed_by(EXHIBITION_RULES, exhibition, user=user, action=action)


def display_item_can(*, user, item: DisplayItem, action: str) -> bool:
    """Whether ``user`` may ``action`` (a ShowcaseAction) ``item``."""
    return allowed_by(DISPLAY_ITEM_RULES, item, user=user, action=action)


def exhibition_can_create(*, user) -> bool:
    """Whether ``user`` may create exhibitions: the curators, national roles."""
    return user_scope(user).is_national
