"""Links to support from other apps' pages: ``{% load support %}`` then
``{% if request.user|reads_support %}`` before a link to ``support:village-plan``.

No query: the reader's scope is read once per request (``accounts.scopes.user_scope``). The
filter says whether the person reads support plans at all (national roles, provincial
officers, organisation managers; not verifiers); the plan page itself answers 404 for a village
outside their scope.
"""

from __future__ import annotations

from django import template

from desadevisa.accounts.scopes import user_scope

register = template.Library()


@register.filter
def reads_support(user) -> bool:
    scope = user_scope(user)
    return scope.is_national or bool(scope.province_codes or scope.organisation_ids)
