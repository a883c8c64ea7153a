"""Who reads which support items, and the reads behind the village page and the list."""

import datetime
from decimal import Decimal

import pytest
from django.http import Http404

from desadevisa.accounts.scopes import user_scope
from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.nominations.tests.factories import DesignationFactory, ProgrammeCycleFactory
from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.support.models import SupportKind, SupportStatus
from desadevisa.support.selectors import (
    support_item_detail,
    support_item_get,
    support_item_list,
    support_item_scope,
    village_support_plan,
)
from desadevisa.support.tests.factories import (
    DesignDeliverableFactory,
    DesignItemFactory,
    DisbursementFactory,
    SupportItemFactory,
    TrainingItemFactory,
)


@pytest.fixture
def plans(two_provinces):
    """A financing item in each province's designated village, and a training item in another
    Jawa Timur village where the organisation manager's organisation is not."""
    east, central = two_provinces.jawa_timur, two_provinces.jawa_tengah
    elsewhere = DesignationFactory(
        nomination__cycle=two_provinces.cycle,
        nomination__flagship_product=ProductFactory(
            village=VillageFactory(district__regency__province=east.province)
        ),
    )
    return {
        "35": SupportItemFactory(designation=east.designation),
        "33": SupportItemFactory(designation=central.designation),
        "35.elsewhere": TrainingItemFactory(designation=elsewhere),
    }


def visible(user, plans) -> set[str]:
    rows = set(support_item_scope(user=user))
    return {name for name, item in plans.items() if item in rows}


@pytest.mark.parametrize("user_fixture", ["programme_officer", "administrator"])
def test_national_roles_read_every_support_item(request, plans, user_fixture):
    user = request.getfixturevalue(user_fixture)

    assert visible(user, plans) == {"35", "33", "35.elsewhere"}


def test_a_provincial_officer_reads_the_items_of_their_province(plans, provincial_officer):
    assert visible(provincial_officer, plans) == {"35", "35.elsewhere"}


def test_the_other_provinces_officer_reads_only_theirs(plans, two_provinces):
    assert visible(two_provinces.jawa_tengah.officer, plans) == {"33"}


def test_an_organisation_manager_reads_the_items_of_their_organisations_village(
    plans, organisation_manager, two_provinces
):
    assert visible(organisation_manager, plans) == {"35"}
    assert visible(two_provinces.jawa_tengah.manager, plans) == {"33"}


@pytest.mark.parametrize("user_fixture", ["verifier", "nobody"])
def test_verifiers_and_people_without_a_role_read_no_support(request, plans, user_fixture):
    assert visible(request.getfixturevalue(user_fixture), plans) == set()


def test_an_item_of_another_province_answers_404(plans, provincial_officer):
    assert support_item_get(user=provincial_officer, pk=plans["35"].pk) == plans["35"]
    with pytest.raises(Http404):
        support_item_get(user=provincial_officer, pk=plans["33"].pk)
    with pytest.raises(Http404):
        support_item_detail(user=provincial_officer, pk=plans["33"].pk)


def test_the_list_filters_by_kind_status_province_and_cycle(plans, programme_officer):
    other_cycle = ProgrammeCycleFactory(year=2021)
    TrainingItemFactory(designation__nomination__cycle=other_cycle, status=SupportStatus.CANCELLED)

    def listed(**filters):
        return {item.pk for item in support_item_list(user=programme_officer, **filters)}

    assert listed(kind=SupportKind.TRAINING) == {
        plans["35.elsewhere"].pk,
        *listed(cycle_id=other_cycle.pk),
    }
    assert listed(status=SupportStatus.CANCELLED) == listed(cycle_id=other_cycle.pk)
    assert listed(province_code="33") == {plans["33"].pk}
    assert len(listed(kind="", status=None)) == 4


def test_the_list_reads_one_query_with_its_totals_whatever_the_rows(
    programme_officer, django_assert_num_queries
):
    user_scope(programme_officer)  # the roles are read once per request, before the page

    def read_all():
        with django_assert_num_queries(1):
            return [
                (
                    item.title,
                    item.designation.nomination.village.name,
                    item.designation.nomination.village.province.name,
                    item.designation.nomination.village.district.regency.name,
                    item.designation.nomination.cycle.name,
                    item.exhibition,
                    item.outstanding_idr,
                )
                for item in support_item_list(user=programme_officer)
            ]

    item = SupportItemFactory()
    DisbursementFactory(item=item, amount_idr=Decimal("100000000"))
    assert read_all()[0][-1] == Decimal("400000000")
    for _ in range(3):
        DisbursementFactory(item=SupportItemFactory(), amount_idr=Decimal("1000000"))
        DesignItemFactory()
    assert len(read_all()) == 7


def test_the_village_plan_reads_items_tranches_and_deliverables_in_three_queries(
    programme_officer, django_assert_num_queries
):
    financing = SupportItemFactory()
    designation = financing.designation
    DisbursementFactory(item=financing, disbursed_on=datetime.date(2022, 8, 1))
    DisbursementFactory(item=financing, disbursed_on=datetime.date(2022, 2, 1))
    design = DesignItemFactory(designation=designation, starts_on=datetime.date(2022, 3, 1))
    DesignDeliverableFactory.create_batch(2, item=design)
    SupportItemFactory()  # another village's
    user_scope(programme_officer)

    with django_assert_num_queries(3):
        plan = village_support_plan(
            user=programme_officer, village_code=designation.nomination.village_id
        )
        read = [
            (item.outstanding_idr, list(item.disbursements.all()), list(item.deliverables.all()))
            for item in plan
        ]

    assert [item.pk for item in plan] == [financing.pk, design.pk]
    assert read[0][0] == Decimal("300000000")
    assert [row.disbursed_on.month for row in read[0][1]] == [2, 8]
    assert len(read[1][2]) == 2
