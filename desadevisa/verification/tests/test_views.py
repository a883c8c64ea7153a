"""The verification pages: scheduling, the visits list, the visit form, submission, photos,
the report, and the nomination page's visit panel."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pypdfium2
import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from desadevisa.accounts.models import Role
from desadevisa.accounts.tests.factories import user_with_role
from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.core.editing import record_version
from desadevisa.core.tests.files import metadata_left, picture_upload, tainted_jpeg
from desadevisa.nominations.models import NominationEvent, NominationState
from desadevisa.verification.models import (
    Aspect,
    AspectScore,
    CriterionFinding,
    Visit,
    VisitPhoto,
    VisitState,
)
from desadevisa.verification.services import visit_draft_save, visit_photo_add, visit_schedule
from desadevisa.verification.tests.conftest import screened_in
from desadevisa.verification.tests.factories import (
    VisitFactory,
    VisitPhotoFactory,
    complete_draft,
    geotagged_jpeg,
    jpeg_upload,
)

VISITS = "/en/verification/visits/"
NOT_A_PHOTO = "This file is not a photo. Upload a JPEG, PNG or WebP picture."


def page(visit, suffix: str = "") -> str:
    return f"{VISITS}{visit.pk}/{suffix}"


def schedule_url(nomination) -> str:
    return f"/en/verification/nominations/{nomination.pk}/schedule/"


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def form_data(visit, **overrides) -> dict[str, str]:
    """A complete visit form as the browser posts it."""
    visit.refresh_from_db()
    data = {
        "seen_version": record_version(visit),
        "save": "",
        "reviews-TOTAL_FORMS": "1",
        "reviews-INITIAL_FORMS": "0",
        "reviews-MIN_NUM_FORMS": "0",
        "reviews-MAX_NUM_FORMS": "50",
        "reviews-0-sample_name": "Kendang djimbe 12 inci",
        "reviews-0-quality_rating": "4",
        "reviews-0-notes": "Rapi.",
        "overall_findings": "Lima rumah produksi aktif.",
        "recommendation": "designate",
        "recommendation_note": "",
    }
    for code in (1, 2, 3, 4):
        data[f"finding_{code}"] = "confirmed"
        data[f"finding_note_{code}"] = ""
    for aspect in Aspect:
        data[f"score_{aspect.value}"] = "4"
        data[f"score_note_{aspect.value}"] = ""
    data.update(overrides)
    return data


def fill(visit, verifier) -> None:
    visit.refresh_from_db()
    visit_draft_save(
        visit=visit, data=complete_draft(), seen_version=record_version(visit), actor=verifier
    )


# Scheduling -----------------------------------------------------------------------------------


def test_the_schedule_page_offers_verifiers_but_not_the_nominations_submitter(
    client, screened, programme_officer, verifier
):
    screened.submitted_by.role_assignments.create(role=Role.VERIFIER)
    sign_in_verified(client, programme_officer)

    response = client.get(schedule_url(screened))

    assert response.status_code == 200
    assert list(response.context["form"].fields["verifiers"].queryset) == [verifier]


def test_scheduling_from_the_page_plans_the_visit(client, screened, programme_officer, verifier):
    sign_in_verified(client, programme_officer)

    response = client.post(
        schedule_url(screened), {"planned_on": "2022-03-10", "verifiers": [verifier.pk]}
    )

    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == page(visit)
    assert visit.planned_on == datetime.date(2022, 3, 10)
    screened.refresh_from_db()
    assert screened.state == NominationState.VISIT_SCHEDULED


def test_scheduling_without_a_verifier_answers_400_and_writes_nothing(
    client, screened, programme_officer
):
    sign_in_verified(client, programme_officer)
    before = row_counts()

    response = client.post(schedule_url(screened), {"planned_on": "2022-03-10"})

    assert response.status_code == 400
    assert response.context["form"].errors == {"verifiers": ["This field is required."]}
    after = row_counts()
    assert after == before


def test_scheduling_someone_who_is_not_a_verifier_answers_400(
    client, screened, programme_officer, nobody
):
    sign_in_verified(client, programme_officer)

    response = client.post(
        schedule_url(screened), {"planned_on": "2022-03-10", "verifiers": [nobody.pk]}
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "verifiers": [f"Select a valid choice. {nobody.pk} is not one of the available choices."]
    }
    assert not Visit.objects.exists()


def test_a_bad_date_answers_400(client, screened, programme_officer, verifier):
    sign_in_verified(client, programme_officer)

    response = client.post(
        schedule_url(screened), {"planned_on": "10 Maret", "verifiers": [verifier.pk]}
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {"planned_on": ["Enter a valid date."]}
    assert not Visit.objects.exists()


def test_scheduling_a_nomination_that_is_not_screened_answers_409(
    client, visit, programme_officer, verifier
):
    sign_in_verified(client, programme_officer)

    response = client.post(
        schedule_url(visit.nomination), {"planned_on": "2022-03-20", "verifiers": [verifier.pk]}
    )

    assert response.status_code == 409
    assert response.context["error"] == (
        "Only a screened nomination can have its visit scheduled; this one is “Visit scheduled”."
    )
    assert Visit.objects.count() == 1


def test_a_provincial_officer_may_not_schedule_from_the_page(
    client, screened, provincial_officer, verifier
):
    sign_in_verified(client, provincial_officer)

    response = client.post(
        schedule_url(screened), {"planned_on": "2022-03-10", "verifiers": [verifier.pk]}
    )

    assert response.status_code == 403
    assert not Visit.objects.exists()


# The visits list ------------------------------------------------------------------------------


def test_my_visits_lists_only_the_visits_assigned_to_the_verifier(client, visit, verifier):
    VisitFactory(verifiers=[user_with_role(Role.VERIFIER, username="other-verifier")])
    sign_in_verified(client, verifier)

    response = client.get(VISITS)

    assert response.status_code == 200
    assert list(response.context["page"]) == [visit]


def test_the_visit_list_searches_by_village(client, visit, programme_officer):
    other = VisitFactory(verifiers=[user_with_role(Role.VERIFIER, username="other-verifier")])
    sign_in_verified(client, programme_officer)

    response = client.get(VISITS, {"q": "Minggir"})

    assert list(response.context["page"]) == [visit]
    assert other not in response.context["page"]


def test_the_visit_list_exports_csv_with_the_verifiers(client, visit, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.get(VISITS, {"export": "csv"})

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response.status_code == 200
    assert "Minggirsari" in body
    assert ",verifier," in body
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED).count() == 1


def test_the_visit_list_issues_as_many_queries_for_one_row_as_for_many(
    client, visit, programme_officer, django_assert_num_queries
):
    sign_in_verified(client, programme_officer)
    with CaptureQueriesContext(connection) as one_row:
        client.get(VISITS)
    for _number in range(5):
        VisitFactory(verifiers=[user_with_role(Role.VERIFIER)])

    with django_assert_num_queries(len(one_row.captured_queries)):
        response = client.get(VISITS)

    assert len(response.context["page"]) == 6


# The visit form -------------------------------------------------------------------------------


def test_the_visit_form_is_ready_for_a_phone(client, visit, verifier):
    sign_in_verified(client, verifier)

    response = client.get(page(visit, "edit/"))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'accept="image/*"' in body
    assert 'capture="environment"' in body
    assert "verification/visit_form.js" in body
    assert "<script>" not in body
    assert 'name="save"' in body
    assert "Infrastructure" in body


def test_the_visit_form_shows_the_screenings_explanation_beside_each_criterion(
    client, visit, verifier
):
    sign_in_verified(client, verifier)

    response = client.get(page(visit, "edit/"))

    rows = response.context["criterion_rows"]
    assert [row[2].criterion for row in rows] == [1, 2, 3, 4]
    assert rows[2][2].explanation in response.content.decode()


def test_saving_the_draft_keeps_every_section(client, visit, verifier):
    sign_in_verified(client, verifier)

    response = client.post(page(visit, "edit/"), form_data(visit))

    assert response.status_code == 302
    assert response["Location"] == page(visit, "edit/")
    visit.refresh_from_db()
    assert visit.recommendation == "designate"
    assert visit.state == VisitState.PLANNED
    assert AspectScore.objects.filter(visit=visit).count() == 6
    assert visit.product_reviews.get().sample_name == "Kendang djimbe 12 inci"
    assert visit.criterion_findings.filter(finding="confirmed").count() == 4


def test_the_saved_draft_comes_back_in_the_form_with_its_total(client, visit, verifier):
    fill(visit, verifier)
    sign_in_verified(client, verifier)

    response = client.get(page(visit, "edit/"))

    assert response.context["record"].total == 24
    assert response.context["form"].initial["score_product"] == "4"
    assert response.context["reviews"].initial[0]["sample_name"] == "Kendang djimbe"


def test_a_draft_saved_over_a_newer_one_answers_409_and_writes_nothing(client, visit, verifier):
    stale = form_data(visit, overall_findings="Dari ponsel kedua.")
    fill(visit, verifier)
    sign_in_verified(client, verifier)

    response = client.post(page(visit, "edit/"), stale)

    assert response.status_code == 409
    assert response.context["form"].non_field_errors() == [
        "Someone else saved this record after you opened the form. Your changes were not "
        "saved: reload the page to see the current version, then make your changes again."
    ]
    visit.refresh_from_db()
    assert visit.overall_findings == "Produksi aktif di lima rumah."


def test_a_score_outside_1_to_5_answers_400_and_writes_nothing(client, visit, verifier):
    sign_in_verified(client, verifier)
    before = row_counts()

    response = client.post(page(visit, "edit/"), form_data(visit, score_product="9"))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "score_product": ["Select a valid choice. 9 is not one of the available choices."]
    }
    assert row_counts() == before


def test_a_review_without_a_rating_answers_400(client, visit, verifier):
    sign_in_verified(client, verifier)

    response = client.post(
        page(visit, "edit/"), form_data(visit, **{"reviews-0-quality_rating": ""})
    )

    assert response.status_code == 400
    assert response.context["reviews"].errors == [
        {"quality_rating": ["Give the sample a quality rating."]}
    ]
    assert not visit.product_reviews.exists()


def test_a_tampered_reviews_formset_answers_400_not_500(client, visit, verifier):
    sign_in_verified(client, verifier)
    data = form_data(visit)
    del data["reviews-TOTAL_FORMS"]

    response = client.post(page(visit, "edit/"), data)

    assert response.status_code == 400
    assert not visit.product_reviews.exists()


def test_save_and_submit_leads_to_the_confirmation(client, visit, verifier):
    sign_in_verified(client, verifier)
    data = form_data(visit)
    del data["save"]
    data["review"] = ""

    response = client.post(page(visit, "edit/"), data)

    assert response.status_code == 302
    assert response["Location"] == page(visit, "submit/")


def test_a_programme_officer_not_assigned_gets_403_on_the_form(client, visit, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.post(page(visit, "edit/"), form_data(visit))

    assert response.status_code == 403
    assert not AspectScore.objects.exists()


# Submission -----------------------------------------------------------------------------------


def test_the_confirmation_lists_what_is_missing(client, visit, verifier):
    sign_in_verified(client, verifier)

    response = client.get(page(visit, "submit/"))

    assert response.status_code == 200
    assert response.context["missing"][-2:] == [
        "At least one product review.",
        "A recommendation.",
    ]
    assert "Yes, submit the visit" not in response.content.decode()


def test_submitting_an_incomplete_visit_answers_400_and_writes_nothing(client, visit, verifier):
    sign_in_verified(client, verifier)
    before = row_counts()

    response = client.post(page(visit, "submit/"))

    assert response.status_code == 400
    assert "A finding on criterion 1. Unique product." in response.context["missing"]
    after = row_counts()
    assert after == before


def test_submitting_a_complete_visit_makes_the_nomination_visited(client, visit, verifier):
    fill(visit, verifier)
    sign_in_verified(client, verifier)

    response = client.post(page(visit, "submit/"))

    assert response.status_code == 302
    assert response["Location"] == page(visit)
    visit.nomination.refresh_from_db()
    assert visit.nomination.state == NominationState.VISITED


def test_a_double_submission_answers_409_and_records_one_step(client, visit, verifier):
    fill(visit, verifier)
    sign_in_verified(client, verifier)
    client.post(page(visit, "submit/"))

    response = client.post(page(visit, "submit/"))

    assert response.status_code == 409
    assert response.context["error"].startswith("This visit was already submitted on ")
    assert NominationEvent.objects.filter(to_state=NominationState.VISITED).count() == 1


def test_the_form_of_a_submitted_visit_answers_409(client, visit, verifier):
    fill(visit, verifier)
    sign_in_verified(client, verifier)
    client.post(page(visit, "submit/"))

    response = client.post(page(visit, "edit/"), form_data(visit))

    assert response.status_code == 409
    assert response.context["error"] == "This visit was submitted: it can no longer be changed."


# Scope ----------------------------------------------------------------------------------------


def other_visit_pages(visit, photo) -> list[str]:
    return [
        page(visit),
        page(visit, "edit/"),
        page(visit, "submit/"),
        page(visit, "report/"),
        page(visit, "photos/add/"),
        page(visit, f"photos/{photo.pk}/delete/"),
        page(visit, f"photos/{photo.pk}/thumbnail/"),
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_verifier_of_another_visit_gets_404_everywhere_and_nothing_changes(
    client, visit, verifier, method
):
    other = user_with_role(Role.VERIFIER, username="other-verifier")
    theirs = VisitFactory(nomination=screened_in(visit.nomination.village.province))
    theirs.verifiers.set([other])
    [photo] = visit_photo_add(visit=visit, uploads=[picture_upload()], actor=verifier)
    sign_in_verified(client, other)
    before = row_counts()

    statuses = {
        path: getattr(client, method)(path).status_code for path in other_visit_pages(visit, photo)
    }

    assert set(statuses.values()) == {404}
    after = row_counts()
    assert after.pop("audit.AuditEvent") == before.pop("audit.AuditEvent") + len(statuses)
    assert after == before


def test_a_verifier_of_another_visit_cannot_open_its_nomination(client, visit):
    other = user_with_role(Role.VERIFIER, username="other-verifier")
    sign_in_verified(client, other)

    response = client.get(f"/en/programme/nominations/{visit.nomination.pk}/")

    assert response.status_code == 404


def test_a_provincial_officer_reads_the_visits_of_their_province(client, visit, provincial_officer):
    sign_in_verified(client, provincial_officer)

    response = client.get(page(visit))

    assert response.status_code == 200
    assert response.context["may_fill"] is False
    assert "Open the visit form" not in response.content.decode()


# Photos ---------------------------------------------------------------------------------------


def test_a_geotagged_photo_uploaded_from_the_page_shows_its_distance(client, visit, verifier):
    sign_in_verified(client, verifier)
    upload = jpeg_upload(geotagged_jpeg(latitude=-8.14, longitude=112.18))

    response = client.post(page(visit, "photos/add/"), {"photos": [upload], "criterion": "2"})
    detail = client.get(page(visit))

    assert response.status_code == 302
    body = detail.content.decode()
    assert "-8.140000, 112.180000" in body
    assert "1.39 km from the village" in body
    assert "Far from the village" not in body
    assert VisitPhoto.objects.get().criterion_finding.criterion == 2


def test_a_photo_dated_year_1_is_kept_from_the_page_without_its_time(client, visit, verifier):
    sign_in_verified(client, verifier)
    upload = jpeg_upload(
        geotagged_jpeg(latitude=-8.14, longitude=112.18, taken="0001:01:01 00:00:00")
    )

    response = client.post(page(visit, "photos/add/"), {"photos": [upload]})
    detail = client.get(page(visit))

    assert response.status_code == 302
    assert VisitPhoto.objects.get().taken_at is None
    assert "Taken at: no time recorded" in detail.content.decode()
    assert "1.39 km from the village" in detail.content.decode()


def test_a_visit_photo_keeps_its_position_as_data_and_stores_pixels_only(client, visit, verifier):
    sign_in_verified(client, verifier)

    client.post(page(visit, "photos/add/"), {"photos": [jpeg_upload(tainted_jpeg())]})

    photo = VisitPhoto.objects.get()
    assert (photo.latitude, photo.longitude) == (Decimal("-7.983333"), Decimal("112.500000"))
    for rendition in ("thumbnail", "card", "full"):
        with photo.rendition(rendition).open("rb") as stored:
            assert metadata_left(stored.read()) == [], rendition


def test_a_photo_far_from_the_village_is_flagged_on_the_page(client, visit, verifier):
    visit_photo_add(
        visit=visit,
        uploads=[jpeg_upload(geotagged_jpeg(latitude=-8.0983, longitude=112.2677))],
        actor=verifier,
    )
    sign_in_verified(client, verifier)

    response = client.get(page(visit))

    assert "Far from the village:" in response.content.decode()
    assert "(more than 5 km)" in response.content.decode()


def test_a_photo_without_position_says_so_on_the_page(client, visit, verifier):
    visit_photo_add(visit=visit, uploads=[picture_upload()], actor=verifier)
    sign_in_verified(client, verifier)

    response = client.get(page(visit))

    assert "No position recorded: the photo carries no GPS data." in response.content.decode()


def test_a_file_that_is_not_a_picture_is_refused_on_the_page(client, visit, verifier):
    sign_in_verified(client, verifier)
    upload = jpeg_upload(b"%PDF-1.4 not a photo", name="bukti.jpg")

    response = client.post(page(visit, "photos/add/"), {"photos": [upload]})

    assert response.status_code == 400
    assert response.context["photo_form"].errors == {"photos": [f"bukti.jpg: {NOT_A_PHOTO}"]}
    assert not VisitPhoto.objects.exists()


def test_photos_are_served_to_the_visits_readers_with_their_size(
    client, visit, verifier, provincial_officer
):
    [photo] = visit_photo_add(visit=visit, uploads=[picture_upload()], actor=verifier)
    sign_in_verified(client, provincial_officer)

    detail = client.get(page(visit))
    response = client.get(page(visit, f"photos/{photo.pk}/card/"))

    assert f'width="{photo.width}" height="{photo.height}"' in detail.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_visit_page_issues_as_many_queries_for_one_photo_as_for_many(
    client, visit, verifier, django_assert_num_queries
):
    visit_photo_add(visit=visit, uploads=[picture_upload()], criterion=1, actor=verifier)
    sign_in_verified(client, verifier)
    with CaptureQueriesContext(connection) as one_photo:
        client.get(page(visit))
    evidence = CriterionFinding.objects.create(visit=visit, criterion=2)
    VisitPhotoFactory.create_batch(2, visit=visit, criterion_finding=evidence)

    with django_assert_num_queries(len(one_photo.captured_queries)):
        response = client.get(page(visit))

    assert len(response.context["record"].photos) == 3


def test_an_unknown_rendition_answers_404(client, visit, verifier):
    [photo] = visit_photo_add(visit=visit, uploads=[picture_upload()], actor=verifier)
    sign_in_verified(client, verifier)

    response = client.get(page(visit, f"photos/{photo.pk}/original/"))

    assert response.status_code == 404


def test_a_photo_is_deleted_from_the_page(client, visit, verifier):
    [photo] = visit_photo_add(visit=visit, uploads=[picture_upload()], actor=verifier)
    sign_in_verified(client, verifier)

    response = client.post(page(visit, f"photos/{photo.pk}/delete/"))

    assert response.status_code == 302
    assert not VisitPhoto.objects.exists()


# The report -----------------------------------------------------------------------------------


def test_the_visit_report_is_a_pdf_with_the_village_and_the_total(client, visit, verifier):
    fill(visit, verifier)
    visit_photo_add(
        visit=visit,
        uploads=[jpeg_upload(geotagged_jpeg(latitude=-8.14, longitude=112.18))],
        actor=verifier,
    )
    sign_in_verified(client, verifier)

    response = client.get(page(visit, "report/"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    document = pypdfium2.PdfDocument(response.content)
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "Minggirsari" in text
    assert "Total" in text
    assert "24 / 30" in text
    assert "Kendang djimbe" in text
    assert "1.39 km" in text


# The nomination page ---------------------------------------------------------------------------


def nomination_page(nomination) -> str:
    return f"/en/programme/nominations/{nomination.pk}/"


def test_the_nomination_page_offers_to_schedule_a_screened_nomination(
    client, screened, programme_officer
):
    sign_in_verified(client, programme_officer)

    response = client.get(nomination_page(screened))

    assert schedule_url(screened) in response.content.decode()


def test_the_nomination_page_leads_the_assigned_verifier_to_the_visit_form(client, visit, verifier):
    sign_in_verified(client, verifier)

    response = client.get(nomination_page(visit.nomination))

    body = response.content.decode()
    assert page(visit, "edit/") in body
    assert page(visit, "report/") in body
    assert "/schedule/" not in body


def test_the_nomination_page_issues_as_many_queries_for_one_visit_as_for_many(
    client, visit, programme_officer, verifier, django_assert_num_queries
):
    sign_in_verified(client, programme_officer)
    with CaptureQueriesContext(connection) as one_visit:
        client.get(nomination_page(visit.nomination))
    for _number in range(3):
        VisitFactory(
            nomination=visit.nomination,
            submitted=True,
            verifiers=[verifier, user_with_role(Role.VERIFIER)],
        )

    with django_assert_num_queries(len(one_visit.captured_queries)):
        response = client.get(nomination_page(visit.nomination))

    assert response.content.decode().count("Visit report (PDF)") == 4


def test_a_visit_scheduled_on_the_page_appears_on_the_nomination_page(
    client, screened, programme_officer, verifier
):
    visit_schedule(
        nomination=screened,
        planned_on=datetime.date(2022, 3, 10),
        verifiers=[verifier],
        actor=programme_officer,
    )
    sign_in_verified(client, programme_officer)

    response = client.get(nomination_page(screened))

    assert "No verification visit yet." not in response.content.decode()
    assert "/schedule/" not in response.content.decode()


def test_a_nul_character_in_a_note_is_refused_by_its_field_and_the_typed_form_is_shown_again(
    client, visit, verifier
):
    sign_in_verified(client, verifier)
    before = row_counts()

    response = client.post(
        page(visit, "edit/"),
        form_data(visit, finding_note_1="Lima\x00rumah", overall_findings="Diketik di lapangan."),
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "finding_note_1": ["This text contains a character that is not allowed (a NUL character)."]
    }
    assert "This text contains a character that is not allowed (a NUL character)." in (
        response.text
    )
    assert "Diketik di lapangan." in response.text
    assert row_counts() == before
