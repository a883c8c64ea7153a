import pytest

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditEvent
from desadevisa.registry.tests.factories import VillageProfileFactory

ADDRESS = "203.0.113.7"


@pytest.fixture
def village_pages(db, jawa_timur, jawa_tengah):
    """The paths of a village page in Jawa Timur and one in Jawa Tengah."""
    VillageProfileFactory(
        village__code="35.05.10.2001",
        village__district__code="35.05.10",
        village__district__regency__code="35.05",
        village__district__regency__province=jawa_timur,
    )
    VillageProfileFactory(
        village__code="33.11.11.2013",
        village__district__code="33.11.11",
        village__district__regency__code="33.11",
        village__district__regency__province=jawa_tengah,
    )
    return "/en/registry/villages/35.05.10.2001/", "/en/registry/villages/33.11.11.2013/"


def refusals():
    return AuditEvent.objects.filter(action="access_denied")


def test_a_village_page_outside_the_officers_province_records_one_refusal(
    client, provincial_officer, village_pages
):
    _, other_province = village_pages
    sign_in_verified(client, provincial_officer)
    assert not refusals().exists()

    response = client.get(other_province, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 404
    [event] = refusals()
    assert event.get_action_display() == "Access refused"
    assert event.summary == "GET /en/registry/villages/33.11.11.2013/ answered 404"
    assert event.actor == provincial_officer
    assert event.actor_label == "provincial-officer"
    assert event.ip_address == ADDRESS


def test_a_village_page_in_the_officers_province_records_no_refusal(
    client, provincial_officer, village_pages
):
    own_province, _ = village_pages
    sign_in_verified(client, provincial_officer)

    response = client.get(own_province, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 200
    assert not refusals().exists()


def test_the_query_string_is_left_out_of_the_refusal(client, provincial_officer, village_pages):
    _, other_province = village_pages
    sign_in_verified(client, provincial_officer)

    client.post(f"{other_province}?nik=3507123456780001", REMOTE_ADDR=ADDRESS)

    [event] = refusals()
    assert event.summary == "POST /en/registry/villages/33.11.11.2013/ answered 404"


def test_an_anonymous_visitor_is_sent_to_sign_in_and_no_refusal_is_recorded(client, village_pages):
    _, other_province = village_pages

    response = client.get(other_province, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 302
    assert not refusals().exists()


@pytest.mark.urls("desadevisa.audit.tests.refusing_urls")
@pytest.mark.parametrize("path", ["/refusing/", "/refusing-class/"])
def test_a_permission_check_refusing_a_staff_page_records_a_403_refusal(
    client, provincial_officer, path
):
    sign_in_verified(client, provincial_officer)

    response = client.get(path, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 403
    [event] = refusals()
    assert event.summary == f"GET {path} answered 403"
    assert event.actor == provincial_officer
    assert event.ip_address == ADDRESS
