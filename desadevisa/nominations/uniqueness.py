"""Criterion 1 (unique product): the programme officer's review, and what the page shows of it.

The screening marks a product with a uniqueness statement "needs review"; the programme officer
weighs the statement against the similar products of villages already designated in the same
province and HS heading, and confirms or refuses it with a comment. Each review is a
``NominationEvent`` (its state on both sides) carrying the screening as the review leaves it,
and an audit entry; the latest review decides criterion 1. A review is taken from the
submission to the decision, by the roles that screen (never the nomination's submitter).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import audit_record
from desadevisa.catalog.models import Product
from desadevisa.nominations.models import (
    Nomination,
    NominationEvent,
    NominationEventKind,
    NominationState,
)
from desadevisa.nominations.permissions import NominationAction, nomination_can
from desadevisa.nominations.screening import (
    SIMILAR_PRODUCTS_LISTED,
    UniquenessReview,
    nomination_screen,
    similar_products,
    statement_present,
    uniqueness_review_latest,
    uniqueness_review_of,
)
from desadevisa.nominations.workflow import (
    CommentRequired,
    TransitionOutOfOrder,
    TransitionRefused,
    WorkflowError,
)

# From the submission to the decision.
UNIQUENESS_REVIEW_STATES = (
    NominationState.SUBMITTED,
    NominationState.SCREENED,
    NominationState.VISIT_SCHEDULED,
    NominationState.VISITED,
)

UNIQUENESS_CONFIRM, UNIQUENESS_REFUSE = "confirm", "refuse"


class UniquenessStatementMissing(WorkflowError):
    """There is no uniqueness statement to confirm."""


def nomination_uniqueness_review(
    *, nomination: Nomination, decision: str, comment: str, actor
) -> NominationEvent:
    """Confirm (``decision`` "confirm") or refuse ("refuse") that ``nomination``'s flagship
    product is unique, with a comment.

    Locks the nomination, then refuses, writing nothing: TransitionRefused (403) for a role
    that does not screen or the submitter, TransitionOutOfOrder (409) before the submission or
    after the decision, CommentRequired (400) without a decision or a comment,
    UniquenessStatementMissing (409) when confirming a product without a uniqueness statement.
    """
    comment = (comment or "").strip()
    confirmed = decision == UNIQUENESS_CONFIRM
    with transaction.atomic():
        current = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("cycle", "village__province", "flagship_product")
            .get(pk=nomination.pk)
        )
        if not nomination_can(user=actor, nomination=current, action=NominationAction.SCREEN):
            raise TransitionRefused(
                gettext("You may not review the uniqueness of this nomination's product.")
            )
        if current.state not in UNIQUENESS_REVIEW_STATES:
            raise TransitionOutOfOrder(
                gettext(
                    "The uniqueness of the product is reviewed between the submission and the "
                    "decision: the nomination is now “%(state)s”."
                )
                % {"state": NominationState(current.state).label}
            )
        if decision not in (UNIQUENESS_CONFIRM, UNIQUENESS_REFUSE):
            raise CommentRequired(gettext("Choose whether the product is unique."))
        if not comment:
            raise CommentRequired(
                gettext("Write a comment saying why: it is required for this step.")
            )
        if confirmed and not statement_present(current.flagship_product.uniqueness_statement):
            raise UniquenessStatementMissing(
                gettext(
                    "The product has no uniqueness statement to confirm: return the nomination "
                    "to the province to add one."
                )
            )
        before = uniqueness_review_latest(current)
        event = NominationEvent(
            nomination=current,
            kind=(
                NominationEventKind.UNIQUENESS_CONFIRMED
                if confirmed
                else NominationEventKind.UNIQUENESS_REFUSED
            ),
            from_state=current.state,
            to_state=current.state,
            actor=actor,
            actor_label=actor.get_username(),
            at=timezone.now(),
            comment=comment,
        )
        event.screening = nomination_screen(
            nomination=current, uniqueness_review=uniqueness_review_of(event)
        ).as_json()
        event.save()
        audit_record(
            actor=actor,
            action=AuditAction.CHANGED,
            obj=current,
            changes={
                "uniqueness": [
                    None if before is None else _verdict(before),
                    "confirmed" if confirmed else "refused",
                ]
            },
            summary=event.kind,
        )
    return event


def _verdict(review: UniquenessReview) -> str:
    return "confirmed" if review.is_confirmed else "refused"


@dataclass(frozen=True)
class UniquenessPanel:
    """What the nomination page shows for criterion 1: the product's statement beside the
    similar products, the latest review, and whether the reader may review it now."""

    statement: str
    heading: str
    similar: list[Product]
    review: UniquenessReview | None
    may_review: bool


def uniqueness_panel(*, user, nomination: Nomination) -> UniquenessPanel:
    """The criterion 1 panel of ``nomination`` for ``user``, who reads it (two queries)."""
    product = nomination.flagship_product
    similar = list(
        similar_products(village=nomination.village, hs_code=product.hs_code_id)
        .select_related("village__district__regency")
        .order_by("name_en", "id")[:SIMILAR_PRODUCTS_LISTED]
    )
    return UniquenessPanel(
        statement=product.uniqueness_statement,
        heading=product.hs_code_id[:4],
        similar=similar,
        review=uniqueness_review_latest(nomination),
        may_review=nomination.state in UNIQUENESS_REVIEW_STATES
        and nomination_can(user=user, nomination=nomination, action=NominationAction.SCREEN),
    )
