"""Criterion 1 confirmed or refused by the programme officer, criterion 2 by the visit, and the
overall verdict that follows."""

import datetime

import pytest
from django.utils import timezone, translation

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditEvent
from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.nominations.models import NominationEvent, NominationEventKind, NominationState
from desadevisa.nominations.screening import Verdict, nomination_screen
from desadevisa.nominations.services import nomination_screen_complete
from desadevisa.nominations.tests.factories import DesignationFactory, NominationFactory
from desadevisa.nominations.uniqueness import (
    UniquenessStatementMissing,
    nomination_uniqueness_review,
)
from desadevisa.nominations.workflow import (
    CommentRequired,
    TransitionOutOfOrder,
    TransitionRefused,
)
from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.registry.tests.factories import CraftUnitFactory, MembershipFactory
from desadevisa.verification.models import CriterionFinding, Finding, Visit, VisitState

pytestmark = pytest.mark.django_db

S = NominationState


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def product_made_in(village, **fields):
    product = ProductFactory(village=village, **fields)
    units = [CraftUnitFactory(village=village) for _ in range(3)]
    for unit in units:
        MembershipFactory(craft_unit=unit)
    product.craft_units.set(units)
    return product


@pytest.fixture
def nomination(jawa_timur, provincial_officer):
    village = VillageFactory(district__regency__province=jawa_timur, name="Minggirsari")
    return NominationFactory(
        flagship_product=product_made_in(village, name_en="Kendang Djimbe", hs_code__code="9206"),
        state=S.SUBMITTED,
        submitted_by=provincial_officer,
    )


def review(nomination, actor, decision="confirm", comment="No designated village makes it."):
    return nomination_uniqueness_review(
        nomination=nomination, decision=decision, comment=comment, actor=actor
    )


def visited(nomination, finding):
    visit = Visit.objects.create(
        nomination=nomination,
        planned_on=datetime.date(2022, 8, 16),
        state=VisitState.SUBMITTED,
        submitted_at=timezone.now(),
    )
    CriterionFinding.objects.create(visit=visit, criterion=2, finding=finding, note="Bengkel.")
    return visit


def test_a_confirmed_uniqueness_passes_criterion_1_and_is_an_event_with_its_screening(
    nomination, programme_officer
):
    before = nomination_screen(nomination=nomination)

    event = review(nomination, programme_officer)

    after = nomination_screen(nomination=nomination)
    assert before.criterion(1).verdict == Verdict.NEEDS_REVIEW
    assert after.criterion(1).verdict == Verdict.PASS
    assert after.criterion(1).explanation_en == (
        "The programme officer confirmed that the product Kendang Djimbe is unique, against 0 "
        "similar products of designated villages of the province in HS heading 9206."
    )
    assert (event.kind, event.from_state, event.to_state) == (
        NominationEventKind.UNIQUENESS_CONFIRMED,
        S.SUBMITTED,
        S.SUBMITTED,
    )
    assert event.screening["criteria"][0]["verdict"] == "pass"
    assert event.screening["criteria"][0]["evidence"]["review"]["comment"] == (
        "No designated village makes it."
    )
    audit = AuditEvent.objects.get(summary="uniqueness_confirmed")
    assert audit.changes == {"uniqueness": [None, "confirmed"]}


def test_the_next_step_stores_the_confirmed_criterion_in_its_screening_snapshot(
    nomination, programme_officer
):
    review(nomination, programme_officer)

    nomination_screen_complete(nomination=nomination, actor=programme_officer)

    event = NominationEvent.objects.get(to_state=S.SCREENED)
    assert event.screening["criteria"][0]["verdict"] == "pass"
    assert event.screening["overall"] == "pass"


def test_a_refused_uniqueness_fails_criterion_1_and_the_nomination(nomination, programme_officer):
    review(nomination, programme_officer)

    review(nomination, programme_officer, decision="refuse", comment="Same as Trangsan's.")

    result = nomination_screen(nomination=nomination)
    assert (result.criterion(1).verdict, result.overall) == (Verdict.FAIL, Verdict.FAIL)
    assert AuditEvent.objects.get(summary="uniqueness_refused").changes == {
        "uniqueness": ["confirmed", "refused"]
    }


def test_the_similar_products_of_designated_villages_are_weighed_in_the_review(
    nomination, programme_officer, jawa_timur
):
    neighbour = VillageFactory(district__regency__province=jawa_timur)
    DesignationFactory(
        nomination__flagship_product=ProductFactory(
            village=neighbour, name_en="Bongo drum", hs_code__code="920600"
        )
    )

    review(nomination, programme_officer)

    criterion = nomination_screen(nomination=nomination).criterion(1)
    assert criterion.evidence["similar_products"][0]["name"] == "Bongo drum"
    assert "against 1 similar products" in criterion.explanation_en


def test_a_review_needs_a_comment_and_writes_nothing_without_one(nomination, programme_officer):
    with pytest.raises(CommentRequired) as refused:
        review(nomination, programme_officer, comment="  ")

    assert str(refused.value) == "Write a comment saying why: it is required for this step."
    assert not NominationEvent.objects.exists()


def test_a_product_without_a_uniqueness_statement_cannot_be_confirmed(
    nomination, programme_officer
):
    nomination.flagship_product.uniqueness_statement = ""
    nomination.flagship_product.save()

    with pytest.raises(UniquenessStatementMissing) as refused:
        review(nomination, programme_officer)

    assert str(refused.value) == (
        "The product has no uniqueness statement to confirm: return the nomination to the "
        "province to add one."
    )
    assert not NominationEvent.objects.exists()


def test_the_submitter_and_the_province_may_not_review_the_uniqueness(
    nomination, provincial_officer
):
    with pytest.raises(TransitionRefused) as refused:
        review(nomination, provincial_officer)

    assert str(refused.value) == "You may not review the uniqueness of this nomination's product."


def test_a_draft_is_not_reviewed(nomination, programme_officer):
    nomination.state = S.DRAFT
    nomination.save(update_fields=["state"])

    with pytest.raises(TransitionOutOfOrder) as refused:
        review(nomination, programme_officer)

    assert str(refused.value) == (
        "The uniqueness of the product is reviewed between the submission and the decision: "
        "the nomination is now “Draft”."
    )


def test_the_visit_s_finding_in_the_village_confirms_criterion_2_and_the_village_passes(
    nomination, programme_officer
):
    review(nomination, programme_officer)
    before = nomination_screen(nomination=nomination)

    visited(nomination, Finding.CONFIRMED)

    result = nomination_screen(nomination=nomination)
    assert before.criterion(2).explanation_en.endswith("to be confirmed on the visit.")
    assert result.criterion(2).verdict == Verdict.PASS
    assert result.criterion(2).explanation_en.endswith(
        "and the verification visit confirmed it is made there."
    )
    assert result.criterion(2).evidence["visit_finding"] == {
        "confirmed": True,
        "visited_on": "2022-08-16",
        "note": "Bengkel.",
    }
    assert result.overall == Verdict.PASS


def test_a_visit_that_did_not_find_the_product_made_in_the_village_fails_criterion_2(
    nomination, programme_officer
):
    review(nomination, programme_officer)

    visited(nomination, Finding.NOT_CONFIRMED)

    result = nomination_screen(nomination=nomination)
    assert result.criterion(2).verdict == Verdict.FAIL
    assert result.criterion(2).explanation_en == (
        "The verification visit did not confirm that the product Kendang Djimbe is made in "
        "Minggirsari."
    )
    assert result.overall == Verdict.FAIL


# The page ------------------------------------------------------------------------------------


def page(nomination) -> str:
    return f"/en/programme/nominations/{nomination.pk}/"


def test_the_page_shows_the_statement_beside_the_similar_products_and_the_review_form(
    client, nomination, programme_officer
):
    sign_in_verified(client, programme_officer)

    html = client.get(page(nomination)).content.decode()

    assert "Uniqueness review (criterion 1)" in html
    assert nomination.flagship_product.uniqueness_statement in html
    assert "Unique: confirm" in html


def test_the_programme_officer_confirms_from_the_page(client, nomination, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.post(
        f"{page(nomination)}uniqueness/", {"decision": "confirm", "comment": "Khas Blitar."}
    )

    assert response.status_code == 302
    html = client.get(page(nomination)).content.decode()
    assert "Confirmed as unique" in html
    assert "Khas Blitar." in html
    assert "Uniqueness confirmed" in html


def test_a_review_without_a_comment_answers_400_with_the_reason(
    client, nomination, programme_officer
):
    sign_in_verified(client, programme_officer)

    response = client.post(f"{page(nomination)}uniqueness/", {"decision": "confirm"})

    assert response.status_code == 400
    assert "Write a comment saying why: it is required for this step." in response.content.decode()
    assert not NominationEvent.objects.exists()


def test_the_province_s_officer_sees_the_review_but_may_not_take_it(
    client, nomination, provincial_officer
):
    sign_in_verified(client, provincial_officer)

    html = client.get(page(nomination)).content.decode()
    response = client.post(
        f"{page(nomination)}uniqueness/", {"decision": "confirm", "comment": "Ya."}
    )

    assert "Not reviewed yet" in html
    assert "Unique: confirm" not in html
    assert response.status_code == 403
