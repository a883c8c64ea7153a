"""The waiting list of a province's nominations past its quota, and the requests to raise it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from desadevisa.accounts.models import Role
from desadevisa.accounts.tests.factories import user_with_role
from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.nominations.models import (
    Nomination,
    NominationState,
    ProvinceQuota,
    QuotaRaiseRequest,
    QuotaRequestState,
)
from desadevisa.nominations.quota_requests import (
    quota_request_answer,
    quota_request_create,
    waiting_list_overview,
)
from desadevisa.nominations.services import (
    nomination_designate,
    nomination_reject,
    nomination_submit,
    nomination_withdraw,
    province_quotas_set,
    waiting_list_move,
)
from desadevisa.nominations.tests.factories import (
    NominationFactory,
    ProgrammeCycleFactory,
    ProvinceQuotaFactory,
)
from desadevisa.nominations.workflow import TransitionOutOfOrder, TransitionRefused
from desadevisa.notifications.models import Notification, NotificationKind
from desadevisa.regions.tests.factories import ProvinceFactory, VillageFactory

S = NominationState
PROGRAMME = "/en/programme"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(db, jawa_timur):
    cycle = ProgrammeCycleFactory(year=2023)
    ProvinceQuotaFactory(cycle=cycle, province=jawa_timur, allowed=1)
    return cycle


def draft_in(cycle, province, **kwargs):
    village = VillageFactory(district__regency__province=province)
    return NominationFactory(
        cycle=cycle, flagship_product=ProductFactory(village=village), **kwargs
    )


def submitted(cycle, province, officer, count: int) -> list[Nomination]:
    return [
        nomination_submit(nomination=draft_in(cycle, province), actor=officer) for _ in range(count)
    ]


def states(*nominations) -> list[tuple[str, int | None]]:
    for nomination in nominations:
        nomination.refresh_from_db()
    return [(nomination.state, nomination.waiting_rank) for nomination in nominations]


# Joining and leaving the list ---------------------------------------------------------------


def test_submissions_past_the_quota_wait_in_the_order_they_came(
    cycle, jawa_timur, provincial_officer
):
    holder, first, second = submitted(cycle, jawa_timur, provincial_officer, 3)

    assert states(holder, first, second) == [(S.SUBMITTED, None), (S.WAITING, 1), (S.WAITING, 2)]


def test_withdrawing_a_slot_holder_moves_the_first_waiting_nomination_up(
    cycle, jawa_timur, provincial_officer
):
    holder, first, second = submitted(cycle, jawa_timur, provincial_officer, 3)

    nomination_withdraw(nomination=holder, actor=provincial_officer)

    assert states(first, second) == [(S.SUBMITTED, None), (S.WAITING, 1)]
    moved_up = first.events.order_by("at", "pk").last()
    assert (moved_up.from_state, moved_up.to_state, moved_up.actor) == (
        S.WAITING,
        S.SUBMITTED,
        None,
    )
    assert "Moved up from the waiting list" in moved_up.comment
    assert moved_up.screening["criteria"]


def test_rejecting_a_slot_holder_moves_the_first_waiting_nomination_up(
    cycle, jawa_timur, provincial_officer, programme_officer
):
    holder, waiting = submitted(cycle, jawa_timur, provincial_officer, 2)
    Nomination.objects.filter(pk=holder.pk).update(state=S.SCREENED)

    nomination_reject(nomination=holder, actor=programme_officer, comment="Not unique.")

    assert states(waiting) == [(S.SUBMITTED, None)]


def test_designating_keeps_the_slot_and_the_list_waits(
    cycle, jawa_timur, provincial_officer, programme_officer
):
    holder, waiting = submitted(cycle, jawa_timur, provincial_officer, 2)
    Nomination.objects.filter(pk=holder.pk).update(state=S.VISITED)

    nomination_designate(nomination=holder, actor=programme_officer)

    assert states(waiting) == [(S.WAITING, 1)]


def test_withdrawing_a_waiting_nomination_closes_the_gap(cycle, jawa_timur, provincial_officer):
    holder, first, second = submitted(cycle, jawa_timur, provincial_officer, 3)

    nomination_withdraw(nomination=first, actor=provincial_officer)

    assert states(holder, first, second) == [
        (S.SUBMITTED, None),
        (S.WITHDRAWN, None),
        (S.WAITING, 1),
    ]


def test_raising_the_quota_moves_as_many_up_as_places_were_added(
    cycle, jawa_timur, provincial_officer, programme_officer
):
    _holder, first, second, third = submitted(cycle, jawa_timur, provincial_officer, 4)

    province_quotas_set(cycle=cycle, allowed={jawa_timur.code: 3}, actor=programme_officer)

    assert states(first, second, third) == [
        (S.SUBMITTED, None),
        (S.SUBMITTED, None),
        (S.WAITING, 1),
    ]


def test_another_province_s_list_does_not_move(
    cycle, jawa_timur, provincial_officer, programme_officer
):
    jawa_tengah = ProvinceFactory(code="33", name="Jawa Tengah")
    ProvinceQuotaFactory(cycle=cycle, province=jawa_tengah, allowed=1)
    officer = user_with_role(Role.PROVINCIAL_OFFICER, province=jawa_tengah, username="officer-33")
    _holder, waiting = submitted(cycle, jawa_tengah, officer, 2)
    (east_holder,) = submitted(cycle, jawa_timur, provincial_officer, 1)

    nomination_withdraw(nomination=east_holder, actor=provincial_officer)

    assert states(waiting) == [(S.WAITING, 1)]


# Ranking -------------------------------------------------------------------------------------


def test_the_province_s_officer_moves_a_nomination_up_the_list(
    cycle, jawa_timur, provincial_officer
):
    _holder, first, second, third = submitted(cycle, jawa_timur, provincial_officer, 4)

    waiting_list_move(nomination=third, places=-1, actor=provincial_officer)

    assert states(first, second, third) == [(S.WAITING, 1), (S.WAITING, 3), (S.WAITING, 2)]


def test_moving_past_either_end_stops_at_the_end(cycle, jawa_timur, provincial_officer):
    _holder, first, second = submitted(cycle, jawa_timur, provincial_officer, 3)

    waiting_list_move(nomination=first, places=-1, actor=provincial_officer)
    waiting_list_move(nomination=second, places=5, actor=provincial_officer)

    assert states(first, second) == [(S.WAITING, 1), (S.WAITING, 2)]


def test_the_first_to_move_up_is_the_one_ranked_first(cycle, jawa_timur, provincial_officer):
    holder, first, second = submitted(cycle, jawa_timur, provincial_officer, 3)
    waiting_list_move(nomination=second, places=-1, actor=provincial_officer)

    nomination_withdraw(nomination=holder, actor=provincial_officer)

    assert states(first, second) == [(S.WAITING, 1), (S.SUBMITTED, None)]


def test_a_programme_officer_may_not_rank_a_province_s_list(
    cycle, jawa_timur, provincial_officer, programme_officer
):
    _holder, first, second = submitted(cycle, jawa_timur, provincial_officer, 3)

    with pytest.raises(TransitionRefused):
        waiting_list_move(nomination=second, places=-1, actor=programme_officer)

    assert states(first, second) == [(S.WAITING, 1), (S.WAITING, 2)]


def test_a_nomination_off_the_list_cannot_be_ranked(cycle, jawa_timur, provincial_officer):
    (holder,) = submitted(cycle, jawa_timur, provincial_officer, 1)

    with pytest.raises(TransitionOutOfOrder, match="no longer on the waiting list"):
        waiting_list_move(nomination=holder, places=-1, actor=provincial_officer)


# Requests to raise the quota -----------------------------------------------------------------


def test_an_officer_asks_for_more_places_with_a_reason(cycle, jawa_timur, provincial_officer):
    request = quota_request_create(
        cycle=cycle,
        province=jawa_timur,
        places=5,
        reason="Twenty villages are ready.",
        actor=provincial_officer,
    )

    assert (request.state, request.places, request.requested_by) == (
        QuotaRequestState.PENDING,
        5,
        provincial_officer,
    )


def test_a_province_has_one_request_waiting_at_a_time(cycle, jawa_timur, provincial_officer):
    ask = {"cycle": cycle, "province": jawa_timur, "places": 2, "reason": "Ready villages."}
    quota_request_create(actor=provincial_officer, **ask)

    with pytest.raises(ValidationError, match="already has a request waiting"):
        quota_request_create(actor=provincial_officer, **ask)

    assert QuotaRaiseRequest.objects.count() == 1


def test_a_request_needs_a_reason(cycle, jawa_timur, provincial_officer):
    with pytest.raises(ValidationError):
        quota_request_create(
            cycle=cycle, province=jawa_timur, places=2, reason="  ", actor=provincial_officer
        )

    assert not QuotaRaiseRequest.objects.exists()


def test_an_officer_of_another_province_may_not_ask_for_it(cycle, provincial_officer):
    jawa_tengah = ProvinceFactory(code="33", name="Jawa Tengah")

    with pytest.raises(TransitionRefused):
        quota_request_create(
            cycle=cycle, province=jawa_tengah, places=2, reason="Ready.", actor=provincial_officer
        )


def test_granting_raises_the_quota_and_moves_the_list_up(
    cycle, jawa_timur, provincial_officer, programme_officer
):
    _holder, first, second = submitted(cycle, jawa_timur, provincial_officer, 3)
    request = quota_request_create(
        cycle=cycle, province=jawa_timur, places=1, reason="Ready.", actor=provincial_officer
    )

    answered = quota_request_answer(request=request, grant=True, answer="", actor=programme_officer)

    assert answered.state == QuotaRequestState.GRANTED
    assert ProvinceQuota.objects.get(cycle=cycle, province=jawa_timur).allowed == 2
    assert states(first, second) == [(S.SUBMITTED, None), (S.WAITING, 1)]


def test_declining_needs_an_answer_and_changes_nothing(
    cycle, jawa_timur, provincial_officer, programme_officer
):
    request = quota_request_create(
        cycle=cycle, province=jawa_timur, places=1, reason="Ready.", actor=provincial_officer
    )

    with pytest.raises(ValidationError, match="Say why the request is declined"):
        quota_request_answer(request=request, grant=False, answer=" ", actor=programme_officer)

    request.refresh_from_db()
    assert request.state == QuotaRequestState.PENDING


def test_a_request_is_answered_once(cycle, jawa_timur, provincial_officer, programme_officer):
    request = quota_request_create(
        cycle=cycle, province=jawa_timur, places=1, reason="Ready.", actor=provincial_officer
    )
    quota_request_answer(request=request, grant=False, answer="No budget.", actor=programme_officer)

    with pytest.raises(TransitionOutOfOrder, match="already been answered"):
        quota_request_answer(request=request, grant=True, answer="", actor=programme_officer)

    assert ProvinceQuota.objects.get(cycle=cycle, province=jawa_timur).allowed == 1


def test_a_provincial_officer_may_not_answer(cycle, jawa_timur, provincial_officer):
    request = quota_request_create(
        cycle=cycle, province=jawa_timur, places=1, reason="Ready.", actor=provincial_officer
    )

    with pytest.raises(TransitionRefused):
        quota_request_answer(request=request, grant=True, answer="", actor=provincial_officer)


# Pages ---------------------------------------------------------------------------------------


def overview_queries(client, cycle) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{PROGRAMME}/waiting-list/?cycle={cycle.pk}")
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("reader", ["programme_officer", "provincial_officer"])
def test_the_waiting_list_page_takes_the_same_queries_for_one_row_and_many(
    client, request, cycle, jawa_timur, provincial_officer, reader
):
    submitted(cycle, jawa_timur, provincial_officer, 2)
    quota_request_create(
        cycle=cycle, province=jawa_timur, places=1, reason="Ready.", actor=provincial_officer
    )
    reader = request.getfixturevalue(reader)
    # A copy: signing in marks the object it is given, which the services below also use.
    sign_in_verified(client, type(reader).objects.get(pk=reader.pk))
    one = overview_queries(client, cycle)

    submitted(cycle, jawa_timur, provincial_officer, 4)

    assert overview_queries(client, cycle) == one


def test_an_officer_sees_only_their_province_s_list(
    cycle, jawa_timur, provincial_officer, programme_officer
):
    jawa_tengah = ProvinceFactory(code="33", name="Jawa Tengah")
    ProvinceQuotaFactory(cycle=cycle, province=jawa_tengah, allowed=1)
    officer = user_with_role(Role.PROVINCIAL_OFFICER, province=jawa_tengah, username="officer-33")
    submitted(cycle, jawa_tengah, officer, 2)
    submitted(cycle, jawa_timur, provincial_officer, 2)

    theirs = waiting_list_overview(user=provincial_officer, cycle=cycle)
    everyone = waiting_list_overview(user=programme_officer, cycle=cycle)

    assert [row.province.code for row in theirs] == [jawa_timur.code]
    assert [row.province.code for row in everyone] == [jawa_tengah.code, jawa_timur.code]


def test_submitting_past_the_quota_from_the_page_says_where_it_waits(
    client, cycle, jawa_timur, provincial_officer
):
    submitted(cycle, jawa_timur, provincial_officer, 1)
    draft = draft_in(cycle, jawa_timur)
    sign_in_verified(client, provincial_officer)

    response = client.post(f"{PROGRAMME}/nominations/{draft.pk}/step/submit/", follow=True)

    assert "waits at place 1 of the waiting list" in response.content.decode()
    assert states(draft) == [(S.WAITING, 1)]


def test_the_officer_moves_a_nomination_up_from_the_page(
    client, cycle, jawa_timur, provincial_officer
):
    _holder, first, second = submitted(cycle, jawa_timur, provincial_officer, 3)
    sign_in_verified(client, provincial_officer)

    response = client.post(f"{PROGRAMME}/nominations/{second.pk}/waiting-list/up/")

    assert response.status_code == 302
    assert states(first, second) == [(S.WAITING, 2), (S.WAITING, 1)]


def test_an_unknown_direction_answers_404(client, cycle, jawa_timur, provincial_officer):
    _holder, first = submitted(cycle, jawa_timur, provincial_officer, 2)
    sign_in_verified(client, provincial_officer)

    response = client.post(f"{PROGRAMME}/nominations/{first.pk}/waiting-list/sideways/")

    assert response.status_code == 404


def test_a_bad_request_form_is_answered_with_its_errors_and_writes_nothing(
    client, cycle, jawa_timur, provincial_officer
):
    sign_in_verified(client, provincial_officer)

    response = client.post(
        f"{PROGRAMME}/quota-requests/new/",
        {"cycle": cycle.pk, "province": jawa_timur.code, "places": "0", "reason": ""},
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not QuotaRaiseRequest.objects.exists()


def test_a_request_is_sent_and_granted_from_the_pages(
    client, cycle, jawa_timur, provincial_officer, programme_officer
):
    _holder, waiting = submitted(cycle, jawa_timur, provincial_officer, 2)
    sign_in_verified(client, provincial_officer)
    client.post(
        f"{PROGRAMME}/quota-requests/new/",
        {
            "cycle": cycle.pk,
            "province": jawa_timur.code,
            "places": "1",
            "reason": "Twenty villages are ready.",
        },
    )
    request = QuotaRaiseRequest.objects.get()
    client.logout()
    sign_in_verified(client, programme_officer)

    response = client.post(
        f"{PROGRAMME}/quota-requests/{request.pk}/answer/", {"decision": "grant", "answer": ""}
    )

    assert response.status_code == 302
    assert states(waiting) == [(S.SUBMITTED, None)]


def test_answering_an_answered_request_from_the_page_answers_409(
    client, cycle, jawa_timur, provincial_officer, programme_officer
):
    request = quota_request_create(
        cycle=cycle, province=jawa_timur, places=1, reason="Ready.", actor=provincial_officer
    )
    quota_request_answer(request=request, grant=False, answer="No.", actor=programme_officer)
    sign_in_verified(client, programme_officer)

    response = client.post(
        f"{PROGRAMME}/quota-requests/{request.pk}/answer/", {"decision": "grant", "answer": ""}
    )

    assert response.status_code == 409
    assert "already been answered" in response.content.decode()
    assert ProvinceQuota.objects.get(cycle=cycle, province=jawa_timur).allowed == 1


# Who is told -----------------------------------------------------------------------------------


def test_the_province_is_told_when_its_first_waiting_nomination_moves_up(
    cycle, jawa_timur, provincial_officer, programme_officer
):
    holder, waiting = submitted(cycle, jawa_timur, provincial_officer, 2)
    Nomination.objects.filter(pk=holder.pk).update(state=S.SCREENED)

    nomination_reject(nomination=holder, actor=programme_officer, comment="Not unique.")

    told = Notification.objects.filter(recipient=provincial_officer)
    assert set(told.values_list("kind", flat=True)) == {
        NotificationKind.NOMINATION_REJECTED,
        NotificationKind.NOMINATION_MOVED_UP,
    }
    moved_up = told.get(kind=NotificationKind.NOMINATION_MOVED_UP)
    assert moved_up.link == f"/id/programme/nominations/{waiting.pk}/"


def test_the_programme_is_told_of_a_request_and_the_province_of_the_answer(
    cycle, jawa_timur, provincial_officer, programme_officer
):
    request = quota_request_create(
        cycle=cycle, province=jawa_timur, places=1, reason="Ready.", actor=provincial_officer
    )
    quota_request_answer(request=request, grant=False, answer="No budget.", actor=programme_officer)

    asked = Notification.objects.get(recipient=programme_officer)
    answered = Notification.objects.get(recipient=provincial_officer)
    assert (asked.kind, asked.params["places"]) == (NotificationKind.QUOTA_REQUEST_SENT, 1)
    assert (answered.kind, answered.params["granted"]) == (
        NotificationKind.QUOTA_REQUEST_ANSWERED,
        False,
    )
    assert answered.link == f"/id/programme/waiting-list/?cycle={cycle.pk}"
