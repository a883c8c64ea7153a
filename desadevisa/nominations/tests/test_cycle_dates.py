"""A cycle's dates enforced: nominations and decisions only between its opening and closing
days, unless a programme officer's recorded override is in effect."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.nominations.cycle_dates import CycleClosed, programme_cycle_override
from desadevisa.nominations.designations import designation_decide
from desadevisa.nominations.models import CycleDateOverride, NominationEvent, NominationState
from desadevisa.nominations.services import nomination_reject, nomination_submit
from desadevisa.nominations.tests.factories import (
    NominationFactory,
    ProgrammeCycleFactory,
    ProvinceQuotaFactory,
)
from desadevisa.nominations.workflow import TransitionRefused
from desadevisa.regions.tests.factories import VillageFactory

pytestmark = pytest.mark.django_db

S = NominationState
TODAY = timezone.localdate()
OVERRIDE = "A programme officer may override the cycle's dates, giving the reason."


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def cycle_from(opens_on, closes_on):
    return ProgrammeCycleFactory(
        year=2022, name="Desa Devisa 2022", opens_on=opens_on, closes_on=closes_on
    )


@pytest.fixture
def closed(jawa_timur):
    """The 2022 cycle, closed on 31 October 2022, with Jawa Timur's quota."""
    cycle = cycle_from(datetime.date(2022, 1, 1), datetime.date(2022, 10, 31))
    ProvinceQuotaFactory(cycle=cycle, province=jawa_timur, allowed=15)
    return cycle


def nomination_in(cycle, province, **fields):
    village = VillageFactory(district__regency__province=province)
    return NominationFactory(
        cycle=cycle, flagship_product=ProductFactory(village=village), **fields
    )


def test_a_closed_cycle_refuses_a_submission_and_writes_nothing(
    closed, jawa_timur, provincial_officer
):
    draft = nomination_in(closed, jawa_timur)

    with pytest.raises(CycleClosed) as refused:
        nomination_submit(nomination=draft, actor=provincial_officer)

    assert str(refused.value) == (
        f"The programme cycle Desa Devisa 2022 closed for nominations on Oct. 31, 2022. {OVERRIDE}"
    )
    draft.refresh_from_db()
    assert draft.state == S.DRAFT
    assert not NominationEvent.objects.exists()


def test_a_cycle_not_yet_open_refuses_a_submission(jawa_timur, provincial_officer):
    cycle = cycle_from(TODAY + datetime.timedelta(10), TODAY + datetime.timedelta(100))
    ProvinceQuotaFactory(cycle=cycle, province=jawa_timur)
    draft = nomination_in(cycle, jawa_timur)

    with pytest.raises(CycleClosed) as refused:
        nomination_submit(nomination=draft, actor=provincial_officer)

    assert str(refused.value).startswith(
        "The programme cycle Desa Devisa 2022 opens for nominations"
    )


def test_a_closed_cycle_refuses_a_decision(closed, jawa_timur, programme_officer):
    screened = nomination_in(closed, jawa_timur, state=S.SCREENED)

    with pytest.raises(CycleClosed) as refused:
        nomination_reject(nomination=screened, actor=programme_officer, comment="Tidak unik.")

    assert str(refused.value) == (
        "Decisions in the programme cycle Desa Devisa 2022 are taken between Jan. 1, 2022 and "
        f"Oct. 31, 2022. {OVERRIDE}"
    )


def test_an_override_records_who_when_and_why_and_lets_the_province_submit(
    closed, jawa_timur, provincial_officer, programme_officer
):
    draft = nomination_in(closed, jawa_timur)

    override = programme_cycle_override(
        cycle=closed, reason="Surat Disperindag terlambat.", until=None, actor=programme_officer
    )
    nomination_submit(nomination=draft, actor=provincial_officer)

    draft.refresh_from_db()
    assert draft.state == S.SUBMITTED
    assert (override.granted_by, override.reason, override.until) == (
        programme_officer,
        "Surat Disperindag terlambat.",
        None,
    )
    audit = AuditEvent.objects.get(action=AuditAction.CREATED, object_id=str(override.pk))
    assert audit.changes["reason"] == [None, "Surat Disperindag terlambat."]


def test_an_override_that_has_ended_no_longer_opens_the_cycle(
    closed, jawa_timur, provincial_officer, programme_officer
):
    override = programme_cycle_override(
        cycle=closed, reason="Satu minggu lagi.", until=TODAY, actor=programme_officer
    )
    CycleDateOverride.objects.filter(pk=override.pk).update(until=TODAY - datetime.timedelta(1))
    draft = nomination_in(closed, jawa_timur)

    with pytest.raises(CycleClosed):
        nomination_submit(nomination=draft, actor=provincial_officer)


def test_an_override_needs_a_reason_and_writes_nothing_without_one(closed, programme_officer):
    with pytest.raises(ValidationError) as refused:
        programme_cycle_override(cycle=closed, reason="  ", until=None, actor=programme_officer)

    assert refused.value.message_dict == {
        "reason": ["Give the reason for the override: it is required."]
    }
    assert not CycleDateOverride.objects.exists()


def test_an_override_cannot_end_in_the_past(closed, programme_officer):
    with pytest.raises(ValidationError) as refused:
        programme_cycle_override(
            cycle=closed,
            reason="Terlambat.",
            until=TODAY - datetime.timedelta(1),
            actor=programme_officer,
        )

    assert refused.value.message_dict == {"until": ["An override cannot end in the past."]}


def test_only_the_programme_overrides_a_cycle_s_dates(closed, provincial_officer):
    with pytest.raises(TransitionRefused) as refused:
        programme_cycle_override(
            cycle=closed, reason="Kami perlu.", until=None, actor=provincial_officer
        )

    assert str(refused.value) == "Only the programme's officers override a cycle's dates."
    assert not CycleDateOverride.objects.exists()


def test_an_override_lets_the_programme_designate_after_the_cycle_closed(
    closed, jawa_timur, programme_officer
):
    visited = nomination_in(closed, jawa_timur, state=S.VISITED)
    programme_cycle_override(
        cycle=closed, reason="Cerita 2022 dijalankan hari ini.", until=None, actor=programme_officer
    )

    designation = designation_decide(
        nomination=visited,
        decree_number="KEP-031/DD/IX/2022",
        designated_on=TODAY,
        actor=programme_officer,
    )

    visited.refresh_from_db()
    assert visited.state == S.DESIGNATED
    assert designation.designated_on == TODAY


# The cycle page ------------------------------------------------------------------------------


def test_the_cycle_page_shows_the_override_and_the_form_records_it(
    client, closed, programme_officer
):
    sign_in_verified(client, programme_officer)

    response = client.post(
        f"/en/programme/cycles/{closed.pk}/override/",
        {"reason": "Cerita demo 2022.", "until": ""},
    )
    html = client.get("/en/programme/cycles/").content.decode()

    assert response.status_code == 302
    assert "outside its dates, open by override" in html
    assert "Cerita demo 2022." in html
    assert "in effect without an end" in html


def test_the_override_form_without_a_reason_answers_400_with_the_message(
    client, closed, programme_officer
):
    sign_in_verified(client, programme_officer)

    response = client.post(f"/en/programme/cycles/{closed.pk}/override/", {"reason": ""})

    assert response.status_code == 400
    assert "Give the reason for the override: it is required." in response.content.decode()
    assert not CycleDateOverride.objects.exists()


def test_the_submit_button_of_a_closed_cycle_answers_409_with_the_reason(
    client, closed, jawa_timur, provincial_officer
):
    draft = nomination_in(closed, jawa_timur)
    sign_in_verified(client, provincial_officer)

    response = client.post(f"/en/programme/nominations/{draft.pk}/step/submit/")

    assert response.status_code == 409
    assert "closed for nominations on Oct. 31, 2022" in response.content.decode()
