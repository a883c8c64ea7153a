"""Two scans of an item at the same moment, the first of the day: both are counted, in one
row (the day's row is created once, then incremented in the database)."""

import threading
import time

import pytest
from django.db import OperationalError, connections

from desadevisa.showcase import exhibitions
from desadevisa.showcase.exhibitions import scan_record
from desadevisa.showcase.models import ScanTally
from desadevisa.showcase.tests.factories import DisplayItemFactory


def race_two_first_scans(monkeypatch) -> list[str]:
    item = DisplayItemFactory()
    # Widen the window between finding no row for the day and creating it: both scans find
    # none, both try to create it.
    create = exhibitions._tally_first

    def slow_create(*args):
        time.sleep(0.3)
        return create(*args)

    monkeypatch.setattr(exhibitions, "_tally_first", slow_create)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def scan():
        start.wait()
        try:
            scan_record(item=item)
            outcomes.append("counted")
        except OperationalError as error:
            # SQLite's shared in-memory test database answers "table is locked" at once.
            outcomes.append("locked" if "locked" in str(error) else repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_first_scans_at_once_on_postgresql_are_both_counted_in_one_row(monkeypatch):
    outcomes = race_two_first_scans(monkeypatch)

    assert outcomes == ["counted", "counted"]
    assert list(ScanTally.objects.values_list("count", flat=True)) == [2]


@pytest.mark.django_db(transaction=True)
def test_two_first_scans_at_once_leave_one_row_counting_every_scan_taken(monkeypatch):
    outcomes = race_two_first_scans(monkeypatch)

    assert list(ScanTally.objects.values_list("count", flat=True)) == [outcomes.count("counted")]
    assert outcomes.count("counted") >= 1
