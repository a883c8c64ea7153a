"""The programme's pages: cycles and quotas, the nomination list, form and page, and the
workflow's steps taken from the page."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.core.editing import record_version
from desadevisa.nominations.models import (
    Nomination,
    NominationEvent,
    NominationState,
    ProgrammeCycle,
)
from desadevisa.nominations.services import nomination_submit
from desadevisa.nominations.tests.factories import (
    NominationFactory,
    ProgrammeCycleFactory,
    ProvinceQuotaFactory,
)
from desadevisa.regions.tests.factories import ProvinceFactory, VillageFactory
from desadevisa.registry.tests.factories import CraftUnitFactory

CYCLES = "/en/programme/cycles/"
NOMINATIONS = "/en/programme/nominations/"
S = NominationState


def detail(nomination) -> str:
    return f"{NOMINATIONS}{nomination.pk}/"


def step(nomination, name: str) -> str:
    return f"{NOMINATIONS}{nomination.pk}/step/{name}/"


@pytest.fixture
def cycle(db, jawa_timur):
    cycle = ProgrammeCycleFactory(year=2023)
    ProvinceQuotaFactory(cycle=cycle, province=jawa_timur, allowed=2)
    return cycle


def draft_in(cycle, province, **kwargs):
    village = VillageFactory(district__regency__province=province)
    return NominationFactory(
        cycle=cycle, flagship_product=ProductFactory(village=village), **kwargs
    )


@pytest.fixture
def draft(cycle, jawa_timur):
    return draft_in(cycle, jawa_timur)


def query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# Lists ------------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["programme_officer", "provincial_officer"])
def test_the_nomination_list_takes_the_same_queries_for_one_row_and_many(
    client, request, cycle, jawa_timur, reader
):
    user = request.getfixturevalue(reader)
    draft_in(cycle, jawa_timur)
    sign_in_verified(client, user)
    one = query_count(client, NOMINATIONS)

    for _ in range(20):
        draft_in(cycle, jawa_timur, state=S.SUBMITTED)

    assert query_count(client, NOMINATIONS) == one


def test_the_cycle_list_takes_the_same_queries_for_one_cycle_and_many(
    client, programme_officer, cycle, jawa_timur
):
    sign_in_verified(client, programme_officer)
    one = query_count(client, CYCLES)

    for year in range(2010, 2020):
        other = ProgrammeCycleFactory(year=year)
        ProvinceQuotaFactory(cycle=other, province=jawa_timur, allowed=3)
        draft_in(other, jawa_timur, state=S.SUBMITTED)

    assert query_count(client, CYCLES) == one


def test_the_officer_sees_the_quota_use_of_their_province_only(
    client, provincial_officer, cycle, jawa_timur
):
    central = ProvinceFactory(code="33", name="Jawa Tengah")
    ProvinceQuotaFactory(cycle=cycle, province=central, allowed=9)
    draft_in(cycle, jawa_timur, state=S.SUBMITTED)
    sign_in_verified(client, provincial_officer)

    response = client.get(CYCLES)

    [listed] = [c for c in response.context["cycles"] if c.pk == cycle.pk]
    assert [(u.quota.province_id, u.used, u.remaining) for u in listed.quota_uses] == [("35", 1, 1)]


def test_the_nomination_list_shows_only_the_officers_province(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    response = client.get(NOMINATIONS)

    assert two_provinces.names(response.context["page"]) == {
        "35.nomination",
        "35.neighbour_nomination",
    }


def test_the_nomination_list_filters_by_state(client, two_provinces, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.get(NOMINATIONS, {"state": "withdrawn"})

    assert two_provinces.names(response.context["page"]) == {
        "35.neighbour_nomination",
        "33.neighbour_nomination",
    }


def test_the_nomination_export_holds_the_filtered_rows_and_is_audited(
    client, two_provinces, programme_officer
):
    sign_in_verified(client, programme_officer)

    response = client.get(NOMINATIONS, {"province": "33", "export": "csv"})

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Programme cycle", "Village code", "Village"]
    assert len(rows) == 3
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED).count() == 1


# The nomination page -----------------------------------------------------------------------


def test_the_page_shows_the_timeline_and_the_screening(client, draft, provincial_officer):
    nomination_submit(nomination=draft, actor=provincial_officer, comment="Mohon ditinjau.")
    sign_in_verified(client, provincial_officer)

    response = client.get(detail(draft))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Mohon ditinjau." in html
    assert "provincial-officer" in html
    screening = response.context["screening"]
    assert len(screening.criteria) == 4
    assert screening.criteria[2].explanation in html


def test_the_page_explains_a_failing_criterion_with_its_evidence(
    client, cycle, jawa_timur, programme_officer
):
    village = VillageFactory(district__regency__province=jawa_timur, name="Banyuwangi Kidul")
    unit = CraftUnitFactory(village=village, name="Sanggar Gerabah Sari")
    nomination = NominationFactory(
        cycle=cycle, flagship_product=ProductFactory(village=village, craft_units=[unit])
    )
    sign_in_verified(client, programme_officer)

    response = client.get(detail(nomination), HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert (
        "Only 1 active craft units in Banyuwangi Kidul make the product, fewer than the 3 the "
        "cycle requires."
    ) in html
    assert "Craft units: Sanggar Gerabah Sari" in html
    assert "Not members: Sanggar Gerabah Sari" in html


def test_the_page_offers_the_officer_the_submit_and_withdraw_buttons(
    client, draft, provincial_officer
):
    sign_in_verified(client, provincial_officer)

    response = client.get(detail(draft))

    assert [s.name for s in response.context["steps"]] == ["submit", "withdraw"]


def test_an_officer_of_another_province_gets_404(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_tengah.officer)

    response = client.get(detail(two_provinces.jawa_timur.nomination))

    assert response.status_code == 404


# Steps ------------------------------------------------------------------------------------


def test_the_officer_submits_from_the_page(client, draft, provincial_officer):
    sign_in_verified(client, provincial_officer)

    response = client.post(step(draft, "submit"), {"comment": ""})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == S.SUBMITTED
    assert NominationEvent.objects.filter(nomination=draft).count() == 1


def test_submitting_the_same_form_twice_answers_409_the_second_time_and_writes_nothing(
    client, draft, provincial_officer
):
    sign_in_verified(client, provincial_officer)
    client.post(step(draft, "submit"))
    events = NominationEvent.objects.count()
    audits = AuditEvent.objects.filter(action=AuditAction.TRANSITIONED).count()

    response = client.post(step(draft, "submit"))

    assert response.status_code == 409
    assert (
        "The step “Submit” cannot be taken: the nomination is now “Submitted”."
        in response.content.decode()
    )
    assert NominationEvent.objects.count() == events
    assert AuditEvent.objects.filter(action=AuditAction.TRANSITIONED).count() == audits


def test_returning_without_a_comment_answers_400_and_writes_nothing(
    client, draft, programme_officer
):
    Nomination.objects.filter(pk=draft.pk).update(state=S.SUBMITTED)
    sign_in_verified(client, programme_officer)

    response = client.post(step(draft, "return"), {"comment": ""})

    assert response.status_code == 400
    assert "Write a comment saying why" in response.content.decode()
    assert not NominationEvent.objects.exists()


def test_a_submission_past_a_full_quota_is_told_its_place_on_the_waiting_list(
    client, cycle, jawa_timur, provincial_officer
):
    for _ in range(2):
        draft_in(cycle, jawa_timur, state=S.SUBMITTED)
    draft = draft_in(cycle, jawa_timur)
    sign_in_verified(client, provincial_officer)

    response = client.post(step(draft, "submit"), follow=True)

    assert "the nomination waits at place 1 of the waiting list" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.state, draft.waiting_rank) == (S.WAITING, 1)


def test_a_manager_who_reads_the_nomination_may_not_withdraw_it(
    client, two_provinces, organisation_manager
):
    nomination = two_provinces.jawa_timur.nomination
    Nomination.objects.filter(pk=nomination.pk).update(state=S.DRAFT)
    sign_in_verified(client, organisation_manager)

    response = client.post(step(nomination, "withdraw"))

    assert response.status_code == 403
    nomination.refresh_from_db()
    assert nomination.state == S.DRAFT


def test_an_unknown_step_answers_404(client, draft, provincial_officer):
    sign_in_verified(client, provincial_officer)

    response = client.post(step(draft, "approve"))

    assert response.status_code == 404


def test_a_step_answers_405_to_get(client, draft, provincial_officer):
    sign_in_verified(client, provincial_officer)

    response = client.get(step(draft, "submit"))

    assert response.status_code == 405


# Creating and editing ---------------------------------------------------------------------


def test_the_officer_nominates_a_village_as_a_draft(client, cycle, jawa_timur, provincial_officer):
    product = ProductFactory(village=VillageFactory(district__regency__province=jawa_timur))
    sign_in_verified(client, provincial_officer)

    response = client.post(
        f"{NOMINATIONS}new/",
        {
            "cycle": cycle.pk,
            "village": product.village_id,
            "flagship_product": product.pk,
            "statement": "Kendang.",
        },
    )

    nomination = Nomination.objects.get()
    assert response.status_code == 302
    assert (nomination.state, nomination.village_id) == (S.DRAFT, product.village_id)


def test_a_village_of_another_province_is_refused_on_the_form(
    client, cycle, jawa_timur, provincial_officer
):
    central = ProvinceFactory(code="33", name="Jawa Tengah")
    village = VillageFactory(district__regency__province=central)
    product = ProductFactory(village=VillageFactory(district__regency__province=jawa_timur))
    sign_in_verified(client, provincial_officer)

    response = client.post(
        f"{NOMINATIONS}new/",
        {"cycle": cycle.pk, "village": village.code, "flagship_product": product.pk},
    )

    assert response.status_code == 400
    assert "You may nominate only villages of your own provinces." in response.content.decode()
    assert not Nomination.objects.exists()


def test_a_programme_officer_may_not_open_the_nomination_form(client, programme_officer):
    sign_in_verified(client, programme_officer)

    assert client.get(f"{NOMINATIONS}new/").status_code == 403


def test_the_officer_edits_a_draft(client, draft, provincial_officer):
    sign_in_verified(client, provincial_officer)

    response = client.post(
        f"{detail(draft)}edit/",
        {
            "village": draft.village_id,
            "flagship_product": draft.flagship_product_id,
            "statement": "Baru.",
            "seen_version": record_version(draft),
        },
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.statement == "Baru."


def test_an_edit_over_a_newer_version_answers_409(client, draft, provincial_officer):
    seen = record_version(draft)
    Nomination.objects.filter(pk=draft.pk).update(statement="Meanwhile")
    draft.refresh_from_db()
    draft.save()
    sign_in_verified(client, provincial_officer)

    response = client.post(
        f"{detail(draft)}edit/",
        {
            "village": draft.village_id,
            "flagship_product": draft.flagship_product_id,
            "statement": "Mine",
            "seen_version": seen,
        },
    )

    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.statement == "Meanwhile"


def test_editing_a_designated_nomination_answers_409(client, two_provinces):
    nomination = two_provinces.jawa_timur.nomination
    sign_in_verified(client, two_provinces.jawa_timur.officer)

    response = client.post(
        f"{detail(nomination)}edit/",
        {
            "village": nomination.village_id,
            "flagship_product": nomination.flagship_product_id,
            "statement": "Changed",
            "seen_version": record_version(nomination),
        },
    )

    assert response.status_code == 409
    assert "A nomination that is “Designated” can no longer be changed." in (
        response.content.decode()
    )
    nomination.refresh_from_db()
    assert nomination.statement != "Changed"


# Cycles and quotas ------------------------------------------------------------------------


def test_a_programme_officer_opens_a_cycle(client, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.post(
        f"{CYCLES}new/",
        {
            "year": 2027,
            "name": "Desa Devisa 2027",
            "opens_on": "2027-01-01",
            "closes_on": "2027-10-31",
            "min_craft_units": 3,
            "min_membership_share": 100,
        },
    )

    assert response.status_code == 302
    assert ProgrammeCycle.objects.get(year=2027).min_craft_units == 3


def test_a_cycle_closing_before_it_opens_is_refused(client, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.post(
        f"{CYCLES}new/",
        {
            "year": 2027,
            "name": "Desa Devisa 2027",
            "opens_on": "2027-10-01",
            "closes_on": "2027-01-31",
            "min_craft_units": 3,
            "min_membership_share": 100,
        },
    )

    assert response.status_code == 400
    assert "A cycle cannot close before it opens." in response.content.decode()
    assert not ProgrammeCycle.objects.filter(year=2027).exists()


def test_a_cycle_saved_meanwhile_answers_409(client, cycle, programme_officer):
    seen = record_version(cycle)
    cycle.save()
    sign_in_verified(client, programme_officer)

    response = client.post(
        f"{CYCLES}{cycle.pk}/edit/",
        {
            "year": cycle.year,
            "name": "Renamed",
            "opens_on": cycle.opens_on,
            "closes_on": cycle.closes_on,
            "min_craft_units": 4,
            "min_membership_share": 100,
            "seen_version": seen,
        },
    )

    assert response.status_code == 409
    cycle.refresh_from_db()
    assert cycle.name != "Renamed"


def test_the_quota_page_sets_each_province(client, cycle, jawa_timur, programme_officer):
    central = ProvinceFactory(code="33", name="Jawa Tengah")
    sign_in_verified(client, programme_officer)

    response = client.post(f"{CYCLES}{cycle.pk}/quotas/", {"province_35": "15", "province_33": "4"})

    assert response.status_code == 302
    assert dict(cycle.quotas.values_list("province_id", "allowed")) == {"35": 15, central.code: 4}


@pytest.mark.parametrize("value", ["0", "-2", "lima"])
def test_the_quota_page_refuses_what_is_not_a_positive_number(
    client, cycle, jawa_timur, programme_officer, value
):
    sign_in_verified(client, programme_officer)

    response = client.post(f"{CYCLES}{cycle.pk}/quotas/", {"province_35": value})

    assert response.status_code == 400
    assert cycle.quotas.get().allowed == 2


def test_the_quota_page_refuses_a_quota_below_the_slots_held(
    client, cycle, jawa_timur, programme_officer
):
    for _ in range(2):
        draft_in(cycle, jawa_timur, state=S.SUBMITTED)
    sign_in_verified(client, programme_officer)

    response = client.post(f"{CYCLES}{cycle.pk}/quotas/", {"province_35": "1"})

    assert response.status_code == 400
    assert "2 nominations already hold a slot, so the quota cannot be less." in (
        response.content.decode()
    )
    assert cycle.quotas.get().allowed == 2


def test_a_provincial_officer_gets_404_on_the_quota_page(client, cycle, provincial_officer):
    sign_in_verified(client, provincial_officer)

    assert client.get(f"{CYCLES}{cycle.pk}/quotas/").status_code == 404
