"""No default or shared account ships with the product: a real database starts without any
account, and the only accounts the product ever creates itself are the demonstration ones."""

import pytest

from desadevisa.accounts.models import User
from desadevisa.catalog.tests.factories import HSCodeFactory
from desadevisa.operations.demo import (
    ACCOUNTS,
    REQUIRED_COUNTRIES,
    REQUIRED_HS_CODES,
    REQUIRED_PROVINCES,
    REQUIRED_VILLAGES,
    demo_load,
)
from desadevisa.operations.reference import reference_load
from desadevisa.regions.tests.factories import CountryFactory, ProvinceFactory
from desadevisa.registry.tests.factories import village_with_parents

pytestmark = pytest.mark.django_db

WELL_KNOWN_USERNAMES = {"admin", "administrator", "root", "test", "demo", "user", "guest"}


@pytest.fixture
def demo_reference():
    """The few reference rows the demonstration stands on, as the reference loader writes them."""
    for code in REQUIRED_VILLAGES:
        path = (code[:2], code[:5], code[:8], code)
        village_with_parents(code, names={part: f"Region {part}" for part in path})
    for code in REQUIRED_PROVINCES:
        ProvinceFactory(code=code)
    for code in REQUIRED_HS_CODES:
        HSCodeFactory(code=code)
    for code in REQUIRED_COUNTRIES:
        CountryFactory(code=code)


def test_a_migrated_database_has_no_account():
    assert list(User.objects.values_list("username", flat=True)) == []


def test_loading_the_shipped_reference_data_creates_no_account():
    reference_load()

    assert list(User.objects.values_list("username", flat=True)) == []


def test_every_account_of_the_demonstration_is_marked_as_demo(demo_reference, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

    demo_load()

    accounts = list(User.objects.values_list("username", "is_demo"))
    assert len(accounts) == len(ACCOUNTS)
    assert all(is_demo and username.startswith("demo-") for username, is_demo in accounts)
    assert not {username for username, _ in accounts} & WELL_KNOWN_USERNAMES
