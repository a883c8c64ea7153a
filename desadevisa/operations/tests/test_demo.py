import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from desadevisa.catalog.models import Product, ProductPhoto
from desadevisa.core.models import DataOrigin, RecordModel
from desadevisa.exports.models import ExportShipment
from desadevisa.nominations.cycle_dates import DECIDING, NOMINATING, cycle_dates_check
from desadevisa.nominations.models import (
    Designation,
    DesignationStatus,
    Nomination,
    NominationState,
    ProgrammeCycle,
    QuotaRaiseRequest,
)
from desadevisa.nominations.screening import Verdict, nomination_screen
from desadevisa.nominations.services import province_quota_usage
from desadevisa.operations.demo import (
    DEMO_PASSWORD,
    DemoConflict,
    ReferenceDataMissing,
    demo_accounts,
    demo_load,
)
from desadevisa.operations.tests.reference import demo_reference
from desadevisa.regions.models import Village
from desadevisa.registry.models import (
    CraftUnit,
    CraftUnitPhoto,
    Organisation,
    OrganisationKind,
    VillageProfile,
    VillageProfilePhoto,
)
from desadevisa.showcase.models import Exhibition
from desadevisa.support.models import SupportItem, SupportKind
from desadevisa.support.outcomes import village_outcomes

pytestmark = pytest.mark.django_db

MINGGIRSARI = "35.05.10.2001"
TRANGSAN = "33.11.11.2013"
BANYUMULEK = "52.01.02.2006"


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the language of the source strings."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def reference():
    """The few reference rows the demo stands on, as the reference loader would write them."""
    demo_reference()


@pytest.fixture
def demo(reference):
    return demo_load()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"contenttypes", "auth", "sessions", "admin"}
    }


def active_units_making(product: Product):
    return product.craft_units.filter(village=product.village).active()


def test_demo_tells_the_minggirsari_story(demo):
    profile = VillageProfile.objects.get(village=MINGGIRSARI)
    product = Product.objects.get(slug="kendang-djimbe-minggirsari")

    assert "kendang djimbe" in profile.story_id
    assert "djembe" in profile.story_en
    assert (product.name_id, product.hs_code_id, product.village_id) == (
        "Kendang Djimbe",
        "9206",
        MINGGIRSARI,
    )
    assert CraftUnit.objects.get(village=MINGGIRSARI, owner_name="Basuki").is_active


def test_minggirsari_has_at_least_five_active_units_making_its_drums(demo):
    product = Product.objects.get(slug="kendang-djimbe-minggirsari")

    assert active_units_making(product).count() >= 5


def test_every_active_minggirsari_unit_is_a_current_member_of_the_cooperative(demo):
    product = Product.objects.get(slug="kendang-djimbe-minggirsari")
    units = active_units_making(product)
    cooperative = Organisation.objects.get(village=MINGGIRSARI)

    assert cooperative.kind == OrganisationKind.COOPERATIVE
    assert set(units.current_members()) == set(units)
    assert all(unit.current_memberships().get().organisation == cooperative for unit in units)


def test_banyumulek_has_fewer_active_units_than_its_cycle_asks_for(demo):
    nomination = Nomination.objects.get(village=BANYUMULEK)
    units = active_units_making(nomination.flagship_product)

    assert units.count() < nomination.cycle.min_craft_units
    assert set(units.current_members()) == set(units)


def test_minggirsari_is_submitted_in_2022_within_the_jawa_timur_quota_of_15(demo):
    nomination = Nomination.objects.get(village=MINGGIRSARI)

    assert (nomination.cycle.year, nomination.state, nomination.submitted_by.username) == (
        2022,
        NominationState.SUBMITTED,
        "demo-jatim",
    )
    assert nomination.flagship_product.slug == "kendang-djimbe-minggirsari"
    assert nomination.cycle.quotas.get(province="35").allowed == 15
    assert nomination.events.get().to_state == NominationState.SUBMITTED


def test_jawa_timur_s_twenty_ready_villages_fill_its_fifteen_places_and_five_wait(demo):
    cycle = ProgrammeCycle.objects.get(year=2022)
    jawa_timur = Nomination.objects.filter(cycle=cycle, village__province="35")

    assert jawa_timur.count() == 20
    assert province_quota_usage(cycle=cycle)["35"] == 15
    waiting = jawa_timur.filter(state=NominationState.WAITING).order_by("waiting_rank")
    assert list(waiting.values_list("waiting_rank", flat=True)) == [1, 2, 3, 4, 5]
    assert QuotaRaiseRequest.objects.get(cycle=cycle, province="35").places == 5


def test_the_2022_story_runs_today_through_the_programme_s_recorded_override(demo):
    cycle = ProgrammeCycle.objects.get(year=2022)
    override = cycle.date_overrides.get()

    cycle_dates_check(cycle=cycle, doing=NOMINATING)
    cycle_dates_check(cycle=cycle, doing=DECIDING)

    assert override.granted_by.username == "demo-programme"
    assert override.reason.startswith("Data contoh: cerita tahun 2022 dijalankan hari ini")
    assert override.until is None


def test_trangsan_reads_pass_on_every_criterion_once_reviewed_and_visited(demo):
    nomination = Designation.objects.get(nomination__village=TRANGSAN).nomination

    result = nomination_screen(nomination=nomination)

    assert [criterion.verdict for criterion in result.criteria] == [Verdict.PASS] * 4
    assert result.overall == Verdict.PASS


def test_trangsan_was_designated_in_2021_with_a_verification_code(demo):
    designation = Designation.objects.get(nomination__village=TRANGSAN)

    assert designation.nomination.cycle.year == 2021
    assert designation.nomination.state == NominationState.DESIGNATED
    assert designation.status == DesignationStatus.DESIGNATED
    assert designation.decree_number
    assert len(designation.verification_code) == 12


def test_trangsan_s_support_has_two_tranches_a_design_and_the_g20_stand(demo):
    items = {
        item.kind: item
        for item in SupportItem.objects.filter(designation__nomination__village=TRANGSAN)
    }

    financing = items[SupportKind.FINANCING]
    assert list(
        financing.disbursements.order_by("disbursed_on").values_list("amount_idr", flat=True)
    ) == [
        Decimal("450000000"),
        Decimal("200000000"),
    ]
    assert financing.outstanding_idr == Decimal("100000000")
    assert items[SupportKind.PRODUCT_DESIGN].deliverables.count() == 2
    assert items[SupportKind.MARKET_ACCESS].exhibition.slug == "g20-indonesia-2022"


def test_trangsan_s_outcomes_compare_exports_before_and_after_support(demo):
    (outcome,) = village_outcomes([TRANGSAN]).values()

    exports = outcome.exports
    assert exports.started_on == datetime.date(2022, 1, 10)
    assert (exports.before_12_months.shipments, exports.after_12_months.shipments) == (2, 2)
    assert exports.before_12_months.value_usd == Decimal("28829.00")
    assert exports.after_12_months.value_usd == Decimal("12465.00")
    assert {destination.code for destination in outcome.new_destinations} == {"KR", "AU"}


def test_both_programme_cycles_have_quotas_for_several_provinces(demo):
    cycles = ProgrammeCycle.objects.order_by("year")

    assert [(cycle.year, cycle.quotas.count() > 1) for cycle in cycles] == [
        (2021, True),
        (2022, True),
    ]


def test_kendang_djimbe_has_drawn_photos_with_one_cover(demo, media_root):
    photos = ProductPhoto.objects.filter(product__slug="kendang-djimbe-minggirsari")

    assert photos.count() >= 3
    assert photos.filter(is_cover=True).count() == 1
    assert all((media_root / photo.full.name).is_file() for photo in photos)
    assert all(photo.full.name.startswith("products/") for photo in photos)


def test_minggirsari_drums_went_to_several_countries_from_2020_to_2022(demo):
    shipments = ExportShipment.objects.filter(product__slug="kendang-djimbe-minggirsari")

    assert {"US", "JP", "DE", "AU", "NL"} <= set(shipments.values_list("destination", flat=True))
    assert {shipment.shipped_on.year for shipment in shipments} == {2020, 2021, 2022}
    assert all(shipment.value_usd > 0 and shipment.value_idr > 0 for shipment in shipments)


def test_g20_exhibition_displays_kendang_djimbe(demo):
    g20 = Exhibition.objects.get(slug="g20-indonesia-2022")

    assert (str(g20.starts_on), str(g20.ends_on)) == ("2022-03-01", "2022-12-31")
    assert g20.venues.count() >= 2
    assert g20.display_items.filter(product__slug="kendang-djimbe-minggirsari").exists()


def test_demo_accounts_hold_one_role_each_with_its_scope(demo):
    accounts = demo_accounts()

    assert [(account.username, account.role, account.scope) for account in accounts] == [
        ("demo-admin", "Administrator", "System"),
        ("demo-programme", "Programme officer", "All provinces"),
        ("demo-verifier", "Verifier", "Visits assigned to them"),
        ("demo-jatim", "Provincial officer", "Jawa Timur"),
        (
            "demo-koperasi",
            "Cooperative or craft-unit manager",
            "Koperasi Pengrajin Kendang Minggirsari",
        ),
    ]
    assert {account.password for account in accounts} == {DEMO_PASSWORD}


def test_demo_accounts_sign_in_with_the_shared_password(demo):
    users = get_user_model().objects.filter(username__startswith="demo-")

    assert users.count() == 5
    assert all(user.check_password(DEMO_PASSWORD) and user.is_demo for user in users)
    assert all(user.email.endswith("@example.org") for user in users)


def test_the_demo_administrator_signs_in_to_the_admin_site(demo, client):
    device = TOTPDevice.objects.get(user__username="demo-admin")
    password_step = client.post(
        "/en/accounts/login/?next=/admin/",
        {"username": "demo-admin", "password": DEMO_PASSWORD},
    )
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)

    code_step = client.post(password_step["Location"], {"code": f"{totp.token():06d}"})

    assert password_step["Location"] == "/en/accounts/two-factor/?next=%2Fadmin%2F"
    assert code_step["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_every_demo_account_has_a_confirmed_two_factor_device_once(demo):
    demo_load()

    assert sorted(
        TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True)
    ) == sorted(["demo-admin", "demo-programme", "demo-verifier", "demo-jatim", "demo-koperasi"])


def test_there_are_no_demo_accounts_before_the_demo_is_loaded():
    assert demo_accounts() == []


def test_every_demo_row_is_labelled_as_demonstration_data(demo):
    record_models = [model for model in apps.get_models() if issubclass(model, RecordModel)]

    assert {
        model._meta.label: model._default_manager.exclude(origin=DataOrigin.DEMO).count()
        for model in record_models
    } == {model._meta.label: 0 for model in record_models}
    assert all(model._default_manager.exists() for model in record_models if _loaded(model))
    assert not get_user_model().objects.filter(is_demo=False).exists()


def _loaded(model) -> bool:
    return model._meta.app_label in {
        "registry",
        "catalog",
        "exports",
        "nominations",
        "showcase",
        "support",
    }


def test_second_load_changes_nothing(demo):
    counts = row_counts()
    photos = list(ProductPhoto.objects.values_list("pk", "full", "updated_at"))

    again = demo_load()

    assert row_counts() == counts
    assert list(ProductPhoto.objects.values_list("pk", "full", "updated_at")) == photos
    assert (again.rows_written, again.photos_generated) == (0, 0)


def test_second_load_keeps_what_people_did_with_the_demo_since(demo):
    nomination = Nomination.objects.get(village=MINGGIRSARI)
    nomination.state = NominationState.WITHDRAWN
    nomination.save(update_fields=["state", "updated_at"])

    demo_load()

    nomination.refresh_from_db()
    assert nomination.state == NominationState.WITHDRAWN


def test_second_load_draws_a_photo_whose_file_is_gone(demo, media_root):
    cover = ProductPhoto.objects.get(product__slug="kendang-djimbe-minggirsari", is_cover=True)
    (media_root / cover.full.name).unlink()

    again = demo_load()

    cover.refresh_from_db()
    assert again.photos_generated == 1
    assert (media_root / cover.full.name).is_file()


def test_summary_counts_the_demo_rows(demo):
    assert (demo.village_profiles, demo.nominations, demo.exhibitions, demo.accounts) == (
        3,
        22,
        1,
        5,
    )
    assert demo.craft_units == CraftUnit.objects.count()
    assert (
        demo.photos_generated
        == demo.photos
        == (
            ProductPhoto.objects.count()
            + VillageProfilePhoto.objects.count()
            + CraftUnitPhoto.objects.count()
        )
    )


def test_demo_without_reference_data_fails_before_writing_anything(reference):
    Village.objects.filter(code=MINGGIRSARI).delete()
    counts = row_counts()

    with pytest.raises(ReferenceDataMissing) as error:
        demo_load()

    assert str(error.value) == f"Reference data is missing: village {MINGGIRSARI}."
    assert row_counts() == counts


def test_demo_refuses_to_overwrite_real_data(reference, media_root):
    Organisation.objects.create(
        kind=OrganisationKind.COOPERATIVE,
        registration_number="AHU-0001729.AH.01.26.TAHUN 2019",
        legal_name="Koperasi Kendang Minggirsari",
        village_id=MINGGIRSARI,
        origin=DataOrigin.REAL,
    )

    with pytest.raises(DemoConflict) as error:
        demo_load()

    assert str(error.value) == (
        "organisation “Koperasi Kendang Minggirsari” already exists as real data; "
        "the demo leaves it alone."
    )
    assert not VillageProfile.objects.exists()
    assert not any(media_root.rglob("*.jpg"))


def test_command_asks_for_the_reference_data_when_it_is_missing():
    with pytest.raises(CommandError) as error:
        call_command("demo")

    assert str(error.value).startswith(
        "Reference data is missing: run `desadevisa load-reference` first (not found: village "
        f"{MINGGIRSARI}, village {TRANGSAN}"
    )


def test_command_reports_what_it_loaded(reference, capsys):
    call_command("demo")

    output = capsys.readouterr().out
    assert output.startswith("Demonstration data loaded (")
    assert "  village profiles: 3\n" in output
    assert "  accounts: 5\n" in output
