"""Who may act on buyer inquiries (SECURITY §2.1).

Reading is ``selectors.inquiry_visibility``; every action needs the read as well. Moving is
for the inquiry's handlers, who alone read the buyer's contact details
(``selectors.inquiry_contact_visibility``).

| action | who |
|---|---|
| view | the readers (national roles, managers of the makers, provincial officers) |
| move along the pipeline | national roles; managers of organisations whose members make it |

Provincial officers follow their province's inquiries, without the buyers' contact details,
but do not handle them: 403.
"""

from __future__ import annotations

from enum import StrEnum

from desadevisa.accounts.scopes import Rule, allowed_by
from desadevisa.inquiries.models import Inquiry
from desadevisa.inquiries.selectors import inquiry_contact_visibility, inquiry_visibility


class InquiryAction(StrEnum):
    VIEW = "view"
    MOVE = "move"


INQUIRY_RULES: dict[str, Rule] = {
    InquiryAction.VIEW: inquiry_visibility,
    InquiryAction.MOVE: inquiry_contact_visibility,
}


def inquiry_can(*, user, inquiry: Inquiry, action: str) -> bool:
    """Whether ``user`` may take ``action`` (an InquiryAction) on ``inquiry``; ValueError for an
    unknown action."""
    return allowed_by(INQUIRY_RULES, inquiry, user=user, action=action)
