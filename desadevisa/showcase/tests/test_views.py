import pytest

from desadevisa.core.models import DataOrigin
from desadevisa.regions.models import District, Province, Regency, Village
from desadevisa.registry.models import VillageProfile

STORY_ID = "Banyak keluarga di Minggirsari membuat kendang djimbe yang diekspor ke berbagai negara."
STORY_EN = (
    "Many households in Minggirsari make djembe drums that are exported to several countries."
)


@pytest.fixture
def kanigoro(db):
    jawa_timur = Province.objects.create(code="35", name="Jawa Timur")
    blitar = Regency.objects.create(code="35.05", name="Kabupaten Blitar", province=jawa_timur)
    return District.objects.create(code="35.05.10", name="Kanigoro", regency=blitar)


def village_profile_create(district, *, number=2001, name="Minggirsari", **fields):
    village = Village.objects.create(
        code=f"{district.code}.{number}",
        name=name,
        district=district,
        province=district.regency.province,
    )
    defaults = {
        "flagship_commodity": "Kendang djimbe",
        "story_id": STORY_ID,
        "story_en": STORY_EN,
        "is_public": True,
        "origin": DataOrigin.REAL,
    }
    return VillageProfile.objects.create(village=village, **{**defaults, **fields})


def test_root_redirects_to_the_indonesian_home_page(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/id/"


def test_root_redirects_english_speaking_browsers_to_the_english_home_page(client):
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})

    assert response.status_code == 302
    assert response["Location"] == "/en/"


@pytest.mark.django_db
def test_home_page_is_in_indonesian_under_id(client):
    response = client.get("/id/")

    assert response.status_code == 200
    assert '<html lang="id"' in response.text
    assert "Desa ekspor Indonesia" in response.text


@pytest.mark.django_db
def test_home_page_is_in_english_under_en(client):
    response = client.get("/en/")

    assert response.status_code == 200
    assert '<html lang="en"' in response.text
    assert "Indonesia's export villages" in response.text


@pytest.mark.django_db
def test_home_page_links_to_the_same_page_in_the_other_language(client):
    response = client.get("/id/")

    assert '<a href="/en/" hreflang="en" lang="en">English</a>' in response.text
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/">' in response.text
    assert '<link rel="alternate" hreflang="id" href="http://testserver/id/">' in response.text


@pytest.mark.parametrize("language", ["id", "en"])
def test_home_page_lists_a_public_village_profile_with_its_region_path(client, kanigoro, language):
    village_profile_create(kanigoro)

    response = client.get(f"/{language}/")

    assert "Minggirsari" in response.text
    assert "Kanigoro, Kabupaten Blitar, Jawa Timur" in response.text
    assert "Kendang djimbe" in response.text


@pytest.mark.parametrize(("language", "story"), [("id", STORY_ID), ("en", STORY_EN)])
def test_home_page_shows_the_story_in_the_active_language(client, kanigoro, language, story):
    village_profile_create(kanigoro)

    response = client.get(f"/{language}/")

    assert f'<p class="card__excerpt">{story}</p>' in response.text


def test_home_page_shows_the_indonesian_story_marked_as_indonesian_when_no_english_one_exists(
    client, kanigoro
):
    village_profile_create(kanigoro, story_en="")

    response = client.get("/en/")

    assert f'<p class="card__excerpt" lang="id">{STORY_ID}</p>' in response.text


def test_home_page_leaves_out_village_profiles_that_are_not_public(client, kanigoro):
    village_profile_create(kanigoro, is_public=False)

    response = client.get("/id/")

    assert "Minggirsari" not in response.text
    assert "Belum ada profil desa yang dipublikasikan." in response.text


@pytest.mark.parametrize(
    ("language", "label"), [("id", "Data contoh"), ("en", "Demonstration data")]
)
def test_home_page_labels_demo_village_profiles_with_a_badge_and_a_banner(
    client, kanigoro, language, label
):
    village_profile_create(kanigoro, origin=DataOrigin.DEMO)

    response = client.get(f"/{language}/")

    assert f'<span class="badge badge--demo">{label}</span>' in response.text
    assert '<div class="demo-banner">' in response.text


def test_home_page_shows_no_demo_label_for_real_village_profiles(client, kanigoro):
    village_profile_create(kanigoro, origin=DataOrigin.REAL)

    response = client.get("/en/")

    assert "Minggirsari" in response.text
    assert "Demonstration data" not in response.text
    assert "demo-banner" not in response.text


def test_home_page_runs_the_same_queries_for_one_and_for_many_village_profiles(
    client, kanigoro, django_assert_num_queries
):
    village_profile_create(kanigoro)
    # A count for the pagination and one page of profiles with their regions.
    with django_assert_num_queries(2):
        client.get("/id/")

    for number in range(2002, 2031):
        village_profile_create(kanigoro, number=number, name=f"Desa {number}")

    with django_assert_num_queries(2):
        response = client.get("/id/")
    assert response.text.count('<article class="card"') == 24


def test_home_page_shows_the_remaining_village_profiles_on_the_next_page(client, kanigoro):
    for number in range(2001, 2026):
        village_profile_create(kanigoro, number=number, name=f"Desa {number}")

    first = client.get("/en/")
    second = client.get("/en/", {"page": "2"})

    assert "Desa 2025" not in first.text
    assert '<a href="?page=2" rel="next">Next page</a>' in first.text
    assert "Desa 2025" in second.text
    assert "Page 2 of 2" in second.text


def test_home_page_answers_an_unusable_page_number_with_the_first_page(client, kanigoro):
    village_profile_create(kanigoro)

    response = client.get("/id/", {"page": "many"})

    assert response.status_code == 200
    assert "Minggirsari" in response.text


@pytest.mark.django_db
def test_home_page_carries_the_content_security_policy(client):
    response = client.get("/en/")

    assert "script-src 'self'" in response["Content-Security-Policy"]
