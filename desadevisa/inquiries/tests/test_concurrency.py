"""Two handlers (or one double click) moving the same inquiry at once: it moves once."""

import threading
import time

import pytest
from django.db import OperationalError, connections

from desadevisa.accounts.models import Role
from desadevisa.accounts.tests.factories import user_with_role
from desadevisa.inquiries import services
from desadevisa.inquiries.models import InquiryEvent, InquiryStatus
from desadevisa.inquiries.services import MoveConflict, inquiry_move
from desadevisa.inquiries.tests.factories import InquiryFactory


def race_to_move(monkeypatch) -> list[str]:
    inquiry = InquiryFactory()
    officers = [user_with_role(Role.PROGRAMME_OFFICER, username=f"officer-{n}") for n in range(2)]
    # Widen the window between reading the status and writing the move: without the row
    # lock, both would read "new" and both would move it.
    targets = services.inquiry_targets

    def slow_targets(status):
        found = targets(status)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(services, "inquiry_targets", slow_targets)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def move(officer):
        start.wait()
        try:
            moved = inquiry_move(
                inquiry=inquiry,
                to_status=InquiryStatus.CONTACTED,
                from_status=InquiryStatus.NEW,
                actor=officer,
            )
            outcomes.append(moved.status)
        except MoveConflict:
            outcomes.append("conflict")
        except OperationalError as error:
            # SQLite's shared in-memory test database answers "table is locked" at once where
            # a database file waits for the writer: the loser is refused either way.
            outcomes.append("locked" if "locked" in str(error) else repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=move, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_moves_of_the_same_inquiry_at_once_move_it_once(monkeypatch):
    outcomes = race_to_move(monkeypatch)

    assert sorted(outcomes) in (["conflict", "contacted"], ["contacted", "locked"])
    assert list(InquiryEvent.objects.values_list("to_status", flat=True).order_by("pk")) == [
        "new",
        "contacted",
    ]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_second_move_waits_and_finds_the_inquiry_moved(monkeypatch):
    outcomes = race_to_move(monkeypatch)

    assert sorted(outcomes) == ["conflict", "contacted"]
