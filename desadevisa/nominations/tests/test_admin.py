"""The admin shows the records the workflow's services own and changes none of them: no
designation, nomination, quota or visit is made there outside the workflow and the quota."""

import pytest
from django.contrib import admin
from django.urls import reverse

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.audit.services import audit_record
from desadevisa.nominations.models import (
    Designation,
    Nomination,
    NominationEvent,
    ProgrammeCycle,
    ProvinceQuota,
    QuotaRaiseRequest,
)
from desadevisa.verification.models import AspectScore, CriterionFinding, ProductReview, Visit

# Each workflow model shown in the admin, and its record among a province's records.
SHOWN = {
    ProgrammeCycle: lambda records, world: world.cycle,
    Nomination: lambda records, world: records.nomination,
    Designation: lambda records, world: records.designation,
    QuotaRaiseRequest: lambda records, world: records.quota_request,
    Visit: lambda records, world: records.visit,
    AuditEvent: lambda records, world: audit_record(
        actor=None, action=AuditAction.CREATED, obj=records.product
    ),
}
# Rows shown only beside their parent (inlines) or not at all.
NOT_ON_THEIR_OWN = [NominationEvent, ProvinceQuota, CriterionFinding, ProductReview, AspectScore]


@pytest.fixture
def admin_client(client, administrator):
    administrator.is_staff = administrator.is_superuser = True
    administrator.save(update_fields=["is_staff", "is_superuser"])
    sign_in_verified(client, administrator)
    return client


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in [*SHOWN, *NOT_ON_THEIR_OWN]}


@pytest.mark.parametrize("model", SHOWN, ids=lambda model: model.__name__)
def test_an_administrator_views_a_workflow_record_in_the_admin(admin_client, two_provinces, model):
    record = SHOWN[model](two_provinces.jawa_timur, two_provinces)

    listing = admin_client.get(admin_url(model, "changelist"))
    page = admin_client.get(admin_url(model, "change", record.pk))

    assert listing.status_code == 200
    assert page.status_code == 200
    assert 'name="_save"' not in page.text


@pytest.mark.parametrize("model", SHOWN, ids=lambda model: model.__name__)
def test_the_admin_refuses_to_add_a_workflow_record(admin_client, two_provinces, model):
    before = counts()

    page = admin_client.get(admin_url(model, "add"))
    sent = admin_client.post(admin_url(model, "add"), {})

    assert (page.status_code, sent.status_code) == (403, 403)
    assert counts() == before


@pytest.mark.parametrize("model", SHOWN, ids=lambda model: model.__name__)
def test_the_admin_refuses_to_change_a_workflow_record(admin_client, two_provinces, model):
    record = SHOWN[model](two_provinces.jawa_timur, two_provinces)
    before = model.objects.filter(pk=record.pk).values().get()

    response = admin_client.post(admin_url(model, "change", record.pk), {})

    assert response.status_code == 403
    assert model.objects.filter(pk=record.pk).values().get() == before


@pytest.mark.parametrize("model", SHOWN, ids=lambda model: model.__name__)
def test_the_admin_refuses_to_delete_a_workflow_record(admin_client, two_provinces, model):
    record = SHOWN[model](two_provinces.jawa_timur, two_provinces)
    before = counts()

    page = admin_client.get(admin_url(model, "delete", record.pk))
    sent = admin_client.post(admin_url(model, "delete", record.pk), {"post": "yes"})
    bulk = admin_client.post(
        admin_url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )

    assert (page.status_code, sent.status_code) == (403, 403)
    assert bulk.status_code == 200
    assert counts() == before


@pytest.mark.parametrize("model", [*SHOWN, *NOT_ON_THEIR_OWN], ids=lambda model: model.__name__)
def test_no_workflow_record_may_be_added_changed_or_deleted_in_the_admin(rf, administrator, model):
    request = rf.get("/admin/")
    request.user = administrator
    administrator.is_staff = administrator.is_superuser = True
    model_admin = admin.site._registry.get(model)
    inlines = [
        inline(parent, admin.site)
        for parent in admin.site._registry.values()
        for inline in parent.inlines
        if inline.model is model
    ]

    assert model_admin is not None or inlines, f"{model.__name__} is not shown in the admin"
    if model_admin is not None:
        assert not model_admin.has_add_permission(request)
    for inline in inlines:
        assert not inline.has_add_permission(request, None)
    for shown in [model_admin, *inlines] if model_admin else inlines:
        assert not shown.has_change_permission(request, None)
        assert not shown.has_delete_permission(request, None)
