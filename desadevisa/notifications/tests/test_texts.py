"""The words of each kind of notification, written when read, in the reader's language."""

import pytest

from desadevisa.notifications.models import NotificationKind
from desadevisa.notifications.tests.factories import NotificationFactory
from desadevisa.notifications.texts import notification_path, notification_text

EVERYTHING = {
    "village": "Minggirsari",
    "province": "Jawa Timur",
    "cycle": "Desa Devisa 2022",
    "comment": "Lengkapi bukti.",
    "waiting_rank": 3,
    "visit": 1,
    "visit_on": "2022-05-10",
    "places": 2,
    "reason": "Dua puluh desa siap.",
    "granted": True,
    "answer": "Sesuai anggaran.",
}


@pytest.mark.parametrize("kind", NotificationKind.values)
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_kind_reads_as_one_subject_line_and_a_body_naming_the_province(db, kind, language):
    notification = NotificationFactory(kind=kind, params=EVERYTHING)

    text = notification_text(notification, language)

    assert text.subject
    assert "\n" not in text.subject
    assert "Jawa Timur" in text.body
    assert "{" not in text.body
    assert "\n\n\n" not in text.body


def test_the_facts_of_a_nomination_are_labelled_in_the_readers_language(db):
    notification = NotificationFactory(params=EVERYTHING)

    indonesian = notification_text(notification, "id").body
    english = notification_text(notification, "en").body

    assert "Desa: Minggirsari\nProvinsi: Jawa Timur\nPeriode program: Desa Devisa 2022" in (
        indonesian
    )
    assert "Village: Minggirsari\nProvince: Jawa Timur\nProgramme cycle: Desa Devisa 2022" in (
        english
    )


def test_a_waiting_nomination_says_its_place_on_the_list(db):
    notification = NotificationFactory(kind=NotificationKind.NOMINATION_WAITING, params=EVERYTHING)

    assert "in place 3" in notification_text(notification, "en").body


def test_a_visit_says_its_date_the_readers_way(db):
    notification = NotificationFactory(kind=NotificationKind.VISIT_ASSIGNED, params=EVERYTHING)

    assert "on May 10, 2022" in notification_text(notification, "en").body


@pytest.mark.parametrize(("granted", "word"), [(True, "granted"), (False, "declined")])
def test_the_answer_to_a_quota_request_says_how_it_was_answered(db, granted, word):
    notification = NotificationFactory(
        kind=NotificationKind.QUOTA_REQUEST_ANSWERED, params={**EVERYTHING, "granted": granted}
    )

    text = notification_text(notification, "en")

    assert text.subject == f"Quota raise {word}: Jawa Timur"
    assert f"The programme {word} the request of Jawa Timur for 2 more places" in text.body


def test_the_link_is_the_same_page_in_the_readers_language(db):
    notification = NotificationFactory(link="/id/programme/nominations/7/")

    assert notification_path(notification, "en") == "/en/programme/nominations/7/"
    assert notification_path(notification, "id") == "/id/programme/nominations/7/"
