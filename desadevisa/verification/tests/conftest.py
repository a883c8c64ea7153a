"""Visits of a screened Jawa Timur nomination, reached through the services as in use."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.nominations.models import NominationState
from desadevisa.nominations.tests.factories import NominationFactory
from desadevisa.regions.tests.factories import VillageFactory
from desadevisa.verification.services import visit_schedule


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Photo files go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (pages are asked for under /en/)."""
    with translation.override("en"):
        yield


def screened_in(province, *, submitted_by=None, **village):
    product = ProductFactory(
        village=VillageFactory(district__regency__province=province, **village)
    )
    return NominationFactory(
        flagship_product=product, state=NominationState.SCREENED, submitted_by=submitted_by
    )


@pytest.fixture
def screened(db, jawa_timur, provincial_officer):
    """A screened nomination of a Jawa Timur village, submitted by the provincial officer."""
    return screened_in(jawa_timur, submitted_by=provincial_officer, name="Minggirsari")


@pytest.fixture
def visit(screened, programme_officer, verifier):
    """The planned visit of ``screened``, assigned to the ``verifier``."""
    return visit_schedule(
        nomination=screened,
        planned_on=datetime.date(2022, 3, 10),
        verifiers=[verifier],
        actor=programme_officer,
    )
