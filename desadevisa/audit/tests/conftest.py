import pytest

from desadevisa.accounts.tests.helpers import sign_in_verified
from desadevisa.regions.tests.factories import ProvinceFactory, VillageFactory
from desadevisa.registry.tests.factories import CraftUnitFactory


@pytest.fixture
def sign_in_as(client):
    """``sign_in_as(user)`` signs ``user`` in on ``client``, one-time code confirmed, as every
    staff page requires, and returns the client."""

    def sign_in_as(user):
        sign_in_verified(client, user)
        return client

    return sign_in_as


@pytest.fixture
def jawa_tengah(db):
    return ProvinceFactory(code="33", name="Jawa Tengah")


def craft_unit_in(province, **fields):
    """A craft unit in a village of ``province``."""
    return CraftUnitFactory(village=VillageFactory(district__regency__province=province), **fields)
