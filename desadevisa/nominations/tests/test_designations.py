"""Designations: the decision by decree (service and page), the rejection from the decision
page, status changes, and the decision panel on the nomination page."""

import datetime
import threading
import time

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone, translation

from desadevisa.accounts.models import Role
from desadevisa.accounts.tests.factories import user_with_role
from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.core.editing import EditConflict, record_version
from desadevisa.nominations import designations
from desadevisa.nominations.designations import (
    designation_decide,
    designation_status_change,
    verification_code_display,
    verification_code_normalise,
)
from desadevisa.nominations.models import (
    Designation,
    DesignationStatus,
    NominationEvent,
    NominationState,
)
from desadevisa.nominations.tests.factories import (
    DesignationFactory,
    NominationFactory,
    ProgrammeCycleFactory,
    ProvinceQuotaFactory,
)
from desadevisa.nominations.workflow import TransitionOutOfOrder, TransitionRefused
from desadevisa.regions.tests.factories import ProvinceFactory, VillageFactory

S = NominationState
PROGRAMME = "/en/programme"
DECREE = "KEP-101/DD/XI/2023"
DECREE_DATE = datetime.date(2023, 11, 22)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(db, jawa_timur):
    cycle = ProgrammeCycleFactory(year=2023)
    ProvinceQuotaFactory(cycle=cycle, province=jawa_timur, allowed=5)
    return cycle


def nomination_in(cycle, province, *, state=S.VISITED, **kwargs):
    village = VillageFactory(district__regency__province=province)
    return NominationFactory(
        cycle=cycle, flagship_product=ProductFactory(village=village), state=state, **kwargs
    )


@pytest.fixture
def visited(cycle, jawa_timur, provincial_officer):
    return nomination_in(cycle, jawa_timur, submitted_by=provincial_officer)


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def decide(nomination, actor, **overrides):
    values = {"decree_number": DECREE, "designated_on": DECREE_DATE, "comment": "Layak."}
    values.update(overrides)
    return designation_decide(nomination=nomination, actor=actor, **values)


def refused_without_writing(call) -> Exception:
    """Run ``call``, which must raise; return the error after checking that no table changed."""
    before = row_counts()
    with pytest.raises((ValidationError, TransitionRefused, TransitionOutOfOrder)) as caught:
        call()
    assert row_counts() == before
    return caught.value


# Verification codes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ABCD2345EFGH", "ABCD2345EFGH"),
        ("abcd2345efgh", "ABCD2345EFGH"),
        ("ABCD-2345-EFGH", "ABCD2345EFGH"),
        (" abcd 2345 efgh ", "ABCD2345EFGH"),
        ("abcd.2345.efgh", "ABCD2345EFGH"),
    ],
)
def test_a_typed_code_is_normalised_to_the_stored_form(typed, expected):
    assert verification_code_normalise(typed) == expected


@pytest.mark.parametrize(
    "typed", ["", "ABCD2345EFG", "ABCD2345EFGHJ", "ABCD2345EFG0", "ABCD2345EFG1", "../etc/passwd"]
)
def test_a_string_that_cannot_be_a_code_normalises_to_nothing(typed):
    assert verification_code_normalise(typed) is None


def test_a_code_is_displayed_in_groups_of_four():
    assert verification_code_display("ABCD2345EFGH") == "ABCD-2345-EFGH"


# Deciding -----------------------------------------------------------------------------------


def test_designating_a_visited_nomination_writes_the_step_and_the_designation(
    visited, programme_officer
):
    designation = decide(visited, programme_officer)

    visited.refresh_from_db()
    assert visited.state == S.DESIGNATED
    event = NominationEvent.objects.get(nomination=visited)
    assert (event.from_state, event.to_state, event.actor, event.comment) == (
        S.VISITED,
        S.DESIGNATED,
        programme_officer,
        "Layak.",
    )
    designation.refresh_from_db()
    assert (designation.nomination, designation.decree_number, designation.designated_on) == (
        visited,
        DECREE,
        DECREE_DATE,
    )
    assert designation.status == DesignationStatus.DESIGNATED
    assert verification_code_normalise(designation.verification_code) == (
        designation.verification_code
    )
    created = AuditEvent.objects.get(action=AuditAction.CREATED)
    assert created.object_id == str(designation.pk)
    assert created.province_code == "35"
    assert created.changes["decree_number"] == [None, DECREE]
    assert AuditEvent.objects.get(action=AuditAction.TRANSITIONED).summary == "designate"


def test_each_designation_gets_its_own_code(cycle, jawa_timur, programme_officer):
    first = decide(nomination_in(cycle, jawa_timur), programme_officer, decree_number="KEP-1")
    second = decide(nomination_in(cycle, jawa_timur), programme_officer, decree_number="KEP-2")

    assert first.verification_code != second.verification_code


def test_a_provincial_officer_may_not_designate_and_nothing_is_written(visited, provincial_officer):
    error = refused_without_writing(lambda: decide(visited, provincial_officer))

    assert isinstance(error, TransitionRefused)
    assert error.status == 403
    assert str(error) == "You may not take the step “Designate” on this nomination."


def test_the_submitter_may_not_designate_their_own_nomination(cycle, jawa_timur):
    both = user_with_role(Role.PROGRAMME_OFFICER, username="both-roles")
    nomination = nomination_in(cycle, jawa_timur, submitted_by=both)

    error = refused_without_writing(lambda: decide(nomination, both))

    assert isinstance(error, TransitionRefused)


def test_designating_a_nomination_not_yet_visited_is_out_of_order(
    cycle, jawa_timur, programme_officer
):
    screened = nomination_in(cycle, jawa_timur, state=S.SCREENED)

    error = refused_without_writing(lambda: decide(screened, programme_officer))

    assert isinstance(error, TransitionOutOfOrder)
    assert error.status == 409
    assert str(error) == (
        "The step “Designate” cannot be taken: the nomination is now “Screened”. "
        "Reload the page to see its current state."
    )


def test_designating_twice_is_refused_the_second_time_and_leaves_one_designation(
    visited, programme_officer
):
    decide(visited, programme_officer)

    error = refused_without_writing(lambda: decide(visited, programme_officer))

    assert isinstance(error, TransitionOutOfOrder)
    assert Designation.objects.filter(nomination=visited).count() == 1


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_decree_number_is_refused(visited, programme_officer, blank):
    error = refused_without_writing(lambda: decide(visited, programme_officer, decree_number=blank))

    assert error.message_dict == {"decree_number": ["Enter the number of the designation decree."]}


def test_a_decree_number_used_by_another_designation_is_refused(visited, programme_officer):
    DesignationFactory(decree_number=DECREE)

    error = refused_without_writing(
        lambda: decide(visited, programme_officer, decree_number=f"  {DECREE.lower()} ")
    )

    assert error.message_dict == {
        "decree_number": [
            "The decree number kep-101/dd/xi/2023 is already used by another designation."
        ]
    }


def test_a_designation_date_in_the_future_is_refused(visited, programme_officer):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    error = refused_without_writing(
        lambda: decide(visited, programme_officer, designated_on=tomorrow)
    )

    assert error.message_dict == {
        "designated_on": ["The designation date cannot be in the future."]
    }


def test_a_designation_date_before_the_cycle_opens_is_refused(visited, programme_officer):
    error = refused_without_writing(
        lambda: decide(visited, programme_officer, designated_on=datetime.date(2022, 12, 31))
    )

    assert error.message_dict == {
        "designated_on": [
            "The designation date cannot be before the programme cycle opens (Jan. 1, 2023)."
        ]
    }


def test_a_candidate_row_written_ahead_becomes_the_designation(visited, programme_officer):
    candidate = Designation.objects.create(
        nomination=visited,
        decree_number="draft",
        designated_on=DECREE_DATE,
        status=DesignationStatus.CANDIDATE,
    )

    designation = decide(visited, programme_officer)

    assert designation.pk == candidate.pk
    assert designation.verification_code == candidate.verification_code
    assert (designation.status, designation.decree_number) == (
        DesignationStatus.DESIGNATED,
        DECREE,
    )
    assert AuditEvent.objects.get(action=AuditAction.CHANGED).changes["status"] == [
        "candidate",
        "designated",
    ]


# Status changes -----------------------------------------------------------------------------


@pytest.fixture
def designation(visited, programme_officer):
    return decide(visited, programme_officer)


def change(designation, actor, status, reason="", seen_version=None):
    return designation_status_change(
        designation=designation,
        status=status,
        reason=reason,
        seen_version=seen_version or record_version(designation),
        actor=actor,
    )


@pytest.mark.parametrize(
    "status", [DesignationStatus.UNDER_REVIEW, DesignationStatus.LAPSED, DesignationStatus.REVOKED]
)
def test_a_national_role_changes_the_status_with_a_reason(designation, administrator, status):
    changed = change(designation, administrator, status, reason="Laporan masyarakat.")

    changed.refresh_from_db()
    assert (changed.status, changed.status_reason) == (status, "Laporan masyarakat.")
    audit = AuditEvent.objects.filter(action=AuditAction.CHANGED).get()
    assert audit.changes["status"] == ["designated", status]
    assert audit.actor == administrator


def test_a_status_other_than_designated_needs_a_reason(designation, programme_officer):
    error = refused_without_writing(
        lambda: change(designation, programme_officer, DesignationStatus.REVOKED, reason="  ")
    )

    assert error.message_dict == {"reason": ["Give the reason for this status: it is required."]}


def test_restoring_to_designated_needs_no_reason(designation, programme_officer):
    revoked = change(designation, programme_officer, DesignationStatus.REVOKED, reason="Salah.")

    restored = change(revoked, programme_officer, DesignationStatus.DESIGNATED)

    assert (restored.status, restored.status_reason) == (DesignationStatus.DESIGNATED, "")


def test_a_provincial_officer_may_not_change_the_status(designation, provincial_officer):
    error = refused_without_writing(
        lambda: change(designation, provincial_officer, DesignationStatus.LAPSED, reason="x")
    )

    assert isinstance(error, TransitionRefused)
    assert str(error) == "You may not change the status of this designation."


def test_a_status_change_over_a_newer_version_is_refused(designation, programme_officer):
    seen = record_version(designation)
    change(designation, programme_officer, DesignationStatus.UNDER_REVIEW, reason="Cek.")
    before = row_counts()

    with pytest.raises(EditConflict):
        change(designation, programme_officer, DesignationStatus.REVOKED, "Salah.", seen)

    assert row_counts() == before
    designation.refresh_from_db()
    assert designation.status == DesignationStatus.UNDER_REVIEW


def test_the_status_it_already_has_is_refused(designation, programme_officer):
    error = refused_without_writing(
        lambda: change(designation, programme_officer, DesignationStatus.DESIGNATED)
    )

    assert isinstance(error, TransitionOutOfOrder)
    assert str(error) == "The designation is already “Designated”."


def test_a_candidate_has_no_status_to_change(visited, programme_officer):
    candidate = DesignationFactory(nomination=visited, status=DesignationStatus.CANDIDATE)

    error = refused_without_writing(
        lambda: change(candidate, programme_officer, DesignationStatus.REVOKED, reason="x")
    )

    assert str(error) == "This designation has not been decided yet: its status cannot change."


def test_an_unknown_status_is_refused(designation, programme_officer):
    error = refused_without_writing(
        lambda: change(designation, programme_officer, "candidate", reason="x")
    )

    assert error.message_dict == {"status": ["Choose one of the statuses offered."]}


# The decision page --------------------------------------------------------------------------


def decide_url(nomination) -> str:
    return f"{PROGRAMME}/nominations/{nomination.pk}/decide/"


def designation_url(designation, suffix="") -> str:
    return f"{PROGRAMME}/designations/{designation.pk}/{suffix}"


def designate_form(**overrides):
    data = {
        "decision": "designate",
        "decree_number": DECREE,
        "designated_on": DECREE_DATE.isoformat(),
        "comment": "",
    }
    data.update(overrides)
    return data


def test_the_decision_page_offers_both_outcomes(client, visited, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.get(decide_url(visited))

    assert response.status_code == 200
    assert (response.context["may_designate"], response.context["may_reject"]) == (True, True)
    html = response.content.decode()
    assert 'name="decree_number"' in html
    assert 'value="reject"' in html


def test_a_screened_nomination_may_only_be_rejected_from_the_page(
    client, cycle, jawa_timur, programme_officer
):
    screened = nomination_in(cycle, jawa_timur, state=S.SCREENED)
    sign_in_verified(client, programme_officer)

    response = client.get(decide_url(screened))

    assert (response.context["may_designate"], response.context["may_reject"]) == (False, True)


def test_designating_from_the_page_goes_to_the_designation(client, visited, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.post(decide_url(visited), designate_form())

    designation = Designation.objects.get(nomination=visited)
    assert response.status_code == 302
    assert response["Location"] == designation_url(designation)


def test_submitting_the_decision_twice_answers_409_and_leaves_one_designation(
    client, visited, programme_officer
):
    sign_in_verified(client, programme_officer)
    client.post(decide_url(visited), designate_form())
    before = row_counts()

    response = client.post(decide_url(visited), designate_form())

    assert response.status_code == 409
    assert (
        "This nomination is not waiting for a decision: it is now “Designated”."
        in response.content.decode()
    )
    assert Designation.objects.filter(nomination=visited).count() == 1
    assert row_counts() == before


def test_a_provincial_officer_gets_403_from_the_decision_page_and_nothing_is_written(
    client, visited, provincial_officer
):
    sign_in_verified(client, provincial_officer)
    before = row_counts()

    response = client.post(decide_url(visited), designate_form())

    assert response.status_code == 403
    after = row_counts()
    assert after.pop("audit.AuditEvent") == before.pop("audit.AuditEvent") + 1
    assert after == before


def test_the_decision_page_of_another_province_answers_404(
    client, cycle, programme_officer, two_provinces
):
    sign_in_verified(client, two_provinces.jawa_tengah.officer)

    response = client.get(decide_url(two_provinces.jawa_timur.nomination))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("decree_number", "", "Enter the number of the designation decree."),
        ("designated_on", "", "Enter the date of the designation decree."),
        ("designated_on", "22/11/2023", "Enter the date as year-month-day, such as 2022-11-22."),
        ("designated_on", "2999-01-01", "The designation date cannot be in the future."),
    ],
)
def test_bad_decision_input_answers_400_with_the_message_and_writes_nothing(
    client, visited, programme_officer, field, value, message
):
    sign_in_verified(client, programme_officer)
    before = row_counts()

    response = client.post(decide_url(visited), designate_form(**{field: value}))

    assert response.status_code == 400
    assert response.context["designate_form"].errors[field] == [message]
    assert row_counts() == before


def test_a_used_decree_number_answers_400_on_its_field(client, visited, programme_officer):
    DesignationFactory(decree_number=DECREE)
    sign_in_verified(client, programme_officer)

    response = client.post(decide_url(visited), designate_form())

    assert response.status_code == 400
    assert response.context["designate_form"].errors["decree_number"] == [
        f"The decree number {DECREE} is already used by another designation."
    ]
    assert not Designation.objects.filter(nomination=visited).exists()


def test_rejecting_without_reasons_answers_400_and_writes_nothing(
    client, visited, programme_officer
):
    sign_in_verified(client, programme_officer)
    before = row_counts()

    response = client.post(decide_url(visited), {"decision": "reject", "comment": " "})

    assert response.status_code == 400
    assert response.context["reject_form"].errors["comment"] == [
        "Write the reasons for the rejection: they are required."
    ]
    assert row_counts() == before


def test_rejecting_with_reasons_records_them_on_the_history(client, visited, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.post(
        decide_url(visited), {"decision": "reject", "comment": "Produk belum unik."}
    )

    assert response.status_code == 302
    visited.refresh_from_db()
    assert visited.state == S.REJECTED
    assert NominationEvent.objects.get(nomination=visited).comment == "Produk belum unik."
    assert not Designation.objects.filter(nomination=visited).exists()


# The designation page -----------------------------------------------------------------------


def test_a_reader_of_the_province_sees_the_designation_without_the_status_form(
    client, designation, provincial_officer
):
    sign_in_verified(client, provincial_officer)

    response = client.get(designation_url(designation))

    assert response.status_code == 200
    assert response.context["form"] is None
    html = response.content.decode()
    assert verification_code_display(designation.verification_code) in html
    assert f"/en/verify/{designation.verification_code}/" in html


def test_the_designation_page_of_another_province_answers_404(client, two_provinces):
    sign_in_verified(client, two_provinces.jawa_tengah.officer)

    for path in ("", "status/", "certificate.pdf"):
        response = client.get(designation_url(two_provinces.jawa_timur.designation, path))

        assert response.status_code == 404


def status_form(designation, **overrides):
    data = {"status": "revoked", "reason": "Keputusan dibatalkan."}
    data["seen_version"] = record_version(designation)
    data.update(overrides)
    return data


def test_a_programme_officer_revokes_from_the_page(client, designation, programme_officer):
    sign_in_verified(client, programme_officer)

    response = client.post(designation_url(designation, "status/"), status_form(designation))

    assert response.status_code == 302
    designation.refresh_from_db()
    assert designation.status == DesignationStatus.REVOKED


def test_revoking_without_a_reason_answers_400_and_writes_nothing(
    client, designation, programme_officer
):
    sign_in_verified(client, programme_officer)
    before = row_counts()

    response = client.post(
        designation_url(designation, "status/"), status_form(designation, reason="")
    )

    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == [
        "Give the reason for this status: it is required."
    ]
    assert row_counts() == before


def test_a_status_form_over_a_newer_version_answers_409(client, designation, programme_officer):
    stale = status_form(designation)
    change(designation, programme_officer, DesignationStatus.UNDER_REVIEW, reason="Cek.")
    sign_in_verified(client, programme_officer)

    response = client.post(designation_url(designation, "status/"), stale)

    assert response.status_code == 409
    assert "Someone else saved this record after you opened the form." in (
        response.content.decode()
    )
    designation.refresh_from_db()
    assert designation.status == DesignationStatus.UNDER_REVIEW


def test_a_provincial_officer_gets_403_from_the_status_form(
    client, designation, provincial_officer
):
    sign_in_verified(client, provincial_officer)

    response = client.post(designation_url(designation, "status/"), status_form(designation))

    assert response.status_code == 403
    designation.refresh_from_db()
    assert designation.status == DesignationStatus.DESIGNATED


# The panel on the nomination page -----------------------------------------------------------


def nomination_page(client, nomination):
    return client.get(f"{PROGRAMME}/nominations/{nomination.pk}/")


def test_the_panel_offers_the_decision_to_a_programme_officer(client, visited, programme_officer):
    sign_in_verified(client, programme_officer)

    response = nomination_page(client, visited)

    assert decide_url(visited) in response.content.decode()


def test_the_panel_offers_no_decision_to_the_provincial_officer(
    client, visited, provincial_officer
):
    sign_in_verified(client, provincial_officer)

    response = nomination_page(client, visited)

    assert decide_url(visited) not in response.content.decode()


def test_the_panel_shows_the_designation_its_code_and_certificate(
    client, designation, provincial_officer
):
    sign_in_verified(client, provincial_officer)

    response = nomination_page(client, designation.nomination)

    html = response.content.decode()
    assert DECREE in html
    assert verification_code_display(designation.verification_code) in html
    assert designation_url(designation, "certificate.pdf") in html
    assert f"/en/verify/{designation.verification_code}/" in html


def test_the_panel_offers_no_certificate_for_a_revoked_designation(
    client, designation, programme_officer
):
    change(designation, programme_officer, DesignationStatus.REVOKED, reason="Salah.")
    sign_in_verified(client, programme_officer)

    response = nomination_page(client, designation.nomination)

    html = response.content.decode()
    assert "Revoked" in html
    assert designation_url(designation, "certificate.pdf") not in html


# Two deciders at once -----------------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_decisions_racing_on_postgresql_leave_one_designation(monkeypatch):
    province = ProvinceFactory(code="35", name="Jawa Timur")
    cycle = ProgrammeCycleFactory(year=2023)
    nomination = nomination_in(cycle, province)
    officers = [user_with_role(Role.PROGRAMME_OFFICER, username=f"programme-{n}") for n in range(2)]
    # Widen the window between the checks and the writes: without the nomination's lock, both
    # decisions would see it visited and both would write a designation.
    checked = designations._decision_errors

    def slow_check(**kwargs):
        errors = checked(**kwargs)
        time.sleep(0.3)
        return errors

    monkeypatch.setattr(designations, "_decision_errors", slow_check)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def decide_at_once(officer, number):
        start.wait()
        try:
            decide(nomination, officer, decree_number=number)
            outcomes.append("designated")
        except TransitionOutOfOrder:
            outcomes.append("out of order")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide_at_once, args=(officer, f"KEP-{n}"))
        for n, officer in enumerate(officers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["designated", "out of order"]
    assert Designation.objects.filter(nomination=nomination).count() == 1
    assert NominationEvent.objects.filter(nomination=nomination).count() == 1
