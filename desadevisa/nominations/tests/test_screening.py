"""Screening read from the registry: one nomination, and every village of a cycle in one pass."""

import datetime

import pytest
from django.db import connection

from desadevisa.catalog.models import Product
from desadevisa.catalog.tests.factories import HSCodeFactory, ProductFactory
from desadevisa.nominations.models import NominationState
from desadevisa.nominations.screening import (
    Verdict,
    nomination_screen,
    screening_batch,
    screening_batch_sql_floor,
)
from desadevisa.nominations.tests.factories import (
    DesignationFactory,
    NominationFactory,
    ProgrammeCycleFactory,
)
from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.registry.models import OrganisationKind
from desadevisa.registry.tests.factories import (
    CraftUnitFactory,
    MembershipFactory,
    OrganisationFactory,
    VillageProfileFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def product_made_by(village, *, units=3, members=3, **fields):
    product = ProductFactory(village=village, **fields)
    made_by = [CraftUnitFactory(village=village) for _ in range(units)]
    for unit in made_by[:members]:
        MembershipFactory(craft_unit=unit)
    product.craft_units.set(made_by)
    return product


def verdicts(result):
    return [c.verdict for c in result.criteria]


def test_nomination_screen_reads_a_constant_number_of_queries(django_assert_num_queries):
    small = NominationFactory(flagship_product=product_made_by(VillageFactory(), units=1))
    large = NominationFactory(flagship_product=product_made_by(VillageFactory(), units=12))

    for nomination in (small, large):
        with django_assert_num_queries(6):
            nomination_screen(nomination=nomination, on=TODAY)


def test_nomination_screen_passes_a_complete_village_pending_review():
    nomination = NominationFactory(flagship_product=product_made_by(VillageFactory()))

    result = nomination_screen(nomination=nomination, on=TODAY)

    assert verdicts(result) == [Verdict.NEEDS_REVIEW, Verdict.PASS, Verdict.PASS, Verdict.PASS]
    assert result.overall == Verdict.NEEDS_REVIEW
    memberships = result.criterion(4).evidence["memberships"]
    assert len(memberships) == 3


def test_only_current_memberships_of_a_cooperative_or_association_count():
    village = VillageFactory()
    nomination = NominationFactory(flagship_product=product_made_by(village, members=0))
    first, second, third = nomination.flagship_product.craft_units.order_by("id")
    MembershipFactory(craft_unit=first, ended_on=datetime.date(2025, 12, 31))
    MembershipFactory(craft_unit=second, started_on=datetime.date(2026, 7, 1))
    MembershipFactory(
        craft_unit=third,
        organisation=OrganisationFactory(kind=OrganisationKind.VILLAGE_ENTERPRISE),
    )
    MembershipFactory(
        craft_unit=third, organisation=OrganisationFactory(kind=OrganisationKind.ASSOCIATION)
    )

    result = nomination_screen(nomination=nomination, on=TODAY)

    assert result.criterion(4).evidence["member_units"] == [{"id": third.pk, "name": third.name}]
    assert result.criterion(4).verdict == Verdict.FAIL


def test_a_membership_is_current_on_its_last_day():
    nomination = NominationFactory(flagship_product=product_made_by(VillageFactory(), members=0))
    for unit in nomination.flagship_product.craft_units.all():
        MembershipFactory(craft_unit=unit, ended_on=TODAY)

    assert nomination_screen(nomination=nomination, on=TODAY).criterion(4).verdict == Verdict.PASS


def test_a_unit_of_another_village_fails_made_in_the_village():
    nomination = NominationFactory(flagship_product=product_made_by(VillageFactory()))
    stranger = CraftUnitFactory(village=VillageFactory())
    nomination.flagship_product.craft_units.add(stranger)

    result = nomination_screen(nomination=nomination, on=TODAY)

    assert result.criterion(2).verdict == Verdict.FAIL
    assert result.criterion(2).evidence["units_elsewhere"] == [
        {"id": stranger.pk, "name": stranger.name, "village_id": stranger.village_id}
    ]


def test_similar_products_are_those_of_designated_villages_of_the_province_and_heading():
    village = VillageFactory()
    province = village.province
    nomination = NominationFactory(
        flagship_product=product_made_by(village, hs_code=HSCodeFactory(code="920600"))
    )
    designated = ProductFactory(
        village=VillageFactory(province=province, district=village.district),
        hs_code=HSCodeFactory(code="9206"),
    )
    DesignationFactory(nomination__flagship_product=designated)
    by_state = ProductFactory(
        village=VillageFactory(province=province, district=village.district),
        hs_code=HSCodeFactory(code="920600"),
    )
    NominationFactory(
        flagship_product=by_state,
        cycle=ProgrammeCycleFactory(year=2021),
        state=NominationState.DESIGNATED,
    )
    other_heading = ProductFactory(village=designated.village, hs_code=HSCodeFactory(code="4420"))
    not_designated = ProductFactory(
        village=VillageFactory(province=province, district=village.district),
        hs_code=HSCodeFactory(code="9206"),
    )
    NominationFactory(flagship_product=not_designated, state=NominationState.SUBMITTED)
    other_province = ProductFactory(hs_code=HSCodeFactory(code="9206"))
    DesignationFactory(nomination__flagship_product=other_province)

    result = nomination_screen(nomination=nomination, on=TODAY)

    listed = {item["id"] for item in result.criterion(1).evidence["similar_products"]}
    assert listed == {designated.pk, by_state.pk}
    assert other_heading.pk not in listed
    assert result.criterion(1).evidence["similar_total"] == 2
    assert result.criterion(1).verdict == Verdict.NEEDS_REVIEW


# The batch.


def varied_registry():
    """Villages with profiles in every situation the criteria tell apart."""
    villages = {}

    def profiled():
        village = VillageFactory()
        VillageProfileFactory(village=village)
        return village

    villages["complete"] = product_made_by(profiled()).village
    villages["too_few"] = product_made_by(profiled(), units=2, members=2).village
    villages["half_members"] = product_made_by(profiled(), units=4, members=2).village
    villages["no_statements"] = product_made_by(
        profiled(), uniqueness_statement="", origin_statement=" \n"
    ).village
    elsewhere = product_made_by(profiled())
    elsewhere.craft_units.add(CraftUnitFactory(village=VillageFactory()))
    villages["elsewhere"] = elsewhere.village
    inactive = product_made_by(profiled(), units=4)
    inactive.craft_units.filter(pk=inactive.craft_units.order_by("id").first().pk).update(
        is_active=False
    )
    villages["inactive"] = inactive.village
    two = profiled()
    product_made_by(two, units=1, members=1)
    product_made_by(two, units=3, members=1)
    villages["two_products"] = two
    tie = profiled()
    product_made_by(tie, units=2, members=2, uniqueness_statement="")
    product_made_by(tie, units=2, members=0)
    villages["tie"] = tie
    villages["no_unit"] = product_made_by(profiled(), units=0).village
    # Each unit a member of two cooperatives and of a village enterprise: counted once.
    crowded = product_made_by(profiled(), units=3, members=3)
    for unit in crowded.craft_units.all():
        MembershipFactory(craft_unit=unit)
        MembershipFactory(
            craft_unit=unit,
            organisation=OrganisationFactory(kind=OrganisationKind.VILLAGE_ENTERPRISE),
        )
    villages["two_memberships"] = crowded.village
    # Memberships that do not count: ended, not yet started, of a village enterprise.
    lapsed = product_made_by(profiled(), units=3, members=0)
    first, second, third = lapsed.craft_units.order_by("id")
    MembershipFactory(craft_unit=first, ended_on=TODAY - datetime.timedelta(days=1))
    MembershipFactory(craft_unit=second, started_on=TODAY + datetime.timedelta(days=1))
    MembershipFactory(
        craft_unit=third,
        organisation=OrganisationFactory(kind=OrganisationKind.VILLAGE_ENTERPRISE),
    )
    villages["no_current_membership"] = lapsed.village
    # An inactive unit of another village, member of a cooperative: counts for nothing.
    idle = product_made_by(profiled(), units=3, members=2)
    stranger = CraftUnitFactory(village=VillageFactory(), is_active=False)
    MembershipFactory(craft_unit=stranger)
    idle.craft_units.add(stranger)
    villages["inactive_elsewhere"] = idle.village
    villages["no_product"] = profiled()
    product_made_by(VillageFactory())  # no profile: not screened
    return villages


def test_batch_screens_every_profiled_village_with_two_queries(django_assert_num_queries):
    villages = varied_registry()
    cycle = ProgrammeCycleFactory()

    with django_assert_num_queries(2):
        batch = screening_batch(cycle=cycle, on=TODAY)

    assert [row.village_id for row in batch.rows] == sorted(v.pk for v in villages.values())
    assert batch.counts.villages == len(villages)


def test_batch_reads_without_a_server_side_cursor(monkeypatch):
    # PostgreSQL never plans a server-side cursor's query in parallel: a third slower nationally.
    VillageProfileFactory()
    product_made_by(VillageProfileFactory().village)

    def refuse():
        raise AssertionError("the batch must not read through a server-side cursor")

    monkeypatch.setattr(connection, "chunked_cursor", refuse)

    assert screening_batch(cycle=ProgrammeCycleFactory(), on=TODAY).counts.villages == 2


def test_batch_counts_each_unit_once_whatever_its_memberships():
    villages = varied_registry()

    rows = {
        row.village_id: row for row in screening_batch(cycle=ProgrammeCycleFactory(), on=TODAY).rows
    }

    crowded = rows[villages["two_memberships"].pk]
    assert (crowded.listed_active, crowded.makers, crowded.members) == (3, 3, 3)
    lapsed = rows[villages["no_current_membership"].pk]
    assert (lapsed.makers, lapsed.members) == (3, 0)
    idle = rows[villages["inactive_elsewhere"].pk]
    assert (idle.listed_active, idle.makers, idle.members) == (3, 3, 2)
    assert idle.verdicts[1] == Verdict.PASS


def test_batch_candidate_is_the_product_with_most_makers_lowest_id_on_a_tie():
    villages = varied_registry()

    rows = {
        row.village_id: row for row in screening_batch(cycle=ProgrammeCycleFactory(), on=TODAY).rows
    }

    two = villages["two_products"]
    assert (
        rows[two.pk].product_id
        == max(two.products.all(), key=lambda product: product.craft_units.count()).pk
    )
    assert rows[villages["tie"].pk].product_id == min(p.pk for p in villages["tie"].products.all())
    assert rows[villages["no_product"].pk].product_id is None
    assert rows[villages["no_product"].pk].verdicts == (Verdict.FAIL,) * 4


@pytest.mark.parametrize(("min_units", "min_share"), [(3, 100), (2, 50), (0, 0), (5, 75)])
def test_batch_and_floor_agree_with_screening_each_nomination(min_units, min_share):
    villages = varied_registry()
    cycle = ProgrammeCycleFactory(min_craft_units=min_units, min_membership_share=min_share)

    batch = screening_batch(cycle=cycle, on=TODAY)

    for row in batch.rows:
        if row.product_id is None:
            continue
        nomination = NominationFactory(
            cycle=cycle, flagship_product=Product.objects.get(pk=row.product_id)
        )
        nomination.refresh_from_db()
        single = nomination_screen(nomination=nomination, on=TODAY)
        assert row.verdicts == tuple(verdicts(single)), row
        assert row.overall == single.overall
    assert screening_batch_sql_floor(cycle=cycle, on=TODAY) == batch.counts
    assert len(batch.rows) == len(villages)


def test_batch_counts_every_verdict_even_when_none_got_it():
    VillageProfileFactory()

    counts = screening_batch(cycle=ProgrammeCycleFactory(), on=TODAY).counts

    assert counts.overall == {"pass": 0, "fail": 1, "needs_review": 0}
    assert counts.criteria[3] == {"pass": 0, "fail": 1, "needs_review": 0}
    assert screening_batch_sql_floor(cycle=ProgrammeCycleFactory(), on=TODAY) == counts
