import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.utils import timezone, translation

from desadevisa.accounts.tests.factories import UserFactory
from desadevisa.audit.models import AuditAction
from desadevisa.audit.selectors import audit_history
from desadevisa.audit.services import audit_record
from desadevisa.audit.tests.conftest import craft_unit_in

URL = "/en/audit/"


@pytest.fixture
def administrator_client(sign_in_as, administrator):
    return sign_in_as(administrator)


def shown(response, *texts):
    """Which of ``texts`` the page shows."""
    return {text for text in texts if text in response.text}


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db, settings):
    settings.LOGIN_URL = "/login/"

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={URL}"


def test_an_administrator_still_waiting_for_the_one_time_code_is_sent_to_that_step(
    client, administrator
):
    client.force_login(administrator)

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/two-factor/")


@pytest.mark.parametrize("role", ["provincial_officer", "verifier", "organisation_manager"])
def test_other_signed_in_users_get_not_found(sign_in_as, request, role):
    client = sign_in_as(request.getfixturevalue(role))

    response = client.get(URL)

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["administrator", "programme_officer"])
def test_administrators_and_programme_officers_see_the_events(
    db, sign_in_as, request, jawa_timur, role
):
    client = sign_in_as(request.getfixturevalue(role))
    audit_record(
        actor=UserFactory(username="budi"),
        action=AuditAction.CREATED,
        obj=craft_unit_in(jawa_timur, name="Bengkel Kendang Basuki"),
        summary="Registered the workshop.",
    )

    response = client.get(URL)

    assert response.status_code == 200
    assert shown(response, "budi", "Bengkel Kendang Basuki", "Registered the workshop.") == {
        "budi",
        "Bengkel Kendang Basuki",
        "Registered the workshop.",
    }


def test_the_list_is_never_cached(administrator_client):
    response = administrator_client.get(URL)

    assert "no-store" in response["Cache-Control"]


def test_the_list_shows_the_newest_event_first(administrator_client):
    audit_record(actor=None, action=AuditAction.CREATED, summary="First event")
    audit_record(actor=None, action=AuditAction.CHANGED, summary="Second event")

    response = administrator_client.get(URL)

    assert response.text.index("Second event") < response.text.index("First event")


def test_the_list_shows_the_changes_with_old_and_new_values(administrator_client):
    audit_record(actor=None, action=AuditAction.CHANGED, changes={"monthly_capacity": [200, 250]})

    response = administrator_client.get(URL)

    assert "<del>200</del> → <ins>250</ins>" in response.text


def test_the_list_filters_by_the_actors_username(administrator_client):
    audit_record(actor=UserFactory(username="budi"), action=AuditAction.CHANGED, summary="By Budi")
    audit_record(actor=UserFactory(username="sari"), action=AuditAction.CHANGED, summary="By Sari")

    response = administrator_client.get(URL, {"actor": "budi"})

    assert shown(response, "By Budi", "By Sari") == {"By Budi"}


def test_the_list_filters_by_action(administrator_client):
    audit_record(actor=None, action=AuditAction.CREATED, summary="A creation")
    audit_record(actor=None, action=AuditAction.DELETED, summary="A deletion")

    response = administrator_client.get(URL, {"action": "deleted"})

    assert shown(response, "A creation", "A deletion") == {"A deletion"}


def test_the_list_filters_by_object_type(administrator_client, jawa_timur):
    unit = craft_unit_in(jawa_timur)
    audit_record(actor=None, action=AuditAction.CHANGED, obj=unit, summary="Unit changed")
    audit_record(
        actor=None, action=AuditAction.CHANGED, obj=unit.village, summary="Village changed"
    )

    response = administrator_client.get(
        URL, {"object_type": ContentType.objects.get_for_model(unit).pk}
    )

    assert shown(response, "Unit changed", "Village changed") == {"Unit changed"}


def test_the_list_filters_by_province(administrator_client, jawa_timur, jawa_tengah):
    audit_record(
        actor=None, action=AuditAction.CHANGED, obj=craft_unit_in(jawa_timur), summary="In 35"
    )
    audit_record(
        actor=None, action=AuditAction.CHANGED, obj=craft_unit_in(jawa_tengah), summary="In 33"
    )

    response = administrator_client.get(URL, {"province": "33"})

    assert shown(response, "In 35", "In 33") == {"In 33"}


@pytest.mark.parametrize(
    ("days_from", "days_to", "included"),
    [(0, 0, True), (1, None, False), (None, -1, False), (-1, 1, True)],
)
def test_the_list_filters_by_days_both_included(administrator_client, days_from, days_to, included):
    event = audit_record(actor=None, action=AuditAction.CHANGED, summary="Event of the day")
    today = timezone.localtime(event.occurred_at).date()
    query = {
        name: (today + datetime.timedelta(days)).isoformat()
        for name, days in {"occurred_from": days_from, "occurred_to": days_to}.items()
        if days is not None
    }

    response = administrator_client.get(URL, query)

    assert ("Event of the day" in response.text) is included


def test_an_end_day_before_the_start_day_is_reported(administrator_client):
    response = administrator_client.get(
        URL, {"occurred_from": "2022-03-02", "occurred_to": "2022-03-01"}
    )

    assert "The end date is before the start date." in response.text


def test_the_list_shows_50_events_a_page_with_links_that_keep_the_filters(administrator_client):
    for number in range(51):
        audit_record(actor=None, action=AuditAction.CHANGED, summary=f"Event number {number}.")

    first = administrator_client.get(URL, {"action": "changed"})
    second = administrator_client.get(URL, {"action": "changed", "page": 2})

    assert first.text.count("Event number") == 50
    assert '<a href="?action=changed&amp;page=2" rel="next">' in first.text
    assert second.text.count("Event number") == 1
    assert "Event number 0." in second.text


@pytest.mark.parametrize("count", [1, 60])
def test_the_list_runs_the_same_queries_for_one_event_and_many(
    administrator_client, jawa_timur, django_assert_num_queries, count
):
    for _event in range(count):
        audit_record(
            actor=UserFactory(),
            action=AuditAction.CHANGED,
            obj=craft_unit_in(jawa_timur),
            changes={"monthly_capacity": [200, 250]},
        )

    # Session, user, two-factor device, roles; object types and provinces for the filters;
    # count and page; the session's saved activity clock (a savepoint around one update).
    with django_assert_num_queries(11):
        response = administrator_client.get(URL)

    assert response.status_code == 200


def test_the_history_component_shows_time_actor_action_summary_and_changes(
    administrator, jawa_timur
):
    actor = UserFactory(username="budi", first_name="Budi", last_name="Santoso")
    unit = craft_unit_in(jawa_timur)
    audit_record(
        actor=actor,
        action=AuditAction.CHANGED,
        obj=unit,
        summary="Capacity after the new kiln.",
        changes={"monthly_capacity": [200, 250], "business_id": ["", "1234567890123"]},
    )

    with translation.override("en"):
        html = render_to_string(
            "audit/components/history.html",
            {"events": audit_history(obj=unit)},
        )

    assert "Budi Santoso (budi)" in html
    assert "<strong>Changed</strong>" in html
    assert "Capacity after the new kiln." in html
    assert "<dt>Monthly capacity</dt>" in html
    assert "<del>200</del> → <ins>250</ins>" in html
    assert "<dt>Business ID (NIB)</dt>" in html
    assert '<del><span title="empty">—</span></del> → <ins>1234567890123</ins>' in html
    assert '<time datetime="' in html


def test_the_history_component_says_when_nothing_is_recorded(administrator, jawa_timur):
    unit = craft_unit_in(jawa_timur)

    with translation.override("en"):
        html = render_to_string(
            "audit/components/history.html",
            {"events": audit_history(obj=unit)},
        )

    assert "Nothing has been recorded for this yet." in html
