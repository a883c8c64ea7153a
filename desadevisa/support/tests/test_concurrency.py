"""Two tranches of the same financing recorded at the same moment: the item's row lock checks
them one after the other, so together they never exceed the approved amount."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connections
from django.utils import translation

from desadevisa.accounts.models import Role
from desadevisa.accounts.tests.factories import user_with_role
from desadevisa.support import services
from desadevisa.support.models import Disbursement, SupportItem
from desadevisa.support.services import disbursement_add
from desadevisa.support.tests.factories import SupportItemFactory


def race_for_the_balance(monkeypatch) -> tuple[SupportItem, list[str]]:
    item = SupportItemFactory(approved_amount_idr=Decimal("500000000"))
    officers = [user_with_role(Role.PROGRAMME_OFFICER, username=f"programme-{n}") for n in range(2)]
    # Widen the window between adding up the tranches and writing the new one: without the
    # item's lock, both would find nothing disbursed and both would be written.
    counted = services._disbursed_total

    def slow_total(item):
        total = counted(item)
        time.sleep(0.3)
        return total

    monkeypatch.setattr(services, "_disbursed_total", slow_total)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def disburse(officer):
        start.wait()
        try:
            with translation.override("en"):
                disbursement_add(
                    item=item,
                    disbursed_on=datetime.date(2022, 2, 1),
                    amount_idr=Decimal("300000000"),
                    actor=officer,
                )
            outcomes.append("disbursed")
        except ValidationError as error:
            outcomes.append(error.message_dict["amount_idr"][0])
        except OperationalError as error:
            # SQLite's shared in-memory test database answers "table is locked" at once where
            # a database file waits for the writer: the loser is refused either way.
            outcomes.append("locked" if "locked" in str(error) else repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=disburse, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return item, outcomes


REFUSAL = (
    "This disbursement would bring the total disbursed to IDR 600,000,000, more than the "
    "approved IDR 500,000,000: at most IDR 200,000,000 is outstanding."
)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_tranches_racing_for_the_balance_on_postgresql_only_one_is_written(monkeypatch):
    item, outcomes = race_for_the_balance(monkeypatch)

    assert sorted(outcomes) == [REFUSAL, "disbursed"]
    assert Disbursement.objects.filter(item=item).count() == 1
    assert SupportItem.objects.get(pk=item.pk).outstanding_idr == Decimal("200000000")


@pytest.mark.django_db(transaction=True)
def test_two_tranches_racing_for_the_balance_never_exceed_it(monkeypatch):
    item, outcomes = race_for_the_balance(monkeypatch)

    assert outcomes.count("disbursed") == 1
    assert set(outcomes) - {"disbursed"} <= {REFUSAL, "locked"}
    assert Disbursement.objects.filter(item=item).count() == 1
