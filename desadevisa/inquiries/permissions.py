"""Who may act on buyer inquiries (SECURITY §2.1).

Reading is ``selectors.inquiry_visibility``; every action needs the read as well.

| action | who |
|---|---|
| view | the readers (national roles, managers of the makers, provincial officers) |
| move along the pipeline | national roles; managers of organisations whose members make it |

Provincial officers follow their province's inquiries but do not handle them: 403.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q

from desadevisa.accounts.models import Role
from desadevisa.accounts.scopes import Rule, UserScope, allowed_by
from desadevisa.core.scoping import EVERYTHING, NOTHING
from desadevisa.inquiries.models import Inquiry
from desadevisa.inquiries.selectors import inquiry_handled_by_organisations, inquiry_visibility


class InquiryAction(StrEnum):
    VIEW = "view"
    MOVE = "move"


def _handlers(scope: UserScope) -> Q:
    if scope.is_national:
        return EVERYTHING
    if scope.has_role(Role.ORGANISATION_MANAGER) and scope.organisation_ids:
        return inquiry_handled_by_organisations(scope.organisation_ids)
    return NOTHING


INQUIRY_RULES: dict[str, Rule] = {
    InquiryAction.VIEW: inquiry_visibility,
    InquiryAction.MOVE: _handlers,
}


def inquiry_can(*, user, inquiry: Inquiry, action: str) -> bool:
    """Whether ``user`` may take ``action`` (an InquiryAction) on ``inquiry``; ValueError for an
    unknown action."""
    return allowed_by(INQUIRY_RULES, inquiry, user=user, action=action)
