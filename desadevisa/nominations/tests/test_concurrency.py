"""Two officers submitting at the same time for the last slot of their province's quota:
exactly one wins the slot, the other's nomination waits first on the province's waiting list."""

import threading
import time

import pytest
from django.db import OperationalError, connections

from desadevisa.accounts.models import Role
from desadevisa.accounts.tests.factories import user_with_role
from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.nominations import services
from desadevisa.nominations.models import NominationEvent, NominationState
from desadevisa.nominations.services import nomination_submit
from desadevisa.nominations.tests.factories import (
    NominationFactory,
    ProgrammeCycleFactory,
    ProvinceQuotaFactory,
)
from desadevisa.regions.tests.factories import ProvinceFactory, VillageFactory


def race_for_the_last_slot(monkeypatch):
    province = ProvinceFactory(code="35", name="Jawa Timur")
    cycle = ProgrammeCycleFactory(year=2023)
    ProvinceQuotaFactory(cycle=cycle, province=province, allowed=1)
    officers = [
        user_with_role(Role.PROVINCIAL_OFFICER, province=province, username=f"officer-{n}")
        for n in range(2)
    ]
    nominations = [
        NominationFactory(
            cycle=cycle,
            flagship_product=ProductFactory(
                village=VillageFactory(district__regency__province=province)
            ),
        )
        for _ in officers
    ]
    # Widen the window between counting the slots and taking one: without the quota lock,
    # both submissions would count zero and both would win.
    counted = services.province_quota_used

    def slow_count(**kwargs):
        used = counted(**kwargs)
        time.sleep(0.3)
        return used

    monkeypatch.setattr(services, "province_quota_used", slow_count)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(nomination, officer):
        start.wait()
        try:
            outcomes.append(nomination_submit(nomination=nomination, actor=officer).state)
        except OperationalError as error:
            # SQLite's shared in-memory test database answers "table is locked" at once where
            # a database file waits for the writer to finish: the loser is refused either way.
            outcomes.append("locked" if "locked" in str(error) else repr(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=submit, args=pair)
        for pair in zip(nominations, officers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return cycle, outcomes


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_submissions_racing_for_the_last_slot_on_postgresql_one_wins(monkeypatch):
    cycle, outcomes = race_for_the_last_slot(monkeypatch)

    assert sorted(outcomes) == ["submitted", "waiting"]
    assert cycle.nominations.filter(state=NominationState.SUBMITTED).count() == 1
    waiting = cycle.nominations.get(state=NominationState.WAITING)
    assert waiting.waiting_rank == 1
    assert NominationEvent.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_submissions_racing_for_the_last_slot_one_wins(monkeypatch):
    cycle, outcomes = race_for_the_last_slot(monkeypatch)

    assert sorted(outcomes) in (["submitted", "waiting"], ["locked", "submitted"])
    assert cycle.nominations.filter(state=NominationState.SUBMITTED).count() == 1
    assert NominationEvent.objects.count() == len(outcomes) - outcomes.count("locked")
