from types import SimpleNamespace

from django.test import RequestFactory
from django.utils import translation

from desadevisa.core.i18n import LanguageLink, language_links, localized_text


def test_language_links_point_to_the_same_page_and_query_in_each_language():
    request = RequestFactory().get("/id/villages/minggirsari/", {"page": "2"})

    with translation.override("id"):
        links = language_links(request)

    assert links == [
        LanguageLink(
            code="id",
            name_local="Bahasa Indonesia",
            url="/id/villages/minggirsari/?page=2",
            absolute_url="https://desadevisa.example.go.id/id/villages/minggirsari/?page=2",
            is_current=True,
        ),
        LanguageLink(
            code="en",
            name_local="English",
            url="/en/villages/minggirsari/?page=2",
            absolute_url="https://desadevisa.example.go.id/en/villages/minggirsari/?page=2",
            is_current=False,
        ),
    ]


def test_language_links_outside_the_language_prefix_point_to_each_home_page():
    request = RequestFactory().get("/no-such-page")

    with translation.override("en"):
        links = language_links(request)

    assert [(link.url, link.is_current) for link in links] == [("/id/", False), ("/en/", True)]


def test_localized_text_is_the_field_of_the_active_language():
    profile = SimpleNamespace(story_id="Kisah desa.", story_en="The village's story.")

    with translation.override("en"):
        story = localized_text(profile, "story")

    assert (story.text, story.lang) == ("The village's story.", "en")


def test_localized_text_falls_back_to_a_filled_in_language_and_says_which():
    profile = SimpleNamespace(story_id="Kisah desa.", story_en="")

    with translation.override("en"):
        story = localized_text(profile, "story")

    assert (story.text, story.lang) == ("Kisah desa.", "id")


def test_localized_text_is_empty_when_no_language_is_filled_in():
    profile = SimpleNamespace(story_id="", story_en="")

    with translation.override("id"):
        story = localized_text(profile, "story")

    assert (story.text, story.lang) == ("", "id")
