"""The verification panel of the nomination page: ``{% load verification %}{% visit_panel
nomination %}`` shows the nomination's visits the reader may see and the links they may use.

Three queries at most, whatever the number of visits: the visits, their verifiers, and the
scheduling permission when the nomination is screened.
"""

from __future__ import annotations

from django import template

from desadevisa.accounts.scopes import user_scope
from desadevisa.nominations.models import NominationState
from desadevisa.verification.permissions import visit_may_schedule
from desadevisa.verification.selectors import nomination_visits

register = template.Library()


@register.inclusion_tag("verification/components/visit_panel.html", takes_context=True)
def visit_panel(context, nomination) -> dict:
    user = context["request"].user
    visits = nomination_visits(user=user, nomination=nomination)
    user_id = user_scope(user).user_id
    may_schedule = nomination.state == NominationState.SCREENED and visit_may_schedule(
        user=user, nomination=nomination
    )
    return {
        "nomination": nomination,
        "may_schedule": may_schedule,
        "rows": [
            (visit, visit.is_planned and any(v.pk == user_id for v in visit.verifiers.all()))
            for visit in visits
        ],
    }
