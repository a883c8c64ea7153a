"""Conditions that say which rows a person reaches, shared by every app's scoping selectors.

A scope is a ``Q`` condition on the model it scopes; these helpers combine and follow them
without loading rows into Python.
"""

import functools
import operator

from django.db.models import Model, Q

# Every row: the empty condition.
EVERYTHING = Q()
# No row; Django answers it without asking the database.
NOTHING = Q(pk__in=[])


def any_of(*conditions: Q) -> Q:
    """Rows meeting at least one of the conditions; NOTHING when none is given.

    Never pass EVERYTHING: ``Q() | condition`` is the condition alone.
    """
    return functools.reduce(operator.or_, conditions) if conditions else NOTHING


def via(field: str, model: type[Model], condition: Q) -> Q:
    """Rows whose foreign key ``field`` points to a ``model`` row meeting ``condition``.

    One subquery inside the same statement; none at all for EVERYTHING and NOTHING.
    """
    if condition in (EVERYTHING, NOTHING):
        return condition
    return Q(**{f"{field}__in": model._default_manager.filter(condition).values("pk")})


def rows_match(obj: Model, condition: Q) -> bool:
    """Whether the saved ``obj`` meets ``condition``: one query, none for EVERYTHING or NOTHING."""
    if condition == EVERYTHING:
        return True
    if condition == NOTHING:
        return False
    return type(obj)._default_manager.filter(condition, pk=obj.pk).exists()
