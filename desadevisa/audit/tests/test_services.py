import datetime
import logging
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from desadevisa.accounts.tests.factories import UserFactory
from desadevisa.audit.middleware import AuditContextMiddleware
from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import audit_changes, audit_record, audit_snapshot
from desadevisa.audit.tests.conftest import craft_unit_in
from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.registry.tests.factories import (
    CraftUnitFactory,
    MembershipFactory,
    VillageProfileFactory,
)


def record_during_request(**request_meta):
    """Record an event while the middleware serves a request with this META."""
    recorded = []

    def view(request):
        recorded.append(audit_record(actor=None, action=AuditAction.CREATED))

    request = RequestFactory().get("/", **request_meta)
    AuditContextMiddleware(view)(request)
    return recorded[0]


def test_audit_record_stores_who_did_what_to_which_object(db, jawa_timur):
    actor = UserFactory(username="budi")
    unit = craft_unit_in(jawa_timur, name="Bengkel Kendang Basuki")

    event = audit_record(
        actor=actor, action=AuditAction.CREATED, obj=unit, summary="Registered the unit."
    )

    event.refresh_from_db()
    assert event.actor == actor
    assert event.actor_label == "budi"
    assert event.action == "created"
    assert event.content_type.model_class() is type(unit)
    assert event.object_id == str(unit.pk)
    assert event.object_repr == "Bengkel Kendang Basuki"
    assert event.summary == "Registered the unit."
    assert event.occurred_at.tzinfo is not None


def test_audit_record_keeps_string_primary_keys(db):
    village = VillageFactory(code="35.05.10.2001", name="Minggirsari")

    event = audit_record(actor=None, action=AuditAction.CHANGED, obj=village)

    assert event.object_id == "35.05.10.2001"


def test_audit_record_takes_the_province_of_the_objects_village(db, jawa_timur):
    unit = craft_unit_in(jawa_timur)

    event = audit_record(actor=None, action=AuditAction.CHANGED, obj=unit)

    assert event.province_code == "35"
    assert event.organisation_id is None


def test_audit_record_takes_the_province_of_an_object_with_a_province(db, jawa_timur):
    village = VillageFactory(district__regency__province=jawa_timur)

    event = audit_record(actor=None, action=AuditAction.CHANGED, obj=village)

    assert event.province_code == "35"


def test_audit_record_takes_the_organisation_of_an_object_with_an_organisation(db):
    membership = MembershipFactory()

    event = audit_record(actor=None, action=AuditAction.CREATED, obj=membership)

    assert event.organisation_id == membership.organisation_id
    assert event.province_code == ""


def test_audit_record_asks_an_object_with_audit_scope_for_its_province_and_organisation(
    db, jawa_timur
):
    unit = craft_unit_in(jawa_timur)
    unit.audit_scope = lambda: ("33", 7)

    event = audit_record(actor=None, action=AuditAction.CHANGED, obj=unit)

    assert (event.province_code, event.organisation_id) == ("33", 7)


def test_audit_record_prefers_the_province_and_organisation_it_is_given(db, jawa_timur):
    membership = MembershipFactory(craft_unit=craft_unit_in(jawa_timur))

    event = audit_record(
        actor=None,
        action=AuditAction.CHANGED,
        obj=membership,
        province_code="35",
        organisation_id=42,
    )

    assert (event.province_code, event.organisation_id) == ("35", 42)


def test_audit_record_without_an_object_has_no_province_or_organisation(db):
    event = audit_record(actor=None, action=AuditAction.CHANGED)

    assert (event.content_type, event.object_id, event.object_repr) == (None, "", "")
    assert (event.province_code, event.organisation_id) == ("", None)


@pytest.mark.parametrize("actor", [None, AnonymousUser()])
def test_audit_record_stores_no_actor_for_the_system_or_a_visitor(db, actor):
    event = audit_record(actor=actor, action=AuditAction.CHANGED)

    assert event.actor is None
    assert event.actor_label == ""


def test_audit_record_refuses_an_unknown_action(db):
    with pytest.raises(
        ValueError, match=r"^Unknown audit action 'submitted': add it to AuditAction first\.$"
    ):
        audit_record(actor=None, action="submitted")


def test_audit_record_refuses_an_unsaved_object(db):
    unit = CraftUnitFactory.build()

    with pytest.raises(
        ValueError,
        match=r"^Only a saved object can be audited: record a deletion before deleting\.$",
    ):
        audit_record(actor=None, action=AuditAction.DELETED, obj=unit)


def test_audit_record_makes_change_values_json_safe(db):
    event = audit_record(
        actor=None,
        action=AuditAction.CHANGED,
        changes={
            "price": [Decimal("12.50"), Decimal("15.00")],
            "day": [None, datetime.date(2022, 3, 1)],
        },
    )

    event.refresh_from_db()
    assert event.changes == {"price": ["12.50", "15.00"], "day": [None, "2022-03-01"]}


def test_audit_record_outside_a_request_has_no_ip_address(db):
    event = audit_record(actor=None, action=AuditAction.CHANGED)

    assert event.ip_address is None


def test_audit_record_reads_the_ip_address_bound_by_the_middleware(db):
    event = record_during_request(REMOTE_ADDR="203.0.113.7")

    assert event.ip_address == "203.0.113.7"


def test_the_log_line_of_an_event_stays_on_one_line(db, caplog, django_capture_on_commit_callbacks):
    with (
        caplog.at_level(logging.INFO, logger="desadevisa.audit"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        event = audit_record(
            actor=None, action=AuditAction.CHANGED, summary="Line one\r\nFAKE LOG LINE \\n"
        )

    assert [record.getMessage() for record in caplog.records] == [
        f"Audit event {event.pk}: action=changed actor=- object=- ip=- "
        "summary=Line one\\r\\nFAKE LOG LINE \\\\n"
    ]
    assert event.summary == "Line one\r\nFAKE LOG LINE \\n"


def test_the_log_line_is_written_only_when_the_transaction_commits(
    db, caplog, django_capture_on_commit_callbacks
):
    with (
        caplog.at_level(logging.INFO, logger="desadevisa.audit"),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        audit_record(actor=None, action=AuditAction.CHANGED)

    assert caplog.records == []
    assert len(callbacks) == 1


def test_audit_snapshot_gives_json_safe_values_of_the_editable_fields(db):
    village = VillageFactory(code="35.05.10.2001")
    unit = CraftUnitFactory(
        village=village, name="Bengkel Kendang Basuki", owner_name="Basuki", business_id=""
    )

    snapshot = audit_snapshot(unit)

    assert snapshot == {
        "origin": "real",
        "name": "Bengkel Kendang Basuki",
        "owner_name": "Basuki",
        "village": "35.05.10.2001",
        "workers_women": 4,
        "workers_men": 6,
        "monthly_capacity": 200,
        "capacity_unit": "piece",
        "business_id": "",
        "is_active": True,
    }


def test_audit_snapshot_gives_only_the_fields_asked_for(db):
    profile = VillageProfileFactory(latitude=Decimal("-8.1"), longitude=Decimal("112.2"))

    snapshot = audit_snapshot(profile, fields=["latitude", "created_at"])

    assert snapshot == {
        "latitude": "-8.100000",
        "created_at": profile.created_at.isoformat(),
    }


def test_audit_snapshot_compares_decimals_at_the_fields_scale(db):
    profile = VillageProfileFactory(latitude=Decimal("-8.1"), longitude=Decimal("112.2"))
    before = audit_snapshot(profile, fields=["latitude"])

    profile.latitude = Decimal("-8.10")

    assert audit_changes(before, audit_snapshot(profile, fields=["latitude"])) == {}


def test_audit_snapshot_never_includes_a_password(db):
    user = UserFactory(username="budi")

    assert "password" not in audit_snapshot(user)
    assert audit_snapshot(user, fields=["username", "password"]) == {"username": "budi"}


def test_audit_changes_lists_only_the_changed_fields_with_old_and_new_values(db, jawa_timur):
    unit = craft_unit_in(jawa_timur, monthly_capacity=200, is_active=True)
    before = audit_snapshot(unit)

    unit.monthly_capacity = 250
    unit.is_active = False

    assert audit_changes(before, audit_snapshot(unit)) == {
        "monthly_capacity": [200, 250],
        "is_active": [True, False],
    }


def test_audit_changes_treats_a_field_missing_on_one_side_as_none():
    assert audit_changes({"name": "Basuki"}, {"story": "Kendang"}) == {
        "name": ["Basuki", None],
        "story": [None, "Kendang"],
    }
