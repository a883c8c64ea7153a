"""Who is told about each workflow step: the programme officers of a submission, the
province and the submitter of a decision, the verifiers of their visit."""

import datetime

import pytest
from django.core import mail
from django.db import transaction

from desadevisa.accounts.models import Role
from desadevisa.accounts.tests.factories import user_with_role
from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.nominations.models import (
    NominationEvent,
    NominationState,
    QuotaRaiseRequest,
    QuotaRequestState,
)
from desadevisa.nominations.notices import (
    nomination_event_notify,
    quota_request_answered_notify,
    quota_request_sent_notify,
    visit_assigned_notify,
    visit_scheduled_notify,
)
from desadevisa.nominations.tests.factories import NominationFactory, ProgrammeCycleFactory
from desadevisa.notifications.models import Notification
from desadevisa.regions.tests.factories import ProvinceFactory, VillageFactory
from desadevisa.verification.models import Visit

S = NominationState


class Refused(Exception):
    pass


@pytest.fixture
def people(db, provincial_officer, programme_officer, verifier, jawa_timur):
    """Everyone who could be told: two officers of Jawa Timur (the first submitted the
    nomination), one of Jawa Tengah, two programme officers, a verifier, an administrator."""
    return {
        "submitter": provincial_officer,
        "colleague": user_with_role(
            Role.PROVINCIAL_OFFICER, province=jawa_timur, username="colleague"
        ),
        "elsewhere": user_with_role(
            Role.PROVINCIAL_OFFICER, province=ProvinceFactory(code="33"), username="elsewhere"
        ),
        "programme": programme_officer,
        "programme_2": user_with_role(Role.PROGRAMME_OFFICER, username="programme-2"),
        "verifier": verifier,
        "administrator": user_with_role(Role.ADMINISTRATOR, username="admin"),
    }


@pytest.fixture
def nomination(people, jawa_timur):
    village = VillageFactory(district__regency__province=jawa_timur, name="Minggirsari")
    return NominationFactory(
        cycle=ProgrammeCycleFactory(year=2022, name="Desa Devisa 2022"),
        flagship_product=ProductFactory(village=village),
        state=S.SUBMITTED,
        submitted_by=people["submitter"],
    )


def step(nomination, from_state, to_state, actor, comment=""):
    return NominationEvent.objects.create(
        nomination=nomination,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        actor_label=actor.get_username(),
        comment=comment,
    )


def told(people, kind=None) -> set[str]:
    """The names in ``people`` of those holding a notification (of ``kind``)."""
    rows = Notification.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    ids = set(rows.values_list("recipient_id", flat=True))
    return {name for name, person in people.items() if person.pk in ids}


# Submissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("from_state", [S.DRAFT, S.RETURNED])
def test_a_submission_is_told_to_the_programme_officers(people, nomination, from_state):
    event = step(nomination, from_state, S.SUBMITTED, people["submitter"])

    sent = nomination_event_notify(event=event)

    assert {n.kind for n in sent} == {"nomination_submitted"}
    assert told(people) == {"programme", "programme_2"}


def test_a_notification_carries_the_village_province_cycle_and_the_nominations_page(
    people, nomination
):
    event = step(nomination, S.DRAFT, S.SUBMITTED, people["submitter"], comment="Siap.")

    nomination_event_notify(event=event)

    notification = Notification.objects.filter(recipient=people["programme"]).get()
    assert notification.params == {
        "village": "Minggirsari",
        "province": "Jawa Timur",
        "cycle": "Desa Devisa 2022",
        "comment": "Siap.",
    }
    assert notification.link == f"/id/programme/nominations/{nomination.pk}/"


def test_a_nomination_put_on_the_waiting_list_is_told_to_the_provinces_officers(people, nomination):
    nomination.state, nomination.waiting_rank = S.WAITING, 2
    nomination.save(update_fields=["state", "waiting_rank"])
    event = step(nomination, S.DRAFT, S.WAITING, people["submitter"])

    sent = nomination_event_notify(event=event)

    # The submitter put it there and knows; the province's other officer is told.
    assert told(people) == {"colleague"}
    assert [n.kind for n in sent] == ["nomination_waiting"]
    assert sent[0].params["waiting_rank"] == 2


def test_a_nomination_moving_up_is_told_to_the_province_and_submitted_to_the_programme(
    people, nomination
):
    # The programme officer's rejection of another nomination freed the place.
    event = step(nomination, S.WAITING, S.SUBMITTED, people["programme"])

    nomination_event_notify(event=event)

    assert told(people, "nomination_moved_up") == {"submitter", "colleague"}
    assert told(people, "nomination_submitted") == {"programme", "programme_2"}
    assert told(people) == {"submitter", "colleague", "programme", "programme_2"}


# Decisions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("to_state", "kind"),
    [
        (S.RETURNED, "nomination_returned"),
        (S.DESIGNATED, "nomination_designated"),
        (S.REJECTED, "nomination_rejected"),
    ],
)
def test_a_decision_is_told_to_the_provinces_officers_and_the_submitter(
    people, nomination, to_state, kind
):
    event = step(nomination, S.SCREENED, to_state, people["programme"], comment="Alasan.")

    sent = nomination_event_notify(event=event)

    assert told(people) == {"submitter", "colleague"}
    assert {n.kind for n in sent} == {kind}
    assert all(n.params["comment"] == "Alasan." for n in sent)


def test_a_submitter_who_left_the_province_still_hears_the_decision_once(people, nomination):
    moved = user_with_role(Role.PROVINCIAL_OFFICER, province=ProvinceFactory(code="34"))
    nomination.submitted_by = moved
    nomination.save(update_fields=["submitted_by"])
    event = step(nomination, S.VISITED, S.DESIGNATED, people["programme"])

    sent = nomination_event_notify(event=event)

    assert sorted(n.recipient_id for n in sent) == sorted(
        [people["submitter"].pk, people["colleague"].pk, moved.pk]
    )


@pytest.mark.parametrize(
    ("from_state", "to_state"),
    [(S.SUBMITTED, S.WITHDRAWN), (S.VISIT_SCHEDULED, S.VISITED)],
)
def test_other_steps_are_told_to_nobody(people, nomination, from_state, to_state):
    event = step(nomination, from_state, to_state, people["programme"])

    assert nomination_event_notify(event=event) == []
    assert Notification.objects.count() == 0


def test_a_screening_is_told_to_the_provinces_officers_only(people, nomination):
    event = step(nomination, S.SUBMITTED, S.SCREENED, people["programme"])

    sent = nomination_event_notify(event=event)

    assert told(people) == {"submitter", "colleague"}
    assert {n.kind for n in sent} == {"nomination_screened"}
    assert sent[0].link == f"/id/programme/nominations/{nomination.pk}/"


# Visits --------------------------------------------------------------------------------------


def planned_visit(nomination, *verifiers):
    visit = Visit.objects.create(nomination=nomination, planned_on=datetime.date(2022, 5, 10))
    visit.verifiers.set(verifiers)
    return visit


def test_a_scheduled_visit_is_told_to_its_verifiers(people, nomination):
    second = user_with_role(Role.VERIFIER, username="verifier-2")
    visit = planned_visit(nomination, people["verifier"], second)
    event = step(nomination, S.SCREENED, S.VISIT_SCHEDULED, people["programme"])

    sent = nomination_event_notify(event=event)

    assigned = [n for n in sent if n.kind == "visit_assigned"]
    assert sorted(n.recipient_id for n in assigned) == sorted([people["verifier"].pk, second.pk])
    assert assigned[0].params["visit_on"] == "2022-05-10"
    assert assigned[0].params["visit"] == visit.pk


def test_a_scheduled_visit_is_told_to_the_provinces_officers_with_its_date(people, nomination):
    visit = planned_visit(nomination, people["verifier"])
    event = step(nomination, S.SCREENED, S.VISIT_SCHEDULED, people["programme"])

    nomination_event_notify(event=event)

    assert told(people, "visit_scheduled") == {"submitter", "colleague"}
    notification = Notification.objects.get(kind="visit_scheduled", recipient=people["colleague"])
    assert notification.params["visit_on"] == "2022-05-10"
    assert notification.params["visit"] == visit.pk
    assert notification.link == f"/id/programme/nominations/{nomination.pk}/"


def test_a_step_taken_before_its_visit_is_written_waits_for_the_visit_to_tell_the_team(
    people, nomination
):
    event = step(nomination, S.SCREENED, S.VISIT_SCHEDULED, people["programme"])

    assert nomination_event_notify(event=event) == []
    visit = planned_visit(nomination, people["verifier"])
    sent = visit_assigned_notify(visit=visit, actor=people["programme"])
    visit_scheduled_notify(visit=visit, actor=people["programme"])

    assert told(people, "visit_assigned") == {"verifier"}
    assert told(people, "visit_scheduled") == {"submitter", "colleague"}
    assert len(sent) == 1


def test_a_verifier_is_told_about_a_visit_once_and_newcomers_are_told_too(people, nomination):
    visit = planned_visit(nomination, people["verifier"])
    nomination_event_notify(
        event=step(nomination, S.SCREENED, S.VISIT_SCHEDULED, people["programme"])
    )
    newcomer = user_with_role(Role.VERIFIER, username="newcomer")
    visit.verifiers.add(newcomer)

    sent = visit_assigned_notify(visit=visit, actor=people["programme"])

    assert [n.recipient for n in sent] == [newcomer]
    assert Notification.objects.filter(recipient=people["verifier"]).count() == 1


# With the step's transaction ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_notices_of_a_step_that_rolls_back_are_never_written_nor_mailed(people, nomination):
    def step_then_failure():
        with transaction.atomic():
            event = step(nomination, S.SCREENED, S.RETURNED, people["programme"], comment="x")
            nomination_event_notify(event=event)
            raise Refused

    with pytest.raises(Refused):
        step_then_failure()

    assert Notification.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_notices_of_a_step_are_mailed_once_it_commits(people, nomination):
    with transaction.atomic():
        event = step(nomination, S.SCREENED, S.RETURNED, people["programme"], comment="x")
        nomination_event_notify(event=event)
        assert mail.outbox == []

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [people["submitter"].email, people["colleague"].email]
    )
    assert all("Minggirsari" in message.subject for message in mail.outbox)


# Quota raise requests ------------------------------------------------------------------------


@pytest.fixture
def quota_request(people, jawa_timur):
    return QuotaRaiseRequest.objects.create(
        cycle=ProgrammeCycleFactory(year=2022, name="Desa Devisa 2022"),
        province=jawa_timur,
        places=5,
        reason="Dua puluh desa siap.",
        requested_by=people["submitter"],
    )


def test_a_quota_request_is_told_to_the_programme_officers(people, quota_request):
    sent = quota_request_sent_notify(quota_request=quota_request, actor=people["submitter"])

    assert told(people) == {"programme", "programme_2"}
    assert sent[0].kind == "quota_request_sent"
    assert sent[0].params == {
        "province": "Jawa Timur",
        "cycle": "Desa Devisa 2022",
        "places": 5,
        "reason": "Dua puluh desa siap.",
    }
    assert sent[0].link == f"/id/programme/quota-requests/{quota_request.pk}/answer/"


@pytest.mark.parametrize(
    ("state", "granted"), [(QuotaRequestState.GRANTED, True), (QuotaRequestState.DECLINED, False)]
)
def test_the_answer_to_a_quota_request_is_told_to_the_province_and_the_requester(
    people, quota_request, state, granted
):
    quota_request.state, quota_request.answer = state, "Sesuai anggaran."
    quota_request.save(update_fields=["state", "answer"])

    sent = quota_request_answered_notify(quota_request=quota_request, actor=people["programme"])

    assert told(people) == {"submitter", "colleague"}
    assert {n.kind for n in sent} == {"quota_request_answered"}
    assert sent[0].params == {
        "province": "Jawa Timur",
        "cycle": "Desa Devisa 2022",
        "places": 5,
        "granted": granted,
        "answer": "Sesuai anggaran.",
    }
